/* tandem-window.h: the main window: a sidebar of sections, the people
 * list and one's status; the current section's page
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "tandem-app-types.h"

G_BEGIN_DECLS

#define TANDEM_TYPE_WINDOW (tandem_window_get_type ())
G_DECLARE_FINAL_TYPE (TandemWindow, tandem_window, TANDEM, WINDOW, AdwApplicationWindow)

TandemWindow *tandem_window_new              (TandemApplication *application);

/* Adds a section to the sidebar. @page gets the signed-in TandemClient in
 * its `client` property (NULL while signed out), if it has one. */
void          tandem_window_add_section      (TandemWindow      *self,
                                              const char        *id,
                                              const char        *title,
                                              const char        *icon_name,
                                              GtkWidget         *page);
GtkWidget    *tandem_window_get_section_page (TandemWindow      *self,
                                              const char        *id);
void          tandem_window_show_section     (TandemWindow      *self,
                                              const char        *id);
/* A transient message (errors that belong to no field). */
void          tandem_window_add_toast        (TandemWindow      *self,
                                              AdwToast          *toast);

G_END_DECLS
