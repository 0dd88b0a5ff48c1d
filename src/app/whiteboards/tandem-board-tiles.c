/* tandem-board-tiles.c: the canvas's finished strokes as cached tiles
 *
 * The board is cut into square tiles of TANDEM_BOARD_TILE_SIZE device
 * pixels at zoom levels a power of two apart; a tile is drawn once with
 * cairo (on white) into an image and a frame only appends the images of
 * the tiles it meets, at the level nearest its zoom (scaled by at most √2
 * either way). So a frame costs the pixels on screen, however many
 * segments the board holds. A GPU renderer is given a tile as a texture,
 * which it uploads once and scales for free. The cairo renderer is given
 * a cairo node that paints the tile's image: GTK 4.8's cairo renderer
 * converts a texture's every pixel through floats each frame (0.4 ms a
 * tile), while a cairo node's image is composited as it is. At a tile's
 * own scale that node is made once; scaled, a node is made per frame that
 * paints the image with a bilinear filter, since a scale node over it
 * would have cairo resample with its "good" filter, a convolution ten
 * times as dear below 75 %.
 *
 * Making a tile costs what its strokes cost to draw, which at a zoom
 * level never seen before means the whole view at once; so a frame makes
 * at once only the tiles nothing can stand in for, and until its deadline
 * those that are stale (something drawn on them changed: still shown as
 * they were) or have a stand-in: the tile over it at a coarser level, or
 * the four under it at the next finer one, scaled. The rest is left to
 * tandem_board_tiles_work(), which the canvas runs between frames, and
 * which also makes tiles ahead: a ring around the view and the coarser
 * levels under it. The levels nest (a tile is four of the next finer
 * level), and every tile edge is rounded to a device pixel the same way
 * at every level, so that neighbours and stand-ins meet without seams.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tandem-board-tiles"

#include "config.h"

#include <math.h>

#include "tandem-board-tiles.h"

#define TILE          TANDEM_BOARD_TILE_SIZE
#define MIN_LEVEL     (-6)
#define MAX_LEVEL     7
#define N_LEVELS      (MAX_LEVEL - MIN_LEVEL + 1)
#define MAX_ANCESTOR  4      /* how many levels up a stand-in is looked for */
#define MIN_CAPACITY  256    /* tiles kept (64 MiB), or four views' worth */
#define EXACT_LEVEL   (MAX_LEVEL + 1)  /* the tiles at the settled zoom itself */

typedef struct
{
  int level;
  int i, j;
} TileKey;

typedef struct
{
  TileKey          key;
  double           scale;   /* device pixels per board unit */
  cairo_surface_t *image;
  GskRenderNode   *node;    /* paints the image at 0,0 */
  GdkTexture      *texture; /* the image, made when first asked for */
  gboolean    stale;
  guint64     used;     /* the frame that last showed or made it */
} Tile;

typedef struct
{
  Tile *tile;           /* NULL: missing */
  int   i, j;
  double distance;      /* from the view's middle, in tiles */
} Need;

struct _TandemBoardTiles
{
  TandemBoardTilesDrawFunc draw;
  gpointer                 user_data;
  GHashTable              *tiles;     /* TileKey → Tile (the key is the tile's) */
  GHashTable              *exact;     /* the same, at @exact_scale only */
  double                   exact_scale;
  guint64                  frame;
  double                   cost_us[N_LEVELS + 1];  /* a tile's making, averaged; [N_LEVELS]: exact */

  /* the last frame */
  gboolean                 has_view;
  TandemBoardView          view;
  int                      level;
  int                      i0, j0, i1, j1;     /* the tiles in view, inclusive */
  gboolean                 exact_wanted;       /* settled between levels */
  gboolean                 exact_shown;        /* and drawn from exact tiles only */
  int                      ei0, ej0, ei1, ej1; /* the exact tiles in view */
};

static guint
tile_key_hash (gconstpointer data)
{
  const TileKey *key = data;

  return (guint) key->i * 2654435761u ^ (guint) key->j * 40503u ^ (guint) key->level;
}

static gboolean
tile_key_equal (gconstpointer a,
                gconstpointer b)
{
  const TileKey *x = a, *y = b;

  return x->level == y->level && x->i == y->i && x->j == y->j;
}

static void
tile_free (gpointer data)
{
  Tile *tile = data;

  g_clear_pointer (&tile->node, gsk_render_node_unref);
  g_clear_object (&tile->texture);
  g_clear_pointer (&tile->image, cairo_surface_destroy);
  g_free (tile);
}

/* Device pixels per board unit at @level, and board units per tile. */
static inline double
level_scale (int level)
{
  return ldexp (1.0, level);
}

static inline double
level_span (int level)
{
  return TILE / level_scale (level);
}

static int
level_for (double device_zoom)
{
  return CLAMP ((int) lround (log2 (device_zoom)), MIN_LEVEL, MAX_LEVEL);
}

/* Floor division by 2^@k, for negative indices too. */
static inline int
shift_down (int i,
            int k)
{
  return (int) floor (ldexp ((double) i, -k));
}

static Tile *
lookup (TandemBoardTiles *self,
        int               level,
        int               i,
        int               j)
{
  TileKey key = { level, i, j };

  return g_hash_table_lookup (level == EXACT_LEVEL ? self->exact : self->tiles, &key);
}

static double
device_zoom (const TandemBoardView *view)
{
  return view->zoom * MAX (view->scale_factor, 1);
}

void
tandem_board_tiles_snap_view (const TandemBoardView *view,
                              TandemBoardView       *snapped)
{
  double d = device_zoom (view);

  *snapped = *view;
  snapped->origin_x = round (view->origin_x * d) / d;
  snapped->origin_y = round (view->origin_y * d) / d;
}

/* Where tile edge @i of @level is on the widget, along x or y: rounded
 * to a device pixel, the same value for the same board position at every
 * level (edge 2i of level + 1 is edge i of level). */
static double
edge (const TandemBoardView *view,
      double                 span,
      int                    i,
      gboolean               vertical)
{
  double d = device_zoom (view);
  double origin = vertical ? view->origin_y : view->origin_x;

  return round ((i * span - origin) * d) / MAX (view->scale_factor, 1);
}

/* Where tile (@i, @j) of @span board units a side is on the widget. */
static void
tile_bounds (const TandemBoardView *view,
             double                 span,
             int                    i,
             int                    j,
             graphene_rect_t       *bounds)
{
  double x0 = edge (view, span, i, FALSE), x1 = edge (view, span, i + 1, FALSE);
  double y0 = edge (view, span, j, TRUE), y1 = edge (view, span, j + 1, TRUE);

  graphene_rect_init (bounds, x0, y0, x1 - x0, y1 - y0);
}

/* The board area a tile at @scale shows, widened by what antialiasing
 * spills. */
static void
tile_area (double           scale,
           int              i,
           int              j,
           graphene_rect_t *area)
{
  double span = TILE / scale, margin = 2 / scale;

  graphene_rect_init (area, i * span - margin, j * span - margin, span + 2 * margin, span + 2 * margin);
}

static void
make_tile (TandemBoardTiles *self,
           Tile             *tile)
{
  gint64 start = g_get_monotonic_time ();
  double scale = tile->scale, span = TILE / tile->scale;
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, TILE, TILE);
  graphene_rect_t area;
  double *cost;
  cairo_t *cr;

  cr = cairo_create (surface);
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_paint (cr);
  cairo_scale (cr, scale, scale);
  cairo_translate (cr, -tile->key.i * span, -tile->key.j * span);
  tile_area (tile->scale, tile->key.i, tile->key.j, &area);
  self->draw (cr, &area, self->user_data);
  cairo_destroy (cr);
  cairo_surface_flush (surface);

  g_clear_pointer (&tile->node, gsk_render_node_unref);
  tile->node = gsk_cairo_node_new (&GRAPHENE_RECT_INIT (0, 0, TILE, TILE));
  cr = gsk_cairo_node_get_draw_context (tile->node);
  cairo_set_source_surface (cr, surface, 0, 0);
  cairo_paint (cr);
  cairo_destroy (cr);
  g_clear_object (&tile->texture);
  g_clear_pointer (&tile->image, cairo_surface_destroy);
  tile->image = surface;
  tile->stale = FALSE;
  tile->used = self->frame;

  cost = &self->cost_us[tile->key.level - MIN_LEVEL];  /* EXACT_LEVEL is the last */
  *cost = 0.7 * *cost + 0.3 * (g_get_monotonic_time () - start);
}

static Tile *
ensure_tile (TandemBoardTiles *self,
             Tile             *tile,
             int               level,
             int               i,
             int               j)
{
  if (tile == NULL)
    {
      tile = g_new0 (Tile, 1);
      tile->key = (TileKey) { level, i, j };
      tile->scale = level == EXACT_LEVEL ? self->exact_scale : level_scale (level);
      g_hash_table_insert (level == EXACT_LEVEL ? self->exact : self->tiles, &tile->key, tile);
    }
  make_tile (self, tile);
  return tile;
}

static gboolean
can_afford (TandemBoardTiles *self,
            int               level,
            gint64            deadline)
{
  return g_get_monotonic_time () + (gint64) self->cost_us[level - MIN_LEVEL] <= deadline;
}

/* ---- stand-ins ---- */

static Tile *
find_ancestor (TandemBoardTiles *self,
               int               level,
               int               i,
               int               j,
               int              *ancestor_level)
{
  for (int k = 1; k <= MAX_ANCESTOR && level - k >= MIN_LEVEL; k++)
    {
      Tile *tile = lookup (self, level - k, shift_down (i, k), shift_down (j, k));

      if (tile != NULL)
        {
          *ancestor_level = level - k;
          return tile;
        }
    }
  return NULL;
}

static gboolean
has_children (TandemBoardTiles *self,
              int               level,
              int               i,
              int               j)
{
  if (level + 1 > MAX_LEVEL)
    return FALSE;
  for (int c = 0; c < 4; c++)
    if (lookup (self, level + 1, 2 * i + (c & 1), 2 * j + (c >> 1)) == NULL)
      return FALSE;
  return TRUE;
}

static gboolean
has_stand_in (TandemBoardTiles *self,
              int               level,
              int               i,
              int               j)
{
  int ancestor_level;

  return find_ancestor (self, level, i, j, &ancestor_level) != NULL || has_children (self, level, i, j);
}

/* Shows @tile's image where it lies in @view, inside @clip (NULL: all
 * of it). */
static void
append_tile (GtkSnapshot           *snapshot,
             const TandemBoardView *view,
             Tile                  *tile,
             const graphene_rect_t *clip,
             guint64                frame)
{
  graphene_rect_t bounds, shown;
  GskRenderNode *node;
  cairo_t *cr;

  tile->used = frame;
  tile_bounds (view, TILE / tile->scale, tile->key.i, tile->key.j, &bounds);
  if (view->textures)
    {
      if (tile->texture == NULL)
        {
          /* Cairo's ARGB32 is GDK's default memory format: no copy. */
          g_autoptr(GBytes) bytes =
            g_bytes_new_with_free_func (cairo_image_surface_get_data (tile->image),
                                        (gsize) cairo_image_surface_get_stride (tile->image) * TILE,
                                        (GDestroyNotify) cairo_surface_destroy,
                                        cairo_surface_reference (tile->image));

          tile->texture = gdk_memory_texture_new (TILE, TILE, GDK_MEMORY_DEFAULT, bytes,
                                                  cairo_image_surface_get_stride (tile->image));
        }
      if (clip != NULL)
        gtk_snapshot_push_clip (snapshot, clip);
      gtk_snapshot_append_texture (snapshot, tile->texture, &bounds);
      if (clip != NULL)
        gtk_snapshot_pop (snapshot);
      return;
    }
  if (clip == NULL && bounds.size.width * MAX (view->scale_factor, 1) == TILE
      && bounds.size.height * MAX (view->scale_factor, 1) == TILE)
    {
      gtk_snapshot_save (snapshot);
      gtk_snapshot_translate (snapshot, &bounds.origin);
      if (view->scale_factor > 1)
        gtk_snapshot_scale (snapshot, 1.0 / view->scale_factor, 1.0 / view->scale_factor);
      gtk_snapshot_append_node (snapshot, tile->node);
      gtk_snapshot_restore (snapshot);
      return;
    }
  if (clip == NULL)
    shown = bounds;
  else if (!graphene_rect_intersection (&bounds, clip, &shown))
    return;
  node = gsk_cairo_node_new (&shown);
  cr = gsk_cairo_node_get_draw_context (node);
  cairo_translate (cr, bounds.origin.x, bounds.origin.y);
  cairo_scale (cr, bounds.size.width / TILE, bounds.size.height / TILE);
  cairo_set_source_surface (cr, tile->image, 0, 0);
  cairo_pattern_set_filter (cairo_get_source (cr), CAIRO_FILTER_BILINEAR);
  cairo_pattern_set_extend (cairo_get_source (cr), CAIRO_EXTEND_PAD);
  cairo_paint (cr);
  cairo_destroy (cr);
  gtk_snapshot_append_node (snapshot, node);
  gsk_render_node_unref (node);
}

static void
append_stand_in (TandemBoardTiles      *self,
                 GtkSnapshot           *snapshot,
                 const TandemBoardView *view,
                 int                    level,
                 int                    i,
                 int                    j)
{
  int ancestor_level;
  Tile *ancestor = find_ancestor (self, level, i, j, &ancestor_level);

  if (ancestor != NULL)
    {
      graphene_rect_t clip;

      tile_bounds (view, level_span (level), i, j, &clip);
      append_tile (snapshot, view, ancestor, &clip, self->frame);
      return;
    }
  for (int c = 0; c < 4; c++)
    {
      Tile *child = lookup (self, level + 1, 2 * i + (c & 1), 2 * j + (c >> 1));

      if (child != NULL)
        append_tile (snapshot, view, child, NULL, self->frame);
    }
}

/* ---- the cache ---- */

static int
compare_used (gconstpointer a,
              gconstpointer b)
{
  const Tile *x = *(Tile * const *) a, *y = *(Tile * const *) b;

  return x->used < y->used ? -1 : x->used > y->used;
}

/* Drops the tiles shown longest ago (never this frame's) down to three
 * quarters of the capacity. */
static void
evict (TandemBoardTiles *self,
       GHashTable       *tiles,
       guint             capacity)
{
  g_autoptr(GPtrArray) old = NULL;
  GHashTableIter iter;
  gpointer value;
  guint excess;

  if (g_hash_table_size (tiles) <= capacity)
    return;
  old = g_ptr_array_new ();
  g_hash_table_iter_init (&iter, tiles);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    if (((Tile *) value)->used < self->frame)
      g_ptr_array_add (old, value);
  g_ptr_array_sort (old, compare_used);
  excess = g_hash_table_size (tiles) - capacity * 3 / 4;
  for (guint k = 0; k < MIN (excess, old->len); k++)
    {
      Tile *tile = g_ptr_array_index (old, k);

      g_hash_table_remove (tiles, &tile->key);
    }
}

TandemBoardTiles *
tandem_board_tiles_new (TandemBoardTilesDrawFunc draw,
                        gpointer                 user_data)
{
  TandemBoardTiles *self = g_new0 (TandemBoardTiles, 1);

  g_return_val_if_fail (draw != NULL, NULL);

  self->draw = draw;
  self->user_data = user_data;
  self->tiles = g_hash_table_new_full (tile_key_hash, tile_key_equal, NULL, tile_free);
  self->exact = g_hash_table_new_full (tile_key_hash, tile_key_equal, NULL, tile_free);
  for (guint k = 0; k <= N_LEVELS; k++)
    self->cost_us[k] = 500;
  return self;
}

void
tandem_board_tiles_free (TandemBoardTiles *self)
{
  if (self == NULL)
    return;
  g_hash_table_unref (self->tiles);
  g_hash_table_unref (self->exact);
  g_free (self);
}

static void
invalidate_table (GHashTable            *tiles,
                  const graphene_rect_t *area)
{
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, tiles);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      Tile *tile = value;
      graphene_rect_t shown;

      if (tile->stale)
        continue;
      tile_area (tile->scale, tile->key.i, tile->key.j, &shown);
      if (area == NULL || graphene_rect_intersection (area, &shown, NULL))
        tile->stale = TRUE;
    }
}

void
tandem_board_tiles_invalidate (TandemBoardTiles      *self,
                               const graphene_rect_t *area)
{
  g_return_if_fail (self != NULL);

  invalidate_table (self->tiles, area);
  invalidate_table (self->exact, area);
}

static int
compare_need (gconstpointer a,
              gconstpointer b)
{
  const Need *x = a, *y = b;

  return x->distance < y->distance ? -1 : x->distance > y->distance;
}

/* The tiles of @span board units a side that @view meets, inclusive. */
static void
view_range (const TandemBoardView *view,
            double                 span,
            int                   *i0,
            int                   *j0,
            int                   *i1,
            int                   *j1)
{
  *i0 = (int) floor (view->origin_x / span);
  *j0 = (int) floor (view->origin_y / span);
  *i1 = MAX (*i0, (int) ceil ((view->origin_x + MAX (view->width, 1) / view->zoom) / span) - 1);
  *j1 = MAX (*j0, (int) ceil ((view->origin_y + MAX (view->height, 1) / view->zoom) / span) - 1);
}

/* Makes, nearest the middle first, the missing or stale tiles of @level
 * in [i0, i1] × [j0, j1] while there is time (@first_free: the first of
 * them whatever the time, unless @n_built says one was made already);
 * the rest are left. Returns how many are left. */
static guint
make_wanted (TandemBoardTiles *self,
             int               level,
             int               i0,
             int               j0,
             int               i1,
             int               j1,
             gint64            deadline,
             gboolean          first_free,
             guint            *n_built)
{
  g_autoptr(GArray) wanted = g_array_new (FALSE, FALSE, sizeof (Need));
  double mid_i = (i0 + i1) / 2.0, mid_j = (j0 + j1) / 2.0;
  guint k;

  for (int j = j0; j <= j1; j++)
    for (int i = i0; i <= i1; i++)
      {
        Tile *tile = lookup (self, level, i, j);
        Need need = { tile, i, j, hypot (i - mid_i, j - mid_j) };

        if (tile == NULL || tile->stale)
          g_array_append_val (wanted, need);
      }
  g_array_sort (wanted, compare_need);
  for (k = 0; k < wanted->len && ((first_free && *n_built == 0) || can_afford (self, level, deadline)); k++)
    {
      Need *need = &g_array_index (wanted, Need, k);

      ensure_tile (self, need->tile, level, need->i, need->j);
      (*n_built)++;
    }
  return wanted->len - k;
}

static void
append_range (TandemBoardTiles      *self,
              GtkSnapshot           *snapshot,
              const TandemBoardView *view,
              int                    level,
              int                    i0,
              int                    j0,
              int                    i1,
              int                    j1)
{
  for (int j = j0; j <= j1; j++)
    for (int i = i0; i <= i1; i++)
      {
        Tile *tile = lookup (self, level, i, j);

        if (tile != NULL)
          append_tile (snapshot, view, tile, NULL, self->frame);
      }
}

gboolean
tandem_board_tiles_snapshot (TandemBoardTiles      *self,
                             GtkSnapshot           *snapshot,
                             const TandemBoardView *view,
                             gint64                 deadline,
                             TandemBoardTileStats  *stats)
{
  TandemBoardTileStats counts = { 0 };
  TandemBoardView v;
  guint exact_left = 0;
  double d;
  int level;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (view != NULL && view->zoom > 0, FALSE);

  tandem_board_tiles_snap_view (view, &v);
  d = device_zoom (&v);
  level = level_for (d);
  self->frame++;
  self->has_view = TRUE;
  self->view = v;
  self->level = level;
  view_range (&v, level_span (level), &self->i0, &self->j0, &self->i1, &self->j1);

  /* Settled between two levels: tiles at the zoom itself, so that a
   * board at 125 % is as sharp as at 100 %. They are made while there is
   * time (the level's tiles, scaled, stand in meanwhile) and shown alone
   * once all are there. */
  self->exact_wanted = v.settled && d != level_scale (level);
  self->exact_shown = FALSE;
  if (self->exact_wanted)
    {
      if (self->exact_scale != d)
        {
          g_hash_table_remove_all (self->exact);
          self->exact_scale = d;
        }
      view_range (&v, TILE / d, &self->ei0, &self->ej0, &self->ei1, &self->ej1);
      exact_left = make_wanted (self, EXACT_LEVEL, self->ei0, self->ej0, self->ei1, self->ej1, deadline,
                                FALSE, &counts.built);
      if (exact_left == 0)
        {
          append_range (self, snapshot, &v, EXACT_LEVEL, self->ei0, self->ej0, self->ei1, self->ej1);
          self->exact_shown = TRUE;
          counts.in_view = (self->ei1 - self->ei0 + 1) * (self->ej1 - self->ej0 + 1);
          evict (self, self->exact, MAX (MIN_CAPACITY / 4, 4 * counts.in_view));
          counts.cached = g_hash_table_size (self->tiles) + g_hash_table_size (self->exact);
          if (stats != NULL)
            *stats = counts;
          return TRUE;
        }
    }

  /* The level's tiles: what has no stand-in is made now, the rest while
   * there is time. */
  for (int j = self->j0; j <= self->j1; j++)
    for (int i = self->i0; i <= self->i1; i++)
      {
        Tile *tile = lookup (self, level, i, j);

        counts.in_view++;
        if (tile == NULL && !has_stand_in (self, level, i, j))
          {
            ensure_tile (self, NULL, level, i, j);
            counts.built++;
          }
      }
  make_wanted (self, level, self->i0, self->j0, self->i1, self->j1, deadline, FALSE, &counts.built);

  for (int j = self->j0; j <= self->j1; j++)
    for (int i = self->i0; i <= self->i1; i++)
      {
        Tile *tile = lookup (self, level, i, j);

        if (tile == NULL || tile->stale)
          counts.stand_ins++;
        if (tile != NULL)
          append_tile (snapshot, &v, tile, NULL, self->frame);
        else
          append_stand_in (self, snapshot, &v, level, i, j);
      }
  /* and over them the exact tiles made so far */
  if (self->exact_wanted)
    {
      append_range (self, snapshot, &v, EXACT_LEVEL, self->ei0, self->ej0, self->ei1, self->ej1);
      counts.stand_ins += exact_left;
    }

  evict (self, self->tiles, MAX (MIN_CAPACITY, 4 * counts.in_view));
  counts.cached = g_hash_table_size (self->tiles) + g_hash_table_size (self->exact);
  if (stats != NULL)
    *stats = counts;
  return counts.stand_ins == 0;
}

gboolean
tandem_board_tiles_area_is_current (TandemBoardTiles      *self,
                                    const graphene_rect_t *area)
{
  double span;
  int level, i0, j0, i1, j1;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (area != NULL, FALSE);

  if (!self->has_view)
    return FALSE;
  level = self->exact_shown ? EXACT_LEVEL : self->level;
  span = self->exact_shown ? TILE / self->exact_scale : level_span (self->level);
  i0 = MAX (self->exact_shown ? self->ei0 : self->i0, (int) floor (area->origin.x / span));
  j0 = MAX (self->exact_shown ? self->ej0 : self->j0, (int) floor (area->origin.y / span));
  i1 = MIN (self->exact_shown ? self->ei1 : self->i1, (int) floor ((area->origin.x + area->size.width) / span));
  j1 = MIN (self->exact_shown ? self->ej1 : self->j1, (int) floor ((area->origin.y + area->size.height) / span));
  for (int j = j0; j <= j1; j++)
    for (int i = i0; i <= i1; i++)
      {
        Tile *tile = lookup (self, level, i, j);

        if (tile == NULL || tile->stale)
          return FALSE;
      }
  return TRUE;
}

/* The idle's share: makes the missing or stale tiles of @level in
 * [i0, i1] × [j0, j1] while there is time, and at least one per call, so
 * that work goes on however dear a tile is. FALSE when some are left. */
static gboolean
work_range (TandemBoardTiles *self,
            int               level,
            int               i0,
            int               j0,
            int               i1,
            int               j1,
            gint64            deadline,
            guint            *n_made)
{
  return level < MIN_LEVEL || make_wanted (self, level, i0, j0, i1, j1, deadline, TRUE, n_made) == 0;
}

gboolean
tandem_board_tiles_work (TandemBoardTiles *self,
                         gint64            deadline,
                         gboolean         *view_changed)
{
  guint n_made = 0;

  g_return_val_if_fail (self != NULL, FALSE);

  if (view_changed != NULL)
    *view_changed = FALSE;
  if (!self->has_view)
    return FALSE;

  if ((self->exact_wanted &&
       !work_range (self, EXACT_LEVEL, self->ei0, self->ej0, self->ei1, self->ej1, deadline, &n_made)) ||
      !work_range (self, self->level, self->i0, self->j0, self->i1, self->j1, deadline, &n_made))
    {
      if (view_changed != NULL)
        *view_changed = TRUE;
      return TRUE;
    }
  if (n_made > 0 && view_changed != NULL)
    *view_changed = TRUE;

  /* Ahead: one tile around the view, then the view and that ring at the
   * two coarser levels (what zooming out shows first). */
  if (!work_range (self, self->level, self->i0 - 1, self->j0 - 1, self->i1 + 1, self->j1 + 1, deadline, &n_made))
    return TRUE;
  for (int k = 1; k <= 2; k++)
    if (!work_range (self, self->level - k,
                     shift_down (self->i0 - 1, k), shift_down (self->j0 - 1, k),
                     shift_down (self->i1 + 1, k), shift_down (self->j1 + 1, k), deadline, &n_made))
      return TRUE;
  return FALSE;
}
