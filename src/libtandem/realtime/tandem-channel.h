/* tandem-channel.h: one Realtime channel, its subscription as signals
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#if !defined(TANDEM_INSIDE) && !defined(TANDEM_COMPILATION)
# error "Only <tandem.h> can be included directly."
#endif

#include <gio/gio.h>

#include "tandem-types.h"

G_BEGIN_DECLS

/* ---- TandemChannelOptions: the join configuration (boxed, refcounted) ---- */

#define TANDEM_TYPE_CHANNEL_OPTIONS (tandem_channel_options_get_type ())
TANDEM_EXPORT
GType                 tandem_channel_options_get_type            (void) G_GNUC_CONST;
TANDEM_EXPORT
TandemChannelOptions *tandem_channel_options_new                 (void);
TANDEM_EXPORT
TandemChannelOptions *tandem_channel_options_ref                 (TandemChannelOptions *self);
TANDEM_EXPORT
void                  tandem_channel_options_unref               (TandemChannelOptions *self);
/* Receive one's own broadcasts (default FALSE). */
TANDEM_EXPORT
void                  tandem_channel_options_set_broadcast_self  (TandemChannelOptions *self,
                                                                  gboolean              self_);
/* Ask the server to acknowledge each broadcast (default FALSE). */
TANDEM_EXPORT
void                  tandem_channel_options_set_broadcast_ack   (TandemChannelOptions *self,
                                                                  gboolean              ack);
/* The presence key (default: the server generates one). */
TANDEM_EXPORT
void                  tandem_channel_options_set_presence_key    (TandemChannelOptions *self,
                                                                  const char           *key);
/* Receive presence even without tracking (default TRUE). */
TANDEM_EXPORT
void                  tandem_channel_options_set_presence_enabled (TandemChannelOptions *self,
                                                                  gboolean              enabled);
/* A private (RLS-authorised) channel (default FALSE). */
TANDEM_EXPORT
void                  tandem_channel_options_set_private         (TandemChannelOptions *self,
                                                                  gboolean              is_private);
TANDEM_EXPORT
gboolean              tandem_channel_options_get_broadcast_self  (TandemChannelOptions *self);
TANDEM_EXPORT
gboolean              tandem_channel_options_get_broadcast_ack   (TandemChannelOptions *self);
TANDEM_EXPORT
const char           *tandem_channel_options_get_presence_key    (TandemChannelOptions *self);
TANDEM_EXPORT
gboolean              tandem_channel_options_get_presence_enabled (TandemChannelOptions *self);
TANDEM_EXPORT
gboolean              tandem_channel_options_get_private         (TandemChannelOptions *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TandemChannelOptions, tandem_channel_options_unref)

/* ---- TandemChannel ---- */

#define TANDEM_TYPE_CHANNEL (tandem_channel_get_type ())
TANDEM_EXPORT
G_DECLARE_FINAL_TYPE (TandemChannel, tandem_channel, TANDEM, CHANNEL, GObject)

TANDEM_EXPORT
const char     *tandem_channel_get_name              (TandemChannel      *self);
TANDEM_EXPORT
const char     *tandem_channel_get_topic             (TandemChannel      *self);
TANDEM_EXPORT
TandemClient   *tandem_channel_get_client            (TandemChannel      *self);
TANDEM_EXPORT
TandemStatus    tandem_channel_get_status            (TandemChannel      *self);
TANDEM_EXPORT
const char     *tandem_channel_get_last_error        (TandemChannel      *self);
TANDEM_EXPORT
TandemPresence *tandem_channel_get_presence          (TandemChannel      *self);

/* postgres_changes bindings, added before subscribing; one call per table
 * (several tables on one channel: call it several times). @filter is
 * validated here (GError in TANDEM_CLIENT_ERROR_INVALID_ARGUMENT). Matching
 * changes are emitted as #TandemChannel::postgres-change. */
TANDEM_EXPORT
gboolean        tandem_channel_add_postgres_changes  (TandemChannel      *self,
                                                      TandemChangeEvent   event,
                                                      const char         *schema,
                                                      const char         *table,
                                                      const char         *filter,
                                                      GError            **error);

TANDEM_EXPORT
void            tandem_channel_subscribe             (TandemChannel      *self);
TANDEM_EXPORT
void            tandem_channel_subscribe_async       (TandemChannel      *self,
                                                      GCancellable       *cancellable,
                                                      GAsyncReadyCallback callback,
                                                      gpointer            user_data);
TANDEM_EXPORT
gboolean        tandem_channel_subscribe_finish      (TandemChannel      *self,
                                                      GAsyncResult       *result,
                                                      GError            **error);
TANDEM_EXPORT
void            tandem_channel_unsubscribe           (TandemChannel      *self);

/* Broadcast. @payload is any JSON (an object, usually). Completes when the
 * message is on the wire, or, with broadcast ack, when the server
 * acknowledged it. */
TANDEM_EXPORT
void            tandem_channel_send_broadcast_async  (TandemChannel      *self,
                                                      const char         *event,
                                                      JsonNode           *payload,
                                                      GCancellable       *cancellable,
                                                      GAsyncReadyCallback callback,
                                                      gpointer            user_data);
TANDEM_EXPORT
gboolean        tandem_channel_send_broadcast_finish (TandemChannel      *self,
                                                      GAsyncResult       *result,
                                                      GError            **error);
/* A binary payload (protocol 2.0.0 only). */
TANDEM_EXPORT
void            tandem_channel_send_broadcast_bytes_async (TandemChannel *self,
                                                      const char         *event,
                                                      GBytes             *payload,
                                                      GCancellable       *cancellable,
                                                      GAsyncReadyCallback callback,
                                                      gpointer            user_data);
TANDEM_EXPORT
gboolean        tandem_channel_send_broadcast_bytes_finish (TandemChannel *self,
                                                      GAsyncResult       *result,
                                                      GError            **error);
/* Fire and forget, coalesced by the batcher: at most one message per 100 ms
 * or per 10 queued broadcasts (for pointers and pen points). */
TANDEM_EXPORT
void            tandem_channel_queue_broadcast       (TandemChannel      *self,
                                                      const char         *event,
                                                      JsonNode           *payload);

/* Presence. @state is this client's meta (a JSON object). */
TANDEM_EXPORT
void            tandem_channel_track_async           (TandemChannel      *self,
                                                      JsonObject         *state,
                                                      GCancellable       *cancellable,
                                                      GAsyncReadyCallback callback,
                                                      gpointer            user_data);
TANDEM_EXPORT
gboolean        tandem_channel_track_finish          (TandemChannel      *self,
                                                      GAsyncResult       *result,
                                                      GError            **error);
TANDEM_EXPORT
void            tandem_channel_untrack_async         (TandemChannel      *self,
                                                      GCancellable       *cancellable,
                                                      GAsyncReadyCallback callback,
                                                      gpointer            user_data);
TANDEM_EXPORT
gboolean        tandem_channel_untrack_finish        (TandemChannel      *self,
                                                      GAsyncResult       *result,
                                                      GError            **error);

G_END_DECLS
