/* tandem-rt-socket.c: the connection: sending, frame dispatch, idle timeout
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tandem-realtime"

#include "config.h"

#include <string.h>

#include "tandem-json-util.h"
#include "tandem-rt-socket-private.h"

G_DEFINE_FINAL_TYPE (TandemRtSocket, tandem_rt_socket, G_TYPE_OBJECT)

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
        tandem_rt_socket_remove_channel (self, l->data);
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

void
tandem_rt_socket_send_new (TandemRtSocket *self,
          const char     *join_ref,
          const char     *ref,
          const char     *topic,
          const char     *event,
          JsonNode       *payload)
{
  g_autoptr(TandemMessage) message = tandem_message_new (join_ref, ref, topic, event, payload);

  tandem_rt_socket_send (self, message);
}

void
tandem_rt_socket_reply (TandemRtSocket *self,
       const char     *join_ref,
       const char     *ref,
       const char     *topic,
       const char     *status,
       JsonNode       *response)
{
  g_autoptr(JsonNode) payload = tandem_rt_reply_payload (status, response);

  tandem_rt_socket_send_new (self, join_ref, ref, topic, "phx_reply", payload);
}

JsonNode *
tandem_rt_empty_object_node (void)
{
  return tandem_json_node_take_object (json_object_new ());
}

JsonNode *
tandem_rt_reason_node (const char *reason)
{
  JsonObject *object = json_object_new ();

  json_object_set_string_member (object, "reason", reason);
  return tandem_json_node_take_object (object);
}

void
tandem_rt_socket_reply_ok (TandemRtSocket *self,
          TandemMessage  *message)
{
  tandem_rt_socket_reply (self, message->join_ref, message->ref, message->topic, "ok", tandem_rt_empty_object_node ());
}

void
tandem_rt_socket_reply_unmatched (TandemRtSocket *self,
                 TandemMessage  *message)
{
  tandem_rt_socket_reply (self, NULL, message->ref, message->topic, "error", tandem_rt_reason_node ("unmatched topic"));
}

void
tandem_rt_socket_push (TandemRtSocket  *self,
                       TandemRtChannel *channel,
                       const char      *event,
                       JsonNode        *payload)
{
  channel->messages_out++;
  tandem_rt_socket_send_new (self, channel->join_ref, NULL, channel->topic_name, event, payload);
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
        tandem_rt_socket_reply (self, NULL, message->ref, "phoenix", "ok", tandem_rt_empty_object_node ());
      else
        tandem_rt_socket_reply_unmatched (self, message);
      return;
    }

  if (g_str_equal (message->event, "phx_join"))
    {
      tandem_rt_socket_handle_join (self, message);
      return;
    }

  channel = g_hash_table_lookup (self->channels, message->topic);
  if (channel == NULL ||
      (message->join_ref != NULL && g_strcmp0 (message->join_ref, channel->join_ref) != 0))
    {
      /* Phoenix answers a leave for an unknown topic with ok. */
      if (g_str_equal (message->event, "phx_leave"))
        tandem_rt_socket_reply (self, message->join_ref, message->ref, message->topic, "ok", tandem_rt_empty_object_node ());
      else
        tandem_rt_socket_reply_unmatched (self, message);
      return;
    }

  channel->messages_in++;

  if (g_str_equal (message->event, "phx_leave"))
    tandem_rt_socket_handle_leave (self, channel, message);
  else if (g_str_equal (message->event, "broadcast"))
    tandem_rt_socket_handle_broadcast (self, channel, message, frame_size);
  else if (g_str_equal (message->event, "presence"))
    tandem_rt_socket_handle_presence (self, channel, message, frame_size);
  else if (g_str_equal (message->event, "access_token"))
    tandem_rt_socket_handle_access_token (self, channel, message);
  else
    {
      g_autofree char *reason = g_strdup_printf ("unknown event: %s", message->event);

      g_info ("socket %" G_GUINT64_FORMAT ": unknown event %s on %s", self->id, message->event, message->topic);
      if (message->ref != NULL)
        tandem_rt_socket_reply (self, channel->join_ref, message->ref, message->topic, "error", tandem_rt_reason_node (reason));
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
      tandem_rt_socket_remove_channel (self, l->data);
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
