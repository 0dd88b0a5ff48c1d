/* tandem-rt-socket-channels.c: what a socket does for its channels: joins
 * (with Supabase's checks and error texts), leaves, broadcasts, presence,
 * token refreshes and expiry
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tandem-realtime"

#include "config.h"

#include <string.h>

#include "tandem-json-util.h"
#include "tandem-jwt.h"
#include "tandem-rt-changes.h"
#include "tandem-rt-socket-private.h"

/* An error reply to a join, sent after Supabase's delay. */
typedef struct
{
  TandemRtSocket *socket;
  char           *join_ref;
  char           *topic;
  char           *reason;
} DelayedJoinError;

/* Channels */

void
tandem_rt_socket_remove_channel (TandemRtSocket  *self,
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
  g_autoptr(JsonNode) payload = tandem_rt_empty_object_node ();

  tandem_rt_socket_send_new (self, channel->join_ref, channel->join_ref, channel->topic_name, "phx_close", payload);
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
  tandem_rt_socket_remove_channel (self, channel);
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
    tandem_rt_socket_reply (delayed->socket, delayed->join_ref, delayed->join_ref, delayed->topic,
           "error", tandem_rt_reason_node (delayed->reason));
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
  const char *token = tandem_json_string_member (payload, "access_token");

  if (token == NULL)
    token = tandem_json_string_member (payload, "user_token");
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

void
tandem_rt_socket_handle_join (TandemRtSocket *self,
             TandemMessage  *message)
{
  TandemRtHub *hub = self->hub;
  JsonObject *payload = tandem_message_get_payload_object (message);
  JsonObject *config = tandem_json_object_member (payload, "config");
  JsonObject *broadcast = tandem_json_object_member (config, "broadcast");
  JsonObject *presence = tandem_json_object_member (config, "presence");
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
      tandem_rt_socket_reply_unmatched (self, message);
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
      tandem_rt_socket_reply (self, message->ref, message->ref, message->topic, "error",
             tandem_rt_reason_node ("ClientJoinRateLimitReached: Too many joins per second"));
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
      tandem_rt_socket_remove_channel (self, existing);
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
  tandem_rt_socket_reply (self, channel->join_ref, message->ref, message->topic, "ok",
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

void
tandem_rt_socket_handle_leave (TandemRtSocket  *self,
              TandemRtChannel *channel,
              TandemMessage   *message)
{
  tandem_rt_socket_reply_ok (self, message);
  send_phx_close (self, channel);
  tandem_rt_socket_remove_channel (self, channel);
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

void
tandem_rt_socket_handle_broadcast (TandemRtSocket  *self,
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
        tandem_rt_socket_reply (self, channel->join_ref, message->ref, message->topic, "error",
               json_node_init_string (json_node_alloc (), "payload_size_exceeded"));
      return;
    }

  if (!message->is_user_broadcast && tandem_message_get_payload_object (message) == NULL)
    {
      if (message->ref != NULL)
        tandem_rt_socket_reply (self, channel->join_ref, message->ref, message->topic, "error",
               tandem_rt_reason_node ("broadcast payload must be an object"));
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
    tandem_rt_socket_reply (self, channel->join_ref, message->ref, message->topic, "ok", tandem_rt_empty_object_node ());
}

void
tandem_rt_socket_handle_presence (TandemRtSocket  *self,
                 TandemRtChannel *channel,
                 TandemMessage   *message,
                 gsize            frame_size)
{
  JsonObject *payload = tandem_message_get_payload_object (message);
  const char *event = tandem_json_string_member (payload, "event");
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
      JsonObject *meta = tandem_json_object_member (payload, "payload");

      if (meta == NULL)
        {
          tandem_rt_socket_reply (self, channel->join_ref, message->ref, message->topic, "error",
                 tandem_rt_reason_node ("Presence track payload must be a map"));
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
      tandem_rt_socket_reply (self, channel->join_ref, message->ref, message->topic, "error", tandem_rt_empty_object_node ());
      return;
    }

  tandem_rt_socket_reply_ok (self, message);
  /* A track turns presence on for a channel that joined without it, and
   * the channel gets the state first, as Realtime's maybe_sync_presence. */
  if (event != NULL && g_ascii_strcasecmp (event, "track") == 0 && !channel->presence_enabled)
    {
      channel->presence_enabled = TRUE;
      send_presence_state (self, channel);
    }
  if (diff != NULL)
    tandem_rt_hub_presence_diff (self->hub, topic, diff);
}

void
tandem_rt_socket_handle_access_token (TandemRtSocket  *self,
                     TandemRtChannel *channel,
                     TandemMessage   *message)
{
  JsonObject *payload = tandem_message_get_payload_object (message);
  const char *token = tandem_json_string_member (payload, "access_token");
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

