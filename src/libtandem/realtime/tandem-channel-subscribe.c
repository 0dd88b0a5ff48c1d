/* tandem-channel-subscribe.c: what a channel is asked to subscribe to,
 * and subscribing: postgres_changes bindings (validated with the filter
 * grammar the server uses), subscribe() and its async form
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "tandem-channel-private.h"
#include "tandem-filter.h"

typedef struct
{
  TandemChannel *channel;
  GTask         *task;
  GCancellable  *cancellable;
  gulong         cancelled_id;
} SubscribeWaiter;

void
_tandem_channel_waiter_free (gpointer data)
{
  SubscribeWaiter *waiter = data;

  g_clear_signal_handler (&waiter->cancelled_id, waiter->cancellable);
  g_clear_object (&waiter->cancellable);
  g_clear_object (&waiter->task);
  g_free (waiter);
}

void
_tandem_channel_complete_waiters (TandemChannel *self,
                                  const GError  *error)
{
  g_autoptr(GPtrArray) waiters = NULL;

  if (self->subscribe_tasks->len == 0)
    return;
  /* Completing may call back into us: take them all out first. */
  waiters = g_steal_pointer (&self->subscribe_tasks);
  self->subscribe_tasks = g_ptr_array_new_with_free_func (_tandem_channel_waiter_free);
  for (guint i = 0; i < waiters->len; i++)
    {
      SubscribeWaiter *waiter = waiters->pdata[i];
      GTask *task = g_steal_pointer (&waiter->task);

      g_clear_signal_handler (&waiter->cancelled_id, waiter->cancellable);
      if (error != NULL)
        g_task_return_error (task, g_error_copy (error));
      else
        g_task_return_boolean (task, TRUE);
      g_object_unref (task);
    }
}

/**
 * tandem_channel_add_postgres_changes:
 * @self: a #TandemChannel
 * @event: which changes
 * @schema: (nullable): the schema (%NULL is `public`)
 * @table: the table, or `*` for every table of the publication
 * @filter: (nullable): a filter such as `id=eq.1` (protocol.md §5.3)
 * @error: return location for a #GError
 *
 * Adds a postgres_changes binding: the join asks for changes of @table,
 * and those that arrive are emitted as #TandemChannel::postgres-change.
 * Call it once per table before subscribing. @filter is checked here with
 * the filter grammar the server uses.
 *
 * Returns: %TRUE, or %FALSE with %TANDEM_CLIENT_ERROR_INVALID_ARGUMENT when
 *   the filter or table is malformed or the channel is already subscribed
 */
gboolean
tandem_channel_add_postgres_changes (TandemChannel      *self,
                                     TandemChangeEvent   event,
                                     const char         *schema,
                                     const char         *table,
                                     const char         *filter,
                                     GError            **error)
{
  g_autoptr(GError) filter_error = NULL;
  g_autoptr(TandemFilter) parsed = NULL;
  TandemPgBinding *binding;

  g_return_val_if_fail (TANDEM_IS_CHANNEL (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (self->state != TANDEM_CHANNEL_CLOSED || self->wanted)
    {
      /* realtime-js throws: the join that carries bindings has gone. */
      g_set_error (error, TANDEM_CLIENT_ERROR, TANDEM_CLIENT_ERROR_INVALID_ARGUMENT,
                   "postgres_changes bindings must be added before subscribing to “%s”", self->name);
      return FALSE;
    }
  if (schema == NULL)
    schema = "public";
  if (*schema == '\0' || table == NULL || *table == '\0' || strchr (table, ' ') != NULL)
    {
      g_set_error (error, TANDEM_CLIENT_ERROR, TANDEM_CLIENT_ERROR_INVALID_ARGUMENT,
                   "“%s.%s” is not a table name", schema, table ? table : "");
      return FALSE;
    }
  if ((guint) event > TANDEM_CHANGE_DELETE)
    {
      g_set_error (error, TANDEM_CLIENT_ERROR, TANDEM_CLIENT_ERROR_INVALID_ARGUMENT,
                   "unknown change event %d", (int) event);
      return FALSE;
    }
  if (filter != NULL && *filter != '\0')
    {
      parsed = tandem_filter_parse (filter, &filter_error);
      if (parsed == NULL)
        {
          g_set_error (error, TANDEM_CLIENT_ERROR, TANDEM_CLIENT_ERROR_INVALID_ARGUMENT,
                       "invalid filter “%s” on %s.%s: %s", filter, schema, table, filter_error->message);
          return FALSE;
        }
    }

  /* Identical bindings would collapse to one id on the server (P5). */
  for (guint i = 0; i < self->bindings->len; i++)
    {
      TandemPgBinding *other = self->bindings->pdata[i];

      if (other->event == event && g_str_equal (other->schema, schema) && g_str_equal (other->table, table) &&
          g_strcmp0 (other->filter, filter && *filter ? filter : NULL) == 0)
        return TRUE;
    }

  binding = g_new0 (TandemPgBinding, 1);
  binding->event = event;
  binding->schema = g_strdup (schema);
  binding->table = g_strdup (table);
  binding->filter = filter && *filter ? g_strdup (filter) : NULL;
  binding->id = -1;
  g_ptr_array_add (self->bindings, binding);
  return TRUE;
}

/**
 * tandem_channel_subscribe:
 * @self: a #TandemChannel
 *
 * Joins the channel, connecting the client first if needed. Outcomes are
 * reported by #TandemChannel::subscribe-state and #TandemChannel:status.
 * Subscribing a channel that is already subscribed does nothing (P15); one
 * that stopped in %TANDEM_STATUS_ERROR starts again.
 */
void
tandem_channel_subscribe (TandemChannel *self)
{
  g_return_if_fail (TANDEM_IS_CHANNEL (self));

  if (self->client == NULL)
    return;
  if (self->wanted && !self->stopped)
    return;

  g_object_ref (self);
  self->wanted = TRUE;
  self->stopped = FALSE;
  self->retries = 0;
  self->joined_once = FALSE;
  g_clear_pointer (&self->system_error, g_free);
  tandem_clock_clear_timeout (self->clock, &self->rejoin_id);
  if (self->state == TANDEM_CHANNEL_CLOSED || self->state == TANDEM_CHANNEL_ERRORED)
    self->state = TANDEM_CHANNEL_JOINING;
  _tandem_channel_set_status (self, TANDEM_STATUS_CONNECTING, NULL);

  _tandem_client_ensure_connected (self->client);
  if (self->client != NULL && _tandem_connection_is_open (_tandem_client_get_connection (self->client)) &&
      self->state == TANDEM_CHANNEL_JOINING && !self->join_in_flight)
    _tandem_channel_begin_join (self);
  g_object_unref (self);
}

static void
on_waiter_cancelled (GCancellable    *cancellable,
                     SubscribeWaiter *waiter)
{
  TandemChannel *self = waiter->channel;
  GTask *task = g_steal_pointer (&waiter->task);

  g_clear_signal_handler (&waiter->cancelled_id, waiter->cancellable);
  g_ptr_array_remove (self->subscribe_tasks, waiter);
  g_task_return_error_if_cancelled (task);
  g_object_unref (task);
}

/**
 * tandem_channel_subscribe_async:
 * @self: a #TandemChannel
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called with the first outcome
 * @user_data: data for @callback
 *
 * Subscribes as tandem_channel_subscribe() does and completes on the first
 * outcome: success once joined (at once if already joined), or the error
 * of a refusal, a timeout or a close. The channel keeps retrying after an
 * error; cancelling only stops waiting.
 */
void
tandem_channel_subscribe_async (TandemChannel       *self,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  SubscribeWaiter *waiter;

  g_return_if_fail (TANDEM_IS_CHANNEL (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, tandem_channel_subscribe_async);

  if (g_task_return_error_if_cancelled (task))
    return;
  if (self->client == NULL)
    {
      g_task_return_new_error (task, TANDEM_CLIENT_ERROR, TANDEM_CLIENT_ERROR_CLOSED, "the client was closed");
      return;
    }

  tandem_channel_subscribe (self);
  if (self->state == TANDEM_CHANNEL_JOINED)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }

  waiter = g_new0 (SubscribeWaiter, 1);
  waiter->channel = self;
  waiter->task = g_steal_pointer (&task);
  if (cancellable != NULL)
    {
      waiter->cancellable = g_object_ref (cancellable);
      waiter->cancelled_id = g_signal_connect (cancellable, "cancelled", G_CALLBACK (on_waiter_cancelled), waiter);
    }
  g_ptr_array_add (self->subscribe_tasks, waiter);
}

/**
 * tandem_channel_subscribe_finish:
 * @self: a #TandemChannel
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Returns: %TRUE once joined, else %FALSE with the error
 */
gboolean
tandem_channel_subscribe_finish (TandemChannel  *self,
                                 GAsyncResult   *result,
                                 GError        **error)
{
  g_return_val_if_fail (TANDEM_IS_CHANNEL (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == tandem_channel_subscribe_async, FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
