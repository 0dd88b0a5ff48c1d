/* tandem-ydoc-update.c: Yjs update format v1: parse and apply
 *
 * Parsing and applying updates. An update is parsed completely (structs and delete set) before anything
 * is integrated, so a malformed update changes nothing. Structs whose
 * dependencies are missing wait in doc->pending, deletions of unknown
 * clocks in doc->pending_ds; both are retried with every update.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "tandem-ydoc-private.h"

/* --- parsing --- */

static gboolean
parse_item (YDec *dec, YStruct *s)
{
  const char *str;
  gsize len;
  guint64 n;
  const guint8 *start;

  if (s->info & 0x80)
    {
      if (!y_dec_varuint (dec, &s->o_client) || !y_dec_varuint32 (dec, &s->o_clock))
        return FALSE;
      if (s->o_client == s->client && s->o_clock >= s->clock)
        return FALSE;
    }
  if (s->info & 0x40)
    {
      if (!y_dec_varuint (dec, &s->r_client) || !y_dec_varuint32 (dec, &s->r_clock))
        return FALSE;
      if (s->r_client == s->client && s->r_clock >= s->clock)
        return FALSE;
    }
  if ((s->info & 0xc0) == 0)
    {
      guint64 pinfo;
      if (!y_dec_varuint (dec, &pinfo))
        return FALSE;
      if (pinfo == 1)
        {
          if (!y_dec_varstring (dec, &s->pname, &len))
            return FALSE;
          s->pname_len = len;
          s->parent_kind = 1;
        }
      else
        {
          if (!y_dec_varuint (dec, &s->p_client) || !y_dec_varuint32 (dec, &s->p_clock))
            return FALSE;
          s->parent_kind = 2;
        }
      if (s->info & 0x20)
        {
          if (!y_dec_varstring (dec, &s->key, &len))
            return FALSE;
          s->key_len = len;
        }
    }

  start = dec->p;
  s->len = 1;
  switch (s->ref)
    {
    case Y_REF_DELETED:
      if (!y_dec_varuint32 (dec, &s->len))
        return FALSE;
      start = dec->p;
      break;
    case Y_REF_JSON:
    case Y_REF_ANY:
      if (!y_dec_varuint (dec, &n) || n >= G_MAXUINT32 / 2)
        return FALSE;
      start = dec->p;
      for (guint64 i = 0; i < n; i++)
        if (s->ref == Y_REF_JSON ? !y_dec_varstring (dec, &str, &len) : !y_dec_skip_any (dec, 0))
          return FALSE;
      s->len = n;
      break;
    case Y_REF_BINARY:
      if (!y_dec_varbytes (dec, (const guint8 **) &str, &len))
        return FALSE;
      break;
    case Y_REF_STRING:
      if (!y_dec_varstring (dec, &str, &len))
        return FALSE;
      start = (const guint8 *) str;
      y_utf8_lengths (str, len, &s->len, &s->cp_len);
      break;
    case Y_REF_EMBED:
      if (!y_dec_varstring (dec, &str, &len))
        return FALSE;
      break;
    case Y_REF_FORMAT:
      if (!y_dec_varstring (dec, &str, &len) || !y_dec_varstring (dec, &str, &len))
        return FALSE;
      break;
    case Y_REF_TYPE:
      if (!y_dec_varuint (dec, &n) || n > 6)
        return FALSE;
      if ((n == 3 || n == 5) && !y_dec_varstring (dec, &str, &len))
        return FALSE;
      break;
    case Y_REF_DOC:
      if (!y_dec_varstring (dec, &str, &len) || !y_dec_skip_any (dec, 0))
        return FALSE;
      break;
    default:
      g_assert_not_reached ();
    }
  s->content = start;
  s->content_size = dec->p - start;
  return TRUE;
}

gboolean
y_parse_update (const guint8 *data, gsize len, GArray *structs, GArray *ds, GError **error)
{
  YDec dec;
  guint64 n_clients, n_structs, n_ranges, client;
  guint32 clock;
  const char *what = "truncated or invalid update";

  y_dec_init (&dec, data, len);
  if (!y_dec_varuint (&dec, &n_clients))
    goto malformed;
  for (guint64 c = 0; c < n_clients; c++)
    {
      if (!y_dec_varuint (&dec, &n_structs) || !y_dec_varuint (&dec, &client) ||
          !y_dec_varuint32 (&dec, &clock))
        goto malformed;
      for (guint64 k = 0; k < n_structs; k++)
        {
          YStruct s = { 0 };
          s.client = client;
          s.clock = clock;
          if (!y_dec_u8 (&dec, &s.info))
            goto malformed;
          s.ref = s.info & 0x1f;
          if (s.ref == Y_REF_GC || s.ref == Y_REF_SKIP)
            {
              if (!y_dec_varuint32 (&dec, &s.len))
                goto malformed;
            }
          else if (s.ref <= Y_REF_DOC)
            {
              if (!parse_item (&dec, &s))
                goto malformed;
            }
          else
            {
              g_set_error (error, TANDEM_CRDT_ERROR, TANDEM_CRDT_ERROR_UNKNOWN_CONTENT,
                           "Unknown struct content type %u", s.ref);
              return FALSE;
            }
          if (s.len == 0)
            {
              what = "zero-length struct";
              goto malformed;
            }
          if (s.len > G_MAXUINT32 / 2 - clock)
            goto malformed;
          clock += s.len;
          g_array_append_val (structs, s);
        }
    }
  if (!y_dec_varuint (&dec, &n_clients))
    goto malformed;
  for (guint64 c = 0; c < n_clients; c++)
    {
      if (!y_dec_varuint (&dec, &client) || !y_dec_varuint (&dec, &n_ranges))
        goto malformed;
      for (guint64 k = 0; k < n_ranges; k++)
        {
          YIdRange r = { client, 0, 0 };
          if (!y_dec_varuint32 (&dec, &r.clock) || !y_dec_varuint32 (&dec, &r.len))
            goto malformed;
          if (r.len > 0)
            g_array_append_val (ds, r);
        }
    }
  return TRUE;

malformed:
  g_set_error (error, TANDEM_CRDT_ERROR, TANDEM_CRDT_ERROR_MALFORMED, "Malformed update: %s", what);
  return FALSE;
}

/* --- applying --- */

static int
cmp_struct (gconstpointer a, gconstpointer b)
{
  const YStruct *x = a, *y = b;
  if (x->client != y->client)
    return x->client > y->client ? -1 : 1;
  if (x->clock != y->clock)
    return x->clock < y->clock ? -1 : 1;
  return x->len > y->len ? -1 : x->len < y->len;
}

static gboolean
deps_known (TandemYDoc *doc, const YStruct *s)
{
  if (s->ref == Y_REF_GC)
    return TRUE;
  if (Y_STRUCT_HAS_ORIGIN (s) && s->o_client != s->client &&
      y_client_state (doc, s->o_client) <= s->o_clock)
    return FALSE;
  if (Y_STRUCT_HAS_RORIGIN (s) && s->r_client != s->client &&
      y_client_state (doc, s->r_client) <= s->r_clock)
    return FALSE;
  if (s->parent_kind == 2 && s->p_client != s->client &&
      y_client_state (doc, s->p_client) <= s->p_clock)
    return FALSE;
  if (s->parent_kind == 2 && s->p_client == s->client && s->p_clock >= s->clock)
    return FALSE;
  return TRUE;
}

static void
apply_ds_range (TandemYDoc *doc, YIdRange r, GArray *leftover)
{
  guint32 c = y_client_get (doc, r.client, FALSE);
  guint32 state = c == Y_NO_CLIENT ? 0 : doc->clients[c]->state;
  guint32 end = r.clock + r.len;
  YPos pos;

  if (end > state)
    {
      YIdRange rest = { r.client, MAX (r.clock, state), 0 };
      rest.len = end - rest.clock;
      g_array_append_val (leftover, rest);
      end = state;
    }
  if (r.clock >= end)
    return;
  y_client_find (doc, c, r.clock, &pos);
  guint32 idx = y_client_at (doc, c, pos);
  YItem *it = y_item (doc, idx);
  if (!(it->flags & Y_FLAG_DELETED) && it->ref != Y_REF_GC && it->clock < r.clock)
    {
      y_split (doc, idx, r.clock - it->clock, NULL);
      y_client_find (doc, c, r.clock, &pos);
    }
  while (TRUE)
    {
      idx = y_client_at (doc, c, pos);
      it = y_item (doc, idx);
      if (it->clock >= end)
        break;
      if (!(it->flags & Y_FLAG_DELETED) && it->ref != Y_REF_GC)
        {
          if (it->clock + it->len > end)
            {
              y_split (doc, idx, end - it->clock, NULL);
              y_client_find (doc, c, it->clock, &pos);
            }
          y_item_delete (doc, idx);
        }
      if (!y_client_next_pos (doc, c, &pos))
        break;
    }
}

static void
rebase (YStruct *s, const guint8 *from, const guint8 *to)
{
  if (s->pname)
    s->pname = (const char *) to + ((const guint8 *) s->pname - from);
  if (s->key)
    s->key = (const char *) to + ((const guint8 *) s->key - from);
  if (s->content)
    s->content = to + (s->content - from);
}

/* Records in @missing (client -> state it must reach) what blocks @s. */
static void
note_blocker (TandemYDoc *doc, GHashTable *missing, const YStruct *s)
{
  guint64 c = s->client;
  guint32 need = s->clock;

  if (s->clock <= y_client_state (doc, s->client))
    {
      if (Y_STRUCT_HAS_ORIGIN (s) && y_client_state (doc, s->o_client) <= s->o_clock)
        c = s->o_client, need = s->o_clock + 1;
      else if (Y_STRUCT_HAS_RORIGIN (s) && y_client_state (doc, s->r_client) <= s->r_clock)
        c = s->r_client, need = s->r_clock + 1;
      else
        c = s->p_client, need = s->p_clock + 1;
    }
  gpointer old;
  if (g_hash_table_lookup_extended (missing, &c, NULL, &old) && GPOINTER_TO_UINT (old) <= need)
    return;
  guint64 *key = g_new (guint64, 1);
  *key = c;
  g_hash_table_replace (missing, key, GUINT_TO_POINTER (need));
}

/* Integrates the structs of @all (sorted by client, then clock) until
 * nothing moves, one client queue after another. What is left is appended
 * to doc->pending, with its blockers in doc->pending_missing. */
static void
integrate_queues (TandemYDoc *doc, GArray *all)
{
  g_autoptr(GArray) heads = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr(GArray) ends = g_array_new (FALSE, FALSE, sizeof (guint));

  for (guint i = 0; i < all->len; i++)
    if (i == 0 || g_array_index (all, YStruct, i).client != g_array_index (all, YStruct, i - 1).client)
      {
        g_array_append_val (heads, i);
        if (i > 0)
          g_array_append_val (ends, i);
      }
  g_array_append_val (ends, all->len);

  gboolean progress = TRUE;
  while (progress)
    {
      progress = FALSE;
      for (guint g = 0; g < heads->len; g++)
        {
          guint *head = &g_array_index (heads, guint, g), end = g_array_index (ends, guint, g);
          while (*head < end)
            {
              YStruct *s = &g_array_index (all, YStruct, *head);
              guint32 state = y_client_state (doc, s->client);
              if (s->clock > state)
                break;
              if (s->clock + s->len <= state)
                {
                  (*head)++;
                  continue;
                }
              if (!deps_known (doc, s))
                break;
              y_integrate_struct (doc, s, state - s->clock);
              (*head)++;
              progress = TRUE;
            }
        }
    }

  for (guint g = 0; g < heads->len; g++)
    {
      guint first = doc->pending->len;
      for (guint i = g_array_index (heads, guint, g); i < g_array_index (ends, guint, g); i++)
        {
          YStruct *s = &g_array_index (all, YStruct, i);
          if (s->clock + s->len <= y_client_state (doc, s->client))
            continue;
          if (doc->pending->len > first)
            {
              YStruct *last = &g_array_index (doc->pending, YStruct, doc->pending->len - 1);
              if (last->clock == s->clock && last->len == s->len)
                continue;
            }
          g_array_append_val (doc->pending, *s);
        }
      if (doc->pending->len > first)
        note_blocker (doc, doc->pending_missing, &g_array_index (doc->pending, YStruct, first));
    }
}

static gboolean
missing_arrived (TandemYDoc *doc, GHashTable *missing)
{
  GHashTableIter iter;
  gpointer k, v;
  g_hash_table_iter_init (&iter, missing);
  while (g_hash_table_iter_next (&iter, &k, &v))
    if (y_client_state (doc, *(guint64 *) k) >= GPOINTER_TO_UINT (v))
      return TRUE;
  return FALSE;
}

static void
apply_ds (TandemYDoc *doc, GArray *ds)
{
  guint first = doc->pending_ds->len;
  y_sort_merge_ds (ds);
  for (guint i = 0; i < ds->len; i++)
    apply_ds_range (doc, g_array_index (ds, YIdRange, i), doc->pending_ds);
  for (guint i = first; i < doc->pending_ds->len; i++)
    {
      YIdRange *r = &g_array_index (doc->pending_ds, YIdRange, i);
      gpointer old;
      if (g_hash_table_lookup_extended (doc->pending_ds_missing, &r->client, NULL, &old) &&
          GPOINTER_TO_UINT (old) <= r->clock + 1)
        continue;
      guint64 *key = g_new (guint64, 1);
      *key = r->client;
      g_hash_table_replace (doc->pending_ds_missing, key, GUINT_TO_POINTER (r->clock + 1));
    }
}

/**
 * tandem_ydoc_apply_update:
 * @doc: a document
 * @update: (array length=len): a Yjs v1 update
 * @len: its length
 * @origin: (nullable): the transaction origin, passed to observers
 * @error: return location for a #GError
 *
 * Applies a remote update (Yjs `applyUpdate`). Updates may come in any
 * order and more than once. A malformed update gives an error and leaves
 * the document unchanged.
 *
 * Returns: %TRUE on success
 */
gboolean
tandem_ydoc_apply_update (TandemYDoc *doc, const guint8 *update, gsize len, gpointer origin,
                          GError **error)
{
  g_autoptr(GArray) parsed = g_array_new (FALSE, FALSE, sizeof (YStruct));
  g_autoptr(GArray) ds = g_array_new (FALSE, FALSE, sizeof (YIdRange));

  g_return_val_if_fail (doc->in_callback == 0, FALSE);
  g_return_val_if_fail (doc->tx.depth == 0 || !doc->tx.local, FALSE);
  if (!y_parse_update (update, len, parsed, ds, error))
    return FALSE;

  y_txn_begin (doc, FALSE, origin);

  /* This update's structs first (Skips are gaps, never integrated) */
  guint n = 0;
  for (guint i = 0; i < parsed->len; i++)
    if (g_array_index (parsed, YStruct, i).ref != Y_REF_SKIP)
      g_array_index (parsed, YStruct, n++) = g_array_index (parsed, YStruct, i);
  g_array_set_size (parsed, n);
  g_array_sort (parsed, cmp_struct);
  guint before = doc->pending->len;
  integrate_queues (doc, parsed);
  if (doc->pending->len > before)
    {
      /* Some of them wait: they must outlive @update. */
      GBytes *copy = g_bytes_new (update, len);
      const guint8 *base = g_bytes_get_data (copy, NULL);
      for (guint i = before; i < doc->pending->len; i++)
        rebase (&g_array_index (doc->pending, YStruct, i), update, base);
      g_ptr_array_add (doc->pending_bufs, copy);
    }

  /* Then whatever waited for them */
  while (doc->pending->len > 0 && missing_arrived (doc, doc->pending_missing))
    {
      g_autoptr(GArray) all = doc->pending;
      doc->pending = g_array_new (FALSE, FALSE, sizeof (YStruct));
      g_hash_table_remove_all (doc->pending_missing);
      g_array_sort (all, cmp_struct);
      integrate_queues (doc, all);
    }
  if (doc->pending->len == 0)
    {
      g_ptr_array_set_size (doc->pending_bufs, 0);
      g_hash_table_remove_all (doc->pending_missing);
    }

  /* Deletions, then those that waited if their clocks arrived */
  apply_ds (doc, ds);
  if (doc->pending_ds->len > 0 && missing_arrived (doc, doc->pending_ds_missing))
    {
      g_autoptr(GArray) old = doc->pending_ds;
      doc->pending_ds = g_array_new (FALSE, FALSE, sizeof (YIdRange));
      g_hash_table_remove_all (doc->pending_ds_missing);
      apply_ds (doc, old);
    }

  y_txn_end (doc);
  return TRUE;
}

/**
 * tandem_ydoc_has_pending:
 * @doc: a document
 *
 * Returns: whether structs or deletions wait for missing updates
 */
gboolean
tandem_ydoc_has_pending (TandemYDoc *doc)
{
  return doc->pending->len > 0 || doc->pending_ds->len > 0;
}
