/* tandem-whiteboards-page.c: the Whiteboards section
 *
 * The page follows the `whiteboards` table as the dashboards page follows
 * its own: a REST select for the list, then every row change through
 * postgres_changes (the table's channel from tandem_client_subscribe_table()),
 * and the list fetched again each time the channel is (re)joined for what
 * happened meanwhile. The list is a GListStore kept sorted by name. A
 * fetch's answer may be older than a change that came live while it was on
 * its way: the boards changed meanwhile keep what the change said.
 *
 * New, Rename and Delete ask in an AdwMessageDialog and write through REST;
 * the rows written come back and are shown at once (the change comes live
 * too). Only the owner may delete a board (the policy then deletes nothing,
 * told apart by asking for the deleted rows back). A board deleted by
 * someone else while open here closes, with a toast.
 *
 * Opening a board swaps the list for its TandemWhiteboardView, with a back
 * button. The page keeps one TandemOutbox per signed-in client, a SQLite
 * file in the user's cache named after the server and the user, so a
 * board's strokes drawn offline are saved after a restart too. Changing
 * the client cancels everything of the old one and starts over.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tandem-whiteboards-page"

#include "config.h"

#include <errno.h>
#include <string.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "tandem-json-util.h"

#include "tandem-whiteboards-page-private.h"
#include "tandem-name-dialog.h"

/* A listed board. */
#define TANDEM_TYPE_BOARD_ITEM (tandem_board_item_get_type ())
G_DECLARE_FINAL_TYPE (TandemBoardItem, tandem_board_item, TANDEM, BOARD_ITEM, GObject)

struct _TandemBoardItem
{
  GObject  parent_instance;

  char    *id;
  char    *name;
  char    *key;    /* the name's collation key */
};

G_DEFINE_FINAL_TYPE (TandemBoardItem, tandem_board_item, G_TYPE_OBJECT)

static void
tandem_board_item_finalize (GObject *object)
{
  TandemBoardItem *self = TANDEM_BOARD_ITEM (object);

  g_free (self->id);
  g_free (self->name);
  g_free (self->key);

  G_OBJECT_CLASS (tandem_board_item_parent_class)->finalize (object);
}

static void
tandem_board_item_class_init (TandemBoardItemClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = tandem_board_item_finalize;
}

static void
tandem_board_item_init (TandemBoardItem *self)
{
}

static void
tandem_board_item_set_name (TandemBoardItem *self,
                            const char      *name)
{
  g_free (self->name);
  g_free (self->key);
  self->name = g_strdup (name);
  self->key = g_utf8_collate_key (name, -1);
}

static int
tandem_board_item_compare (gconstpointer a,
                           gconstpointer b,
                           gpointer      user_data)
{
  const TandemBoardItem *ia = a;
  const TandemBoardItem *ib = b;
  int cmp = strcmp (ia->key, ib->key);

  return cmp != 0 ? cmp : strcmp (ia->id, ib->id);
}

struct _TandemWhiteboardsPage
{
  AdwBin                parent_instance;

  TandemClient         *client;
  TandemOutbox         *outbox;
  GCancellable         *cancellable;  /* everything of the current client */
  GListStore           *boards;       /* of TandemBoardItem, by name */
  TandemChannel        *channel;      /* postgres_changes on whiteboards */
  gboolean              subscribed;   /* the channel is joined now */
  gboolean              listed;       /* the first list arrived */
  GCancellable         *fetching;     /* the fetch on its way, or NULL */
  GHashTable           *touched;      /* ids changed since it was sent */
  guint                 n_fetches;
  TandemWhiteboardView *view;
  GtkWindow            *dialog;

  GtkStack             *stack;
  GtkListBox           *list_box;
  GtkLabel             *board_title;
  AdwBin               *view_bin;
};

G_DEFINE_FINAL_TYPE (TandemWhiteboardsPage, tandem_whiteboards_page, ADW_TYPE_BIN)

enum
{
  PROP_0,
  PROP_CLIENT,
  PROP_VIEW,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
toast (TandemWhiteboardsPage *self,
       const char            *message)
{
  /* The bin's child: AdwBin unparents it itself, so it is not a bound
   * template child (dispose would unparent it twice). */
  adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (adw_bin_get_child (ADW_BIN (self))), adw_toast_new (message));
}

static gboolean
find_position (TandemWhiteboardsPage *self,
               const char            *id,
               guint                 *position)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->boards));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(TandemBoardItem) board = g_list_model_get_item (G_LIST_MODEL (self->boards), i);

      if (g_strcmp0 (board->id, id) == 0)
        {
          *position = i;
          return TRUE;
        }
    }
  return FALSE;
}

/* (transfer none) */
static TandemBoardItem *
find_board (TandemWhiteboardsPage *self,
            const char            *id)
{
  TandemBoardItem *board;
  guint position;

  if (id == NULL || !find_position (self, id, &position))
    return NULL;
  board = g_list_model_get_item (G_LIST_MODEL (self->boards), position);
  /* The store keeps it alive. */
  g_object_unref (board);
  return board;
}

static void
update_page (TandemWhiteboardsPage *self)
{
  const char *page;

  if (self->client == NULL)
    page = "signed-out";
  else if (self->view != NULL)
    page = "board";
  else if (!self->listed)
    page = "loading";
  else if (g_list_model_get_n_items (G_LIST_MODEL (self->boards)) == 0)
    page = "empty";
  else
    page = "list";
  gtk_stack_set_visible_child_name (self->stack, page);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "whiteboards.new", self->client != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "whiteboards.refresh", self->client != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "whiteboards.back", self->view != NULL);
}

/* ---- the list ---- */

static GtkWidget *
create_row (gpointer item,
            gpointer user_data)
{
  TandemBoardItem *board = item;
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *menu_button = gtk_menu_button_new ();
  g_autoptr(GMenu) menu = g_menu_new ();
  g_autoptr(GMenuItem) rename = g_menu_item_new (_("_Rename…"), NULL);
  g_autoptr(GMenuItem) delete = g_menu_item_new (_("_Delete…"), NULL);

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), board->name);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (row), "whiteboards.open");
  gtk_actionable_set_action_target_value (GTK_ACTIONABLE (row), g_variant_new_string (board->id));

  g_menu_item_set_action_and_target_value (rename, "whiteboards.rename", g_variant_new_string (board->id));
  g_menu_item_set_action_and_target_value (delete, "whiteboards.delete", g_variant_new_string (board->id));
  g_menu_append_item (menu, rename);
  g_menu_append_item (menu, delete);
  gtk_menu_button_set_menu_model (GTK_MENU_BUTTON (menu_button), G_MENU_MODEL (menu));
  gtk_menu_button_set_icon_name (GTK_MENU_BUTTON (menu_button), "view-more-symbolic");
  gtk_widget_set_valign (menu_button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (menu_button, "flat");
  gtk_widget_set_tooltip_text (menu_button, _("Whiteboard Menu"));
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), menu_button);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), gtk_image_new_from_icon_name ("go-next-symbolic"));
  return row;
}

static void
update_title (TandemWhiteboardsPage *self)
{
  TandemBoardItem *open;

  if (self->view == NULL)
    return;
  open = find_board (self, tandem_whiteboard_view_get_board_id (self->view));
  if (open != NULL)
    gtk_label_set_label (self->board_title, open->name);
}

/* Adds or updates a board from a row of the table. */
static void
apply_row (TandemWhiteboardsPage *self,
           JsonObject            *row)
{
  const char *id = tandem_json_string_member (row, "id");
  const char *name = tandem_json_string_member (row, "name");
  g_autoptr(TandemBoardItem) board = NULL;
  guint position;

  if (id == NULL || name == NULL)
    return;
  if (find_position (self, id, &position))
    {
      board = g_list_model_get_item (G_LIST_MODEL (self->boards), position);
      if (g_str_equal (board->name, name))
        return;
      /* A new name may move it. */
      g_list_store_remove (self->boards, position);
    }
  else
    {
      board = g_object_new (TANDEM_TYPE_BOARD_ITEM, NULL);
      board->id = g_strdup (id);
    }
  tandem_board_item_set_name (board, name);
  g_list_store_insert_sorted (self->boards, board, tandem_board_item_compare, NULL);
  update_title (self);
}

static void close_view (TandemWhiteboardsPage *self);

/* Someone deleted it, or it is found gone. */
static void
remove_board (TandemWhiteboardsPage *self,
              const char            *id)
{
  guint position;

  if (id == NULL)
    return;
  if (self->view != NULL && g_str_equal (tandem_whiteboard_view_get_board_id (self->view), id))
    {
      TandemBoardItem *board = find_board (self, id);
      g_autofree char *message = board != NULL ? g_strdup_printf (_("“%s” was deleted"), board->name)
                                               : g_strdup (_("The whiteboard was deleted"));

      close_view (self);
      toast (self, message);
    }
  if (find_position (self, id, &position))
    g_list_store_remove (self->boards, position);
}

/* A change that an answer on its way may not know of yet. */
static void
touch (TandemWhiteboardsPage *self,
       const char            *id)
{
  if (self->fetching != NULL && id != NULL)
    g_hash_table_add (self->touched, g_strdup (id));
}

static void
list_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(TandemWhiteboardsPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) rows = tandem_query_execute_finish (TANDEM_QUERY (source), result, &error);
  g_autoptr(GHashTable) ids = g_hash_table_new (g_str_hash, g_str_equal);
  JsonArray *array;
  guint n;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || self->client == NULL ||
      g_object_get_data (source, "tandem-fetch") != self->fetching)
    return;
  g_clear_object (&self->fetching);
  if (rows == NULL || !JSON_NODE_HOLDS_ARRAY (rows))
    {
      g_autofree char *message = g_strdup_printf (_("Could not list the whiteboards: %s"),
                                                  error ? error->message : _("the server sent no rows"));

      g_hash_table_remove_all (self->touched);
      toast (self, message);
      return;
    }

  /* The boards changed since the fetch was sent stay as the change left
   * them, listed or not. */
  array = json_node_get_array (rows);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      const char *id;

      if (!JSON_NODE_HOLDS_OBJECT (element))
        continue;
      id = tandem_json_string_member (json_node_get_object (element), "id");
      if (id == NULL)
        continue;
      g_hash_table_add (ids, (gpointer) id);
      if (!g_hash_table_contains (self->touched, id))
        apply_row (self, json_node_get_object (element));
    }
  /* Deleted while we were away. */
  n = g_list_model_get_n_items (G_LIST_MODEL (self->boards));
  for (guint i = n; i > 0; i--)
    {
      g_autoptr(TandemBoardItem) board = g_list_model_get_item (G_LIST_MODEL (self->boards), i - 1);

      if (!g_hash_table_contains (ids, board->id) && !g_hash_table_contains (self->touched, board->id))
        remove_board (self, board->id);
    }
  g_hash_table_remove_all (self->touched);

  self->listed = TRUE;
  self->n_fetches++;
  update_page (self);
}

/* The newest fetch wins: an older answer may be staler. */
static void
fetch_list (TandemWhiteboardsPage *self)
{
  g_autoptr(TandemQuery) query = NULL;

  if (self->client == NULL)
    return;
  g_cancellable_cancel (self->fetching);
  g_clear_object (&self->fetching);
  g_hash_table_remove_all (self->touched);
  self->fetching = g_cancellable_new ();
  query = tandem_client_from (self->client, "whiteboards");
  tandem_query_select (query, "id,name,owner");
  tandem_query_order (query, "name", TRUE, TANDEM_NULLS_DEFAULT);
  g_object_set_data (G_OBJECT (query), "tandem-fetch", self->fetching);
  tandem_query_execute_async (query, self->fetching, list_cb, g_object_ref (self));
}

static void
postgres_change_cb (TandemChannel         *channel,
                    TandemChange          *change,
                    TandemWhiteboardsPage *self)
{
  JsonObject *row;

  switch (tandem_change_get_event (change))
    {
    case TANDEM_CHANGE_INSERT:
    case TANDEM_CHANGE_UPDATE:
      row = tandem_change_get_record (change);
      touch (self, tandem_json_string_member (row, "id"));
      apply_row (self, row);
      break;
    case TANDEM_CHANGE_DELETE:
      /* (Of a table with row-level security, only the key comes.) */
      row = tandem_change_get_old_record (change);
      touch (self, tandem_json_string_member (row, "id"));
      remove_board (self, tandem_json_string_member (row, "id"));
      break;
    case TANDEM_CHANGE_ALL:
    default:
      break;
    }
  update_page (self);
}

static void
subscribe_state_cb (TandemChannel         *channel,
                    TandemSubscribeState   state,
                    const GError          *error,
                    TandemWhiteboardsPage *self)
{
  self->subscribed = state == TANDEM_SUBSCRIBE_SUBSCRIBED;
  /* (Again) live: what changed before did not come live. */
  if (self->subscribed)
    fetch_list (self);
}

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

      toast (self, message);
      return;
    }
  if (n == 0)
    {
      if (kind == WRITE_RENAME)
        toast (self, _("The whiteboard is gone"));
      else if (kind == WRITE_DELETE)
        toast (self, _("Only the whiteboard’s owner can delete it"));
      /* The list was not what the server has. */
      fetch_list (self);
      return;
    }
  /* Shown at once; the change comes live as well. */
  for (guint i = 0; i < n; i++)
    {
      JsonObject *row = json_array_get_object_element (array, i);

      if (row == NULL)
        continue;
      touch (self, tandem_json_string_member (row, "id"));
      if (kind == WRITE_DELETE)
        remove_board (self, tandem_json_string_member (row, "id"));
      else
        apply_row (self, row);
    }
  update_page (self);
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
  if (self->dialog != NULL)
    gtk_window_destroy (self->dialog);
  g_set_weak_pointer (&self->dialog, GTK_WINDOW (dialog));
  gtk_window_present (GTK_WINDOW (dialog));
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

static void
new_action (GtkWidget  *widget,
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

static void
rename_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  TandemWhiteboardsPage *self = TANDEM_WHITEBOARDS_PAGE (widget);
  const char *id = g_variant_get_string (parameter, NULL);
  TandemBoardItem *board = find_board (self, id);
  GtkWidget *dialog;

  if (self->client == NULL || board == NULL)
    return;
  dialog = tandem_name_dialog_new (parent_window (self), _("Rename Whiteboard"), "rename", _("_Rename"), board->name);
  g_object_set_data_full (G_OBJECT (dialog), "tandem-board-id", g_strdup (id), g_free);
  g_signal_connect_object (dialog, "response", G_CALLBACK (rename_response_cb), self, 0);
  show_dialog (self, dialog);
}

static void
close_view (TandemWhiteboardsPage *self)
{
  if (self->view == NULL)
    return;
  adw_bin_set_child (self->view_bin, NULL);
  self->view = NULL;
  gtk_label_set_label (self->board_title, "");
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VIEW]);
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
      close_view (self);
      update_page (self);
    }
  query = tandem_client_from (self->client, "whiteboards");
  tandem_query_delete (query);
  tandem_query_eq (query, "id", id);
  run_write (self, query, WRITE_DELETE);
}

static void
delete_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  TandemWhiteboardsPage *self = TANDEM_WHITEBOARDS_PAGE (widget);
  const char *id = g_variant_get_string (parameter, NULL);
  TandemBoardItem *board = find_board (self, id);
  g_autofree char *heading = NULL;
  GtkWidget *dialog;

  if (self->client == NULL || board == NULL)
    return;
  heading = g_strdup_printf (_("Delete “%s”?"), board->name);
  dialog = adw_message_dialog_new (parent_window (self), heading,
                                   _("The whiteboard and everything drawn on it are deleted for everyone."));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog), "cancel", _("_Cancel"), "delete", _("_Delete"), NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "delete", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_object_set_data_full (G_OBJECT (dialog), "tandem-board-id", g_strdup (id), g_free);
  g_signal_connect_object (dialog, "response", G_CALLBACK (delete_response_cb), self, 0);
  show_dialog (self, dialog);
}

static void
open_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  tandem_whiteboards_page_open (TANDEM_WHITEBOARDS_PAGE (widget), g_variant_get_string (parameter, NULL));
}

static void
back_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  TandemWhiteboardsPage *self = TANDEM_WHITEBOARDS_PAGE (widget);

  close_view (self);
  update_page (self);
}

static void
refresh_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  fetch_list (TANDEM_WHITEBOARDS_PAGE (widget));
}

/* ---- the client ---- */

/* One outbox per signed-in client: a file per server and user. */
static void
open_outbox (TandemWhiteboardsPage *self)
{
  TandemSession *session = tandem_auth_get_session (tandem_client_get_auth (self->client));
  g_autoptr(GError) error = NULL;
  g_autofree char *key = g_strdup_printf ("%s\n%s", tandem_client_get_url (self->client),
                                          session != NULL ? tandem_session_get_user_id (session) : "");
  g_autofree char *hash = g_compute_checksum_for_string (G_CHECKSUM_SHA256, key, -1);
  g_autofree char *dir = g_build_filename (g_get_user_cache_dir (), "tandem", NULL);
  g_autofree char *name = g_strdup_printf ("outbox-%.16s.db", hash);
  g_autofree char *path = g_build_filename (dir, name, NULL);
  TandemOutbox *outbox = g_object_get_data (G_OBJECT (self->client), "tandem-whiteboards-outbox");

  if (outbox != NULL)
    {
      self->outbox = g_object_ref (outbox);
      return;
    }
  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved = errno;

      g_set_error (&error, G_IO_ERROR, g_io_error_from_errno (saved), "%s: %s", dir, g_strerror (saved));
    }
  else
    self->outbox = tandem_outbox_new (self->client, path, &error);
  if (self->outbox == NULL)
    {
      g_autofree char *message = g_strdup_printf (_("Drawings cannot be kept while offline: %s"), error->message);

      toast (self, message);
      return;
    }
  g_object_set_data_full (G_OBJECT (self->client), "tandem-whiteboards-outbox", g_object_ref (self->outbox),
                          g_object_unref);
}

static void
teardown (TandemWhiteboardsPage *self)
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
  g_cancellable_cancel (self->fetching);
  g_clear_object (&self->fetching);
  if (self->touched != NULL)
    g_hash_table_remove_all (self->touched);
  close_view (self);
  g_clear_object (&self->outbox);
  if (self->boards != NULL)
    g_list_store_remove_all (self->boards);
  self->listed = FALSE;
  self->subscribed = FALSE;
}

static void
setup (TandemWhiteboardsPage *self)
{
  g_autoptr(GError) error = NULL;

  self->cancellable = g_cancellable_new ();
  open_outbox (self);
  self->channel = tandem_client_subscribe_table (self->client, "public", "whiteboards", TANDEM_CHANGE_ALL, NULL,
                                                 &error);
  if (self->channel != NULL)
    {
      g_signal_connect_object (self->channel, "postgres-change", G_CALLBACK (postgres_change_cb), self, 0);
      g_signal_connect_object (self->channel, "subscribe-state", G_CALLBACK (subscribe_state_cb), self, 0);
      self->subscribed = tandem_channel_get_status (self->channel) == TANDEM_STATUS_CONNECTED;
    }
  else
    g_warning ("whiteboards: no live list: %s", error->message);
  fetch_list (self);
}

/* ---- GObject ---- */

static void
tandem_whiteboards_page_dispose (GObject *object)
{
  TandemWhiteboardsPage *self = TANDEM_WHITEBOARDS_PAGE (object);

  teardown (self);
  g_clear_object (&self->client);
  gtk_widget_dispose_template (GTK_WIDGET (self), TANDEM_TYPE_WHITEBOARDS_PAGE);

  G_OBJECT_CLASS (tandem_whiteboards_page_parent_class)->dispose (object);
}

static void
tandem_whiteboards_page_finalize (GObject *object)
{
  TandemWhiteboardsPage *self = TANDEM_WHITEBOARDS_PAGE (object);

  g_clear_object (&self->boards);
  g_clear_pointer (&self->touched, g_hash_table_unref);

  G_OBJECT_CLASS (tandem_whiteboards_page_parent_class)->finalize (object);
}

static void
tandem_whiteboards_page_get_property (GObject    *object,
                                      guint       prop_id,
                                      GValue     *value,
                                      GParamSpec *pspec)
{
  TandemWhiteboardsPage *self = TANDEM_WHITEBOARDS_PAGE (object);

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
tandem_whiteboards_page_set_property (GObject      *object,
                                      guint         prop_id,
                                      const GValue *value,
                                      GParamSpec   *pspec)
{
  TandemWhiteboardsPage *self = TANDEM_WHITEBOARDS_PAGE (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      tandem_whiteboards_page_set_client (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tandem_whiteboards_page_class_init (TandemWhiteboardsPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tandem_whiteboards_page_dispose;
  object_class->finalize = tandem_whiteboards_page_finalize;
  object_class->get_property = tandem_whiteboards_page_get_property;
  object_class->set_property = tandem_whiteboards_page_set_property;

  properties[PROP_CLIENT] =
    g_param_spec_object ("client", NULL, NULL, TANDEM_TYPE_CLIENT,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_VIEW] =
    g_param_spec_object ("view", NULL, NULL, TANDEM_TYPE_WHITEBOARD_VIEW,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/gnome/Tandem/whiteboards/tandem-whiteboards-page.ui");
  gtk_widget_class_bind_template_child (widget_class, TandemWhiteboardsPage, stack);
  gtk_widget_class_bind_template_child (widget_class, TandemWhiteboardsPage, list_box);
  gtk_widget_class_bind_template_child (widget_class, TandemWhiteboardsPage, board_title);
  gtk_widget_class_bind_template_child (widget_class, TandemWhiteboardsPage, view_bin);

  gtk_widget_class_install_action (widget_class, "whiteboards.new", NULL, new_action);
  gtk_widget_class_install_action (widget_class, "whiteboards.open", "s", open_action);
  gtk_widget_class_install_action (widget_class, "whiteboards.rename", "s", rename_action);
  gtk_widget_class_install_action (widget_class, "whiteboards.delete", "s", delete_action);
  gtk_widget_class_install_action (widget_class, "whiteboards.back", NULL, back_action);
  gtk_widget_class_install_action (widget_class, "whiteboards.refresh", NULL, refresh_action);
}

static void
tandem_whiteboards_page_init (TandemWhiteboardsPage *self)
{
  self->boards = g_list_store_new (TANDEM_TYPE_BOARD_ITEM);
  self->touched = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_list_box_bind_model (self->list_box, G_LIST_MODEL (self->boards), create_row, NULL, NULL);
  update_page (self);
}

GtkWidget *
tandem_whiteboards_page_new (void)
{
  return g_object_new (TANDEM_TYPE_WHITEBOARDS_PAGE, NULL);
}

TandemClient *
tandem_whiteboards_page_get_client (TandemWhiteboardsPage *self)
{
  g_return_val_if_fail (TANDEM_IS_WHITEBOARDS_PAGE (self), NULL);
  return self->client;
}

void
tandem_whiteboards_page_set_client (TandemWhiteboardsPage *self,
                                    TandemClient          *client)
{
  g_return_if_fail (TANDEM_IS_WHITEBOARDS_PAGE (self));
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

GStrv
tandem_whiteboards_page_dup_boards (TandemWhiteboardsPage *self)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  g_return_val_if_fail (TANDEM_IS_WHITEBOARDS_PAGE (self), NULL);

  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (self->boards)); i++)
    {
      g_autoptr(TandemBoardItem) board = g_list_model_get_item (G_LIST_MODEL (self->boards), i);
      g_autofree char *line = g_strdup_printf ("%s\t%s", board->id, board->name);

      g_strv_builder_add (builder, line);
    }
  return g_strv_builder_end (builder);
}

guint
tandem_whiteboards_page_get_n_fetches (TandemWhiteboardsPage *self)
{
  g_return_val_if_fail (TANDEM_IS_WHITEBOARDS_PAGE (self), 0);
  return self->n_fetches;
}

TandemOutbox *
tandem_whiteboards_page_get_outbox (TandemWhiteboardsPage *self)
{
  g_return_val_if_fail (TANDEM_IS_WHITEBOARDS_PAGE (self), NULL);
  return self->outbox;
}

void
tandem_whiteboards_page_open (TandemWhiteboardsPage *self,
                              const char            *board_id)
{
  TandemBoardItem *board;

  g_return_if_fail (TANDEM_IS_WHITEBOARDS_PAGE (self));
  g_return_if_fail (board_id != NULL);

  if (self->client == NULL || !g_uuid_string_is_valid (board_id))
    return;
  if (self->view == NULL || !g_str_equal (tandem_whiteboard_view_get_board_id (self->view), board_id))
    {
      close_view (self);
      self->view = TANDEM_WHITEBOARD_VIEW (tandem_whiteboard_view_new (self->client, self->outbox, board_id));
      adw_bin_set_child (self->view_bin, GTK_WIDGET (self->view));
      board = find_board (self, board_id);
      gtk_label_set_label (self->board_title, board != NULL ? board->name : "");
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VIEW]);
    }
  update_page (self);
  gtk_widget_grab_focus (GTK_WIDGET (tandem_whiteboard_view_get_canvas (self->view)));
}

TandemWhiteboardView *
tandem_whiteboards_page_get_view (TandemWhiteboardsPage *self)
{
  g_return_val_if_fail (TANDEM_IS_WHITEBOARDS_PAGE (self), NULL);
  return self->view;
}

GtkWindow *
_tandem_whiteboards_page_get_dialog (TandemWhiteboardsPage *self)
{
  g_return_val_if_fail (TANDEM_IS_WHITEBOARDS_PAGE (self), NULL);
  return self->dialog;
}

GtkEditable *
_tandem_whiteboards_page_get_dialog_entry (TandemWhiteboardsPage *self)
{
  g_return_val_if_fail (TANDEM_IS_WHITEBOARDS_PAGE (self), NULL);
  return self->dialog != NULL ? GTK_EDITABLE (tandem_name_dialog_get_entry (ADW_MESSAGE_DIALOG (self->dialog))) : NULL;
}

const char *
_tandem_whiteboards_page_get_shown (TandemWhiteboardsPage *self)
{
  g_return_val_if_fail (TANDEM_IS_WHITEBOARDS_PAGE (self), NULL);
  return gtk_stack_get_visible_child_name (self->stack);
}

gboolean
_tandem_whiteboards_page_get_live (TandemWhiteboardsPage *self)
{
  g_return_val_if_fail (TANDEM_IS_WHITEBOARDS_PAGE (self), FALSE);
  return self->subscribed && self->listed && self->fetching == NULL;
}
