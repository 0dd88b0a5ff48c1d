/* test-board-sync-unit.c: TandemBoardSync without a server: one's own
 * strokes in the model, undo and redo of one's own actions only, erasing,
 * clearing, and what a peer's broadcasts (good and bad) do to the board
 *
 * The client points at a port nobody listens on, so nothing is sent; the
 * peer's broadcasts are emitted on the channel as libtandem would.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "tandem-board-codec.h"
#include "tandem-board-sync-private.h"
#include "tandem-test-utils.h"

#define BOARD "11111111-0000-4000-8000-000000000000"
#define ME    "aaaaaaaa-0000-4000-8000-000000000001"
#define PEER  "bbbbbbbb-0000-4000-8000-000000000002"

typedef struct
{
  TandemClient    *client;
  TandemBoardSync *sync;
  TandemBoardModel *model;
} Fixture;

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *url = g_strdup_printf ("http://127.0.0.1:%u", tandem_test_find_free_port ());

  fixture->client = tandem_client_new (url, "anon-key", &error);
  g_assert_no_error (error);
  fixture->sync = tandem_board_sync_new (fixture->client, NULL, BOARD, ME);
  fixture->model = tandem_board_sync_get_model (fixture->sync);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  tandem_board_sync_stop (fixture->sync);
  g_assert_finalize_object (fixture->sync);
  tandem_client_disconnect (fixture->client);
  g_clear_object (&fixture->client);
}

/* A peer's broadcast, through the channel's signal as libtandem emits it. */
static void
peer_says (Fixture    *fixture,
           const char *event,
           const char *json)
{
  g_autoptr(JsonNode) payload = json_from_string (json, NULL);

  g_assert_nonnull (payload);
  g_signal_emit_by_name (tandem_board_sync_get_channel (fixture->sync), "broadcast", event, payload);
}

static char *
peer_stroke (Fixture *fixture,
             gint64   started_at)
{
  char *id = g_uuid_string_random ();
  g_autofree char *start = g_strdup_printf ("{\"id\":\"%s\",\"author\":\"" PEER "\",\"tool\":\"pen\","
                                            "\"color\":\"#000000\",\"width\":2,\"started_at\":%" G_GINT64_FORMAT ","
                                            "\"points\":[0,0,100,100,100,100]}", id, started_at);
  g_autofree char *end = g_strdup_printf ("{\"id\":\"%s\",\"author\":\"" PEER "\",\"n_points\":2}", id);

  peer_says (fixture, "start", start);
  peer_says (fixture, "end", end);
  return id;
}

static void
test_own_strokes (Fixture       *fixture,
                  gconstpointer  data)
{
  TandemStroke *pen, *line, *text;
  const TandemPoint *p;
  guint n;

  pen = tandem_board_sync_begin_stroke (fixture->sync, TANDEM_TOOL_PEN, "#1c71d8", 3.1, 1.004, 2.006, 0.333);
  g_assert_nonnull (pen);
  g_assert_cmpstr (tandem_stroke_get_author (pen), ==, ME);
  /* quantized as everyone else will see it */
  p = tandem_stroke_get_points (pen, &n);
  g_assert_cmpuint (n, ==, 1);
  g_assert_cmpfloat (p[0].x, ==, 1.0);
  g_assert_cmpfloat (p[0].y, ==, 2.01);
  g_assert_cmpfloat (p[0].pressure, ==, 0.33);
  g_assert_cmpfloat (tandem_stroke_get_width (pen), ==, 3.0);
  tandem_board_sync_extend_stroke (fixture->sync, 5, 5, 1);
  tandem_board_sync_extend_stroke (fixture->sync, 5, 5, 1);   /* the same point: dropped */
  tandem_board_sync_extend_stroke (fixture->sync, 6, 7, 0.5);
  g_assert_cmpuint (tandem_stroke_get_n_points (pen), ==, 3);
  g_assert_false (tandem_stroke_get_finished (pen));
  g_assert_cmpuint (tandem_board_model_get_n_strokes (fixture->model), ==, 1);

  /* a shape: the second point follows the pointer */
  line = tandem_board_sync_begin_stroke (fixture->sync, TANDEM_TOOL_LINE, "#000000", 2, 0, 0, 1);
  g_assert_true (tandem_stroke_get_finished (pen));
  tandem_board_sync_extend_stroke (fixture->sync, 10, 0, 1);
  tandem_board_sync_extend_stroke (fixture->sync, 20, 5, 1);
  p = tandem_stroke_get_points (line, &n);
  g_assert_cmpuint (n, ==, 2);
  g_assert_cmpfloat (p[1].x, ==, 20);
  g_assert_cmpfloat (p[1].y, ==, 5);
  tandem_board_sync_end_stroke (fixture->sync);
  g_assert_true (tandem_stroke_get_finished (line));

  text = tandem_board_sync_add_text (fixture->sync, 3, 4, "Hi", "#000000", 18);
  g_assert_cmpstr (tandem_stroke_get_text (text), ==, "Hi");
  g_assert_true (tandem_stroke_get_finished (text));

  /* the order: the order they were drawn in */
  {
    g_auto(GStrv) ids = tandem_board_model_dup_ids (fixture->model);

    g_assert_cmpuint (g_strv_length (ids), ==, 3);
    g_assert_cmpstr (ids[0], ==, tandem_stroke_get_id (pen));
    g_assert_cmpstr (ids[1], ==, tandem_stroke_get_id (line));
    g_assert_cmpstr (ids[2], ==, tandem_stroke_get_id (text));
  }
}

static void
test_undo_redo (Fixture       *fixture,
                gconstpointer  data)
{
  TandemStroke *a, *b, *c;
  g_autofree char *peer = NULL;

  tandem_board_sync_start (fixture->sync);
  g_assert_false (tandem_board_sync_get_can_undo (fixture->sync));
  a = tandem_board_sync_begin_stroke (fixture->sync, TANDEM_TOOL_PEN, "#000000", 2, 0, 0, 1);
  tandem_board_sync_end_stroke (fixture->sync);
  peer = peer_stroke (fixture, g_get_real_time ());
  b = tandem_board_sync_begin_stroke (fixture->sync, TANDEM_TOOL_PEN, "#000000", 2, 1, 1, 1);
  tandem_board_sync_end_stroke (fixture->sync);
  g_assert_cmpuint (tandem_board_model_get_n_strokes (fixture->model), ==, 3);

  /* undo removes one's own last stroke, not the peer's */
  g_assert_true (tandem_board_sync_undo (fixture->sync));
  g_assert_true (tandem_board_model_is_erased (fixture->model, tandem_stroke_get_id (b)));
  g_assert_false (tandem_board_model_is_erased (fixture->model, peer));
  g_assert_true (tandem_board_sync_get_can_redo (fixture->sync));
  g_assert_true (tandem_board_sync_undo (fixture->sync));
  g_assert_true (tandem_board_model_is_erased (fixture->model, tandem_stroke_get_id (a)));
  g_assert_false (tandem_board_sync_undo (fixture->sync));
  g_assert_cmpuint (tandem_board_model_get_n_strokes (fixture->model), ==, 1);

  g_assert_true (tandem_board_sync_redo (fixture->sync));
  g_assert_false (tandem_board_model_is_erased (fixture->model, tandem_stroke_get_id (a)));
  g_assert_cmpuint (tandem_board_model_get_n_strokes (fixture->model), ==, 2);

  /* a new action forgets the redo */
  c = tandem_board_sync_begin_stroke (fixture->sync, TANDEM_TOOL_PEN, "#000000", 2, 2, 2, 1);
  tandem_board_sync_end_stroke (fixture->sync);
  g_assert_false (tandem_board_sync_get_can_redo (fixture->sync));
  g_assert_false (tandem_board_sync_redo (fixture->sync));

  /* the peer erases one's stroke c: undoing c changes nothing, and redo
   * then does not bring back what the peer erased */
  {
    g_autofree char *erase = g_strdup_printf ("{\"by\":\"" PEER "\",\"ids\":[\"%s\"],\"stamp\":%" G_GINT64_FORMAT "}",
                                              tandem_stroke_get_id (c), g_get_real_time () + 1000000);

    peer_says (fixture, "erase", erase);
  }
  g_assert_true (tandem_board_model_is_erased (fixture->model, tandem_stroke_get_id (c)));
  g_assert_true (tandem_board_sync_undo (fixture->sync));
  g_assert_true (tandem_board_sync_redo (fixture->sync));
  g_assert_true (tandem_board_model_is_erased (fixture->model, tandem_stroke_get_id (c)));
}

static void
test_erase_and_clear (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autofree char *peer = NULL;
  TandemStroke *mine;
  guint cleared = 0;

  tandem_board_sync_start (fixture->sync);
  peer = peer_stroke (fixture, 5);   /* from (0, 0) to (1, 1) */
  mine = tandem_board_sync_begin_stroke (fixture->sync, TANDEM_TOOL_PEN, "#000000", 2, 100, 100, 1);
  tandem_board_sync_extend_stroke (fixture->sync, 110, 100, 1);
  tandem_board_sync_end_stroke (fixture->sync);

  /* a drag of the eraser over both: one action */
  g_assert_cmpuint (tandem_board_sync_erase_at (fixture->sync, 0.5, 0.5, 1, FALSE), ==, 1);
  g_assert_cmpuint (tandem_board_sync_erase_at (fixture->sync, 105, 100, 1, TRUE), ==, 1);
  g_assert_cmpuint (tandem_board_sync_erase_at (fixture->sync, 300, 300, 1, TRUE), ==, 0);
  g_assert_cmpuint (tandem_board_model_get_n_strokes (fixture->model), ==, 0);
  g_assert_true (tandem_board_sync_undo (fixture->sync));
  g_assert_cmpuint (tandem_board_model_get_n_strokes (fixture->model), ==, 2);

  g_signal_connect_swapped (fixture->sync, "cleared", G_CALLBACK (g_atomic_int_inc), &cleared);
  tandem_board_sync_clear (fixture->sync);
  g_assert_cmpuint (tandem_board_model_get_n_strokes (fixture->model), ==, 0);
  g_assert_cmpuint (cleared, ==, 1);
  /* undo of the clear brings everything back */
  g_assert_true (tandem_board_sync_undo (fixture->sync));
  g_assert_cmpuint (tandem_board_model_get_n_strokes (fixture->model), ==, 2);
  g_assert_false (tandem_board_model_is_erased (fixture->model, tandem_stroke_get_id (mine)));

  /* a peer's clear, with one's stroke under the pen */
  {
    TandemStroke *drawing = tandem_board_sync_begin_stroke (fixture->sync, TANDEM_TOOL_PEN, "#000000", 2, 7, 7, 1);
    g_auto(GStrv) ids = tandem_board_model_dup_ids (fixture->model);
    g_autofree char *list = g_strjoinv ("\",\"", ids);
    g_autofree char *erase = g_strdup_printf ("{\"by\":\"" PEER "\",\"ids\":[\"%s\"],\"clear\":true,"
                                              "\"stamp\":%" G_GINT64_FORMAT "}", list, g_get_real_time () + 1000000);

    peer_says (fixture, "erase", erase);
    g_assert_cmpuint (cleared, ==, 2);
    g_assert_cmpuint (tandem_board_model_get_n_strokes (fixture->model), ==, 0);
    /* the stroke was ended; the rest of the drag draws nothing */
    g_assert_true (tandem_stroke_get_finished (drawing));
    tandem_board_sync_extend_stroke (fixture->sync, 8, 8, 1);
    g_assert_cmpuint (tandem_stroke_get_n_points (drawing), ==, 1);
  }
}

static void
test_peer_events (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autofree char *id = g_uuid_string_random ();
  g_autofree char *start = NULL, *draw = NULL, *gap = NULL, *forged = NULL, *end = NULL;
  TandemStroke *stroke;

  tandem_board_sync_start (fixture->sync);
  start = g_strdup_printf ("{\"id\":\"%s\",\"author\":\"" PEER "\",\"tool\":\"highlighter\",\"color\":\"#f6d32d\","
                           "\"width\":12,\"started_at\":100,\"points\":[0,0,100]}", id);
  draw = g_strdup_printf ("{\"id\":\"%s\",\"author\":\"" PEER "\",\"index\":1,\"points\":[100,0,100,200,0,100]}", id);
  gap = g_strdup_printf ("{\"id\":\"%s\",\"author\":\"" PEER "\",\"index\":7,\"points\":[1,1,1]}", id);
  forged = g_strdup_printf ("{\"id\":\"%s\",\"author\":\"" ME "\",\"index\":0,\"points\":[9,9,9]}", id);
  end = g_strdup_printf ("{\"id\":\"%s\",\"author\":\"" PEER "\",\"n_points\":3}", id);

  peer_says (fixture, "start", start);
  stroke = tandem_board_model_lookup (fixture->model, id);
  g_assert_nonnull (stroke);
  g_assert_cmpint (tandem_stroke_get_tool (stroke), ==, TANDEM_TOOL_HIGHLIGHTER);
  peer_says (fixture, "draw", draw);
  peer_says (fixture, "draw", draw);   /* a duplicate changes nothing */
  g_assert_cmpuint (tandem_stroke_get_n_points (stroke), ==, 3);
  /* only the author draws a stroke */
  peer_says (fixture, "draw", forged);
  g_assert_cmpfloat (tandem_stroke_get_points (stroke, NULL)[0].x, ==, 0);
  /* malformed: ignored, without a crash */
  peer_says (fixture, "draw", "{\"id\":42}");
  peer_says (fixture, "draw", "[]");
  peer_says (fixture, "start", "{\"id\":\"x\",\"points\":[1e999,0,0]}");
  peer_says (fixture, "erase", "{\"by\":\"" PEER "\",\"ids\":[],\"stamp\":1}");
  peer_says (fixture, "whatever", "{}");
  g_assert_cmpuint (tandem_stroke_get_n_points (stroke), ==, 3);
  g_assert_cmpuint (tandem_board_model_get_n_strokes (fixture->model), ==, 1);
  /* a gap: incomplete, waiting for the saved copy */
  peer_says (fixture, "draw", gap);
  g_assert_false (tandem_stroke_get_complete (stroke));
  peer_says (fixture, "end", end);
  g_assert_true (tandem_stroke_get_finished (stroke));
}

static void
on_cursor_moved (TandemBoardSync *sync,
                 const char      *user,
                 double           x,
                 double           y,
                 const char      *name,
                 const char      *color,
                 GString         *log)
{
  g_string_append_printf (log, "moved %s %g %g %s %s;", user, x, y, name ? name : "-", color ? color : "-");
}

static void
on_cursor_hidden (TandemBoardSync *sync,
                  const char      *user,
                  GString         *log)
{
  g_string_append_printf (log, "hidden %s;", user);
}

static void
test_remote_cursors (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(GString) log = g_string_new (NULL);
  gint64 start;

  tandem_board_sync_start (fixture->sync);
  g_signal_connect (fixture->sync, "cursor-moved", G_CALLBACK (on_cursor_moved), log);
  g_signal_connect (fixture->sync, "cursor-hidden", G_CALLBACK (on_cursor_hidden), log);
  peer_says (fixture, "cursor", "{\"user\":\"" PEER "\",\"x\":1250,\"y\":-300,\"name\":\"Grace\",\"color\":\"#26a269\"}");
  peer_says (fixture, "cursor", "{\"user\":\"" ME "\",\"x\":1,\"y\":1}");     /* one's own: not shown */
  peer_says (fixture, "cursor", "{\"user\":\"" PEER "\",\"x\":\"1\",\"y\":1}"); /* malformed */
  g_assert_cmpstr (log->str, ==, "moved " PEER " 12.5 -3 Grace #26a269;");

  /* hidden after a few seconds of silence, not before */
  start = g_get_monotonic_time ();
  TANDEM_WAIT_UNTIL_TIMEOUT (strstr (log->str, "hidden") != NULL, TANDEM_BOARD_CURSOR_TIMEOUT_MS * 3);
  g_assert_cmpint (g_get_monotonic_time () - start, >=, (TANDEM_BOARD_CURSOR_TIMEOUT_MS - 500) * 1000);
  g_assert_cmpstr (log->str, ==, "moved " PEER " 12.5 -3 Grace #26a269;hidden " PEER ";");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/whiteboards/sync/own-strokes", Fixture, NULL, fixture_setup, test_own_strokes, fixture_teardown);
  g_test_add ("/whiteboards/sync/undo-redo", Fixture, NULL, fixture_setup, test_undo_redo, fixture_teardown);
  g_test_add ("/whiteboards/sync/erase-and-clear", Fixture, NULL, fixture_setup, test_erase_and_clear,
              fixture_teardown);
  g_test_add ("/whiteboards/sync/peer-events", Fixture, NULL, fixture_setup, test_peer_events, fixture_teardown);
  g_test_add ("/whiteboards/sync/remote-cursors", Fixture, NULL, fixture_setup, test_remote_cursors,
              fixture_teardown);

  return g_test_run ();
}
