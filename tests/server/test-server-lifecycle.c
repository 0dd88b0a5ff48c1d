/* test-server-lifecycle.c: tandem-server as a person runs it
 *
 * Its own PostgreSQL in --data, `status`, clean SIGTERM, keys that survive a
 * restart, recovery from a PostgreSQL crash, no change delivered twice across
 * a restart, and a clear refusal of a database without logical decoding.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <gio/gio.h>
#include <glib/gstdio.h>

#include "tandem-pg-conn.h"
#include "tandem-test-client.h"
#include "tandem-test-pg.h"
#include "tandem-test-server.h"
#include "tandem-test-utils.h"

static const char *
server_path (void)
{
  const char *path = g_getenv ("TANDEM_SERVER");

  if (path == NULL)
    g_error ("TANDEM_SERVER is not set: run the tests with meson test");
  return path;
}

typedef struct
{
  GSubprocess *process;
  JsonObject  *info;     /* what it printed with --output json */
} OwnServer;

/* Starts tandem-server --data @dir and reads its JSON status. */
static OwnServer *
own_server_start (const char *dir)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_autoptr(GError) error = NULL;
  g_autoptr(GDataInputStream) lines = NULL;
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(JsonNode) node = NULL;
  OwnServer *server = g_new0 (OwnServer, 1);

  server->process = g_subprocess_launcher_spawn (launcher, &error, server_path (),
                                                 "--data", dir, "--listen", "127.0.0.1:0",
                                                 "--output", "json", "--log-level", "debug", NULL);
  g_assert_no_error (error);
  lines = g_data_input_stream_new (g_subprocess_get_stdout_pipe (server->process));
  for (;;)
    {
      g_autofree char *line = g_data_input_stream_read_line_utf8 (lines, NULL, NULL, &error);

      g_assert_no_error (error);
      if (line == NULL)
        g_error ("tandem-server exited before printing its status");
      g_string_append (text, line);
      if (g_str_equal (line, "}"))
        break;
    }
  node = json_from_string (text->str, &error);
  g_assert_no_error (error);
  server->info = json_object_ref (json_node_get_object (node));
  return server;
}

static int
own_server_stop (OwnServer *server)
{
  g_autoptr(GError) error = NULL;
  int status;

  g_subprocess_send_signal (server->process, SIGTERM);
  g_subprocess_wait (server->process, NULL, &error);
  g_assert_no_error (error);
  status = g_subprocess_get_exit_status (server->process);
  g_object_unref (server->process);
  json_object_unref (server->info);
  g_free (server);
  return status;
}

static guint
http_get (const char  *url,
          char       **body_out)
{
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", url);
  g_autoptr(GBytes) body = soup_session_send_and_read (session, msg, NULL, NULL);

  if (body_out != NULL)
    *body_out = body ? g_strndup (g_bytes_get_data (body, NULL), g_bytes_get_size (body)) : NULL;
  return soup_message_get_status (msg);
}

static char *
run_status (const char *dir,
            const char *format)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) status = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error, server_path (),
                                                    "status", "--data", dir, "--output", format, NULL);
  char *out = NULL;

  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (status, NULL, NULL, &out, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_successful (status));
  return out;
}

static gboolean
health_ok (const char *api_url)
{
  g_autofree char *url = g_strconcat (api_url, "/health", NULL);

  return http_get (url, NULL) == 200;
}

static void
test_own_cluster (void)
{
  g_autofree char *dir = tandem_test_make_tmpdir ("tandem-own");
  g_autofree char *data = g_build_filename (dir, "data", NULL);
  g_autofree char *anon_key = NULL;
  g_autofree char *api_url = NULL;
  g_autofree char *env = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *pid_path = g_build_filename (data, "pg", "postmaster.pid", NULL);
  g_autofree char *secret_path = g_build_filename (data, "jwt-secret", NULL);
  g_autofree char *pretty = NULL;
  g_autofree char *pid_text = NULL;
  OwnServer *server;
  struct stat st;
  GPid postmaster;

  /* as root, our PostgreSQL runs as `postgres`, which must pass through */
  g_assert_cmpint (g_chmod (dir, 0711), ==, 0);
  server = own_server_start (data);
  api_url = g_strdup (json_object_get_string_member (server->info, "API_URL"));
  anon_key = g_strdup (json_object_get_string_member (server->info, "ANON_KEY"));
  g_assert_true (g_str_has_prefix (api_url, "http://127.0.0.1:"));
  g_assert_true (g_str_has_prefix (json_object_get_string_member (server->info, "REALTIME_URL"), "ws://127.0.0.1:"));
  g_assert_cmpuint (strlen (json_object_get_string_member (server->info, "SERVICE_ROLE_KEY")), >, 40);
  g_assert_true (health_ok (api_url));

  /* the secret is private */
  g_assert_cmpint (stat (secret_path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);

  /* status prints what a script needs */
  env = run_status (data, "env");
  expected = g_strdup_printf ("API_URL=\"%s\"\n", api_url);
  g_assert_nonnull (strstr (env, expected));
  g_free (expected);
  expected = g_strdup_printf ("ANON_KEY=\"%s\"\n", anon_key);
  g_assert_nonnull (strstr (env, expected));
  g_assert_nonnull (strstr (env, "DB_URL=\"postgresql://"));

  /* a crashed PostgreSQL is started again */
  g_assert_true (g_file_get_contents (pid_path, &pid_text, NULL, NULL));
  postmaster = (GPid) g_ascii_strtoll (pid_text, NULL, 10);
  g_assert_cmpint (postmaster, >, 0);
  g_assert_cmpint (kill (postmaster, SIGKILL), ==, 0);
  TANDEM_WAIT_UNTIL_TIMEOUT (!health_ok (api_url), 10000);
  TANDEM_WAIT_UNTIL_TIMEOUT (health_ok (api_url), 30000);

  /* SIGTERM stops everything cleanly, PostgreSQL included */
  g_assert_cmpint (own_server_stop (server), ==, 0);
  g_assert_false (g_file_test (pid_path, G_FILE_TEST_EXISTS));
  pretty = run_status (data, "pretty");
  g_assert_nonnull (strstr (pretty, "not running"));

  /* the second run finds the cluster and keeps the keys */
  server = own_server_start (data);
  g_assert_cmpstr (json_object_get_string_member (server->info, "ANON_KEY"), ==, anon_key);
  g_assert_true (health_ok (json_object_get_string_member (server->info, "API_URL")));
  g_assert_cmpint (own_server_stop (server), ==, 0);

  tandem_test_rm_rf (dir);
}

/* Changes left in the slot, not yet confirmed, whose text contains @needle. */
static int
unconfirmed_changes_with (TandemTestPg *pg,
                          const char   *needle)
{
  g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM pg_logical_slot_peek_changes('tandem_realtime', NULL, NULL,"
                                          " 'format-version', '2') WHERE data LIKE '%%%s%%'", needle);
  g_autoptr(PGresult) result = tandem_test_pg_query (pg, sql);

  return atoi (PQgetvalue (result, 0, 0));
}

static void
test_no_duplicates_across_restart (void)
{
  g_autoptr(TandemTestPg) pg = tandem_test_pg_new ();
  g_autoptr(TandemTestServer) server = NULL;
  g_autoptr(TestClient) client = NULL;
  const char *config = "{\"postgres_changes\":[{\"event\":\"INSERT\",\"schema\":\"public\",\"table\":\"ledger\"}]}";
  TandemMessage *change;
  JsonObject *record;

  tandem_test_pg_exec (pg, "CREATE TABLE ledger (id int PRIMARY KEY, note text);");
  server = tandem_test_server_new (pg, NULL);
  tandem_test_pg_exec (pg, "ALTER PUBLICATION supabase_realtime ADD TABLE ledger;");

  client = test_client_new (tandem_test_server_get_ws_url (server), tandem_test_server_get_anon_key (server),
                            TANDEM_SERIALIZER_V2);
  test_client_join (client, "realtime:ledger", config, NULL);
  test_client_wait_event (client, "realtime:ledger", "system");
  tandem_test_pg_exec (pg, "INSERT INTO ledger VALUES (1, 'before restart');");
  change = test_client_wait_event (client, "realtime:ledger", "postgres_changes");
  record = json_object_get_object_member (json_object_get_object_member (json_node_get_object (change->payload), "data"), "record");
  g_assert_cmpint (json_object_get_int_member (record, "id"), ==, 1);

  tandem_test_server_stop (server);
  test_client_wait_closed (client);
  g_clear_pointer (&client, test_client_free);

  /* Delivered, so confirmed: the slot will not hand it out again. A change
   * written while the server is down stays in the slot until delivered. */
  tandem_test_pg_exec (pg, "INSERT INTO ledger VALUES (2, 'while down');");
  g_assert_cmpint (unconfirmed_changes_with (pg, "before restart"), ==, 0);
  g_assert_cmpint (unconfirmed_changes_with (pg, "while down"), ==, 1);

  tandem_test_server_restart (server);
  client = test_client_new (tandem_test_server_get_ws_url (server), tandem_test_server_get_anon_key (server),
                            TANDEM_SERIALIZER_V2);
  test_client_join (client, "realtime:ledger", config, NULL);
  test_client_wait_event (client, "realtime:ledger", "system");
  tandem_test_pg_exec (pg, "INSERT INTO ledger VALUES (3, 'after restart');");

  change = test_client_wait_event (client, "realtime:ledger", "postgres_changes");
  record = json_object_get_object_member (json_object_get_object_member (json_node_get_object (change->payload), "data"), "record");
  /* Row 2 streamed before anyone subscribed again, so, as with Supabase,
   * the new subscriber starts with row 3; row 1 never comes back. */
  g_assert_cmpint (json_object_get_int_member (record, "id"), ==, 3);
  tandem_test_run_for (300);
  g_assert_cmpuint (test_client_count_events (client, "realtime:ledger", "postgres_changes"), ==, 1);

  tandem_test_server_stop (server);
  g_assert_cmpint (unconfirmed_changes_with (pg, "while down"), ==, 0);
  g_assert_cmpint (unconfirmed_changes_with (pg, "after restart"), ==, 0);
}

static void
test_postgres_restart (void)
{
  g_autoptr(TandemTestPg) pg = tandem_test_pg_new ();
  g_autoptr(TandemTestServer) server = NULL;
  g_autoptr(TestClient) client = NULL;
  const char *config = "{\"postgres_changes\":[{\"event\":\"*\",\"schema\":\"public\",\"table\":\"items\"}]}";
  TandemMessage *system;
  TandemMessage *change;
  g_autofree char *hb = NULL;

  tandem_test_pg_exec (pg, "CREATE TABLE items (id int PRIMARY KEY);");
  server = tandem_test_server_new (pg, NULL);
  tandem_test_pg_exec (pg, "ALTER PUBLICATION supabase_realtime ADD TABLE items;");
  client = test_client_new (tandem_test_server_get_ws_url (server), tandem_test_server_get_anon_key (server),
                            TANDEM_SERIALIZER_V2);
  test_client_join (client, "realtime:items", config, NULL);
  test_client_wait_event (client, "realtime:items", "system");

  tandem_test_pg_kill (pg);
  system = test_client_wait_event (client, "realtime:items", "system");
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (system->payload), "status"), ==, "error");
  tandem_test_pg_restart (pg);
  system = test_client_wait_event (client, "realtime:items", "system");
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (system->payload), "status"), ==, "ok");

  /* the channel never closed, and changes flow again */
  g_assert_cmpuint (test_client_count_events (client, "realtime:items", "phx_close"), ==, 0);
  tandem_test_pg_exec (pg, "INSERT INTO items VALUES (42);");
  change = test_client_wait_event (client, "realtime:items", "postgres_changes");
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (
                     json_object_get_object_member (json_node_get_object (change->payload), "data"), "record"), "id"), ==, 42);
  hb = test_client_push (client, NULL, "phoenix", "heartbeat", "{}");
  g_assert_cmpstr (test_reply_status (test_client_wait_reply (client, hb)), ==, "ok");
}

static void
test_wal_level_refused (void)
{
  g_autoptr(TandemTestPg) pg = tandem_test_pg_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autofree char *err_text = NULL;

  tandem_test_pg_exec (pg, "ALTER SYSTEM SET wal_level = 'replica';");
  tandem_test_pg_restart (pg);

  process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_PIPE, &error,
                              server_path (), "--database-url", tandem_test_pg_get_url (pg),
                              "--listen", "127.0.0.1:0", "--jwt-secret", "a-test-secret-of-enough-length-0123456789", NULL);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, NULL, &err_text, &error);
  g_assert_no_error (error);
  g_assert_false (g_subprocess_get_successful (process));
  g_assert_nonnull (strstr (err_text, "wal_level"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/lifecycle/own-cluster", test_own_cluster);
  g_test_add_func ("/lifecycle/no-duplicates-across-restart", test_no_duplicates_across_restart);
  g_test_add_func ("/lifecycle/postgres-restart", test_postgres_restart);
  g_test_add_func ("/lifecycle/wal-level-refused", test_wal_level_refused);

  return g_test_run ();
}
