/* tandem-push.c: one message a channel sends, until its reply
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "tandem-client.h"
#include "tandem-push-private.h"

TandemPush *
_tandem_push_new (TandemPushKind  kind,
                  const char     *event,
                  JsonNode       *payload)
{
  TandemPush *self = g_new0 (TandemPush, 1);

  self->kind = kind;
  self->event = g_strdup (event);
  self->payload = payload ? json_node_ref (payload) : NULL;
  return self;
}

TandemPush *
_tandem_push_new_user_broadcast (const char *user_event,
                                 GBytes     *payload,
                                 gboolean    is_json)
{
  TandemPush *self = _tandem_push_new (TANDEM_PUSH_BROADCAST, "broadcast", NULL);

  self->is_user_broadcast = TRUE;
  self->user_event = g_strdup (user_event);
  self->user_payload = g_bytes_ref (payload);
  self->user_payload_is_json = is_json;
  return self;
}

TandemMessage *
_tandem_push_to_message (TandemPush *self,
                         const char *join_ref,
                         const char *ref,
                         const char *topic)
{
  if (self->is_user_broadcast)
    return tandem_message_new_user_broadcast (join_ref, ref, topic, self->user_event,
                                              self->user_payload, self->user_payload_is_json, NULL);
  return tandem_message_new (join_ref, ref, topic, self->event, self->payload);
}

void
_tandem_push_start_timeout (TandemPush  *self,
                            TandemClock *clock,
                            guint        timeout_ms,
                            GSourceFunc  func,
                            gpointer     data)
{
  _tandem_push_stop_timeout (self);
  g_set_object (&self->clock, clock);
  self->timeout_id = tandem_clock_add_timeout (clock, timeout_ms, func, data, NULL);
}

void
_tandem_push_stop_timeout (TandemPush *self)
{
  if (self->clock != NULL)
    tandem_clock_clear_timeout (self->clock, &self->timeout_id);
}

void
_tandem_push_return (TandemPush   *self,
                     const GError *error)
{
  g_autoptr(GTask) task = g_steal_pointer (&self->task);

  if (self->cancellable != NULL)
    {
      /* Disconnecting from inside the handler is fine for a plain signal
       * handler (unlike g_cancellable_disconnect()). */
      g_clear_signal_handler (&self->cancelled_id, self->cancellable);
      g_clear_object (&self->cancellable);
    }
  if (task == NULL)
    return;
  if (error != NULL)
    g_task_return_error (task, g_error_copy (error));
  else
    g_task_return_boolean (task, TRUE);
}

void
_tandem_push_free (TandemPush *self)
{
  if (self == NULL)
    return;

  _tandem_push_stop_timeout (self);
  if (self->task != NULL)
    {
      g_autoptr(GError) error = g_error_new_literal (TANDEM_CLIENT_ERROR, TANDEM_CLIENT_ERROR_CLOSED,
                                                     "the channel was closed");

      _tandem_push_return (self, error);
    }
  _tandem_push_return (self, NULL);
  g_clear_object (&self->clock);
  g_free (self->event);
  g_clear_pointer (&self->payload, json_node_unref);
  g_free (self->user_event);
  g_clear_pointer (&self->user_payload, g_bytes_unref);
  g_free (self->ref);
  g_free (self);
}
