/* tandem-name-dialog.h: the dialog that asks for a name (a new dashboard
 * or whiteboard, or renaming one), shared by the sections' pages
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

/* Names are kept short enough for a sidebar row and a header. */
#define TANDEM_NAME_MAX_LENGTH 200

/* An AdwMessageDialog with an entry holding @name; @response (labelled
 * @response_label) is the suggested and default response, "cancel" the
 * other one. (transfer floating: a new window) */
GtkWidget *tandem_name_dialog_new      (GtkWindow        *parent,
                                        const char       *heading,
                                        const char       *response,
                                        const char       *response_label,
                                        const char       *name);
/* The entry (for tests). (transfer none) */
GtkWidget *tandem_name_dialog_get_entry (AdwMessageDialog *dialog);
/* The name typed, trimmed; NULL when there is none. (transfer full) */
char      *tandem_name_dialog_dup_name (AdwMessageDialog *dialog);

G_END_DECLS
