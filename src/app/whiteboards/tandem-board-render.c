/* tandem-board-render.c: strokes drawn with cairo
 *
 * One function draws a stroke, so the canvas, the PNG export and the
 * benchmark's naive peer show the same pixels; the SVG export
 * (tandem-board-export.c) draws the same shapes: a pen of one width is one
 * stroked path (one of varying width a filled outline here, runs of equal
 * width there), a highlighter is one translucent path, text is Pango's
 * sans-serif at the stroke's width as its size.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tandem-whiteboards"

#include "config.h"

#include <math.h>

#include <pango/pangocairo.h>

#include "tandem-board-model.h"
#include "tandem-board-render.h"
#include "tandem-stroke.h"

#define MAX_TEXTURE_SIDE 8192

static void
set_source (cairo_t      *cr,
            TandemStroke *stroke,
            double        opacity)
{
  double rgba[4];

  tandem_stroke_get_rgba (stroke, rgba);
  cairo_set_source_rgba (cr, rgba[0], rgba[1], rgba[2], rgba[3] * opacity);
}

static void
polyline (cairo_t           *cr,
          const TandemPoint *p,
          guint              from,
          guint              to)
{
  cairo_move_to (cr, p[from].x, p[from].y);
  for (guint i = from + 1; i <= to; i++)
    cairo_line_to (cr, p[i].x, p[i].y);
}

/* Hinting off: a text keeps its shape at every zoom. */
static PangoLayout *
text_layout (cairo_t      *cr,
             TandemStroke *stroke)
{
  g_autoptr(PangoFontDescription) font = pango_font_description_from_string ("Sans");
  cairo_font_options_t *options = cairo_font_options_create ();
  PangoLayout *layout;

  cairo_font_options_set_hint_metrics (options, CAIRO_HINT_METRICS_OFF);
  cairo_font_options_set_hint_style (options, CAIRO_HINT_STYLE_NONE);
  cairo_font_options_set_antialias (options, CAIRO_ANTIALIAS_GRAY);
  if (cr != NULL)
    layout = pango_cairo_create_layout (cr);
  else
    {
      PangoContext *context = pango_font_map_create_context (pango_cairo_font_map_get_default ());

      layout = pango_layout_new (context);
      g_object_unref (context);
    }
  pango_cairo_context_set_font_options (pango_layout_get_context (layout), options);
  cairo_font_options_destroy (options);
  pango_font_description_set_absolute_size (font, tandem_stroke_get_width (stroke) * PANGO_SCALE);
  pango_layout_set_font_description (layout, font);
  pango_layout_set_text (layout, tandem_stroke_get_text (stroke) ? tandem_stroke_get_text (stroke) : "", -1);
  return layout;
}

/* A pen whose width follows the pressure is one filled outline: each point
 * offset by half its width along the normal, down one side and back the
 * other, with round ends. One fill per stroke, where stroking runs of
 * equal width cost a stroke (and two round caps) per few segments, which
 * is what made a frame of a large board slow. */
static void
pen_outline (cairo_t           *cr,
             TandemStroke      *stroke,
             const TandemPoint *p,
             guint              n)
{
  g_autofree double *nx = g_new (double, n);
  g_autofree double *ny = g_new (double, n);
  double r;

  for (guint i = 0; i < n; i++)
    {
      /* The normal of the chord through the neighbours (smooth joins). */
      guint a = i > 0 ? i - 1 : 0, b = i + 1 < n ? i + 1 : n - 1;
      double dx = p[b].x - p[a].x, dy = p[b].y - p[a].y;
      double len = hypot (dx, dy);

      if (len < 1e-9 && i > 0)
        {
          nx[i] = nx[i - 1];
          ny[i] = ny[i - 1];
          continue;
        }
      nx[i] = len < 1e-9 ? 0 : -dy / len;
      ny[i] = len < 1e-9 ? 1 : dx / len;
    }

  r = tandem_stroke_get_width_at (stroke, 0) / 2;
  cairo_move_to (cr, p[0].x + nx[0] * r, p[0].y + ny[0] * r);
  for (guint i = 1; i < n; i++)
    {
      r = tandem_stroke_get_width_at (stroke, i) / 2;
      cairo_line_to (cr, p[i].x + nx[i] * r, p[i].y + ny[i] * r);
    }
  /* The round end, then back along the other side, then the round start. */
  r = tandem_stroke_get_width_at (stroke, n - 1) / 2;
  cairo_arc_negative (cr, p[n - 1].x, p[n - 1].y, r, atan2 (ny[n - 1], nx[n - 1]), atan2 (-ny[n - 1], -nx[n - 1]));
  for (guint i = n - 1; i-- > 0;)
    {
      r = tandem_stroke_get_width_at (stroke, i) / 2;
      cairo_line_to (cr, p[i].x - nx[i] * r, p[i].y - ny[i] * r);
    }
  r = tandem_stroke_get_width_at (stroke, 0) / 2;
  cairo_arc_negative (cr, p[0].x, p[0].y, r, atan2 (-ny[0], -nx[0]), atan2 (ny[0], nx[0]));
  cairo_close_path (cr);
  /* The outline may cross itself where the pen turns sharply. */
  cairo_set_fill_rule (cr, CAIRO_FILL_RULE_WINDING);
  cairo_fill (cr);
}

static void
draw_pen (cairo_t      *cr,
          TandemStroke *stroke)
{
  guint n;
  const TandemPoint *p = tandem_stroke_get_points (stroke, &n);
  double step = tandem_stroke_get_width (stroke) / 8;
  double w0;
  gboolean uniform = TRUE;

  set_source (cr, stroke, 1);
  if (n == 1)
    {
      cairo_arc (cr, p[0].x, p[0].y, tandem_stroke_get_width_at (stroke, 0) / 2, 0, 2 * G_PI);
      cairo_fill (cr);
      return;
    }
  w0 = tandem_stroke_get_width_at (stroke, 0);
  for (guint i = 1; i < n && uniform; i++)
    uniform = fabs (tandem_stroke_get_width_at (stroke, i) - w0) < step;
  if (!uniform)
    {
      pen_outline (cr, stroke, p, n);
      return;
    }
  cairo_set_line_cap (cr, CAIRO_LINE_CAP_ROUND);
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
  polyline (cr, p, 0, n - 1);
  cairo_set_line_width (cr, w0);
  cairo_stroke (cr);
}

void
tandem_board_draw_stroke (cairo_t      *cr,
                          TandemStroke *stroke)
{
  guint n;
  const TandemPoint *p;
  double x0, y0, x1, y1;

  g_return_if_fail (cr != NULL);
  g_return_if_fail (TANDEM_IS_STROKE (stroke));

  p = tandem_stroke_get_points (stroke, &n);
  if (n == 0)
    return;
  x0 = p[0].x;
  y0 = p[0].y;
  x1 = p[MIN (n, 2) - 1].x;
  y1 = p[MIN (n, 2) - 1].y;

  cairo_save (cr);
  cairo_set_line_width (cr, tandem_stroke_get_width (stroke));
  switch (tandem_stroke_get_tool (stroke))
    {
    case TANDEM_TOOL_PEN:
      draw_pen (cr, stroke);
      break;

    case TANDEM_TOOL_HIGHLIGHTER:
      set_source (cr, stroke, TANDEM_BOARD_HIGHLIGHTER_OPACITY);
      cairo_set_line_cap (cr, CAIRO_LINE_CAP_SQUARE);
      cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
      polyline (cr, p, 0, n - 1);
      if (n == 1)
        cairo_line_to (cr, x0, y0);
      cairo_stroke (cr);
      break;

    case TANDEM_TOOL_LINE:
      set_source (cr, stroke, 1);
      cairo_set_line_cap (cr, CAIRO_LINE_CAP_ROUND);
      cairo_move_to (cr, x0, y0);
      cairo_line_to (cr, x1, y1);
      cairo_stroke (cr);
      break;

    case TANDEM_TOOL_RECTANGLE:
      set_source (cr, stroke, 1);
      cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
      cairo_rectangle (cr, MIN (x0, x1), MIN (y0, y1), fabs (x1 - x0), fabs (y1 - y0));
      cairo_stroke (cr);
      break;

    case TANDEM_TOOL_ELLIPSE:
      set_source (cr, stroke, 1);
      if (fabs (x1 - x0) < 1e-3 || fabs (y1 - y0) < 1e-3)
        {
          /* Flat: the line it has become. */
          cairo_set_line_cap (cr, CAIRO_LINE_CAP_ROUND);
          cairo_move_to (cr, x0, y0);
          cairo_line_to (cr, x1, y1);
        }
      else
        {
          cairo_save (cr);
          cairo_translate (cr, (x0 + x1) / 2, (y0 + y1) / 2);
          cairo_scale (cr, fabs (x1 - x0) / 2, fabs (y1 - y0) / 2);
          cairo_arc (cr, 0, 0, 1, 0, 2 * G_PI);
          cairo_restore (cr);
        }
      cairo_stroke (cr);
      break;

    case TANDEM_TOOL_TEXT:
      {
        g_autoptr(PangoLayout) layout = text_layout (cr, stroke);

        set_source (cr, stroke, 1);
        cairo_move_to (cr, x0, y0);
        pango_cairo_show_layout (cr, layout);
        break;
      }

    case TANDEM_TOOL_ERASER:
    default:
      break;
    }
  cairo_restore (cr);
}

void
tandem_board_stroke_extent (TandemStroke    *stroke,
                            graphene_rect_t *extent)
{
  TandemRect bounds;

  g_return_if_fail (TANDEM_IS_STROKE (stroke));
  g_return_if_fail (extent != NULL);

  tandem_stroke_get_bounds (stroke, &bounds);
  graphene_rect_init (extent, bounds.x, bounds.y, bounds.width, bounds.height);
  if (tandem_stroke_get_tool (stroke) == TANDEM_TOOL_TEXT && tandem_stroke_get_n_points (stroke) > 0)
    {
      g_autoptr(PangoLayout) layout = text_layout (NULL, stroke);
      PangoRectangle ink, logical;
      graphene_rect_t measured;

      pango_layout_get_extents (layout, &ink, &logical);
      pango_extents_to_pixels (&ink, NULL);
      pango_extents_to_pixels (&logical, NULL);
      gdk_rectangle_union ((GdkRectangle *) &ink, (GdkRectangle *) &logical, (GdkRectangle *) &ink);
      graphene_rect_init (&measured, bounds.x + ink.x, bounds.y + ink.y, ink.width, ink.height);
      graphene_rect_union (extent, &measured, extent);
    }
  graphene_rect_inset (extent, -1, -1);
}

GdkTexture *
tandem_board_render_texture (TandemBoardModel *model,
                             double            padding,
                             double            scale,
                             GError          **error)
{
  g_autoptr(GskRenderer) renderer = NULL;
  g_autoptr(GskRenderNode) node = NULL;
  cairo_t *cr;
  GdkTexture *texture;
  TandemRect box;
  double width, height;
  guint n;

  g_return_val_if_fail (TANDEM_IS_BOARD_MODEL (model), NULL);
  g_return_val_if_fail (scale > 0, NULL);

  if (!tandem_board_model_get_bounds (model, &box))
    box = (TandemRect) { 0, 0, 1, 1 };
  padding = MAX (padding, 0);
  box.x -= padding;
  box.y -= padding;
  box.width += 2 * padding;
  box.height += 2 * padding;
  scale = MIN (scale, MAX_TEXTURE_SIDE / MAX (box.width, box.height));
  /* Whole pixels, from a whole board unit: the same board gives the same
   * picture. */
  box.x = floor (box.x);
  box.y = floor (box.y);
  width = MAX (1, ceil (box.width * scale));
  height = MAX (1, ceil (box.height * scale));

  /* One cairo node in pixels: drawn at the picture's scale, where a node
   * per stroke in board units would be resampled. */
  node = gsk_cairo_node_new (&GRAPHENE_RECT_INIT (0, 0, width, height));
  cr = gsk_cairo_node_get_draw_context (node);
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_paint (cr);
  cairo_scale (cr, scale, scale);
  cairo_translate (cr, -box.x, -box.y);
  n = g_list_model_get_n_items (G_LIST_MODEL (model));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(TandemStroke) stroke = g_list_model_get_item (G_LIST_MODEL (model), i);

      tandem_board_draw_stroke (cr, stroke);
    }
  cairo_destroy (cr);

  renderer = gsk_cairo_renderer_new ();
  if (!gsk_renderer_realize (renderer, NULL, error))
    return NULL;
  texture = gsk_renderer_render_texture (renderer, node, &GRAPHENE_RECT_INIT (0, 0, width, height));
  gsk_renderer_unrealize (renderer);
  return texture;
}
