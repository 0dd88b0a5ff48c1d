/* tandem-application.c: the application, its settings and the current
 * workspace session
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tandem-application"

#include "config.h"

#include <glib/gi18n.h>

#include "tandem-app-enums.h"
#include "tandem-application-private.h"
#include "tandem-window.h"
#include "tandem-workspace.h"
#include "tandem-workspace-session.h"
#include "tandem-workspace-store.h"

G_DEFINE_FINAL_TYPE (TandemApplication, tandem_application, ADW_TYPE_APPLICATION)

enum {
  PROP_0,
  PROP_SETTINGS,
  PROP_STORE,
  PROP_SESSION,
  PROP_BUSY,
  N_PROPS
};

enum {
  OPEN_FAILED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

/* Bounds the wait for a clean close (server stop, keyring writes) on quit. */
#define SHUTDOWN_TIMEOUT_US (15 * G_USEC_PER_SEC)

static void
set_busy (TandemApplication *self,
          gboolean           busy)
{
  if (self->busy == busy)
    return;
  self->busy = busy;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

static void
apply_color_scheme (TandemApplication *self)
{
  static const AdwColorScheme schemes[] = {
    ADW_COLOR_SCHEME_DEFAULT, ADW_COLOR_SCHEME_FORCE_LIGHT, ADW_COLOR_SCHEME_FORCE_DARK,
  };
  int value = g_settings_get_enum (self->settings, "color-scheme");

  adw_style_manager_set_color_scheme (adw_style_manager_get_default (),
                                      schemes[CLAMP (value, 0, (int) G_N_ELEMENTS (schemes) - 1)]);
}

static void
session_status_cb (TandemApplication      *self,
                   GParamSpec             *pspec,
                   TandemWorkspaceSession *session)
{
  g_settings_set_enum (self->settings, "last-status", tandem_workspace_session_get_status (session));
}

static gboolean
any_window_active (TandemApplication *self)
{
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (self)); l; l = l->next)
    if (gtk_window_is_active (l->data))
      return TRUE;
  return FALSE;
}

/* Someone new on the workspace, while one looks elsewhere. */
static void
presence_join_cb (TandemApplication *self,
                  const char        *key,
                  JsonArray         *current_metas,
                  JsonArray         *new_metas,
                  TandemChannel     *channel)
{
  g_autoptr(GNotification) notification = NULL;
  g_autofree char *title = NULL;
  const char *name = NULL;

  if (self->session == NULL || any_window_active (self) ||
      g_strcmp0 (key, tandem_workspace_session_get_user_id (self->session)) == 0 ||
      (current_metas != NULL && json_array_get_length (current_metas) > 0) ||
      new_metas == NULL || json_array_get_length (new_metas) == 0)
    return;

  name = json_object_get_string_member_with_default (json_array_get_object_element (new_metas, 0), "name", NULL);
  if (name == NULL || *name == '\0')
    return;

  /* Translators: a desktop notification; %s is a person's name */
  title = g_strdup_printf (_("%s is online"), name);
  notification = g_notification_new (title);
  g_notification_set_body (notification, tandem_workspace_get_name (tandem_workspace_session_get_workspace (self->session)));
  tandem_application_send_notification (self, "presence-join", notification);
}

static void
session_presence_cb (TandemApplication      *self,
                     GParamSpec             *pspec,
                     TandemWorkspaceSession *session)
{
  g_signal_group_set_target (self->channel_signals, tandem_workspace_session_get_presence_channel (session));
}

static void
tandem_application_startup (GApplication *application)
{
  TandemApplication *self = TANDEM_APPLICATION (application);

  G_APPLICATION_CLASS (tandem_application_parent_class)->startup (application);

  g_set_application_name (_("Tandem"));
  gtk_window_set_default_icon_name (TANDEM_APP_ID);

  self->settings = g_settings_new (TANDEM_APP_ID);
  self->store = tandem_workspace_store_new (self->settings);
  g_signal_connect_object (self->settings, "changed::color-scheme", G_CALLBACK (apply_color_scheme),
                           self, G_CONNECT_SWAPPED);
  apply_color_scheme (self);

  _tandem_application_install_actions (self);
}

static void
tandem_application_activate (GApplication *application)
{
  TandemApplication *self = TANDEM_APPLICATION (application);
  GtkWindow *window = NULL;

  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (self)); l && !window; l = l->next)
    if (TANDEM_IS_WINDOW (l->data))
      window = l->data;
  if (window == NULL)
    window = GTK_WINDOW (tandem_window_new (self));
  gtk_window_present (window);

  /* The first start shows the welcome page; later ones open the last
   * workspace from its stored session. */
  if (!self->restored)
    {
      TandemWorkspace *last = tandem_workspace_store_get_last (self->store);

      self->restored = TRUE;
      if (last != NULL && self->session == NULL)
        tandem_application_open_workspace (self, last, NULL);
    }
}

static void
closed_on_shutdown_cb (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  gboolean *done = user_data;

  tandem_workspace_session_close_finish (TANDEM_WORKSPACE_SESSION (source), result, NULL);
  *done = TRUE;
}

static void
tandem_application_shutdown (GApplication *application)
{
  TandemApplication *self = TANDEM_APPLICATION (application);

  g_cancellable_cancel (self->open_cancellable);

  /* Stop the local server cleanly and let the keyring writes finish. */
  if (self->session != NULL)
    {
      g_autoptr(TandemWorkspaceSession) session = g_steal_pointer (&self->session);
      gint64 deadline = g_get_monotonic_time () + SHUTDOWN_TIMEOUT_US;
      gboolean done = FALSE;

      g_signal_handlers_disconnect_by_data (session, self);
      g_signal_group_set_target (self->channel_signals, NULL);
      tandem_workspace_session_close_async (session, FALSE, NULL, closed_on_shutdown_cb, &done);
      while (!done && g_get_monotonic_time () < deadline)
        g_main_context_iteration (NULL, TRUE);
      if (!done)
        g_warning ("The workspace did not close in time");
    }

  G_APPLICATION_CLASS (tandem_application_parent_class)->shutdown (application);
}

static void
tandem_application_dispose (GObject *object)
{
  TandemApplication *self = TANDEM_APPLICATION (object);

  g_cancellable_cancel (self->open_cancellable);
  g_clear_object (&self->open_cancellable);
  g_clear_object (&self->opening);
  if (self->channel_signals != NULL)
    g_signal_group_set_target (self->channel_signals, NULL);
  g_clear_object (&self->channel_signals);
  if (self->session != NULL)
    g_signal_handlers_disconnect_by_data (self->session, self);
  g_clear_object (&self->session);
  g_clear_object (&self->store);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (tandem_application_parent_class)->dispose (object);
}

static void
tandem_application_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  TandemApplication *self = TANDEM_APPLICATION (object);

  switch (prop_id)
    {
    case PROP_SETTINGS:
      g_value_set_object (value, self->settings);
      break;
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    case PROP_SESSION:
      g_value_set_object (value, self->session);
      break;
    case PROP_BUSY:
      g_value_set_boolean (value, self->busy);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tandem_application_class_init (TandemApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->dispose = tandem_application_dispose;
  object_class->get_property = tandem_application_get_property;
  app_class->startup = tandem_application_startup;
  app_class->activate = tandem_application_activate;
  app_class->shutdown = tandem_application_shutdown;

  properties[PROP_SETTINGS] =
    g_param_spec_object ("settings", NULL, NULL, G_TYPE_SETTINGS,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, TANDEM_TYPE_WORKSPACE_STORE,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_SESSION] =
    g_param_spec_object ("session", NULL, NULL, TANDEM_TYPE_WORKSPACE_SESSION,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * TandemApplication::open-failed:
   * @self: the application
   * @workspace: the workspace that did not open
   * @error: why (TANDEM_WORKSPACE_ERROR, with a field)
   *
   * Opening a saved workspace failed; the windows show why on the
   * sign-in form.
   */
  signals[OPEN_FAILED] =
    g_signal_new ("open-failed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, TANDEM_TYPE_WORKSPACE, G_TYPE_ERROR);
}

static void
tandem_application_init (TandemApplication *self)
{
  self->channel_signals = g_signal_group_new (TANDEM_TYPE_CHANNEL);
  g_signal_group_connect_swapped (self->channel_signals, "presence-join", G_CALLBACK (presence_join_cb), self);
}

TandemApplication *
tandem_application_new (GApplicationFlags flags)
{
  return g_object_new (TANDEM_TYPE_APPLICATION,
                       "application-id", TANDEM_APP_ID,
                       "resource-base-path", "/org/gnome/Tandem",
                       "flags", flags,
                       NULL);
}

GSettings *
tandem_application_get_settings (TandemApplication *self)
{
  g_return_val_if_fail (TANDEM_IS_APPLICATION (self), NULL);
  return self->settings;
}

TandemWorkspaceStore *
tandem_application_get_store (TandemApplication *self)
{
  g_return_val_if_fail (TANDEM_IS_APPLICATION (self), NULL);
  return self->store;
}

TandemWorkspaceSession *
tandem_application_get_session (TandemApplication *self)
{
  g_return_val_if_fail (TANDEM_IS_APPLICATION (self), NULL);
  return self->session;
}

gboolean
tandem_application_get_busy (TandemApplication *self)
{
  g_return_val_if_fail (TANDEM_IS_APPLICATION (self), FALSE);
  return self->busy;
}

static void
old_session_closed_cb (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!tandem_workspace_session_close_finish (TANDEM_WORKSPACE_SESSION (source), result, &error))
    g_warning ("Closing a workspace: %s", error->message);
}

static void
replace_session (TandemApplication      *self,
                 TandemWorkspaceSession *session,
                 gboolean                sign_out)
{
  g_autoptr(TandemWorkspaceSession) old = NULL;

  if (self->session == session)
    return;

  old = g_steal_pointer (&self->session);
  if (old != NULL)
    {
      g_signal_handlers_disconnect_by_data (old, self);
      tandem_workspace_session_close_async (old, sign_out, NULL, old_session_closed_cb, NULL);
    }

  if (session != NULL)
    {
      TandemUserStatus status;
      int startup = g_settings_get_enum (self->settings, "status-on-startup");

      self->session = g_object_ref (session);
      /* "last" is the one past the statuses in the enum */
      status = startup > TANDEM_USER_INVISIBLE ? (TandemUserStatus) g_settings_get_enum (self->settings, "last-status")
                                               : (TandemUserStatus) startup;
      tandem_workspace_session_set_status (session, status);
      g_signal_connect_object (session, "notify::status", G_CALLBACK (session_status_cb), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (session, "notify::presence", G_CALLBACK (session_presence_cb), self, G_CONNECT_SWAPPED);
      g_signal_group_set_target (self->channel_signals, tandem_workspace_session_get_presence_channel (session));
    }
  else
    g_signal_group_set_target (self->channel_signals, NULL);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SESSION]);
}

void
tandem_application_set_session (TandemApplication      *self,
                                TandemWorkspaceSession *session)
{
  g_return_if_fail (TANDEM_IS_APPLICATION (self));
  g_return_if_fail (session == NULL || TANDEM_IS_WORKSPACE_SESSION (session));

  replace_session (self, session, FALSE);
}

static void
opened_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(TandemApplication) self = user_data;
  g_autoptr(TandemWorkspaceSession) session = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(TandemWorkspace) workspace = NULL;

  session = tandem_workspace_session_open_finish (result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  workspace = g_steal_pointer (&self->opening);
  set_busy (self, FALSE);
  if (session == NULL)
    {
      g_message ("Could not open the workspace “%s”: %s",
                 workspace ? tandem_workspace_get_name (workspace) : "?", error->message);
      g_signal_emit (self, signals[OPEN_FAILED], 0, workspace, error);
      return;
    }
  replace_session (self, session, FALSE);
}

void
tandem_application_open_workspace (TandemApplication *self,
                                   TandemWorkspace   *workspace,
                                   const char        *password)
{
  g_return_if_fail (TANDEM_IS_APPLICATION (self));
  g_return_if_fail (TANDEM_IS_WORKSPACE (workspace));

  if (self->session != NULL && tandem_workspace_session_get_workspace (self->session) == workspace && password == NULL)
    return;

  g_cancellable_cancel (self->open_cancellable);
  g_clear_object (&self->open_cancellable);
  self->open_cancellable = g_cancellable_new ();

  /* Only one workspace at a time: its server and presence go first. */
  replace_session (self, NULL, FALSE);
  set_busy (self, TRUE);

  g_set_object (&self->opening, workspace);
  tandem_workspace_session_open_async (self->store, workspace, password, self->open_cancellable,
                                       opened_cb, g_object_ref (self));
}

void
tandem_application_close_session (TandemApplication *self,
                                  gboolean           sign_out)
{
  g_return_if_fail (TANDEM_IS_APPLICATION (self));

  replace_session (self, NULL, sign_out);
}

gboolean
tandem_application_send_notification (TandemApplication *self,
                                      const char        *id,
                                      GNotification     *notification)
{
  g_return_val_if_fail (TANDEM_IS_APPLICATION (self), FALSE);
  g_return_val_if_fail (G_IS_NOTIFICATION (notification), FALSE);

  if (!g_settings_get_boolean (self->settings, "notifications"))
    return FALSE;
  if (self->session != NULL && tandem_workspace_session_get_status (self->session) == TANDEM_USER_DND)
    {
      g_debug ("notification “%s” held back: do not disturb", id);
      return FALSE;
    }
  g_application_send_notification (G_APPLICATION (self), id, notification);
  return TRUE;
}
