/* tandem-ydoc-store.c: items, the string arena, struct stores, split and merge
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "tandem-ydoc-private.h"

#define Y_ITEM_FREED 0xff

guint32
y_item_alloc (TandemYDoc *doc)
{
  guint32 idx;

  if (doc->free_items->len > 0)
    {
      idx = g_array_index (doc->free_items, guint32, doc->free_items->len - 1);
      g_array_set_size (doc->free_items, doc->free_items->len - 1);
    }
  else
    {
      idx = doc->n_items++;
      guint32 block = idx >> Y_SLAB_SHIFT;
      if (block >= doc->n_blocks)
        {
          if (block >= doc->cap_blocks)
            {
              doc->cap_blocks = MAX (16, doc->cap_blocks * 2);
              doc->blocks = g_renew (YItem *, doc->blocks, doc->cap_blocks);
            }
          doc->blocks[doc->n_blocks++] = g_new (YItem, Y_SLAB_SIZE);
        }
    }
  YItem *it = y_item (doc, idx);
  memset (it, 0, sizeof *it);
  it->oc = it->rc = Y_NO_CLIENT;
  return idx;
}

void
y_item_free (TandemYDoc *doc, guint32 idx)
{
  y_item (doc, idx)->ref = Y_ITEM_FREED;
  g_array_append_val (doc->free_items, idx);
}

/* --- arena --- */

static void
arena_reserve (TandemYDoc *doc, gsize extra)
{
  if (doc->arena_len + extra <= doc->arena_cap)
    return;
  gsize cap = MAX (doc->arena_cap + doc->arena_cap / 2, 4096);
  while (cap < doc->arena_len + extra)
    cap += cap / 2;
  g_assert (cap < G_MAXUINT32);
  doc->arena = g_realloc (doc->arena, cap);
  doc->arena_cap = cap;
}

guint32
y_arena_append (TandemYDoc *doc, const void *data, gsize len)
{
  const guint8 *d = data;
  gboolean inside = doc->arena && d >= doc->arena && d < doc->arena + doc->arena_len;
  gsize src = inside ? (gsize) (d - doc->arena) : 0;

  arena_reserve (doc, len);
  if (inside)
    d = doc->arena + src;
  guint32 off = doc->arena_len;
  if (len)
    memmove (doc->arena + off, d, len);
  doc->arena_len += len;
  return off;
}

void
y_arena_maybe_compact (TandemYDoc *doc)
{
  if (doc->arena_garbage < (1u << 20) || doc->arena_garbage < doc->arena_len / 2)
    return;
  gsize live = doc->arena_len - doc->arena_garbage;
  gsize cap = MAX (live + live / 4, 4096);
  guint8 *na = g_malloc (cap);
  gsize n = 0;
  for (guint32 i = 1; i < doc->n_items; i++)
    {
      YItem *it = y_item (doc, i);
      if (it->ref != Y_REF_STRING)
        continue;
      memcpy (na + n, doc->arena + it->data, it->size);
      it->data = n;
      n += it->size;
    }
  g_free (doc->arena);
  doc->arena = na;
  doc->arena_len = n;
  doc->arena_cap = cap;
  doc->arena_garbage = 0;
}

/* --- clients and their struct stores --- */

guint32
y_client_get (TandemYDoc *doc, guint64 id, gboolean create)
{
  gpointer v = g_hash_table_lookup (doc->client_index, &id);
  if (v)
    return GPOINTER_TO_UINT (v) - 1;
  if (!create)
    return Y_NO_CLIENT;
  if (doc->n_clients == doc->cap_clients)
    {
      doc->cap_clients = MAX (8, doc->cap_clients * 2);
      doc->clients = g_renew (YClient *, doc->clients, doc->cap_clients);
    }
  YClient *cl = g_new0 (YClient, 1);
  cl->id = id;
  doc->clients[doc->n_clients] = cl;
  g_hash_table_insert (doc->client_index, &cl->id, GUINT_TO_POINTER (doc->n_clients + 1));
  return doc->n_clients++;
}

guint32
y_client_state (TandemYDoc *doc, guint64 id)
{
  guint32 c = y_client_get (doc, id, FALSE);
  return c == Y_NO_CLIENT ? 0 : doc->clients[c]->state;
}

static inline guint32
chunk_first_clock (TandemYDoc *doc, YChunk *ch)
{
  return y_item (doc, ch->it[0])->clock;
}

gboolean
y_client_find (TandemYDoc *doc, guint32 client, guint32 clock, YPos *pos)
{
  YClient *cl = doc->clients[client];

  if (clock >= cl->state || cl->n_chunks == 0)
    return FALSE;
  guint32 lo = 0, hi = cl->n_chunks - 1;
  while (lo < hi)
    {
      guint32 mid = (lo + hi + 1) / 2;
      if (chunk_first_clock (doc, cl->chunks[mid]) <= clock)
        lo = mid;
      else
        hi = mid - 1;
    }
  YChunk *ch = cl->chunks[lo];
  guint32 a = 0, b = ch->n - 1;
  while (a < b)
    {
      guint32 mid = (a + b + 1) / 2;
      if (y_item (doc, ch->it[mid])->clock <= clock)
        a = mid;
      else
        b = mid - 1;
    }
  pos->ci = lo;
  pos->pos = a;
  return TRUE;
}

guint32
y_client_at (TandemYDoc *doc, guint32 client, YPos pos)
{
  return doc->clients[client]->chunks[pos.ci]->it[pos.pos];
}

gboolean
y_client_next_pos (TandemYDoc *doc, guint32 client, YPos *pos)
{
  YClient *cl = doc->clients[client];
  if (pos->pos + 1 < cl->chunks[pos->ci]->n)
    {
      pos->pos++;
      return TRUE;
    }
  if (pos->ci + 1 < cl->n_chunks)
    {
      pos->ci++;
      pos->pos = 0;
      return TRUE;
    }
  return FALSE;
}

gboolean
y_client_prev_pos (TandemYDoc *doc, guint32 client, YPos *pos)
{
  YClient *cl = doc->clients[client];
  if (pos->pos > 0)
    {
      pos->pos--;
      return TRUE;
    }
  if (pos->ci > 0)
    {
      pos->ci--;
      pos->pos = cl->chunks[pos->ci]->n - 1;
      return TRUE;
    }
  return FALSE;
}

static void
insert_chunk (YClient *cl, guint32 at, YChunk *ch)
{
  if (cl->n_chunks == cl->cap_chunks)
    {
      cl->cap_chunks = MAX (4, cl->cap_chunks * 2);
      cl->chunks = g_renew (YChunk *, cl->chunks, cl->cap_chunks);
    }
  memmove (&cl->chunks[at + 1], &cl->chunks[at], (cl->n_chunks - at) * sizeof (YChunk *));
  cl->chunks[at] = ch;
  cl->n_chunks++;
}

void
y_client_append (TandemYDoc *doc, guint32 client, guint32 item)
{
  YClient *cl = doc->clients[client];
  YChunk *ch = cl->n_chunks ? cl->chunks[cl->n_chunks - 1] : NULL;
  if (ch == NULL || ch->n == Y_CHUNK_CAP)
    {
      ch = g_new (YChunk, 1);
      ch->n = 0;
      insert_chunk (cl, cl->n_chunks, ch);
    }
  ch->it[ch->n++] = item;
}

void
y_client_insert_after (TandemYDoc *doc, guint32 client, YPos pos, guint32 item)
{
  YClient *cl = doc->clients[client];
  YChunk *ch = cl->chunks[pos.ci];
  guint32 at = pos.pos + 1;

  if (ch->n == Y_CHUNK_CAP)
    {
      YChunk *r = g_new (YChunk, 1);
      guint32 half = Y_CHUNK_CAP / 2;
      r->n = ch->n - half;
      memcpy (r->it, &ch->it[half], r->n * sizeof (guint32));
      ch->n = half;
      insert_chunk (cl, pos.ci + 1, r);
      if (at > half)
        {
          ch = r;
          at -= half;
        }
    }
  memmove (&ch->it[at + 1], &ch->it[at], (ch->n - at) * sizeof (guint32));
  ch->it[at] = item;
  ch->n++;
}

void
y_client_remove (TandemYDoc *doc, guint32 client, YPos pos)
{
  YClient *cl = doc->clients[client];
  YChunk *ch = cl->chunks[pos.ci];
  memmove (&ch->it[pos.pos], &ch->it[pos.pos + 1], (ch->n - pos.pos - 1) * sizeof (guint32));
  ch->n--;
  if (ch->n == 0)
    {
      g_free (ch);
      memmove (&cl->chunks[pos.ci], &cl->chunks[pos.ci + 1],
               (cl->n_chunks - pos.ci - 1) * sizeof (YChunk *));
      cl->n_chunks--;
    }
}

guint32
y_find_item (TandemYDoc *doc, guint32 client, guint32 clock)
{
  YPos pos;
  if (client == Y_NO_CLIENT || !y_client_find (doc, client, clock, &pos))
    return 0;
  return y_client_at (doc, client, pos);
}

/* --- opaque content --- */

guint32
y_opaque_new (TandemYDoc *doc, guint8 ref, const guint8 *data, gsize size, guint32 n)
{
  YOpaque *op = g_new0 (YOpaque, 1);
  op->ref = ref;
  op->n = n;
  op->data = g_memdup2 (data, size);
  op->size = size;
  if (ref == Y_REF_JSON || ref == Y_REF_ANY)
    {
      YDec dec;
      const char *s;
      gsize l;
      op->offs = g_new (guint32, n + 1);
      y_dec_init (&dec, op->data, size);
      for (guint32 i = 0; i < n; i++)
        {
          op->offs[i] = dec.p - op->data;
          gboolean ok = ref == Y_REF_JSON ? y_dec_varstring (&dec, &s, &l) : y_dec_skip_any (&dec, 0);
          g_assert (ok);
        }
      op->offs[n] = size;
    }
  g_ptr_array_add (doc->opaque, op);
  return doc->opaque->len - 1;
}

YOpaque *
y_opaque_get (TandemYDoc *doc, guint32 idx)
{
  return g_ptr_array_index (doc->opaque, idx);
}

void
y_opaque_drop (TandemYDoc *doc, guint32 idx)
{
  YOpaque *op = g_ptr_array_index (doc->opaque, idx);
  if (op == NULL)
    return;
  g_free (op->offs);
  g_free (op->data);
  g_free (op);
  g_ptr_array_index (doc->opaque, idx) = NULL;
}

/* --- split and merge --- */

guint32
y_split (TandemYDoc *doc, guint32 item, guint32 diff, YPos *pos_in)
{
  YItem *a = y_item (doc, item);
  guint32 ridx = y_item_alloc (doc);
  YItem *b = y_item (doc, ridx);
  gboolean pair = FALSE;
  guint32 old16 = y_item_w16 (a), oldcp = y_item_wcp (a);
  YPos pos;

  g_assert (diff > 0 && diff < a->len);
  if (pos_in)
    pos = *pos_in;
  else
    g_assert (y_client_find (doc, a->client, a->clock, &pos));

  *b = *a;
  b->leaf = NULL;
  b->clock = a->clock + diff;
  b->len = a->len - diff;
  b->oc = a->client;
  b->ock = a->clock + diff - 1;

  switch (a->ref)
    {
    case Y_REF_STRING:
      {
        const char *s = y_item_str (doc, a);
        gsize cut = y_utf8_split_utf16 (s, a->size, diff, &pair);
        guint32 left_cp = y_utf8_cp_len (s, cut);
        if (!pair)
          {
            b->data = a->data + cut;
            b->size = a->size - cut;
            b->cp_len = a->cp_len - left_cp;
            a->size = cut;
            a->cp_len = left_cp;
          }
        else
          {
            gsize rest = a->size - cut - 4;
            char *tmp = g_malloc (cut + rest + 6);
            memcpy (tmp, s, cut);
            memcpy (tmp + cut, Y_UTF8_REPLACEMENT Y_UTF8_REPLACEMENT, 6);
            memcpy (tmp + cut + 6, s + cut + 4, rest);
            guint32 off = y_arena_append (doc, tmp, cut + rest + 6);
            g_free (tmp);
            doc->arena_garbage += a->size;
            b->data = off + cut + 3;
            b->size = rest + 3;
            b->cp_len = a->cp_len - left_cp;
            a->data = off;
            a->size = cut + 3;
            a->cp_len = left_cp + 1;
          }
        break;
      }
    case Y_REF_JSON:
    case Y_REF_ANY:
      {
        YOpaque *op = y_opaque_get (doc, a->data);
        guint32 o = op->offs[diff];
        b->data = y_opaque_new (doc, op->ref, op->data + o, op->size - o, op->n - diff);
        op = y_opaque_get (doc, a->data);
        op->n = diff;
        op->size = o;
        b->cp_len = b->len;
        a->cp_len = diff;
        break;
      }
    default:
      b->cp_len = b->len;
      a->cp_len = diff;
      break;
    }
  a->len = diff;

  if (a->leaf)
    {
      y_tree_add_weight (doc, item, (gint32) y_item_w16 (a) - (gint32) old16,
                         (gint32) y_item_wcp (a) - (gint32) oldcp);
      y_tree_insert_after (doc, a->seq, item, ridx);
    }
  y_client_insert_after (doc, a->client, pos, ridx);
  if (pair && y_item_visible (a))
    y_emit_replace_pair (doc, item);
  return ridx;
}

guint32
y_clean_start (TandemYDoc *doc, guint32 client, guint32 clock)
{
  YPos pos;
  if (!y_client_find (doc, client, clock, &pos))
    return 0;
  guint32 idx = y_client_at (doc, client, pos);
  YItem *it = y_item (doc, idx);
  if (it->clock < clock && it->ref != Y_REF_GC)
    return y_split (doc, idx, clock - it->clock, &pos);
  return idx;
}

guint32
y_clean_end (TandemYDoc *doc, guint32 client, guint32 clock)
{
  YPos pos;
  if (!y_client_find (doc, client, clock, &pos))
    return 0;
  guint32 idx = y_client_at (doc, client, pos);
  YItem *it = y_item (doc, idx);
  if (clock != it->clock + it->len - 1 && it->ref != Y_REF_GC)
    y_split (doc, idx, clock - it->clock + 1, &pos);
  return idx;
}

/* Merges the struct at @pos into its predecessor in the store if Yjs would
 * (same kind, adjacent in the list, contiguous origins). */
gboolean
y_try_merge_left (TandemYDoc *doc, guint32 client, YPos pos)
{
  YPos lpos = pos;
  if (!y_client_prev_pos (doc, client, &lpos))
    return FALSE;
  guint32 ridx = y_client_at (doc, client, pos);
  guint32 lidx = y_client_at (doc, client, lpos);
  YItem *r = y_item (doc, ridx), *l = y_item (doc, lidx);

  if (l->ref != r->ref || l->flags != r->flags || l->clock + l->len != r->clock)
    return FALSE;
  if (l->ref == Y_REF_GC)
    {
      if (l->seq || r->seq)
        return FALSE;
    }
  else
    {
      if (l->ref != Y_REF_STRING && l->ref != Y_REF_DELETED)
        return FALSE;
      if (r->oc != l->client || r->ock != l->clock + l->len - 1)
        return FALSE;
      if (l->rc != r->rc || (l->rc != Y_NO_CLIENT && l->rck != r->rck))
        return FALSE;
      if (l->seq != r->seq || l->seq == 0 || y_tree_next (doc, lidx) != ridx)
        return FALSE;
    }

  if (l->ref == Y_REF_STRING && l->data + l->size != r->data)
    {
      guint32 off = y_arena_append (doc, doc->arena + l->data, l->size);
      y_arena_append (doc, doc->arena + r->data, r->size);
      doc->arena_garbage += l->size + r->size;
      l->data = off;
    }
  guint32 w16 = y_item_w16 (r), wcp = y_item_wcp (r);
  if (r->leaf)
    y_tree_remove (doc, ridx);
  l->len += r->len;
  l->cp_len += r->cp_len;
  l->size += r->size;
  if (l->leaf)
    y_tree_add_weight (doc, lidx, w16, wcp);
  y_client_remove (doc, client, pos);
  y_item_free (doc, ridx);
  return TRUE;
}

/* --- branches and sequences --- */

guint32
y_root_branch (TandemYDoc *doc, const char *name, gsize len)
{
  g_autoptr(GBytes) key = g_bytes_new (name, len);
  gpointer v;

  if (g_hash_table_lookup_extended (doc->roots, key, NULL, &v))
    return GPOINTER_TO_UINT (v);
  YBranch *b = g_new0 (YBranch, 1);
  b->name = g_strndup (name, len);
  b->name_len = len;
  b->map = g_hash_table_new_full (g_bytes_hash, g_bytes_equal, (GDestroyNotify) g_bytes_unref, NULL);
  g_ptr_array_add (doc->branches, b);
  guint32 idx = doc->branches->len - 1;
  g_hash_table_insert (doc->roots, g_steal_pointer (&key), GUINT_TO_POINTER (idx));
  return idx;
}

guint32
y_branch_new (TandemYDoc *doc, guint32 type_item)
{
  YBranch *b = g_new0 (YBranch, 1);
  b->type_item = type_item;
  b->map = g_hash_table_new_full (g_bytes_hash, g_bytes_equal, (GDestroyNotify) g_bytes_unref, NULL);
  g_ptr_array_add (doc->branches, b);
  return doc->branches->len - 1;
}

guint32
y_branch_seq (TandemYDoc *doc, guint32 branch, const char *key, gsize key_len)
{
  YBranch *b = y_branch (doc, branch);
  g_autoptr(GBytes) k = key ? g_bytes_new (key, key_len) : NULL;

  if (key == NULL && b->list)
    return b->list;
  if (key)
    {
      gpointer v = g_hash_table_lookup (b->map, k);
      if (v)
        return GPOINTER_TO_UINT (v);
    }
  YSeq *seq = g_new0 (YSeq, 1);
  seq->branch = branch;
  seq->key = key ? g_memdup2 (key, key_len) : NULL;
  seq->key_len = key_len;
  g_ptr_array_add (doc->seqs, seq);
  guint32 idx = doc->seqs->len - 1;
  if (key)
    g_hash_table_insert (b->map, g_steal_pointer (&k), GUINT_TO_POINTER (idx));
  else
    b->list = idx;
  return idx;
}

static gsize
tree_size (YNode *node)
{
  if (node == NULL)
    return 0;
  if (node->is_leaf)
    return sizeof (YLeaf);
  gsize s = sizeof (YInner);
  for (guint i = 0; i < node->n; i++)
    s += tree_size (((YInner *) node)->c[i]);
  return s;
}

gsize
y_doc_memory_size (TandemYDoc *doc)
{
  gsize s = sizeof (TandemYDoc);
  s += (gsize) doc->n_blocks * Y_SLAB_SIZE * sizeof (YItem) + doc->cap_blocks * sizeof (gpointer);
  s += doc->free_items->len * sizeof (guint32);
  s += doc->arena_cap;
  for (guint32 i = 0; i < doc->n_clients; i++)
    s += sizeof (YClient) + doc->clients[i]->cap_chunks * sizeof (gpointer) +
         doc->clients[i]->n_chunks * sizeof (YChunk);
  for (guint i = 1; i < doc->seqs->len; i++)
    s += sizeof (YSeq) + tree_size (y_seq (doc, i)->root);
  for (guint i = 0; i < doc->opaque->len; i++)
    {
      YOpaque *op = g_ptr_array_index (doc->opaque, i);
      if (op)
        s += sizeof (YOpaque) + op->size + (op->offs ? (op->n + 1) * 4 : 0);
    }
  s += doc->branches->len * sizeof (YBranch);
  return s;
}
