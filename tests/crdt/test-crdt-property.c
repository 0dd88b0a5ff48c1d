/* test-crdt-property.c: random operation sequences with random delivery
 * orders converge.
 *
 * Each case: 2 to 4 replicas make random inserts and deletes (code point and
 * UTF-16 positions, astral text, same positions); their updates reach the
 * others late, in random order, sometimes twice, sometimes merged into one,
 * sometimes through state-vector diffs. Finally everything is delivered and
 * all replicas must have the same text, state vector, item runs (tombstones
 * included), delete set, and nothing pending.
 *
 * The seed of each case is printed on failure. TANDEM_PROPERTY_SEED sets the
 * first seed (default: from GLib's test seed), TANDEM_PROPERTY_CASES how many.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdlib.h>

#include "crdt-test-util.h"

static const char *alphabet[] = { "a", "b", "c", " ", "\n", "é", "€", "中", "😀", "🇰🇷", "e\xcc\x81" };

typedef struct
{
  TandemYDoc *doc;
  guint32     text;
  GPtrArray  *inbox; /* GBytes */
} Replica;

typedef struct
{
  GRand     *rand;
  Replica   *r;
  guint      n;
  GPtrArray *log;
} Case;

static void
on_update (TandemYDoc *doc, const guint8 *update, gsize len, gboolean local, gpointer data)
{
  Case *c = data;
  if (!local)
    return;
  GBytes *u = g_bytes_new (update, len);
  g_ptr_array_add (c->log, g_bytes_ref (u));
  for (guint i = 0; i < c->n; i++)
    {
      if (c->r[i].doc == doc)
        continue;
      g_ptr_array_add (c->r[i].inbox, g_bytes_ref (u));
      if (g_rand_int_range (c->rand, 0, 10) == 0)
        g_ptr_array_add (c->r[i].inbox, g_bytes_ref (u));
    }
  g_bytes_unref (u);
}

static gboolean
deliver (Case *c, Replica *r, gboolean all, char **err)
{
  while (r->inbox->len > 0)
    {
      guint want = g_rand_int_range (c->rand, 1, 4);
      guint n = all ? r->inbox->len : MIN (r->inbox->len, want);
      g_autoptr(GError) error = NULL;
      if (n > 1 && g_rand_int_range (c->rand, 0, 4) == 0)
        {
          /* a merged batch */
          g_autoptr(GPtrArray) batch = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
          for (guint k = 0; k < n; k++)
            g_ptr_array_add (batch, g_ptr_array_steal_index (r->inbox, g_rand_int_range (c->rand, 0, r->inbox->len)));
          g_autoptr(GBytes) m = tandem_yupdate_merge ((GBytes **) batch->pdata, batch->len, &error);
          if (m == NULL || !tandem_ydoc_apply_update (r->doc, g_bytes_get_data (m, NULL), g_bytes_get_size (m), NULL, &error))
            {
              *err = g_strdup_printf ("merged batch failed: %s", error->message);
              return FALSE;
            }
        }
      else
        for (guint k = 0; k < n; k++)
          {
            g_autoptr(GBytes) u = g_ptr_array_steal_index (r->inbox, g_rand_int_range (c->rand, 0, r->inbox->len));
            if (!tandem_ydoc_apply_update (r->doc, g_bytes_get_data (u, NULL), g_bytes_get_size (u), NULL, &error))
              {
                *err = g_strdup_printf ("apply failed: %s", error->message);
                return FALSE;
              }
          }
      if (!all)
        break;
    }
  return TRUE;
}

static char *
run_case (guint32 seed)
{
  Case c = { g_rand_new_with_seed (seed), NULL, 0, g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref) };
  char *err = NULL;

  c.n = g_rand_int_range (c.rand, 2, 5);
  c.r = g_new0 (Replica, c.n);
  for (guint i = 0; i < c.n; i++)
    {
      /* small client ids, sometimes adjacent, to stress the ordering rules */
      c.r[i].doc = tandem_ydoc_new (g_rand_int_range (c.rand, 0, 3) ? i + 1 : g_rand_int_range (c.rand, 1, 1 << 30));
      c.r[i].text = tandem_ydoc_get_text (c.r[i].doc, "t");
      c.r[i].inbox = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
      tandem_ydoc_set_update_func (c.r[i].doc, on_update, &c);
    }
  for (guint i = 1; i < c.n; i++)
    if (tandem_ydoc_get_client_id (c.r[i].doc) == tandem_ydoc_get_client_id (c.r[0].doc))
      {
        tandem_ydoc_free (c.r[i].doc);
        c.r[i].doc = tandem_ydoc_new (1000 + i);
        c.r[i].text = tandem_ydoc_get_text (c.r[i].doc, "t");
        tandem_ydoc_set_update_func (c.r[i].doc, on_update, &c);
      }

  guint ops = g_rand_int_range (c.rand, 5, 60);
  for (guint step = 0; step < ops && !err; step++)
    {
      Replica *r = &c.r[g_rand_int_range (c.rand, 0, c.n)];
      gboolean utf16 = g_rand_boolean (c.rand);
      guint len = utf16 ? tandem_ydoc_text_length_utf16 (r->doc, r->text) : tandem_ydoc_text_length (r->doc, r->text);
      guint what = g_rand_int_range (c.rand, 0, 10);
      g_autoptr(GError) error = NULL;
      gboolean ok = TRUE;

      if (what < 5 || len == 0)
        {
          g_autoptr(GString) s = g_string_new (NULL);
          for (int k = g_rand_int_range (c.rand, 1, 4); k > 0; k--)
            g_string_append (s, alphabet[g_rand_int_range (c.rand, 0, G_N_ELEMENTS (alphabet))]);
          guint pos = g_rand_int_range (c.rand, 0, 3) == 0 ? 0 : g_rand_int_range (c.rand, 0, len + 1);
          ok = utf16 ? tandem_ydoc_text_insert_utf16 (r->doc, r->text, pos, s->str, s->len, &error)
                     : tandem_ydoc_text_insert (r->doc, r->text, pos, s->str, s->len, &error);
        }
      else if (what < 8)
        {
          guint pos = g_rand_int_range (c.rand, 0, len);
          guint n = g_rand_int_range (c.rand, 1, MIN (len - pos, 4) + 1);
          ok = utf16 ? tandem_ydoc_text_delete_utf16 (r->doc, r->text, pos, n, &error)
                     : tandem_ydoc_text_delete (r->doc, r->text, pos, n, &error);
        }
      else if (what == 8)
        ok = deliver (&c, r, FALSE, &err);
      else
        {
          /* sync through a state vector diff, as y-protocols step 1/2 */
          Replica *from = &c.r[g_rand_int_range (c.rand, 0, c.n)];
          g_autoptr(GBytes) sv = tandem_ydoc_encode_state_vector (r->doc);
          g_autoptr(GBytes) diff = tandem_ydoc_encode_state_as_update (from->doc, g_bytes_get_data (sv, NULL), g_bytes_get_size (sv), &error);
          ok = diff && tandem_ydoc_apply_update (r->doc, g_bytes_get_data (diff, NULL), g_bytes_get_size (diff), NULL, &error);
        }
      if (!ok && !err)
        err = g_strdup_printf ("operation failed: %s", error ? error->message : "?");
    }
  for (guint i = 0; i < c.n && !err; i++)
    deliver (&c, &c.r[i], TRUE, &err);

  if (!err)
    {
      g_autofree char *text0 = tandem_ydoc_text_to_string (c.r[0].doc, c.r[0].text, NULL);
      g_autofree char *runs0 = tandem_ydoc_dump_runs (c.r[0].doc, c.r[0].text);
      g_autoptr(GBytes) sv0 = tandem_ydoc_encode_state_vector (c.r[0].doc);
      g_autoptr(GBytes) ds0 = tandem_ydoc_encode_delete_set (c.r[0].doc);
      for (guint i = 0; i < c.n && !err; i++)
        {
          g_autofree char *text = tandem_ydoc_text_to_string (c.r[i].doc, c.r[i].text, NULL);
          g_autofree char *runs = tandem_ydoc_dump_runs (c.r[i].doc, c.r[i].text);
          g_autoptr(GBytes) sv = tandem_ydoc_encode_state_vector (c.r[i].doc);
          g_autoptr(GBytes) ds = tandem_ydoc_encode_delete_set (c.r[i].doc);
          if (!g_str_equal (text, text0))
            err = g_strdup_printf ("replica %u text \"%s\" != \"%s\"", i, text, text0);
          else if (!g_str_equal (runs, runs0))
            err = g_strdup_printf ("replica %u runs %s != %s", i, runs, runs0);
          else if (!g_bytes_equal (sv, sv0))
            err = g_strdup_printf ("replica %u state vector differs", i);
          else if (!g_bytes_equal (ds, ds0))
            err = g_strdup_printf ("replica %u delete set differs", i);
          else if (tandem_ydoc_has_pending (c.r[i].doc))
            err = g_strdup_printf ("replica %u has pending structs", i);
        }
      /* the whole log, shuffled, in a fresh document */
      if (!err)
        {
          TandemYDoc *fresh = tandem_ydoc_new (4242);
          for (guint i = c.log->len; i > 1; i--)
            {
              guint j = g_rand_int_range (c.rand, 0, i);
              gpointer t = c.log->pdata[i - 1];
              c.log->pdata[i - 1] = c.log->pdata[j];
              c.log->pdata[j] = t;
            }
          for (guint i = 0; i < c.log->len; i++)
            {
              GBytes *u = c.log->pdata[i];
              tandem_ydoc_apply_update (fresh, g_bytes_get_data (u, NULL), g_bytes_get_size (u), NULL, NULL);
            }
          g_autofree char *text = tandem_ydoc_text_to_string (fresh, tandem_ydoc_get_text (fresh, "t"), NULL);
          g_autofree char *runs = tandem_ydoc_dump_runs (fresh, tandem_ydoc_get_text (fresh, "t"));
          if (!g_str_equal (text, text0) || !g_str_equal (runs, runs0))
            err = g_strdup_printf ("shuffled log gives \"%s\" != \"%s\"", text, text0);
          tandem_ydoc_free (fresh);
        }
    }

  for (guint i = 0; i < c.n; i++)
    {
      tandem_ydoc_free (c.r[i].doc);
      g_ptr_array_unref (c.r[i].inbox);
    }
  g_free (c.r);
  g_ptr_array_unref (c.log);
  g_rand_free (c.rand);
  return err;
}

static void
test_convergence (void)
{
  const char *s = g_getenv ("TANDEM_PROPERTY_SEED");
  const char *n = g_getenv ("TANDEM_PROPERTY_CASES");
  guint32 seed = s ? (guint32) strtoul (s, NULL, 10) : (guint32) g_test_rand_int ();
  guint cases = n ? (guint) strtoul (n, NULL, 10) : 3000;

  g_test_message ("first seed %u, %u cases", seed, cases);
  for (guint i = 0; i < cases; i++)
    {
      g_autofree char *err = run_case (seed + i);
      if (err)
        {
          g_test_message ("FAILED with seed %u: %s", seed + i, err);
          g_test_message ("reproduce: TANDEM_PROPERTY_SEED=%u TANDEM_PROPERTY_CASES=1", seed + i);
          g_test_fail ();
          return;
        }
    }
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/crdt/property/convergence", test_convergence);
  return g_test_run ();
}
