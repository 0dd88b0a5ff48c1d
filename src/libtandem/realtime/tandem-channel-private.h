/* tandem-channel-private.h: shared by the files of TandemChannel
 * (tandem-channel.c: the object, its properties and signals; -subscribe.c:
 * bindings and subscribing; -join.c: the join state machine; -dispatch.c: frames from the server; -send.c: pushes, buffering
 * and pacing) and by the client that owns the channels
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "tandem-batcher-private.h"
#include "tandem-channel.h"
#include "tandem-client-internal.h"
#include "tandem-presence-private.h"
#include "tandem-push-private.h"
#include "tandem-rate-limiter-private.h"

G_BEGIN_DECLS

/* Phoenix's per-channel push buffer (protocol.md §7). */
#define TANDEM_CHANNEL_MAX_BUFFERED      100
/* Realtime's presence limit per channel (§8): 5 calls per 30 s. */
#define TANDEM_PRESENCE_MAX_CALLS        5
#define TANDEM_PRESENCE_WINDOW_MS        30000
/* The health check rejoins channels that stayed in ERROR this long. */
#define TANDEM_CHANNEL_ERROR_RESET_MS    (3 * 60 * 1000)

/* phoenix.js's channel states (CHANNEL_STATES). */
typedef enum
{
  TANDEM_CHANNEL_CLOSED,
  TANDEM_CHANNEL_ERRORED,
  TANDEM_CHANNEL_JOINING,
  TANDEM_CHANNEL_JOINED,
  TANDEM_CHANNEL_LEAVING,
} TandemChannelState;

typedef struct
{
  TandemChangeEvent  event;
  char              *schema;
  char              *table;
  char              *filter;   /* nullable: no "filter" key */
  gint64             id;       /* from the join reply; -1 before */
} TandemPgBinding;

struct _TandemChannel
{
  GObject               parent_instance;

  TandemClient         *client;        /* unowned; NULL once detached */
  TandemClock          *clock;
  char                 *name;
  char                 *topic;
  TandemChannelOptions *options;       /* a private copy */
  TandemPresence       *presence;

  /* The state machine (tandem-channel-join.c). */
  TandemChannelState    state;
  TandemStatus          status;
  gint64                status_since;  /* monotonic µs */
  char                 *last_error;
  gboolean              has_subscribe_state;
  TandemSubscribeState  subscribe_state;
  gboolean              wanted;         /* subscribed and not left or closed */
  gboolean              stopped;        /* no more rejoins until reset (P3) */
  gboolean              joined_once;
  guint                 retries;
  guint                 rejoin_id;
  char                 *join_ref;
  TandemPush           *join_push;      /* also in pending once sent */
  gboolean              join_in_flight; /* join_push sent, reply awaited */
  TandemPush           *leave_push;
  GCancellable         *token_cancellable;
  char                 *system_error;   /* the last system error, for phx_close */
  GPtrArray            *bindings;       /* TandemPgBinding */
  GPtrArray            *subscribe_tasks; /* SubscribeWaiter */

  /* Sending (tandem-channel-send.c). */
  GHashTable           *pending;        /* ref -> TandemPush (owned), waiting for a reply */
  GQueue                broadcasts;     /* TandemPush (owned), not sent yet */
  GQueue                presence_pushes;
  guint64               next_seq;
  guint                 pump_id;
  TandemRateLimiter    *presence_limiter;
  TandemBatcher        *batcher;

  guint64               messages_in;
  guint64               messages_out;
  guint64               bytes_in;
  guint64               bytes_out;

  /* The client's registry (tandem-client-channels.c). */
  guint                 prune_id;
  gint64                idle_since;
  gboolean              unreferenced;   /* only the registry holds it */
};

/* tandem-channel.c */
TandemChannel *_tandem_channel_new                (TandemClient         *client,
                                                   const char           *name,
                                                   TandemChannelOptions *options);
void           _tandem_channel_set_status         (TandemChannel        *self,
                                                   TandemStatus          status,
                                                   const char           *error_text);
void           _tandem_channel_emit_subscribe_state (TandemChannel      *self,
                                                   TandemSubscribeState  state,
                                                   const GError         *error);
/* Unsubscribed and not leaving: nothing keeps it busy. */
gboolean       _tandem_channel_is_idle            (TandemChannel        *self);
/* A user broadcast read in place (see _tandem_connection_set_user_broadcast_func). */
void           _tandem_channel_handle_user_broadcast (TandemChannel      *self,
                                                  const TandemUserBroadcastView *view,
                                                  GBytes               *frame);
/* Whether someone listens to broadcasts of @event (the payload is built
 * only then). */
gboolean       _tandem_channel_has_broadcast_handler (TandemChannel *self,
                                                  const char           *event);
/* The client goes away: everything stops, tasks fail with CLOSED. */
void           _tandem_channel_detach             (TandemChannel        *self);
void           _tandem_channel_emit_broadcast     (TandemChannel        *self,
                                                   const char           *event,
                                                   JsonNode             *payload);
void           _tandem_channel_emit_broadcast_binary (TandemChannel     *self,
                                                   const char           *event,
                                                   GBytes               *payload);
void           _tandem_channel_emit_change        (TandemChannel        *self,
                                                   TandemChange         *change);
void           _tandem_channel_emit_system        (TandemChannel        *self,
                                                   JsonObject           *payload);
const char    *_tandem_status_to_string           (TandemStatus          status);
const char    *_tandem_subscribe_state_to_string  (TandemSubscribeState  state);
JsonObject    *_tandem_channel_dup_debug_info     (TandemChannel        *self);
TandemChannelOptions *_tandem_channel_options_copy (TandemChannelOptions *self);

/* tandem-channel-subscribe.c */
void           _tandem_channel_waiter_free        (gpointer              waiter);
/* Completes every subscribe_async() waiting (TRUE, or @error). */
void           _tandem_channel_complete_waiters   (TandemChannel        *self,
                                                   const GError         *error);

/* tandem-channel-join.c */
void           _tandem_channel_begin_join         (TandemChannel        *self);
void           _tandem_channel_handle_join_reply  (TandemChannel        *self,
                                                   const char           *status,
                                                   JsonNode             *response);
gboolean       _tandem_channel_join_timeout_cb    (gpointer              data);
void           _tandem_channel_handle_leave_done  (TandemChannel        *self);
void           _tandem_channel_handle_server_close (TandemChannel       *self);
void           _tandem_channel_handle_server_error (TandemChannel       *self);
/* A failure the channel may recover from: CHANNEL_ERROR (or TIMED_OUT),
 * then a rejoin on the back-off schedule while the socket is up. */
void           _tandem_channel_schedule_rejoin    (TandemChannel        *self);
void           _tandem_channel_socket_opened      (TandemChannel        *self);
void           _tandem_channel_socket_lost        (TandemChannel        *self,
                                                   const GError         *reason);
/* The client gave up connecting (or was disconnected): the channel shows
 * ERROR (DISCONNECTED) and rejoins when a socket opens again. */
void           _tandem_channel_client_failed      (TandemChannel        *self,
                                                   const char           *reason);
void           _tandem_channel_client_disconnected (TandemChannel       *self);
/* Health check: a channel in ERROR for longer than
 * TANDEM_CHANNEL_ERROR_RESET_MS is reset and rejoined. TRUE if it was. */
gboolean       _tandem_channel_health_check       (TandemChannel        *self,
                                                   gint64                now_us);
/* The token changed: channels that stopped on a refusal try again. */
void           _tandem_channel_token_changed      (TandemChannel        *self);

/* tandem-channel-dispatch.c */
void           _tandem_channel_handle_message     (TandemChannel        *self,
                                                   TandemMessage        *message,
                                                   gsize                 frame_size);

/* tandem-channel-send.c */
/* Queues @push (taking it) and sends what the pace allows. */
void           _tandem_channel_enqueue            (TandemChannel        *self,
                                                   TandemPush           *push);
/* Sends @push now with fresh refs (taking it). Pushes that expect a reply
 * go to the pending table with a timeout. FALSE if it could not be sent
 * (its task has then failed). */
gboolean       _tandem_channel_send_now           (TandemChannel        *self,
                                                   TandemPush           *push);
/* Sends what the queues and the rate limits allow. */
void           _tandem_channel_pump               (TandemChannel        *self);
/* Fails every queued push with @error (TANDEM_CLIENT_ERROR). */
void           _tandem_channel_fail_queued        (TandemChannel        *self,
                                                   const GError         *error);
/* Fails every push waiting for a reply (the socket or channel went away). */
void           _tandem_channel_fail_pending       (TandemChannel        *self,
                                                   const GError         *error);
void           _tandem_channel_handle_reply       (TandemChannel        *self,
                                                   TandemMessage        *message);
void           _tandem_channel_push_access_token  (TandemChannel        *self,
                                                   const char           *token);
guint          _tandem_channel_get_n_queued       (TandemChannel        *self);

G_END_DECLS
