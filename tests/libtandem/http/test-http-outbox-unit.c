/* test-http-outbox-unit.c: TandemOutbox without a server
 *
 * The SQLite file on its own (order, ids, every field, reopening, the
 * schema version), then the sending rules against a scripted PostgREST on
 * a manual clock: one write at a time, in order; back-off 1 s doubling to
 * 30 s on network errors and 5xx; 4xx rejects; each write reported once.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <sqlite3.h>

#include "tandem-client-private.h"
#include "tandem-outbox-private.h"
#include "tandem-rest-error.h"
#include "http-test-util.h"

static JsonNode *
json (const char *text)
{
  g_autoptr(GError) error = NULL;
  JsonNode *node = json_from_string (text, &error);

  g_assert_no_error (error);
  return node;
}

/* ---- the file ---- */

static void
test_store_round_trip (void)
{
  g_autofree char *dir = tandem_test_make_tmpdir ("outbox");
  g_autofree char *path = g_build_filename (dir, "outbox.db", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) entries = NULL;
#define S(text) ((char *) (text))
  TandemOutboxEntry in[] = {
    { 0, S ("k-1"), TANDEM_OUTBOX_INSERT, S ("notes"), S ("{\"text\":\"a\"}"), NULL, S ("client_id"), 0, NULL },
    { 0, S ("k-2"), TANDEM_OUTBOX_UPDATE, S ("notes"), S ("{\"done\":true}"), S ("id=eq.4&owner=eq.x"), NULL, 0, NULL },
    { 0, S ("k-3"), TANDEM_OUTBOX_DELETE, S ("todos"), NULL, S ("id=eq.9"), NULL, 0, NULL },
    { 0, S ("k-4"), TANDEM_OUTBOX_UPSERT, S ("todos"), S ("[{\"id\":1}]"), NULL, S ("id"), 0, NULL },
  };
#undef S
  gint64 ids[G_N_ELEMENTS (in)];
  TandemOutboxStore *store;
  gint64 id;

  store = _tandem_outbox_store_open (path, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (in); i++)
    {
      g_assert_true (_tandem_outbox_store_append (store, &in[i], &ids[i], &error));
      g_assert_no_error (error);
      if (i > 0)
        g_assert_cmpint (ids[i], >, ids[i - 1]);
    }
  g_assert_true (_tandem_outbox_store_record_failure (store, ids[0], "Could not connect", &error));
  g_assert_true (_tandem_outbox_store_record_failure (store, ids[0], "503 Service Unavailable", &error));
  /* The same key twice is refused */
  g_assert_false (_tandem_outbox_store_append (store, &in[1], NULL, &error));
  g_assert_error (error, TANDEM_OUTBOX_ERROR, TANDEM_OUTBOX_ERROR_INVALID);
  g_clear_error (&error);
  _tandem_outbox_store_close (store);

  /* Reopened: everything as it was, in order */
  store = _tandem_outbox_store_open (path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (_tandem_outbox_store_count (store, NULL), ==, 4);
  entries = _tandem_outbox_store_list (store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (entries->len, ==, G_N_ELEMENTS (in));
  for (guint i = 0; i < entries->len; i++)
    {
      TandemOutboxEntry *entry = entries->pdata[i];

      g_assert_cmpint (entry->id, ==, ids[i]);
      g_assert_cmpstr (entry->key, ==, in[i].key);
      g_assert_cmpint (entry->operation, ==, in[i].operation);
      g_assert_cmpstr (entry->table, ==, in[i].table);
      g_assert_cmpstr (entry->body, ==, in[i].body);
      g_assert_cmpstr (entry->filters, ==, in[i].filters);
      g_assert_cmpstr (entry->key_column, ==, in[i].key_column);
      g_assert_cmpuint (entry->attempts, ==, i == 0 ? 2 : 0);
      g_assert_cmpstr (entry->last_error, ==, i == 0 ? "503 Service Unavailable" : NULL);
    }

  /* Removing the last and appending: a new id, never a reused one */
  g_assert_true (_tandem_outbox_store_remove (store, ids[3], &error));
  g_assert_true (_tandem_outbox_store_remove (store, ids[0], &error));
  g_assert_true (_tandem_outbox_store_append (store, &in[0], &id, &error));
  g_assert_cmpint (id, >, ids[3]);
  {
    g_autoptr(TandemOutboxEntry) head = _tandem_outbox_store_peek (store, &error);

    g_assert_no_error (error);
    g_assert_cmpstr (head->key, ==, "k-2");
  }
  _tandem_outbox_store_close (store);

  /* WAL and the schema version, as SQLite itself sees the file */
  {
    sqlite3 *db = NULL;
    sqlite3_stmt *stmt = NULL;

    g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
    g_assert_cmpint (sqlite3_prepare_v2 (db, "PRAGMA journal_mode", -1, &stmt, NULL), ==, SQLITE_OK);
    g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
    g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 0), ==, "wal");
    sqlite3_finalize (stmt);
    g_assert_cmpint (sqlite3_prepare_v2 (db, "PRAGMA user_version", -1, &stmt, NULL), ==, SQLITE_OK);
    g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
    g_assert_cmpint (sqlite3_column_int (stmt, 0), ==, TANDEM_OUTBOX_SCHEMA_VERSION);
    sqlite3_finalize (stmt);
    /* A file from a newer libtandem */
    g_assert_cmpint (sqlite3_exec (db, "PRAGMA user_version = 99", NULL, NULL, NULL), ==, SQLITE_OK);
    sqlite3_close (db);
  }
  g_assert_null (_tandem_outbox_store_open (path, &error));
  g_assert_error (error, TANDEM_OUTBOX_ERROR, TANDEM_OUTBOX_ERROR_STORAGE);
  g_clear_error (&error);

  tandem_test_rm_rf (dir);
}

static void
test_store_unopenable (void)
{
  g_autofree char *dir = tandem_test_make_tmpdir ("outbox");
  g_autofree char *path = g_build_filename (dir, "no", "such", "dir", "outbox.db", NULL);
  g_autofree char *not_sqlite = g_build_filename (dir, "garbage.db", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(TandemClient) client = tandem_client_new ("http://127.0.0.1:1", "anon", NULL);

  g_assert_null (tandem_outbox_new (client, path, &error));
  g_assert_error (error, TANDEM_OUTBOX_ERROR, TANDEM_OUTBOX_ERROR_STORAGE);
  g_clear_error (&error);

  g_assert_true (g_file_set_contents (not_sqlite, "this is not an SQLite database, not at all..........",
                                      -1, NULL));
  g_assert_null (tandem_outbox_new (client, not_sqlite, &error));
  g_assert_error (error, TANDEM_OUTBOX_ERROR, TANDEM_OUTBOX_ERROR_STORAGE);
  tandem_test_rm_rf (dir);
}

/* ---- sending, against a scripted server ---- */

typedef struct
{
  ScriptServer *server;
  TandemClock  *clock;
  TandemClient *client;
  char         *dir;
  char         *path;
  TandemOutbox *outbox;
  GPtrArray    *completed;   /* keys */
  GPtrArray    *failed;      /* keys */
  GPtrArray    *errors;      /* GError */
  GPtrArray    *results;     /* JsonNode, or NULL */
  guint         n_notify;
} Fixture;

static void
node_free (gpointer node)
{
  if (node != NULL)
    json_node_unref (node);
}

static void
on_completed (TandemOutbox *outbox,
              const char   *key,
              JsonNode     *result,
              Fixture      *fixture)
{
  g_ptr_array_add (fixture->completed, g_strdup (key));
  g_ptr_array_add (fixture->results, result ? json_node_copy (result) : NULL);
}

static void
on_failed (TandemOutbox *outbox,
           const char   *key,
           const GError *error,
           Fixture      *fixture)
{
  g_ptr_array_add (fixture->failed, g_strdup (key));
  g_ptr_array_add (fixture->errors, g_error_copy (error));
}

static void
on_notify (Fixture *fixture)
{
  fixture->n_notify++;
}

static void
open_outbox (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;

  fixture->outbox = tandem_outbox_new (fixture->client, fixture->path, &error);
  g_assert_no_error (error);
  g_signal_connect (fixture->outbox, "completed", G_CALLBACK (on_completed), fixture);
  g_signal_connect (fixture->outbox, "failed", G_CALLBACK (on_failed), fixture);
  g_signal_connect_swapped (fixture->outbox, "notify::n-pending", G_CALLBACK (on_notify), fixture);
}

static void
close_outbox (Fixture *fixture)
{
  g_assert_finalize_object (fixture->outbox);
  fixture->outbox = NULL;
}

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->server = script_server_new ();
  fixture->clock = tandem_manual_clock_new (G_GINT64_CONSTANT (1700000000) * G_USEC_PER_SEC);
  fixture->client = tandem_client_new (script_server_get_url (fixture->server), "anon-key", &error);
  g_assert_no_error (error);
  _tandem_client_set_clock (fixture->client, fixture->clock);
  fixture->dir = tandem_test_make_tmpdir ("outbox");
  fixture->path = g_build_filename (fixture->dir, "outbox.db", NULL);
  fixture->completed = g_ptr_array_new_with_free_func (g_free);
  fixture->failed = g_ptr_array_new_with_free_func (g_free);
  fixture->errors = g_ptr_array_new_with_free_func ((GDestroyNotify) g_error_free);
  fixture->results = g_ptr_array_new_with_free_func (node_free);
  open_outbox (fixture);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  if (fixture->outbox != NULL)
    close_outbox (fixture);
  g_assert_finalize_object (fixture->client);
  g_assert_cmpuint (tandem_manual_clock_get_n_timeouts (fixture->clock), ==, 0);
  g_assert_finalize_object (fixture->clock);
  script_server_free (fixture->server);
  tandem_test_rm_rf (fixture->dir);
  g_free (fixture->dir);
  g_free (fixture->path);
  g_ptr_array_unref (fixture->completed);
  g_ptr_array_unref (fixture->failed);
  g_ptr_array_unref (fixture->errors);
  g_ptr_array_unref (fixture->results);
}

static char *
enqueue (Fixture               *fixture,
         TandemOutboxOperation  operation,
         const char            *table,
         const char            *body,
         const char            *filters,
         const char            *key_column,
         const char            *key)
{
  g_autoptr(JsonNode) node = body ? json (body) : NULL;
  g_autoptr(GError) error = NULL;
  char *result = tandem_outbox_enqueue (fixture->outbox, operation, table, node, filters, key_column, key, &error);

  g_assert_no_error (error);
  g_assert_nonnull (result);
  return result;
}

static void
test_enqueue_invalid (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(JsonNode) scalar = json ("3");
  g_autoptr(JsonNode) empty = json ("[]");
  g_autoptr(JsonNode) object = json ("{\"a\":1}");
  GError *error = NULL;

  g_assert_null (tandem_outbox_enqueue (fixture->outbox, TANDEM_OUTBOX_INSERT, "", object, NULL, NULL, NULL, &error));
  g_assert_error (error, TANDEM_OUTBOX_ERROR, TANDEM_OUTBOX_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_null (tandem_outbox_enqueue (fixture->outbox, TANDEM_OUTBOX_INSERT, "t", scalar, NULL, NULL, NULL, &error));
  g_assert_error (error, TANDEM_OUTBOX_ERROR, TANDEM_OUTBOX_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_null (tandem_outbox_enqueue (fixture->outbox, TANDEM_OUTBOX_UPSERT, "t", empty, NULL, NULL, NULL, &error));
  g_assert_error (error, TANDEM_OUTBOX_ERROR, TANDEM_OUTBOX_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_null (tandem_outbox_enqueue (fixture->outbox, TANDEM_OUTBOX_UPDATE, "t", NULL, "id=eq.1", NULL, NULL,
                                        &error));
  g_assert_error (error, TANDEM_OUTBOX_ERROR, TANDEM_OUTBOX_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_null (tandem_outbox_enqueue (fixture->outbox, TANDEM_OUTBOX_DELETE, "t", NULL, "id", NULL, NULL, &error));
  g_assert_error (error, TANDEM_OUTBOX_ERROR, TANDEM_OUTBOX_ERROR_INVALID);
  g_clear_error (&error);

  g_assert_cmpuint (tandem_outbox_get_n_pending (fixture->outbox), ==, 0);
  g_assert_cmpuint (script_server_count (fixture->server, NULL), ==, 0);
}

static void
test_send_insert (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autofree char *k1 = NULL, *k2 = NULL, *k3 = NULL;
  g_autoptr(JsonNode) body1 = NULL, body2 = NULL;
  GPtrArray *requests = script_server_get_requests (fixture->server);
  ScriptRequest *request;
  JsonArray *rows;
  const char *derived;

  script_server_push (fixture->server, 201, NULL, NULL, NULL);
  script_server_push (fixture->server, 201, NULL, NULL, NULL);
  script_server_push (fixture->server, 201, NULL, NULL, NULL);

  /* One row, a caller's key */
  k1 = enqueue (fixture, TANDEM_OUTBOX_INSERT, "notes", "{\"text\":\"hi\"}", NULL, "client_id", "k-1");
  g_assert_cmpstr (k1, ==, "k-1");
  g_assert_cmpuint (tandem_outbox_get_n_pending (fixture->outbox), ==, 1);
  TANDEM_WAIT_UNTIL (fixture->completed->len == 1);
  g_assert_cmpstr (fixture->completed->pdata[0], ==, "k-1");
  g_assert_null (fixture->results->pdata[0]);
  g_assert_cmpuint (tandem_outbox_get_n_pending (fixture->outbox), ==, 0);
  g_assert_cmpuint (fixture->n_notify, ==, 2);

  request = requests->pdata[0];
  g_assert_cmpstr (request->method, ==, "POST");
  g_assert_cmpstr (request->path, ==, "/rest/v1/notes");
  g_assert_cmpstr (request->query, ==, "on_conflict=client_id");
  g_assert_cmpstr (soup_message_headers_get_one (request->headers, "Prefer"), ==, "resolution=ignore-duplicates");
  g_assert_cmpstr (soup_message_headers_get_one (request->headers, "Idempotency-Key"), ==, "k-1");
  body1 = script_request_json (request);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (body1), "text"), ==, "hi");
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (body1), "client_id"), ==, "k-1");

  /* Several rows, a new key: each row its own key, derived from it; a row
   * that has a value keeps it */
  k2 = enqueue (fixture, TANDEM_OUTBOX_INSERT, "notes",
                "[{\"text\":\"a\"},{\"text\":\"b\"},{\"text\":\"c\",\"client_id\":\"mine\"}]", NULL, "client_id", NULL);
  g_assert_true (g_uuid_string_is_valid (k2));
  TANDEM_WAIT_UNTIL (fixture->completed->len == 2);
  request = requests->pdata[1];
  g_assert_cmpstr (request->query, ==, "on_conflict=client_id&columns=%22text%22%2C%22client_id%22");
  body2 = script_request_json (request);
  rows = json_node_get_array (body2);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (rows, 0), "client_id"), ==, k2);
  derived = json_object_get_string_member (json_array_get_object_element (rows, 1), "client_id");
  g_assert_true (g_uuid_string_is_valid (derived));
  g_assert_cmpstr (derived, !=, k2);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (rows, 2), "client_id"), ==, "mine");

  /* Without a key column: a plain insert */
  k3 = enqueue (fixture, TANDEM_OUTBOX_INSERT, "logs", "{\"line\":\"x\"}", NULL, NULL, NULL);
  TANDEM_WAIT_UNTIL (fixture->completed->len == 3);
  request = requests->pdata[2];
  g_assert_null (request->query);
  g_assert_null (soup_message_headers_get_one (request->headers, "Prefer"));
  g_assert_cmpstr (soup_message_headers_get_one (request->headers, "Idempotency-Key"), ==, k3);
  g_assert_cmpuint (fixture->failed->len, ==, 0);
}

static void
test_send_update_delete (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autofree char *k1 = NULL, *k2 = NULL, *k3 = NULL;
  GPtrArray *requests = script_server_get_requests (fixture->server);
  ScriptRequest *request;

  g_object_set (fixture->outbox, "return-representation", TRUE, NULL);
  script_server_push (fixture->server, 200, "[{\"id\":4,\"done\":true}]", NULL, NULL);
  script_server_push (fixture->server, 204, NULL, NULL, NULL);
  script_server_push (fixture->server, 201, "[{\"id\":1,\"n\":2}]", NULL, NULL);
  k1 = enqueue (fixture, TANDEM_OUTBOX_UPDATE, "todos", "{\"done\":true}", "id=eq.4&task=eq.walk+the%20dog", NULL,
                NULL);
  k2 = enqueue (fixture, TANDEM_OUTBOX_DELETE, "todos", NULL, "id=in.(1,2)", NULL, NULL);
  k3 = enqueue (fixture, TANDEM_OUTBOX_UPSERT, "todos", "{\"id\":1,\"n\":2}", NULL, NULL, NULL);
  TANDEM_WAIT_UNTIL (fixture->completed->len == 3);

  request = requests->pdata[0];
  g_assert_cmpstr (request->method, ==, "PATCH");
  g_assert_cmpstr (request->query, ==, "id=eq.4&task=eq.walk+the+dog&select=*");
  g_assert_cmpstr (soup_message_headers_get_one (request->headers, "Prefer"), ==, "return=representation");
  request = requests->pdata[1];
  g_assert_cmpstr (request->method, ==, "DELETE");
  g_assert_cmpstr (request->query, ==, "id=in.%281%2C2%29&select=*");
  request = requests->pdata[2];
  g_assert_cmpstr (request->method, ==, "POST");
  g_assert_cmpstr (request->query, ==, "select=*");
  g_assert_cmpstr (soup_message_headers_get_one (request->headers, "Prefer"), ==,
                   "resolution=merge-duplicates, return=representation");

  g_assert_cmpstr (fixture->completed->pdata[0], ==, k1);
  g_assert_cmpstr (fixture->completed->pdata[1], ==, k2);
  g_assert_cmpstr (fixture->completed->pdata[2], ==, k3);
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (
                     json_node_get_array (fixture->results->pdata[0]), 0), "id"), ==, 4);
  g_assert_null (fixture->results->pdata[1]);
}

static void
test_retry_in_order (Fixture       *fixture,
                     gconstpointer  data)
{
  const gint64 schedule[] = { 1000, 2000, 4000, 8000, 16000, 30000, 30000 };
  g_autofree char *a = NULL, *b = NULL, *c = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  GPtrArray *requests = script_server_get_requests (fixture->server);

  /* The server fails (503) twice, then cannot be reached */
  script_server_push (fixture->server, 503, "{\"code\":\"PGRST000\",\"message\":\"db down\"}", NULL, NULL);
  script_server_push (fixture->server, 503, "{\"code\":\"PGRST000\",\"message\":\"db down\"}", NULL, NULL);
  a = enqueue (fixture, TANDEM_OUTBOX_INSERT, "notes", "{\"text\":\"a\"}", NULL, "client_id", NULL);
  b = enqueue (fixture, TANDEM_OUTBOX_INSERT, "notes", "{\"text\":\"b\"}", NULL, "client_id", NULL);
  c = enqueue (fixture, TANDEM_OUTBOX_INSERT, "notes", "{\"text\":\"c\"}", NULL, "client_id", NULL);
  g_assert_cmpuint (tandem_outbox_get_n_pending (fixture->outbox), ==, 3);

  for (guint i = 0; i < G_N_ELEMENTS (schedule); i++)
    {
      TANDEM_WAIT_UNTIL (_tandem_outbox_is_waiting (fixture->outbox));
      g_assert_cmpint (tandem_manual_clock_get_next_delay (fixture->clock), ==, schedule[i]);
      if (i == 2)
        script_server_set_down (fixture->server, TRUE);
      g_assert_cmpint (tandem_manual_clock_advance_to_next (fixture->clock), ==, schedule[i]);
    }
  TANDEM_WAIT_UNTIL (_tandem_outbox_is_waiting (fixture->outbox));
  /* Only the head went out, and only while the server was up */
  g_assert_cmpuint (requests->len, ==, 3);
  for (guint i = 0; i < requests->len; i++)
    g_assert_cmpstr (soup_message_headers_get_one (((ScriptRequest *) requests->pdata[i])->headers,
                                                   "Idempotency-Key"), ==, a);
  g_assert_cmpuint (fixture->completed->len + fixture->failed->len, ==, 0);

  entries = _tandem_outbox_list_entries (fixture->outbox, NULL);
  g_assert_cmpuint (entries->len, ==, 3);
  g_assert_cmpuint (((TandemOutboxEntry *) entries->pdata[0])->attempts, ==, G_N_ELEMENTS (schedule) + 1);
  g_assert_nonnull (((TandemOutboxEntry *) entries->pdata[0])->last_error);
  g_assert_cmpuint (((TandemOutboxEntry *) entries->pdata[1])->attempts, ==, 0);

  /* Back: the next retry sends all three, in order, each reported once */
  script_server_set_down (fixture->server, FALSE);
  script_server_push (fixture->server, 201, NULL, NULL, NULL);
  script_server_push (fixture->server, 201, NULL, NULL, NULL);
  script_server_push (fixture->server, 201, NULL, NULL, NULL);
  g_assert_cmpint (tandem_manual_clock_advance_to_next (fixture->clock), ==, 30000);
  TANDEM_WAIT_UNTIL (fixture->completed->len == 3);
  g_assert_cmpstr (fixture->completed->pdata[0], ==, a);
  g_assert_cmpstr (fixture->completed->pdata[1], ==, b);
  g_assert_cmpstr (fixture->completed->pdata[2], ==, c);
  g_assert_cmpuint (tandem_outbox_get_n_pending (fixture->outbox), ==, 0);
  g_assert_cmpuint (tandem_manual_clock_get_n_timeouts (fixture->clock), ==, 0);
  http_test_settle ();
  g_assert_cmpuint (fixture->completed->len, ==, 3);
  g_assert_cmpuint (requests->len, ==, 6);

  /* A success resets the back-off */
  script_server_push (fixture->server, 500, "{}", NULL, NULL);
  g_free (a);
  a = enqueue (fixture, TANDEM_OUTBOX_INSERT, "notes", "{\"text\":\"d\"}", NULL, "client_id", NULL);
  TANDEM_WAIT_UNTIL (_tandem_outbox_is_waiting (fixture->outbox));
  g_assert_cmpint (tandem_manual_clock_get_next_delay (fixture->clock), ==, 1000);
  /* flush() goes at once */
  script_server_push (fixture->server, 201, NULL, NULL, NULL);
  tandem_outbox_flush (fixture->outbox);
  TANDEM_WAIT_UNTIL (fixture->completed->len == 4);
  g_assert_cmpuint (tandem_manual_clock_get_n_timeouts (fixture->clock), ==, 0);
}

static void
test_rejected (Fixture       *fixture,
               gconstpointer  data)
{
  g_autofree char *a = NULL, *b = NULL, *c = NULL;
  const GError *error;

  script_server_push (fixture->server, 409,
                      "{\"code\":\"23505\",\"details\":\"Key (id)=(1) already exists.\",\"hint\":null,"
                      "\"message\":\"duplicate key value violates unique constraint\"}", NULL, NULL);
  script_server_push (fixture->server, 429, "{\"message\":\"slow down\"}", NULL, NULL);
  script_server_push (fixture->server, 201, NULL, NULL, NULL);
  script_server_push (fixture->server, 404, "{\"code\":\"PGRST205\",\"message\":\"no table\"}", NULL, NULL);
  a = enqueue (fixture, TANDEM_OUTBOX_UPSERT, "t", "{\"id\":1}", NULL, NULL, NULL);
  b = enqueue (fixture, TANDEM_OUTBOX_UPSERT, "t", "{\"id\":2}", NULL, NULL, NULL);
  c = enqueue (fixture, TANDEM_OUTBOX_DELETE, "nope", NULL, "id=eq.1", NULL, NULL);

  /* a is refused; b is throttled (kept, retried), then taken */
  TANDEM_WAIT_UNTIL (fixture->failed->len == 1);
  g_assert_cmpstr (fixture->failed->pdata[0], ==, a);
  error = fixture->errors->pdata[0];
  g_assert_error (error, TANDEM_REST_ERROR, TANDEM_REST_ERROR_CONFLICT);
  g_assert_cmpstr (tandem_rest_error_get_code (error), ==, "23505");
  g_assert_cmpstr (tandem_rest_error_get_details (error), ==, "Key (id)=(1) already exists.");
  TANDEM_WAIT_UNTIL (_tandem_outbox_is_waiting (fixture->outbox));
  g_assert_cmpint (tandem_manual_clock_advance_to_next (fixture->clock), ==, 1000);
  TANDEM_WAIT_UNTIL (fixture->failed->len == 2);
  g_assert_cmpuint (fixture->completed->len, ==, 1);
  g_assert_cmpstr (fixture->completed->pdata[0], ==, b);
  g_assert_cmpstr (fixture->failed->pdata[1], ==, c);
  g_assert_error ((GError *) fixture->errors->pdata[1], TANDEM_REST_ERROR, TANDEM_REST_ERROR_NOT_FOUND);
  g_assert_cmpuint (tandem_outbox_get_n_pending (fixture->outbox), ==, 0);
  http_test_settle ();
  g_assert_cmpuint (fixture->failed->len, ==, 2);
  g_assert_cmpuint (script_server_count (fixture->server, NULL), ==, 4);
}

static void
test_restart (Fixture       *fixture,
              gconstpointer  data)
{
  g_autofree char *a = NULL, *b = NULL;
  g_autoptr(JsonNode) first = NULL, second = NULL;
  GPtrArray *requests = script_server_get_requests (fixture->server);

  script_server_set_down (fixture->server, TRUE);
  a = enqueue (fixture, TANDEM_OUTBOX_INSERT, "notes", "{\"text\":\"a\"}", NULL, "client_id", NULL);
  b = enqueue (fixture, TANDEM_OUTBOX_INSERT, "notes", "{\"text\":\"b\"}", NULL, "client_id", NULL);
  TANDEM_WAIT_UNTIL (_tandem_outbox_is_waiting (fixture->outbox));
  /* The app quits with its writes unsent */
  close_outbox (fixture);
  g_assert_cmpuint (tandem_manual_clock_get_n_timeouts (fixture->clock), ==, 0);

  /* The next run sends them, in order, as they were */
  script_server_set_down (fixture->server, FALSE);
  script_server_push (fixture->server, 201, NULL, NULL, NULL);
  script_server_push (fixture->server, 201, NULL, NULL, NULL);
  open_outbox (fixture);
  g_assert_cmpuint (tandem_outbox_get_n_pending (fixture->outbox), ==, 2);
  TANDEM_WAIT_UNTIL (fixture->completed->len == 2);
  g_assert_cmpstr (fixture->completed->pdata[0], ==, a);
  g_assert_cmpstr (fixture->completed->pdata[1], ==, b);
  first = script_request_json (requests->pdata[0]);
  second = script_request_json (requests->pdata[1]);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (first), "client_id"), ==, a);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (second), "text"), ==, "b");
}

/* Dropping the outbox while a write is out: no signal afterwards, and the
 * write is still in the file for the next run. */
static void
test_dispose_while_sending (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autofree char *a = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  TandemOutboxStore *store;

  script_server_push (fixture->server, 201, NULL, NULL, NULL);
  a = enqueue (fixture, TANDEM_OUTBOX_INSERT, "notes", "{\"text\":\"a\"}", NULL, "client_id", NULL);
  g_assert_true (_tandem_outbox_is_sending (fixture->outbox));
  close_outbox (fixture);
  http_test_settle ();
  g_assert_cmpuint (fixture->completed->len, ==, 0);

  store = _tandem_outbox_store_open (fixture->path, &error);
  g_assert_no_error (error);
  entries = _tandem_outbox_store_list (store, &error);
  g_assert_cmpuint (entries->len, ==, 1);
  g_assert_cmpstr (((TandemOutboxEntry *) entries->pdata[0])->key, ==, a);
  _tandem_outbox_store_close (store);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/http/outbox/store-round-trip", test_store_round_trip);
  g_test_add_func ("/http/outbox/store-unopenable", test_store_unopenable);
#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("/http/outbox/enqueue-invalid", test_enqueue_invalid);
  ADD ("/http/outbox/send-insert", test_send_insert);
  ADD ("/http/outbox/send-update-delete", test_send_update_delete);
  ADD ("/http/outbox/retry-in-order", test_retry_in_order);
  ADD ("/http/outbox/rejected", test_rejected);
  ADD ("/http/outbox/restart", test_restart);
  ADD ("/http/outbox/dispose-while-sending", test_dispose_while_sending);
#undef ADD

  return g_test_run ();
}
