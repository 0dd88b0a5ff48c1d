/* tandem-batcher.c: coalescing broadcasts into batch_messages
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "tandem-batcher-private.h"

typedef struct
{
  char     *event;
  JsonNode *payload;  /* never NULL: a missing payload is a JSON null */
} QueuedMessage;

struct _TandemBatcher
{
  TandemClock            *clock;
  TandemBatcherFlushFunc  flush;
  gpointer                user_data;
  GPtrArray              *queue;       /* QueuedMessage */
  guint                   timeout_id;  /* on @clock, while @queue is not empty */
};

static void
queued_message_free (gpointer data)
{
  QueuedMessage *message = data;

  g_free (message->event);
  json_node_unref (message->payload);
  g_free (message);
}

TandemBatcher *
_tandem_batcher_new (TandemClock            *clock,
                     TandemBatcherFlushFunc  flush,
                     gpointer                user_data)
{
  TandemBatcher *self;

  g_return_val_if_fail (TANDEM_IS_CLOCK (clock), NULL);
  g_return_val_if_fail (flush != NULL, NULL);

  self = g_new0 (TandemBatcher, 1);
  self->clock = g_object_ref (clock);
  self->flush = flush;
  self->user_data = user_data;
  self->queue = g_ptr_array_new_with_free_func (queued_message_free);
  return self;
}

void
_tandem_batcher_free (TandemBatcher *self)
{
  if (self == NULL)
    return;

  tandem_clock_clear_timeout (self->clock, &self->timeout_id);
  g_ptr_array_unref (self->queue);
  g_object_unref (self->clock);
  g_free (self);
}

static gboolean
batcher_timeout_cb (gpointer user_data)
{
  TandemBatcher *self = user_data;

  /* The clock drops this timeout itself once we return G_SOURCE_REMOVE. */
  self->timeout_id = 0;
  _tandem_batcher_flush (self);
  return G_SOURCE_REMOVE;
}

void
_tandem_batcher_queue (TandemBatcher *self,
                       const char    *event,
                       JsonNode      *payload)
{
  QueuedMessage *message;

  g_return_if_fail (self != NULL);
  g_return_if_fail (event != NULL);

  message = g_new0 (QueuedMessage, 1);
  message->event = g_strdup (event);
  message->payload = payload != NULL ? json_node_ref (payload) : json_node_new (JSON_NODE_NULL);
  g_ptr_array_add (self->queue, message);

  if (self->queue->len >= TANDEM_BATCH_MAX_MESSAGES)
    _tandem_batcher_flush (self);
  else if (self->timeout_id == 0)
    /* The delay counts from the first message of a batch, not the last,
     * so a steady stream still goes out every TANDEM_BATCH_DELAY_MS. */
    self->timeout_id = tandem_clock_add_timeout (self->clock, TANDEM_BATCH_DELAY_MS,
                                                 batcher_timeout_cb, self, NULL);
}

static JsonNode *
build_batch_payload (GPtrArray *messages)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "messages");
  json_builder_begin_array (builder);
  for (guint i = 0; i < messages->len; i++)
    {
      QueuedMessage *message = messages->pdata[i];

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "event");
      json_builder_add_string_value (builder, message->event);
      json_builder_set_member_name (builder, "payload");
      json_builder_add_value (builder, json_node_ref (message->payload));
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

void
_tandem_batcher_flush (TandemBatcher *self)
{
  g_autoptr(GPtrArray) messages = NULL;
  TandemBatcherFlushFunc flush;
  gpointer user_data;

  g_return_if_fail (self != NULL);

  tandem_clock_clear_timeout (self->clock, &self->timeout_id);
  if (self->queue->len == 0)
    return;

  /* Take the queue first: the callback may queue more, or free us. */
  messages = g_steal_pointer (&self->queue);
  self->queue = g_ptr_array_new_with_free_func (queued_message_free);
  flush = self->flush;
  user_data = self->user_data;

  if (messages->len == 1)
    {
      QueuedMessage *message = messages->pdata[0];

      flush (message->event, message->payload, user_data);
    }
  else
    {
      g_autoptr(JsonNode) payload = build_batch_payload (messages);

      flush (TANDEM_BATCH_EVENT, payload, user_data);
    }
}

guint
_tandem_batcher_get_n_queued (TandemBatcher *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->queue->len;
}

gboolean
_tandem_batch_unpack (JsonNode               *payload,
                      TandemBatchMessageFunc  func,
                      gpointer                user_data)
{
  JsonObject *object;
  JsonNode *messages_node;
  JsonArray *messages;
  guint n;

  g_return_val_if_fail (func != NULL, FALSE);

  if (payload == NULL || !JSON_NODE_HOLDS_OBJECT (payload))
    return FALSE;
  object = json_node_get_object (payload);
  messages_node = json_object_get_member (object, "messages");
  if (messages_node == NULL || !JSON_NODE_HOLDS_ARRAY (messages_node))
    return FALSE;

  /* Hold the array: @func may drop the last reference to @payload. */
  messages = json_array_ref (json_node_get_array (messages_node));
  n = json_array_get_length (messages);
  for (guint i = 0; i < n; i++)
    {
      JsonNode *element = json_array_get_element (messages, i);
      JsonObject *message;
      JsonNode *event;
      JsonNode *message_payload;

      if (!JSON_NODE_HOLDS_OBJECT (element))
        continue;
      message = json_node_get_object (element);
      event = json_object_get_member (message, "event");
      message_payload = json_object_get_member (message, "payload");
      if (event == NULL ||
          json_node_get_value_type (event) != G_TYPE_STRING ||
          message_payload == NULL)
        continue;

      func (json_node_get_string (event), message_payload, user_data);
    }
  json_array_unref (messages);

  return TRUE;
}
