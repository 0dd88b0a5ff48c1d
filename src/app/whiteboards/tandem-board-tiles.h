/* tandem-board-tiles.h: the canvas's finished strokes as cached tiles
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* A tile's side in device pixels. */
#define TANDEM_BOARD_TILE_SIZE 256

typedef struct _TandemBoardTiles TandemBoardTiles;

/* Draws, bottom first, what tiles show of @area (board units) on @cr,
 * which is in board units and clipped to the tile. */
typedef void (*TandemBoardTilesDrawFunc) (cairo_t               *cr,
                                          const graphene_rect_t *area,
                                          gpointer               user_data);

/* What a frame shows: board = widget / zoom + origin, @scale_factor
 * device pixels per widget pixel; @textures: show tiles as textures (for
 * a GPU renderer, which keeps and scales them; the cairo renderer is
 * given cairo nodes); @settled: the zoom has held still a moment (tiles
 * are then made at the zoom itself, not only at the levels). */
typedef struct
{
  double   zoom;
  double   origin_x, origin_y;
  int      width, height;
  int      scale_factor;
  gboolean textures;
  gboolean settled;
} TandemBoardView;

typedef struct
{
  guint in_view;     /* tiles the view meets */
  guint built;       /* of them, made for this frame */
  guint stand_ins;   /* shown stale or from another level */
  guint cached;      /* tiles held, at every level */
} TandemBoardTileStats;

TandemBoardTiles *tandem_board_tiles_new            (TandemBoardTilesDrawFunc  draw,
                                                     gpointer                  user_data);
void              tandem_board_tiles_free           (TandemBoardTiles         *self);

/* What was drawn in @area (NULL: everywhere) has changed. */
void              tandem_board_tiles_invalidate     (TandemBoardTiles         *self,
                                                     const graphene_rect_t    *area);

/* The pixel-aligned origin a frame of @view draws at (the tiles and what
 * is drawn over them must agree to the pixel). */
void              tandem_board_tiles_snap_view      (const TandemBoardView    *view,
                                                     TandemBoardView          *snapped);

/* Appends the tiles of @view (snapped) in widget coordinates. A tile
 * with nothing to stand in for it is made at once; one that is stale,
 * or can be shown from another zoom level meanwhile, is made only while
 * the clock is before @deadline (monotonic µs) and otherwise by
 * tandem_board_tiles_work(). Returns whether every tile in view is up to
 * date. */
gboolean          tandem_board_tiles_snapshot       (TandemBoardTiles         *self,
                                                     GtkSnapshot              *snapshot,
                                                     const TandemBoardView    *view,
                                                     gint64                    deadline,
                                                     TandemBoardTileStats     *stats);

/* Whether every tile of the last frame's level that meets @area in
 * view is up to date (what was drawn there shows). */
gboolean          tandem_board_tiles_area_is_current (TandemBoardTiles        *self,
                                                      const graphene_rect_t   *area);

/* Makes tiles until @deadline: first those the last frame showed stale
 * or from another level (sets @view_changed), then a ring around the
 * view and the two coarser levels under it, so that panning and zooming
 * out find something to show. Returns whether work is left. */
gboolean          tandem_board_tiles_work           (TandemBoardTiles         *self,
                                                     gint64                    deadline,
                                                     gboolean                 *view_changed);

G_END_DECLS
