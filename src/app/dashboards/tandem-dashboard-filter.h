/* tandem-dashboard-filter.h: a series' filter, written PostgREST-style
 * (`col=op.value`, several joined by `&` or `,`), checked once and turned
 * into the REST query's filters and the postgres_changes filter
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <tandem.h>

#include "tandem-dashboards-types.h"

G_BEGIN_DECLS

/* TRUE when @filter (NULL or "" for none) reads with the filter grammar
 * of src/common (tandem-filter.h); else TANDEM_DASHBOARD_ERROR_FILTER. */
gboolean  tandem_dashboard_filter_check        (const char   *filter,
                                                GError      **error);
/* The filter as postgres_changes takes it (the canonical comma-joined
 * form), "" for none; NULL with TANDEM_DASHBOARD_ERROR_FILTER. */
char     *tandem_dashboard_filter_to_realtime  (const char   *filter,
                                                GError      **error);
/* Adds the filter's conditions to @query (each as <col>=<op>.<value>). */
gboolean  tandem_dashboard_filter_apply        (const char   *filter,
                                                TandemQuery  *query,
                                                GError      **error);

/* A table or column name a layout may use: a plain SQL identifier
 * ([A-Za-z_][A-Za-z0-9_]*, at most 63 bytes), so that it never needs
 * quoting in a URL, a select list or a channel name. */
gboolean  tandem_dashboard_check_identifier    (const char   *name,
                                                GError      **error);

G_END_DECLS
