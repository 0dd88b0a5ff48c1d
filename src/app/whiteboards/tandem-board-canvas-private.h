/* tandem-board-canvas-private.h: what the canvas's files, its tests and
 * the render benchmark share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "tandem-board-canvas.h"

G_BEGIN_DECLS

/* The pointer, in widget coordinates (what the gestures call; pressure
 * 0..1, 1 without a pressure axis). */
void        _tandem_board_canvas_pointer_down    (TandemBoardCanvas *self,
                                                  double             x,
                                                  double             y,
                                                  double             pressure);
void        _tandem_board_canvas_pointer_move    (TandemBoardCanvas *self,
                                                  double             x,
                                                  double             y,
                                                  double             pressure);
void        _tandem_board_canvas_pointer_up      (TandemBoardCanvas *self,
                                                  double             x,
                                                  double             y,
                                                  double             pressure);

/* The primary button's drag, and the text tool's popover and entry. */
GtkGesture *_tandem_board_canvas_get_drag_gesture (TandemBoardCanvas *self);
GtkWidget  *_tandem_board_canvas_get_text_popover (TandemBoardCanvas *self);
GtkWidget  *_tandem_board_canvas_get_text_entry   (TandemBoardCanvas *self);

/* The board as the canvas draws it at @width × @height (the view's
 * contents without a widget: the benchmark). */
GskRenderNode *_tandem_board_canvas_build_node    (TandemBoardCanvas *self,
                                                   int                width,
                                                   int                height);

/* What the last frame drew: strokes culled in, of how many, and how
 * many cached nodes were made for it. */
void        _tandem_board_canvas_get_frame_stats  (TandemBoardCanvas *self,
                                                   guint             *n_drawn,
                                                   guint             *n_strokes,
                                                   guint             *n_built);

G_END_DECLS
