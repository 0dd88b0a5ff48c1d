/* rt-peer.c: a scripted Realtime server for the client's unit tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "rt-peer.h"
#include "tandem-test-utils.h"

void
rt_frame_free (RtFrame *frame)
{
  if (frame == NULL)
    return;
  g_bytes_unref (frame->data);
  g_clear_pointer (&frame->message, tandem_message_free);
  g_free (frame);
}

static void
conn_free (RtConn *conn)
{
  if (conn->ws != NULL)
    {
      g_signal_handlers_disconnect_by_data (conn->ws, conn);
      if (soup_websocket_connection_get_state (conn->ws) == SOUP_WEBSOCKET_STATE_OPEN)
        soup_websocket_connection_close (conn->ws, SOUP_WEBSOCKET_CLOSE_GOING_AWAY, NULL);
      g_clear_object (&conn->ws);
    }
  g_queue_clear_full (&conn->frames, (GDestroyNotify) rt_frame_free);
  g_free (conn->query);
  g_free (conn);
}

static void
on_message (SoupWebsocketConnection *ws,
            SoupWebsocketDataType    type,
            GBytes                  *data,
            RtConn                  *conn)
{
  RtFrame *frame = g_new0 (RtFrame, 1);
  gsize size = 0;
  const guint8 *bytes = g_bytes_get_data (data, &size);

  frame->type = type;
  frame->data = g_bytes_ref (data);
  if (type == SOUP_WEBSOCKET_DATA_TEXT)
    frame->message = tandem_message_decode_text (conn->serializer, (const char *) bytes, size, NULL);
  else
    frame->message = tandem_message_decode_binary (bytes, size, NULL);
  g_queue_push_tail (&conn->frames, frame);
}

static void
on_closed (SoupWebsocketConnection *ws,
           RtConn                  *conn)
{
  conn->closed = TRUE;
  conn->close_code = soup_websocket_connection_get_close_code (ws);
}

static void
early_cb (SoupServer        *server,
          SoupServerMessage *msg,
          const char        *path,
          GHashTable        *query,
          gpointer           user_data)
{
  RtPeer *peer = user_data;

  peer->n_upgrades++;
  if (peer->refuse > 0)
    {
      const char *body = "{\"error\":\"refused by the test\"}";

      peer->refuse--;
      soup_server_message_set_status (msg, SOUP_STATUS_UNAUTHORIZED, NULL);
      soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_STATIC, body, strlen (body));
      return;
    }
  if (peer->hold)
    {
      soup_server_message_pause (msg);
      g_ptr_array_add (peer->held, g_object_ref (msg));
    }
}

static void
websocket_cb (SoupServer              *server,
              SoupServerMessage       *msg,
              const char              *path,
              SoupWebsocketConnection *ws,
              gpointer                 user_data)
{
  RtPeer *peer = user_data;
  RtConn *conn = g_new0 (RtConn, 1);
  const char *query = g_uri_get_query (soup_server_message_get_uri (msg));

  conn->peer = peer;
  /* libsoup drops the connection when the handler returns unless it is
   * referenced (platform-notes §5). */
  conn->ws = g_object_ref (ws);
  conn->query = g_strdup (query);
  conn->serializer = query && strstr (query, "vsn=1.0.0") ? TANDEM_SERIALIZER_V1 : TANDEM_SERIALIZER_V2;
  g_queue_init (&conn->frames);
  soup_websocket_connection_set_max_incoming_payload_size (ws, 0);
  soup_websocket_connection_set_keepalive_interval (ws, 0);
  g_signal_connect (ws, "message", G_CALLBACK (on_message), conn);
  g_signal_connect (ws, "closed", G_CALLBACK (on_closed), conn);
  g_ptr_array_add (peer->conns, conn);
}

RtPeer *
rt_peer_new (void)
{
  RtPeer *peer = g_new0 (RtPeer, 1);
  g_autoptr(GError) error = NULL;
  GSList *uris;

  peer->conns = g_ptr_array_new_with_free_func ((GDestroyNotify) conn_free);
  peer->held = g_ptr_array_new_with_free_func (g_object_unref);
  peer->server = soup_server_new ("server-header", "rt-peer", NULL);
  soup_server_add_early_handler (peer->server, "/realtime/v1/websocket", early_cb, peer, NULL);
  soup_server_add_websocket_handler (peer->server, "/realtime/v1/websocket", NULL, NULL, websocket_cb, peer, NULL);
  soup_server_listen_local (peer->server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error);
  g_assert_no_error (error);
  uris = soup_server_get_uris (peer->server);
  peer->port = g_uri_get_port (uris->data);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  peer->url = g_strdup_printf ("http://127.0.0.1:%u", peer->port);
  return peer;
}

void
rt_peer_free (RtPeer *peer)
{
  for (guint i = 0; i < peer->held->len; i++)
    {
      soup_server_message_set_status (peer->held->pdata[i], SOUP_STATUS_SERVICE_UNAVAILABLE, NULL);
      soup_server_message_unpause (peer->held->pdata[i]);
    }
  g_ptr_array_unref (peer->held);
  g_ptr_array_unref (peer->conns);
  soup_server_disconnect (peer->server);
  g_object_unref (peer->server);
  /* Let the closes go out. */
  for (guint i = 0; i < 10; i++)
    g_main_context_iteration (NULL, FALSE);
  g_free (peer->url);
  g_free (peer);
}

RtConn *
rt_peer_wait_conn (RtPeer *peer,
                   guint   index)
{
  TANDEM_WAIT_UNTIL (peer->conns->len > index);
  return peer->conns->pdata[index];
}

RtConn *
rt_peer_last_conn (RtPeer *peer)
{
  g_assert_cmpuint (peer->conns->len, >, 0);
  return peer->conns->pdata[peer->conns->len - 1];
}

RtFrame *
rt_conn_next_frame (RtConn *conn)
{
  TANDEM_WAIT_UNTIL (!g_queue_is_empty (&conn->frames));
  return g_queue_pop_head (&conn->frames);
}

TandemMessage *
rt_conn_next_message (RtConn *conn)
{
  g_autoptr(RtFrame) frame = rt_conn_next_frame (conn);

  if (frame->message == NULL)
    g_error ("the client sent a frame that does not decode: %.*s", (int) g_bytes_get_size (frame->data),
             (const char *) g_bytes_get_data (frame->data, NULL));
  return g_steal_pointer (&frame->message);
}

TandemMessage *
rt_conn_expect (RtConn     *conn,
                const char *topic,
                const char *event)
{
  TandemMessage *message = rt_conn_next_message (conn);

  if (g_strcmp0 (message->topic, topic) != 0 || g_strcmp0 (message->event, event) != 0)
    g_error ("expected %s on %s, got %s on %s", event, topic, message->event, message->topic);
  return message;
}

char *
rt_conn_next_text (RtConn *conn)
{
  g_autoptr(RtFrame) frame = rt_conn_next_frame (conn);
  gsize size = 0;
  const char *data = g_bytes_get_data (frame->data, &size);

  return g_strndup (data, size);
}

void
rt_conn_assert_quiet (RtConn *conn)
{
  /* A negative check: it can only miss a late frame, never fail on time. */
  for (guint i = 0; i < 20; i++)
    g_main_context_iteration (NULL, FALSE);
  tandem_test_run_for (20);
  if (!g_queue_is_empty (&conn->frames))
    {
      RtFrame *frame = g_queue_peek_head (&conn->frames);

      g_error ("expected no frame, got %.*s", (int) g_bytes_get_size (frame->data),
               (const char *) g_bytes_get_data (frame->data, NULL));
    }
}

guint
rt_conn_n_pending (RtConn *conn)
{
  return conn->frames.length;
}

void
rt_conn_send_text (RtConn     *conn,
                   const char *text)
{
  soup_websocket_connection_send_text (conn->ws, text);
}

void
rt_conn_send_binary (RtConn     *conn,
                     const void *data,
                     gsize       length)
{
  soup_websocket_connection_send_binary (conn->ws, data, length);
}

void
rt_conn_send (RtConn     *conn,
              const char *join_ref,
              const char *ref,
              const char *topic,
              const char *event,
              const char *payload_json)
{
  g_autoptr(JsonNode) payload = json_from_string (payload_json ? payload_json : "{}", NULL);
  g_autoptr(TandemMessage) message = NULL;
  g_autoptr(GBytes) frame = NULL;

  g_assert_nonnull (payload);
  message = tandem_message_new (join_ref, ref, topic, event, payload);
  frame = tandem_message_encode_text (message, conn->serializer, TRUE);
  soup_websocket_connection_send_message (conn->ws, SOUP_WEBSOCKET_DATA_TEXT, frame);
}

void
rt_conn_reply (RtConn        *conn,
               TandemMessage *message,
               const char    *status,
               const char    *response_json)
{
  g_autofree char *payload = g_strdup_printf ("{\"status\":\"%s\",\"response\":%s}", status,
                                              response_json ? response_json : "{}");
  const char *join_ref = message->join_ref;

  /* phx_join's reply carries the new join_ref. */
  if (g_strcmp0 (message->event, "phx_join") == 0)
    join_ref = message->ref;
  rt_conn_send (conn, join_ref, message->ref, message->topic, "phx_reply", payload);
}

TandemMessage *
rt_conn_accept_join (RtConn     *conn,
                     const char *topic)
{
  TandemMessage *join = rt_conn_expect (conn, topic, "phx_join");
  JsonObject *payload = tandem_message_get_payload_object (join);
  JsonObject *config = json_object_get_object_member (payload, "config");
  JsonArray *bindings = json_object_get_array_member (config, "postgres_changes");
  g_autoptr(JsonArray) echo = json_array_new ();
  g_autoptr(JsonNode) echo_node = NULL;
  g_autofree char *echo_text = NULL;
  g_autofree char *response = NULL;

  g_assert_cmpstr (join->ref, ==, join->join_ref);
  for (guint i = 0; i < json_array_get_length (bindings); i++)
    {
      JsonObject *entry = json_object_ref (json_array_get_object_element (bindings, i));
      g_autoptr(JsonObject) copy = json_object_new ();
      g_autoptr(GList) members = json_object_get_members (entry);

      for (GList *l = members; l; l = l->next)
        json_object_set_member (copy, l->data, json_node_copy (json_object_get_member (entry, l->data)));
      json_object_set_int_member (copy, "id", 1000 + i);
      json_array_add_object_element (echo, g_steal_pointer (&copy));
      json_object_unref (entry);
    }
  echo_node = json_node_init_array (json_node_alloc (), echo);
  echo_text = json_to_string (echo_node, FALSE);
  response = g_strdup_printf ("{\"postgres_changes\":%s}", echo_text);
  rt_conn_reply (conn, join, "ok", response);
  return join;
}

void
rt_conn_close (RtConn  *conn,
               gushort  code)
{
  soup_websocket_connection_close (conn->ws, code, NULL);
}

void
rt_conn_wait_closed (RtConn *conn)
{
  TANDEM_WAIT_UNTIL (conn->closed);
}
