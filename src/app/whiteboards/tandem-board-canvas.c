/* tandem-board-canvas.c: the widget that shows and draws on a whiteboard
 *
 * The widget's state, zoom and pan, and its properties. What it draws
 * (the strokes mirrored from the model, cached in tiles, the remote
 * cursors) is in tandem-board-canvas-draw.c; input (pointer, stylus,
 * pinch, scroll, keys, the text popover) in tandem-board-canvas-input.c.
 *
 * Coordinates: board = widget / zoom + origin.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tandem-board-canvas"

#include "config.h"

#include <glib/gi18n.h>

#include "tandem-board-canvas-private.h"
#include "tandem-board-model.h"
#include "tandem-board-sync.h"
#include "tandem-stroke.h"

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

static void
tandem_board_canvas_snapshot (GtkWidget   *widget,
                              GtkSnapshot *snapshot)
{
  _tandem_board_canvas_snapshot_board (TANDEM_BOARD_CANVAS (widget), snapshot,
                                       gtk_widget_get_width (widget), gtk_widget_get_height (widget));
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
    {
      _tandem_board_canvas_zoom_changed (self);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ZOOM]);
    }
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
  _tandem_board_canvas_dispose_drawing (self);
  g_clear_object (&self->sync);
  g_clear_object (&self->model);

  G_OBJECT_CLASS (tandem_board_canvas_parent_class)->dispose (object);
}

static void
tandem_board_canvas_finalize (GObject *object)
{
  TandemBoardCanvas *self = TANDEM_BOARD_CANVAS (object);

  _tandem_board_canvas_finalize_drawing (self);
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
        _tandem_board_canvas_set_model (self, tandem_board_sync_get_model (self->sync));
      _tandem_board_canvas_follow_cursors (self);
    }
  else if (self->model == NULL)
    {
      g_autoptr(TandemBoardModel) model = tandem_board_model_new ();

      _tandem_board_canvas_set_model (self, model);
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
        _tandem_board_canvas_set_model (self, g_value_get_object (value));
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
  _tandem_board_canvas_init_drawing (self);
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
