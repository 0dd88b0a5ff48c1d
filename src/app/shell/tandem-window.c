/* tandem-window.c: the main window, the view it shows (loading, welcome,
 * workspace), its size, and following the current session
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tandem-window"

#include "config.h"

#include <glib/gi18n.h>

#include "tandem-app-enums.h"
#include "tandem-application.h"
#include "tandem-connection-banner.h"
#include "tandem-connection-indicator.h"
#include "tandem-idle-monitor.h"
#include "tandem-people-list.h"
#include "tandem-status-chooser.h"
#include "tandem-welcome-page.h"
#include "tandem-window-private.h"
#include "tandem-workspace.h"
#include "tandem-workspace-error.h"
#include "tandem-workspace-session.h"
#include "tandem-workspace-switcher.h"

G_DEFINE_FINAL_TYPE (TandemWindow, tandem_window, ADW_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_SESSION,
  PROP_STATUS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

void
_tandem_window_update_view (TandemWindow *self)
{
  TandemApplication *app = TANDEM_APPLICATION (gtk_window_get_application (GTK_WINDOW (self)));
  const char *view;

  if (app != NULL && tandem_application_get_busy (app))
    view = "loading";
  else if (self->session != NULL && !self->adding_workspace)
    view = "workspace";
  else
    view = "welcome";

  tandem_welcome_page_set_can_cancel (self->welcome_page, self->session != NULL);
  gtk_stack_set_visible_child_name (self->main_stack, view);
  _tandem_window_update_actions (self);
}

static void
set_session (TandemWindow           *self,
             TandemWorkspaceSession *session)
{
  if (!g_set_object (&self->session, session))
    return;

  self->away_by_idle = FALSE;
  self->adding_workspace = FALSE;
  g_binding_group_set_source (self->session_bindings, session);
  g_signal_group_set_target (self->session_signals, session);
  if (session == NULL)
    {
      /* A binding group leaves its targets as they were: empty them. */
      g_object_set (self->connection_indicator, "connection", NULL, NULL);
      g_object_set (self->banner, "connection", NULL, NULL);
      g_object_set (self->people_list, "model", NULL, "own-key", NULL, NULL);
      g_object_set (self->status_chooser, "user-id", NULL, "display-name", NULL, NULL);
      g_object_set (self->switcher, "current", NULL, NULL);
      gtk_window_set_title (GTK_WINDOW (self), _("Tandem"));
      _tandem_window_sections_clear_clients (self);
    }
  _tandem_window_update_view (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SESSION]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATUS]);
}

/* The status follows the pointer and keyboard: away after the delay,
 * online again on input, unless one chose a status oneself meanwhile. */
static void
idle_changed_cb (TandemWindow      *self,
                 GParamSpec        *pspec,
                 TandemIdleMonitor *monitor)
{
  if (self->session == NULL)
    return;

  if (tandem_idle_monitor_get_idle (monitor))
    {
      if (g_settings_get_boolean (self->settings, "auto-away") &&
          tandem_workspace_session_get_status (self->session) == TANDEM_USER_ONLINE)
        {
          self->away_by_idle = TRUE;
          tandem_workspace_session_set_status (self->session, TANDEM_USER_AWAY);
        }
    }
  else if (self->away_by_idle)
    {
      self->away_by_idle = FALSE;
      if (tandem_workspace_session_get_status (self->session) == TANDEM_USER_AWAY)
        tandem_workspace_session_set_status (self->session, TANDEM_USER_ONLINE);
    }
}

static void
session_status_cb (TandemWindow           *self,
                   GParamSpec             *pspec,
                   TandemWorkspaceSession *session)
{
  /* A status chosen by hand is not undone by the next input. */
  if (tandem_workspace_session_get_status (session) != TANDEM_USER_AWAY)
    self->away_by_idle = FALSE;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATUS]);
}

static void
app_session_cb (TandemWindow      *self,
                GParamSpec        *pspec,
                TandemApplication *app)
{
  set_session (self, tandem_application_get_session (app));
}

static void
app_busy_cb (TandemWindow      *self,
             GParamSpec        *pspec,
             TandemApplication *app)
{
  _tandem_window_update_view (self);
}

static void
open_failed_cb (TandemWindow      *self,
                TandemWorkspace   *workspace,
                const GError      *error,
                TandemApplication *app)
{
  tandem_welcome_page_show_sign_in (self->welcome_page, workspace, error);
  _tandem_window_update_view (self);
}

static void
welcome_cancelled_cb (TandemWindow *self)
{
  self->adding_workspace = FALSE;
  _tandem_window_update_view (self);
}

static void
load_size (TandemWindow *self)
{
  gtk_window_set_default_size (GTK_WINDOW (self),
                               MAX (360, g_settings_get_int (self->settings, "window-width")),
                               MAX (294, g_settings_get_int (self->settings, "window-height")));
  if (g_settings_get_boolean (self->settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));
}

static void
save_size (TandemWindow *self)
{
  int width, height;

  gtk_window_get_default_size (GTK_WINDOW (self), &width, &height);
  g_settings_set_boolean (self->settings, "window-maximized", gtk_window_is_maximized (GTK_WINDOW (self)));
  if (!gtk_window_is_maximized (GTK_WINDOW (self)) && width > 0 && height > 0)
    {
      g_settings_set_int (self->settings, "window-width", width);
      g_settings_set_int (self->settings, "window-height", height);
    }
}

static gboolean
tandem_window_close_request (GtkWindow *window)
{
  save_size (TANDEM_WINDOW (window));
  return GTK_WINDOW_CLASS (tandem_window_parent_class)->close_request (window);
}

/* After construction: GtkWindow:application is set after constructed(). */
static void
setup (TandemWindow      *self,
       TandemApplication *app)
{
  self->settings = g_object_ref (tandem_application_get_settings (app));
  load_size (self);
  tandem_workspace_switcher_set_store (self->switcher, G_LIST_MODEL (tandem_application_get_store (app)));
  g_settings_bind (self->settings, "auto-away-delay", self->idle_monitor, "delay", G_SETTINGS_BIND_GET);

  g_signal_connect_object (app, "notify::session", G_CALLBACK (app_session_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (app, "notify::busy", G_CALLBACK (app_busy_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (app, "open-failed", G_CALLBACK (open_failed_cb), self, G_CONNECT_SWAPPED);

  _tandem_window_sections_init (self);
  set_session (self, tandem_application_get_session (app));
  _tandem_window_update_view (self);
}

static void
tandem_window_dispose (GObject *object)
{
  TandemWindow *self = TANDEM_WINDOW (object);

  if (self->session_bindings != NULL)
    g_binding_group_set_source (self->session_bindings, NULL);
  if (self->session_signals != NULL)
    g_signal_group_set_target (self->session_signals, NULL);
  g_clear_object (&self->session);

  gtk_widget_dispose_template (GTK_WIDGET (self), TANDEM_TYPE_WINDOW);

  G_OBJECT_CLASS (tandem_window_parent_class)->dispose (object);
}

static void
tandem_window_finalize (GObject *object)
{
  TandemWindow *self = TANDEM_WINDOW (object);

  g_clear_pointer (&self->client_pages, g_ptr_array_unref);
  g_clear_object (&self->session_bindings);
  g_clear_object (&self->session_signals);
  g_clear_object (&self->idle_monitor);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (tandem_window_parent_class)->finalize (object);
}

static void
tandem_window_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  TandemWindow *self = TANDEM_WINDOW (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      g_value_set_object (value, self->session);
      break;
    case PROP_STATUS:
      g_value_set_string (value, self->session ? tandem_user_status_to_string (tandem_workspace_session_get_status (self->session))
                                               : "invisible");
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tandem_window_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  TandemWindow *self = TANDEM_WINDOW (object);
  TandemUserStatus status;

  switch (prop_id)
    {
    case PROP_STATUS:
      if (self->session != NULL && tandem_user_status_from_string (g_value_get_string (value), &status))
        {
          self->away_by_idle = FALSE;
          tandem_workspace_session_set_status (self->session, status);
        }
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tandem_window_class_init (TandemWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = tandem_window_dispose;
  object_class->finalize = tandem_window_finalize;
  object_class->get_property = tandem_window_get_property;
  object_class->set_property = tandem_window_set_property;
  window_class->close_request = tandem_window_close_request;

  properties[PROP_SESSION] =
    g_param_spec_object ("session", NULL, NULL, TANDEM_TYPE_WORKSPACE_SESSION,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* One's status as win.status shows and sets it: "online", "away", "dnd",
   * "invisible". */
  properties[PROP_STATUS] =
    g_param_spec_string ("status", NULL, NULL, "invisible",
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (TANDEM_TYPE_WELCOME_PAGE);
  g_type_ensure (TANDEM_TYPE_WORKSPACE_SWITCHER);
  g_type_ensure (TANDEM_TYPE_PEOPLE_LIST);
  g_type_ensure (TANDEM_TYPE_STATUS_CHOOSER);
  g_type_ensure (TANDEM_TYPE_CONNECTION_INDICATOR);
  g_type_ensure (TANDEM_TYPE_CONNECTION_BANNER);

  gtk_widget_class_set_template_from_resource (widget_class, "/org/gnome/Tandem/tandem-window.ui");
  gtk_widget_class_bind_template_child (widget_class, TandemWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, TandemWindow, main_stack);
  gtk_widget_class_bind_template_child (widget_class, TandemWindow, loading_page);
  gtk_widget_class_bind_template_child (widget_class, TandemWindow, welcome_page);
  gtk_widget_class_bind_template_child (widget_class, TandemWindow, leaflet);
  gtk_widget_class_bind_template_child (widget_class, TandemWindow, sidebar);
  gtk_widget_class_bind_template_child (widget_class, TandemWindow, content);
  gtk_widget_class_bind_template_child (widget_class, TandemWindow, switcher);
  gtk_widget_class_bind_template_child (widget_class, TandemWindow, sections_list);
  gtk_widget_class_bind_template_child (widget_class, TandemWindow, people_list);
  gtk_widget_class_bind_template_child (widget_class, TandemWindow, status_chooser);
  gtk_widget_class_bind_template_child (widget_class, TandemWindow, content_title);
  gtk_widget_class_bind_template_child (widget_class, TandemWindow, connection_indicator);
  gtk_widget_class_bind_template_child (widget_class, TandemWindow, banner);
  gtk_widget_class_bind_template_child (widget_class, TandemWindow, section_stack);

  _tandem_window_class_install_actions (widget_class);
}

static gboolean
workspace_to_title (GBinding     *binding,
                    const GValue *from,
                    GValue       *to,
                    gpointer      user_data)
{
  TandemWorkspace *workspace = g_value_get_object (from);

  g_value_set_string (to, workspace ? tandem_workspace_get_name (workspace) : NULL);
  return TRUE;
}

/* The session's TandemUserStatus as the people list's "own-status". */
static gboolean
status_to_string (GBinding     *binding,
                  const GValue *from,
                  GValue       *to,
                  gpointer      user_data)
{
  g_value_set_string (to, tandem_user_status_to_string (g_value_get_enum (from)));
  return TRUE;
}

static void
tandem_window_init (TandemWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  /* Everything shown of the session follows it through these two. */
  self->session_bindings = g_binding_group_new ();
  g_binding_group_bind (self->session_bindings, "connection", self->connection_indicator, "connection",
                        G_BINDING_SYNC_CREATE);
  g_binding_group_bind (self->session_bindings, "connection", self->banner, "connection",
                        G_BINDING_SYNC_CREATE);
  g_binding_group_bind (self->session_bindings, "presence", self->people_list, "model",
                        G_BINDING_SYNC_CREATE);
  g_binding_group_bind (self->session_bindings, "user-id", self->people_list, "own-key",
                        G_BINDING_SYNC_CREATE);
  g_binding_group_bind_full (self->session_bindings, "status", self->people_list, "own-status",
                             G_BINDING_SYNC_CREATE, status_to_string, NULL, NULL, NULL);
  g_binding_group_bind (self->session_bindings, "user-id", self->status_chooser, "user-id",
                        G_BINDING_SYNC_CREATE);
  g_binding_group_bind (self->session_bindings, "display-name", self->status_chooser, "display-name",
                        G_BINDING_SYNC_CREATE);
  g_binding_group_bind (self->session_bindings, "status", self->status_chooser, "status",
                        G_BINDING_SYNC_CREATE);
  g_binding_group_bind (self->session_bindings, "workspace", self->switcher, "current",
                        G_BINDING_SYNC_CREATE);
  g_binding_group_bind_full (self->session_bindings, "workspace", self, "title",
                             G_BINDING_SYNC_CREATE, workspace_to_title, NULL, NULL, NULL);

  self->session_signals = g_signal_group_new (TANDEM_TYPE_WORKSPACE_SESSION);
  g_signal_group_connect_swapped (self->session_signals, "notify::status", G_CALLBACK (session_status_cb), self);

  self->idle_monitor = tandem_idle_monitor_new (GTK_WIDGET (self));
  g_signal_connect_object (self->idle_monitor, "notify::idle", G_CALLBACK (idle_changed_cb), self,
                           G_CONNECT_SWAPPED);

  g_signal_connect_object (self->welcome_page, "cancelled", G_CALLBACK (welcome_cancelled_cb), self,
                           G_CONNECT_SWAPPED);
}

TandemWindow *
tandem_window_new (TandemApplication *application)
{
  TandemWindow *self;

  g_return_val_if_fail (TANDEM_IS_APPLICATION (application), NULL);

  self = g_object_new (TANDEM_TYPE_WINDOW, "application", application, NULL);
  setup (self, application);
  return self;
}

void
tandem_window_add_toast (TandemWindow *self,
                         AdwToast     *toast)
{
  g_return_if_fail (TANDEM_IS_WINDOW (self));
  g_return_if_fail (ADW_IS_TOAST (toast));

  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

/* ---- for tests ---- */

TandemWelcomePage *
_tandem_window_get_welcome_page (TandemWindow *self)
{
  return self->welcome_page;
}

TandemConnectionIndicator *
_tandem_window_get_connection_indicator (TandemWindow *self)
{
  return self->connection_indicator;
}

TandemConnectionBanner *
_tandem_window_get_banner (TandemWindow *self)
{
  return self->banner;
}

TandemPeopleList *
_tandem_window_get_people_list (TandemWindow *self)
{
  return self->people_list;
}

TandemStatusChooser *
_tandem_window_get_status_chooser (TandemWindow *self)
{
  return self->status_chooser;
}

TandemIdleMonitor *
_tandem_window_get_idle_monitor (TandemWindow *self)
{
  return self->idle_monitor;
}

AdwLeaflet *
_tandem_window_get_leaflet (TandemWindow *self)
{
  return self->leaflet;
}

const char *
_tandem_window_get_view (TandemWindow *self)
{
  return gtk_stack_get_visible_child_name (self->main_stack);
}
