/* tandem-whiteboards-page-list.c: the boards listed, and how the list
 * follows the `whiteboards` table
 *
 * The page follows the table as the dashboards page follows its own: a
 * REST select for the list, then every row change through postgres_changes
 * (the table's channel from tandem_client_subscribe_table()), and the list
 * fetched again each time the channel is (re)joined for what happened
 * meanwhile. The list is a GListStore of TandemBoardItem kept sorted by
 * name. A fetch's answer may be older than a change that came live while
 * it was on its way: the boards changed meanwhile keep what the change
 * said. A board deleted by someone else while open here closes, with a
 * toast.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tandem-whiteboards-page"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "tandem-json-util.h"

#include "tandem-whiteboards-page-private.h"

/* ---- a listed board ---- */

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

/* ---- the list ---- */

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
TandemBoardItem *
_tandem_whiteboards_page_find_board (TandemWhiteboardsPage *self,
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
update_title (TandemWhiteboardsPage *self)
{
  TandemBoardItem *open;

  if (self->view == NULL)
    return;
  open = _tandem_whiteboards_page_find_board (self, tandem_whiteboard_view_get_board_id (self->view));
  if (open != NULL)
    gtk_label_set_label (self->board_title, open->name);
}

/* Adds or updates a board from a row of the table. */
void
_tandem_whiteboards_page_apply_row (TandemWhiteboardsPage *self,
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

/* Someone deleted it, or it is found gone. */
void
_tandem_whiteboards_page_remove_board (TandemWhiteboardsPage *self,
                                       const char            *id)
{
  guint position;

  if (id == NULL)
    return;
  if (self->view != NULL && g_str_equal (tandem_whiteboard_view_get_board_id (self->view), id))
    {
      TandemBoardItem *board = _tandem_whiteboards_page_find_board (self, id);
      g_autofree char *message = board != NULL ? g_strdup_printf (_("“%s” was deleted"), board->name)
                                               : g_strdup (_("The whiteboard was deleted"));

      _tandem_whiteboards_page_close_view (self);
      _tandem_whiteboards_page_toast (self, message);
    }
  if (find_position (self, id, &position))
    g_list_store_remove (self->boards, position);
}

/* A change that an answer on its way may not know of yet. */
void
_tandem_whiteboards_page_touch (TandemWhiteboardsPage *self,
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
      _tandem_whiteboards_page_toast (self, message);
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
        _tandem_whiteboards_page_apply_row (self, json_node_get_object (element));
    }
  /* Deleted while we were away. */
  n = g_list_model_get_n_items (G_LIST_MODEL (self->boards));
  for (guint i = n; i > 0; i--)
    {
      g_autoptr(TandemBoardItem) board = g_list_model_get_item (G_LIST_MODEL (self->boards), i - 1);

      if (!g_hash_table_contains (ids, board->id) && !g_hash_table_contains (self->touched, board->id))
        _tandem_whiteboards_page_remove_board (self, board->id);
    }
  g_hash_table_remove_all (self->touched);

  self->listed = TRUE;
  self->n_fetches++;
  _tandem_whiteboards_page_update (self);
}

/* The newest fetch wins: an older answer may be staler. */
void
_tandem_whiteboards_page_fetch_list (TandemWhiteboardsPage *self)
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
      _tandem_whiteboards_page_touch (self, tandem_json_string_member (row, "id"));
      _tandem_whiteboards_page_apply_row (self, row);
      break;
    case TANDEM_CHANGE_DELETE:
      /* (Of a table with row-level security, only the key comes.) */
      row = tandem_change_get_old_record (change);
      _tandem_whiteboards_page_touch (self, tandem_json_string_member (row, "id"));
      _tandem_whiteboards_page_remove_board (self, tandem_json_string_member (row, "id"));
      break;
    case TANDEM_CHANGE_ALL:
    default:
      break;
    }
  _tandem_whiteboards_page_update (self);
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
    _tandem_whiteboards_page_fetch_list (self);
}

void
_tandem_whiteboards_page_follow (TandemWhiteboardsPage *self)
{
  g_autoptr(GError) error = NULL;

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
  _tandem_whiteboards_page_fetch_list (self);
}
