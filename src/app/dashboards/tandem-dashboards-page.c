/* tandem-dashboards-page.c
 *
 * The page follows the `dashboards` table: a REST select for the list,
 * then every row change through postgres_changes (one channel for the
 * table, shared through tandem_client_subscribe_table()), and the list
 * fetched again after each reconnect for what happened meanwhile. The
 * list is a GListStore kept sorted by name.
 *
 * Opening a dashboard swaps the list for its TandemDashboardView; the
 * first time the list arrives with nothing open, the "Demo" dashboard (or
 * else the first) opens by itself. Changing the client (signing out, or
 * into another workspace) cancels every request of the old one, drops
 * its channel and view, and starts over.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tandem-dashboards-page"

#include "config.h"

#include <glib/gi18n.h>

#include "tandem-dialog-slot.h"
#include "tandem-json-util.h"

#include "tandem-dashboard.h"
#include "tandem-dashboard-view.h"
#include "tandem-dashboards-page-private.h"

G_DEFINE_FINAL_TYPE (TandemDashboardsPage, tandem_dashboards_page, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_CLIENT,
  PROP_VIEW,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* The dashboard tandem-server --demo makes, opened first when there. */
#define DEMO_NAME "Demo"

static void
update_page (TandemDashboardsPage *self)
{
  const char *page;

  if (self->client == NULL)
    page = "signed-out";
  else if (self->view != NULL)
    page = "dashboard";
  else if (!self->listed)
    page = "loading";
  else if (g_list_model_get_n_items (G_LIST_MODEL (self->dashboards)) == 0)
    page = "empty";
  else
    page = "list";
  gtk_stack_set_visible_child_name (self->stack, page);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "dashboards.add-widget", self->view != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "dashboards.back", self->view != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "dashboards.new", self->client != NULL);
}

void
_tandem_dashboards_page_toast (TandemDashboardsPage *self,
                               const char           *message)
{
  /* The bin's child: AdwBin unparents it itself, so it is not a bound
   * template child (dispose would unparent it twice). */
  adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (adw_bin_get_child (ADW_BIN (self))), adw_toast_new (message));
}

void
_tandem_dashboards_page_show_dialog (TandemDashboardsPage *self,
                                     GtkWidget            *dialog)
{
  tandem_dialog_slot_present (&self->dialog, dialog);
}

static gboolean
find_by_id (TandemDashboardsPage *self,
            const char           *id,
            guint                *position)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->dashboards));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(TandemDashboard) dashboard = g_list_model_get_item (G_LIST_MODEL (self->dashboards), i);

      if (g_strcmp0 (tandem_dashboard_get_id (dashboard), id) == 0)
        {
          *position = i;
          return TRUE;
        }
    }
  return FALSE;
}

TandemDashboard *
_tandem_dashboards_page_lookup (TandemDashboardsPage *self,
                                const char           *id)
{
  TandemDashboard *dashboard;
  guint position;

  if (!find_by_id (self, id, &position))
    return NULL;
  dashboard = g_list_model_get_item (G_LIST_MODEL (self->dashboards), position);
  /* The store keeps it alive. */
  g_object_unref (dashboard);
  return dashboard;
}

TandemDashboard *
_tandem_dashboards_page_apply_row (TandemDashboardsPage *self,
                                   JsonObject           *row)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TandemDashboard) dashboard = NULL;
  const char *id = tandem_json_string_member (row, "id");
  guint position;

  if (id == NULL)
    return NULL;
  if (find_by_id (self, id, &position))
    {
      dashboard = g_list_model_get_item (G_LIST_MODEL (self->dashboards), position);
      if (!tandem_dashboard_update_from_row (dashboard, row, &error))
        {
          g_warning ("dashboard %s: %s", id, error->message);
          return dashboard;
        }
      /* A new name may move it. */
      g_list_store_remove (self->dashboards, position);
    }
  else
    {
      dashboard = tandem_dashboard_new_from_row (row, &error);
      if (dashboard == NULL)
        {
          g_warning ("a dashboards row: %s", error->message);
          return NULL;
        }
    }
  g_list_store_insert_sorted (self->dashboards, dashboard, tandem_dashboard_compare, NULL);
  return dashboard;
}

static void
remove_by_id (TandemDashboardsPage *self,
              const char           *id)
{
  guint position;

  if (id != NULL && find_by_id (self, id, &position))
    g_list_store_remove (self->dashboards, position);
}

static void
maybe_auto_open (TandemDashboardsPage *self)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->dashboards));
  g_autoptr(TandemDashboard) chosen = NULL;

  if (self->auto_opened || self->view != NULL || n == 0)
    return;
  self->auto_opened = TRUE;
  for (guint i = 0; i < n && chosen == NULL; i++)
    {
      g_autoptr(TandemDashboard) dashboard = g_list_model_get_item (G_LIST_MODEL (self->dashboards), i);

      if (g_str_equal (tandem_dashboard_get_name (dashboard), DEMO_NAME))
        chosen = g_steal_pointer (&dashboard);
    }
  if (chosen == NULL)
    chosen = g_list_model_get_item (G_LIST_MODEL (self->dashboards), 0);
  tandem_dashboards_page_open (self, tandem_dashboard_get_id (chosen));
}

/* ---- the list from the table ---- */

static void
list_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(TandemDashboardsPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) rows = tandem_query_execute_finish (TANDEM_QUERY (source), result, &error);
  g_autoptr(GHashTable) ids = g_hash_table_new (g_str_hash, g_str_equal);
  JsonArray *array;
  guint n;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || self->client == NULL)
    return;
  if (rows == NULL || !JSON_NODE_HOLDS_ARRAY (rows))
    {
      g_autofree char *message = g_strdup_printf (_("Could not list the dashboards: %s"),
                                                  error ? error->message : _("the server sent no rows"));

      _tandem_dashboards_page_toast (self, message);
      return;
    }

  array = json_node_get_array (rows);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      TandemDashboard *dashboard;

      if (!JSON_NODE_HOLDS_OBJECT (element))
        continue;
      dashboard = _tandem_dashboards_page_apply_row (self, json_node_get_object (element));
      if (dashboard != NULL)
        g_hash_table_add (ids, (gpointer) tandem_dashboard_get_id (dashboard));
    }
  /* Deleted while we were away. */
  n = g_list_model_get_n_items (G_LIST_MODEL (self->dashboards));
  for (guint i = n; i > 0; i--)
    {
      g_autoptr(TandemDashboard) dashboard = g_list_model_get_item (G_LIST_MODEL (self->dashboards), i - 1);

      if (!g_hash_table_contains (ids, tandem_dashboard_get_id (dashboard)))
        g_list_store_remove (self->dashboards, i - 1);
    }

  self->listed = TRUE;
  maybe_auto_open (self);
  update_page (self);
}

static void
fetch_list (TandemDashboardsPage *self)
{
  g_autoptr(TandemQuery) query = tandem_client_from (self->client, "dashboards");

  tandem_query_select (query, "id,name,layout,owner");
  tandem_query_order (query, "name", TRUE, TANDEM_NULLS_DEFAULT);
  tandem_query_execute_async (query, self->cancellable, list_cb, g_object_ref (self));
}

static void
postgres_change_cb (TandemChannel        *channel,
                    TandemChange         *change,
                    TandemDashboardsPage *self)
{
  switch (tandem_change_get_event (change))
    {
    case TANDEM_CHANGE_INSERT:
    case TANDEM_CHANGE_UPDATE:
      _tandem_dashboards_page_apply_row (self, tandem_change_get_record (change));
      break;
    case TANDEM_CHANGE_DELETE:
      remove_by_id (self, tandem_json_string_member (tandem_change_get_old_record (change), "id"));
      break;
    case TANDEM_CHANGE_ALL:
    default:
      break;
    }
  /* The first dashboard may come live (the demo makes one at start). */
  if (self->listed)
    maybe_auto_open (self);
  update_page (self);
}

static void
subscribe_state_cb (TandemChannel        *channel,
                    TandemSubscribeState  state,
                    const GError         *error,
                    TandemDashboardsPage *self)
{
  if (state != TANDEM_SUBSCRIBE_SUBSCRIBED)
    return;
  /* Back after a loss: what changed meanwhile did not come live. */
  if (self->subscribed)
    fetch_list (self);
  self->subscribed = TRUE;
}

/* ---- rows of the list ---- */

static GtkWidget *
create_row (gpointer item,
            gpointer user_data)
{
  TandemDashboard *dashboard = item;
  const char *id = tandem_dashboard_get_id (dashboard);
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *menu_button = gtk_menu_button_new ();
  g_autoptr(GMenu) menu = g_menu_new ();
  g_autoptr(GMenuItem) rename = g_menu_item_new (_("_Rename…"), NULL);
  g_autoptr(GMenuItem) delete = g_menu_item_new (_("_Delete…"), NULL);

  g_object_bind_property (dashboard, "name", row, "title", G_BINDING_SYNC_CREATE);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
  g_object_set_data_full (G_OBJECT (row), "tandem-dashboard-id", g_strdup (id), g_free);

  g_menu_item_set_action_and_target_value (rename, "dashboards.rename", g_variant_new_string (id));
  g_menu_item_set_action_and_target_value (delete, "dashboards.delete", g_variant_new_string (id));
  g_menu_append_item (menu, rename);
  g_menu_append_item (menu, delete);
  gtk_menu_button_set_menu_model (GTK_MENU_BUTTON (menu_button), G_MENU_MODEL (menu));
  gtk_menu_button_set_icon_name (GTK_MENU_BUTTON (menu_button), "view-more-symbolic");
  gtk_widget_set_valign (menu_button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (menu_button, "flat");
  gtk_widget_set_tooltip_text (menu_button, _("Dashboard Menu"));
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), menu_button);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), gtk_image_new_from_icon_name ("go-next-symbolic"));
  return row;
}

static void
row_activated_cb (TandemDashboardsPage *self,
                  GtkListBoxRow        *row)
{
  const char *id = g_object_get_data (G_OBJECT (row), "tandem-dashboard-id");

  if (id != NULL)
    tandem_dashboards_page_open (self, id);
}

/* ---- the client ---- */

static void
close_view (TandemDashboardsPage *self)
{
  if (self->view == NULL)
    return;
  adw_bin_set_child (self->view_bin, NULL);
  self->view = NULL;
  gtk_label_set_label (self->dashboard_title, "");
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VIEW]);
}

static void
teardown (TandemDashboardsPage *self)
{
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->dialog != NULL)
    gtk_window_destroy (self->dialog);
  g_clear_weak_pointer (&self->dialog);
  if (self->channel != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->channel, self);
      g_clear_object (&self->channel);
    }
  close_view (self);
  if (self->dashboards != NULL)
    g_list_store_remove_all (self->dashboards);
  self->listed = FALSE;
  self->subscribed = FALSE;
  self->auto_opened = FALSE;
}

static void
setup (TandemDashboardsPage *self)
{
  g_autoptr(GError) error = NULL;

  self->cancellable = g_cancellable_new ();
  self->channel = tandem_client_subscribe_table (self->client, "public", "dashboards", TANDEM_CHANGE_ALL, NULL, &error);
  if (self->channel != NULL)
    {
      g_signal_connect_object (self->channel, "postgres-change", G_CALLBACK (postgres_change_cb), self, 0);
      g_signal_connect_object (self->channel, "subscribe-state", G_CALLBACK (subscribe_state_cb), self, 0);
      self->subscribed = tandem_channel_get_status (self->channel) == TANDEM_STATUS_CONNECTED;
    }
  else
    g_warning ("dashboards: no live list: %s", error->message);
  fetch_list (self);
}

/* ---- actions ---- */

static void
open_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  tandem_dashboards_page_open (TANDEM_DASHBOARDS_PAGE (widget), g_variant_get_string (parameter, NULL));
}

static void
back_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  TandemDashboardsPage *self = TANDEM_DASHBOARDS_PAGE (widget);

  close_view (self);
  update_page (self);
}

static void
add_widget_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  TandemDashboardsPage *self = TANDEM_DASHBOARDS_PAGE (widget);

  if (self->view != NULL)
    gtk_widget_activate_action (GTK_WIDGET (self->view), "view.add-widget", NULL);
}

/* ---- GObject ---- */

static void
tandem_dashboards_page_dispose (GObject *object)
{
  TandemDashboardsPage *self = (TandemDashboardsPage *) object;

  teardown (self);
  g_clear_object (&self->client);
  gtk_widget_dispose_template (GTK_WIDGET (self), TANDEM_TYPE_DASHBOARDS_PAGE);

  G_OBJECT_CLASS (tandem_dashboards_page_parent_class)->dispose (object);
}

static void
tandem_dashboards_page_finalize (GObject *object)
{
  TandemDashboardsPage *self = (TandemDashboardsPage *) object;

  g_clear_object (&self->dashboards);

  G_OBJECT_CLASS (tandem_dashboards_page_parent_class)->finalize (object);
}

static void
tandem_dashboards_page_get_property (GObject    *object,
                                     guint       prop_id,
                                     GValue     *value,
                                     GParamSpec *pspec)
{
  TandemDashboardsPage *self = TANDEM_DASHBOARDS_PAGE (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      g_value_set_object (value, self->client);
      break;
    case PROP_VIEW:
      g_value_set_object (value, self->view);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tandem_dashboards_page_set_property (GObject      *object,
                                     guint         prop_id,
                                     const GValue *value,
                                     GParamSpec   *pspec)
{
  TandemDashboardsPage *self = TANDEM_DASHBOARDS_PAGE (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      tandem_dashboards_page_set_client (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tandem_dashboards_page_class_init (TandemDashboardsPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tandem_dashboards_page_dispose;
  object_class->finalize = tandem_dashboards_page_finalize;
  object_class->get_property = tandem_dashboards_page_get_property;
  object_class->set_property = tandem_dashboards_page_set_property;

  properties[PROP_CLIENT] =
    g_param_spec_object ("client", NULL, NULL, TANDEM_TYPE_CLIENT,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_VIEW] =
    g_param_spec_object ("view", NULL, NULL, TANDEM_TYPE_DASHBOARD_VIEW,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, "/org/gnome/Tandem/dashboards/tandem-dashboards-page.ui");
  gtk_widget_class_bind_template_child (widget_class, TandemDashboardsPage, stack);
  gtk_widget_class_bind_template_child (widget_class, TandemDashboardsPage, list_box);
  gtk_widget_class_bind_template_child (widget_class, TandemDashboardsPage, dashboard_title);
  gtk_widget_class_bind_template_child (widget_class, TandemDashboardsPage, dashboard_menu_button);
  gtk_widget_class_bind_template_child (widget_class, TandemDashboardsPage, view_bin);

  gtk_widget_class_install_action (widget_class, "dashboards.open", "s", open_action);
  gtk_widget_class_install_action (widget_class, "dashboards.new", NULL, _tandem_dashboards_page_new_action);
  gtk_widget_class_install_action (widget_class, "dashboards.add-widget", NULL, add_widget_action);
  gtk_widget_class_install_action (widget_class, "dashboards.back", NULL, back_action);
  gtk_widget_class_install_action (widget_class, "dashboards.rename", "s", _tandem_dashboards_page_rename_action);
  gtk_widget_class_install_action (widget_class, "dashboards.delete", "s", _tandem_dashboards_page_delete_action);
}

static void
tandem_dashboards_page_init (TandemDashboardsPage *self)
{
  self->dashboards = g_list_store_new (TANDEM_TYPE_DASHBOARD);
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_list_box_bind_model (self->list_box, G_LIST_MODEL (self->dashboards), create_row, self, NULL);
  g_signal_connect_object (self->list_box, "row-activated", G_CALLBACK (row_activated_cb), self, G_CONNECT_SWAPPED);
  update_page (self);
}

GtkWidget *
tandem_dashboards_page_new (void)
{
  return g_object_new (TANDEM_TYPE_DASHBOARDS_PAGE, NULL);
}

TandemClient *
tandem_dashboards_page_get_client (TandemDashboardsPage *self)
{
  g_return_val_if_fail (TANDEM_IS_DASHBOARDS_PAGE (self), NULL);
  return self->client;
}

void
tandem_dashboards_page_set_client (TandemDashboardsPage *self,
                                   TandemClient         *client)
{
  g_return_if_fail (TANDEM_IS_DASHBOARDS_PAGE (self));
  g_return_if_fail (client == NULL || TANDEM_IS_CLIENT (client));

  if (client == self->client)
    return;
  teardown (self);
  g_set_object (&self->client, client);
  if (client != NULL)
    setup (self);
  update_page (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CLIENT]);
}

GListModel *
tandem_dashboards_page_get_dashboards (TandemDashboardsPage *self)
{
  g_return_val_if_fail (TANDEM_IS_DASHBOARDS_PAGE (self), NULL);
  return G_LIST_MODEL (self->dashboards);
}

void
tandem_dashboards_page_open (TandemDashboardsPage *self,
                             const char           *dashboard_id)
{
  g_autoptr(GMenu) menu = g_menu_new ();
  g_autoptr(GMenuItem) rename = g_menu_item_new (_("_Rename…"), NULL);
  g_autoptr(GMenuItem) delete = g_menu_item_new (_("_Delete…"), NULL);
  TandemDashboardView *view;

  g_return_if_fail (TANDEM_IS_DASHBOARDS_PAGE (self));
  g_return_if_fail (dashboard_id != NULL);

  if (self->client == NULL)
    return;
  /* Opened, even by hand: no dashboard opens by itself any more. */
  self->auto_opened = TRUE;
  if (self->view != NULL && g_str_equal (tandem_dashboard_view_get_dashboard_id (self->view), dashboard_id))
    {
      update_page (self);
      return;
    }

  close_view (self);
  /* The view fetches its row itself: a dashboard not listed yet opens too. */
  view = tandem_dashboard_view_new (self->client, dashboard_id);
  self->view = view;
  adw_bin_set_child (self->view_bin, GTK_WIDGET (view));
  g_object_bind_property (view, "name", self->dashboard_title, "label", G_BINDING_SYNC_CREATE);

  g_menu_item_set_action_and_target_value (rename, "dashboards.rename", g_variant_new_string (dashboard_id));
  g_menu_item_set_action_and_target_value (delete, "dashboards.delete", g_variant_new_string (dashboard_id));
  g_menu_append_item (menu, rename);
  g_menu_append_item (menu, delete);
  gtk_menu_button_set_menu_model (self->dashboard_menu_button, G_MENU_MODEL (menu));

  update_page (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VIEW]);
}

TandemDashboardView *
tandem_dashboards_page_get_view (TandemDashboardsPage *self)
{
  g_return_val_if_fail (TANDEM_IS_DASHBOARDS_PAGE (self), NULL);
  return self->view;
}
