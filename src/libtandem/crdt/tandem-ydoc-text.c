/* tandem-ydoc-text.c: document lifecycle and the Y.Text API
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "tandem-ydoc-private.h"

G_DEFINE_QUARK (tandem-crdt-error-quark, tandem_crdt_error)

/**
 * tandem_ydoc_generate_client_id:
 *
 * Returns: a fresh random client id (a 32-bit number, as Yjs generates).
 */
guint64
tandem_ydoc_generate_client_id (void)
{
  return g_random_int ();
}

/**
 * tandem_ydoc_new:
 * @client_id: the client id, or 0 for a random one
 *
 * Returns: (transfer full): a new empty document
 */
TandemYDoc *
tandem_ydoc_new (guint64 client_id)
{
  TandemYDoc *doc = g_new0 (TandemYDoc, 1);

  g_return_val_if_fail (client_id <= Y_MAX_SAFE_INTEGER, NULL);
  doc->client_id = client_id ? client_id : tandem_ydoc_generate_client_id ();
  doc->free_items = g_array_new (FALSE, FALSE, sizeof (guint32));
  doc->n_items = 1; /* index 0 means "none" */
  doc->client_index = g_hash_table_new (g_int64_hash, g_int64_equal);
  doc->branches = g_ptr_array_new ();
  g_ptr_array_add (doc->branches, NULL);
  doc->roots = g_hash_table_new_full (g_bytes_hash, g_bytes_equal, (GDestroyNotify) g_bytes_unref, NULL);
  doc->seqs = g_ptr_array_new ();
  g_ptr_array_add (doc->seqs, NULL);
  doc->opaque = g_ptr_array_new ();
  doc->pending = g_array_new (FALSE, FALSE, sizeof (YStruct));
  doc->pending_bufs = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  doc->pending_ds = g_array_new (FALSE, FALSE, sizeof (YIdRange));
  doc->pending_missing = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  doc->pending_ds_missing = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  doc->tx.ds = g_array_new (FALSE, FALSE, sizeof (YIdRange));
  doc->tx.deleted_log = g_array_new (FALSE, FALSE, sizeof (YDeletedPiece));
  doc->me = y_client_get (doc, doc->client_id, TRUE);
  return doc;
}

void
tandem_ydoc_free (TandemYDoc *doc)
{
  if (doc == NULL)
    return;
  for (guint32 i = 0; i < doc->n_blocks; i++)
    g_free (doc->blocks[i]);
  g_free (doc->blocks);
  g_array_unref (doc->free_items);
  g_free (doc->arena);
  for (guint32 i = 0; i < doc->n_clients; i++)
    {
      YClient *cl = doc->clients[i];
      for (guint32 k = 0; k < cl->n_chunks; k++)
        g_free (cl->chunks[k]);
      g_free (cl->chunks);
      g_free (cl);
    }
  g_free (doc->clients);
  g_hash_table_unref (doc->client_index);
  for (guint i = 1; i < doc->branches->len; i++)
    {
      YBranch *b = y_branch (doc, i);
      g_free (b->name);
      g_hash_table_unref (b->map);
      g_free (b);
    }
  g_ptr_array_unref (doc->branches);
  g_hash_table_unref (doc->roots);
  for (guint i = 1; i < doc->seqs->len; i++)
    {
      YSeq *s = y_seq (doc, i);
      y_tree_free (s->root);
      g_free (s->key);
      g_free (s);
    }
  g_ptr_array_unref (doc->seqs);
  for (guint i = 0; i < doc->opaque->len; i++)
    y_opaque_drop (doc, i);
  g_ptr_array_unref (doc->opaque);
  g_array_unref (doc->pending);
  g_ptr_array_unref (doc->pending_bufs);
  g_array_unref (doc->pending_ds);
  g_hash_table_unref (doc->pending_missing);
  g_hash_table_unref (doc->pending_ds_missing);
  g_array_unref (doc->tx.ds);
  for (guint i = 0; i < doc->tx.deleted_log->len; i++)
    g_free (g_array_index (doc->tx.deleted_log, YDeletedPiece, i).text);
  g_array_unref (doc->tx.deleted_log);
  g_free (doc->tx.before);
  g_free (doc);
}

guint64
tandem_ydoc_get_client_id (TandemYDoc *doc)
{
  return doc->client_id;
}

void
tandem_ydoc_set_update_func (TandemYDoc *doc, TandemYDocUpdateFunc func, gpointer user_data)
{
  doc->update_func = func;
  doc->update_data = user_data;
}

void
tandem_ydoc_set_change_func (TandemYDoc *doc, TandemYDocChangeFunc func, gpointer user_data)
{
  doc->change_func = func;
  doc->change_data = user_data;
}

void
tandem_ydoc_set_transaction_func (TandemYDoc *doc, TandemYDocTransactionFunc func, gpointer user_data)
{
  doc->txn_func = func;
  doc->txn_data = user_data;
}

gsize
tandem_ydoc_memory_size (TandemYDoc *doc)
{
  return y_doc_memory_size (doc);
}

/**
 * tandem_ydoc_get_text:
 * @doc: a document
 * @name: the root name (Yjs `doc.getText(name)`)
 *
 * Returns: a handle of the root text @name, created if needed
 */
guint32
tandem_ydoc_get_text (TandemYDoc *doc, const char *name)
{
  guint32 b = y_root_branch (doc, name, strlen (name));
  y_branch_seq (doc, b, NULL, 0);
  return b;
}

const char *
tandem_ydoc_text_get_name (TandemYDoc *doc, guint32 text)
{
  g_return_val_if_fail (text > 0 && text < doc->branches->len, NULL);
  return y_branch (doc, text)->name;
}

static gboolean
check_text (TandemYDoc *doc, guint32 text, GError **error)
{
  if (text == 0 || text >= doc->branches->len || y_branch (doc, text)->list == 0)
    {
      g_set_error (error, TANDEM_CRDT_ERROR, TANDEM_CRDT_ERROR_INVALID_ARGUMENT, "No such text");
      return FALSE;
    }
  return TRUE;
}

void
tandem_ydoc_begin (TandemYDoc *doc, gpointer origin)
{
  g_return_if_fail (doc->in_callback == 0);
  y_txn_begin (doc, TRUE, origin);
}

void
tandem_ydoc_commit (TandemYDoc *doc)
{
  g_return_if_fail (doc->in_callback == 0);
  g_return_if_fail (doc->tx.depth > 0);
  y_txn_end (doc);
}

/* Converts an offset inside a visible item from code points to UTF-16. */
static guint32
item_cp_to_u16 (TandemYDoc *doc, YItem *it, guint32 off)
{
  if (it->cp_len == it->len || it->ref != Y_REF_STRING)
    return off;
  return y_utf8_cp_to_utf16 (y_item_str (doc, it), it->size, off);
}

static gboolean
text_insert (TandemYDoc *doc, guint32 text, guint pos, const char *str, gssize len,
             gboolean cp, GError **error)
{
  gsize size;

  g_return_val_if_fail (doc->in_callback == 0, FALSE);
  if (!check_text (doc, text, error))
    return FALSE;
  size = len < 0 ? strlen (str) : (gsize) len;
  if (!y_utf8_validate (str, size))
    {
      g_set_error (error, TANDEM_CRDT_ERROR, TANDEM_CRDT_ERROR_INVALID_UTF8, "Text is not valid UTF-8");
      return FALSE;
    }
  guint32 seq = y_branch (doc, text)->list;
  YSeq *sq = y_seq (doc, seq);
  if (pos > (cp ? sq->wcp : sq->w16))
    {
      g_set_error (error, TANDEM_CRDT_ERROR, TANDEM_CRDT_ERROR_OUT_OF_RANGE,
                   "Position %u is beyond the end of the text", pos);
      return FALSE;
    }
  if (size == 0)
    return TRUE;

  y_txn_begin (doc, TRUE, NULL);
  guint32 left = 0, right;
  if (pos == 0)
    right = y_tree_first (doc, seq);
  else
    {
      guint32 off;
      left = y_tree_find (doc, seq, pos - 1, cp, &off);
      YItem *it = y_item (doc, left);
      guint32 off16 = cp ? item_cp_to_u16 (doc, it, off + 1) : off + 1;
      right = off16 < it->len ? y_split (doc, left, off16, NULL) : y_tree_next (doc, left);
    }
  while (right && (y_item (doc, right)->flags & Y_FLAG_DELETED))
    {
      left = right;
      right = y_tree_next (doc, right);
    }
  y_local_insert (doc, seq, left, right, str, size);
  y_txn_end (doc);
  return TRUE;
}

static gboolean
text_delete (TandemYDoc *doc, guint32 text, guint pos, guint n, gboolean cp, GError **error)
{
  g_return_val_if_fail (doc->in_callback == 0, FALSE);
  if (!check_text (doc, text, error))
    return FALSE;
  guint32 seq = y_branch (doc, text)->list;
  YSeq *sq = y_seq (doc, seq);
  guint32 total = cp ? sq->wcp : sq->w16;
  if (pos > total || n > total - pos)
    {
      g_set_error (error, TANDEM_CRDT_ERROR, TANDEM_CRDT_ERROR_OUT_OF_RANGE,
                   "Range %u+%u is beyond the end of the text", pos, n);
      return FALSE;
    }
  if (n == 0)
    return TRUE;

  y_txn_begin (doc, TRUE, NULL);
  guint32 off;
  guint32 idx = y_tree_find (doc, seq, pos, cp, &off);
  YItem *it = y_item (doc, idx);
  guint32 off16 = cp ? item_cp_to_u16 (doc, it, off) : off;
  if (off16 > 0)
    idx = y_split (doc, idx, off16, NULL);
  while (n > 0 && idx)
    {
      it = y_item (doc, idx);
      if (y_item_visible (it))
        {
          guint32 w = cp ? it->cp_len : it->len;
          if (w > n)
            {
              y_split (doc, idx, cp ? item_cp_to_u16 (doc, it, n) : n, NULL);
              w = cp ? it->cp_len : it->len;
            }
          n -= MIN (w, n);
          y_item_delete (doc, idx);
        }
      idx = y_tree_next (doc, idx);
    }
  y_txn_end (doc);
  return TRUE;
}

/**
 * tandem_ydoc_text_insert:
 * @doc: a document
 * @text: a text handle
 * @pos: where to insert, in code points
 * @str: UTF-8 text
 * @len: length of @str in bytes, or -1 if nul-terminated
 * @error: return location for a #GError
 *
 * Inserts @str at @pos, in its own transaction unless one is open.
 *
 * Returns: %TRUE on success
 */
gboolean
tandem_ydoc_text_insert (TandemYDoc *doc, guint32 text, guint pos, const char *str,
                         gssize len, GError **error)
{
  return text_insert (doc, text, pos, str, len, TRUE, error);
}

gboolean
tandem_ydoc_text_insert_utf16 (TandemYDoc *doc, guint32 text, guint pos, const char *str,
                               gssize len, GError **error)
{
  return text_insert (doc, text, pos, str, len, FALSE, error);
}

gboolean
tandem_ydoc_text_delete (TandemYDoc *doc, guint32 text, guint pos, guint n, GError **error)
{
  return text_delete (doc, text, pos, n, TRUE, error);
}

gboolean
tandem_ydoc_text_delete_utf16 (TandemYDoc *doc, guint32 text, guint pos, guint n, GError **error)
{
  return text_delete (doc, text, pos, n, FALSE, error);
}

/**
 * tandem_ydoc_text_to_string:
 * @doc: a document
 * @text: a text handle
 * @len: (out) (optional): the length in bytes
 *
 * Returns: (transfer full): the text (only string content, as Yjs's toString)
 */
char *
tandem_ydoc_text_to_string (TandemYDoc *doc, guint32 text, gsize *len)
{
  GString *s = g_string_sized_new (256);
  guint32 seq = check_text (doc, text, NULL) ? y_branch (doc, text)->list : 0;

  if (seq)
    for (YLeaf *leaf = y_seq (doc, seq)->first; leaf; leaf = leaf->next)
      for (guint i = 0; i < leaf->h.n; i++)
        {
          YItem *it = y_item (doc, leaf->it[i]);
          if (it->ref == Y_REF_STRING && !(it->flags & Y_FLAG_DELETED))
            g_string_append_len (s, y_item_str (doc, it), it->size);
        }
  if (len)
    *len = s->len;
  return g_string_free (s, FALSE);
}

guint
tandem_ydoc_text_length (TandemYDoc *doc, guint32 text)
{
  return check_text (doc, text, NULL) ? y_seq (doc, y_branch (doc, text)->list)->wcp : 0;
}

guint
tandem_ydoc_text_length_utf16 (TandemYDoc *doc, guint32 text)
{
  return check_text (doc, text, NULL) ? y_seq (doc, y_branch (doc, text)->list)->w16 : 0;
}

guint
tandem_ydoc_text_utf16_to_chars (TandemYDoc *doc, guint32 text, guint index16)
{
  guint32 seq, off, icp;
  if (!check_text (doc, text, NULL))
    return 0;
  seq = y_branch (doc, text)->list;
  if (index16 >= y_seq (doc, seq)->w16)
    return y_seq (doc, seq)->wcp;
  guint32 idx = y_tree_find (doc, seq, index16, FALSE, &off);
  YItem *it = y_item (doc, idx);
  y_tree_index_of (doc, idx, NULL, &icp);
  if (it->ref == Y_REF_STRING && it->cp_len != it->len)
    off = y_utf8_utf16_to_cp (y_item_str (doc, it), it->size, off);
  return icp + off;
}

guint
tandem_ydoc_text_chars_to_utf16 (TandemYDoc *doc, guint32 text, guint index)
{
  guint32 seq, off, i16;
  if (!check_text (doc, text, NULL))
    return 0;
  seq = y_branch (doc, text)->list;
  if (index >= y_seq (doc, seq)->wcp)
    return y_seq (doc, seq)->w16;
  guint32 idx = y_tree_find (doc, seq, index, TRUE, &off);
  y_tree_index_of (doc, idx, &i16, NULL);
  return i16 + item_cp_to_u16 (doc, y_item (doc, idx), off);
}

/**
 * tandem_ydoc_dump_runs:
 * @doc: a document
 * @text: a text handle
 *
 * Lists the items of @text in list order, tombstones included, as
 * "client:clock+len" (with a trailing "d" when deleted) separated by spaces,
 * merging adjacent runs. Two replicas in the same state give the same dump;
 * tests use it to check the order of tombstones too.
 *
 * Returns: (transfer full): the dump
 */
char *
tandem_ydoc_dump_runs (TandemYDoc *doc, guint32 text)
{
  GString *s = g_string_new (NULL);
  guint64 rc = 0;
  guint32 rclock = 0, rlen = 0;
  gboolean rdel = FALSE, have = FALSE;

  if (check_text (doc, text, NULL))
    for (guint32 i = y_tree_first (doc, y_branch (doc, text)->list); i; i = y_tree_next (doc, i))
      {
        YItem *it = y_item (doc, i);
        guint64 c = doc->clients[it->client]->id;
        gboolean del = (it->flags & Y_FLAG_DELETED) != 0;
        if (have && c == rc && rclock + rlen == it->clock && del == rdel)
          {
            rlen += it->len;
            continue;
          }
        if (have)
          g_string_append_printf (s, "%" G_GUINT64_FORMAT ":%u+%u%s ", rc, rclock, rlen, rdel ? "d" : "");
        have = TRUE;
        rc = c;
        rclock = it->clock;
        rlen = it->len;
        rdel = del;
      }
  if (have)
    g_string_append_printf (s, "%" G_GUINT64_FORMAT ":%u+%u%s", rc, rclock, rlen, rdel ? "d" : "");
  return g_string_free (s, FALSE);
}
