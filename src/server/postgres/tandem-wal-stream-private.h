/* tandem-wal-stream-private.h: what the files of TandemWalStream share
 *
 * TandemWalStream is one class split over several files:
 *   tandem-wal-stream.c           the transaction boxed type, the GObject with
 *                                 its properties and signals, confirming
 *   tandem-wal-stream-setup.c     connecting, the start-up checks, the slot,
 *                                 starting, stopping and reconnecting
 *   tandem-wal-stream-protocol.c  the socket, the COPY BOTH stream (XLogData,
 *                                 keepalives) and the status updates
 *   tandem-wal-stream-decode.c    wal2json's messages into transactions
 *   tandem-wal-stream-types.c     the type oid -> pg_type.typname map
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <libpq-fe.h>

#include "tandem-pg-conn.h"
#include "tandem-wal-stream.h"

G_BEGIN_DECLS

#define BACKOFF_MIN_MS         100

#define TYPES_QUERY \
  "SELECT oid, typname, typtype, typbasetype, typelem FROM pg_catalog.pg_type"

typedef enum
{
  PHASE_STOPPED,
  PHASE_WAIT_RETRY,
  PHASE_CONNECTING,
  PHASE_SHOW_WAL_LEVEL,
  PHASE_IDENTIFY_SYSTEM,
  PHASE_LOAD_TYPES,
  PHASE_CHECK_SLOT,
  PHASE_CREATE_SLOT,
  PHASE_START_REPLICATION,
  PHASE_STREAMING,
} Phase;

typedef struct
{
  char *typname;     /* reported in `columns` */
  char *conv;        /* what values convert by: a domain's base type */
} TypeInfo;

/* A transaction with nothing to deliver, confirmable once the delivered
 * transaction before it (ending at @after) is confirmed. */
typedef struct
{
  guint64 after;
  guint64 end;
} PendingSkip;

/* A transaction as wal2json sent it, before conversion. */
typedef struct
{
  guint64    xid;
  guint64    end_lsn;
  gint64     commit_time_usec;
  GPtrArray *changes;   /* JsonObject *, wal2json change objects */
} RawTxn;

struct _TandemWalStream
{
  GObject        parent_instance;

  char          *conninfo;
  char          *slot_name;
  char         **skip_schemas;

  /* Replication connection */
  PGconn        *conn;
  Phase          phase;
  PostgresPollingStatusType poll_status;
  GSource       *watch;
  int            watch_fd;
  GIOCondition   watch_condition;
  gboolean       flush_pending;
  PGresult      *result;         /* last result of the running command */
  PGresult      *error_result;   /* first error of the running command */

  gboolean       running;
  gboolean       connected;
  guint          generation;     /* bumped whenever the connection goes */
  GTask         *start_task;
  GSource       *start_cancel_source;
  gint64         start_deadline;
  guint          backoff_ms;
  GSource       *retry_source;
  GSource       *status_source;
  GSource       *confirm_source;
  GSource       *resume_source;
  gint64         last_status_time;

  /* Positions */
  guint64        confirmed_lsn;
  guint64        reported_lsn;
  guint64        last_emitted_end;
  GArray        *pending_skips;  /* PendingSkip, in commit order */
  guint64        slot_confirmed_lsn;

  /* Types */
  GHashTable    *types;          /* GUINT_TO_POINTER (oid) -> TypeInfo */
  GHashTable    *types_by_name;  /* wal2json type name -> TypeInfo, no oid given */
  TandemPgConn  *lookup_conn;
  GCancellable  *lookup_cancellable;
  gboolean       lookup_running;

  /* Decoding */
  RawTxn        *current_txn;    /* between B and C */
  GQueue         ready;          /* RawTxn *, committed, not yet emitted */
  gboolean       processing;
};

static inline void
clear_source (GSource **source)
{
  if (*source != NULL)
    {
      g_source_destroy (*source);
      g_clear_pointer (source, g_source_unref);
    }
}

/* Members of a wal2json message, NULL (0) when missing or of another type. */

static inline gint64
member_int (JsonObject *object,
            const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return 0;
  switch (json_node_get_value_type (node))
    {
    case G_TYPE_INT64:
      return json_node_get_int (node);
    case G_TYPE_DOUBLE:
      return (gint64) json_node_get_double (node);
    case G_TYPE_STRING:
      return g_ascii_strtoll (json_node_get_string (node), NULL, 10);
    default:
      return 0;
    }
}

static inline const char *
member_string (JsonObject *object,
               const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

static inline JsonArray *
member_array (JsonObject *object,
              const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    return NULL;
  return json_node_get_array (node);
}

/* tandem-wal-stream.c */
TandemWalTransaction *_tandem_wal_transaction_new            (void);
void                  _tandem_wal_stream_set_connected       (TandemWalStream      *self,
                                                              gboolean              connected);
void                  _tandem_wal_stream_emit_transaction    (TandemWalStream      *self,
                                                              TandemWalTransaction *txn);
void                  _tandem_wal_stream_emit_error          (TandemWalStream      *self,
                                                              const GError         *error);
void                  _tandem_wal_stream_emit_protocol_error (TandemWalStream      *self,
                                                              const char           *format,
                                                              ...) G_GNUC_PRINTF (2, 3);

/* tandem-wal-stream-setup.c */
gboolean _tandem_wal_parse_lsn              (const char           *text,
                                             guint64              *out);
void     _tandem_wal_stream_fail            (TandemWalStream      *self,
                                             TandemWalStreamError  code,
                                             const char           *format,
                                             ...) G_GNUC_PRINTF (3, 4);
void     _tandem_wal_stream_connection_lost (TandemWalStream      *self,
                                             const char           *what);
void     _tandem_wal_stream_send_command    (TandemWalStream      *self,
                                             Phase                 phase,
                                             const char           *sql);
void     _tandem_wal_stream_command_done    (TandemWalStream      *self);
void     _tandem_wal_stream_complete_start  (TandemWalStream      *self,
                                             GError               *error);

/* tandem-wal-stream-protocol.c */
gboolean _tandem_wal_stream_flush            (TandemWalStream *self);
gboolean _tandem_wal_stream_send_status      (TandemWalStream *self,
                                              gboolean         reply_requested);
void     _tandem_wal_stream_schedule_confirm (TandemWalStream *self);
void     _tandem_wal_stream_update_watch     (TandemWalStream *self);
void     _tandem_wal_stream_clear_watch      (TandemWalStream *self);

/* tandem-wal-stream-decode.c */
void     _tandem_wal_stream_handle_json         (TandemWalStream *self,
                                                 const char      *data,
                                                 gsize            length,
                                                 guint64          data_start);
void     _tandem_wal_stream_process_ready       (TandemWalStream *self);
void     _tandem_wal_stream_drop_received       (TandemWalStream *self);
void     _tandem_wal_stream_apply_pending_skips (TandemWalStream *self);

/* tandem-wal-stream-types.c */
void            _tandem_wal_type_info_free             (TypeInfo        *info);
void            _tandem_wal_stream_load_types          (TandemWalStream *self,
                                                        const PGresult  *result);
gboolean        _tandem_wal_stream_raw_txn_types_known (TandemWalStream *self,
                                                        RawTxn          *txn);
void            _tandem_wal_stream_start_type_reload   (TandemWalStream *self);
const TypeInfo *_tandem_wal_stream_column_type         (TandemWalStream *self,
                                                        JsonObject      *column);

G_END_DECLS
