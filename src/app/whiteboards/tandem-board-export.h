/* tandem-board-export.h: a whiteboard as an SVG document, without GTK
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "tandem-whiteboards-types.h"

G_BEGIN_DECLS

/* The visible strokes of @model, bottom first, as a standalone SVG
 * document. @area: the part of the board to export (NULL: every stroke,
 * with @padding around). @background: "#rrggbb" or NULL for none. */
char *tandem_board_export_to_svg (TandemBoardModel *model,
                                  const TandemRect *area,
                                  double            padding,
                                  const char       *background);

G_END_DECLS
