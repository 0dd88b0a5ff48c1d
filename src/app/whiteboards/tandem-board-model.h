/* tandem-board-model.h: the ordered strokes a whiteboard canvas draws
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "tandem-whiteboards-types.h"

G_BEGIN_DECLS

#define TANDEM_TYPE_BOARD_MODEL (tandem_board_model_get_type ())
G_DECLARE_FINAL_TYPE (TandemBoardModel, tandem_board_model, TANDEM, BOARD_MODEL, GObject)

TandemBoardModel *tandem_board_model_new            (void);

/* Every stroke the model knows, visible or erased (transfer none). */
TandemStroke     *tandem_board_model_lookup         (TandemBoardModel   *self,
                                                     const char         *id);
gboolean          tandem_board_model_is_erased      (TandemBoardModel   *self,
                                                     const char         *id);
/* The stamp of the last erase or restore of @id that won (0: none). */
gint64            tandem_board_model_get_stamp      (TandemBoardModel   *self,
                                                     const char         *id);
guint             tandem_board_model_get_n_strokes  (TandemBoardModel   *self);
/* The visible strokes' ids, bottom first. */
GStrv             tandem_board_model_dup_ids        (TandemBoardModel   *self);
/* The visible strokes under (@x, @y), topmost first (transfer container). */
GPtrArray        *tandem_board_model_hit_test       (TandemBoardModel   *self,
                                                     double              x,
                                                     double              y,
                                                     double              radius);
/* The extent of every visible stroke. FALSE when there is none. */
gboolean          tandem_board_model_get_bounds     (TandemBoardModel   *self,
                                                     TandemRect         *bounds);

/* ---- changes (what TandemBoardSync applies; each is idempotent) ---- */

/* Adds @stroke (takes a reference). FALSE, changing nothing, when a stroke
 * with its id is known. A stroke erased before it arrived stays hidden. */
gboolean          tandem_board_model_add            (TandemBoardModel   *self,
                                                     TandemStroke       *stroke);
/* Replaces the points of stroke @id from @index on. FALSE when the stroke
 * is unknown, finished, or @index is past its end (a gap: the stroke is
 * then marked incomplete). */
gboolean          tandem_board_model_set_points     (TandemBoardModel   *self,
                                                     const char         *id,
                                                     guint               index,
                                                     const TandemPoint  *points,
                                                     guint               n_points);
gboolean          tandem_board_model_set_text       (TandemBoardModel   *self,
                                                     const char         *id,
                                                     const char         *text);
/* The author ended stroke @id with @n_points points. Returns whether the
 * stroke is complete (it has them all); FALSE for an unknown stroke. */
gboolean          tandem_board_model_finish         (TandemBoardModel   *self,
                                                     const char         *id,
                                                     guint               n_points);
/* A saved stroke (finished and complete): added when unknown, else it
 * replaces what live events had built. Takes a reference. */
void              tandem_board_model_put_saved      (TandemBoardModel   *self,
                                                     TandemStroke       *stroke);
/* Erasing and restoring are a last-writer-wins register per stroke id,
 * known or not yet (a stroke erased before it arrives stays hidden): an
 * operation applies when its @stamp is above the stored one, or equal and
 * it erases. So any order of the same operations ends the same.
 *
 * Hides stroke @id. TRUE if the operation won. */
gboolean          tandem_board_model_erase          (TandemBoardModel   *self,
                                                     const char         *id,
                                                     gint64              stamp);
/* Erases @ids at once; when that empties the board, the canvas hears of
 * it as one change. Returns how many visible strokes went away. */
guint             tandem_board_model_erase_many     (TandemBoardModel   *self,
                                                     const char * const *ids,
                                                     guint               n_ids,
                                                     gint64              stamp);
/* Shows stroke @id again. TRUE if the operation won. */
gboolean          tandem_board_model_restore        (TandemBoardModel   *self,
                                                     const char         *id,
                                                     gint64              stamp);
/* Forgets everything (another board). */
void              tandem_board_model_reset          (TandemBoardModel   *self);

G_END_DECLS
