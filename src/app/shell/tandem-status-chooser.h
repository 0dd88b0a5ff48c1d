/* tandem-status-chooser.h: one's own avatar and status, with a menu to
 * choose it (win.status)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "tandem-app-types.h"

G_BEGIN_DECLS

#define TANDEM_TYPE_STATUS_CHOOSER (tandem_status_chooser_get_type ())
G_DECLARE_FINAL_TYPE (TandemStatusChooser, tandem_status_chooser, TANDEM, STATUS_CHOOSER, GtkWidget)

GtkWidget        *tandem_status_chooser_new        (void);
TandemUserStatus  tandem_status_chooser_get_status (TandemStatusChooser *self);
void              tandem_status_chooser_set_status (TandemStatusChooser *self,
                                                    TandemUserStatus     status);

G_END_DECLS
