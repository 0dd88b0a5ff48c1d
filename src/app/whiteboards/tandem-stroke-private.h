/* tandem-stroke-private.h: what the model and the codec change in a stroke
 *
 * Strokes are changed only through their TandemBoardModel, which tells the
 * canvas (items-changed, stroke-changed); these are its tools.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "tandem-stroke.h"

G_BEGIN_DECLS

/* Replaces the points from @index on with @points (so a resent or repeated
 * message lands where it belongs). FALSE, changing nothing, when @index is
 * beyond the end (a gap) or the stroke would exceed
 * TANDEM_STROKE_MAX_POINTS. */
gboolean       _tandem_stroke_set_points_from (TandemStroke      *self,
                                               guint              index,
                                               const TandemPoint *points,
                                               guint              n_points);
void           _tandem_stroke_set_text        (TandemStroke      *self,
                                               const char        *text);
void           _tandem_stroke_set_finished    (TandemStroke      *self,
                                               gboolean           finished);
void           _tandem_stroke_set_complete    (TandemStroke      *self,
                                               gboolean           complete);
/* Takes @from's content (points, text, state; not the key). */
void           _tandem_stroke_take_content    (TandemStroke      *self,
                                               TandemStroke      *from);

/* The model's bookkeeping, kept in the stroke to avoid a second lookup. */
gpointer       _tandem_stroke_get_iter        (TandemStroke      *self);
void           _tandem_stroke_set_iter        (TandemStroke      *self,
                                               gpointer           iter);

G_END_DECLS
