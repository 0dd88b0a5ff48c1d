/* tandem-application-actions.c: app.quit, app.preferences, app.shortcuts,
 * app.about, app.new-window, app.connection-monitor
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tandem-application"

#include "config.h"

#include <glib/gi18n.h>

#include "tandem-application-private.h"
#include "tandem-connection-monitor.h"
#include "tandem-preferences-window.h"
#include "tandem-window.h"
#include "tandem-workspace-session.h"

static void
quit_action (GSimpleAction *action,
             GVariant      *parameter,
             gpointer       user_data)
{
  TandemApplication *self = user_data;
  GList *windows = g_list_copy (gtk_application_get_windows (GTK_APPLICATION (self)));

  /* Closing every window saves their state; then the app ends. */
  for (GList *l = windows; l; l = l->next)
    gtk_window_close (l->data);
  g_list_free (windows);
  g_application_quit (G_APPLICATION (self));
}

static void
new_window_action (GSimpleAction *action,
                   GVariant      *parameter,
                   gpointer       user_data)
{
  TandemApplication *self = user_data;

  gtk_window_present (GTK_WINDOW (tandem_window_new (self)));
}

static void
preferences_action (GSimpleAction *action,
                    GVariant      *parameter,
                    gpointer       user_data)
{
  TandemApplication *self = user_data;

  if (self->preferences == NULL)
    {
      self->preferences = GTK_WINDOW (tandem_preferences_window_new (self->settings));
      g_object_add_weak_pointer (G_OBJECT (self->preferences), (gpointer *) &self->preferences);
    }
  gtk_window_set_transient_for (self->preferences, gtk_application_get_active_window (GTK_APPLICATION (self)));
  gtk_window_present (self->preferences);
}

static void
shortcuts_action (GSimpleAction *action,
                  GVariant      *parameter,
                  gpointer       user_data)
{
  TandemApplication *self = user_data;
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));

  if (window != NULL)
    gtk_widget_activate_action (GTK_WIDGET (window), "win.show-help-overlay", NULL);
}

static void
about_action (GSimpleAction *action,
              GVariant      *parameter,
              gpointer       user_data)
{
  TandemApplication *self = user_data;
  static const char *developers[] = { "The Tandem developers", NULL };
  GtkWidget *about;

  about = g_object_new (ADW_TYPE_ABOUT_WINDOW,
                        "transient-for", gtk_application_get_active_window (GTK_APPLICATION (self)),
                        "application-name", _("Tandem"),
                        "application-icon", TANDEM_APP_ID,
                        "version", PACKAGE_VERSION,
                        "developer-name", _("The Tandem developers"),
                        "developers", developers,
                        "comments", _("Live dashboards and real-time collaboration on Supabase Realtime"),
                        "license-type", GTK_LICENSE_GPL_3_0,
                        "copyright", "© 2026 The Tandem developers",
                        /* Translators: replace with your names, one per line */
                        "translator-credits", _("translator-credits"),
                        NULL);
  gtk_window_present (GTK_WINDOW (about));
}

static gboolean
session_to_client (GBinding     *binding,
                   const GValue *from,
                   GValue       *to,
                   gpointer      user_data)
{
  TandemWorkspaceSession *session = g_value_get_object (from);

  g_value_set_object (to, session ? tandem_workspace_session_get_client (session) : NULL);
  return TRUE;
}

GtkWindow *
_tandem_application_show_connection_monitor (TandemApplication *self)
{
  if (self->connection_monitor == NULL)
    {
      self->connection_monitor = GTK_WINDOW (tandem_connection_monitor_new ());
      g_object_add_weak_pointer (G_OBJECT (self->connection_monitor), (gpointer *) &self->connection_monitor);
      g_object_bind_property_full (self, "session", self->connection_monitor, "client", G_BINDING_SYNC_CREATE,
                                   session_to_client, NULL, NULL, NULL);
      gtk_application_add_window (GTK_APPLICATION (self), self->connection_monitor);
    }
  gtk_window_present (self->connection_monitor);
  return self->connection_monitor;
}

static void
connection_monitor_action (GSimpleAction *action,
                           GVariant      *parameter,
                           gpointer       user_data)
{
  _tandem_application_show_connection_monitor (user_data);
}

static const GActionEntry app_actions[] = {
  { "quit", quit_action },
  { "new-window", new_window_action },
  { "preferences", preferences_action },
  { "shortcuts", shortcuts_action },
  { "about", about_action },
  { "connection-monitor", connection_monitor_action },
};

void
_tandem_application_install_actions (TandemApplication *self)
{
  static const struct {
    const char *action;
    const char *accels[3];
  } accels[] = {
    { "app.quit", { "<Control>q", NULL } },
    { "app.new-window", { "<Control>n", NULL } },
    { "app.preferences", { "<Control>comma", NULL } },
    { "app.connection-monitor", { "<Control><Shift>m", NULL } },
    { "win.show-help-overlay", { "<Control>question", NULL } },
    { "win.reconnect", { "<Control>r", NULL } },
    { "win.add-workspace", { "<Control><Shift>n", NULL } },
    { "win.show-sidebar", { "<Alt>Left", NULL } },
    { "window.close", { "<Control>w", NULL } },
  };

  g_action_map_add_action_entries (G_ACTION_MAP (self), app_actions, G_N_ELEMENTS (app_actions), self);
  for (guint i = 0; i < G_N_ELEMENTS (accels); i++)
    gtk_application_set_accels_for_action (GTK_APPLICATION (self), accels[i].action, accels[i].accels);
}
