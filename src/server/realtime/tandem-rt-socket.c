/* tandem-rt-socket.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tandem-realtime"

#include "config.h"

#include <string.h>

#include "tandem-json-util.h"
#include "tandem-jwt.h"
#include "tandem-rt-changes.h"
#include "tandem-rt-private.h"

struct _TandemRtSocket
{
  GObject                  parent_instance;

  TandemRtHub             *hub;         /* unowned: the hub owns us */
  SoupWebsocketConnection *connection;
  TandemSerializer         serializer;
  char                    *apikey;
  char                    *peer;
  guint64                  id;
  GHashTable              *channels;    /* topic name -> TandemRtChannel (owned) */
  gint64                   last_inbound_usec;
  guint                    idle_source;
  gboolean                 closed;
};

G_DEFINE_FINAL_TYPE (TandemRtSocket, tandem_rt_socket, G_TYPE_OBJECT)

/* An error reply to a join, sent after Supabase's delay. */
typedef struct
{
  TandemRtSocket *socket;
  char           *join_ref;
  char           *topic;
  char           *reason;
} DelayedJoinError;

static void remove_channel (TandemRtSocket  *self,
                            TandemRtChannel *channel);

static void
tandem_rt_socket_dispose (GObject *object)
{
  TandemRtSocket *self = (TandemRtSocket *) object;

  g_clear_handle_id (&self->idle_source, g_source_remove);
  if (self->connection != NULL)
    g_signal_handlers_disconnect_by_data (self->connection, self);
  g_clear_object (&self->connection);
  if (self->channels != NULL)
    {
      g_autoptr(GList) channels = g_hash_table_get_values (self->channels);

      for (GList *l = channels; l; l = l->next)
        remove_channel (self, l->data);
    }

  G_OBJECT_CLASS (tandem_rt_socket_parent_class)->dispose (object);
}

static void
tandem_rt_socket_finalize (GObject *object)
{
  TandemRtSocket *self = (TandemRtSocket *) object;

  g_clear_pointer (&self->channels, g_hash_table_unref);
  g_free (self->apikey);
  g_free (self->peer);

  G_OBJECT_CLASS (tandem_rt_socket_parent_class)->finalize (object);
}

static void
tandem_rt_socket_class_init (TandemRtSocketClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = tandem_rt_socket_dispose;
  object_class->finalize = tandem_rt_socket_finalize;
}

static void
tandem_rt_socket_init (TandemRtSocket *self)
{
  self->channels = g_hash_table_new (g_str_hash, g_str_equal);
}

guint64
tandem_rt_socket_get_id (TandemRtSocket *self)
{
  return self->id;
}

TandemSerializer
tandem_rt_socket_get_serializer (TandemRtSocket *self)
{
  return self->serializer;
}

const char *
tandem_rt_socket_get_apikey (TandemRtSocket *self)
{
  return self->apikey;
}

guint
tandem_rt_socket_get_n_channels (TandemRtSocket *self)
{
  return g_hash_table_size (self->channels);
}

/* Sending */

void
tandem_rt_socket_send_frame (TandemRtSocket *self,
                             GBytes         *frame,
                             gboolean        binary)
{
  if (self->closed || self->connection == NULL ||
      soup_websocket_connection_get_state (self->connection) != SOUP_WEBSOCKET_STATE_OPEN)
    return;

  self->hub->messages_out++;
  soup_websocket_connection_send_message (self->connection,
                                          binary ? SOUP_WEBSOCKET_DATA_BINARY : SOUP_WEBSOCKET_DATA_TEXT,
                                          frame);
}

void
tandem_rt_socket_send (TandemRtSocket *self,
                       TandemMessage  *message)
{
  g_autoptr(GBytes) frame = tandem_message_encode_text (message, self->serializer, TRUE);

  tandem_rt_socket_send_frame (self, frame, FALSE);
}

static void
send_new (TandemRtSocket *self,
          const char     *join_ref,
          const char     *ref,
          const char     *topic,
          const char     *event,
          JsonNode       *payload)
{
  g_autoptr(TandemMessage) message = tandem_message_new (join_ref, ref, topic, event, payload);

  tandem_rt_socket_send (self, message);
}

static void
reply (TandemRtSocket *self,
       const char     *join_ref,
       const char     *ref,
       const char     *topic,
       const char     *status,
       JsonNode       *response)
{
  g_autoptr(JsonNode) payload = tandem_rt_reply_payload (status, response);

  send_new (self, join_ref, ref, topic, "phx_reply", payload);
}

static JsonNode *
empty_object_node (void)
{
  return tandem_json_node_take_object (json_object_new ());
}

static JsonNode *
reason_node (const char *reason)
{
  JsonObject *object = json_object_new ();

  json_object_set_string_member (object, "reason", reason);
  return tandem_json_node_take_object (object);
}

static void
reply_ok (TandemRtSocket *self,
          TandemMessage  *message)
{
  reply (self, message->join_ref, message->ref, message->topic, "ok", empty_object_node ());
}

static void
reply_unmatched (TandemRtSocket *self,
                 TandemMessage  *message)
{
  reply (self, NULL, message->ref, message->topic, "error", reason_node ("unmatched topic"));
}

void
tandem_rt_socket_push (TandemRtSocket  *self,
                       TandemRtChannel *channel,
                       const char      *event,
                       JsonNode        *payload)
{
  channel->messages_out++;
  send_new (self, channel->join_ref, NULL, channel->topic_name, event, payload);
}

/* Channels */

static void
remove_channel (TandemRtSocket  *self,
                TandemRtChannel *channel)
{
  TandemRtTopic *topic = channel->topic;

  channel->closed = TRUE;
  g_hash_table_remove (self->channels, channel->topic_name);

  if (self->hub->changes != NULL && channel->postgres_changes != NULL)
    tandem_rt_changes_unsubscribe (self->hub->changes, channel);

  if (topic != NULL)
    {
      g_autoptr(JsonObject) diff = tandem_rt_presence_untrack (topic->presence, channel);

      g_ptr_array_remove (topic->channels, channel);
      if (diff != NULL)
        tandem_rt_hub_presence_diff (self->hub, topic, diff);
      tandem_rt_hub_release_topic (self->hub, topic);
      channel->topic = NULL;
    }

  tandem_rt_channel_free (channel);
}

static void
send_phx_close (TandemRtSocket  *self,
                TandemRtChannel *channel)
{
  g_autoptr(JsonNode) payload = empty_object_node ();

  send_new (self, channel->join_ref, channel->join_ref, channel->topic_name, "phx_close", payload);
}

void
tandem_rt_socket_shutdown_channel (TandemRtSocket  *self,
                                   TandemRtChannel *channel,
                                   const char      *message)
{
  g_autoptr(JsonNode) system = NULL;

  g_info ("closing channel %s on socket %" G_GUINT64_FORMAT ": %s",
          channel->topic_name, self->id, message);
  system = tandem_rt_system_payload ("system", "error", message,
                                     tandem_rt_channel_get_sub_topic (channel));
  tandem_rt_socket_push (self, channel, "system", system);
  send_phx_close (self, channel);
  remove_channel (self, channel);
}

static gboolean
channel_expired_cb (gpointer user_data)
{
  TandemRtChannel *channel = user_data;
  TandemRtSocket *self = channel->socket;
  g_autofree char *message = NULL;
  gint64 exp = 0;

  channel->expiry_source = 0;
  tandem_jwt_claims_get_exp (channel->claims, &exp);
  message = g_strdup_printf ("Token has expired %" G_GINT64_FORMAT " seconds ago",
                             MAX (0, g_get_real_time () / G_USEC_PER_SEC - exp));
  tandem_rt_socket_shutdown_channel (self, channel, message);
  return G_SOURCE_REMOVE;
}

static void
arm_expiry (TandemRtChannel *channel)
{
  gint64 exp = 0;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;

  g_clear_handle_id (&channel->expiry_source, g_source_remove);
  if (!tandem_jwt_claims_get_exp (channel->claims, &exp))
    return;
  /* Fires within a second after exp; capped so a timer never overflows. */
  channel->expiry_source = g_timeout_add_seconds ((guint) CLAMP (exp - now + 1, 1, G_MAXINT32),
                                                  channel_expired_cb, channel);
}

/* Maps a token problem to Supabase's join error reason. */
static char *
join_token_reason (const GError *error)
{
  const char *code = "InvalidJWTToken";

  if (error->domain == TANDEM_JWT_ERROR)
    {
      switch ((TandemJwtError) error->code)
        {
        case TANDEM_JWT_ERROR_MALFORMED:
          code = "MalformedJWT";
          break;
        case TANDEM_JWT_ERROR_SIGNATURE:
          code = "JwtSignatureError";
          break;
        case TANDEM_JWT_ERROR_ALGORITHM:
          code = "JwtSignerError";
          break;
        case TANDEM_JWT_ERROR_MISSING_CLAIMS:
        case TANDEM_JWT_ERROR_INVALID_EXPIRY:
        case TANDEM_JWT_ERROR_EXPIRED:
        default:
          code = "InvalidJWTToken";
          break;
        }
    }
  return g_strdup_printf ("%s: %s", code, error->message);
}

static gboolean
delayed_join_error_cb (gpointer user_data)
{
  DelayedJoinError *delayed = user_data;

  if (!delayed->socket->closed)
    reply (delayed->socket, delayed->join_ref, delayed->join_ref, delayed->topic,
           "error", reason_node (delayed->reason));
  return G_SOURCE_REMOVE;
}

static void
delayed_join_error_free (gpointer data)
{
  DelayedJoinError *delayed = data;

  g_object_unref (delayed->socket);
  g_free (delayed->join_ref);
  g_free (delayed->topic);
  g_free (delayed->reason);
  g_free (delayed);
}

static void
join_error (TandemRtSocket *self,
            TandemMessage  *message,
            const char     *reason)
{
  DelayedJoinError *delayed;

  g_info ("join refused on %s (socket %" G_GUINT64_FORMAT "): %s", message->topic, self->id, reason);

  delayed = g_new0 (DelayedJoinError, 1);
  delayed->socket = g_object_ref (self);
  delayed->join_ref = g_strdup (message->ref);
  delayed->topic = g_strdup (message->topic);
  delayed->reason = g_strdup (reason);

  if (self->hub->limits.join_error_delay_ms == 0)
    {
      delayed_join_error_cb (delayed);
      delayed_join_error_free (delayed);
      return;
    }
  g_timeout_add_full (G_PRIORITY_DEFAULT, self->hub->limits.join_error_delay_ms,
                      delayed_join_error_cb, delayed, delayed_join_error_free);
}

/* Realtime accepts true/false or "true"/"false" in any case. */
static gboolean
flexible_bool (JsonObject *object,
               const char *member,
               gboolean    fallback)
{
  JsonNode *node = object ? json_object_get_member (object, member) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return fallback;
  if (json_node_get_value_type (node) == G_TYPE_BOOLEAN)
    return json_node_get_boolean (node);
  if (json_node_get_value_type (node) == G_TYPE_STRING)
    {
      const char *text = json_node_get_string (node);

      if (g_ascii_strcasecmp (text, "true") == 0)
        return TRUE;
      if (g_ascii_strcasecmp (text, "false") == 0)
        return FALSE;
    }
  return fallback;
}

static JsonObject *
object_member (JsonObject *object,
               const char *member)
{
  JsonNode *node = object ? json_object_get_member (object, member) : NULL;

  return node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

static const char *
string_member (JsonObject *object,
               const char *member)
{
  JsonNode *node = object ? json_object_get_member (object, member) : NULL;

  if (node != NULL && JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    return json_node_get_string (node);
  return NULL;
}

/* The presence key may be any JSON value; empty or null means generated. */
static char *
presence_key_from (JsonObject *presence)
{
  JsonNode *node = presence ? json_object_get_member (presence, "key") : NULL;

  if (node != NULL && JSON_NODE_HOLDS_VALUE (node))
    {
      if (json_node_get_value_type (node) == G_TYPE_STRING)
        {
          if (*json_node_get_string (node) != '\0')
            return g_strdup (json_node_get_string (node));
        }
      else
        return json_to_string (node, FALSE);
    }
  else if (node != NULL && !JSON_NODE_HOLDS_NULL (node))
    return json_to_string (node, FALSE);

  return g_uuid_string_random ();
}

/* The token a channel uses: its own access_token, else the socket's apikey. */
static const char *
channel_token_from (TandemRtSocket *self,
                    JsonObject     *payload)
{
  const char *token = string_member (payload, "access_token");

  if (token == NULL)
    token = string_member (payload, "user_token");
  if (token == NULL || *token == '\0' || g_str_has_prefix (token, "sb_"))
    token = self->apikey;
  return token;
}

static void
send_presence_state (TandemRtSocket  *self,
                     TandemRtChannel *channel)
{
  g_autoptr(JsonNode) state = json_node_alloc ();

  json_node_take_object (state, tandem_rt_presence_dup_state (channel->topic->presence));
  tandem_rt_socket_push (self, channel, "presence_state", state);
}

static void
handle_join (TandemRtSocket *self,
             TandemMessage  *message)
{
  TandemRtHub *hub = self->hub;
  JsonObject *payload = tandem_message_get_payload_object (message);
  JsonObject *config = object_member (payload, "config");
  JsonObject *broadcast = object_member (config, "broadcast");
  JsonObject *presence = object_member (config, "presence");
  JsonNode *pg_node = config ? json_object_get_member (config, "postgres_changes") : NULL;
  TandemRtChannel *existing;
  TandemRtChannel *channel;
  const char *sub_topic;
  const char *token;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) claims = NULL;
  g_autoptr(JsonArray) echo = NULL;
  JsonObject *response;
  gboolean is_private;

  if (!g_str_has_prefix (message->topic, "realtime:"))
    {
      reply_unmatched (self, message);
      return;
    }
  sub_topic = message->topic + strlen ("realtime:");

  if (*sub_topic == '\0')
    {
      join_error (self, message, "TopicNameRequired: You must provide a topic name");
      return;
    }
  if (hub->shutting_down)
    {
      join_error (self, message, "RealtimeRestarting: Realtime is restarting, please standby");
      return;
    }
  if (!tandem_rt_window_counter_hit (&hub->joins, g_get_monotonic_time (), hub->limits.max_joins_per_second))
    {
      /* Supabase answers at once and drops the whole socket. */
      reply (self, message->ref, message->ref, message->topic, "error",
             reason_node ("ClientJoinRateLimitReached: Too many joins per second"));
      tandem_rt_socket_close (self, SOUP_WEBSOCKET_CLOSE_GOING_AWAY, "Too many joins per second");
      return;
    }

  existing = g_hash_table_lookup (self->channels, message->topic);
  if (existing == NULL && g_hash_table_size (self->channels) >= hub->limits.max_channels_per_client)
    {
      join_error (self, message, "ChannelRateLimitReached: Too many channels");
      return;
    }

  token = channel_token_from (self, payload);
  claims = tandem_jwt_verify (token, hub->jwt_secret, TANDEM_JWT_VERIFY_REQUIRE_ROLE_EXP,
                              g_get_real_time () / G_USEC_PER_SEC, &error);
  if (claims == NULL)
    {
      g_autofree char *reason = join_token_reason (error);

      join_error (self, message, reason);
      return;
    }

  is_private = flexible_bool (config, "private", FALSE);
  /* Private channels are authorised by RLS policies on realtime.messages;
   * until those exist here, only the service role may join them. */
  if (is_private && g_strcmp0 (json_object_get_string_member_with_default (claims, "role", ""), "service_role") != 0)
    {
      g_autofree char *reason =
        g_strdup_printf ("Unauthorized: You do not have permissions to read from this Channel topic: %s", sub_topic);

      join_error (self, message, reason);
      return;
    }

  if (existing != NULL)
    {
      /* A duplicate join replaces the old channel instance (Phoenix). */
      send_phx_close (self, existing);
      remove_channel (self, existing);
    }

  channel = tandem_rt_channel_new (self, message->topic, message->ref);
  channel->is_private = is_private;
  channel->broadcast_self = flexible_bool (broadcast, "self", FALSE);
  channel->broadcast_ack = flexible_bool (broadcast, "ack", FALSE);
  channel->presence_enabled = flexible_bool (presence, "enabled", FALSE);
  channel->presence_key = presence_key_from (presence);
  channel->access_token = g_strdup (token);
  channel->claims = g_steal_pointer (&claims);
  tandem_rt_window_counter_init (&channel->presence_calls, (gint64) hub->limits.presence_window_ms * 1000);

  if (pg_node != NULL && JSON_NODE_HOLDS_ARRAY (pg_node))
    echo = tandem_rt_changes_prepare (json_node_get_array (pg_node));
  else
    echo = json_array_new ();
  if (json_array_get_length (echo) > 0)
    channel->postgres_changes = json_array_ref (echo);

  channel->topic = tandem_rt_hub_ensure_topic (hub, sub_topic, is_private);
  g_ptr_array_add (channel->topic->channels, channel);
  g_hash_table_insert (self->channels, channel->topic_name, channel);

  response = json_object_new ();
  json_object_set_array_member (response, "postgres_changes", json_array_ref (echo));
  reply (self, channel->join_ref, message->ref, message->topic, "ok",
         json_node_init_object (json_node_alloc (), response));
  json_object_unref (response);

  if (channel->presence_enabled)
    send_presence_state (self, channel);

  if (channel->postgres_changes != NULL)
    {
      if (hub->changes != NULL)
        tandem_rt_changes_subscribe (hub->changes, channel);
      else
        {
          g_autoptr(JsonNode) system =
            tandem_rt_system_payload ("postgres_changes", "error",
                                      "Realtime was unable to connect to the project database",
                                      sub_topic);
          tandem_rt_socket_push (self, channel, "system", system);
        }
    }

  arm_expiry (channel);
  g_debug ("socket %" G_GUINT64_FORMAT " joined %s (join_ref %s, role %s)",
           self->id, message->topic, channel->join_ref, tandem_rt_channel_get_role (channel));
}

static void
handle_leave (TandemRtSocket  *self,
              TandemRtChannel *channel,
              TandemMessage   *message)
{
  reply_ok (self, message);
  send_phx_close (self, channel);
  remove_channel (self, channel);
}

static gsize
max_payload_bytes (TandemRtSocket *self)
{
  return (gsize) self->hub->limits.max_payload_kb * 1000 + 500;
}

static void
shutdown_topic_for_rate (TandemRtSocket *self,
                         TandemRtTopic  *topic)
{
  g_autoptr(GPtrArray) channels = g_ptr_array_copy (topic->channels, NULL, NULL);

  g_warning ("tenant events per second above %u: closing channels of %s",
             self->hub->limits.max_events_per_second, topic->name);
  for (guint i = 0; i < channels->len; i++)
    {
      TandemRtChannel *channel = g_ptr_array_index (channels, i);

      tandem_rt_socket_shutdown_channel (channel->socket, channel, "Too many messages per second");
    }
}

static void
handle_broadcast (TandemRtSocket  *self,
                  TandemRtChannel *channel,
                  TandemMessage   *message,
                  gsize            frame_size)
{
  TandemRtTopic *topic = channel->topic;
  guint delivered;

  if (frame_size > max_payload_bytes (self))
    {
      g_info ("broadcast on %s dropped: %" G_GSIZE_FORMAT " bytes exceed the payload limit",
              channel->topic_name, frame_size);
      if (channel->broadcast_ack && message->ref != NULL)
        reply (self, channel->join_ref, message->ref, message->topic, "error",
               json_node_init_string (json_node_alloc (), "payload_size_exceeded"));
      return;
    }

  if (!message->is_user_broadcast && tandem_message_get_payload_object (message) == NULL)
    {
      if (message->ref != NULL)
        reply (self, channel->join_ref, message->ref, message->topic, "error",
               reason_node ("broadcast payload must be an object"));
      return;
    }

  if (!tandem_rt_hub_count_events (self->hub, 1))
    {
      shutdown_topic_for_rate (self, topic);
      return;
    }

  delivered = tandem_rt_hub_broadcast (self->hub, topic, message, channel);
  tandem_rt_hub_count_events (self->hub, delivered);

  if (channel->broadcast_ack && message->ref != NULL && !channel->closed)
    reply (self, channel->join_ref, message->ref, message->topic, "ok", empty_object_node ());
}

static void
handle_presence (TandemRtSocket  *self,
                 TandemRtChannel *channel,
                 TandemMessage   *message,
                 gsize            frame_size)
{
  JsonObject *payload = tandem_message_get_payload_object (message);
  const char *event = string_member (payload, "event");
  TandemRtTopic *topic = channel->topic;
  g_autoptr(JsonObject) diff = NULL;

  if (!tandem_rt_window_counter_hit (&channel->presence_calls, g_get_monotonic_time (),
                                     self->hub->limits.presence_max_calls))
    {
      tandem_rt_socket_shutdown_channel (self, channel, "Client presence rate limit exceeded");
      return;
    }

  if (event != NULL && g_ascii_strcasecmp (event, "track") == 0)
    {
      JsonObject *meta = object_member (payload, "payload");

      if (meta == NULL)
        {
          reply (self, channel->join_ref, message->ref, message->topic, "error",
                 reason_node ("Presence track payload must be a map"));
          return;
        }
      if (frame_size > max_payload_bytes (self))
        {
          tandem_rt_socket_shutdown_channel (self, channel, "Track message size exceeded");
          return;
        }
      diff = tandem_rt_presence_track (topic->presence, channel, channel->presence_key, meta);
    }
  else if (event != NULL && g_ascii_strcasecmp (event, "untrack") == 0)
    diff = tandem_rt_presence_untrack (topic->presence, channel);
  else
    {
      reply (self, channel->join_ref, message->ref, message->topic, "error", empty_object_node ());
      return;
    }

  reply_ok (self, message);
  if (diff != NULL)
    tandem_rt_hub_presence_diff (self->hub, topic, diff);
}

static void
handle_access_token (TandemRtSocket  *self,
                     TandemRtChannel *channel,
                     TandemMessage   *message)
{
  JsonObject *payload = tandem_message_get_payload_object (message);
  const char *token = string_member (payload, "access_token");
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) claims = NULL;

  /* No reply on success, as Supabase: clients must not wait for one. */
  if (token == NULL || g_str_has_prefix (token, "sb_") || g_strcmp0 (token, channel->access_token) == 0)
    return;

  claims = tandem_jwt_verify (token, self->hub->jwt_secret, TANDEM_JWT_VERIFY_REQUIRE_ROLE_EXP,
                              g_get_real_time () / G_USEC_PER_SEC, &error);
  if (claims == NULL)
    {
      tandem_rt_socket_shutdown_channel (self, channel, error->message);
      return;
    }

  if (channel->is_private &&
      g_strcmp0 (json_object_get_string_member_with_default (claims, "role", ""), "service_role") != 0)
    {
      g_autofree char *reason =
        g_strdup_printf ("You no longer have permission to read from this Channel topic: %s",
                         tandem_rt_channel_get_sub_topic (channel));

      tandem_rt_socket_shutdown_channel (self, channel, reason);
      return;
    }

  g_free (channel->access_token);
  channel->access_token = g_strdup (token);
  g_clear_pointer (&channel->claims, json_object_unref);
  channel->claims = g_steal_pointer (&claims);
  arm_expiry (channel);

  if (channel->postgres_changes != NULL && self->hub->changes != NULL)
    tandem_rt_changes_subscribe (self->hub->changes, channel);
}

static void
handle_message (TandemRtSocket *self,
                TandemMessage  *message,
                gsize           frame_size)
{
  TandemRtChannel *channel;

  if (g_str_equal (message->topic, "phoenix"))
    {
      if (g_str_equal (message->event, "heartbeat"))
        reply (self, NULL, message->ref, "phoenix", "ok", empty_object_node ());
      else
        reply_unmatched (self, message);
      return;
    }

  if (g_str_equal (message->event, "phx_join"))
    {
      handle_join (self, message);
      return;
    }

  channel = g_hash_table_lookup (self->channels, message->topic);
  if (channel == NULL ||
      (message->join_ref != NULL && g_strcmp0 (message->join_ref, channel->join_ref) != 0))
    {
      /* Phoenix answers a leave for an unknown topic with ok. */
      if (g_str_equal (message->event, "phx_leave"))
        reply (self, message->join_ref, message->ref, message->topic, "ok", empty_object_node ());
      else
        reply_unmatched (self, message);
      return;
    }

  channel->messages_in++;

  if (g_str_equal (message->event, "phx_leave"))
    handle_leave (self, channel, message);
  else if (g_str_equal (message->event, "broadcast"))
    handle_broadcast (self, channel, message, frame_size);
  else if (g_str_equal (message->event, "presence"))
    handle_presence (self, channel, message, frame_size);
  else if (g_str_equal (message->event, "access_token"))
    handle_access_token (self, channel, message);
  else
    {
      g_autofree char *reason = g_strdup_printf ("unknown event: %s", message->event);

      g_info ("socket %" G_GUINT64_FORMAT ": unknown event %s on %s", self->id, message->event, message->topic);
      if (message->ref != NULL)
        reply (self, channel->join_ref, message->ref, message->topic, "error", reason_node (reason));
    }
}

static void
on_message (SoupWebsocketConnection *connection,
            SoupWebsocketDataType    type,
            GBytes                  *data,
            TandemRtSocket          *self)
{
  g_autoptr(TandemMessage) message = NULL;
  g_autoptr(GError) error = NULL;
  gsize size = 0;
  gconstpointer bytes = g_bytes_get_data (data, &size);

  self->last_inbound_usec = g_get_monotonic_time ();
  self->hub->messages_in++;

  if (type == SOUP_WEBSOCKET_DATA_TEXT)
    message = tandem_message_decode_text (self->serializer, bytes, size, &error);
  else if (self->serializer == TANDEM_SERIALIZER_V2)
    message = tandem_message_decode_binary (bytes, size, &error);
  else
    g_set_error_literal (&error, TANDEM_MESSAGE_ERROR, TANDEM_MESSAGE_ERROR_UNSUPPORTED_KIND,
                         "binary frames need vsn=2.0.0");

  if (message == NULL)
    {
      g_info ("socket %" G_GUINT64_FORMAT ": dropping malformed frame (%" G_GSIZE_FORMAT " bytes): %s",
              self->id, size, error->message);
      return;
    }

  g_object_ref (self);
  handle_message (self, message, size);
  g_object_unref (self);
}

static void
on_closed (SoupWebsocketConnection *connection,
           TandemRtSocket          *self)
{
  if (self->closed)
    return;
  self->closed = TRUE;
  g_debug ("socket %" G_GUINT64_FORMAT " closed (code %u)", self->id,
           soup_websocket_connection_get_close_code (connection));

  g_object_ref (self);
  g_clear_handle_id (&self->idle_source, g_source_remove);
  {
    g_autoptr(GList) channels = g_hash_table_get_values (self->channels);

    for (GList *l = channels; l; l = l->next)
      remove_channel (self, l->data);
  }
  tandem_rt_hub_remove_socket (self->hub, self);
  g_object_unref (self);
}

static void
on_error (SoupWebsocketConnection *connection,
          GError                  *error,
          TandemRtSocket          *self)
{
  g_info ("socket %" G_GUINT64_FORMAT ": %s", self->id, error->message);
}

static gboolean
idle_check_cb (gpointer user_data)
{
  TandemRtSocket *self = user_data;
  gint64 idle_usec = g_get_monotonic_time () - self->last_inbound_usec;

  if (idle_usec >= (gint64) self->hub->limits.idle_timeout_ms * 1000)
    {
      g_info ("socket %" G_GUINT64_FORMAT ": no frames for %u ms, closing",
              self->id, self->hub->limits.idle_timeout_ms);
      self->idle_source = 0;
      tandem_rt_socket_close (self, SOUP_WEBSOCKET_CLOSE_NORMAL, "idle timeout");
      return G_SOURCE_REMOVE;
    }
  return G_SOURCE_CONTINUE;
}

void
tandem_rt_socket_close (TandemRtSocket *self,
                        gushort         code,
                        const char     *reason)
{
  if (self->connection == NULL)
    return;
  if (soup_websocket_connection_get_state (self->connection) == SOUP_WEBSOCKET_STATE_OPEN)
    soup_websocket_connection_close (self->connection, code, reason);
}

TandemRtSocket *
tandem_rt_socket_new (TandemRtHub             *hub,
                      SoupWebsocketConnection *connection,
                      TandemSerializer         serializer,
                      const char              *apikey,
                      const char              *peer)
{
  TandemRtSocket *self = g_object_new (TANDEM_TYPE_RT_SOCKET, NULL);
  guint check_ms;

  self->hub = hub;
  self->connection = g_object_ref (connection);
  self->serializer = serializer;
  self->apikey = g_strdup (apikey);
  self->peer = g_strdup (peer);
  self->id = ++hub->next_socket_id;
  self->last_inbound_usec = g_get_monotonic_time ();

  /* Realtime's frames may be as large as its payload limit (3 MB); libsoup
   * would otherwise close at 128 KiB. Cowboy's hard cap is 5 MB. */
  soup_websocket_connection_set_max_incoming_payload_size (connection,
                                                           MAX ((guint64) 5000000,
                                                                (guint64) hub->limits.max_payload_kb * 1000 + 65536));
  /* Our idle timeout replaces libsoup's keepalive pings. */
  soup_websocket_connection_set_keepalive_interval (connection, 0);

  g_signal_connect (connection, "message", G_CALLBACK (on_message), self);
  g_signal_connect (connection, "closed", G_CALLBACK (on_closed), self);
  g_signal_connect (connection, "error", G_CALLBACK (on_error), self);

  check_ms = MAX (50, MIN (hub->limits.idle_timeout_ms / 4, 5000));
  self->idle_source = g_timeout_add (check_ms, idle_check_cb, self);

  return self;
}
