/* tandem-window-private.h: shared by tandem-window.c (the object, the view
 * it shows, its size), tandem-window-actions.c (win.*) and
 * tandem-window-sections.c (the sidebar's sections); the accessors at the
 * end are for tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "tandem-window.h"

G_BEGIN_DECLS

struct _TandemWindow
{
  AdwApplicationWindow       parent_instance;

  /* template */
  AdwToastOverlay           *toast_overlay;
  GtkStack                  *main_stack;
  AdwStatusPage             *loading_page;
  TandemWelcomePage         *welcome_page;
  AdwLeaflet                *leaflet;
  GtkWidget                 *sidebar;
  GtkWidget                 *content;
  TandemWorkspaceSwitcher   *switcher;
  GtkListBox                *sections_list;
  TandemPeopleList          *people_list;
  TandemStatusChooser       *status_chooser;
  AdwWindowTitle            *content_title;
  TandemConnectionIndicator *connection_indicator;
  TandemConnectionBanner    *banner;
  GtkStack                  *section_stack;

  GSettings                 *settings;
  TandemWorkspaceSession    *session;
  /* follow the current session (style.md: as Text Editor follows its page) */
  GBindingGroup             *session_bindings;
  GSignalGroup              *session_signals;
  GPtrArray                 *client_pages;   /* pages with a `client` */
  TandemIdleMonitor         *idle_monitor;
  gboolean                   away_by_idle;
  gboolean                   adding_workspace;
};

/* tandem-window.c */
void                       _tandem_window_update_view         (TandemWindow *self);

/* tandem-window-actions.c */
void                       _tandem_window_class_install_actions (GtkWidgetClass *widget_class);
void                       _tandem_window_update_actions      (TandemWindow *self);

/* tandem-window-sections.c */
void                       _tandem_window_sections_init       (TandemWindow *self);
/* While signed out every page's `client` is NULL. */
void                       _tandem_window_sections_clear_clients (TandemWindow *self);

/* for tests */
TandemWelcomePage         *_tandem_window_get_welcome_page    (TandemWindow *self);
TandemConnectionIndicator *_tandem_window_get_connection_indicator (TandemWindow *self);
TandemConnectionBanner    *_tandem_window_get_banner          (TandemWindow *self);
TandemPeopleList          *_tandem_window_get_people_list     (TandemWindow *self);
TandemStatusChooser       *_tandem_window_get_status_chooser  (TandemWindow *self);
TandemIdleMonitor         *_tandem_window_get_idle_monitor    (TandemWindow *self);
AdwLeaflet                *_tandem_window_get_leaflet         (TandemWindow *self);
/* "loading", "welcome" or "workspace" */
const char                *_tandem_window_get_view            (TandemWindow *self);

G_END_DECLS
