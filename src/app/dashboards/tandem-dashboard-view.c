/* tandem-dashboard-view.c
 *
 * The view fetches its dashboard's row itself and then follows it: a
 * postgres_changes channel on `dashboards` filtered to this id brings
 * every edit (anyone's, ours included: the editor only writes the row),
 * and after a reconnect the row is fetched again for the edits missed.
 * A new layout is applied widget by widget: a widget whose data did not
 * change keeps its binding and only moves or changes its title.
 *
 * `metric_update` broadcasts come on the channel `dashboard:<id>` and go
 * to the widget they name; anything ill-formed is dropped.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tandem-dashboard-view"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "tandem-confirm-dialog.h"
#include "tandem-dashboard.h"
#include "tandem-dashboard-grid.h"
#include "tandem-dashboard-layout.h"
#include "tandem-dashboard-util.h"
#include "tandem-dashboard-view.h"
#include "tandem-dashboard-widget.h"
#include "tandem-dialog-slot.h"
#include "tandem-widget-editor.h"

struct _TandemDashboardView
{
  GtkWidget              parent_instance;

  TandemClient          *client;
  char                  *dashboard_id;
  TandemDashboard       *dashboard;
  TandemDashboardLayout *layout;
  GPtrArray             *widgets;        /* of TandemDashboardWidget, layout order */
  gboolean               loaded;
  char                  *error;

  TandemChannel         *broadcasts;     /* dashboard:<id> */
  TandemChannel         *changes;        /* the row's postgres_changes */
  gboolean               subscribed;
  GCancellable          *cancellable;
  GtkWindow             *editor;
  GtkWindow             *confirm;

  GtkStack              *stack;
  AdwStatusPage         *error_page;
  TandemDashboardGrid   *grid;
};

G_DEFINE_FINAL_TYPE (TandemDashboardView, tandem_dashboard_view, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_DASHBOARD_ID,
  PROP_NAME,
  PROP_LOADED,
  PROP_ERROR,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
set_error (TandemDashboardView *self,
           const char          *error)
{
  if (g_strcmp0 (error, self->error) == 0)
    return;
  g_free (self->error);
  self->error = g_strdup (error);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ERROR]);
}

static void
update_page (TandemDashboardView *self)
{
  const char *page;

  if (self->error != NULL)
    {
      adw_status_page_set_description (self->error_page, self->error);
      page = "error";
    }
  else if (self->dashboard == NULL)
    page = "loading";
  else if (self->widgets->len == 0)
    page = "empty";
  else
    page = "grid";
  gtk_stack_set_visible_child_name (self->stack, page);
}

static void
update_loaded (TandemDashboardView *self)
{
  gboolean loaded = self->dashboard != NULL || self->error != NULL;

  for (guint i = 0; i < self->widgets->len && loaded; i++)
    loaded = tandem_dashboard_widget_get_loaded (self->widgets->pdata[i]);
  if (loaded == self->loaded)
    return;
  self->loaded = loaded;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADED]);
}

static TandemDashboardWidget *
find_widget (TandemDashboardView *self,
             const char          *id)
{
  for (guint i = 0; i < self->widgets->len; i++)
    if (g_strcmp0 (tandem_dashboard_widget_get_widget_id (self->widgets->pdata[i]), id) == 0)
      return self->widgets->pdata[i];
  return NULL;
}

static void
apply_layout (TandemDashboardView   *self,
              TandemDashboardLayout *layout)
{
  g_autoptr(GPtrArray) widgets = g_ptr_array_new_with_free_func (g_object_unref);

  g_clear_pointer (&self->layout, tandem_dashboard_layout_unref);
  self->layout = tandem_dashboard_layout_ref (layout);

  for (guint i = 0; i < tandem_dashboard_layout_get_n_widgets (layout); i++)
    {
      TandemWidgetSpec *spec = tandem_dashboard_layout_get_widget (layout, i);
      TandemDashboardWidget *widget = find_widget (self, tandem_widget_spec_get_id (spec));
      guint x, y, width, height;

      if (widget != NULL)
        {
          g_object_ref (widget);
          g_ptr_array_remove (self->widgets, widget);
          tandem_dashboard_widget_set_spec (widget, spec);
        }
      else
        {
          widget = g_object_ref_sink (tandem_dashboard_widget_new (self->client, self->dashboard_id, spec));
          g_signal_connect_object (widget, "notify::loaded", G_CALLBACK (update_loaded), self, G_CONNECT_SWAPPED);
        }
      tandem_widget_spec_get_position (spec, &x, &y, &width, &height);
      tandem_dashboard_grid_put (self->grid, GTK_WIDGET (widget), x, y, width, height);
      g_ptr_array_add (widgets, widget);
    }

  /* What is left is gone from the layout. */
  for (guint i = 0; i < self->widgets->len; i++)
    {
      GtkWidget *widget = self->widgets->pdata[i];

      g_signal_handlers_disconnect_by_data (widget, self);
      tandem_dashboard_grid_remove (self->grid, widget);
    }
  g_ptr_array_unref (self->widgets);
  self->widgets = g_steal_pointer (&widgets);

  update_page (self);
  update_loaded (self);
}

static void
apply_row (TandemDashboardView *self,
           JsonObject          *row)
{
  g_autoptr(GError) error = NULL;
  const char *old_name = self->dashboard ? tandem_dashboard_get_name (self->dashboard) : "";
  g_autofree char *name = g_strdup (old_name);

  if (self->dashboard == NULL)
    self->dashboard = tandem_dashboard_new_from_row (row, &error);
  else
    tandem_dashboard_update_from_row (self->dashboard, row, &error);
  if (self->dashboard == NULL || error != NULL)
    {
      g_warning ("dashboard %s: %s", self->dashboard_id, error ? error->message : "no row");
      return;
    }

  set_error (self, tandem_dashboard_get_layout_error (self->dashboard));
  apply_layout (self, tandem_dashboard_get_layout (self->dashboard));
  if (!g_str_equal (name, tandem_dashboard_get_name (self->dashboard)))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NAME]);
}

static void
fetch_row_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(TandemDashboardView) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) rows = tandem_query_execute_finish (TANDEM_QUERY (source), result, &error);
  JsonArray *array;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || self->client == NULL)
    return;
  if (rows == NULL || !JSON_NODE_HOLDS_ARRAY (rows))
    {
      g_autofree char *message = g_strdup_printf (_("Could not load the dashboard: %s"),
                                                  error ? error->message : _("the server sent no rows"));

      /* A view already showing keeps showing; the next reconnect retries. */
      if (self->dashboard == NULL)
        {
          set_error (self, message);
          update_page (self);
          update_loaded (self);
        }
      return;
    }
  array = json_node_get_array (rows);
  if (json_array_get_length (array) == 0 || !JSON_NODE_HOLDS_OBJECT (json_array_get_element (array, 0)))
    {
      set_error (self, _("This dashboard does not exist, or it was deleted."));
      update_page (self);
      update_loaded (self);
      return;
    }
  apply_row (self, json_array_get_object_element (array, 0));
}

static void
fetch_row (TandemDashboardView *self)
{
  g_autoptr(TandemQuery) query = tandem_client_from (self->client, "dashboards");

  tandem_query_select (query, "id,name,layout,owner");
  tandem_query_eq (query, "id", self->dashboard_id);
  tandem_query_execute_async (query, self->cancellable, fetch_row_cb, g_object_ref (self));
}

static void
postgres_change_cb (TandemChannel       *channel,
                    TandemChange        *change,
                    TandemDashboardView *self)
{
  switch (tandem_change_get_event (change))
    {
    case TANDEM_CHANGE_UPDATE:
    case TANDEM_CHANGE_INSERT:
      apply_row (self, tandem_change_get_record (change));
      break;
    case TANDEM_CHANGE_DELETE:
      set_error (self, _("This dashboard was deleted."));
      update_page (self);
      break;
    case TANDEM_CHANGE_ALL:
    default:
      break;
    }
}

static void
subscribe_state_cb (TandemChannel        *channel,
                    TandemSubscribeState  state,
                    const GError         *error,
                    TandemDashboardView  *self)
{
  if (state != TANDEM_SUBSCRIBE_SUBSCRIBED)
    return;
  /* Back after a loss: edits made meanwhile did not come live. */
  if (self->subscribed)
    fetch_row (self);
  self->subscribed = TRUE;
}

static void
broadcast_cb (TandemChannel       *channel,
              const char          *event,
              JsonNode            *payload,
              TandemDashboardView *self)
{
  g_autofree char *widget_id = NULL;
  g_autoptr(GError) error = NULL;
  TandemDashboardWidget *widget;
  double value;
  gint64 time_usec;

  if (!tandem_metric_update_parse (payload, &widget_id, &value, &time_usec, &error))
    {
      g_debug ("dashboard %s: %s", self->dashboard_id, error->message);
      return;
    }
  widget = find_widget (self, widget_id);
  if (widget != NULL)
    tandem_dashboard_widget_apply_metric (widget, time_usec, value);
}

/* ---- editing ---- */

static void
open_editor (TandemDashboardView *self,
             const char          *widget_id)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  TandemWidgetEditor *editor;

  if (self->layout == NULL || self->client == NULL)
    return;
  if (self->editor != NULL)
    gtk_window_destroy (self->editor);

  editor = tandem_widget_editor_new (self->client, self->dashboard_id, self->layout, widget_id);
  if (GTK_IS_WINDOW (root))
    gtk_window_set_transient_for (GTK_WINDOW (editor), GTK_WINDOW (root));
  g_set_weak_pointer (&self->editor, GTK_WINDOW (editor));
  gtk_window_present (GTK_WINDOW (editor));
}

static void
edit_widget_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  open_editor (TANDEM_DASHBOARD_VIEW (widget), g_variant_get_string (parameter, NULL));
}

static void
add_widget_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  open_editor (TANDEM_DASHBOARD_VIEW (widget), NULL);
}

static void
remove_saved_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(TandemDashboardView) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!tandem_dashboard_save_layout_finish (result, &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_warning ("dashboard %s: removing a widget: %s", self->dashboard_id, error->message);
}

static void
confirm_response_cb (AdwMessageDialog    *dialog,
                     const char          *response,
                     TandemDashboardView *self)
{
  const char *widget_id = g_object_get_data (G_OBJECT (dialog), "tandem-widget-id");
  g_autoptr(TandemDashboardLayout) layout = NULL;

  if (!g_str_equal (response, "remove") || self->layout == NULL || self->client == NULL)
    return;
  layout = tandem_dashboard_layout_copy (self->layout);
  if (!tandem_dashboard_layout_remove_widget (layout, widget_id))
    return;
  tandem_dashboard_save_layout_async (self->client, self->dashboard_id, layout, self->cancellable,
                                      remove_saved_cb, g_object_ref (self));
}

static void
remove_widget_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  TandemDashboardView *self = TANDEM_DASHBOARD_VIEW (widget);
  const char *widget_id = g_variant_get_string (parameter, NULL);
  TandemDashboardWidget *target = find_widget (self, widget_id);
  GtkRoot *root = gtk_widget_get_root (widget);
  g_autofree char *body = NULL;
  GtkWidget *dialog;

  if (target == NULL)
    return;

  body = g_strdup_printf (_("“%s” is removed from the dashboard for everyone."),
                          tandem_widget_spec_get_title (tandem_dashboard_widget_get_spec (target)));
  dialog = tandem_confirm_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, _("Remove Widget?"), body,
                                      "remove", _("_Remove"));
  g_object_set_data_full (G_OBJECT (dialog), "tandem-widget-id", g_strdup (widget_id), g_free);
  g_signal_connect_object (dialog, "response", G_CALLBACK (confirm_response_cb), self, 0);
  tandem_dialog_slot_present (&self->confirm, dialog);
}

/* ---- GObject ---- */

static void
tandem_dashboard_view_dispose (GObject *object)
{
  TandemDashboardView *self = (TandemDashboardView *) object;

  g_cancellable_cancel (self->cancellable);
  if (self->editor != NULL)
    gtk_window_destroy (self->editor);
  g_clear_weak_pointer (&self->editor);
  if (self->confirm != NULL)
    gtk_window_destroy (self->confirm);
  g_clear_weak_pointer (&self->confirm);
  if (self->broadcasts != NULL)
    g_signal_handlers_disconnect_by_data (self->broadcasts, self);
  if (self->changes != NULL)
    g_signal_handlers_disconnect_by_data (self->changes, self);
  /* Both are shared by name: others viewing this dashboard keep them. */
  g_clear_object (&self->broadcasts);
  g_clear_object (&self->changes);
  g_clear_object (&self->client);
  g_ptr_array_set_size (self->widgets, 0);
  gtk_widget_dispose_template (GTK_WIDGET (self), TANDEM_TYPE_DASHBOARD_VIEW);

  G_OBJECT_CLASS (tandem_dashboard_view_parent_class)->dispose (object);
}

static void
tandem_dashboard_view_finalize (GObject *object)
{
  TandemDashboardView *self = (TandemDashboardView *) object;

  g_ptr_array_unref (self->widgets);
  g_clear_object (&self->dashboard);
  g_clear_pointer (&self->layout, tandem_dashboard_layout_unref);
  g_free (self->dashboard_id);
  g_free (self->error);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (tandem_dashboard_view_parent_class)->finalize (object);
}

static void
tandem_dashboard_view_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  TandemDashboardView *self = TANDEM_DASHBOARD_VIEW (object);

  switch (prop_id)
    {
    case PROP_DASHBOARD_ID:
      g_value_set_string (value, self->dashboard_id);
      break;
    case PROP_NAME:
      g_value_set_string (value, tandem_dashboard_view_get_name (self));
      break;
    case PROP_LOADED:
      g_value_set_boolean (value, self->loaded);
      break;
    case PROP_ERROR:
      g_value_set_string (value, self->error);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tandem_dashboard_view_class_init (TandemDashboardViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tandem_dashboard_view_dispose;
  object_class->finalize = tandem_dashboard_view_finalize;
  object_class->get_property = tandem_dashboard_view_get_property;

  properties[PROP_DASHBOARD_ID] =
    g_param_spec_string ("dashboard-id", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL, "", G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LOADED] =
    g_param_spec_boolean ("loaded", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ERROR] =
    g_param_spec_string ("error", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (TANDEM_TYPE_DASHBOARD_GRID);
  gtk_widget_class_set_template_from_resource (widget_class, "/org/gnome/Tandem/dashboards/tandem-dashboard-view.ui");
  gtk_widget_class_bind_template_child (widget_class, TandemDashboardView, stack);
  gtk_widget_class_bind_template_child (widget_class, TandemDashboardView, error_page);
  gtk_widget_class_bind_template_child (widget_class, TandemDashboardView, grid);

  gtk_widget_class_install_action (widget_class, "view.add-widget", NULL, add_widget_action);
  gtk_widget_class_install_action (widget_class, "view.edit-widget", "s", edit_widget_action);
  gtk_widget_class_install_action (widget_class, "view.remove-widget", "s", remove_widget_action);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "dashboard-view");
}

static void
tandem_dashboard_view_init (TandemDashboardView *self)
{
  self->widgets = g_ptr_array_new_with_free_func (g_object_unref);
  self->cancellable = g_cancellable_new ();
  gtk_widget_init_template (GTK_WIDGET (self));
}

static gboolean
is_plain_id (const char *id)
{
  if (*id == '\0')
    return FALSE;
  for (const char *p = id; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && *p != '-' && *p != '_')
      return FALSE;
  return TRUE;
}

TandemDashboardView *
tandem_dashboard_view_new (TandemClient *client,
                           const char   *dashboard_id)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL;
  g_autofree char *filter = NULL;
  TandemDashboardView *self;

  g_return_val_if_fail (TANDEM_IS_CLIENT (client), NULL);
  g_return_val_if_fail (dashboard_id != NULL, NULL);

  self = g_object_new (TANDEM_TYPE_DASHBOARD_VIEW, NULL);
  self->client = g_object_ref (client);
  self->dashboard_id = g_strdup (dashboard_id);

  name = g_strconcat ("dashboard:", dashboard_id, NULL);
  self->broadcasts = tandem_client_channel (client, name, NULL);
  g_signal_connect_object (self->broadcasts, "broadcast::metric_update", G_CALLBACK (broadcast_cb), self, 0);
  tandem_channel_subscribe (self->broadcasts);

  /* Dashboard ids are uuids; anything else would not be a plain value
   * in the filter and is not followed live. */
  if (is_plain_id (dashboard_id))
    filter = g_strdup_printf ("id=eq.%s", dashboard_id);
  if (filter != NULL)
    self->changes = tandem_client_subscribe_table (client, "public", "dashboards", TANDEM_CHANGE_ALL, filter, &error);
  if (self->changes != NULL)
    {
      g_signal_connect_object (self->changes, "postgres-change", G_CALLBACK (postgres_change_cb), self, 0);
      g_signal_connect_object (self->changes, "subscribe-state", G_CALLBACK (subscribe_state_cb), self, 0);
      self->subscribed = tandem_channel_get_status (self->changes) == TANDEM_STATUS_CONNECTED;
    }
  else
    g_warning ("dashboard %s: no live layout: %s", dashboard_id, error ? error->message : "not a uuid");

  fetch_row (self);
  return self;
}

const char *
tandem_dashboard_view_get_dashboard_id (TandemDashboardView *self)
{
  g_return_val_if_fail (TANDEM_IS_DASHBOARD_VIEW (self), NULL);
  return self->dashboard_id;
}

const char *
tandem_dashboard_view_get_name (TandemDashboardView *self)
{
  g_return_val_if_fail (TANDEM_IS_DASHBOARD_VIEW (self), NULL);
  return self->dashboard ? tandem_dashboard_get_name (self->dashboard) : "";
}

gboolean
tandem_dashboard_view_get_loaded (TandemDashboardView *self)
{
  g_return_val_if_fail (TANDEM_IS_DASHBOARD_VIEW (self), FALSE);
  return self->loaded;
}

guint
tandem_dashboard_view_get_n_widgets (TandemDashboardView *self)
{
  g_return_val_if_fail (TANDEM_IS_DASHBOARD_VIEW (self), 0);
  return self->widgets->len;
}

TandemDashboardWidget *
tandem_dashboard_view_get_nth_widget (TandemDashboardView *self,
                                      guint                position)
{
  g_return_val_if_fail (TANDEM_IS_DASHBOARD_VIEW (self), NULL);
  return position < self->widgets->len ? self->widgets->pdata[position] : NULL;
}

TandemDashboardWidget *
tandem_dashboard_view_get_widget (TandemDashboardView *self,
                                  const char          *widget_id)
{
  g_return_val_if_fail (TANDEM_IS_DASHBOARD_VIEW (self), NULL);
  return find_widget (self, widget_id);
}

TandemDashboardLayout *
tandem_dashboard_view_get_layout (TandemDashboardView *self)
{
  g_return_val_if_fail (TANDEM_IS_DASHBOARD_VIEW (self), NULL);
  return self->layout;
}

const char *
tandem_dashboard_view_get_error (TandemDashboardView *self)
{
  g_return_val_if_fail (TANDEM_IS_DASHBOARD_VIEW (self), NULL);
  return self->error;
}

guint
tandem_dashboard_view_get_columns (TandemDashboardView *self)
{
  g_return_val_if_fail (TANDEM_IS_DASHBOARD_VIEW (self), 0);
  return tandem_dashboard_grid_get_columns (self->grid);
}

TandemWidgetEditor *
tandem_dashboard_view_get_editor (TandemDashboardView *self)
{
  g_return_val_if_fail (TANDEM_IS_DASHBOARD_VIEW (self), NULL);
  return (TandemWidgetEditor *) self->editor;
}
