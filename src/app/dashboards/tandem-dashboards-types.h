/* tandem-dashboards-types.h: the types of src/app/dashboards, declared once
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

#include "tandem-charts-types.h"

G_BEGIN_DECLS

typedef struct _TandemDashboard            TandemDashboard;
typedef struct _TandemDashboardLayout      TandemDashboardLayout;
typedef struct _TandemWidgetSpec           TandemWidgetSpec;
typedef struct _TandemSeriesSpec           TandemSeriesSpec;
typedef struct _TandemDashboardsPage       TandemDashboardsPage;
typedef struct _TandemDashboardView        TandemDashboardView;
typedef struct _TandemDashboardWidget      TandemDashboardWidget;
typedef struct _TandemDashboardGrid        TandemDashboardGrid;
typedef struct _TandemSeriesBinding        TandemSeriesBinding;
typedef struct _TandemWidgetEditor         TandemWidgetEditor;

G_END_DECLS
