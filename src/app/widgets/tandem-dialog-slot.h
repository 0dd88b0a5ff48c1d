/* tandem-dialog-slot.h: one dialog at a time per widget
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* Presents @dialog in place of the one @slot points to (destroyed), and
 * keeps a weak pointer to it in @slot, which is NULL again once it
 * closes. */
void tandem_dialog_slot_present (GtkWindow **slot,
                                 GtkWidget  *dialog);

G_END_DECLS
