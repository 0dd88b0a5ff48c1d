/* tandem-board-sync.h: a whiteboard shared live and saved
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "tandem.h"

#include "tandem-whiteboards-types.h"

G_BEGIN_DECLS

/**
 * TandemBoardPacing:
 * @TANDEM_BOARD_PACING_BATCHED: live events go through libtandem's
 *   batcher (tandem_channel_queue_broadcast()): at most one message per
 *   100 ms per user, for hosted projects and their message quotas
 * @TANDEM_BOARD_PACING_FRAME: one message per frame (16 ms) per user at
 *   most, sent at once: the lowest latency, for a local tandem-server
 *
 * How a board's own live events reach the channel. Either way a pen's
 * points are coalesced per frame first.
 */
typedef enum
{
  TANDEM_BOARD_PACING_BATCHED,
  TANDEM_BOARD_PACING_FRAME,
} TandemBoardPacing;

#define TANDEM_TYPE_BOARD_PACING (tandem_board_pacing_get_type ())
GType tandem_board_pacing_get_type (void) G_GNUC_CONST;

/* How long a remote cursor stays without news, and how often one's own is
 * sent at most. */
#define TANDEM_BOARD_CURSOR_TIMEOUT_MS  5000
#define TANDEM_BOARD_CURSOR_INTERVAL_MS 33
#define TANDEM_BOARD_FRAME_MS           16

#define TANDEM_TYPE_BOARD_SYNC (tandem_board_sync_get_type ())
G_DECLARE_FINAL_TYPE (TandemBoardSync, tandem_board_sync, TANDEM, BOARD_SYNC, GObject)

/* @user_id: the signed-in user (NULL: the client's session's). @outbox
 * keeps the saves across outages and restarts. */
TandemBoardSync  *tandem_board_sync_new           (TandemClient      *client,
                                                   TandemOutbox      *outbox,
                                                   const char        *board_id,
                                                   const char        *user_id);

TandemBoardModel *tandem_board_sync_get_model     (TandemBoardSync   *self);
TandemClient     *tandem_board_sync_get_client    (TandemBoardSync   *self);
const char       *tandem_board_sync_get_board_id  (TandemBoardSync   *self);
const char       *tandem_board_sync_get_user_id   (TandemBoardSync   *self);
TandemChannel    *tandem_board_sync_get_channel   (TandemBoardSync   *self);
/* The saved strokes were loaded (once; it stays TRUE across reloads). */
gboolean          tandem_board_sync_get_loaded    (TandemBoardSync   *self);
gboolean          tandem_board_sync_get_can_undo  (TandemBoardSync   *self);
gboolean          tandem_board_sync_get_can_redo  (TandemBoardSync   *self);
/* How others see one's cursor. */
void              tandem_board_sync_set_user_name  (TandemBoardSync  *self,
                                                    const char       *name);
void              tandem_board_sync_set_user_color (TandemBoardSync  *self,
                                                    const char       *color);

/* Subscribes to the board's channel and loads it (again after every
 * reconnection); stop leaves. */
void              tandem_board_sync_start         (TandemBoardSync   *self);
void              tandem_board_sync_stop          (TandemBoardSync   *self);

/* ---- one's own drawing (board units; pressure 0..1, 1 for a mouse) ---- */

/* Starts a stroke (ending one still in progress) and returns it
 * (transfer none). A shape's second point follows extend_stroke(). */
TandemStroke     *tandem_board_sync_begin_stroke  (TandemBoardSync   *self,
                                                   TandemTool         tool,
                                                   const char        *color,
                                                   double             width,
                                                   double             x,
                                                   double             y,
                                                   double             pressure);
void              tandem_board_sync_extend_stroke (TandemBoardSync   *self,
                                                   double             x,
                                                   double             y,
                                                   double             pressure);
/* Finishes it: sent, saved, undoable. */
void              tandem_board_sync_end_stroke    (TandemBoardSync   *self);
/* A text stroke at (@x, @y) (its top left), @size high. */
TandemStroke     *tandem_board_sync_add_text      (TandemBoardSync   *self,
                                                   double             x,
                                                   double             y,
                                                   const char        *text,
                                                   const char        *color,
                                                   double             size);
/* The eraser: removes whole strokes, anyone's, for everyone. One undoable
 * action. Returns how many were visible. */
guint             tandem_board_sync_erase         (TandemBoardSync   *self,
                                                   const char * const *ids);
/* Erases what is under (@x, @y); @continue_gesture adds to the previous
 * erase (one undo for a whole drag). */
guint             tandem_board_sync_erase_at      (TandemBoardSync   *self,
                                                   double             x,
                                                   double             y,
                                                   double             radius,
                                                   gboolean           continue_gesture);
/* Erases every visible stroke for everyone (undoable). */
void              tandem_board_sync_clear         (TandemBoardSync   *self);
/* Undo and redo one's own actions: a stroke, an erase, a clear. */
gboolean          tandem_board_sync_undo          (TandemBoardSync   *self);
gboolean          tandem_board_sync_redo          (TandemBoardSync   *self);

/* One's pointer on the board (sent ~30 times a second at most). */
void              tandem_board_sync_move_cursor   (TandemBoardSync   *self,
                                                   double             x,
                                                   double             y);

G_END_DECLS
