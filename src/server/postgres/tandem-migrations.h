/* tandem-migrations.h: versioned schema migrations
 *
 * Each migration is an SQL file `NNNN-name.sql` in the server's GResource,
 * applied once, in order, in its own transaction, and recorded in
 * tandem.schema_migrations. An advisory lock keeps two servers on one
 * database from applying the same migration twice.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "tandem-pg-conn.h"

G_BEGIN_DECLS

/* Applies every pending migration from @resource_path (blocking; start-up
 * only). Returns the schema version reached, or -1 with @error set. */
int tandem_migrations_apply (TandemPgConn  *conn,
                             const char    *resource_path,
                             GError       **error);

G_END_DECLS
