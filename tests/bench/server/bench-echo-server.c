/* bench-echo-server.c: the libsoup floor for tandem-server's broadcast benchmark
 *
 *   bench-echo-server [--max-seconds N]
 *
 * A bare libsoup WebSocket server on 127.0.0.1 (a free port, printed as
 * "PORT=<n>" on stdout) that does the same fan-out as tandem-server for the
 * benchmark's load and nothing else: the same URL, the same joins (answered
 * with the same v2 phx_reply), heartbeats answered, and every binary kind 3
 * push rewritten to one kind 4 frame (header bytes only, no UTF-8 or JSON
 * validation, no limits, no per-channel state beyond membership) and sent to
 * every connection that joined its topic, the sender included (the benchmark
 * joins with broadcast self:true). What it costs is what libsoup and GLib
 * themselves cost for this fan-out.
 *
 * --extra-timeouts N adds N idle GLib timeout sources to the main context
 * (one per connection and one per channel in tandem-server are its idle
 * check and token expiry timers), to measure what such sources cost the main
 * loop; the default, 0, is the floor.
 *
 * It stops by itself after --max-seconds (default 3600), on SIGINT/SIGTERM,
 * or when its parent dies.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <glib-unix.h>
#include <libsoup/soup.h>

#include "tandem-message.h"

typedef struct
{
  char      *name;
  GPtrArray *peers;   /* Peer, unowned */
} Topic;

typedef struct
{
  SoupWebsocketConnection *ws;
  GPtrArray               *topics;  /* Topic, unowned */
} Peer;

static GHashTable *topics;  /* name -> Topic */
static GMainLoop *loop;

static void
topic_free (Topic *topic)
{
  g_free (topic->name);
  g_ptr_array_unref (topic->peers);
  g_free (topic);
}

static void
send_text (Peer          *peer,
           TandemMessage *message)
{
  g_autoptr(GBytes) frame = tandem_message_encode_text (message, TANDEM_SERIALIZER_V2, TRUE);

  soup_websocket_connection_send_message (peer->ws, SOUP_WEBSOCKET_DATA_TEXT, frame);
}

static void
reply (Peer          *peer,
       TandemMessage *request,
       const char    *join_ref,
       gboolean       with_changes)
{
  g_autoptr(JsonNode) payload = NULL;
  g_autoptr(TandemMessage) message = NULL;
  JsonObject *object = json_object_new ();
  JsonObject *response = json_object_new ();

  if (with_changes)
    json_object_set_array_member (response, "postgres_changes", json_array_new ());
  json_object_set_string_member (object, "status", "ok");
  json_object_set_object_member (object, "response", response);
  payload = json_node_init_object (json_node_alloc (), object);
  json_object_unref (object);
  message = tandem_message_new (join_ref, request->ref, request->topic, "phx_reply", payload);
  send_text (peer, message);
}

static void
leave_topic (Peer  *peer,
             Topic *topic)
{
  g_ptr_array_remove (topic->peers, peer);
  g_ptr_array_remove (peer->topics, topic);
  if (topic->peers->len == 0)
    g_hash_table_remove (topics, topic->name);
}

static void
handle_text (Peer         *peer,
             GBytes       *data)
{
  g_autoptr(TandemMessage) message = NULL;
  gsize size;
  const char *text = g_bytes_get_data (data, &size);
  Topic *topic;

  message = tandem_message_decode_text (TANDEM_SERIALIZER_V2, text, size, NULL);
  if (message == NULL)
    return;

  if (g_str_equal (message->event, "heartbeat"))
    reply (peer, message, NULL, FALSE);
  else if (g_str_equal (message->event, "phx_join"))
    {
      topic = g_hash_table_lookup (topics, message->topic);
      if (topic == NULL)
        {
          topic = g_new0 (Topic, 1);
          topic->name = g_strdup (message->topic);
          topic->peers = g_ptr_array_new ();
          g_hash_table_insert (topics, topic->name, topic);
        }
      if (!g_ptr_array_find (topic->peers, peer, NULL))
        {
          g_ptr_array_add (topic->peers, peer);
          g_ptr_array_add (peer->topics, topic);
        }
      reply (peer, message, message->ref, TRUE);
    }
  else if (g_str_equal (message->event, "phx_leave"))
    {
      topic = g_hash_table_lookup (topics, message->topic);
      if (topic != NULL)
        leave_topic (peer, topic);
      reply (peer, message, message->join_ref, FALSE);
    }
}

/* Kind 3 [3, J, R, T, E, M, enc, join_ref, ref, topic, event, meta, payload]
 * becomes kind 4 [4, T, E, 0, enc, topic, event, payload]. */
static void
handle_binary (Peer   *peer,
               GBytes *data)
{
  gsize size;
  const guint8 *in = g_bytes_get_data (data, &size);
  gsize topic_at, event_at, payload_at, payload_len;
  char name[256];
  Topic *topic;
  guint8 *out;
  gsize out_len;
  g_autoptr(GBytes) frame = NULL;

  if (size < 7 || in[0] != 3)
    return;
  topic_at = 7 + (gsize) in[1] + in[2];
  event_at = topic_at + in[3];
  payload_at = event_at + in[4] + in[5];
  if (payload_at > size)
    return;
  payload_len = size - payload_at;

  memcpy (name, in + topic_at, in[3]);
  name[in[3]] = '\0';
  topic = g_hash_table_lookup (topics, name);
  if (topic == NULL)
    return;

  out_len = 5 + (gsize) in[3] + in[4] + payload_len;
  out = g_malloc (out_len);
  out[0] = 4;
  out[1] = in[3];
  out[2] = in[4];
  out[3] = 0;
  out[4] = in[6];
  memcpy (out + 5, in + topic_at, (gsize) in[3] + in[4]);
  memcpy (out + 5 + in[3] + in[4], in + payload_at, payload_len);
  frame = g_bytes_new_take (out, out_len);

  for (guint i = 0; i < topic->peers->len; i++)
    {
      Peer *to = g_ptr_array_index (topic->peers, i);

      if (soup_websocket_connection_get_state (to->ws) == SOUP_WEBSOCKET_STATE_OPEN)
        soup_websocket_connection_send_message (to->ws, SOUP_WEBSOCKET_DATA_BINARY, frame);
    }
}

static void
on_message (SoupWebsocketConnection *ws,
            SoupWebsocketDataType    type,
            GBytes                  *data,
            Peer                    *peer)
{
  if (type == SOUP_WEBSOCKET_DATA_BINARY)
    handle_binary (peer, data);
  else
    handle_text (peer, data);
}

static void
on_closed (SoupWebsocketConnection *ws,
           Peer                    *peer)
{
  while (peer->topics->len > 0)
    leave_topic (peer, g_ptr_array_index (peer->topics, peer->topics->len - 1));
  g_signal_handlers_disconnect_by_data (ws, peer);
  g_ptr_array_unref (peer->topics);
  g_object_unref (peer->ws);
  g_free (peer);
}

static void
websocket_cb (SoupServer              *server,
              SoupServerMessage       *msg,
              const char              *path,
              SoupWebsocketConnection *connection,
              gpointer                 user_data)
{
  Peer *peer = g_new0 (Peer, 1);

  peer->ws = g_object_ref (connection);
  peer->topics = g_ptr_array_new ();
  /* The same settings tandem-server uses. */
  soup_websocket_connection_set_max_incoming_payload_size (connection, 5000000);
  soup_websocket_connection_set_keepalive_interval (connection, 0);
  g_signal_connect (connection, "message", G_CALLBACK (on_message), peer);
  g_signal_connect (connection, "closed", G_CALLBACK (on_closed), peer);
}

static gboolean
nothing_cb (gpointer user_data)
{
  return G_SOURCE_CONTINUE;
}

static gboolean
quit_cb (gpointer user_data)
{
  g_main_loop_quit (loop);
  return G_SOURCE_REMOVE;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(SoupServer) server = NULL;
  g_autoptr(GInetAddress) address = NULL;
  g_autoptr(GSocketAddress) socket_address = NULL;
  GSList *uris;
  int max_seconds = 3600;
  int extra_timeouts = 0;
  const GOptionEntry entries[] = {
    { "max-seconds", 0, 0, G_OPTION_ARG_INT, &max_seconds, "Stop after this many seconds (default 3600)", "N" },
    { "extra-timeouts", 0, 0, G_OPTION_ARG_INT, &extra_timeouts, "Idle timeout sources to add (default 0)", "N" },
    { NULL }
  };

  prctl (PR_SET_PDEATHSIG, SIGTERM);

  context = g_option_context_new ("— libsoup WebSocket fan-out floor for the server benchmark");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) || max_seconds <= 0 ||
      extra_timeouts < 0 || extra_timeouts > 1000000)
    {
      g_printerr ("bench-echo-server: %s\n", error ? error->message : "an option is out of range");
      return 2;
    }

  topics = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify) topic_free);
  loop = g_main_loop_new (NULL, FALSE);

  server = soup_server_new ("server-header", "bench-echo-server ", NULL);
  soup_server_add_websocket_handler (server, "/realtime/v1/websocket", NULL, NULL, websocket_cb, NULL, NULL);
  address = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  socket_address = g_inet_socket_address_new (address, 0);
  if (!soup_server_listen (server, socket_address, 0, &error))
    {
      g_printerr ("bench-echo-server: cannot listen: %s\n", error->message);
      return 1;
    }
  uris = soup_server_get_uris (server);
  g_print ("PORT=%d\n", g_uri_get_port (uris->data));
  fflush (stdout);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);

  g_unix_signal_add (SIGINT, quit_cb, NULL);
  g_unix_signal_add (SIGTERM, quit_cb, NULL);
  g_timeout_add_seconds ((guint) max_seconds, quit_cb, NULL);
  /* Like tandem-server's: a 5 s check per connection, a far expiry per channel. */
  for (int i = 0; i < extra_timeouts; i++)
    {
      if (i % 3 == 0)
        g_timeout_add (5000, nothing_cb, NULL);
      else
        g_timeout_add_seconds (G_MAXINT32 / 2, nothing_cb, NULL);
    }
  g_main_loop_run (loop);

  soup_server_disconnect (server);
  g_main_loop_unref (loop);
  return 0;
}
