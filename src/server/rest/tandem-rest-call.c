/* tandem-rest-call.c: running one request's statement as its caller
 *
 * The REST API keeps its own pool of connections (opened with the server
 * pool's conninfo) because its connections carry a caller's identity
 * between requests. Every request first sends, and waits for,
 *
 *   SELECT set_config('role', $1, false), set_config('request.jwt.claims', $2, false), …,
 *          set_config('default_transaction_read_only', $8, false)
 *
 * which replaces the whole identity of the connection (role, claims, sub,
 * method, path, headers, search_path, read-only for GET/HEAD); only once it
 * succeeded is the request's statement sent. The statement runs in its own
 * transaction (one statement is one transaction); when an answer may still
 * turn into an error after it ran (a singular response, max-affected), it
 * runs between BEGIN and COMMIT, or ROLLBACK when the check fails. So a
 * request costs two round trips, or four when it may be rolled back,
 * instead of BEGIN, settings, statement and COMMIT every time.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tandem-rest"

#include "config.h"

#include "tandem-rest-api-private.h"

/* The API's own connections. More than the CPUs: writes wait for their
 * commit's WAL flush, and more connections let PostgreSQL flush many
 * commits at once (measured: 16 beat 8 and 32 on two CPUs). */
#define REQUESTS_POOL_SIZE 16

RestCall *
tandem_rest_call_ref (RestCall *call)
{
  call->ref_count++;
  return call;
}

void
tandem_rest_call_unref (RestCall *call)
{
  if (--call->ref_count > 0)
    return;
  if (call->api != NULL)
    g_hash_table_remove (call->api->calls, call);
  g_clear_signal_handler (&call->finished_id, call->msg);
  g_clear_object (&call->msg);
  g_clear_pointer (&call->request, tandem_rest_request_free);
  g_free (call->path);
  g_free (call->host);
  g_free (call->role);
  g_free (call->claims_json);
  g_free (call->sub);
  g_free (call->headers_json);
  g_clear_pointer (&call->cache, tandem_rest_schema_cache_unref);
  g_clear_pointer (&call->statement, tandem_rest_statement_free);
  g_clear_pointer (&call->result, PQclear);
  g_clear_pointer (&call->error, tandem_rest_error_free);
  g_assert (call->conn == NULL);
  g_clear_object (&call->pool);
  g_free (call);
}

void
tandem_rest_call_finish (RestCall *call)
{
  if (!call->finished)
    {
      if (call->error != NULL)
        tandem_rest_respond_error (call->msg, call->error);
      else
        tandem_rest_respond_result (call);
      soup_server_message_unpause (call->msg);
    }
  tandem_rest_call_unref (call);
}

void
tandem_rest_call_fail (RestCall        *call,
                       TandemRestError *error)
{
  g_clear_pointer (&call->error, tandem_rest_error_free);
  call->error = error;
  tandem_rest_call_finish (call);
}

/* ---- the round trips ---------------------------------------------------------- */

static void
release_conn (RestCall *call)
{
  if (call->conn != NULL)
    tandem_pg_pool_release (call->pool, g_steal_pointer (&call->conn));
}

/* Remembers the first failure. */
static void
note_error (RestCall     *call,
            const GError *error)
{
  if (call->error != NULL)
    return;
  call->error = tandem_rest_error_new_from_gerror (error, call->authenticated);
  /* A table or function the cache knows may have gone. */
  if (call->api != NULL && call->error->code != NULL &&
      (g_str_equal (call->error->code, "42P01") || g_str_equal (call->error->code, "42883")))
    call->api->cache_stale = TRUE;
}

static void
end_cb (GObject      *source,
        GAsyncResult *result,
        gpointer      user_data)
{
  RestCall *call = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(PGresult) res = tandem_pg_conn_query_finish (TANDEM_PG_CONN (source), result, &error);

  /* A failed COMMIT (a deferred constraint) is the request's error. */
  if (res == NULL)
    note_error (call, error);
  release_conn (call);
  tandem_rest_call_finish (call);
}

static void
statement_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  RestCall *call = user_data;
  g_autoptr(GError) error = NULL;
  PGresult *res = tandem_pg_conn_query_finish (TANDEM_PG_CONN (source), result, &error);

  if (res == NULL)
    note_error (call, error);
  else if (call->error == NULL)
    {
      call->result = res;
      tandem_rest_call_check_result (call);
    }
  else
    PQclear (res);

  if (call->in_transaction)
    {
      /* The result may not stand (or the statement failed): undo it. */
      tandem_pg_conn_query_async (call->conn, call->error == NULL ? "COMMIT" : "ROLLBACK", NULL, 0, NULL,
                                  end_cb, call);
      return;
    }
  release_conn (call);
  tandem_rest_call_finish (call);
}

static void
begin_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  RestCall *call = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(PGresult) res = tandem_pg_conn_query_finish (TANDEM_PG_CONN (source), result, &error);

  if (res == NULL)
    note_error (call, error);
  tandem_rest_call_unref (call);
}

static void
settings_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  RestCall *call = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(PGresult) res = tandem_pg_conn_query_finish (TANDEM_PG_CONN (source), result, &error);

  if (res == NULL)
    {
      /* Never run the statement as whoever the connection was before. */
      note_error (call, error);
      release_conn (call);
      tandem_rest_call_finish (call);
      return;
    }

  call->in_transaction = !tandem_rest_request_is_read (call->request) && tandem_rest_call_needs_check (call);
  if (call->in_transaction)
    tandem_pg_conn_query_async (call->conn, "BEGIN", NULL, 0, NULL, begin_cb, tandem_rest_call_ref (call));
  tandem_pg_conn_query_async (call->conn, call->statement->sql,
                              (const char * const *) call->statement->params->pdata,
                              (int) call->statement->params->len, NULL, statement_cb, call);
}

static void
acquired_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  RestCall *call = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *search_path = NULL;
  const char *settings[8];

  call->conn = tandem_pg_pool_acquire_finish (TANDEM_PG_POOL (source), result, &error);
  if (call->conn == NULL)
    {
      tandem_rest_call_fail (call, tandem_rest_error_new_from_gerror (error, call->authenticated));
      return;
    }

  search_path = tandem_rest_sql_search_path (call->request->schema);
  settings[0] = call->role;
  settings[1] = call->claims_json;
  settings[2] = call->sub;
  settings[3] = soup_server_message_get_method (call->msg);
  settings[4] = call->path;
  settings[5] = call->headers_json;
  settings[6] = search_path;
  settings[7] = tandem_rest_request_is_read (call->request) ? "on" : "off";
  tandem_pg_conn_query_async (call->conn, tandem_rest_sql_settings (), settings, G_N_ELEMENTS (settings), NULL,
                              settings_cb, call);
}

/* ---- the API's connections -------------------------------------------------------- */

struct _PoolSetup
{
  TandemRestApi *api;   /* NULL once the API is gone */
  TandemPgPool  *pool;
};

static void
acquire (RestCall *call)
{
  g_set_object (&call->pool, call->api->requests);
  tandem_pg_pool_acquire_async (call->pool, NULL, acquired_cb, call);
}

/* Borrows one connection of the server's pool to learn its conninfo, then
 * opens ours with it. */
static void
conninfo_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  PoolSetup *setup = user_data;
  TandemRestApi *self = setup->api;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) waiters = NULL;
  TandemPgConn *conn = tandem_pg_pool_acquire_finish (TANDEM_PG_POOL (source), result, &error);

  if (self == NULL)
    {
      if (conn != NULL)
        tandem_pg_pool_release (setup->pool, conn);
      g_object_unref (setup->pool);
      g_free (setup);
      return;
    }
  self->pool_setup = NULL;
  if (conn != NULL)
    {
      self->requests = tandem_pg_pool_new (tandem_pg_conn_get_conninfo (conn), REQUESTS_POOL_SIZE);
      tandem_pg_pool_release (setup->pool, conn);
    }
  g_object_unref (setup->pool);
  g_free (setup);

  waiters = g_steal_pointer (&self->pool_waiters);
  self->pool_waiters = g_ptr_array_new ();
  for (guint i = 0; i < waiters->len; i++)
    {
      RestCall *call = waiters->pdata[i];

      if (self->requests != NULL)
        acquire (call);
      else
        tandem_rest_call_fail (call, tandem_rest_error_new_from_gerror (error, call->authenticated));
    }
}

void
tandem_rest_call_run (RestCall *call)
{
  TandemRestApi *self = call->api;

  if (self == NULL)
    {
      tandem_rest_call_fail (call, tandem_rest_error_new (503, "PGRST000", NULL, NULL, "The server is shutting down"));
      return;
    }
  if (self->requests != NULL)
    {
      acquire (call);
      return;
    }
  g_ptr_array_add (self->pool_waiters, call);
  if (self->pool_setup == NULL)
    {
      self->pool_setup = g_new0 (PoolSetup, 1);
      self->pool_setup->api = self;
      self->pool_setup->pool = g_object_ref (self->pool);
      tandem_pg_pool_acquire_async (self->pool, NULL, conninfo_cb, self->pool_setup);
    }
}

void
tandem_rest_api_close_requests (TandemRestApi *self)
{
  if (self->pool_setup != NULL)
    {
      self->pool_setup->api = NULL;
      self->pool_setup = NULL;
    }
  for (guint i = 0; i < self->pool_waiters->len; i++)
    {
      RestCall *call = self->pool_waiters->pdata[i];

      call->api = NULL;
      tandem_rest_call_fail (call, tandem_rest_error_new (503, "PGRST000", NULL, NULL, "The server is shutting down"));
    }
  g_ptr_array_set_size (self->pool_waiters, 0);
  if (self->requests != NULL)
    tandem_pg_pool_close (self->requests);
}
