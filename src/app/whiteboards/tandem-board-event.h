/* tandem-board-event.h: one live whiteboard event, decoded and checked
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "tandem-whiteboards-types.h"

G_BEGIN_DECLS

/**
 * TandemBoardEventKind:
 * @TANDEM_BOARD_EVENT_START: `start`: a stroke begins (its key, tool,
 *   color, width, text, and its first points)
 * @TANDEM_BOARD_EVENT_DRAW: `draw`: points of a stroke from @index on
 * @TANDEM_BOARD_EVENT_END: `end`: the stroke is finished with @n_points
 * @TANDEM_BOARD_EVENT_ERASE: `erase`: strokes @ids are erased (@clear when
 *   it is the board being cleared)
 * @TANDEM_BOARD_EVENT_RESTORE: `restore`: strokes @ids are back (undo of an
 *   erase)
 * @TANDEM_BOARD_EVENT_SAVED: `saved`: strokes @ids are in the database
 *   (whoever misses one of them loads it)
 * @TANDEM_BOARD_EVENT_CURSOR: `cursor`: where @user's pointer is
 */
typedef enum
{
  TANDEM_BOARD_EVENT_START,
  TANDEM_BOARD_EVENT_DRAW,
  TANDEM_BOARD_EVENT_END,
  TANDEM_BOARD_EVENT_ERASE,
  TANDEM_BOARD_EVENT_RESTORE,
  TANDEM_BOARD_EVENT_SAVED,
  TANDEM_BOARD_EVENT_CURSOR,
} TandemBoardEventKind;

/**
 * TandemBoardEvent:
 * @kind: which event
 * @id: the stroke (start, draw, end)
 * @user: the stroke's author (start, draw), who erased, restored or saved,
 *   whose cursor
 * @tool: start
 * @color: start, cursor (may be %NULL for a cursor)
 * @width: start
 * @started_at: start: the author's clock, microseconds since the epoch
 * @text: start of a text stroke, else %NULL
 * @index: draw: where @points go (start: 0)
 * @points: start, draw: #TandemPoint
 * @n_points: end: how many points the stroke has
 * @ids: erase, restore, saved
 * @clear: erase
 * @stamp: erase, restore: when it was decided (microseconds since the
 *   epoch, above any stamp its author had seen for those strokes)
 * @x: cursor
 * @y: cursor
 * @name: cursor: the user's name (may be %NULL)
 *
 * What tandem_board_codec_decode() makes of a broadcast: every field it
 * has is present and within the codec's limits.
 */
struct _TandemBoardEvent
{
  TandemBoardEventKind  kind;
  char                 *id;
  char                 *user;
  TandemTool            tool;
  char                 *color;
  double                width;
  gint64                started_at;
  char                 *text;
  guint                 index;
  GArray               *points;
  guint                 n_points;
  GStrv                 ids;
  gboolean              clear;
  gint64                stamp;
  double                x;
  double                y;
  char                 *name;
};

TandemBoardEvent *tandem_board_event_new        (TandemBoardEventKind  kind);
void              tandem_board_event_free       (TandemBoardEvent     *event);
/* The event's name on the wire ("start", …). */
const char       *tandem_board_event_kind_to_string (TandemBoardEventKind kind);
gboolean          tandem_board_event_kind_from_string (const char         *name,
                                                       TandemBoardEventKind *kind);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TandemBoardEvent, tandem_board_event_free)

G_END_DECLS
