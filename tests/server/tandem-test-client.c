/* tandem-test-client.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "tandem-test-client.h"
#include "tandem-test-utils.h"

static void
on_message (SoupWebsocketConnection *ws,
            SoupWebsocketDataType    type,
            GBytes                  *data,
            TestClient              *client)
{
  g_autoptr(GError) error = NULL;
  gsize size = 0;
  gconstpointer bytes = g_bytes_get_data (data, &size);
  TandemMessage *message;

  if (type == SOUP_WEBSOCKET_DATA_BINARY)
    {
      g_ptr_array_add (client->binary_frames, g_bytes_ref (data));
      message = tandem_message_decode_binary (bytes, size, &error);
    }
  else
    message = tandem_message_decode_text (client->serializer, bytes, size, &error);

  if (message == NULL)
    g_error ("the server sent a frame we cannot decode: %s", error->message);
  g_ptr_array_add (client->received, message);
}

static void
on_closed (SoupWebsocketConnection *ws,
           TestClient              *client)
{
  client->closed = TRUE;
  client->close_code = soup_websocket_connection_get_close_code (ws);
}

static void
connected_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  GError **error_out = ((gpointer *) user_data)[0];
  SoupWebsocketConnection **ws_out = ((gpointer *) user_data)[1];
  gboolean *done = ((gpointer *) user_data)[2];

  *ws_out = soup_session_websocket_connect_finish (SOUP_SESSION (source), result, error_out);
  *done = TRUE;
}

TestClient *
test_client_new (const char       *ws_url,
                 const char       *apikey,
                 TandemSerializer  serializer)
{
  TestClient *client = g_new0 (TestClient, 1);
  g_autofree char *escaped = g_uri_escape_string (apikey, NULL, TRUE);
  g_autofree char *url = g_strdup_printf ("%s?apikey=%s&vsn=%s", ws_url, escaped,
                                          tandem_serializer_to_vsn (serializer));
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", url);
  g_autoptr(GError) error = NULL;
  gboolean done = FALSE;
  gpointer data[3] = { &error, &client->ws, &done };

  client->session = soup_session_new ();
  client->serializer = serializer;
  client->received = g_ptr_array_new_with_free_func ((GDestroyNotify) tandem_message_free);
  client->binary_frames = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  client->next_ref = 1;

  soup_session_websocket_connect_async (client->session, msg, NULL, NULL, G_PRIORITY_DEFAULT, NULL,
                                        connected_cb, data);
  TANDEM_WAIT_UNTIL (done);
  g_assert_no_error (error);
  g_assert_nonnull (client->ws);

  soup_websocket_connection_set_max_incoming_payload_size (client->ws, 8 * 1024 * 1024);
  g_signal_connect (client->ws, "message", G_CALLBACK (on_message), client);
  g_signal_connect (client->ws, "closed", G_CALLBACK (on_closed), client);
  return client;
}

void
test_client_free (TestClient *client)
{
  if (client->ws != NULL)
    {
      g_signal_handlers_disconnect_by_data (client->ws, client);
      if (soup_websocket_connection_get_state (client->ws) == SOUP_WEBSOCKET_STATE_OPEN)
        soup_websocket_connection_close (client->ws, SOUP_WEBSOCKET_CLOSE_NORMAL, NULL);
      g_clear_object (&client->ws);
    }
  g_clear_object (&client->session);
  g_ptr_array_unref (client->received);
  g_ptr_array_unref (client->binary_frames);
  g_free (client);
}

void
test_client_send_text (TestClient *client,
                       const char *text)
{
  g_autoptr(GBytes) bytes = g_bytes_new (text, strlen (text));

  /* not send_text(): tests send invalid UTF-8 on purpose */
  g_assert_false (client->closed);
  soup_websocket_connection_send_message (client->ws, SOUP_WEBSOCKET_DATA_TEXT, bytes);
}

void
test_client_send_binary (TestClient *client,
                         GBytes     *bytes)
{
  g_assert_false (client->closed);
  soup_websocket_connection_send_message (client->ws, SOUP_WEBSOCKET_DATA_BINARY, bytes);
}

char *
test_client_push (TestClient *client,
                  const char *join_ref,
                  const char *topic,
                  const char *event,
                  const char *payload_json)
{
  g_autoptr(JsonNode) payload = json_from_string (payload_json, NULL);
  g_autoptr(TandemMessage) message = NULL;
  g_autoptr(GBytes) frame = NULL;
  char *ref = g_strdup_printf ("%u", client->next_ref++);

  g_assert_nonnull (payload);
  message = tandem_message_new (join_ref, ref, topic, event, payload);
  frame = tandem_message_encode_text (message, client->serializer, FALSE);
  soup_websocket_connection_send_message (client->ws, SOUP_WEBSOCKET_DATA_TEXT, frame);
  return ref;
}

static TandemMessage *
find_reply (TestClient *client,
            const char *ref)
{
  for (guint i = 0; i < client->received->len; i++)
    {
      TandemMessage *message = g_ptr_array_index (client->received, i);

      if (g_str_equal (message->event, "phx_reply") && g_strcmp0 (message->ref, ref) == 0)
        return message;
    }
  return NULL;
}

TandemMessage *
test_client_wait_reply (TestClient *client,
                        const char *ref)
{
  TANDEM_WAIT_UNTIL (find_reply (client, ref) != NULL || client->closed);
  g_assert_nonnull (find_reply (client, ref));
  return find_reply (client, ref);
}

static TandemMessage *
find_event (TestClient *client,
            const char *topic,
            const char *event,
            gboolean    take)
{
  for (guint i = client->consumed; i < client->received->len; i++)
    {
      TandemMessage *message = g_ptr_array_index (client->received, i);

      if (g_str_equal (message->topic, topic) && g_str_equal (message->event, event))
        {
          if (take)
            {
              /* Move it before the consumed mark, keeping the others. */
              g_ptr_array_steal_index (client->received, i);
              g_ptr_array_insert (client->received, client->consumed, message);
              client->consumed++;
            }
          return message;
        }
    }
  return NULL;
}

TandemMessage *
test_client_wait_event (TestClient *client,
                        const char *topic,
                        const char *event)
{
  TANDEM_WAIT_UNTIL (find_event (client, topic, event, FALSE) != NULL || client->closed);
  if (find_event (client, topic, event, FALSE) == NULL)
    g_error ("connection closed while waiting for %s on %s", event, topic);
  return find_event (client, topic, event, TRUE);
}

guint
test_client_count_events (TestClient *client,
                          const char *topic,
                          const char *event)
{
  guint n = 0;

  for (guint i = 0; i < client->received->len; i++)
    {
      TandemMessage *message = g_ptr_array_index (client->received, i);

      if (g_str_equal (message->topic, topic) && g_str_equal (message->event, event))
        n++;
    }
  return n;
}

void
test_client_wait_closed (TestClient *client)
{
  TANDEM_WAIT_UNTIL (client->closed);
}

TandemMessage *
test_client_join (TestClient *client,
                  const char *topic,
                  const char *config_json,
                  const char *access_token)
{
  g_autofree char *payload = NULL;
  g_autofree char *ref = NULL;

  if (access_token != NULL)
    payload = g_strdup_printf ("{\"config\":%s,\"access_token\":\"%s\"}", config_json, access_token);
  else
    payload = g_strdup_printf ("{\"config\":%s}", config_json);
  ref = g_strdup_printf ("%u", client->next_ref);
  g_free (test_client_push (client, ref, topic, "phx_join", payload));
  return test_client_wait_reply (client, ref);
}

const char *
test_reply_status (TandemMessage *reply)
{
  return json_object_get_string_member (json_node_get_object (reply->payload), "status");
}

JsonNode *
test_reply_response (TandemMessage *reply)
{
  return json_object_get_member (json_node_get_object (reply->payload), "response");
}
