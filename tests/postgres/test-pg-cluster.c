/* test-pg-cluster.c: TandemPgCluster and the TandemTestPg fixture
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <pwd.h>
#include <signal.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <netinet/in.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <libpq-fe.h>

#include "tandem-pg-cluster.h"
#include "tandem-test-pg.h"
#include "tandem-test-private.h"
#include "tandem-test-utils.h"

/* A scratch folder for one test, removed by a watchdog even if the test
 * fails half-way. */
typedef struct
{
  char               *dir;
  char               *data;
  char               *sock;
  TandemTestWatchdog *watchdog;
} Scratch;

static void
scratch_init (Scratch *scratch)
{
  scratch->dir = tandem_test_make_tmpdir ("tandem-test-cluster");
  if (geteuid () == 0)
    g_assert_no_errno (g_chmod (scratch->dir, 0711));
  scratch->data = g_build_filename (scratch->dir, "data", NULL);
  scratch->sock = g_build_filename (scratch->dir, "sock", NULL);
  scratch->watchdog = tandem_test_watchdog_new (scratch->dir, "INT");
}

static void
scratch_watch (Scratch         *scratch,
               TandemPgCluster *cluster)
{
  tandem_test_watchdog_set_pid (scratch->watchdog, tandem_pg_cluster_get_pid (cluster));
}

static void
scratch_clear (Scratch *scratch)
{
  tandem_test_rm_rf (scratch->dir);
  tandem_test_watchdog_free (scratch->watchdog);
  g_assert_false (g_file_test (scratch->dir, G_FILE_TEST_EXISTS));
  g_free (scratch->dir);
  g_free (scratch->data);
  g_free (scratch->sock);
}

static PGconn *
connect_or_fail (const char *conninfo)
{
  PGconn *conn = PQconnectdb (conninfo);

  if (PQstatus (conn) != CONNECTION_OK)
    g_error ("Cannot connect with “%s”: %s", conninfo, PQerrorMessage (conn));
  return conn;
}

/* The first column of the first row, on an open connection. */
static char *
conn_value (PGconn     *conn,
            const char *sql)
{
  PGresult *result = PQexec (conn, sql);
  char *value;

  if (PQresultStatus (result) != PGRES_TUPLES_OK)
    g_error ("%s: %s", sql, PQresultErrorMessage (result));
  g_assert_cmpint (PQntuples (result), >=, 1);
  value = g_strdup (PQgetvalue (result, 0, 0));
  PQclear (result);

  return value;
}

static void
conn_exec (PGconn     *conn,
           const char *sql)
{
  PGresult *result = PQexec (conn, sql);

  if (PQresultStatus (result) != PGRES_COMMAND_OK && PQresultStatus (result) != PGRES_TUPLES_OK)
    g_error ("%s: %s", sql, PQresultErrorMessage (result));
  PQclear (result);
}

static char *
query_value (const char *conninfo,
             const char *sql)
{
  PGconn *conn = connect_or_fail (conninfo);
  char *value = conn_value (conn, sql);

  PQfinish (conn);
  return value;
}

static void
assert_setting (const char *conninfo,
                const char *name,
                const char *expected)
{
  g_autofree char *sql = g_strdup_printf ("SHOW %s", name);
  g_autofree char *value = query_value (conninfo, sql);

  g_assert_cmpstr (value, ==, expected);
}

static guint
count_lines (const char *path,
             const char *line)
{
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GError) error = NULL;
  guint n = 0;

  g_file_get_contents (path, &contents, NULL, &error);
  g_assert_no_error (error);
  lines = g_strsplit (contents, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    n += g_str_equal (g_strstrip (lines[i]), line);

  return n;
}

static void
on_exited (TandemPgCluster *cluster,
           int              wait_status,
           gpointer         user_data)
{
  int *statuses = user_data;

  /* statuses[0]: count, statuses[1]: last status */
  statuses[0]++;
  statuses[1] = wait_status;
}

static void
on_notify_count (GObject    *object,
                 GParamSpec *pspec,
                 gpointer    user_data)
{
  guint *count = user_data;

  (*count)++;
}

static TandemPgCluster *
start_cluster (Scratch *scratch,
               guint    port)
{
  g_autoptr(GError) error = NULL;
  TandemPgCluster *cluster = tandem_pg_cluster_new (scratch->data, scratch->sock, port);

  tandem_pg_cluster_set_fsync (cluster, FALSE);
  tandem_pg_cluster_ensure_initialized (cluster, &error);
  g_assert_no_error (error);
  tandem_pg_cluster_start_sync (cluster, &error);
  g_assert_no_error (error);
  scratch_watch (scratch, cluster);

  return cluster;
}

/* ------------------------------------------------------------------------ */

static void
test_find_bindir (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *bindir = tandem_pg_find_bindir (&error);
  g_autofree char *initdb = NULL;

  g_assert_no_error (error);
  g_assert_nonnull (bindir);
  g_assert_true (g_path_is_absolute (bindir));
  initdb = g_build_filename (bindir, "initdb", NULL);
  g_assert_true (g_file_test (initdb, G_FILE_TEST_IS_EXECUTABLE));
}

static void
test_conninfo_and_url (void)
{
  g_autoptr(TandemPgCluster) socket_only = tandem_pg_cluster_new ("/tmp/tandem data", "/tmp/so ck'et\\", 0);
  g_autoptr(TandemPgCluster) tcp = tandem_pg_cluster_new ("relative/data", "relative/sock", 54329);
  const char *sources[] = { NULL, NULL };
  g_autofree char *conninfo = tandem_pg_cluster_dup_conninfo (socket_only, "my db");
  g_autofree char *url = tandem_pg_cluster_dup_url (socket_only, "my db");
  g_autofree char *tcp_url = tandem_pg_cluster_dup_url (tcp, NULL);
  g_autofree char *cwd = g_get_current_dir ();
  g_autofree char *expected_data = g_build_filename (cwd, "relative", "data", NULL);

  g_assert_cmpuint (tandem_pg_cluster_get_port (socket_only), ==, 0);
  g_assert_false (tandem_pg_cluster_get_running (socket_only));
  g_assert_cmpint (tandem_pg_cluster_get_pid (socket_only), ==, 0);
  g_assert_true (tandem_pg_cluster_get_fsync (socket_only));
  g_assert_cmpstr (tandem_pg_cluster_get_pgdata (tcp), ==, expected_data);
  g_assert_cmpstr (tcp_url, ==, "postgresql://postgres@127.0.0.1:54329/postgres");

  /* Whatever the characters, libpq reads back the same values. */
  sources[0] = conninfo;
  sources[1] = url;
  for (guint i = 0; i < G_N_ELEMENTS (sources); i++)
    {
      char *errmsg = NULL;
      PQconninfoOption *options = PQconninfoParse (sources[i], &errmsg);
      guint seen = 0;

      if (options == NULL)
        g_error ("libpq cannot parse “%s”: %s", sources[i], errmsg);
      for (PQconninfoOption *o = options; o->keyword != NULL; o++)
        {
          const char *expected = NULL;

          if (g_str_equal (o->keyword, "host"))
            expected = "/tmp/so ck'et\\";
          else if (g_str_equal (o->keyword, "dbname"))
            expected = "my db";
          else if (g_str_equal (o->keyword, "user"))
            expected = "postgres";
          else if (g_str_equal (o->keyword, "port") && o->val != NULL)
            g_assert_cmpstr (o->val, ==, "5432");
          if (expected != NULL)
            {
              g_assert_cmpstr (o->val, ==, expected);
              seen++;
            }
        }
      g_assert_cmpuint (seen, ==, 3);
      PQconninfoFree (options);
    }
}

static void
test_lifecycle (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TandemPgCluster) cluster = NULL;
  g_autofree char *conninfo = NULL;
  g_autofree char *url = NULL;
  g_autofree char *expected_url = NULL;
  g_autofree char *tcp_replication = NULL;
  g_autofree char *main_conf = NULL;
  g_autofree char *log_path = NULL;
  g_autofree char *version_file = NULL;
  g_autofree char *changes = NULL;
  guint port = tandem_test_find_free_port ();
  int exited[2] = { 0, 0 };
  guint running_notifies = 0;
  PGconn *conn;
  PGresult *result;
  GPid pid;
  Scratch scratch;

  scratch_init (&scratch);
  cluster = tandem_pg_cluster_new (scratch.data, scratch.sock, port);
  tandem_pg_cluster_set_fsync (cluster, FALSE);
  g_assert_false (tandem_pg_cluster_get_fsync (cluster));
  g_signal_connect (cluster, "exited", G_CALLBACK (on_exited), exited);
  g_signal_connect (cluster, "notify::running", G_CALLBACK (on_notify_count), &running_notifies);

  tandem_pg_cluster_ensure_initialized (cluster, &error);
  g_assert_no_error (error);
  version_file = g_build_filename (scratch.data, "PG_VERSION", NULL);
  g_assert_true (g_file_test (version_file, G_FILE_TEST_EXISTS));
  main_conf = g_build_filename (scratch.data, "postgresql.conf", NULL);
  g_assert_cmpuint (count_lines (main_conf, "include_if_exists = 'tandem.conf'"), ==, 1);

  tandem_pg_cluster_start_sync (cluster, &error);
  g_assert_no_error (error);
  scratch_watch (&scratch, cluster);
  g_assert_true (tandem_pg_cluster_get_running (cluster));
  g_assert_cmpuint (running_notifies, ==, 1);
  pid = tandem_pg_cluster_get_pid (cluster);
  g_assert_cmpint (pid, >, 0);

  /* As the postgres user when we are root. */
  if (geteuid () == 0)
    {
      g_autofree char *status_path = g_strdup_printf ("/proc/%d/status", (int) pid);
      g_autofree char *status = NULL;
      g_autofree char *uid_line = NULL;
      struct passwd *pw = getpwnam ("postgres");

      g_assert_nonnull (pw);
      g_assert_true (g_file_get_contents (status_path, &status, NULL, NULL));
      uid_line = g_strdup_printf ("\nUid:\t%u\t", (unsigned) pw->pw_uid);
      g_assert_nonnull (strstr (status, uid_line));
    }

  /* Over the socket. */
  conninfo = tandem_pg_cluster_dup_conninfo (cluster, NULL);
  assert_setting (conninfo, "wal_level", "logical");
  assert_setting (conninfo, "max_replication_slots", "10");
  assert_setting (conninfo, "max_wal_senders", "10");
  assert_setting (conninfo, "fsync", "off");
  assert_setting (conninfo, "TimeZone", "UTC");
  assert_setting (conninfo, "listen_addresses", "127.0.0.1");
  assert_setting (conninfo, "unix_socket_directories", scratch.sock);
  assert_setting (conninfo, "server_encoding", "UTF8");

  /* Over TCP, by URL. */
  url = tandem_pg_cluster_dup_url (cluster, NULL);
  expected_url = g_strdup_printf ("postgresql://postgres@127.0.0.1:%u/postgres", port);
  g_assert_cmpstr (url, ==, expected_url);
  assert_setting (url, "lc_collate", "C.UTF-8");

  /* wal2json is allowed as an output plugin and decodes a change. */
  conn = connect_or_fail (url);
  conn_exec (conn, "SELECT pg_create_logical_replication_slot('probe', 'wal2json', true)");
  conn_exec (conn, "CREATE TABLE notes (id serial PRIMARY KEY, title text)");
  conn_exec (conn, "INSERT INTO notes (title) VALUES ('first')");
  result = PQexec (conn, "SELECT string_agg(data, E'\\n') FROM "
                         "pg_logical_slot_get_changes('probe', NULL, NULL, 'format-version', '2')");
  g_assert_cmpint (PQresultStatus (result), ==, PGRES_TUPLES_OK);
  changes = g_strdup (PQgetvalue (result, 0, 0));
  PQclear (result);
  PQfinish (conn);
  g_assert_nonnull (strstr (changes, "\"action\":\"I\""));
  g_assert_nonnull (strstr (changes, "\"value\":\"first\""));

  /* Replication connections are trusted on 127.0.0.1. */
  tcp_replication = g_strdup_printf ("host=127.0.0.1 port=%u user=postgres dbname=postgres "
                                     "replication=database", port);
  conn = connect_or_fail (tcp_replication);
  result = PQexec (conn, "IDENTIFY_SYSTEM");
  g_assert_cmpint (PQresultStatus (result), ==, PGRES_TUPLES_OK);
  PQclear (result);
  PQfinish (conn);

  tandem_pg_cluster_stop (cluster);
  tandem_test_watchdog_set_pid (scratch.watchdog, 0);
  g_assert_false (tandem_pg_cluster_get_running (cluster));
  g_assert_cmpint (tandem_pg_cluster_get_pid (cluster), ==, 0);
  g_assert_cmpuint (running_notifies, ==, 2);
  g_assert_false (tandem_test_process_alive (pid));
  g_assert_cmpint (PQping (conninfo), ==, PQPING_NO_RESPONSE);

  /* A requested stop is not an "exit". */
  tandem_test_run_for (100);
  g_assert_cmpint (exited[0], ==, 0);

  /* Stopping again is harmless. */
  tandem_pg_cluster_stop (cluster);

  log_path = tandem_pg_cluster_dup_log_path (cluster);
  g_assert_true (g_str_has_prefix (log_path, scratch.data));
  g_assert_true (g_file_test (log_path, G_FILE_TEST_IS_REGULAR));

  g_clear_object (&cluster);
  scratch_clear (&scratch);
}

static void
test_reinit_keeps_data (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TandemPgCluster) first = NULL;
  g_autoptr(TandemPgCluster) second = NULL;
  g_autofree char *conninfo = NULL;
  g_autofree char *url = NULL;
  g_autofree char *title = NULL;
  g_autofree char *main_conf = NULL;
  g_autofree char *tandem_conf = NULL;
  g_autofree char *old_tcp = NULL;
  g_autofree char *host_param = NULL;
  g_autofree char *escaped_sock = NULL;
  g_autofree char *conf_text = NULL;
  g_autofree char *old_port_line = NULL;
  guint port = tandem_test_find_free_port ();
  PGconn *conn;
  Scratch scratch;

  scratch_init (&scratch);

  first = start_cluster (&scratch, port);
  conninfo = tandem_pg_cluster_dup_conninfo (first, NULL);
  conn = connect_or_fail (conninfo);
  conn_exec (conn, "CREATE TABLE notes (id int PRIMARY KEY, title text)");
  conn_exec (conn, "INSERT INTO notes VALUES (1, 'kept')");
  PQfinish (conn);
  tandem_pg_cluster_stop (first);
  g_clear_object (&first);
  g_clear_pointer (&conninfo, g_free);

  /* Same folder, now socket-only: initdb must not run again, the settings
   * are rewritten, the include line stays single. */
  second = tandem_pg_cluster_new (scratch.data, scratch.sock, 0);
  tandem_pg_cluster_set_fsync (second, FALSE);
  tandem_pg_cluster_ensure_initialized (second, &error);
  g_assert_no_error (error);
  tandem_pg_cluster_ensure_initialized (second, &error);
  g_assert_no_error (error);

  main_conf = g_build_filename (scratch.data, "postgresql.conf", NULL);
  g_assert_cmpuint (count_lines (main_conf, "include_if_exists = 'tandem.conf'"), ==, 1);
  tandem_conf = g_build_filename (scratch.data, "tandem.conf", NULL);
  g_assert_true (g_file_get_contents (tandem_conf, &conf_text, NULL, NULL));
  old_port_line = g_strdup_printf ("port = %u\n", port);
  g_assert_null (strstr (conf_text, old_port_line));
  g_assert_nonnull (strstr (conf_text, "port = 5432\n"));
  g_assert_nonnull (strstr (conf_text, "listen_addresses = ''\n"));

  tandem_pg_cluster_start_sync (second, &error);
  g_assert_no_error (error);
  scratch_watch (&scratch, second);

  conninfo = tandem_pg_cluster_dup_conninfo (second, NULL);
  title = query_value (conninfo, "SELECT title FROM notes WHERE id = 1");
  g_assert_cmpstr (title, ==, "kept");
  assert_setting (conninfo, "listen_addresses", "");
  assert_setting (conninfo, "port", "5432");

  /* The socket-only URL works too. */
  url = tandem_pg_cluster_dup_url (second, NULL);
  escaped_sock = g_uri_escape_string (scratch.sock, NULL, FALSE);
  host_param = g_strdup_printf ("?host=%s", escaped_sock);
  g_assert_true (g_str_has_suffix (url, host_param));
  assert_setting (url, "wal_level", "logical");

  /* Nothing listens on TCP any more. */
  old_tcp = g_strdup_printf ("host=127.0.0.1 port=%u user=postgres dbname=postgres", port);
  g_assert_cmpint (PQping (old_tcp), ==, PQPING_NO_RESPONSE);

  tandem_pg_cluster_stop (second);
  g_clear_object (&second);
  scratch_clear (&scratch);
}

static void
test_kill_and_restart (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TandemPgCluster) cluster = NULL;
  g_autofree char *conninfo = NULL;
  g_autofree char *value = NULL;
  int exited[2] = { 0, 0 };
  PGconn *idle;
  GPid pid;
  Scratch scratch;

  scratch_init (&scratch);
  cluster = start_cluster (&scratch, tandem_test_find_free_port ());
  g_signal_connect (cluster, "exited", G_CALLBACK (on_exited), exited);
  conninfo = tandem_pg_cluster_dup_conninfo (cluster, NULL);
  idle = connect_or_fail (conninfo);
  conn_exec (idle, "CREATE TABLE t (x int); INSERT INTO t VALUES (1)");
  pid = tandem_pg_cluster_get_pid (cluster);

  /* kill(): "exited" before it returns, with the SIGKILL status. */
  tandem_pg_cluster_kill (cluster);
  g_assert_cmpint (exited[0], ==, 1);
  g_assert_true (WIFSIGNALED (exited[1]));
  g_assert_cmpint (WTERMSIG (exited[1]), ==, SIGKILL);
  g_assert_false (tandem_pg_cluster_get_running (cluster));
  g_assert_false (tandem_test_process_alive (pid));
  PQfinish (idle);

  /* Starts again on the same port, after crash recovery. */
  tandem_pg_cluster_start_sync (cluster, &error);
  g_assert_no_error (error);
  scratch_watch (&scratch, cluster);
  value = query_value (conninfo, "SELECT count(*) FROM t");
  g_assert_cmpstr (value, ==, "1");
  g_clear_pointer (&value, g_free);

  /* A crash nobody asked for, with a backend attached: noticed on the main
   * context; a new start waits for the orphaned backends to let go. */
  idle = connect_or_fail (conninfo);
  pid = tandem_pg_cluster_get_pid (cluster);
  g_assert_no_errno (kill (pid, SIGKILL));
  TANDEM_WAIT_UNTIL (exited[0] == 2);
  g_assert_true (WIFSIGNALED (exited[1]));
  g_assert_cmpint (WTERMSIG (exited[1]), ==, SIGKILL);
  g_assert_false (tandem_pg_cluster_get_running (cluster));
  PQfinish (idle);

  tandem_pg_cluster_start_sync (cluster, &error);
  g_assert_no_error (error);
  scratch_watch (&scratch, cluster);
  value = query_value (conninfo, "SELECT count(*) FROM t");
  g_assert_cmpstr (value, ==, "1");

  tandem_pg_cluster_stop (cluster);
  tandem_test_run_for (100);
  g_assert_cmpint (exited[0], ==, 2);

  g_clear_object (&cluster);
  scratch_clear (&scratch);
}

static void
start_result_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

/* After a crash, a backend that has not yet noticed its postmaster's death
 * keeps the shared memory attached and PostgreSQL refuses to start: the
 * start retries until the backend is gone. */
static void
test_restart_waits_for_orphans (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TandemPgCluster) cluster = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autofree char *conninfo = NULL;
  g_autofree char *backend_text = NULL;
  g_autofree char *log_path = NULL;
  g_autofree char *log = NULL;
  int exited[2] = { 0, 0 };
  GPid backend;
  PGconn *conn;
  Scratch scratch;

  scratch_init (&scratch);
  cluster = start_cluster (&scratch, 0);
  g_signal_connect (cluster, "exited", G_CALLBACK (on_exited), exited);
  conninfo = tandem_pg_cluster_dup_conninfo (cluster, NULL);
  conn = connect_or_fail (conninfo);
  backend_text = conn_value (conn, "SELECT pg_backend_pid()");
  backend = atoi (backend_text);

  g_assert_no_errno (kill (backend, SIGSTOP));
  g_assert_no_errno (kill (tandem_pg_cluster_get_pid (cluster), SIGKILL));
  TANDEM_WAIT_UNTIL (exited[0] == 1);

  tandem_pg_cluster_start_async (cluster, NULL, start_result_cb, &result);
  tandem_test_run_for (1500);
  g_assert_null (result);
  g_assert_no_errno (kill (backend, SIGCONT));
  TANDEM_WAIT_UNTIL (result != NULL);
  tandem_pg_cluster_start_finish (cluster, result, &error);
  g_assert_no_error (error);
  scratch_watch (&scratch, cluster);
  PQfinish (conn);

  log_path = tandem_pg_cluster_dup_log_path (cluster);
  g_assert_true (g_file_get_contents (log_path, &log, NULL, NULL));
  g_assert_nonnull (strstr (log, "pre-existing shared memory block"));
  assert_setting (conninfo, "wal_level", "logical");

  tandem_pg_cluster_stop (cluster);
  g_assert_cmpint (exited[0], ==, 1);
  g_clear_object (&cluster);
  scratch_clear (&scratch);
}

static void
test_start_failure (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TandemPgCluster) cluster = NULL;
  struct sockaddr_in addr = { 0 };
  socklen_t len = sizeof addr;
  int exited[2] = { 0, 0 };
  int blocker;
  Scratch scratch;

  /* Someone else listens on the port. */
  blocker = socket (AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl (INADDR_LOOPBACK);
  g_assert_no_errno (bind (blocker, (struct sockaddr *) &addr, sizeof addr));
  g_assert_no_errno (getsockname (blocker, (struct sockaddr *) &addr, &len));
  g_assert_no_errno (listen (blocker, 1));

  scratch_init (&scratch);
  cluster = tandem_pg_cluster_new (scratch.data, scratch.sock, ntohs (addr.sin_port));
  tandem_pg_cluster_set_fsync (cluster, FALSE);
  g_signal_connect (cluster, "exited", G_CALLBACK (on_exited), exited);

  /* start() initializes by itself when needed. */
  g_assert_false (tandem_pg_cluster_start_sync (cluster, &error));
  g_assert_error (error, TANDEM_PG_CLUSTER_ERROR, TANDEM_PG_CLUSTER_ERROR_START);
  /* The message carries PostgreSQL's own explanation. */
  g_assert_nonnull (strstr (error->message, "Address already in use"));
  g_assert_false (tandem_pg_cluster_get_running (cluster));
  tandem_test_run_for (100);
  g_assert_cmpint (exited[0], ==, 0);

  close (blocker);
  g_clear_object (&cluster);
  scratch_clear (&scratch);
}

static void
start_done_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  GError **error = user_data;

  g_assert_false (tandem_pg_cluster_start_finish (TANDEM_PG_CLUSTER (source), result, error));
}

static void
test_cancel (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TandemPgCluster) cluster = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GCancellable) cancelled = g_cancellable_new ();
  GPid pid;
  Scratch scratch;

  scratch_init (&scratch);
  cluster = tandem_pg_cluster_new (scratch.data, scratch.sock, tandem_test_find_free_port ());
  tandem_pg_cluster_set_fsync (cluster, FALSE);
  tandem_pg_cluster_ensure_initialized (cluster, &error);
  g_assert_no_error (error);

  /* Already cancelled: nothing is started. */
  g_cancellable_cancel (cancelled);
  tandem_pg_cluster_start_async (cluster, cancelled, start_done_cb, &error);
  g_assert_false (tandem_pg_cluster_get_running (cluster));
  TANDEM_WAIT_UNTIL (error != NULL);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);

  /* Cancelled while PostgreSQL starts: it is stopped again. */
  tandem_pg_cluster_start_async (cluster, cancellable, start_done_cb, &error);
  g_assert_true (tandem_pg_cluster_get_running (cluster));
  pid = tandem_pg_cluster_get_pid (cluster);
  scratch_watch (&scratch, cluster);
  g_cancellable_cancel (cancellable);
  TANDEM_WAIT_UNTIL (error != NULL);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_false (tandem_pg_cluster_get_running (cluster));
  g_assert_false (tandem_test_process_alive (pid));

  g_clear_object (&cluster);
  scratch_clear (&scratch);
}

/* As root, a data directory under a private (0700, root-owned) folder cannot
 * work, since PostgreSQL runs as `postgres`: the error says which folder is
 * in the way. As an ordinary user it is fine. */
static void
test_private_parent (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TandemPgCluster) cluster = NULL;
  g_autofree char *private_dir = NULL;
  g_autofree char *data = NULL;
  g_autofree char *sock = NULL;
  gboolean ok;
  Scratch scratch;

  scratch_init (&scratch);
  private_dir = g_build_filename (scratch.dir, "private", NULL);
  g_assert_no_errno (g_mkdir (private_dir, 0700));
  data = g_build_filename (private_dir, "data", NULL);
  sock = g_build_filename (private_dir, "sock", NULL);

  cluster = tandem_pg_cluster_new (data, sock, 0);
  tandem_pg_cluster_set_fsync (cluster, FALSE);
  ok = tandem_pg_cluster_ensure_initialized (cluster, &error);

  if (geteuid () == 0)
    {
      g_autofree char *expected = g_strdup_printf ("cannot enter %s (owner root, mode 0700)", private_dir);

      g_assert_false (ok);
      g_assert_error (error, TANDEM_PG_CLUSTER_ERROR, TANDEM_PG_CLUSTER_ERROR_PERMISSION);
      g_assert_nonnull (strstr (error->message, expected));
      g_assert_nonnull (strstr (error->message, "chmod o+x"));
    }
  else
    {
      g_autofree char *version_file = g_build_filename (data, "PG_VERSION", NULL);

      g_assert_no_error (error);
      g_assert_true (ok);
      g_assert_true (g_file_test (version_file, G_FILE_TEST_EXISTS));
    }

  g_clear_object (&cluster);
  scratch_clear (&scratch);
}

static void
test_socket_path_too_long (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *long_name = g_strnfill (100, 's');
  g_autofree char *sock = NULL;
  g_autoptr(TandemPgCluster) cluster = NULL;
  Scratch scratch;

  scratch_init (&scratch);
  sock = g_build_filename (scratch.dir, long_name, NULL);
  cluster = tandem_pg_cluster_new (scratch.data, sock, 0);

  g_assert_false (tandem_pg_cluster_ensure_initialized (cluster, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_FILENAME_TOO_LONG);
  /* Refused before anything was created. */
  g_assert_false (g_file_test (scratch.data, G_FILE_TEST_EXISTS));

  g_clear_object (&cluster);
  scratch_clear (&scratch);
}

/* ------------------------------------------------------------------------ */
/* The TandemTestPg fixture                                                  */

static GPid
read_postmaster_pid (const char *dir)
{
  g_autofree char *path = g_build_filename (dir, "data", "postmaster.pid", NULL);
  g_autofree char *contents = NULL;

  if (!g_file_get_contents (path, &contents, NULL, NULL))
    return 0;
  return (GPid) atoi (contents);
}

static void
test_fixture (void)
{
  g_autoptr(TandemTestPg) pg = tandem_test_pg_new ();
  g_autofree char *dir = g_strdup (tandem_test_pg_get_dir (pg));
  g_autofree char *expected = NULL;
  PGresult *result;
  GPid pid;

  g_assert_true (g_str_has_prefix (dir, g_get_tmp_dir ()));
  g_assert_true (g_file_test (dir, G_FILE_TEST_IS_DIR));

  expected = g_strdup_printf ("host=127.0.0.1 port=%u user=postgres dbname=postgres",
                              tandem_test_pg_get_port (pg));
  g_assert_cmpstr (tandem_test_pg_get_conninfo (pg), ==, expected);
  g_free (expected);
  expected = g_strdup_printf ("postgresql://postgres@127.0.0.1:%u/postgres",
                              tandem_test_pg_get_port (pg));
  g_assert_cmpstr (tandem_test_pg_get_url (pg), ==, expected);

  tandem_test_pg_exec (pg, "CREATE TABLE t (x int); INSERT INTO t VALUES (1), (2)");
  result = tandem_test_pg_query (pg, "SELECT sum(x) FROM t");
  g_assert_cmpstr (PQgetvalue (result, 0, 0), ==, "3");
  PQclear (result);

  /* Crash and recover on the same port. */
  pid = read_postmaster_pid (dir);
  g_assert_true (tandem_test_process_alive (pid));
  tandem_test_pg_kill (pg);
  g_assert_false (tandem_test_process_alive (pid));
  g_assert_cmpint (PQping (tandem_test_pg_get_conninfo (pg)), ==, PQPING_NO_RESPONSE);
  tandem_test_pg_restart (pg);
  result = tandem_test_pg_query (pg, "SELECT sum(x) FROM t");
  g_assert_cmpstr (PQgetvalue (result, 0, 0), ==, "3");
  PQclear (result);

  /* Freeing stops it and removes everything. */
  pid = read_postmaster_pid (dir);
  g_assert_true (tandem_test_process_alive (pid));
  g_clear_pointer (&pg, tandem_test_pg_free);
  g_assert_false (g_file_test (dir, G_FILE_TEST_EXISTS));
  g_assert_false (tandem_test_process_alive (pid));
}

typedef enum
{
  DIE_BY_ASSERTION,
  DIE_BY_SIGNAL,
} DieHow;

/* A test program that dies with a cluster running leaves nothing behind. */
static void
test_fixture_cleanup_on_death (gconstpointer data)
{
  DieHow how = GPOINTER_TO_INT (data);
  g_autofree char *report_dir = NULL;
  g_autofree char *report = NULL;
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;
  gint64 deadline;
  GPid pid;

  if (g_test_subprocess ())
    {
      TandemTestPg *pg = tandem_test_pg_new ();
      g_autofree char *text = NULL;

      tandem_test_pg_exec (pg, "CREATE TABLE t (x int)");
      text = g_strdup_printf ("%s\n%d\n", tandem_test_pg_get_dir (pg),
                              (int) read_postmaster_pid (tandem_test_pg_get_dir (pg)));
      g_assert_true (g_file_set_contents (g_getenv ("TANDEM_TEST_DEATH_REPORT"), text, -1, NULL));

      if (how == DIE_BY_SIGNAL)
        {
          struct rlimit no_core = { 0, 0 };

          setrlimit (RLIMIT_CORE, &no_core);
          abort ();
        }
      g_assert_cmpint (1, ==, 2);  /* a failing assertion ends the program here */
      return;
    }

  report_dir = tandem_test_make_tmpdir ("tandem-test-report");
  report = g_build_filename (report_dir, "report", NULL);
  g_setenv ("TANDEM_TEST_DEATH_REPORT", report, TRUE);
  g_test_trap_subprocess (NULL, 120 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_failed ();

  g_assert_true (g_file_get_contents (report, &contents, NULL, NULL));
  tandem_test_rm_rf (report_dir);
  lines = g_strsplit (contents, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), >=, 2);
  g_assert_true (g_str_has_prefix (lines[0], g_get_tmp_dir ()));
  pid = atoi (lines[1]);
  g_assert_cmpint (pid, >, 0);

  deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;
  while (g_file_test (lines[0], G_FILE_TEST_EXISTS) || tandem_test_process_alive (pid))
    {
      if (g_get_monotonic_time () > deadline)
        g_error ("30 s after the test died: folder %s %s, postmaster %d %s",
                 lines[0], g_file_test (lines[0], G_FILE_TEST_EXISTS) ? "still there" : "gone",
                 (int) pid, tandem_test_process_alive (pid) ? "still running" : "gone");
      g_usleep (50 * 1000);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/pg-cluster/find-bindir", test_find_bindir);
  g_test_add_func ("/pg-cluster/conninfo-and-url", test_conninfo_and_url);
  g_test_add_func ("/pg-cluster/lifecycle", test_lifecycle);
  g_test_add_func ("/pg-cluster/reinit-keeps-data", test_reinit_keeps_data);
  g_test_add_func ("/pg-cluster/kill-and-restart", test_kill_and_restart);
  g_test_add_func ("/pg-cluster/restart-waits-for-orphans", test_restart_waits_for_orphans);
  g_test_add_func ("/pg-cluster/start-failure", test_start_failure);
  g_test_add_func ("/pg-cluster/cancel", test_cancel);
  g_test_add_func ("/pg-cluster/private-parent", test_private_parent);
  g_test_add_func ("/pg-cluster/socket-path-too-long", test_socket_path_too_long);
  g_test_add_func ("/test-pg/fixture", test_fixture);
  g_test_add_data_func ("/test-pg/cleanup-after-failed-assertion",
                        GINT_TO_POINTER (DIE_BY_ASSERTION), test_fixture_cleanup_on_death);
  g_test_add_data_func ("/test-pg/cleanup-after-abort",
                        GINT_TO_POINTER (DIE_BY_SIGNAL), test_fixture_cleanup_on_death);

  return g_test_run ();
}
