/* tandem-chart-frame.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tandem-chart-frame"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "tandem-chart-frame-private.h"
#include "tandem-chart-style.h"
#include "tandem-series.h"

#define PAD          6
#define TICK_LENGTH  4
#define MIN_Y_GAP    32   /* px between value ticks */
#define X_LABEL_GAP  24   /* px between time labels */

void
_tandem_chart_labels_init (TandemChartLabels *labels)
{
  memset (labels, 0, sizeof *labels);
  labels->layouts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
}

void
_tandem_chart_labels_clear (TandemChartLabels *labels)
{
  g_clear_pointer (&labels->layouts, g_hash_table_unref);
  g_clear_object (&labels->context);
}

PangoLayout *
_tandem_chart_labels_get (TandemChartLabels *labels,
                          GtkWidget         *widget,
                          const char        *text,
                          int               *width,
                          int               *height)
{
  PangoContext *context = gtk_widget_get_pango_context (widget);
  PangoLayout *layout;
  PangoRectangle logical;

  if (context != labels->context || g_hash_table_size (labels->layouts) > 256)
    {
      g_hash_table_remove_all (labels->layouts);
      g_set_object (&labels->context, context);
      labels->line_height = 0;
    }

  layout = g_hash_table_lookup (labels->layouts, text);
  if (layout == NULL)
    {
      g_autoptr(PangoFontDescription) font =
        pango_font_description_copy (pango_context_get_font_description (context));
      int size = pango_font_description_get_size (font);

      if (size <= 0)
        size = 10 * PANGO_SCALE;
      if (pango_font_description_get_size_is_absolute (font))
        pango_font_description_set_absolute_size (font, size * 0.85);
      else
        pango_font_description_set_size (font, (int) (size * 0.85));

      layout = pango_layout_new (context);
      pango_layout_set_font_description (layout, font);
      _tandem_chart_layout_set_tabular (layout);
      pango_layout_set_text (layout, text, -1);
      g_hash_table_insert (labels->layouts, g_strdup (text), layout);
    }
  pango_layout_get_pixel_extents (layout, NULL, &logical);
  if (width != NULL)
    *width = logical.width;
  if (height != NULL)
    *height = logical.height;
  return layout;
}

static int
line_height (TandemChartLabels *labels,
             GtkWidget         *widget)
{
  if (labels->line_height == 0)
    _tandem_chart_labels_get (labels, widget, "0123456789", NULL, &labels->line_height);
  return labels->line_height;
}

/* Min and max of the shown points within [t0, t1]. */
static gboolean
value_range (TandemChart *chart,
             gint64       t0,
             gint64       t1,
             double      *v0,
             double      *v1)
{
  double lo = G_MAXDOUBLE, hi = -G_MAXDOUBLE;
  gboolean any = FALSE;

  for (guint i = 0; i < tandem_chart_get_n_series (chart); i++)
    {
      TandemSeries *s = tandem_chart_get_shown_series (chart, i);
      guint a = tandem_series_lower_bound (s, t0);
      guint b = t1 == G_MAXINT64 ? tandem_series_get_n_points (s) : tandem_series_lower_bound (s, t1 + 1);
      double smin, smax;

      if (tandem_series_range_minmax (s, a, b, &smin, &smax, NULL))
        {
          lo = MIN (lo, smin);
          hi = MAX (hi, smax);
          any = TRUE;
        }
    }
  *v0 = lo;
  *v1 = hi;
  return any;
}

void
_tandem_chart_frame_compute (TandemChartFrame  *frame,
                             TandemChart       *chart,
                             TandemChartLabels *labels,
                             int                width,
                             int                height,
                             gint64             bucket,
                             gboolean           include_zero)
{
  GtkWidget *widget = GTK_WIDGET (chart);
  int lh = line_height (labels, widget);
  int label_w = 0;
  double plot_h, plot_w;
  guint max_y, max_x;

  memset (frame, 0, sizeof *frame);
  frame->width = width;
  frame->height = height;

  if (!tandem_chart_get_time_range (chart, &frame->t0, &frame->t1))
    return;
  if (!value_range (chart, frame->t0, frame->t1, &frame->v0, &frame->v1))
    {
      if (tandem_chart_get_time_span (chart) == 0)
        return;
      /* The span holds no point: an empty axis. */
      frame->v0 = 0;
      frame->v1 = 1;
    }
  frame->t1 += bucket;
  if (frame->t1 <= frame->t0)
    {
      /* One instant: a second around it. */
      frame->t0 -= G_USEC_PER_SEC / 2;
      frame->t1 += G_USEC_PER_SEC / 2;
    }
  if (include_zero)
    {
      frame->v0 = MIN (frame->v0, 0);
      frame->v1 = MAX (frame->v1, 0);
    }

  plot_h = height - PAD - lh - TICK_LENGTH - PAD;
  if (plot_h < 8)
    return;
  max_y = (guint) MAX (2, plot_h / MIN_Y_GAP + 1);
  tandem_ticks_compute_bounds (&frame->v0, &frame->v1, max_y, &frame->yticks);

  for (guint i = 0; i < frame->yticks.n_ticks; i++)
    {
      g_autofree char *text = tandem_ticks_format (&frame->yticks,
                                                   frame->yticks.first + frame->yticks.step * i);
      int w;

      _tandem_chart_labels_get (labels, widget, text, &w, NULL);
      label_w = MAX (label_w, w);
    }

  plot_w = width - PAD - label_w - PAD - PAD;
  if (plot_w < 8)
    return;

  /* Time labels are about as wide as "00:00:00"; leave a gap between. */
  {
    int w;

    _tandem_chart_labels_get (labels, widget, "00:00:00", &w, NULL);
    max_x = (guint) MAX (2, plot_w / (w + X_LABEL_GAP));
  }
  tandem_time_ticks_compute (frame->t0, frame->t1, max_x,
                             tandem_chart_get_time_zone (chart), &frame->xticks);

  frame->plot = GRAPHENE_RECT_INIT (PAD + label_w + PAD, PAD + lh / 2,
                                    floor (plot_w), floor (plot_h - lh / 2));
  frame->has_data = TRUE;
}

static void
append_label (GtkSnapshot   *snapshot,
              PangoLayout   *layout,
              double         x,
              double         y,
              const GdkRGBA *color)
{
  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (round (x), round (y)));
  gtk_snapshot_append_layout (snapshot, layout, color);
  gtk_snapshot_restore (snapshot);
}

void
_tandem_chart_frame_snapshot_grid (const TandemChartFrame *frame,
                                   TandemChart            *chart,
                                   TandemChartLabels      *labels,
                                   GtkSnapshot            *snapshot)
{
  GtkWidget *widget = GTK_WIDGET (chart);
  gboolean dark = tandem_chart_get_dark (chart);
  const graphene_rect_t *p = &frame->plot;
  double bottom = p->origin.y + p->size.height;
  double last_label_end = -G_MAXDOUBLE;
  GdkRGBA grid, dim;

  if (!frame->has_data)
    return;
  tandem_chart_style_get_grid (dark, &grid);
  tandem_chart_style_get_dim (dark, &dim);

  /* Value axis: a line per tick, labels right-aligned left of the plot. */
  for (guint i = 0; i < frame->yticks.n_ticks; i++)
    {
      double v = frame->yticks.first + frame->yticks.step * i;
      double y = floor (_tandem_chart_frame_y (frame, v));
      g_autofree char *text = tandem_ticks_format (&frame->yticks, v);
      PangoLayout *layout;
      int w, h;

      y = CLAMP (y, p->origin.y, bottom - 1);
      gtk_snapshot_append_color (snapshot, &grid, &GRAPHENE_RECT_INIT (p->origin.x, y, p->size.width, 1));
      layout = _tandem_chart_labels_get (labels, widget, text, &w, &h);
      append_label (snapshot, layout, p->origin.x - PAD - w, y - h / 2.0, &dim);
    }

  /* Time axis: ticks below the plot with their labels, skipping a label
   * that would touch the previous one. */
  gtk_snapshot_append_color (snapshot, &grid, &GRAPHENE_RECT_INIT (p->origin.x, bottom - 1, p->size.width, 1));
  for (guint i = 0; i < frame->xticks.n_ticks; i++)
    {
      gint64 t = frame->xticks.first + frame->xticks.step * (gint64) i;
      double x = floor (_tandem_chart_frame_x (frame, t));
      g_autofree char *text = tandem_time_ticks_format (&frame->xticks, t,
                                                        tandem_chart_get_time_zone (chart));
      PangoLayout *layout;
      double lx;
      int w;

      if (x < p->origin.x || x > p->origin.x + p->size.width)
        continue;
      gtk_snapshot_append_color (snapshot, &grid, &GRAPHENE_RECT_INIT (x, bottom, 1, TICK_LENGTH));
      layout = _tandem_chart_labels_get (labels, widget, text, &w, NULL);
      lx = CLAMP (x - w / 2.0, 0, frame->width - w);
      if (lx < last_label_end + PAD)
        continue;
      append_label (snapshot, layout, lx, bottom + TICK_LENGTH, &dim);
      last_label_end = lx + w;
    }
}

void
_tandem_chart_snapshot_empty (TandemChart       *chart,
                              TandemChartLabels *labels,
                              GtkSnapshot       *snapshot,
                              int                width,
                              int                height)
{
  GdkRGBA dim;
  PangoLayout *layout;
  int w, h;

  tandem_chart_style_get_dim (tandem_chart_get_dark (chart), &dim);
  layout = _tandem_chart_labels_get (labels, GTK_WIDGET (chart), _("No data"), &w, &h);
  append_label (snapshot, layout, (width - w) / 2.0, (height - h) / 2.0, &dim);
}

void
_tandem_chart_layout_set_tabular (PangoLayout *layout)
{
  PangoAttrList *attrs = pango_attr_list_new ();

  /* Digits of one width, so labels do not jitter as values change. */
  pango_attr_list_insert (attrs, pango_attr_font_features_new ("tnum=1"));
  pango_layout_set_attributes (layout, attrs);
  pango_attr_list_unref (attrs);
}

char *
_tandem_chart_format_value (double value)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  /* The shortest text that reads back as the same double. */
  for (int digits = 1; digits <= 17; digits++)
    {
      g_snprintf (buf, sizeof buf, "%.*g", digits, value);
      if (g_strtod (buf, NULL) == value)
        break;
    }
  return g_strdup (buf);
}
