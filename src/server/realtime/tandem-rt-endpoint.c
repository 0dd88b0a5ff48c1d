/* tandem-rt-endpoint.c: the Realtime HTTP surface of the hub
 *
 * The WebSocket upgrade at /realtime/v1/websocket (and /socket/websocket,
 * the bare Realtime path), refused with Supabase's status and JSON body when
 * the apikey or vsn is wrong, and the REST broadcast endpoints
 * POST /realtime/v1/api/broadcast and …/api/broadcast/:topic/events/:event.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tandem-realtime"

#include "config.h"

#include <string.h>

#include "tandem-jwt.h"
#include "tandem-rt-private.h"

static const char * const websocket_paths[] = {
  "/realtime/v1/websocket",
  "/socket/websocket",
};

static const char * const broadcast_paths[] = {
  "/realtime/v1/api/broadcast",
  "/api/broadcast",
};

static void
set_json_response (SoupServerMessage *msg,
                   guint              status,
                   JsonObject        *body)
{
  g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), body);
  g_autofree char *text = json_to_string (node, FALSE);
  gsize len = strlen (text);

  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_TAKE,
                                    g_steal_pointer (&text), len);
}

static void
set_json_message (SoupServerMessage *msg,
                  guint              status,
                  const char        *key,
                  const char        *message)
{
  g_autoptr(JsonObject) body = json_object_new ();

  json_object_set_string_member (body, key, message);
  set_json_response (msg, status, body);
}

static GHashTable *
message_query (SoupServerMessage *msg)
{
  const char *query = g_uri_get_query (soup_server_message_get_uri (msg));

  if (query == NULL)
    return g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  return g_uri_parse_params (query, -1, "&", G_URI_PARAMS_NONE, NULL);
}

/* The apikey: the x-api-key header wins over the query parameter; whitespace
 * is stripped, as Realtime does. */
static char *
upgrade_apikey (SoupServerMessage *msg,
                GHashTable        *query)
{
  const char *header = soup_message_headers_get_one (soup_server_message_get_request_headers (msg), "x-api-key");
  const char *value = header ? header : (query ? g_hash_table_lookup (query, "apikey") : NULL);
  GString *key;

  if (value == NULL)
    return NULL;
  key = g_string_new (NULL);
  for (const char *p = value; *p; p++)
    if (!g_ascii_isspace (*p))
      g_string_append_c (key, *p);
  if (key->len == 0)
    {
      g_string_free (key, TRUE);
      return NULL;
    }
  return g_string_free (key, FALSE);
}

typedef struct
{
  SoupServerMessage *msg;
  guint              status;
  char              *error;
} DelayedRefusal;

static gboolean
delayed_refusal_cb (gpointer user_data)
{
  DelayedRefusal *refusal = user_data;

  if (refusal->error != NULL)
    set_json_message (refusal->msg, refusal->status, "error", refusal->error);
  else
    soup_server_message_set_status (refusal->msg, refusal->status, NULL);
  soup_server_message_unpause (refusal->msg);
  g_object_unref (refusal->msg);
  g_free (refusal->error);
  g_free (refusal);
  return G_SOURCE_REMOVE;
}

/* Supabase waits before refusing a connection, which slows down clients
 * that retry a bad key in a loop. */
static void
refuse_upgrade (TandemRtHub       *hub,
                SoupServerMessage *msg,
                guint              status,
                const char        *error)
{
  DelayedRefusal *refusal = g_new0 (DelayedRefusal, 1);

  g_info ("websocket upgrade refused (%u): %s", status, error ? error : "unsupported vsn");
  refusal->msg = g_object_ref (msg);
  refusal->status = status;
  refusal->error = g_strdup (error);

  if (hub->limits.connect_error_delay_ms == 0)
    {
      if (error != NULL)
        set_json_message (msg, status, "error", error);
      else
        soup_server_message_set_status (msg, status, NULL);
      g_object_unref (refusal->msg);
      g_free (refusal->error);
      g_free (refusal);
      return;
    }
  soup_server_message_pause (msg);
  g_timeout_add (hub->limits.connect_error_delay_ms, delayed_refusal_cb, refusal);
}

static gboolean
parse_vsn (GHashTable       *query,
           TandemSerializer *serializer)
{
  const char *vsn = query ? g_hash_table_lookup (query, "vsn") : NULL;

  /* Phoenix defaults to 1.0.0 when the parameter is missing. */
  if (vsn == NULL)
    {
      *serializer = TANDEM_SERIALIZER_V1;
      return TRUE;
    }
  return tandem_serializer_from_vsn (vsn, serializer);
}

/* Runs before the upgrade: a status set here skips the WebSocket handler,
 * so bad requests get Supabase's JSON error instead of a 101. */
static void
websocket_early_cb (SoupServer        *server,
                    SoupServerMessage *msg,
                    const char        *path,
                    GHashTable        *unused,
                    gpointer           user_data)
{
  TandemRtHub *hub = user_data;
  g_autoptr(GHashTable) query = message_query (msg);
  g_autofree char *apikey = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) claims = NULL;
  TandemSerializer serializer;

  if (!g_str_equal (path, websocket_paths[0]) && !g_str_equal (path, websocket_paths[1]))
    return;

  if (!parse_vsn (query, &serializer))
    {
      refuse_upgrade (hub, msg, SOUP_STATUS_FORBIDDEN, NULL);
      return;
    }

  apikey = upgrade_apikey (msg, query);
  if (apikey == NULL)
    {
      refuse_upgrade (hub, msg, SOUP_STATUS_UNAUTHORIZED, "API key is missing");
      return;
    }

  claims = tandem_jwt_verify (apikey, hub->jwt_secret, TANDEM_JWT_VERIFY_REQUIRE_ROLE_EXP,
                              g_get_real_time () / G_USEC_PER_SEC, &error);
  if (claims == NULL)
    {
      refuse_upgrade (hub, msg, SOUP_STATUS_UNAUTHORIZED, error->message);
      return;
    }

  if (hub->shutting_down)
    refuse_upgrade (hub, msg, SOUP_STATUS_SERVICE_UNAVAILABLE, "Error connecting to Realtime");
}

static void
websocket_cb (SoupServer              *server,
              SoupServerMessage       *msg,
              const char              *path,
              SoupWebsocketConnection *connection,
              gpointer                 user_data)
{
  TandemRtHub *hub = user_data;
  g_autoptr(GHashTable) query = message_query (msg);
  g_autofree char *apikey = upgrade_apikey (msg, query);
  TandemSerializer serializer = TANDEM_SERIALIZER_V1;
  TandemRtSocket *socket;

  parse_vsn (query, &serializer);
  socket = tandem_rt_socket_new (hub, connection, serializer, apikey,
                                 soup_server_message_get_remote_host (msg));
  tandem_rt_hub_add_socket (hub, socket);
  g_debug ("socket %" G_GUINT64_FORMAT " connected from %s (vsn %s)",
           tandem_rt_socket_get_id (socket), soup_server_message_get_remote_host (msg),
           tandem_serializer_to_vsn (serializer));
}

/* REST broadcast */

/* Bearer token, else the apikey header; a valid JWT with role and exp. */
static JsonObject *
rest_claims (TandemRtHub       *hub,
             SoupServerMessage *msg)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  const char *authorization = soup_message_headers_get_one (headers, "Authorization");
  const char *token = NULL;

  if (authorization != NULL && g_ascii_strncasecmp (authorization, "Bearer ", 7) == 0)
    token = authorization + 7;
  else
    token = soup_message_headers_get_one (headers, "apikey");
  if (token == NULL)
    return NULL;
  return tandem_jwt_verify (token, hub->jwt_secret, TANDEM_JWT_VERIFY_REQUIRE_ROLE_EXP,
                            g_get_real_time () / G_USEC_PER_SEC, NULL);
}

static gboolean
may_send_private (JsonObject *claims)
{
  return g_strcmp0 (json_object_get_string_member_with_default (claims, "role", ""), "service_role") == 0;
}

static void
add_field_error (JsonObject *errors,
                 const char *field,
                 const char *text)
{
  JsonArray *list = json_array_new ();

  json_array_add_string_element (list, text);
  json_object_set_array_member (errors, field, list);
}

static void
batch_broadcast (TandemRtHub       *hub,
                 SoupServerMessage *msg,
                 JsonObject        *claims)
{
  SoupMessageBody *body = soup_server_message_get_request_body (msg);
  g_autoptr(GBytes) bytes = soup_message_body_flatten (body);
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonNode *root;
  JsonNode *messages_node;
  JsonArray *messages;
  g_autoptr(JsonArray) message_errors = json_array_new ();
  gboolean any_error = FALSE;
  gsize max_bytes = (gsize) hub->limits.max_payload_kb * 1000 + 500;

  if (!json_parser_load_from_data (parser, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), NULL) ||
      !JSON_NODE_HOLDS_OBJECT (root = json_parser_get_root (parser)) ||
      (messages_node = json_object_get_member (json_node_get_object (root), "messages")) == NULL ||
      !JSON_NODE_HOLDS_ARRAY (messages_node))
    {
      g_autoptr(JsonObject) errors_body = json_object_new ();
      JsonObject *errors = json_object_new ();

      add_field_error (errors, "messages", "can't be blank");
      json_object_set_object_member (errors_body, "errors", errors);
      set_json_response (msg, 422, errors_body);
      return;
    }
  messages = json_node_get_array (messages_node);

  /* Validate everything before sending anything. */
  for (guint i = 0; i < json_array_get_length (messages); i++)
    {
      JsonNode *item = json_array_get_element (messages, i);
      JsonObject *errors = json_object_new ();
      JsonObject *object = JSON_NODE_HOLDS_OBJECT (item) ? json_node_get_object (item) : NULL;
      JsonNode *topic = object ? json_object_get_member (object, "topic") : NULL;
      JsonNode *event = object ? json_object_get_member (object, "event") : NULL;
      JsonNode *payload = object ? json_object_get_member (object, "payload") : NULL;

      if (topic == NULL || json_node_get_value_type (topic) != G_TYPE_STRING ||
          *json_node_get_string (topic) == '\0')
        add_field_error (errors, "topic", "can't be blank");
      if (event == NULL || json_node_get_value_type (event) != G_TYPE_STRING)
        add_field_error (errors, "event", "can't be blank");
      if (payload == NULL || !JSON_NODE_HOLDS_OBJECT (payload))
        add_field_error (errors, "payload", "is invalid");
      else
        {
          g_autofree char *text = json_to_string (payload, FALSE);

          if (strlen (text) > max_bytes)
            add_field_error (errors, "payload", "Payload size exceeds tenant limit");
        }

      if (json_object_get_size (errors) > 0)
        any_error = TRUE;
      json_array_add_object_element (message_errors, errors);
    }

  if (any_error)
    {
      g_autoptr(JsonObject) errors_body = json_object_new ();
      JsonObject *errors = json_object_new ();

      json_object_set_array_member (errors, "messages", g_steal_pointer (&message_errors));
      json_object_set_object_member (errors_body, "errors", errors);
      set_json_response (msg, 422, errors_body);
      return;
    }

  if (!tandem_rt_hub_count_events (hub, json_array_get_length (messages)))
    {
      set_json_message (msg, 429, "message", "You have exceeded your rate limit");
      return;
    }

  for (guint i = 0; i < json_array_get_length (messages); i++)
    {
      JsonObject *object = json_array_get_object_element (messages, i);
      gboolean is_private = json_object_get_boolean_member_with_default (object, "private", FALSE);
      const char *id = json_object_get_string_member_with_default (object, "id", NULL);
      TandemRtTopic *topic;
      g_autoptr(JsonNode) payload = NULL;
      g_autoptr(TandemMessage) message = NULL;
      JsonObject *broadcast;

      /* Private messages without permission are skipped silently. */
      if (is_private && !may_send_private (claims))
        continue;
      topic = tandem_rt_hub_lookup_topic (hub, json_object_get_string_member (object, "topic"), is_private);
      if (topic == NULL)
        continue;

      broadcast = json_object_new ();
      json_object_set_string_member (broadcast, "type", "broadcast");
      json_object_set_string_member (broadcast, "event", json_object_get_string_member (object, "event"));
      json_object_set_member (broadcast, "payload", json_node_copy (json_object_get_member (object, "payload")));
      if (id != NULL)
        {
          JsonObject *meta = json_object_new ();

          json_object_set_string_member (meta, "id", id);
          json_object_set_object_member (broadcast, "meta", meta);
        }
      payload = json_node_init_object (json_node_alloc (), broadcast);
      json_object_unref (broadcast);
      message = tandem_message_new (NULL, NULL, "", "broadcast", payload);
      tandem_rt_hub_count_events (hub, tandem_rt_hub_broadcast (hub, topic, message, NULL));
    }

  soup_server_message_set_status (msg, SOUP_STATUS_ACCEPTED, NULL);
}

/* …/api/broadcast/:topic/events/:event with a raw JSON or binary body. */
static void
single_broadcast (TandemRtHub       *hub,
                  SoupServerMessage *msg,
                  JsonObject        *claims,
                  const char        *rest)
{
  g_auto(GStrv) parts = g_strsplit (rest, "/", -1);
  g_autofree char *topic_name = NULL;
  g_autofree char *event = NULL;
  g_autoptr(GHashTable) query = message_query (msg);
  const char *private_param = g_hash_table_lookup (query, "private");
  gboolean is_private = private_param != NULL && g_ascii_strcasecmp (private_param, "true") == 0;
  const char *content_type;
  gboolean is_json;
  g_autoptr(GBytes) body = NULL;
  TandemRtTopic *topic;

  if (g_strv_length (parts) != 3 || !g_str_equal (parts[1], "events") ||
      *parts[0] == '\0' || *parts[2] == '\0')
    {
      set_json_message (msg, SOUP_STATUS_NOT_FOUND, "message", "Not found");
      return;
    }
  topic_name = g_uri_unescape_string (parts[0], NULL);
  event = g_uri_unescape_string (parts[2], NULL);
  if (topic_name == NULL || event == NULL || strlen (event) > 255 || strlen (topic_name) > 200)
    {
      set_json_message (msg, 422, "message", "Invalid topic or event");
      return;
    }

  content_type = soup_message_headers_get_content_type (soup_server_message_get_request_headers (msg), NULL);
  if (g_strcmp0 (content_type, "application/json") == 0)
    is_json = TRUE;
  else if (g_strcmp0 (content_type, "application/octet-stream") == 0)
    is_json = FALSE;
  else
    {
      set_json_message (msg, SOUP_STATUS_UNSUPPORTED_MEDIA_TYPE, "message", "Unsupported content type");
      return;
    }

  body = soup_message_body_flatten (soup_server_message_get_request_body (msg));
  if (g_bytes_get_size (body) > (gsize) hub->limits.max_payload_kb * 1000 + 500)
    {
      set_json_message (msg, 422, "message", "Payload size exceeds tenant limit");
      return;
    }
  if (is_json)
    {
      g_autoptr(JsonParser) parser = json_parser_new ();

      if (!g_utf8_validate (g_bytes_get_data (body, NULL), g_bytes_get_size (body), NULL) ||
          !json_parser_load_from_data (parser, g_bytes_get_data (body, NULL), g_bytes_get_size (body), NULL))
        {
          set_json_message (msg, 422, "message", "Payload is not valid JSON");
          return;
        }
    }
  if (is_private && !may_send_private (claims))
    {
      set_json_message (msg, SOUP_STATUS_FORBIDDEN, "message", "Unauthorized");
      return;
    }
  if (!tandem_rt_hub_count_events (hub, 1))
    {
      set_json_message (msg, 429, "message", "You have exceeded your rate limit");
      return;
    }

  topic = tandem_rt_hub_lookup_topic (hub, topic_name, is_private);
  if (topic != NULL)
    {
      g_autoptr(TandemMessage) message =
        tandem_message_new_user_broadcast (NULL, NULL, "", event, body, is_json, NULL);

      tandem_rt_hub_count_events (hub, tandem_rt_hub_broadcast (hub, topic, message, NULL));
    }
  soup_server_message_set_status (msg, SOUP_STATUS_ACCEPTED, NULL);
}

static void
add_cors_headers (SoupServerMessage *msg)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);

  soup_message_headers_replace (headers, "Access-Control-Allow-Origin", "*");
  soup_message_headers_replace (headers, "Access-Control-Allow-Headers",
                                "authorization, x-client-info, apikey, content-type");
  soup_message_headers_replace (headers, "Access-Control-Allow-Methods", "POST, OPTIONS");
}

static void
broadcast_api_cb (SoupServer        *server,
                  SoupServerMessage *msg,
                  const char        *path,
                  GHashTable        *query,
                  gpointer           user_data)
{
  TandemRtHub *hub = user_data;
  const char *method = soup_server_message_get_method (msg);
  g_autoptr(JsonObject) claims = NULL;
  const char *rest = NULL;

  add_cors_headers (msg);

  if (g_str_equal (method, "OPTIONS"))
    {
      soup_server_message_set_status (msg, SOUP_STATUS_NO_CONTENT, NULL);
      return;
    }
  if (!g_str_equal (method, "POST"))
    {
      set_json_message (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, "message", "Method not allowed");
      return;
    }

  claims = rest_claims (hub, msg);
  if (claims == NULL)
    {
      set_json_message (msg, SOUP_STATUS_UNAUTHORIZED, "message", "Unauthorized");
      return;
    }

  for (guint i = 0; i < G_N_ELEMENTS (broadcast_paths); i++)
    if (g_str_has_prefix (path, broadcast_paths[i]))
      {
        rest = path + strlen (broadcast_paths[i]);
        break;
      }

  if (rest == NULL || *rest == '\0' || g_str_equal (rest, "/"))
    batch_broadcast (hub, msg, claims);
  else if (*rest == '/')
    single_broadcast (hub, msg, claims, rest + 1);
  else
    set_json_message (msg, SOUP_STATUS_NOT_FOUND, "message", "Not found");
}

void
tandem_rt_hub_attach (TandemRtHub *hub,
                      SoupServer  *server)
{
  /* libsoup offers permessage-deflate to clients that ask (the ws package
   * under realtime-js does); Supabase Realtime does not compress (Phoenix's
   * default), and per-message deflate costs far more CPU than it saves on
   * loopback and LAN, so neither do we. */
  soup_server_remove_websocket_extension (server, SOUP_TYPE_WEBSOCKET_EXTENSION_DEFLATE);
  for (guint i = 0; i < G_N_ELEMENTS (websocket_paths); i++)
    {
      soup_server_add_early_handler (server, websocket_paths[i], websocket_early_cb, hub, NULL);
      soup_server_add_websocket_handler (server, websocket_paths[i], NULL, NULL, websocket_cb, hub, NULL);
    }
  for (guint i = 0; i < G_N_ELEMENTS (broadcast_paths); i++)
    soup_server_add_handler (server, broadcast_paths[i], broadcast_api_cb, hub, NULL);
}
