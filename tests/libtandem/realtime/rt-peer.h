/* rt-peer.h: a scripted Realtime server for the client's unit tests
 *
 * A SoupServer on 127.0.0.1:0 that accepts WebSocket upgrades on
 * /realtime/v1/websocket and does nothing by itself: the test reads the
 * frames the client sends and writes the frames it wants, including ones
 * the real server never sends. Every wait is bounded (TANDEM_WAIT_UNTIL)
 * and iterates the main context, where the client's I/O runs too.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <libsoup/soup.h>

#include "tandem-message.h"

G_BEGIN_DECLS

typedef struct _RtPeer RtPeer;

typedef struct
{
  SoupWebsocketDataType  type;
  GBytes                *data;
  TandemMessage         *message; /* decoded; NULL if it does not decode */
} RtFrame;

typedef struct
{
  RtPeer                  *peer;
  SoupWebsocketConnection *ws;
  TandemSerializer         serializer;
  char                    *query;
  GQueue                   frames;   /* RtFrame */
  gboolean                 closed;
  gushort                  close_code;
} RtConn;

struct _RtPeer
{
  SoupServer *server;
  guint       port;
  char       *url;          /* http://127.0.0.1:PORT */
  GPtrArray  *conns;        /* RtConn */
  guint       refuse;       /* refuse this many upgrades (401) */
  gboolean    hold;         /* leave upgrades unanswered */
  GPtrArray  *held;         /* SoupServerMessage */
  guint       n_upgrades;   /* requests seen, refused or not */
};

RtPeer        *rt_peer_new                (void);
void           rt_peer_free               (RtPeer        *peer);

/* Waits for connection number @index (0-based). */
RtConn        *rt_peer_wait_conn          (RtPeer        *peer,
                                           guint          index);
RtConn        *rt_peer_last_conn          (RtPeer        *peer);

void           rt_frame_free              (RtFrame       *frame);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RtFrame, rt_frame_free)

/* Waits for the next frame the client sent on @conn. */
RtFrame       *rt_conn_next_frame         (RtConn        *conn);
/* The next frame, decoded (asserts it decodes). */
TandemMessage *rt_conn_next_message       (RtConn        *conn);
/* The next frame, asserted to be @event on @topic. */
TandemMessage *rt_conn_expect             (RtConn        *conn,
                                           const char    *topic,
                                           const char    *event);
/* The next frame's bytes as text (for byte-exact checks). */
char          *rt_conn_next_text          (RtConn        *conn);
/* Asserts nothing arrived (after letting I/O run for a moment). */
void           rt_conn_assert_quiet       (RtConn        *conn);
guint          rt_conn_n_pending          (RtConn        *conn);

void           rt_conn_send_text          (RtConn        *conn,
                                           const char    *text);
void           rt_conn_send_binary        (RtConn        *conn,
                                           const void    *data,
                                           gsize          length);
/* Encodes for @conn's serializer as the server does. @payload_json is JSON
 * text (NULL for {}). */
void           rt_conn_send               (RtConn        *conn,
                                           const char    *join_ref,
                                           const char    *ref,
                                           const char    *topic,
                                           const char    *event,
                                           const char    *payload_json);
/* phx_reply to @message with {"status": @status, "response": @response}. */
void           rt_conn_reply              (RtConn        *conn,
                                           TandemMessage *message,
                                           const char    *status,
                                           const char    *response_json);
/* Waits for a phx_join on @topic and answers ok, echoing postgres_changes
 * with ids 1000, 1001, … Returns the join (owned by the caller). */
TandemMessage *rt_conn_accept_join        (RtConn        *conn,
                                           const char    *topic);
void           rt_conn_close              (RtConn        *conn,
                                           gushort        code);
void           rt_conn_wait_closed        (RtConn        *conn);

G_END_DECLS
