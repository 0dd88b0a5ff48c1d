/* tandem-rt-socket.h: one Realtime WebSocket connection
 *
 * Decodes each frame, answers heartbeats, runs joins, leaves, broadcasts,
 * presence and token refreshes for its channels, and closes itself after the
 * idle timeout without inbound frames (server-to-client traffic does not
 * count, as in Phoenix).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "tandem-message.h"
#include "tandem-rt-types.h"

G_BEGIN_DECLS

#define TANDEM_TYPE_RT_SOCKET (tandem_rt_socket_get_type ())
G_DECLARE_FINAL_TYPE (TandemRtSocket, tandem_rt_socket, TANDEM, RT_SOCKET, GObject)

TandemRtSocket  *tandem_rt_socket_new            (TandemRtHub             *hub,
                                                  SoupWebsocketConnection *connection,
                                                  TandemSerializer         serializer,
                                                  const char              *apikey,
                                                  const char              *peer);
guint64          tandem_rt_socket_get_id         (TandemRtSocket  *self);
TandemSerializer tandem_rt_socket_get_serializer (TandemRtSocket  *self);
const char      *tandem_rt_socket_get_apikey     (TandemRtSocket  *self);

/* Encodes @message in this socket's serializer and sends it. */
void             tandem_rt_socket_send           (TandemRtSocket  *self,
                                                  TandemMessage   *message);
/* Sends an already encoded frame (shared between subscribers). */
void             tandem_rt_socket_send_frame     (TandemRtSocket  *self,
                                                  GBytes          *frame,
                                                  gboolean         binary);
/* A server push on @channel: [join_ref, null, topic, event, payload]. */
void             tandem_rt_socket_push           (TandemRtSocket  *self,
                                                  TandemRtChannel *channel,
                                                  const char      *event,
                                                  JsonNode        *payload);
/* system error @message, then phx_close, then the channel is gone. */
void             tandem_rt_socket_shutdown_channel (TandemRtSocket *self,
                                                  TandemRtChannel *channel,
                                                  const char      *message);
void             tandem_rt_socket_close          (TandemRtSocket  *self,
                                                  gushort          code,
                                                  const char      *reason);
guint            tandem_rt_socket_get_n_channels (TandemRtSocket  *self);

G_END_DECLS
