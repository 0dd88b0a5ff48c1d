/* tandem-workspace-session.c: the object, the refresh token kept in the
 * keyring as it rotates, and closing
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tandem-workspace-session"

#include "config.h"

#include <glib/gi18n.h>

#include "tandem-app-enums.h"
#include "tandem-workspace-session-private.h"

G_DEFINE_FINAL_TYPE (TandemWorkspaceSession, tandem_workspace_session, G_TYPE_OBJECT)

GParamSpec *_tandem_workspace_session_properties[SESSION_N_PROPS];
#define properties _tandem_workspace_session_properties

static void maybe_finish_close (TandemWorkspaceSession *self);

static void
save_secret_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(TandemWorkspaceSession) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!tandem_workspace_store_save_secret_finish (TANDEM_WORKSPACE_STORE (source), result, &error))
    g_warning ("Could not save to the keyring: %s", error->message);
  self->pending_writes--;
  maybe_finish_close (self);
}

void
_tandem_workspace_session_save_secret (TandemWorkspaceSession *self,
                                       TandemSecretKind        kind,
                                       const char             *secret)
{
  self->pending_writes++;
  tandem_workspace_store_save_secret_async (self->store, self->workspace, kind, secret, NULL,
                                            save_secret_cb, g_object_ref (self));
}

static void
clear_secret_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(TandemWorkspaceSession) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!tandem_workspace_store_clear_secret_finish (TANDEM_WORKSPACE_STORE (source), result, &error))
    g_warning ("Could not clear a keyring item: %s", error->message);
  self->pending_writes--;
  maybe_finish_close (self);
}

/* Refresh tokens rotate: the keyring always holds the newest, so that the
 * next start restores the session without the password. */
static void
session_changed_cb (TandemAuth             *auth,
                    TandemAuthEvent         event,
                    TandemSession          *session,
                    TandemWorkspaceSession *self)
{
  switch (event)
    {
    case TANDEM_AUTH_SIGNED_IN:
    case TANDEM_AUTH_TOKEN_REFRESHED:
      if (session != NULL && tandem_session_get_refresh_token (session) != NULL)
        _tandem_workspace_session_save_secret (self, TANDEM_SECRET_REFRESH_TOKEN,
                                               tandem_session_get_refresh_token (session));
      break;
    case TANDEM_AUTH_SIGNED_OUT:
      self->pending_writes++;
      tandem_workspace_store_clear_secret_async (self->store, self->workspace, TANDEM_SECRET_REFRESH_TOKEN, NULL,
                                                 clear_secret_cb, g_object_ref (self));
      break;
    case TANDEM_AUTH_USER_UPDATED:
    default:
      break;
    }
}

static void
tandem_workspace_session_constructed (GObject *object)
{
  TandemWorkspaceSession *self = TANDEM_WORKSPACE_SESSION (object);

  G_OBJECT_CLASS (tandem_workspace_session_parent_class)->constructed (object);

  g_signal_connect_object (tandem_client_get_auth (self->client), "session-changed",
                           G_CALLBACK (session_changed_cb), self, 0);
  tandem_connection_watch_set_client (self->connection, self->client);
}

static void
tandem_workspace_session_dispose (GObject *object)
{
  TandemWorkspaceSession *self = TANDEM_WORKSPACE_SESSION (object);

  g_cancellable_cancel (self->cancellable);
  if (self->connection != NULL)
    tandem_connection_watch_set_client (self->connection, NULL);
  if (self->channel != NULL && self->client != NULL)
    tandem_client_remove_channel (self->client, self->channel);
  g_clear_object (&self->channel);
  /* Never leave a server behind. */
  if (self->server != NULL)
    tandem_local_server_terminate (self->server);

  G_OBJECT_CLASS (tandem_workspace_session_parent_class)->dispose (object);
}

static void
tandem_workspace_session_finalize (GObject *object)
{
  TandemWorkspaceSession *self = TANDEM_WORKSPACE_SESSION (object);

  g_assert (g_queue_is_empty (&self->close_waiters));

  g_clear_object (&self->connection);
  g_clear_object (&self->client);
  g_clear_object (&self->server);
  g_clear_object (&self->workspace);
  g_clear_object (&self->store);
  g_clear_object (&self->cancellable);
  g_free (self->user_id);
  g_free (self->display_name);
  g_free (self->online_at);

  G_OBJECT_CLASS (tandem_workspace_session_parent_class)->finalize (object);
}

static void
tandem_workspace_session_get_property (GObject    *object,
                                       guint       prop_id,
                                       GValue     *value,
                                       GParamSpec *pspec)
{
  TandemWorkspaceSession *self = TANDEM_WORKSPACE_SESSION (object);

  switch (prop_id)
    {
    case SESSION_PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    case SESSION_PROP_WORKSPACE:
      g_value_set_object (value, self->workspace);
      break;
    case SESSION_PROP_CLIENT:
      g_value_set_object (value, self->client);
      break;
    case SESSION_PROP_LOCAL_SERVER:
      g_value_set_object (value, self->server);
      break;
    case SESSION_PROP_CONNECTION:
      g_value_set_object (value, self->connection);
      break;
    case SESSION_PROP_USER_ID:
      g_value_set_string (value, self->user_id);
      break;
    case SESSION_PROP_DISPLAY_NAME:
      g_value_set_string (value, self->display_name);
      break;
    case SESSION_PROP_PRESENCE:
      g_value_set_object (value, tandem_workspace_session_get_presence (self));
      break;
    case SESSION_PROP_STATUS:
      g_value_set_enum (value, self->status);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tandem_workspace_session_set_property (GObject      *object,
                                       guint         prop_id,
                                       const GValue *value,
                                       GParamSpec   *pspec)
{
  TandemWorkspaceSession *self = TANDEM_WORKSPACE_SESSION (object);

  switch (prop_id)
    {
    case SESSION_PROP_STORE:
      self->store = g_value_dup_object (value);
      break;
    case SESSION_PROP_WORKSPACE:
      self->workspace = g_value_dup_object (value);
      break;
    case SESSION_PROP_CLIENT:
      self->client = g_value_dup_object (value);
      break;
    case SESSION_PROP_LOCAL_SERVER:
      self->server = g_value_dup_object (value);
      break;
    case SESSION_PROP_STATUS:
      tandem_workspace_session_set_status (self, g_value_get_enum (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tandem_workspace_session_class_init (TandemWorkspaceSessionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = tandem_workspace_session_constructed;
  object_class->dispose = tandem_workspace_session_dispose;
  object_class->finalize = tandem_workspace_session_finalize;
  object_class->get_property = tandem_workspace_session_get_property;
  object_class->set_property = tandem_workspace_session_set_property;

  properties[SESSION_PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, TANDEM_TYPE_WORKSPACE_STORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[SESSION_PROP_WORKSPACE] =
    g_param_spec_object ("workspace", NULL, NULL, TANDEM_TYPE_WORKSPACE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[SESSION_PROP_CLIENT] =
    g_param_spec_object ("client", NULL, NULL, TANDEM_TYPE_CLIENT,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[SESSION_PROP_LOCAL_SERVER] =
    g_param_spec_object ("local-server", NULL, NULL, TANDEM_TYPE_LOCAL_SERVER,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[SESSION_PROP_CONNECTION] =
    g_param_spec_object ("connection", NULL, NULL, TANDEM_TYPE_CONNECTION_WATCH,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[SESSION_PROP_USER_ID] =
    g_param_spec_string ("user-id", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[SESSION_PROP_DISPLAY_NAME] =
    g_param_spec_string ("display-name", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[SESSION_PROP_PRESENCE] =
    g_param_spec_object ("presence", NULL, NULL, TANDEM_TYPE_PRESENCE,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[SESSION_PROP_STATUS] =
    g_param_spec_enum ("status", NULL, NULL, TANDEM_TYPE_USER_STATUS, TANDEM_USER_ONLINE,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, SESSION_N_PROPS, properties);
}

static void
tandem_workspace_session_init (TandemWorkspaceSession *self)
{
  self->cancellable = g_cancellable_new ();
  self->connection = tandem_connection_watch_new ();
  self->status = TANDEM_USER_ONLINE;
  g_queue_init (&self->close_waiters);
}

TandemWorkspaceSession *
_tandem_workspace_session_new (TandemWorkspaceStore *store,
                               TandemWorkspace      *workspace,
                               TandemClient         *client,
                               TandemLocalServer    *server)
{
  return g_object_new (TANDEM_TYPE_WORKSPACE_SESSION,
                       "store", store,
                       "workspace", workspace,
                       "client", client,
                       "local-server", server,
                       NULL);
}

static char *
name_of_user (TandemSession   *session,
              TandemWorkspace *workspace)
{
  JsonObject *user = tandem_session_get_user (session);
  const char *email = tandem_session_get_email (session);

  if (user != NULL && json_object_has_member (user, "user_metadata"))
    {
      JsonNode *meta = json_object_get_member (user, "user_metadata");

      if (JSON_NODE_HOLDS_OBJECT (meta))
        {
          const char *name = json_object_get_string_member_with_default (json_node_get_object (meta), "name", NULL);

          if (name != NULL && *name != '\0')
            return g_strdup (name);
        }
    }
  if (tandem_workspace_get_display_name (workspace) != NULL && *tandem_workspace_get_display_name (workspace))
    return g_strdup (tandem_workspace_get_display_name (workspace));
  if (email != NULL && strchr (email, '@') != NULL)
    return g_strndup (email, strchr (email, '@') - email);
  return g_strdup (_("Unknown"));
}

void
_tandem_workspace_session_start (TandemWorkspaceSession *self)
{
  TandemSession *session = tandem_auth_get_session (tandem_client_get_auth (self->client));
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  g_return_if_fail (session != NULL);

  g_free (self->user_id);
  self->user_id = g_strdup (tandem_session_get_user_id (session));
  g_free (self->display_name);
  self->display_name = name_of_user (session, self->workspace);
  g_free (self->online_at);
  self->online_at = g_date_time_format_iso8601 (now);
  tandem_workspace_set_display_name (self->workspace, self->display_name);
  if (tandem_session_get_email (session) != NULL)
    tandem_workspace_set_email (self->workspace, tandem_session_get_email (session));
  g_object_notify_by_pspec (G_OBJECT (self), properties[SESSION_PROP_USER_ID]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[SESSION_PROP_DISPLAY_NAME]);

  tandem_client_connect (self->client);
  _tandem_workspace_session_join_presence (self);
}

/* ---- closing ---- */

static void
maybe_finish_close (TandemWorkspaceSession *self)
{
  if (!self->closing || self->pending_writes > 0)
    return;
  if (self->server != NULL && tandem_local_server_get_running (self->server))
    return;  /* stop_cb comes back here */

  while (!g_queue_is_empty (&self->close_waiters))
    {
      g_autoptr(GTask) task = g_queue_pop_head (&self->close_waiters);

      g_task_return_boolean (task, TRUE);
    }
}

static void
server_stopped_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(TandemWorkspaceSession) self = user_data;

  tandem_local_server_stop_finish (TANDEM_LOCAL_SERVER (source), result, NULL);
  maybe_finish_close (self);
}

static void
stop_everything (TandemWorkspaceSession *self)
{
  _tandem_workspace_session_leave_presence (self);
  tandem_client_disconnect (self->client);
  tandem_connection_watch_set_client (self->connection, NULL);
  if (self->server != NULL && tandem_local_server_get_running (self->server))
    tandem_local_server_stop_async (self->server, NULL, server_stopped_cb, g_object_ref (self));
  else
    maybe_finish_close (self);
}

static void
signed_out_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(TandemWorkspaceSession) self = user_data;
  g_autoptr(GError) error = NULL;

  /* Signed out locally even when the server could not be told. */
  if (!tandem_auth_sign_out_finish (TANDEM_AUTH (source), result, &error))
    g_debug ("sign-out: %s", error->message);
  stop_everything (self);
}

void
tandem_workspace_session_close_async (TandemWorkspaceSession *self,
                                      gboolean                sign_out,
                                      GCancellable           *cancellable,
                                      GAsyncReadyCallback     callback,
                                      gpointer                user_data)
{
  g_autoptr(GTask) task = NULL;
  gboolean first;

  g_return_if_fail (TANDEM_IS_WORKSPACE_SESSION (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, tandem_workspace_session_close_async);
  g_queue_push_tail (&self->close_waiters, g_steal_pointer (&task));

  first = !self->closing;
  self->closing = TRUE;
  if (!first)
    {
      maybe_finish_close (self);
      return;
    }

  if (sign_out && tandem_auth_get_session (tandem_client_get_auth (self->client)) != NULL)
    {
      /* TandemAuth ends the session (and session_changed_cb forgets the
       * refresh token) even when the server cannot be told. */
      tandem_auth_sign_out_async (tandem_client_get_auth (self->client), TANDEM_SIGN_OUT_LOCAL, NULL,
                                  signed_out_cb, g_object_ref (self));
    }
  else
    stop_everything (self);
}

gboolean
tandem_workspace_session_close_finish (TandemWorkspaceSession  *self,
                                       GAsyncResult            *result,
                                       GError                 **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---- accessors ---- */

TandemWorkspaceStore *
tandem_workspace_session_get_store (TandemWorkspaceSession *self)
{
  g_return_val_if_fail (TANDEM_IS_WORKSPACE_SESSION (self), NULL);
  return self->store;
}

TandemWorkspace *
tandem_workspace_session_get_workspace (TandemWorkspaceSession *self)
{
  g_return_val_if_fail (TANDEM_IS_WORKSPACE_SESSION (self), NULL);
  return self->workspace;
}

TandemClient *
tandem_workspace_session_get_client (TandemWorkspaceSession *self)
{
  g_return_val_if_fail (TANDEM_IS_WORKSPACE_SESSION (self), NULL);
  return self->client;
}

TandemLocalServer *
tandem_workspace_session_get_local_server (TandemWorkspaceSession *self)
{
  g_return_val_if_fail (TANDEM_IS_WORKSPACE_SESSION (self), NULL);
  return self->server;
}

TandemConnectionWatch *
tandem_workspace_session_get_connection (TandemWorkspaceSession *self)
{
  g_return_val_if_fail (TANDEM_IS_WORKSPACE_SESSION (self), NULL);
  return self->connection;
}

const char *
tandem_workspace_session_get_user_id (TandemWorkspaceSession *self)
{
  g_return_val_if_fail (TANDEM_IS_WORKSPACE_SESSION (self), NULL);
  return self->user_id;
}

const char *
tandem_workspace_session_get_display_name (TandemWorkspaceSession *self)
{
  g_return_val_if_fail (TANDEM_IS_WORKSPACE_SESSION (self), NULL);
  return self->display_name;
}

const char *
tandem_user_status_to_string (TandemUserStatus status)
{
  switch (status)
    {
    case TANDEM_USER_ONLINE:
      return "online";
    case TANDEM_USER_AWAY:
      return "away";
    case TANDEM_USER_DND:
      return "dnd";
    case TANDEM_USER_INVISIBLE:
      return "invisible";
    default:
      g_return_val_if_reached ("online");
    }
}

gboolean
tandem_user_status_from_string (const char       *text,
                                TandemUserStatus *status)
{
  static const TandemUserStatus all[] = {
    TANDEM_USER_ONLINE, TANDEM_USER_AWAY, TANDEM_USER_DND, TANDEM_USER_INVISIBLE,
  };

  for (guint i = 0; i < G_N_ELEMENTS (all); i++)
    if (g_strcmp0 (text, tandem_user_status_to_string (all[i])) == 0)
      {
        *status = all[i];
        return TRUE;
      }
  return FALSE;
}
