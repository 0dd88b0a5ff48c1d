/* tandem-ydoc-encode.c: writing structs, delete sets, state vectors and
 * whole-document or diff updates (Yjs update format v1)
 *
 * Clients are always written in descending client id order, as Yjs does
 * (Y.mergeUpdates drops structs otherwise), and strings cut inside a
 * surrogate pair get U+FFFD on both sides, as Yjs's ContentString does.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "tandem-ydoc-private.h"

/* --- writing --- */

void
y_struct_content_slice (const YStruct *s, guint32 offset, const guint8 **data, gsize *size,
                        gboolean *fffd)
{
  *data = s->content;
  *size = s->content_size;
  *fffd = FALSE;
  if (offset == 0)
    return;
  if (s->ref == Y_REF_STRING)
    {
      gsize cut = y_utf8_split_utf16 ((const char *) s->content, s->content_size, offset, fffd);
      if (*fffd)
        cut += 4;
      *data = s->content + cut;
      *size = s->content_size - cut;
    }
  else if (s->ref == Y_REF_JSON || s->ref == Y_REF_ANY)
    {
      YDec dec;
      const char *str;
      gsize l;
      y_dec_init (&dec, s->content, s->content_size);
      for (guint32 i = 0; i < offset; i++)
        {
          if (s->ref == Y_REF_JSON)
            y_dec_varstring (&dec, &str, &l);
          else
            y_dec_skip_any (&dec, 0);
        }
      *data = dec.p;
      *size = dec.end - dec.p;
    }
}

static void
write_string_slice (YEnc *enc, const char *s, gsize size, guint32 offset)
{
  gboolean pair = FALSE;
  gsize cut = offset ? y_utf8_split_utf16 (s, size, offset, &pair) : 0;
  if (pair)
    {
      y_enc_varuint (enc, 3 + size - cut - 4);
      y_enc_raw (enc, Y_UTF8_REPLACEMENT, 3);
      y_enc_raw (enc, s + cut + 4, size - cut - 4);
    }
  else
    y_enc_varstring (enc, s + cut, size - cut);
}

void
y_write_item (YEnc *enc, TandemYDoc *doc, guint32 idx, guint32 offset)
{
  YItem *it = y_item (doc, idx);
  guint32 oc = it->oc, ock = it->ock;
  guint8 info;

  if (it->ref == Y_REF_GC)
    {
      y_enc_u8 (enc, 0);
      y_enc_varuint (enc, it->len - offset);
      return;
    }
  if (offset > 0)
    {
      oc = it->client;
      ock = it->clock + offset - 1;
    }
  YSeq *seq = y_seq (doc, it->seq);
  info = it->ref | (oc != Y_NO_CLIENT ? 0x80 : 0) | (it->rc != Y_NO_CLIENT ? 0x40 : 0);
  if (seq->key)
    info |= 0x20; /* set even when the key itself is not written */
  y_enc_u8 (enc, info);
  if (oc != Y_NO_CLIENT)
    {
      y_enc_varuint (enc, doc->clients[oc]->id);
      y_enc_varuint (enc, ock);
    }
  if (it->rc != Y_NO_CLIENT)
    {
      y_enc_varuint (enc, doc->clients[it->rc]->id);
      y_enc_varuint (enc, it->rck);
    }
  if (oc == Y_NO_CLIENT && it->rc == Y_NO_CLIENT)
    {
      YBranch *b = y_branch (doc, seq->branch);
      if (b->name)
        {
          y_enc_varuint (enc, 1);
          y_enc_varstring (enc, b->name, b->name_len);
        }
      else
        {
          YItem *t = y_item (doc, b->type_item);
          y_enc_varuint (enc, 0);
          y_enc_varuint (enc, doc->clients[t->client]->id);
          y_enc_varuint (enc, t->clock);
        }
      if (seq->key)
        y_enc_varstring (enc, seq->key, seq->key_len);
    }
  switch (it->ref)
    {
    case Y_REF_DELETED:
      y_enc_varuint (enc, it->len - offset);
      break;
    case Y_REF_STRING:
      write_string_slice (enc, y_item_str (doc, it), it->size, offset);
      break;
    case Y_REF_JSON:
    case Y_REF_ANY:
      {
        YOpaque *op = y_opaque_get (doc, it->data);
        y_enc_varuint (enc, op->n - offset);
        y_enc_raw (enc, op->data + op->offs[offset], op->size - op->offs[offset]);
        break;
      }
    default:
      {
        YOpaque *op = y_opaque_get (doc, it->data);
        y_enc_raw (enc, op->data, op->size);
        break;
      }
    }
}

void
y_write_struct (YEnc *enc, const YStruct *s, guint32 offset)
{
  guint8 info;
  gboolean has_origin = offset > 0 || Y_STRUCT_HAS_ORIGIN (s);

  if (s->ref == Y_REF_GC || s->ref == Y_REF_SKIP)
    {
      y_enc_u8 (enc, s->ref);
      y_enc_varuint (enc, s->len - offset);
      return;
    }
  info = s->ref | (has_origin ? 0x80 : 0) | (s->info & 0x60);
  y_enc_u8 (enc, info);
  if (offset > 0)
    {
      y_enc_varuint (enc, s->client);
      y_enc_varuint (enc, s->clock + offset - 1);
    }
  else if (has_origin)
    {
      y_enc_varuint (enc, s->o_client);
      y_enc_varuint (enc, s->o_clock);
    }
  if (Y_STRUCT_HAS_RORIGIN (s))
    {
      y_enc_varuint (enc, s->r_client);
      y_enc_varuint (enc, s->r_clock);
    }
  if (!has_origin && !Y_STRUCT_HAS_RORIGIN (s))
    {
      if (s->parent_kind == 1)
        {
          y_enc_varuint (enc, 1);
          y_enc_varstring (enc, s->pname, s->pname_len);
        }
      else
        {
          y_enc_varuint (enc, 0);
          y_enc_varuint (enc, s->p_client);
          y_enc_varuint (enc, s->p_clock);
        }
      if ((s->info & 0x20) && s->key)
        y_enc_varstring (enc, s->key, s->key_len);
    }
  switch (s->ref)
    {
    case Y_REF_DELETED:
      y_enc_varuint (enc, s->len - offset);
      break;
    case Y_REF_STRING:
      write_string_slice (enc, (const char *) s->content, s->content_size, offset);
      break;
    case Y_REF_JSON:
    case Y_REF_ANY:
      {
        const guint8 *d;
        gsize size;
        gboolean fffd;
        y_struct_content_slice (s, offset, &d, &size, &fffd);
        y_enc_varuint (enc, s->len - offset);
        y_enc_raw (enc, d, size);
        break;
      }
    default:
      y_enc_raw (enc, s->content, s->content_size);
      break;
    }
}

static int
cmp_range (gconstpointer a, gconstpointer b)
{
  const YIdRange *x = a, *y = b;
  if (x->client != y->client)
    return x->client > y->client ? -1 : 1;
  return x->clock < y->clock ? -1 : x->clock > y->clock;
}

/* Sorts by client (descending) and clock, merging overlapping ranges. */
void
y_sort_merge_ds (GArray *ranges)
{
  guint n = 0;
  if (ranges->len == 0)
    return;
  g_array_sort (ranges, cmp_range);
  for (guint i = 1; i < ranges->len; i++)
    {
      YIdRange *last = &g_array_index (ranges, YIdRange, n);
      YIdRange *r = &g_array_index (ranges, YIdRange, i);
      if (r->client == last->client && r->clock <= last->clock + last->len)
        last->len = MAX (last->len, r->clock + r->len - last->clock);
      else
        g_array_index (ranges, YIdRange, ++n) = *r;
    }
  g_array_set_size (ranges, n + 1);
}

void
y_write_ds (YEnc *enc, GArray *ranges)
{
  guint n_clients = 0;
  for (guint i = 0; i < ranges->len; i++)
    if (i == 0 || g_array_index (ranges, YIdRange, i).client != g_array_index (ranges, YIdRange, i - 1).client)
      n_clients++;
  y_enc_varuint (enc, n_clients);
  for (guint i = 0; i < ranges->len;)
    {
      guint j = i;
      guint64 client = g_array_index (ranges, YIdRange, i).client;
      while (j < ranges->len && g_array_index (ranges, YIdRange, j).client == client)
        j++;
      y_enc_varuint (enc, client);
      y_enc_varuint (enc, j - i);
      for (; i < j; i++)
        {
          y_enc_varuint (enc, g_array_index (ranges, YIdRange, i).clock);
          y_enc_varuint (enc, g_array_index (ranges, YIdRange, i).len);
        }
    }
}

static int
cmp_client_desc (gconstpointer a, gconstpointer b, gpointer data)
{
  TandemYDoc *doc = data;
  guint64 x = doc->clients[*(const guint32 *) a]->id, y = doc->clients[*(const guint32 *) b]->id;
  return x > y ? -1 : x < y;
}

static guint32 *
clients_desc (TandemYDoc *doc)
{
  guint32 *order = g_new (guint32, MAX (doc->n_clients, 1));
  for (guint32 i = 0; i < doc->n_clients; i++)
    order[i] = i;
  g_qsort_with_data (order, doc->n_clients, sizeof (guint32), cmp_client_desc, doc);
  return order;
}

void
y_encode_structs_since (TandemYDoc *doc, YEnc *enc, const guint64 *sv_clients,
                        const guint32 *sv_clocks, guint n_sv)
{
  g_autofree guint32 *order = clients_desc (doc);
  g_autofree guint32 *from = g_new0 (guint32, MAX (doc->n_clients, 1));
  guint n = 0;

  for (guint i = 0; i < n_sv; i++)
    {
      guint32 c = y_client_get (doc, sv_clients[i], FALSE);
      if (c != Y_NO_CLIENT)
        from[c] = sv_clocks[i];
    }
  for (guint32 c = 0; c < doc->n_clients; c++)
    n += doc->clients[c]->state > from[c];
  y_enc_varuint (enc, n);
  for (guint32 k = 0; k < doc->n_clients; k++)
    {
      guint32 c = order[k];
      YClient *cl = doc->clients[c];
      YPos pos;
      if (cl->state <= from[c])
        continue;
      y_client_find (doc, c, from[c], &pos);
      guint32 count = cl->chunks[pos.ci]->n - pos.pos;
      for (guint32 ci = pos.ci + 1; ci < cl->n_chunks; ci++)
        count += cl->chunks[ci]->n;
      y_enc_varuint (enc, count);
      y_enc_varuint (enc, cl->id);
      y_enc_varuint (enc, from[c]);
      guint32 first = y_client_at (doc, c, pos);
      y_write_item (enc, doc, first, from[c] - y_item (doc, first)->clock);
      while (y_client_next_pos (doc, c, &pos))
        y_write_item (enc, doc, y_client_at (doc, c, pos), 0);
    }
}

static GArray *
ds_from_store (TandemYDoc *doc)
{
  GArray *ds = g_array_new (FALSE, FALSE, sizeof (YIdRange));
  for (guint32 c = 0; c < doc->n_clients; c++)
    {
      YClient *cl = doc->clients[c];
      YIdRange cur = { cl->id, 0, 0 };
      for (guint32 ci = 0; ci < cl->n_chunks; ci++)
        for (guint32 k = 0; k < cl->chunks[ci]->n; k++)
          {
            YItem *it = y_item (doc, cl->chunks[ci]->it[k]);
            if (!(it->flags & Y_FLAG_DELETED) && it->ref != Y_REF_GC)
              continue;
            if (cur.len > 0 && cur.clock + cur.len == it->clock)
              cur.len += it->len;
            else
              {
                if (cur.len > 0)
                  g_array_append_val (ds, cur);
                cur.clock = it->clock;
                cur.len = it->len;
              }
          }
      if (cur.len > 0)
        g_array_append_val (ds, cur);
    }
  y_sort_merge_ds (ds);
  return ds;
}

gboolean
tandem_ystate_vector_decode (const guint8 *data, gsize len, GArray **clients, GArray **clocks,
                             GError **error)
{
  YDec dec;
  guint64 n, c, k;
  g_autoptr(GArray) cl = g_array_new (FALSE, FALSE, sizeof (guint64));
  g_autoptr(GArray) ck = g_array_new (FALSE, FALSE, sizeof (guint32));

  y_dec_init (&dec, data, len);
  if (!y_dec_varuint (&dec, &n))
    goto malformed;
  for (guint64 i = 0; i < n; i++)
    {
      if (!y_dec_varuint (&dec, &c) || !y_dec_varuint (&dec, &k))
        goto malformed;
      guint32 k32 = (guint32) MIN (k, G_MAXUINT32);
      g_array_append_val (cl, c);
      g_array_append_val (ck, k32);
    }
  *clients = g_steal_pointer (&cl);
  *clocks = g_steal_pointer (&ck);
  return TRUE;

malformed:
  g_set_error (error, TANDEM_CRDT_ERROR, TANDEM_CRDT_ERROR_MALFORMED, "Malformed state vector");
  return FALSE;
}

/**
 * tandem_ydoc_encode_state_vector:
 * @doc: a document
 *
 * Returns: (transfer full): the state vector (Yjs `encodeStateVector`)
 */
GBytes *
tandem_ydoc_encode_state_vector (TandemYDoc *doc)
{
  g_autofree guint32 *order = clients_desc (doc);
  YEnc enc;
  guint n = 0;

  y_enc_init (&enc);
  for (guint32 c = 0; c < doc->n_clients; c++)
    n += doc->clients[c]->state > 0;
  y_enc_varuint (&enc, n);
  for (guint32 k = 0; k < doc->n_clients; k++)
    {
      YClient *cl = doc->clients[order[k]];
      if (cl->state == 0)
        continue;
      y_enc_varuint (&enc, cl->id);
      y_enc_varuint (&enc, cl->state);
    }
  return y_enc_to_bytes (&enc);
}

/**
 * tandem_ydoc_encode_delete_set:
 * @doc: a document
 *
 * Returns: (transfer full): the delete set of the whole document
 */
GBytes *
tandem_ydoc_encode_delete_set (TandemYDoc *doc)
{
  g_autoptr(GArray) ds = ds_from_store (doc);
  YEnc enc;
  y_enc_init (&enc);
  y_write_ds (&enc, ds);
  return y_enc_to_bytes (&enc);
}

/**
 * tandem_ydoc_encode_state_as_update:
 * @doc: a document
 * @state_vector: (nullable) (array length=sv_len): a remote state vector
 * @sv_len: its length
 * @error: return location for a #GError
 *
 * Encodes what a peer at @state_vector is missing, with the whole delete
 * set (Yjs `encodeStateAsUpdate`). Without a state vector, the whole state.
 *
 * Returns: (transfer full): the update, or %NULL if @state_vector is invalid
 */
GBytes *
tandem_ydoc_encode_state_as_update (TandemYDoc *doc, const guint8 *state_vector, gsize sv_len,
                                    GError **error)
{
  g_autoptr(GArray) clients = NULL, clocks = NULL;
  g_autoptr(GArray) ds = NULL;
  YEnc enc;

  if (state_vector && sv_len > 0)
    {
      if (!tandem_ystate_vector_decode (state_vector, sv_len, &clients, &clocks, error))
        return NULL;
    }
  y_enc_init (&enc);
  y_encode_structs_since (doc, &enc, clients ? (guint64 *) clients->data : NULL,
                          clocks ? (guint32 *) clocks->data : NULL, clients ? clients->len : 0);
  ds = ds_from_store (doc);
  y_write_ds (&enc, ds);
  return y_enc_to_bytes (&enc);
}

