/* tandem-minmax-tree.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tandem-minmax-tree"

#include "config.h"

#include "tandem-minmax-tree-private.h"

#define FANOUT TANDEM_MINMAX_FANOUT
#define BITS   TANDEM_MINMAX_FANOUT_BITS

void
_tandem_minmax_tree_init (TandemMinMaxTree *tree)
{
  memset (tree, 0, sizeof *tree);
}

void
_tandem_minmax_tree_clear (TandemMinMaxTree *tree)
{
  for (guint l = 0; l < TANDEM_MINMAX_MAX_LEVELS; l++)
    {
      g_clear_pointer (&tree->min[l], g_free);
      g_clear_pointer (&tree->max[l], g_free);
      tree->len[l] = 0;
    }
  tree->n_levels = 0;
}

/* Recomputes block @b of level @l (0 is the first level above the data)
 * from the level below, looking at no element at or beyond @end. */
static void
compute_block (TandemMinMaxTree *tree,
               const double     *data,
               guint             l,
               gsize             b,
               gsize             end)
{
  double lo = G_MAXDOUBLE, hi = -G_MAXDOUBLE;
  gsize first = b << BITS;
  gsize last = first + FANOUT;

  if (l == 0)
    {
      last = MIN (last, end);
      for (gsize i = first; i < last; i++)
        {
          lo = MIN (lo, data[i]);
          hi = MAX (hi, data[i]);
        }
    }
  else
    {
      /* Children that hold no element yet are excluded. */
      gsize below_end = (end + ((gsize) 1 << (BITS * l)) - 1) >> (BITS * l);

      last = MIN (last, MIN (below_end, tree->len[l - 1]));
      for (gsize i = first; i < last; i++)
        {
          lo = MIN (lo, tree->min[l - 1][i]);
          hi = MAX (hi, tree->max[l - 1][i]);
        }
    }
  tree->min[l][b] = lo;
  tree->max[l][b] = hi;
}

void
_tandem_minmax_tree_rebuild (TandemMinMaxTree *tree,
                             const double     *data,
                             gsize             capacity,
                             gsize             end)
{
  gsize len = capacity;

  _tandem_minmax_tree_clear (tree);
  /* Levels until one has at most FANOUT blocks. */
  while (len > FANOUT && tree->n_levels < TANDEM_MINMAX_MAX_LEVELS)
    {
      guint l = tree->n_levels++;

      len = (len + FANOUT - 1) / FANOUT;
      tree->len[l] = len;
      tree->min[l] = g_new (double, len);
      tree->max[l] = g_new (double, len);
    }
  if (end > 0)
    _tandem_minmax_tree_update (tree, data, 0, end, end);
}

void
_tandem_minmax_tree_append (TandemMinMaxTree *tree,
                            const double     *data,
                            gsize             index)
{
  double v = data[index];
  gsize b = index;

  for (guint l = 0; l < tree->n_levels; l++)
    {
      gboolean first_in_block = (b & (FANOUT - 1)) == 0;

      b >>= BITS;
      if (first_in_block)
        {
          tree->min[l][b] = v;
          tree->max[l][b] = v;
        }
      else
        {
          tree->min[l][b] = MIN (tree->min[l][b], v);
          tree->max[l][b] = MAX (tree->max[l][b], v);
        }
      /* A later level's block starts with this one only if this block is
       * the first of its parent as well. */
      if (!first_in_block)
        {
          for (guint k = l + 1; k < tree->n_levels; k++)
            {
              b >>= BITS;
              tree->min[k][b] = MIN (tree->min[k][b], v);
              tree->max[k][b] = MAX (tree->max[k][b], v);
            }
          return;
        }
    }
}

void
_tandem_minmax_tree_update (TandemMinMaxTree *tree,
                            const double     *data,
                            gsize             from,
                            gsize             to,
                            gsize             end)
{
  if (from >= to)
    return;
  for (guint l = 0; l < tree->n_levels; l++)
    {
      from >>= BITS;
      to = ((to - 1) >> BITS) + 1;
      for (gsize b = from; b < to && b < tree->len[l]; b++)
        compute_block (tree, data, l, b, end);
    }
}

void
_tandem_minmax_tree_query (const TandemMinMaxTree *tree,
                           const double           *data,
                           gsize                   begin,
                           gsize                   end,
                           double                 *min_value,
                           double                 *max_value,
                           guint64                *n_ops)
{
  double lo = G_MAXDOUBLE, hi = -G_MAXDOUBLE;
  guint64 ops = 0;
  gsize a = begin, z = end;

  /* The ragged edges at the data level. */
  while (a < z && (a & (FANOUT - 1)) != 0)
    {
      lo = MIN (lo, data[a]);
      hi = MAX (hi, data[a]);
      a++, ops++;
    }
  while (z > a && (z & (FANOUT - 1)) != 0)
    {
      z--, ops++;
      lo = MIN (lo, data[z]);
      hi = MAX (hi, data[z]);
    }
  if (a < z && tree->n_levels == 0)
    {
      for (; a < z; a++, ops++)
        {
          lo = MIN (lo, data[a]);
          hi = MAX (hi, data[a]);
        }
    }

  /* Whole blocks, level by level. */
  for (guint l = 0; l < tree->n_levels && a < z; l++)
    {
      gboolean top = l + 1 == tree->n_levels;

      a >>= BITS;
      z >>= BITS;
      while (a < z && (top || (a & (FANOUT - 1)) != 0))
        {
          lo = MIN (lo, tree->min[l][a]);
          hi = MAX (hi, tree->max[l][a]);
          a++, ops++;
        }
      while (z > a && (z & (FANOUT - 1)) != 0)
        {
          z--, ops++;
          lo = MIN (lo, tree->min[l][z]);
          hi = MAX (hi, tree->max[l][z]);
        }
    }

  *min_value = lo;
  *max_value = hi;
  if (n_ops != NULL)
    *n_ops += ops;
}
