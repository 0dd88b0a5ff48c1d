/* tandem-server-demo.h: live data for the app's dashboards (--demo)
 *
 * While the server runs, writes analytics events to public.analytics_events
 * at a steady rate through the server's connection pool (so they reach
 * postgres_changes subscribers through the WAL like any other write), keeps
 * a dashboard named "Demo" that charts them, and once a second broadcasts
 * `metric_update` for its single-value widget on `dashboard:<id>`.
 *
 * Database failures are retried on the next tick: when PostgreSQL restarts,
 * the demo carries on once it is back.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>
#include <json-glib/json-glib.h>

#include "tandem-pg-pool.h"
#include "tandem-rt-types.h"

G_BEGIN_DECLS

#define TANDEM_SERVER_DEMO_NAME "Demo"
#define TANDEM_SERVER_DEMO_DEFAULT_RATE 5
#define TANDEM_SERVER_DEMO_MAX_RATE 10000

#define TANDEM_TYPE_SERVER_DEMO (tandem_server_demo_get_type ())
G_DECLARE_FINAL_TYPE (TandemServerDemo, tandem_server_demo, TANDEM, SERVER_DEMO, GObject)

/* @hub is not owned and must outlive tandem_server_demo_stop(). */
TandemServerDemo *tandem_server_demo_new              (TandemPgPool     *pool,
                                                       TandemRtHub      *hub,
                                                       guint             events_per_second);

/* Creates the Demo dashboard when it is missing and starts the timers. */
void              tandem_server_demo_start            (TandemServerDemo *self);

/* Removes the timers and waits briefly for the queries in flight, so no
 * connection is still lent out when the pool closes. Idempotent. */
void              tandem_server_demo_stop             (TandemServerDemo *self);

/* The Demo dashboard's id once known, else NULL. */
const char       *tandem_server_demo_get_dashboard_id (TandemServerDemo *self);

/* The layout a new Demo dashboard gets (transfer full). */
JsonNode         *tandem_server_demo_build_layout     (void);

G_END_DECLS
