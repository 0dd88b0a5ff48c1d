/* tandem-board-canvas.c: the widget that shows and draws on a whiteboard
 *
 * The canvas mirrors the model in an array of entries, one per visible
 * stroke, bottom first (kept by items-changed), each with its extent.
 * Finished strokes are drawn into cached tiles (tandem-board-tiles.c): a
 * frame appends the textures of the tiles in view, so its cost follows
 * the pixels on screen, not the segments on the board. A stroke being
 * drawn, and one finished while the tiles under it are still being
 * redrawn, is drawn over the tiles from a render node of its own, cached
 * until it changes. Tiles that could not be made in a frame's budget are
 * made by an idle between frames, which then makes tiles ahead.
 *
 * Coordinates: board = widget / zoom + origin. Input (pointer, stylus,
 * pinch, scroll, keys, the text popover) is in tandem-board-canvas-input.c.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tandem-board-canvas"

#include "config.h"

#include <math.h>

#include <glib/gi18n.h>

#include "tandem-board-canvas-private.h"
#include "tandem-board-model.h"
#include "tandem-board-render.h"
#include "tandem-board-sync.h"
#include "tandem-board-tiles.h"
#include "tandem-stroke.h"

/* What a frame may spend making tiles (the rest is the idle's), and one
 * slice of the idle. */
#define FRAME_TILE_BUDGET_US 2000
#define IDLE_SLICE_US        4000
/* Added or removed at once beyond this, the tiles are redrawn without
 * drawing the strokes over them meanwhile (a load, a clear). */
#define MANY_STROKES         64

typedef struct
{
  TandemStroke    *stroke;
  GskRenderNode   *node;     /* NULL until drawn over the tiles, and after a change */
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


G_DEFINE_FINAL_TYPE (TandemBoardCanvas, tandem_board_canvas, GTK_TYPE_WIDGET)

enum
{
  PROP_0,
  PROP_SYNC,
  PROP_MODEL,
  PROP_TOOL,
  PROP_COLOR,
  PROP_STROKE_WIDTH,
  PROP_ZOOM,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static gboolean
replace_string (char       **slot,
                const char  *value)
{
  if (g_strcmp0 (*slot, value) == 0)
    return FALSE;
  g_free (*slot);
  *slot = g_strdup (value);
  return TRUE;
}

/* ---- entries ---- */

static void
entry_free (gpointer data)
{
  Entry *entry = data;

  g_clear_pointer (&entry->node, gsk_render_node_unref);
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

static GskRenderNode *
entry_node (TandemBoardCanvas *self,
            Entry             *entry)
{
  if (entry->node == NULL)
    {
      entry->node = tandem_board_stroke_node (entry->stroke, &entry->extent);
      entry->extent_valid = TRUE;
      self->n_built++;
    }
  return entry->node;
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
  g_clear_pointer (&entry->node, gsk_render_node_unref);
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

static void
set_model (TandemBoardCanvas *self,
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
    replace_string (&cursor->name, name);
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

/* ---- coordinates ---- */

void
tandem_board_canvas_widget_to_board (TandemBoardCanvas *self,
                                     double             widget_x,
                                     double             widget_y,
                                     double            *board_x,
                                     double            *board_y)
{
  g_return_if_fail (TANDEM_IS_BOARD_CANVAS (self));

  if (board_x != NULL)
    *board_x = widget_x / self->zoom + self->origin_x;
  if (board_y != NULL)
    *board_y = widget_y / self->zoom + self->origin_y;
}

void
tandem_board_canvas_board_to_widget (TandemBoardCanvas *self,
                                     double             board_x,
                                     double             board_y,
                                     double            *widget_x,
                                     double            *widget_y)
{
  g_return_if_fail (TANDEM_IS_BOARD_CANVAS (self));

  if (widget_x != NULL)
    *widget_x = (board_x - self->origin_x) * self->zoom;
  if (widget_y != NULL)
    *widget_y = (board_y - self->origin_y) * self->zoom;
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
 * their points), then what is drawn over them: strokes not in the tiles
 * yet, from their cached nodes. */
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
                           self->tile_textures || (renderer != NULL && !GSK_IS_CAIRO_RENDERER (renderer)) };
  gint64 deadline = g_get_monotonic_time () + self->tile_budget_us;
  graphene_rect_t visible;

  self->n_drawn = 0;
  self->n_built = 0;
  tandem_board_tiles_snapshot (self->tiles, snapshot, &view, deadline, &self->tile_stats);
  if (self->tile_work_id == 0)
    self->tile_work_id = g_idle_add (tile_work_cb, self);

  tandem_board_tiles_snap_view (&view, &view);
  graphene_rect_init (&visible, view.origin_x, view.origin_y, width / view.zoom, height / view.zoom);
  gtk_snapshot_save (snapshot);
  gtk_snapshot_scale (snapshot, view.zoom, view.zoom);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (-view.origin_x, -view.origin_y));
  for (guint i = 0; i < self->entries->len; i++)
    {
      Entry *entry = g_ptr_array_index (self->entries, i);
      GskRenderNode *node;

      if (!graphene_rect_intersection (entry_extent (entry), &visible, NULL))
        continue;
      self->n_drawn++;
      if (entry->finished && entry->pending && tandem_board_tiles_area_is_current (self->tiles, &entry->extent))
        entry->pending = FALSE;
      if (entry->finished && !entry->pending)
        continue;
      node = entry_node (self, entry);
      if (node != NULL)
        gtk_snapshot_append_node (snapshot, node);
    }
  gtk_snapshot_restore (snapshot);
}

static void
snapshot_board (TandemBoardCanvas *self,
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

static void
tandem_board_canvas_snapshot (GtkWidget   *widget,
                              GtkSnapshot *snapshot)
{
  TandemBoardCanvas *self = TANDEM_BOARD_CANVAS (widget);

  snapshot_board (self, snapshot, gtk_widget_get_width (widget), gtk_widget_get_height (widget));
}

GskRenderNode *
_tandem_board_canvas_build_node (TandemBoardCanvas *self,
                                 int                width,
                                 int                height)
{
  GtkSnapshot *snapshot;

  g_return_val_if_fail (TANDEM_IS_BOARD_CANVAS (self), NULL);

  snapshot = gtk_snapshot_new ();
  snapshot_board (self, snapshot, width, height);
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

/* ---- zoom and pan ---- */

void
_tandem_board_canvas_set_view (TandemBoardCanvas *self,
                               double             zoom,
                               double             origin_x,
                               double             origin_y)
{
  gboolean zoom_changed;

  zoom = CLAMP (zoom, TANDEM_BOARD_CANVAS_MIN_ZOOM, TANDEM_BOARD_CANVAS_MAX_ZOOM);
  origin_x = CLAMP (origin_x, -TANDEM_STROKE_MAX_COORDINATE, TANDEM_STROKE_MAX_COORDINATE);
  origin_y = CLAMP (origin_y, -TANDEM_STROKE_MAX_COORDINATE, TANDEM_STROKE_MAX_COORDINATE);
  zoom_changed = zoom != self->zoom;
  if (!zoom_changed && origin_x == self->origin_x && origin_y == self->origin_y)
    return;
  self->zoom = zoom;
  self->origin_x = origin_x;
  self->origin_y = origin_y;
  gtk_widget_queue_draw (GTK_WIDGET (self));
  if (zoom_changed)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ZOOM]);
}

void
tandem_board_canvas_zoom_at (TandemBoardCanvas *self,
                             double             factor,
                             double             widget_x,
                             double             widget_y)
{
  double bx, by, zoom;

  g_return_if_fail (TANDEM_IS_BOARD_CANVAS (self));
  g_return_if_fail (factor > 0);

  tandem_board_canvas_widget_to_board (self, widget_x, widget_y, &bx, &by);
  zoom = CLAMP (self->zoom * factor, TANDEM_BOARD_CANVAS_MIN_ZOOM, TANDEM_BOARD_CANVAS_MAX_ZOOM);
  _tandem_board_canvas_set_view (self, zoom, bx - widget_x / zoom, by - widget_y / zoom);
}

void
tandem_board_canvas_set_zoom (TandemBoardCanvas *self,
                              double             zoom)
{
  g_return_if_fail (TANDEM_IS_BOARD_CANVAS (self));
  g_return_if_fail (zoom > 0);

  tandem_board_canvas_zoom_at (self, zoom / self->zoom,
                               gtk_widget_get_width (GTK_WIDGET (self)) / 2.0,
                               gtk_widget_get_height (GTK_WIDGET (self)) / 2.0);
}

double
tandem_board_canvas_get_zoom (TandemBoardCanvas *self)
{
  g_return_val_if_fail (TANDEM_IS_BOARD_CANVAS (self), 1);
  return self->zoom;
}

void
tandem_board_canvas_pan (TandemBoardCanvas *self,
                         double             dx,
                         double             dy)
{
  g_return_if_fail (TANDEM_IS_BOARD_CANVAS (self));
  _tandem_board_canvas_set_view (self, self->zoom, self->origin_x + dx / self->zoom, self->origin_y + dy / self->zoom);
}

void
tandem_board_canvas_get_origin (TandemBoardCanvas *self,
                                double            *x,
                                double            *y)
{
  g_return_if_fail (TANDEM_IS_BOARD_CANVAS (self));
  if (x != NULL)
    *x = self->origin_x;
  if (y != NULL)
    *y = self->origin_y;
}

void
tandem_board_canvas_set_origin (TandemBoardCanvas *self,
                                double             x,
                                double             y)
{
  g_return_if_fail (TANDEM_IS_BOARD_CANVAS (self));
  _tandem_board_canvas_set_view (self, self->zoom, x, y);
}

/* ---- GtkWidget ---- */

static void
tandem_board_canvas_measure (GtkWidget      *widget,
                             GtkOrientation  orientation,
                             int             for_size,
                             int            *minimum,
                             int            *natural,
                             int            *minimum_baseline,
                             int            *natural_baseline)
{
  *minimum = 64;
  *natural = orientation == GTK_ORIENTATION_HORIZONTAL ? 640 : 480;
}

static void
tandem_board_canvas_size_allocate (GtkWidget *widget,
                                   int        width,
                                   int        height,
                                   int        baseline)
{
  TandemBoardCanvas *self = TANDEM_BOARD_CANVAS (widget);

  gtk_popover_present (GTK_POPOVER (self->text_popover));
}

static void
tandem_board_canvas_dispose (GObject *object)
{
  TandemBoardCanvas *self = TANDEM_BOARD_CANVAS (object);

  g_clear_pointer (&self->text_popover, gtk_widget_unparent);
  self->text_entry = NULL;
  g_clear_handle_id (&self->tile_work_id, g_source_remove);
  g_clear_object (&self->sync);
  g_clear_object (&self->model);
  if (self->entries != NULL)
    g_ptr_array_set_size (self->entries, 0);
  g_hash_table_remove_all (self->by_stroke);
  g_hash_table_remove_all (self->cursors);

  G_OBJECT_CLASS (tandem_board_canvas_parent_class)->dispose (object);
}

static void
tandem_board_canvas_finalize (GObject *object)
{
  TandemBoardCanvas *self = TANDEM_BOARD_CANVAS (object);

  g_clear_pointer (&self->tiles, tandem_board_tiles_free);
  g_ptr_array_unref (self->entries);
  g_hash_table_unref (self->by_stroke);
  g_hash_table_unref (self->cursors);
  g_free (self->color);

  G_OBJECT_CLASS (tandem_board_canvas_parent_class)->finalize (object);
}

static void
tandem_board_canvas_constructed (GObject *object)
{
  TandemBoardCanvas *self = TANDEM_BOARD_CANVAS (object);

  G_OBJECT_CLASS (tandem_board_canvas_parent_class)->constructed (object);

  if (self->sync != NULL)
    {
      if (self->model == NULL)
        set_model (self, tandem_board_sync_get_model (self->sync));
      g_signal_connect_object (self->sync, "cursor-moved", G_CALLBACK (cursor_moved_cb), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (self->sync, "cursor-hidden", G_CALLBACK (cursor_hidden_cb), self, G_CONNECT_SWAPPED);
    }
  else if (self->model == NULL)
    {
      g_autoptr(TandemBoardModel) model = tandem_board_model_new ();

      set_model (self, model);
    }
}

static void
tandem_board_canvas_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  TandemBoardCanvas *self = TANDEM_BOARD_CANVAS (object);

  switch (prop_id)
    {
    case PROP_SYNC:
      g_value_set_object (value, self->sync);
      break;
    case PROP_MODEL:
      g_value_set_object (value, self->model);
      break;
    case PROP_TOOL:
      g_value_set_enum (value, self->tool);
      break;
    case PROP_COLOR:
      g_value_set_string (value, self->color);
      break;
    case PROP_STROKE_WIDTH:
      g_value_set_double (value, self->stroke_width);
      break;
    case PROP_ZOOM:
      g_value_set_double (value, self->zoom);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tandem_board_canvas_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  TandemBoardCanvas *self = TANDEM_BOARD_CANVAS (object);

  switch (prop_id)
    {
    case PROP_SYNC:
      self->sync = g_value_dup_object (value);
      break;
    case PROP_MODEL:
      if (g_value_get_object (value) != NULL)
        set_model (self, g_value_get_object (value));
      break;
    case PROP_TOOL:
      tandem_board_canvas_set_tool (self, g_value_get_enum (value));
      break;
    case PROP_COLOR:
      tandem_board_canvas_set_color (self, g_value_get_string (value));
      break;
    case PROP_STROKE_WIDTH:
      tandem_board_canvas_set_stroke_width (self, g_value_get_double (value));
      break;
    case PROP_ZOOM:
      tandem_board_canvas_set_zoom (self, g_value_get_double (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tandem_board_canvas_class_init (TandemBoardCanvasClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GParamFlags construct = G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS;
  GParamFlags writable = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->constructed = tandem_board_canvas_constructed;
  object_class->dispose = tandem_board_canvas_dispose;
  object_class->finalize = tandem_board_canvas_finalize;
  object_class->get_property = tandem_board_canvas_get_property;
  object_class->set_property = tandem_board_canvas_set_property;

  widget_class->snapshot = tandem_board_canvas_snapshot;
  widget_class->measure = tandem_board_canvas_measure;
  widget_class->size_allocate = tandem_board_canvas_size_allocate;

  properties[PROP_SYNC] = g_param_spec_object ("sync", NULL, NULL, TANDEM_TYPE_BOARD_SYNC, construct);
  properties[PROP_MODEL] = g_param_spec_object ("model", NULL, NULL, TANDEM_TYPE_BOARD_MODEL, construct);
  properties[PROP_TOOL] = g_param_spec_enum ("tool", NULL, NULL, TANDEM_TYPE_TOOL, TANDEM_TOOL_PEN, writable);
  properties[PROP_COLOR] = g_param_spec_string ("color", NULL, NULL, "#1c1c1c", writable);
  properties[PROP_STROKE_WIDTH] = g_param_spec_double ("stroke-width", NULL, NULL, 0.5, TANDEM_STROKE_MAX_WIDTH, 4,
                                                       writable);
  properties[PROP_ZOOM] = g_param_spec_double ("zoom", NULL, NULL, TANDEM_BOARD_CANVAS_MIN_ZOOM,
                                               TANDEM_BOARD_CANVAS_MAX_ZOOM, 1, writable);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_css_name (widget_class, "boardcanvas");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
tandem_board_canvas_init (TandemBoardCanvas *self)
{
  self->entries = g_ptr_array_new_with_free_func (entry_free);
  self->by_stroke = g_hash_table_new (NULL, NULL);
  self->cursors = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, cursor_free);
  self->tiles = tandem_board_tiles_new (draw_tile, self);
  self->tile_budget_us = FRAME_TILE_BUDGET_US;
  self->tool = TANDEM_TOOL_PEN;
  self->color = g_strdup ("#1c1c1c");
  self->stroke_width = 4;
  self->zoom = 1;

  gtk_widget_set_focusable (GTK_WIDGET (self), TRUE);
  gtk_widget_set_overflow (GTK_WIDGET (self), GTK_OVERFLOW_HIDDEN);
  gtk_widget_set_cursor_from_name (GTK_WIDGET (self), "crosshair");
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Whiteboard"), -1);

  _tandem_board_canvas_init_input (self);
}

GtkWidget *
tandem_board_canvas_new (TandemBoardSync *sync)
{
  g_return_val_if_fail (TANDEM_IS_BOARD_SYNC (sync), NULL);
  return g_object_new (TANDEM_TYPE_BOARD_CANVAS, "sync", sync, NULL);
}

GtkWidget *
tandem_board_canvas_new_for_model (TandemBoardModel *model)
{
  g_return_val_if_fail (TANDEM_IS_BOARD_MODEL (model), NULL);
  return g_object_new (TANDEM_TYPE_BOARD_CANVAS, "model", model, NULL);
}

TandemBoardSync *
tandem_board_canvas_get_sync (TandemBoardCanvas *self)
{
  g_return_val_if_fail (TANDEM_IS_BOARD_CANVAS (self), NULL);
  return self->sync;
}

TandemBoardModel *
tandem_board_canvas_get_model (TandemBoardCanvas *self)
{
  g_return_val_if_fail (TANDEM_IS_BOARD_CANVAS (self), NULL);
  return self->model;
}

TandemTool
tandem_board_canvas_get_tool (TandemBoardCanvas *self)
{
  g_return_val_if_fail (TANDEM_IS_BOARD_CANVAS (self), TANDEM_TOOL_PEN);
  return self->tool;
}

void
tandem_board_canvas_set_tool (TandemBoardCanvas *self,
                              TandemTool         tool)
{
  g_return_if_fail (TANDEM_IS_BOARD_CANVAS (self));
  g_return_if_fail (tool <= TANDEM_TOOL_ERASER);

  if (self->tool == tool)
    return;
  self->tool = tool;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TOOL]);
}

const char *
tandem_board_canvas_get_color (TandemBoardCanvas *self)
{
  g_return_val_if_fail (TANDEM_IS_BOARD_CANVAS (self), NULL);
  return self->color;
}

void
tandem_board_canvas_set_color (TandemBoardCanvas *self,
                               const char        *color)
{
  g_return_if_fail (TANDEM_IS_BOARD_CANVAS (self));
  g_return_if_fail (color != NULL && tandem_stroke_color_is_valid (color));

  if (replace_string (&self->color, color))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_COLOR]);
}

double
tandem_board_canvas_get_stroke_width (TandemBoardCanvas *self)
{
  g_return_val_if_fail (TANDEM_IS_BOARD_CANVAS (self), 0);
  return self->stroke_width;
}

void
tandem_board_canvas_set_stroke_width (TandemBoardCanvas *self,
                                      double             width)
{
  g_return_if_fail (TANDEM_IS_BOARD_CANVAS (self));
  g_return_if_fail (width > 0 && width <= TANDEM_STROKE_MAX_WIDTH);

  if (self->stroke_width == width)
    return;
  self->stroke_width = width;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STROKE_WIDTH]);
}

guint
tandem_board_canvas_get_n_cursors (TandemBoardCanvas *self)
{
  g_return_val_if_fail (TANDEM_IS_BOARD_CANVAS (self), 0);
  return g_hash_table_size (self->cursors);
}

GtkGesture *
_tandem_board_canvas_get_drag_gesture (TandemBoardCanvas *self)
{
  g_return_val_if_fail (TANDEM_IS_BOARD_CANVAS (self), NULL);
  return self->drag;
}

GtkWidget *
_tandem_board_canvas_get_text_popover (TandemBoardCanvas *self)
{
  g_return_val_if_fail (TANDEM_IS_BOARD_CANVAS (self), NULL);
  return self->text_popover;
}

GtkWidget *
_tandem_board_canvas_get_text_entry (TandemBoardCanvas *self)
{
  g_return_val_if_fail (TANDEM_IS_BOARD_CANVAS (self), NULL);
  return self->text_entry;
}
