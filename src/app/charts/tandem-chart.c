/* tandem-chart.c: the base of the chart widgets
 *
 * A chart is a stack of TandemChartLayer children over the same area (a
 * GtkBinLayout): the data layers are redrawn when the data changes, the
 * pointer layer when the pointer moves, and GTK keeps the render nodes of
 * the layers that did not change. Nothing animates: a change queues one
 * draw, and GTK draws at most once per frame.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tandem-chart"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "tandem-chart.h"
#include "tandem-chart-style.h"
#include "tandem-series.h"

typedef struct
{
  GPtrArray  *series;       /* of TandemSeries */
  GPtrArray  *frozen;       /* copies while paused, else NULL */
  char       *title;
  gint64      time_span;
  GTimeZone  *tz;
  int         style;
  gboolean    paused;
  gboolean    pointer_inside;
  double      pointer_x;
  double      pointer_y;
} TandemChartPrivate;

G_DEFINE_TYPE_WITH_PRIVATE (TandemChart, tandem_chart, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_TITLE,
  PROP_PAUSED,
  PROP_TIME_SPAN,
  PROP_STYLE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
update_description (TandemChart *self)
{
  g_autofree char *text = TANDEM_CHART_GET_CLASS (self)->describe (self);

  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, text ? text : "",
                                  -1);
}

static void
series_changed_cb (TandemSeries *series,
                   TandemChart  *self)
{
  TandemChartPrivate *priv = tandem_chart_get_instance_private (self);

  if (!priv->paused)
    TANDEM_CHART_GET_CLASS (self)->data_changed (self);
}

static void
dark_changed_cb (TandemChart *self)
{
  TANDEM_CHART_GET_CLASS (self)->data_changed (self);
  tandem_chart_queue_pointer_draw (self);
}

static void
pointer_motion_cb (GtkEventControllerMotion *motion,
                   double                    x,
                   double                    y,
                   TandemChart              *self)
{
  TandemChartPrivate *priv = tandem_chart_get_instance_private (self);

  priv->pointer_inside = TRUE;
  priv->pointer_x = x;
  priv->pointer_y = y;
  tandem_chart_queue_pointer_draw (self);
}

static void
pointer_leave_cb (GtkEventControllerMotion *motion,
                  TandemChart              *self)
{
  TandemChartPrivate *priv = tandem_chart_get_instance_private (self);

  priv->pointer_inside = FALSE;
  tandem_chart_queue_pointer_draw (self);
}

static void
tandem_chart_real_data_changed (TandemChart *self)
{
  tandem_chart_queue_data_draw (self);
}

static char *
tandem_chart_real_tooltip_text (TandemChart *self,
                                double       x,
                                double       y)
{
  return NULL;
}

static char *
tandem_chart_real_describe (TandemChart *self)
{
  TandemChartPrivate *priv = tandem_chart_get_instance_private (self);
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint i = 0; i < priv->series->len; i++)
    {
      if (i > 0)
        g_string_append (text, ", ");
      g_string_append (text, tandem_series_get_label (priv->series->pdata[i]));
    }
  if (priv->paused)
    {
      g_autofree char *body = g_string_free (g_steal_pointer (&text), FALSE);

      /* Translators: the accessible description of a paused chart; %s is
       * the list of its series. */
      return g_strdup_printf (_("%s (paused)"), body);
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static gboolean
tandem_chart_query_tooltip (GtkWidget  *widget,
                            int         x,
                            int         y,
                            gboolean    keyboard_mode,
                            GtkTooltip *tooltip)
{
  TandemChart *self = TANDEM_CHART (widget);
  g_autofree char *text = NULL;

  if (keyboard_mode)
    return FALSE;
  text = TANDEM_CHART_GET_CLASS (self)->tooltip_text (self, x, y);
  if (text == NULL)
    return FALSE;
  gtk_tooltip_set_text (tooltip, text);
  return TRUE;
}

static void
drop_frozen (TandemChart *self)
{
  TandemChartPrivate *priv = tandem_chart_get_instance_private (self);

  g_clear_pointer (&priv->frozen, g_ptr_array_unref);
}

static void
tandem_chart_dispose (GObject *object)
{
  TandemChart *self = (TandemChart *) object;
  TandemChartPrivate *priv = tandem_chart_get_instance_private (self);
  GtkWidget *child;

  for (guint i = 0; i < priv->series->len; i++)
    g_signal_handlers_disconnect_by_func (priv->series->pdata[i], series_changed_cb, self);
  g_ptr_array_set_size (priv->series, 0);
  drop_frozen (self);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (tandem_chart_parent_class)->dispose (object);
}

static void
tandem_chart_finalize (GObject *object)
{
  TandemChart *self = (TandemChart *) object;
  TandemChartPrivate *priv = tandem_chart_get_instance_private (self);

  g_ptr_array_unref (priv->series);
  g_free (priv->title);
  g_clear_pointer (&priv->tz, g_time_zone_unref);

  G_OBJECT_CLASS (tandem_chart_parent_class)->finalize (object);
}

static void
tandem_chart_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  TandemChart *self = TANDEM_CHART (object);
  TandemChartPrivate *priv = tandem_chart_get_instance_private (self);

  switch (prop_id)
    {
    case PROP_TITLE:
      g_value_set_string (value, priv->title);
      break;
    case PROP_PAUSED:
      g_value_set_boolean (value, priv->paused);
      break;
    case PROP_TIME_SPAN:
      g_value_set_int64 (value, priv->time_span);
      break;
    case PROP_STYLE:
      g_value_set_int (value, priv->style);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tandem_chart_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  TandemChart *self = TANDEM_CHART (object);

  switch (prop_id)
    {
    case PROP_TITLE:
      tandem_chart_set_title (self, g_value_get_string (value));
      break;
    case PROP_PAUSED:
      tandem_chart_set_paused (self, g_value_get_boolean (value));
      break;
    case PROP_TIME_SPAN:
      tandem_chart_set_time_span (self, g_value_get_int64 (value));
      break;
    case PROP_STYLE:
      tandem_chart_set_style (self, g_value_get_int (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tandem_chart_class_init (TandemChartClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tandem_chart_dispose;
  object_class->finalize = tandem_chart_finalize;
  object_class->get_property = tandem_chart_get_property;
  object_class->set_property = tandem_chart_set_property;

  widget_class->query_tooltip = tandem_chart_query_tooltip;

  klass->data_changed = tandem_chart_real_data_changed;
  klass->tooltip_text = tandem_chart_real_tooltip_text;
  klass->describe = tandem_chart_real_describe;

  properties[PROP_TITLE] =
    g_param_spec_string ("title", NULL, NULL, "",
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PAUSED] =
    g_param_spec_boolean ("paused", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_TIME_SPAN] =
    g_param_spec_int64 ("time-span", NULL, NULL, 0, G_MAXINT64, 0,
                        G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_STYLE] =
    g_param_spec_int ("style", NULL, NULL, -1, 1, -1,
                      G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_install_property_action (widget_class, "chart.pause", "paused");

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "chart");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
tandem_chart_init (TandemChart *self)
{
  TandemChartPrivate *priv = tandem_chart_get_instance_private (self);
  GtkEventController *motion;

  priv->series = g_ptr_array_new_with_free_func (g_object_unref);
  priv->title = g_strdup ("");
  priv->style = -1;

  gtk_widget_set_size_request (GTK_WIDGET (self), 160, 90);
  gtk_widget_set_has_tooltip (GTK_WIDGET (self), TRUE);

  motion = gtk_event_controller_motion_new ();
  g_signal_connect (motion, "enter", G_CALLBACK (pointer_motion_cb), self);
  g_signal_connect (motion, "motion", G_CALLBACK (pointer_motion_cb), self);
  g_signal_connect (motion, "leave", G_CALLBACK (pointer_leave_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), motion);

  g_signal_connect_object (adw_style_manager_get_default (), "notify::dark",
                           G_CALLBACK (dark_changed_cb), self, G_CONNECT_SWAPPED);
}

void
tandem_chart_add_series (TandemChart  *self,
                         TandemSeries *series)
{
  TandemChartPrivate *priv = tandem_chart_get_instance_private (self);

  g_return_if_fail (TANDEM_IS_CHART (self));
  g_return_if_fail (TANDEM_IS_SERIES (series));

  g_ptr_array_add (priv->series, g_object_ref (series));
  g_signal_connect_object (series, "changed", G_CALLBACK (series_changed_cb), self, 0);
  if (priv->frozen != NULL)
    g_ptr_array_add (priv->frozen, tandem_series_copy (series));
  update_description (self);
  TANDEM_CHART_GET_CLASS (self)->data_changed (self);
}

void
tandem_chart_remove_all_series (TandemChart *self)
{
  TandemChartPrivate *priv = tandem_chart_get_instance_private (self);

  g_return_if_fail (TANDEM_IS_CHART (self));

  for (guint i = 0; i < priv->series->len; i++)
    g_signal_handlers_disconnect_by_func (priv->series->pdata[i], series_changed_cb, self);
  g_ptr_array_set_size (priv->series, 0);
  if (priv->frozen != NULL)
    g_ptr_array_set_size (priv->frozen, 0);
  update_description (self);
  TANDEM_CHART_GET_CLASS (self)->data_changed (self);
}

guint
tandem_chart_get_n_series (TandemChart *self)
{
  TandemChartPrivate *priv = tandem_chart_get_instance_private (self);

  g_return_val_if_fail (TANDEM_IS_CHART (self), 0);
  return priv->series->len;
}

TandemSeries *
tandem_chart_get_series (TandemChart *self,
                         guint        index)
{
  TandemChartPrivate *priv = tandem_chart_get_instance_private (self);

  g_return_val_if_fail (TANDEM_IS_CHART (self), NULL);
  g_return_val_if_fail (index < priv->series->len, NULL);
  return priv->series->pdata[index];
}

TandemSeries *
tandem_chart_get_shown_series (TandemChart *self,
                               guint        index)
{
  TandemChartPrivate *priv = tandem_chart_get_instance_private (self);

  g_return_val_if_fail (TANDEM_IS_CHART (self), NULL);
  g_return_val_if_fail (index < priv->series->len, NULL);
  if (priv->frozen != NULL)
    return priv->frozen->pdata[index];
  return priv->series->pdata[index];
}

void
tandem_chart_get_series_color (TandemChart *self,
                               guint        index,
                               GdkRGBA     *rgba)
{
  g_return_if_fail (TANDEM_IS_CHART (self));
  tandem_chart_style_get_series_color (index, tandem_chart_get_dark (self), rgba);
}

const char *
tandem_chart_get_title (TandemChart *self)
{
  TandemChartPrivate *priv = tandem_chart_get_instance_private (self);

  g_return_val_if_fail (TANDEM_IS_CHART (self), NULL);
  return priv->title;
}

void
tandem_chart_set_title (TandemChart *self,
                        const char  *title)
{
  TandemChartPrivate *priv = tandem_chart_get_instance_private (self);

  g_return_if_fail (TANDEM_IS_CHART (self));

  if (title == NULL)
    title = "";
  if (g_strcmp0 (priv->title, title) == 0)
    return;
  g_free (priv->title);
  priv->title = g_strdup (title);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL, title, -1);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TITLE]);
}

gboolean
tandem_chart_get_paused (TandemChart *self)
{
  TandemChartPrivate *priv = tandem_chart_get_instance_private (self);

  g_return_val_if_fail (TANDEM_IS_CHART (self), FALSE);
  return priv->paused;
}

void
tandem_chart_set_paused (TandemChart *self,
                         gboolean     paused)
{
  TandemChartPrivate *priv = tandem_chart_get_instance_private (self);

  g_return_if_fail (TANDEM_IS_CHART (self));

  paused = !!paused;
  if (priv->paused == paused)
    return;
  priv->paused = paused;
  if (paused)
    {
      priv->frozen = g_ptr_array_new_with_free_func (g_object_unref);
      for (guint i = 0; i < priv->series->len; i++)
        g_ptr_array_add (priv->frozen, tandem_series_copy (priv->series->pdata[i]));
    }
  else
    {
      drop_frozen (self);
      TANDEM_CHART_GET_CLASS (self)->data_changed (self);
    }
  update_description (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PAUSED]);
}

gint64
tandem_chart_get_time_span (TandemChart *self)
{
  TandemChartPrivate *priv = tandem_chart_get_instance_private (self);

  g_return_val_if_fail (TANDEM_IS_CHART (self), 0);
  return priv->time_span;
}

void
tandem_chart_set_time_span (TandemChart *self,
                            gint64       span_usec)
{
  TandemChartPrivate *priv = tandem_chart_get_instance_private (self);

  g_return_if_fail (TANDEM_IS_CHART (self));
  g_return_if_fail (span_usec >= 0);

  if (priv->time_span == span_usec)
    return;
  priv->time_span = span_usec;
  TANDEM_CHART_GET_CLASS (self)->data_changed (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TIME_SPAN]);
}

GTimeZone *
tandem_chart_get_time_zone (TandemChart *self)
{
  TandemChartPrivate *priv = tandem_chart_get_instance_private (self);

  g_return_val_if_fail (TANDEM_IS_CHART (self), NULL);
  return priv->tz;
}

void
tandem_chart_set_time_zone (TandemChart *self,
                            GTimeZone   *tz)
{
  TandemChartPrivate *priv = tandem_chart_get_instance_private (self);

  g_return_if_fail (TANDEM_IS_CHART (self));

  if (tz != NULL)
    g_time_zone_ref (tz);
  g_clear_pointer (&priv->tz, g_time_zone_unref);
  priv->tz = tz;
  TANDEM_CHART_GET_CLASS (self)->data_changed (self);
}

gboolean
tandem_chart_get_dark (TandemChart *self)
{
  TandemChartPrivate *priv = tandem_chart_get_instance_private (self);

  g_return_val_if_fail (TANDEM_IS_CHART (self), FALSE);
  if (priv->style >= 0)
    return priv->style == 1;
  return tandem_chart_style_is_dark ();
}

void
tandem_chart_set_style (TandemChart *self,
                        int          style)
{
  TandemChartPrivate *priv = tandem_chart_get_instance_private (self);

  g_return_if_fail (TANDEM_IS_CHART (self));
  g_return_if_fail (style >= -1 && style <= 1);

  if (priv->style == style)
    return;
  priv->style = style;
  dark_changed_cb (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STYLE]);
}

void
tandem_chart_add_layer (TandemChart *self,
                        GtkWidget   *layer)
{
  g_return_if_fail (TANDEM_IS_CHART (self));
  g_return_if_fail (TANDEM_IS_CHART_LAYER (layer));

  gtk_widget_set_parent (layer, GTK_WIDGET (self));
}

gboolean
tandem_chart_get_pointer (TandemChart *self,
                          double      *x,
                          double      *y)
{
  TandemChartPrivate *priv = tandem_chart_get_instance_private (self);

  g_return_val_if_fail (TANDEM_IS_CHART (self), FALSE);
  if (!priv->pointer_inside)
    return FALSE;
  if (x != NULL)
    *x = priv->pointer_x;
  if (y != NULL)
    *y = priv->pointer_y;
  return TRUE;
}

gboolean
tandem_chart_get_time_range (TandemChart *self,
                             gint64      *t0,
                             gint64      *t1)
{
  TandemChartPrivate *priv = tandem_chart_get_instance_private (self);
  gint64 lo = G_MAXINT64, hi = G_MININT64;

  g_return_val_if_fail (TANDEM_IS_CHART (self), FALSE);

  for (guint i = 0; i < priv->series->len; i++)
    {
      gint64 a, b;

      if (tandem_series_get_extents (tandem_chart_get_shown_series (self, i), &a, &b, NULL, NULL))
        {
          lo = MIN (lo, a);
          hi = MAX (hi, b);
        }
    }
  if (lo > hi)
    return FALSE;
  if (priv->time_span > 0)
    lo = hi - priv->time_span;
  *t0 = lo;
  *t1 = hi;
  return TRUE;
}

static void
queue_layers (TandemChart *self,
              gboolean     exported)
{
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (TANDEM_IS_CHART_LAYER (child) &&
        tandem_chart_layer_get_exported (TANDEM_CHART_LAYER (child)) == exported)
      gtk_widget_queue_draw (child);
}

void
tandem_chart_queue_pointer_draw (TandemChart *self)
{
  g_return_if_fail (TANDEM_IS_CHART (self));
  queue_layers (self, FALSE);
}

void
tandem_chart_queue_data_draw (TandemChart *self)
{
  g_return_if_fail (TANDEM_IS_CHART (self));
  queue_layers (self, TRUE);
}
