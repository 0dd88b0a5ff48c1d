/* tandem-connection-private.h: the Realtime WebSocket of a TandemClient
 *
 * TandemConnection owns the socket and everything that is per socket rather
 * than per channel: the ref counter, heartbeats and their round trip, the
 * reconnection schedule (tandem-backoff-private.h), rapid-close detection,
 * decoding frames and dropping malformed ones. It knows nothing about
 * channels: it reports "opened" and "lost" (signals) and each decoded message
 * (a callback), and the client routes them.
 *
 * Every timer goes through the TandemClock given at construction.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <libsoup/soup.h>

#include "tandem-client.h"
#include "tandem-clock-private.h"
#include "tandem-message.h"

G_BEGIN_DECLS

#define TANDEM_TYPE_CONNECTION (tandem_connection_get_type ())
G_DECLARE_FINAL_TYPE (TandemConnection, tandem_connection, TANDEM, CONNECTION, GObject)

/* @url: ws(s)://…/realtime/v1/websocket?apikey=…&vsn=…; @display_url the
 * same without the key (logs, debug info). @max_message_size bounds frames
 * in both directions: larger outgoing ones are refused with
 * TANDEM_CLIENT_ERROR_PAYLOAD_TOO_LARGE, larger incoming ones dropped (and
 * beyond twice that libsoup closes the connection, so a broken server cannot
 * make us buffer without bound). @handshake_timeout_ms bounds the upgrade. */
TandemConnection *_tandem_connection_new                (SoupSession          *session,
                                                         const char           *url,
                                                         const char           *display_url,
                                                         TandemSerializer      serializer,
                                                         TandemClock          *clock,
                                                         guint                 heartbeat_interval_ms,
                                                         guint                 handshake_timeout_ms,
                                                         guint64               max_message_size);
/* Only while disconnected (tests replace the clock after construction). */
void              _tandem_connection_set_clock          (TandemConnection     *self,
                                                         TandemClock          *clock);

/* Each decoded frame for a channel topic goes to @func (a plain call rather
 * than a signal: it runs for every message received, and a signal emission
 * through the generic marshaller costs more than decoding the frame). */
typedef void (*TandemConnectionMessageFunc) (TandemConnection *connection,
                                             TandemMessage    *message,
                                             guint64           frame_size,
                                             gpointer          user_data);
void              _tandem_connection_set_message_func   (TandemConnection           *self,
                                                         TandemConnectionMessageFunc func,
                                                         gpointer                    user_data);
/* Server user broadcasts (binary kind 4, protocol 2.0.0), the bulk of what a
 * busy channel receives, go to @func read in place (no TandemMessage is
 * made); @frame holds @view's bytes. Without it they reach the message
 * func like any other frame. */
typedef void (*TandemConnectionUserBroadcastFunc) (TandemConnection              *connection,
                                                   const TandemUserBroadcastView *view,
                                                   GBytes                        *frame,
                                                   gpointer                       user_data);
void              _tandem_connection_set_user_broadcast_func (TandemConnection                 *self,
                                                         TandemConnectionUserBroadcastFunc func,
                                                         gpointer                          user_data);

/* Wants the connection up: opens it unless it is open or being opened. */
void              _tandem_connection_connect            (TandemConnection     *self);
/* Closes cleanly and stops retrying (status DISCONNECTED). */
void              _tandem_connection_disconnect         (TandemConnection     *self);
/* Resets the retry count, the rapid-close history and the heartbeat, then
 * tries at once: an open socket is dropped and opened again (it may be
 * dead after a suspend or a network change), a scheduled retry is run now,
 * an attempt under way is left to finish. */
void              _tandem_connection_reconnect_now      (TandemConnection     *self);

gboolean          _tandem_connection_is_open            (TandemConnection     *self);
TandemStatus      _tandem_connection_get_status         (TandemConnection     *self);
TandemSerializer  _tandem_connection_get_serializer     (TandemConnection     *self);

/* The next ref: decimal, from one counter per client, wrapping to "0". */
char             *_tandem_connection_make_ref           (TandemConnection     *self);

/* Encodes @message (binary kind 3 for a user broadcast on 2.0.0, text
 * otherwise) and sends it. FALSE with TANDEM_CLIENT_ERROR_NOT_JOINED when
 * the socket is not open, INVALID_ARGUMENT when the message cannot be
 * encoded (a binary payload on 1.0.0, a header field over 255 bytes),
 * PAYLOAD_TOO_LARGE over the size limit. @frame_size gets the bytes sent. */
gboolean          _tandem_connection_send               (TandemConnection     *self,
                                                         const TandemMessage  *message,
                                                         gsize                *frame_size,
                                                         GError              **error);
/* Diagnostics. */
guint             _tandem_connection_get_retries        (TandemConnection     *self);
/* Milliseconds until the scheduled attempt, or -1. */
gint64            _tandem_connection_get_next_attempt_ms (TandemConnection    *self);
/* Milliseconds, or -1 before the first reply. */
gint64            _tandem_connection_get_heartbeat_rtt  (TandemConnection     *self);
/* Real time (µs since the epoch) of the current open, or 0. */
gint64            _tandem_connection_get_connected_since (TandemConnection    *self);
const char       *_tandem_connection_get_display_url    (TandemConnection     *self);
const char       *_tandem_connection_get_last_error     (TandemConnection     *self);
void              _tandem_connection_get_counters       (TandemConnection     *self,
                                                         guint64              *messages_in,
                                                         guint64              *messages_out,
                                                         guint64              *bytes_in,
                                                         guint64              *bytes_out);

G_END_DECLS
