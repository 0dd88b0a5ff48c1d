/* tandem-dashboards-page-actions.c: New Dashboard, Rename, Delete
 *
 * Each asks in an AdwMessageDialog, then writes the `dashboards` table
 * through REST; the list follows from the postgres_changes that the write
 * causes (the row returned is applied at once too, so that a slow channel
 * does not leave the page behind its own write). Only the owner may
 * delete a dashboard: the row-level policy then deletes nothing, which is
 * told apart by asking for the deleted rows back.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tandem-dashboards-page"

#include "config.h"

#include <glib/gi18n.h>

#include "tandem-confirm-dialog.h"
#include "tandem-dashboard.h"
#include "tandem-dashboard-layout.h"
#include "tandem-dashboards-page-private.h"
#include "tandem-name-dialog.h"


typedef enum
{
  WRITE_NEW,
  WRITE_RENAME,
  WRITE_DELETE,
} WriteKind;

typedef struct
{
  TandemDashboardsPage *self;
  WriteKind             kind;
  char                 *id;
} Write;

static void
write_free (Write *write)
{
  g_object_unref (write->self);
  g_free (write->id);
  g_free (write);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Write, write_free)

static Write *
write_new (TandemDashboardsPage *self,
           WriteKind             kind,
           const char           *id)
{
  Write *write = g_new0 (Write, 1);

  write->self = g_object_ref (self);
  write->kind = kind;
  write->id = g_strdup (id);
  return write;
}

static void
write_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(Write) write = user_data;
  TandemDashboardsPage *self = write->self;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) rows = tandem_query_execute_finish (TANDEM_QUERY (source), result, &error);
  JsonArray *array = rows != NULL && JSON_NODE_HOLDS_ARRAY (rows) ? json_node_get_array (rows) : NULL;
  JsonObject *row = array != NULL && json_array_get_length (array) > 0 ? json_array_get_object_element (array, 0) : NULL;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || self->client == NULL)
    return;
  if (error != NULL)
    {
      g_autofree char *message = g_strdup_printf (_("Could not change the dashboard: %s"), error->message);

      _tandem_dashboards_page_toast (self, message);
      return;
    }

  switch (write->kind)
    {
    case WRITE_NEW:
      if (row != NULL && _tandem_dashboards_page_apply_row (self, row) != NULL)
        tandem_dashboards_page_open (self, json_object_get_string_member (row, "id"));
      break;
    case WRITE_RENAME:
      if (row != NULL)
        _tandem_dashboards_page_apply_row (self, row);
      else
        _tandem_dashboards_page_toast (self, _("The dashboard is gone"));
      break;
    case WRITE_DELETE:
      if (row == NULL)
        _tandem_dashboards_page_toast (self, _("Only the dashboard’s owner can delete it"));
      break;
    default:
      g_assert_not_reached ();
    }
}

static GtkWindow *
parent_window (TandemDashboardsPage *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  return GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL;
}

static void
new_response_cb (AdwMessageDialog     *dialog,
                 const char           *response,
                 TandemDashboardsPage *self)
{
  g_autofree char *name = tandem_name_dialog_dup_name (dialog);
  g_autoptr(TandemDashboardLayout) layout = NULL;
  g_autoptr(TandemQuery) query = NULL;
  g_autoptr(JsonObject) row = NULL;
  g_autoptr(JsonNode) node = NULL;

  if (!g_str_equal (response, "create") || name == NULL || self->client == NULL)
    return;

  layout = tandem_dashboard_layout_new ();
  row = json_object_new ();
  json_object_set_string_member (row, "name", name);
  json_object_set_member (row, "layout", tandem_dashboard_layout_to_json (layout));
  node = json_node_init_object (json_node_alloc (), row);

  query = tandem_client_from (self->client, "dashboards");
  tandem_query_insert (query, node);
  tandem_query_select (query, "id,name,layout,owner");
  tandem_query_execute_async (query, self->cancellable, write_cb, write_new (self, WRITE_NEW, NULL));
}

void
_tandem_dashboards_page_new_action (GtkWidget  *widget,
                                    const char *action_name,
                                    GVariant   *parameter)
{
  TandemDashboardsPage *self = TANDEM_DASHBOARDS_PAGE (widget);
  GtkWidget *dialog;

  if (self->client == NULL)
    return;
  dialog = tandem_name_dialog_new (parent_window (self), _("New Dashboard"), "create", _("C_reate"), "");
  g_signal_connect_object (dialog, "response", G_CALLBACK (new_response_cb), self, 0);
  _tandem_dashboards_page_show_dialog (self, dialog);
}

static void
rename_response_cb (AdwMessageDialog     *dialog,
                    const char           *response,
                    TandemDashboardsPage *self)
{
  const char *id = g_object_get_data (G_OBJECT (dialog), "tandem-dashboard-id");
  g_autofree char *name = tandem_name_dialog_dup_name (dialog);
  g_autoptr(TandemQuery) query = NULL;
  g_autoptr(JsonObject) values = NULL;

  if (!g_str_equal (response, "rename") || name == NULL || self->client == NULL)
    return;

  values = json_object_new ();
  json_object_set_string_member (values, "name", name);
  query = tandem_client_from (self->client, "dashboards");
  tandem_query_update (query, values);
  tandem_query_eq (query, "id", id);
  tandem_query_select (query, "id,name,layout,owner");
  tandem_query_execute_async (query, self->cancellable, write_cb, write_new (self, WRITE_RENAME, id));
}

void
_tandem_dashboards_page_rename_action (GtkWidget  *widget,
                                       const char *action_name,
                                       GVariant   *parameter)
{
  TandemDashboardsPage *self = TANDEM_DASHBOARDS_PAGE (widget);
  const char *id = g_variant_get_string (parameter, NULL);
  TandemDashboard *dashboard = _tandem_dashboards_page_lookup (self, id);
  GtkWidget *dialog;

  if (self->client == NULL || dashboard == NULL)
    return;
  dialog = tandem_name_dialog_new (parent_window (self), _("Rename Dashboard"), "rename", _("_Rename"), tandem_dashboard_get_name (dashboard));
  g_object_set_data_full (G_OBJECT (dialog), "tandem-dashboard-id", g_strdup (id), g_free);
  g_signal_connect_object (dialog, "response", G_CALLBACK (rename_response_cb), self, 0);
  _tandem_dashboards_page_show_dialog (self, dialog);
}

static void
delete_response_cb (AdwMessageDialog     *dialog,
                    const char           *response,
                    TandemDashboardsPage *self)
{
  const char *id = g_object_get_data (G_OBJECT (dialog), "tandem-dashboard-id");
  g_autoptr(TandemQuery) query = NULL;

  if (!g_str_equal (response, "delete") || self->client == NULL)
    return;

  query = tandem_client_from (self->client, "dashboards");
  tandem_query_delete (query);
  tandem_query_eq (query, "id", id);
  tandem_query_select (query, "id");
  tandem_query_execute_async (query, self->cancellable, write_cb, write_new (self, WRITE_DELETE, id));
}

void
_tandem_dashboards_page_delete_action (GtkWidget  *widget,
                                       const char *action_name,
                                       GVariant   *parameter)
{
  TandemDashboardsPage *self = TANDEM_DASHBOARDS_PAGE (widget);
  const char *id = g_variant_get_string (parameter, NULL);
  TandemDashboard *dashboard = _tandem_dashboards_page_lookup (self, id);
  g_autofree char *body = NULL;
  GtkWidget *dialog;

  if (self->client == NULL || dashboard == NULL)
    return;
  body = g_strdup_printf (_("“%s” and its widgets are deleted for everyone in the workspace."),
                          tandem_dashboard_get_name (dashboard));
  dialog = tandem_confirm_dialog_new (parent_window (self), _("Delete Dashboard?"), body, "delete", _("_Delete"));
  g_object_set_data_full (G_OBJECT (dialog), "tandem-dashboard-id", g_strdup (id), g_free);
  g_signal_connect_object (dialog, "response", G_CALLBACK (delete_response_cb), self, 0);
  _tandem_dashboards_page_show_dialog (self, dialog);
}
