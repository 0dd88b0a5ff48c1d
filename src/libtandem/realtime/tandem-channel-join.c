/* tandem-channel-join.c: the channel state machine: joining, rejoining,
 * leaving, and what connection losses and server frames do to it
 *
 * The transitions are phoenix.js's (protocol.md §2.6 and §7), with three
 * differences that make a long-running desktop client behave:
 *  - rejoins follow the client's back-off schedule (1, 2, 4 … 30 s with
 *    jitter) and stop after TANDEM_BACKOFF_MAX_RETRIES, or at once on a
 *    refusal that cannot heal by itself (P3); the health check starts them
 *    again later;
 *  - a `system` "Token has expired" followed by `phx_close` refreshes the
 *    token and rejoins instead of closing for good (P2);
 *  - every join first makes sure the access token is fresh.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "tandem-backoff-private.h"
#include "tandem-channel-private.h"
#include "tandem-json-util.h"

/* Refusals that the same request will meet again (protocol.md §2.3, P3). */
static const char * const permanent_codes[] = {
  "Unauthorized",
  "MalformedJWT",
  "PrivateOnly",
  "TenantNotFound",
  "JwtSignatureError",
  "JwtSignerError",
  "TopicNameRequired",
  "UnableToReplayMessages",
};

static gboolean
is_permanent_refusal (const char *reason)
{
  for (guint i = 0; i < G_N_ELEMENTS (permanent_codes); i++)
    {
      gsize len = strlen (permanent_codes[i]);

      if (strncmp (reason, permanent_codes[i], len) == 0 && reason[len] == ':')
        return TRUE;
    }
  return FALSE;
}

static const char *
event_to_wire (TandemChangeEvent event)
{
  switch (event)
    {
    case TANDEM_CHANGE_INSERT:
      return "INSERT";
    case TANDEM_CHANGE_UPDATE:
      return "UPDATE";
    case TANDEM_CHANGE_DELETE:
      return "DELETE";
    case TANDEM_CHANGE_ALL:
    default:
      return "*";
    }
}

static gboolean
socket_is_open (TandemChannel *self)
{
  return self->client != NULL && _tandem_connection_is_open (_tandem_client_get_connection (self->client));
}

static TandemStatus
rejoining_status (TandemChannel *self)
{
  return self->joined_once ? TANDEM_STATUS_RECONNECTING : TANDEM_STATUS_CONNECTING;
}

static void
cancel_token_fetch (TandemChannel *self)
{
  if (self->token_cancellable != NULL)
    {
      g_cancellable_cancel (self->token_cancellable);
      g_clear_object (&self->token_cancellable);
    }
}

static void
drop_join (TandemChannel *self)
{
  cancel_token_fetch (self);
  self->join_in_flight = FALSE;
  g_clear_pointer (&self->join_push, _tandem_push_free);
}

/* The join payload as realtime-js's subscribe() builds it (§2.2). */
static JsonNode *
build_join_payload (TandemChannel *self,
                    const char    *token)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  const char *key = tandem_channel_options_get_presence_key (self->options);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "config");
  json_builder_begin_object (builder);

  json_builder_set_member_name (builder, "broadcast");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "self");
  json_builder_add_boolean_value (builder, tandem_channel_options_get_broadcast_self (self->options));
  json_builder_set_member_name (builder, "ack");
  json_builder_add_boolean_value (builder, tandem_channel_options_get_broadcast_ack (self->options));
  json_builder_end_object (builder);

  json_builder_set_member_name (builder, "presence");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "key");
  json_builder_add_string_value (builder, key ? key : "");
  json_builder_set_member_name (builder, "enabled");
  json_builder_add_boolean_value (builder, tandem_channel_options_get_presence_enabled (self->options));
  json_builder_end_object (builder);

  json_builder_set_member_name (builder, "postgres_changes");
  json_builder_begin_array (builder);
  for (guint i = 0; i < self->bindings->len; i++)
    {
      TandemPgBinding *binding = self->bindings->pdata[i];

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "event");
      json_builder_add_string_value (builder, event_to_wire (binding->event));
      json_builder_set_member_name (builder, "schema");
      json_builder_add_string_value (builder, binding->schema);
      json_builder_set_member_name (builder, "table");
      json_builder_add_string_value (builder, binding->table);
      if (binding->filter != NULL)
        {
          json_builder_set_member_name (builder, "filter");
          json_builder_add_string_value (builder, binding->filter);
        }
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  json_builder_set_member_name (builder, "private");
  json_builder_add_boolean_value (builder, tandem_channel_options_get_private (self->options));
  json_builder_end_object (builder);

  if (token != NULL)
    {
      json_builder_set_member_name (builder, "access_token");
      json_builder_add_string_value (builder, token);
    }
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

static gboolean
member_matches (JsonObject *object,
                const char *member,
                const char *expected)
{
  JsonNode *node = json_object_get_member (object, member);

  /* realtime-js compares with ===, where undefined, null and a missing key
   * are the same thing. */
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return expected == NULL;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return FALSE;
  return g_strcmp0 (json_node_get_string (node), expected) == 0;
}

/* realtime-js's _updatePostgresBindings: by index, same event, schema,
 * table and filter, and an integer id (P5, P6). */
static gboolean
map_bindings (TandemChannel *self,
              JsonNode      *response)
{
  JsonObject *object = response && JSON_NODE_HOLDS_OBJECT (response) ? json_node_get_object (response) : NULL;
  JsonNode *list = object ? json_object_get_member (object, "postgres_changes") : NULL;
  JsonArray *server = list && JSON_NODE_HOLDS_ARRAY (list) ? json_node_get_array (list) : NULL;

  if (self->bindings->len == 0)
    return TRUE;
  if (server == NULL || json_array_get_length (server) < self->bindings->len)
    return FALSE;

  for (guint i = 0; i < self->bindings->len; i++)
    {
      TandemPgBinding *binding = self->bindings->pdata[i];
      JsonNode *element = json_array_get_element (server, i);
      JsonObject *entry = JSON_NODE_HOLDS_OBJECT (element) ? json_node_get_object (element) : NULL;
      JsonNode *id;

      if (entry == NULL ||
          !member_matches (entry, "event", event_to_wire (binding->event)) ||
          !member_matches (entry, "schema", binding->schema) ||
          !member_matches (entry, "table", binding->table) ||
          !member_matches (entry, "filter", binding->filter))
        return FALSE;
      id = json_object_get_member (entry, "id");
      if (id == NULL || !JSON_NODE_HOLDS_VALUE (id) || json_node_get_value_type (id) != G_TYPE_INT64)
        return FALSE;
      binding->id = json_node_get_int (id);
    }
  return TRUE;
}

/* realtime-js joins every value of an error response into its message. */
static char *
refusal_reason (JsonNode *response)
{
  g_autoptr(GString) text = NULL;
  JsonObject *object;
  g_autoptr(GList) members = NULL;

  if (response == NULL)
    return g_strdup ("the server refused the join");
  if (JSON_NODE_HOLDS_VALUE (response) && json_node_get_value_type (response) == G_TYPE_STRING)
    return g_strdup (json_node_get_string (response));
  if (!JSON_NODE_HOLDS_OBJECT (response))
    return g_strdup ("the server refused the join");

  object = json_node_get_object (response);
  if (json_object_has_member (object, "reason") &&
      JSON_NODE_HOLDS_VALUE (json_object_get_member (object, "reason")) &&
      json_node_get_value_type (json_object_get_member (object, "reason")) == G_TYPE_STRING)
    return g_strdup (json_object_get_string_member (object, "reason"));

  text = g_string_new (NULL);
  members = json_object_get_values (object);
  for (GList *l = members; l; l = l->next)
    {
      JsonNode *value = l->data;

      if (text->len > 0)
        g_string_append (text, ", ");
      if (JSON_NODE_HOLDS_VALUE (value) && json_node_get_value_type (value) == G_TYPE_STRING)
        g_string_append (text, json_node_get_string (value));
      else
        {
          g_autofree char *json = json_to_string (value, FALSE);

          g_string_append (text, json);
        }
    }
  return text->len > 0 ? g_string_free (g_steal_pointer (&text), FALSE)
                       : g_strdup ("the server refused the join");
}

/* Stops rejoining: the channel shows ERROR until the health check, a new
 * token or a new subscribe() starts it again. */
static void
stop (TandemChannel *self,
      const char    *reason)
{
  g_autoptr(GError) error = g_error_new_literal (TANDEM_CLIENT_ERROR, TANDEM_CLIENT_ERROR_REFUSED, reason);

  self->stopped = TRUE;
  self->state = TANDEM_CHANNEL_ERRORED;
  tandem_clock_clear_timeout (self->clock, &self->rejoin_id);
  _tandem_channel_fail_queued (self, error);
  _tandem_channel_set_status (self, TANDEM_STATUS_ERROR, reason);
}

static void
send_leave_and_forget (TandemChannel *self)
{
  g_autoptr(TandemPush) push = NULL;

  if (!socket_is_open (self) || self->join_ref == NULL)
    return;
  push = _tandem_push_new (TANDEM_PUSH_LEAVE, "phx_leave", NULL);
  push->expects_reply = FALSE;
  _tandem_channel_send_now (self, g_steal_pointer (&push));
}

static void
send_join (TandemChannel *self,
           const char    *token)
{
  TandemConnection *connection;
  g_autoptr(JsonNode) payload = NULL;
  g_autoptr(TandemMessage) message = NULL;
  g_autoptr(GError) error = NULL;
  gsize size = 0;

  if (self->state != TANDEM_CHANNEL_JOINING || !socket_is_open (self))
    return;

  connection = _tandem_client_get_connection (self->client);
  g_free (self->join_ref);
  self->join_ref = _tandem_connection_make_ref (connection);
  /* Presence diffs now wait for the state of this join (P8, P10). */
  _tandem_presence_set_join_ref (self->presence, self->join_ref);
  for (guint i = 0; i < self->bindings->len; i++)
    ((TandemPgBinding *) self->bindings->pdata[i])->id = -1;

  payload = build_join_payload (self, token);
  g_clear_pointer (&self->join_push, _tandem_push_free);
  self->join_push = _tandem_push_new (TANDEM_PUSH_JOIN, "phx_join", payload);
  self->join_push->expects_reply = TRUE;
  self->join_push->ref = g_strdup (self->join_ref);

  /* phx_join: ref == join_ref (§1.4). */
  message = _tandem_push_to_message (self->join_push, self->join_ref, self->join_ref, self->topic);
  if (!_tandem_connection_send (connection, message, &size, &error))
    {
      g_debug ("realtime: join of %s not sent: %s", self->topic, error->message);
      g_clear_pointer (&self->join_push, _tandem_push_free);
      return;
    }
  self->messages_out++;
  self->bytes_out += size;
  self->join_in_flight = TRUE;
  _tandem_push_start_timeout (self->join_push, self->clock, self->client->push_timeout_ms,
                              _tandem_channel_join_timeout_cb, self);
}

static void
fetch_token_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *token = _tandem_client_fetch_token_finish (TANDEM_CLIENT (source), result, &error);
  TandemChannel *self;

  /* Cancelled when the channel left or went away. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self = TANDEM_CHANNEL (user_data);
  g_clear_object (&self->token_cancellable);
  send_join (self, token);
}

void
_tandem_channel_begin_join (TandemChannel *self)
{
  self->state = TANDEM_CHANNEL_JOINING;
  tandem_clock_clear_timeout (self->clock, &self->rejoin_id);
  if (self->join_in_flight || self->token_cancellable != NULL || !socket_is_open (self))
    return;

  /* Signed out, the token is at hand: join without a main loop turn. */
  if (!_tandem_client_is_signed_in (self->client))
    {
      send_join (self, tandem_client_get_access_token (self->client));
      return;
    }
  self->token_cancellable = g_cancellable_new ();
  _tandem_client_fetch_token_async (self->client, self->token_cancellable, fetch_token_cb, self);
}

static void
rejoin_cb (gpointer data)
{
  TandemChannel *self = data;

  self->rejoin_id = 0;
  if (!self->wanted || self->stopped)
    return;
  if (!socket_is_open (self))
    return; /* the socket's opening rejoins us */
  _tandem_channel_set_status (self, rejoining_status (self), NULL);
  _tandem_channel_begin_join (self);
}

void
_tandem_channel_schedule_rejoin (TandemChannel *self)
{
  guint delay;

  tandem_clock_clear_timeout (self->clock, &self->rejoin_id);
  if (!self->wanted || self->stopped)
    return;
  if (self->retries >= TANDEM_BACKOFF_MAX_RETRIES)
    {
      g_autofree char *reason = g_strdup_printf ("gave up after %u rejoins: %s", self->retries,
                                                 self->last_error ? self->last_error : "no reply");

      stop (self, reason);
      return;
    }
  self->retries++;
  delay = _tandem_backoff_delay (self->retries, tandem_clock_random_double (self->clock));
  g_debug ("realtime: rejoining %s in %u ms (attempt %u)", self->topic, delay, self->retries);
  self->rejoin_id = tandem_clock_add_timeout_once (self->clock, delay, rejoin_cb, self);
}

void
_tandem_channel_handle_join_reply (TandemChannel *self,
                                   const char    *status,
                                   JsonNode      *response)
{
  g_autoptr(GError) error = NULL;

  g_object_ref (self);
  drop_join (self);

  if (g_strcmp0 (status, "ok") == 0)
    {
      if (!map_bindings (self, response))
        {
          const char *reason = "mismatch between server and client bindings for postgres changes";

          /* realtime-js unsubscribes and reports CHANNEL_ERROR (P5). */
          error = g_error_new_literal (TANDEM_CLIENT_ERROR, TANDEM_CLIENT_ERROR_PROTOCOL, reason);
          send_leave_and_forget (self);
          stop (self, reason);
          _tandem_channel_emit_subscribe_state (self, TANDEM_SUBSCRIBE_CHANNEL_ERROR, error);
          g_object_unref (self);
          return;
        }
      self->state = TANDEM_CHANNEL_JOINED;
      self->retries = 0;
      self->joined_once = TRUE;
      _tandem_channel_set_status (self, TANDEM_STATUS_CONNECTED, NULL);
      _tandem_channel_emit_subscribe_state (self, TANDEM_SUBSCRIBE_SUBSCRIBED, NULL);
      _tandem_channel_pump (self);
    }
  else
    {
      g_autofree char *reason = refusal_reason (response);

      error = g_error_new_literal (TANDEM_CLIENT_ERROR, TANDEM_CLIENT_ERROR_REFUSED, reason);
      g_debug ("realtime: join of %s refused: %s", self->topic, reason);
      self->state = TANDEM_CHANNEL_ERRORED;
      if (is_permanent_refusal (reason))
        stop (self, reason);
      else
        {
          _tandem_channel_set_status (self, TANDEM_STATUS_ERROR, reason);
          _tandem_channel_schedule_rejoin (self);
        }
      _tandem_channel_emit_subscribe_state (self, TANDEM_SUBSCRIBE_CHANNEL_ERROR, error);
    }
  g_object_unref (self);
}

gboolean
_tandem_channel_join_timeout_cb (gpointer data)
{
  TandemChannel *self = data;
  g_autoptr(GError) error = g_error_new_literal (TANDEM_CLIENT_ERROR, TANDEM_CLIENT_ERROR_TIMED_OUT,
                                                 "the join timed out");

  g_object_ref (self);
  self->join_push->timeout_id = 0;
  drop_join (self);
  /* phoenix.js leaves the half-open join so the next one starts clean. */
  send_leave_and_forget (self);
  self->state = TANDEM_CHANNEL_ERRORED;
  _tandem_channel_set_status (self, rejoining_status (self), error->message);
  _tandem_channel_schedule_rejoin (self);
  _tandem_channel_emit_subscribe_state (self, TANDEM_SUBSCRIBE_TIMED_OUT, error);
  g_object_unref (self);
  return G_SOURCE_REMOVE;
}

/* Closed for good (left, or closed by the server). */
static void
close_channel (TandemChannel *self,
               const char    *reason,
               gboolean       announce)
{
  g_autoptr(GError) error = g_error_new_literal (TANDEM_CLIENT_ERROR, TANDEM_CLIENT_ERROR_CLOSED,
                                                 reason ? reason : "the channel was closed");

  g_object_ref (self);
  drop_join (self);
  g_clear_pointer (&self->leave_push, _tandem_push_free);
  tandem_clock_clear_timeout (self->clock, &self->rejoin_id);
  self->state = TANDEM_CHANNEL_CLOSED;
  self->stopped = FALSE;
  _tandem_channel_fail_pending (self, error);
  if (!self->wanted)
    _tandem_channel_fail_queued (self, error);
  _tandem_presence_clear (self->presence);
  if (!self->wanted)
    _tandem_channel_set_status (self, TANDEM_STATUS_DISCONNECTED, reason);
  if (announce)
    _tandem_channel_emit_subscribe_state (self, TANDEM_SUBSCRIBE_CLOSED, NULL);

  /* Subscribed again while leaving: join anew. */
  if (self->wanted && self->client != NULL)
    {
      self->state = TANDEM_CHANNEL_JOINING;
      _tandem_channel_set_status (self, TANDEM_STATUS_CONNECTING, NULL);
      _tandem_client_ensure_connected (self->client);
      _tandem_channel_begin_join (self);
    }
  g_object_unref (self);
}

void
_tandem_channel_handle_leave_done (TandemChannel *self)
{
  close_channel (self, NULL, TRUE);
}

static gboolean
leave_timeout_cb (gpointer data)
{
  TandemChannel *self = data;

  /* realtime-js considers the channel closed when the leave times out. */
  self->leave_push->timeout_id = 0;
  _tandem_channel_handle_leave_done (self);
  return G_SOURCE_REMOVE;
}

/**
 * tandem_channel_unsubscribe:
 * @self: a #TandemChannel
 *
 * Leaves the channel. Its status becomes %TANDEM_STATUS_DISCONNECTED at
 * once; #TandemChannel::subscribe-state reports %TANDEM_SUBSCRIBE_CLOSED
 * when the server confirmed (or did not within the push timeout). Pushes
 * still waiting to be sent fail with %TANDEM_CLIENT_ERROR_CLOSED. The
 * channel may be subscribed again.
 */
void
tandem_channel_unsubscribe (TandemChannel *self)
{
  g_autoptr(GError) error = g_error_new_literal (TANDEM_CLIENT_ERROR, TANDEM_CLIENT_ERROR_CLOSED,
                                                 "the channel was unsubscribed");
  gboolean was_subscribed;
  g_autoptr(TandemMessage) message = NULL;
  gsize size = 0;

  g_return_if_fail (TANDEM_IS_CHANNEL (self));

  if (self->client == NULL)
    return;

  g_object_ref (self);
  was_subscribed = self->wanted || self->state != TANDEM_CHANNEL_CLOSED;
  self->wanted = FALSE;
  self->retries = 0;
  tandem_clock_clear_timeout (self->clock, &self->rejoin_id);
  g_clear_pointer (&self->batcher, _tandem_batcher_free);
  _tandem_channel_fail_queued (self, error);

  if (self->state == TANDEM_CHANNEL_LEAVING)
    {
      _tandem_channel_set_status (self, TANDEM_STATUS_DISCONNECTED, NULL);
      g_object_unref (self);
      return;
    }

  if ((self->state == TANDEM_CHANNEL_JOINED || self->join_in_flight) && socket_is_open (self))
    {
      TandemConnection *connection = _tandem_client_get_connection (self->client);
      g_autoptr(GError) send_error = NULL;

      drop_join (self);
      self->state = TANDEM_CHANNEL_LEAVING;
      self->leave_push = _tandem_push_new (TANDEM_PUSH_LEAVE, "phx_leave", NULL);
      self->leave_push->expects_reply = TRUE;
      self->leave_push->ref = _tandem_connection_make_ref (connection);
      message = _tandem_push_to_message (self->leave_push, self->join_ref, self->leave_push->ref, self->topic);
      if (_tandem_connection_send (connection, message, &size, &send_error))
        {
          self->messages_out++;
          self->bytes_out += size;
          _tandem_push_start_timeout (self->leave_push, self->clock, self->client->push_timeout_ms,
                                      leave_timeout_cb, self);
          _tandem_channel_set_status (self, TANDEM_STATUS_DISCONNECTED, NULL);
          g_object_unref (self);
          return;
        }
    }

  /* Not joined on an open socket: realtime-js closes locally at once. */
  close_channel (self, NULL, was_subscribed);
  g_object_unref (self);
}

static gboolean
is_token_expiry (const char *message)
{
  return message != NULL && strstr (message, "Token has expired") != NULL;
}

void
_tandem_channel_handle_server_close (TandemChannel *self)
{
  g_autofree char *reason = g_steal_pointer (&self->system_error);

  if (self->state == TANDEM_CHANNEL_LEAVING)
    {
      _tandem_channel_handle_leave_done (self);
      return;
    }
  if (self->state == TANDEM_CHANNEL_CLOSED)
    return;

  g_object_ref (self);
  if (self->wanted && is_token_expiry (reason))
    {
      g_autoptr(GError) error = g_error_new_literal (TANDEM_CLIENT_ERROR, TANDEM_CLIENT_ERROR_REFUSED, reason);

      /* realtime-js gives up here (P2); a fresh token brings it back. */
      g_debug ("realtime: %s closed on token expiry, rejoining with a fresh token", self->topic);
      drop_join (self);
      self->state = TANDEM_CHANNEL_ERRORED;
      _tandem_channel_fail_pending (self, error);
      _tandem_channel_set_status (self, rejoining_status (self), reason);
      _tandem_channel_emit_subscribe_state (self, TANDEM_SUBSCRIBE_CHANNEL_ERROR, error);
      if (self->wanted && self->state == TANDEM_CHANNEL_ERRORED)
        {
          self->retries++;
          _tandem_channel_begin_join (self);
        }
    }
  else
    {
      g_debug ("realtime: %s closed by the server%s%s", self->topic, reason ? ": " : "", reason ? reason : "");
      self->wanted = FALSE;
      close_channel (self, reason, TRUE);
    }
  g_object_unref (self);
}

void
_tandem_channel_handle_server_error (TandemChannel *self)
{
  g_autoptr(GError) error = g_error_new_literal (TANDEM_CLIENT_ERROR, TANDEM_CLIENT_ERROR_CONNECTION,
                                                 "channel error: the server's channel failed");

  if (self->state != TANDEM_CHANNEL_JOINED && self->state != TANDEM_CHANNEL_JOINING)
    return;

  g_object_ref (self);
  drop_join (self);
  self->state = TANDEM_CHANNEL_ERRORED;
  _tandem_channel_fail_pending (self, error);
  _tandem_channel_set_status (self, rejoining_status (self), error->message);
  _tandem_channel_schedule_rejoin (self);
  _tandem_channel_emit_subscribe_state (self, TANDEM_SUBSCRIBE_CHANNEL_ERROR, error);
  g_object_unref (self);
}

void
_tandem_channel_socket_opened (TandemChannel *self)
{
  if (!self->wanted || self->stopped || self->join_in_flight)
    return;
  if (self->state != TANDEM_CHANNEL_ERRORED && self->state != TANDEM_CHANNEL_JOINING)
    return;
  /* Errored channels rejoin at once on a new socket, with a new join_ref. */
  _tandem_channel_set_status (self, rejoining_status (self), NULL);
  _tandem_channel_begin_join (self);
}

void
_tandem_channel_socket_lost (TandemChannel *self,
                             const GError  *reason)
{
  gboolean was_active = self->state == TANDEM_CHANNEL_JOINED || self->join_in_flight;
  g_autoptr(GError) error = NULL;

  g_object_ref (self);
  tandem_clock_clear_timeout (self->clock, &self->rejoin_id);
  if (self->state == TANDEM_CHANNEL_LEAVING)
    {
      _tandem_channel_handle_leave_done (self);
      g_object_unref (self);
      return;
    }
  drop_join (self);
  if (!self->wanted || self->state == TANDEM_CHANNEL_CLOSED)
    {
      g_object_unref (self);
      return;
    }

  error = g_error_new_literal (TANDEM_CLIENT_ERROR, TANDEM_CLIENT_ERROR_CONNECTION, reason->message);
  self->state = TANDEM_CHANNEL_ERRORED;
  /* Replies will not come on another socket. */
  _tandem_channel_fail_pending (self, error);
  if (!self->stopped)
    _tandem_channel_set_status (self, rejoining_status (self), reason->message);
  if (was_active)
    _tandem_channel_emit_subscribe_state (self, TANDEM_SUBSCRIBE_CHANNEL_ERROR, error);
  g_object_unref (self);
}

void
_tandem_channel_client_failed (TandemChannel *self,
                               const char    *reason)
{
  g_autoptr(GError) error = g_error_new_literal (TANDEM_CLIENT_ERROR, TANDEM_CLIENT_ERROR_CONNECTION, reason);

  if (!self->wanted || self->state == TANDEM_CHANNEL_CLOSED)
    return;
  g_object_ref (self);
  drop_join (self);
  tandem_clock_clear_timeout (self->clock, &self->rejoin_id);
  self->state = TANDEM_CHANNEL_ERRORED;
  _tandem_channel_fail_pending (self, error);
  _tandem_channel_fail_queued (self, error);
  _tandem_channel_set_status (self, TANDEM_STATUS_ERROR, reason);
  g_object_unref (self);
}

void
_tandem_channel_client_disconnected (TandemChannel *self)
{
  g_autoptr(GError) error = g_error_new_literal (TANDEM_CLIENT_ERROR, TANDEM_CLIENT_ERROR_CLOSED,
                                                 "the client was disconnected");
  gboolean was_active = self->state == TANDEM_CHANNEL_JOINED || self->join_in_flight;

  g_object_ref (self);
  tandem_clock_clear_timeout (self->clock, &self->rejoin_id);
  if (self->state == TANDEM_CHANNEL_LEAVING)
    {
      _tandem_channel_handle_leave_done (self);
      g_object_unref (self);
      return;
    }
  drop_join (self);
  if (!self->wanted || self->state == TANDEM_CHANNEL_CLOSED)
    {
      g_object_unref (self);
      return;
    }
  /* Still subscribed: the next connect() rejoins it. */
  self->state = TANDEM_CHANNEL_ERRORED;
  self->stopped = FALSE;
  _tandem_channel_fail_pending (self, error);
  _tandem_channel_fail_queued (self, error);
  _tandem_channel_set_status (self, TANDEM_STATUS_DISCONNECTED, NULL);
  if (was_active)
    _tandem_channel_emit_subscribe_state (self, TANDEM_SUBSCRIBE_CHANNEL_ERROR, error);
  g_object_unref (self);
}

static void
restart (TandemChannel *self)
{
  tandem_clock_clear_timeout (self->clock, &self->rejoin_id);
  self->stopped = FALSE;
  self->retries = 0;
  self->state = TANDEM_CHANNEL_ERRORED;
  _tandem_channel_set_status (self, rejoining_status (self), NULL);
  _tandem_client_ensure_connected (self->client);
  if (socket_is_open (self))
    _tandem_channel_begin_join (self);
}

gboolean
_tandem_channel_health_check (TandemChannel *self,
                              gint64         now_us)
{
  if (!self->wanted || self->status != TANDEM_STATUS_ERROR || self->client == NULL)
    return FALSE;
  if (now_us - self->status_since < (gint64) TANDEM_CHANNEL_ERROR_RESET_MS * 1000)
    return FALSE;
  if (self->join_in_flight || self->rejoin_id != 0)
    return FALSE;
  g_debug ("realtime: %s in error since %" G_GINT64_FORMAT " s, rejoining", self->topic,
           (now_us - self->status_since) / G_USEC_PER_SEC);
  restart (self);
  return TRUE;
}

void
_tandem_channel_token_changed (TandemChannel *self)
{
  if (!self->wanted || self->client == NULL || self->join_in_flight)
    return;
  /* Refused (and stopped, or waiting for its rejoin timer): a new token
   * is a new chance, at once (P12). */
  if (self->stopped || (self->state == TANDEM_CHANNEL_ERRORED && self->status == TANDEM_STATUS_ERROR))
    restart (self);
}
