/* tandem-window-actions.c: the window's actions
 *
 *   win.status (s, stateful)   one's status: online, away, dnd, invisible
 *   win.reconnect              tandem_client_reconnect_now()
 *   win.show-sidebar           back to the sidebar when folded
 *   win.show-section (s)       a section by id
 *   win.switch-workspace (s)   a saved workspace by id
 *   win.add-workspace          the welcome page, to add another one
 *   win.remove-workspace (s)   forget a saved workspace
 *   win.sign-out               sign out of the current workspace
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tandem-window"

#include "config.h"

#include <glib/gi18n.h>

#include "tandem-application.h"
#include "tandem-confirm-dialog.h"
#include "tandem-connection-watch.h"
#include "tandem-welcome-page.h"
#include "tandem-window-private.h"
#include "tandem-workspace.h"
#include "tandem-workspace-session.h"
#include "tandem-workspace-store.h"

static TandemApplication *
app_of (TandemWindow *self)
{
  return TANDEM_APPLICATION (gtk_window_get_application (GTK_WINDOW (self)));
}

static void
reconnect_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  TandemWindow *self = TANDEM_WINDOW (widget);

  if (self->session != NULL)
    tandem_connection_watch_reconnect_now (tandem_workspace_session_get_connection (self->session));
}

static void
show_sidebar_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  TandemWindow *self = TANDEM_WINDOW (widget);

  adw_leaflet_set_visible_child (self->leaflet, self->sidebar);
}

static void
show_section_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  tandem_window_show_section (TANDEM_WINDOW (widget), g_variant_get_string (parameter, NULL));
}

static void
switch_workspace_action (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *parameter)
{
  TandemWindow *self = TANDEM_WINDOW (widget);
  TandemApplication *app = app_of (self);
  TandemWorkspace *workspace;

  workspace = tandem_workspace_store_lookup (tandem_application_get_store (app),
                                             g_variant_get_string (parameter, NULL));
  if (workspace == NULL)
    return;
  self->adding_workspace = FALSE;
  tandem_application_open_workspace (app, workspace, NULL);
  _tandem_window_update_view (self);
}

static void
add_workspace_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  TandemWindow *self = TANDEM_WINDOW (widget);

  self->adding_workspace = TRUE;
  tandem_welcome_page_reset (self->welcome_page);
  _tandem_window_update_view (self);
}

static void
remove_response_cb (AdwMessageDialog *dialog,
                    const char       *response,
                    TandemWindow     *self)
{
  TandemApplication *app = app_of (self);
  TandemWorkspace *workspace = g_object_get_data (G_OBJECT (dialog), "workspace");
  g_autofree char *message = NULL;

  if (g_strcmp0 (response, "remove") != 0 || workspace == NULL || app == NULL)
    return;

  if (self->session != NULL && tandem_workspace_session_get_workspace (self->session) == workspace)
    tandem_application_close_session (app, TRUE);
  /* Translators: a toast; %s is a workspace's name */
  message = g_strdup_printf (_("“%s” was removed"), tandem_workspace_get_name (workspace));
  tandem_workspace_store_remove (tandem_application_get_store (app), workspace);
  tandem_window_add_toast (self, adw_toast_new (message));
}

static void
remove_workspace_action (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *parameter)
{
  TandemWindow *self = TANDEM_WINDOW (widget);
  TandemWorkspace *workspace;
  AdwMessageDialog *dialog;

  workspace = tandem_workspace_store_lookup (tandem_application_get_store (app_of (self)),
                                             g_variant_get_string (parameter, NULL));
  if (workspace == NULL)
    return;

  dialog = ADW_MESSAGE_DIALOG (tandem_confirm_dialog_new (GTK_WINDOW (self), _("Remove Workspace?"), NULL,
                                                          "remove", _("_Remove")));
  adw_message_dialog_format_body (dialog,
                                  _("“%s” is forgotten on this computer, with its keys and session. "
                                    "The data of a local workspace stays in its folder."),
                                  tandem_workspace_get_name (workspace));
  g_object_set_data_full (G_OBJECT (dialog), "workspace", g_object_ref (workspace), g_object_unref);
  g_signal_connect_object (dialog, "response", G_CALLBACK (remove_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
sign_out_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  TandemWindow *self = TANDEM_WINDOW (widget);
  TandemWorkspace *workspace;

  if (self->session == NULL)
    return;
  workspace = tandem_workspace_session_get_workspace (self->session);
  /* The welcome page offers to sign in again. */
  tandem_welcome_page_show_sign_in (self->welcome_page, workspace, NULL);
  tandem_application_close_session (app_of (self), TRUE);
}

void
_tandem_window_class_install_actions (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_property_action (widget_class, "win.status", "status");
  gtk_widget_class_install_action (widget_class, "win.reconnect", NULL, reconnect_action);
  gtk_widget_class_install_action (widget_class, "win.show-sidebar", NULL, show_sidebar_action);
  gtk_widget_class_install_action (widget_class, "win.show-section", "s", show_section_action);
  gtk_widget_class_install_action (widget_class, "win.switch-workspace", "s", switch_workspace_action);
  gtk_widget_class_install_action (widget_class, "win.add-workspace", NULL, add_workspace_action);
  gtk_widget_class_install_action (widget_class, "win.remove-workspace", "s", remove_workspace_action);
  gtk_widget_class_install_action (widget_class, "win.sign-out", NULL, sign_out_action);
}

void
_tandem_window_update_actions (TandemWindow *self)
{
  gboolean signed_in = self->session != NULL;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.status", signed_in);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.reconnect", signed_in);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.sign-out", signed_in);
}
