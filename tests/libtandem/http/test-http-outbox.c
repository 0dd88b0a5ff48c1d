/* test-http-outbox.c: TandemOutbox against tandem-server
 *
 * Writes queued while the server is down reach it in order once it is
 * back; a write that reached the server but was not known to have (it is
 * still in the file) is stored once when sent again; a refused write is
 * reported once; the queue survives closing and reopening; the client's
 * Realtime connection coming up sends at once.
 *
 * The clients run on a manual clock, so no retry fires by itself: what
 * sends is the event each test is about.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "tandem-client-private.h"
#include "tandem-outbox-private.h"
#include "tandem-rest-error.h"
#include "tandem-test-server.h"
#include "http-test-util.h"

static TandemTestPg *pg;
static TandemTestServer *server;

static const char setup_sql[] =
  "CREATE TABLE public.messages (id bigserial PRIMARY KEY, client_id uuid UNIQUE, seq int NOT NULL,"
  "  body text NOT NULL, edited boolean NOT NULL DEFAULT false);";

typedef struct
{
  TandemClock  *clock;
  TandemClient *client;
  char         *dir;
  char         *path;
  TandemOutbox *outbox;
  GPtrArray    *completed;
  GPtrArray    *failed;
  GPtrArray    *errors;
} Fixture;

static void
on_completed (TandemOutbox *outbox,
              const char   *key,
              JsonNode     *result,
              Fixture      *fixture)
{
  g_ptr_array_add (fixture->completed, g_strdup (key));
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
open_outbox (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;

  fixture->outbox = tandem_outbox_new (fixture->client, fixture->path, &error);
  g_assert_no_error (error);
  g_signal_connect (fixture->outbox, "completed", G_CALLBACK (on_completed), fixture);
  g_signal_connect (fixture->outbox, "failed", G_CALLBACK (on_failed), fixture);
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

  tandem_test_pg_exec (pg, "TRUNCATE public.messages RESTART IDENTITY");
  fixture->clock = tandem_manual_clock_new (g_get_real_time ());
  fixture->client = tandem_client_new (tandem_test_server_get_url (server), tandem_test_server_get_anon_key (server),
                                       &error);
  g_assert_no_error (error);
  _tandem_client_set_clock (fixture->client, fixture->clock);
  fixture->dir = tandem_test_make_tmpdir ("outbox");
  fixture->path = g_build_filename (fixture->dir, "outbox.db", NULL);
  fixture->completed = g_ptr_array_new_with_free_func (g_free);
  fixture->failed = g_ptr_array_new_with_free_func (g_free);
  fixture->errors = g_ptr_array_new_with_free_func ((GDestroyNotify) g_error_free);
  open_outbox (fixture);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  if (fixture->outbox != NULL)
    close_outbox (fixture);
  tandem_client_disconnect (fixture->client);
  g_clear_object (&fixture->client);
  g_clear_object (&fixture->clock);
  tandem_test_rm_rf (fixture->dir);
  g_free (fixture->dir);
  g_free (fixture->path);
  g_ptr_array_unref (fixture->completed);
  g_ptr_array_unref (fixture->failed);
  g_ptr_array_unref (fixture->errors);
}

static char *
enqueue (Fixture               *fixture,
         TandemOutboxOperation  operation,
         const char            *body,
         const char            *filters,
         const char            *key_column)
{
  g_autoptr(JsonNode) node = body ? json_from_string (body, NULL) : NULL;
  g_autoptr(GError) error = NULL;
  char *key;

  key = tandem_outbox_enqueue (fixture->outbox, operation, "messages", node, filters, key_column, NULL, &error);
  g_assert_no_error (error);
  return key;
}

/* The messages as "seq:body:edited" in id order. */
static char *
messages (void)
{
  PGresult *result = tandem_test_pg_query (pg, "SELECT coalesce (string_agg (seq || ':' || body || ':' || edited, ','"
                                               " ORDER BY id), '') FROM public.messages");
  char *text = g_strdup (PQgetvalue (result, 0, 0));

  PQclear (result);
  return text;
}

static gint64
count_client_id (const char *key)
{
  g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM public.messages WHERE client_id = '%s'", key);
  PGresult *result = tandem_test_pg_query (pg, sql);
  gint64 count = g_ascii_strtoll (PQgetvalue (result, 0, 0), NULL, 10);

  PQclear (result);
  return count;
}

static void
test_outage_in_order (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autofree char *k1 = NULL, *k2 = NULL, *k3 = NULL, *k4 = NULL, *k5 = NULL;
  g_autofree char *stored = NULL, *before = NULL;

  tandem_test_server_kill (server);
  k1 = enqueue (fixture, TANDEM_OUTBOX_INSERT, "{\"seq\":1,\"body\":\"one\"}", NULL, "client_id");
  k2 = enqueue (fixture, TANDEM_OUTBOX_INSERT, "{\"seq\":2,\"body\":\"two\"}", NULL, "client_id");
  k3 = enqueue (fixture, TANDEM_OUTBOX_INSERT, "{\"seq\":3,\"body\":\"three\"}", NULL, "client_id");
  k4 = enqueue (fixture, TANDEM_OUTBOX_UPDATE, "{\"edited\":true,\"body\":\"two, edited\"}", "seq=eq.2", NULL);
  k5 = enqueue (fixture, TANDEM_OUTBOX_DELETE, NULL, "seq=eq.3", NULL);
  TANDEM_WAIT_UNTIL (_tandem_outbox_is_waiting (fixture->outbox));
  g_assert_cmpuint (tandem_outbox_get_n_pending (fixture->outbox), ==, 5);
  before = messages ();
  g_assert_cmpstr (before, ==, "");

  tandem_test_server_restart (server);
  tandem_outbox_flush (fixture->outbox);
  TANDEM_WAIT_UNTIL (fixture->completed->len == 5);
  g_assert_cmpstr (fixture->completed->pdata[0], ==, k1);
  g_assert_cmpstr (fixture->completed->pdata[1], ==, k2);
  g_assert_cmpstr (fixture->completed->pdata[2], ==, k3);
  g_assert_cmpstr (fixture->completed->pdata[3], ==, k4);
  g_assert_cmpstr (fixture->completed->pdata[4], ==, k5);
  g_assert_cmpuint (fixture->failed->len, ==, 0);
  g_assert_cmpuint (tandem_outbox_get_n_pending (fixture->outbox), ==, 0);

  /* In order: the update found row 2, the delete row 3 */
  stored = messages ();
  g_assert_cmpstr (stored, ==, "1:one:false,2:two, edited:true");
  g_assert_cmpint (count_client_id (k1), ==, 1);
}

/* A write the server took, still in the file (the app died before it heard
 * back): sent again on the next run, stored once. */
static void
test_resend_stored_once (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *single = NULL, *pair = NULL, *stored = NULL;
  TandemOutboxStore *store;

  /* Queue while down, and keep a copy of what the file holds */
  tandem_test_server_kill (server);
  single = enqueue (fixture, TANDEM_OUTBOX_INSERT, "{\"seq\":1,\"body\":\"once\"}", NULL, "client_id");
  pair = enqueue (fixture, TANDEM_OUTBOX_INSERT, "[{\"seq\":2,\"body\":\"a\"},{\"seq\":3,\"body\":\"b\"}]", NULL,
                  "client_id");
  TANDEM_WAIT_UNTIL (_tandem_outbox_is_waiting (fixture->outbox));
  entries = _tandem_outbox_list_entries (fixture->outbox, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (entries->len, ==, 2);

  tandem_test_server_restart (server);
  tandem_outbox_flush (fixture->outbox);
  TANDEM_WAIT_UNTIL (fixture->completed->len == 2);
  close_outbox (fixture);

  /* The same writes are back in the file, as if never removed */
  store = _tandem_outbox_store_open (fixture->path, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < entries->len; i++)
    g_assert_true (_tandem_outbox_store_append (store, entries->pdata[i], NULL, &error));
  _tandem_outbox_store_close (store);

  open_outbox (fixture);
  g_assert_cmpuint (tandem_outbox_get_n_pending (fixture->outbox), ==, 2);
  TANDEM_WAIT_UNTIL (fixture->completed->len == 4);
  g_assert_cmpstr (fixture->completed->pdata[2], ==, single);
  g_assert_cmpstr (fixture->completed->pdata[3], ==, pair);
  g_assert_cmpuint (fixture->failed->len, ==, 0);

  stored = messages ();
  g_assert_cmpstr (stored, ==, "1:once:false,2:a:false,3:b:false");
  g_assert_cmpint (count_client_id (single), ==, 1);
}

static void
test_rejected_once (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autofree char *bad = NULL, *good = NULL, *stored = NULL;
  const GError *error;

  bad = enqueue (fixture, TANDEM_OUTBOX_INSERT, "{\"seq\":1}", NULL, "client_id");
  good = enqueue (fixture, TANDEM_OUTBOX_INSERT, "{\"seq\":2,\"body\":\"fine\"}", NULL, "client_id");
  TANDEM_WAIT_UNTIL (fixture->completed->len == 1);
  g_assert_cmpuint (fixture->failed->len, ==, 1);
  g_assert_cmpstr (fixture->failed->pdata[0], ==, bad);
  g_assert_cmpstr (fixture->completed->pdata[0], ==, good);
  error = fixture->errors->pdata[0];
  g_assert_error (error, TANDEM_REST_ERROR, TANDEM_REST_ERROR_BAD_REQUEST);
  g_assert_cmpstr (tandem_rest_error_get_code (error), ==, "23502");
  g_assert_cmpuint (tandem_rest_error_get_status (error), ==, 400);

  /* Not sent again, on a retry or a flush */
  tandem_outbox_flush (fixture->outbox);
  http_test_settle ();
  g_assert_cmpuint (fixture->failed->len, ==, 1);
  g_assert_cmpuint (fixture->completed->len, ==, 1);
  g_assert_cmpuint (tandem_outbox_get_n_pending (fixture->outbox), ==, 0);
  g_assert_cmpuint (tandem_manual_clock_get_n_timeouts (fixture->clock), ==, 0);
  stored = messages ();
  g_assert_cmpstr (stored, ==, "2:fine:false");
}

static void
test_survives_reopen (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autofree char *k1 = NULL, *k2 = NULL, *stored = NULL;

  tandem_test_server_kill (server);
  k1 = enqueue (fixture, TANDEM_OUTBOX_INSERT, "{\"seq\":1,\"body\":\"first\"}", NULL, "client_id");
  k2 = enqueue (fixture, TANDEM_OUTBOX_UPSERT, "{\"seq\":2,\"body\":\"second\",\"client_id\":"
                "\"a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11\"}", NULL, "client_id");
  TANDEM_WAIT_UNTIL (_tandem_outbox_is_waiting (fixture->outbox));
  close_outbox (fixture);

  tandem_test_server_restart (server);
  open_outbox (fixture);
  TANDEM_WAIT_UNTIL (fixture->completed->len == 2);
  g_assert_cmpstr (fixture->completed->pdata[0], ==, k1);
  g_assert_cmpstr (fixture->completed->pdata[1], ==, k2);
  stored = messages ();
  g_assert_cmpstr (stored, ==, "1:first:false,2:second:false");
}

static void
test_connected_flushes (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autofree char *k1 = NULL, *stored = NULL;

  if (g_object_class_find_property (G_OBJECT_GET_CLASS (fixture->client), "status") == NULL)
    {
      g_test_skip ("TandemClient has no status property yet");
      return;
    }

  tandem_test_server_kill (server);
  k1 = enqueue (fixture, TANDEM_OUTBOX_INSERT, "{\"seq\":1,\"body\":\"online\"}", NULL, "client_id");
  TANDEM_WAIT_UNTIL (_tandem_outbox_is_waiting (fixture->outbox));
  tandem_test_server_restart (server);

  /* No retry fires on this clock: the connection coming up sends it. */
  tandem_client_connect (fixture->client);
  TANDEM_WAIT_UNTIL (fixture->completed->len == 1);
  g_assert_cmpstr (fixture->completed->pdata[0], ==, k1);
  stored = messages ();
  g_assert_cmpstr (stored, ==, "1:online:false");
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_test_init (&argc, &argv, NULL);

  pg = tandem_test_pg_new ();
  server = tandem_test_server_new (pg, NULL);
  tandem_test_pg_exec (pg, setup_sql);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("/http/outbox-server/outage-in-order", test_outage_in_order);
  ADD ("/http/outbox-server/resend-stored-once", test_resend_stored_once);
  ADD ("/http/outbox-server/rejected-once", test_rejected_once);
  ADD ("/http/outbox-server/survives-reopen", test_survives_reopen);
  ADD ("/http/outbox-server/connected-flushes", test_connected_flushes);
#undef ADD

  status = g_test_run ();

  tandem_test_server_stop (server);
  tandem_test_server_free (server);
  tandem_test_pg_free (pg);
  return status;
}
