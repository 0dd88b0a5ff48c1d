/* tandem-auth-api.c: the GoTrue-compatible API at /auth/v1
 *
 * Routing and the HTTP side of every request: CORS, the API key (checked
 * as Supabase's gateway does, before GoTrue sees the request), the API
 * version that picks the error shape, the JSON body, the bearer token, and
 * the answers. The endpoints are in tandem-auth-handlers.c.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tandem-auth"

#include "config.h"

#include <string.h>

#include "tandem-auth-errors.h"
#include "tandem-auth-private.h"
#include "tandem-auth-tokens.h"

#define API_PREFIX          "/auth/v1"
#define API_VERSION_HEADER  "X-Supabase-Api-Version"
#define API_VERSION_2024    "2024-01-01"

void
tandem_auth_options_init_defaults (TandemAuthOptions *options)
{
  options->jwt_expiry_seconds = 3600;
  options->sign_in_rate_limit = 30;
  options->sign_in_rate_window_s = 300;
  options->refresh_token_reuse_interval_s = 10;
}

/* The API object, shared by the requests in flight */

static void
api_clear (gpointer data)
{
  TandemAuthApi *self = data;

  g_clear_object (&self->pool);
  if (self->jwt_secret != NULL)
    explicit_bzero (self->jwt_secret, strlen (self->jwt_secret));
  g_clear_pointer (&self->jwt_secret, g_free);
  g_clear_pointer (&self->limiter, tandem_auth_limiter_free);
}

static void
api_release (gpointer data)
{
  g_rc_box_release_full (data, api_clear);
}

TandemAuthApi *
tandem_auth_api_new (TandemPgPool            *pool,
                     const char              *jwt_secret,
                     const TandemAuthOptions *options)
{
  TandemAuthApi *self;

  g_return_val_if_fail (TANDEM_IS_PG_POOL (pool), NULL);
  g_return_val_if_fail (jwt_secret != NULL, NULL);

  self = g_rc_box_new0 (TandemAuthApi);
  self->pool = g_object_ref (pool);
  self->jwt_secret = g_strdup (jwt_secret);
  if (options != NULL)
    self->options = *options;
  else
    tandem_auth_options_init_defaults (&self->options);
  self->limiter = tandem_auth_limiter_new (self->options.sign_in_rate_limit,
                                           self->options.sign_in_rate_window_s);
  return self;
}

void
tandem_auth_api_free (TandemAuthApi *self)
{
  if (self != NULL)
    api_release (self);
}

/* Requests */

static void
on_disconnected (SoupServerMessage *msg,
                 TandemAuthRequest *request)
{
  request->gone = TRUE;
}

static char *
issuer_for (SoupServerMessage *msg)
{
  GUri *uri = soup_server_message_get_uri (msg);
  const char *host = g_uri_get_host (uri);
  g_autofree char *bracketed = NULL;

  if (host == NULL)
    return g_strdup (API_PREFIX);
  if (strchr (host, ':') != NULL)
    host = bracketed = g_strdup_printf ("[%s]", host);
  if (g_uri_get_port (uri) > 0)
    return g_strdup_printf ("%s://%s:%d" API_PREFIX, g_uri_get_scheme (uri), host, g_uri_get_port (uri));
  return g_strdup_printf ("%s://%s" API_PREFIX, g_uri_get_scheme (uri), host);
}

static TandemAuthRequest *
request_new (TandemAuthApi     *api,
             SoupServerMessage *msg)
{
  TandemAuthRequest *request = g_new0 (TandemAuthRequest, 1);
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  const char *remote = soup_server_message_get_remote_host (msg);
  g_autoptr(GInetAddress) address = remote ? g_inet_address_new_from_string (remote) : NULL;

  request->api = g_rc_box_acquire (api);
  request->msg = g_object_ref (msg);
  request->api_2024 = tandem_auth_api_version_is_2024 (soup_message_headers_get_one (headers, API_VERSION_HEADER));
  request->issuer = issuer_for (msg);
  request->client.user_agent = g_strdup (soup_message_headers_get_one (headers, "User-Agent"));
  request->client.ip = address ? g_strdup (remote) : NULL;
  request->disconnected_id = g_signal_connect (msg, "disconnected", G_CALLBACK (on_disconnected), request);
  return request;
}

static void
request_free (TandemAuthRequest *request)
{
  g_clear_signal_handler (&request->disconnected_id, request->msg);
  g_object_unref (request->msg);
  api_release (request->api);
  g_free (request->issuer);
  g_free ((char *) request->client.user_agent);
  g_free ((char *) request->client.ip);
  g_clear_pointer (&request->body, json_object_unref);
  g_free (request->logout_scope);
  g_clear_pointer (&request->claims, json_object_unref);
  g_free (request->user_id);
  g_free (request->session_id);
  g_clear_pointer (&request->user, tandem_auth_user_free);
  g_free (request);
}

void
tandem_auth_request_pause (TandemAuthRequest *request)
{
  if (!request->paused)
    soup_server_message_pause (request->msg);
  request->paused = TRUE;
}

static void
add_cors_headers (SoupServerMessage *msg)
{
  SoupMessageHeaders *request_headers = soup_server_message_get_request_headers (msg);
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);
  const char *asked = soup_message_headers_get_one (request_headers, "Access-Control-Request-Headers");

  soup_message_headers_replace (headers, "Access-Control-Allow-Origin", "*");
  soup_message_headers_replace (headers, "Access-Control-Allow-Methods", "GET, POST, PUT, DELETE, OPTIONS");
  soup_message_headers_replace (headers, "Access-Control-Allow-Headers",
                                asked != NULL ? asked
                                              : "authorization, x-client-info, apikey, content-type, "
                                                "x-supabase-api-version");
  soup_message_headers_replace (headers, "Access-Control-Expose-Headers", API_VERSION_HEADER);
  soup_message_headers_replace (headers, "Access-Control-Max-Age", "3600");
}

static void
finish (TandemAuthRequest *request)
{
  if (request->paused && !request->gone)
    soup_server_message_unpause (request->msg);
  request_free (request);
}

void
tandem_auth_request_respond_json (TandemAuthRequest *request,
                                  guint              status,
                                  JsonNode          *body)
{
  G_GNUC_UNUSED g_autoptr(JsonNode) owned = body;

  if (!request->gone)
    {
      g_autofree char *text = json_to_string (body, FALSE);
      gsize length = strlen (text);

      soup_server_message_set_status (request->msg, status, NULL);
      soup_server_message_set_response (request->msg, "application/json", SOUP_MEMORY_TAKE,
                                        g_steal_pointer (&text), length);
    }
  finish (request);
}

void
tandem_auth_request_respond_error (TandemAuthRequest *request,
                                   GError            *error)
{
  G_GNUC_UNUSED g_autoptr(GError) owned = error;
  guint status;
  JsonNode *body = tandem_auth_error_to_json (error, request->api_2024, &status);

  /* GoTrue says which version it answered in. */
  if (request->api_2024)
    soup_message_headers_replace (soup_server_message_get_response_headers (request->msg),
                                  API_VERSION_HEADER, API_VERSION_2024);
  /* Our own errors were logged where they arose (tandem_auth_error_internal). */
  if (error->domain != TANDEM_AUTH_ERROR)
    g_warning ("%s %s: %s", soup_server_message_get_method (request->msg),
               g_uri_get_path (soup_server_message_get_uri (request->msg)), error->message);
  tandem_auth_request_respond_json (request, status, body);
}

void
tandem_auth_request_respond_empty (TandemAuthRequest *request,
                                   guint              status)
{
  if (!request->gone)
    soup_server_message_set_status (request->msg, status, NULL);
  finish (request);
}

gboolean
tandem_auth_request_count_attempt (TandemAuthRequest  *request,
                                   GError            **error)
{
  const char *key = request->client.ip ? request->client.ip : "unknown";

  if (!tandem_auth_limiter_try (request->api->limiter, key, g_get_monotonic_time ()))
    {
      g_info ("too many password attempts from %s", key);
      g_set_error_literal (error, TANDEM_AUTH_ERROR, TANDEM_AUTH_ERROR_OVER_REQUEST_RATE_LIMIT,
                           "Request rate limit reached");
      return FALSE;
    }
  return TRUE;
}

/* The body */

static const char *
json_type_name (JsonNode *node)
{
  switch (JSON_NODE_TYPE (node))
    {
    case JSON_NODE_OBJECT:
      return "object";
    case JSON_NODE_ARRAY:
      return "array";
    case JSON_NODE_NULL:
      return "null";
    case JSON_NODE_VALUE:
    default:
      switch (json_node_get_value_type (node))
        {
        case G_TYPE_STRING:
          return "string";
        case G_TYPE_BOOLEAN:
          return "bool";
        default:
          return "number";
        }
    }
}

gboolean
tandem_auth_request_parse_body (TandemAuthRequest  *request,
                                const char         *params_type,
                                GError            **error)
{
  g_autoptr(GBytes) bytes = soup_message_body_flatten (soup_server_message_get_request_body (request->msg));
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) parse_error = NULL;
  gsize length;
  const char *data = g_bytes_get_data (bytes, &length);
  JsonNode *root;

  if (length == 0)
    {
      g_set_error_literal (error, TANDEM_AUTH_ERROR, TANDEM_AUTH_ERROR_BAD_JSON,
                           "Could not parse request body as JSON: unexpected end of JSON input");
      return FALSE;
    }
  if (!json_parser_load_from_data (parser, data, length, &parse_error))
    {
      g_set_error (error, TANDEM_AUTH_ERROR, TANDEM_AUTH_ERROR_BAD_JSON,
                   "Could not parse request body as JSON: %s", parse_error->message);
      return FALSE;
    }
  root = json_parser_get_root (parser);
  /* Like Go's decoder, take null for "no parameters". */
  if (root == NULL || JSON_NODE_HOLDS_NULL (root))
    {
      request->body = json_object_new ();
      return TRUE;
    }
  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error (error, TANDEM_AUTH_ERROR, TANDEM_AUTH_ERROR_BAD_JSON,
                   "Could not parse request body as JSON: json: cannot unmarshal %s into Go value of type api.%s",
                   json_type_name (root), params_type);
      return FALSE;
    }
  request->body = json_object_ref (json_node_get_object (root));
  return TRUE;
}

static gboolean
get_member (TandemAuthRequest  *request,
            const char         *params_type,
            const char         *name,
            JsonNodeType        node_type,
            GType               value_type,
            const char         *go_type,
            JsonNode          **value,
            GError            **error)
{
  JsonNode *node = request->body ? json_object_get_member (request->body, name) : NULL;

  *value = NULL;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (JSON_NODE_TYPE (node) != node_type ||
      (node_type == JSON_NODE_VALUE && json_node_get_value_type (node) != value_type))
    {
      g_set_error (error, TANDEM_AUTH_ERROR, TANDEM_AUTH_ERROR_BAD_JSON,
                   "Could not parse request body as JSON: json: cannot unmarshal %s into Go struct field "
                   "%s.%s of type %s", json_type_name (node), params_type, name, go_type);
      return FALSE;
    }
  *value = node;
  return TRUE;
}

gboolean
tandem_auth_request_get_string (TandemAuthRequest  *request,
                                const char         *params_type,
                                const char         *name,
                                const char        **value,
                                GError            **error)
{
  JsonNode *node;

  if (!get_member (request, params_type, name, JSON_NODE_VALUE, G_TYPE_STRING, "string", &node, error))
    return FALSE;
  *value = node ? json_node_get_string (node) : NULL;
  return TRUE;
}

gboolean
tandem_auth_request_get_object (TandemAuthRequest  *request,
                                const char         *params_type,
                                const char         *name,
                                JsonObject        **value,
                                GError            **error)
{
  JsonNode *node;

  if (!get_member (request, params_type, name, JSON_NODE_OBJECT, G_TYPE_INVALID, "map[string]interface {}",
                   &node, error))
    return FALSE;
  *value = node ? json_node_get_object (node) : NULL;
  return TRUE;
}

/* The bearer token */

static char *
bearer_token (SoupServerMessage *msg)
{
  const char *header = soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                                     "Authorization");
  const char *token;

  /* GoTrue's pattern: "Bearer" or "bearer", one space, no space after. */
  if (header == NULL || (strncmp (header, "Bearer ", 7) != 0 && strncmp (header, "bearer ", 7) != 0))
    return NULL;
  token = header + 7;
  if (*token == '\0' || strpbrk (token, " \t\r\n") != NULL)
    return NULL;
  return g_strdup (token);
}

typedef struct
{
  TandemAuthRequest     *request;
  TandemAuthRequestFunc  then;
} Authentication;

static void
user_loaded_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  Authentication *authentication = user_data;
  TandemAuthRequest *request = authentication->request;
  TandemAuthRequestFunc then = authentication->then;
  GError *error = NULL;

  g_free (authentication);
  request->user = tandem_auth_store_get_user_finish (result, &error);
  if (request->user == NULL)
    {
      tandem_auth_request_respond_error (request, error);
      return;
    }
  then (request);
}

void
tandem_auth_request_authenticate (TandemAuthRequest     *request,
                                  TandemAuthRequestFunc  then)
{
  g_autofree char *token = bearer_token (request->msg);
  Authentication *authentication;
  const char *session_id;
  GError *error = NULL;

  if (token == NULL)
    {
      tandem_auth_request_respond_error (request,
                                         g_error_new_literal (TANDEM_AUTH_ERROR, TANDEM_AUTH_ERROR_NO_AUTHORIZATION,
                                                              "This endpoint requires a valid Bearer token"));
      return;
    }
  request->claims = tandem_auth_verify_access_token (token, request->api->jwt_secret,
                                                     g_get_real_time () / G_USEC_PER_SEC, &error);
  if (request->claims == NULL)
    {
      tandem_auth_request_respond_error (request, error);
      return;
    }
  request->user_id = g_strdup (json_object_get_string_member (request->claims, "sub"));
  session_id = json_object_get_string_member_with_default (request->claims, "session_id", NULL);
  /* GoTrue treats an empty or all-zero session_id as none. */
  if (session_id != NULL && *session_id != '\0' && !g_str_equal (session_id, "00000000-0000-0000-0000-000000000000"))
    request->session_id = g_strdup (session_id);

  authentication = g_new0 (Authentication, 1);
  authentication->request = request;
  authentication->then = then;
  tandem_auth_request_pause (request);
  tandem_auth_store_get_user_async (request->api->pool, request->user_id, request->session_id,
                                    user_loaded_cb, authentication);
}

JsonNode *
tandem_auth_request_session_json (TandemAuthRequest     *request,
                                  const TandemAuthGrant *grant,
                                  const char            *password)
{
  TandemAuthApi *api = request->api;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(GError) weak = NULL;
  g_autofree char *access_token = NULL;
  gint64 expires_at;

  access_token = tandem_auth_issue_access_token (api->jwt_secret, grant->user, grant->session_id, request->issuer,
                                                 grant->authenticated_at, g_get_real_time () / G_USEC_PER_SEC,
                                                 api->options.jwt_expiry_seconds, &expires_at);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "access_token");
  json_builder_add_string_value (builder, access_token);
  json_builder_set_member_name (builder, "token_type");
  json_builder_add_string_value (builder, "bearer");
  json_builder_set_member_name (builder, "expires_in");
  json_builder_add_int_value (builder, api->options.jwt_expiry_seconds);
  json_builder_set_member_name (builder, "expires_at");
  json_builder_add_int_value (builder, expires_at);
  json_builder_set_member_name (builder, "refresh_token");
  json_builder_add_string_value (builder, grant->refresh_token);
  json_builder_set_member_name (builder, "user");
  json_builder_add_value (builder, tandem_auth_user_to_json (grant->user));
  if (password != NULL && !tandem_auth_check_new_password (password, &weak) &&
      g_error_matches (weak, TANDEM_AUTH_ERROR, TANDEM_AUTH_ERROR_WEAK_PASSWORD))
    {
      json_builder_set_member_name (builder, "weak_password");
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "message");
      json_builder_add_string_value (builder, weak->message);
      json_builder_set_member_name (builder, "reasons");
      json_builder_begin_array (builder);
      json_builder_add_string_value (builder, "length");
      json_builder_end_array (builder);
      json_builder_end_object (builder);
    }
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

/* Routing */

static const char *
api_key_of (SoupServerMessage *msg,
            GHashTable        *query)
{
  const char *key = soup_message_headers_get_one (soup_server_message_get_request_headers (msg), "apikey");

  if (key == NULL && query != NULL)
    key = g_hash_table_lookup (query, "apikey");
  return key;
}

static gboolean
method_is (TandemAuthRequest *request,
           const char        *allowed)
{
  return g_str_equal (soup_server_message_get_method (request->msg), allowed);
}

static void
auth_cb (SoupServer        *server,
         SoupServerMessage *msg,
         const char        *path,
         GHashTable        *query,
         gpointer           user_data)
{
  TandemAuthApi *self = user_data;
  TandemAuthRequest *request;
  const char *endpoint;
  GError *error = NULL;

  add_cors_headers (msg);
  if (g_str_equal (soup_server_message_get_method (msg), "OPTIONS"))
    {
      soup_server_message_set_status (msg, SOUP_STATUS_NO_CONTENT, NULL);
      return;
    }

  request = request_new (self, msg);
  if (!tandem_auth_check_api_key (api_key_of (msg, query), self->jwt_secret,
                                  g_get_real_time () / G_USEC_PER_SEC, &error))
    {
      tandem_auth_request_respond_error (request, error);
      return;
    }

  endpoint = path + strlen (API_PREFIX);
  if (g_str_equal (endpoint, "/signup") && method_is (request, "POST"))
    tandem_auth_handle_signup (request);
  else if (g_str_equal (endpoint, "/token") && method_is (request, "POST"))
    tandem_auth_handle_token (request, query);
  else if (g_str_equal (endpoint, "/user") && (method_is (request, "GET") || method_is (request, "PUT")))
    tandem_auth_handle_user (request);
  else if (g_str_equal (endpoint, "/logout") && method_is (request, "POST"))
    tandem_auth_handle_logout (request, query);
  else if (g_str_equal (endpoint, "/settings") && method_is (request, "GET"))
    tandem_auth_handle_settings (request);
  else if (g_str_equal (endpoint, "/health") && method_is (request, "GET"))
    tandem_auth_handle_health (request);
  else if (g_str_equal (endpoint, "/signup") || g_str_equal (endpoint, "/token") ||
           g_str_equal (endpoint, "/user") || g_str_equal (endpoint, "/logout") ||
           g_str_equal (endpoint, "/settings") || g_str_equal (endpoint, "/health"))
    tandem_auth_request_respond_error (request,
                                       g_error_new_literal (TANDEM_AUTH_ERROR, TANDEM_AUTH_ERROR_METHOD_NOT_ALLOWED,
                                                            "Method Not Allowed"));
  else
    tandem_auth_request_respond_error (request,
                                       g_error_new_literal (TANDEM_AUTH_ERROR, TANDEM_AUTH_ERROR_NOT_FOUND,
                                                            "Not Found"));
}

void
tandem_auth_api_attach (TandemAuthApi *self,
                        SoupServer    *server)
{
  /* The handler keeps the API alive as long as the server has it. */
  soup_server_add_handler (server, API_PREFIX, auth_cb, g_rc_box_acquire (self), api_release);
}
