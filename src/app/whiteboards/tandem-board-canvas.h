/* tandem-board-canvas.h: the widget that shows and draws on a whiteboard
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "tandem-whiteboards-types.h"

G_BEGIN_DECLS

#define TANDEM_BOARD_CANVAS_MIN_ZOOM 0.05
#define TANDEM_BOARD_CANVAS_MAX_ZOOM 20.0

#define TANDEM_TYPE_BOARD_CANVAS (tandem_board_canvas_get_type ())
G_DECLARE_FINAL_TYPE (TandemBoardCanvas, tandem_board_canvas, TANDEM, BOARD_CANVAS, GtkWidget)

/* Draws @sync's board and feeds it what the pointer does. */
GtkWidget        *tandem_board_canvas_new              (TandemBoardSync   *sync);
/* Only shows @model (no drawing: a preview, the benchmark). */
GtkWidget        *tandem_board_canvas_new_for_model    (TandemBoardModel  *model);

TandemBoardSync  *tandem_board_canvas_get_sync         (TandemBoardCanvas *self);
TandemBoardModel *tandem_board_canvas_get_model        (TandemBoardCanvas *self);

TandemTool        tandem_board_canvas_get_tool         (TandemBoardCanvas *self);
void              tandem_board_canvas_set_tool         (TandemBoardCanvas *self,
                                                        TandemTool         tool);
const char       *tandem_board_canvas_get_color        (TandemBoardCanvas *self);
/* "#rrggbb" */
void              tandem_board_canvas_set_color        (TandemBoardCanvas *self,
                                                        const char        *color);
/* Board units (a pen's width at full pressure). */
double            tandem_board_canvas_get_stroke_width (TandemBoardCanvas *self);
void              tandem_board_canvas_set_stroke_width (TandemBoardCanvas *self,
                                                        double             width);

/* Pixels per board unit. */
double            tandem_board_canvas_get_zoom         (TandemBoardCanvas *self);
/* Zooms about the middle of the view. */
void              tandem_board_canvas_set_zoom         (TandemBoardCanvas *self,
                                                        double             zoom);
/* Multiplies the zoom by @factor, keeping the board point under
 * (@widget_x, @widget_y) in place. */
void              tandem_board_canvas_zoom_at          (TandemBoardCanvas *self,
                                                        double             factor,
                                                        double             widget_x,
                                                        double             widget_y);
/* Moves the view by (@dx, @dy) pixels. */
void              tandem_board_canvas_pan              (TandemBoardCanvas *self,
                                                        double             dx,
                                                        double             dy);
/* The board point at the view's top left. */
void              tandem_board_canvas_get_origin       (TandemBoardCanvas *self,
                                                        double            *x,
                                                        double            *y);
void              tandem_board_canvas_set_origin       (TandemBoardCanvas *self,
                                                        double             x,
                                                        double             y);

void              tandem_board_canvas_widget_to_board  (TandemBoardCanvas *self,
                                                        double             widget_x,
                                                        double             widget_y,
                                                        double            *board_x,
                                                        double            *board_y);
void              tandem_board_canvas_board_to_widget  (TandemBoardCanvas *self,
                                                        double             board_x,
                                                        double             board_y,
                                                        double            *widget_x,
                                                        double            *widget_y);

/* The remote cursors shown now. */
guint             tandem_board_canvas_get_n_cursors    (TandemBoardCanvas *self);

G_END_DECLS
