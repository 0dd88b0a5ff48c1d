/* tandem-ydoc-tree.c: the position index of a sequence
 *
 * A counted B+-tree. Leaves hold item indices in list order and are linked;
 * inner nodes hold, per child, the visible length in UTF-16 units and in
 * code points. A leaf does not know its own weight: its parent does (or the
 * YSeq for the root). Items know their leaf, so neighbours, indexes and
 * weight changes cost O(log n). Empty nodes are removed; nodes are never
 * rebalanced otherwise, which keeps removal cheap.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "tandem-ydoc-private.h"

static inline guint
leaf_slot (YLeaf *leaf, guint32 item)
{
  for (guint i = 0; i < leaf->h.n; i++)
    if (leaf->it[i] == item)
      return i;
  g_assert_not_reached ();
  return 0;
}

static inline guint
child_slot (YInner *p, YNode *c)
{
  for (guint i = 0; i < p->h.n; i++)
    if (p->c[i] == c)
      return i;
  g_assert_not_reached ();
  return 0;
}

static void
propagate (YSeq *seq, YNode *node, gint32 d16, gint32 dcp)
{
  while (node->parent)
    {
      YInner *p = node->parent;
      guint i = child_slot (p, node);
      p->w16[i] += d16;
      p->wcp[i] += dcp;
      node = &p->h;
    }
  seq->w16 += d16;
  seq->wcp += dcp;
}

static void inner_split (YSeq *seq, YInner *node);

/* Inserts @right after @left in @left's parent; @right takes (w16, wcp)
 * of the weight currently counted for @left. */
static void
node_insert_after (YSeq *seq, YNode *left, YNode *right, guint32 w16, guint32 wcp)
{
  YInner *p = left->parent;

  if (p == NULL)
    {
      p = g_new0 (YInner, 1);
      p->h.n = 2;
      p->c[0] = left;
      p->c[1] = right;
      p->w16[0] = seq->w16 - w16;
      p->wcp[0] = seq->wcp - wcp;
      p->w16[1] = w16;
      p->wcp[1] = wcp;
      left->parent = p;
      right->parent = p;
      seq->root = &p->h;
      return;
    }
  if (p->h.n == Y_INNER_CAP)
    {
      inner_split (seq, p);
      p = left->parent;
    }
  guint i = child_slot (p, left);
  guint tail = p->h.n - i - 1;
  memmove (&p->c[i + 2], &p->c[i + 1], tail * sizeof (p->c[0]));
  memmove (&p->w16[i + 2], &p->w16[i + 1], tail * sizeof (p->w16[0]));
  memmove (&p->wcp[i + 2], &p->wcp[i + 1], tail * sizeof (p->wcp[0]));
  p->c[i + 1] = right;
  p->w16[i + 1] = w16;
  p->wcp[i + 1] = wcp;
  p->w16[i] -= w16;
  p->wcp[i] -= wcp;
  p->h.n++;
  right->parent = p;
}

static void
inner_split (YSeq *seq, YInner *node)
{
  YInner *r = g_new0 (YInner, 1);
  guint half = node->h.n / 2;
  guint32 w16 = 0, wcp = 0;

  for (guint i = half; i < node->h.n; i++)
    {
      r->c[i - half] = node->c[i];
      r->w16[i - half] = node->w16[i];
      r->wcp[i - half] = node->wcp[i];
      node->c[i]->parent = r;
      w16 += node->w16[i];
      wcp += node->wcp[i];
    }
  r->h.n = node->h.n - half;
  node->h.n = half;
  node_insert_after (seq, &node->h, &r->h, w16, wcp);
}

static YLeaf *
leaf_split (TandemYDoc *doc, YSeq *seq, YLeaf *leaf, guint keep)
{
  YLeaf *r = g_new0 (YLeaf, 1);
  guint32 w16 = 0, wcp = 0;

  r->h.is_leaf = 1;
  for (guint i = keep; i < leaf->h.n; i++)
    {
      YItem *it = y_item (doc, leaf->it[i]);
      r->it[i - keep] = leaf->it[i];
      it->leaf = r;
      w16 += y_item_w16 (it);
      wcp += y_item_wcp (it);
    }
  r->h.n = leaf->h.n - keep;
  leaf->h.n = keep;
  r->prev = leaf;
  r->next = leaf->next;
  if (leaf->next)
    leaf->next->prev = r;
  else
    seq->last = r;
  leaf->next = r;
  node_insert_after (seq, &leaf->h, &r->h, w16, wcp);
  return r;
}

void
y_tree_insert_after (TandemYDoc *doc, guint32 seqidx, guint32 after, guint32 item)
{
  YSeq *seq = y_seq (doc, seqidx);
  YItem *it = y_item (doc, item);
  YLeaf *leaf;
  guint slot;

  if (seq->root == NULL)
    {
      leaf = g_new0 (YLeaf, 1);
      leaf->h.is_leaf = 1;
      seq->root = &leaf->h;
      seq->first = seq->last = leaf;
      slot = 0;
    }
  else if (after == 0)
    {
      leaf = seq->first;
      slot = 0;
    }
  else
    {
      leaf = y_item (doc, after)->leaf;
      slot = leaf_slot (leaf, after) + 1;
    }

  if (leaf->h.n == Y_LEAF_CAP)
    {
      /* Appending at the very end (typing at the end of a document) keeps
       * the old leaf full; otherwise split in halves. */
      guint keep = (slot == Y_LEAF_CAP && leaf->next == NULL) ? Y_LEAF_CAP - 1 : Y_LEAF_CAP / 2;
      YLeaf *r = leaf_split (doc, seq, leaf, keep);
      if (slot > leaf->h.n)
        {
          slot -= leaf->h.n;
          leaf = r;
        }
    }
  memmove (&leaf->it[slot + 1], &leaf->it[slot], (leaf->h.n - slot) * sizeof (guint32));
  leaf->it[slot] = item;
  leaf->h.n++;
  it->leaf = leaf;
  it->seq = seqidx;
  propagate (seq, &leaf->h, y_item_w16 (it), y_item_wcp (it));
}

static void
remove_node (YSeq *seq, YNode *node)
{
  YInner *p = node->parent;

  if (node->is_leaf)
    {
      YLeaf *leaf = (YLeaf *) node;
      if (leaf->prev)
        leaf->prev->next = leaf->next;
      else
        seq->first = leaf->next;
      if (leaf->next)
        leaf->next->prev = leaf->prev;
      else
        seq->last = leaf->prev;
    }
  g_free (node);
  if (p == NULL)
    {
      seq->root = NULL;
      return;
    }
  guint i = child_slot (p, node);
  guint tail = p->h.n - i - 1;
  memmove (&p->c[i], &p->c[i + 1], tail * sizeof (p->c[0]));
  memmove (&p->w16[i], &p->w16[i + 1], tail * sizeof (p->w16[0]));
  memmove (&p->wcp[i], &p->wcp[i + 1], tail * sizeof (p->wcp[0]));
  p->h.n--;
  if (p->h.n == 0)
    remove_node (seq, &p->h);
}

void
y_tree_remove (TandemYDoc *doc, guint32 item)
{
  YItem *it = y_item (doc, item);
  YLeaf *leaf = it->leaf;
  YSeq *seq = y_seq (doc, it->seq);

  propagate (seq, &leaf->h, -(gint32) y_item_w16 (it), -(gint32) y_item_wcp (it));
  guint slot = leaf_slot (leaf, item);
  memmove (&leaf->it[slot], &leaf->it[slot + 1], (leaf->h.n - slot - 1) * sizeof (guint32));
  leaf->h.n--;
  it->leaf = NULL;
  it->seq = 0;
  if (leaf->h.n == 0)
    remove_node (seq, &leaf->h);
  while (seq->root && !seq->root->is_leaf && seq->root->n == 1)
    {
      YInner *old = (YInner *) seq->root;
      seq->root = old->c[0];
      seq->root->parent = NULL;
      g_free (old);
    }
}

void
y_tree_add_weight (TandemYDoc *doc, guint32 item, gint32 d16, gint32 dcp)
{
  YItem *it = y_item (doc, item);
  if (it->leaf && (d16 || dcp))
    propagate (y_seq (doc, it->seq), &it->leaf->h, d16, dcp);
}

guint32
y_tree_next (TandemYDoc *doc, guint32 item)
{
  YLeaf *leaf = y_item (doc, item)->leaf;
  guint slot = leaf_slot (leaf, item);
  if (slot + 1 < leaf->h.n)
    return leaf->it[slot + 1];
  return leaf->next ? leaf->next->it[0] : 0;
}

guint32
y_tree_prev (TandemYDoc *doc, guint32 item)
{
  YLeaf *leaf = y_item (doc, item)->leaf;
  guint slot = leaf_slot (leaf, item);
  if (slot > 0)
    return leaf->it[slot - 1];
  return leaf->prev ? leaf->prev->it[leaf->prev->h.n - 1] : 0;
}

guint32
y_tree_first (TandemYDoc *doc, guint32 seqidx)
{
  YSeq *seq = y_seq (doc, seqidx);
  return seq->first ? seq->first->it[0] : 0;
}

guint32
y_tree_last (TandemYDoc *doc, guint32 seqidx)
{
  YSeq *seq = y_seq (doc, seqidx);
  return seq->last ? seq->last->it[seq->last->h.n - 1] : 0;
}

guint32
y_tree_find (TandemYDoc *doc, guint32 seqidx, guint32 pos, gboolean cp, guint32 *offset)
{
  YSeq *seq = y_seq (doc, seqidx);
  YNode *node = seq->root;

  if (node == NULL || pos >= (cp ? seq->wcp : seq->w16))
    return 0;
  while (!node->is_leaf)
    {
      YInner *in = (YInner *) node;
      guint i;
      for (i = 0; i + 1 < in->h.n; i++)
        {
          guint32 w = cp ? in->wcp[i] : in->w16[i];
          if (pos < w)
            break;
          pos -= w;
        }
      node = in->c[i];
    }
  YLeaf *leaf = (YLeaf *) node;
  for (guint i = 0; i < leaf->h.n; i++)
    {
      YItem *it = y_item (doc, leaf->it[i]);
      guint32 w = cp ? y_item_wcp (it) : y_item_w16 (it);
      if (pos < w)
        {
          *offset = pos;
          return leaf->it[i];
        }
      pos -= w;
    }
  return 0;
}

void
y_tree_index_of (TandemYDoc *doc, guint32 item, guint32 *i16, guint32 *icp)
{
  YLeaf *leaf = y_item (doc, item)->leaf;
  guint32 s16 = 0, scp = 0;

  for (guint i = 0; leaf->it[i] != item; i++)
    {
      YItem *it = y_item (doc, leaf->it[i]);
      s16 += y_item_w16 (it);
      scp += y_item_wcp (it);
    }
  for (YNode *node = &leaf->h; node->parent; node = &node->parent->h)
    {
      YInner *p = node->parent;
      for (guint i = 0; p->c[i] != node; i++)
        {
          s16 += p->w16[i];
          scp += p->wcp[i];
        }
    }
  if (i16)
    *i16 = s16;
  if (icp)
    *icp = scp;
}

void
y_tree_free (YNode *node)
{
  if (node == NULL)
    return;
  if (!node->is_leaf)
    {
      YInner *in = (YInner *) node;
      for (guint i = 0; i < in->h.n; i++)
        y_tree_free (in->c[i]);
    }
  g_free (node);
}
