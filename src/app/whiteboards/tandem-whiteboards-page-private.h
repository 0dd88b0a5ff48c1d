/* tandem-whiteboards-page-private.h: for the page's tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "tandem-whiteboards-page.h"

G_BEGIN_DECLS

/* The open new/rename/delete dialog (an AdwMessageDialog), or NULL, and
 * its name entry (NULL for delete). */
GtkWindow *_tandem_whiteboards_page_get_dialog (TandemWhiteboardsPage *self);
GtkEditable *_tandem_whiteboards_page_get_dialog_entry (TandemWhiteboardsPage *self);
/* The page shown: "signed-out", "loading", "empty", "list" or "board". */
const char *_tandem_whiteboards_page_get_shown (TandemWhiteboardsPage *self);
/* The channel is joined and the list fetched since has arrived: changes
 * come live from now on, without fetching. */
gboolean _tandem_whiteboards_page_get_live (TandemWhiteboardsPage *self);

G_END_DECLS
