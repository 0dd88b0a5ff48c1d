/* http-test-util.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "http-test-util.h"

typedef struct
{
  guint  status;
  char  *body;
  char  *header_name;
  char  *header_value;
} ScriptReply;

struct _ScriptServer
{
  SoupServer    *server;
  char          *url;
  guint          port;
  GQueue         replies;   /* ScriptReply * */
  GPtrArray     *requests;  /* ScriptRequest * */
  ScriptHandler  handler;
  gpointer       handler_data;
};

static void
reply_free (ScriptReply *reply)
{
  g_free (reply->body);
  g_free (reply->header_name);
  g_free (reply->header_value);
  g_free (reply);
}

static void
request_free (ScriptRequest *request)
{
  g_free (request->method);
  g_free (request->path);
  g_free (request->query);
  soup_message_headers_unref (request->headers);
  g_free (request->body);
  g_free (request);
}

static void
handle_cb (SoupServer        *soup_server,
           SoupServerMessage *msg,
           const char        *path,
           GHashTable        *query,
           gpointer           user_data)
{
  ScriptServer *self = user_data;
  ScriptRequest *request = g_new0 (ScriptRequest, 1);
  SoupMessageBody *body = soup_server_message_get_request_body (msg);
  g_autoptr(GBytes) bytes = soup_message_body_flatten (body);
  SoupMessageHeaders *in = soup_server_message_get_request_headers (msg);
  SoupMessageHeadersIter iter;
  const char *name, *value;
  ScriptReply *reply;

  request->method = g_strdup (soup_server_message_get_method (msg));
  request->path = g_strdup (path);
  request->query = g_strdup (g_uri_get_query (soup_server_message_get_uri (msg)));
  request->headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_REQUEST);
  soup_message_headers_iter_init (&iter, in);
  while (soup_message_headers_iter_next (&iter, &name, &value))
    soup_message_headers_append (request->headers, name, value);
  request->body = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  g_ptr_array_add (self->requests, request);

  reply = g_queue_pop_head (&self->replies);
  if (reply != NULL)
    {
      soup_server_message_set_status (msg, reply->status, NULL);
      if (reply->body != NULL)
        soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY, reply->body,
                                          strlen (reply->body));
      if (reply->header_name != NULL)
        soup_message_headers_replace (soup_server_message_get_response_headers (msg), reply->header_name,
                                      reply->header_value);
      reply_free (reply);
      return;
    }
  if (self->handler != NULL)
    {
      self->handler (self, request, msg, self->handler_data);
      return;
    }
  soup_server_message_set_status (msg, 599, "No reply scripted");
}

static void
listen_on (ScriptServer *self,
           guint         port)
{
  g_autoptr(GError) error = NULL;
  GSList *uris;

  soup_server_listen_local (self->server, port, SOUP_SERVER_LISTEN_IPV4_ONLY, &error);
  g_assert_no_error (error);
  uris = soup_server_get_uris (self->server);
  g_assert_nonnull (uris);
  self->port = g_uri_get_port (uris->data);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
}

ScriptServer *
script_server_new (void)
{
  ScriptServer *self = g_new0 (ScriptServer, 1);

  self->server = soup_server_new ("server-header", "script/1", NULL);
  self->requests = g_ptr_array_new_with_free_func ((GDestroyNotify) request_free);
  g_queue_init (&self->replies);
  soup_server_add_handler (self->server, NULL, handle_cb, self, NULL);
  listen_on (self, 0);
  self->url = g_strdup_printf ("http://127.0.0.1:%u", self->port);
  return self;
}

void
script_server_free (ScriptServer *self)
{
  soup_server_disconnect (self->server);
  g_object_unref (self->server);
  g_queue_clear_full (&self->replies, (GDestroyNotify) reply_free);
  g_ptr_array_unref (self->requests);
  g_free (self->url);
  g_free (self);
}

const char *
script_server_get_url (ScriptServer *self)
{
  return self->url;
}

void
script_server_push (ScriptServer *self,
                    guint         status,
                    const char   *body,
                    const char   *header_name,
                    const char   *header_value)
{
  ScriptReply *reply = g_new0 (ScriptReply, 1);

  reply->status = status;
  reply->body = g_strdup (body);
  reply->header_name = g_strdup (header_name);
  reply->header_value = g_strdup (header_value);
  g_queue_push_tail (&self->replies, reply);
}

void
script_server_set_handler (ScriptServer  *self,
                           ScriptHandler  handler,
                           gpointer       user_data)
{
  self->handler = handler;
  self->handler_data = user_data;
}

void
script_server_set_down (ScriptServer *self,
                        gboolean      down)
{
  if (down)
    soup_server_disconnect (self->server);
  else
    listen_on (self, self->port);
}

GPtrArray *
script_server_get_requests (ScriptServer *self)
{
  return self->requests;
}

guint
script_server_count (ScriptServer *self,
                     const char   *path)
{
  guint count = 0;

  for (guint i = 0; i < self->requests->len; i++)
    {
      ScriptRequest *request = self->requests->pdata[i];

      if (path == NULL || g_str_equal (request->path, path))
        count++;
    }
  return count;
}

ScriptRequest *
script_server_last (ScriptServer *self)
{
  g_assert_cmpuint (self->requests->len, >, 0);
  return self->requests->pdata[self->requests->len - 1];
}

void
script_server_clear (ScriptServer *self)
{
  g_ptr_array_set_size (self->requests, 0);
}

JsonNode *
script_request_json (ScriptRequest *request)
{
  g_autoptr(GError) error = NULL;
  JsonNode *node = json_from_string (request->body, &error);

  g_assert_no_error (error);
  g_assert_nonnull (node);
  return node;
}

void
http_test_result_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  GAsyncResult **slot = user_data;

  g_assert_null (*slot);
  *slot = g_object_ref (result);
}

GAsyncResult *
http_test_await (GAsyncResult **slot)
{
  TANDEM_WAIT_UNTIL (*slot != NULL);
  return *slot;
}

void
http_test_settle (void)
{
  /* Lets loopback requests that are on their way land; a bound, not a
   * measurement: the checks after it hold however long it is. */
  tandem_test_run_for (100);
}
