/* tandem-board-sync-load.c: loading a board's saved strokes, and fetching
 * the ones live events left missing or incomplete
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tandem-whiteboards"

#include "config.h"

#include "tandem-board-codec.h"
#include "tandem-board-sync-private.h"

#define STROKE_COLUMNS "id,author,tool,color,width,started_at,points,text,deleted,erase_stamp,seq"

/* Whether the row says erased, and since when: one more erase or restore
 * for the model's register, which keeps whichever is newer (the database
 * may be behind the live events, or ahead of them). */
static void
apply_erase_state (TandemBoardSync *self,
                   const char      *id,
                   JsonObject      *object)
{
  JsonNode *stamp = json_object_get_member (object, "erase_stamp");
  gint64 value;

  if (stamp == NULL || !JSON_NODE_HOLDS_VALUE (stamp) || json_node_get_value_type (stamp) != G_TYPE_INT64)
    return;
  value = json_node_get_int (stamp);
  if (json_object_get_boolean_member_with_default (object, "deleted", FALSE))
    tandem_board_model_erase (self->model, id, value);
  else
    tandem_board_model_restore (self->model, id, value);
}

static void
apply_saved_row (TandemBoardSync *self,
                 JsonNode        *row)
{
  g_autoptr(TandemStroke) stroke = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *object = json_node_get_object (row);
  const char *id;

  stroke = tandem_board_codec_stroke_from_row (row, &error);
  if (stroke == NULL)
    {
      g_debug ("whiteboard %s: ignored a saved stroke: %s", self->board_id, error->message);
      return;
    }
  id = tandem_stroke_get_id (stroke);
  /* One's own strokes of this session are as this client drew them. */
  if (!g_hash_table_contains (self->own, id))
    tandem_board_model_put_saved (self->model, stroke);
  apply_erase_state (self, id, object);
}

/* ---- the load ---- */

typedef struct
{
  TandemBoardSync *self;
  guint            serial;
  gint64           last_seq;
  GHashTable      *seen;      /* ids the pages had */
  GPtrArray       *verify;    /* ids shown here that no page had */
  guint            verified;
} Load;

static void
load_free (Load *load)
{
  g_object_unref (load->self);
  g_hash_table_unref (load->seen);
  g_clear_pointer (&load->verify, g_ptr_array_unref);
  g_free (load);
}

static void next_page (Load *load);
static void next_verify (Load *load);

static gboolean
load_retry_cb (gpointer user_data)
{
  TandemBoardSync *self = user_data;

  self->load_retry_id = 0;
  _tandem_board_sync_load (self);
  return G_SOURCE_REMOVE;
}

/* FALSE when @load is over (stale, cancelled, or failed and retried). */
static gboolean
load_check (Load         *load,
            const GError *error)
{
  TandemBoardSync *self = load->self;
  guint delay;

  if (load->serial != self->load_serial || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return FALSE;
  if (error == NULL)
    return TRUE;

  /* Events keep waiting in the buffer; the next join loads anyway. */
  delay = MIN (1000u << MIN (self->load_failures, 5u), 30000u);
  self->load_failures++;
  g_debug ("whiteboard %s: load failed (%s), again in %u ms", self->board_id, error->message, delay);
  g_clear_handle_id (&self->load_retry_id, g_source_remove);
  self->load_retry_id = g_timeout_add (delay, load_retry_cb, self);
  return FALSE;
}

static void
page_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  Load *load = user_data;
  TandemBoardSync *self = load->self;
  g_autoptr(JsonNode) rows = NULL;
  g_autoptr(GError) error = NULL;
  JsonArray *array;
  guint n;

  rows = tandem_query_execute_finish (TANDEM_QUERY (source), result, &error);
  if (error == NULL && (rows == NULL || !JSON_NODE_HOLDS_ARRAY (rows)))
    error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "the strokes are not a list");
  if (!load_check (load, error))
    {
      load_free (load);
      return;
    }

  array = json_node_get_array (rows);
  n = json_array_get_length (array);
  for (guint i = 0; i < n; i++)
    {
      JsonNode *row = json_array_get_element (array, i);
      JsonObject *object;
      JsonNode *seq, *id;

      if (!JSON_NODE_HOLDS_OBJECT (row))
        continue;
      object = json_node_get_object (row);
      seq = json_object_get_member (object, "seq");
      id = json_object_get_member (object, "id");
      if (seq != NULL && JSON_NODE_HOLDS_VALUE (seq) && json_node_get_value_type (seq) == G_TYPE_INT64)
        load->last_seq = MAX (load->last_seq, json_node_get_int (seq));
      if (id != NULL && JSON_NODE_HOLDS_VALUE (id) && json_node_get_value_type (id) == G_TYPE_STRING)
        g_hash_table_add (load->seen, g_ascii_strdown (json_node_get_string (id), -1));
      apply_saved_row (self, row);
    }

  if (n == TANDEM_BOARD_LOAD_PAGE)
    next_page (load);
  else
    {
      /* Strokes shown here but in no page: erased meanwhile, or not saved
       * yet (their author is offline, or still drawing). Ask which. */
      g_auto(GStrv) shown = tandem_board_model_dup_ids (self->model);

      load->verify = g_ptr_array_new_with_free_func (g_free);
      for (guint i = 0; shown[i] != NULL; i++)
        {
          TandemStroke *stroke = tandem_board_model_lookup (self->model, shown[i]);

          if (!g_hash_table_contains (load->seen, shown[i]) && !g_hash_table_contains (self->unsaved, shown[i]) &&
              tandem_stroke_get_finished (stroke))
            g_ptr_array_add (load->verify, g_strdup (shown[i]));
        }
      next_verify (load);
    }
}

static void
next_page (Load *load)
{
  TandemBoardSync *self = load->self;
  g_autoptr(TandemQuery) query = tandem_client_from (self->client, "whiteboard_strokes");

  tandem_query_select (query, STROKE_COLUMNS);
  tandem_query_eq (query, "board_id", self->board_id);
  tandem_query_is (query, "deleted", "false");
  if (load->last_seq >= 0)
    {
      g_autofree char *after = g_strdup_printf ("%" G_GINT64_FORMAT, load->last_seq);

      tandem_query_gt (query, "seq", after);
    }
  tandem_query_order (query, "seq", TRUE, TANDEM_NULLS_DEFAULT);
  tandem_query_limit (query, TANDEM_BOARD_LOAD_PAGE);
  tandem_query_execute_async (query, self->cancellable, page_cb, load);
}

static void
verify_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  Load *load = user_data;
  TandemBoardSync *self = load->self;
  g_autoptr(JsonNode) rows = NULL;
  g_autoptr(GError) error = NULL;

  rows = tandem_query_execute_finish (TANDEM_QUERY (source), result, &error);
  if (error == NULL && (rows == NULL || !JSON_NODE_HOLDS_ARRAY (rows)))
    error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "the strokes are not a list");
  if (!load_check (load, error))
    {
      load_free (load);
      return;
    }

  for (guint i = 0; i < json_array_get_length (json_node_get_array (rows)); i++)
    {
      JsonNode *row = json_array_get_element (json_node_get_array (rows), i);
      JsonObject *object;
      const char *id;

      if (!JSON_NODE_HOLDS_OBJECT (row))
        continue;
      object = json_node_get_object (row);
      id = json_object_get_string_member_with_default (object, "id", NULL);
      if (id != NULL && g_uuid_string_is_valid (id))
        {
          g_autofree char *lower = g_ascii_strdown (id, -1);

          apply_erase_state (self, lower, object);
        }
    }
  next_verify (load);
}

static void
next_verify (Load *load)
{
  TandemBoardSync *self = load->self;
  g_autoptr(TandemQuery) query = NULL;
  g_autoptr(GPtrArray) chunk = NULL;

  if (load->verified >= load->verify->len)
    {
      self->load_failures = 0;
      _tandem_board_sync_load_done (self);
      load_free (load);
      return;
    }

  chunk = g_ptr_array_new ();
  for (; load->verified < load->verify->len && chunk->len < TANDEM_BOARD_FETCH_CHUNK; load->verified++)
    g_ptr_array_add (chunk, load->verify->pdata[load->verified]);
  g_ptr_array_add (chunk, NULL);

  query = tandem_client_from (self->client, "whiteboard_strokes");
  tandem_query_select (query, "id,deleted,erase_stamp");
  tandem_query_eq (query, "board_id", self->board_id);
  tandem_query_in (query, "id", (const char * const *) chunk->pdata);
  tandem_query_execute_async (query, self->cancellable, verify_cb, load);
}

void
_tandem_board_sync_load (TandemBoardSync *self)
{
  Load *load;

  g_clear_handle_id (&self->load_retry_id, g_source_remove);
  if (self->cancellable == NULL)
    return;

  /* Live events wait from now until the snapshot is applied. */
  self->loading = TRUE;
  load = g_new0 (Load, 1);
  load->self = g_object_ref (self);
  load->serial = ++self->load_serial;
  load->last_seq = -1;
  load->seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  next_page (load);
}

/* ---- fetching single strokes ---- */

static gboolean fetch_cb (gpointer user_data);

static void
schedule_fetch (TandemBoardSync *self,
                guint            delay_ms)
{
  if (self->fetch_id != 0 || self->fetching || self->cancellable == NULL)
    return;
  self->fetch_id = g_timeout_add (delay_ms, fetch_cb, self);
  g_source_set_name_by_id (self->fetch_id, "[tandem] whiteboard fetch");
}

typedef struct
{
  TandemBoardSync *self;
  GPtrArray       *ids;
} Fetch;

static void
fetch_free (Fetch *fetch)
{
  g_object_unref (fetch->self);
  g_ptr_array_unref (fetch->ids);
  g_free (fetch);
}

static void
fetched_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  Fetch *fetch = user_data;
  TandemBoardSync *self = fetch->self;
  g_autoptr(JsonNode) rows = NULL;
  g_autoptr(GError) error = NULL;

  rows = tandem_query_execute_finish (TANDEM_QUERY (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      fetch_free (fetch);
      return;
    }
  self->fetching = FALSE;
  if (error != NULL || rows == NULL || !JSON_NODE_HOLDS_ARRAY (rows))
    {
      /* Asked again a little later; the next load would find them too. */
      for (guint i = 0; i < fetch->ids->len; i++)
        g_hash_table_add (self->wanted, g_strdup (fetch->ids->pdata[i]));
      schedule_fetch (self, 2000);
      fetch_free (fetch);
      return;
    }

  for (guint i = 0; i < json_array_get_length (json_node_get_array (rows)); i++)
    {
      JsonNode *row = json_array_get_element (json_node_get_array (rows), i);

      if (JSON_NODE_HOLDS_OBJECT (row))
        apply_saved_row (self, row);
    }
  /* Ids without a row are not saved yet: a "saved" will name them. */
  if (g_hash_table_size (self->wanted) > 0)
    schedule_fetch (self, 0);
  fetch_free (fetch);
}

static gboolean
fetch_cb (gpointer user_data)
{
  TandemBoardSync *self = user_data;
  g_autoptr(TandemQuery) query = NULL;
  g_autoptr(GPtrArray) terminated = g_ptr_array_new ();
  GHashTableIter iter;
  gpointer key;
  Fetch *fetch;

  self->fetch_id = 0;
  if (g_hash_table_size (self->wanted) == 0)
    return G_SOURCE_REMOVE;

  fetch = g_new0 (Fetch, 1);
  fetch->self = g_object_ref (self);
  fetch->ids = g_ptr_array_new_with_free_func (g_free);
  g_hash_table_iter_init (&iter, self->wanted);
  while (fetch->ids->len < TANDEM_BOARD_FETCH_CHUNK && g_hash_table_iter_next (&iter, &key, NULL))
    {
      g_ptr_array_add (fetch->ids, g_strdup (key));
      g_hash_table_iter_remove (&iter);
    }
  for (guint i = 0; i < fetch->ids->len; i++)
    g_ptr_array_add (terminated, fetch->ids->pdata[i]);
  g_ptr_array_add (terminated, NULL);

  query = tandem_client_from (self->client, "whiteboard_strokes");
  tandem_query_select (query, STROKE_COLUMNS);
  tandem_query_eq (query, "board_id", self->board_id);
  tandem_query_in (query, "id", (const char * const *) terminated->pdata);
  self->fetching = TRUE;
  tandem_query_execute_async (query, self->cancellable, fetched_cb, fetch);
  return G_SOURCE_REMOVE;
}

void
_tandem_board_sync_want (TandemBoardSync *self,
                         const char      *id)
{
  if (g_hash_table_contains (self->own, id))
    return;
  g_hash_table_add (self->wanted, g_strdup (id));
  /* A short delay gathers the ids of a burst into one request. */
  schedule_fetch (self, 50);
}
