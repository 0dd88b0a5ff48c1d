/* tandem-ydoc-merge.c: merging and diffing updates without a document
 *
 * Structs are never integrated here. A merged update lists, per client in
 * descending client order, the union of the structs of all inputs (later
 * overlapping structs are sliced) with Skip structs over the gaps; delete
 * sets are unioned.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "tandem-ydoc-private.h"

static int
cmp_struct (gconstpointer a, gconstpointer b)
{
  const YStruct *x = a, *y = b;
  if (x->client != y->client)
    return x->client > y->client ? -1 : 1;
  if (x->clock != y->clock)
    return x->clock < y->clock ? -1 : 1;
  if ((x->ref == Y_REF_SKIP) != (y->ref == Y_REF_SKIP))
    return x->ref == Y_REF_SKIP ? 1 : -1;
  return x->len > y->len ? -1 : x->len < y->len;
}

/* Writes the structs of @all (sorted) from clock @from[client] on. */
static void
write_structs (YEnc *enc, GArray *all, GHashTable *from, gboolean fill_gaps)
{
  guint n_clients = 0;
  YEnc body;

  y_enc_init (&body);
  for (guint i = 0; i < all->len;)
    {
      guint j = i;
      guint64 client = g_array_index (all, YStruct, i).client;
      while (j < all->len && g_array_index (all, YStruct, j).client == client)
        j++;
      guint32 next = 0, count = 0, start = 0;
      gboolean started = FALSE;
      YEnc structs;
      y_enc_init (&structs);
      if (from)
        next = GPOINTER_TO_UINT (g_hash_table_lookup (from, &client));
      for (; i < j; i++)
        {
          YStruct *s = &g_array_index (all, YStruct, i);
          if (s->ref == Y_REF_SKIP)
            continue;
          if (s->clock + s->len <= next)
            continue;
          if (!started)
            {
              started = TRUE;
              next = MAX (next, s->clock);
              start = next;
            }
          else if (s->clock > next)
            {
              if (!fill_gaps)
                break;
              YStruct skip = { 0 };
              skip.ref = Y_REF_SKIP;
              skip.len = s->clock - next;
              y_write_struct (&structs, &skip, 0);
              count++;
              next = s->clock;
            }
          y_write_struct (&structs, s, next - s->clock);
          count++;
          next = s->clock + s->len;
        }
      i = j;
      if (count > 0)
        {
          n_clients++;
          y_enc_varuint (&body, count);
          y_enc_varuint (&body, client);
          y_enc_varuint (&body, start);
          y_enc_raw (&body, structs.data, structs.len);
        }
      y_enc_clear (&structs);
    }
  y_enc_varuint (enc, n_clients);
  y_enc_raw (enc, body.data, body.len);
  y_enc_clear (&body);
}

/**
 * tandem_yupdate_merge:
 * @updates: (array length=n_updates): Yjs v1 updates
 * @n_updates: how many
 * @error: return location for a #GError
 *
 * Merges updates into one (Yjs `mergeUpdates`).
 *
 * Returns: (transfer full): the merged update, or %NULL on error
 */
GBytes *
tandem_yupdate_merge (GBytes **updates, guint n_updates, GError **error)
{
  g_autoptr(GArray) all = g_array_new (FALSE, FALSE, sizeof (YStruct));
  g_autoptr(GArray) ds = g_array_new (FALSE, FALSE, sizeof (YIdRange));
  YEnc enc;

  for (guint i = 0; i < n_updates; i++)
    {
      gsize len;
      const guint8 *data = g_bytes_get_data (updates[i], &len);
      if (!y_parse_update (data, len, all, ds, error))
        return NULL;
    }
  g_array_sort (all, cmp_struct);
  y_sort_merge_ds (ds);
  y_enc_init (&enc);
  write_structs (&enc, all, NULL, TRUE);
  y_write_ds (&enc, ds);
  return y_enc_to_bytes (&enc);
}

/**
 * tandem_yupdate_diff:
 * @update: (array length=len): a Yjs v1 update
 * @len: its length
 * @state_vector: (array length=sv_len): a state vector
 * @sv_len: its length
 * @error: return location for a #GError
 *
 * Drops from @update what a peer at @state_vector has (Yjs `diffUpdate`).
 * The delete set is kept whole.
 *
 * Returns: (transfer full): the smaller update, or %NULL on error
 */
GBytes *
tandem_yupdate_diff (const guint8 *update, gsize len, const guint8 *state_vector, gsize sv_len,
                     GError **error)
{
  g_autoptr(GArray) all = g_array_new (FALSE, FALSE, sizeof (YStruct));
  g_autoptr(GArray) ds = g_array_new (FALSE, FALSE, sizeof (YIdRange));
  g_autoptr(GArray) clients = NULL, clocks = NULL;
  g_autoptr(GHashTable) from = g_hash_table_new (g_int64_hash, g_int64_equal);
  YEnc enc;

  if (!y_parse_update (update, len, all, ds, error) ||
      !tandem_ystate_vector_decode (state_vector, sv_len, &clients, &clocks, error))
    return NULL;
  for (guint i = 0; i < clients->len; i++)
    g_hash_table_insert (from, &g_array_index (clients, guint64, i),
                         GUINT_TO_POINTER (g_array_index (clocks, guint32, i)));
  g_array_sort (all, cmp_struct);
  y_sort_merge_ds (ds);
  y_enc_init (&enc);
  write_structs (&enc, all, from, TRUE);
  y_write_ds (&enc, ds);
  return y_enc_to_bytes (&enc);
}

/**
 * tandem_yupdate_state_vector:
 * @update: (array length=len): a Yjs v1 update
 * @len: its length
 * @error: return location for a #GError
 *
 * Returns: (transfer full): the state vector a document would have after
 *   applying @update alone (Yjs `encodeStateVectorFromUpdate`)
 */
GBytes *
tandem_yupdate_state_vector (const guint8 *update, gsize len, GError **error)
{
  g_autoptr(GArray) all = g_array_new (FALSE, FALSE, sizeof (YStruct));
  g_autoptr(GArray) ds = g_array_new (FALSE, FALSE, sizeof (YIdRange));
  YEnc enc, body;
  guint n = 0;

  if (!y_parse_update (update, len, all, ds, error))
    return NULL;
  g_array_sort (all, cmp_struct);
  y_enc_init (&body);
  for (guint i = 0; i < all->len;)
    {
      guint64 client = g_array_index (all, YStruct, i).client;
      guint32 clock = 0;
      for (; i < all->len && g_array_index (all, YStruct, i).client == client; i++)
        {
          YStruct *s = &g_array_index (all, YStruct, i);
          if (s->ref != Y_REF_SKIP && s->clock <= clock)
            clock = MAX (clock, s->clock + s->len);
        }
      if (clock > 0)
        {
          n++;
          y_enc_varuint (&body, client);
          y_enc_varuint (&body, clock);
        }
    }
  y_enc_init (&enc);
  y_enc_varuint (&enc, n);
  y_enc_raw (&enc, body.data, body.len);
  y_enc_clear (&body);
  return y_enc_to_bytes (&enc);
}
