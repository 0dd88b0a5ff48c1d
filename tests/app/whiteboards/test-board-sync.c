/* test-board-sync.c: several clients on one whiteboard, against a
 * throwaway PostgreSQL and tandem-server
 *
 * The tables and their policies; two clients drawing at once end with the
 * same ordered strokes, and a late joiner with the same; a client cut off
 * mid-stroke keeps drawing and the others get all of it once it is back
 * (and the database too); a clear from one clears everyone's board; undo
 * removes only one's own strokes, everywhere; broadcasts from a
 * misbehaving peer change nothing; cursors are paced.
 *
 * Every wait is on a condition with a generous bound, never on a time.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "tandem-board-codec.h"
#include "tandem-board-model.h"
#include "tandem-board-sync.h"
#include "tandem-stroke.h"
#include "tandem-test-client.h"
#include "tandem-test-server.h"
#include "tandem-test-utils.h"
#include "wb-proxy.h"

#define TIMEOUT_MS 30000

static TandemTestPg *pg;
static TandemTestServer *server;

/* ---- helpers ------------------------------------------------------------ */

typedef struct
{
  TandemClient    *client;
  TandemOutbox    *outbox;
  TandemBoardSync *sync;
  WbProxy         *proxy;
  char            *dir;
  char            *user_id;
  guint            cursor_moves;
  double           cursor_x;
} Peer;

/* A signed-up user's client (through a proxy the test can cut, or not). */
static TandemClient *
user_client (gboolean   via_proxy,
             WbProxy  **proxy,
             char     **user_id)
{
  g_autofree char *url = NULL;

  if (via_proxy)
    {
      *proxy = wb_proxy_new (tandem_test_server_get_port (server));
      url = g_strdup_printf ("http://127.0.0.1:%u", wb_proxy_get_port (*proxy));
    }
  else
    url = g_strdup (tandem_test_server_get_url (server));
  return tandem_test_client_new_signed_up (url, tandem_test_server_get_anon_key (server), "user", TIMEOUT_MS, user_id);
}

static void
on_cursor_moved (TandemBoardSync *sync,
                 const char      *user,
                 double           x,
                 double           y,
                 const char      *name,
                 const char      *color,
                 Peer            *peer)
{
  peer->cursor_moves++;
  peer->cursor_x = x;
}

static Peer *
peer_new (const char *board_id,
          gboolean    via_proxy)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  Peer *peer = g_new0 (Peer, 1);

  peer->client = user_client (via_proxy, &peer->proxy, &peer->user_id);
  peer->dir = tandem_test_make_tmpdir ("whiteboard");
  path = g_build_filename (peer->dir, "outbox.db", NULL);
  peer->outbox = tandem_outbox_new (peer->client, path, &error);
  g_assert_no_error (error);
  peer->sync = tandem_board_sync_new (peer->client, peer->outbox, board_id, NULL);
  g_assert_cmpstr (tandem_board_sync_get_user_id (peer->sync), ==, peer->user_id);
  g_signal_connect (peer->sync, "cursor-moved", G_CALLBACK (on_cursor_moved), peer);
  tandem_board_sync_start (peer->sync);
  TANDEM_WAIT_UNTIL_TIMEOUT (tandem_board_sync_get_loaded (peer->sync), TIMEOUT_MS);
  return peer;
}

static void
peer_free (Peer *peer)
{
  tandem_board_sync_stop (peer->sync);
  g_assert_finalize_object (peer->sync);
  g_clear_object (&peer->outbox);
  tandem_client_disconnect (peer->client);
  g_clear_object (&peer->client);
  wb_proxy_free (peer->proxy);
  tandem_test_rm_rf (peer->dir);
  g_free (peer->dir);
  g_free (peer->user_id);
  g_free (peer);
}

static TandemBoardModel *
model_of (Peer *peer)
{
  return tandem_board_sync_get_model (peer->sync);
}

/* What a canvas would draw: ids in order, with every point. */
static char *
picture (Peer *peer)
{
  TandemBoardModel *model = model_of (peer);
  g_autoptr(GString) text = g_string_new (NULL);
  guint n = g_list_model_get_n_items (G_LIST_MODEL (model));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(TandemStroke) stroke = g_list_model_get_item (G_LIST_MODEL (model), i);
      const TandemPoint *p;
      guint n_points;

      p = tandem_stroke_get_points (stroke, &n_points);
      g_string_append_printf (text, "%s %s %s:", tandem_stroke_get_id (stroke), tandem_stroke_get_tool (stroke) ==
                              TANDEM_TOOL_TEXT ? tandem_stroke_get_text (stroke) : "-",
                              tandem_stroke_get_color (stroke));
      for (guint j = 0; j < n_points; j++)
        g_string_append_printf (text, " %g,%g,%g", p[j].x, p[j].y, p[j].pressure);
      g_string_append_c (text, '\n');
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static gboolean
same_picture (Peer  *a,
              Peer  *b,
              guint  n_strokes)
{
  g_autofree char *pa = NULL;
  g_autofree char *pb = NULL;

  if (tandem_board_model_get_n_strokes (model_of (a)) != n_strokes ||
      tandem_board_model_get_n_strokes (model_of (b)) != n_strokes)
    return FALSE;
  pa = picture (a);
  pb = picture (b);
  return g_str_equal (pa, pb);
}

static void
assert_same_picture (Peer  *a,
                     Peer  *b,
                     guint  n_strokes)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) TIMEOUT_MS * 1000;

  while (!same_picture (a, b, n_strokes))
    {
      if (g_get_monotonic_time () > deadline)
        {
          g_autofree char *pa = picture (a);
          g_autofree char *pb = picture (b);

          g_error ("the boards differ (want %u strokes):\n%s\n---\n%s", n_strokes, pa, pb);
        }
      g_main_context_iteration (NULL, FALSE);
      g_usleep (500);
    }
}

static char *
create_board (const char *name)
{
  g_autofree char *sql = g_strdup_printf ("INSERT INTO public.whiteboards (name) VALUES ('%s') RETURNING id", name);
  PGresult *result = tandem_test_pg_query (pg, sql);
  char *id = g_strdup (PQgetvalue (result, 0, 0));

  PQclear (result);
  return id;
}

static gint64
sql_int (const char *sql)
{
  PGresult *result = tandem_test_pg_query (pg, sql);
  gint64 value = g_ascii_strtoll (PQgetvalue (result, 0, 0), NULL, 10);

  PQclear (result);
  return value;
}

static gint64
count_visible_rows (const char *board_id)
{
  g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM public.whiteboard_strokes"
                                          " WHERE board_id = '%s' AND NOT deleted", board_id);

  return sql_int (sql);
}

/* A pen stroke of @n points from (@x, @y), the main loop running between
 * points as between frames. */
static TandemStroke *
draw (Peer       *peer,
      double      x,
      double      y,
      guint       n,
      const char *color)
{
  TandemStroke *stroke = tandem_board_sync_begin_stroke (peer->sync, TANDEM_TOOL_PEN, color, 3, x, y, 0.5);

  for (guint i = 1; i < n; i++)
    {
      tandem_board_sync_extend_stroke (peer->sync, x + i, y + 0.5 * i, (i % 10) / 10.0);
      tandem_test_run_for (2);
    }
  tandem_board_sync_end_stroke (peer->sync);
  return stroke;
}

/* Runs a REST query as @client; returns the rows or the error. */
static JsonNode *
run_query (TandemQuery  *query,
           GError      **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  tandem_query_execute_async (query, NULL, tandem_test_store_result, &result);
  TANDEM_WAIT_UNTIL_TIMEOUT (result != NULL, TIMEOUT_MS);
  return tandem_query_execute_finish (query, result, error);
}

/* ---- the tables ----------------------------------------------------------- */

static void
test_tables (void)
{
  g_autofree char *a_id = NULL, *b_id = NULL;
  g_autoptr(TandemClient) a = user_client (FALSE, NULL, &a_id);
  g_autoptr(TandemClient) b = user_client (FALSE, NULL, &b_id);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) rows = NULL;
  g_autofree char *board = NULL;
  g_autofree char *sql = NULL;
  g_autofree char *stroke_id = g_uuid_string_random ();
  g_autofree char *early_id = g_uuid_string_random ();

  /* a board belongs to whoever creates it */
  {
    g_autoptr(TandemQuery) query = tandem_client_from (a, "whiteboards");
    g_autoptr(JsonNode) row = json_from_string ("{\"name\":\"Ideas\"}", NULL);

    tandem_query_insert (query, row);
    tandem_query_returning (query, TRUE);
    rows = run_query (query, &error);
    g_assert_no_error (error);
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (json_node_get_array (rows), 0),
                                                    "owner"), ==, a_id);
    board = g_strdup (json_object_get_string_member (json_array_get_object_element (json_node_get_array (rows), 0),
                                                     "id"));
    g_clear_pointer (&rows, json_node_unref);
  }
  /* anyone renames it; only the owner deletes it */
  {
    g_autoptr(TandemQuery) query = tandem_client_from (b, "whiteboards");
    g_autoptr(JsonObject) values = json_object_new ();

    json_object_set_string_member (values, "name", "Better ideas");
    tandem_query_update (query, values);
    tandem_query_eq (query, "id", board);
    tandem_query_returning (query, TRUE);
    rows = run_query (query, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (json_array_get_length (json_node_get_array (rows)), ==, 1);
    g_clear_pointer (&rows, json_node_unref);
  }
  {
    g_autoptr(TandemQuery) query = tandem_client_from (b, "whiteboards");

    tandem_query_delete (query);
    tandem_query_eq (query, "id", board);
    tandem_query_returning (query, TRUE);
    rows = run_query (query, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (json_array_get_length (json_node_get_array (rows)), ==, 0);
    g_clear_pointer (&rows, json_node_unref);
  }

  /* strokes are saved as oneself only */
  {
    g_autoptr(TandemQuery) query = tandem_client_from (b, "whiteboard_strokes");
    g_autofree char *json = g_strdup_printf ("{\"id\":\"%s\",\"board_id\":\"%s\",\"author\":\"%s\",\"tool\":\"pen\","
                                             "\"color\":\"#000000\",\"width\":2,\"started_at\":1,"
                                             "\"points\":[0,0,100]}", stroke_id, board, a_id);
    g_autoptr(JsonNode) row = json_from_string (json, NULL);

    tandem_query_insert (query, row);
    rows = run_query (query, &error);
    g_assert_error (error, TANDEM_REST_ERROR, TANDEM_REST_ERROR_FORBIDDEN);
    g_clear_error (&error);
  }
  /* an erase that comes before its stroke: the stroke is stored deleted */
  {
    g_autoptr(TandemQuery) query = tandem_client_from (b, "whiteboard_erasures");
    g_autofree char *json = g_strdup_printf ("{\"stroke_id\":\"%s\",\"board_id\":\"%s\",\"erased\":true,"
                                             "\"stamp\":10,\"erased_by\":\"%s\"}", early_id, board, b_id);
    g_autoptr(JsonNode) row = json_from_string (json, NULL);

    tandem_query_upsert (query, row, "stroke_id", FALSE);
    rows = run_query (query, &error);
    g_assert_no_error (error);
  }
  {
    g_autoptr(TandemQuery) query = tandem_client_from (a, "whiteboard_strokes");
    g_autofree char *json = g_strdup_printf ("{\"id\":\"%s\",\"board_id\":\"%s\",\"author\":\"%s\",\"tool\":\"pen\","
                                             "\"color\":\"#000000\",\"width\":2,\"started_at\":1,"
                                             "\"points\":[0,0,100],\"deleted\":false}", early_id, board, a_id);
    g_autoptr(JsonNode) row = json_from_string (json, NULL);

    tandem_query_insert (query, row);
    g_clear_pointer (&rows, json_node_unref);
    rows = run_query (query, &error);
    g_assert_no_error (error);
  }
  sql = g_strdup_printf ("SELECT (deleted AND erase_stamp = 10)::int FROM public.whiteboard_strokes WHERE id = '%s'",
                         early_id);
  g_assert_cmpint (sql_int (sql), ==, 1);

  /* the register: an older restore is dropped, a newer one wins */
  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(TandemQuery) query = tandem_client_from (a, "whiteboard_erasures");
      g_autofree char *json = g_strdup_printf ("{\"stroke_id\":\"%s\",\"board_id\":\"%s\",\"erased\":false,"
                                               "\"stamp\":%d,\"erased_by\":\"%s\"}", early_id, board,
                                               i == 0 ? 9 : 11, a_id);
      g_autoptr(JsonNode) row = json_from_string (json, NULL);
      g_autofree char *check = g_strdup_printf ("SELECT deleted::int FROM public.whiteboard_strokes WHERE id = '%s'",
                                                early_id);

      tandem_query_upsert (query, row, "stroke_id", FALSE);
      g_clear_pointer (&rows, json_node_unref);
      rows = run_query (query, &error);
      g_assert_no_error (error);
      g_assert_cmpint (sql_int (check), ==, i == 0 ? 1 : 0);
    }
  /* strokes cannot be edited through the API */
  {
    g_autoptr(TandemQuery) query = tandem_client_from (a, "whiteboard_strokes");
    g_autoptr(JsonObject) values = json_object_new ();

    json_object_set_boolean_member (values, "deleted", TRUE);
    tandem_query_update (query, values);
    tandem_query_eq (query, "id", early_id);
    g_clear_pointer (&rows, json_node_unref);
    rows = run_query (query, &error);
    g_assert_nonnull (error);
    g_clear_error (&error);
  }
  /* the owner deletes the board, its strokes go with it */
  {
    g_autoptr(TandemQuery) query = tandem_client_from (a, "whiteboards");

    tandem_query_delete (query);
    tandem_query_eq (query, "id", board);
    g_clear_pointer (&rows, json_node_unref);
    rows = run_query (query, &error);
    g_assert_no_error (error);
  }
  g_free (sql);
  sql = g_strdup_printf ("SELECT count(*) FROM public.whiteboard_strokes WHERE board_id = '%s'", board);
  g_assert_cmpint (sql_int (sql), ==, 0);
  tandem_client_disconnect (a);
  tandem_client_disconnect (b);
}

/* ---- drawing together --------------------------------------------------- */

static void
test_concurrent_and_late (void)
{
  g_autofree char *board = create_board ("concurrent");
  Peer *a = peer_new (board, FALSE);
  Peer *b = peer_new (board, FALSE);
  Peer *c;
  TandemStroke *sa, *sb;
  TandemStroke *text;

  /* both pens down at once, points interleaved */
  for (guint k = 0; k < 5; k++)
    {
      sa = tandem_board_sync_begin_stroke (a->sync, TANDEM_TOOL_PEN, "#1c71d8", 3, 0, k * 10, 0.2);
      sb = tandem_board_sync_begin_stroke (b->sync, k % 2 ? TANDEM_TOOL_RECTANGLE : TANDEM_TOOL_HIGHLIGHTER,
                                           "#e01b24", 8, 100, k * 10, 1);
      for (guint i = 1; i < 40; i++)
        {
          tandem_board_sync_extend_stroke (a->sync, i, k * 10 + i * 0.25, (i % 10) / 10.0);
          tandem_board_sync_extend_stroke (b->sync, 100 + i, k * 10 - i, 1);
          tandem_test_run_for (1);
        }
      tandem_board_sync_end_stroke (k % 2 ? a->sync : b->sync);
      tandem_board_sync_end_stroke (k % 2 ? b->sync : a->sync);
      g_assert_cmpuint (tandem_stroke_get_n_points (sa), ==, 40);
      g_assert_cmpuint (tandem_stroke_get_n_points (sb), ==, k % 2 ? 2 : 40);
    }
  text = tandem_board_sync_add_text (a->sync, 5, 5, "Ship it", "#000000", 16);
  g_assert_nonnull (text);

  /* the same 11 strokes, in the same order, with every point */
  assert_same_picture (a, b, 11);
  {
    g_autofree char *pb = picture (b);

    g_assert_nonnull (strstr (pb, " Ship it #000000: 5,5,1\n"));
  }

  /* everything reaches the database, and a late joiner loads it */
  TANDEM_WAIT_UNTIL_TIMEOUT (count_visible_rows (board) == 11, TIMEOUT_MS);
  c = peer_new (board, FALSE);
  assert_same_picture (a, c, 11);
  g_assert_cmpuint (tandem_outbox_get_n_pending (a->outbox), ==, 0);

  /* and gets what is drawn next, live */
  draw (b, 300, 300, 25, "#26a269");
  assert_same_picture (a, c, 12);
  assert_same_picture (b, c, 12);

  peer_free (a);
  peer_free (b);
  peer_free (c);
}

/* A late joiner arriving while someone is drawing gets that stroke too. */
static void
test_join_mid_stroke (void)
{
  g_autofree char *board = create_board ("mid-stroke join");
  Peer *a = peer_new (board, FALSE);
  Peer *b;
  TandemStroke *stroke;

  draw (a, 0, 0, 10, "#000000");
  stroke = tandem_board_sync_begin_stroke (a->sync, TANDEM_TOOL_PEN, "#000000", 3, 50, 50, 1);
  for (guint i = 1; i < 20; i++)
    tandem_board_sync_extend_stroke (a->sync, 50 + i, 50, 1);
  tandem_test_run_for (50);
  b = peer_new (board, FALSE);
  for (guint i = 20; i < 60; i++)
    {
      tandem_board_sync_extend_stroke (a->sync, 50 + i, 50, 1);
      tandem_test_run_for (2);
    }
  tandem_board_sync_end_stroke (a->sync);
  g_assert_cmpuint (tandem_stroke_get_n_points (stroke), ==, 60);
  /* the start was missed: the saved stroke is loaded on "saved" */
  assert_same_picture (a, b, 2);

  peer_free (a);
  peer_free (b);
}

static void
test_offline_mid_stroke (void)
{
  g_autofree char *board = create_board ("offline");
  Peer *a = peer_new (board, TRUE);
  Peer *b = peer_new (board, FALSE);
  TandemStroke *first, *second, *third;
  TandemStroke *seen;
  guint seen_before;

  draw (b, 500, 500, 10, "#000000");
  assert_same_picture (a, b, 1);

  first = tandem_board_sync_begin_stroke (a->sync, TANDEM_TOOL_PEN, "#1c71d8", 4, 0, 0, 1);
  for (guint i = 1; i < 30; i++)
    {
      tandem_board_sync_extend_stroke (a->sync, i, i, 1);
      tandem_test_run_for (2);
    }
  TANDEM_WAIT_UNTIL_TIMEOUT ((seen = tandem_board_model_lookup (model_of (b), tandem_stroke_get_id (first))) != NULL &&
                             tandem_stroke_get_n_points (seen) == 30, TIMEOUT_MS);

  /* the network goes away mid-stroke; the pen does not stop */
  wb_proxy_cut (a->proxy);
  TANDEM_WAIT_UNTIL_TIMEOUT (tandem_channel_get_status (tandem_board_sync_get_channel (a->sync)) !=
                             TANDEM_STATUS_CONNECTED, TIMEOUT_MS);
  for (guint i = 30; i < 80; i++)
    {
      tandem_board_sync_extend_stroke (a->sync, i, i, 0.5);
      tandem_test_run_for (2);
    }
  tandem_board_sync_end_stroke (a->sync);
  second = draw (a, 0, 100, 20, "#e01b24");
  third = tandem_board_sync_add_text (a->sync, 10, 200, "offline note", "#000000", 12);
  /* and one's undo while offline removes one's own stroke for everyone */
  g_assert_true (tandem_board_sync_undo (a->sync));
  g_assert_true (tandem_board_model_is_erased (model_of (a), tandem_stroke_get_id (third)));
  g_assert_cmpuint (tandem_board_model_get_n_strokes (model_of (a)), ==, 3);

  /* b has not seen any of it (and nothing was saved) */
  tandem_test_run_for (300);
  seen_before = tandem_stroke_get_n_points (tandem_board_model_lookup (model_of (b), tandem_stroke_get_id (first)));
  g_assert_cmpuint (seen_before, ==, 30);
  g_assert_null (tandem_board_model_lookup (model_of (b), tandem_stroke_get_id (second)));
  g_assert_cmpint (count_visible_rows (board), ==, 1);
  g_assert_cmpuint (tandem_outbox_get_n_pending (a->outbox), >=, 2);

  /* back: b gets the rest of the first stroke and the others, live */
  wb_proxy_restore (a->proxy);
  tandem_client_reconnect_now (a->client);
  assert_same_picture (a, b, 3);
  seen = tandem_board_model_lookup (model_of (b), tandem_stroke_get_id (first));
  g_assert_cmpuint (tandem_stroke_get_n_points (seen), ==, 80);
  g_assert_true (tandem_stroke_get_finished (seen));
  g_assert_true (tandem_stroke_get_complete (seen));
  /* and the database has what a's outbox kept */
  TANDEM_WAIT_UNTIL_TIMEOUT (tandem_outbox_get_n_pending (a->outbox) == 0, TIMEOUT_MS);
  g_assert_cmpint (count_visible_rows (board), ==, 3);
  {
    g_autofree char *sql = g_strdup_printf ("SELECT jsonb_array_length(points) FROM public.whiteboard_strokes"
                                            " WHERE id = '%s'", tandem_stroke_get_id (first));

    g_assert_cmpint (sql_int (sql), ==, 80 * 3);
  }

  peer_free (a);
  peer_free (b);
}

static void
test_clear (void)
{
  g_autofree char *board = create_board ("clear");
  Peer *a = peer_new (board, FALSE);
  Peer *b = peer_new (board, FALSE);
  Peer *c = peer_new (board, FALSE);
  Peer *d;
  guint cleared = 0;

  draw (a, 0, 0, 10, "#000000");
  draw (b, 0, 50, 10, "#000000");
  draw (c, 0, 100, 10, "#000000");
  assert_same_picture (a, b, 3);
  assert_same_picture (a, c, 3);

  g_signal_connect_swapped (c->sync, "cleared", G_CALLBACK (g_atomic_int_inc), &cleared);
  tandem_board_sync_clear (b->sync);
  g_assert_cmpuint (tandem_board_model_get_n_strokes (model_of (b)), ==, 0);
  assert_same_picture (a, b, 0);
  assert_same_picture (a, c, 0);
  g_assert_cmpuint (cleared, ==, 1);

  /* the database agrees, and so does a late joiner */
  TANDEM_WAIT_UNTIL_TIMEOUT (count_visible_rows (board) == 0 && tandem_outbox_get_n_pending (b->outbox) == 0 &&
                             tandem_outbox_get_n_pending (a->outbox) == 0, TIMEOUT_MS);
  d = peer_new (board, FALSE);
  g_assert_cmpuint (tandem_board_model_get_n_strokes (model_of (d)), ==, 0);

  /* the board carries on */
  draw (a, 10, 10, 5, "#000000");
  assert_same_picture (a, d, 1);
  assert_same_picture (b, c, 1);

  peer_free (a);
  peer_free (b);
  peer_free (c);
  peer_free (d);
}

static void
test_undo (void)
{
  g_autofree char *board = create_board ("undo");
  Peer *a = peer_new (board, FALSE);
  Peer *b = peer_new (board, FALSE);
  Peer *c;
  TandemStroke *a1, *a2, *b1;

  a1 = draw (a, 0, 0, 10, "#000000");
  b1 = draw (b, 0, 50, 10, "#000000");
  a2 = draw (a, 0, 100, 10, "#000000");
  assert_same_picture (a, b, 3);

  /* a's undo removes a's strokes, newest first, never b's */
  g_assert_true (tandem_board_sync_undo (a->sync));
  g_assert_true (tandem_board_sync_undo (a->sync));
  g_assert_false (tandem_board_sync_undo (a->sync));
  assert_same_picture (a, b, 1);
  g_assert_nonnull (tandem_board_model_lookup (model_of (b), tandem_stroke_get_id (b1)));
  g_assert_false (tandem_board_model_is_erased (model_of (b), tandem_stroke_get_id (b1)));
  g_assert_true (tandem_board_model_is_erased (model_of (b), tandem_stroke_get_id (a1)));
  g_assert_true (tandem_board_model_is_erased (model_of (b), tandem_stroke_get_id (a2)));

  /* a late joiner sees the same */
  TANDEM_WAIT_UNTIL_TIMEOUT (count_visible_rows (board) == 1 && tandem_outbox_get_n_pending (a->outbox) == 0,
                             TIMEOUT_MS);
  c = peer_new (board, FALSE);
  assert_same_picture (b, c, 1);

  /* redo brings back a1 everywhere, the late joiner too (it never had it) */
  g_assert_true (tandem_board_sync_redo (a->sync));
  assert_same_picture (a, b, 2);
  assert_same_picture (a, c, 2);
  g_assert_false (tandem_board_model_is_erased (model_of (c), tandem_stroke_get_id (a1)));

  /* b erases a's stroke with the eraser (anyone's, for everyone) */
  g_assert_cmpuint (tandem_board_sync_erase_at (b->sync, 0, 0, 2, FALSE), ==, 1);
  assert_same_picture (a, c, 1);

  peer_free (a);
  peer_free (b);
  peer_free (c);
}

/* ---- a misbehaving peer ---------------------------------------------- */

static void
raw_send (TandemChannel *channel,
          const char    *event,
          const char    *json)
{
  g_autoptr(JsonNode) payload = json_from_string (json, NULL);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_nonnull (payload);
  tandem_channel_send_broadcast_async (channel, event, payload, NULL, tandem_test_store_result, &result);
  TANDEM_WAIT_UNTIL_TIMEOUT (result != NULL, TIMEOUT_MS);
  tandem_channel_send_broadcast_finish (channel, result, &error);
  g_assert_no_error (error);
}

static void
test_malformed_broadcasts (void)
{
  g_autofree char *board = create_board ("malformed");
  g_autofree char *raw_id = NULL;
  g_autofree char *topic = g_strconcat ("whiteboard:", board, NULL);
  g_autoptr(TandemClient) raw = user_client (FALSE, NULL, &raw_id);
  g_autoptr(TandemChannel) channel = tandem_client_channel (raw, topic, NULL);
  Peer *a = peer_new (board, FALSE);
  Peer *b = peer_new (board, FALSE);
  TandemStroke *mine;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autoptr(GString) huge = g_string_new (NULL);
  g_autofree char *id = g_uuid_string_random ();
  g_autofree char *good = NULL;

  tandem_channel_subscribe (channel);
  TANDEM_WAIT_UNTIL_TIMEOUT (tandem_channel_get_status (channel) == TANDEM_STATUS_CONNECTED, TIMEOUT_MS);
  mine = draw (a, 0, 0, 10, "#000000");
  assert_same_picture (a, b, 1);
  before = picture (b);

  raw_send (channel, "start", "{}");
  raw_send (channel, "start", "{\"id\":\"not a uuid\",\"author\":\"x\",\"tool\":\"pen\"}");
  raw_send (channel, "start", "{\"id\":\"00000000-0000-4000-8000-000000000001\",\"author\":"
                              "\"00000000-0000-4000-8000-000000000002\",\"tool\":\"eraser\",\"color\":\"#000000\","
                              "\"width\":2,\"started_at\":1}");
  raw_send (channel, "start", "{\"id\":\"00000000-0000-4000-8000-000000000001\",\"author\":"
                              "\"00000000-0000-4000-8000-000000000002\",\"tool\":\"pen\",\"color\":\"#000000\","
                              "\"width\":\"wide\",\"started_at\":1}");
  raw_send (channel, "draw", "{\"id\":42,\"index\":\"zero\",\"points\":\"lots\"}");
  raw_send (channel, "draw", "[1,2,3]");
  raw_send (channel, "end", "{\"id\":null}");
  raw_send (channel, "erase", "{\"by\":\"00000000-0000-4000-8000-000000000002\",\"ids\":\"everything\",\"stamp\":1}");
  raw_send (channel, "erase", "{\"by\":\"00000000-0000-4000-8000-000000000002\",\"ids\":[],\"clear\":true,\"stamp\":1}");
  raw_send (channel, "cursor", "{\"user\":1,\"x\":[],\"y\":{}}");
  raw_send (channel, "restore", "{\"ids\":[1,2,3]}");
  /* a huge point array on someone's real stroke, and as a new stroke */
  g_string_printf (huge, "{\"id\":\"%s\",\"author\":\"%s\",\"index\":0,\"points\":[", tandem_stroke_get_id (mine),
                   a->user_id);
  for (guint i = 0; i < 20000; i++)
    g_string_append (huge, i ? ",1,1,1" : "1,1,1");
  g_string_append (huge, "]}");
  raw_send (channel, "draw", huge->str);
  g_string_printf (huge, "{\"id\":\"%s\",\"author\":\"%s\",\"tool\":\"pen\",\"color\":\"#000000\",\"width\":2,"
                         "\"started_at\":1,\"points\":[", id, raw_id);
  for (guint i = 0; i < 5000; i++)
    g_string_append (huge, i ? ",1,1,1" : "1,1,1");
  g_string_append (huge, "]}");
  raw_send (channel, "start", huge->str);

  /* then a well-formed stroke: it arrives, so the others were read, and
   * ignored */
  good = g_strdup_printf ("{\"id\":\"%s\",\"author\":\"%s\",\"tool\":\"line\",\"color\":\"#00ff00\",\"width\":2,"
                          "\"started_at\":%" G_GINT64_FORMAT ",\"points\":[0,0,100,1000,1000,100]}", id, raw_id,
                          g_get_real_time ());
  raw_send (channel, "start", good);
  TANDEM_WAIT_UNTIL_TIMEOUT (tandem_board_model_get_n_strokes (model_of (a)) == 2 &&
                             tandem_board_model_get_n_strokes (model_of (b)) == 2, TIMEOUT_MS);
  assert_same_picture (a, b, 2);
  after = picture (b);
  /* the first stroke is untouched */
  g_assert_true (g_str_has_prefix (after, before));
  g_assert_cmpuint (tandem_stroke_get_n_points (tandem_board_model_lookup (model_of (b), id)), ==, 2);

  tandem_channel_unsubscribe (channel);
  tandem_client_disconnect (raw);
  peer_free (a);
  peer_free (b);
}

static void
test_cursors (void)
{
  g_autofree char *board = create_board ("cursors");
  Peer *a = peer_new (board, FALSE);
  Peer *b = peer_new (board, FALSE);
  gint64 start = g_get_monotonic_time ();
  gint64 elapsed;

  tandem_board_sync_set_user_name (a->sync, "Ada");
  /* a fast mouse: a move every 2 ms for half a second and more */
  for (guint i = 1; i <= 300; i++)
    {
      tandem_board_sync_move_cursor (a->sync, i, 0);
      tandem_test_run_for (2);
    }
  elapsed = g_get_monotonic_time () - start;
  /* the last position arrives */
  TANDEM_WAIT_UNTIL_TIMEOUT (b->cursor_x == 300, TIMEOUT_MS);
  /* at most one per 33 ms (plus the first), far fewer than 300 moves */
  g_assert_cmpuint (b->cursor_moves, <=, elapsed / (TANDEM_BOARD_CURSOR_INTERVAL_MS * 1000) + 3);
  g_assert_cmpuint (b->cursor_moves, >=, 3);

  peer_free (a);
  peer_free (b);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_test_init (&argc, &argv, NULL);

  pg = tandem_test_pg_new ();
  server = tandem_test_server_new (pg, NULL);

  g_test_add_func ("/whiteboards/integration/tables", test_tables);
  g_test_add_func ("/whiteboards/integration/concurrent-and-late", test_concurrent_and_late);
  g_test_add_func ("/whiteboards/integration/join-mid-stroke", test_join_mid_stroke);
  g_test_add_func ("/whiteboards/integration/offline-mid-stroke", test_offline_mid_stroke);
  g_test_add_func ("/whiteboards/integration/clear", test_clear);
  g_test_add_func ("/whiteboards/integration/undo", test_undo);
  g_test_add_func ("/whiteboards/integration/malformed-broadcasts", test_malformed_broadcasts);
  g_test_add_func ("/whiteboards/integration/cursors", test_cursors);

  status = g_test_run ();
  tandem_test_server_free (server);
  tandem_test_pg_free (pg);
  return status;
}
