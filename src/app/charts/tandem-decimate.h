/* tandem-decimate.h: min/max decimation of a series per pixel column
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "tandem-charts-types.h"

G_BEGIN_DECLS

/* What one pixel column of a line holds: the exact smallest and largest
 * value of its points and the first and last (to join the neighbours). */
typedef struct
{
  guint  n_points;   /* 0: the column is empty, the rest is unset */
  double min;
  double max;
  double first;
  double last;
} TandemColumn;

/* Splits [@t0, @t1] into @n_columns equal columns (the last one includes
 * @t1) and fills @columns. Cost: O(@n_columns × log n), never O(n): the
 * column bounds come from binary searches and each column's min/max from
 * the series' min/max tree. @n_ops, if not NULL, receives the number of
 * elements, tree nodes and search steps visited (for tests). Returns the
 * number of non-empty columns. */
guint tandem_decimate (TandemSeries *series,
                       gint64        t0,
                       gint64        t1,
                       guint         n_columns,
                       TandemColumn *columns,
                       guint64      *n_ops);

G_END_DECLS
