/* tandem-whiteboard-view.h: one whiteboard with its toolbar
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "tandem.h"
#include "tandem-whiteboards-types.h"
#include "tandem-board-canvas.h"

G_BEGIN_DECLS

#define TANDEM_TYPE_WHITEBOARD_VIEW (tandem_whiteboard_view_get_type ())
G_DECLARE_FINAL_TYPE (TandemWhiteboardView, tandem_whiteboard_view, TANDEM, WHITEBOARD_VIEW, AdwBin)

/* Joins board @board_id (live at once; saves through @outbox). */
GtkWidget         *tandem_whiteboard_view_new            (TandemClient         *client,
                                                          TandemOutbox         *outbox,
                                                          const char           *board_id);

TandemBoardSync   *tandem_whiteboard_view_get_sync       (TandemWhiteboardView *self);
TandemBoardCanvas *tandem_whiteboard_view_get_canvas     (TandemWhiteboardView *self);
const char        *tandem_whiteboard_view_get_board_id   (TandemWhiteboardView *self);

/* The whole board as PNG (cairo renderer, white, 16 units of margin) and
 * as SVG, written to @file. */
gboolean           tandem_whiteboard_view_export_png     (TandemWhiteboardView *self,
                                                          GFile                *file,
                                                          GError              **error);
gboolean           tandem_whiteboard_view_export_svg     (TandemWhiteboardView *self,
                                                          GFile                *file,
                                                          GError              **error);

G_END_DECLS
