/* tandem-dashboard.h: one row of the `dashboards` table
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <tandem.h>

#include "tandem-dashboards-types.h"

G_BEGIN_DECLS

#define TANDEM_TYPE_DASHBOARD (tandem_dashboard_get_type ())
G_DECLARE_FINAL_TYPE (TandemDashboard, tandem_dashboard, TANDEM, DASHBOARD, GObject)

/* From a row as PostgREST or postgres_changes give it: `id` and `name`
 * (strings) are required; a `layout` that does not read leaves an empty
 * layout and sets "layout-error" (the row is still listed). */
TandemDashboard       *tandem_dashboard_new_from_row     (JsonObject      *row,
                                                          GError         **error);

const char            *tandem_dashboard_get_id           (TandemDashboard *self);
/* Properties "name", "layout", "owner" (nullable) and "layout-error"
 * (nullable), notified when an update changes them. */
const char            *tandem_dashboard_get_name         (TandemDashboard *self);
const char            *tandem_dashboard_get_owner        (TandemDashboard *self);
/* (transfer none) */
TandemDashboardLayout *tandem_dashboard_get_layout       (TandemDashboard *self);
const char            *tandem_dashboard_get_layout_error (TandemDashboard *self);

/* Applies a newer version of the same row (same id); FALSE when it is
 * not one. */
gboolean               tandem_dashboard_update_from_row  (TandemDashboard *self,
                                                          JsonObject      *row,
                                                          GError         **error);

/* Orders by name, then id (for a sorted GListStore). */
int                    tandem_dashboard_compare          (gconstpointer    a,
                                                          gconstpointer    b,
                                                          gpointer         user_data);

/* Writes @layout as the `layout` of dashboard @dashboard_id (PATCH
 * dashboards?id=eq.<id>); the postgres_changes UPDATE then brings it to
 * every open view, this one's included. TANDEM_DASHBOARD_ERROR_NOT_FOUND
 * when no row was changed (it is gone, or not ours to change). */
void                   tandem_dashboard_save_layout_async  (TandemClient          *client,
                                                            const char            *dashboard_id,
                                                            TandemDashboardLayout *layout,
                                                            GCancellable          *cancellable,
                                                            GAsyncReadyCallback    callback,
                                                            gpointer               user_data);
gboolean               tandem_dashboard_save_layout_finish (GAsyncResult          *result,
                                                            GError               **error);

G_END_DECLS
