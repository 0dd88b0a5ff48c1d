/* test-board-codec.c: the whiteboard's live events and rows
 *
 * Every event survives a round trip with its values; every malformed
 * payload (missing fields, wrong types, non-finite numbers, values out of
 * range, too many points or ids, too long texts) is refused without a
 * crash; and random damage to valid payloads never yields an event
 * outside the limits.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>

#include "tandem-board-codec.h"
#include "tandem-stroke-private.h"

#define STROKE_ID "0b1e4a52-7c11-4c55-9d1b-2f8e0c9a7d10"
#define AUTHOR    "aaaaaaaa-0000-4000-8000-000000000001"
#define OTHER     "bbbbbbbb-0000-4000-8000-000000000002"

static TandemStroke *
make_stroke (TandemTool tool,
             guint      n_points)
{
  TandemStroke *stroke = tandem_stroke_new (STROKE_ID, AUTHOR, tool, "#1c71d8", 3.5, 1760000000123456);
  g_autoptr(GArray) points = g_array_new (FALSE, FALSE, sizeof (TandemPoint));

  for (guint i = 0; i < n_points; i++)
    {
      TandemPoint p = { 10.25 + i, -3.5 + 0.01 * i, (i % 101) / 100.0 };

      g_array_append_val (points, p);
    }
  g_assert_true (_tandem_stroke_set_points_from (stroke, 0, (TandemPoint *) (gpointer) points->data, n_points));
  return stroke;
}

static TandemBoardEvent *
decode_ok (const char *event,
           JsonNode   *payload)
{
  g_autoptr(GError) error = NULL;
  TandemBoardEvent *decoded = tandem_board_codec_decode (event, payload, &error);

  g_assert_no_error (error);
  g_assert_nonnull (decoded);
  return decoded;
}

static void
assert_points_equal (TandemStroke *stroke,
                     guint         from,
                     GArray       *points)
{
  const TandemPoint *expected = tandem_stroke_get_points (stroke, NULL);

  for (guint i = 0; i < points->len; i++)
    {
      TandemPoint *p = &g_array_index (points, TandemPoint, i);

      g_assert_cmpfloat_with_epsilon (p->x, expected[from + i].x, 0.005);
      g_assert_cmpfloat_with_epsilon (p->y, expected[from + i].y, 0.005);
      g_assert_cmpfloat_with_epsilon (p->pressure, expected[from + i].pressure, 0.005);
    }
}

static void
test_round_trip_stroke (void)
{
  g_autoptr(TandemStroke) stroke = make_stroke (TANDEM_TOOL_PEN, 700);
  g_autoptr(JsonNode) start = tandem_board_codec_encode_start (stroke, 1000);
  g_autoptr(JsonNode) draw = tandem_board_codec_encode_draw (stroke, 512, 1000);
  g_autoptr(JsonNode) end = tandem_board_codec_encode_end (stroke);
  g_autoptr(TandemBoardEvent) s = decode_ok ("start", start);
  g_autoptr(TandemBoardEvent) d = decode_ok ("draw", draw);
  g_autoptr(TandemBoardEvent) e = decode_ok ("end", end);

  g_assert_cmpint (s->kind, ==, TANDEM_BOARD_EVENT_START);
  g_assert_cmpstr (s->id, ==, STROKE_ID);
  g_assert_cmpstr (s->user, ==, AUTHOR);
  g_assert_cmpint (s->tool, ==, TANDEM_TOOL_PEN);
  g_assert_cmpstr (s->color, ==, "#1c71d8");
  g_assert_cmpfloat (s->width, ==, 3.5);
  g_assert_cmpint (s->started_at, ==, 1760000000123456);
  g_assert_null (s->text);
  /* a message holds at most TANDEM_BOARD_CODEC_MAX_POINTS */
  g_assert_cmpuint (s->points->len, ==, TANDEM_BOARD_CODEC_MAX_POINTS);
  assert_points_equal (stroke, 0, s->points);

  g_assert_cmpint (d->kind, ==, TANDEM_BOARD_EVENT_DRAW);
  g_assert_cmpuint (d->index, ==, 512);
  g_assert_cmpuint (d->points->len, ==, 700 - 512);
  assert_points_equal (stroke, 512, d->points);

  g_assert_cmpint (e->kind, ==, TANDEM_BOARD_EVENT_END);
  g_assert_cmpuint (e->n_points, ==, 700);

  /* points travel as integers (no 17-digit doubles) */
  {
    g_autofree char *text = json_to_string (draw, FALSE);

    const char *points = strstr (text, "\"points\":[");

    g_assert_nonnull (points);
    g_assert_null (strchr (points, '.'));
    g_assert_nonnull (strstr (text, "\"points\":[52225,162,"));
  }
}

static void
test_round_trip_text_and_ids (void)
{
  g_autoptr(TandemStroke) stroke = make_stroke (TANDEM_TOOL_TEXT, 1);
  const char *ids[] = { STROKE_ID, OTHER };
  g_autoptr(JsonNode) start = NULL;
  g_autoptr(JsonNode) erase = tandem_board_codec_encode_ids (TANDEM_BOARD_EVENT_ERASE, OTHER, ids, 2, TRUE, 77);
  g_autoptr(JsonNode) restore = tandem_board_codec_encode_ids (TANDEM_BOARD_EVENT_RESTORE, OTHER, ids, 1, FALSE, 78);
  g_autoptr(JsonNode) saved = tandem_board_codec_encode_ids (TANDEM_BOARD_EVENT_SAVED, AUTHOR, ids, 1, FALSE, 0);
  g_autoptr(JsonNode) cursor = tandem_board_codec_encode_cursor (OTHER, 12.345, -7, "Grace <b>", "#26a269");
  g_autoptr(TandemBoardEvent) s = NULL, e = NULL, r = NULL, v = NULL, c = NULL;

  _tandem_stroke_set_text (stroke, "Hello, «board»\nline two");
  start = tandem_board_codec_encode_start (stroke, 1);
  s = decode_ok ("start", start);
  g_assert_cmpint (s->tool, ==, TANDEM_TOOL_TEXT);
  g_assert_cmpstr (s->text, ==, "Hello, «board»\nline two");

  e = decode_ok ("erase", erase);
  g_assert_cmpint (e->kind, ==, TANDEM_BOARD_EVENT_ERASE);
  g_assert_cmpstr (e->user, ==, OTHER);
  g_assert_cmpuint (g_strv_length (e->ids), ==, 2);
  g_assert_cmpstr (e->ids[1], ==, OTHER);
  g_assert_true (e->clear);
  g_assert_cmpint (e->stamp, ==, 77);

  r = decode_ok ("restore", restore);
  g_assert_cmpuint (g_strv_length (r->ids), ==, 1);
  g_assert_false (r->clear);
  g_assert_cmpint (r->stamp, ==, 78);

  v = decode_ok ("saved", saved);
  g_assert_cmpint (v->kind, ==, TANDEM_BOARD_EVENT_SAVED);
  g_assert_cmpstr (v->ids[0], ==, STROKE_ID);

  c = decode_ok ("cursor", cursor);
  g_assert_cmpstr (c->user, ==, OTHER);
  g_assert_cmpfloat_with_epsilon (c->x, 12.35, 0.006);
  g_assert_cmpfloat (c->y, ==, -7);
  g_assert_cmpstr (c->name, ==, "Grace <b>");
  g_assert_cmpstr (c->color, ==, "#26a269");
}

static void
test_round_trip_row (void)
{
  g_autoptr(TandemStroke) stroke = make_stroke (TANDEM_TOOL_ELLIPSE, 2);
  g_autoptr(JsonNode) row = tandem_board_codec_stroke_to_row (stroke, OTHER);
  g_autoptr(TandemStroke) back = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *object = json_node_get_object (row);
  g_autoptr(GArray) points = g_array_new (FALSE, FALSE, sizeof (TandemPoint));
  const TandemPoint *p;
  guint n;

  g_assert_cmpstr (json_object_get_string_member (object, "board_id"), ==, OTHER);
  g_assert_cmpstr (json_object_get_string_member (object, "tool"), ==, "ellipse");
  g_assert_cmpint (json_object_get_int_member (object, "started_at"), ==, 1760000000123456);

  back = tandem_board_codec_stroke_from_row (row, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (tandem_stroke_get_id (back), ==, STROKE_ID);
  g_assert_cmpstr (tandem_stroke_get_author (back), ==, AUTHOR);
  g_assert_cmpint (tandem_stroke_get_tool (back), ==, TANDEM_TOOL_ELLIPSE);
  g_assert_true (tandem_stroke_get_finished (back));
  g_assert_true (tandem_stroke_get_complete (back));
  g_assert_cmpint (tandem_stroke_compare (stroke, back), ==, 0);
  p = tandem_stroke_get_points (back, &n);
  g_assert_cmpuint (n, ==, 2);
  g_array_append_vals (points, p, n);
  assert_points_equal (stroke, 0, points);

  /* a deleted account's stroke has no author */
  json_object_set_null_member (object, "author");
  g_clear_object (&back);
  back = tandem_board_codec_stroke_from_row (row, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (tandem_stroke_get_author (back), ==, "");

  /* rows are checked like broadcasts */
  json_object_set_string_member (object, "tool", "eraser");
  g_clear_object (&back);
  back = tandem_board_codec_stroke_from_row (row, &error);
  g_assert_error (error, TANDEM_BOARD_CODEC_ERROR, TANDEM_BOARD_CODEC_ERROR_INVALID);
  g_assert_null (back);
}

static void
test_normalizes (void)
{
  g_autoptr(JsonNode) payload =
    json_from_string ("{\"id\":\"0B1E4A52-7C11-4C55-9D1B-2F8E0C9A7D10\",\"author\":\"" AUTHOR "\","
                      "\"tool\":\"line\",\"color\":\"#ABCDEF\",\"width\":2,\"started_at\":5,"
                      "\"points\":[1,2,100,3.5,4,50],\"extra\":{\"ignored\":true}}", NULL);
  g_autoptr(TandemBoardEvent) event = decode_ok ("start", payload);

  g_assert_cmpstr (event->id, ==, STROKE_ID);
  g_assert_cmpstr (event->color, ==, "#abcdef");
  g_assert_cmpuint (event->points->len, ==, 2);
  g_assert_cmpfloat (g_array_index (event->points, TandemPoint, 1).x, ==, 0.035);
  g_assert_cmpfloat (g_array_index (event->points, TandemPoint, 0).pressure, ==, 1.0);
}

/* ---- malformed payloads ---- */

typedef struct
{
  const char *event;
  const char *json;
  int         code;
} Bad;

#define START_OK "\"id\":\"" STROKE_ID "\",\"author\":\"" AUTHOR "\",\"tool\":\"pen\",\"color\":\"#000000\",\"width\":2,\"started_at\":1"
#define DRAW_OK  "\"id\":\"" STROKE_ID "\",\"author\":\"" AUTHOR "\",\"index\":0"
#define INVALID  TANDEM_BOARD_CODEC_ERROR_INVALID
#define TOO_LARGE TANDEM_BOARD_CODEC_ERROR_TOO_LARGE

static const Bad bad_payloads[] = {
  /* not an object */
  { "start", "[1,2,3]", INVALID },
  { "start", "\"start\"", INVALID },
  { "draw", "null", INVALID },
  { "nonsense", "{}", TANDEM_BOARD_CODEC_ERROR_UNKNOWN_EVENT },
  { "batch_messages", "{\"messages\":[]}", TANDEM_BOARD_CODEC_ERROR_UNKNOWN_EVENT },
  /* missing fields */
  { "start", "{}", INVALID },
  { "start", "{\"author\":\"" AUTHOR "\",\"tool\":\"pen\",\"color\":\"#000000\",\"width\":2,\"started_at\":1}", INVALID },
  { "start", "{\"id\":\"" STROKE_ID "\",\"tool\":\"pen\",\"color\":\"#000000\",\"width\":2,\"started_at\":1}", INVALID },
  { "start", "{\"id\":\"" STROKE_ID "\",\"author\":\"" AUTHOR "\",\"color\":\"#000000\",\"width\":2,\"started_at\":1}", INVALID },
  { "start", "{\"id\":\"" STROKE_ID "\",\"author\":\"" AUTHOR "\",\"tool\":\"pen\",\"width\":2,\"started_at\":1}", INVALID },
  { "start", "{\"id\":\"" STROKE_ID "\",\"author\":\"" AUTHOR "\",\"tool\":\"pen\",\"color\":\"#000000\",\"started_at\":1}", INVALID },
  { "start", "{\"id\":\"" STROKE_ID "\",\"author\":\"" AUTHOR "\",\"tool\":\"pen\",\"color\":\"#000000\",\"width\":2}", INVALID },
  { "draw", "{" DRAW_OK "}", INVALID },
  { "draw", "{\"id\":\"" STROKE_ID "\",\"author\":\"" AUTHOR "\",\"points\":[]}", INVALID },
  { "end", "{\"id\":\"" STROKE_ID "\",\"author\":\"" AUTHOR "\"}", INVALID },
  { "erase", "{\"by\":\"" AUTHOR "\",\"stamp\":1}", INVALID },
  { "erase", "{\"ids\":[\"" STROKE_ID "\"],\"stamp\":1}", INVALID },
  { "erase", "{\"by\":\"" AUTHOR "\",\"ids\":[\"" STROKE_ID "\"]}", INVALID },
  { "restore", "{\"by\":\"" AUTHOR "\",\"ids\":[\"" STROKE_ID "\"]}", INVALID },
  { "cursor", "{\"user\":\"" AUTHOR "\",\"x\":1}", INVALID },
  { "cursor", "{\"x\":1,\"y\":2}", INVALID },
  /* wrong types */
  { "start", "{" START_OK ",\"id\":42}", INVALID },
  { "start", "{" START_OK ",\"id\":\"not-a-uuid\"}", INVALID },
  { "start", "{" START_OK ",\"id\":\"" STROKE_ID "x\"}", INVALID },
  { "start", "{" START_OK ",\"author\":[\"" AUTHOR "\"]}", INVALID },
  { "start", "{" START_OK ",\"tool\":7}", INVALID },
  { "start", "{" START_OK ",\"tool\":\"eraser\"}", INVALID },
  { "start", "{" START_OK ",\"tool\":\"PEN\"}", INVALID },
  { "start", "{" START_OK ",\"color\":\"red\"}", INVALID },
  { "start", "{" START_OK ",\"color\":\"#12345\"}", INVALID },
  { "start", "{" START_OK ",\"color\":\"#gggggg\"}", INVALID },
  { "start", "{" START_OK ",\"color\":16711680}", INVALID },
  { "start", "{" START_OK ",\"width\":\"2\"}", INVALID },
  { "start", "{" START_OK ",\"width\":0}", INVALID },
  { "start", "{" START_OK ",\"width\":-1}", INVALID },
  { "start", "{" START_OK ",\"width\":501}", INVALID },
  { "start", "{" START_OK ",\"width\":1e999}", INVALID },
  { "start", "{" START_OK ",\"width\":true}", INVALID },
  { "start", "{" START_OK ",\"started_at\":-5}", INVALID },
  { "start", "{" START_OK ",\"started_at\":1.5}", INVALID },
  { "start", "{" START_OK ",\"started_at\":\"1\"}", INVALID },
  { "start", "{" START_OK ",\"text\":5}", INVALID },
  { "start", "{" START_OK ",\"points\":{}}", INVALID },
  { "start", "{" START_OK ",\"points\":\"1,2,3\"}", INVALID },
  { "start", "{" START_OK ",\"points\":[1,2]}", INVALID },
  { "start", "{" START_OK ",\"points\":[1,2,3,4]}", INVALID },
  { "start", "{" START_OK ",\"points\":[1,\"2\",3]}", INVALID },
  { "start", "{" START_OK ",\"points\":[1,null,3]}", INVALID },
  { "start", "{" START_OK ",\"points\":[1,[2],3]}", INVALID },
  { "start", "{" START_OK ",\"points\":[1,2,1e999]}", INVALID },
  { "start", "{" START_OK ",\"points\":[-1e999,2,3]}", INVALID },
  { "start", "{" START_OK ",\"points\":[1,2,101]}", INVALID },
  { "start", "{" START_OK ",\"points\":[1,2,-1]}", INVALID },
  { "start", "{" START_OK ",\"points\":[100000001,2,3]}", INVALID },
  { "draw", "{" DRAW_OK ",\"index\":-1,\"points\":[1,2,3]}", INVALID },
  { "draw", "{" DRAW_OK ",\"index\":1.5,\"points\":[1,2,3]}", INVALID },
  { "draw", "{" DRAW_OK ",\"index\":\"0\",\"points\":[1,2,3]}", INVALID },
  { "draw", "{" DRAW_OK ",\"index\":20000,\"points\":[1,2,3]}", TOO_LARGE },
  { "draw", "{" DRAW_OK ",\"index\":20001,\"points\":[1,2,3]}", INVALID },
  { "end", "{\"id\":\"" STROKE_ID "\",\"author\":\"" AUTHOR "\",\"n_points\":-1}", INVALID },
  { "end", "{\"id\":\"" STROKE_ID "\",\"author\":\"" AUTHOR "\",\"n_points\":20001}", INVALID },
  { "end", "{\"id\":\"" STROKE_ID "\",\"author\":\"" AUTHOR "\",\"n_points\":\"3\"}", INVALID },
  { "erase", "{\"by\":\"" AUTHOR "\",\"stamp\":1,\"ids\":[]}", INVALID },
  { "erase", "{\"by\":\"" AUTHOR "\",\"stamp\":1,\"ids\":\"" STROKE_ID "\"}", INVALID },
  { "erase", "{\"by\":\"" AUTHOR "\",\"stamp\":1,\"ids\":[42]}", INVALID },
  { "erase", "{\"by\":\"" AUTHOR "\",\"stamp\":1,\"ids\":[\"x\"]}", INVALID },
  { "erase", "{\"by\":\"" AUTHOR "\",\"stamp\":0,\"ids\":[\"" STROKE_ID "\"]}", INVALID },
  { "erase", "{\"by\":\"" AUTHOR "\",\"stamp\":1,\"ids\":[\"" STROKE_ID "\"],\"clear\":\"yes\"}", INVALID },
  { "saved", "{\"by\":\"" AUTHOR "\",\"ids\":[null]}", INVALID },
  { "cursor", "{\"user\":\"" AUTHOR "\",\"x\":\"1\",\"y\":2}", INVALID },
  { "cursor", "{\"user\":\"" AUTHOR "\",\"x\":1,\"y\":1e999}", INVALID },
  { "cursor", "{\"user\":\"" AUTHOR "\",\"x\":1,\"y\":2,\"color\":\"blue\"}", INVALID },
  { "cursor", "{\"user\":\"" AUTHOR "\",\"x\":1,\"y\":2,\"name\":{}}", INVALID },
};

static void
test_malformed (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (bad_payloads); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonNode) payload = json_from_string (bad_payloads[i].json, &error);
      g_autoptr(TandemBoardEvent) event = NULL;

      g_assert_no_error (error);
      event = tandem_board_codec_decode (bad_payloads[i].event, payload, &error);
      if (event != NULL || error == NULL || error->code != bad_payloads[i].code)
        g_error ("%s %s: expected error %d, got %s", bad_payloads[i].event, bad_payloads[i].json,
                 bad_payloads[i].code, error ? error->message : "an event");
    }

  /* no payload at all, no event name */
  {
    g_autoptr(GError) error = NULL;

    g_assert_null (tandem_board_codec_decode ("start", NULL, &error));
    g_assert_error (error, TANDEM_BOARD_CODEC_ERROR, TANDEM_BOARD_CODEC_ERROR_INVALID);
    g_clear_error (&error);
    g_assert_null (tandem_board_codec_decode (NULL, NULL, &error));
    g_assert_error (error, TANDEM_BOARD_CODEC_ERROR, TANDEM_BOARD_CODEC_ERROR_UNKNOWN_EVENT);
  }
}

/* Payloads over the limits, built rather than written out. */
static void
test_too_large (void)
{
  g_autoptr(GString) json = g_string_new ("{" START_OK ",\"points\":[");
  g_autoptr(JsonNode) payload = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *long_text = NULL;
  g_autofree char *long_name = NULL;

  for (guint i = 0; i <= TANDEM_BOARD_CODEC_MAX_POINTS; i++)
    g_string_append_printf (json, "%s%u,%u,50", i ? "," : "", i, i);
  g_string_append (json, "]}");
  payload = json_from_string (json->str, NULL);
  g_assert_null (tandem_board_codec_decode ("start", payload, &error));
  g_assert_error (error, TANDEM_BOARD_CODEC_ERROR, TANDEM_BOARD_CODEC_ERROR_TOO_LARGE);
  g_clear_error (&error);
  g_clear_pointer (&payload, json_node_unref);

  /* a huge array: a million points */
  g_string_assign (json, "{" DRAW_OK ",\"points\":[");
  for (guint i = 0; i < 1000000; i++)
    g_string_append (json, i ? ",1,2,3" : "1,2,3");
  g_string_append (json, "]}");
  payload = json_from_string (json->str, NULL);
  g_assert_null (tandem_board_codec_decode ("draw", payload, &error));
  g_assert_error (error, TANDEM_BOARD_CODEC_ERROR, TANDEM_BOARD_CODEC_ERROR_TOO_LARGE);
  g_clear_error (&error);
  g_clear_pointer (&payload, json_node_unref);

  g_string_assign (json, "{\"by\":\"" AUTHOR "\",\"stamp\":1,\"ids\":[");
  for (guint i = 0; i <= TANDEM_BOARD_CODEC_MAX_IDS; i++)
    g_string_append_printf (json, "%s\"" STROKE_ID "\"", i ? "," : "");
  g_string_append (json, "]}");
  payload = json_from_string (json->str, NULL);
  g_assert_null (tandem_board_codec_decode ("erase", payload, &error));
  g_assert_error (error, TANDEM_BOARD_CODEC_ERROR, TANDEM_BOARD_CODEC_ERROR_TOO_LARGE);
  g_clear_error (&error);
  g_clear_pointer (&payload, json_node_unref);

  long_text = g_strnfill (TANDEM_STROKE_MAX_TEXT + 1, 'a');
  g_string_printf (json, "{" START_OK ",\"tool\":\"text\",\"text\":\"%s\"}", long_text);
  payload = json_from_string (json->str, NULL);
  g_assert_null (tandem_board_codec_decode ("start", payload, &error));
  g_assert_error (error, TANDEM_BOARD_CODEC_ERROR, TANDEM_BOARD_CODEC_ERROR_TOO_LARGE);
  g_clear_error (&error);
  g_clear_pointer (&payload, json_node_unref);

  long_name = g_strnfill (TANDEM_BOARD_CODEC_MAX_NAME + 1, 'n');
  g_string_printf (json, "{\"user\":\"" AUTHOR "\",\"x\":1,\"y\":2,\"name\":\"%s\"}", long_name);
  payload = json_from_string (json->str, NULL);
  g_assert_null (tandem_board_codec_decode ("cursor", payload, &error));
  g_assert_error (error, TANDEM_BOARD_CODEC_ERROR, TANDEM_BOARD_CODEC_ERROR_TOO_LARGE);
}

/* Replaces one member of a valid payload by a random JSON value. */
static JsonNode *
random_value (GRand *rand)
{
  static const char * const values[] = {
    "null", "true", "0", "-1", "1.5", "1e308", "-1e999", "\"\"", "\"x\"", "\"" STROKE_ID "\"",
    "[]", "[1,2,3]", "[\"a\",1,2]", "{}", "{\"a\":1}", "9223372036854775807", "-9223372036854775808",
    "[1e999,1,1]", "\"#ffffff\"", "[null]",
  };

  return json_from_string (values[g_rand_int_range (rand, 0, G_N_ELEMENTS (values))], NULL);
}

static void
test_random_damage (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (7);
  g_autoptr(TandemStroke) stroke = make_stroke (TANDEM_TOOL_PEN, 20);
  const char *ids[] = { STROKE_ID };
  struct { const char *event; JsonNode *payload; } valid[] = {
    { "start", tandem_board_codec_encode_start (stroke, 20) },
    { "draw", tandem_board_codec_encode_draw (stroke, 3, 10) },
    { "end", tandem_board_codec_encode_end (stroke) },
    { "erase", tandem_board_codec_encode_ids (TANDEM_BOARD_EVENT_ERASE, AUTHOR, ids, 1, TRUE, 5) },
    { "cursor", tandem_board_codec_encode_cursor (AUTHOR, 1, 2, "x", "#000000") },
  };
  guint n_ok = 0, n_refused = 0;

  for (guint round = 0; round < 4000; round++)
    {
      guint which = g_rand_int_range (rand, 0, G_N_ELEMENTS (valid));
      /* json_node_copy() would share the object */
      g_autofree char *text = json_to_string (valid[which].payload, FALSE);
      g_autoptr(JsonNode) payload = json_from_string (text, NULL);
      JsonObject *object = json_node_get_object (payload);
      g_autoptr(GList) members = json_object_get_members (object);
      const char *name = g_list_nth_data (members, g_rand_int_range (rand, 0, g_list_length (members)));
      g_autoptr(TandemBoardEvent) event = NULL;
      g_autoptr(GError) error = NULL;

      if (g_rand_boolean (rand))
        json_object_set_member (object, name, random_value (rand));
      else
        json_object_remove_member (object, name);
      event = tandem_board_codec_decode (valid[which].event, payload, &error);
      if (event == NULL)
        {
          g_assert_nonnull (error);
          n_refused++;
          continue;
        }
      n_ok++;
      /* what gets through is within the limits */
      g_assert_cmpuint (event->points->len, <=, TANDEM_BOARD_CODEC_MAX_POINTS);
      for (guint i = 0; i < event->points->len; i++)
        {
          TandemPoint *p = &g_array_index (event->points, TandemPoint, i);

          g_assert_true (isfinite (p->x) && isfinite (p->y));
          g_assert_cmpfloat (p->pressure, >=, 0);
          g_assert_cmpfloat (p->pressure, <=, 1);
        }
      g_assert_true (isfinite (event->x) && isfinite (event->y) && isfinite (event->width));
      if (event->kind == TANDEM_BOARD_EVENT_START)
        g_assert_cmpfloat (event->width, >, 0);
    }
  /* optional members (text, name, clear) may go: some damage is harmless */
  g_assert_cmpuint (n_refused, >, 2000);
  g_assert_cmpuint (n_ok, >, 0);

  for (guint i = 0; i < G_N_ELEMENTS (valid); i++)
    json_node_unref (valid[i].payload);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/whiteboards/codec/round-trip/stroke", test_round_trip_stroke);
  g_test_add_func ("/whiteboards/codec/round-trip/text-and-ids", test_round_trip_text_and_ids);
  g_test_add_func ("/whiteboards/codec/round-trip/row", test_round_trip_row);
  g_test_add_func ("/whiteboards/codec/normalizes", test_normalizes);
  g_test_add_func ("/whiteboards/codec/malformed", test_malformed);
  g_test_add_func ("/whiteboards/codec/too-large", test_too_large);
  g_test_add_func ("/whiteboards/codec/random-damage", test_random_damage);

  return g_test_run ();
}
