/* tandem-rt-changes.h: postgres_changes subscriptions and delivery
 *
 * At join, each requested binding is echoed with an id (equal bindings get
 * equal ids, as Realtime's phash2 gives). Then the bindings are validated
 * against the database (table in the supabase_realtime publication, filter
 * columns and values of the right types) and the channel is told with a
 * `system` message. Each committed transaction from the WAL stream is matched
 * against every subscription (event, schema, table, filter) and delivered to
 * the channels with the ids that matched; its position is confirmed to
 * PostgreSQL only afterwards. Rows of INSERTs and UPDATEs reach a
 * subscriber only if its role and claims may SELECT them under row-level
 * security, checked in the database in one round trip per transaction;
 * transactions are delivered strictly in commit order.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

#include "tandem-pg-conn.h"
#include "tandem-rt-types.h"
#include "tandem-wal-stream.h"

G_BEGIN_DECLS

TandemRtChanges *tandem_rt_changes_new          (TandemRtHub          *hub,
                                                 TandemPgConn         *conn,
                                                 TandemWalStream      *stream);
void             tandem_rt_changes_free         (TandemRtChanges      *self);

/* The join reply's postgres_changes: each object entry of @requested echoed
 * verbatim, in order, plus "id" (non-object entries are dropped). */
JsonArray       *tandem_rt_changes_prepare      (JsonArray            *requested);
/* A stable id below 2^27 for a binding. */
gint64           tandem_rt_changes_binding_id   (JsonObject           *binding);

/* Validates and registers @channel's bindings (again, after a token change),
 * then pushes the system message. */
void             tandem_rt_changes_subscribe    (TandemRtChanges      *self,
                                                 TandemRtChannel      *channel);
void             tandem_rt_changes_unsubscribe  (TandemRtChanges      *self,
                                                 TandemRtChannel      *channel);

/* Matches and delivers one committed transaction, then confirms it. */
void             tandem_rt_changes_dispatch     (TandemRtChanges      *self,
                                                 TandemWalTransaction *txn);

/* Builds the `data` object Realtime sends for @change (exposed for tests). */
JsonObject      *tandem_rt_changes_build_data   (TandemWalChange      *change,
                                                 const char           *commit_timestamp,
                                                 gsize                 max_record_bytes,
                                                 gboolean              old_pk_only);

G_END_DECLS
