/* tandem-whiteboards-page-actions.c: New Whiteboard, Rename, Delete
 *
 * Each asks in an AdwMessageDialog, then writes the `whiteboards` table
 * through REST; the rows written come back and are shown at once (the
 * change comes live too, and a fetch's answer on its way does not undo
 * them). Only the owner may delete a board: the row-level policy then
 * deletes nothing, which is told apart by asking for the deleted rows
 * back. A write that finds the list out of date fetches it again.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tandem-whiteboards-page"

#include "config.h"

#include <glib/gi18n.h>

#include "tandem-confirm-dialog.h"
#include "tandem-dialog-slot.h"
#include "tandem-json-util.h"

#include "tandem-whiteboards-page-private.h"
#include "tandem-name-dialog.h"

/* ---- writes ---- */

typedef enum
{
  WRITE_NEW,
  WRITE_RENAME,
  WRITE_DELETE,
} WriteKind;

static void
write_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(TandemWhiteboardsPage) self = user_data;
  WriteKind kind = GPOINTER_TO_INT (g_object_get_data (source, "tandem-write"));
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) rows = tandem_query_execute_finish (TANDEM_QUERY (source), result, &error);
  JsonArray *array = rows != NULL && JSON_NODE_HOLDS_ARRAY (rows) ? json_node_get_array (rows) : NULL;
  guint n = array != NULL ? json_array_get_length (array) : 0;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || self->client == NULL)
    return;
  if (error != NULL)
    {
      g_autofree char *message = g_strdup_printf (_("Could not change the whiteboard: %s"), error->message);

      _tandem_whiteboards_page_toast (self, message);
      return;
    }
  if (n == 0)
    {
      if (kind == WRITE_RENAME)
        _tandem_whiteboards_page_toast (self, _("The whiteboard is gone"));
      else if (kind == WRITE_DELETE)
        _tandem_whiteboards_page_toast (self, _("Only the whiteboard’s owner can delete it"));
      /* The list was not what the server has. */
      _tandem_whiteboards_page_fetch_list (self);
      return;
    }
  /* Shown at once; the change comes live as well. */
  for (guint i = 0; i < n; i++)
    {
      JsonObject *row = json_array_get_object_element (array, i);

      if (row == NULL)
        continue;
      _tandem_whiteboards_page_touch (self, tandem_json_string_member (row, "id"));
      if (kind == WRITE_DELETE)
        _tandem_whiteboards_page_remove_board (self, tandem_json_string_member (row, "id"));
      else
        _tandem_whiteboards_page_apply_row (self, row);
    }
  _tandem_whiteboards_page_update (self);
}

static void
run_write (TandemWhiteboardsPage *self,
           TandemQuery           *query,
           WriteKind              kind)
{
  tandem_query_returning (query, TRUE);
  g_object_set_data (G_OBJECT (query), "tandem-write", GINT_TO_POINTER (kind));
  tandem_query_execute_async (query, self->cancellable, write_cb, g_object_ref (self));
}

/* ---- the dialogs ---- */

static GtkWindow *
parent_window (TandemWhiteboardsPage *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  return GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL;
}

static void
show_dialog (TandemWhiteboardsPage *self,
             GtkWidget             *dialog)
{
  tandem_dialog_slot_present (&self->dialog, dialog);
}

static void
new_response_cb (AdwMessageDialog      *dialog,
                 const char            *response,
                 TandemWhiteboardsPage *self)
{
  g_autofree char *name = tandem_name_dialog_dup_name (dialog);
  g_autoptr(TandemQuery) query = NULL;
  g_autoptr(JsonObject) row = NULL;
  g_autoptr(JsonNode) node = NULL;

  if (!g_str_equal (response, "create") || name == NULL || self->client == NULL)
    return;
  row = json_object_new ();
  json_object_set_string_member (row, "name", name);
  node = json_node_init_object (json_node_alloc (), row);
  query = tandem_client_from (self->client, "whiteboards");
  tandem_query_insert (query, node);
  run_write (self, query, WRITE_NEW);
}

void
_tandem_whiteboards_page_new_action (GtkWidget  *widget,
                                     const char *action_name,
                                     GVariant   *parameter)
{
  TandemWhiteboardsPage *self = TANDEM_WHITEBOARDS_PAGE (widget);
  GtkWidget *dialog;

  if (self->client == NULL)
    return;
  dialog = tandem_name_dialog_new (parent_window (self), _("New Whiteboard"), "create", _("C_reate"), "");
  g_signal_connect_object (dialog, "response", G_CALLBACK (new_response_cb), self, 0);
  show_dialog (self, dialog);
}

static void
rename_response_cb (AdwMessageDialog      *dialog,
                    const char            *response,
                    TandemWhiteboardsPage *self)
{
  const char *id = g_object_get_data (G_OBJECT (dialog), "tandem-board-id");
  g_autofree char *name = tandem_name_dialog_dup_name (dialog);
  g_autoptr(TandemQuery) query = NULL;
  g_autoptr(JsonObject) values = NULL;

  if (!g_str_equal (response, "rename") || name == NULL || self->client == NULL)
    return;
  values = json_object_new ();
  json_object_set_string_member (values, "name", name);
  query = tandem_client_from (self->client, "whiteboards");
  tandem_query_update (query, values);
  tandem_query_eq (query, "id", id);
  run_write (self, query, WRITE_RENAME);
}

void
_tandem_whiteboards_page_rename_action (GtkWidget  *widget,
                                        const char *action_name,
                                        GVariant   *parameter)
{
  TandemWhiteboardsPage *self = TANDEM_WHITEBOARDS_PAGE (widget);
  const char *id = g_variant_get_string (parameter, NULL);
  TandemBoardItem *board = _tandem_whiteboards_page_find_board (self, id);
  GtkWidget *dialog;

  if (self->client == NULL || board == NULL)
    return;
  dialog = tandem_name_dialog_new (parent_window (self), _("Rename Whiteboard"), "rename", _("_Rename"), board->name);
  g_object_set_data_full (G_OBJECT (dialog), "tandem-board-id", g_strdup (id), g_free);
  g_signal_connect_object (dialog, "response", G_CALLBACK (rename_response_cb), self, 0);
  show_dialog (self, dialog);
}

static void
delete_response_cb (AdwMessageDialog      *dialog,
                    const char            *response,
                    TandemWhiteboardsPage *self)
{
  const char *id = g_object_get_data (G_OBJECT (dialog), "tandem-board-id");
  g_autoptr(TandemQuery) query = NULL;

  if (!g_str_equal (response, "delete") || self->client == NULL)
    return;
  if (self->view != NULL && g_str_equal (tandem_whiteboard_view_get_board_id (self->view), id))
    {
      _tandem_whiteboards_page_close_view (self);
      _tandem_whiteboards_page_update (self);
    }
  query = tandem_client_from (self->client, "whiteboards");
  tandem_query_delete (query);
  tandem_query_eq (query, "id", id);
  run_write (self, query, WRITE_DELETE);
}

void
_tandem_whiteboards_page_delete_action (GtkWidget  *widget,
                                        const char *action_name,
                                        GVariant   *parameter)
{
  TandemWhiteboardsPage *self = TANDEM_WHITEBOARDS_PAGE (widget);
  const char *id = g_variant_get_string (parameter, NULL);
  TandemBoardItem *board = _tandem_whiteboards_page_find_board (self, id);
  g_autofree char *body = NULL;
  GtkWidget *dialog;

  if (self->client == NULL || board == NULL)
    return;
  body = g_strdup_printf (_("“%s” and everything drawn on it are deleted for everyone in the workspace."),
                          board->name);
  dialog = tandem_confirm_dialog_new (parent_window (self), _("Delete Whiteboard?"), body, "delete", _("_Delete"));
  g_object_set_data_full (G_OBJECT (dialog), "tandem-board-id", g_strdup (id), g_free);
  g_signal_connect_object (dialog, "response", G_CALLBACK (delete_response_cb), self, 0);
  show_dialog (self, dialog);
}
