/* test-crdt-traces.c: replaying real editing traces
 *
 * Sequential traces are replayed edit by edit and must end with exactly
 * their endContent; so must a fresh document loaded from the encoding.
 * The concurrent trace is replayed by forking and merging: each agent has
 * its own document, gets exactly the ancestors of each transaction before
 * applying it, and all documents converge to endContent.
 *
 * The traces directory is the first argument (meson passes it). A missing
 * trace is a failure, not a skip.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "crdt-test-util.h"
#include "crdt-trace.h"

static const char *traces_dir;

static Trace *
load (const char *name)
{
  g_autofree char *path = g_build_filename (traces_dir, name, NULL);
  g_autoptr(GError) error = NULL;
  Trace *t;

  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    g_error ("Editing trace %s is missing (expected in %s, i.e. ../shared/data/editing-traces "
             "relative to the source root)", name, traces_dir);
  t = trace_load (path, &error);
  g_assert_no_error (error);
  return t;
}

static void
replay_sequential (gconstpointer data)
{
  Trace *t = load (data);
  TandemYDoc *doc = tandem_ydoc_new (1);
  guint32 text = tandem_ydoc_get_text (doc, "text");
  g_autoptr(GError) error = NULL;

  g_assert_false (t->concurrent);
  if (*t->start_content)
    g_assert_true (tandem_ydoc_text_insert (doc, text, 0, t->start_content, -1, &error));
  for (guint i = 0; i < t->patches->len; i++)
    {
      TracePatch *p = &g_array_index (t->patches, TracePatch, i);
      if (p->ndel)
        g_assert_true (tandem_ydoc_text_delete (doc, text, p->pos, p->ndel, &error));
      if (p->ins)
        g_assert_true (tandem_ydoc_text_insert (doc, text, p->pos, p->ins, p->ins_len, &error));
    }
  g_assert_no_error (error);
  g_autofree char *end = tandem_ydoc_text_to_string (doc, text, NULL);
  g_assert_true (g_str_equal (end, t->end_content));
  g_assert_cmpuint (tandem_ydoc_text_length (doc, text), ==, g_utf8_strlen (t->end_content, -1));

  g_autoptr(GBytes) state = tandem_ydoc_encode_state_as_update (doc, NULL, 0, NULL);
  TandemYDoc *copy = tandem_ydoc_new (2);
  g_assert_true (tandem_ydoc_apply_update (copy, g_bytes_get_data (state, NULL), g_bytes_get_size (state), NULL, &error));
  g_autofree char *end2 = text_of (copy, "text");
  g_assert_true (g_str_equal (end2, t->end_content));
  g_autoptr(GBytes) state2 = tandem_ydoc_encode_state_as_update (copy, NULL, 0, NULL);
  g_assert_true (g_bytes_equal (state, state2));
  g_test_message ("%s: %u edits, %zu bytes encoded, %zu bytes of document memory", (const char *) data,
                  t->patches->len, g_bytes_get_size (state), tandem_ydoc_memory_size (doc));
  tandem_ydoc_free (copy);
  tandem_ydoc_free (doc);
  trace_free (t);
}

static void
save_update (TandemYDoc *doc, const guint8 *update, gsize len, gboolean local, gpointer data)
{
  GBytes **slot = data;
  if (local)
    {
      g_clear_pointer (slot, g_bytes_unref);
      *slot = g_bytes_new (update, len);
    }
}

static void
replay_concurrent (gconstpointer data)
{
  Trace *t = load (data);
  guint n = t->txns->len;
  g_autoptr(GPtrArray) updates = g_ptr_array_new_full (n, (GDestroyNotify) g_bytes_unref);
  TandemYDoc **docs = g_new0 (TandemYDoc *, t->num_agents);
  guint8 **applied = g_new0 (guint8 *, t->num_agents);
  g_autoptr(GArray) stack = g_array_new (FALSE, FALSE, sizeof (guint));
  GBytes *last_update = NULL;

  g_assert_true (t->concurrent);
  for (guint a = 0; a < t->num_agents; a++)
    {
      docs[a] = tandem_ydoc_new (a + 1);
      applied[a] = g_new0 (guint8, n);
      tandem_ydoc_set_update_func (docs[a], save_update, &last_update);
    }
  for (guint i = 0; i < n; i++)
    {
      TraceTxn *tx = &g_array_index (t->txns, TraceTxn, i);
      TandemYDoc *doc = docs[tx->agent];
      guint8 *done = applied[tx->agent];

      /* Give the agent exactly the ancestors it does not have yet, causally. */
      for (guint k = 0; k < tx->n_parents; k++)
        g_array_append_val (stack, tx->parents[k]);
      while (stack->len > 0)
        {
          guint j = g_array_index (stack, guint, stack->len - 1);
          TraceTxn *pj = &g_array_index (t->txns, TraceTxn, j);
          gboolean ready = TRUE;
          if (done[j])
            {
              g_array_set_size (stack, stack->len - 1);
              continue;
            }
          for (guint k = 0; k < pj->n_parents; k++)
            if (!done[pj->parents[k]])
              {
                g_array_append_val (stack, pj->parents[k]);
                ready = FALSE;
              }
          if (!ready)
            continue;
          GBytes *u = g_ptr_array_index (updates, j);
          g_assert_true (tandem_ydoc_apply_update (doc, g_bytes_get_data (u, NULL), g_bytes_get_size (u), NULL, NULL));
          done[j] = 1;
          g_array_set_size (stack, stack->len - 1);
        }

      guint32 text = tandem_ydoc_get_text (doc, "text");
      tandem_ydoc_begin (doc, NULL);
      for (guint k = 0; k < tx->n_patches; k++)
        {
          TracePatch *p = &g_array_index (t->patches, TracePatch, tx->first_patch + k);
          g_autoptr(GError) error = NULL;
          if (p->ndel)
            tandem_ydoc_text_delete (doc, text, p->pos, p->ndel, &error);
          if (p->ins)
            tandem_ydoc_text_insert (doc, text, p->pos, p->ins, p->ins_len, &error);
          g_assert_no_error (error);
        }
      tandem_ydoc_commit (doc);
      g_assert_nonnull (last_update);
      g_ptr_array_add (updates, g_steal_pointer (&last_update));
      done[i] = 1;
    }

  /* Merge everything everywhere; all agents and a fresh document converge. */
  TandemYDoc *all = tandem_ydoc_new (1000);
  for (guint i = n; i > 0; i--)
    {
      GBytes *u = g_ptr_array_index (updates, i - 1);
      g_assert_true (tandem_ydoc_apply_update (all, g_bytes_get_data (u, NULL), g_bytes_get_size (u), NULL, NULL));
    }
  g_assert_false (tandem_ydoc_has_pending (all));
  g_autofree char *end = text_of (all, "text");
  g_assert_true (g_str_equal (end, t->end_content));
  g_autoptr(GBytes) sv_all = tandem_ydoc_encode_state_vector (all);
  for (guint a = 0; a < t->num_agents; a++)
    {
      g_autoptr(GBytes) sv = tandem_ydoc_encode_state_vector (docs[a]);
      g_autoptr(GBytes) diff = tandem_ydoc_encode_state_as_update (all, g_bytes_get_data (sv, NULL), g_bytes_get_size (sv), NULL);
      g_assert_true (tandem_ydoc_apply_update (docs[a], g_bytes_get_data (diff, NULL), g_bytes_get_size (diff), NULL, NULL));
      g_autofree char *e = text_of (docs[a], "text");
      g_assert_true (g_str_equal (e, t->end_content));
      g_autoptr(GBytes) sv2 = tandem_ydoc_encode_state_vector (docs[a]);
      g_assert_true (g_bytes_equal (sv2, sv_all));
      g_autofree char *r1 = tandem_ydoc_dump_runs (docs[a], tandem_ydoc_get_text (docs[a], "text"));
      g_autofree char *r2 = tandem_ydoc_dump_runs (all, tandem_ydoc_get_text (all, "text"));
      g_assert_cmpstr (r1, ==, r2);
    }
  g_test_message ("%s: %u transactions by %u agents converged", (const char *) data, n, t->num_agents);
  tandem_ydoc_free (all);
  for (guint a = 0; a < t->num_agents; a++)
    {
      tandem_ydoc_free (docs[a]);
      g_free (applied[a]);
    }
  g_free (docs);
  g_free (applied);
  trace_free (t);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  if (argc < 2)
    g_error ("usage: %s TRACES-DIR (the editing traces directory)", argv[0]);
  traces_dir = argv[1];
  if (!g_file_test (traces_dir, G_FILE_TEST_IS_DIR))
    g_error ("Editing traces directory %s is missing (expected ../shared/data/editing-traces "
             "relative to the source root)", traces_dir);
  g_test_add_data_func ("/crdt/traces/automerge-paper", "automerge-paper.json.gz", replay_sequential);
  g_test_add_data_func ("/crdt/traces/seph-blog1", "seph-blog1.json.gz", replay_sequential);
  g_test_add_data_func ("/crdt/traces/friendsforever", "friendsforever.json.gz", replay_concurrent);
  return g_test_run ();
}
