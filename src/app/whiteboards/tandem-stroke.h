/* tandem-stroke.h: one stroke of a whiteboard
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "tandem-whiteboards-types.h"

G_BEGIN_DECLS

/* What a stroke may hold; the codec and the database enforce the same. */
#define TANDEM_STROKE_MAX_POINTS     20000
#define TANDEM_STROKE_MAX_COORDINATE 1000000.0
#define TANDEM_STROKE_MAX_WIDTH      500.0
#define TANDEM_STROKE_MAX_TEXT       10000  /* characters */

#define TANDEM_TYPE_STROKE (tandem_stroke_get_type ())
G_DECLARE_FINAL_TYPE (TandemStroke, tandem_stroke, TANDEM, STROKE, GObject)

/* @color: "#rrggbb" or "#rrggbbaa"; @started_at: the author's clock when
 * drawing started, microseconds since the epoch (part of the order). */
TandemStroke *tandem_stroke_new            (const char        *id,
                                            const char        *author,
                                            TandemTool         tool,
                                            const char        *color,
                                            double             width,
                                            gint64             started_at);
/* A copy that shares nothing (points included). */
TandemStroke *tandem_stroke_copy           (TandemStroke      *self);

const char   *tandem_stroke_get_id         (TandemStroke      *self);
const char   *tandem_stroke_get_author     (TandemStroke      *self);
TandemTool    tandem_stroke_get_tool       (TandemStroke      *self);
const char   *tandem_stroke_get_color      (TandemStroke      *self);
/* The color as red, green, blue, alpha in 0..1. */
void          tandem_stroke_get_rgba       (TandemStroke      *self,
                                            double            *rgba);
double        tandem_stroke_get_width      (TandemStroke      *self);
gint64        tandem_stroke_get_started_at (TandemStroke      *self);
/* A text stroke's text (NULL for the others). */
const char   *tandem_stroke_get_text       (TandemStroke      *self);

guint         tandem_stroke_get_n_points   (TandemStroke      *self);
/* The contiguous points (transfer none, valid until the next change). */
const TandemPoint *tandem_stroke_get_points (TandemStroke     *self,
                                            guint             *n_points);
/* The width to draw segment @index..@index+1 of a pen with: the stroke's
 * width scaled by the pressure (a quarter of it at no pressure). */
double        tandem_stroke_get_width_at   (TandemStroke      *self,
                                            guint              index);
/* The area the stroke covers, its width included (empty without points). */
void          tandem_stroke_get_bounds     (TandemStroke      *self,
                                            TandemRect        *bounds);

/* The author ended it (no more points will come). */
gboolean      tandem_stroke_get_finished   (TandemStroke      *self);
/* Every point the author sent arrived (FALSE after a gap, until the saved
 * stroke is loaded). */
gboolean      tandem_stroke_get_complete   (TandemStroke      *self);

/* Whether (@x, @y) is within @radius of what the stroke draws (the
 * eraser's test). */
gboolean      tandem_stroke_hit            (TandemStroke      *self,
                                            double             x,
                                            double             y,
                                            double             radius);

/* The order strokes are stacked in, bottom first, the same on every
 * client: by start time, then author, then id. */
int           tandem_stroke_compare        (TandemStroke      *a,
                                            TandemStroke      *b);

/* Whether @color is "#rrggbb" or "#rrggbbaa" (lowercase hex). */
gboolean      tandem_stroke_color_is_valid (const char        *color);

G_END_DECLS
