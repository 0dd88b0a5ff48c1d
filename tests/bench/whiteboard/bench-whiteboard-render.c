/* bench-whiteboard-render.c: what a frame of the whiteboard canvas costs
 *
 * A board of 10,000 and of 100,000 pen segments (strokes of 50 points,
 * pressure varying, spread over 6000 × 4000 board units), viewed at
 * 1280 × 800 while panning at 100 % and while zooming from 30 % (the
 * whole board) to 250 % and back. Each frame is the canvas's snapshot
 * (_tandem_board_canvas_build_node(): cached tiles, the strokes over them)
 * rendered offscreen with the cairo renderer, against a naive peer that
 * draws every stroke every frame, without cache or cull, into one cairo
 * node. Frames come at 60 Hz as a frame clock gives them: what is left of
 * a frame's 16.7 ms goes to the main loop, where the canvas makes the
 * tiles a frame had no time for (a frame that takes longer is followed
 * at once). Prints median, p99 and the worst frame per case, how many
 * frames showed a tile stale or from another zoom level, and after the
 * motion how many more frames until every tile in view was current (at
 * the zoom itself, once it has settled).
 *
 *   xvfb-run -a env GSK_RENDERER=cairo BUILDDIR/tests/bench/whiteboard/bench-whiteboard-render [frames]
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <stdlib.h>

#include <gtk/gtk.h>

#include "tandem-board-canvas-private.h"
#include "tandem-board-model.h"
#include "tandem-board-render.h"
#include "tandem-stroke.h"

#define WIDTH          1280
#define HEIGHT         800
#define BOARD_W        6000.0
#define BOARD_H        4000.0
#define STROKE_POINTS  51     /* 50 segments */
#define FRAME_US       16667
#define SETTLE_FRAMES  60     /* frames watched after the motion */

static TandemBoardModel *
make_board (guint n_segments)
{
  TandemBoardModel *model = tandem_board_model_new ();
  guint n_strokes = n_segments / (STROKE_POINTS - 1);
  GRand *rand = g_rand_new_with_seed (42);
  static const char *colors[] = { "#1c1c1c", "#e01b24", "#3584e4", "#33d17a" };

  for (guint i = 0; i < n_strokes; i++)
    {
      g_autofree char *id = g_uuid_string_random ();
      g_autoptr(TandemStroke) stroke = tandem_stroke_new (id, "00000000-0000-4000-8000-000000000001",
                                                          TANDEM_TOOL_PEN, colors[i % 4],
                                                          g_rand_double_range (rand, 2, 8), 1000 + i);
      TandemPoint points[STROKE_POINTS];
      double x = g_rand_double_range (rand, 0, BOARD_W), y = g_rand_double_range (rand, 0, BOARD_H);
      double angle = g_rand_double_range (rand, 0, 2 * G_PI);

      for (guint j = 0; j < STROKE_POINTS; j++)
        {
          angle += g_rand_double_range (rand, -0.3, 0.3);
          x += 4 * cos (angle);
          y += 4 * sin (angle);
          points[j] = (TandemPoint) { x, y, 0.3 + 0.7 * fabs (sin (j / 7.0)) };
        }
      tandem_board_model_add (model, stroke);
      tandem_board_model_set_points (model, id, 0, points, STROKE_POINTS);
      tandem_board_model_finish (model, id, STROKE_POINTS);
    }
  g_rand_free (rand);
  return model;
}

typedef struct
{
  double zoom, x, y;
} View;

/* Panning at 100 %, or zooming out and in about the board's middle. */
static View
view_at (gboolean zooming,
         guint    frame,
         guint    n_frames)
{
  double t = (double) frame / MAX (n_frames - 1, 1);

  if (!zooming)
    return (View) { 1, 500 + t * (BOARD_W - WIDTH - 1000), 400 + 0.5 * t * (BOARD_H - HEIGHT - 800) };
  {
    /* 30 % → 250 % → 30 %, geometric */
    double u = t < 0.5 ? 2 * t : 2 - 2 * t;
    double zoom = 0.3 * pow (2.5 / 0.3, u);

    return (View) { zoom, BOARD_W / 2 - WIDTH / 2.0 / zoom, BOARD_H / 2 - HEIGHT / 2.0 / zoom };
  }
}

/* Every stroke, every frame, into one node. */
static GskRenderNode *
naive_node (TandemBoardModel *model,
            View              view)
{
  GskRenderNode *node = gsk_cairo_node_new (&GRAPHENE_RECT_INIT (0, 0, WIDTH, HEIGHT));
  cairo_t *cr = gsk_cairo_node_get_draw_context (node);
  guint n = g_list_model_get_n_items (G_LIST_MODEL (model));

  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_paint (cr);
  cairo_scale (cr, view.zoom, view.zoom);
  cairo_translate (cr, -view.x, -view.y);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(TandemStroke) stroke = g_list_model_get_item (G_LIST_MODEL (model), i);

      tandem_board_draw_stroke (cr, stroke);
    }
  cairo_destroy (cr);
  return node;
}

static int
compare_double (const void *a,
                const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

/* The rest of a 60 Hz frame that began at @start, to the main loop. */
static void
idle_until_next_frame (gint64 start)
{
  gint64 left;

  while ((left = start + FRAME_US - g_get_monotonic_time ()) > 0)
    if (!g_main_context_iteration (NULL, FALSE))
      g_usleep ((gulong) MIN (left, 500));
}

static void
run_case (GskRenderer       *renderer,
          TandemBoardModel  *model,
          TandemBoardCanvas *canvas,
          guint              n_segments,
          gboolean           zooming,
          gboolean           naive,
          guint              n_frames)
{
  g_autofree double *ms = g_new (double, n_frames);
  g_autofree char *drawn_text = NULL;
  g_autofree char *stand_in_text = NULL;
  double total = 0;
  guint drawn_max = 0, n_stand_in_frames = 0, settle = 0;

  for (guint f = 0; f < n_frames; f++)
    {
      View view = view_at (zooming, f, n_frames);
      g_autoptr(GskRenderNode) node = NULL;
      g_autoptr(GdkTexture) texture = NULL;
      gint64 start = g_get_monotonic_time ();

      if (naive)
        node = naive_node (model, view);
      else
        {
          TandemBoardTileStats tiles;
          guint drawn;

          tandem_board_canvas_set_zoom (canvas, view.zoom);
          tandem_board_canvas_set_origin (canvas, view.x, view.y);
          node = _tandem_board_canvas_build_node (canvas, WIDTH, HEIGHT);
          _tandem_board_canvas_get_frame_stats (canvas, &drawn, NULL, NULL);
          _tandem_board_canvas_get_tile_stats (canvas, &tiles);
          drawn_max = MAX (drawn_max, drawn);
          n_stand_in_frames += tiles.stand_ins > 0;
        }
      texture = gsk_renderer_render_texture (renderer, node, &GRAPHENE_RECT_INIT (0, 0, WIDTH, HEIGHT));
      ms[f] = (g_get_monotonic_time () - start) / 1000.0;
      total += ms[f];
      idle_until_next_frame (start);
    }

  /* The view holds still for a second: frames until the last that
   * showed a tile stale or stood in for (the zoom settles after 150 ms,
   * and tiles at the zoom itself are made then). */
  if (!naive)
    for (guint k = 0; k < SETTLE_FRAMES; k++)
      {
        g_autoptr(GskRenderNode) node = _tandem_board_canvas_build_node (canvas, WIDTH, HEIGHT);
        TandemBoardTileStats tiles;
        gint64 start = g_get_monotonic_time ();

        _tandem_board_canvas_get_tile_stats (canvas, &tiles);
        if (tiles.stand_ins > 0)
          settle = k + 1;
        idle_until_next_frame (start);
      }

  qsort (ms, n_frames, sizeof *ms, compare_double);
  drawn_text = naive ? g_strdup ("all") : g_strdup_printf ("≤ %u", drawn_max);
  stand_in_text = naive ? g_strdup ("") : g_strdup_printf ("%u, +%u", n_stand_in_frames, settle);
  g_print ("| %8u | %-6s | %-6s | %6u | %7.2f | %7.2f | %7.2f | %7.2f | %13s | %12s |\n",
           n_segments, zooming ? "zoom" : "pan", naive ? "naive" : "canvas", n_frames,
           ms[n_frames / 2], ms[MIN (n_frames - 1, (guint) ceil (0.99 * n_frames) - 1)], ms[n_frames - 1],
           total / n_frames, drawn_text, stand_in_text);
}

int
main (int   argc,
      char *argv[])
{
  guint n_frames = argc > 1 ? (guint) atoi (argv[1]) : 120;
  const guint sizes[] = { 10000, 100000 };
  g_autoptr(GskRenderer) renderer = NULL;
  g_autoptr(GError) error = NULL;

  gtk_init ();
  renderer = gsk_cairo_renderer_new ();
  if (!gsk_renderer_realize (renderer, NULL, &error))
    g_error ("cairo renderer: %s", error->message);

  g_print ("Whiteboard frame time at %d × %d, cairo renderer (ms per frame: snapshot + render)\n\n", WIDTH, HEIGHT);
  g_print ("| segments | motion | method | frames |  median |     p99 |   worst |    mean | strokes in view | stand-in frames, +settle |\n");
  g_print ("|---------:|--------|--------|-------:|--------:|--------:|--------:|--------:|--------------:|-------------:|\n");
  for (guint i = 0; i < G_N_ELEMENTS (sizes); i++)
    {
      g_autoptr(TandemBoardModel) model = make_board (sizes[i]);
      GtkWidget *canvas = g_object_ref_sink (tandem_board_canvas_new_for_model (model));

      for (int zooming = 0; zooming <= 1; zooming++)
        {
          run_case (renderer, model, TANDEM_BOARD_CANVAS (canvas), sizes[i], zooming, FALSE, n_frames);
          run_case (renderer, model, TANDEM_BOARD_CANVAS (canvas), sizes[i], zooming, TRUE,
                    sizes[i] > 10000 ? MAX (n_frames / 4, 10) : n_frames);
        }
      g_object_unref (canvas);
    }
  gsk_renderer_unrealize (renderer);
  return 0;
}
