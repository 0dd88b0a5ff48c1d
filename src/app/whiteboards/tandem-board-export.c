/* tandem-board-export.c: a whiteboard as an SVG document, without GTK
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tandem-whiteboards"

#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gi18n.h>

#include "tandem-board-export.h"
#include "tandem-board-model.h"
#include "tandem-stroke.h"

/* Numbers in the locale-independent shortest form SVG readers accept. */
static void
append_number (GString *svg,
               double   value)
{
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];

  /* Two decimals are the wire's precision. */
  g_ascii_formatd (buffer, sizeof buffer, "%.2f", value);
  /* Trim "1.50" to "1.5" and "2.00" to "2". */
  if (strchr (buffer, '.') != NULL)
    {
      char *end = buffer + strlen (buffer) - 1;

      while (*end == '0')
        *end-- = '\0';
      if (*end == '.')
        *end = '\0';
    }
  g_string_append (svg, g_str_equal (buffer, "-0") ? "0" : buffer);
}

static void
append_attr (GString    *svg,
             const char *name,
             double      value)
{
  g_string_append_printf (svg, " %s=\"", name);
  append_number (svg, value);
  g_string_append_c (svg, '"');
}

/* The color without alpha, and its alpha as an opacity. */
static void
append_paint (GString      *svg,
              const char   *attribute,
              TandemStroke *stroke,
              double        extra_opacity)
{
  const char *color = tandem_stroke_get_color (stroke);
  double rgba[4];

  tandem_stroke_get_rgba (stroke, rgba);
  g_string_append_printf (svg, " %s=\"%.7s\"", attribute, color);
  if (rgba[3] * extra_opacity < 1)
    {
      g_string_append_printf (svg, " %s-opacity=\"", attribute);
      append_number (svg, rgba[3] * extra_opacity);
      g_string_append_c (svg, '"');
    }
}

static void
append_polyline (GString           *svg,
                 const TandemPoint *points,
                 guint              from,
                 guint              to)
{
  g_string_append (svg, " d=\"M");
  for (guint i = from; i <= to; i++)
    {
      if (i > from)
        g_string_append (svg, " L");
      append_number (svg, points[i].x);
      g_string_append_c (svg, ' ');
      append_number (svg, points[i].y);
    }
  g_string_append_c (svg, '"');
}

/* A pen's width follows the pressure: runs of segments of about the same
 * width (an eighth of the range) share one path, which keeps the file
 * small without visible steps. */
static void
append_pen (GString      *svg,
            TandemStroke *stroke)
{
  guint n;
  const TandemPoint *points = tandem_stroke_get_points (stroke, &n);
  guint start = 0;

  if (n == 1)
    {
      g_string_append (svg, "  <circle");
      append_attr (svg, "cx", points[0].x);
      append_attr (svg, "cy", points[0].y);
      append_attr (svg, "r", tandem_stroke_get_width_at (stroke, 0) / 2);
      append_paint (svg, "fill", stroke, 1);
      g_string_append (svg, "/>\n");
      return;
    }
  while (start + 1 < n)
    {
      double width = tandem_stroke_get_width_at (stroke, start);
      double step = tandem_stroke_get_width (stroke) / 8;
      guint end = start + 1;

      while (end + 1 < n && fabs (tandem_stroke_get_width_at (stroke, end) - width) < step)
        end++;
      g_string_append (svg, "  <path fill=\"none\" stroke-linecap=\"round\" stroke-linejoin=\"round\"");
      append_paint (svg, "stroke", stroke, 1);
      append_attr (svg, "stroke-width", width);
      append_polyline (svg, points, start, end);
      g_string_append (svg, "/>\n");
      start = end;
    }
}

static void
append_stroke (GString      *svg,
               TandemStroke *stroke)
{
  guint n;
  const TandemPoint *p = tandem_stroke_get_points (stroke, &n);

  if (n == 0)
    return;

  switch (tandem_stroke_get_tool (stroke))
    {
    case TANDEM_TOOL_PEN:
      append_pen (svg, stroke);
      break;

    case TANDEM_TOOL_HIGHLIGHTER:
      g_string_append (svg, "  <path fill=\"none\" stroke-linecap=\"square\" stroke-linejoin=\"round\"");
      /* As the canvas draws it: translucent, so what is under shows. */
      append_paint (svg, "stroke", stroke, 0.4);
      append_attr (svg, "stroke-width", tandem_stroke_get_width (stroke));
      append_polyline (svg, p, 0, n - 1);
      g_string_append (svg, "/>\n");
      break;

    case TANDEM_TOOL_LINE:
      g_string_append (svg, "  <line stroke-linecap=\"round\"");
      append_attr (svg, "x1", p[0].x);
      append_attr (svg, "y1", p[0].y);
      append_attr (svg, "x2", p[MIN (n, 2) - 1].x);
      append_attr (svg, "y2", p[MIN (n, 2) - 1].y);
      append_paint (svg, "stroke", stroke, 1);
      append_attr (svg, "stroke-width", tandem_stroke_get_width (stroke));
      g_string_append (svg, "/>\n");
      break;

    case TANDEM_TOOL_RECTANGLE:
    case TANDEM_TOOL_ELLIPSE:
      {
        double x0 = p[0].x, y0 = p[0].y;
        double x1 = p[MIN (n, 2) - 1].x, y1 = p[MIN (n, 2) - 1].y;

        if (tandem_stroke_get_tool (stroke) == TANDEM_TOOL_RECTANGLE)
          {
            g_string_append (svg, "  <rect fill=\"none\" stroke-linejoin=\"round\"");
            append_attr (svg, "x", MIN (x0, x1));
            append_attr (svg, "y", MIN (y0, y1));
            append_attr (svg, "width", fabs (x1 - x0));
            append_attr (svg, "height", fabs (y1 - y0));
          }
        else
          {
            g_string_append (svg, "  <ellipse fill=\"none\"");
            append_attr (svg, "cx", (x0 + x1) / 2);
            append_attr (svg, "cy", (y0 + y1) / 2);
            append_attr (svg, "rx", fabs (x1 - x0) / 2);
            append_attr (svg, "ry", fabs (y1 - y0) / 2);
          }
        append_paint (svg, "stroke", stroke, 1);
        append_attr (svg, "stroke-width", tandem_stroke_get_width (stroke));
        g_string_append (svg, "/>\n");
        break;
      }

    case TANDEM_TOOL_TEXT:
      {
        g_auto(GStrv) lines = g_strsplit (tandem_stroke_get_text (stroke) ? tandem_stroke_get_text (stroke) : "",
                                          "\n", -1);
        double size = tandem_stroke_get_width (stroke);

        g_string_append (svg, "  <text font-family=\"sans-serif\" xml:space=\"preserve\"");
        append_attr (svg, "font-size", size);
        append_paint (svg, "fill", stroke, 1);
        g_string_append (svg, ">");
        /* The point is the box's top left; SVG places the baseline. */
        for (guint i = 0; lines[i] != NULL; i++)
          {
            g_autofree char *escaped = g_markup_escape_text (lines[i], -1);

            g_string_append (svg, "<tspan");
            append_attr (svg, "x", p[0].x);
            append_attr (svg, "y", p[0].y + size * (1 + 1.25 * i));
            g_string_append_printf (svg, ">%s</tspan>", escaped);
          }
        g_string_append (svg, "</text>\n");
        break;
      }

    case TANDEM_TOOL_ERASER:
    default:
      break;
    }
}

char *
tandem_board_export_to_svg (TandemBoardModel *model,
                            const TandemRect *area,
                            double            padding,
                            const char       *background)
{
  g_autoptr(GString) svg = g_string_new ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
  g_autofree char *title = NULL;
  TandemRect box;
  guint n;

  g_return_val_if_fail (TANDEM_IS_BOARD_MODEL (model), NULL);
  g_return_val_if_fail (background == NULL || tandem_stroke_color_is_valid (background), NULL);

  if (area != NULL)
    box = *area;
  else if (tandem_board_model_get_bounds (model, &box))
    {
      padding = MAX (padding, 0);
      box.x -= padding;
      box.y -= padding;
      box.width += 2 * padding;
      box.height += 2 * padding;
    }
  else
    box = (TandemRect) { 0, 0, 1, 1 };
  box.width = MAX (box.width, 1);
  box.height = MAX (box.height, 1);

  g_string_append (svg, "<svg xmlns=\"http://www.w3.org/2000/svg\"");
  append_attr (svg, "width", box.width);
  append_attr (svg, "height", box.height);
  g_string_append (svg, " viewBox=\"");
  append_number (svg, box.x);
  g_string_append_c (svg, ' ');
  append_number (svg, box.y);
  g_string_append_c (svg, ' ');
  append_number (svg, box.width);
  g_string_append_c (svg, ' ');
  append_number (svg, box.height);
  g_string_append (svg, "\">\n");
  title = g_markup_escape_text (_("Whiteboard"), -1);
  g_string_append_printf (svg, "  <title>%s</title>\n", title);
  if (background != NULL)
    {
      g_string_append (svg, "  <rect");
      append_attr (svg, "x", box.x);
      append_attr (svg, "y", box.y);
      append_attr (svg, "width", box.width);
      append_attr (svg, "height", box.height);
      g_string_append_printf (svg, " fill=\"%.7s\"/>\n", background);
    }

  n = g_list_model_get_n_items (G_LIST_MODEL (model));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(TandemStroke) stroke = g_list_model_get_item (G_LIST_MODEL (model), i);

      append_stroke (svg, stroke);
    }
  g_string_append (svg, "</svg>\n");
  return g_string_free (g_steal_pointer (&svg), FALSE);
}
