/* tandem-auth.c: signing in to a Supabase project (GoTrue)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "tandem-auth-impl-private.h"
#include "tandem-enums.h"

/**
 * TandemAuth:
 *
 * The signed-in session of a #TandemClient, as auth-js keeps it: sign-up
 * and password sign-in, the access token refreshed on its own shortly
 * before it expires, the user's attributes, and sign-out.
 *
 * Every change of the session is told twice: #TandemAuth:session is
 * notified, then #TandemAuth::session-changed says why.
 */

G_DEFINE_FINAL_TYPE (TandemAuth, tandem_auth, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_SESSION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum
{
  SESSION_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
tandem_auth_dispose (GObject *object)
{
  TandemAuth *self = TANDEM_AUTH (object);

  _tandem_auth_stop_refresh (self);
  G_OBJECT_CLASS (tandem_auth_parent_class)->dispose (object);
}

static void
tandem_auth_finalize (GObject *object)
{
  TandemAuth *self = TANDEM_AUTH (object);

  g_assert (self->refresh_timeout_id == 0);
  g_assert (g_queue_is_empty (&self->refresh_waiters));
  g_clear_object (&self->session);
  g_clear_object (&self->refresh_cancellable);
  g_clear_object (&self->soup_session);
  g_clear_object (&self->clock);
  g_free (self->auth_url);
  g_free (self->api_key);
  G_OBJECT_CLASS (tandem_auth_parent_class)->finalize (object);
}

static void
tandem_auth_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  TandemAuth *self = TANDEM_AUTH (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      g_value_set_object (value, self->session);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tandem_auth_class_init (TandemAuthClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = tandem_auth_dispose;
  object_class->finalize = tandem_auth_finalize;
  object_class->get_property = tandem_auth_get_property;

  /**
   * TandemAuth:session:
   *
   * The signed-in session, or %NULL when nobody is signed in.
   */
  properties[PROP_SESSION] =
    g_param_spec_object ("session", NULL, NULL, TANDEM_TYPE_SESSION,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * TandemAuth::session-changed:
   * @self: the #TandemAuth
   * @event: why the session changed
   * @session: (nullable): the new session, %NULL after sign-out
   *
   * Emitted after #TandemAuth:session changed: on sign-in (and sign-up and
   * restore), on every refresh, after a user update, and on sign-out,
   * including a sign-out because a refresh was refused.
   */
  signals[SESSION_CHANGED] =
    g_signal_new ("session-changed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, TANDEM_TYPE_AUTH_EVENT, TANDEM_TYPE_SESSION);
}

static void
tandem_auth_init (TandemAuth *self)
{
  g_queue_init (&self->refresh_waiters);
}

TandemAuth *
_tandem_auth_new (SoupSession *session,
                  const char  *auth_url,
                  const char  *api_key,
                  TandemClock *clock)
{
  TandemAuth *self;

  g_return_val_if_fail (SOUP_IS_SESSION (session), NULL);
  g_return_val_if_fail (auth_url != NULL, NULL);
  g_return_val_if_fail (api_key != NULL, NULL);

  self = g_object_new (TANDEM_TYPE_AUTH, NULL);
  self->soup_session = g_object_ref (session);
  self->auth_url = g_strdup (auth_url);
  self->api_key = g_strdup (api_key);
  self->clock = g_object_ref (clock ? clock : tandem_clock_get_default ());
  return self;
}

void
_tandem_auth_set_clock (TandemAuth  *self,
                        TandemClock *clock)
{
  g_return_if_fail (TANDEM_IS_AUTH (self));
  g_return_if_fail (clock != NULL);

  if (self->clock == clock)
    return;
  /* The pending timeout belongs to the old clock. */
  tandem_clock_clear_timeout (self->clock, &self->refresh_timeout_id);
  g_set_object (&self->clock, clock);
  _tandem_auth_schedule_refresh (self);
}

gint64
_tandem_auth_now (TandemAuth *self)
{
  return tandem_clock_get_real_time (self->clock) / G_USEC_PER_SEC;
}

void
_tandem_auth_set_session (TandemAuth      *self,
                          TandemSession   *session,
                          TandemAuthEvent  event)
{
  G_GNUC_UNUSED g_autoptr(TandemSession) hold = session ? g_object_ref (session) : NULL;

  /* A new session (or none) starts its own refresh schedule. */
  self->generation++;
  self->retry_attempt = 0;
  g_set_object (&self->session, session);
  _tandem_auth_schedule_refresh (self);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SESSION]);
  g_signal_emit (self, signals[SESSION_CHANGED], 0, event, session);
}

/**
 * tandem_auth_get_session:
 * @self: a #TandemAuth
 *
 * Returns: (transfer none) (nullable): the signed-in session, or %NULL
 */
TandemSession *
tandem_auth_get_session (TandemAuth *self)
{
  g_return_val_if_fail (TANDEM_IS_AUTH (self), NULL);
  return self->session;
}

/**
 * tandem_auth_get_access_token:
 * @self: a #TandemAuth
 *
 * The current access token, as it is: it may be about to expire. Requests
 * should use tandem_auth_ensure_fresh_token_async() instead.
 *
 * Returns: (nullable): the access token, or %NULL when signed out
 */
const char *
tandem_auth_get_access_token (TandemAuth *self)
{
  g_return_val_if_fail (TANDEM_IS_AUTH (self), NULL);
  return self->session ? tandem_session_get_access_token (self->session) : NULL;
}

/* ---- sign-up and sign-in: a session from /signup or /token ---- */

static void
session_answer_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  TandemAuth *self = TANDEM_AUTH (source);
  g_autoptr(GTask) task = user_data;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(TandemSession) session = NULL;
  g_autoptr(GError) error = NULL;

  node = _tandem_auth_send_finish (self, result, &error);
  if (error != NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      g_task_return_new_error (task, TANDEM_AUTH_ERROR, TANDEM_AUTH_ERROR_PROTOCOL,
                               "The server's answer is not a session");
      return;
    }
  /* A sign-up that needs the address confirmed answers with the user
   * alone; local servers confirm at once, hosted projects may not. */
  if (!json_object_has_member (json_node_get_object (node), "access_token") &&
      json_object_has_member (json_node_get_object (node), "id"))
    {
      g_task_return_error (task, _tandem_auth_error_new (TANDEM_AUTH_ERROR_FAILED, "email_not_confirmed", 200,
                                                         "Confirm the email address, then sign in"));
      return;
    }
  session = tandem_session_new_from_json (json_node_get_object (node), _tandem_auth_now (self), &error);
  if (session == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  _tandem_auth_set_session (self, session, TANDEM_AUTH_SIGNED_IN);
  g_task_return_pointer (task, g_steal_pointer (&session), g_object_unref);
}

static JsonObject *
credentials_new (const char *email,
                 const char *password)
{
  JsonObject *body = json_object_new ();

  json_object_set_string_member (body, "email", email);
  json_object_set_string_member (body, "password", password);
  /* auth-js always sends it (a captcha token goes in it). */
  json_object_set_object_member (body, "gotrue_meta_security", json_object_new ());
  return body;
}

/**
 * tandem_auth_sign_up_async:
 * @self: a #TandemAuth
 * @email: the new user's email address
 * @password: the password
 * @user_data: (nullable): the user's metadata (`user_metadata`), or %NULL
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async) (closure user_data_): called when done
 * @user_data_: (closure): data for @callback
 *
 * Creates a user (POST /signup) and, as a local server confirms addresses
 * at once, signs them in.
 */
void
tandem_auth_sign_up_async (TandemAuth          *self,
                           const char          *email,
                           const char          *password,
                           JsonObject          *user_data,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data_)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(JsonObject) body = NULL;
  g_autoptr(JsonNode) node = NULL;

  g_return_if_fail (TANDEM_IS_AUTH (self));
  g_return_if_fail (email != NULL);
  g_return_if_fail (password != NULL);

  task = g_task_new (self, cancellable, callback, user_data_);
  g_task_set_source_tag (task, tandem_auth_sign_up_async);

  body = credentials_new (email, password);
  json_object_set_object_member (body, "data", user_data ? json_object_ref (user_data) : json_object_new ());
  node = json_node_init_object (json_node_alloc (), body);
  _tandem_auth_send_async (self, "POST", "/signup", NULL, node, cancellable,
                           session_answer_cb, g_steal_pointer (&task));
}

/**
 * tandem_auth_sign_up_finish:
 * @self: a #TandemAuth
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Returns: (transfer full): the new session, or %NULL with
 *   %TANDEM_AUTH_ERROR_USER_EXISTS, %TANDEM_AUTH_ERROR_WEAK_PASSWORD,
 *   %TANDEM_AUTH_ERROR_VALIDATION, …
 */
TandemSession *
tandem_auth_sign_up_finish (TandemAuth    *self,
                            GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == tandem_auth_sign_up_async, NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * tandem_auth_sign_in_with_password_async:
 * @self: a #TandemAuth
 * @email: the user's email address
 * @password: the password
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when done
 * @user_data: data for @callback
 *
 * Signs in with email and password (POST /token?grant_type=password).
 */
void
tandem_auth_sign_in_with_password_async (TandemAuth          *self,
                                         const char          *email,
                                         const char          *password,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(JsonObject) body = NULL;
  g_autoptr(JsonNode) node = NULL;

  g_return_if_fail (TANDEM_IS_AUTH (self));
  g_return_if_fail (email != NULL);
  g_return_if_fail (password != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, tandem_auth_sign_in_with_password_async);

  body = credentials_new (email, password);
  node = json_node_init_object (json_node_alloc (), body);
  _tandem_auth_send_async (self, "POST", "/token?grant_type=password", NULL, node, cancellable,
                           session_answer_cb, g_steal_pointer (&task));
}

/**
 * tandem_auth_sign_in_with_password_finish:
 * @self: a #TandemAuth
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Returns: (transfer full): the new session, or %NULL with
 *   %TANDEM_AUTH_ERROR_INVALID_CREDENTIALS, …
 */
TandemSession *
tandem_auth_sign_in_with_password_finish (TandemAuth    *self,
                                          GAsyncResult  *result,
                                          GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == tandem_auth_sign_in_with_password_async, NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---- the user: GET and PUT /user with a fresh token ---- */

typedef struct
{
  const char *method;
  JsonNode   *body;        /* nullable */
  guint64     generation;  /* of the session the token came from */
} UserRequest;

static void
user_request_free (UserRequest *request)
{
  g_clear_pointer (&request->body, json_node_unref);
  g_free (request);
}

static void
user_answer_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  TandemAuth *self = TANDEM_AUTH (source);
  g_autoptr(GTask) task = user_data;
  UserRequest *request = g_task_get_task_data (task);
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *user;

  node = _tandem_auth_send_finish (self, result, &error);
  if (error != NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      g_task_return_new_error (task, TANDEM_AUTH_ERROR, TANDEM_AUTH_ERROR_PROTOCOL,
                               "The server's answer is not a user");
      return;
    }
  user = json_node_get_object (node);

  /* An update shows in the session, unless it changed meanwhile. */
  if (request->body != NULL && self->session != NULL && self->generation == request->generation)
    {
      g_autoptr(TandemSession) updated = _tandem_session_new_with_user (self->session, user);

      _tandem_auth_set_session (self, updated, TANDEM_AUTH_USER_UPDATED);
    }
  g_task_return_pointer (task, json_object_ref (user), (GDestroyNotify) json_object_unref);
}

static void
user_token_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  TandemAuth *self = TANDEM_AUTH (source);
  g_autoptr(GTask) task = user_data;
  UserRequest *request = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autofree char *token = NULL;

  token = tandem_auth_ensure_fresh_token_finish (self, result, &error);
  if (error != NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (token == NULL)
    {
      g_task_return_error (task, _tandem_auth_error_new (TANDEM_AUTH_ERROR_NOT_SIGNED_IN, NULL, 0,
                                                         "Nobody is signed in"));
      return;
    }
  request->generation = self->generation;
  _tandem_auth_send_async (self, request->method, "/user", token, request->body,
                           g_task_get_cancellable (task), user_answer_cb, g_object_ref (task));
}

static void
user_request_start (TandemAuth          *self,
                    const char          *method,
                    JsonObject          *attributes,
                    gpointer             source_tag,
                    GCancellable        *cancellable,
                    GAsyncReadyCallback  callback,
                    gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  UserRequest *request = g_new0 (UserRequest, 1);

  g_task_set_source_tag (task, source_tag);
  request->method = method;
  if (attributes != NULL)
    request->body = json_node_init_object (json_node_alloc (), attributes);
  g_task_set_task_data (task, request, (GDestroyNotify) user_request_free);

  if (self->session == NULL)
    {
      g_task_return_error (task, _tandem_auth_error_new (TANDEM_AUTH_ERROR_NOT_SIGNED_IN, NULL, 0,
                                                         "Nobody is signed in"));
      return;
    }
  tandem_auth_ensure_fresh_token_async (self, cancellable, user_token_cb, g_steal_pointer (&task));
}

/**
 * tandem_auth_get_user_async:
 * @self: a #TandemAuth
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when done
 * @user_data: data for @callback
 *
 * Fetches the signed-in user as the server has it now (GET /user).
 */
void
tandem_auth_get_user_async (TandemAuth          *self,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_return_if_fail (TANDEM_IS_AUTH (self));
  user_request_start (self, "GET", NULL, tandem_auth_get_user_async, cancellable, callback, user_data);
}

/**
 * tandem_auth_get_user_finish:
 * @self: a #TandemAuth
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Returns: (transfer full): the user, or %NULL with an error
 *   (%TANDEM_AUTH_ERROR_NOT_SIGNED_IN when nobody is signed in)
 */
JsonObject *
tandem_auth_get_user_finish (TandemAuth    *self,
                             GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == tandem_auth_get_user_async, NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * tandem_auth_update_user_async:
 * @self: a #TandemAuth
 * @attributes: what to change, as GoTrue's PUT /user takes it: `data` (the
 *   user's metadata, merged), `email`, `password`
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when done
 * @user_data: data for @callback
 *
 * Updates the signed-in user. On success the session gets the new user
 * and #TandemAuth::session-changed says %TANDEM_AUTH_USER_UPDATED.
 */
void
tandem_auth_update_user_async (TandemAuth          *self,
                               JsonObject          *attributes,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_return_if_fail (TANDEM_IS_AUTH (self));
  g_return_if_fail (attributes != NULL);
  user_request_start (self, "PUT", attributes, tandem_auth_update_user_async, cancellable, callback, user_data);
}

/**
 * tandem_auth_update_user_finish:
 * @self: a #TandemAuth
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Returns: (transfer full): the updated user, or %NULL with an error
 */
JsonObject *
tandem_auth_update_user_finish (TandemAuth    *self,
                                GAsyncResult  *result,
                                GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == tandem_auth_update_user_async, NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---- sign-out ---- */

static const char * const scope_names[] = {
  [TANDEM_SIGN_OUT_LOCAL] = "local",
  [TANDEM_SIGN_OUT_GLOBAL] = "global",
  [TANDEM_SIGN_OUT_OTHERS] = "others",
};

static void
logged_out_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  TandemAuth *self = TANDEM_AUTH (source);
  g_autoptr(GTask) task = user_data;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;
  guint status;

  node = _tandem_auth_send_finish (self, result, &error);
  status = _tandem_auth_error_get_status (error);
  /* As auth-js: a session the server no longer knows is signed out. */
  if (error != NULL && error->domain == TANDEM_AUTH_ERROR && (status == 401 || status == 403 || status == 404))
    g_clear_error (&error);
  if (error != NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

static void
sign_out_token_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  TandemAuth *self = TANDEM_AUTH (source);
  g_autoptr(GTask) task = user_data;
  TandemSignOutScope scope = GPOINTER_TO_INT (g_task_get_task_data (task));
  g_autofree char *token = NULL;
  g_autofree char *path = NULL;
  GCancellable *cancellable;

  /* A failed refresh does not stop the sign-out: the old token may still
   * do, and the session ends here anyway. */
  token = tandem_auth_ensure_fresh_token_finish (self, result, NULL);
  if (token == NULL)
    token = g_strdup (tandem_auth_get_access_token (self));
  if (token == NULL)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }

  /* The session ends here, whatever the server says (or whether it can be
   * reached); "others" keeps this one. */
  if (scope != TANDEM_SIGN_OUT_OTHERS)
    _tandem_auth_set_session (self, NULL, TANDEM_AUTH_SIGNED_OUT);

  path = g_strconcat ("/logout?scope=", scope_names[scope], NULL);
  cancellable = g_task_get_cancellable (task);
  _tandem_auth_send_async (self, "POST", path, token, NULL, cancellable, logged_out_cb, g_steal_pointer (&task));
}

/**
 * tandem_auth_sign_out_async:
 * @self: a #TandemAuth
 * @scope: which sessions of the user end
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when done
 * @user_data: data for @callback
 *
 * Signs out (POST /logout). Unless @scope is %TANDEM_SIGN_OUT_OTHERS, the
 * session ends here at once, even when the server cannot be reached (the
 * error then says so); the server revokes the refresh tokens.
 */
void
tandem_auth_sign_out_async (TandemAuth          *self,
                            TandemSignOutScope   scope,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (TANDEM_IS_AUTH (self));
  g_return_if_fail ((guint) scope < G_N_ELEMENTS (scope_names));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, tandem_auth_sign_out_async);
  g_task_set_task_data (task, GINT_TO_POINTER (scope), NULL);

  if (self->session == NULL)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }
  /* An expired token would not be let in to revoke the session. */
  tandem_auth_ensure_fresh_token_async (self, cancellable, sign_out_token_cb, g_steal_pointer (&task));
}

/**
 * tandem_auth_sign_out_finish:
 * @self: a #TandemAuth
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Returns: %TRUE when the server ended the session too; %FALSE with
 *   %TANDEM_AUTH_ERROR_NETWORK or %TANDEM_AUTH_ERROR_SERVER when it could
 *   not be told (the session ended here all the same)
 */
gboolean
tandem_auth_sign_out_finish (TandemAuth    *self,
                             GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == tandem_auth_sign_out_async, FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
