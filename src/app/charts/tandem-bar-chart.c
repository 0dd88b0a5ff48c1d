/* tandem-bar-chart.c
 *
 * Bars are color nodes, pixel-aligned. When there are more bars than
 * pixels, each pixel column shows the largest value in it (decimation),
 * so the cost follows the width.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tandem-bar-chart"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "tandem-bar-chart.h"
#include "tandem-chart-frame-private.h"
#include "tandem-chart-style.h"
#include "tandem-decimate.h"
#include "tandem-series.h"

struct _TandemBarChart
{
  TandemChart        parent_instance;

  gint64             bucket;
  TandemChartLabels  labels;
  TandemChartFrame   frame;
  TandemColumn      *columns;
  guint              n_columns;
};

G_DEFINE_FINAL_TYPE (TandemBarChart, tandem_bar_chart, TANDEM_TYPE_CHART)

enum {
  PROP_0,
  PROP_BUCKET,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* The bucket: set, or the smallest gap between shown points. */
static gint64
effective_bucket (TandemBarChart *self)
{
  TandemChart *chart = TANDEM_CHART (self);
  gint64 gap = G_MAXINT64;

  if (self->bucket > 0)
    return self->bucket;
  for (guint i = 0; i < tandem_chart_get_n_series (chart); i++)
    {
      TandemSeries *s = tandem_chart_get_shown_series (chart, i);
      const gint64 *times = tandem_series_get_times (s);
      guint n = tandem_series_get_n_points (s);

      /* Looking at the newest 4096 gaps is plenty. */
      for (guint k = n > 4096 ? n - 4096 : 1; k < n; k++)
        if (times[k] > times[k - 1])
          gap = MIN (gap, times[k] - times[k - 1]);
    }
  return gap == G_MAXINT64 ? G_USEC_PER_SEC : gap;
}

static const TandemChartFrame *
get_frame (TandemBarChart *self,
           int             width,
           int             height,
           gboolean        recompute)
{
  if (recompute || self->frame.width != width || self->frame.height != height)
    _tandem_chart_frame_compute (&self->frame, TANDEM_CHART (self), &self->labels,
                                 width, height, effective_bucket (self), TRUE);
  return &self->frame;
}

static void
draw_grid (GtkWidget   *widget,
           GtkSnapshot *snapshot,
           int          width,
           int          height)
{
  TandemBarChart *self = TANDEM_BAR_CHART (widget);
  const TandemChartFrame *frame = get_frame (self, width, height, TRUE);

  if (!frame->has_data)
    _tandem_chart_snapshot_empty (TANDEM_CHART (self), &self->labels, snapshot, width, height);
  else
    _tandem_chart_frame_snapshot_grid (frame, TANDEM_CHART (self), &self->labels, snapshot);
}

static void
append_bar (GtkSnapshot            *snapshot,
            const TandemChartFrame *frame,
            const GdkRGBA          *color,
            double                  x0,
            double                  x1,
            double                  value)
{
  double zero = round (_tandem_chart_frame_y (frame, 0));
  double y = round (_tandem_chart_frame_y (frame, value));
  double left = floor (x0), right = MAX (floor (x1), left + 1);

  left = MAX (left, frame->plot.origin.x);
  right = MIN (right, frame->plot.origin.x + frame->plot.size.width);
  if (right <= left)
    return;
  if (y == zero)
    y = zero - (value >= 0 ? 1 : -1);   /* a hairline still shows a zero bar */
  gtk_snapshot_append_color (snapshot, color,
                             &GRAPHENE_RECT_INIT (left, MIN (y, zero), right - left, fabs (zero - y)));
}

static void
draw_bars (GtkWidget   *widget,
           GtkSnapshot *snapshot,
           int          width,
           int          height)
{
  TandemBarChart *self = TANDEM_BAR_CHART (widget);
  TandemChart *chart = TANDEM_CHART (self);
  const TandemChartFrame *frame = get_frame (self, width, height, FALSE);
  guint n_series = tandem_chart_get_n_series (chart);
  gint64 bucket;
  double bucket_px, group_w, bar_w;

  if (!frame->has_data || n_series == 0)
    return;

  bucket = effective_bucket (self);
  bucket_px = (double) bucket / (double) (frame->t1 - frame->t0) * frame->plot.size.width;
  group_w = bucket_px >= 4 ? bucket_px * 0.8 : bucket_px;
  bar_w = group_w / n_series;

  for (guint i = 0; i < n_series; i++)
    {
      TandemSeries *s = tandem_chart_get_shown_series (chart, i);
      GdkRGBA color;

      tandem_chart_get_series_color (chart, i, &color);
      if (bar_w >= 1)
        {
          guint a = tandem_series_lower_bound (s, frame->t0);
          guint b = tandem_series_lower_bound (s, frame->t1);

          for (guint k = a; k < b; k++)
            {
              double x = _tandem_chart_frame_x (frame, tandem_series_get_time (s, k)) +
                         (bucket_px - group_w) / 2 + bar_w * i;

              append_bar (snapshot, frame, &color, x, x + bar_w, tandem_series_get_value (s, k));
            }
        }
      else
        {
          /* More bars than pixels: the largest per column. */
          guint n_columns = (guint) frame->plot.size.width;

          if (n_columns > self->n_columns)
            {
              self->columns = g_renew (TandemColumn, self->columns, n_columns);
              self->n_columns = n_columns;
            }
          tandem_decimate (s, frame->t0, frame->t1, n_columns, self->columns, NULL);
          for (guint c = 0; c < n_columns; c++)
            if (self->columns[c].n_points > 0)
              {
                double x = frame->plot.origin.x + c;
                const TandemColumn *col = &self->columns[c];

                append_bar (snapshot, frame, &color, x, x + 1,
                            fabs (col->max) >= fabs (col->min) ? col->max : col->min);
              }
        }
    }
}

/* The bucket under the pointer: its start time. */
static gboolean
hovered_bucket (TandemBarChart *self,
                double          x,
                gint64         *start)
{
  const TandemChartFrame *frame = &self->frame;
  gint64 bucket = effective_bucket (self);
  gint64 t;
  gboolean found = FALSE;

  if (!frame->has_data || x < frame->plot.origin.x || x > frame->plot.origin.x + frame->plot.size.width)
    return FALSE;
  t = _tandem_chart_frame_time_at (frame, x);
  for (guint i = 0; i < tandem_chart_get_n_series (TANDEM_CHART (self)) && !found; i++)
    {
      TandemSeries *s = tandem_chart_get_shown_series (TANDEM_CHART (self), i);
      guint k = tandem_series_lower_bound (s, t + 1);

      if (k > 0 && tandem_series_get_time (s, k - 1) + bucket > t)
        {
          *start = tandem_series_get_time (s, k - 1);
          found = TRUE;
        }
    }
  return found;
}

static void
draw_pointer (GtkWidget   *widget,
              GtkSnapshot *snapshot,
              int          width,
              int          height)
{
  TandemBarChart *self = TANDEM_BAR_CHART (widget);
  const TandemChartFrame *frame = get_frame (self, width, height, FALSE);
  double x, y, x0, x1;
  gint64 start;
  GdkRGBA shade;

  if (!tandem_chart_get_pointer (TANDEM_CHART (self), &x, &y) || !hovered_bucket (self, x, &start))
    return;
  x0 = floor (_tandem_chart_frame_x (frame, start));
  x1 = floor (_tandem_chart_frame_x (frame, start + effective_bucket (self)));
  tandem_chart_style_get_foreground (tandem_chart_get_dark (TANDEM_CHART (self)), &shade);
  shade.alpha = 0.08;
  gtk_snapshot_append_color (snapshot, &shade,
                             &GRAPHENE_RECT_INIT (x0, frame->plot.origin.y, MAX (x1 - x0, 1),
                                                  frame->plot.size.height));
}

static char *
tandem_bar_chart_tooltip_text (TandemChart *chart,
                               double       x,
                               double       y)
{
  TandemBarChart *self = TANDEM_BAR_CHART (chart);
  g_autoptr(GString) text = NULL;
  g_autofree char *when = NULL;
  gint64 start;

  get_frame (self, gtk_widget_get_width (GTK_WIDGET (chart)),
             gtk_widget_get_height (GTK_WIDGET (chart)), FALSE);
  if (!hovered_bucket (self, x, &start))
    return NULL;
  when = tandem_format_time_full (start, tandem_chart_get_time_zone (chart));
  text = g_string_new (when);
  for (guint i = 0; i < tandem_chart_get_n_series (chart); i++)
    {
      TandemSeries *s = tandem_chart_get_shown_series (chart, i);
      guint k = tandem_series_lower_bound (s, start);

      if (k < tandem_series_get_n_points (s) && tandem_series_get_time (s, k) == start)
        {
          g_autofree char *value = _tandem_chart_format_value (tandem_series_get_value (s, k));

          /* Translators: a bar chart tooltip line: series label and value. */
          g_string_append_printf (text, _("\n%s: %s"), tandem_series_get_label (s), value);
        }
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static char *
tandem_bar_chart_describe (TandemChart *chart)
{
  g_autofree char *series = TANDEM_CHART_CLASS (tandem_bar_chart_parent_class)->describe (chart);

  /* Translators: the accessible description of a bar chart; %s lists its
   * series. */
  return g_strdup_printf (_("Bar chart of %s"), series);
}

static void
tandem_bar_chart_finalize (GObject *object)
{
  TandemBarChart *self = (TandemBarChart *) object;

  _tandem_chart_labels_clear (&self->labels);
  g_free (self->columns);

  G_OBJECT_CLASS (tandem_bar_chart_parent_class)->finalize (object);
}

static void
tandem_bar_chart_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  TandemBarChart *self = TANDEM_BAR_CHART (object);

  switch (prop_id)
    {
    case PROP_BUCKET:
      g_value_set_int64 (value, self->bucket);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tandem_bar_chart_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  TandemBarChart *self = TANDEM_BAR_CHART (object);

  switch (prop_id)
    {
    case PROP_BUCKET:
      tandem_bar_chart_set_bucket (self, g_value_get_int64 (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tandem_bar_chart_class_init (TandemBarChartClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  TandemChartClass *chart_class = TANDEM_CHART_CLASS (klass);

  object_class->finalize = tandem_bar_chart_finalize;
  object_class->get_property = tandem_bar_chart_get_property;
  object_class->set_property = tandem_bar_chart_set_property;
  chart_class->tooltip_text = tandem_bar_chart_tooltip_text;
  chart_class->describe = tandem_bar_chart_describe;

  properties[PROP_BUCKET] =
    g_param_spec_int64 ("bucket", NULL, NULL, 0, G_MAXINT64, 0,
                        G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_css_name (GTK_WIDGET_CLASS (klass), "barchart");
}

static void
tandem_bar_chart_init (TandemBarChart *self)
{
  _tandem_chart_labels_init (&self->labels);
  tandem_chart_add_layer (TANDEM_CHART (self), tandem_chart_layer_new (draw_grid, TRUE));
  tandem_chart_add_layer (TANDEM_CHART (self), tandem_chart_layer_new (draw_bars, TRUE));
  tandem_chart_add_layer (TANDEM_CHART (self), tandem_chart_layer_new (draw_pointer, FALSE));
}

GtkWidget *
tandem_bar_chart_new (void)
{
  return g_object_new (TANDEM_TYPE_BAR_CHART, NULL);
}

gint64
tandem_bar_chart_get_bucket (TandemBarChart *self)
{
  g_return_val_if_fail (TANDEM_IS_BAR_CHART (self), 0);
  return self->bucket;
}

void
tandem_bar_chart_set_bucket (TandemBarChart *self,
                             gint64          bucket_usec)
{
  g_return_if_fail (TANDEM_IS_BAR_CHART (self));
  g_return_if_fail (bucket_usec >= 0);

  if (self->bucket == bucket_usec)
    return;
  self->bucket = bucket_usec;
  tandem_chart_queue_data_draw (TANDEM_CHART (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUCKET]);
}
