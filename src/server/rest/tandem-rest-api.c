/* tandem-rest-api.c: the PostgREST-compatible API at /rest/v1
 *
 * A request goes: CORS and preflight → parse (tandem-rest-request) → who is
 * calling (tandem-rest-auth) → the schema cache, loaded, or reloaded when it
 * does not know the table, column or function yet → one statement
 * (tandem-rest-sql) → run as the caller on one of the API's connections
 * (tandem-rest-call) → PostgREST's answer (tandem-rest-response).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tandem-rest"

#include "config.h"

#include <string.h>
#include <json-glib/json-glib.h>

#include "tandem-rest-api-private.h"
#include "tandem-rest-openapi.h"

#define REST_PREFIX "/rest/v1"

/* ---- the schema cache ----------------------------------------------------------------- */

static void call_resolve (RestCall *call);
static void load_schema (TandemRestApi *self);

struct _SchemaLoad
{
  TandemRestApi *api;   /* NULL once the API is gone */
  TandemPgPool  *pool;
  TandemPgConn  *conn;
};

static void
schema_load_free (SchemaLoad *load)
{
  if (load->conn != NULL)
    tandem_pg_pool_release (load->pool, g_steal_pointer (&load->conn));
  g_object_unref (load->pool);
  g_free (load);
}

static void
load_done (TandemRestApi         *self,
           TandemRestSchemaCache *cache,
           const GError          *error)
{
  g_autoptr(GPtrArray) waiters = g_steal_pointer (&self->waiters);

  self->loading = FALSE;
  self->waiters = g_steal_pointer (&self->next_waiters);
  self->next_waiters = g_ptr_array_new ();

  if (cache != NULL)
    {
      g_clear_pointer (&self->cache, tandem_rest_schema_cache_unref);
      self->cache = cache;
      self->cache_since = self->loading_since;
      self->cache_stale = FALSE;
    }
  else
    g_warning ("cannot load the REST schema cache: %s", error->message);

  for (guint i = 0; i < waiters->len; i++)
    {
      RestCall *call = waiters->pdata[i];

      if (cache != NULL)
        call_resolve (call);
      else
        tandem_rest_call_fail (call, tandem_rest_error_new (503, "PGRST002", error->message, NULL,
                                                "Could not query the database for the schema cache. Retrying."));
    }
  if (self->waiters->len > 0)
    load_schema (self);
}

static void
schema_query_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  SchemaLoad *load = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(PGresult) res = tandem_pg_conn_query_finish (TANDEM_PG_CONN (source), result, &error);
  TandemRestSchemaCache *cache = NULL;

  if (res != NULL && PQntuples (res) == 1 && PQnfields (res) == 1)
    cache = tandem_rest_schema_cache_new_from_json (PQgetvalue (res, 0, 0), &error);
  else if (res != NULL)
    g_set_error_literal (&error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "unexpected schema cache result");

  if (load->api != NULL)
    {
      TandemRestApi *self = load->api;

      self->load = NULL;
      schema_load_free (load);
      load_done (self, cache, error);
    }
  else
    {
      schema_load_free (load);
      g_clear_pointer (&cache, tandem_rest_schema_cache_unref);
    }
}

static void
schema_conn_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  SchemaLoad *load = user_data;
  g_autoptr(GError) error = NULL;
  TandemPgConn *conn = tandem_pg_pool_acquire_finish (TANDEM_PG_POOL (source), result, &error);

  load->conn = conn;
  if (load->api == NULL)
    {
      schema_load_free (load);
      return;
    }
  if (conn == NULL)
    {
      TandemRestApi *self = load->api;

      self->load = NULL;
      schema_load_free (load);
      load_done (self, NULL, error);
      return;
    }
  tandem_pg_conn_query_async (conn, tandem_rest_schema_query (), NULL, 0, NULL, schema_query_cb, load);
}

static void
load_schema (TandemRestApi *self)
{
  SchemaLoad *load = g_new0 (SchemaLoad, 1);

  load->api = self;
  load->pool = g_object_ref (self->pool);
  self->load = load;
  self->loading = TRUE;
  self->loading_since = g_get_monotonic_time ();
  tandem_pg_pool_acquire_async (self->pool, NULL, schema_conn_cb, load);
}

/* Waits for a cache loaded after the call arrived (a table created a moment
 * ago must be found). */
static void
call_wait_for_load (RestCall *call)
{
  TandemRestApi *self = call->api;

  call->need_fresh = FALSE;
  if (self->loading && self->loading_since >= call->since)
    g_ptr_array_add (self->waiters, call);
  else if (self->loading)
    g_ptr_array_add (self->next_waiters, call);
  else
    {
      g_ptr_array_add (self->waiters, call);
      load_schema (self);
    }
}

static gboolean
may_reload (RestCall *call)
{
  return call->api != NULL && call->api->cache_since < call->since;
}

static void
call_resolve (RestCall *call)
{
  TandemRestApi *self = call->api;
  TandemRestRequest *request = call->request;
  TandemRestError *error = NULL;
  GPtrArray *functions = NULL;

  if (self == NULL)
    {
      tandem_rest_call_fail (call, tandem_rest_error_new (503, "PGRST002", NULL, NULL, "The server is shutting down"));
      return;
    }
  if (self->cache == NULL || self->cache_stale || (call->need_fresh && may_reload (call)))
    {
      call_wait_for_load (call);
      return;
    }
  g_clear_pointer (&call->cache, tandem_rest_schema_cache_unref);
  call->cache = tandem_rest_schema_cache_ref (self->cache);

  if (!tandem_rest_schema_cache_has_schema (call->cache, request->schema))
    {
      g_autofree char *list = tandem_rest_schema_cache_dup_schema_list (call->cache);
      g_autofree char *hint = g_strconcat ("Only the following schemas are exposed: ", list, NULL);

      if (may_reload (call))
        {
          call_wait_for_load (call);
          return;
        }
      tandem_rest_call_fail (call, tandem_rest_error_new (406, "PGRST106", NULL, hint, "Invalid schema: %s", request->schema));
      return;
    }

  switch (request->target)
    {
    case TANDEM_REST_TARGET_ROOT:
      call->statement = g_new0 (TandemRestStatement, 1);
      call->statement->sql = g_strdup (tandem_rest_openapi_visible_query ());
      call->statement->params = g_ptr_array_new_with_free_func (g_free);
      g_ptr_array_add (call->statement->params, g_strdup (request->schema));
      tandem_rest_call_run (call);
      return;

    case TANDEM_REST_TARGET_RPC:
      functions = tandem_rest_schema_cache_lookup_functions (call->cache, request->schema, request->resource);
      if (functions == NULL && may_reload (call))
        {
          call_wait_for_load (call);
          return;
        }
      if (functions == NULL)
        functions = g_ptr_array_new ();  /* for the error */
      else
        g_ptr_array_ref (functions);
      call->statement = tandem_rest_sql_call (request, functions, &error);
      g_ptr_array_unref (functions);
      break;

    case TANDEM_REST_TARGET_TABLE:
    default:
      call->table = tandem_rest_schema_cache_lookup_table (call->cache, request->schema, request->resource);
      if (call->table == NULL)
        {
          if (may_reload (call))
            {
              call_wait_for_load (call);
              return;
            }
          tandem_rest_call_fail (call, tandem_rest_error_new (404, "PGRST205", NULL, NULL,
                                                  "Could not find the table '%s.%s' in the schema cache",
                                                  request->schema, request->resource));
          return;
        }
      call->statement = tandem_rest_sql_build (request, call->table, NULL, &error);
      break;
    }

  if (call->statement == NULL)
    {
      /* A column or function the cache does not know yet: look again. */
      if ((g_str_equal (error->code, "PGRST204") || g_str_equal (error->code, "PGRST202")) && may_reload (call))
        {
          tandem_rest_error_free (error);
          call_wait_for_load (call);
          return;
        }
      tandem_rest_call_fail (call, error);
      return;
    }
  tandem_rest_call_run (call);
}

/* ---- the handler ------------------------------------------------------------------------- */

static void
on_message_finished (SoupServerMessage *msg,
                     RestCall          *call)
{
  call->finished = TRUE;
}

static void
add_header_cb (const char *name,
               const char *value,
               gpointer    user_data)
{
  JsonObject *object = user_data;
  g_autofree char *key = g_ascii_strdown (name, -1);

  if (g_utf8_validate (value, -1, NULL))
    json_object_set_string_member (object, key, value);
}

static char *
headers_json (SoupMessageHeaders *headers)
{
  g_autoptr(JsonObject) object = json_object_new ();
  g_autoptr(JsonNode) node = NULL;

  soup_message_headers_foreach (headers, add_header_cb, object);
  node = json_node_init_object (json_node_alloc (), object);
  return json_to_string (node, FALSE);
}

static void
rest_handler (SoupServer        *server,
              SoupServerMessage *msg,
              const char        *unused_path,
              GHashTable        *query,
              gpointer           user_data)
{
  TandemRestApi *self = user_data;
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  GUri *uri = soup_server_message_get_uri (msg);
  const char *path = g_uri_get_path (uri);
  const char *method = soup_server_message_get_method (msg);
  g_autoptr(TandemRestRequest) request = NULL;
  g_autoptr(TandemRestError) error = NULL;
  g_autoptr(GBytes) body = NULL;
  const TandemRestAuth *auth;
  TandemRestHeaders request_headers = {
    .accept = soup_message_headers_get_list (headers, "Accept"),
    .prefer = soup_message_headers_get_list (headers, "Prefer"),
    .range = soup_message_headers_get_one (headers, "Range"),
    .range_unit = soup_message_headers_get_one (headers, "Range-Unit"),
    .accept_profile = soup_message_headers_get_one (headers, "Accept-Profile"),
    .content_profile = soup_message_headers_get_one (headers, "Content-Profile"),
    .content_type = soup_message_headers_get_one (headers, "Content-Type"),
  };
  RestCall *call;

  tandem_rest_add_cors_headers (soup_server_message_get_response_headers (msg));
  if (!g_str_equal (path, REST_PREFIX) && !g_str_has_prefix (path, REST_PREFIX "/"))
    {
      soup_server_message_set_status (msg, SOUP_STATUS_NOT_FOUND, NULL);
      return;
    }
  path += strlen (REST_PREFIX);

  if (g_str_equal (method, "OPTIONS"))
    {
      tandem_rest_respond_preflight (msg);
      return;
    }

  body = soup_message_body_flatten (soup_server_message_get_request_body (msg));
  request = tandem_rest_request_parse (method, path, g_uri_get_query (uri), &request_headers, body, &error);
  if (request == NULL)
    {
      tandem_rest_respond_error (msg, error);
      return;
    }

  auth = tandem_rest_auth_verify (self->auth, soup_message_headers_get_one (headers, "Authorization"),
                                  soup_message_headers_get_one (headers, "apikey"),
                                  g_get_real_time () / G_USEC_PER_SEC, &error);
  if (auth == NULL)
    {
      tandem_rest_respond_error (msg, error);
      return;
    }

  call = g_new0 (RestCall, 1);
  call->ref_count = 1;
  call->api = self;
  call->msg = g_object_ref (msg);
  call->request = g_steal_pointer (&request);
  call->path = g_strdup (path[0] != '\0' ? path : "/");
  call->host = g_strdup (soup_message_headers_get_one (headers, "Host") ? soup_message_headers_get_one (headers, "Host") : "");
  call->role = g_strdup (auth->role);
  call->claims_json = g_strdup (auth->claims_json);
  call->sub = g_strdup (auth->sub);
  call->authenticated = auth->authenticated;
  call->headers_json = headers_json (headers);
  call->since = g_get_monotonic_time ();
  /* The description must list what exists now. */
  call->need_fresh = call->request->target == TANDEM_REST_TARGET_ROOT;
  call->finished_id = g_signal_connect (msg, "finished", G_CALLBACK (on_message_finished), call);
  g_hash_table_add (self->calls, call);

  soup_server_message_pause (msg);
  call_resolve (call);
}

/* ---- the API ------------------------------------------------------------------------------ */

TandemRestApi *
tandem_rest_api_new (TandemPgPool *pool,
                     const char   *jwt_secret)
{
  TandemRestApi *self = g_new0 (TandemRestApi, 1);

  self->pool = g_object_ref (pool);
  self->pool_waiters = g_ptr_array_new ();
  self->auth = tandem_rest_auth_cache_new (jwt_secret);
  self->waiters = g_ptr_array_new ();
  self->next_waiters = g_ptr_array_new ();
  self->calls = g_hash_table_new (NULL, NULL);
  return self;
}

void
tandem_rest_api_free (TandemRestApi *self)
{
  GHashTableIter iter;
  gpointer key;

  if (self == NULL)
    return;

  /* Calls still in flight finish without us; waiting ones fail now. */
  g_hash_table_iter_init (&iter, self->calls);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    ((RestCall *) key)->api = NULL;
  g_hash_table_remove_all (self->calls);
  if (self->load != NULL)
    self->load->api = NULL;
  for (guint i = 0; i < self->waiters->len; i++)
    tandem_rest_call_fail (self->waiters->pdata[i], tandem_rest_error_new (503, "PGRST002", NULL, NULL, "The server is shutting down"));
  for (guint i = 0; i < self->next_waiters->len; i++)
    tandem_rest_call_fail (self->next_waiters->pdata[i], tandem_rest_error_new (503, "PGRST002", NULL, NULL, "The server is shutting down"));
  tandem_rest_api_close_requests (self);
  g_ptr_array_unref (self->pool_waiters);
  g_clear_object (&self->requests);
  g_ptr_array_unref (self->waiters);
  g_ptr_array_unref (self->next_waiters);
  g_hash_table_unref (self->calls);
  g_clear_pointer (&self->cache, tandem_rest_schema_cache_unref);
  tandem_rest_auth_cache_free (self->auth);
  g_object_unref (self->pool);
  g_free (self);
}

void
tandem_rest_api_close (TandemRestApi *self)
{
  tandem_rest_api_close_requests (self);
}

void
tandem_rest_api_attach (TandemRestApi *self,
                        SoupServer    *server)
{
  soup_server_add_handler (server, REST_PREFIX, rest_handler, self, NULL);
}
