/* tandem-charts-types.h: the types of src/app/charts, declared once
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

typedef struct _TandemSeries      TandemSeries;
typedef struct _TandemAggregator  TandemAggregator;
typedef struct _TandemTableRow    TandemTableRow;
typedef struct _TandemChartLayer  TandemChartLayer;
typedef struct _TandemLineChart   TandemLineChart;
typedef struct _TandemBarChart    TandemBarChart;
typedef struct _TandemValueChart  TandemValueChart;
typedef struct _TandemLiveTable   TandemLiveTable;

/**
 * TandemAggregation:
 * @TANDEM_AGGREGATION_NONE: every point as it is
 * @TANDEM_AGGREGATION_COUNT: the number of points in each bucket
 * @TANDEM_AGGREGATION_SUM: their sum
 * @TANDEM_AGGREGATION_AVG: their mean
 * @TANDEM_AGGREGATION_MIN: the smallest
 * @TANDEM_AGGREGATION_MAX: the largest
 *
 * How the points of one time bucket become one value (the layout's
 * "aggregation": "none", "count", "sum", "avg", "min", "max").
 */
typedef enum
{
  TANDEM_AGGREGATION_NONE,
  TANDEM_AGGREGATION_COUNT,
  TANDEM_AGGREGATION_SUM,
  TANDEM_AGGREGATION_AVG,
  TANDEM_AGGREGATION_MIN,
  TANDEM_AGGREGATION_MAX,
} TandemAggregation;

/* Times throughout charts/ are microseconds since the Unix epoch (as
 * g_get_real_time() and g_date_time_to_unix_usec()). */

G_END_DECLS
