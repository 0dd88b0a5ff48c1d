/* tandem-connection.c: the Realtime WebSocket, its heartbeats and its
 * reconnection
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "tandem-backoff-private.h"
#include "tandem-connection-private.h"
#include "tandem-enums.h"

/**
 * TandemConnection:
 *
 * One logical connection to the Realtime endpoint: a succession of
 * WebSockets (one per successful attempt) with one ref counter, as
 * phoenix.js's Socket.
 */
struct _TandemConnection
{
  GObject                  parent_instance;

  SoupSession             *session;
  char                    *url;
  char                    *display_url;
  TandemSerializer         serializer;
  TandemClock             *clock;
  guint                    heartbeat_interval_ms;
  guint                    handshake_timeout_ms;
  guint64                  max_message_size;
  TandemConnectionMessageFunc message_func;
  gpointer                 message_data;
  TandemConnectionUserBroadcastFunc user_broadcast_func;
  gpointer                 user_broadcast_data;

  TandemStatus             status;
  gboolean                 wanted;       /* connect() was called, disconnect() was not */
  gboolean                 ever_opened;  /* since connect(): RECONNECTING rather than CONNECTING */
  SoupWebsocketConnection *ws;           /* the open socket, or NULL */
  GPtrArray               *closing;      /* sockets we closed, until their handshake ends */

  GCancellable            *attempt;      /* an attempt under way, or NULL */
  guint                    handshake_timeout_id;
  guint                    retry_id;
  gint64                   retry_deadline; /* monotonic µs */
  guint                    retries;
  TandemRapidClose         rapid;

  guint                    heartbeat_id;
  char                    *heartbeat_ref;  /* the heartbeat awaiting its reply */
  gint64                   heartbeat_sent; /* monotonic µs */
  gint64                   heartbeat_rtt_ms;

  guint64                  ref_counter;
  gint64                   connected_since; /* real µs */
  char                    *last_error;
  guint64                  messages_in;
  guint64                  messages_out;
  guint64                  bytes_in;
  guint64                  bytes_out;
};

G_DEFINE_FINAL_TYPE (TandemConnection, tandem_connection, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_STATUS,
  PROP_HEARTBEAT_RTT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum
{
  OPENED,
  LOST,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

typedef enum
{
  RETRY_SCHEDULE,  /* the back-off schedule */
  RETRY_NOW,       /* reconnect_now() */
  RETRY_NONE,      /* disconnect() */
} RetryMode;

static void start_attempt (TandemConnection *self);

static void
set_status (TandemConnection *self,
            TandemStatus      status)
{
  if (self->status == status)
    return;
  self->status = status;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATUS]);
}

static void
set_last_error (TandemConnection *self,
                const char       *text)
{
  g_free (self->last_error);
  self->last_error = g_strdup (text);
}

/* Heartbeats (protocol.md §1.5, P1): sent every interval whatever arrives,
 * because the server only counts inbound frames. A heartbeat still
 * unanswered when the next one is due means the connection is dead. */

static void
heartbeat_stop (TandemConnection *self)
{
  tandem_clock_clear_timeout (self->clock, &self->heartbeat_id);
  g_clear_pointer (&self->heartbeat_ref, g_free);
}

static void lose (TandemConnection *self,
                  gushort           code,
                  const char       *reason,
                  RetryMode         mode);

static gboolean
heartbeat_cb (gpointer user_data)
{
  TandemConnection *self = user_data;
  g_autoptr(TandemMessage) message = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *ref = NULL;

  if (self->heartbeat_ref != NULL)
    {
      g_debug ("realtime: no reply to heartbeat %s within %u ms, closing", self->heartbeat_ref,
               self->heartbeat_interval_ms);
      self->heartbeat_id = 0;
      lose (self, SOUP_WEBSOCKET_CLOSE_NORMAL, "heartbeat timeout", RETRY_SCHEDULE);
      return G_SOURCE_REMOVE;
    }

  ref = _tandem_connection_make_ref (self);
  message = tandem_message_new (NULL, ref, "phoenix", "heartbeat", NULL);
  if (!_tandem_connection_send (self, message, NULL, &error))
    {
      g_debug ("realtime: heartbeat not sent: %s", error->message);
      return G_SOURCE_CONTINUE;
    }
  self->heartbeat_ref = g_steal_pointer (&ref);
  self->heartbeat_sent = tandem_clock_get_monotonic_time (self->clock);
  return G_SOURCE_CONTINUE;
}

static void
heartbeat_start (TandemConnection *self)
{
  heartbeat_stop (self);
  if (self->heartbeat_interval_ms > 0)
    self->heartbeat_id = tandem_clock_add_timeout (self->clock, self->heartbeat_interval_ms,
                                                   heartbeat_cb, self, NULL);
}

static void
heartbeat_reply (TandemConnection *self,
                 TandemMessage    *message)
{
  JsonObject *payload = tandem_message_get_payload_object (message);
  const char *status = payload ? json_object_get_string_member_with_default (payload, "status", NULL) : NULL;
  gint64 rtt;

  if (self->heartbeat_ref == NULL || g_strcmp0 (message->ref, self->heartbeat_ref) != 0)
    {
      g_debug ("realtime: dropping a phoenix reply to unknown ref %s", message->ref ? message->ref : "(null)");
      return;
    }
  g_clear_pointer (&self->heartbeat_ref, g_free);
  if (g_strcmp0 (status, "ok") != 0)
    g_debug ("realtime: heartbeat answered with status %s", status ? status : "(none)");

  rtt = (tandem_clock_get_monotonic_time (self->clock) - self->heartbeat_sent) / 1000;
  if (rtt != self->heartbeat_rtt_ms)
    {
      self->heartbeat_rtt_ms = MAX (rtt, 0);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HEARTBEAT_RTT]);
    }
}

/* Sockets */

static void
on_closing_closed (SoupWebsocketConnection *ws,
                   TandemConnection        *self)
{
  g_signal_handlers_disconnect_by_data (ws, self);
  g_ptr_array_remove (self->closing, ws);
}

/* Takes the socket out of service. Ours to close: it is kept until libsoup
 * finishes the close handshake, so that the server sees a clean close. */
static void
detach_ws (TandemConnection *self,
           gushort           code,
           const char       *reason)
{
  g_autoptr(SoupWebsocketConnection) ws = g_steal_pointer (&self->ws);

  if (ws == NULL)
    return;
  g_signal_handlers_disconnect_by_data (ws, self);
  if (soup_websocket_connection_get_state (ws) == SOUP_WEBSOCKET_STATE_OPEN)
    soup_websocket_connection_close (ws, code, reason);
  if (soup_websocket_connection_get_state (ws) != SOUP_WEBSOCKET_STATE_CLOSED)
    {
      g_signal_connect (ws, "closed", G_CALLBACK (on_closing_closed), self);
      g_ptr_array_add (self->closing, g_steal_pointer (&ws));
    }
}

static void
cancel_attempt (TandemConnection *self)
{
  tandem_clock_clear_timeout (self->clock, &self->handshake_timeout_id);
  if (self->attempt != NULL)
    {
      g_cancellable_cancel (self->attempt);
      g_clear_object (&self->attempt);
    }
}

static void
retry_cb (gpointer user_data)
{
  TandemConnection *self = user_data;

  self->retry_id = 0;
  start_attempt (self);
}

static void
schedule_retry (TandemConnection *self,
                gboolean          rapid)
{
  double random;
  guint delay;

  tandem_clock_clear_timeout (self->clock, &self->retry_id);
  if (self->retries >= TANDEM_BACKOFF_MAX_RETRIES)
    {
      g_debug ("realtime: giving up after %u retries (%s)", self->retries,
               self->last_error ? self->last_error : "no error");
      set_status (self, TANDEM_STATUS_ERROR);
      return;
    }

  self->retries++;
  random = tandem_clock_random_double (self->clock);
  if (rapid)
    delay = _tandem_backoff_jitter (TANDEM_RAPID_CLOSE_BACKOFF_MS, random);
  else
    delay = _tandem_backoff_delay (self->retries, random);
  g_debug ("realtime: retry %u in %u ms%s", self->retries, delay, rapid ? " (rapid closes)" : "");

  self->retry_deadline = tandem_clock_get_monotonic_time (self->clock) + (gint64) delay * 1000;
  self->retry_id = tandem_clock_add_timeout_once (self->clock, delay, retry_cb, self);
  set_status (self, TANDEM_STATUS_RECONNECTING);
}

static void
attempt_failed (TandemConnection *self,
                const char       *reason)
{
  g_debug ("realtime: connecting to %s failed: %s", self->display_url, reason);
  set_last_error (self, reason);
  if (self->wanted)
    schedule_retry (self, FALSE);
}

static void
on_ws_message (SoupWebsocketConnection *ws,
               SoupWebsocketDataType    type,
               GBytes                  *data,
               TandemConnection        *self)
{
  g_autoptr(TandemMessage) message = NULL;
  g_autoptr(GError) error = NULL;
  gsize size = 0;
  const guint8 *bytes = g_bytes_get_data (data, &size);

  self->messages_in++;
  self->bytes_in += size;

  /* Whatever the server sends, a bad frame costs only itself: it is logged
   * and dropped, and nothing else on the socket is disturbed. */
  if (size > self->max_message_size)
    {
      g_debug ("realtime: dropping a frame of %" G_GSIZE_FORMAT " bytes (limit %" G_GUINT64_FORMAT ")",
               size, self->max_message_size);
      return;
    }
  if (type == SOUP_WEBSOCKET_DATA_BINARY && self->serializer == TANDEM_SERIALIZER_V2 && size > 0 &&
      bytes[0] == TANDEM_BINARY_KIND_USER_BROADCAST && self->user_broadcast_func != NULL)
    {
      TandemUserBroadcastView view;

      if (!tandem_message_peek_user_broadcast (bytes, size, &view, &error))
        {
          g_debug ("realtime: dropping a malformed frame (%" G_GSIZE_FORMAT " bytes): %s", size, error->message);
          return;
        }
      g_object_ref (self);
      self->user_broadcast_func (self, &view, data, self->user_broadcast_data);
      g_object_unref (self);
      return;
    }

  if (type == SOUP_WEBSOCKET_DATA_TEXT)
    message = tandem_message_decode_text (self->serializer, (const char *) bytes, size, &error);
  else if (self->serializer != TANDEM_SERIALIZER_V2)
    g_set_error_literal (&error, TANDEM_MESSAGE_ERROR, TANDEM_MESSAGE_ERROR_UNSUPPORTED_KIND,
                         "binary frame on protocol 1.0.0");
  else if (size == 0 || bytes[0] != TANDEM_BINARY_KIND_USER_BROADCAST)
    /* Kind 3 is ours to send, kinds 0-2 are Phoenix-native (P7). */
    g_set_error (&error, TANDEM_MESSAGE_ERROR, TANDEM_MESSAGE_ERROR_UNSUPPORTED_KIND,
                 "binary frame of kind %d", size ? bytes[0] : -1);
  else
    message = tandem_message_decode_binary_bytes (data, &error);

  if (message == NULL)
    {
      g_debug ("realtime: dropping a malformed frame (%" G_GSIZE_FORMAT " bytes): %s", size, error->message);
      return;
    }

  if (g_str_equal (message->topic, "phoenix"))
    {
      if (g_str_equal (message->event, "phx_reply"))
        heartbeat_reply (self, message);
      else
        g_debug ("realtime: dropping %s on topic phoenix", message->event);
      return;
    }

  if (self->message_func != NULL)
    {
      g_object_ref (self);
      self->message_func (self, message, size, self->message_data);
      g_object_unref (self);
    }
}

static void
on_ws_closed (SoupWebsocketConnection *ws,
              TandemConnection        *self)
{
  gushort code = soup_websocket_connection_get_close_code (ws);
  const char *data = soup_websocket_connection_get_close_data (ws);
  g_autofree char *reason = g_strdup_printf ("socket closed: %u (%s)", code, data ? data : "");

  lose (self, code, reason, RETRY_SCHEDULE);
}

static void
on_ws_error (SoupWebsocketConnection *ws,
             GError                  *error,
             TandemConnection        *self)
{
  g_debug ("realtime: WebSocket error: %s", error->message);
  set_last_error (self, error->message);
}

/* An open socket went away (or we dropped it): the channels hear of it
 * through ::lost, then the connection comes back per @mode. */
static void
lose (TandemConnection *self,
      gushort           code,
      const char       *reason,
      RetryMode         mode)
{
  g_autoptr(GError) error = NULL;
  gboolean rapid = FALSE;

  if (self->ws == NULL)
    return;

  g_debug ("realtime: connection lost: %s", reason);
  detach_ws (self, code == 0 || code == SOUP_WEBSOCKET_CLOSE_NO_STATUS || code == SOUP_WEBSOCKET_CLOSE_ABNORMAL
                     ? SOUP_WEBSOCKET_CLOSE_NORMAL : code, reason);
  heartbeat_stop (self);
  self->connected_since = 0;
  set_last_error (self, reason);
  error = g_error_new_literal (TANDEM_CLIENT_ERROR,
                               mode == RETRY_NONE ? TANDEM_CLIENT_ERROR_CLOSED : TANDEM_CLIENT_ERROR_CONNECTION,
                               reason);

  /* The state is settled before ::lost, so handlers that reconnect or
   * disconnect see where we are. */
  switch (mode)
    {
    case RETRY_SCHEDULE:
      rapid = _tandem_rapid_close_record (&self->rapid, tandem_clock_get_monotonic_time (self->clock));
      if (self->wanted)
        schedule_retry (self, rapid);
      else
        set_status (self, TANDEM_STATUS_DISCONNECTED);
      break;
    case RETRY_NOW:
      set_status (self, TANDEM_STATUS_RECONNECTING);
      break;
    case RETRY_NONE:
    default:
      set_status (self, TANDEM_STATUS_DISCONNECTED);
      break;
    }

  g_object_ref (self);
  g_signal_emit (self, signals[LOST], 0, error);
  if (mode == RETRY_NOW && self->wanted && self->ws == NULL && self->attempt == NULL)
    start_attempt (self);
  g_object_unref (self);
}

static void
opened (TandemConnection        *self,
        SoupWebsocketConnection *ws)
{
  g_debug ("realtime: connected to %s", self->display_url);

  self->ws = ws;
  /* libsoup's default cap (128 KiB) is far below Realtime's message limit;
   * twice our own limit stays a hard stop against a runaway peer. */
  soup_websocket_connection_set_max_incoming_payload_size (ws, self->max_message_size * 2);
  /* Our heartbeats replace libsoup's pings. */
  soup_websocket_connection_set_keepalive_interval (ws, 0);
  g_signal_connect (ws, "message", G_CALLBACK (on_ws_message), self);
  g_signal_connect (ws, "closed", G_CALLBACK (on_ws_closed), self);
  g_signal_connect (ws, "error", G_CALLBACK (on_ws_error), self);

  self->retries = 0;
  self->ever_opened = TRUE;
  self->connected_since = tandem_clock_get_real_time (self->clock);
  heartbeat_start (self);
  set_status (self, TANDEM_STATUS_CONNECTED);

  g_object_ref (self);
  g_signal_emit (self, signals[OPENED], 0);
  g_object_unref (self);
}

static void
connect_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  SoupWebsocketConnection *ws;
  TandemConnection *self;

  ws = soup_session_websocket_connect_finish (SOUP_SESSION (source), result, &error);
  /* Cancelled: disposed, disconnected or timed out; whoever cancelled has
   * already moved on (and self may be gone). */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self = TANDEM_CONNECTION (user_data);
  tandem_clock_clear_timeout (self->clock, &self->handshake_timeout_id);
  g_clear_object (&self->attempt);

  if (ws == NULL)
    attempt_failed (self, error->message);
  else
    opened (self, ws);
}

static void
handshake_timeout_cb (gpointer user_data)
{
  TandemConnection *self = user_data;

  self->handshake_timeout_id = 0;
  cancel_attempt (self);
  attempt_failed (self, "the WebSocket handshake timed out");
}

static void
start_attempt (TandemConnection *self)
{
  g_autoptr(SoupMessage) msg = NULL;

  tandem_clock_clear_timeout (self->clock, &self->retry_id);
  if (self->ws != NULL || self->attempt != NULL)
    return;

  set_status (self, self->ever_opened || self->retries > 0 ? TANDEM_STATUS_RECONNECTING
                                                           : TANDEM_STATUS_CONNECTING);
  msg = soup_message_new ("GET", self->url);
  if (msg == NULL)
    {
      attempt_failed (self, "invalid Realtime URL");
      return;
    }

  self->attempt = g_cancellable_new ();
  if (self->handshake_timeout_ms > 0)
    self->handshake_timeout_id = tandem_clock_add_timeout_once (self->clock, self->handshake_timeout_ms,
                                                                handshake_timeout_cb, self);
  soup_session_websocket_connect_async (self->session, msg, NULL, NULL, G_PRIORITY_DEFAULT,
                                        self->attempt, connect_cb, self);
}

/* GObject */

static void
tandem_connection_dispose (GObject *object)
{
  TandemConnection *self = TANDEM_CONNECTION (object);

  self->wanted = FALSE;
  cancel_attempt (self);
  tandem_clock_clear_timeout (self->clock, &self->retry_id);
  heartbeat_stop (self);
  detach_ws (self, SOUP_WEBSOCKET_CLOSE_GOING_AWAY, "client finalized");
  if (self->closing != NULL)
    {
      for (guint i = 0; i < self->closing->len; i++)
        g_signal_handlers_disconnect_by_data (self->closing->pdata[i], self);
      g_clear_pointer (&self->closing, g_ptr_array_unref);
    }

  G_OBJECT_CLASS (tandem_connection_parent_class)->dispose (object);
}

static void
tandem_connection_finalize (GObject *object)
{
  TandemConnection *self = TANDEM_CONNECTION (object);

  /* As libsoup's connection: nothing may fire once we are gone. */
  g_assert (self->heartbeat_id == 0);
  g_assert (self->retry_id == 0);
  g_assert (self->handshake_timeout_id == 0);
  g_assert (self->attempt == NULL);
  g_assert (self->ws == NULL);

  g_clear_object (&self->session);
  g_clear_object (&self->clock);
  g_free (self->url);
  g_free (self->display_url);
  g_free (self->last_error);

  G_OBJECT_CLASS (tandem_connection_parent_class)->finalize (object);
}

static void
tandem_connection_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  TandemConnection *self = TANDEM_CONNECTION (object);

  switch (prop_id)
    {
    case PROP_STATUS:
      g_value_set_enum (value, self->status);
      break;
    case PROP_HEARTBEAT_RTT:
      g_value_set_int64 (value, self->heartbeat_rtt_ms);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tandem_connection_class_init (TandemConnectionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = tandem_connection_dispose;
  object_class->finalize = tandem_connection_finalize;
  object_class->get_property = tandem_connection_get_property;

  properties[PROP_STATUS] =
    g_param_spec_enum ("status", NULL, NULL, TANDEM_TYPE_STATUS, TANDEM_STATUS_DISCONNECTED,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_HEARTBEAT_RTT] =
    g_param_spec_int64 ("heartbeat-rtt", NULL, NULL, -1, G_MAXINT64, -1,
                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* A socket opened: channels (re)join. */
  signals[OPENED] = g_signal_new ("opened", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  /* The open socket went away (GError: why). */
  signals[LOST] = g_signal_new ("lost", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_ERROR);
}

static void
tandem_connection_init (TandemConnection *self)
{
  self->status = TANDEM_STATUS_DISCONNECTED;
  self->heartbeat_rtt_ms = -1;
  self->closing = g_ptr_array_new_with_free_func (g_object_unref);
}

TandemConnection *
_tandem_connection_new (SoupSession      *session,
                        const char       *url,
                        const char       *display_url,
                        TandemSerializer  serializer,
                        TandemClock      *clock,
                        guint             heartbeat_interval_ms,
                        guint             handshake_timeout_ms,
                        guint64           max_message_size)
{
  TandemConnection *self = g_object_new (TANDEM_TYPE_CONNECTION, NULL);

  self->session = g_object_ref (session);
  self->url = g_strdup (url);
  self->display_url = g_strdup (display_url);
  self->serializer = serializer;
  self->clock = g_object_ref (clock);
  self->heartbeat_interval_ms = heartbeat_interval_ms;
  self->handshake_timeout_ms = handshake_timeout_ms;
  self->max_message_size = MAX (max_message_size, 1024);
  return self;
}

void
_tandem_connection_set_clock (TandemConnection *self,
                              TandemClock      *clock)
{
  g_return_if_fail (self->heartbeat_id == 0 && self->retry_id == 0 && self->handshake_timeout_id == 0);
  g_set_object (&self->clock, clock);
}

void
_tandem_connection_connect (TandemConnection *self)
{
  self->wanted = TRUE;
  if (self->ws != NULL || self->attempt != NULL || self->retry_id != 0)
    return;
  /* After the retries ran out, an explicit connect starts them again. */
  self->retries = 0;
  start_attempt (self);
}

void
_tandem_connection_disconnect (TandemConnection *self)
{
  self->wanted = FALSE;
  self->ever_opened = FALSE;
  self->retries = 0;
  _tandem_rapid_close_reset (&self->rapid);
  cancel_attempt (self);
  tandem_clock_clear_timeout (self->clock, &self->retry_id);
  if (self->ws != NULL)
    lose (self, SOUP_WEBSOCKET_CLOSE_NORMAL, "disconnected", RETRY_NONE);
  set_status (self, TANDEM_STATUS_DISCONNECTED);
}

void
_tandem_connection_reconnect_now (TandemConnection *self)
{
  self->wanted = TRUE;
  self->retries = 0;
  _tandem_rapid_close_reset (&self->rapid);

  if (self->ws != NULL)
    lose (self, SOUP_WEBSOCKET_CLOSE_NORMAL, "reconnecting", RETRY_NOW);
  else if (self->attempt == NULL)
    start_attempt (self);
}

gboolean
_tandem_connection_is_open (TandemConnection *self)
{
  return self->ws != NULL && soup_websocket_connection_get_state (self->ws) == SOUP_WEBSOCKET_STATE_OPEN;
}

TandemStatus
_tandem_connection_get_status (TandemConnection *self)
{
  return self->status;
}

TandemSerializer
_tandem_connection_get_serializer (TandemConnection *self)
{
  return self->serializer;
}

char *
_tandem_connection_make_ref (TandemConnection *self)
{
  /* Unsigned overflow wraps to 0, as phoenix.js's makeRef does. */
  self->ref_counter++;
  return g_strdup_printf ("%" G_GUINT64_FORMAT, self->ref_counter);
}

gboolean
_tandem_connection_send (TandemConnection     *self,
                         const TandemMessage  *message,
                         gsize                *frame_size,
                         GError              **error)
{
  g_autoptr(GBytes) frame = NULL;
  g_autoptr(GError) local_error = NULL;
  SoupWebsocketDataType type = SOUP_WEBSOCKET_DATA_TEXT;
  gsize size;

  if (!_tandem_connection_is_open (self))
    {
      g_set_error_literal (error, TANDEM_CLIENT_ERROR, TANDEM_CLIENT_ERROR_NOT_JOINED,
                           "the Realtime connection is not open");
      return FALSE;
    }

  if (message->is_user_broadcast && self->serializer == TANDEM_SERIALIZER_V2)
    {
      /* realtime-js sends every broadcast as binary kind 3 on 2.0.0. */
      frame = tandem_message_encode_binary (message, TANDEM_BINARY_KIND_USER_BROADCAST_PUSH, &local_error);
      if (frame == NULL)
        {
          g_set_error (error, TANDEM_CLIENT_ERROR, TANDEM_CLIENT_ERROR_INVALID_ARGUMENT,
                       "cannot encode the broadcast: %s", local_error->message);
          return FALSE;
        }
      type = SOUP_WEBSOCKET_DATA_BINARY;
    }
  else
    {
      frame = tandem_message_encode_text (message, self->serializer, FALSE);
      if (frame == NULL)
        {
          g_set_error_literal (error, TANDEM_CLIENT_ERROR, TANDEM_CLIENT_ERROR_INVALID_ARGUMENT,
                               "binary payloads need protocol 2.0.0");
          return FALSE;
        }
    }

  size = g_bytes_get_size (frame);
  if (size > self->max_message_size)
    {
      g_set_error (error, TANDEM_CLIENT_ERROR, TANDEM_CLIENT_ERROR_PAYLOAD_TOO_LARGE,
                   "the message is %" G_GSIZE_FORMAT " bytes, over the limit of %" G_GUINT64_FORMAT,
                   size, self->max_message_size);
      return FALSE;
    }

  soup_websocket_connection_send_message (self->ws, type, frame);
  self->messages_out++;
  self->bytes_out += size;
  if (frame_size != NULL)
    *frame_size = size;
  return TRUE;
}

guint
_tandem_connection_get_retries (TandemConnection *self)
{
  return self->retries;
}

gint64
_tandem_connection_get_next_attempt_ms (TandemConnection *self)
{
  if (self->retry_id == 0)
    return -1;
  return MAX (0, self->retry_deadline - tandem_clock_get_monotonic_time (self->clock)) / 1000;
}

gint64
_tandem_connection_get_heartbeat_rtt (TandemConnection *self)
{
  return self->heartbeat_rtt_ms;
}

gint64
_tandem_connection_get_connected_since (TandemConnection *self)
{
  return self->connected_since;
}

const char *
_tandem_connection_get_display_url (TandemConnection *self)
{
  return self->display_url;
}

const char *
_tandem_connection_get_last_error (TandemConnection *self)
{
  return self->last_error;
}

void
_tandem_connection_get_counters (TandemConnection *self,
                                 guint64          *messages_in,
                                 guint64          *messages_out,
                                 guint64          *bytes_in,
                                 guint64          *bytes_out)
{
  *messages_in = self->messages_in;
  *messages_out = self->messages_out;
  *bytes_in = self->bytes_in;
  *bytes_out = self->bytes_out;
}

void
_tandem_connection_set_message_func (TandemConnection            *self,
                                     TandemConnectionMessageFunc  func,
                                     gpointer                     user_data)
{
  self->message_func = func;
  self->message_data = user_data;
}

void
_tandem_connection_set_user_broadcast_func (TandemConnection                  *self,
                                            TandemConnectionUserBroadcastFunc  func,
                                            gpointer                           user_data)
{
  self->user_broadcast_func = func;
  self->user_broadcast_data = user_data;
}
