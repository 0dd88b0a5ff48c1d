/* tandem-client-internal.h: shared by the files of TandemClient
 * (tandem-client.c: construction, properties, tokens, REST; -realtime.c: the
 * connection, its health and what wakes it; -channels.c: the registry) and
 * by TandemChannel. The rest of libtandem uses tandem-client-private.h.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "tandem-auth.h"
#include "tandem-client-private.h"
#include "tandem-connection-private.h"
#include "tandem-rate-limiter-private.h"

G_BEGIN_DECLS

/* Defaults of the tunables (see the properties in tandem-client.c). */
#define TANDEM_CLIENT_DEFAULT_HEARTBEAT_MS     25000
#define TANDEM_CLIENT_DEFAULT_PUSH_TIMEOUT_MS  10000
#define TANDEM_CLIENT_DEFAULT_MAX_MESSAGE_SIZE 5000000
#define TANDEM_CLIENT_DEFAULT_MAX_CHANNELS     10
#define TANDEM_CLIENT_DEFAULT_EVENTS_PER_SEC   100
/* The health check runs this often. */
#define TANDEM_CLIENT_HEALTH_INTERVAL_MS       60000
/* Unused, unsubscribed channels are kept this long for reuse. */
#define TANDEM_CLIENT_PRUNE_AFTER_MS           (5 * 60 * 1000)

struct _TandemClient
{
  GObject                parent_instance;

  char                  *url;           /* no trailing slash */
  char                  *api_key;
  char                  *rest_url;
  char                  *auth_url;
  char                  *realtime_url;
  TandemProtocolVersion  protocol_version;
  char                  *access_token;  /* set by the caller; nullable */

  SoupSession           *session;
  TandemAuth            *auth;
  TandemClock           *clock;

  guint                  heartbeat_interval_ms;
  guint                  push_timeout_ms;
  guint64                max_message_size;
  guint                  max_channels;
  guint                  events_per_second;

  /* tandem-client-realtime.c */
  TandemConnection      *connection;
  TandemStatus           status;        /* the connection's, as a property */
  gint64                 heartbeat_rtt_ms;
  char                  *last_token;    /* what joins carry and channels were given */
  guint                  health_id;
  gboolean               system_integration;
  gboolean               integration_started;
  GNetworkMonitor       *network_monitor;
  gboolean               network_available;
  GDBusConnection       *system_bus;
  guint                  sleep_subscription;
  GCancellable          *cancellable;
  TandemRateLimiter     *events_limiter;

  /* tandem-client-channels.c */
  GHashTable            *channels_by_name;  /* name -> TandemChannel (the toggle ref) */
  GHashTable            *channels_by_topic; /* topic -> TandemChannel (unowned) */
  GListModel            *channel_list;
};

/* tandem-client.c */
void              _tandem_client_notify_status        (TandemClient  *self);
void              _tandem_client_notify_heartbeat_rtt (TandemClient  *self);
void              _tandem_client_emit_channel_status  (TandemClient  *self,
                                                       TandemChannel *channel,
                                                       TandemStatus   old_status,
                                                       TandemStatus   new_status);

/* tandem-client-realtime.c */
void              _tandem_client_realtime_init        (TandemClient  *self);
void              _tandem_client_realtime_dispose     (TandemClient  *self);
TandemConnection *_tandem_client_get_connection       (TandemClient  *self);
/* Lazy connect: a subscription wants the socket. */
void              _tandem_client_ensure_connected     (TandemClient  *self);
TandemRateLimiter *_tandem_client_get_events_limiter  (TandemClient  *self);
gboolean          _tandem_client_is_signed_in         (TandemClient  *self);
/* The token for a join: refreshed first when signed in and close to
 * expiry, else tandem_client_get_access_token(). Never fails: an error
 * refreshing falls back to the current token (the server decides). */
void              _tandem_client_fetch_token_async    (TandemClient        *self,
                                                       GCancellable        *cancellable,
                                                       GAsyncReadyCallback  callback,
                                                       gpointer             user_data);
char             *_tandem_client_fetch_token_finish   (TandemClient        *self,
                                                       GAsyncResult        *result,
                                                       GError             **error);

/* tandem-client-channels.c */
void              _tandem_client_channels_init        (TandemClient  *self);
void              _tandem_client_channels_dispose     (TandemClient  *self);
TandemChannel    *_tandem_client_lookup_topic         (TandemClient  *self,
                                                       const char    *topic);
/* A snapshot of the channels, each referenced. */
GPtrArray        *_tandem_client_dup_channels         (TandemClient  *self);
/* A channel became idle or busy: (re)arms or cancels its prune timer. */
void              _tandem_client_channel_idle_changed (TandemClient  *self,
                                                       TandemChannel *channel);

G_END_DECLS
