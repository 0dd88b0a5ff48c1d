/* tandem-value-chart.c
 *
 * One layer: the value in large type, the series label under it, and the
 * trend: a triangle (up, down) or a bar (same) and the change since the
 * previous point, coloured.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tandem-value-chart"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "tandem-value-chart.h"
#include "tandem-chart-frame-private.h"
#include "tandem-chart-style.h"
#include "tandem-series.h"

struct _TandemValueChart
{
  TandemChart    parent_instance;

  PangoLayout   *value_layout;
  PangoLayout   *trend_layout;
  PangoLayout   *label_layout;
  PangoContext  *context;
};

G_DEFINE_FINAL_TYPE (TandemValueChart, tandem_value_chart, TANDEM_TYPE_CHART)

gboolean
tandem_value_chart_get_value (TandemValueChart *self,
                              double           *value,
                              double           *previous)
{
  TandemChart *chart = TANDEM_CHART (self);
  TandemSeries *s;
  guint n;

  g_return_val_if_fail (TANDEM_IS_VALUE_CHART (self), FALSE);

  if (tandem_chart_get_n_series (chart) == 0)
    return FALSE;
  s = tandem_chart_get_shown_series (chart, 0);
  n = tandem_series_get_n_points (s);
  if (n == 0)
    return FALSE;
  if (value != NULL)
    *value = tandem_series_get_value (s, n - 1);
  if (previous != NULL)
    {
      if (n < 2)
        return FALSE;
      *previous = tandem_series_get_value (s, n - 2);
    }
  return TRUE;
}

/* Display text: few digits, thousands separated by the locale. */
static char *
format_display (double value)
{
  double a = fabs (value);

  if (a >= 1e6 || (a < 1e-3 && a > 0))
    return g_strdup_printf ("%.3g", value);
  if (a >= 100 || value == floor (value))
    return g_strdup_printf ("%'.0f", value);
  return g_strdup_printf ("%.3g", value);
}

char *
tandem_value_chart_dup_text (TandemValueChart *self)
{
  double value;

  g_return_val_if_fail (TANDEM_IS_VALUE_CHART (self), NULL);

  if (!tandem_value_chart_get_value (self, &value, NULL))
    /* Translators: a value widget with no value yet. */
    return g_strdup (C_("value", "—"));
  return format_display (value);
}

char *
tandem_value_chart_dup_trend (TandemValueChart *self)
{
  g_autofree char *delta_text = NULL;
  double value, previous, delta;

  g_return_val_if_fail (TANDEM_IS_VALUE_CHART (self), NULL);

  if (!tandem_value_chart_get_value (self, &value, &previous))
    return g_strdup ("");
  delta = value - previous;
  delta_text = format_display (fabs (delta));
  if (delta == 0)
    /* Translators: the trend of a value that did not change. */
    return g_strdup (_("no change"));
  if (previous != 0)
    {
      double percent = delta / fabs (previous) * 100.0;

      const char *sign = delta > 0 ? "+" : "−";

      /* Translators: the trend of a value: sign, change, sign, change in
       * percent, e.g. "+2.5 (+25%)". */
      return g_strdup_printf (_("%s%s (%s%.3g%%)"), sign, delta_text, sign, fabs (percent));
    }
  return g_strdup_printf ("%s%s", delta > 0 ? "+" : "−", delta_text);
}

static PangoLayout *
make_layout (PangoContext *context,
             double        scale,
             gboolean      bold)
{
  g_autoptr(PangoFontDescription) font =
    pango_font_description_copy (pango_context_get_font_description (context));
  PangoLayout *layout = pango_layout_new (context);
  int size = pango_font_description_get_size (font);

  if (size <= 0)
    size = 10 * PANGO_SCALE;
  pango_font_description_set_size (font, (int) (size * scale));
  if (bold)
    pango_font_description_set_weight (font, PANGO_WEIGHT_BOLD);
  pango_layout_set_font_description (layout, font);
  _tandem_chart_layout_set_tabular (layout);
  return layout;
}

static void
ensure_layouts (TandemValueChart *self)
{
  PangoContext *context = gtk_widget_get_pango_context (GTK_WIDGET (self));

  if (context == self->context && self->value_layout != NULL)
    return;
  g_set_object (&self->context, context);
  g_clear_object (&self->value_layout);
  g_clear_object (&self->trend_layout);
  g_clear_object (&self->label_layout);
  self->value_layout = make_layout (context, 3.0, TRUE);
  self->trend_layout = make_layout (context, 1.0, FALSE);
  self->label_layout = make_layout (context, 0.9, FALSE);
}

static void
draw_value (GtkWidget   *widget,
            GtkSnapshot *snapshot,
            int          width,
            int          height)
{
  TandemValueChart *self = TANDEM_VALUE_CHART (widget);
  TandemChart *chart = TANDEM_CHART (self);
  gboolean dark = tandem_chart_get_dark (chart);
  g_autofree char *text = tandem_value_chart_dup_text (self);
  g_autofree char *trend = tandem_value_chart_dup_trend (self);
  PangoRectangle vr, tr, lr = { 0, };
  GdkRGBA fg, dim, trend_color, accent;
  double value, previous, y;
  gboolean has_trend;
  const char *label = "";

  ensure_layouts (self);
  tandem_chart_style_get_foreground (dark, &fg);
  tandem_chart_style_get_dim (dark, &dim);
  tandem_chart_get_series_color (chart, 0, &accent);

  has_trend = tandem_value_chart_get_value (self, &value, &previous);
  if (!has_trend)
    trend_color = dim;
  else if (value > previous)
    tandem_chart_style_get_up (dark, &trend_color);
  else if (value < previous)
    tandem_chart_style_get_down (dark, &trend_color);
  else
    trend_color = dim;

  if (tandem_chart_get_n_series (chart) > 0)
    label = tandem_series_get_label (tandem_chart_get_shown_series (chart, 0));

  pango_layout_set_text (self->value_layout, text, -1);
  pango_layout_set_text (self->trend_layout, trend, -1);
  pango_layout_set_text (self->label_layout, label, -1);
  pango_layout_get_pixel_extents (self->value_layout, NULL, &vr);
  pango_layout_get_pixel_extents (self->trend_layout, NULL, &tr);
  if (*label != '\0')
    pango_layout_get_pixel_extents (self->label_layout, NULL, &lr);

  y = round ((height - vr.height - tr.height - lr.height) / 2.0);

  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (round ((width - vr.width) / 2.0), y));
  gtk_snapshot_append_layout (snapshot, self->value_layout, &accent);
  gtk_snapshot_restore (snapshot);
  y += vr.height;

  if (*trend != '\0')
    {
      double arrow = round (tr.height * 0.6);
      double tx = round ((width - tr.width - arrow - 4) / 2.0);
      double cy = y + tr.height / 2.0;

      if (has_trend && value != previous)
        {
          cairo_t *cr = gtk_snapshot_append_cairo (snapshot,
                                                   &GRAPHENE_RECT_INIT (tx, y, arrow, tr.height));

          gdk_cairo_set_source_rgba (cr, &trend_color);
          if (value > previous)
            {
              cairo_move_to (cr, tx, cy + arrow / 2);
              cairo_line_to (cr, tx + arrow, cy + arrow / 2);
              cairo_line_to (cr, tx + arrow / 2, cy - arrow / 2);
            }
          else
            {
              cairo_move_to (cr, tx, cy - arrow / 2);
              cairo_line_to (cr, tx + arrow, cy - arrow / 2);
              cairo_line_to (cr, tx + arrow / 2, cy + arrow / 2);
            }
          cairo_close_path (cr);
          cairo_fill (cr);
          cairo_destroy (cr);
        }
      gtk_snapshot_save (snapshot);
      gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (tx + arrow + 4, y));
      gtk_snapshot_append_layout (snapshot, self->trend_layout, &trend_color);
      gtk_snapshot_restore (snapshot);
    }
  y += tr.height;

  if (*label != '\0')
    {
      gtk_snapshot_save (snapshot);
      gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (round ((width - lr.width) / 2.0), y));
      gtk_snapshot_append_layout (snapshot, self->label_layout, &dim);
      gtk_snapshot_restore (snapshot);
    }
}

static char *
tandem_value_chart_tooltip_text (TandemChart *chart,
                                 double       x,
                                 double       y)
{
  TandemSeries *s;
  g_autofree char *value = NULL, *when = NULL;
  guint n;

  if (tandem_chart_get_n_series (chart) == 0)
    return NULL;
  s = tandem_chart_get_shown_series (chart, 0);
  n = tandem_series_get_n_points (s);
  if (n == 0)
    return NULL;
  value = _tandem_chart_format_value (tandem_series_get_value (s, n - 1));
  when = tandem_format_time_full (tandem_series_get_time (s, n - 1), tandem_chart_get_time_zone (chart));
  /* Translators: the tooltip of a value widget: label, exact value, time. */
  return g_strdup_printf (_("%s: %s at %s"), tandem_series_get_label (s), value, when);
}

static char *
tandem_value_chart_describe (TandemChart *chart)
{
  TandemValueChart *self = TANDEM_VALUE_CHART (chart);
  g_autofree char *text = tandem_value_chart_dup_text (self);
  g_autofree char *trend = tandem_value_chart_dup_trend (self);

  if (*trend == '\0')
    return g_steal_pointer (&text);
  return g_strdup_printf ("%s, %s", text, trend);
}

static void
tandem_value_chart_data_changed (TandemChart *chart)
{
  g_autofree char *description = tandem_value_chart_describe (chart);

  TANDEM_CHART_CLASS (tandem_value_chart_parent_class)->data_changed (chart);
  gtk_accessible_update_property (GTK_ACCESSIBLE (chart),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, description, -1);
}

static void
tandem_value_chart_finalize (GObject *object)
{
  TandemValueChart *self = (TandemValueChart *) object;

  g_clear_object (&self->value_layout);
  g_clear_object (&self->trend_layout);
  g_clear_object (&self->label_layout);
  g_clear_object (&self->context);

  G_OBJECT_CLASS (tandem_value_chart_parent_class)->finalize (object);
}

static void
tandem_value_chart_class_init (TandemValueChartClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  TandemChartClass *chart_class = TANDEM_CHART_CLASS (klass);

  object_class->finalize = tandem_value_chart_finalize;
  chart_class->tooltip_text = tandem_value_chart_tooltip_text;
  chart_class->describe = tandem_value_chart_describe;
  chart_class->data_changed = tandem_value_chart_data_changed;

  gtk_widget_class_set_css_name (GTK_WIDGET_CLASS (klass), "valuechart");
}

static void
tandem_value_chart_init (TandemValueChart *self)
{
  tandem_chart_add_layer (TANDEM_CHART (self), tandem_chart_layer_new (draw_value, TRUE));
}

GtkWidget *
tandem_value_chart_new (void)
{
  return g_object_new (TANDEM_TYPE_VALUE_CHART, NULL);
}
