/* tandem-minmax-tree-private.h: exact min/max of any index range of an
 * array of doubles, in O(log n): a pyramid of per-block minima and maxima
 * (blocks of 16, 256, 4096 … elements), kept by TandemSeries over its
 * storage
 *
 * Blocks are aligned to physical array indices, so dropping elements from
 * the front of the live range (a rolling window) costs nothing: a query
 * only uses a block's summary when the whole block lies inside the range.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define TANDEM_MINMAX_FANOUT_BITS 4
#define TANDEM_MINMAX_FANOUT      (1u << TANDEM_MINMAX_FANOUT_BITS)
#define TANDEM_MINMAX_MAX_LEVELS  8

typedef struct
{
  guint   n_levels;                               /* levels above the data */
  guint   len[TANDEM_MINMAX_MAX_LEVELS];          /* blocks per level */
  double *min[TANDEM_MINMAX_MAX_LEVELS];
  double *max[TANDEM_MINMAX_MAX_LEVELS];
} TandemMinMaxTree;

void     _tandem_minmax_tree_init     (TandemMinMaxTree *tree);
void     _tandem_minmax_tree_clear    (TandemMinMaxTree *tree);
/* Resizes for @capacity elements and recomputes from @data[0, @end). */
void     _tandem_minmax_tree_rebuild  (TandemMinMaxTree *tree,
                                       const double     *data,
                                       gsize             capacity,
                                       gsize             end);
/* @data[@index] was appended (index == end - 1, nothing after it). */
void     _tandem_minmax_tree_append   (TandemMinMaxTree *tree,
                                       const double     *data,
                                       gsize             index);
/* @data[@from, @end) changed (a value replaced, or elements shifted by an
 * insertion): recomputes the blocks covering them. */
void     _tandem_minmax_tree_update   (TandemMinMaxTree *tree,
                                       const double     *data,
                                       gsize             from,
                                       gsize             to,
                                       gsize             end);
/* Min and max of @data[@begin, @end) (begin < end). @n_ops, if not NULL,
 * is increased by the number of elements and summaries visited. */
void     _tandem_minmax_tree_query    (const TandemMinMaxTree *tree,
                                       const double     *data,
                                       gsize             begin,
                                       gsize             end,
                                       double           *min_value,
                                       double           *max_value,
                                       guint64          *n_ops);

G_END_DECLS
