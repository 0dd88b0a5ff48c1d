/* tandem-dashboard-util.h: what the dashboards read from the wire: times
 * as PostgREST and Realtime write them, `metric_update` payloads, rows
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

#include "tandem-dashboards-types.h"

G_BEGIN_DECLS

/* A `metric_update` broadcast payload: {"widget_id": string, "value":
 * number, "timestamp": ISO 8601 string}; FALSE (and an error) for
 * anything else. */
gboolean  tandem_metric_update_parse              (JsonNode              *payload,
                                   char                 **widget_id,
                                   double                *value,
                                   gint64                *time_usec,
                                   GError               **error);

/* A time as PostgREST and Realtime write them ("2026-03-03T10:00:00.5+00:00",
 * "2026-03-03 10:00:00.5+00", no zone meaning UTC) in µs since the epoch;
 * FALSE if it is not one. */
gboolean  tandem_dashboard_parse_time             (const char            *text,
                                   gint64                *time_usec);
/* ISO 8601 in UTC with microseconds ("2026-03-03T10:00:00.500000Z"). */
char     *tandem_dashboard_format_time            (gint64                 time_usec);

/* A row's number: a JSON number, or a string that is one (numeric columns
 * come as strings); FALSE for anything else, NaN and infinities. */
gboolean  tandem_dashboard_json_number            (JsonNode              *node,
                                   double                *value);
/* A cell as text: strings as they are, other values as JSON, "" for null
 * or a missing member. (transfer full) */
char     *tandem_dashboard_json_cell_text         (JsonNode              *node);

G_END_DECLS
