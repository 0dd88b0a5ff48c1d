/* tandem-welcome-page.h: the first start's two ways in (a local workspace,
 * a Supabase project), and signing in again to a saved workspace
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "tandem-app-types.h"
#include "tandem-workspace-error.h"

G_BEGIN_DECLS

#define TANDEM_TYPE_WELCOME_PAGE (tandem_welcome_page_get_type ())
G_DECLARE_FINAL_TYPE (TandemWelcomePage, tandem_welcome_page, TANDEM, WELCOME_PAGE, GtkWidget)

GtkWidget  *tandem_welcome_page_new            (void);
/* Back to the choice, every field and message cleared. */
void        tandem_welcome_page_reset          (TandemWelcomePage *self);
/* A Cancel button, back to the open workspace (TandemWelcomePage::cancelled). */
void        tandem_welcome_page_set_can_cancel (TandemWelcomePage *self,
                                                gboolean           can_cancel);
/* The password form of a saved workspace, with @error (nullable) at the
 * field it is about. */
void        tandem_welcome_page_show_sign_in   (TandemWelcomePage *self,
                                                TandemWorkspace   *workspace,
                                                const GError      *error);

/* ---- for tests ---- */

/* "choose", "local", "remote" or "sign-in" */
void        tandem_welcome_page_show           (TandemWelcomePage *self,
                                                const char        *name);
const char *tandem_welcome_page_get_visible    (TandemWelcomePage *self);
/* The row of @field on the visible form (an AdwEntryRow or
 * AdwPasswordEntryRow; AdwActionRow for the sign-in form's server). */
GtkWidget  *tandem_welcome_page_get_row        (TandemWelcomePage   *self,
                                                TandemWorkspaceField field);
/* The message under that row, or NULL when there is none. */
const char *tandem_welcome_page_get_error      (TandemWelcomePage   *self,
                                                TandemWorkspaceField field);
/* The visible form's main button. */
GtkWidget  *tandem_welcome_page_get_button     (TandemWelcomePage *self);
/* TRUE while the form waits for the server. */
gboolean    tandem_welcome_page_get_busy       (TandemWelcomePage *self);

G_END_DECLS
