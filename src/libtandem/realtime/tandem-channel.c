/* tandem-channel.c: one Realtime channel: the object, its properties and
 * signals, postgres_changes bindings and subscribing
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "tandem-change.h"
#include "tandem-channel-private.h"
#include "tandem-enums.h"
#include "tandem-marshal.h"

/**
 * TandemChannel:
 *
 * One Realtime channel (topic `realtime:<name>`) of a #TandemClient, made
 * with tandem_client_channel(). It joins when subscribed, rejoins by itself
 * after connection losses and server-side errors, and reports what arrives
 * as signals: broadcasts, presence (also as the #TandemPresence list
 * model), row changes and system messages.
 *
 * The channel lives as long as someone holds a reference: when the last
 * reference outside the client is dropped, the channel leaves; the client
 * keeps it, unsubscribed, for five minutes in case it is asked for again
 * (see tandem_client_channel()).
 *
 * Its #TandemChannel:status is one of five states: %TANDEM_STATUS_DISCONNECTED
 * before subscribing and after leaving or being closed,
 * %TANDEM_STATUS_CONNECTING while the first join is under way,
 * %TANDEM_STATUS_CONNECTED when joined, %TANDEM_STATUS_RECONNECTING after a
 * loss while a rejoin is pending, and %TANDEM_STATUS_ERROR after the server
 * refused the join or the retries ran out. #TandemChannel::subscribe-state
 * reports outcomes the way realtime-js calls its subscribe callback, again
 * after every rejoin.
 */

G_DEFINE_FINAL_TYPE (TandemChannel, tandem_channel, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_NAME,
  PROP_TOPIC,
  PROP_CLIENT,
  PROP_STATUS,
  PROP_LAST_ERROR,
  PROP_PRESENCE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum
{
  STATUS_CHANGED,
  SUBSCRIBE_STATE,
  BROADCAST,
  BROADCAST_BINARY,
  PRESENCE_SYNC,
  PRESENCE_JOIN,
  PRESENCE_LEAVE,
  POSTGRES_CHANGE,
  SYSTEM,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
binding_free (gpointer data)
{
  TandemPgBinding *binding = data;

  g_free (binding->schema);
  g_free (binding->table);
  g_free (binding->filter);
  g_free (binding);
}

/* Forwards a signal of the channel's TandemPresence as the channel's own:
 * the parameters are passed on unchanged. */
static void
forward_marshal (GClosure     *closure,
                 GValue       *return_value,
                 guint         n_param_values,
                 const GValue *param_values,
                 gpointer      invocation_hint,
                 gpointer      marshal_data)
{
  TandemChannel *self = closure->data;
  GValue *values = g_new0 (GValue, n_param_values);

  g_value_init (&values[0], TANDEM_TYPE_CHANNEL);
  g_value_set_object (&values[0], self);
  for (guint i = 1; i < n_param_values; i++)
    {
      g_value_init (&values[i], G_VALUE_TYPE (&param_values[i]));
      g_value_copy (&param_values[i], &values[i]);
    }
  g_signal_emitv (values, GPOINTER_TO_UINT (marshal_data), 0, NULL);
  for (guint i = 0; i < n_param_values; i++)
    g_value_unset (&values[i]);
  g_free (values);
}

static void
forward_presence_signal (TandemChannel *self,
                         const char    *presence_signal,
                         guint          channel_signal)
{
  GClosure *closure;

  if (g_signal_lookup (presence_signal, TANDEM_TYPE_PRESENCE) == 0)
    return;
  closure = g_closure_new_object (sizeof (GClosure), G_OBJECT (self));
  g_closure_set_meta_marshal (closure, GUINT_TO_POINTER (signals[channel_signal]), forward_marshal);
  g_signal_connect_closure (self->presence, presence_signal, closure, FALSE);
}

static void
tandem_channel_dispose (GObject *object)
{
  TandemChannel *self = TANDEM_CHANNEL (object);

  _tandem_channel_detach (self);
  if (self->presence != NULL)
    g_signal_handlers_disconnect_by_data (self->presence, self);
  g_clear_object (&self->presence);

  G_OBJECT_CLASS (tandem_channel_parent_class)->dispose (object);
}

static void
tandem_channel_finalize (GObject *object)
{
  TandemChannel *self = TANDEM_CHANNEL (object);

  /* Everything that waits was stopped by detach. */
  g_assert (self->rejoin_id == 0);
  g_assert (self->pump_id == 0);
  g_assert (self->prune_id == 0);
  g_assert (self->join_push == NULL && self->leave_push == NULL);
  g_assert (g_hash_table_size (self->pending) == 0);
  g_assert (g_queue_is_empty (&self->broadcasts) && g_queue_is_empty (&self->presence_pushes));
  g_assert (self->batcher == NULL);

  g_clear_pointer (&self->pending, g_hash_table_unref);
  g_clear_pointer (&self->bindings, g_ptr_array_unref);
  g_clear_pointer (&self->subscribe_tasks, g_ptr_array_unref);
  g_clear_pointer (&self->presence_limiter, _tandem_rate_limiter_free);
  g_clear_pointer (&self->options, tandem_channel_options_unref);
  g_clear_object (&self->clock);
  g_free (self->name);
  g_free (self->topic);
  g_free (self->last_error);
  g_free (self->join_ref);
  g_free (self->system_error);

  G_OBJECT_CLASS (tandem_channel_parent_class)->finalize (object);
}

static void
tandem_channel_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  TandemChannel *self = TANDEM_CHANNEL (object);

  switch (prop_id)
    {
    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;
    case PROP_TOPIC:
      g_value_set_string (value, self->topic);
      break;
    case PROP_CLIENT:
      g_value_set_object (value, self->client);
      break;
    case PROP_STATUS:
      g_value_set_enum (value, self->status);
      break;
    case PROP_LAST_ERROR:
      g_value_set_string (value, self->last_error);
      break;
    case PROP_PRESENCE:
      g_value_set_object (value, self->presence);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tandem_channel_class_init (TandemChannelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = tandem_channel_dispose;
  object_class->finalize = tandem_channel_finalize;
  object_class->get_property = tandem_channel_get_property;

  /**
   * TandemChannel:name:
   *
   * The channel name, such as `room1` (the topic without `realtime:`).
   */
  properties[PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  /**
   * TandemChannel:topic:
   *
   * The Phoenix topic, `realtime:<name>`.
   */
  properties[PROP_TOPIC] =
    g_param_spec_string ("topic", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  /**
   * TandemChannel:client:
   *
   * The client the channel belongs to, or %NULL once the client is gone.
   */
  properties[PROP_CLIENT] =
    g_param_spec_object ("client", NULL, NULL, TANDEM_TYPE_CLIENT,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  /**
   * TandemChannel:status:
   *
   * Where the channel is: see #TandemChannel for the five states.
   */
  properties[PROP_STATUS] =
    g_param_spec_enum ("status", NULL, NULL, TANDEM_TYPE_STATUS, TANDEM_STATUS_DISCONNECTED,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * TandemChannel:last-error:
   *
   * The last error the channel met (the server's reason for a refusal, a
   * lost connection, a `system` error), or %NULL. It stays after the
   * channel recovered, for diagnostics.
   */
  properties[PROP_LAST_ERROR] =
    g_param_spec_string ("last-error", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * TandemChannel:presence:
   *
   * Who is on the channel, as a #GListModel of #TandemPresenceEntry.
   */
  properties[PROP_PRESENCE] =
    g_param_spec_object ("presence", NULL, NULL, TANDEM_TYPE_PRESENCE,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * TandemChannel::status-changed:
   * @self: the channel
   * @old_status: the previous status
   * @new_status: the new status
   *
   * The #TandemChannel:status changed (emitted after its notification).
   */
  signals[STATUS_CHANGED] =
    g_signal_new ("status-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, _tandem_marshal_VOID__ENUM_ENUM, G_TYPE_NONE, 2, TANDEM_TYPE_STATUS, TANDEM_TYPE_STATUS);
  /**
   * TandemChannel::subscribe-state:
   * @self: the channel
   * @state: the outcome
   * @error: (nullable): why, for %TANDEM_SUBSCRIBE_CHANNEL_ERROR and
   *   %TANDEM_SUBSCRIBE_TIMED_OUT (a %TANDEM_CLIENT_ERROR; a refusal is
   *   %TANDEM_CLIENT_ERROR_REFUSED with the server's reason as message)
   *
   * Emitted as realtime-js calls its subscribe callback: %TANDEM_SUBSCRIBE_SUBSCRIBED
   * after every successful join (again after each rejoin),
   * %TANDEM_SUBSCRIBE_CHANNEL_ERROR on a refusal or a lost connection,
   * %TANDEM_SUBSCRIBE_TIMED_OUT when a join got no reply in time, and
   * %TANDEM_SUBSCRIBE_CLOSED when the server closed the channel or it was
   * left.
   */
  signals[SUBSCRIBE_STATE] =
    g_signal_new ("subscribe-state", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, _tandem_marshal_VOID__ENUM_BOXED, G_TYPE_NONE, 2,
                  TANDEM_TYPE_SUBSCRIBE_STATE, G_TYPE_ERROR | G_SIGNAL_TYPE_STATIC_SCOPE);
  /**
   * TandemChannel::broadcast:
   * @self: the channel
   * @event: the broadcast's event name
   * @payload: the user payload (any JSON)
   *
   * A broadcast arrived (each message of a batch sent by
   * tandem_channel_queue_broadcast() is emitted on its own). The detail is
   * the event name exactly as received: connect to `broadcast::cursor` for
   * event `cursor`. Unlike realtime-js, detail matching is case sensitive
   * (signal details are); connect without a detail and compare @event to
   * match otherwise.
   */
  signals[BROADCAST] =
    g_signal_new ("broadcast", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST | G_SIGNAL_DETAILED,
                  0, NULL, NULL, _tandem_marshal_VOID__STRING_BOXED, G_TYPE_NONE, 2,
                  G_TYPE_STRING | G_SIGNAL_TYPE_STATIC_SCOPE, JSON_TYPE_NODE | G_SIGNAL_TYPE_STATIC_SCOPE);
  /**
   * TandemChannel::broadcast-binary:
   * @self: the channel
   * @event: the broadcast's event name
   * @payload: the raw payload
   *
   * A broadcast with a binary payload arrived (protocol 2.0.0 only). The
   * detail is the event name, as for #TandemChannel::broadcast.
   */
  signals[BROADCAST_BINARY] =
    g_signal_new ("broadcast-binary", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST | G_SIGNAL_DETAILED,
                  0, NULL, NULL, _tandem_marshal_VOID__STRING_BOXED, G_TYPE_NONE, 2,
                  G_TYPE_STRING | G_SIGNAL_TYPE_STATIC_SCOPE, G_TYPE_BYTES | G_SIGNAL_TYPE_STATIC_SCOPE);
  /**
   * TandemChannel::presence-sync:
   * @self: the channel
   *
   * The presence state changed (after a state or a diff was applied).
   */
  signals[PRESENCE_SYNC] =
    g_signal_new ("presence-sync", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, g_cclosure_marshal_VOID__VOID, G_TYPE_NONE, 0);
  /**
   * TandemChannel::presence-join:
   * @self: the channel
   * @key: the presence key
   * @current_metas: the key's metas before the join (may be empty)
   * @new_metas: the metas that joined
   *
   * Metas joined under @key (phoenix.js's onJoin).
   */
  signals[PRESENCE_JOIN] =
    g_signal_new ("presence-join", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, _tandem_marshal_VOID__STRING_BOXED_BOXED, G_TYPE_NONE, 3,
                  G_TYPE_STRING, JSON_TYPE_ARRAY, JSON_TYPE_ARRAY);
  /**
   * TandemChannel::presence-leave:
   * @self: the channel
   * @key: the presence key
   * @current_metas: the key's metas after the leave (may be empty)
   * @left_metas: the metas that left
   *
   * Metas left @key (phoenix.js's onLeave).
   */
  signals[PRESENCE_LEAVE] =
    g_signal_new ("presence-leave", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, _tandem_marshal_VOID__STRING_BOXED_BOXED, G_TYPE_NONE, 3,
                  G_TYPE_STRING, JSON_TYPE_ARRAY, JSON_TYPE_ARRAY);
  /**
   * TandemChannel::postgres-change:
   * @self: the channel
   * @change: the row change
   *
   * A row change matched one of the channel's bindings (by the ids of the
   * join reply and the binding's event, as realtime-js). Emitted once per
   * change however many bindings matched. The detail is the event:
   * `postgres-change::INSERT`, `::UPDATE` or `::DELETE`.
   */
  signals[POSTGRES_CHANGE] =
    g_signal_new ("postgres-change", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST | G_SIGNAL_DETAILED,
                  0, NULL, NULL, g_cclosure_marshal_VOID__OBJECT, G_TYPE_NONE, 1, TANDEM_TYPE_CHANGE);
  /**
   * TandemChannel::system:
   * @self: the channel
   * @payload: the message: `extension`, `status`, `message`, `channel`
   *
   * The server sent a `system` message, such as "Subscribed to
   * PostgreSQL" or the reason it is about to close the channel.
   */
  signals[SYSTEM] =
    g_signal_new ("system", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, g_cclosure_marshal_VOID__BOXED, G_TYPE_NONE, 1, JSON_TYPE_OBJECT | G_SIGNAL_TYPE_STATIC_SCOPE);

  {
    GType type = G_TYPE_FROM_CLASS (klass);

    g_signal_set_va_marshaller (signals[STATUS_CHANGED], type, _tandem_marshal_VOID__ENUM_ENUMv);
    g_signal_set_va_marshaller (signals[SUBSCRIBE_STATE], type, _tandem_marshal_VOID__ENUM_BOXEDv);
    g_signal_set_va_marshaller (signals[BROADCAST], type, _tandem_marshal_VOID__STRING_BOXEDv);
    g_signal_set_va_marshaller (signals[BROADCAST_BINARY], type, _tandem_marshal_VOID__STRING_BOXEDv);
    g_signal_set_va_marshaller (signals[PRESENCE_JOIN], type, _tandem_marshal_VOID__STRING_BOXED_BOXEDv);
    g_signal_set_va_marshaller (signals[PRESENCE_LEAVE], type, _tandem_marshal_VOID__STRING_BOXED_BOXEDv);
  }
}

static void
tandem_channel_init (TandemChannel *self)
{
  self->state = TANDEM_CHANNEL_CLOSED;
  self->status = TANDEM_STATUS_DISCONNECTED;
  self->bindings = g_ptr_array_new_with_free_func (binding_free);
  self->subscribe_tasks = g_ptr_array_new_with_free_func (_tandem_channel_waiter_free);
  self->pending = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify) _tandem_push_free);
  g_queue_init (&self->broadcasts);
  g_queue_init (&self->presence_pushes);
}

TandemChannel *
_tandem_channel_new (TandemClient         *client,
                     const char           *name,
                     TandemChannelOptions *options)
{
  TandemChannel *self = g_object_new (TANDEM_TYPE_CHANNEL, NULL);

  self->client = client;
  self->clock = g_object_ref (_tandem_client_get_clock (client));
  self->status_since = tandem_clock_get_monotonic_time (self->clock);
  self->name = g_strdup (name);
  self->topic = g_strconcat ("realtime:", name, NULL);
  self->options = _tandem_channel_options_copy (options);
  self->presence_limiter = _tandem_rate_limiter_new (self->clock, TANDEM_PRESENCE_MAX_CALLS,
                                                     TANDEM_PRESENCE_WINDOW_MS);
  self->presence = _tandem_presence_new ();
  forward_presence_signal (self, "sync", PRESENCE_SYNC);
  forward_presence_signal (self, "join", PRESENCE_JOIN);
  forward_presence_signal (self, "leave", PRESENCE_LEAVE);
  return self;
}

/* Status and outcomes */

void
_tandem_channel_set_status (TandemChannel *self,
                            TandemStatus   status,
                            const char    *error_text)
{
  TandemStatus old_status = self->status;

  g_object_ref (self);
  if (error_text != NULL && g_strcmp0 (error_text, self->last_error) != 0)
    {
      g_free (self->last_error);
      self->last_error = g_strdup (error_text);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LAST_ERROR]);
    }
  if (old_status != status)
    {
      self->status = status;
      self->status_since = tandem_clock_get_monotonic_time (self->clock);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATUS]);
      g_signal_emit (self, signals[STATUS_CHANGED], 0, old_status, status);
      if (self->client != NULL)
        _tandem_client_emit_channel_status (self->client, self, old_status, status);
    }
  if (self->client != NULL)
    _tandem_client_channel_idle_changed (self->client, self);
  g_object_unref (self);
}

void
_tandem_channel_emit_subscribe_state (TandemChannel        *self,
                                      TandemSubscribeState  state,
                                      const GError         *error)
{
  g_autoptr(GError) closed = NULL;

  g_object_ref (self);
  self->has_subscribe_state = TRUE;
  self->subscribe_state = state;
  g_signal_emit (self, signals[SUBSCRIBE_STATE], 0, state, error);

  if (state == TANDEM_SUBSCRIBE_SUBSCRIBED)
    _tandem_channel_complete_waiters (self, NULL);
  else
    {
      if (error == NULL)
        error = closed = g_error_new_literal (TANDEM_CLIENT_ERROR, TANDEM_CLIENT_ERROR_CLOSED,
                                              "the channel was closed");
      _tandem_channel_complete_waiters (self, error);
    }
  g_object_unref (self);
}

void
_tandem_channel_emit_broadcast (TandemChannel *self,
                                const char    *event,
                                JsonNode      *payload)
{
  /* No quark is made for an event nobody connected to (a server could
   * otherwise grow the quark table without bound); detail 0 still reaches
   * the handlers connected without one. */
  g_signal_emit (self, signals[BROADCAST], g_quark_try_string (event), event, payload);
}

gboolean
_tandem_channel_has_broadcast_handler (TandemChannel *self,
                                       const char    *event)
{
  GQuark detail = g_quark_try_string (event);

  /* Asked with a detail, GLib counts only the handlers connected with
   * that detail: those connected without one are asked for apart (an
   * event named like any string the process interned, "cursor" in a GTK
   * app, was otherwise dropped unread). */
  return g_signal_has_handler_pending (self, signals[BROADCAST], 0, FALSE) ||
         (detail != 0 && g_signal_has_handler_pending (self, signals[BROADCAST], detail, FALSE));
}

void
_tandem_channel_emit_broadcast_binary (TandemChannel *self,
                                       const char    *event,
                                       GBytes        *payload)
{
  g_signal_emit (self, signals[BROADCAST_BINARY], g_quark_try_string (event), event, payload);
}

void
_tandem_channel_emit_change (TandemChannel *self,
                             TandemChange  *change)
{
  g_signal_emit (self, signals[POSTGRES_CHANGE],
                 g_quark_try_string (tandem_change_get_event_name (change)), change);
}

void
_tandem_channel_emit_system (TandemChannel *self,
                             JsonObject    *payload)
{
  g_signal_emit (self, signals[SYSTEM], 0, payload);
}

gboolean
_tandem_channel_is_idle (TandemChannel *self)
{
  return !self->wanted && self->state == TANDEM_CHANNEL_CLOSED;
}

void
_tandem_channel_detach (TandemChannel *self)
{
  g_autoptr(GError) error = g_error_new_literal (TANDEM_CLIENT_ERROR, TANDEM_CLIENT_ERROR_CLOSED,
                                                 "the client was closed");

  self->wanted = FALSE;
  self->state = TANDEM_CHANNEL_CLOSED;
  self->join_in_flight = FALSE;
  if (self->token_cancellable != NULL)
    {
      g_cancellable_cancel (self->token_cancellable);
      g_clear_object (&self->token_cancellable);
    }
  if (self->clock != NULL)
    {
      tandem_clock_clear_timeout (self->clock, &self->rejoin_id);
      tandem_clock_clear_timeout (self->clock, &self->pump_id);
      tandem_clock_clear_timeout (self->clock, &self->prune_id);
    }
  g_clear_pointer (&self->batcher, _tandem_batcher_free);
  g_clear_pointer (&self->join_push, _tandem_push_free);
  g_clear_pointer (&self->leave_push, _tandem_push_free);
  if (self->pending != NULL)
    _tandem_channel_fail_pending (self, error);
  _tandem_channel_fail_queued (self, error);
  if (self->subscribe_tasks != NULL)
    _tandem_channel_complete_waiters (self, error);
  self->client = NULL;
}

const char *
_tandem_status_to_string (TandemStatus status)
{
  switch (status)
    {
    case TANDEM_STATUS_DISCONNECTED:
      return "disconnected";
    case TANDEM_STATUS_CONNECTING:
      return "connecting";
    case TANDEM_STATUS_CONNECTED:
      return "connected";
    case TANDEM_STATUS_RECONNECTING:
      return "reconnecting";
    case TANDEM_STATUS_ERROR:
      return "error";
    default:
      return "unknown";
    }
}

const char *
_tandem_subscribe_state_to_string (TandemSubscribeState state)
{
  switch (state)
    {
    case TANDEM_SUBSCRIBE_SUBSCRIBED:
      return "SUBSCRIBED";
    case TANDEM_SUBSCRIBE_TIMED_OUT:
      return "TIMED_OUT";
    case TANDEM_SUBSCRIBE_CLOSED:
      return "CLOSED";
    case TANDEM_SUBSCRIBE_CHANNEL_ERROR:
      return "CHANNEL_ERROR";
    default:
      return "UNKNOWN";
    }
}

JsonObject *
_tandem_channel_dup_debug_info (TandemChannel *self)
{
  JsonObject *info = json_object_new ();
  gint64 now = tandem_clock_get_monotonic_time (self->clock);

  json_object_set_string_member (info, "name", self->name);
  json_object_set_string_member (info, "topic", self->topic);
  json_object_set_string_member (info, "status", _tandem_status_to_string (self->status));
  json_object_set_int_member (info, "retries", self->retries);
  if (self->last_error != NULL)
    json_object_set_string_member (info, "last_error", self->last_error);
  else
    json_object_set_null_member (info, "last_error");
  json_object_set_int_member (info, "time_in_state_ms", MAX (0, now - self->status_since) / 1000);
  json_object_set_int_member (info, "messages_in", (gint64) self->messages_in);
  json_object_set_int_member (info, "messages_out", (gint64) self->messages_out);
  json_object_set_int_member (info, "bytes_in", (gint64) self->bytes_in);
  json_object_set_int_member (info, "bytes_out", (gint64) self->bytes_out);
  if (self->has_subscribe_state)
    json_object_set_string_member (info, "subscribe_state",
                                   _tandem_subscribe_state_to_string (self->subscribe_state));
  else
    json_object_set_null_member (info, "subscribe_state");
  json_object_set_int_member (info, "queued", _tandem_channel_get_n_queued (self));
  return info;
}

/* Public API */

/**
 * tandem_channel_get_name:
 * @self: a #TandemChannel
 *
 * Returns: the channel name (the topic without `realtime:`)
 */
const char *
tandem_channel_get_name (TandemChannel *self)
{
  g_return_val_if_fail (TANDEM_IS_CHANNEL (self), NULL);
  return self->name;
}

/**
 * tandem_channel_get_topic:
 * @self: a #TandemChannel
 *
 * Returns: the topic, `realtime:<name>`
 */
const char *
tandem_channel_get_topic (TandemChannel *self)
{
  g_return_val_if_fail (TANDEM_IS_CHANNEL (self), NULL);
  return self->topic;
}

/**
 * tandem_channel_get_client:
 * @self: a #TandemChannel
 *
 * Returns: (transfer none) (nullable): the client, or %NULL once it is gone
 */
TandemClient *
tandem_channel_get_client (TandemChannel *self)
{
  g_return_val_if_fail (TANDEM_IS_CHANNEL (self), NULL);
  return self->client;
}

/**
 * tandem_channel_get_status:
 * @self: a #TandemChannel
 *
 * Returns: the channel's status
 */
TandemStatus
tandem_channel_get_status (TandemChannel *self)
{
  g_return_val_if_fail (TANDEM_IS_CHANNEL (self), TANDEM_STATUS_DISCONNECTED);
  return self->status;
}

/**
 * tandem_channel_get_last_error:
 * @self: a #TandemChannel
 *
 * Returns: (nullable): the last error the channel met
 */
const char *
tandem_channel_get_last_error (TandemChannel *self)
{
  g_return_val_if_fail (TANDEM_IS_CHANNEL (self), NULL);
  return self->last_error;
}

/**
 * tandem_channel_get_presence:
 * @self: a #TandemChannel
 *
 * Returns: (transfer none): who is on the channel
 */
TandemPresence *
tandem_channel_get_presence (TandemChannel *self)
{
  g_return_val_if_fail (TANDEM_IS_CHANNEL (self), NULL);
  return self->presence;
}

