/* tandem-whiteboard-view.c: one whiteboard with its toolbar
 *
 * The view owns the board's TandemBoardSync (frame pacing: the lowest
 * latency) and its canvas, and the "board" actions: undo and redo
 * (enabled from the sync's can-undo/can-redo), the tool, color and width
 * (property actions, so the toolbar's toggle buttons show the state), the
 * zoom, the exports (tandem-whiteboard-view-export.c) and Clear Board. The
 * toolbar scrolls sideways when the window is narrower than it.
 *
 * Each tool has a key of its own, as in painting apps (P pen, H
 * highlighter, L line, R rectangle, O ellipse, T text, E eraser), shown in
 * its button's tooltip and in the shortcuts window. They are the view's key
 * bindings, so they work with the focus anywhere in the view, but never
 * while text is typed: with the text tool's entry (or any other) focused,
 * the key is left to the text.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tandem-whiteboard-view"

#include "config.h"

#include <glib/gi18n.h>

#include "tandem-board-model.h"
#include "tandem-board-sync.h"
#include "tandem-confirm-dialog.h"
#include "tandem-dialog-slot.h"
#include "tandem-stroke.h"
#include "tandem-user-color.h"
#include "tandem-whiteboard-view-private.h"

#define ZOOM_STEP      1.25


G_DEFINE_FINAL_TYPE (TandemWhiteboardView, tandem_whiteboard_view, ADW_TYPE_BIN)

enum
{
  PROP_0,
  PROP_CLIENT,
  PROP_OUTBOX,
  PROP_BOARD_ID,
  PROP_TOOL,
  PROP_COLOR,
  PROP_STROKE_WIDTH,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* (The keys are also in src/app/shell/help-overlay.ui.) */
static const struct
{
  TandemTool  tool;
  const char *icon;
  const char *name;
  guint       keyval;
} tools[] = {
  { TANDEM_TOOL_PEN, "tandem-pen-symbolic", N_("Pen"), GDK_KEY_p },
  { TANDEM_TOOL_HIGHLIGHTER, "tandem-highlighter-symbolic", N_("Highlighter"), GDK_KEY_h },
  { TANDEM_TOOL_LINE, "tandem-line-symbolic", N_("Line"), GDK_KEY_l },
  { TANDEM_TOOL_RECTANGLE, "tandem-rectangle-symbolic", N_("Rectangle"), GDK_KEY_r },
  { TANDEM_TOOL_ELLIPSE, "tandem-ellipse-symbolic", N_("Ellipse"), GDK_KEY_o },
  { TANDEM_TOOL_TEXT, "tandem-text-symbolic", N_("Text"), GDK_KEY_t },
  { TANDEM_TOOL_ERASER, "tandem-eraser-symbolic", N_("Eraser"), GDK_KEY_e },
};

static const struct
{
  const char *color;
  const char *name;
} palette[] = {
  { "#1c1c1c", N_("Black") },
  { "#77767b", N_("Gray") },
  { "#e01b24", N_("Red") },
  { "#ff7800", N_("Orange") },
  { "#f6d32d", N_("Yellow") },
  { "#33d17a", N_("Green") },
  { "#3584e4", N_("Blue") },
  { "#9141ac", N_("Purple") },
};

static const struct
{
  double      width;
  const char *name;
} widths[] = {
  { 2, N_("Thin") },
  { 4, N_("Medium") },
  { 8, N_("Thick") },
  { 16, N_("Extra Thick") },
};

static const char *
tool_name (TandemTool tool)
{
  return tool == TANDEM_TOOL_ERASER ? "eraser" : tandem_tool_to_string (tool);
}

static gboolean
tool_from_name (const char *name,
                TandemTool *tool)
{
  if (g_strcmp0 (name, "eraser") == 0)
    {
      *tool = TANDEM_TOOL_ERASER;
      return TRUE;
    }
  return tandem_tool_from_string (name, tool);
}

void
_tandem_whiteboard_view_toast (TandemWhiteboardView *self,
                               const char           *message)
{
  adw_toast_overlay_add_toast (self->toasts, adw_toast_new (message));
}

GtkWindow *
_tandem_whiteboard_view_parent_window (TandemWhiteboardView *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  return GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL;
}

/* ---- actions ---- */

static void
undo_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  tandem_board_sync_undo (TANDEM_WHITEBOARD_VIEW (widget)->sync);
}

static void
redo_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  tandem_board_sync_redo (TANDEM_WHITEBOARD_VIEW (widget)->sync);
}

static void
clear_response_cb (AdwMessageDialog     *dialog,
                   const char           *response,
                   TandemWhiteboardView *self)
{
  if (g_str_equal (response, "clear") && self->sync != NULL)
    tandem_board_sync_clear (self->sync);
}

static void
clear_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  TandemWhiteboardView *self = TANDEM_WHITEBOARD_VIEW (widget);
  GtkWidget *dialog = tandem_confirm_dialog_new (_tandem_whiteboard_view_parent_window (self), _("Clear the Whiteboard?"),
                                                 _("Every stroke is erased for everyone. Undo brings them back."),
                                                 "clear", _("_Clear"));

  g_signal_connect_object (dialog, "response", G_CALLBACK (clear_response_cb), self, 0);
  tandem_dialog_slot_present (&self->dialog, dialog);
}

static void
zoom_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  TandemWhiteboardView *self = TANDEM_WHITEBOARD_VIEW (widget);
  double zoom = tandem_board_canvas_get_zoom (self->canvas);

  if (g_str_equal (action_name, "board.zoom-in"))
    zoom *= ZOOM_STEP;
  else if (g_str_equal (action_name, "board.zoom-out"))
    zoom /= ZOOM_STEP;
  else
    zoom = 1;
  tandem_board_canvas_set_zoom (self->canvas, CLAMP (zoom, TANDEM_BOARD_CANVAS_MIN_ZOOM, TANDEM_BOARD_CANVAS_MAX_ZOOM));
}

/* A tool's key (args: the tool's name). Not handled while text is typed,
 * so the key goes on to the text. */
static gboolean
tool_key_cb (GtkWidget *widget,
             GVariant  *args,
             gpointer   user_data)
{
  GtkRoot *root = gtk_widget_get_root (widget);
  GtkWidget *focus = root != NULL ? gtk_root_get_focus (root) : NULL;

  if (focus != NULL && (GTK_IS_EDITABLE (focus) || GTK_IS_TEXT_VIEW (focus)))
    return FALSE;
  return gtk_widget_activate_action_variant (widget, "board.tool", args);
}

static void
update_undo (TandemWhiteboardView *self)
{
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "board.undo", tandem_board_sync_get_can_undo (self->sync));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "board.redo", tandem_board_sync_get_can_redo (self->sync));
}

static void
update_zoom (TandemWhiteboardView *self)
{
  g_autofree char *label = g_strdup_printf (_("%.0f %%"), 100 * tandem_board_canvas_get_zoom (self->canvas));

  gtk_button_set_label (GTK_BUTTON (self->zoom_button), label);
}

/* ---- the toolbar ---- */

static void
draw_swatch (GtkDrawingArea *area,
             cairo_t        *cr,
             int             width,
             int             height,
             gpointer        user_data)
{
  const char *color = g_object_get_data (G_OBJECT (area), "tandem-color");
  double dot = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (area), "tandem-dot"));
  GdkRGBA rgba;

  if (color == NULL)
    {
      /* The current color's swatch. */
      TandemWhiteboardView *self = user_data;

      color = tandem_board_canvas_get_color (self->canvas);
    }
  if (!gdk_rgba_parse (&rgba, color))
    return;
  cairo_arc (cr, width / 2.0, height / 2.0, dot > 0 ? dot / 2 : MIN (width, height) / 2.0 - 1, 0, 2 * G_PI);
  gdk_cairo_set_source_rgba (cr, &rgba);
  cairo_fill_preserve (cr);
  cairo_set_source_rgba (cr, 0, 0, 0, 0.25);
  cairo_set_line_width (cr, 1);
  cairo_stroke (cr);
}

static GtkWidget *
swatch_new (TandemWhiteboardView *self,
            const char           *color,
            guint                 dot)
{
  GtkWidget *area = gtk_drawing_area_new ();

  gtk_drawing_area_set_content_width (GTK_DRAWING_AREA (area), 20);
  gtk_drawing_area_set_content_height (GTK_DRAWING_AREA (area), 20);
  g_object_set_data_full (G_OBJECT (area), "tandem-color", g_strdup (color), g_free);
  g_object_set_data (G_OBJECT (area), "tandem-dot", GUINT_TO_POINTER (dot));
  gtk_drawing_area_set_draw_func (GTK_DRAWING_AREA (area), draw_swatch, self, NULL);
  return area;
}

static GtkWidget *
flat_button (GtkWidget  *button,
             const char *icon,
             const char *tooltip,
             const char *action,
             GVariant   *target)
{
  if (icon != NULL)
    gtk_button_set_icon_name (GTK_BUTTON (button), icon);
  gtk_widget_set_tooltip_text (button, tooltip);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), action);
  if (target != NULL)
    gtk_actionable_set_action_target_value (GTK_ACTIONABLE (button), target);
  gtk_widget_add_css_class (button, "flat");
  return button;
}

static GtkWidget *
style_popover (TandemWhiteboardView *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *colors = gtk_grid_new ();
  GtkWidget *sizes = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);
  GtkWidget *popover = gtk_popover_new ();

  gtk_grid_set_column_homogeneous (GTK_GRID (colors), TRUE);
  for (guint i = 0; i < G_N_ELEMENTS (palette); i++)
    {
      GtkWidget *button = flat_button (gtk_toggle_button_new (), NULL, _(palette[i].name), "board.color",
                                       g_variant_new_string (palette[i].color));

      gtk_button_set_child (GTK_BUTTON (button), swatch_new (self, palette[i].color, 0));
      gtk_grid_attach (GTK_GRID (colors), button, i % 4, i / 4, 1, 1);
    }
  gtk_box_set_homogeneous (GTK_BOX (sizes), TRUE);
  for (guint i = 0; i < G_N_ELEMENTS (widths); i++)
    {
      GtkWidget *button = flat_button (gtk_toggle_button_new (), NULL, _(widths[i].name), "board.width",
                                       g_variant_new_double (widths[i].width));

      gtk_button_set_child (GTK_BUTTON (button), swatch_new (self, "#1c1c1c", 3 + 1.0 * i * 5));
      gtk_box_append (GTK_BOX (sizes), button);
    }
  gtk_box_append (GTK_BOX (box), colors);
  gtk_box_append (GTK_BOX (box), gtk_separator_new (GTK_ORIENTATION_HORIZONTAL));
  gtk_box_append (GTK_BOX (box), sizes);
  gtk_popover_set_child (GTK_POPOVER (popover), box);
  return popover;
}

static GtkWidget *
build_toolbar (TandemWhiteboardView *self)
{
  GtkWidget *bar = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 2);
  GtkWidget *scroller = gtk_scrolled_window_new ();
  GtkWidget *style_button = gtk_menu_button_new ();
  GtkWidget *menu_button = gtk_menu_button_new ();
  GtkWidget *spacer = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);
  g_autoptr(GMenu) menu = g_menu_new ();
  g_autoptr(GMenu) exports = g_menu_new ();

  gtk_widget_set_margin_start (bar, 6);
  gtk_widget_set_margin_end (bar, 6);
  gtk_widget_set_margin_top (bar, 6);
  gtk_widget_set_margin_bottom (bar, 6);
  gtk_accessible_update_property (GTK_ACCESSIBLE (bar), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Whiteboard Tools"), -1);

  for (guint i = 0; i < G_N_ELEMENTS (tools); i++)
    {
      g_autofree char *key = gtk_accelerator_get_label (tools[i].keyval, 0);
      /* Translators: a tool button's tooltip: the tool, then its key, as in "Pen (P)" */
      g_autofree char *tooltip = g_strdup_printf (_("%s (%s)"), _(tools[i].name), key);
      GtkWidget *button = flat_button (gtk_toggle_button_new (), tools[i].icon, tooltip, "board.tool",
                                       g_variant_new_string (tool_name (tools[i].tool)));

      gtk_accessible_update_property (GTK_ACCESSIBLE (button),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, _(tools[i].name),
                                      GTK_ACCESSIBLE_PROPERTY_KEY_SHORTCUTS, key,
                                      -1);
      gtk_box_append (GTK_BOX (bar), button);
    }

  self->color_swatch = swatch_new (self, NULL, 0);
  gtk_menu_button_set_child (GTK_MENU_BUTTON (style_button), self->color_swatch);
  gtk_menu_button_set_popover (GTK_MENU_BUTTON (style_button), style_popover (self));
  gtk_widget_set_tooltip_text (style_button, _("Color and Width"));
  gtk_widget_add_css_class (style_button, "flat");
  gtk_box_append (GTK_BOX (bar), style_button);

  gtk_box_append (GTK_BOX (bar), gtk_separator_new (GTK_ORIENTATION_VERTICAL));
  gtk_box_append (GTK_BOX (bar), flat_button (gtk_button_new (), "edit-undo-symbolic", _("Undo"), "board.undo", NULL));
  gtk_box_append (GTK_BOX (bar), flat_button (gtk_button_new (), "edit-redo-symbolic", _("Redo"), "board.redo", NULL));

  gtk_widget_set_hexpand (spacer, TRUE);
  gtk_box_append (GTK_BOX (bar), spacer);
  gtk_box_append (GTK_BOX (bar), flat_button (gtk_button_new (), "zoom-out-symbolic", _("Zoom Out"),
                                              "board.zoom-out", NULL));
  self->zoom_button = flat_button (gtk_button_new_with_label ("100 %"), NULL, _("Reset Zoom"), "board.zoom-reset", NULL);
  gtk_box_append (GTK_BOX (bar), self->zoom_button);
  gtk_box_append (GTK_BOX (bar), flat_button (gtk_button_new (), "zoom-in-symbolic", _("Zoom In"),
                                              "board.zoom-in", NULL));

  g_menu_append (exports, _("Export as _PNG…"), "board.export-png");
  g_menu_append (exports, _("Export as _SVG…"), "board.export-svg");
  g_menu_append_section (menu, NULL, G_MENU_MODEL (exports));
  g_menu_append (menu, _("_Clear Board…"), "board.clear");
  gtk_menu_button_set_menu_model (GTK_MENU_BUTTON (menu_button), G_MENU_MODEL (menu));
  gtk_menu_button_set_icon_name (GTK_MENU_BUTTON (menu_button), "open-menu-symbolic");
  gtk_widget_set_tooltip_text (menu_button, _("Whiteboard Menu"));
  gtk_widget_add_css_class (menu_button, "flat");
  gtk_box_append (GTK_BOX (bar), menu_button);

  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scroller), GTK_POLICY_EXTERNAL, GTK_POLICY_NEVER);
  gtk_scrolled_window_set_propagate_natural_height (GTK_SCROLLED_WINDOW (scroller), TRUE);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), bar);
  return scroller;
}

/* ---- GObject ---- */

static void
tandem_whiteboard_view_constructed (GObject *object)
{
  TandemWhiteboardView *self = TANDEM_WHITEBOARD_VIEW (object);
  TandemSession *session = tandem_auth_get_session (tandem_client_get_auth (self->client));
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);

  G_OBJECT_CLASS (tandem_whiteboard_view_parent_class)->constructed (object);

  self->sync = g_object_new (TANDEM_TYPE_BOARD_SYNC,
                             "client", self->client,
                             "outbox", self->outbox,
                             "board-id", self->board_id,
                             "pacing", TANDEM_BOARD_PACING_FRAME,
                             NULL);
  if (session != NULL)
    {
      const char *email = tandem_session_get_email (session);
      const char *user_id = tandem_session_get_user_id (session);

      if (email != NULL)
        {
          g_auto(GStrv) parts = g_strsplit (email, "@", 2);

          tandem_board_sync_set_user_name (self->sync, parts[0]);
        }
      if (user_id != NULL)
        tandem_board_sync_set_user_color (self->sync, tandem_user_color_hex (tandem_user_color_index (user_id)));
    }
  g_signal_connect_object (self->sync, "notify::can-undo", G_CALLBACK (update_undo), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->sync, "notify::can-redo", G_CALLBACK (update_undo), self, G_CONNECT_SWAPPED);

  self->canvas = TANDEM_BOARD_CANVAS (tandem_board_canvas_new (self->sync));
  gtk_widget_set_vexpand (GTK_WIDGET (self->canvas), TRUE);
  g_signal_connect_object (self->canvas, "notify::zoom", G_CALLBACK (update_zoom), self, G_CONNECT_SWAPPED);

  gtk_box_append (GTK_BOX (box), build_toolbar (self));
  gtk_box_append (GTK_BOX (box), gtk_separator_new (GTK_ORIENTATION_HORIZONTAL));
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->canvas));
  self->toasts = ADW_TOAST_OVERLAY (adw_toast_overlay_new ());
  adw_toast_overlay_set_child (self->toasts, box);
  adw_bin_set_child (ADW_BIN (self), GTK_WIDGET (self->toasts));

  update_undo (self);
  update_zoom (self);
  tandem_board_sync_start (self->sync);
}

static void
tandem_whiteboard_view_dispose (GObject *object)
{
  TandemWhiteboardView *self = TANDEM_WHITEBOARD_VIEW (object);

  g_cancellable_cancel (self->cancellable);
  if (self->dialog != NULL)
    gtk_window_destroy (self->dialog);
  g_clear_weak_pointer (&self->dialog);
  if (self->sync != NULL)
    tandem_board_sync_stop (self->sync);
  adw_bin_set_child (ADW_BIN (self), NULL);
  self->canvas = NULL;
  g_clear_object (&self->sync);
  g_clear_object (&self->outbox);
  g_clear_object (&self->client);

  G_OBJECT_CLASS (tandem_whiteboard_view_parent_class)->dispose (object);
}

static void
tandem_whiteboard_view_finalize (GObject *object)
{
  TandemWhiteboardView *self = TANDEM_WHITEBOARD_VIEW (object);

  g_clear_object (&self->cancellable);
  g_free (self->board_id);

  G_OBJECT_CLASS (tandem_whiteboard_view_parent_class)->finalize (object);
}

static void
tandem_whiteboard_view_get_property (GObject    *object,
                                     guint       prop_id,
                                     GValue     *value,
                                     GParamSpec *pspec)
{
  TandemWhiteboardView *self = TANDEM_WHITEBOARD_VIEW (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      g_value_set_object (value, self->client);
      break;
    case PROP_OUTBOX:
      g_value_set_object (value, self->outbox);
      break;
    case PROP_BOARD_ID:
      g_value_set_string (value, self->board_id);
      break;
    case PROP_TOOL:
      g_value_set_string (value, self->canvas ? tool_name (tandem_board_canvas_get_tool (self->canvas)) : "pen");
      break;
    case PROP_COLOR:
      g_value_set_string (value, self->canvas ? tandem_board_canvas_get_color (self->canvas) : NULL);
      break;
    case PROP_STROKE_WIDTH:
      g_value_set_double (value, self->canvas ? tandem_board_canvas_get_stroke_width (self->canvas) : 4);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tandem_whiteboard_view_set_property (GObject      *object,
                                     guint         prop_id,
                                     const GValue *value,
                                     GParamSpec   *pspec)
{
  TandemWhiteboardView *self = TANDEM_WHITEBOARD_VIEW (object);
  TandemTool tool;

  switch (prop_id)
    {
    case PROP_CLIENT:
      self->client = g_value_dup_object (value);
      break;
    case PROP_OUTBOX:
      self->outbox = g_value_dup_object (value);
      break;
    case PROP_BOARD_ID:
      self->board_id = g_value_dup_string (value);
      break;
    case PROP_TOOL:
      if (self->canvas != NULL && tool_from_name (g_value_get_string (value), &tool) &&
          tool != tandem_board_canvas_get_tool (self->canvas))
        {
          tandem_board_canvas_set_tool (self->canvas, tool);
          g_object_notify_by_pspec (object, pspec);
        }
      break;
    case PROP_COLOR:
      if (self->canvas != NULL && tandem_stroke_color_is_valid (g_value_get_string (value)) &&
          g_strcmp0 (g_value_get_string (value), tandem_board_canvas_get_color (self->canvas)) != 0)
        {
          tandem_board_canvas_set_color (self->canvas, g_value_get_string (value));
          gtk_widget_queue_draw (self->color_swatch);
          g_object_notify_by_pspec (object, pspec);
        }
      break;
    case PROP_STROKE_WIDTH:
      if (self->canvas != NULL && g_value_get_double (value) != tandem_board_canvas_get_stroke_width (self->canvas))
        {
          tandem_board_canvas_set_stroke_width (self->canvas, g_value_get_double (value));
          g_object_notify_by_pspec (object, pspec);
        }
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tandem_whiteboard_view_class_init (TandemWhiteboardViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GParamFlags construct = G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS;
  GParamFlags writable = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->constructed = tandem_whiteboard_view_constructed;
  object_class->dispose = tandem_whiteboard_view_dispose;
  object_class->finalize = tandem_whiteboard_view_finalize;
  object_class->get_property = tandem_whiteboard_view_get_property;
  object_class->set_property = tandem_whiteboard_view_set_property;

  properties[PROP_CLIENT] = g_param_spec_object ("client", NULL, NULL, TANDEM_TYPE_CLIENT, construct);
  properties[PROP_OUTBOX] = g_param_spec_object ("outbox", NULL, NULL, TANDEM_TYPE_OUTBOX, construct);
  properties[PROP_BOARD_ID] = g_param_spec_string ("board-id", NULL, NULL, NULL, construct);
  /* The tool by its name ("pen", …, "eraser"): the board.tool action. */
  properties[PROP_TOOL] = g_param_spec_string ("tool", NULL, NULL, "pen", writable);
  properties[PROP_COLOR] = g_param_spec_string ("color", NULL, NULL, "#1c1c1c", writable);
  properties[PROP_STROKE_WIDTH] = g_param_spec_double ("stroke-width", NULL, NULL, 0.5, TANDEM_STROKE_MAX_WIDTH, 4,
                                                       writable);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_install_action (widget_class, "board.undo", NULL, undo_action);
  gtk_widget_class_install_action (widget_class, "board.redo", NULL, redo_action);
  gtk_widget_class_install_action (widget_class, "board.clear", NULL, clear_action);
  gtk_widget_class_install_action (widget_class, "board.export-png", NULL, _tandem_whiteboard_view_export_png_action);
  gtk_widget_class_install_action (widget_class, "board.export-svg", NULL, _tandem_whiteboard_view_export_svg_action);
  gtk_widget_class_install_action (widget_class, "board.zoom-in", NULL, zoom_action);
  gtk_widget_class_install_action (widget_class, "board.zoom-out", NULL, zoom_action);
  gtk_widget_class_install_action (widget_class, "board.zoom-reset", NULL, zoom_action);
  gtk_widget_class_install_property_action (widget_class, "board.tool", "tool");
  gtk_widget_class_install_property_action (widget_class, "board.color", "color");
  gtk_widget_class_install_property_action (widget_class, "board.width", "stroke-width");

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_z, GDK_CONTROL_MASK, "board.undo", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_z, GDK_CONTROL_MASK | GDK_SHIFT_MASK, "board.redo", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Z, GDK_CONTROL_MASK | GDK_SHIFT_MASK, "board.redo", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_plus, GDK_CONTROL_MASK, "board.zoom-in", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_equal, GDK_CONTROL_MASK, "board.zoom-in", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_minus, GDK_CONTROL_MASK, "board.zoom-out", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_0, GDK_CONTROL_MASK, "board.zoom-reset", NULL);
  for (guint i = 0; i < G_N_ELEMENTS (tools); i++)
    gtk_widget_class_add_binding (widget_class, tools[i].keyval, 0, tool_key_cb, "s", tool_name (tools[i].tool));
}

static void
tandem_whiteboard_view_init (TandemWhiteboardView *self)
{
  static gsize icons_added;

  self->cancellable = g_cancellable_new ();
  /* The tool icons are the folder's own. */
  if (g_once_init_enter (&icons_added))
    {
      GdkDisplay *display = gdk_display_get_default ();

      if (display != NULL)
        gtk_icon_theme_add_resource_path (gtk_icon_theme_get_for_display (display), "/org/gnome/Tandem/whiteboards/icons");
      g_once_init_leave (&icons_added, 1);
    }
}

GtkWidget *
tandem_whiteboard_view_new (TandemClient *client,
                            TandemOutbox *outbox,
                            const char   *board_id)
{
  g_return_val_if_fail (TANDEM_IS_CLIENT (client), NULL);
  g_return_val_if_fail (outbox == NULL || TANDEM_IS_OUTBOX (outbox), NULL);
  g_return_val_if_fail (board_id != NULL && g_uuid_string_is_valid (board_id), NULL);

  return g_object_new (TANDEM_TYPE_WHITEBOARD_VIEW,
                       "client", client,
                       "outbox", outbox,
                       "board-id", board_id,
                       NULL);
}

TandemBoardSync *
tandem_whiteboard_view_get_sync (TandemWhiteboardView *self)
{
  g_return_val_if_fail (TANDEM_IS_WHITEBOARD_VIEW (self), NULL);
  return self->sync;
}

TandemBoardCanvas *
tandem_whiteboard_view_get_canvas (TandemWhiteboardView *self)
{
  g_return_val_if_fail (TANDEM_IS_WHITEBOARD_VIEW (self), NULL);
  return self->canvas;
}

const char *
tandem_whiteboard_view_get_board_id (TandemWhiteboardView *self)
{
  g_return_val_if_fail (TANDEM_IS_WHITEBOARD_VIEW (self), NULL);
  return self->board_id;
}
