/* tandem-board-canvas-input.c: drawing, erasing, zooming and panning on
 * the canvas with the pointer, a stylus (pressure), a touchpad pinch, the
 * scroll wheel and the keyboard, and the text tool's popover
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tandem-board-canvas"

#include "config.h"

#include <math.h>

#include <glib/gi18n.h>

#include "tandem-board-canvas-private.h"
#include "tandem-board-model.h"
#include "tandem-board-sync.h"
#include "tandem-stroke.h"

/* The eraser's reach and the least move that adds a point, in pixels. */
#define ERASER_RADIUS_PX 8.0
#define MIN_STEP_PX      1.0
#define ZOOM_STEP        1.25
#define PAN_STEP_PX      48.0

/* ---- drawing with the pointer ---- */

static gboolean
far_enough (TandemBoardCanvas *self,
            double             x,
            double             y)
{
  return hypot (x - self->last_x, y - self->last_y) >= MIN_STEP_PX;
}

static void
show_text_popover (TandemBoardCanvas *self,
                   double             x,
                   double             y)
{
  tandem_board_canvas_widget_to_board (self, x, y, &self->text_x, &self->text_y);
  gtk_editable_set_text (GTK_EDITABLE (self->text_entry), "");
  gtk_popover_set_pointing_to (GTK_POPOVER (self->text_popover), &(GdkRectangle) { (int) x, (int) y, 1, 1 });
  gtk_popover_popup (GTK_POPOVER (self->text_popover));
  gtk_widget_grab_focus (self->text_entry);
}

/* A text's size follows the width chosen, readable at the present zoom. */
static double
text_size (TandemBoardCanvas *self)
{
  return (16 + 2 * self->stroke_width) / self->zoom;
}

static void
text_activate_cb (TandemBoardCanvas *self,
                  GtkEntry          *entry)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (entry));

  if (self->sync != NULL && *text != '\0')
    tandem_board_sync_add_text (self->sync, self->text_x, self->text_y, text, self->color,
                                MIN (text_size (self), TANDEM_STROKE_MAX_WIDTH));
  gtk_popover_popdown (GTK_POPOVER (self->text_popover));
  gtk_widget_grab_focus (GTK_WIDGET (self));
}

void
_tandem_board_canvas_pointer_down (TandemBoardCanvas *self,
                                   double             x,
                                   double             y,
                                   double             pressure)
{
  double bx, by;

  g_return_if_fail (TANDEM_IS_BOARD_CANVAS (self));

  gtk_widget_grab_focus (GTK_WIDGET (self));
  if (self->sync == NULL)
    return;
  tandem_board_canvas_widget_to_board (self, x, y, &bx, &by);
  self->last_x = x;
  self->last_y = y;
  switch (self->tool)
    {
    case TANDEM_TOOL_TEXT:
      show_text_popover (self, x, y);
      break;
    case TANDEM_TOOL_ERASER:
      self->erasing = TRUE;
      tandem_board_sync_erase_at (self->sync, bx, by, ERASER_RADIUS_PX / self->zoom, FALSE);
      break;
    case TANDEM_TOOL_PEN:
    case TANDEM_TOOL_HIGHLIGHTER:
    case TANDEM_TOOL_LINE:
    case TANDEM_TOOL_RECTANGLE:
    case TANDEM_TOOL_ELLIPSE:
    default:
      self->drawing = TRUE;
      tandem_board_sync_begin_stroke (self->sync, self->tool, self->color, self->stroke_width, bx, by,
                                      CLAMP (pressure, 0, 1));
      break;
    }
}

void
_tandem_board_canvas_pointer_move (TandemBoardCanvas *self,
                                   double             x,
                                   double             y,
                                   double             pressure)
{
  double bx, by;

  g_return_if_fail (TANDEM_IS_BOARD_CANVAS (self));

  if (self->sync == NULL || (!self->drawing && !self->erasing) || !far_enough (self, x, y))
    return;
  tandem_board_canvas_widget_to_board (self, x, y, &bx, &by);
  self->last_x = x;
  self->last_y = y;
  if (self->erasing)
    tandem_board_sync_erase_at (self->sync, bx, by, ERASER_RADIUS_PX / self->zoom, TRUE);
  else
    tandem_board_sync_extend_stroke (self->sync, bx, by, CLAMP (pressure, 0, 1));
}

void
_tandem_board_canvas_pointer_up (TandemBoardCanvas *self,
                                 double             x,
                                 double             y,
                                 double             pressure)
{
  g_return_if_fail (TANDEM_IS_BOARD_CANVAS (self));

  _tandem_board_canvas_pointer_move (self, x, y, pressure);
  if (self->drawing && self->sync != NULL)
    tandem_board_sync_end_stroke (self->sync);
  self->drawing = FALSE;
  self->erasing = FALSE;
}

/* ---- gestures ---- */

/* The pressure of the event being handled (1 without the axis). */
static double
event_pressure (GtkEventController *controller)
{
  GdkEvent *event = gtk_event_controller_get_current_event (controller);
  double pressure;

  if (event != NULL && gdk_event_get_axis (event, GDK_AXIS_PRESSURE, &pressure))
    return pressure;
  return 1;
}

/* A pen's events are the stylus gesture's. */
static gboolean
event_is_stylus (GtkEventController *controller)
{
  GdkEvent *event = gtk_event_controller_get_current_event (controller);
  GdkDevice *device = event != NULL ? gdk_event_get_device (event) : NULL;

  return device != NULL && gdk_device_get_source (device) == GDK_SOURCE_PEN;
}

static void
drag_begin_cb (TandemBoardCanvas *self,
               double             x,
               double             y,
               GtkGestureDrag    *gesture)
{
  self->drag_x = x;
  self->drag_y = y;
  self->drag_ignored = event_is_stylus (GTK_EVENT_CONTROLLER (gesture));
  if (self->drag_ignored)
    return;
  if (self->space_down)
    {
      self->panning = TRUE;
      self->pan_origin_x = self->origin_x;
      self->pan_origin_y = self->origin_y;
      return;
    }
  _tandem_board_canvas_pointer_down (self, x, y, event_pressure (GTK_EVENT_CONTROLLER (gesture)));
}

static void
drag_update_cb (TandemBoardCanvas *self,
                double             dx,
                double             dy,
                GtkGestureDrag    *gesture)
{
  if (self->drag_ignored)
    return;
  if (self->panning)
    {
      _tandem_board_canvas_set_view (self, self->zoom, self->pan_origin_x - dx / self->zoom, self->pan_origin_y - dy / self->zoom);
      return;
    }
  _tandem_board_canvas_pointer_move (self, self->drag_x + dx, self->drag_y + dy,
                                     event_pressure (GTK_EVENT_CONTROLLER (gesture)));
}

static void
drag_end_cb (TandemBoardCanvas *self,
             double             dx,
             double             dy,
             GtkGestureDrag    *gesture)
{
  if (self->drag_ignored)
    return;
  if (self->panning)
    {
      self->panning = FALSE;
      return;
    }
  _tandem_board_canvas_pointer_up (self, self->drag_x + dx, self->drag_y + dy,
                                   event_pressure (GTK_EVENT_CONTROLLER (gesture)));
}

static void
pan_begin_cb (TandemBoardCanvas *self,
              double             x,
              double             y,
              GtkGestureDrag    *gesture)
{
  self->pan_origin_x = self->origin_x;
  self->pan_origin_y = self->origin_y;
}

static void
pan_update_cb (TandemBoardCanvas *self,
               double             dx,
               double             dy,
               GtkGestureDrag    *gesture)
{
  _tandem_board_canvas_set_view (self, self->zoom, self->pan_origin_x - dx / self->zoom, self->pan_origin_y - dy / self->zoom);
}

static double
stylus_pressure (GtkGestureStylus *gesture)
{
  double pressure;

  if (gtk_gesture_stylus_get_axis (gesture, GDK_AXIS_PRESSURE, &pressure))
    return pressure;
  return 1;
}

static void
stylus_down_cb (TandemBoardCanvas *self,
                double             x,
                double             y,
                GtkGestureStylus  *gesture)
{
  GdkDeviceTool *tool = gtk_gesture_stylus_get_device_tool (gesture);
  TandemTool chosen = self->tool;

  /* The pen's other end erases, whatever the tool. */
  if (tool != NULL && gdk_device_tool_get_tool_type (tool) == GDK_DEVICE_TOOL_TYPE_ERASER)
    self->tool = TANDEM_TOOL_ERASER;
  _tandem_board_canvas_pointer_down (self, x, y, stylus_pressure (gesture));
  self->tool = chosen;
}

static void
stylus_motion_cb (TandemBoardCanvas *self,
                  double             x,
                  double             y,
                  GtkGestureStylus  *gesture)
{
  _tandem_board_canvas_pointer_move (self, x, y, stylus_pressure (gesture));
}

static void
stylus_up_cb (TandemBoardCanvas *self,
              double             x,
              double             y,
              GtkGestureStylus  *gesture)
{
  _tandem_board_canvas_pointer_up (self, x, y, stylus_pressure (gesture));
}

static void
pinch_begin_cb (TandemBoardCanvas *self,
                GdkEventSequence  *sequence,
                GtkGesture        *gesture)
{
  double x, y;

  if (!gtk_gesture_get_bounding_box_center (gesture, &x, &y))
    {
      x = gtk_widget_get_width (GTK_WIDGET (self)) / 2.0;
      y = gtk_widget_get_height (GTK_WIDGET (self)) / 2.0;
    }
  self->pinch_zoom = self->zoom;
  tandem_board_canvas_widget_to_board (self, x, y, &self->pinch_board_x, &self->pinch_board_y);
}

static void
pinch_scale_changed_cb (TandemBoardCanvas *self,
                        double             scale,
                        GtkGestureZoom    *gesture)
{
  double x, y, zoom;

  if (!gtk_gesture_get_bounding_box_center (GTK_GESTURE (gesture), &x, &y))
    return;
  /* The board point between the fingers stays between them. */
  zoom = CLAMP (self->pinch_zoom * scale, TANDEM_BOARD_CANVAS_MIN_ZOOM, TANDEM_BOARD_CANVAS_MAX_ZOOM);
  _tandem_board_canvas_set_view (self, zoom, self->pinch_board_x - x / zoom, self->pinch_board_y - y / zoom);
}

static gboolean
scroll_cb (TandemBoardCanvas        *self,
           double                    dx,
           double                    dy,
           GtkEventControllerScroll *controller)
{
  GdkModifierType state = gtk_event_controller_get_current_event_state (GTK_EVENT_CONTROLLER (controller));
  gboolean wheel = gtk_event_controller_scroll_get_unit (controller) == GDK_SCROLL_UNIT_WHEEL;
  double x = self->has_pointer ? self->pointer_x : gtk_widget_get_width (GTK_WIDGET (self)) / 2.0;
  double y = self->has_pointer ? self->pointer_y : gtk_widget_get_height (GTK_WIDGET (self)) / 2.0;

  if (state & GDK_CONTROL_MASK)
    tandem_board_canvas_zoom_at (self, wheel ? pow (1.1, -dy) : exp (-dy / 100.0), x, y);
  else
    tandem_board_canvas_pan (self, wheel ? dx * PAN_STEP_PX : dx, wheel ? dy * PAN_STEP_PX : dy);
  return TRUE;
}

static void
motion_cb (TandemBoardCanvas        *self,
           double                    x,
           double                    y,
           GtkEventControllerMotion *controller)
{
  double bx, by;

  self->pointer_x = x;
  self->pointer_y = y;
  self->has_pointer = TRUE;
  if (self->sync == NULL)
    return;
  tandem_board_canvas_widget_to_board (self, x, y, &bx, &by);
  tandem_board_sync_move_cursor (self->sync, bx, by);
}

static void
leave_cb (TandemBoardCanvas        *self,
          GtkEventControllerMotion *controller)
{
  self->has_pointer = FALSE;
}

static gboolean
key_pressed_cb (TandemBoardCanvas     *self,
                guint                  keyval,
                guint                  keycode,
                GdkModifierType        state,
                GtkEventControllerKey *controller)
{
  double cx = gtk_widget_get_width (GTK_WIDGET (self)) / 2.0;
  double cy = gtk_widget_get_height (GTK_WIDGET (self)) / 2.0;

  if (state & (GDK_CONTROL_MASK | GDK_ALT_MASK))
    return FALSE;
  switch (keyval)
    {
    case GDK_KEY_space:
      self->space_down = TRUE;
      return TRUE;
    case GDK_KEY_plus:
    case GDK_KEY_equal:
    case GDK_KEY_KP_Add:
      tandem_board_canvas_zoom_at (self, ZOOM_STEP, cx, cy);
      return TRUE;
    case GDK_KEY_minus:
    case GDK_KEY_KP_Subtract:
      tandem_board_canvas_zoom_at (self, 1 / ZOOM_STEP, cx, cy);
      return TRUE;
    case GDK_KEY_0:
    case GDK_KEY_KP_0:
      tandem_board_canvas_set_zoom (self, 1);
      return TRUE;
    case GDK_KEY_Left:
      tandem_board_canvas_pan (self, -PAN_STEP_PX, 0);
      return TRUE;
    case GDK_KEY_Right:
      tandem_board_canvas_pan (self, PAN_STEP_PX, 0);
      return TRUE;
    case GDK_KEY_Up:
      tandem_board_canvas_pan (self, 0, -PAN_STEP_PX);
      return TRUE;
    case GDK_KEY_Down:
      tandem_board_canvas_pan (self, 0, PAN_STEP_PX);
      return TRUE;
    default:
      return FALSE;
    }
}

static void
key_released_cb (TandemBoardCanvas     *self,
                 guint                  keyval,
                 guint                  keycode,
                 GdkModifierType        state,
                 GtkEventControllerKey *controller)
{
  if (keyval == GDK_KEY_space)
    self->space_down = FALSE;
}

void
_tandem_board_canvas_init_input (TandemBoardCanvas *self)
{
  GtkEventController *controller;
  GtkGesture *gesture;

  /* Drawing: the stylus with its pressure; any other pointer by drag. */
  gesture = gtk_gesture_stylus_new ();
  g_signal_connect_object (gesture, "down", G_CALLBACK (stylus_down_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (gesture, "motion", G_CALLBACK (stylus_motion_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (gesture, "up", G_CALLBACK (stylus_up_cb), self, G_CONNECT_SWAPPED);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (gesture));

  gesture = gtk_gesture_drag_new ();
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (gesture), GDK_BUTTON_PRIMARY);
  g_signal_connect_object (gesture, "drag-begin", G_CALLBACK (drag_begin_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (gesture, "drag-update", G_CALLBACK (drag_update_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (gesture, "drag-end", G_CALLBACK (drag_end_cb), self, G_CONNECT_SWAPPED);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (gesture));
  self->drag = gesture;

  /* Panning: the middle button (or space and the primary, above). */
  gesture = gtk_gesture_drag_new ();
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (gesture), GDK_BUTTON_MIDDLE);
  g_signal_connect_object (gesture, "drag-begin", G_CALLBACK (pan_begin_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (gesture, "drag-update", G_CALLBACK (pan_update_cb), self, G_CONNECT_SWAPPED);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (gesture));

  gesture = gtk_gesture_zoom_new ();
  g_signal_connect_object (gesture, "begin", G_CALLBACK (pinch_begin_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (gesture, "scale-changed", G_CALLBACK (pinch_scale_changed_cb), self, G_CONNECT_SWAPPED);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (gesture));

  controller = gtk_event_controller_scroll_new (GTK_EVENT_CONTROLLER_SCROLL_BOTH_AXES);
  g_signal_connect_object (controller, "scroll", G_CALLBACK (scroll_cb), self, G_CONNECT_SWAPPED);
  gtk_widget_add_controller (GTK_WIDGET (self), controller);

  controller = gtk_event_controller_motion_new ();
  g_signal_connect_object (controller, "motion", G_CALLBACK (motion_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (controller, "leave", G_CALLBACK (leave_cb), self, G_CONNECT_SWAPPED);
  gtk_widget_add_controller (GTK_WIDGET (self), controller);

  controller = gtk_event_controller_key_new ();
  g_signal_connect_object (controller, "key-pressed", G_CALLBACK (key_pressed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (controller, "key-released", G_CALLBACK (key_released_cb), self, G_CONNECT_SWAPPED);
  gtk_widget_add_controller (GTK_WIDGET (self), controller);

  /* The text tool asks for its text where one clicked. */
  self->text_popover = gtk_popover_new ();
  self->text_entry = gtk_entry_new ();
  gtk_entry_set_placeholder_text (GTK_ENTRY (self->text_entry), _("Text"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->text_entry), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Text"), -1);
  g_signal_connect_object (self->text_entry, "activate", G_CALLBACK (text_activate_cb), self, G_CONNECT_SWAPPED);
  gtk_popover_set_child (GTK_POPOVER (self->text_popover), self->text_entry);
  gtk_widget_set_parent (self->text_popover, GTK_WIDGET (self));
}
