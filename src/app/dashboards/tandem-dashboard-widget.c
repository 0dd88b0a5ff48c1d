/* tandem-dashboard-widget.c
 *
 * A card: the title, a menu, an inline error label, and the chart for the
 * widget's kind, fed by one TandemSeriesBinding per series (or, for a
 * value widget with "broadcast", by the `metric_update` broadcasts the
 * view hands over). A new spec that shows the same data (a new title, a
 * new place) keeps the bindings; anything else rebinds, so the chart
 * starts over from a fresh fetch.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tandem-dashboard-widget"

#include "config.h"

#include <glib/gi18n.h>

#include "tandem-charts.h"
#include "tandem-dashboard-layout.h"
#include "tandem-dashboard-widget-private.h"
#include "tandem-series-binding.h"

G_DEFINE_FINAL_TYPE (TandemDashboardWidget, tandem_dashboard_widget, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_SPEC,
  PROP_LOADED,
  PROP_PAUSED,
  PROP_ERROR,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Enough for the value chart's trend (the change since the point before). */
#define MIN_VALUE_POINTS 2

static const char *
display_title (TandemDashboardWidget *self)
{
  const char *title = tandem_widget_spec_get_title (self->spec);

  return *title != '\0' ? title : _("Untitled Widget");
}

static void
update_title (TandemDashboardWidget *self)
{
  const char *title = display_title (self);

  gtk_label_set_label (self->title_label, title);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL, title, -1);
  if (TANDEM_IS_CHART (self->chart))
    tandem_chart_set_title (TANDEM_CHART (self->chart), title);
  else if (TANDEM_IS_LIVE_TABLE (self->chart))
    tandem_live_table_set_title (TANDEM_LIVE_TABLE (self->chart), title);
}

static void
update_error (TandemDashboardWidget *self)
{
  const char *error = NULL;

  for (guint i = 0; i < self->bindings->len && error == NULL; i++)
    error = tandem_series_binding_get_error (self->bindings->pdata[i]);

  gtk_label_set_label (self->error_label, error ? error : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), error != NULL);
  if (g_strcmp0 (error, self->error) == 0)
    return;
  g_free (self->error);
  self->error = g_strdup (error);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ERROR]);
}

static void
update_loaded (TandemDashboardWidget *self)
{
  gboolean loaded = TRUE;

  for (guint i = 0; i < self->bindings->len; i++)
    loaded &= tandem_series_binding_get_loaded (self->bindings->pdata[i]);
  if (loaded == self->loaded)
    return;
  self->loaded = loaded;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADED]);
}

static void
update_columns (TandemDashboardWidget *self)
{
  const char * const *columns;

  if (!TANDEM_IS_LIVE_TABLE (self->chart) || self->bindings->len == 0)
    return;
  columns = tandem_series_binding_get_columns (self->bindings->pdata[0]);
  if (columns != NULL)
    tandem_live_table_set_columns (TANDEM_LIVE_TABLE (self->chart), columns);
}

static void
update_actions (TandemDashboardWidget *self)
{
  gboolean pausable = self->chart != NULL && !GTK_IS_LABEL (self->chart);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "widget.pause", pausable && !self->paused);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "widget.resume", pausable && self->paused);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "widget.export-png", pausable);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "widget.export-csv", pausable);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "widget.edit",
                                 tandem_widget_spec_get_kind (self->spec) != TANDEM_WIDGET_UNSUPPORTED);
  gtk_widget_set_visible (GTK_WIDGET (self->paused_label), self->paused);
}

static void
apply_paused (TandemDashboardWidget *self)
{
  if (TANDEM_IS_CHART (self->chart))
    tandem_chart_set_paused (TANDEM_CHART (self->chart), self->paused);
  else if (TANDEM_IS_LIVE_TABLE (self->chart))
    tandem_live_table_set_paused (TANDEM_LIVE_TABLE (self->chart), self->paused);
  update_actions (self);
}

static void
unbind (TandemDashboardWidget *self)
{
  for (guint i = 0; i < self->bindings->len; i++)
    {
      TandemSeriesBinding *binding = self->bindings->pdata[i];

      g_signal_handlers_disconnect_by_data (binding, self);
      tandem_series_binding_stop (binding);
    }
  g_ptr_array_set_size (self->bindings, 0);
  g_clear_object (&self->broadcast_series);
  adw_bin_set_child (self->chart_bin, NULL);
  self->chart = NULL;
}

static GtkWidget *
create_chart (TandemDashboardWidget *self)
{
  switch (tandem_widget_spec_get_kind (self->spec))
    {
    case TANDEM_WIDGET_LINE:
      return tandem_line_chart_new ();
    case TANDEM_WIDGET_BAR:
      {
        GtkWidget *chart = tandem_bar_chart_new ();

        tandem_bar_chart_set_bucket (TANDEM_BAR_CHART (chart),
                                     (gint64) tandem_widget_spec_get_bucket_seconds (self->spec) * G_USEC_PER_SEC);
        return chart;
      }
    case TANDEM_WIDGET_VALUE:
      return tandem_value_chart_new ();
    case TANDEM_WIDGET_TABLE:
      return tandem_live_table_new ();
    case TANDEM_WIDGET_UNSUPPORTED:
    default:
      {
        g_autofree char *text = g_strdup_printf (_("Unsupported widget (“%s”)"),
                                                 tandem_widget_spec_get_kind_name (self->spec));
        GtkWidget *label = gtk_label_new (text);

        gtk_label_set_wrap (GTK_LABEL (label), TRUE);
        gtk_widget_add_css_class (label, "dim-label");
        return label;
      }
    }
}

static void
bind (TandemDashboardWidget *self)
{
  TandemWidgetKind kind = tandem_widget_spec_get_kind (self->spec);
  guint n_series = tandem_widget_spec_get_n_series (self->spec);

  self->chart = create_chart (self);
  adw_bin_set_child (self->chart_bin, self->chart);

  if (TANDEM_IS_CHART (self->chart) && tandem_widget_spec_get_window_seconds (self->spec) > 0)
    tandem_chart_set_time_span (TANDEM_CHART (self->chart),
                                (gint64) tandem_widget_spec_get_window_seconds (self->spec) * G_USEC_PER_SEC);

  if (kind == TANDEM_WIDGET_VALUE && tandem_widget_spec_get_broadcast (self->spec))
    {
      self->broadcast_series = tandem_series_new (display_title (self));
      tandem_series_set_max_points (self->broadcast_series,
                                    MAX (tandem_widget_spec_get_window_points (self->spec), MIN_VALUE_POINTS));
      tandem_chart_add_series (TANDEM_CHART (self->chart), self->broadcast_series);
      n_series = 0;
    }
  else if (kind == TANDEM_WIDGET_UNSUPPORTED)
    n_series = 0;
  else if (kind == TANDEM_WIDGET_TABLE || kind == TANDEM_WIDGET_VALUE)
    /* One series is all a table or a single value shows. */
    n_series = MIN (n_series, 1);

  for (guint i = 0; i < n_series && self->client != NULL; i++)
    {
      TandemSeriesBinding *binding = tandem_series_binding_new (self->client, self->spec, i);

      g_ptr_array_add (self->bindings, binding);
      g_signal_connect_object (binding, "notify::loaded", G_CALLBACK (update_loaded), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (binding, "notify::error", G_CALLBACK (update_error), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (binding, "notify::columns", G_CALLBACK (update_columns), self, G_CONNECT_SWAPPED);
      if (TANDEM_IS_LIVE_TABLE (self->chart))
        tandem_live_table_set_model (TANDEM_LIVE_TABLE (self->chart), tandem_series_binding_get_rows (binding));
      else
        tandem_chart_add_series (TANDEM_CHART (self->chart), tandem_series_binding_get_series (binding));
    }
  for (guint i = 0; i < self->bindings->len; i++)
    tandem_series_binding_start (self->bindings->pdata[i]);

  update_title (self);
  update_columns (self);
  update_error (self);
  update_loaded (self);
  apply_paused (self);
}

/* ---- actions ---- */

static void
pause_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  tandem_dashboard_widget_set_paused (TANDEM_DASHBOARD_WIDGET (widget), g_str_equal (action_name, "widget.pause"));
}

static void
export_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  _tandem_dashboard_widget_export_with_dialog (TANDEM_DASHBOARD_WIDGET (widget),
                                               g_str_equal (action_name, "widget.export-png")
                                                 ? TANDEM_EXPORT_PNG : TANDEM_EXPORT_CSV);
}

/* Editing and removing change the layout, which is the view's. */
static void
edit_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  TandemDashboardWidget *self = TANDEM_DASHBOARD_WIDGET (widget);
  const char *target = g_str_equal (action_name, "widget.edit") ? "view.edit-widget" : "view.remove-widget";

  gtk_widget_activate_action (widget, target, "s", tandem_widget_spec_get_id (self->spec));
}

/* ---- GObject ---- */

static void
tandem_dashboard_widget_dispose (GObject *object)
{
  TandemDashboardWidget *self = (TandemDashboardWidget *) object;

  g_cancellable_cancel (self->cancellable);
  if (self->export_dialog != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->export_dialog, self);
      gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->export_dialog));
      g_clear_object (&self->export_dialog);
    }
  unbind (self);
  g_clear_object (&self->client);
  gtk_widget_dispose_template (GTK_WIDGET (self), TANDEM_TYPE_DASHBOARD_WIDGET);

  G_OBJECT_CLASS (tandem_dashboard_widget_parent_class)->dispose (object);
}

static void
tandem_dashboard_widget_finalize (GObject *object)
{
  TandemDashboardWidget *self = (TandemDashboardWidget *) object;

  g_ptr_array_unref (self->bindings);
  g_clear_pointer (&self->spec, tandem_widget_spec_unref);
  g_free (self->dashboard_id);
  g_free (self->error);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (tandem_dashboard_widget_parent_class)->finalize (object);
}

static void
tandem_dashboard_widget_get_property (GObject    *object,
                                      guint       prop_id,
                                      GValue     *value,
                                      GParamSpec *pspec)
{
  TandemDashboardWidget *self = TANDEM_DASHBOARD_WIDGET (object);

  switch (prop_id)
    {
    case PROP_SPEC:
      g_value_set_boxed (value, self->spec);
      break;
    case PROP_LOADED:
      g_value_set_boolean (value, self->loaded);
      break;
    case PROP_PAUSED:
      g_value_set_boolean (value, self->paused);
      break;
    case PROP_ERROR:
      g_value_set_string (value, self->error);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tandem_dashboard_widget_set_property (GObject      *object,
                                      guint         prop_id,
                                      const GValue *value,
                                      GParamSpec   *pspec)
{
  TandemDashboardWidget *self = TANDEM_DASHBOARD_WIDGET (object);

  switch (prop_id)
    {
    case PROP_PAUSED:
      tandem_dashboard_widget_set_paused (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tandem_dashboard_widget_class_init (TandemDashboardWidgetClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tandem_dashboard_widget_dispose;
  object_class->finalize = tandem_dashboard_widget_finalize;
  object_class->get_property = tandem_dashboard_widget_get_property;
  object_class->set_property = tandem_dashboard_widget_set_property;

  properties[PROP_SPEC] =
    g_param_spec_boxed ("spec", NULL, NULL, TANDEM_TYPE_WIDGET_SPEC,
                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LOADED] =
    g_param_spec_boolean ("loaded", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PAUSED] =
    g_param_spec_boolean ("paused", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ERROR] =
    g_param_spec_string ("error", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, "/org/gnome/Tandem/dashboards/tandem-dashboard-widget.ui");
  gtk_widget_class_bind_template_child (widget_class, TandemDashboardWidget, card);
  gtk_widget_class_bind_template_child (widget_class, TandemDashboardWidget, title_label);
  gtk_widget_class_bind_template_child (widget_class, TandemDashboardWidget, paused_label);
  gtk_widget_class_bind_template_child (widget_class, TandemDashboardWidget, menu_button);
  gtk_widget_class_bind_template_child (widget_class, TandemDashboardWidget, error_label);
  gtk_widget_class_bind_template_child (widget_class, TandemDashboardWidget, chart_bin);

  gtk_widget_class_install_action (widget_class, "widget.pause", NULL, pause_action);
  gtk_widget_class_install_action (widget_class, "widget.resume", NULL, pause_action);
  gtk_widget_class_install_action (widget_class, "widget.export-png", NULL, export_action);
  gtk_widget_class_install_action (widget_class, "widget.export-csv", NULL, export_action);
  gtk_widget_class_install_action (widget_class, "widget.edit", NULL, edit_action);
  gtk_widget_class_install_action (widget_class, "widget.remove", NULL, edit_action);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "dashboard-widget");
}

static void
tandem_dashboard_widget_init (TandemDashboardWidget *self)
{
  self->bindings = g_ptr_array_new_with_free_func (g_object_unref);
  self->cancellable = g_cancellable_new ();
  gtk_widget_init_template (GTK_WIDGET (self));
}

TandemDashboardWidget *
tandem_dashboard_widget_new (TandemClient     *client,
                             const char       *dashboard_id,
                             TandemWidgetSpec *spec)
{
  TandemDashboardWidget *self;

  g_return_val_if_fail (client == NULL || TANDEM_IS_CLIENT (client), NULL);
  g_return_val_if_fail (spec != NULL, NULL);

  self = g_object_new (TANDEM_TYPE_DASHBOARD_WIDGET, NULL);
  self->client = client ? g_object_ref (client) : NULL;
  self->dashboard_id = g_strdup (dashboard_id);
  self->spec = tandem_widget_spec_ref (spec);
  bind (self);
  return self;
}

const char *
tandem_dashboard_widget_get_widget_id (TandemDashboardWidget *self)
{
  g_return_val_if_fail (TANDEM_IS_DASHBOARD_WIDGET (self), NULL);
  return tandem_widget_spec_get_id (self->spec);
}

TandemWidgetSpec *
tandem_dashboard_widget_get_spec (TandemDashboardWidget *self)
{
  g_return_val_if_fail (TANDEM_IS_DASHBOARD_WIDGET (self), NULL);
  return self->spec;
}

void
tandem_dashboard_widget_set_spec (TandemDashboardWidget *self,
                                  TandemWidgetSpec      *spec)
{
  g_autoptr(TandemWidgetSpec) old = NULL;
  gboolean same_data;

  g_return_if_fail (TANDEM_IS_DASHBOARD_WIDGET (self));
  g_return_if_fail (spec != NULL);

  if (spec == self->spec || tandem_widget_spec_equal (spec, self->spec))
    return;

  same_data = tandem_widget_spec_equal_data (spec, self->spec);
  old = g_steal_pointer (&self->spec);
  self->spec = tandem_widget_spec_ref (spec);
  if (same_data)
    update_title (self);
  else
    {
      unbind (self);
      bind (self);
    }
  update_actions (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SPEC]);
}

gboolean
tandem_dashboard_widget_get_loaded (TandemDashboardWidget *self)
{
  g_return_val_if_fail (TANDEM_IS_DASHBOARD_WIDGET (self), FALSE);
  return self->loaded;
}

GtkWidget *
tandem_dashboard_widget_get_chart (TandemDashboardWidget *self)
{
  g_return_val_if_fail (TANDEM_IS_DASHBOARD_WIDGET (self), NULL);
  return self->chart;
}

guint
tandem_dashboard_widget_get_n_series (TandemDashboardWidget *self)
{
  g_return_val_if_fail (TANDEM_IS_DASHBOARD_WIDGET (self), 0);
  return self->broadcast_series != NULL ? 1 : self->bindings->len;
}

TandemSeries *
tandem_dashboard_widget_get_series (TandemDashboardWidget *self,
                                    guint                  index)
{
  g_return_val_if_fail (TANDEM_IS_DASHBOARD_WIDGET (self), NULL);

  if (self->broadcast_series != NULL)
    return index == 0 ? self->broadcast_series : NULL;
  if (index >= self->bindings->len)
    return NULL;
  return tandem_series_binding_get_series (self->bindings->pdata[index]);
}

GListModel *
tandem_dashboard_widget_get_rows (TandemDashboardWidget *self)
{
  g_return_val_if_fail (TANDEM_IS_DASHBOARD_WIDGET (self), NULL);

  if (!TANDEM_IS_LIVE_TABLE (self->chart) || self->bindings->len == 0)
    return NULL;
  return tandem_series_binding_get_rows (self->bindings->pdata[0]);
}

TandemSeriesBinding *
tandem_dashboard_widget_get_binding (TandemDashboardWidget *self,
                                     guint                  index)
{
  g_return_val_if_fail (TANDEM_IS_DASHBOARD_WIDGET (self), NULL);
  return index < self->bindings->len ? self->bindings->pdata[index] : NULL;
}

const char *
tandem_dashboard_widget_get_error (TandemDashboardWidget *self)
{
  g_return_val_if_fail (TANDEM_IS_DASHBOARD_WIDGET (self), NULL);
  return self->error;
}

gboolean
tandem_dashboard_widget_get_paused (TandemDashboardWidget *self)
{
  g_return_val_if_fail (TANDEM_IS_DASHBOARD_WIDGET (self), FALSE);
  return self->paused;
}

void
tandem_dashboard_widget_set_paused (TandemDashboardWidget *self,
                                    gboolean               paused)
{
  g_return_if_fail (TANDEM_IS_DASHBOARD_WIDGET (self));

  paused = !!paused;
  if (paused == self->paused)
    return;
  self->paused = paused;
  apply_paused (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PAUSED]);
}

gboolean
tandem_dashboard_widget_apply_metric (TandemDashboardWidget *self,
                                      gint64                 time_usec,
                                      double                 value)
{
  g_return_val_if_fail (TANDEM_IS_DASHBOARD_WIDGET (self), FALSE);

  if (self->broadcast_series == NULL)
    return FALSE;
  /* A repeated timestamp replaces the value rather than stacking. */
  return tandem_series_upsert (self->broadcast_series, time_usec, value);
}
