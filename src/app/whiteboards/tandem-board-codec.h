/* tandem-board-codec.h: whiteboard events and rows to and from JSON
 *
 * The wire format (broadcast events on `whiteboard:<board id>`) and the
 * rows of `whiteboard_strokes` are described in README.md here. Decoding
 * is strict: anything malformed, of the wrong type, not finite or over a
 * limit is refused as a whole, so a misbehaving peer can only have its own
 * messages ignored.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

#include "tandem-board-event.h"
#include "tandem-stroke.h"

G_BEGIN_DECLS

/* Points travel as integers: the value times this (0.01 board unit, 1 %
 * of pressure), which also keeps json-glib from printing 17 digits. */
#define TANDEM_BOARD_CODEC_SCALE           100
/* At most this many points in one start or draw message. */
#define TANDEM_BOARD_CODEC_MAX_POINTS      512
/* At most this many ids in one erase, restore or saved message. */
#define TANDEM_BOARD_CODEC_MAX_IDS         500
#define TANDEM_BOARD_CODEC_MAX_NAME        100   /* characters */

#define TANDEM_BOARD_CODEC_ERROR (tandem_board_codec_error_quark ())

/**
 * TandemBoardCodecError:
 * @TANDEM_BOARD_CODEC_ERROR_UNKNOWN_EVENT: not a whiteboard event
 * @TANDEM_BOARD_CODEC_ERROR_INVALID: a field is missing, of the wrong type
 *   or out of range
 * @TANDEM_BOARD_CODEC_ERROR_TOO_LARGE: more points, ids or text than allowed
 */
typedef enum
{
  TANDEM_BOARD_CODEC_ERROR_UNKNOWN_EVENT,
  TANDEM_BOARD_CODEC_ERROR_INVALID,
  TANDEM_BOARD_CODEC_ERROR_TOO_LARGE,
} TandemBoardCodecError;

GQuark            tandem_board_codec_error_quark    (void) G_GNUC_CONST;

/* A broadcast (@event, @payload) as an event; NULL with an error otherwise. */
TandemBoardEvent *tandem_board_codec_decode         (const char          *event,
                                                     JsonNode            *payload,
                                                     GError             **error);

/* The payload of start: the stroke's key and style and its points
 * [0, @n_points) (at most TANDEM_BOARD_CODEC_MAX_POINTS). */
JsonNode         *tandem_board_codec_encode_start   (TandemStroke        *stroke,
                                                     guint                n_points);
/* The payload of draw: points [@index, @index + @n_points). */
JsonNode         *tandem_board_codec_encode_draw    (TandemStroke        *stroke,
                                                     guint                index,
                                                     guint                n_points);
JsonNode         *tandem_board_codec_encode_end     (TandemStroke        *stroke);
/* erase (with @clear), restore (both at @stamp) or saved of @ids (at most
 * TANDEM_BOARD_CODEC_MAX_IDS) by @user. */
JsonNode         *tandem_board_codec_encode_ids     (TandemBoardEventKind kind,
                                                     const char          *user,
                                                     const char * const  *ids,
                                                     guint                n_ids,
                                                     gboolean             clear,
                                                     gint64               stamp);
JsonNode         *tandem_board_codec_encode_cursor  (const char          *user,
                                                     double               x,
                                                     double               y,
                                                     const char          *name,
                                                     const char          *color);

/* A whiteboard_strokes row for @stroke on @board_id. */
JsonNode         *tandem_board_codec_stroke_to_row  (TandemStroke        *stroke,
                                                     const char          *board_id);
/* A stroke from a row as the REST API returns it (finished, complete), or
 * NULL with an error: rows are checked like broadcasts, as anyone may have
 * written them. */
TandemStroke     *tandem_board_codec_stroke_from_row (JsonNode           *row,
                                                     GError             **error);

G_END_DECLS
