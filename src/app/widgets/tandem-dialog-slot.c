/* tandem-dialog-slot.c: one dialog at a time per widget
 *
 * A page or view asks one thing at a time: a second question replaces
 * the first rather than stacking a window over it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "tandem-dialog-slot.h"

void
tandem_dialog_slot_present (GtkWindow **slot,
                            GtkWidget  *dialog)
{
  g_return_if_fail (slot != NULL);
  g_return_if_fail (GTK_IS_WINDOW (dialog));

  if (*slot != NULL)
    gtk_window_destroy (*slot);
  g_set_weak_pointer (slot, GTK_WINDOW (dialog));
  gtk_window_present (GTK_WINDOW (dialog));
}
