/* wb-proxy.c: a TCP forwarder a test can cut, to take one client offline
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "wb-proxy.h"

struct _WbProxy
{
  GSocketService *service;
  guint           port;
  guint           target_port;
  gboolean        cut;
  GCancellable   *cancellable;   /* of the splices of this connection epoch */
  GPtrArray      *streams;       /* GIOStream, both ends of every pair */
};

static void
splice_done (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_io_stream_splice_finish (result, NULL);
}

static gboolean
on_incoming (GSocketService    *service,
             GSocketConnection *connection,
             GObject           *source,
             WbProxy           *proxy)
{
  g_autoptr(GSocketClient) client = NULL;
  g_autoptr(GSocketConnection) upstream = NULL;
  g_autoptr(GError) error = NULL;

  if (proxy->cut)
    {
      g_io_stream_close (G_IO_STREAM (connection), NULL, NULL);
      return TRUE;
    }
  client = g_socket_client_new ();
  upstream = g_socket_client_connect_to_host (client, "127.0.0.1", proxy->target_port, NULL, &error);
  if (upstream == NULL)
    {
      g_io_stream_close (G_IO_STREAM (connection), NULL, NULL);
      return TRUE;
    }
  g_ptr_array_add (proxy->streams, g_object_ref (connection));
  g_ptr_array_add (proxy->streams, g_object_ref (upstream));
  g_io_stream_splice_async (G_IO_STREAM (connection), G_IO_STREAM (upstream),
                            G_IO_STREAM_SPLICE_CLOSE_STREAM1 | G_IO_STREAM_SPLICE_CLOSE_STREAM2,
                            G_PRIORITY_DEFAULT, proxy->cancellable, splice_done, NULL);
  return TRUE;
}

WbProxy *
wb_proxy_new (guint target_port)
{
  WbProxy *proxy = g_new0 (WbProxy, 1);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) effective = NULL;
  g_autoptr(GError) error = NULL;

  proxy->target_port = target_port;
  proxy->cancellable = g_cancellable_new ();
  proxy->streams = g_ptr_array_new_with_free_func (g_object_unref);
  proxy->service = g_socket_service_new ();
  g_socket_listener_add_address (G_SOCKET_LISTENER (proxy->service), address, G_SOCKET_TYPE_STREAM,
                                 G_SOCKET_PROTOCOL_TCP, NULL, &effective, &error);
  g_assert_no_error (error);
  proxy->port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (effective));
  g_signal_connect (proxy->service, "incoming", G_CALLBACK (on_incoming), proxy);
  g_socket_service_start (proxy->service);
  return proxy;
}

guint
wb_proxy_get_port (WbProxy *proxy)
{
  return proxy->port;
}

static void
close_all (WbProxy *proxy)
{
  g_cancellable_cancel (proxy->cancellable);
  g_clear_object (&proxy->cancellable);
  proxy->cancellable = g_cancellable_new ();
  for (guint i = 0; i < proxy->streams->len; i++)
    g_io_stream_close (proxy->streams->pdata[i], NULL, NULL);
  g_ptr_array_set_size (proxy->streams, 0);
}

void
wb_proxy_cut (WbProxy *proxy)
{
  proxy->cut = TRUE;
  close_all (proxy);
}

void
wb_proxy_restore (WbProxy *proxy)
{
  proxy->cut = FALSE;
}

void
wb_proxy_free (WbProxy *proxy)
{
  if (proxy == NULL)
    return;
  g_socket_service_stop (proxy->service);
  g_socket_listener_close (G_SOCKET_LISTENER (proxy->service));
  close_all (proxy);
  g_object_unref (proxy->service);
  g_object_unref (proxy->cancellable);
  g_ptr_array_unref (proxy->streams);
  g_free (proxy);
}
