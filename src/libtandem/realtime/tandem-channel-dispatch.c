/* tandem-channel-dispatch.c: frames the server sends a channel
 *
 * Stale frames (a join_ref of an earlier join, P10) are dropped first; then
 * replies go to their push, phx_close/phx_error to the state machine, and
 * the rest becomes signals. Nothing the server sends can make a channel
 * misbehave: frames of the wrong shape are logged with g_debug() and
 * dropped.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "tandem-change-private.h"
#include "tandem-channel-private.h"
#include "tandem-json-private.h"
#include "tandem-json-util.h"



static void
emit_batched (const char *event,
              JsonNode   *payload,
              gpointer    user_data)
{
  TandemChannel *self = user_data;

  /* A channel left from a handler gets nothing more. */
  if (self->state == TANDEM_CHANNEL_JOINED)
    _tandem_channel_emit_broadcast (self, event, payload);
}

static void
emit_json_broadcast (TandemChannel *self,
                     const char    *event,
                     JsonNode      *payload)
{
  g_autoptr(JsonNode) empty = NULL;

  if (payload == NULL)
    payload = empty = tandem_json_node_take_object (json_object_new ());
  if (g_str_equal (event, TANDEM_BATCH_EVENT) && _tandem_batch_unpack (payload, emit_batched, self))
    return;
  _tandem_channel_emit_broadcast (self, event, payload);
}

static void
handle_broadcast (TandemChannel *self,
                  TandemMessage *message)
{
  JsonObject *payload;
  const char *event;

  if (message->is_user_broadcast)
    {
      g_autoptr(JsonNode) node = NULL;
      g_autoptr(GError) error = NULL;

      if (!message->user_payload_is_json)
        {
          _tandem_channel_emit_broadcast_binary (self, message->user_event, message->user_payload);
          return;
        }
      /* Nobody listens to this event: no need to build its payload. */
      if (!g_str_equal (message->user_event, TANDEM_BATCH_EVENT) &&
          !_tandem_channel_has_broadcast_handler (self, message->user_event))
        return;
      node = tandem_message_parse_user_payload (message, &error);
      if (node == NULL)
        {
          g_debug ("realtime: dropping a broadcast with bad JSON on %s: %s", self->topic, error->message);
          return;
        }
      emit_json_broadcast (self, message->user_event, node);
      return;
    }

  payload = tandem_message_get_payload_object (message);
  event = tandem_json_string_member (payload, "event");
  if (event == NULL)
    {
      g_debug ("realtime: dropping a broadcast without an event on %s", self->topic);
      return;
    }
  emit_json_broadcast (self, event, json_object_get_member (payload, "payload"));
}

void
_tandem_channel_handle_user_broadcast (TandemChannel                 *self,
                                       const TandemUserBroadcastView *view,
                                       GBytes                        *frame)
{
  char event[256];
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;

  self->messages_in++;
  self->bytes_in += g_bytes_get_size (frame);
  if (self->state != TANDEM_CHANNEL_JOINED)
    {
      g_debug ("realtime: dropping broadcast on %s, which is not joined", self->topic);
      return;
    }

  memcpy (event, view->event, view->event_len);
  event[view->event_len] = '\0';
  if (!view->payload_is_json)
    {
      g_autoptr(GBytes) payload = g_bytes_new_from_bytes (frame, view->payload_offset, view->payload_len);

      _tandem_channel_emit_broadcast_binary (self, event, payload);
      return;
    }
  /* Nobody listens to this event: its payload is not even read. */
  if (!g_str_equal (event, TANDEM_BATCH_EVENT) && !_tandem_channel_has_broadcast_handler (self, event))
    return;
  node = tandem_json_parse ((const char *) view->payload, view->payload_len,
                            TANDEM_CLIENT_ERROR, TANDEM_CLIENT_ERROR_PROTOCOL, &error);
  if (node == NULL)
    {
      g_debug ("realtime: dropping a broadcast with bad JSON on %s: %s", self->topic, error->message);
      return;
    }
  emit_json_broadcast (self, event, node);
}

static gboolean
binding_matches (TandemPgBinding *binding,
                 JsonArray       *ids,
                 TandemChange    *change)
{
  if (binding->id < 0)
    return FALSE;
  if (binding->event != TANDEM_CHANGE_ALL && binding->event != tandem_change_get_event (change))
    return FALSE;
  for (guint i = 0; i < json_array_get_length (ids); i++)
    {
      JsonNode *id = json_array_get_element (ids, i);

      if (JSON_NODE_HOLDS_VALUE (id) && json_node_get_value_type (id) == G_TYPE_INT64 &&
          json_node_get_int (id) == binding->id)
        return TRUE;
    }
  return FALSE;
}

/* realtime-js's _updateFilterMessage: a binding fires when the change's
 * ids include its id and its event is * or the change's type (P6). */
static void
handle_postgres_changes (TandemChannel *self,
                         TandemMessage *message)
{
  JsonObject *payload = tandem_message_get_payload_object (message);
  JsonNode *ids_node = payload ? json_object_get_member (payload, "ids") : NULL;
  JsonObject *data = tandem_json_object_member (payload, "data");
  g_autoptr(TandemChange) change = NULL;
  g_autoptr(GError) error = NULL;
  JsonArray *ids;

  if (ids_node == NULL || !JSON_NODE_HOLDS_ARRAY (ids_node) || data == NULL)
    {
      g_debug ("realtime: dropping a postgres_changes frame without ids or data on %s", self->topic);
      return;
    }
  ids = json_node_get_array (ids_node);
  change = _tandem_change_new_from_data (data, &error);
  if (change == NULL)
    {
      g_debug ("realtime: dropping a malformed change on %s: %s", self->topic, error->message);
      return;
    }

  for (guint i = 0; i < self->bindings->len; i++)
    if (binding_matches (self->bindings->pdata[i], ids, change))
      {
        _tandem_channel_emit_change (self, change);
        return;
      }
  g_debug ("realtime: a change on %s matched no binding", self->topic);
}

static void
handle_system (TandemChannel *self,
               TandemMessage *message)
{
  JsonObject *payload = tandem_message_get_payload_object (message);
  const char *status = tandem_json_string_member (payload, "status");
  const char *text = tandem_json_string_member (payload, "message");
  const char *extension = tandem_json_string_member (payload, "extension");

  if (payload == NULL)
    {
      g_debug ("realtime: dropping a system frame that is not an object on %s", self->topic);
      return;
    }
  if (g_strcmp0 (status, "error") == 0 && text != NULL)
    {
      /* A channel shutdown is a system error then phx_close (§2.5): keep
       * the reason for the close. A postgres_changes error leaves the
       * channel open, but is worth showing. */
      if (g_strcmp0 (extension, "postgres_changes") != 0)
        {
          g_free (self->system_error);
          self->system_error = g_strdup (text);
        }
      _tandem_channel_set_status (self, self->status, text);
    }
  _tandem_channel_emit_system (self, payload);
}

void
_tandem_channel_handle_message (TandemChannel *self,
                                TandemMessage *message,
                                gsize          frame_size)
{
  const char *event = message->event;
  gboolean control;

  self->messages_in++;
  self->bytes_in += frame_size;

  /* Stale: sent for an earlier join of this topic (phoenix isMember). */
  if (message->join_ref != NULL && g_strcmp0 (message->join_ref, self->join_ref) != 0)
    {
      g_debug ("realtime: dropping %s on %s for stale join_ref %s", event, self->topic, message->join_ref);
      return;
    }

  control = g_str_equal (event, "phx_close") || g_str_equal (event, "phx_error") ||
            g_str_equal (event, "phx_join") || g_str_equal (event, "phx_leave");
  if (control && message->ref != NULL && g_strcmp0 (message->ref, self->join_ref) != 0)
    {
      g_debug ("realtime: dropping %s on %s for ref %s", event, self->topic, message->ref);
      return;
    }

  if (g_str_equal (event, "phx_reply"))
    _tandem_channel_handle_reply (self, message);
  else if (g_str_equal (event, "phx_close"))
    _tandem_channel_handle_server_close (self);
  else if (g_str_equal (event, "phx_error"))
    _tandem_channel_handle_server_error (self);
  else if (self->state != TANDEM_CHANNEL_JOINED)
    g_debug ("realtime: dropping %s on %s, which is not joined", event, self->topic);
  else if (g_str_equal (event, "broadcast"))
    handle_broadcast (self, message);
  else if (g_str_equal (event, "presence_state") || g_str_equal (event, "presence_diff"))
    {
      JsonObject *payload = tandem_message_get_payload_object (message);
      gboolean ok;

      if (payload == NULL)
        {
          g_debug ("realtime: dropping %s that is not an object on %s", event, self->topic);
          return;
        }
      if (g_str_equal (event, "presence_state"))
        ok = _tandem_presence_handle_state (self->presence, payload);
      else
        ok = _tandem_presence_handle_diff (self->presence, payload);
      if (!ok)
        g_debug ("realtime: skipped malformed entries of %s on %s", event, self->topic);
    }
  else if (g_str_equal (event, "postgres_changes"))
    handle_postgres_changes (self, message);
  else if (g_str_equal (event, "system"))
    handle_system (self, message);
  else
    g_debug ("realtime: dropping unknown event %s on %s", event, self->topic);
}
