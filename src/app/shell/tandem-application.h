/* tandem-application.h: the application (org.gnome.Tandem)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "tandem-app-types.h"

G_BEGIN_DECLS

#define TANDEM_TYPE_APPLICATION (tandem_application_get_type ())
G_DECLARE_FINAL_TYPE (TandemApplication, tandem_application, TANDEM, APPLICATION, AdwApplication)

TandemApplication      *tandem_application_new               (GApplicationFlags       flags);
GSettings              *tandem_application_get_settings      (TandemApplication      *self);
TandemWorkspaceStore   *tandem_application_get_store         (TandemApplication      *self);
/* The signed-in workspace, or NULL. */
TandemWorkspaceSession *tandem_application_get_session       (TandemApplication      *self);
/* Makes @session (just opened) the current one; the previous one is
 * closed (not signed out). Applies the status on startup. */
void                    tandem_application_set_session       (TandemApplication      *self,
                                                              TandemWorkspaceSession *session);
/* TRUE while a saved workspace is being opened. */
gboolean                tandem_application_get_busy          (TandemApplication      *self);
/* Opens a saved workspace (closing the current one); a failure is emitted
 * as TandemApplication::open-failed. */
void                    tandem_application_open_workspace    (TandemApplication      *self,
                                                              TandemWorkspace        *workspace,
                                                              const char             *password);
/* Closes the current workspace (@sign_out: and forgets its session). */
void                    tandem_application_close_session     (TandemApplication      *self,
                                                              gboolean                sign_out);
/* Every desktop notification of the app goes through here: none while the
 * status is do not disturb or notifications are off in the preferences.
 * Returns whether it was sent. */
gboolean                tandem_application_send_notification (TandemApplication      *self,
                                                              const char             *id,
                                                              GNotification          *notification);

G_END_DECLS
