/* tandem-pg-pool.h: a small pool of database connections
 *
 * Each REST or Auth request borrows one connection for its whole
 * transaction (BEGIN; SET LOCAL role …; statements; COMMIT), so its queued
 * statements never interleave with another request's. Connections are made
 * lazily up to @max_size; a request waits for one when all are busy. A
 * connection that broke is dropped on release and replaced on demand.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "tandem-pg-conn.h"

G_BEGIN_DECLS

#define TANDEM_TYPE_PG_POOL (tandem_pg_pool_get_type ())
G_DECLARE_FINAL_TYPE (TandemPgPool, tandem_pg_pool, TANDEM, PG_POOL, GObject)

TandemPgPool *tandem_pg_pool_new            (const char          *conninfo,
                                             guint                max_size);

/* Gives a connected connection for exclusive use until released. */
void          tandem_pg_pool_acquire_async  (TandemPgPool        *self,
                                             GCancellable        *cancellable,
                                             GAsyncReadyCallback  callback,
                                             gpointer             user_data);
TandemPgConn *tandem_pg_pool_acquire_finish (TandemPgPool        *self,
                                             GAsyncResult        *result,
                                             GError             **error);
/* Returns @conn (transfer full). It must have no transaction open. */
void          tandem_pg_pool_release        (TandemPgPool        *self,
                                             TandemPgConn        *conn);

guint         tandem_pg_pool_get_n_idle     (TandemPgPool        *self);
guint         tandem_pg_pool_get_n_busy     (TandemPgPool        *self);
/* Fails every waiting request and closes idle connections. */
void          tandem_pg_pool_close          (TandemPgPool        *self);

G_END_DECLS
