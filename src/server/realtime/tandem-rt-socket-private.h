/* tandem-rt-socket-private.h: shared by tandem-rt-socket.c (the connection)
 * and tandem-rt-socket-channels.c (its channels)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "tandem-json-util.h"
#include "tandem-rt-private.h"

G_BEGIN_DECLS

struct _TandemRtSocket
{
  GObject                  parent_instance;

  TandemRtHub             *hub;         /* unowned: the hub owns us */
  SoupWebsocketConnection *connection;
  TandemSerializer         serializer;
  char                    *apikey;
  char                    *peer;
  guint64                  id;
  GHashTable              *channels;    /* topic name -> TandemRtChannel (owned) */
  gint64                   last_inbound_usec;
  guint                    idle_source;
  gboolean                 closed;
};

/* tandem-rt-socket.c */
void      tandem_rt_socket_send_new              (TandemRtSocket  *self,
                                                  const char      *join_ref,
                                                  const char      *ref,
                                                  const char      *topic,
                                                  const char      *event,
                                                  JsonNode        *payload);
/* A phx_reply with {"status": @status, "response": @response (taken)}. */
void      tandem_rt_socket_reply                 (TandemRtSocket  *self,
                                                  const char      *join_ref,
                                                  const char      *ref,
                                                  const char      *topic,
                                                  const char      *status,
                                                  JsonNode        *response);
void      tandem_rt_socket_reply_ok              (TandemRtSocket  *self,
                                                  TandemMessage   *message);
void      tandem_rt_socket_reply_unmatched       (TandemRtSocket  *self,
                                                  TandemMessage   *message);
JsonNode *tandem_rt_empty_object_node            (void);
JsonNode *tandem_rt_reason_node                  (const char      *reason);

/* tandem-rt-socket-channels.c */
void      tandem_rt_socket_remove_channel        (TandemRtSocket  *self,
                                                  TandemRtChannel *channel);
void      tandem_rt_socket_handle_join           (TandemRtSocket  *self,
                                                  TandemMessage   *message);
void      tandem_rt_socket_handle_leave          (TandemRtSocket  *self,
                                                  TandemRtChannel *channel,
                                                  TandemMessage   *message);
void      tandem_rt_socket_handle_broadcast      (TandemRtSocket  *self,
                                                  TandemRtChannel *channel,
                                                  TandemMessage   *message,
                                                  gsize            frame_size);
void      tandem_rt_socket_handle_presence       (TandemRtSocket  *self,
                                                  TandemRtChannel *channel,
                                                  TandemMessage   *message,
                                                  gsize            frame_size);
void      tandem_rt_socket_handle_access_token   (TandemRtSocket  *self,
                                                  TandemRtChannel *channel,
                                                  TandemMessage   *message);

G_END_DECLS
