/* tandem-client-realtime.c: the client's Realtime connection: routing its
 * frames to channels, its health check, tokens, and what wakes it up
 * (network changes, resuming from suspend)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "tandem-channel-private.h"
#include "tandem-client-internal.h"
#include "tandem-enums.h"
#include "tandem-json-util.h"

/* Connection events, for every channel */

static void
on_connection_status (TandemConnection *connection,
                      GParamSpec       *pspec,
                      TandemClient     *self)
{
  TandemStatus status = _tandem_connection_get_status (connection);

  if (status == self->status)
    return;
  self->status = status;
  _tandem_client_notify_status (self);

  if (status == TANDEM_STATUS_ERROR)
    {
      g_autoptr(GPtrArray) channels = _tandem_client_dup_channels (self);
      const char *last = _tandem_connection_get_last_error (connection);
      g_autofree char *reason = g_strdup_printf ("the connection failed after %u retries: %s",
                                                 _tandem_connection_get_retries (connection),
                                                 last ? last : "unknown error");

      for (guint i = 0; i < channels->len; i++)
        _tandem_channel_client_failed (channels->pdata[i], reason);
    }
}

static void
on_connection_rtt (TandemConnection *connection,
                   GParamSpec       *pspec,
                   TandemClient     *self)
{
  self->heartbeat_rtt_ms = _tandem_connection_get_heartbeat_rtt (connection);
  _tandem_client_notify_heartbeat_rtt (self);
}

static void
on_connection_opened (TandemConnection *connection,
                      TandemClient     *self)
{
  g_autoptr(GPtrArray) channels = _tandem_client_dup_channels (self);

  for (guint i = 0; i < channels->len; i++)
    _tandem_channel_socket_opened (channels->pdata[i]);
}

static void
on_connection_lost (TandemConnection *connection,
                    GError           *reason,
                    TandemClient     *self)
{
  g_autoptr(GPtrArray) channels = _tandem_client_dup_channels (self);
  gboolean disconnected = _tandem_connection_get_status (connection) == TANDEM_STATUS_DISCONNECTED;

  for (guint i = 0; i < channels->len; i++)
    {
      if (disconnected)
        _tandem_channel_client_disconnected (channels->pdata[i]);
      else
        _tandem_channel_socket_lost (channels->pdata[i], reason);
    }
}

static void
on_connection_message (TandemConnection *connection,
                       TandemMessage    *message,
                       guint64           frame_size,
                       gpointer          user_data)
{
  TandemClient *self = user_data;
  TandemChannel *channel = _tandem_client_lookup_topic (self, message->topic);

  if (channel == NULL)
    {
      g_debug ("realtime: dropping %s for unknown topic %s", message->event, message->topic);
      return;
    }
  g_object_ref (channel);
  _tandem_channel_handle_message (channel, message, frame_size);
  g_object_unref (channel);
}

/* Read in place: the topic and event are at most 255 bytes (kind 4's
 * one-byte lengths), so they fit on the stack. */
static void
on_connection_user_broadcast (TandemConnection              *connection,
                              const TandemUserBroadcastView *view,
                              GBytes                        *frame,
                              gpointer                       user_data)
{
  TandemClient *self = user_data;
  char topic[256];
  TandemChannel *channel;

  memcpy (topic, view->topic, view->topic_len);
  topic[view->topic_len] = '\0';
  channel = _tandem_client_lookup_topic (self, topic);
  if (channel == NULL)
    {
      g_debug ("realtime: dropping a broadcast for unknown topic %s", topic);
      return;
    }
  g_object_ref (channel);
  _tandem_channel_handle_user_broadcast (channel, view, frame);
  g_object_unref (channel);
}

/* The health check */

static gboolean
health_cb (gpointer data)
{
  TandemClient *self = data;
  g_autoptr(GPtrArray) channels = _tandem_client_dup_channels (self);
  gint64 now = tandem_clock_get_monotonic_time (self->clock);

  if (self->status == TANDEM_STATUS_ERROR)
    {
      g_debug ("realtime: health check: the connection is in error, trying again");
      _tandem_connection_connect (self->connection);
    }
  for (guint i = 0; i < channels->len; i++)
    _tandem_channel_health_check (channels->pdata[i], now);
  return G_SOURCE_CONTINUE;
}

static void
ensure_health_check (TandemClient *self)
{
  if (self->health_id == 0)
    self->health_id = tandem_clock_add_timeout (self->clock, TANDEM_CLIENT_HEALTH_INTERVAL_MS,
                                                health_cb, self, NULL);
}

/* What wakes the connection */

void
_tandem_client_network_changed (TandemClient *self,
                                gboolean      available)
{
  g_return_if_fail (TANDEM_IS_CLIENT (self));

  self->network_available = available;
  /* Unavailable: the heartbeat notices a dead socket; nothing to try. */
  if (!available || self->status == TANDEM_STATUS_DISCONNECTED)
    return;
  /* Back, or different: the socket may be dead without knowing it, and a
   * retry scheduled minutes away should not wait. */
  g_debug ("realtime: the network changed, reconnecting now");
  tandem_client_reconnect_now (self);
}

void
_tandem_client_resumed (TandemClient *self)
{
  g_return_if_fail (TANDEM_IS_CLIENT (self));

  if (self->status == TANDEM_STATUS_DISCONNECTED)
    return;
  /* Heartbeats stopped while asleep and the server dropped us long ago. */
  g_debug ("realtime: resumed from suspend, reconnecting now");
  tandem_client_reconnect_now (self);
}

static void
on_network_changed (GNetworkMonitor *monitor,
                    gboolean         available,
                    TandemClient    *self)
{
  _tandem_client_network_changed (self, available);
}

static void
on_prepare_for_sleep (GDBusConnection *connection,
                      const char      *sender_name,
                      const char      *object_path,
                      const char      *interface_name,
                      const char      *signal_name,
                      GVariant        *parameters,
                      gpointer         user_data)
{
  gboolean sleeping = TRUE;

  if (!g_variant_is_of_type (parameters, G_VARIANT_TYPE ("(b)")))
    return;
  g_variant_get (parameters, "(b)", &sleeping);
  if (!sleeping)
    _tandem_client_resumed (TANDEM_CLIENT (user_data));
}

static void
system_bus_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  GDBusConnection *bus = g_bus_get_finish (result, &error);
  TandemClient *self;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self = TANDEM_CLIENT (user_data);
  if (bus == NULL)
    {
      /* Best effort: containers and CI have no system bus. */
      g_debug ("realtime: no system bus, not following suspend: %s", error->message);
      return;
    }
  self->system_bus = bus;
  self->sleep_subscription =
    g_dbus_connection_signal_subscribe (bus, "org.freedesktop.login1", "org.freedesktop.login1.Manager",
                                        "PrepareForSleep", "/org/freedesktop/login1", NULL,
                                        G_DBUS_SIGNAL_FLAGS_NONE, on_prepare_for_sleep, self, NULL);
}

static void
start_system_integration (TandemClient *self)
{
  if (self->integration_started || !self->system_integration)
    return;
  self->integration_started = TRUE;

  self->network_monitor = g_object_ref (g_network_monitor_get_default ());
  self->network_available = g_network_monitor_get_network_available (self->network_monitor);
  g_signal_connect_object (self->network_monitor, "network-changed", G_CALLBACK (on_network_changed),
                           self, 0);
  g_bus_get (G_BUS_TYPE_SYSTEM, self->cancellable, system_bus_cb, self);
}

void
_tandem_client_set_system_integration (TandemClient *self,
                                       gboolean      enabled)
{
  g_return_if_fail (TANDEM_IS_CLIENT (self));
  g_return_if_fail (!self->integration_started);
  self->system_integration = enabled;
}

/* Tokens */

static void
access_token_changed (TandemClient *self)
{
  const char *token = tandem_client_get_access_token (self);
  g_autoptr(GPtrArray) channels = NULL;

  if (g_strcmp0 (token, self->last_token) == 0)
    return;
  g_free (self->last_token);
  self->last_token = g_strdup (token);

  /* As realtime-js's setAuth: joined channels get the token in band (no
   * reply, P11); the others join with it (joins read it when sent). */
  channels = _tandem_client_dup_channels (self);
  for (guint i = 0; i < channels->len; i++)
    {
      _tandem_channel_push_access_token (channels->pdata[i], token);
      _tandem_channel_token_changed (channels->pdata[i]);
    }
}

static void
on_access_token_notify (GObject    *object,
                        GParamSpec *pspec,
                        gpointer    user_data)
{
  access_token_changed (TANDEM_CLIENT (object));
}

/* TandemAuth::session-changed (TandemAuthEvent, …): read whatever follows
 * the event without depending on the rest of the signature. */
static void
session_changed_marshal (GClosure     *closure,
                         GValue       *return_value,
                         guint         n_param_values,
                         const GValue *param_values,
                         gpointer      invocation_hint,
                         gpointer      marshal_data)
{
  TandemClient *self = closure->data;
  int event = -1;

  if (n_param_values < 2)
    return;
  if (G_VALUE_HOLDS_ENUM (&param_values[1]))
    event = g_value_get_enum (&param_values[1]);
  else if (G_VALUE_HOLDS_INT (&param_values[1]))
    event = g_value_get_int (&param_values[1]);

  if (event == TANDEM_AUTH_SIGNED_OUT)
    {
      g_debug ("realtime: signed out, removing every channel");
      tandem_client_remove_all_channels (self);
    }
  else
    access_token_changed (self);
}

gboolean
_tandem_client_is_signed_in (TandemClient *self)
{
  return self->auth != NULL && tandem_auth_get_session (self->auth) != NULL;
}

static void
ensure_fresh_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  TandemClient *self = g_task_get_source_object (task);
  char *token = tandem_auth_ensure_fresh_token_finish (TANDEM_AUTH (source), result, &error);

  if (g_task_return_error_if_cancelled (task))
    {
      g_free (token);
      return;
    }
  if (token == NULL)
    {
      if (error != NULL)
        g_debug ("realtime: could not refresh the access token: %s", error->message);
      token = g_strdup (tandem_client_get_access_token (self));
    }
  g_task_return_pointer (task, token, g_free);
}

void
_tandem_client_fetch_token_async (TandemClient        *self,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, _tandem_client_fetch_token_async);
  if (!_tandem_client_is_signed_in (self))
    {
      g_task_return_pointer (task, g_strdup (tandem_client_get_access_token (self)), g_free);
      return;
    }
  tandem_auth_ensure_fresh_token_async (self->auth, cancellable, ensure_fresh_cb, g_steal_pointer (&task));
}

char *
_tandem_client_fetch_token_finish (TandemClient  *self,
                                   GAsyncResult  *result,
                                   GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

TandemRateLimiter *
_tandem_client_get_events_limiter (TandemClient *self)
{
  if (self->events_limiter == NULL)
    self->events_limiter = _tandem_rate_limiter_new (self->clock, self->events_per_second, 1000);
  return self->events_limiter;
}

/* Setup and teardown */

static char *
websocket_base (const char *realtime_url)
{
  if (g_str_has_prefix (realtime_url, "https://"))
    return g_strconcat ("wss://", realtime_url + strlen ("https://"), "/websocket", NULL);
  if (g_str_has_prefix (realtime_url, "http://"))
    return g_strconcat ("ws://", realtime_url + strlen ("http://"), "/websocket", NULL);
  return g_strconcat (realtime_url, "/websocket", NULL);
}

void
_tandem_client_realtime_init (TandemClient *self)
{
  TandemSerializer serializer = self->protocol_version == TANDEM_PROTOCOL_1_0_0 ? TANDEM_SERIALIZER_V1
                                                                                : TANDEM_SERIALIZER_V2;
  g_autofree char *base = websocket_base (self->realtime_url);
  g_autofree char *key = g_uri_escape_string (self->api_key, NULL, FALSE);
  const char *vsn = tandem_serializer_to_vsn (serializer);
  /* ?apikey=…&vsn=… exactly as realtime-js builds it (§1.1, P16). */
  g_autofree char *url = g_strdup_printf ("%s?apikey=%s&vsn=%s", base, key, vsn);
  g_autofree char *display_url = g_strdup_printf ("%s?vsn=%s", base, vsn);
  GClosure *closure;

  self->cancellable = g_cancellable_new ();
  self->connection = _tandem_connection_new (self->session, url, display_url, serializer, self->clock,
                                             self->heartbeat_interval_ms, self->push_timeout_ms,
                                             self->max_message_size);
  g_signal_connect (self->connection, "notify::status", G_CALLBACK (on_connection_status), self);
  g_signal_connect (self->connection, "notify::heartbeat-rtt", G_CALLBACK (on_connection_rtt), self);
  g_signal_connect (self->connection, "opened", G_CALLBACK (on_connection_opened), self);
  g_signal_connect (self->connection, "lost", G_CALLBACK (on_connection_lost), self);
  _tandem_connection_set_message_func (self->connection, on_connection_message, self);
  _tandem_connection_set_user_broadcast_func (self->connection, on_connection_user_broadcast, self);

  self->last_token = g_strdup (tandem_client_get_access_token (self));
  g_signal_connect (self, "notify::access-token", G_CALLBACK (on_access_token_notify), NULL);

  if (self->auth != NULL && g_signal_lookup ("session-changed", TANDEM_TYPE_AUTH) != 0)
    {
      closure = g_closure_new_object (sizeof (GClosure), G_OBJECT (self));
      g_closure_set_marshal (closure, session_changed_marshal);
      g_signal_connect_closure (self->auth, "session-changed", closure, FALSE);
    }
}

void
_tandem_client_realtime_dispose (TandemClient *self)
{
  if (self->clock != NULL)
    tandem_clock_clear_timeout (self->clock, &self->health_id);
  if (self->cancellable != NULL)
    {
      g_cancellable_cancel (self->cancellable);
      g_clear_object (&self->cancellable);
    }
  if (self->system_bus != NULL)
    {
      if (self->sleep_subscription != 0)
        g_dbus_connection_signal_unsubscribe (self->system_bus, self->sleep_subscription);
      self->sleep_subscription = 0;
      g_clear_object (&self->system_bus);
    }
  if (self->network_monitor != NULL)
    g_signal_handlers_disconnect_by_data (self->network_monitor, self);
  g_clear_object (&self->network_monitor);
  if (self->connection != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->connection, self);
      _tandem_connection_set_message_func (self->connection, NULL, NULL);
      _tandem_connection_set_user_broadcast_func (self->connection, NULL, NULL);
      g_clear_object (&self->connection);
    }
  g_clear_pointer (&self->events_limiter, _tandem_rate_limiter_free);
}

TandemConnection *
_tandem_client_get_connection (TandemClient *self)
{
  return self->connection;
}

void
_tandem_client_ensure_connected (TandemClient *self)
{
  TandemStatus status = _tandem_connection_get_status (self->connection);

  if (status == TANDEM_STATUS_DISCONNECTED || status == TANDEM_STATUS_ERROR)
    tandem_client_connect (self);
}

/* Public API */

/**
 * tandem_client_get_status:
 * @self: a #TandemClient
 *
 * Returns: the state of the Realtime connection
 */
TandemStatus
tandem_client_get_status (TandemClient *self)
{
  g_return_val_if_fail (TANDEM_IS_CLIENT (self), TANDEM_STATUS_DISCONNECTED);
  return self->status;
}

/**
 * tandem_client_connect:
 * @self: a #TandemClient
 *
 * Opens the Realtime connection (subscribing a channel does it too) and
 * keeps it up until tandem_client_disconnect(). Subscribed channels join
 * once it is open. After the retries ran out (%TANDEM_STATUS_ERROR) it
 * starts them again.
 */
void
tandem_client_connect (TandemClient *self)
{
  g_return_if_fail (TANDEM_IS_CLIENT (self));

  start_system_integration (self);
  ensure_health_check (self);
  _tandem_connection_connect (self->connection);
}

/**
 * tandem_client_disconnect:
 * @self: a #TandemClient
 *
 * Closes the Realtime connection cleanly and stops reconnecting. Channels
 * stay subscribed, showing %TANDEM_STATUS_DISCONNECTED; pushes waiting for
 * them fail with %TANDEM_CLIENT_ERROR_CLOSED; tandem_client_connect() or a
 * new subscription rejoins them.
 */
void
tandem_client_disconnect (TandemClient *self)
{
  g_return_if_fail (TANDEM_IS_CLIENT (self));

  tandem_clock_clear_timeout (self->clock, &self->health_id);
  _tandem_connection_disconnect (self->connection);
}

/**
 * tandem_client_reconnect_now:
 * @self: a #TandemClient
 *
 * Reconnects at once, forgetting the back-off: an open connection is
 * replaced (it may be dead, after a suspend or a network change), a
 * scheduled attempt runs now. What network changes and resuming from
 * suspend do by themselves.
 */
void
tandem_client_reconnect_now (TandemClient *self)
{
  g_return_if_fail (TANDEM_IS_CLIENT (self));

  start_system_integration (self);
  ensure_health_check (self);
  _tandem_connection_reconnect_now (self->connection);
}

static const char *
protocol_to_string (TandemProtocolVersion version)
{
  return version == TANDEM_PROTOCOL_1_0_0 ? "1.0.0" : "2.0.0";
}

/**
 * tandem_client_get_debug_info:
 * @self: a #TandemClient
 *
 * A snapshot of the Realtime state for diagnostics: `status`, `url`
 * (without the API key), `protocol`, `retries`, `next_attempt_ms` (or
 * null), `heartbeat_rtt_ms` (or null), `connected_since` (ISO 8601, or
 * null), `messages_in`, `messages_out`, `bytes_in`, `bytes_out`,
 * `last_error`, and `channels`: for each, `name`, `topic`, `status`
 * (lowercase), `retries`, `last_error`, `time_in_state_ms`,
 * `messages_in`, `messages_out`, `bytes_in`, `bytes_out`,
 * `subscribe_state` (as realtime-js names it, or null) and `queued`.
 *
 * Returns: (transfer full): a JSON object
 */
JsonNode *
tandem_client_get_debug_info (TandemClient *self)
{
  g_autoptr(GPtrArray) channels = NULL;
  JsonObject *info;
  JsonArray *list;
  guint64 messages_in, messages_out, bytes_in, bytes_out;
  gint64 next, rtt, since;
  const char *last_error;

  g_return_val_if_fail (TANDEM_IS_CLIENT (self), NULL);

  info = json_object_new ();
  json_object_set_string_member (info, "status", _tandem_status_to_string (self->status));
  json_object_set_string_member (info, "url", _tandem_connection_get_display_url (self->connection));
  json_object_set_string_member (info, "protocol", protocol_to_string (self->protocol_version));
  json_object_set_int_member (info, "retries", _tandem_connection_get_retries (self->connection));

  next = _tandem_connection_get_next_attempt_ms (self->connection);
  if (next >= 0)
    json_object_set_int_member (info, "next_attempt_ms", next);
  else
    json_object_set_null_member (info, "next_attempt_ms");

  rtt = _tandem_connection_get_heartbeat_rtt (self->connection);
  if (rtt >= 0)
    json_object_set_int_member (info, "heartbeat_rtt_ms", rtt);
  else
    json_object_set_null_member (info, "heartbeat_rtt_ms");

  since = _tandem_connection_get_connected_since (self->connection);
  if (since > 0)
    {
      g_autoptr(GDateTime) time = g_date_time_new_from_unix_utc (since / G_USEC_PER_SEC);
      g_autofree char *text = time ? g_date_time_format_iso8601 (time) : NULL;

      json_object_set_string_member (info, "connected_since", text);
    }
  else
    json_object_set_null_member (info, "connected_since");

  _tandem_connection_get_counters (self->connection, &messages_in, &messages_out, &bytes_in, &bytes_out);
  json_object_set_int_member (info, "messages_in", (gint64) messages_in);
  json_object_set_int_member (info, "messages_out", (gint64) messages_out);
  json_object_set_int_member (info, "bytes_in", (gint64) bytes_in);
  json_object_set_int_member (info, "bytes_out", (gint64) bytes_out);
  last_error = _tandem_connection_get_last_error (self->connection);
  if (last_error != NULL)
    json_object_set_string_member (info, "last_error", last_error);
  else
    json_object_set_null_member (info, "last_error");

  list = json_array_new ();
  channels = _tandem_client_dup_channels (self);
  for (guint i = 0; i < channels->len; i++)
    json_array_add_object_element (list, _tandem_channel_dup_debug_info (channels->pdata[i]));
  json_object_set_array_member (info, "channels", list);

  return tandem_json_node_take_object (info);
}

guint
_tandem_client_get_retries (TandemClient *self)
{
  return _tandem_connection_get_retries (self->connection);
}

gint64
_tandem_client_get_next_attempt_ms (TandemClient *self)
{
  return _tandem_connection_get_next_attempt_ms (self->connection);
}
