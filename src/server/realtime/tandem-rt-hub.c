/* tandem-rt-hub.c
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

static void
topic_free (TandemRtTopic *topic)
{
  g_free (topic->key);
  g_free (topic->name);
  g_ptr_array_unref (topic->channels);
  tandem_rt_presence_free (topic->presence);
  g_free (topic);
}

TandemRtHub *
tandem_rt_hub_new (const TandemRtLimits *limits,
                   const char           *jwt_secret)
{
  TandemRtHub *hub = g_new0 (TandemRtHub, 1);

  hub->limits = *limits;
  hub->jwt_secret = g_strdup (jwt_secret);
  hub->topics = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify) topic_free);
  hub->sockets = g_hash_table_new_full (NULL, NULL, g_object_unref, NULL);
  tandem_rt_rate_counter_init (&hub->events, 5 * G_USEC_PER_SEC);
  tandem_rt_window_counter_init (&hub->joins, G_USEC_PER_SEC);
  return hub;
}

void
tandem_rt_hub_free (TandemRtHub *hub)
{
  if (hub == NULL)
    return;
  /* Sockets remove their channels (and so the topics) while disposing. */
  g_hash_table_remove_all (hub->sockets);
  g_hash_table_unref (hub->sockets);
  g_hash_table_unref (hub->topics);
  g_free (hub->jwt_secret);
  g_free (hub);
}

void
tandem_rt_hub_set_changes (TandemRtHub     *hub,
                           TandemRtChanges *changes)
{
  hub->changes = changes;
}

TandemRtChanges *
tandem_rt_hub_get_changes (TandemRtHub *hub)
{
  return hub->changes;
}

guint
tandem_rt_hub_get_n_sockets (TandemRtHub *hub)
{
  return g_hash_table_size (hub->sockets);
}

guint
tandem_rt_hub_get_n_channels (TandemRtHub *hub)
{
  GHashTableIter iter;
  gpointer socket;
  guint n = 0;

  g_hash_table_iter_init (&iter, hub->sockets);
  while (g_hash_table_iter_next (&iter, &socket, NULL))
    n += tandem_rt_socket_get_n_channels (socket);
  return n;
}

JsonObject *
tandem_rt_hub_dup_stats (TandemRtHub *hub)
{
  JsonObject *stats = json_object_new ();

  json_object_set_int_member (stats, "connections", tandem_rt_hub_get_n_sockets (hub));
  json_object_set_int_member (stats, "channels", tandem_rt_hub_get_n_channels (hub));
  json_object_set_int_member (stats, "topics", g_hash_table_size (hub->topics));
  json_object_set_int_member (stats, "messages_in", (gint64) hub->messages_in);
  json_object_set_int_member (stats, "messages_out", (gint64) hub->messages_out);
  return stats;
}

void
tandem_rt_hub_shutdown (TandemRtHub *hub)
{
  g_autoptr(GList) sockets = g_hash_table_get_keys (hub->sockets);

  hub->shutting_down = TRUE;
  for (GList *l = sockets; l; l = l->next)
    tandem_rt_socket_close (l->data, SOUP_WEBSOCKET_CLOSE_GOING_AWAY, "server shutting down");
}

static char *
topic_key (const char *name,
           gboolean    is_private)
{
  return g_strconcat (is_private ? "1:" : "0:", name, NULL);
}

TandemRtTopic *
tandem_rt_hub_lookup_topic (TandemRtHub *hub,
                            const char  *name,
                            gboolean     is_private)
{
  g_autofree char *key = topic_key (name, is_private);

  return g_hash_table_lookup (hub->topics, key);
}

TandemRtTopic *
tandem_rt_hub_ensure_topic (TandemRtHub *hub,
                            const char  *name,
                            gboolean     is_private)
{
  TandemRtTopic *topic = tandem_rt_hub_lookup_topic (hub, name, is_private);

  if (topic != NULL)
    return topic;

  topic = g_new0 (TandemRtTopic, 1);
  topic->key = topic_key (name, is_private);
  topic->name = g_strdup (name);
  topic->is_private = is_private;
  topic->channels = g_ptr_array_new ();
  topic->presence = tandem_rt_presence_new ();
  g_hash_table_insert (hub->topics, topic->key, topic);
  return topic;
}

void
tandem_rt_hub_release_topic (TandemRtHub   *hub,
                             TandemRtTopic *topic)
{
  if (topic->channels->len == 0 && tandem_rt_presence_get_n_metas (topic->presence) == 0)
    g_hash_table_remove (hub->topics, topic->key);
}

void
tandem_rt_hub_add_socket (TandemRtHub    *hub,
                          TandemRtSocket *socket)
{
  g_hash_table_add (hub->sockets, socket);
}

void
tandem_rt_hub_remove_socket (TandemRtHub    *hub,
                             TandemRtSocket *socket)
{
  g_hash_table_remove (hub->sockets, socket);
}

gboolean
tandem_rt_hub_count_events (TandemRtHub *hub,
                            guint64      n)
{
  gint64 now = g_get_monotonic_time ();

  if (n > 0)
    tandem_rt_rate_counter_add (&hub->events, now, n);
  return tandem_rt_rate_counter_rate (&hub->events, now) <= hub->limits.max_events_per_second;
}

/* Channels */

TandemRtChannel *
tandem_rt_channel_new (TandemRtSocket *socket,
                       const char     *topic_name,
                       const char     *join_ref)
{
  TandemRtChannel *channel = g_new0 (TandemRtChannel, 1);

  channel->socket = socket;
  channel->topic_name = g_strdup (topic_name);
  channel->join_ref = g_strdup (join_ref);
  return channel;
}

void
tandem_rt_channel_free (TandemRtChannel *channel)
{
  g_clear_handle_id (&channel->expiry_source, g_source_remove);
  g_free (channel->topic_name);
  g_free (channel->join_ref);
  g_free (channel->presence_key);
  g_free (channel->access_token);
  g_clear_pointer (&channel->postgres_changes, json_array_unref);
  g_clear_pointer (&channel->claims, json_object_unref);
  g_free (channel);
}

const char *
tandem_rt_channel_get_sub_topic (TandemRtChannel *channel)
{
  return channel->topic_name + strlen ("realtime:");
}

const char *
tandem_rt_channel_get_role (TandemRtChannel *channel)
{
  if (channel->claims == NULL)
    return "anon";
  return json_object_get_string_member_with_default (channel->claims, "role", "anon");
}

JsonNode *
tandem_rt_reply_payload (const char *status,
                         JsonNode   *response)
{
  JsonObject *payload = json_object_new ();

  json_object_set_string_member (payload, "status", status);
  json_object_set_member (payload, "response", response);
  return tandem_json_node_take_object (payload);
}

JsonNode *
tandem_rt_system_payload (const char *extension,
                          const char *status,
                          const char *message,
                          const char *channel)
{
  JsonObject *payload = json_object_new ();

  json_object_set_string_member (payload, "extension", extension);
  json_object_set_string_member (payload, "status", status);
  json_object_set_string_member (payload, "message", message);
  json_object_set_string_member (payload, "channel", channel);
  return tandem_json_node_take_object (payload);
}

/* Fan-out */

typedef struct
{
  GBytes *forms[2];    /* text frames per serializer */
  GBytes *binary;      /* kind 4, for 2.0.0 */
  gboolean v1_unrepresentable;
} EncodedBroadcast;

static GBytes *
encoded_text (EncodedBroadcast *encoded,
              TandemMessage    *message,
              TandemSerializer  serializer)
{
  if (encoded->forms[serializer] == NULL)
    encoded->forms[serializer] = tandem_message_encode_text (message, serializer, TRUE);
  return encoded->forms[serializer];
}

guint
tandem_rt_hub_broadcast (TandemRtHub     *hub,
                         TandemRtTopic   *topic,
                         TandemMessage   *message,
                         TandemRtChannel *sender)
{
  EncodedBroadcast encoded = { { NULL, NULL }, NULL, FALSE };
  g_autoptr(TandemMessage) outgoing = NULL;
  guint delivered = 0;

  if (topic->channels->len == 0)
    return 0;

  /* Server frames carry the subscriber's topic and no refs. Every channel of
   * a topic joined it under the same name, so one encoding serves all. */
  if (message->is_user_broadcast)
    outgoing = tandem_message_new_user_broadcast (NULL, NULL,
                                                  ((TandemRtChannel *) topic->channels->pdata[0])->topic_name,
                                                  message->user_event, message->user_payload,
                                                  message->user_payload_is_json, NULL);
  else
    outgoing = tandem_message_new (NULL, NULL,
                                   ((TandemRtChannel *) topic->channels->pdata[0])->topic_name,
                                   "broadcast", message->payload);

  for (guint i = 0; i < topic->channels->len; i++)
    {
      TandemRtChannel *channel = g_ptr_array_index (topic->channels, i);
      TandemSerializer serializer;

      if (channel == sender && !channel->broadcast_self)
        continue;

      serializer = tandem_rt_socket_get_serializer (channel->socket);

      if (outgoing->is_user_broadcast && serializer == TANDEM_SERIALIZER_V2)
        {
          if (encoded.binary == NULL)
            {
              g_autoptr(GError) error = NULL;

              encoded.binary = tandem_message_encode_binary (outgoing, TANDEM_BINARY_KIND_USER_BROADCAST, &error);
              if (encoded.binary == NULL)
                {
                  g_info ("broadcast on %s not delivered: %s", topic->name, error->message);
                  break;
                }
            }
          channel->messages_out++;
          tandem_rt_socket_send_frame (channel->socket, encoded.binary, TRUE);
          delivered++;
          continue;
        }

      if (outgoing->is_user_broadcast && outgoing->payload == NULL)
        {
          /* 1.0.0 cannot carry binary payloads: Supabase skips them. */
          if (encoded.v1_unrepresentable || !tandem_message_ensure_payload (outgoing, NULL))
            {
              encoded.v1_unrepresentable = TRUE;
              continue;
            }
        }

      channel->messages_out++;
      tandem_rt_socket_send_frame (channel->socket, encoded_text (&encoded, outgoing, serializer), FALSE);
      delivered++;
    }

  g_clear_pointer (&encoded.forms[0], g_bytes_unref);
  g_clear_pointer (&encoded.forms[1], g_bytes_unref);
  g_clear_pointer (&encoded.binary, g_bytes_unref);
  return delivered;
}

void
tandem_rt_hub_presence_diff (TandemRtHub   *hub,
                             TandemRtTopic *topic,
                             JsonObject    *diff)
{
  g_autoptr(JsonNode) payload = json_node_init_object (json_node_alloc (), diff);
  g_autoptr(TandemMessage) message = NULL;
  EncodedBroadcast encoded = { { NULL, NULL }, NULL, FALSE };

  if (topic->channels->len == 0)
    return;

  message = tandem_message_new (NULL, NULL,
                                ((TandemRtChannel *) topic->channels->pdata[0])->topic_name,
                                "presence_diff", payload);

  for (guint i = 0; i < topic->channels->len; i++)
    {
      TandemRtChannel *channel = g_ptr_array_index (topic->channels, i);
      TandemSerializer serializer = tandem_rt_socket_get_serializer (channel->socket);

      if (!channel->presence_enabled && !tandem_rt_presence_has_owner (topic->presence, channel))
        continue;
      channel->messages_out++;
      tandem_rt_socket_send_frame (channel->socket, encoded_text (&encoded, message, serializer), FALSE);
    }

  g_clear_pointer (&encoded.forms[0], g_bytes_unref);
  g_clear_pointer (&encoded.forms[1], g_bytes_unref);
}
