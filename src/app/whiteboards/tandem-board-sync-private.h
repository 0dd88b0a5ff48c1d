/* tandem-board-sync-private.h: what the files of TandemBoardSync share
 *
 * tandem-board-sync.c         the object, the channel, applying live events
 * tandem-board-sync-draw.c    one's own strokes, erasing, clearing, undo
 * tandem-board-sync-load.c    loading the saved strokes, fetching missing ones
 * tandem-board-sync-cursors.c cursors, one's own and the others'
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "tandem-board-event.h"
#include "tandem-board-model.h"
#include "tandem-board-sync.h"
#include "tandem-stroke-private.h"

G_BEGIN_DECLS

/* Own events of this long before the connection was lost are sent again
 * when it is back: they may have died in a socket nobody knew was dead
 * (a heartbeat notices within a minute). Resending is idempotent. */
#define TANDEM_BOARD_RESEND_MARGIN_USEC (60 * G_USEC_PER_SEC)
/* Events kept while a load runs, at most (a flood is dropped: the load
 * and the "saved" hints bring back what matters). */
#define TANDEM_BOARD_MAX_BUFFERED       20000
#define TANDEM_BOARD_MAX_UNDO           200
#define TANDEM_BOARD_MAX_CURSORS        256
#define TANDEM_BOARD_LOAD_PAGE          1000
#define TANDEM_BOARD_FETCH_CHUNK        100

typedef enum
{
  ACTION_DRAW,
  ACTION_ERASE,
  ACTION_CLEAR,
} ActionKind;

typedef struct
{
  ActionKind kind;
  GPtrArray *ids;   /* char* */
} Action;

typedef struct
{
  TandemBoardEventKind kind;   /* erase or restore */
  GPtrArray           *ids;
  gboolean             clear;
  gint64               stamp;
  gint64               at;     /* monotonic */
} OwnOp;

struct _TandemBoardSync
{
  GObject            parent_instance;

  TandemClient      *client;
  TandemOutbox      *outbox;
  char              *board_id;
  char              *user_id;
  char              *user_name;
  char              *user_color;
  TandemBoardPacing  pacing;
  TandemBoardModel  *model;

  TandemChannel     *channel;
  GCancellable      *cancellable;
  gboolean           started;
  gboolean           joined_before;   /* a SUBSCRIBED was seen: later ones are rejoins */
  gint64             lost_at;         /* monotonic; when the channel last stopped being joined */

  /* loading */
  gboolean           loading;
  gboolean           loaded;
  guint              load_serial;     /* stale answers are dropped */
  guint              load_retry_id;
  guint              load_failures;
  GPtrArray         *buffered;        /* TandemBoardEvent, while loading */

  /* fetching strokes known to be saved but missing or incomplete here */
  GHashTable        *wanted;          /* ids */
  guint              fetch_id;
  gboolean           fetching;

  /* one's own strokes */
  TandemStroke      *current;
  gboolean           current_announced;
  guint              current_sent;    /* points of @current sent unchanged */
  guint              frame_id;
  gint64             last_flush_at;   /* monotonic; when points last went out */
  gint64             last_started_at;
  GHashTable        *own;             /* id → gint64* monotonic time last touched */
  GHashTable        *unsaved;         /* ids of own strokes the outbox has not delivered */
  GQueue             own_ops;         /* OwnOp, newest last */
  GHashTable        *op_keys;         /* outbox keys of erase/restore writes */

  GPtrArray         *undo;            /* Action */
  GPtrArray         *redo;            /* Action */
  Action            *erase_gesture;   /* the erase erase_at() adds to, in @undo */

  /* cursors */
  double             cursor_x, cursor_y;
  gboolean           cursor_dirty;
  guint              cursor_id;
  GHashTable        *cursors;         /* user id → RemoteCursor */
};

/* tandem-board-sync.c */
gboolean  _tandem_board_sync_is_joined        (TandemBoardSync      *self);
/* Sends (or queues, by pacing) one live event; FALSE while not joined. */
gboolean  _tandem_board_sync_send             (TandemBoardSync      *self,
                                               TandemBoardEventKind  kind,
                                               JsonNode             *payload);
/* Sends ids in as many messages as the codec's limit needs. */
void      _tandem_board_sync_send_ids         (TandemBoardSync      *self,
                                               TandemBoardEventKind  kind,
                                               GPtrArray            *ids,
                                               gboolean              clear,
                                               gint64                stamp);
void      _tandem_board_sync_apply            (TandemBoardSync      *self,
                                               TandemBoardEvent     *event);
void      _tandem_board_sync_emit_cleared     (TandemBoardSync      *self,
                                               const char           *user_id);
void      _tandem_board_sync_notify_undo      (TandemBoardSync      *self);
/* The load is done: apply what waited, say so. */
void      _tandem_board_sync_load_done        (TandemBoardSync      *self);
void      _tandem_board_sync_emit_cursor_moved (TandemBoardSync     *self,
                                               const char           *user_id,
                                               double                x,
                                               double                y,
                                               const char           *name,
                                               const char           *color);
void      _tandem_board_sync_emit_cursor_hidden (TandemBoardSync    *self,
                                               const char           *user_id);

/* tandem-board-sync-draw.c */
void      _tandem_board_sync_flush_current    (TandemBoardSync      *self);
void      _tandem_board_sync_resend_own       (TandemBoardSync      *self);
void      _tandem_board_sync_current_erased   (TandemBoardSync      *self);
void      _tandem_board_sync_on_outbox_completed (TandemBoardSync   *self,
                                               const char           *key);
void      _tandem_board_sync_drop_own         (TandemBoardSync      *self);
void      _tandem_board_sync_action_free      (gpointer              data);
void      _tandem_board_sync_own_op_free      (gpointer              data);

/* tandem-board-sync-load.c */
void      _tandem_board_sync_load             (TandemBoardSync      *self);
void      _tandem_board_sync_want             (TandemBoardSync      *self,
                                               const char           *id);

/* tandem-board-sync-cursors.c */
void      _tandem_board_sync_init_cursors     (TandemBoardSync      *self);
void      _tandem_board_sync_clear_cursors    (TandemBoardSync      *self);
void      _tandem_board_sync_apply_cursor     (TandemBoardSync      *self,
                                               TandemBoardEvent     *event);
void      _tandem_board_sync_stop_cursor      (TandemBoardSync      *self);

G_END_DECLS
