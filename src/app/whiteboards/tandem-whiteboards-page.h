/* tandem-whiteboards-page.h: the Whiteboards section
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "tandem.h"
#include "tandem-whiteboard-view.h"

G_BEGIN_DECLS

#define TANDEM_TYPE_WHITEBOARDS_PAGE (tandem_whiteboards_page_get_type ())
G_DECLARE_FINAL_TYPE (TandemWhiteboardsPage, tandem_whiteboards_page, TANDEM, WHITEBOARDS_PAGE, AdwBin)

GtkWidget            *tandem_whiteboards_page_new           (void);

TandemClient         *tandem_whiteboards_page_get_client    (TandemWhiteboardsPage *self);
void                  tandem_whiteboards_page_set_client    (TandemWhiteboardsPage *self,
                                                             TandemClient          *client);
/* The boards listed, by name: "id\tname" each (transfer full). */
GStrv                 tandem_whiteboards_page_dup_boards    (TandemWhiteboardsPage *self);
/* How many times the list arrived (it is fetched again each time the
 * live list's channel is joined, on Refresh, and after a change made here
 * that found the list out of date). */
guint                 tandem_whiteboards_page_get_n_fetches (TandemWhiteboardsPage *self);
/* The outbox the boards save through (one per signed-in client). */
TandemOutbox         *tandem_whiteboards_page_get_outbox    (TandemWhiteboardsPage *self);

void                  tandem_whiteboards_page_open          (TandemWhiteboardsPage *self,
                                                             const char            *board_id);
TandemWhiteboardView *tandem_whiteboards_page_get_view      (TandemWhiteboardsPage *self);

G_END_DECLS
