/* tandem-board-render.h: strokes drawn with cairo, the same on the
 * canvas, in a PNG export and in the benchmark's naive peer
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "tandem-whiteboards-types.h"

G_BEGIN_DECLS

/* How much of a highlighter shows (the SVG export uses the same). */
#define TANDEM_BOARD_HIGHLIGHTER_OPACITY 0.4

/* Draws @stroke in board units on @cr. */
void           tandem_board_draw_stroke    (cairo_t          *cr,
                                            TandemStroke     *stroke);
/* The area @stroke draws on (a text's measured with Pango), with a pixel
 * of margin for antialiasing. */
void           tandem_board_stroke_extent  (TandemStroke     *stroke,
                                            graphene_rect_t  *extent);
/* The visible strokes of @model with @padding around, on white, @scale
 * pixels per board unit (made smaller when the picture would exceed
 * 8192 pixels a side), rendered with the cairo renderer. */
GdkTexture    *tandem_board_render_texture (TandemBoardModel *model,
                                            double            padding,
                                            double            scale,
                                            GError          **error);

G_END_DECLS
