/* tandem-auth-refresh.c: keeping the access token fresh
 *
 * One refresh at a time (auth-js's refreshingDeferred): whoever needs a
 * fresh token while a refresh is in flight waits for that one, so a burst
 * of requests with an expiring token spends one refresh token, not one
 * each (which GoTrue would take for a stolen token and revoke the session).
 *
 * The automatic refresh runs on the TandemClock, margin seconds before the
 * token expires. A refresh that fails because the server could not be
 * reached or failed (5xx) keeps the session and is tried again with
 * back-off; one the server refuses (the refresh token is unknown, used or
 * revoked) ends the session with TANDEM_AUTH_SIGNED_OUT.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "tandem-auth-impl-private.h"

gint64
_tandem_auth_refresh_margin (TandemSession *session)
{
  gint64 lifetime = _tandem_session_get_expires_in (session);

  if (lifetime > 0 && lifetime < 2 * TANDEM_AUTH_REFRESH_MARGIN_S)
    return lifetime / 2;
  return TANDEM_AUTH_REFRESH_MARGIN_S;
}

/* Milliseconds until @session should be refreshed (0: now). */
static guint
due_in_ms (TandemAuth    *self,
           TandemSession *session)
{
  gint64 due = tandem_session_get_expires_at (session) - _tandem_auth_refresh_margin (session);
  gint64 now_us = tandem_clock_get_real_time (self->clock);
  gint64 delay_ms = (due * G_USEC_PER_SEC - now_us) / 1000;

  return (guint) CLAMP (delay_ms, 0, G_MAXUINT);
}

static void refresh_begin (TandemAuth *self);

static void
refresh_timeout_cb (gpointer user_data)
{
  TandemAuth *self = user_data;

  self->refresh_timeout_id = 0;
  /* A refresh someone asked for is on its way already; when it ends it
   * schedules the next one. */
  if (!self->refreshing && self->session != NULL)
    refresh_begin (self);
}

void
_tandem_auth_schedule_refresh (TandemAuth *self)
{
  tandem_clock_clear_timeout (self->clock, &self->refresh_timeout_id);
  if (self->session == NULL)
    return;
  self->refresh_timeout_id = tandem_clock_add_timeout_once (self->clock, due_in_ms (self, self->session),
                                                            refresh_timeout_cb, self);
}

/* After a refresh that may work later: the normal schedule when the token
 * is not due yet (someone refreshed early), else the back-off. */
static void
schedule_retry (TandemAuth *self)
{
  guint delay = due_in_ms (self, self->session);

  if (delay == 0)
    {
      delay = self->retry_attempt >= 8 ? TANDEM_AUTH_RETRY_MAX_MS
                                       : MIN (TANDEM_AUTH_RETRY_FIRST_MS << self->retry_attempt,
                                              TANDEM_AUTH_RETRY_MAX_MS);
      self->retry_attempt++;
    }
  tandem_clock_clear_timeout (self->clock, &self->refresh_timeout_id);
  self->refresh_timeout_id = tandem_clock_add_timeout_once (self->clock, delay, refresh_timeout_cb, self);
}

void
_tandem_auth_stop_refresh (TandemAuth *self)
{
  tandem_clock_clear_timeout (self->clock, &self->refresh_timeout_id);
  if (self->refresh_cancellable != NULL)
    g_cancellable_cancel (self->refresh_cancellable);
}

/* ---- waiters of the shared refresh ---- */

static gboolean
waiter_cancelled_cb (GCancellable *cancellable,
                     gpointer      user_data)
{
  GTask *task = user_data;
  TandemAuth *self = g_task_get_source_object (task);

  /* The refresh goes on for the others (and for the session). */
  if (g_queue_remove (&self->refresh_waiters, task))
    {
      g_task_return_error_if_cancelled (task);
      g_object_unref (task);
    }
  return G_SOURCE_REMOVE;
}

static void
waiter_source_free (gpointer data)
{
  GSource *source = data;

  g_source_destroy (source);
  g_source_unref (source);
}

/* Completes every waiter with @session, or else @error. */
static void
complete_waiters (TandemAuth    *self,
                  TandemSession *session,
                  const GError  *error)
{
  GQueue waiters = self->refresh_waiters;
  GTask *task;

  /* Callbacks may start another refresh: take the list first. */
  g_queue_init (&self->refresh_waiters);
  while ((task = g_queue_pop_head (&waiters)) != NULL)
    {
      if (session != NULL)
        g_task_return_pointer (task, g_object_ref (session), g_object_unref);
      else
        g_task_return_error (task, g_error_copy (error));
      g_object_unref (task);
    }
}

/* ---- the refresh request ---- */

typedef struct
{
  guint64 generation;
} RefreshData;

static void
refresh_done_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  TandemAuth *self = TANDEM_AUTH (source);
  g_autofree RefreshData *data = user_data;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(TandemSession) session = NULL;
  g_autoptr(GError) error = NULL;

  self->refreshing = FALSE;
  node = _tandem_auth_send_finish (self, result, &error);
  if (error == NULL)
    {
      if (node != NULL && JSON_NODE_HOLDS_OBJECT (node))
        session = tandem_session_new_from_json (json_node_get_object (node), _tandem_auth_now (self), &error);
      else
        error = _tandem_auth_error_new (TANDEM_AUTH_ERROR_PROTOCOL, NULL, 0, "The server's answer is not a session");
    }

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      complete_waiters (self, NULL, error);
      return;
    }

  /* Someone signed in, out or restored while this was on its way: what it
   * brings is of a session that is no more. */
  if (data->generation != self->generation)
    {
      g_autoptr(GError) gone = NULL;

      if (self->session == NULL)
        gone = _tandem_auth_error_new (TANDEM_AUTH_ERROR_NOT_SIGNED_IN, NULL, 0, "Nobody is signed in");
      complete_waiters (self, self->session, gone);
      return;
    }

  if (session != NULL)
    {
      _tandem_auth_set_session (self, session, TANDEM_AUTH_TOKEN_REFRESHED);
      complete_waiters (self, session, NULL);
    }
  else if (_tandem_auth_error_is_retryable (error) ||
           g_error_matches (error, TANDEM_AUTH_ERROR, TANDEM_AUTH_ERROR_PROTOCOL))
    {
      g_debug ("refreshing the session failed, trying again later: %s", error->message);
      schedule_retry (self);
      complete_waiters (self, NULL, error);
    }
  else
    {
      /* The server refused the refresh token: sign in again. */
      g_debug ("the session ended: %s", error->message);
      _tandem_auth_set_session (self, NULL, TANDEM_AUTH_SIGNED_OUT);
      complete_waiters (self, NULL, error);
    }
}

static JsonNode *
refresh_body_new (const char *refresh_token)
{
  g_autoptr(JsonObject) body = json_object_new ();

  json_object_set_string_member (body, "refresh_token", refresh_token);
  return json_node_init_object (json_node_alloc (), body);
}

static void
refresh_begin (TandemAuth *self)
{
  g_autoptr(JsonNode) body = refresh_body_new (tandem_session_get_refresh_token (self->session));
  RefreshData *data = g_new0 (RefreshData, 1);

  self->refreshing = TRUE;
  data->generation = self->generation;
  g_clear_object (&self->refresh_cancellable);
  self->refresh_cancellable = g_cancellable_new ();
  _tandem_auth_send_async (self, "POST", "/token?grant_type=refresh_token", NULL, body,
                           self->refresh_cancellable, refresh_done_cb, data);
}

void
_tandem_auth_refresh_shared_async (TandemAuth          *self,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, _tandem_auth_refresh_shared_async);
  if (self->session == NULL)
    {
      g_task_return_error (task, _tandem_auth_error_new (TANDEM_AUTH_ERROR_NOT_SIGNED_IN, NULL, 0,
                                                         "Nobody is signed in"));
      return;
    }
  if (cancellable != NULL)
    {
      GSource *source = g_cancellable_source_new (cancellable);

      g_source_set_callback (source, (GSourceFunc) waiter_cancelled_cb, task, NULL);
      g_source_set_static_name (source, "[tandem] refresh waiter");
      g_source_attach (source, g_main_context_get_thread_default ());
      g_task_set_task_data (task, source, waiter_source_free);
    }
  g_queue_push_tail (&self->refresh_waiters, g_steal_pointer (&task));
  if (!self->refreshing)
    refresh_begin (self);
}

TandemSession *
_tandem_auth_refresh_shared_finish (TandemAuth    *self,
                                    GAsyncResult  *result,
                                    GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == _tandem_auth_refresh_shared_async, NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---- the public face ---- */

static void
refreshed_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  TandemSession *session = _tandem_auth_refresh_shared_finish (TANDEM_AUTH (source), result, &error);

  if (session != NULL)
    g_task_return_pointer (task, session, g_object_unref);
  else
    g_task_return_error (task, error);
}

/**
 * tandem_auth_refresh_session_async:
 * @self: a #TandemAuth
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when done
 * @user_data: data for @callback
 *
 * Refreshes the session now (POST /token?grant_type=refresh_token), or
 * waits for the refresh already on its way. Refreshing is automatic; this
 * is for when the caller knows better (a token the server just refused).
 */
void
tandem_auth_refresh_session_async (TandemAuth          *self,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (TANDEM_IS_AUTH (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, tandem_auth_refresh_session_async);
  _tandem_auth_refresh_shared_async (self, cancellable, refreshed_cb, g_steal_pointer (&task));
}

/**
 * tandem_auth_refresh_session_finish:
 * @self: a #TandemAuth
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Returns: (transfer full): the new session, or %NULL with an error
 *   (%TANDEM_AUTH_ERROR_SESSION_EXPIRED when the server refused: the
 *   session has then ended)
 */
TandemSession *
tandem_auth_refresh_session_finish (TandemAuth    *self,
                                    GAsyncResult  *result,
                                    GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == tandem_auth_refresh_session_async, NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
fresh_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  TandemAuth *self = TANDEM_AUTH (source);
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(TandemSession) session = NULL;

  session = _tandem_auth_refresh_shared_finish (self, result, &error);
  if (session != NULL)
    g_task_return_pointer (task, g_strdup (tandem_session_get_access_token (session)), g_free);
  else if (g_error_matches (error, TANDEM_AUTH_ERROR, TANDEM_AUTH_ERROR_NOT_SIGNED_IN))
    g_task_return_pointer (task, NULL, NULL);
  /* Not refreshed yet, but the token still works: use it meanwhile. */
  else if (self->session != NULL && _tandem_auth_error_is_retryable (error) &&
           tandem_session_get_expires_at (self->session) > _tandem_auth_now (self))
    g_task_return_pointer (task, g_strdup (tandem_session_get_access_token (self->session)), g_free);
  else
    g_task_return_error (task, g_steal_pointer (&error));
}

/**
 * tandem_auth_ensure_fresh_token_async:
 * @self: a #TandemAuth
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when done
 * @user_data: data for @callback
 *
 * Gets an access token good for a request: the current one, or, when it
 * has expired or expires within the refresh margin, a refreshed one.
 * Callers that ask while a refresh is on its way share it.
 */
void
tandem_auth_ensure_fresh_token_async (TandemAuth          *self,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (TANDEM_IS_AUTH (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, tandem_auth_ensure_fresh_token_async);

  if (self->session == NULL)
    {
      g_task_return_pointer (task, NULL, NULL);
      return;
    }
  if (tandem_session_get_expires_at (self->session) - _tandem_auth_now (self) > _tandem_auth_refresh_margin (self->session))
    {
      g_task_return_pointer (task, g_strdup (tandem_session_get_access_token (self->session)), g_free);
      return;
    }
  _tandem_auth_refresh_shared_async (self, cancellable, fresh_cb, g_steal_pointer (&task));
}

/**
 * tandem_auth_ensure_fresh_token_finish:
 * @self: a #TandemAuth
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): the access token, or %NULL without
 *   an error when nobody is signed in (requests then carry the API key),
 *   or %NULL with an error when the token could not be refreshed
 */
char *
tandem_auth_ensure_fresh_token_finish (TandemAuth    *self,
                                       GAsyncResult  *result,
                                       GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == tandem_auth_ensure_fresh_token_async, NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---- restore ---- */

static void
restored_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  TandemAuth *self = TANDEM_AUTH (source);
  g_autoptr(GTask) task = user_data;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(TandemSession) session = NULL;
  g_autoptr(GError) error = NULL;

  node = _tandem_auth_send_finish (self, result, &error);
  if (error == NULL)
    {
      if (node != NULL && JSON_NODE_HOLDS_OBJECT (node))
        session = tandem_session_new_from_json (json_node_get_object (node), _tandem_auth_now (self), &error);
      else
        error = _tandem_auth_error_new (TANDEM_AUTH_ERROR_PROTOCOL, NULL, 0, "The server's answer is not a session");
    }
  if (session == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  _tandem_auth_set_session (self, session, TANDEM_AUTH_SIGNED_IN);
  g_task_return_pointer (task, g_steal_pointer (&session), g_object_unref);
}

/**
 * tandem_auth_restore_session_async:
 * @self: a #TandemAuth
 * @refresh_token: a refresh token kept from an earlier session
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when done
 * @user_data: data for @callback
 *
 * Starts a session from a stored refresh token (the app keeps it in the
 * keyring), refreshing it at once. The refresh token is rotated: store the
 * new session's.
 */
void
tandem_auth_restore_session_async (TandemAuth          *self,
                                   const char          *refresh_token,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(JsonNode) body = NULL;

  g_return_if_fail (TANDEM_IS_AUTH (self));
  g_return_if_fail (refresh_token != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, tandem_auth_restore_session_async);
  body = refresh_body_new (refresh_token);
  _tandem_auth_send_async (self, "POST", "/token?grant_type=refresh_token", NULL, body, cancellable,
                           restored_cb, g_steal_pointer (&task));
}

/**
 * tandem_auth_restore_session_finish:
 * @self: a #TandemAuth
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Returns: (transfer full): the restored session, or %NULL with an error
 *   (%TANDEM_AUTH_ERROR_SESSION_EXPIRED for a token that is no longer
 *   good)
 */
TandemSession *
tandem_auth_restore_session_finish (TandemAuth    *self,
                                    GAsyncResult  *result,
                                    GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == tandem_auth_restore_session_async, NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
