/* tandem-confirm-dialog.h: the dialog that asks before something is
 * deleted, removed or cleared, shared by the sections
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

/* An AdwMessageDialog with "Cancel" (the default, and what closing it
 * answers) and @response labelled @response_label, shown as destructive.
 * (transfer floating: a new window) */
GtkWidget *tandem_confirm_dialog_new (GtkWindow  *parent,
                                      const char *heading,
                                      const char *body,
                                      const char *response,
                                      const char *response_label);

G_END_DECLS
