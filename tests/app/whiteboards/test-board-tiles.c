/* test-board-tiles.c: the canvas's tiles show what drawing every stroke
 * shows, at every zoom, through changes, while tiles are being made
 *
 * Each frame is the canvas's snapshot rendered offscreen with the cairo
 * renderer, compared with the strokes drawn directly with cairo at the
 * same view. Between frames the main loop runs, as it does between real
 * frames, so the canvas's idle makes the tiles a frame left.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>

#include <gtk/gtk.h>

#include "tandem-board-canvas-private.h"
#include "tandem-board-model.h"
#include "tandem-board-render.h"
#include "tandem-stroke.h"

#define WIDTH   640
#define HEIGHT  400
#define AUTHOR  "00000000-0000-4000-8000-000000000001"
/* At a level's own scale tiles are the direct drawing to the pixel: a
 * few pixels of slack (a stroke is hundreds). */
#define EXACT   (0.0002 * WIDTH * HEIGHT)

typedef struct
{
  TandemBoardModel  *model;
  TandemBoardCanvas *canvas;
  GskRenderer       *renderer;
  GRand             *rand;
  guint              n;
} Fixture;

static char *
add_stroke (Fixture  *f,
            double    x,
            double    y,
            gboolean  finish)
{
  g_autofree char *id = g_strdup_printf ("00000000-0000-4000-8000-%012x", ++f->n);
  static const char *colors[] = { "#1c1c1c", "#e01b24", "#3584e4", "#33d17a" };
  g_autoptr(TandemStroke) stroke = tandem_stroke_new (id, AUTHOR, TANDEM_TOOL_PEN, colors[f->n % 4],
                                                      g_rand_double_range (f->rand, 2, 6), 1000 + f->n);
  TandemPoint points[30];
  double angle = g_rand_double_range (f->rand, 0, 2 * G_PI);

  for (guint j = 0; j < G_N_ELEMENTS (points); j++)
    {
      angle += g_rand_double_range (f->rand, -0.4, 0.4);
      x += 6 * cos (angle);
      y += 6 * sin (angle);
      points[j] = (TandemPoint) { x, y, 0.3 + 0.7 * fabs (sin (j / 5.0)) };
    }
  g_assert_true (tandem_board_model_add (f->model, stroke));
  g_assert_true (tandem_board_model_set_points (f->model, id, 0, points, G_N_ELEMENTS (points)));
  if (finish)
    g_assert_true (tandem_board_model_finish (f->model, id, G_N_ELEMENTS (points)));
  return g_steal_pointer (&id);
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->rand = g_rand_new_with_seed (7);
  f->model = tandem_board_model_new ();
  for (guint i = 0; i < 300; i++)
    g_free (add_stroke (f, g_rand_double_range (f->rand, 0, 2400), g_rand_double_range (f->rand, 0, 1600), TRUE));
  f->canvas = TANDEM_BOARD_CANVAS (g_object_ref_sink (tandem_board_canvas_new_for_model (f->model)));
  f->renderer = gsk_cairo_renderer_new ();
  g_assert_true (gsk_renderer_realize (f->renderer, NULL, &error));
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  gsk_renderer_unrealize (f->renderer);
  g_object_unref (f->renderer);
  g_object_unref (f->canvas);
  g_object_unref (f->model);
  g_rand_free (f->rand);
}

/* One frame of the canvas, as pixels (cairo's ARGB32), and its tiles. */
static GBytes *
frame (Fixture              *f,
       TandemBoardTileStats *stats)
{
  g_autoptr(GskRenderNode) node = _tandem_board_canvas_build_node (f->canvas, WIDTH, HEIGHT);
  g_autoptr(GdkTexture) texture = gsk_renderer_render_texture (f->renderer, node,
                                                               &GRAPHENE_RECT_INIT (0, 0, WIDTH, HEIGHT));
  gsize stride = WIDTH * 4;
  guchar *pixels = g_malloc (stride * HEIGHT);

  if (stats != NULL)
    _tandem_board_canvas_get_tile_stats (f->canvas, stats);
  gdk_texture_download (texture, pixels, stride);
  return g_bytes_new_take (pixels, stride * HEIGHT);
}

static void
run_main_loop (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

/* Frames, with the main loop between them, until every tile in view is
 * current; the last one. */
static GBytes *
settled_frame (Fixture *f)
{
  for (guint i = 0; i < 200; i++)
    {
      TandemBoardTileStats stats;
      g_autoptr(GBytes) pixels = frame (f, &stats);

      if (stats.stand_ins == 0)
        return g_steal_pointer (&pixels);
      run_main_loop ();
    }
  g_assert_not_reached ();
}

/* The visible strokes drawn straight with cairo at the canvas's view. */
static GBytes *
reference (Fixture *f)
{
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, WIDTH, HEIGHT);
  guint n = g_list_model_get_n_items (G_LIST_MODEL (f->model));
  double zoom = tandem_board_canvas_get_zoom (f->canvas), x, y;
  cairo_t *cr = cairo_create (surface);
  GBytes *bytes;

  tandem_board_canvas_get_origin (f->canvas, &x, &y);
  /* the canvas draws at its origin rounded to a pixel */
  x = round (x * zoom) / zoom;
  y = round (y * zoom) / zoom;
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_paint (cr);
  cairo_scale (cr, zoom, zoom);
  cairo_translate (cr, -x, -y);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(TandemStroke) stroke = g_list_model_get_item (G_LIST_MODEL (f->model), i);

      tandem_board_draw_stroke (cr, stroke);
    }
  cairo_destroy (cr);
  cairo_surface_flush (surface);
  g_assert_cmpint (cairo_image_surface_get_stride (surface), ==, WIDTH * 4);
  bytes = g_bytes_new (cairo_image_surface_get_data (surface), WIDTH * 4 * HEIGHT);
  cairo_surface_destroy (surface);
  return bytes;
}

typedef struct
{
  guint  differing;   /* pixels with a channel more than 24 apart */
  double mean;        /* mean absolute difference per channel, 0..255 */
  guint  ink_a, ink_b;
} Diff;

static guint
ink (const guchar *p)
{
  return p[0] < 200 || p[1] < 200 || p[2] < 200;
}

static Diff
compare (GBytes *a,
         GBytes *b)
{
  gsize size_a, size_b;
  const guchar *pa = g_bytes_get_data (a, &size_a), *pb = g_bytes_get_data (b, &size_b);
  Diff diff = { 0 };
  double sum = 0;

  g_assert_cmpuint (size_a, ==, size_b);
  for (gsize i = 0; i < size_a; i += 4)
    {
      int worst = 0;

      for (guint c = 0; c < 3; c++)
        {
          int d = ABS ((int) pa[i + c] - (int) pb[i + c]);

          worst = MAX (worst, d);
          sum += d;
        }
      diff.differing += worst > 24;
      diff.ink_a += ink (pa + i);
      diff.ink_b += ink (pb + i);
    }
  diff.mean = sum / (size_a / 4 * 3);
  return diff;
}

static void
set_view (Fixture *f,
          double   zoom,
          double   x,
          double   y)
{
  tandem_board_canvas_set_zoom (f->canvas, zoom);
  tandem_board_canvas_set_origin (f->canvas, x, y);
}

/* At a zoom level's own scale the tiles are the direct drawing to the
 * pixel (give or take antialiasing cut at a tile's edge); between levels
 * they are it resampled. */
static void
test_same_picture (Fixture       *f,
                   gconstpointer  data)
{
  static const struct { double zoom, x, y, max_differing, max_mean; } views[] = {
    { 1, 100.3, 200.7, 0.0002, 0.2 },
    { 2, 700.25, 500.5, 0.0002, 0.2 },
    { 0.5, -40, 10, 0.0002, 0.2 },
    { 0.25, 0, 0, 0.0002, 0.2 },
    { 1.3, 333.3, 444.4, 0.03, 3 },
    { 0.72, 120, 80, 0.03, 3 },
  };

  /* as cairo nodes (the cairo renderer's) and as textures (a GPU
   * renderer's, drawn here by the cairo renderer) */
  _tandem_board_canvas_set_tile_textures (f->canvas, GPOINTER_TO_INT (data));
  for (guint k = 0; k < G_N_ELEMENTS (views); k++)
    {
      g_autoptr(GBytes) tiles = NULL;
      g_autoptr(GBytes) direct = NULL;
      Diff diff;

      set_view (f, views[k].zoom, views[k].x, views[k].y);
      tiles = settled_frame (f);
      direct = reference (f);
      diff = compare (tiles, direct);
      g_test_message ("zoom %.2f: %u pixels differ, mean %.3f, ink %u / %u", views[k].zoom, diff.differing,
                      diff.mean, diff.ink_a, diff.ink_b);
      g_assert_cmpuint (diff.ink_b, >, WIDTH * HEIGHT / 100);
      g_assert_cmpfloat (diff.differing, <=, views[k].max_differing * WIDTH * HEIGHT);
      g_assert_cmpfloat (diff.mean, <=, views[k].max_mean);
    }

  /* Once the zoom has held still, tiles are made at the zoom itself:
   * the direct drawing to the pixel at every zoom. */
  _tandem_board_canvas_set_settle_delay (f->canvas, 0);
  for (guint k = 0; k < G_N_ELEMENTS (views); k++)
    {
      g_autoptr(GBytes) tiles = NULL;
      g_autoptr(GBytes) direct = NULL;
      Diff diff;

      set_view (f, views[k].zoom, views[k].x, views[k].y);
      tiles = settled_frame (f);
      direct = reference (f);
      diff = compare (tiles, direct);
      g_test_message ("zoom %.2f, settled: %u pixels differ, mean %.3f", views[k].zoom, diff.differing, diff.mean);
      g_assert_cmpfloat (diff.differing, <=, EXACT);
      g_assert_cmpfloat (diff.mean, <=, 0.2);
    }
}

/* A stroke being drawn shows in the frame its points arrive in, stays
 * in every frame as it is finished and merged into the tiles, and an
 * erased one goes away; a clear empties the view. At a level's zoom, and
 * settled between levels (the tiles at the zoom itself). */
static void
test_changes (Fixture       *f,
              gconstpointer  data)
{
  double zoom = GPOINTER_TO_INT (data) ? 1.3 : 1;
  g_autofree char *id = NULL;
  g_autoptr(GBytes) pixels = NULL;
  g_autoptr(GBytes) direct = NULL;
  TandemBoardTileStats stats;
  TandemPoint tail[2] = { { 300, 300, 1 }, { 330, 300, 1 } };

  if (zoom != 1)
    _tandem_board_canvas_set_settle_delay (f->canvas, 0);
  set_view (f, zoom, 200, 200);
  g_bytes_unref (settled_frame (f));

  id = add_stroke (f, 300, 300, FALSE);
  pixels = frame (f, NULL);
  direct = reference (f);
  g_assert_cmpuint (compare (pixels, direct).differing, <=, EXACT);
  g_clear_pointer (&pixels, g_bytes_unref);
  g_clear_pointer (&direct, g_bytes_unref);

  /* More points, then the end: no frame without the stroke, also while
   * the tiles under it are not redrawn yet (no time for them in a
   * frame: the idle redraws them). */
  _tandem_board_canvas_set_tile_budget (f->canvas, 0);
  g_assert_true (tandem_board_model_set_points (f->model, id, 30, tail, 2));
  g_assert_true (tandem_board_model_finish (f->model, id, 32));
  direct = reference (f);
  for (guint i = 0; i < 10; i++)
    {
      g_autoptr(GBytes) each = frame (f, &stats);

      g_assert_cmpuint (compare (each, direct).differing, <=, EXACT);
      run_main_loop ();
    }
  g_assert_cmpuint (stats.stand_ins, ==, 0);
  g_clear_pointer (&direct, g_bytes_unref);
  _tandem_board_canvas_set_tile_budget (f->canvas, 2000);

  /* Erased, this one and one that was in the tiles from the start: gone
   * once the tiles under them are redrawn. */
  g_assert_true (tandem_board_model_erase (f->model, id, g_get_real_time ()));
  for (guint i = 0;; i++)
    {
      g_autoptr(TandemStroke) stroke = g_list_model_get_item (G_LIST_MODEL (f->model), i);
      TandemRect bounds;

      g_assert_nonnull (stroke);
      tandem_stroke_get_bounds (stroke, &bounds);
      if (bounds.x > 220 && bounds.y > 220 && bounds.x + bounds.width < 600 && bounds.y + bounds.height < 480)
        {
          g_assert_true (tandem_board_model_erase (f->model, tandem_stroke_get_id (stroke), g_get_real_time ()));
          break;
        }
    }
  pixels = settled_frame (f);
  direct = reference (f);
  g_assert_cmpuint (compare (pixels, direct).differing, <=, EXACT);
  g_clear_pointer (&pixels, g_bytes_unref);
  g_clear_pointer (&direct, g_bytes_unref);

  /* Cleared. */
  {
    g_auto(GStrv) ids = tandem_board_model_dup_ids (f->model);

    tandem_board_model_erase_many (f->model, (const char * const *) ids, g_strv_length (ids), g_get_real_time ());
  }
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->model)), ==, 0);
  pixels = settled_frame (f);
  direct = reference (f);
  g_assert_cmpuint (compare (pixels, direct).ink_a, ==, 0);
  g_assert_cmpuint (compare (pixels, direct).ink_b, ==, 0);
}

/* With no time for tiles in a frame, a new zoom level is shown from the
 * level before (never blank), and the idle makes it current. */
static void
test_stand_ins (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GBytes) first = NULL;
  g_autoptr(GBytes) settled = NULL;
  g_autoptr(GBytes) direct = NULL;
  TandemBoardTileStats stats;
  Diff diff;

  set_view (f, 1, 400, 300);
  g_bytes_unref (settled_frame (f));
  _tandem_board_canvas_set_tile_budget (f->canvas, 0);

  /* In: level 1 from level 0's tiles. */
  set_view (f, 2, 600, 400);
  first = frame (f, &stats);
  g_assert_cmpuint (stats.built, ==, 0);
  g_assert_cmpuint (stats.stand_ins, ==, stats.in_view);
  direct = reference (f);
  diff = compare (first, direct);
  g_assert_cmpfloat (diff.mean, <=, 6);
  g_assert_cmpuint (diff.ink_a, >=, diff.ink_b / 2);
  settled = settled_frame (f);
  g_assert_cmpuint (compare (settled, direct).differing, <=, EXACT);
  g_clear_pointer (&first, g_bytes_unref);
  g_clear_pointer (&direct, g_bytes_unref);

  /* Out, past what the idle made ahead: what has no stand-in is made at
   * once, whatever the budget. */
  set_view (f, 0.125, -500, -500);
  first = frame (f, &stats);
  g_assert_cmpuint (stats.in_view, >, 0);
  direct = reference (f);
  g_assert_cmpuint (compare (first, direct).ink_a, >=, compare (first, direct).ink_b / 2);
  g_clear_pointer (&settled, g_bytes_unref);
  settled = settled_frame (f);
  g_assert_cmpuint (compare (settled, direct).differing, <=, EXACT);
}

/* Wandering over a large board keeps the cache bounded. */
static void
test_bounded (Fixture       *f,
              gconstpointer  data)
{
  TandemBoardTileStats stats = { 0 };

  for (guint i = 0; i < 60; i++)
    {
      set_view (f, i % 2 ? 6 : 3, 150.0 * i, 90.0 * i);
      g_bytes_unref (frame (f, &stats));
      run_main_loop ();
    }
  /* the capacity (256 here), and what the idle made ahead since */
  g_assert_cmpuint (stats.cached, <=, 256);
  g_assert_cmpuint (stats.cached, >, 0);
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);

  g_test_add ("/whiteboards/tiles/same-picture", Fixture, GINT_TO_POINTER (FALSE), fixture_set_up, test_same_picture,
              fixture_tear_down);
  g_test_add ("/whiteboards/tiles/same-picture-textures", Fixture, GINT_TO_POINTER (TRUE), fixture_set_up,
              test_same_picture, fixture_tear_down);
  g_test_add ("/whiteboards/tiles/changes", Fixture, GINT_TO_POINTER (FALSE), fixture_set_up, test_changes,
              fixture_tear_down);
  g_test_add ("/whiteboards/tiles/changes-settled", Fixture, GINT_TO_POINTER (TRUE), fixture_set_up, test_changes,
              fixture_tear_down);
  g_test_add ("/whiteboards/tiles/stand-ins", Fixture, NULL, fixture_set_up, test_stand_ins, fixture_tear_down);
  g_test_add ("/whiteboards/tiles/bounded", Fixture, NULL, fixture_set_up, test_bounded, fixture_tear_down);
  return g_test_run ();
}
