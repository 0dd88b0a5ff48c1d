/* tandem-board-canvas-draw.c: what the whiteboard canvas draws
 *
 * The canvas mirrors the model in an array of entries, one per visible
 * stroke, bottom first (kept by items-changed), each with its extent.
 * Finished strokes are drawn into cached tiles (tandem-board-tiles.c): a
 * frame appends the images of the tiles in view, so its cost follows
 * the pixels on screen, not the segments on the board. A stroke being
 * drawn, and one finished while the tiles under it are still being
 * redrawn, is drawn over the tiles, afresh each frame. Tiles that could
 * not be made in a frame's budget are made by an idle between frames,
 * which then makes tiles ahead. Once the zoom has held still for 150 ms,
 * tiles are made at the zoom itself (a frame then redraws).
 *
 * The remote cursors are drawn over everything, an arrow and a name.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tandem-board-canvas"

#include "config.h"

#include "tandem-board-canvas-private.h"
#include "tandem-board-model.h"
#include "tandem-board-render.h"
#include "tandem-board-sync.h"
#include "tandem-board-tiles.h"
#include "tandem-stroke.h"

/* What a frame may spend making tiles (the rest is the idle's), and one
 * slice of the idle. */
#define FRAME_TILE_BUDGET_US 1000
#define IDLE_SLICE_US        4000
/* The zoom held this long, tiles are made at the zoom itself. */
#define SETTLE_US            150000
/* Added or removed at once beyond this, the tiles are redrawn without
 * drawing the strokes over them meanwhile (a load, a clear). */
#define MANY_STROKES         64

typedef struct
{
  TandemStroke    *stroke;
  graphene_rect_t  extent;
  gboolean         extent_valid;
  gboolean         finished; /* in the tiles */
  gboolean         pending;  /* finished, tiles under it not yet redrawn */
} Entry;

typedef struct
{
  double  x, y;
  char   *name;
  GdkRGBA color;
} Cursor;


/* ---- entries ---- */

static void
entry_free (gpointer data)
{
  Entry *entry = data;

  g_object_unref (entry->stroke);
  g_free (entry);
}

static void
cursor_free (gpointer data)
{
  Cursor *cursor = data;

  g_free (cursor->name);
  g_free (cursor);
}

static const graphene_rect_t *
entry_extent (Entry *entry)
{
  if (!entry->extent_valid)
    {
      tandem_board_stroke_extent (entry->stroke, &entry->extent);
      entry->extent_valid = TRUE;
    }
  return &entry->extent;
}

static void
invalidate_entry (TandemBoardCanvas *self,
                  Entry             *entry)
{
  if (entry->finished)
    tandem_board_tiles_invalidate (self->tiles, entry_extent (entry));
}

static void
items_changed_cb (TandemBoardCanvas *self,
                  guint              position,
                  guint              removed,
                  guint              added,
                  GListModel        *model)
{
  gboolean many = removed > MANY_STROKES || added > MANY_STROKES;

  for (guint i = 0; i < removed; i++)
    {
      Entry *entry = g_ptr_array_index (self->entries, position + i);

      if (!many)
        invalidate_entry (self, entry);
      g_hash_table_remove (self->by_stroke, entry->stroke);
    }
  g_ptr_array_remove_range (self->entries, position, removed);
  for (guint i = 0; i < added; i++)
    {
      Entry *entry = g_new0 (Entry, 1);

      entry->stroke = g_list_model_get_item (model, position + i);
      entry->finished = tandem_stroke_get_finished (entry->stroke);
      if (!many)
        {
          invalidate_entry (self, entry);
          entry->pending = entry->finished;
        }
      g_ptr_array_insert (self->entries, position + i, entry);
      g_hash_table_insert (self->by_stroke, entry->stroke, entry);
    }
  if (many)
    tandem_board_tiles_invalidate (self->tiles, NULL);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/* A stroke being drawn is not in the tiles; once finished, or when a
 * finished one changes, the tiles under where it was and where it is are
 * redrawn, and it is drawn over them until they are. */
static void
stroke_changed_cb (TandemBoardCanvas *self,
                   TandemStroke      *stroke,
                   guint              first_point,
                   TandemBoardModel  *model)
{
  Entry *entry = g_hash_table_lookup (self->by_stroke, stroke);

  if (entry == NULL)
    return;
  invalidate_entry (self, entry);
  entry->extent_valid = FALSE;
  entry->finished = tandem_stroke_get_finished (stroke);
  invalidate_entry (self, entry);
  entry->pending = entry->finished;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
stroke_finished_cb (TandemBoardCanvas *self,
                    TandemStroke      *stroke,
                    TandemBoardModel  *model)
{
  Entry *entry = g_hash_table_lookup (self->by_stroke, stroke);

  if (entry == NULL || entry->finished)
    return;
  entry->finished = TRUE;
  entry->pending = TRUE;
  invalidate_entry (self, entry);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
_tandem_board_canvas_set_model (TandemBoardCanvas *self,
                                TandemBoardModel  *model)
{
  guint n;

  g_return_if_fail (self->model == NULL);

  self->model = g_object_ref (model);
  g_signal_connect_object (model, "items-changed", G_CALLBACK (items_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (model, "stroke-changed", G_CALLBACK (stroke_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (model, "stroke-finished", G_CALLBACK (stroke_finished_cb), self, G_CONNECT_SWAPPED);
  n = g_list_model_get_n_items (G_LIST_MODEL (model));
  if (n > 0)
    items_changed_cb (self, 0, 0, n, G_LIST_MODEL (model));
}

/* ---- remote cursors ---- */

static void
cursor_moved_cb (TandemBoardCanvas *self,
                 const char        *user_id,
                 double             x,
                 double             y,
                 const char        *name,
                 const char        *color,
                 TandemBoardSync   *sync)
{
  Cursor *cursor = g_hash_table_lookup (self->cursors, user_id);

  if (cursor == NULL)
    {
      cursor = g_new0 (Cursor, 1);
      cursor->color = (GdkRGBA) { 0.2, 0.4, 0.9, 1 };
      g_hash_table_insert (self->cursors, g_strdup (user_id), cursor);
    }
  cursor->x = x;
  cursor->y = y;
  if (name != NULL && *name != '\0')
    {
      g_free (cursor->name);
      cursor->name = g_strdup (name);
    }
  if (color != NULL)
    gdk_rgba_parse (&cursor->color, color);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
cursor_hidden_cb (TandemBoardCanvas *self,
                  const char        *user_id,
                  TandemBoardSync   *sync)
{
  if (g_hash_table_remove (self->cursors, user_id))
    gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
_tandem_board_canvas_follow_cursors (TandemBoardCanvas *self)
{
  g_signal_connect_object (self->sync, "cursor-moved", G_CALLBACK (cursor_moved_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->sync, "cursor-hidden", G_CALLBACK (cursor_hidden_cb), self, G_CONNECT_SWAPPED);
}

/* ---- drawing ---- */

static void
append_cursor (TandemBoardCanvas *self,
               GtkSnapshot       *snapshot,
               Cursor            *cursor)
{
  /* An arrow whose tip is the point, and the name beside it. */
  static const double arrow[][2] = { { 0, 0 }, { 0, 17 }, { 4.5, 13 }, { 7.5, 19.5 },
                                     { 10, 18.5 }, { 7, 12 }, { 12.5, 12 } };
  g_autoptr(PangoLayout) layout = NULL;
  PangoRectangle text = { 0 };
  double x, y;
  cairo_t *cr;

  tandem_board_canvas_board_to_widget (self, cursor->x, cursor->y, &x, &y);
  if (cursor->name != NULL)
    {
      layout = gtk_widget_create_pango_layout (GTK_WIDGET (self), cursor->name);
      pango_layout_set_width (layout, 160 * PANGO_SCALE);
      pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);
      pango_layout_get_pixel_extents (layout, NULL, &text);
    }
  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (x - 2, y - 2, 32 + MAX (text.width, 0), 48));
  cairo_translate (cr, x, y);
  cairo_move_to (cr, arrow[0][0], arrow[0][1]);
  for (guint i = 1; i < G_N_ELEMENTS (arrow); i++)
    cairo_line_to (cr, arrow[i][0], arrow[i][1]);
  cairo_close_path (cr);
  gdk_cairo_set_source_rgba (cr, &cursor->color);
  cairo_fill_preserve (cr);
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_set_line_width (cr, 1.5);
  cairo_stroke (cr);
  if (layout != NULL)
    {
      double w = text.width + 12, h = text.height + 6, lx = 12, ly = 20, r = 4;

      cairo_new_sub_path (cr);
      cairo_arc (cr, lx + w - r, ly + r, r, -G_PI / 2, 0);
      cairo_arc (cr, lx + w - r, ly + h - r, r, 0, G_PI / 2);
      cairo_arc (cr, lx + r, ly + h - r, r, G_PI / 2, G_PI);
      cairo_arc (cr, lx + r, ly + r, r, G_PI, 3 * G_PI / 2);
      cairo_close_path (cr);
      gdk_cairo_set_source_rgba (cr, &cursor->color);
      cairo_fill (cr);
      cairo_set_source_rgb (cr, 1, 1, 1);
      cairo_move_to (cr, lx + 6 - text.x, ly + 3 - text.y);
      pango_cairo_show_layout (cr, layout);
    }
  cairo_destroy (cr);
}

/* What the tiles show: the finished strokes meeting @area. */
static void
draw_tile (cairo_t               *cr,
           const graphene_rect_t *area,
           gpointer               user_data)
{
  TandemBoardCanvas *self = user_data;

  for (guint i = 0; i < self->entries->len; i++)
    {
      Entry *entry = g_ptr_array_index (self->entries, i);

      if (entry->finished && graphene_rect_intersection (entry_extent (entry), area, NULL))
        tandem_board_draw_stroke (cr, entry->stroke);
    }
}

static gboolean
tile_work_cb (gpointer user_data)
{
  TandemBoardCanvas *self = user_data;
  gboolean view_changed, more;

  more = tandem_board_tiles_work (self->tiles, g_get_monotonic_time () + IDLE_SLICE_US, &view_changed);
  if (view_changed)
    gtk_widget_queue_draw (GTK_WIDGET (self));
  if (more)
    return G_SOURCE_CONTINUE;
  self->tile_work_id = 0;
  return G_SOURCE_REMOVE;
}

/* The tiles in view (strokes culled by their cached extents, never by
 * their points), then what is drawn over them: the strokes not in the
 * tiles yet, drawn afresh into one cairo node in widget pixels over the
 * area they cover (few strokes, and each changes from frame to frame; a
 * node per stroke in board units would be resampled when zoomed). */
static void
append_strokes (TandemBoardCanvas *self,
                GtkSnapshot       *snapshot,
                int                width,
                int                height)
{
  GtkNative *native = gtk_widget_get_native (GTK_WIDGET (self));
  GskRenderer *renderer = native != NULL ? gtk_native_get_renderer (native) : NULL;
  TandemBoardView view = { self->zoom, self->origin_x, self->origin_y, width, height,
                           gtk_widget_get_scale_factor (GTK_WIDGET (self)),
                           self->tile_textures || (renderer != NULL && !GSK_IS_CAIRO_RENDERER (renderer)),
                           g_get_monotonic_time () - self->zoom_changed_at >= self->settle_us };
  gint64 deadline = g_get_monotonic_time () + self->tile_budget_us;
  g_autoptr(GPtrArray) over = g_ptr_array_new ();
  graphene_rect_t visible, covered = GRAPHENE_RECT_INIT (0, 0, 0, 0);

  self->n_drawn = 0;
  self->n_built = 0;
  tandem_board_tiles_snapshot (self->tiles, snapshot, &view, deadline, &self->tile_stats);
  if (self->tile_work_id == 0)
    self->tile_work_id = g_idle_add (tile_work_cb, self);

  tandem_board_tiles_snap_view (&view, &view);
  graphene_rect_init (&visible, view.origin_x, view.origin_y, width / view.zoom, height / view.zoom);
  for (guint i = 0; i < self->entries->len; i++)
    {
      Entry *entry = g_ptr_array_index (self->entries, i);

      if (!graphene_rect_intersection (entry_extent (entry), &visible, NULL))
        continue;
      self->n_drawn++;
      if (entry->finished && entry->pending && tandem_board_tiles_area_is_current (self->tiles, &entry->extent))
        entry->pending = FALSE;
      if (entry->finished && !entry->pending)
        continue;
      if (over->len == 0)
        covered = entry->extent;
      else
        graphene_rect_union (&covered, &entry->extent, &covered);
      g_ptr_array_add (over, entry);
    }

  if (over->len > 0 && graphene_rect_intersection (&covered, &visible, &covered))
    {
      graphene_rect_t bounds;
      GskRenderNode *node;
      cairo_t *cr;

      /* in widget pixels, whole ones */
      graphene_rect_init (&bounds, floor ((covered.origin.x - view.origin_x) * view.zoom),
                          floor ((covered.origin.y - view.origin_y) * view.zoom), 0, 0);
      bounds.size.width = ceil ((covered.origin.x + covered.size.width - view.origin_x) * view.zoom) - bounds.origin.x;
      bounds.size.height = ceil ((covered.origin.y + covered.size.height - view.origin_y) * view.zoom) - bounds.origin.y;
      node = gsk_cairo_node_new (&bounds);
      cr = gsk_cairo_node_get_draw_context (node);
      cairo_scale (cr, view.zoom, view.zoom);
      cairo_translate (cr, -view.origin_x, -view.origin_y);
      for (guint k = 0; k < over->len; k++)
        tandem_board_draw_stroke (cr, ((Entry *) over->pdata[k])->stroke);
      cairo_destroy (cr);
      gtk_snapshot_append_node (snapshot, node);
      gsk_render_node_unref (node);
      self->n_built = over->len;
    }
}

void
_tandem_board_canvas_snapshot_board (TandemBoardCanvas *self,
                                     GtkSnapshot       *snapshot,
                                     int                width,
                                     int                height)
{
  GHashTableIter iter;
  gpointer value;

  /* The board is paper: white in either style, as exports are. The
   * widget's overflow is hidden: what is drawn off it is clipped. */
  gtk_snapshot_append_color (snapshot, &(GdkRGBA) { 1, 1, 1, 1 }, &GRAPHENE_RECT_INIT (0, 0, width, height));
  append_strokes (self, snapshot, width, height);
  g_hash_table_iter_init (&iter, self->cursors);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    append_cursor (self, snapshot, value);
}

GskRenderNode *
_tandem_board_canvas_build_node (TandemBoardCanvas *self,
                                 int                width,
                                 int                height)
{
  GtkSnapshot *snapshot;

  g_return_val_if_fail (TANDEM_IS_BOARD_CANVAS (self), NULL);

  snapshot = gtk_snapshot_new ();
  _tandem_board_canvas_snapshot_board (self, snapshot, width, height);
  return gtk_snapshot_free_to_node (snapshot);
}

void
_tandem_board_canvas_get_tile_stats (TandemBoardCanvas    *self,
                                     TandemBoardTileStats *stats)
{
  g_return_if_fail (TANDEM_IS_BOARD_CANVAS (self));
  g_return_if_fail (stats != NULL);

  *stats = self->tile_stats;
}

void
_tandem_board_canvas_set_tile_textures (TandemBoardCanvas *self,
                                        gboolean           textures)
{
  g_return_if_fail (TANDEM_IS_BOARD_CANVAS (self));
  self->tile_textures = textures;
}

void
_tandem_board_canvas_set_tile_budget (TandemBoardCanvas *self,
                                      gint64             budget_us)
{
  g_return_if_fail (TANDEM_IS_BOARD_CANVAS (self));
  self->tile_budget_us = MAX (budget_us, 0);
}

void
_tandem_board_canvas_get_frame_stats (TandemBoardCanvas *self,
                                      guint             *n_drawn,
                                      guint             *n_strokes,
                                      guint             *n_built)
{
  g_return_if_fail (TANDEM_IS_BOARD_CANVAS (self));

  if (n_drawn != NULL)
    *n_drawn = self->n_drawn;
  if (n_strokes != NULL)
    *n_strokes = self->entries->len;
  if (n_built != NULL)
    *n_built = self->n_built;
}

/* The zoom has held still: a frame, which makes tiles at the zoom. */
static gboolean
settled_cb (gpointer user_data)
{
  TandemBoardCanvas *self = user_data;

  self->settle_id = 0;
  gtk_widget_queue_draw (GTK_WIDGET (self));
  return G_SOURCE_REMOVE;
}

void
_tandem_board_canvas_zoom_changed (TandemBoardCanvas *self)
{
  self->zoom_changed_at = g_get_monotonic_time ();
  g_clear_handle_id (&self->settle_id, g_source_remove);
  if (self->settle_us > 0)
    self->settle_id = g_timeout_add ((guint) (self->settle_us / 1000) + 1, settled_cb, self);
}

void
_tandem_board_canvas_set_settle_delay (TandemBoardCanvas *self,
                                       gint64             delay_us)
{
  g_return_if_fail (TANDEM_IS_BOARD_CANVAS (self));
  self->settle_us = MAX (delay_us, 0);
}

/* ---- life ---- */

void
_tandem_board_canvas_init_drawing (TandemBoardCanvas *self)
{
  self->entries = g_ptr_array_new_with_free_func (entry_free);
  self->by_stroke = g_hash_table_new (NULL, NULL);
  self->cursors = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, cursor_free);
  self->tiles = tandem_board_tiles_new (draw_tile, self);
  self->tile_budget_us = FRAME_TILE_BUDGET_US;
  self->settle_us = SETTLE_US;
}

void
_tandem_board_canvas_dispose_drawing (TandemBoardCanvas *self)
{
  g_clear_handle_id (&self->tile_work_id, g_source_remove);
  g_clear_handle_id (&self->settle_id, g_source_remove);
  if (self->entries != NULL)
    g_ptr_array_set_size (self->entries, 0);
  g_hash_table_remove_all (self->by_stroke);
  g_hash_table_remove_all (self->cursors);
}

void
_tandem_board_canvas_finalize_drawing (TandemBoardCanvas *self)
{
  g_clear_pointer (&self->tiles, tandem_board_tiles_free);
  g_ptr_array_unref (self->entries);
  g_hash_table_unref (self->by_stroke);
  g_hash_table_unref (self->cursors);
}
