/* tandem-wal-stream.h: committed row changes read from PostgreSQL's WAL
 *
 * A logical replication connection (libpq, `replication=database`) streams
 * wal2json (format-version 2) from a persistent slot. Each committed
 * transaction is emitted once, in commit order, as a TandemWalTransaction
 * whose rows are already converted to the JSON that Supabase Realtime sends
 * (to_jsonb-like values, pg_type.typname column types). The slot position is
 * only confirmed to PostgreSQL when the owner calls
 * tandem_wal_stream_confirm() after delivery, so a restart neither loses nor
 * repeats a transaction. When the connection drops the stream reconnects by
 * itself with a backoff, resuming from the slot.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define TANDEM_WAL_STREAM_ERROR (tandem_wal_stream_error_quark ())

typedef enum
{
  TANDEM_WAL_STREAM_ERROR_CONNECTION,   /* cannot connect / lost */
  TANDEM_WAL_STREAM_ERROR_WAL_LEVEL,    /* wal_level is not logical: message says what to change */
  TANDEM_WAL_STREAM_ERROR_NO_WAL2JSON,  /* the wal2json plugin cannot be loaded: message says what to install */
  TANDEM_WAL_STREAM_ERROR_PROTOCOL,     /* unexpected data from the server */
} TandemWalStreamError;

typedef enum
{
  TANDEM_CHANGE_INSERT,
  TANDEM_CHANGE_UPDATE,
  TANDEM_CHANGE_DELETE,
  TANDEM_CHANGE_TRUNCATE,
} TandemChangeType;

typedef struct
{
  char             *schema;
  char             *table;
  TandemChangeType  type;
  /* New row (INSERT/UPDATE), column name -> JSON value as to_jsonb renders it:
   * numbers, booleans, json/jsonb parsed, timestamps in ISO form
   * ("2026-01-01T00:00:00+00:00"), arrays as JSON arrays, NULL as null.
   * NULL for DELETE and TRUNCATE. */
  JsonObject       *record;
  /* Replica identity columns (primary key, or every column with REPLICA
   * IDENTITY FULL) for UPDATE/DELETE; NULL for INSERT and TRUNCATE. */
  JsonObject       *old_record;
  /* [{"name":…, "type":<typname>}, …] in the table's column order. */
  JsonArray        *columns;
  /* Column name -> typname (const char *), for every column seen. */
  GHashTable       *column_types;
  /* Primary key column names; empty when the table has none. */
  GStrv             primary_key;
} TandemWalChange;

typedef struct
{
  guint64    xid;
  /* Position to pass to tandem_wal_stream_confirm() once delivered. */
  guint64    end_lsn;
  /* Commit time, UTC, "YYYY-MM-DDTHH:MM:SS.mmmZ" as Supabase formats it. */
  char      *commit_timestamp;
  gint64     commit_time_usec; /* the same, microseconds since the epoch */
  GPtrArray *changes;          /* element-type TandemWalChange */
} TandemWalTransaction;

GQuark                 tandem_wal_stream_error_quark (void) G_GNUC_CONST;

void                   tandem_wal_change_free        (TandemWalChange      *change);
void                   tandem_wal_transaction_free   (TandemWalTransaction *txn);
TandemWalTransaction  *tandem_wal_transaction_ref    (TandemWalTransaction *txn);
void                   tandem_wal_transaction_unref  (TandemWalTransaction *txn);
const char            *tandem_change_type_to_string  (TandemChangeType      type);

#define TANDEM_TYPE_WAL_STREAM (tandem_wal_stream_get_type ())
G_DECLARE_FINAL_TYPE (TandemWalStream, tandem_wal_stream, TANDEM, WAL_STREAM, GObject)

/* @conninfo: a normal libpq conninfo for the database (the stream adds
 * replication=database itself). @slot_name: a persistent logical slot,
 * created with wal2json when missing. */
TandemWalStream *tandem_wal_stream_new        (const char       *conninfo,
                                               const char       *slot_name);

/* Checks the server (wal_level, wal2json) and connects: the callback reports
 * a configuration error clearly (WAL_LEVEL, NO_WAL2JSON) so the server can
 * stop with a message; after success the stream runs and reconnects by
 * itself until tandem_wal_stream_stop(). */
void             tandem_wal_stream_start_async  (TandemWalStream    *self,
                                                 GCancellable       *cancellable,
                                                 GAsyncReadyCallback callback,
                                                 gpointer            user_data);
gboolean         tandem_wal_stream_start_finish (TandemWalStream    *self,
                                                 GAsyncResult       *result,
                                                 GError            **error);

/* Marks everything up to @lsn as delivered; reported to PostgreSQL with the
 * next status update (at once if idle). */
void             tandem_wal_stream_confirm      (TandemWalStream    *self,
                                                 guint64             lsn);
void             tandem_wal_stream_stop         (TandemWalStream    *self);
/* Stops and drops the slot (for a clean uninstall / tests). */
gboolean         tandem_wal_stream_drop_slot_sync (TandemWalStream  *self,
                                                   GError          **error);

gboolean         tandem_wal_stream_get_connected (TandemWalStream   *self);

/* Additions. */

/* The boxed type of TandemWalTransaction (reference counted; _free() drops
 * a reference like _unref()). */
#define TANDEM_TYPE_WAL_TRANSACTION (tandem_wal_transaction_get_type ())
GType            tandem_wal_transaction_get_type (void) G_GNUC_CONST;

/* The highest position confirmed so far (0 before any). */
guint64          tandem_wal_stream_get_confirmed_lsn (TandemWalStream *self);

/* Schemas whose changes are not emitted, besides pg_catalog and
 * information_schema which always are not. Default: { "tandem", NULL }. */
void             tandem_wal_stream_set_skip_schemas (TandemWalStream    *self,
                                                     const char * const *schemas);

/* Signals:
 *   "transaction" (TandemWalTransaction *txn): a committed transaction with
 *     at least one row change (boxed; handlers may ref it to keep it).
 *   "notify::connected": the replication connection went up or down.
 *   "error" (GError *error): a connection loss or protocol problem, logged by
 *     the owner; the stream retries by itself. */

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TandemWalTransaction, tandem_wal_transaction_unref)

G_END_DECLS
