/* test-whiteboard-view.c: the Whiteboards UI with real widgets (under
 * Xvfb, GSK_RENDERER=cairo) against a throwaway PostgreSQL and
 * tandem-server
 *
 * A TandemWhiteboardView in a window on a board, drawn on through the
 * canvas's own drag gesture (its signals emitted as GTK would): the
 * strokes in the canvas's model have the tool, color and width chosen
 * through the board actions and the points of the pointer mapped to the
 * board; a second client (a bare TandemBoardSync) gets the same strokes;
 * the eraser and undo reach it too; the PNG exports of both clients are
 * the same pixels; a remote cursor shows; a screenshot of the view is
 * saved ($TANDEM_TEST_SCREENSHOT). The tools' keys choose the tool, but
 * not while the text tool's entry has the focus; the tooltips and the
 * shortcuts window show them. (The Whiteboards page is
 * test-whiteboards-page.c.)
 *
 * Every wait is on a condition, with generous bounds.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <string.h>

#include "tandem.h"
#include "tandem-board-canvas-private.h"
#include "tandem-board-model.h"
#include "tandem-board-render.h"
#include "tandem-board-sync.h"
#include "tandem-stroke.h"
#include "tandem-test-client.h"
#include "tandem-whiteboard-view.h"
#include "tandem-test-pg.h"
#include "tandem-test-server.h"
#include "tandem-test-utils.h"

#define TIMEOUT_MS 30000

static TandemTestPg *pg;
static TandemTestServer *server;
static char *tmpdir;

/* ---- helpers ---- */

static TandemClient *
signed_in_client (void)
{
  return tandem_test_client_new_signed_up (tandem_test_server_get_url (server), tandem_test_server_get_anon_key (server),
                                           "wb", TIMEOUT_MS, NULL);
}

static char *
create_board (const char *name)
{
  g_autofree char *sql = g_strdup_printf ("INSERT INTO public.whiteboards (name) VALUES ('%s') RETURNING id", name);
  PGresult *result = tandem_test_pg_query (pg, sql);
  char *id = g_strdup (PQgetvalue (result, 0, 0));

  PQclear (result);
  return id;
}

static TandemOutbox *
outbox_for (TandemClient *client,
            const char   *name)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (tmpdir, name, NULL);
  TandemOutbox *outbox = tandem_outbox_new (client, path, &error);

  g_assert_no_error (error);
  return outbox;
}

/* What a canvas draws: every stroke with its points. */
static char *
picture (TandemBoardModel *model)
{
  g_autoptr(GString) text = g_string_new (NULL);
  guint n = g_list_model_get_n_items (G_LIST_MODEL (model));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(TandemStroke) stroke = g_list_model_get_item (G_LIST_MODEL (model), i);
      guint n_points;
      const TandemPoint *p = tandem_stroke_get_points (stroke, &n_points);

      g_string_append_printf (text, "%s %s %s %g %s:", tandem_stroke_get_id (stroke),
                              tandem_tool_to_string (tandem_stroke_get_tool (stroke)),
                              tandem_stroke_get_color (stroke), tandem_stroke_get_width (stroke),
                              tandem_stroke_get_text (stroke) ? tandem_stroke_get_text (stroke) : "-");
      for (guint j = 0; j < n_points; j++)
        g_string_append_printf (text, " %g,%g,%g", p[j].x, p[j].y, p[j].pressure);
      g_string_append_c (text, '\n');
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static gboolean
same_picture (TandemBoardModel *a,
              TandemBoardModel *b,
              guint             n_strokes)
{
  g_autofree char *pa = NULL;
  g_autofree char *pb = NULL;

  if (g_list_model_get_n_items (G_LIST_MODEL (a)) != n_strokes ||
      g_list_model_get_n_items (G_LIST_MODEL (b)) != n_strokes)
    return FALSE;
  pa = picture (a);
  pb = picture (b);
  return g_str_equal (pa, pb);
}

static void
assert_same_picture (TandemBoardModel *a,
                     TandemBoardModel *b,
                     guint             n_strokes)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) TIMEOUT_MS * 1000;

  while (!same_picture (a, b, n_strokes))
    {
      if (g_get_monotonic_time () > deadline)
        {
          g_autofree char *pa = picture (a);
          g_autofree char *pb = picture (b);

          g_error ("the boards differ (want %u strokes):\n%s\n---\n%s", n_strokes, pa, pb);
        }
      g_main_context_iteration (NULL, FALSE);
      g_usleep (500);
    }
}

/* A drag on the canvas as GTK delivers one: begin, updates, end. */
static void
drag (TandemBoardCanvas *canvas,
      double             x0,
      double             y0,
      double             x1,
      double             y1,
      guint              steps)
{
  GtkGesture *gesture = _tandem_board_canvas_get_drag_gesture (canvas);

  g_signal_emit_by_name (gesture, "drag-begin", x0, y0);
  for (guint i = 1; i <= steps; i++)
    {
      g_signal_emit_by_name (gesture, "drag-update", (x1 - x0) * i / steps, (y1 - y0) * i / steps);
      g_main_context_iteration (NULL, FALSE);
    }
  g_signal_emit_by_name (gesture, "drag-end", x1 - x0, y1 - y0);
}

static TandemStroke *
stroke_at (TandemBoardModel *model,
           guint             position)
{
  TandemStroke *stroke = g_list_model_get_item (G_LIST_MODEL (model), position);

  /* The model keeps it alive. */
  g_object_unref (stroke);
  return stroke;
}

static void
assert_board_point (TandemBoardCanvas *canvas,
                    const TandemPoint *point,
                    double             widget_x,
                    double             widget_y)
{
  double bx, by;

  tandem_board_canvas_widget_to_board (canvas, widget_x, widget_y, &bx, &by);
  g_assert_cmpfloat_with_epsilon (point->x, bx, 1e-9);
  g_assert_cmpfloat_with_epsilon (point->y, by, 1e-9);
}

static GdkTexture *
render (TandemBoardModel *model)
{
  g_autoptr(GError) error = NULL;
  GdkTexture *texture = tandem_board_render_texture (model, 16, 1, &error);

  g_assert_no_error (error);
  g_assert_nonnull (texture);
  return texture;
}

static GBytes *
download (GdkTexture *texture)
{
  gsize stride = gdk_texture_get_width (texture) * 4;
  gsize size = stride * gdk_texture_get_height (texture);
  guchar *data = g_malloc (size);

  gdk_texture_download (texture, data, stride);
  return g_bytes_new_take (data, size);
}

static guint
count_non_white (GBytes *pixels)
{
  gsize size;
  const guint32 *p = g_bytes_get_data (pixels, &size);
  guint n = 0;

  for (gsize i = 0; i < size / 4; i++)
    if (p[i] != 0xffffffff)
      n++;
  return n;
}

static void
save_screenshot (GtkWidget *widget)
{
  const char *env = g_getenv ("TANDEM_TEST_SCREENSHOT");
  g_autofree char *path = env ? g_strdup (env) : g_test_build_filename (G_TEST_BUILT, "whiteboard.png", NULL);
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GtkSnapshot) snapshot = NULL;
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autoptr(GdkTexture) loaded = NULL;
  g_autoptr(GError) error = NULL;
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);

  g_assert_cmpint (width, >, 0);
  g_assert_cmpint (height, >, 0);
  paintable = gtk_widget_paintable_new (widget);
  snapshot = gtk_snapshot_new ();
  gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot), width, height);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  g_assert_nonnull (node);
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (gtk_widget_get_native (widget)), node,
                                         &GRAPHENE_RECT_INIT (0, 0, width, height));
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("screenshot: %s (%d × %d)", path, width, height);
  loaded = gdk_texture_new_from_filename (path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (gdk_texture_get_width (loaded), ==, width);
}

/* ---- a board's view ---- */

static void
test_view (void)
{
  g_autoptr(TandemClient) a = signed_in_client ();
  g_autoptr(TandemClient) b = signed_in_client ();
  g_autoptr(TandemOutbox) a_outbox = outbox_for (a, "a.db");
  g_autoptr(TandemOutbox) b_outbox = outbox_for (b, "b.db");
  g_autofree char *board = create_board ("View test");
  g_autoptr(TandemBoardSync) peer = tandem_board_sync_new (b, b_outbox, board, NULL);
  GtkWindow *window = GTK_WINDOW (gtk_window_new ());
  TandemWhiteboardView *view = TANDEM_WHITEBOARD_VIEW (tandem_whiteboard_view_new (a, a_outbox, board));
  TandemBoardCanvas *canvas = tandem_whiteboard_view_get_canvas (view);
  TandemBoardModel *model = tandem_board_canvas_get_model (canvas);
  TandemBoardModel *peer_model = tandem_board_sync_get_model (peer);
  g_autoptr(GdkTexture) a_png = NULL;
  g_autoptr(GdkTexture) b_png = NULL;
  g_autoptr(GdkTexture) exported = NULL;
  g_autoptr(GBytes) a_pixels = NULL;
  g_autoptr(GBytes) b_pixels = NULL;
  g_autoptr(GBytes) exported_pixels = NULL;
  g_autoptr(GFile) png_file = NULL;
  g_autoptr(GFile) svg_file = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *svg = NULL;
  g_autofree char *png_path = g_build_filename (tmpdir, "board.png", NULL);
  g_autofree char *svg_path = g_build_filename (tmpdir, "board.svg", NULL);
  g_autofree char *rect_id = NULL;
  TandemStroke *stroke;
  const TandemPoint *p;
  guint n_points;
  double x, y;

  g_assert_true (tandem_whiteboard_view_get_sync (view) != NULL);
  gtk_window_set_default_size (window, 960, 640);
  gtk_window_set_child (window, GTK_WIDGET (view));
  gtk_window_present (window);
  tandem_board_sync_start (peer);
  TANDEM_WAIT_UNTIL_TIMEOUT (tandem_board_sync_get_loaded (tandem_whiteboard_view_get_sync (view)), TIMEOUT_MS);
  TANDEM_WAIT_UNTIL_TIMEOUT (tandem_board_sync_get_loaded (peer), TIMEOUT_MS);
  TANDEM_WAIT_UNTIL_TIMEOUT (gtk_widget_get_width (GTK_WIDGET (canvas)) > 400, TIMEOUT_MS);
  g_assert_true (gtk_widget_get_focusable (GTK_WIDGET (canvas)));
  g_assert_cmpint (gtk_accessible_get_accessible_role (GTK_ACCESSIBLE (canvas)), ==, GTK_ACCESSIBLE_ROLE_IMG);

  /* Board ↔ widget at a zoom and an offset. */
  tandem_board_canvas_set_zoom (canvas, 2);
  tandem_board_canvas_set_origin (canvas, 10, 20);
  tandem_board_canvas_widget_to_board (canvas, 100, 100, &x, &y);
  g_assert_cmpfloat (x, ==, 60);
  g_assert_cmpfloat (y, ==, 70);
  tandem_board_canvas_board_to_widget (canvas, 60, 70, &x, &y);
  g_assert_cmpfloat (x, ==, 100);
  g_assert_cmpfloat (y, ==, 100);

  /* A pen stroke, point by point. */
  gtk_widget_activate_action (GTK_WIDGET (view), "board.tool", "s", "pen");
  gtk_widget_activate_action (GTK_WIDGET (view), "board.color", "s", "#3584e4");
  gtk_widget_activate_action (GTK_WIDGET (view), "board.width", "d", 8.0);
  g_assert_cmpint (tandem_board_canvas_get_tool (canvas), ==, TANDEM_TOOL_PEN);
  g_assert_cmpstr (tandem_board_canvas_get_color (canvas), ==, "#3584e4");
  g_assert_cmpfloat (tandem_board_canvas_get_stroke_width (canvas), ==, 8);
  drag (canvas, 100, 100, 300, 180, 20);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 1);
  stroke = stroke_at (model, 0);
  g_assert_cmpint (tandem_stroke_get_tool (stroke), ==, TANDEM_TOOL_PEN);
  g_assert_cmpstr (tandem_stroke_get_color (stroke), ==, "#3584e4");
  g_assert_cmpfloat (tandem_stroke_get_width (stroke), ==, 8);
  g_assert_true (tandem_stroke_get_finished (stroke));
  p = tandem_stroke_get_points (stroke, &n_points);
  g_assert_cmpuint (n_points, ==, 21);
  assert_board_point (canvas, &p[0], 100, 100);
  assert_board_point (canvas, &p[10], 200, 140);
  assert_board_point (canvas, &p[20], 300, 180);
  g_assert_cmpfloat (p[20].pressure, ==, 1);
  g_assert_cmpfloat (p[0].x, ==, 60);
  g_assert_cmpfloat (p[20].x, ==, 160);

  /* A rectangle: two points, the second where the drag ended. */
  gtk_widget_activate_action (GTK_WIDGET (view), "board.tool", "s", "rectangle");
  g_assert_cmpint (tandem_board_canvas_get_tool (canvas), ==, TANDEM_TOOL_RECTANGLE);
  drag (canvas, 400, 200, 600, 320, 10);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 2);
  stroke = stroke_at (model, 1);
  g_assert_cmpint (tandem_stroke_get_tool (stroke), ==, TANDEM_TOOL_RECTANGLE);
  rect_id = g_strdup (tandem_stroke_get_id (stroke));
  p = tandem_stroke_get_points (stroke, &n_points);
  g_assert_cmpuint (n_points, ==, 2);
  assert_board_point (canvas, &p[0], 400, 200);
  assert_board_point (canvas, &p[1], 600, 320);

  /* A highlighter, an ellipse and a line. */
  gtk_widget_activate_action (GTK_WIDGET (view), "board.tool", "s", "highlighter");
  gtk_widget_activate_action (GTK_WIDGET (view), "board.color", "s", "#f6d32d");
  gtk_widget_activate_action (GTK_WIDGET (view), "board.width", "d", 16.0);
  drag (canvas, 80, 300, 380, 300, 15);
  gtk_widget_activate_action (GTK_WIDGET (view), "board.tool", "s", "ellipse");
  gtk_widget_activate_action (GTK_WIDGET (view), "board.color", "s", "#e01b24");
  gtk_widget_activate_action (GTK_WIDGET (view), "board.width", "d", 4.0);
  drag (canvas, 620, 80, 800, 200, 6);
  gtk_widget_activate_action (GTK_WIDGET (view), "board.tool", "s", "line");
  drag (canvas, 620, 400, 860, 480, 6);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 5);
  g_assert_cmpint (tandem_stroke_get_tool (stroke_at (model, 2)), ==, TANDEM_TOOL_HIGHLIGHTER);
  g_assert_cmpfloat (tandem_stroke_get_width (stroke_at (model, 2)), ==, 16);
  g_assert_cmpint (tandem_stroke_get_tool (stroke_at (model, 3)), ==, TANDEM_TOOL_ELLIPSE);
  g_assert_cmpint (tandem_stroke_get_tool (stroke_at (model, 4)), ==, TANDEM_TOOL_LINE);

  /* Text: asked for in a popover where one clicked. */
  gtk_widget_activate_action (GTK_WIDGET (view), "board.tool", "s", "text");
  gtk_widget_activate_action (GTK_WIDGET (view), "board.color", "s", "#1c1c1c");
  drag (canvas, 100, 420, 100, 420, 1);
  TANDEM_WAIT_UNTIL_TIMEOUT (gtk_widget_get_visible (_tandem_board_canvas_get_text_popover (canvas)), TIMEOUT_MS);
  gtk_editable_set_text (GTK_EDITABLE (_tandem_board_canvas_get_text_entry (canvas)), "Hello, board");
  g_signal_emit_by_name (_tandem_board_canvas_get_text_entry (canvas), "activate");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 6);
  stroke = stroke_at (model, 5);
  g_assert_cmpint (tandem_stroke_get_tool (stroke), ==, TANDEM_TOOL_TEXT);
  g_assert_cmpstr (tandem_stroke_get_text (stroke), ==, "Hello, board");
  p = tandem_stroke_get_points (stroke, &n_points);
  assert_board_point (canvas, &p[0], 100, 420);

  /* The other client has all of it, point for point. */
  assert_same_picture (model, peer_model, 6);

  /* The canvas drew them all (they are in view) from cached nodes. */
  TANDEM_WAIT_UNTIL_TIMEOUT (({ guint drawn; _tandem_board_canvas_get_frame_stats (canvas, &drawn, NULL, NULL);
                                drawn == 6; }), TIMEOUT_MS);

  /* The eraser takes the rectangle away for everyone (its edge is under
   * the drag), undo brings it back. */
  gtk_widget_activate_action (GTK_WIDGET (view), "board.tool", "s", "eraser");
  g_assert_cmpint (tandem_board_canvas_get_tool (canvas), ==, TANDEM_TOOL_ERASER);
  drag (canvas, 500, 190, 500, 210, 4);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 5);
  g_assert_true (tandem_board_model_is_erased (model, rect_id));
  assert_same_picture (model, peer_model, 5);
  g_assert_true (tandem_board_model_is_erased (peer_model, rect_id));
  gtk_widget_activate_action (GTK_WIDGET (view), "board.undo", NULL);
  assert_same_picture (model, peer_model, 6);

  /* Undo of the text removes it everywhere; redo is then possible. */
  {
    gtk_widget_activate_action (GTK_WIDGET (view), "board.redo", NULL);
    assert_same_picture (model, peer_model, 5);
    gtk_widget_activate_action (GTK_WIDGET (view), "board.undo", NULL);
    assert_same_picture (model, peer_model, 6);
    gtk_widget_activate_action (GTK_WIDGET (view), "board.tool", "s", "text");
    drag (canvas, 300, 520, 300, 520, 1);
    gtk_editable_set_text (GTK_EDITABLE (_tandem_board_canvas_get_text_entry (canvas)), "Gone soon");
    g_signal_emit_by_name (_tandem_board_canvas_get_text_entry (canvas), "activate");
    assert_same_picture (model, peer_model, 7);
    gtk_widget_activate_action (GTK_WIDGET (view), "board.undo", NULL);
    assert_same_picture (model, peer_model, 6);
    for (guint i = 0; i < 6; i++)
      g_assert_cmpstr (tandem_stroke_get_text (stroke_at (peer_model, i)), !=, "Gone soon");
    g_assert_true (tandem_board_sync_get_can_redo (tandem_whiteboard_view_get_sync (view)));
  }

  /* The PNG exports of both clients are the same pixels, and not blank. */
  a_png = render (model);
  b_png = render (peer_model);
  g_assert_cmpint (gdk_texture_get_width (a_png), ==, gdk_texture_get_width (b_png));
  g_assert_cmpint (gdk_texture_get_height (a_png), ==, gdk_texture_get_height (b_png));
  a_pixels = download (a_png);
  b_pixels = download (b_png);
  g_assert_true (g_bytes_equal (a_pixels, b_pixels));
  g_assert_cmpuint (count_non_white (a_pixels), >, 1000);

  /* The view's own exports. */
  png_file = g_file_new_for_path (png_path);
  g_assert_true (tandem_whiteboard_view_export_png (view, png_file, &error));
  g_assert_no_error (error);
  exported = gdk_texture_new_from_filename (png_path, &error);
  g_assert_no_error (error);
  exported_pixels = download (exported);
  g_assert_true (g_bytes_equal (exported_pixels, b_pixels));
  svg_file = g_file_new_for_path (svg_path);
  g_assert_true (tandem_whiteboard_view_export_svg (view, svg_file, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (svg_path, &svg, NULL, &error));
  g_assert_no_error (error);
  g_assert_nonnull (strstr (svg, "<svg"));
  g_assert_nonnull (strstr (svg, "Hello, board"));
  g_assert_nonnull (strstr (svg, "<ellipse"));

  /* Zoom by the actions, about the middle. */
  tandem_board_canvas_set_zoom (canvas, 1);
  gtk_widget_activate_action (GTK_WIDGET (view), "board.zoom-in", NULL);
  g_assert_cmpfloat_with_epsilon (tandem_board_canvas_get_zoom (canvas), 1.25, 1e-9);
  gtk_widget_activate_action (GTK_WIDGET (view), "board.zoom-out", NULL);
  gtk_widget_activate_action (GTK_WIDGET (view), "board.zoom-out", NULL);
  g_assert_cmpfloat_with_epsilon (tandem_board_canvas_get_zoom (canvas), 0.8, 1e-9);
  gtk_widget_activate_action (GTK_WIDGET (view), "board.zoom-reset", NULL);
  g_assert_cmpfloat (tandem_board_canvas_get_zoom (canvas), ==, 1);
  tandem_board_canvas_set_origin (canvas, 0, 0);

  /* Zoomed far in on an empty corner, nothing is drawn (culled). */
  tandem_board_canvas_set_zoom (canvas, 10);
  tandem_board_canvas_set_origin (canvas, 5000, 5000);
  TANDEM_WAIT_UNTIL_TIMEOUT (({ guint drawn; _tandem_board_canvas_get_frame_stats (canvas, &drawn, NULL, NULL);
                                drawn == 0; }), TIMEOUT_MS);
  tandem_board_canvas_set_zoom (canvas, 1);
  tandem_board_canvas_set_origin (canvas, 0, 0);

  /* Someone else's cursor, with their name. */
  tandem_board_sync_set_user_name (peer, "Bea");
  tandem_board_sync_set_user_color (peer, "#9141ac");
  /* One move alone: it goes out as a plain "cursor" broadcast, an event
   * name GTK has interned (libtandem once dropped it unread). */
  tandem_board_sync_move_cursor (peer, 420, 120);
  TANDEM_WAIT_UNTIL_TIMEOUT (tandem_board_canvas_get_n_cursors (canvas) == 1, TIMEOUT_MS);

  tandem_test_run_for (300);
  save_screenshot (GTK_WIDGET (window));

  tandem_board_sync_stop (peer);
  gtk_window_destroy (window);
  TANDEM_WAIT_UNTIL_TIMEOUT (g_list_model_get_n_items (gtk_window_get_toplevels ()) == 0, TIMEOUT_MS);
  tandem_client_disconnect (a);
  tandem_client_disconnect (b);
}

/* ---- the tools' keys ---- */

/* A key press without modifiers in @view, as its key bindings' shortcut
 * controller takes it (the key event bubbles up to the view from the
 * focus): TRUE if the view handled it, FALSE if it goes on. */
static gboolean
press_key (TandemWhiteboardView *view,
           guint                 keyval)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (GTK_WIDGET (view));

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GtkEventController) controller = g_list_model_get_item (controllers, i);

      if (!GTK_IS_SHORTCUT_CONTROLLER (controller))
        continue;
      for (guint j = 0; j < g_list_model_get_n_items (G_LIST_MODEL (controller)); j++)
        {
          g_autoptr(GtkShortcut) shortcut = g_list_model_get_item (G_LIST_MODEL (controller), j);
          GtkShortcutTrigger *trigger = gtk_shortcut_get_trigger (shortcut);

          if (GTK_IS_KEYVAL_TRIGGER (trigger) &&
              gtk_keyval_trigger_get_keyval (GTK_KEYVAL_TRIGGER (trigger)) == keyval &&
              gtk_keyval_trigger_get_modifiers (GTK_KEYVAL_TRIGGER (trigger)) == 0)
            return gtk_shortcut_action_activate (gtk_shortcut_get_action (shortcut), GTK_SHORTCUT_ACTION_EXCLUSIVE,
                                                 GTK_WIDGET (view), gtk_shortcut_get_arguments (shortcut));
        }
    }
  g_error ("the view has no key %s", gdk_keyval_name (keyval));
  return FALSE;
}

static void
count_cb (guint *count)
{
  (*count)++;
}

/* The toolbar's button of @tool ("pen", …). */
static GtkWidget *
tool_button (GtkWidget  *widget,
             const char *tool)
{
  GVariant *target;

  if (GTK_IS_TOGGLE_BUTTON (widget) &&
      g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (widget)), "board.tool") == 0 &&
      (target = gtk_actionable_get_action_target_value (GTK_ACTIONABLE (widget))) != NULL &&
      g_str_equal (g_variant_get_string (target, NULL), tool))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = tool_button (child, tool);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* The accelerator the shortcuts window shows for @title. */
static char *
help_overlay_accelerator (GtkBuilder *builder,
                          const char *title)
{
  g_autoptr(GSList) objects = gtk_builder_get_objects (builder);

  for (GSList *l = objects; l != NULL; l = l->next)
    if (GTK_IS_SHORTCUTS_SHORTCUT (l->data))
      {
        g_autofree char *shown = NULL;
        char *accelerator = NULL;

        g_object_get (l->data, "title", &shown, "accelerator", &accelerator, NULL);
        if (g_strcmp0 (shown, title) == 0)
          return accelerator;
        g_free (accelerator);
      }
  return NULL;
}

static void
test_keys (void)
{
  static const struct
  {
    guint       keyval;
    const char *tool;
    TandemTool  value;
    const char *title;
    const char *tooltip;
  } keys[] = {
    { GDK_KEY_h, "highlighter", TANDEM_TOOL_HIGHLIGHTER, "Highlighter", "Highlighter (H)" },
    { GDK_KEY_l, "line", TANDEM_TOOL_LINE, "Line", "Line (L)" },
    { GDK_KEY_r, "rectangle", TANDEM_TOOL_RECTANGLE, "Rectangle", "Rectangle (R)" },
    { GDK_KEY_o, "ellipse", TANDEM_TOOL_ELLIPSE, "Ellipse", "Ellipse (O)" },
    { GDK_KEY_e, "eraser", TANDEM_TOOL_ERASER, "Eraser", "Eraser (E)" },
    { GDK_KEY_t, "text", TANDEM_TOOL_TEXT, "Text", "Text (T)" },
    { GDK_KEY_p, "pen", TANDEM_TOOL_PEN, "Pen", "Pen (P)" },
  };
  g_autoptr(TandemClient) client = signed_in_client ();
  g_autoptr(TandemOutbox) outbox = outbox_for (client, "keys.db");
  g_autofree char *board = create_board ("Keys test");
  g_autoptr(GtkBuilder) builder = gtk_builder_new_from_resource ("/org/gnome/Tandem/gtk/help-overlay.ui");
  GtkWindow *window = GTK_WINDOW (gtk_window_new ());
  TandemWhiteboardView *view = TANDEM_WHITEBOARD_VIEW (tandem_whiteboard_view_new (client, outbox, board));
  TandemBoardCanvas *canvas = tandem_whiteboard_view_get_canvas (view);
  TandemBoardModel *model = tandem_board_canvas_get_model (canvas);
  GtkWidget *entry = _tandem_board_canvas_get_text_entry (canvas);
  GtkWidget *focus;
  guint notified = 0;

  gtk_window_set_default_size (window, 960, 640);
  gtk_window_set_child (window, GTK_WIDGET (view));
  gtk_window_present (window);
  TANDEM_WAIT_UNTIL_TIMEOUT (gtk_widget_get_width (GTK_WIDGET (canvas)) > 400, TIMEOUT_MS);
  TANDEM_WAIT_UNTIL_TIMEOUT (tandem_board_sync_get_loaded (tandem_whiteboard_view_get_sync (view)), TIMEOUT_MS);
  g_signal_connect_swapped (view, "notify::tool", G_CALLBACK (count_cb), &notified);
  g_assert_true (gtk_widget_grab_focus (GTK_WIDGET (canvas)));
  g_assert_cmpint (tandem_board_canvas_get_tool (canvas), ==, TANDEM_TOOL_PEN);

  /* Each key chooses its tool, with the canvas focused; its button shows
   * it, and the key is in its tooltip and in the shortcuts window. */
  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    {
      GtkWidget *button = tool_button (GTK_WIDGET (view), keys[i].tool);
      g_autofree char *accelerator = help_overlay_accelerator (builder, keys[i].title);
      g_autofree char *name = gtk_accelerator_name (keys[i].keyval, 0);

      g_assert_nonnull (button);
      g_assert_true (press_key (view, keys[i].keyval));
      g_assert_cmpint (tandem_board_canvas_get_tool (canvas), ==, keys[i].value);
      g_assert_cmpuint (notified, ==, i + 1);
      g_assert_true (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (button)));
      g_assert_cmpstr (gtk_widget_get_tooltip_text (button), ==, keys[i].tooltip);
      g_assert_cmpstr (accelerator, ==, name);
    }
  /* Again the same key: nothing changes. */
  g_assert_true (press_key (view, GDK_KEY_p));
  g_assert_cmpint (tandem_board_canvas_get_tool (canvas), ==, TANDEM_TOOL_PEN);
  g_assert_cmpuint (notified, ==, G_N_ELEMENTS (keys));

  /* With the focus in the toolbar too. */
  g_assert_true (gtk_widget_grab_focus (tool_button (GTK_WIDGET (view), "line")));
  g_assert_true (press_key (view, GDK_KEY_r));
  g_assert_cmpint (tandem_board_canvas_get_tool (canvas), ==, TANDEM_TOOL_RECTANGLE);

  /* Typing in the text tool's entry: the keys are the text's. */
  g_assert_true (press_key (view, GDK_KEY_t));
  drag (canvas, 200, 200, 200, 200, 1);
  TANDEM_WAIT_UNTIL_TIMEOUT (gtk_widget_get_visible (_tandem_board_canvas_get_text_popover (canvas)), TIMEOUT_MS);
  focus = gtk_root_get_focus (GTK_ROOT (window));
  g_assert_nonnull (focus);
  g_assert_true (focus == entry || gtk_widget_is_ancestor (focus, entry));
  notified = 0;
  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    {
      g_assert_false (press_key (view, keys[i].keyval));
      g_assert_cmpint (tandem_board_canvas_get_tool (canvas), ==, TANDEM_TOOL_TEXT);
    }
  g_assert_cmpuint (notified, ==, 0);
  gtk_editable_set_text (GTK_EDITABLE (entry), "phloret");
  g_signal_emit_by_name (entry, "activate");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 1);
  g_assert_cmpstr (tandem_stroke_get_text (stroke_at (model, 0)), ==, "phloret");
  g_assert_cmpint (tandem_board_canvas_get_tool (canvas), ==, TANDEM_TOOL_TEXT);

  /* The text placed, the focus is back on the canvas: keys again. */
  g_assert_true (gtk_widget_has_focus (GTK_WIDGET (canvas)));
  g_assert_true (press_key (view, GDK_KEY_e));
  g_assert_cmpint (tandem_board_canvas_get_tool (canvas), ==, TANDEM_TOOL_ERASER);

  gtk_window_destroy (GTK_WINDOW (gtk_builder_get_object (builder, "help_overlay")));
  gtk_window_destroy (window);
  TANDEM_WAIT_UNTIL_TIMEOUT (g_list_model_get_n_items (gtk_window_get_toplevels ()) == 0, TIMEOUT_MS);
  tandem_client_disconnect (client);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  /* The page's outbox goes to the cache: a throwaway one. */
  tmpdir = tandem_test_make_tmpdir ("whiteboard-ui");
  {
    g_autofree char *cache = g_build_filename (tmpdir, "cache", NULL);

    g_setenv ("XDG_CACHE_HOME", cache, TRUE);
  }
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  pg = tandem_test_pg_new ();
  server = tandem_test_server_new (pg, NULL);

  g_test_add_func ("/whiteboards/ui/view", test_view);
  g_test_add_func ("/whiteboards/ui/keys", test_keys);

  status = g_test_run ();

  tandem_test_server_free (server);
  tandem_test_pg_free (pg);
  tandem_test_rm_rf (tmpdir);
  g_free (tmpdir);
  return status;
}
