/* test-pg-conn.c: the asynchronous libpq connection, against a real cluster
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <gio/gio.h>
#include <string.h>

#include "tandem-pg-conn.h"
#include "tandem-test-pg.h"
#include "tandem-test-utils.h"

static TandemTestPg *pg;

typedef struct
{
  gboolean      done;
  gboolean      ok;
  GError       *error;
  PGresult     *result;
} Outcome;

static void
outcome_clear (Outcome *o)
{
  g_clear_error (&o->error);
  g_clear_pointer (&o->result, PQclear);
  o->done = o->ok = FALSE;
}

static void
on_connected (GObject      *source,
              GAsyncResult *res,
              gpointer      user_data)
{
  Outcome *o = user_data;

  o->ok = tandem_pg_conn_connect_finish (TANDEM_PG_CONN (source), res, &o->error);
  o->done = TRUE;
}

static void
on_query (GObject      *source,
          GAsyncResult *res,
          gpointer      user_data)
{
  Outcome *o = user_data;

  o->result = tandem_pg_conn_query_finish (TANDEM_PG_CONN (source), res, &o->error);
  o->ok = o->result != NULL;
  o->done = TRUE;
}

static TandemPgConn *
connect_new (void)
{
  TandemPgConn *conn = tandem_pg_conn_new (tandem_test_pg_get_conninfo (pg));
  Outcome o = { 0 };

  tandem_pg_conn_connect_async (conn, NULL, on_connected, &o);
  g_assert_false (o.done);
  TANDEM_WAIT_UNTIL (o.done);
  g_assert_no_error (o.error);
  g_assert_true (o.ok);
  g_assert_true (tandem_pg_conn_is_connected (conn));
  return conn;
}

static PGresult *
query (TandemPgConn       *conn,
       const char         *sql,
       const char * const *params,
       int                 n_params,
       GError            **error)
{
  Outcome o = { 0 };

  tandem_pg_conn_query_async (conn, sql, params, n_params, NULL, on_query, &o);
  TANDEM_WAIT_UNTIL (o.done);
  if (o.error != NULL)
    g_propagate_error (error, g_steal_pointer (&o.error));
  return o.result;
}

static void
test_connect_and_query (void)
{
  g_autoptr(TandemPgConn) conn = connect_new ();
  const char *params[] = { "20", "22", NULL };
  g_autoptr(PGresult) result = NULL;
  g_autoptr(GError) error = NULL;

  result = query (conn, "SELECT $1::int + $2::int, $3::text IS NULL, 'h\u00e9'::text",
                  params, 3, &error);
  g_assert_no_error (error);
  g_assert_cmpint (PQresultStatus (result), ==, PGRES_TUPLES_OK);
  g_assert_cmpstr (PQgetvalue (result, 0, 0), ==, "42");
  g_assert_cmpstr (PQgetvalue (result, 0, 1), ==, "t");
  g_assert_cmpstr (PQgetvalue (result, 0, 2), ==, "h\u00e9");
  g_clear_pointer (&result, PQclear);

  result = query (conn, "CREATE TEMPORARY TABLE t (a int)", NULL, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpint (PQresultStatus (result), ==, PGRES_COMMAND_OK);
  g_assert_cmpuint (tandem_pg_conn_get_n_pending (conn), ==, 0);
  g_assert_cmpstr (tandem_pg_conn_get_conninfo (conn), ==, tandem_test_pg_get_conninfo (pg));
}

typedef struct
{
  GArray *order;
  guint   index;
  guint   failures;
} OrderData;

typedef struct
{
  OrderData *data;
  guint      index;
} OrderItem;

static void
on_ordered_query (GObject      *source,
                  GAsyncResult *res,
                  gpointer      user_data)
{
  OrderItem *item = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(PGresult) result = tandem_pg_conn_query_finish (TANDEM_PG_CONN (source), res, &error);

  if (result == NULL || g_ascii_strtoull (PQgetvalue (result, 0, 0), NULL, 10) != item->index)
    item->data->failures++;
  g_array_append_val (item->data->order, item->index);
  g_free (item);
}

static void
test_fifo (void)
{
  g_autoptr(TandemPgConn) conn = connect_new ();
  OrderData data = { g_array_new (FALSE, FALSE, sizeof (guint)), 0, 0 };

  for (guint i = 0; i < 200; i++)
    {
      g_autofree char *text = g_strdup_printf ("%u", i);
      const char *params[] = { text };
      OrderItem *item = g_new0 (OrderItem, 1);

      item->data = &data;
      item->index = i;
      /* Some take longer: order must still hold. */
      tandem_pg_conn_query_async (conn,
                                  i % 50 == 0 ? "SELECT $1::int FROM pg_sleep(0.01)" : "SELECT $1::int",
                                  params, 1, NULL, on_ordered_query, item);
    }
  g_assert_cmpuint (tandem_pg_conn_get_n_pending (conn), ==, 200);

  TANDEM_WAIT_UNTIL (data.order->len == 200);
  g_assert_cmpuint (data.failures, ==, 0);
  for (guint i = 0; i < 200; i++)
    g_assert_cmpuint (g_array_index (data.order, guint, i), ==, i);
  g_array_unref (data.order);
}

static void
test_transaction_sequence (void)
{
  g_autoptr(TandemPgConn) conn = connect_new ();
  Outcome o[5] = { { 0 } };
  const char *role[] = { "tandem_test_role" };

  tandem_test_pg_exec (pg, "DO $$ BEGIN CREATE ROLE tandem_test_role; EXCEPTION WHEN duplicate_object THEN NULL; END $$;");

  /* Queued back to back, without waiting: one connection, in order. */
  tandem_pg_conn_query_async (conn, "BEGIN", NULL, 0, NULL, on_query, &o[0]);
  tandem_pg_conn_query_async (conn, "SELECT set_config('role', $1, true)", role, 1, NULL, on_query, &o[1]);
  tandem_pg_conn_query_async (conn, "SELECT current_user, current_setting('role')", NULL, 0, NULL, on_query, &o[2]);
  tandem_pg_conn_query_async (conn, "COMMIT", NULL, 0, NULL, on_query, &o[3]);
  tandem_pg_conn_query_async (conn, "SELECT current_user", NULL, 0, NULL, on_query, &o[4]);
  TANDEM_WAIT_UNTIL (o[4].done);

  for (guint i = 0; i < G_N_ELEMENTS (o); i++)
    {
      g_assert_true (o[i].done);
      g_assert_no_error (o[i].error);
    }
  g_assert_cmpstr (PQgetvalue (o[2].result, 0, 0), ==, "tandem_test_role");
  g_assert_cmpstr (PQgetvalue (o[4].result, 0, 0), ==, "postgres");
  for (guint i = 0; i < G_N_ELEMENTS (o); i++)
    outcome_clear (&o[i]);
}

static void
test_sql_error (void)
{
  g_autoptr(TandemPgConn) conn = connect_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) copy = NULL;
  g_autoptr(PGresult) result = NULL;
  Outcome o[3] = { { 0 } };

  result = query (conn, "SELECT 1/0", NULL, 0, &error);
  g_assert_null (result);
  g_assert_error (error, TANDEM_PG_ERROR, TANDEM_PG_ERROR_SQL);
  g_assert_cmpstr (tandem_pg_error_get_sqlstate (error), ==, "22012");
  g_assert_cmpstr (error->message, ==, "division by zero");
  g_assert_null (tandem_pg_error_get_detail (error));
  g_clear_error (&error);

  result = query (conn,
                  "DO $$ BEGIN RAISE EXCEPTION 'boom' USING DETAIL = 'some detail', "
                  "HINT = 'some hint', ERRCODE = '23505'; END $$",
                  NULL, 0, &error);
  g_assert_error (error, TANDEM_PG_ERROR, TANDEM_PG_ERROR_SQL);
  g_assert_cmpstr (error->message, ==, "boom");
  g_assert_cmpstr (tandem_pg_error_get_sqlstate (error), ==, "23505");
  g_assert_cmpstr (tandem_pg_error_get_detail (error), ==, "some detail");
  g_assert_cmpstr (tandem_pg_error_get_hint (error), ==, "some hint");

  /* The extra fields survive a copy (GTask and callers copy errors). */
  copy = g_error_copy (error);
  g_assert_cmpstr (tandem_pg_error_get_sqlstate (copy), ==, "23505");
  g_assert_cmpstr (tandem_pg_error_get_detail (copy), ==, "some detail");
  g_assert_cmpstr (tandem_pg_error_get_hint (copy), ==, "some hint");

  /* Other domains have none. */
  {
    g_autoptr(GError) other = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_FAILED, "x");

    g_assert_null (tandem_pg_error_get_sqlstate (other));
    g_assert_null (tandem_pg_error_get_sqlstate (NULL));
  }

  g_clear_error (&error);

  /* A failing query in the middle of the queue fails alone. */
  tandem_pg_conn_query_async (conn, "SELECT 1", NULL, 0, NULL, on_query, &o[0]);
  tandem_pg_conn_query_async (conn, "SELECT * FROM no_such_table", NULL, 0, NULL, on_query, &o[1]);
  tandem_pg_conn_query_async (conn, "SELECT 3", NULL, 0, NULL, on_query, &o[2]);
  TANDEM_WAIT_UNTIL (o[2].done);
  g_assert_no_error (o[0].error);
  g_assert_error (o[1].error, TANDEM_PG_ERROR, TANDEM_PG_ERROR_SQL);
  g_assert_cmpstr (tandem_pg_error_get_sqlstate (o[1].error), ==, "42P01");
  g_assert_no_error (o[2].error);
  g_assert_cmpstr (PQgetvalue (o[2].result, 0, 0), ==, "3");
  for (guint i = 0; i < G_N_ELEMENTS (o); i++)
    outcome_clear (&o[i]);

  /* Several statements are refused with parameters' extended protocol. */
  result = query (conn, "SELECT 1; SELECT 2", NULL, 0, &error);
  g_assert_null (result);
  g_assert_error (error, TANDEM_PG_ERROR, TANDEM_PG_ERROR_SQL);
}

static void
test_error_from_result (void)
{
  PGconn *raw = PQconnectdb (tandem_test_pg_get_conninfo (pg));
  PGresult *result = PQexec (raw, "SELECT 'x'::int");
  g_autoptr(GError) error = tandem_pg_error_new_from_result (result);

  g_assert_error (error, TANDEM_PG_ERROR, TANDEM_PG_ERROR_SQL);
  g_assert_cmpstr (tandem_pg_error_get_sqlstate (error), ==, "22P02");
  g_assert_nonnull (strstr (error->message, "invalid input syntax"));
  PQclear (result);
  PQfinish (raw);
}

static void
test_cancel (void)
{
  g_autoptr(TandemPgConn) conn = connect_new ();
  g_autoptr(GCancellable) in_flight = g_cancellable_new ();
  g_autoptr(GCancellable) queued = g_cancellable_new ();
  g_autoptr(GCancellable) early = g_cancellable_new ();
  Outcome o[4] = { { 0 } };

  tandem_pg_conn_query_async (conn, "SELECT 1 FROM pg_sleep(0.2)", NULL, 0, in_flight, on_query, &o[0]);
  tandem_pg_conn_query_async (conn, "SELECT 2", NULL, 0, queued, on_query, &o[1]);
  tandem_pg_conn_query_async (conn, "SELECT 3", NULL, 0, NULL, on_query, &o[2]);
  g_cancellable_cancel (early);
  tandem_pg_conn_query_async (conn, "SELECT 4", NULL, 0, early, on_query, &o[3]);

  /* The queued one fails at once, before the one in flight finishes. */
  g_cancellable_cancel (queued);
  TANDEM_WAIT_UNTIL (o[1].done && o[3].done);
  g_assert_false (o[0].done);
  g_assert_error (o[1].error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_error (o[3].error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (tandem_pg_conn_get_n_pending (conn), ==, 2);

  /* The one in flight runs to its end; its result is dropped. */
  g_cancellable_cancel (in_flight);
  TANDEM_WAIT_UNTIL (o[0].done && o[2].done);
  g_assert_error (o[0].error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (o[0].result);
  g_assert_no_error (o[2].error);
  g_assert_cmpstr (PQgetvalue (o[2].result, 0, 0), ==, "3");

  for (guint i = 0; i < G_N_ELEMENTS (o); i++)
    outcome_clear (&o[i]);
}

static void
test_connect_failure (void)
{
  g_autofree char *conninfo = g_strdup_printf ("host=127.0.0.1 port=%u user=postgres dbname=postgres",
                                               tandem_test_find_free_port ());
  g_autoptr(TandemPgConn) conn = tandem_pg_conn_new (conninfo);
  g_autoptr(TandemPgConn) bad = tandem_pg_conn_new ("this is not a conninfo");
  g_autoptr(TandemPgConn) nodb = NULL;
  g_autoptr(GError) error = NULL;
  Outcome o = { 0 }, q = { 0 };
  g_autofree char *nodb_info = g_strdup_printf ("%s dbname=no_such_db", tandem_test_pg_get_conninfo (pg));

  tandem_pg_conn_connect_async (conn, NULL, on_connected, &o);
  /* Queued while connecting, failed with the connection. */
  tandem_pg_conn_query_async (conn, "SELECT 1", NULL, 0, NULL, on_query, &q);
  TANDEM_WAIT_UNTIL (o.done && q.done);
  g_assert_false (o.ok);
  g_assert_error (o.error, TANDEM_PG_ERROR, TANDEM_PG_ERROR_CONNECTION);
  g_assert_error (q.error, TANDEM_PG_ERROR, TANDEM_PG_ERROR_CONNECTION);
  g_assert_false (tandem_pg_conn_is_connected (conn));
  outcome_clear (&o);
  outcome_clear (&q);

  tandem_pg_conn_connect_async (bad, NULL, on_connected, &o);
  TANDEM_WAIT_UNTIL (o.done);
  g_assert_error (o.error, TANDEM_PG_ERROR, TANDEM_PG_ERROR_CONNECTION);
  outcome_clear (&o);

  nodb = tandem_pg_conn_new (nodb_info);
  tandem_pg_conn_connect_async (nodb, NULL, on_connected, &o);
  TANDEM_WAIT_UNTIL (o.done);
  g_assert_error (o.error, TANDEM_PG_ERROR, TANDEM_PG_ERROR_CONNECTION);
  g_assert_nonnull (strstr (o.error->message, "no_such_db"));
  outcome_clear (&o);

  g_assert_false (tandem_pg_conn_connect_sync (conn, &error));
  g_assert_error (error, TANDEM_PG_ERROR, TANDEM_PG_ERROR_CONNECTION);
  g_clear_error (&error);

  /* Not connected: queries fail at once. */
  tandem_pg_conn_query_async (conn, "SELECT 1", NULL, 0, NULL, on_query, &q);
  TANDEM_WAIT_UNTIL (q.done);
  g_assert_error (q.error, TANDEM_PG_ERROR, TANDEM_PG_ERROR_CONNECTION);
  outcome_clear (&q);
  g_assert_null (tandem_pg_conn_query_sync (conn, "SELECT 1", NULL, 0, &error));
  g_assert_error (error, TANDEM_PG_ERROR, TANDEM_PG_ERROR_CONNECTION);
}

static void
test_connect_queue_and_cancel (void)
{
  g_autoptr(TandemPgConn) conn = tandem_pg_conn_new (tandem_test_pg_get_conninfo (pg));
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  Outcome o = { 0 }, q = { 0 }, again = { 0 };

  /* Queries queued while connecting run once connected. */
  tandem_pg_conn_connect_async (conn, NULL, on_connected, &o);
  tandem_pg_conn_query_async (conn, "SELECT 'queued'", NULL, 0, NULL, on_query, &q);
  tandem_pg_conn_connect_async (conn, NULL, on_connected, &again);
  TANDEM_WAIT_UNTIL (o.done && q.done && again.done);
  g_assert_true (o.ok);
  g_assert_error (again.error, G_IO_ERROR, G_IO_ERROR_PENDING);
  g_assert_no_error (q.error);
  g_assert_cmpstr (PQgetvalue (q.result, 0, 0), ==, "queued");
  outcome_clear (&o);
  outcome_clear (&q);
  outcome_clear (&again);

  /* Connecting when connected succeeds at once. */
  tandem_pg_conn_connect_async (conn, NULL, on_connected, &o);
  TANDEM_WAIT_UNTIL (o.done);
  g_assert_true (o.ok);
  outcome_clear (&o);

  /* A cancelled connect. */
  tandem_pg_conn_close (conn);
  tandem_pg_conn_connect_async (conn, cancellable, on_connected, &o);
  g_cancellable_cancel (cancellable);
  TANDEM_WAIT_UNTIL (o.done);
  g_assert_error (o.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_false (tandem_pg_conn_is_connected (conn));
  outcome_clear (&o);

  /* The object can connect again afterwards. */
  tandem_pg_conn_connect_async (conn, NULL, on_connected, &o);
  TANDEM_WAIT_UNTIL (o.done);
  g_assert_true (o.ok);
  outcome_clear (&o);
}

static void
on_lost (TandemPgConn *conn,
         gpointer      user_data)
{
  guint *count = user_data;

  (*count)++;
}

static void
test_lost (void)
{
  g_autoptr(TandemPgConn) conn = connect_new ();
  g_autoptr(PGresult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *kill_sql = NULL;
  Outcome o[2] = { { 0 } };
  guint lost = 0;

  g_signal_connect (conn, "lost", G_CALLBACK (on_lost), &lost);

  result = query (conn, "SELECT pg_backend_pid()", NULL, 0, &error);
  g_assert_no_error (error);
  kill_sql = g_strdup_printf ("SELECT pg_terminate_backend(%s)", PQgetvalue (result, 0, 0));
  g_clear_pointer (&result, PQclear);

  /* Idle connection: noticed from the socket alone. */
  tandem_test_pg_exec (pg, kill_sql);
  TANDEM_WAIT_UNTIL (lost == 1);
  g_assert_false (tandem_pg_conn_is_connected (conn));

  /* Connect again, then lose it with queries in flight and queued. */
  g_assert_true (tandem_pg_conn_connect_sync (conn, &error));
  g_assert_no_error (error);
  result = tandem_pg_conn_query_sync (conn, "SELECT pg_backend_pid()", NULL, 0, &error);
  g_assert_no_error (error);
  g_free (kill_sql);
  kill_sql = g_strdup_printf ("SELECT pg_terminate_backend(%s)", PQgetvalue (result, 0, 0));
  g_clear_pointer (&result, PQclear);

  tandem_pg_conn_query_async (conn, "SELECT pg_sleep(10)", NULL, 0, NULL, on_query, &o[0]);
  tandem_pg_conn_query_async (conn, "SELECT 2", NULL, 0, NULL, on_query, &o[1]);
  tandem_test_pg_exec (pg, kill_sql);
  TANDEM_WAIT_UNTIL (o[0].done && o[1].done && lost == 2);
  /* The statement in flight gets the server's reason; the queue the loss. */
  g_assert_nonnull (o[0].error);
  g_assert_true (o[0].error->domain == TANDEM_PG_ERROR);
  g_assert_error (o[1].error, TANDEM_PG_ERROR, TANDEM_PG_ERROR_CONNECTION);
  for (guint i = 0; i < G_N_ELEMENTS (o); i++)
    outcome_clear (&o[i]);
}

static void
test_close (void)
{
  g_autoptr(TandemPgConn) conn = connect_new ();
  Outcome o[2] = { { 0 } };
  guint lost = 0;

  g_signal_connect (conn, "lost", G_CALLBACK (on_lost), &lost);
  tandem_pg_conn_query_async (conn, "SELECT pg_sleep(1)", NULL, 0, NULL, on_query, &o[0]);
  tandem_pg_conn_query_async (conn, "SELECT 2", NULL, 0, NULL, on_query, &o[1]);
  tandem_pg_conn_close (conn);
  TANDEM_WAIT_UNTIL (o[0].done && o[1].done);
  g_assert_error (o[0].error, TANDEM_PG_ERROR, TANDEM_PG_ERROR_CLOSED);
  g_assert_error (o[1].error, TANDEM_PG_ERROR, TANDEM_PG_ERROR_CLOSED);
  g_assert_false (tandem_pg_conn_is_connected (conn));
  g_assert_cmpuint (lost, ==, 0);
  for (guint i = 0; i < G_N_ELEMENTS (o); i++)
    outcome_clear (&o[i]);

  /* Closing twice, or a closed object, is harmless. */
  tandem_pg_conn_close (conn);
}

static void
test_dispose_with_queries (void)
{
  TandemPgConn *conn = connect_new ();
  Outcome o = { 0 };

  tandem_pg_conn_query_async (conn, "SELECT 1", NULL, 0, NULL, on_query, &o);
  /* The task holds a reference: dropping ours does not cancel the query. */
  g_object_unref (conn);
  TANDEM_WAIT_UNTIL (o.done);
  g_assert_no_error (o.error);
  outcome_clear (&o);
}

static void
on_query_then_close (GObject      *source,
                     GAsyncResult *res,
                     gpointer      user_data)
{
  Outcome *o = user_data;

  on_query (source, res, user_data);
  /* Closing from a callback, with more queued, must be safe. */
  tandem_pg_conn_close (TANDEM_PG_CONN (source));
  (void) o;
}

static void
test_close_from_callback (void)
{
  g_autoptr(TandemPgConn) conn = connect_new ();
  Outcome o[2] = { { 0 } };

  tandem_pg_conn_query_async (conn, "SELECT 1", NULL, 0, NULL, on_query_then_close, &o[0]);
  tandem_pg_conn_query_async (conn, "SELECT 2", NULL, 0, NULL, on_query, &o[1]);
  TANDEM_WAIT_UNTIL (o[0].done && o[1].done);
  g_assert_no_error (o[0].error);
  g_assert_error (o[1].error, TANDEM_PG_ERROR, TANDEM_PG_ERROR_CLOSED);
  for (guint i = 0; i < G_N_ELEMENTS (o); i++)
    outcome_clear (&o[i]);
}

static void
test_sync (void)
{
  g_autoptr(TandemPgConn) conn = tandem_pg_conn_new (tandem_test_pg_get_conninfo (pg));
  g_autoptr(GError) error = NULL;
  g_autoptr(PGresult) result = NULL;
  const char *params[] = { "abc", NULL };
  Outcome o = { 0 };

  g_assert_true (tandem_pg_conn_connect_sync (conn, &error));
  g_assert_no_error (error);
  g_assert_true (tandem_pg_conn_connect_sync (conn, &error));

  /* Several statements, as migrations do. */
  g_assert_true (tandem_pg_conn_exec_sync (conn,
                                           "CREATE TABLE sync_t (a text); "
                                           "INSERT INTO sync_t VALUES ('x'); "
                                           "INSERT INTO sync_t VALUES ('y');",
                                           &error));
  g_assert_no_error (error);

  result = tandem_pg_conn_query_sync (conn, "SELECT count(*), $1::text, $2::text IS NULL FROM sync_t",
                                      params, 2, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (PQgetvalue (result, 0, 0), ==, "2");
  g_assert_cmpstr (PQgetvalue (result, 0, 1), ==, "abc");
  g_assert_cmpstr (PQgetvalue (result, 0, 2), ==, "t");
  g_clear_pointer (&result, PQclear);

  g_assert_false (tandem_pg_conn_exec_sync (conn, "INSERT INTO sync_t VALUES (1, 2)", &error));
  g_assert_error (error, TANDEM_PG_ERROR, TANDEM_PG_ERROR_SQL);
  g_assert_cmpstr (tandem_pg_error_get_sqlstate (error), ==, "42601");
  g_clear_error (&error);

  /* Async and sync mix on one connection once the queue is empty; not
   * while it is busy. */
  tandem_pg_conn_query_async (conn, "SELECT 1", NULL, 0, NULL, on_query, &o);
  g_assert_null (tandem_pg_conn_query_sync (conn, "SELECT 1", NULL, 0, &error));
  g_assert_error (error, TANDEM_PG_ERROR, TANDEM_PG_ERROR_CONNECTION);
  g_clear_error (&error);
  TANDEM_WAIT_UNTIL (o.done);
  g_assert_no_error (o.error);
  outcome_clear (&o);
  g_assert_true (tandem_pg_conn_exec_sync (conn, "DROP TABLE sync_t", &error));
  g_assert_no_error (error);
}

static void
test_large_result_and_params (void)
{
  g_autoptr(TandemPgConn) conn = connect_new ();
  g_autoptr(PGresult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *big = g_strnfill (4 * 1024 * 1024, 'x');
  const char *params[] = { big };

  /* Larger than the socket buffers both ways: partial writes and reads. */
  result = query (conn, "SELECT length($1::text), $1::text", params, 1, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (PQgetvalue (result, 0, 0), ==, "4194304");
  g_assert_cmpint (PQgetlength (result, 0, 1), ==, 4 * 1024 * 1024);
  g_clear_pointer (&result, PQclear);

  result = query (conn, "SELECT g FROM generate_series(1, 100000) g", NULL, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpint (PQntuples (result), ==, 100000);
}

int
main (int   argc,
      char *argv[])
{
  int ret;

  g_test_init (&argc, &argv, NULL);

  pg = tandem_test_pg_new ();

  g_test_add_func ("/pg-conn/connect-and-query", test_connect_and_query);
  g_test_add_func ("/pg-conn/fifo", test_fifo);
  g_test_add_func ("/pg-conn/transaction-sequence", test_transaction_sequence);
  g_test_add_func ("/pg-conn/sql-error", test_sql_error);
  g_test_add_func ("/pg-conn/error-from-result", test_error_from_result);
  g_test_add_func ("/pg-conn/cancel", test_cancel);
  g_test_add_func ("/pg-conn/connect-failure", test_connect_failure);
  g_test_add_func ("/pg-conn/connect-queue-and-cancel", test_connect_queue_and_cancel);
  g_test_add_func ("/pg-conn/lost", test_lost);
  g_test_add_func ("/pg-conn/close", test_close);
  g_test_add_func ("/pg-conn/dispose-with-queries", test_dispose_with_queries);
  g_test_add_func ("/pg-conn/close-from-callback", test_close_from_callback);
  g_test_add_func ("/pg-conn/sync", test_sync);
  g_test_add_func ("/pg-conn/large", test_large_result_and_params);

  ret = g_test_run ();

  tandem_test_pg_free (pg);
  return ret;
}
