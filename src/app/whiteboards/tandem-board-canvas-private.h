/* tandem-board-canvas-private.h: what the canvas's files, its tests and
 * the render benchmark share (the object's fields: tandem-board-canvas.c
 * draws, tandem-board-canvas-input.c takes input)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "tandem-board-canvas.h"
#include "tandem-board-tiles.h"

G_BEGIN_DECLS

struct _TandemBoardCanvas
{
  GtkWidget         parent_instance;

  TandemBoardSync  *sync;
  TandemBoardModel *model;
  GPtrArray        *entries;    /* Entry, in the model's order */
  GHashTable       *by_stroke;  /* TandemStroke → Entry */
  GHashTable       *cursors;    /* user id → Cursor */
  TandemBoardTiles *tiles;      /* the finished strokes */
  guint             tile_work_id;
  gint64            tile_budget_us;  /* what a frame may spend making tiles */
  gboolean          tile_textures;   /* tiles as textures whatever the renderer */
  gint64            zoom_changed_at; /* monotonic µs */
  gint64            settle_us;       /* the zoom held this long is settled */
  guint             settle_id;

  TandemTool        tool;
  char             *color;
  double            stroke_width;

  double            zoom;
  double            origin_x, origin_y;

  /* input */
  gboolean          drawing;
  gboolean          erasing;
  gboolean          panning;
  gboolean          drag_ignored;
  gboolean          space_down;
  double            drag_x, drag_y;        /* where the drag began, widget */
  double            last_x, last_y;        /* the last point sent, widget */
  double            pan_origin_x, pan_origin_y;
  double            pinch_zoom;            /* the zoom when a pinch began */
  double            pinch_board_x, pinch_board_y;
  double            pointer_x, pointer_y;
  gboolean          has_pointer;
  GtkGesture       *drag;
  GtkWidget        *text_popover;
  GtkWidget        *text_entry;
  double            text_x, text_y;        /* board */

  /* the last frame */
  guint             n_drawn;
  guint             n_built;
  TandemBoardTileStats tile_stats;
};

/* tandem-board-canvas-draw.c: the strokes and cursors */
void        _tandem_board_canvas_init_drawing    (TandemBoardCanvas *self);
void        _tandem_board_canvas_dispose_drawing (TandemBoardCanvas *self);
void        _tandem_board_canvas_finalize_drawing (TandemBoardCanvas *self);
void        _tandem_board_canvas_set_model       (TandemBoardCanvas *self,
                                                  TandemBoardModel  *model);
void        _tandem_board_canvas_follow_cursors  (TandemBoardCanvas *self);
/* The zoom changed: tiles at the zoom itself wait until it settles. */
void        _tandem_board_canvas_zoom_changed    (TandemBoardCanvas *self);
void        _tandem_board_canvas_snapshot_board  (TandemBoardCanvas *self,
                                                  GtkSnapshot       *snapshot,
                                                  int                width,
                                                  int                height);

/* tandem-board-canvas.c */
void        _tandem_board_canvas_set_view        (TandemBoardCanvas *self,
                                                  double             zoom,
                                                  double             origin_x,
                                                  double             origin_y);
/* tandem-board-canvas-input.c: the gestures and the text popover */
void        _tandem_board_canvas_init_input      (TandemBoardCanvas *self);

/* The pointer, in widget coordinates (what the gestures call; pressure
 * 0..1, 1 without a pressure axis). */
void        _tandem_board_canvas_pointer_down    (TandemBoardCanvas *self,
                                                  double             x,
                                                  double             y,
                                                  double             pressure);
void        _tandem_board_canvas_pointer_move    (TandemBoardCanvas *self,
                                                  double             x,
                                                  double             y,
                                                  double             pressure);
void        _tandem_board_canvas_pointer_up      (TandemBoardCanvas *self,
                                                  double             x,
                                                  double             y,
                                                  double             pressure);

/* The primary button's drag, and the text tool's popover and entry. */
GtkGesture *_tandem_board_canvas_get_drag_gesture (TandemBoardCanvas *self);
GtkWidget  *_tandem_board_canvas_get_text_popover (TandemBoardCanvas *self);
GtkWidget  *_tandem_board_canvas_get_text_entry   (TandemBoardCanvas *self);

/* The board as the canvas draws it at @width × @height (the view's
 * contents without a widget: the benchmark). */
GskRenderNode *_tandem_board_canvas_build_node    (TandemBoardCanvas *self,
                                                   int                width,
                                                   int                height);

/* What the last frame drew: strokes culled in, of how many, and how
 * many were drawn over the tiles (not in them yet); and its tiles. */
void        _tandem_board_canvas_get_tile_stats   (TandemBoardCanvas    *self,
                                                   TandemBoardTileStats *stats);
/* What a frame may spend making tiles (0: only those with no stand-in;
 * the tests). */
void        _tandem_board_canvas_set_tile_budget  (TandemBoardCanvas *self,
                                                   gint64             budget_us);
/* How long the zoom must hold still before tiles are made at the zoom
 * itself (0: at once; the tests). */
void        _tandem_board_canvas_set_settle_delay (TandemBoardCanvas *self,
                                                   gint64             delay_us);
/* Tiles as textures, as for a GPU renderer, whatever the renderer (the
 * tests; the cairo renderer otherwise gets cairo nodes). */
void        _tandem_board_canvas_set_tile_textures (TandemBoardCanvas *self,
                                                    gboolean           textures);
void        _tandem_board_canvas_get_frame_stats  (TandemBoardCanvas *self,
                                                   guint             *n_drawn,
                                                   guint             *n_strokes,
                                                   guint             *n_built);

G_END_DECLS
