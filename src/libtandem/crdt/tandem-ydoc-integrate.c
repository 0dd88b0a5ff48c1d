/* tandem-ydoc-integrate.c: transactions, YATA integration, deletion, events
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "tandem-ydoc-private.h"

/* --- events --- */

static void
emit (TandemYDoc *doc, guint32 seqidx, guint index, guint ndel, const char *text, gsize size, guint ncp)
{
  YSeq *seq = y_seq (doc, seqidx);
  if (seq->key != NULL)
    return;
  doc->in_callback++;
  doc->change_func (doc, seq->branch, index, ndel, text, size, ncp, doc->tx.local, doc->change_data);
  doc->in_callback--;
}

void
y_emit_insert (TandemYDoc *doc, guint32 idx)
{
  YItem *it = y_item (doc, idx);
  guint32 icp;

  if (doc->change_func == NULL || !y_item_visible (it))
    return;
  y_tree_index_of (doc, idx, NULL, &icp);
  if (it->ref == Y_REF_STRING)
    emit (doc, it->seq, icp, 0, y_item_str (doc, it), it->size, it->cp_len);
  else
    {
      /* Countable non-text content shows as U+FFFC, one per unit. */
      GString *s = g_string_new (NULL);
      for (guint32 i = 0; i < it->len; i++)
        g_string_append (s, "\xef\xbf\xbc");
      emit (doc, it->seq, icp, 0, s->str, s->len, it->len);
      g_string_free (s, TRUE);
    }
}

void
y_emit_delete (TandemYDoc *doc, guint32 idx)
{
  YItem *it = y_item (doc, idx);
  guint32 icp;

  if (doc->change_func == NULL || !y_item_visible (it))
    return;
  y_tree_index_of (doc, idx, NULL, &icp);
  emit (doc, it->seq, icp, it->cp_len, "", 0, 0);
}

void
y_emit_replace_pair (TandemYDoc *doc, guint32 left)
{
  YItem *it = y_item (doc, left);
  guint32 icp;

  if (doc->change_func == NULL)
    return;
  y_tree_index_of (doc, left, NULL, &icp);
  emit (doc, it->seq, icp + it->cp_len - 1, 1, Y_UTF8_REPLACEMENT Y_UTF8_REPLACEMENT, 6, 2);
}

/* --- transactions --- */

void
y_txn_begin (TandemYDoc *doc, gboolean local, gpointer origin)
{
  YTxn *tx = &doc->tx;

  if (tx->depth++ > 0)
    return;
  tx->local = local;
  tx->origin = origin;
  tx->n_before = doc->n_clients;
  tx->before = g_renew (guint32, tx->before, MAX (doc->n_clients, 1));
  for (guint32 i = 0; i < doc->n_clients; i++)
    tx->before[i] = doc->clients[i]->state;
  g_array_set_size (tx->ds, 0);
  g_array_set_size (tx->deleted_log, 0);
}

void
y_txn_add_delete (TandemYDoc *doc, guint32 client, guint32 clock, guint32 len)
{
  GArray *ds = doc->tx.ds;
  guint64 id = doc->clients[client]->id;

  if (ds->len > 0)
    {
      YIdRange *last = &g_array_index (ds, YIdRange, ds->len - 1);
      if (last->client == id && last->clock + last->len == clock)
        {
          last->len += len;
          return;
        }
      if (last->client == id && clock + len == last->clock)
        {
          last->clock = clock;
          last->len += len;
          return;
        }
    }
  YIdRange r = { id, clock, len };
  g_array_append_val (ds, r);
}

static guint32
before_state (TandemYDoc *doc, guint32 client)
{
  return client < doc->tx.n_before ? doc->tx.before[client] : 0;
}

/* Merges new structs and deleted ranges with their neighbours, as Yjs does
 * at the end of a transaction (it only changes struct boundaries). */
static void
merge_after_txn (TandemYDoc *doc)
{
  YTxn *tx = &doc->tx;

  for (guint i = 0; i < tx->ds->len; i++)
    {
      YIdRange r = g_array_index (tx->ds, YIdRange, i);
      guint32 c = y_client_get (doc, r.client, FALSE);
      YPos pos;
      guint32 last = MIN (r.clock + r.len, doc->clients[c]->state) - 1;
      if (!y_client_find (doc, c, last, &pos))
        continue;
      y_client_next_pos (doc, c, &pos);
      while (TRUE)
        {
          YPos lpos = pos;
          gboolean has_left = y_client_prev_pos (doc, c, &lpos);
          if (y_item (doc, y_client_at (doc, c, pos))->clock < r.clock || !has_left)
            break;
          y_try_merge_left (doc, c, pos);
          pos = lpos;
        }
    }
  for (guint32 c = 0; c < doc->n_clients; c++)
    {
      guint32 before = before_state (doc, c);
      YPos pos;
      if (doc->clients[c]->state == before)
        continue;
      y_client_find (doc, c, doc->clients[c]->state - 1, &pos);
      while (TRUE)
        {
          YPos lpos = pos;
          gboolean has_left = y_client_prev_pos (doc, c, &lpos);
          if (!has_left)
            break;
          guint32 clock = y_item (doc, y_client_at (doc, c, pos))->clock;
          y_try_merge_left (doc, c, pos);
          if (clock <= before)
            break;
          pos = lpos;
        }
    }
}

void
y_txn_end (TandemYDoc *doc)
{
  YTxn *tx = &doc->tx;
  gboolean changed = tx->ds->len > 0;

  g_assert (tx->depth > 0);
  if (--tx->depth > 0)
    return;
  doc->in_callback++; /* observers must not modify the document */

  for (guint32 c = 0; c < doc->n_clients && !changed; c++)
    changed = doc->clients[c]->state != before_state (doc, c);

  if (changed)
    {
      merge_after_txn (doc);
      y_sort_merge_ds (tx->ds);
      if (doc->update_func)
        {
          guint n = tx->n_before;
          g_autofree guint64 *ids = g_new (guint64, MAX (n, 1));
          YEnc enc;
          for (guint i = 0; i < n; i++)
            ids[i] = doc->clients[i]->id;
          y_enc_init (&enc);
          y_encode_structs_since (doc, &enc, ids, tx->before, n);
          y_write_ds (&enc, tx->ds);
          doc->update_func (doc, enc.data, enc.len, tx->local, doc->update_data);
          y_enc_clear (&enc);
        }
      if (!tx->local && doc->me < tx->n_before &&
          doc->clients[doc->me]->state != tx->before[doc->me])
        {
          /* Someone else uses our client id: take a new one, as Yjs does. */
          doc->client_id = tandem_ydoc_generate_client_id ();
          doc->me = y_client_get (doc, doc->client_id, TRUE);
        }
    }
  if (doc->txn_func)
    doc->txn_func (doc, tx, doc->txn_data);
  for (guint i = 0; i < tx->deleted_log->len; i++)
    g_free (g_array_index (tx->deleted_log, YDeletedPiece, i).text);
  g_array_set_size (tx->deleted_log, 0);
  g_array_set_size (tx->ds, 0);
  doc->in_callback--;
  y_arena_maybe_compact (doc);
}

/* --- deletion --- */

static void make_gc_in_place (TandemYDoc *doc, guint32 idx);

static void
delete_branch (TandemYDoc *doc, guint32 branch)
{
  YBranch *b = y_branch (doc, branch);
  g_autoptr(GArray) seqs = g_array_new (FALSE, FALSE, sizeof (guint32));
  GHashTableIter iter;
  gpointer v;

  b->deleted = TRUE;
  if (b->list)
    g_array_append_val (seqs, b->list);
  g_hash_table_iter_init (&iter, b->map);
  while (g_hash_table_iter_next (&iter, NULL, &v))
    {
      guint32 s = GPOINTER_TO_UINT (v);
      g_array_append_val (seqs, s);
    }
  for (guint i = 0; i < seqs->len; i++)
    {
      guint32 s = g_array_index (seqs, guint32, i);
      g_autoptr(GArray) items = g_array_new (FALSE, FALSE, sizeof (guint32));
      for (guint32 it = y_tree_first (doc, s); it; it = y_tree_next (doc, it))
        g_array_append_val (items, it);
      for (guint k = 0; k < items->len; k++)
        y_item_delete (doc, g_array_index (items, guint32, k));
      for (guint k = 0; k < items->len; k++)
        make_gc_in_place (doc, g_array_index (items, guint32, k));
    }
}

static void
drop_content (TandemYDoc *doc, YItem *it)
{
  if (it->ref == Y_REF_STRING)
    doc->arena_garbage += it->size;
  else if (it->ref != Y_REF_DELETED && it->ref != Y_REF_GC)
    y_opaque_drop (doc, it->data);
  it->data = 0;
  it->size = 0;
  it->cp_len = it->len;
}

static void
make_gc_in_place (TandemYDoc *doc, guint32 idx)
{
  YItem *it = y_item (doc, idx);
  if (it->leaf)
    y_tree_remove (doc, idx);
  drop_content (doc, it);
  it->ref = Y_REF_GC;
  it->flags |= Y_FLAG_DELETED;
  it->oc = it->rc = Y_NO_CLIENT;
}

void
y_item_delete (TandemYDoc *doc, guint32 idx)
{
  YItem *it = y_item (doc, idx);

  if ((it->flags & Y_FLAG_DELETED) || it->ref == Y_REF_GC)
    return;
  gboolean visible = y_item_visible (it);
  if (visible)
    y_emit_delete (doc, idx);
  if (doc->tx.local && doc->record_deleted && it->ref == Y_REF_STRING)
    {
      YDeletedPiece p = {
        y_seq (doc, it->seq)->branch, doc->clients[it->client]->id, it->clock, it->len,
        g_memdup2 (y_item_str (doc, it), it->size), it->size,
      };
      g_array_append_val (doc->tx.deleted_log, p);
    }
  if (visible)
    y_tree_add_weight (doc, idx, -(gint32) it->len, -(gint32) it->cp_len);
  it->flags |= Y_FLAG_DELETED;
  y_txn_add_delete (doc, it->client, it->clock, it->len);
  if (it->ref == Y_REF_TYPE)
    {
      guint32 branch = y_opaque_get (doc, it->data)->branch;
      delete_branch (doc, branch);
      it = y_item (doc, idx);
    }
  drop_content (doc, it);
  it->ref = Y_REF_DELETED;
}

/* --- integration of remote structs --- */

static void
add_gc (TandemYDoc *doc, guint32 client, guint32 clock, guint32 len)
{
  YClient *cl = doc->clients[client];
  if (cl->n_chunks > 0)
    {
      YChunk *ch = cl->chunks[cl->n_chunks - 1];
      YItem *last = y_item (doc, ch->it[ch->n - 1]);
      if (last->ref == Y_REF_GC && last->seq == 0)
        {
          last->len += len;
          last->cp_len += len;
          cl->state += len;
          return;
        }
    }
  guint32 idx = y_item_alloc (doc);
  YItem *it = y_item (doc, idx);
  it->client = client;
  it->clock = clock;
  it->len = it->cp_len = len;
  it->ref = Y_REF_GC;
  it->flags = Y_FLAG_DELETED;
  y_client_append (doc, client, idx);
  cl->state += len;
}

static inline gboolean
same_id (guint32 ac, guint32 ak, guint32 bc, guint32 bk)
{
  return ac == bc && (ac == Y_NO_CLIENT || ak == bk);
}

static inline void
set_add (GHashTable **set, guint32 v)
{
  if (*set == NULL)
    *set = g_hash_table_new (NULL, NULL);
  g_hash_table_add (*set, GUINT_TO_POINTER (v));
}

static inline gboolean
set_has (GHashTable *set, guint32 v)
{
  return set && g_hash_table_contains (set, GUINT_TO_POINTER (v));
}

/* YATA: where does a new item with these origins go, between L and R? */
static guint32
yata_left (TandemYDoc *doc, guint32 seq, guint64 client_id, guint32 oc, guint32 ock,
           guint32 rc, guint32 rck, guint32 L, guint32 R)
{
  guint32 left = L, o;
  gboolean scan;

  if (L == 0)
    scan = R == 0 || y_tree_prev (doc, R) != 0;
  else
    scan = y_tree_next (doc, L) != R;
  if (!scan)
    return L;

  GHashTable *before = NULL, *conflicting = NULL;
  o = L ? y_tree_next (doc, L) : y_tree_first (doc, seq);
  while (o && o != R)
    {
      YItem *oi = y_item (doc, o);
      set_add (&before, o);
      set_add (&conflicting, o);
      if (same_id (oi->oc, oi->ock, oc, ock))
        {
          if (doc->clients[oi->client]->id < client_id)
            {
              left = o;
              g_hash_table_remove_all (conflicting);
            }
          else if (same_id (oi->rc, oi->rck, rc, rck))
            break;
        }
      else if (oi->oc != Y_NO_CLIENT)
        {
          guint32 oo = y_find_item (doc, oi->oc, oi->ock);
          if (set_has (before, oo))
            {
              if (!set_has (conflicting, oo))
                {
                  left = o;
                  g_hash_table_remove_all (conflicting);
                }
            }
          else
            break;
        }
      else
        break;
      o = y_tree_next (doc, o);
    }
  if (before)
    g_hash_table_destroy (before);
  if (conflicting)
    g_hash_table_destroy (conflicting);
  return left;
}

void
y_integrate_struct (TandemYDoc *doc, const YStruct *s, guint32 offset)
{
  guint32 client = y_client_get (doc, s->client, TRUE);
  guint32 clock = s->clock + offset, len = s->len - offset;
  guint32 oc = Y_NO_CLIENT, ock = 0, rc = Y_NO_CLIENT, rck = 0;
  guint32 L = 0, R = 0, seq = 0;
  gboolean gc = s->ref == Y_REF_GC;

  g_assert (doc->clients[client]->state == clock);
  if (!gc)
    {
      if (offset > 0)
        {
          oc = client;
          ock = clock - 1;
        }
      else if (Y_STRUCT_HAS_ORIGIN (s))
        {
          oc = y_client_get (doc, s->o_client, FALSE);
          ock = s->o_clock;
        }
      if (Y_STRUCT_HAS_RORIGIN (s))
        {
          rc = y_client_get (doc, s->r_client, FALSE);
          rck = s->r_clock;
        }
      if (oc != Y_NO_CLIENT)
        {
          L = y_clean_end (doc, oc, ock);
          g_assert (L != 0);
          gc = y_item (doc, L)->ref == Y_REF_GC;
        }
      if (rc != Y_NO_CLIENT)
        {
          R = y_clean_start (doc, rc, rck);
          g_assert (R != 0);
          gc = gc || y_item (doc, R)->ref == Y_REF_GC;
        }
    }
  if (!gc)
    {
      if (oc == Y_NO_CLIENT && rc == Y_NO_CLIENT)
        {
          guint32 branch = 0;
          if (s->parent_kind == 1)
            branch = y_root_branch (doc, s->pname, s->pname_len);
          else
            {
              guint32 p = y_find_item (doc, y_client_get (doc, s->p_client, FALSE), s->p_clock);
              YItem *pi = p ? y_item (doc, p) : NULL;
              if (pi && pi->ref == Y_REF_TYPE && !(pi->flags & Y_FLAG_DELETED))
                branch = y_opaque_get (doc, pi->data)->branch;
            }
          if (branch)
            seq = y_branch_seq (doc, branch, (s->info & 0x20) ? s->key : NULL, s->key_len);
        }
      else
        seq = y_item (doc, L ? L : R)->seq;
      gc = seq == 0;
    }
  if (gc)
    {
      add_gc (doc, client, clock, len);
      return;
    }

  guint32 idx = y_item_alloc (doc);
  YItem *it = y_item (doc, idx);
  it->client = client;
  it->clock = clock;
  it->len = it->cp_len = len;
  it->oc = oc;
  it->ock = ock;
  it->rc = rc;
  it->rck = rck;
  it->ref = s->ref;
  switch (s->ref)
    {
    case Y_REF_STRING:
      {
        const guint8 *d;
        gsize size;
        gboolean fffd;
        y_struct_content_slice (s, offset, &d, &size, &fffd);
        it->data = fffd ? y_arena_append (doc, Y_UTF8_REPLACEMENT, 3) : doc->arena_len;
        y_arena_append (doc, d, size);
        it->size = size + (fffd ? 3 : 0);
        it->cp_len = y_utf8_cp_len (y_item_str (doc, it), it->size);
        break;
      }
    case Y_REF_DELETED:
      it->flags |= Y_FLAG_DELETED;
      break;
    default:
      {
        const guint8 *d;
        gsize size;
        gboolean fffd;
        y_struct_content_slice (s, offset, &d, &size, &fffd);
        it->data = y_opaque_new (doc, s->ref, d, size, len);
        if (s->ref == Y_REF_TYPE)
          {
            guint32 b = y_branch_new (doc, idx);
            y_opaque_get (doc, y_item (doc, idx)->data)->branch = b;
          }
        break;
      }
    }

  guint32 left = yata_left (doc, seq, s->client, oc, ock, rc, rck, L, R);
  y_tree_insert_after (doc, seq, left, idx);
  y_client_append (doc, client, idx);
  doc->clients[client]->state += len;
  it = y_item (doc, idx);
  if (it->ref == Y_REF_DELETED)
    y_txn_add_delete (doc, client, clock, len);
  else
    y_emit_insert (doc, idx);

  YSeq *sq = y_seq (doc, seq);
  if (sq->key != NULL)
    {
      if (y_tree_next (doc, idx) != 0)
        y_item_delete (doc, idx);
      else if (left != 0)
        y_item_delete (doc, left);
    }
}

/* --- local edits --- */

guint32
y_local_insert (TandemYDoc *doc, guint32 seq, guint32 left, guint32 right,
                const char *text, gsize size)
{
  guint32 u16, cp;
  guint32 me = doc->me;
  YClient *cl = doc->clients[me];
  YItem *l = left ? y_item (doc, left) : NULL;
  YItem *r = right ? y_item (doc, right) : NULL;

  y_utf8_lengths (text, size, &u16, &cp);
  if (l && l->client == me && l->clock + l->len == cl->state && l->ref == Y_REF_STRING &&
      !(l->flags & Y_FLAG_DELETED) &&
      (r ? (l->rc == r->client && l->rck == r->clock) : l->rc == Y_NO_CLIENT))
    {
      /* Typing on: extend our last item, as Yjs's merge would. */
      guint32 icp;
      if (l->data + l->size != doc->arena_len)
        {
          guint32 off = y_arena_append (doc, doc->arena + l->data, l->size);
          doc->arena_garbage += l->size;
          l->data = off;
        }
      y_arena_append (doc, text, size);
      y_tree_index_of (doc, left, NULL, &icp);
      icp += l->cp_len;
      l->size += size;
      l->len += u16;
      l->cp_len += cp;
      cl->state += u16;
      y_tree_add_weight (doc, left, u16, cp);
      if (doc->change_func)
        emit (doc, seq, icp, 0, text, size, cp);
      return left;
    }

  guint32 idx = y_item_alloc (doc);
  YItem *it = y_item (doc, idx);
  it->client = me;
  it->clock = cl->state;
  it->len = u16;
  it->cp_len = cp;
  if (l)
    {
      it->oc = l->client;
      it->ock = l->clock + l->len - 1;
    }
  if (r)
    {
      it->rc = r->client;
      it->rck = r->clock;
    }
  it->ref = Y_REF_STRING;
  it->data = y_arena_append (doc, text, size);
  it->size = size;
  y_tree_insert_after (doc, seq, left, idx);
  y_client_append (doc, me, idx);
  cl->state += u16;
  y_emit_insert (doc, idx);
  return idx;
}
