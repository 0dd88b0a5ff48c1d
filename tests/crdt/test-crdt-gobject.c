/* test-crdt-gobject.c: TandemDocument, TandemText deltas, the undo manager,
 * relative positions through TandemText, awareness and sync messages.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "crdt-test-util.h"
#include "tandem-awareness.h"
#include "tandem-document.h"
#include "tandem-sync.h"
#include "tandem-text.h"
#include "tandem-undo-manager.h"
#include "tandem-ydoc-encoding.h"

/* A plain model of a text buffer that only follows the deltas. */
typedef struct
{
  GString *s;  /* UTF-8 */
  guint    local, remote;
} Mirror;

static void
on_changed (TandemText *text, TandemDelta *delta, gboolean local, gpointer data)
{
  Mirror *m = data;
  gsize pos = 0;
  if (local)
    m->local++;
  else
    m->remote++;
  for (guint i = 0; i < tandem_delta_get_n_ops (delta); i++)
    {
      guint len;
      const char *str;
      switch (tandem_delta_get_op (delta, i, &len, &str))
        {
        case TANDEM_DELTA_RETAIN:
          pos = g_utf8_offset_to_pointer (m->s->str + pos, len) - m->s->str;
          break;
        case TANDEM_DELTA_DELETE:
          g_string_erase (m->s, pos, g_utf8_offset_to_pointer (m->s->str + pos, len) - (m->s->str + pos));
          break;
        case TANDEM_DELTA_INSERT:
          g_assert_cmpuint (g_utf8_strlen (str, -1), ==, len);
          g_string_insert (m->s, pos, str);
          pos += strlen (str);
          break;
        default:
          g_assert_not_reached ();
        }
    }
}

static void
relay (TandemDocument *from, GBytes *update, gboolean local, gpointer to)
{
  g_autoptr(GError) error = NULL;
  if (local)
    g_assert_true (tandem_document_apply_update (to, update, &error));
  g_assert_no_error (error);
}

static void
raw_relay (TandemYDoc *doc, const guint8 *update, gsize len, gboolean local, gpointer to)
{
  g_autoptr(GBytes) b = g_bytes_new (update, len);
  TandemDocument **docs = to;
  if (local)
    for (int i = 0; i < 2; i++)
      g_assert_true (tandem_document_apply_update (docs[i], b, NULL));
}

static void
test_deltas (void)
{
  g_autoptr(TandemDocument) a = tandem_document_new_with_client_id (1);
  g_autoptr(TandemDocument) b = tandem_document_new_with_client_id (2);
  TandemText *ta = tandem_document_get_text (a, "t"), *tb = tandem_document_get_text (b, "t");
  Mirror ma = { g_string_new (NULL), 0, 0 }, mb = { g_string_new (NULL), 0, 0 };
  TandemYDoc *raw = tandem_ydoc_new (3);
  guint32 traw = tandem_ydoc_get_text (raw, "t");
  g_autoptr(GRand) rand = g_rand_new_with_seed (7);
  static const char *pieces[] = { "a", "é", "😀", "中", "\n", "🇰🇷" };

  g_assert_true (tandem_document_get_text (a, "t") == ta);
  g_assert_cmpstr (tandem_text_get_name (ta), ==, "t");
  g_signal_connect (ta, "changed", G_CALLBACK (on_changed), &ma);
  g_signal_connect (tb, "changed", G_CALLBACK (on_changed), &mb);
  g_signal_connect (a, "update", G_CALLBACK (relay), b);
  g_signal_connect (b, "update", G_CALLBACK (relay), a);
  /* a raw peer that edits by UTF-16 index, splitting surrogate pairs */
  TandemDocument *both[2] = { a, b };
  tandem_ydoc_set_update_func (raw, raw_relay, both);

  for (int i = 0; i < 400; i++)
    {
      TandemText *t = g_rand_boolean (rand) ? ta : tb;
      guint len = tandem_text_get_length (t);
      g_autoptr(GError) error = NULL;
      if (i % 50 == 49)
        {
          /* the raw peer catches up, then edits by UTF-16 index */
          g_autoptr(GBytes) sv = tandem_ydoc_encode_state_vector (raw);
          g_autoptr(GBytes) diff = tandem_document_encode_state_as_update (a, sv, NULL);
          tandem_ydoc_apply_update (raw, g_bytes_get_data (diff, NULL), g_bytes_get_size (diff), NULL, NULL);
          guint l16 = tandem_ydoc_text_length_utf16 (raw, traw);
          if (l16 > 2)
            tandem_ydoc_text_delete_utf16 (raw, traw, g_rand_int_range (rand, 0, l16 - 1), 1, NULL);
          continue;
        }
      if (len == 0 || g_rand_int_range (rand, 0, 3))
        g_assert_true (tandem_text_insert (t, g_rand_int_range (rand, 0, len + 1),
                                           pieces[g_rand_int_range (rand, 0, G_N_ELEMENTS (pieces))], -1, &error));
      else
        {
          guint pos = g_rand_int_range (rand, 0, len);
          g_assert_true (tandem_text_delete (t, pos, MIN (len - pos, 3), &error));
        }
      g_assert_no_error (error);
      g_autofree char *sa = tandem_text_get_string (ta);
      g_autofree char *sb = tandem_text_get_string (tb);
      g_assert_cmpstr (sa, ==, sb);
      g_assert_cmpstr (ma.s->str, ==, sa);
      g_assert_cmpstr (mb.s->str, ==, sb);
    }
  g_assert_cmpuint (ma.local, >, 0);
  g_assert_cmpuint (ma.remote, >, 0);
  g_string_free (ma.s, TRUE);
  g_string_free (mb.s, TRUE);
  tandem_ydoc_free (raw);
}

static void
test_undo (void)
{
  g_autoptr(TandemDocument) a = tandem_document_new_with_client_id (10);
  g_autoptr(TandemDocument) b = tandem_document_new_with_client_id (20);
  TandemText *ta = tandem_document_get_text (a, "t"), *tb = tandem_document_get_text (b, "t");
  g_autoptr(TandemUndoManager) um = tandem_undo_manager_new (ta);
  g_autofree char *s = NULL;

  g_object_set (um, "capture-timeout", 0, NULL);
  g_signal_connect (a, "update", G_CALLBACK (relay), b);
  g_signal_connect (b, "update", G_CALLBACK (relay), a);
  g_assert_false (tandem_undo_manager_get_can_undo (um));
  g_assert_true (tandem_text_insert (ta, 0, "hello", -1, NULL));
  g_assert_true (tandem_text_insert (ta, 5, " world", -1, NULL));
  g_assert_true (tandem_text_insert (tb, 11, " (from b)", -1, NULL));   /* a peer */
  g_assert_true (tandem_text_insert (tb, 0, "> ", -1, NULL));
  g_assert_true (tandem_undo_manager_get_can_undo (um));

  g_assert_true (tandem_undo_manager_undo (um));
  s = tandem_text_get_string (tb);
  g_assert_cmpstr (s, ==, "> hello (from b)");
  g_clear_pointer (&s, g_free);
  g_assert_true (tandem_undo_manager_get_can_redo (um));
  g_assert_true (tandem_undo_manager_redo (um));
  s = tandem_text_get_string (tb);
  g_assert_cmpstr (s, ==, "> hello world (from b)");
  g_clear_pointer (&s, g_free);

  /* deletions come back where they were, peers' edits stay */
  g_assert_true (tandem_text_delete (ta, 2, 6, NULL));                  /* "hello " */
  s = tandem_text_get_string (ta);
  g_assert_cmpstr (s, ==, "> world (from b)");
  g_clear_pointer (&s, g_free);
  g_assert_true (tandem_text_insert (tb, 2, "[b]", -1, NULL));
  g_assert_true (tandem_undo_manager_undo (um));
  s = tandem_text_get_string (tb);
  /* b typed after the tombstones of "hello ", so it stays after them */
  g_assert_cmpstr (s, ==, "> hello [b]world (from b)");
  g_clear_pointer (&s, g_free);
  g_assert_true (tandem_undo_manager_undo (um));                        /* " world", restored " " too */
  g_assert_true (tandem_undo_manager_undo (um));                        /* "hello" */
  g_assert_false (tandem_undo_manager_undo (um));
  s = tandem_text_get_string (ta);
  g_assert_cmpstr (s, ==, "> [b] (from b)");
  g_clear_pointer (&s, g_free);
  g_assert_true (tandem_undo_manager_redo (um));
  g_assert_true (tandem_undo_manager_redo (um));
  g_assert_true (tandem_undo_manager_redo (um));
  g_assert_false (tandem_undo_manager_redo (um));
  s = tandem_text_get_string (tb);
  g_assert_cmpstr (s, ==, "> [b]world (from b)");  /* the third redo deletes "hello " again */
  g_clear_pointer (&s, g_free);

  /* within the capture timeout, changes form one step; a new change clears redo */
  g_object_set (um, "capture-timeout", 60000, NULL);
  tandem_undo_manager_stop_capturing (um);
  g_assert_true (tandem_text_insert (ta, 0, "1", -1, NULL));
  g_assert_true (tandem_text_insert (ta, 1, "2", -1, NULL));
  g_assert_true (tandem_text_delete (ta, 0, 1, NULL));
  g_assert_true (tandem_undo_manager_undo (um));
  s = tandem_text_get_string (ta);
  g_assert_cmpstr (s, ==, "> [b]world (from b)");
  g_clear_pointer (&s, g_free);
  g_assert_true (tandem_undo_manager_get_can_redo (um));
  g_assert_true (tandem_text_insert (ta, 0, "x", -1, NULL));
  g_assert_false (tandem_undo_manager_get_can_redo (um));
  s = tandem_text_get_string (tb);
  g_assert_cmpstr (s, ==, "x> [b]world (from b)");
}

static void
test_text_relative_positions (void)
{
  g_autoptr(TandemDocument) a = tandem_document_new_with_client_id (1);
  g_autoptr(TandemDocument) b = tandem_document_new_with_client_id (2);
  TandemText *ta = tandem_document_get_text (a, "t"), *tb = tandem_document_get_text (b, "t");
  guint pos;

  g_signal_connect (a, "update", G_CALLBACK (relay), b);
  g_signal_connect (b, "update", G_CALLBACK (relay), a);
  g_assert_true (tandem_text_insert (ta, 0, "a😀bc", -1, NULL));
  g_autoptr(TandemRelativePosition) cursor = tandem_text_create_relative_position (ta, 2, 0);   /* before b */
  g_autoptr(TandemRelativePosition) end = tandem_text_create_relative_position (ta, 4, 0);
  g_autoptr(TandemRelativePosition) left = tandem_text_create_relative_position (ta, 2, -1);    /* after 😀 */
  g_assert_true (tandem_text_insert (tb, 0, "中中", -1, NULL));
  g_assert_true (tandem_text_insert (tb, 4, "X", -1, NULL));                                   /* between 😀 and b */
  g_assert_true (tandem_text_resolve_relative_position (ta, cursor, &pos));
  g_assert_cmpuint (pos, ==, 5);
  g_assert_true (tandem_text_resolve_relative_position (ta, left, &pos));
  g_assert_cmpuint (pos, ==, 4);
  g_assert_true (tandem_text_resolve_relative_position (ta, end, &pos));
  g_assert_cmpuint (pos, ==, 7);
  g_assert_true (tandem_text_delete (tb, 5, 1, NULL));                                         /* delete b */
  g_assert_true (tandem_text_resolve_relative_position (ta, cursor, &pos));
  g_assert_cmpuint (pos, ==, 5);
  /* the JSON form round-trips through the other replica */
  g_autofree char *json = tandem_relative_position_to_json (cursor);
  g_autoptr(TandemRelativePosition) back = tandem_relative_position_from_json (json, NULL);
  g_assert_true (tandem_text_resolve_relative_position (tb, back, &pos));
  g_assert_cmpuint (pos, ==, 5);
}

static gint64 fake_now;

static gint64
fake_clock (gpointer data)
{
  return fake_now;
}

typedef struct
{
  guint added, updated, removed, updates;
} Counts;

static void
on_aw_change (TandemAwareness *aw, GArray *added, GArray *updated, GArray *removed, gpointer origin, Counts *c)
{
  c->added += added->len;
  c->updated += updated->len;
  c->removed += removed->len;
}

static void
on_aw_update (TandemAwareness *aw, GArray *added, GArray *updated, GArray *removed, gpointer origin, Counts *c)
{
  c->updates++;
}

static void
test_awareness (void)
{
  g_autoptr(TandemAwareness) a = tandem_awareness_new (9);
  g_autoptr(TandemAwareness) b = tandem_awareness_new (10);
  g_autoptr(JsonNode) user = json_from_string ("{\"name\":\"A\",\"color\":\"#f00\"}", NULL);
  Counts cb = { 0 };

  tandem_awareness_set_time_func (a, fake_clock, NULL);
  tandem_awareness_set_time_func (b, fake_clock, NULL);
  g_signal_connect (b, "change", G_CALLBACK (on_aw_change), &cb);
  g_signal_connect (b, "update", G_CALLBACK (on_aw_update), &cb);
  tandem_awareness_set_local_state_field (a, "user", user);
  /* y-protocols bytes for setLocalStateField('user', {name:'A',color:'#f00'}) on client 9 */
  guint64 nine = 9;
  g_autoptr(GBytes) u = tandem_awareness_encode_update (a, &nine, 1);
  g_autofree char *h = bytes_to_hex (u);
  g_autofree char *expect = g_strconcat ("01090124", "7b2275736572223a7b226e616d65223a2241222c22636f6c6f72223a2223663030227d7d", NULL);
  g_assert_cmpstr (h, ==, expect);

  g_assert_true (tandem_awareness_apply_update (b, g_bytes_get_data (u, NULL), g_bytes_get_size (u), NULL, NULL));
  g_assert_cmpuint (cb.added, ==, 1);
  g_assert_nonnull (tandem_awareness_get_state (b, 9));
  g_assert_cmpuint (tandem_awareness_get_clock (b, 9), ==, 1);
  /* the same update again: no change, no update */
  guint updates = cb.updates;
  g_assert_true (tandem_awareness_apply_update (b, g_bytes_get_data (u, NULL), g_bytes_get_size (u), NULL, NULL));
  g_assert_cmpuint (cb.updates, ==, updates);

  /* malformed input changes nothing */
  static const guint8 bad[] = { 0x01, 0x09, 0x05, 0x03, '{', 'x', '}' };
  g_autoptr(GError) error = NULL;
  g_assert_false (tandem_awareness_apply_update (b, bad, sizeof bad, NULL, &error));
  g_assert_error (error, TANDEM_CRDT_ERROR, TANDEM_CRDT_ERROR_MALFORMED);
  g_assert_cmpuint (tandem_awareness_get_clock (b, 9), ==, 1);

  /* renewals: a renews after 15 s; b drops a after 30 s without news */
  fake_now += 16000;
  tandem_awareness_check (a);
  g_assert_cmpuint (tandem_awareness_get_clock (a, 9), ==, 2);
  fake_now += 15000;
  tandem_awareness_check (b);
  g_assert_null (tandem_awareness_get_state (b, 9));
  g_assert_cmpuint (cb.removed, ==, 1);

  /* leaving sends null; a null for ourselves is answered by re-announcing */
  g_autoptr(GBytes) again = tandem_awareness_encode_update (a, &nine, 1);
  tandem_awareness_apply_update (b, g_bytes_get_data (again, NULL), g_bytes_get_size (again), NULL, NULL);
  g_assert_nonnull (tandem_awareness_get_state (b, 9));
  tandem_awareness_set_local_state (a, NULL);
  g_autoptr(GBytes) leave = tandem_awareness_encode_update (a, &nine, 1);
  g_autofree char *lh = bytes_to_hex (leave);
  g_assert_true (g_str_has_suffix (lh, "046e756c6c"));
  tandem_awareness_apply_update (b, g_bytes_get_data (leave, NULL), g_bytes_get_size (leave), NULL, NULL);
  g_assert_null (tandem_awareness_get_state (b, 9));

  guint64 ten = 10;
  guint clock = tandem_awareness_get_clock (b, 10);
  YEnc enc;
  y_enc_init (&enc);
  y_enc_varuint (&enc, 1);
  y_enc_varuint (&enc, 10);
  y_enc_varuint (&enc, clock + 1);
  y_enc_varstring (&enc, "null", 4);
  tandem_awareness_apply_update (b, enc.data, enc.len, NULL, NULL);
  y_enc_clear (&enc);
  g_assert_nonnull (tandem_awareness_get_state (b, 10));
  g_assert_cmpuint (tandem_awareness_get_clock (b, 10), ==, clock + 2);
  g_autoptr(GArray) clients = tandem_awareness_get_clients (b);
  g_assert_cmpuint (clients->len, ==, 1);
  tandem_awareness_remove_states (b, &ten, 1, NULL);
  g_assert_null (tandem_awareness_get_local_state (b));
}

static void
modify_in_handler (TandemDocument *doc, GBytes *update, gboolean local, gpointer data)
{
  TandemText *t = tandem_document_get_text (doc, "t");
  /* reading is fine; changing the document from its own handler is refused */
  g_assert_cmpuint (tandem_text_get_length (t), >, 0);
  g_assert_false (tandem_text_insert (t, 0, "nested", -1, NULL));
  (*(int *) data)++;
}

static void
test_reentrancy (void)
{
  g_autoptr(TandemDocument) a = tandem_document_new ();
  int calls = 0;
  g_signal_connect (a, "update", G_CALLBACK (modify_in_handler), &calls);
  g_test_expect_message ("tandem-crdt", G_LOG_LEVEL_CRITICAL, "*in_callback == 0*");
  g_assert_true (tandem_text_insert (tandem_document_get_text (a, "t"), 0, "x", -1, NULL));
  g_test_assert_expected_messages ();
  g_assert_cmpint (calls, ==, 1);
  g_autofree char *s = tandem_text_get_string (tandem_document_get_text (a, "t"));
  g_assert_cmpstr (s, ==, "x");
}

static void
test_sync (void)
{
  TandemYDoc *a = tandem_ydoc_new (9);
  TandemYDoc *b = tandem_ydoc_new (10);
  g_assert_true (tandem_ydoc_text_insert (a, tandem_ydoc_get_text (a, "t"), 0, "x", -1, NULL));

  /* y-websocket frames from y-protocols for client 9 holding "x" */
  g_autoptr(GBytes) step1 = tandem_sync_encode_step1 (a);
  g_autoptr(GBytes) f1 = tandem_sync_frame (TANDEM_SYNC_FRAME_SYNC, step1);
  g_autofree char *h1 = bytes_to_hex (f1);
  g_assert_cmpstr (h1, ==, "0000030109" "01");
  static const guint8 empty_sv[] = { 0 };
  g_autoptr(GBytes) step2 = tandem_sync_encode_step2 (a, empty_sv, 1, NULL);
  g_autoptr(GBytes) f2 = tandem_sync_frame (TANDEM_SYNC_FRAME_SYNC, step2);
  g_autofree char *h2 = bytes_to_hex (f2);
  g_assert_cmpstr (h2, ==, "00010b0101090004010174017800");

  /* a full exchange: b asks, a answers, b applies */
  g_autoptr(GBytes) ask = tandem_sync_encode_step1 (b);
  g_autoptr(GBytes) reply = NULL;
  TandemSyncMessageType type;
  g_assert_true (tandem_sync_read_message (a, g_bytes_get_data (ask, NULL), g_bytes_get_size (ask), NULL, &type, &reply, NULL));
  g_assert_cmpint (type, ==, TANDEM_SYNC_STEP1);
  g_assert_nonnull (reply);
  g_autoptr(GBytes) none = NULL;
  g_assert_true (tandem_sync_read_message (b, g_bytes_get_data (reply, NULL), g_bytes_get_size (reply), NULL, &type, &none, NULL));
  g_assert_cmpint (type, ==, TANDEM_SYNC_STEP2);
  g_assert_null (none);
  g_autofree char *t = text_of (b, "t");
  g_assert_cmpstr (t, ==, "x");

  /* awareness frames are length-prefixed; malformed frames are errors */
  g_autoptr(GBytes) body = g_bytes_new_static ("\x01\x02", 2);
  g_autoptr(GBytes) fa = tandem_sync_frame (TANDEM_SYNC_FRAME_AWARENESS, body);
  TandemSyncFrameKind kind;
  const guint8 *inner;
  gsize inner_len;
  g_assert_true (tandem_sync_frame_parse (g_bytes_get_data (fa, NULL), g_bytes_get_size (fa), &kind, &inner, &inner_len, NULL));
  g_assert_cmpint (kind, ==, TANDEM_SYNC_FRAME_AWARENESS);
  g_assert_cmpmem (inner, inner_len, "\x01\x02", 2);
  g_autoptr(GError) error = NULL;
  g_assert_false (tandem_sync_frame_parse ((const guint8 *) "\x01\x05\x01", 3, &kind, &inner, &inner_len, &error));
  g_assert_error (error, TANDEM_CRDT_ERROR, TANDEM_CRDT_ERROR_MALFORMED);
  g_clear_error (&error);
  g_assert_false (tandem_sync_read_message (b, (const guint8 *) "\x05\x00", 2, NULL, NULL, NULL, &error));
  g_assert_error (error, TANDEM_CRDT_ERROR, TANDEM_CRDT_ERROR_MALFORMED);
  tandem_ydoc_free (a);
  tandem_ydoc_free (b);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/crdt/gobject/deltas", test_deltas);
  g_test_add_func ("/crdt/gobject/undo", test_undo);
  g_test_add_func ("/crdt/gobject/relative-positions", test_text_relative_positions);
  g_test_add_func ("/crdt/awareness", test_awareness);
  g_test_add_func ("/crdt/sync", test_sync);
  g_test_add_func ("/crdt/gobject/reentrancy", test_reentrancy);
  return g_test_run ();
}
