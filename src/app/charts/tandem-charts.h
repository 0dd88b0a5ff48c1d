/* tandem-charts.h: everything of src/app/charts
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "tandem-charts-types.h"
#include "tandem-aggregator.h"
#include "tandem-axis-ticks.h"
#include "tandem-bar-chart.h"
#include "tandem-chart.h"
#include "tandem-chart-export.h"
#include "tandem-chart-layer.h"
#include "tandem-chart-style.h"
#include "tandem-decimate.h"
#include "tandem-line-chart.h"
#include "tandem-live-table.h"
#include "tandem-series.h"
#include "tandem-table-row.h"
#include "tandem-value-chart.h"
