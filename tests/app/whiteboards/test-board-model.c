/* test-board-model.c: the ordered stroke list, its convergence, erasing as
 * a last-writer-wins register, gaps, and the SVG export
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "tandem-board-event.h"
#include "tandem-board-export.h"
#include "tandem-board-model.h"
#include "tandem-stroke-private.h"

static const char * const authors[] = {
  "aaaaaaaa-0000-4000-8000-000000000001",
  "bbbbbbbb-0000-4000-8000-000000000002",
  "cccccccc-0000-4000-8000-000000000003",
};

static char *
stroke_id (guint n)
{
  return g_strdup_printf ("00000000-0000-4000-8000-%012x", n);
}

static TandemStroke *
stroke_new (guint       n,
            const char *author,
            gint64      started_at)
{
  g_autofree char *id = stroke_id (n);

  return tandem_stroke_new (id, author, TANDEM_TOOL_PEN, "#000000", 2, started_at);
}

static char *
ids_string (TandemBoardModel *model)
{
  g_auto(GStrv) ids = tandem_board_model_dup_ids (model);

  return g_strjoinv (",", ids);
}

typedef struct
{
  guint added, removed, signals;
} Changes;

static void
on_items_changed (GListModel *list,
                  guint       position,
                  guint       removed,
                  guint       added,
                  Changes    *changes)
{
  changes->added += added;
  changes->removed += removed;
  changes->signals++;
}

static void
test_order (void)
{
  g_autoptr(TandemBoardModel) model = tandem_board_model_new ();
  g_autoptr(TandemStroke) a = stroke_new (3, authors[1], 200);
  g_autoptr(TandemStroke) b = stroke_new (2, authors[0], 200);   /* same time: author decides */
  g_autoptr(TandemStroke) c = stroke_new (1, authors[0], 200);   /* same time and author: id */
  g_autoptr(TandemStroke) d = stroke_new (9, authors[2], 100);
  g_autoptr(TandemStroke) dup = stroke_new (9, authors[2], 100);
  g_autofree char *ids = NULL;
  g_autoptr(TandemStroke) second = NULL;
  Changes changes = { 0, };

  g_signal_connect (model, "items-changed", G_CALLBACK (on_items_changed), &changes);
  g_assert_true (tandem_board_model_add (model, a));
  g_assert_true (tandem_board_model_add (model, b));
  g_assert_true (tandem_board_model_add (model, c));
  g_assert_true (tandem_board_model_add (model, d));
  /* a stroke id is added once */
  g_assert_false (tandem_board_model_add (model, dup));
  g_assert_cmpuint (changes.added, ==, 4);

  ids = ids_string (model);
  g_assert_cmpstr (ids, ==,
                   "00000000-0000-4000-8000-000000000009,"
                   "00000000-0000-4000-8000-000000000001,"
                   "00000000-0000-4000-8000-000000000002,"
                   "00000000-0000-4000-8000-000000000003");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 4);
  second = g_list_model_get_item (G_LIST_MODEL (model), 1);
  g_assert_true (second == c);
  g_assert_null (g_list_model_get_item (G_LIST_MODEL (model), 4));
  g_assert_cmpuint (tandem_board_model_get_n_strokes (model), ==, 4);
}

/* ---- convergence: the same events in different orders ---- */

typedef struct
{
  TandemBoardEventKind kind;
  guint                stroke;     /* number */
  guint                author;
  gint64               started_at;
  guint                index;
  guint                n_points;
  gint64               stamp;
} Op;

/* Applies @op as TandemBoardSync would. */
static void
apply (TandemBoardModel *model,
       const Op         *op)
{
  g_autofree char *id = stroke_id (op->stroke);
  TandemPoint points[8];

  for (guint i = 0; i < op->n_points; i++)
    points[i] = (TandemPoint) { op->stroke * 10 + op->index + i, op->author, 0.5 };

  switch (op->kind)
    {
    case TANDEM_BOARD_EVENT_START:
      if (tandem_board_model_lookup (model, id) == NULL)
        {
          g_autoptr(TandemStroke) stroke = stroke_new (op->stroke, authors[op->author], op->started_at);

          _tandem_stroke_set_points_from (stroke, 0, points, op->n_points);
          tandem_board_model_add (model, stroke);
        }
      break;
    case TANDEM_BOARD_EVENT_DRAW:
      tandem_board_model_set_points (model, id, op->index, points, op->n_points);
      break;
    case TANDEM_BOARD_EVENT_END:
      tandem_board_model_finish (model, id, op->n_points);
      break;
    case TANDEM_BOARD_EVENT_ERASE:
      tandem_board_model_erase (model, id, op->stamp);
      break;
    case TANDEM_BOARD_EVENT_RESTORE:
      tandem_board_model_restore (model, id, op->stamp);
      break;
    case TANDEM_BOARD_EVENT_SAVED:
    case TANDEM_BOARD_EVENT_CURSOR:
    default:
      g_assert_not_reached ();
    }
}

/* The visible ids with their points: what a canvas would draw. */
static char *
picture (TandemBoardModel *model)
{
  g_autoptr(GString) text = g_string_new (NULL);
  guint n = g_list_model_get_n_items (G_LIST_MODEL (model));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(TandemStroke) stroke = g_list_model_get_item (G_LIST_MODEL (model), i);
      const TandemPoint *p;
      guint n_points;

      p = tandem_stroke_get_points (stroke, &n_points);
      g_string_append_printf (text, "%s[", tandem_stroke_get_id (stroke) + 24);
      for (guint j = 0; j < n_points; j++)
        g_string_append_printf (text, "%g ", p[j].x);
      g_string_append (text, "] ");
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static void
test_convergence (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (42);
  /* Each author's own events arrive in the order they were sent (one
   * connection); erases and restores come from anyone, in any order. */
  GPtrArray *streams[G_N_ELEMENTS (authors) + 1];
  g_autoptr(TandemBoardModel) reference = tandem_board_model_new ();
  g_autofree char *expected = NULL;
  guint n_strokes = 0;

  for (guint s = 0; s < G_N_ELEMENTS (streams); s++)
    streams[s] = g_ptr_array_new_with_free_func (g_free);

  for (guint a = 0; a < G_N_ELEMENTS (authors); a++)
    for (guint k = 0; k < 6; k++)
      {
        guint number = ++n_strokes;
        gint64 t = 1000 + g_rand_int_range (rand, 0, 4);   /* start times collide on purpose */
        Op *start = g_new0 (Op, 1);

        *start = (Op) { TANDEM_BOARD_EVENT_START, number, a, t, 0, 2, 0 };
        g_ptr_array_add (streams[a], start);
        for (guint d = 0; d < 3; d++)
          {
            Op *draw = g_new0 (Op, 1);

            *draw = (Op) { TANDEM_BOARD_EVENT_DRAW, number, a, t, 2 + 2 * d, 2, 0 };
            g_ptr_array_add (streams[a], draw);
          }
        {
          Op *end = g_new0 (Op, 1);

          *end = (Op) { TANDEM_BOARD_EVENT_END, number, a, t, 0, 8, 0 };
          g_ptr_array_add (streams[a], end);
        }
      }
  /* erases and restores, with clashing stamps too */
  for (guint k = 0; k < 30; k++)
    {
      Op *op = g_new0 (Op, 1);

      op->kind = g_rand_boolean (rand) ? TANDEM_BOARD_EVENT_ERASE : TANDEM_BOARD_EVENT_RESTORE;
      op->stroke = g_rand_int_range (rand, 1, n_strokes + 3);   /* some never drawn */
      op->stamp = g_rand_int_range (rand, 1, 12);
      g_ptr_array_add (streams[G_N_ELEMENTS (authors)], op);
    }

  /* the reference: the streams one after the other */
  for (guint s = 0; s < G_N_ELEMENTS (streams); s++)
    for (guint i = 0; i < streams[s]->len; i++)
      apply (reference, streams[s]->pdata[i]);
  expected = picture (reference);
  g_assert_cmpuint (tandem_board_model_get_n_strokes (reference), >, 5);
  g_assert_cmpuint (tandem_board_model_get_n_strokes (reference), <, n_strokes);

  for (guint round = 0; round < 200; round++)
    {
      g_autoptr(TandemBoardModel) model = tandem_board_model_new ();
      guint next[G_N_ELEMENTS (streams)] = { 0, };
      g_autoptr(GPtrArray) erasures = g_ptr_array_copy (streams[G_N_ELEMENTS (authors)], NULL, NULL);
      g_autofree char *got = NULL;

      /* the copy would free the operations */
      g_ptr_array_set_free_func (erasures, NULL);
      /* any order of the erase stream */
      for (guint i = erasures->len; i > 1; i--)
        {
          guint j = g_rand_int_range (rand, 0, i);
          gpointer tmp = erasures->pdata[i - 1];

          erasures->pdata[i - 1] = erasures->pdata[j];
          erasures->pdata[j] = tmp;
        }
      for (;;)
        {
          guint pending[G_N_ELEMENTS (streams)], n_pending = 0;

          for (guint s = 0; s < G_N_ELEMENTS (streams); s++)
            if (next[s] < (s < G_N_ELEMENTS (authors) ? streams[s]->len : erasures->len))
              pending[n_pending++] = s;
          if (n_pending == 0)
            break;
          {
            guint s = pending[g_rand_int_range (rand, 0, n_pending)];
            GPtrArray *stream = s < G_N_ELEMENTS (authors) ? streams[s] : erasures;

            apply (model, stream->pdata[next[s]++]);
          }
        }
      got = picture (model);
      g_assert_cmpstr (got, ==, expected);
    }
  for (guint s = 0; s < G_N_ELEMENTS (streams); s++)
    g_ptr_array_unref (streams[s]);
}

static void
test_register (void)
{
  g_autoptr(TandemBoardModel) model = tandem_board_model_new ();
  g_autoptr(TandemStroke) a = stroke_new (1, authors[0], 10);
  g_autofree char *id = stroke_id (1);
  g_autofree char *later = stroke_id (2);
  g_autoptr(TandemStroke) b = NULL;

  tandem_board_model_add (model, a);
  /* never erased: a restore at stamp 0 is nothing */
  g_assert_false (tandem_board_model_restore (model, id, 0));
  g_assert_true (tandem_board_model_erase (model, id, 5));
  g_assert_cmpuint (tandem_board_model_get_n_strokes (model), ==, 0);
  g_assert_true (tandem_board_model_is_erased (model, id));
  g_assert_nonnull (tandem_board_model_lookup (model, id));
  /* an older restore loses; an equal one too (erase wins ties) */
  g_assert_false (tandem_board_model_restore (model, id, 4));
  g_assert_false (tandem_board_model_restore (model, id, 5));
  g_assert_cmpuint (tandem_board_model_get_n_strokes (model), ==, 0);
  g_assert_true (tandem_board_model_restore (model, id, 6));
  g_assert_cmpuint (tandem_board_model_get_n_strokes (model), ==, 1);
  g_assert_cmpint (tandem_board_model_get_stamp (model, id), ==, 6);
  /* an erase that overtook its stroke: it arrives hidden */
  g_assert_true (tandem_board_model_erase (model, later, 3));
  b = stroke_new (2, authors[1], 20);
  g_assert_true (tandem_board_model_add (model, b));
  g_assert_cmpuint (tandem_board_model_get_n_strokes (model), ==, 1);
  g_assert_true (tandem_board_model_restore (model, later, 4));
  g_assert_cmpuint (tandem_board_model_get_n_strokes (model), ==, 2);
}

static void
test_clear_is_one_change (void)
{
  g_autoptr(TandemBoardModel) model = tandem_board_model_new ();
  g_auto(GStrv) ids = NULL;
  Changes changes = { 0, };

  for (guint i = 0; i < 50; i++)
    {
      g_autoptr(TandemStroke) stroke = stroke_new (i + 1, authors[i % 3], i);

      tandem_board_model_add (model, stroke);
    }
  ids = tandem_board_model_dup_ids (model);
  g_signal_connect (model, "items-changed", G_CALLBACK (on_items_changed), &changes);
  g_assert_cmpuint (tandem_board_model_erase_many (model, (const char * const *) ids, 50, 9), ==, 50);
  g_assert_cmpuint (changes.signals, ==, 1);
  g_assert_cmpuint (changes.removed, ==, 50);
  g_assert_cmpuint (tandem_board_model_get_n_strokes (model), ==, 0);
  /* erasing again changes nothing */
  g_assert_cmpuint (tandem_board_model_erase_many (model, (const char * const *) ids, 50, 9), ==, 0);
  g_assert_cmpuint (changes.signals, ==, 1);

  tandem_board_model_reset (model);
  g_assert_null (tandem_board_model_lookup (model, ids[0]));
  g_assert_false (tandem_board_model_is_erased (model, ids[0]));
}

typedef struct
{
  guint last_first;
  guint count;
  guint finished;
} StrokeChanges;

static void
on_stroke_finished (TandemBoardModel *model,
                    TandemStroke     *stroke,
                    StrokeChanges    *changes)
{
  changes->finished++;
}

static void
on_stroke_changed (TandemBoardModel *model,
                   TandemStroke     *stroke,
                   guint             first,
                   StrokeChanges    *changes)
{
  changes->last_first = first;
  changes->count++;
}

static void
test_points_and_gaps (void)
{
  g_autoptr(TandemBoardModel) model = tandem_board_model_new ();
  g_autoptr(TandemStroke) stroke = stroke_new (1, authors[0], 1);
  g_autoptr(TandemStroke) saved = NULL;
  g_autofree char *id = stroke_id (1);
  TandemPoint p[4] = { { 0, 0, 1 }, { 1, 1, 1 }, { 2, 2, 1 }, { 3, 3, 1 } };
  StrokeChanges changes = { 0, };
  TandemRect bounds;

  g_signal_connect (model, "stroke-changed", G_CALLBACK (on_stroke_changed), &changes);
  g_signal_connect (model, "stroke-finished", G_CALLBACK (on_stroke_finished), &changes);
  tandem_board_model_add (model, stroke);
  g_assert_true (tandem_board_model_set_points (model, id, 0, p, 2));
  /* repeated (a resend): lands where it belongs */
  g_assert_true (tandem_board_model_set_points (model, id, 1, p + 1, 2));
  g_assert_cmpuint (tandem_stroke_get_n_points (stroke), ==, 3);
  g_assert_cmpuint (changes.last_first, ==, 1);
  g_assert_cmpuint (changes.count, ==, 2);
  tandem_stroke_get_bounds (stroke, &bounds);
  g_assert_cmpfloat (bounds.x, ==, -1);
  g_assert_cmpfloat (bounds.width, ==, 4);

  /* a gap: refused, and the stroke is known to be incomplete */
  g_assert_false (tandem_board_model_set_points (model, id, 5, p, 1));
  g_assert_false (tandem_stroke_get_complete (stroke));
  g_assert_cmpuint (changes.finished, ==, 0);
  g_assert_false (tandem_board_model_finish (model, id, 9));
  g_assert_true (tandem_stroke_get_finished (stroke));
  g_assert_cmpuint (changes.finished, ==, 1);
  /* an end repeated is no news */
  tandem_board_model_finish (model, id, 9);
  g_assert_cmpuint (changes.finished, ==, 1);
  /* an incomplete stroke still takes a resend */
  g_assert_true (tandem_board_model_set_points (model, id, 0, p, 4));

  /* the saved copy completes it */
  saved = tandem_stroke_copy (stroke);
  _tandem_stroke_set_points_from (saved, 0, p, 4);
  tandem_board_model_put_saved (model, saved);
  g_assert_true (tandem_stroke_get_complete (stroke));
  g_assert_cmpuint (tandem_stroke_get_n_points (stroke), ==, 4);
  g_assert_cmpuint (changes.last_first, ==, 0);
  /* finished and complete: final */
  g_assert_false (tandem_board_model_set_points (model, id, 0, p, 1));
  g_assert_cmpuint (tandem_stroke_get_n_points (stroke), ==, 4);
  /* the unknown */
  g_assert_false (tandem_board_model_set_points (model, "nope", 0, p, 1));
  g_assert_false (tandem_board_model_finish (model, "nope", 1));
}

static void
test_hit_test (void)
{
  g_autoptr(TandemBoardModel) model = tandem_board_model_new ();
  g_autoptr(TandemStroke) line = tandem_stroke_new ("00000000-0000-4000-8000-000000000001", authors[0],
                                                     TANDEM_TOOL_LINE, "#000000", 2, 1);
  g_autoptr(TandemStroke) rect = tandem_stroke_new ("00000000-0000-4000-8000-000000000002", authors[0],
                                                     TANDEM_TOOL_RECTANGLE, "#000000", 2, 2);
  g_autoptr(TandemStroke) ellipse = tandem_stroke_new ("00000000-0000-4000-8000-000000000003", authors[0],
                                                        TANDEM_TOOL_ELLIPSE, "#000000", 2, 3);
  TandemPoint l[2] = { { 0, 0, 1 }, { 100, 0, 1 } };
  TandemPoint r[2] = { { 0, -50, 1 }, { 100, 50, 1 } };
  g_autoptr(GPtrArray) hits = NULL;

  _tandem_stroke_set_points_from (line, 0, l, 2);
  _tandem_stroke_set_points_from (rect, 0, r, 2);
  _tandem_stroke_set_points_from (ellipse, 0, r, 2);
  tandem_board_model_add (model, line);
  tandem_board_model_add (model, rect);
  tandem_board_model_add (model, ellipse);

  /* on the line, inside the rectangle (not on its edge): the line only;
   * and the ellipse's outline at its leftmost point */
  hits = tandem_board_model_hit_test (model, 50, 1, 2);
  g_assert_cmpuint (hits->len, ==, 1);
  g_assert_true (hits->pdata[0] == line);
  g_clear_pointer (&hits, g_ptr_array_unref);
  hits = tandem_board_model_hit_test (model, 0, 0, 1);
  /* topmost first: ellipse (leftmost point), rectangle's left edge, line's end */
  g_assert_cmpuint (hits->len, ==, 3);
  g_assert_true (hits->pdata[0] == ellipse);
  g_assert_true (hits->pdata[2] == line);
  g_clear_pointer (&hits, g_ptr_array_unref);
  hits = tandem_board_model_hit_test (model, 500, 500, 10);
  g_assert_cmpuint (hits->len, ==, 0);
}

static void
test_export_svg (void)
{
  g_autoptr(TandemBoardModel) model = tandem_board_model_new ();
  g_autoptr(TandemStroke) pen = tandem_stroke_new ("00000000-0000-4000-8000-000000000001", authors[0],
                                                    TANDEM_TOOL_PEN, "#1c71d8", 4, 1);
  g_autoptr(TandemStroke) text = tandem_stroke_new ("00000000-0000-4000-8000-000000000002", authors[1],
                                                     TANDEM_TOOL_TEXT, "#e01b2480", 20, 2);
  g_autoptr(TandemStroke) rect = tandem_stroke_new ("00000000-0000-4000-8000-000000000003", authors[1],
                                                     TANDEM_TOOL_RECTANGLE, "#000000", 2, 3);
  TandemPoint p[3] = { { 10, 10, 0 }, { 20, 10, 0.01 }, { 30, 15, 1 } };
  TandemPoint anchor = { 5.5, 40, 1 };
  TandemPoint corners[2] = { { 50, 60 }, { 40, 30 } };
  g_autofree char *svg = NULL;
  g_autofree char *empty = NULL;
  g_autoptr(TandemBoardModel) none = tandem_board_model_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GMarkupParseContext) context = NULL;
  static const GMarkupParser parser = { NULL, };

  _tandem_stroke_set_points_from (pen, 0, p, 3);
  _tandem_stroke_set_points_from (text, 0, &anchor, 1);
  _tandem_stroke_set_text (text, "a < b & \"c\"");
  _tandem_stroke_set_points_from (rect, 0, corners, 2);
  tandem_board_model_add (model, pen);
  tandem_board_model_add (model, text);
  tandem_board_model_add (model, rect);

  svg = tandem_board_export_to_svg (model, NULL, 10, "#ffffff");
  g_test_message ("%s", svg);
  /* well-formed XML */
  context = g_markup_parse_context_new (&parser, 0, NULL, NULL);
  g_assert_true (g_markup_parse_context_parse (context, svg, -1, &error));
  g_assert_true (g_markup_parse_context_end_parse (context, &error));
  g_assert_no_error (error);

  /* two widths for the pen: the light first segment and the full one */
  g_assert_nonnull (strstr (svg, "stroke=\"#1c71d8\" stroke-width=\"1.01\" d=\"M10 10 L20 10\""));
  g_assert_nonnull (strstr (svg, "stroke-width=\"2.52\" d=\"M20 10 L30 15\""));
  g_assert_nonnull (strstr (svg, "fill=\"#e01b24\" fill-opacity=\"0.5\""));
  g_assert_nonnull (strstr (svg, "&lt; b &amp; &quot;c&quot;"));
  /* the rectangle from any two corners */
  g_assert_nonnull (strstr (svg, "<rect fill=\"none\" stroke-linejoin=\"round\" x=\"40\" y=\"30\" width=\"10\" height=\"30\""));
  /* the bounds with the padding: pen from x 10 - 2, text from y 40 down */
  g_assert_nonnull (strstr (svg, "viewBox=\"-4.5 -2 152 77\""));
  /* order: bottom first */
  g_assert_true (strstr (svg, "#1c71d8") < strstr (svg, "#e01b24"));

  empty = tandem_board_export_to_svg (none, NULL, 10, NULL);
  g_assert_nonnull (strstr (empty, "viewBox=\"0 0 1 1\""));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/whiteboards/model/order", test_order);
  g_test_add_func ("/whiteboards/model/convergence", test_convergence);
  g_test_add_func ("/whiteboards/model/register", test_register);
  g_test_add_func ("/whiteboards/model/clear-is-one-change", test_clear_is_one_change);
  g_test_add_func ("/whiteboards/model/points-and-gaps", test_points_and_gaps);
  g_test_add_func ("/whiteboards/model/hit-test", test_hit_test);
  g_test_add_func ("/whiteboards/export/svg", test_export_svg);

  return g_test_run ();
}
