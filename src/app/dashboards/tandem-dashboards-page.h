/* tandem-dashboards-page.h: the Dashboards section: the list of dashboards
 * (live) and the open dashboard's view
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>
#include <tandem.h>

#include "tandem-dashboards-types.h"

G_BEGIN_DECLS

#define TANDEM_TYPE_DASHBOARDS_PAGE (tandem_dashboards_page_get_type ())
G_DECLARE_FINAL_TYPE (TandemDashboardsPage, tandem_dashboards_page, TANDEM, DASHBOARDS_PAGE, AdwBin)

GtkWidget           *tandem_dashboards_page_new            (void);

/* The signed-in client (property "client"), NULL while signed out. Setting
 * it (re)loads the list of dashboards and subscribes to its changes;
 * setting NULL drops every channel and clears the page. */
TandemClient        *tandem_dashboards_page_get_client     (TandemDashboardsPage *self);
void                 tandem_dashboards_page_set_client     (TandemDashboardsPage *self,
                                                            TandemClient         *client);

/* The dashboards (a GListModel of TandemDashboard, ordered by name), kept
 * up to date with the `dashboards` table. (transfer none) */
GListModel          *tandem_dashboards_page_get_dashboards (TandemDashboardsPage *self);

/* Shows the dashboard @dashboard_id (its row is fetched if the list does
 * not have it yet). Also the target of the action `dashboards.open`
 * (parameter "s"). */
void                 tandem_dashboards_page_open           (TandemDashboardsPage *self,
                                                            const char           *dashboard_id);

/* The view of the open dashboard, or NULL. (transfer none) */
TandemDashboardView *tandem_dashboards_page_get_view       (TandemDashboardsPage *self);

G_END_DECLS
