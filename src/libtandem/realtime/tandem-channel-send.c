/* tandem-channel-send.c: what a channel sends: broadcasts, presence,
 * access tokens; buffering while not joined, pacing, replies and timeouts
 *
 * Pushes wait in two queues, broadcasts and presence, so that a track held
 * back by the presence limit (5 per 30 s) does not hold back cursor
 * broadcasts. While the channel is joined the queues drain as fast as the
 * rate limits allow (the client's events per second for broadcasts, the
 * channel's presence limit), in order, nothing dropped. While it is not
 * joined (connecting, reconnecting) they are phoenix's push buffer: at most
 * TANDEM_CHANNEL_MAX_BUFFERED pushes, the oldest failing with
 * TANDEM_CLIENT_ERROR_BUFFER_FULL beyond that. A buffered push's reply
 * timeout starts when it goes on the wire, not while it waits; it fails if
 * the channel stops (ERROR), is left or is closed.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "tandem-channel-private.h"
#include "tandem-json-private.h"
#include "tandem-json-util.h"

static gboolean
push_timeout_cb (gpointer data)
{
  TandemPush *push = data;
  TandemChannel *self = push->owner;
  g_autoptr(GError) error = NULL;

  push->timeout_id = 0;
  /* The access_token push never gets a reply (P11); it is not pending. */
  error = g_error_new (TANDEM_CLIENT_ERROR, TANDEM_CLIENT_ERROR_TIMED_OUT,
                       "no reply to %s within %u ms", push->event,
                       self->client ? self->client->push_timeout_ms : 0);
  g_hash_table_steal (self->pending, push->ref);
  _tandem_push_return (push, error);
  _tandem_push_free (push);
  return G_SOURCE_REMOVE;
}

gboolean
_tandem_channel_send_now (TandemChannel *self,
                          TandemPush    *push)
{
  TandemConnection *connection;
  g_autoptr(TandemMessage) message = NULL;
  g_autoptr(GError) error = NULL;
  gsize size = 0;

  if (self->client == NULL)
    {
      error = g_error_new_literal (TANDEM_CLIENT_ERROR, TANDEM_CLIENT_ERROR_CLOSED, "the client was closed");
      _tandem_push_return (push, error);
      _tandem_push_free (push);
      return FALSE;
    }

  connection = _tandem_client_get_connection (self->client);
  g_free (push->ref);
  push->ref = _tandem_connection_make_ref (connection);
  message = _tandem_push_to_message (push, self->join_ref, push->ref, self->topic);
  if (!_tandem_connection_send (connection, message, &size, &error))
    {
      g_debug ("realtime: %s on %s not sent: %s", push->event, self->topic, error->message);
      _tandem_push_return (push, error);
      _tandem_push_free (push);
      return FALSE;
    }
  self->messages_out++;
  self->bytes_out += size;

  if (push->expects_reply)
    {
      push->owner = self;
      g_hash_table_insert (self->pending, push->ref, push);
      _tandem_push_start_timeout (push, self->clock, self->client->push_timeout_ms, push_timeout_cb, push);
    }
  else
    {
      /* No reply will come: done once it is handed to the socket. */
      _tandem_push_return (push, NULL);
      _tandem_push_free (push);
    }
  return TRUE;
}

guint
_tandem_channel_get_n_queued (TandemChannel *self)
{
  return self->broadcasts.length + self->presence_pushes.length;
}

static TandemPush *
pop_oldest (TandemChannel *self)
{
  TandemPush *broadcast = g_queue_peek_head (&self->broadcasts);
  TandemPush *presence = g_queue_peek_head (&self->presence_pushes);

  if (broadcast != NULL && (presence == NULL || broadcast->seq < presence->seq))
    return g_queue_pop_head (&self->broadcasts);
  return g_queue_pop_head (&self->presence_pushes);
}

static void pump_cb (gpointer data);

void
_tandem_channel_pump (TandemChannel *self)
{
  TandemRateLimiter *events;
  guint wait = 0;

  if (self->state != TANDEM_CHANNEL_JOINED || self->client == NULL ||
      !_tandem_connection_is_open (_tandem_client_get_connection (self->client)))
    return;

  g_object_ref (self);
  tandem_clock_clear_timeout (self->clock, &self->pump_id);
  events = _tandem_client_get_events_limiter (self->client);

  while (self->state == TANDEM_CHANNEL_JOINED && !g_queue_is_empty (&self->broadcasts))
    {
      guint delay = _tandem_rate_limiter_try_acquire (events);

      if (delay > 0)
        {
          wait = delay;
          break;
        }
      _tandem_channel_send_now (self, g_queue_pop_head (&self->broadcasts));
    }

  while (self->state == TANDEM_CHANNEL_JOINED && !g_queue_is_empty (&self->presence_pushes))
    {
      guint delay = _tandem_rate_limiter_try_acquire (self->presence_limiter);

      if (delay > 0)
        {
          wait = wait == 0 ? delay : MIN (wait, delay);
          break;
        }
      _tandem_channel_send_now (self, g_queue_pop_head (&self->presence_pushes));
    }

  if (wait > 0 && self->state == TANDEM_CHANNEL_JOINED && self->pump_id == 0)
    self->pump_id = tandem_clock_add_timeout_once (self->clock, wait, pump_cb, self);
  g_object_unref (self);
}

static void
pump_cb (gpointer data)
{
  TandemChannel *self = data;

  self->pump_id = 0;
  _tandem_channel_pump (self);
}

static void
on_push_cancelled (GCancellable *cancellable,
                   TandemPush   *push)
{
  TandemChannel *self = push->owner;
  g_autoptr(GError) error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, "Operation was cancelled");

  if (!g_queue_remove (&self->broadcasts, push) && !g_queue_remove (&self->presence_pushes, push) &&
      push->ref != NULL && g_hash_table_lookup (self->pending, push->ref) == push)
    g_hash_table_steal (self->pending, push->ref);
  _tandem_push_return (push, error);
  _tandem_push_free (push);
}

void
_tandem_channel_enqueue (TandemChannel *self,
                         TandemPush    *push)
{
  push->owner = self;
  push->seq = self->next_seq++;

  if (self->state != TANDEM_CHANNEL_JOINED)
    {
      while (_tandem_channel_get_n_queued (self) >= TANDEM_CHANNEL_MAX_BUFFERED)
        {
          g_autoptr(TandemPush) oldest = pop_oldest (self);
          g_autoptr(GError) error =
            g_error_new (TANDEM_CLIENT_ERROR, TANDEM_CLIENT_ERROR_BUFFER_FULL,
                         "more than %u pushes waited for %s to join: the oldest was dropped",
                         TANDEM_CHANNEL_MAX_BUFFERED, self->topic);

          g_debug ("realtime: %s", error->message);
          _tandem_push_return (oldest, error);
        }
    }

  if (push->task != NULL && g_task_get_cancellable (push->task) != NULL)
    {
      push->cancellable = g_object_ref (g_task_get_cancellable (push->task));
      push->cancelled_id = g_signal_connect (push->cancellable, "cancelled",
                                             G_CALLBACK (on_push_cancelled), push);
    }

  if (push->kind == TANDEM_PUSH_PRESENCE)
    g_queue_push_tail (&self->presence_pushes, push);
  else
    g_queue_push_tail (&self->broadcasts, push);
  _tandem_channel_pump (self);
}

void
_tandem_channel_fail_queued (TandemChannel *self,
                             const GError  *error)
{
  TandemPush *push;

  while ((push = pop_oldest (self)) != NULL)
    {
      _tandem_push_return (push, error);
      _tandem_push_free (push);
    }
  tandem_clock_clear_timeout (self->clock, &self->pump_id);
}

void
_tandem_channel_fail_pending (TandemChannel *self,
                              const GError  *error)
{
  GHashTableIter iter;
  gpointer value;
  g_autoptr(GPtrArray) pushes = g_ptr_array_new_with_free_func ((GDestroyNotify) _tandem_push_free);

  g_hash_table_iter_init (&iter, self->pending);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      g_ptr_array_add (pushes, value);
      g_hash_table_iter_steal (&iter);
    }
  for (guint i = 0; i < pushes->len; i++)
    _tandem_push_return (pushes->pdata[i], error);
}

/* A reply's error: an object with "reason", a bare string
 * ("payload_size_exceeded", §3.2), or anything else as JSON. */
static GError *
reply_error (TandemPush *push,
             JsonNode   *response)
{
  g_autofree char *text = NULL;

  if (response != NULL && JSON_NODE_HOLDS_VALUE (response) && json_node_get_value_type (response) == G_TYPE_STRING)
    text = g_strdup (json_node_get_string (response));
  else if (response != NULL && JSON_NODE_HOLDS_OBJECT (response) &&
           json_object_has_member (json_node_get_object (response), "reason"))
    text = g_strdup (json_object_get_string_member_with_default (json_node_get_object (response), "reason", ""));
  else if (response != NULL && JSON_NODE_HOLDS_OBJECT (response) &&
           json_object_has_member (json_node_get_object (response), "error"))
    text = g_strdup (json_object_get_string_member_with_default (json_node_get_object (response), "error", ""));
  else if (response != NULL && !(JSON_NODE_HOLDS_OBJECT (response) &&
                                 json_object_get_size (json_node_get_object (response)) == 0))
    text = json_to_string (response, FALSE);

  if (g_strcmp0 (text, "payload_size_exceeded") == 0)
    return g_error_new (TANDEM_CLIENT_ERROR, TANDEM_CLIENT_ERROR_PAYLOAD_TOO_LARGE,
                        "the server refused %s: payload_size_exceeded", push->event);
  if (text == NULL || *text == '\0')
    return g_error_new (TANDEM_CLIENT_ERROR, TANDEM_CLIENT_ERROR_REFUSED, "the server refused %s", push->event);
  return g_error_new_literal (TANDEM_CLIENT_ERROR, TANDEM_CLIENT_ERROR_REFUSED, text);
}

void
_tandem_channel_handle_reply (TandemChannel *self,
                              TandemMessage *message)
{
  JsonObject *payload = tandem_message_get_payload_object (message);
  JsonNode *status_node = payload ? json_object_get_member (payload, "status") : NULL;
  JsonNode *response = payload ? json_object_get_member (payload, "response") : NULL;
  const char *status;
  TandemPush *push;

  if (message->ref == NULL || status_node == NULL || !JSON_NODE_HOLDS_VALUE (status_node) ||
      json_node_get_value_type (status_node) != G_TYPE_STRING)
    {
      g_debug ("realtime: dropping a malformed reply on %s", self->topic);
      return;
    }
  status = json_node_get_string (status_node);

  if (self->join_push != NULL && self->join_in_flight && g_strcmp0 (message->ref, self->join_push->ref) == 0)
    {
      _tandem_channel_handle_join_reply (self, status, response);
      return;
    }
  if (self->leave_push != NULL && g_strcmp0 (message->ref, self->leave_push->ref) == 0)
    {
      _tandem_channel_handle_leave_done (self);
      return;
    }

  push = g_hash_table_lookup (self->pending, message->ref);
  if (push == NULL)
    {
      g_debug ("realtime: dropping a reply to unknown ref %s on %s", message->ref, self->topic);
      return;
    }
  g_hash_table_steal (self->pending, message->ref);
  if (g_strcmp0 (status, "ok") == 0)
    _tandem_push_return (push, NULL);
  else
    {
      g_autoptr(GError) error = reply_error (push, response);

      _tandem_push_return (push, error);
    }
  _tandem_push_free (push);
}

void
_tandem_channel_push_access_token (TandemChannel *self,
                                   const char    *token)
{
  g_autoptr(JsonObject) object = NULL;
  g_autoptr(JsonNode) payload = NULL;
  TandemPush *push;

  if (self->state != TANDEM_CHANNEL_JOINED || token == NULL)
    return;

  object = json_object_new ();
  json_object_set_string_member (object, "access_token", token);
  payload = json_node_init_object (json_node_alloc (), object);
  /* Not paced and no reply awaited: the server never answers it (P11). */
  push = _tandem_push_new (TANDEM_PUSH_ACCESS_TOKEN, "access_token", payload);
  push->expects_reply = FALSE;
  _tandem_channel_send_now (self, push);
}

/* The public API */

static gboolean
check_can_push (TandemChannel *self,
                const char    *event,
                GError       **error)
{
  if (self->client == NULL)
    {
      g_set_error_literal (error, TANDEM_CLIENT_ERROR, TANDEM_CLIENT_ERROR_CLOSED, "the client was closed");
      return FALSE;
    }
  if (!self->wanted)
    {
      g_set_error (error, TANDEM_CLIENT_ERROR, TANDEM_CLIENT_ERROR_NOT_JOINED,
                   "tried to push “%s” to “%s” before subscribing", event, self->topic);
      return FALSE;
    }
  if (self->stopped)
    {
      g_set_error (error, TANDEM_CLIENT_ERROR, TANDEM_CLIENT_ERROR_NOT_JOINED,
                   "“%s” stopped: %s", self->topic, self->last_error ? self->last_error : "error");
      return FALSE;
    }
  return TRUE;
}

static gboolean
check_broadcast_event (TandemChannel *self,
                       const char    *event,
                       GError       **error)
{
  if (event == NULL || *event == '\0' || !g_utf8_validate (event, -1, NULL))
    {
      g_set_error_literal (error, TANDEM_CLIENT_ERROR, TANDEM_CLIENT_ERROR_INVALID_ARGUMENT,
                           "a broadcast needs an event name (UTF-8)");
      return FALSE;
    }
  /* Kind 3 frames give the event and topic one byte of length each. */
  if (self->client != NULL &&
      _tandem_connection_get_serializer (_tandem_client_get_connection (self->client)) == TANDEM_SERIALIZER_V2 &&
      (strlen (event) > 255 || strlen (self->topic) > 255))
    {
      g_set_error (error, TANDEM_CLIENT_ERROR, TANDEM_CLIENT_ERROR_INVALID_ARGUMENT,
                   "the broadcast event “%.32s…” or the topic is over 255 bytes", event);
      return FALSE;
    }
  return TRUE;
}

static TandemPush *
new_json_broadcast (TandemChannel *self,
                    const char    *event,
                    JsonNode      *payload)
{
  TandemSerializer serializer = _tandem_connection_get_serializer (_tandem_client_get_connection (self->client));
  g_autoptr(JsonNode) empty = NULL;

  /* A missing payload is sent as {} (realtime-js). */
  if (payload == NULL)
    payload = empty = tandem_json_node_take_object (json_object_new ());

  if (serializer == TANDEM_SERIALIZER_V2)
    {
      gsize length = 0;
      char *text = tandem_json_to_data (payload, &length);
      g_autoptr(GBytes) bytes = g_bytes_new_take (text, length);

      return _tandem_push_new_user_broadcast (event, bytes, TRUE);
    }
  else
    {
      JsonObject *object = json_object_new ();
      g_autoptr(JsonNode) wrapped = NULL;

      json_object_set_string_member (object, "type", "broadcast");
      json_object_set_string_member (object, "event", event);
      json_object_set_member (object, "payload", json_node_copy (payload));
      wrapped = tandem_json_node_take_object (object);
      return _tandem_push_new (TANDEM_PUSH_BROADCAST, "broadcast", wrapped);
    }
}

static void
enqueue_with_task (TandemChannel *self,
                   TandemPush    *push,
                   GTask         *task)
{
  push->task = g_object_ref (task);
  _tandem_channel_enqueue (self, push);
}

/**
 * tandem_channel_send_broadcast_async:
 * @self: a subscribed #TandemChannel
 * @event: the event name
 * @payload: (nullable): the payload, any JSON (%NULL sends `{}`)
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when done
 * @user_data: data for @callback
 *
 * Broadcasts @payload to the channel's subscribers (as binary kind 3 on
 * protocol 2.0.0, as text on 1.0.0, like realtime-js). Completes when the
 * message is handed to the socket, or with broadcast acks
 * (tandem_channel_options_set_broadcast_ack()) when the server
 * acknowledged it. While the channel is (re)joining the message waits in
 * its buffer; sends beyond the client's #TandemClient:events-per-second
 * wait their turn.
 */
void
tandem_channel_send_broadcast_async (TandemChannel       *self,
                                     const char          *event,
                                     JsonNode            *payload,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  TandemPush *push;

  g_return_if_fail (TANDEM_IS_CHANNEL (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, tandem_channel_send_broadcast_async);
  if (g_task_return_error_if_cancelled (task))
    return;
  if (!check_can_push (self, "broadcast", &error) || !check_broadcast_event (self, event, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  push = new_json_broadcast (self, event, payload);
  push->expects_reply = tandem_channel_options_get_broadcast_ack (self->options);
  enqueue_with_task (self, push, task);
}

/**
 * tandem_channel_send_broadcast_finish:
 * @self: a #TandemChannel
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Returns: %TRUE when sent (and acknowledged, with acks), else %FALSE
 *   with a %TANDEM_CLIENT_ERROR
 */
gboolean
tandem_channel_send_broadcast_finish (TandemChannel  *self,
                                      GAsyncResult   *result,
                                      GError        **error)
{
  g_return_val_if_fail (TANDEM_IS_CHANNEL (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == tandem_channel_send_broadcast_async, FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * tandem_channel_send_broadcast_bytes_async:
 * @self: a subscribed #TandemChannel
 * @event: the event name
 * @payload: the raw payload
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when done
 * @user_data: data for @callback
 *
 * Broadcasts a binary payload (binary kind 3 with binary encoding).
 * Protocol 1.0.0 cannot carry one: the call then fails with
 * %TANDEM_CLIENT_ERROR_INVALID_ARGUMENT. Otherwise as
 * tandem_channel_send_broadcast_async().
 */
void
tandem_channel_send_broadcast_bytes_async (TandemChannel       *self,
                                           const char          *event,
                                           GBytes              *payload,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  TandemPush *push;

  g_return_if_fail (TANDEM_IS_CHANNEL (self));
  g_return_if_fail (payload != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, tandem_channel_send_broadcast_bytes_async);
  if (g_task_return_error_if_cancelled (task))
    return;
  if (!check_can_push (self, "broadcast", &error) || !check_broadcast_event (self, event, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (_tandem_connection_get_serializer (_tandem_client_get_connection (self->client)) != TANDEM_SERIALIZER_V2)
    {
      g_task_return_new_error (task, TANDEM_CLIENT_ERROR, TANDEM_CLIENT_ERROR_INVALID_ARGUMENT,
                               "binary payloads need protocol 2.0.0");
      return;
    }

  push = _tandem_push_new_user_broadcast (event, payload, FALSE);
  push->expects_reply = tandem_channel_options_get_broadcast_ack (self->options);
  enqueue_with_task (self, push, task);
}

/**
 * tandem_channel_send_broadcast_bytes_finish:
 * @self: a #TandemChannel
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Returns: %TRUE when sent (and acknowledged, with acks)
 */
gboolean
tandem_channel_send_broadcast_bytes_finish (TandemChannel  *self,
                                            GAsyncResult   *result,
                                            GError        **error)
{
  g_return_val_if_fail (TANDEM_IS_CHANNEL (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == tandem_channel_send_broadcast_bytes_async,
                        FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
batch_flush_cb (const char *event,
                JsonNode   *payload,
                gpointer    user_data)
{
  TandemChannel *self = user_data;
  TandemPush *push;

  if (!self->wanted || self->stopped || self->client == NULL)
    return;
  push = new_json_broadcast (self, event, payload);
  /* Nobody waits for it, so no ack is awaited either. */
  push->expects_reply = FALSE;
  _tandem_channel_enqueue (self, push);
}

/**
 * tandem_channel_queue_broadcast:
 * @self: a subscribed #TandemChannel
 * @event: the event name
 * @payload: (nullable): the payload
 *
 * Broadcasts without waiting, coalesced with other queued broadcasts of
 * this channel into one `batch_messages` broadcast per 100 ms or per 10
 * messages (receivers using libtandem get each message as its own
 * #TandemChannel::broadcast). For streams of pointer positions or pen
 * points. Dropped (with a debug message) when the channel is not
 * subscribed.
 */
void
tandem_channel_queue_broadcast (TandemChannel *self,
                                const char    *event,
                                JsonNode      *payload)
{
  g_autoptr(GError) error = NULL;

  g_return_if_fail (TANDEM_IS_CHANNEL (self));

  if (!check_can_push (self, "broadcast", &error) || !check_broadcast_event (self, event, &error))
    {
      g_debug ("realtime: queued broadcast dropped: %s", error->message);
      return;
    }
  if (self->batcher == NULL)
    self->batcher = _tandem_batcher_new (self->clock, batch_flush_cb, self);
  _tandem_batcher_queue (self->batcher, event, payload);
}

static void
presence_push (TandemChannel       *self,
               const char          *event,
               JsonObject          *state,
               gpointer             source_tag,
               GCancellable        *cancellable,
               GAsyncReadyCallback  callback,
               gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) payload = NULL;
  JsonObject *object;
  TandemPush *push;

  g_task_set_source_tag (task, source_tag);
  if (g_task_return_error_if_cancelled (task))
    return;
  if (!check_can_push (self, "presence", &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  object = json_object_new ();
  json_object_set_string_member (object, "type", "presence");
  json_object_set_string_member (object, "event", event);
  if (state != NULL)
    json_object_set_object_member (object, "payload", json_object_ref (state));
  payload = tandem_json_node_take_object (object);

  push = _tandem_push_new (TANDEM_PUSH_PRESENCE, "presence", payload);
  push->expects_reply = TRUE;
  enqueue_with_task (self, push, task);
}

/**
 * tandem_channel_track_async:
 * @self: a subscribed #TandemChannel
 * @state: this client's presence meta
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when the server replied
 * @user_data: data for @callback
 *
 * Tracks this client on the channel with @state (tracking again replaces
 * it). Realtime closes a channel that makes more than 5 presence calls in
 * 30 s, so calls beyond that wait until the window allows them.
 */
void
tandem_channel_track_async (TandemChannel       *self,
                            JsonObject          *state,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(JsonObject) empty = NULL;

  g_return_if_fail (TANDEM_IS_CHANNEL (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  if (state == NULL)
    state = empty = json_object_new ();
  presence_push (self, "track", state, tandem_channel_track_async, cancellable, callback, user_data);
}

/**
 * tandem_channel_track_finish:
 * @self: a #TandemChannel
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Returns: %TRUE when the server accepted the track
 */
gboolean
tandem_channel_track_finish (TandemChannel  *self,
                             GAsyncResult   *result,
                             GError        **error)
{
  g_return_val_if_fail (TANDEM_IS_CHANNEL (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == tandem_channel_track_async, FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * tandem_channel_untrack_async:
 * @self: a subscribed #TandemChannel
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when the server replied
 * @user_data: data for @callback
 *
 * Stops tracking this client on the channel (paced as
 * tandem_channel_track_async()).
 */
void
tandem_channel_untrack_async (TandemChannel       *self,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_return_if_fail (TANDEM_IS_CHANNEL (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  presence_push (self, "untrack", NULL, tandem_channel_untrack_async, cancellable, callback, user_data);
}

/**
 * tandem_channel_untrack_finish:
 * @self: a #TandemChannel
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Returns: %TRUE when the server accepted the untrack
 */
gboolean
tandem_channel_untrack_finish (TandemChannel  *self,
                               GAsyncResult   *result,
                               GError        **error)
{
  g_return_val_if_fail (TANDEM_IS_CHANNEL (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == tandem_channel_untrack_async, FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
