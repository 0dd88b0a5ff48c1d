/* tandem-wal-stream.c: committed row changes read from PostgreSQL's WAL
 *
 * One libpq connection with replication=database, driven on the main
 * context without blocking: PQconnectStartParams/PQconnectPoll, then simple
 * queries through PQsendQuery (SHOW wal_level, IDENTIFY_SYSTEM, pg_type,
 * pg_replication_slots, CREATE_REPLICATION_SLOT when missing), then
 * START_REPLICATION and the COPY BOTH stream read with PQgetCopyData as soon
 * as the socket is readable.
 *
 * Positions. The status updates we send carry write = flush = apply = the
 * position the owner confirmed with tandem_wal_stream_confirm(), never
 * what was merely received, so after a restart PostgreSQL re-sends every
 * transaction that was not confirmed and none that was. Owners confirm a
 * transaction's end_lsn (the end of its commit record, wal2json's "nextlsn"):
 * decoding resumes at that point and skips every commit before it. The one
 * position we advance by ourselves is past transactions that had nothing to
 * deliver (DDL, skipped schemas), and only once every delivered transaction
 * before them has been confirmed.
 *
 * Values are converted from wal2json's rendering with tandem-pg-values, by
 * pg_type.typname looked up from the column's type oid in a map loaded on
 * the replication connection before streaming; an oid missing from it (a
 * type created since) reloads the map over a second, normal connection
 * while later transactions wait, so order is kept.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "tandem-wal-stream.h"

#include <glib-unix.h>
#include <libpq-fe.h>
#include <string.h>

#include "tandem-pg-conn.h"
#include "tandem-pg-values.h"

#define STATUS_INTERVAL_MS     10000
#define CONFIRM_COALESCE_MS    20
/* How long one dispatch may spend on buffered messages before letting the
 * rest of the main loop run (a backlog after a reconnect can be large). */
#define READ_BUDGET_US         5000
#define BACKOFF_MIN_MS         100
#define BACKOFF_MAX_MS         5000
/* At start-up only: how long to keep retrying while the slot is still held
 * by a previous connection (a quick restart). */
#define START_SLOT_BUSY_MAX_US (15 * G_USEC_PER_SEC)

/* Seconds from the Unix epoch to PostgreSQL's (2000-01-01). */
#define PG_EPOCH_OFFSET_US (G_GINT64_CONSTANT (946684800) * G_USEC_PER_SEC)

G_DEFINE_QUARK (tandem-wal-stream-error-quark, tandem_wal_stream_error)

/* Transactions and changes */

void
tandem_wal_change_free (TandemWalChange *change)
{
  if (change == NULL)
    return;

  g_free (change->schema);
  g_free (change->table);
  g_clear_pointer (&change->record, json_object_unref);
  g_clear_pointer (&change->old_record, json_object_unref);
  g_clear_pointer (&change->columns, json_array_unref);
  g_clear_pointer (&change->column_types, g_hash_table_unref);
  g_strfreev (change->primary_key);
  g_free (change);
}

static void
transaction_clear (gpointer data)
{
  TandemWalTransaction *txn = data;

  g_free (txn->commit_timestamp);
  g_clear_pointer (&txn->changes, g_ptr_array_unref);
}

static TandemWalTransaction *
transaction_new (void)
{
  TandemWalTransaction *txn = g_atomic_rc_box_new0 (TandemWalTransaction);

  txn->changes = g_ptr_array_new_with_free_func ((GDestroyNotify) tandem_wal_change_free);
  return txn;
}

TandemWalTransaction *
tandem_wal_transaction_ref (TandemWalTransaction *txn)
{
  g_return_val_if_fail (txn != NULL, NULL);

  return g_atomic_rc_box_acquire (txn);
}

void
tandem_wal_transaction_unref (TandemWalTransaction *txn)
{
  g_return_if_fail (txn != NULL);

  g_atomic_rc_box_release_full (txn, transaction_clear);
}

void
tandem_wal_transaction_free (TandemWalTransaction *txn)
{
  if (txn != NULL)
    tandem_wal_transaction_unref (txn);
}

G_DEFINE_BOXED_TYPE (TandemWalTransaction, tandem_wal_transaction,
                     tandem_wal_transaction_ref, tandem_wal_transaction_unref)

const char *
tandem_change_type_to_string (TandemChangeType type)
{
  switch (type)
    {
    case TANDEM_CHANGE_INSERT:
      return "INSERT";
    case TANDEM_CHANGE_UPDATE:
      return "UPDATE";
    case TANDEM_CHANGE_DELETE:
      return "DELETE";
    case TANDEM_CHANGE_TRUNCATE:
      return "TRUNCATE";
    default:
      g_return_val_if_reached (NULL);
    }
}

/* The stream */

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

G_DEFINE_FINAL_TYPE (TandemWalStream, tandem_wal_stream, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_CONNINFO,
  PROP_SLOT_NAME,
  PROP_CONNECTED,
  PROP_SKIP_SCHEMAS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum
{
  SIGNAL_TRANSACTION,
  SIGNAL_ERROR,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static const char * const default_skip_schemas[] = { "tandem", NULL };

static void begin_connect      (TandemWalStream *self);
static void update_watch       (TandemWalStream *self);
static void process_ready      (TandemWalStream *self);
static void connection_failed  (TandemWalStream *self,
                                GError          *error,
                                gboolean         retry_at_start);

static void
type_info_free (TypeInfo *info)
{
  g_free (info->typname);
  g_free (info->conv);
  g_free (info);
}

static void
raw_txn_free (RawTxn *txn)
{
  g_ptr_array_unref (txn->changes);
  g_free (txn);
}

static RawTxn *
raw_txn_new (void)
{
  RawTxn *txn = g_new0 (RawTxn, 1);

  txn->changes = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  return txn;
}

static gboolean
parse_lsn (const char *text,
           guint64    *out)
{
  guint64 hi, lo;
  const char *slash;
  g_autofree char *high = NULL;

  if (text == NULL || (slash = strchr (text, '/')) == NULL)
    return FALSE;
  high = g_strndup (text, slash - text);
  if (!g_ascii_string_to_unsigned (high, 16, 0, G_MAXUINT32, &hi, NULL) ||
      !g_ascii_string_to_unsigned (slash + 1, 16, 0, G_MAXUINT32, &lo, NULL))
    return FALSE;
  *out = (hi << 32) | lo;
  return TRUE;
}

static char *
format_lsn (guint64 lsn)
{
  return g_strdup_printf ("%X/%X", (guint) (lsn >> 32), (guint) (lsn & 0xFFFFFFFF));
}

static void
put_be64 (guint8  *p,
          guint64  v)
{
  for (int i = 7; i >= 0; i--)
    {
      p[i] = v & 0xFF;
      v >>= 8;
    }
}

static guint64
get_be64 (const guint8 *p)
{
  guint64 v = 0;

  for (int i = 0; i < 8; i++)
    v = (v << 8) | p[i];
  return v;
}

static gboolean
slot_name_is_valid (const char *name)
{
  gsize len = strlen (name);

  if (len == 0 || len > 63)
    return FALSE;
  for (const char *p = name; *p != '\0'; p++)
    if (!(g_ascii_islower (*p) || g_ascii_isdigit (*p) || *p == '_'))
      return FALSE;
  return TRUE;
}

/* Socket watch */

static void
clear_watch (TandemWalStream *self)
{
  if (self->watch != NULL)
    {
      g_source_destroy (self->watch);
      g_clear_pointer (&self->watch, g_source_unref);
    }
  self->watch_fd = -1;
  self->watch_condition = 0;
}

static void
clear_source (GSource **source)
{
  if (*source != NULL)
    {
      g_source_destroy (*source);
      g_clear_pointer (source, g_source_unref);
    }
}

static void
set_connected (TandemWalStream *self,
               gboolean         connected)
{
  if (self->connected == connected)
    return;
  self->connected = connected;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONNECTED]);
}

/* Drops the replication connection and everything received but not yet
 * emitted; PostgreSQL sends it again from the slot. */
static void
teardown_connection (TandemWalStream *self)
{
  clear_watch (self);
  clear_source (&self->status_source);
  clear_source (&self->confirm_source);
  clear_source (&self->resume_source);
  g_clear_pointer (&self->result, PQclear);
  g_clear_pointer (&self->error_result, PQclear);
  g_clear_pointer (&self->conn, PQfinish);
  self->flush_pending = FALSE;
  self->generation++;

  g_clear_pointer (&self->current_txn, raw_txn_free);
  g_queue_clear_full (&self->ready, (GDestroyNotify) raw_txn_free);
}

static void
complete_start (TandemWalStream *self,
                GError          *error)
{
  g_autoptr(GTask) task = g_steal_pointer (&self->start_task);

  clear_source (&self->start_cancel_source);
  if (task == NULL)
    {
      g_clear_error (&error);
      return;
    }
  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

/* Status updates */

static gboolean
send_status (TandemWalStream *self,
             gboolean         reply_requested)
{
  guint8 msg[34];
  gint64 now;
  int r;

  if (self->phase != PHASE_STREAMING || self->conn == NULL)
    return FALSE;

  now = g_get_real_time ();
  msg[0] = 'r';
  /* Invalid (0) positions are ignored by the walsender, which is what we
   * want before anything was confirmed. */
  put_be64 (msg + 1, self->confirmed_lsn);   /* written */
  put_be64 (msg + 9, self->confirmed_lsn);   /* flushed: what the slot keeps */
  put_be64 (msg + 17, self->confirmed_lsn);  /* applied */
  put_be64 (msg + 25, (guint64) (now - PG_EPOCH_OFFSET_US));
  msg[33] = reply_requested ? 1 : 0;

  if (PQputCopyData (self->conn, (const char *) msg, sizeof msg) != 1)
    return FALSE;
  r = PQflush (self->conn);
  if (r < 0)
    return FALSE;
  self->flush_pending = r == 1;
  if (self->flush_pending)
    update_watch (self);

  self->reported_lsn = self->confirmed_lsn;
  self->last_status_time = g_get_monotonic_time ();
  return TRUE;
}

static void
send_status_or_fail (TandemWalStream *self)
{
  if (!send_status (self, FALSE) && self->phase == PHASE_STREAMING)
    connection_failed (self,
                       g_error_new (TANDEM_WAL_STREAM_ERROR, TANDEM_WAL_STREAM_ERROR_CONNECTION,
                                    "Could not send a status update: %s",
                                    self->conn != NULL ? PQerrorMessage (self->conn) : ""),
                       FALSE);
}

static gboolean
on_status_timer (gpointer user_data)
{
  TandemWalStream *self = user_data;
  g_autoptr(TandemWalStream) hold = g_object_ref (self);

  send_status_or_fail (self);
  return G_SOURCE_CONTINUE;
}

static gboolean
on_confirm_timer (gpointer user_data)
{
  TandemWalStream *self = user_data;
  g_autoptr(TandemWalStream) hold = g_object_ref (self);

  g_clear_pointer (&self->confirm_source, g_source_unref);
  if (self->confirmed_lsn > self->reported_lsn)
    send_status_or_fail (self);
  return G_SOURCE_REMOVE;
}

static void
schedule_confirm (TandemWalStream *self)
{
  gint64 since;
  guint delay_ms = 0;

  if (self->phase != PHASE_STREAMING || self->confirm_source != NULL ||
      self->confirmed_lsn <= self->reported_lsn)
    return;

  /* Coalesce: confirms made in the same main loop iteration share one
   * update, and updates are at most CONFIRM_COALESCE_MS apart. */
  since = (g_get_monotonic_time () - self->last_status_time) / 1000;
  if (since < CONFIRM_COALESCE_MS)
    delay_ms = CONFIRM_COALESCE_MS - since;

  self->confirm_source = g_timeout_source_new (delay_ms);
  g_source_set_priority (self->confirm_source, G_PRIORITY_DEFAULT);
  g_source_set_callback (self->confirm_source, on_confirm_timer, self, NULL);
  g_source_set_static_name (self->confirm_source, "[tandem] wal confirm");
  g_source_attach (self->confirm_source, g_main_context_get_thread_default ());
}

/* Reconnecting */

static gboolean
on_retry (gpointer user_data)
{
  TandemWalStream *self = user_data;
  g_autoptr(TandemWalStream) hold = g_object_ref (self);

  g_clear_pointer (&self->retry_source, g_source_unref);
  if (self->running && self->phase == PHASE_WAIT_RETRY)
    begin_connect (self);
  return G_SOURCE_REMOVE;
}

static void
schedule_retry (TandemWalStream *self)
{
  clear_source (&self->retry_source);
  self->phase = PHASE_WAIT_RETRY;
  self->retry_source = g_timeout_source_new (self->backoff_ms);
  g_source_set_callback (self->retry_source, on_retry, self, NULL);
  g_source_set_static_name (self->retry_source, "[tandem] wal reconnect");
  g_source_attach (self->retry_source, g_main_context_get_thread_default ());
  self->backoff_ms = MIN (self->backoff_ms * 2, BACKOFF_MAX_MS);
}

/* The connection failed or a check failed. @retry_at_start: the failure is
 * transient even during start-up (slot still held by a previous walsender). */
static void
connection_failed (TandemWalStream *self,
                   GError          *error,
                   gboolean         retry_at_start)
{
  g_autoptr(TandemWalStream) hold = g_object_ref (self);
  gboolean was_streaming = self->phase == PHASE_STREAMING;

  teardown_connection (self);
  set_connected (self, FALSE);

  if (!self->running)
    {
      self->phase = PHASE_STOPPED;
      g_error_free (error);
      return;
    }

  if (self->start_task != NULL)
    {
      if (retry_at_start && g_get_monotonic_time () < self->start_deadline)
        {
          g_debug ("retrying: %s", error->message);
          g_error_free (error);
          schedule_retry (self);
          return;
        }
      self->running = FALSE;
      self->phase = PHASE_STOPPED;
      complete_start (self, error);
      return;
    }

  if (was_streaming)
    self->backoff_ms = BACKOFF_MIN_MS;
  schedule_retry (self);
  g_signal_emit (self, signals[SIGNAL_ERROR], 0, error);
  g_error_free (error);
}

static void
connection_lost (TandemWalStream *self,
                 const char      *what)
{
  g_autofree char *message = NULL;

  message = g_strchomp (g_strdup (self->conn != NULL ? PQerrorMessage (self->conn) : ""));
  connection_failed (self,
                     g_error_new (TANDEM_WAL_STREAM_ERROR, TANDEM_WAL_STREAM_ERROR_CONNECTION,
                                  "%s: %s", what,
                                  message[0] != '\0' ? message : "connection lost"),
                     FALSE);
}

/* Maps a server error to our domain. */
static GError *
error_from_result (TandemWalStream *self,
                   const PGresult  *result,
                   const char      *what,
                   gboolean        *retry_at_start)
{
  const char *sqlstate = PQresultErrorField (result, PG_DIAG_SQLSTATE);
  const char *primary = PQresultErrorField (result, PG_DIAG_MESSAGE_PRIMARY);
  int major = PQserverVersion (self->conn) / 10000;

  *retry_at_start = FALSE;
  if (primary == NULL)
    primary = PQresultErrorMessage (result);
  if (sqlstate == NULL)
    sqlstate = "";

  if (strstr (primary, "may not be used as an output plugin") != NULL)
    return g_error_new (TANDEM_WAL_STREAM_ERROR, TANDEM_WAL_STREAM_ERROR_NO_WAL2JSON,
                        "PostgreSQL refuses the wal2json output plugin (%s): add wal2json to "
                        "output_plugin_libraries in postgresql.conf, e.g. "
                        "output_plugin_libraries = 'pgoutput, test_decoding, wal2json', "
                        "then restart PostgreSQL (the plugin is in the Debian package "
                        "postgresql-%d-wal2json)",
                        primary, major);

  if (strstr (primary, "wal2json") != NULL &&
      (strcmp (sqlstate, "58P01") == 0 || strstr (primary, "could not access file") != NULL ||
       strstr (primary, "could not load library") != NULL))
    return g_error_new (TANDEM_WAL_STREAM_ERROR, TANDEM_WAL_STREAM_ERROR_NO_WAL2JSON,
                        "PostgreSQL cannot load the wal2json output plugin (%s): install it, "
                        "on Debian with the package postgresql-%d-wal2json",
                        primary, major);

  if (strstr (primary, "wal_level") != NULL)
    return g_error_new (TANDEM_WAL_STREAM_ERROR, TANDEM_WAL_STREAM_ERROR_WAL_LEVEL,
                        "%s: set wal_level = logical in postgresql.conf and restart PostgreSQL",
                        primary);

  /* 55006 object_in_use: the slot is still held by a walsender that is
   * going away (our previous connection). */
  if (strcmp (sqlstate, "55006") == 0)
    *retry_at_start = TRUE;

  return g_error_new (TANDEM_WAL_STREAM_ERROR, TANDEM_WAL_STREAM_ERROR_CONNECTION,
                      "%s failed: %s", what, primary);
}

/* Commands before streaming */

static void
send_command (TandemWalStream *self,
              Phase            phase,
              const char      *sql)
{
  int r;

  self->phase = phase;
  g_clear_pointer (&self->result, PQclear);
  g_clear_pointer (&self->error_result, PQclear);

  if (!PQsendQuery (self->conn, sql))
    {
      connection_lost (self, "Could not send a command");
      return;
    }
  r = PQflush (self->conn);
  if (r < 0)
    {
      connection_lost (self, "Could not send a command");
      return;
    }
  self->flush_pending = r == 1;
  update_watch (self);
}

static void
send_start_replication (TandemWalStream *self)
{
  g_autofree char *start = format_lsn (MAX (self->confirmed_lsn, self->slot_confirmed_lsn));
  g_autofree char *sql = NULL;

  /* The options wal2json 2.5 knows; numeric-data-types-as-string came
   * later, so NaN/Infinity arrive as null. */
  sql = g_strdup_printf ("START_REPLICATION SLOT %s LOGICAL %s ("
                         "\"format-version\" '2', "
                         "\"include-xids\" '1', "
                         "\"include-timestamp\" '1', "
                         "\"include-pk\" '1', "
                         "\"include-type-oids\" '1', "
                         "\"include-lsn\" '1', "
                         "\"include-transaction\" 'true', "
                         "\"include-types\" 'true', "
                         "\"include-typmod\" 'false', "
                         "\"include-schemas\" 'true')",
                         self->slot_name, start);
  send_command (self, PHASE_START_REPLICATION, sql);
}

static void
load_types (TandemWalStream *self,
            const PGresult  *result)
{
  g_autoptr(GHashTable) base = g_hash_table_new (NULL, NULL);
  g_autoptr(GHashTable) elem = g_hash_table_new (NULL, NULL);
  GHashTableIter iter;
  gpointer key, value;
  int n = PQntuples (result);

  g_hash_table_remove_all (self->types);

  for (int i = 0; i < n; i++)
    {
      guint64 oid, basetype, elemtype;
      TypeInfo *info;

      if (!g_ascii_string_to_unsigned (PQgetvalue (result, i, 0), 10, 0, G_MAXUINT32, &oid, NULL))
        continue;
      info = g_new0 (TypeInfo, 1);
      info->typname = g_strdup (PQgetvalue (result, i, 1));
      g_hash_table_insert (self->types, GUINT_TO_POINTER ((guint) oid), info);

      if (PQgetvalue (result, i, 2)[0] == 'd' &&
          g_ascii_string_to_unsigned (PQgetvalue (result, i, 3), 10, 0, G_MAXUINT32, &basetype, NULL))
        g_hash_table_insert (base, GUINT_TO_POINTER ((guint) oid), GUINT_TO_POINTER ((guint) basetype));
      if (info->typname[0] == '_' &&
          g_ascii_string_to_unsigned (PQgetvalue (result, i, 4), 10, 0, G_MAXUINT32, &elemtype, NULL))
        g_hash_table_insert (elem, GUINT_TO_POINTER ((guint) oid), GUINT_TO_POINTER ((guint) elemtype));
    }

  /* Domains convert as their base type (to_jsonb does); arrays of domains
   * as arrays of the base type. */
  g_hash_table_iter_init (&iter, self->types);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      TypeInfo *info = value;
      guint oid = GPOINTER_TO_UINT (key);
      gboolean array = FALSE;
      gpointer next;
      TypeInfo *target;

      if (g_hash_table_lookup_extended (elem, key, NULL, &next))
        {
          array = TRUE;
          oid = GPOINTER_TO_UINT (next);
        }
      for (int depth = 0; depth < 16 && g_hash_table_lookup_extended (base, GUINT_TO_POINTER (oid), NULL, &next); depth++)
        oid = GPOINTER_TO_UINT (next);

      target = g_hash_table_lookup (self->types, GUINT_TO_POINTER (oid));
      if (target == NULL || target == info)
        continue;
      if (array)
        {
          if (oid != GPOINTER_TO_UINT (g_hash_table_lookup (elem, key)))
            info->conv = g_strconcat ("_", target->typname, NULL);
        }
      else
        info->conv = g_strdup (target->typname);
    }
}

static const char types_query[] =
  "SELECT oid, typname, typtype, typbasetype, typelem FROM pg_catalog.pg_type";

static void
command_done (TandemWalStream *self)
{
  g_autoptr(PGresult) result = g_steal_pointer (&self->result);
  g_autoptr(PGresult) error_result = g_steal_pointer (&self->error_result);
  g_autofree char *sql = NULL;
  gboolean retry = FALSE;

  if (error_result != NULL && self->phase == PHASE_CREATE_SLOT &&
      g_strcmp0 (PQresultErrorField (error_result, PG_DIAG_SQLSTATE), "42710") == 0)
    {
      /* Created meanwhile by someone else: fine. */
      g_clear_pointer (&error_result, PQclear);
      send_start_replication (self);
      return;
    }

  if (error_result != NULL || result == NULL)
    {
      static const char * const what[] = {
        [PHASE_SHOW_WAL_LEVEL] = "SHOW wal_level",
        [PHASE_IDENTIFY_SYSTEM] = "IDENTIFY_SYSTEM",
        [PHASE_LOAD_TYPES] = "Loading pg_type",
        [PHASE_CHECK_SLOT] = "Reading pg_replication_slots",
        [PHASE_CREATE_SLOT] = "CREATE_REPLICATION_SLOT",
        [PHASE_START_REPLICATION] = "START_REPLICATION",
      };
      const char *name = self->phase < G_N_ELEMENTS (what) && what[self->phase] != NULL
                         ? what[self->phase] : "A command";

      if (error_result != NULL)
        {
          GError *error = error_from_result (self, error_result, name, &retry);

          connection_failed (self, error, retry);
        }
      else
        connection_failed (self,
                           g_error_new (TANDEM_WAL_STREAM_ERROR, TANDEM_WAL_STREAM_ERROR_PROTOCOL,
                                        "%s returned no result", name),
                           FALSE);
      return;
    }

  switch (self->phase)
    {
    case PHASE_SHOW_WAL_LEVEL:
      {
        const char *level = PQntuples (result) == 1 ? PQgetvalue (result, 0, 0) : "";

        if (strcmp (level, "logical") != 0)
          {
            connection_failed (self,
                               g_error_new (TANDEM_WAL_STREAM_ERROR, TANDEM_WAL_STREAM_ERROR_WAL_LEVEL,
                                            "PostgreSQL runs with wal_level = %s, but reading changes "
                                            "needs logical decoding: set wal_level = logical in "
                                            "postgresql.conf and restart PostgreSQL",
                                            level),
                               FALSE);
            return;
          }
        send_command (self, PHASE_IDENTIFY_SYSTEM, "IDENTIFY_SYSTEM");
      }
      break;

    case PHASE_IDENTIFY_SYSTEM:
      if (PQntuples (result) != 1 || PQnfields (result) < 4 || PQgetisnull (result, 0, 3))
        {
          connection_failed (self,
                             g_error_new (TANDEM_WAL_STREAM_ERROR, TANDEM_WAL_STREAM_ERROR_PROTOCOL,
                                          "IDENTIFY_SYSTEM names no database: the connection is "
                                          "not a logical replication connection"),
                             FALSE);
          return;
        }
      g_debug ("system %s, timeline %s, WAL at %s, database %s",
               PQgetvalue (result, 0, 0), PQgetvalue (result, 0, 1),
               PQgetvalue (result, 0, 2), PQgetvalue (result, 0, 3));
      send_command (self, PHASE_LOAD_TYPES, types_query);
      break;

    case PHASE_LOAD_TYPES:
      load_types (self, result);
      sql = g_strdup_printf ("SELECT plugin, slot_type, database = current_database(), "
                             "confirmed_flush_lsn, database "
                             "FROM pg_catalog.pg_replication_slots WHERE slot_name = '%s'",
                             self->slot_name);
      send_command (self, PHASE_CHECK_SLOT, sql);
      break;

    case PHASE_CHECK_SLOT:
      if (PQntuples (result) == 0)
        {
          sql = g_strdup_printf ("CREATE_REPLICATION_SLOT %s LOGICAL wal2json", self->slot_name);
          send_command (self, PHASE_CREATE_SLOT, sql);
          return;
        }
      if (strcmp (PQgetvalue (result, 0, 1), "logical") != 0 ||
          strcmp (PQgetvalue (result, 0, 0), "wal2json") != 0 ||
          strcmp (PQgetvalue (result, 0, 2), "t") != 0)
        {
          connection_failed (self,
                             g_error_new (TANDEM_WAL_STREAM_ERROR, TANDEM_WAL_STREAM_ERROR_PROTOCOL,
                                          "The replication slot \"%s\" exists but is a %s slot with "
                                          "plugin \"%s\" in database \"%s\": drop it or choose "
                                          "another slot name",
                                          self->slot_name, PQgetvalue (result, 0, 1),
                                          PQgetvalue (result, 0, 0), PQgetvalue (result, 0, 4)),
                             FALSE);
          return;
        }
      if (!PQgetisnull (result, 0, 3))
        parse_lsn (PQgetvalue (result, 0, 3), &self->slot_confirmed_lsn);
      send_start_replication (self);
      break;

    case PHASE_CREATE_SLOT:
      /* slot_name, consistent_point, snapshot_name, output_plugin */
      if (PQntuples (result) == 1 && PQnfields (result) >= 2)
        parse_lsn (PQgetvalue (result, 0, 1), &self->slot_confirmed_lsn);
      g_debug ("created replication slot %s at %s", self->slot_name,
               PQntuples (result) == 1 ? PQgetvalue (result, 0, 1) : "?");
      send_start_replication (self);
      break;

    case PHASE_STOPPED:
    case PHASE_WAIT_RETRY:
    case PHASE_CONNECTING:
    case PHASE_START_REPLICATION:
    case PHASE_STREAMING:
    default:
      connection_failed (self,
                         g_error_new (TANDEM_WAL_STREAM_ERROR, TANDEM_WAL_STREAM_ERROR_PROTOCOL,
                                      "Unexpected result in phase %d", self->phase),
                         FALSE);
      break;
    }
}

static void
streaming_started (TandemWalStream *self)
{
  self->phase = PHASE_STREAMING;
  self->backoff_ms = BACKOFF_MIN_MS;
  self->last_status_time = g_get_monotonic_time ();

  g_clear_pointer (&self->result, PQclear);
  g_clear_pointer (&self->error_result, PQclear);

  self->status_source = g_timeout_source_new (STATUS_INTERVAL_MS);
  g_source_set_callback (self->status_source, on_status_timer, self, NULL);
  g_source_set_static_name (self->status_source, "[tandem] wal status");
  g_source_attach (self->status_source, g_main_context_get_thread_default ());

  g_debug ("streaming from slot %s", self->slot_name);
  set_connected (self, TRUE);
  complete_start (self, NULL);

  /* A confirm that came while we were away. */
  schedule_confirm (self);
}

/* Decoding */

static gboolean
schema_is_skipped (TandemWalStream *self,
                   const char      *schema)
{
  if (schema == NULL)
    return FALSE;
  if (strcmp (schema, "pg_catalog") == 0 || strcmp (schema, "information_schema") == 0)
    return TRUE;
  return self->skip_schemas != NULL && g_strv_contains ((const char * const *) self->skip_schemas, schema);
}

static gint64
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

static const char *
member_string (JsonObject *object,
               const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

static JsonArray *
member_array (JsonObject *object,
              const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    return NULL;
  return json_node_get_array (node);
}

static void
emit_protocol_error (TandemWalStream *self,
                     const char      *format,
                     ...) G_GNUC_PRINTF (2, 3);

static void
emit_protocol_error (TandemWalStream *self,
                     const char      *format,
                     ...)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  error = g_error_new_literal (TANDEM_WAL_STREAM_ERROR, TANDEM_WAL_STREAM_ERROR_PROTOCOL, message);
  g_signal_emit (self, signals[SIGNAL_ERROR], 0, error);
}

/* Type oids of a wal2json column list that the map does not know. */
static gboolean
columns_types_known (TandemWalStream *self,
                     JsonArray       *columns)
{
  guint n = columns != NULL ? json_array_get_length (columns) : 0;

  for (guint i = 0; i < n; i++)
    {
      JsonObject *column = json_array_get_object_element (columns, i);
      guint oid;

      if (column == NULL || !json_object_has_member (column, "typeoid"))
        continue;
      oid = (guint) member_int (column, "typeoid");
      if (!g_hash_table_contains (self->types, GUINT_TO_POINTER (oid)))
        return FALSE;
    }
  return TRUE;
}

static gboolean
raw_txn_types_known (TandemWalStream *self,
                     RawTxn          *txn)
{
  for (guint i = 0; i < txn->changes->len; i++)
    {
      JsonObject *change = g_ptr_array_index (txn->changes, i);

      if (!columns_types_known (self, member_array (change, "columns")) ||
          !columns_types_known (self, member_array (change, "identity")))
        return FALSE;
    }
  return TRUE;
}

/* Gives every oid still unknown a name derived from wal2json's type name. */
static void
add_fallback_types (TandemWalStream *self,
                    JsonArray       *columns)
{
  guint n = columns != NULL ? json_array_get_length (columns) : 0;

  for (guint i = 0; i < n; i++)
    {
      JsonObject *column = json_array_get_object_element (columns, i);
      const char *type;
      TypeInfo *info;
      guint oid;

      if (column == NULL || !json_object_has_member (column, "typeoid"))
        continue;
      oid = (guint) member_int (column, "typeoid");
      if (g_hash_table_contains (self->types, GUINT_TO_POINTER (oid)))
        continue;
      type = member_string (column, "type");
      info = g_new0 (TypeInfo, 1);
      info->typname = tandem_pg_typname_from_format_type (type != NULL ? type : "text");
      g_debug ("type oid %u unknown, using \"%s\" from \"%s\"", oid, info->typname, type);
      g_hash_table_insert (self->types, GUINT_TO_POINTER (oid), info);
    }
}

static void
on_types_reloaded (GObject      *source,
                   GAsyncResult *res,
                   gpointer      user_data)
{
  g_autoptr(TandemWalStream) self = user_data;
  g_autoptr(PGresult) result = NULL;
  g_autoptr(GError) error = NULL;

  result = tandem_pg_conn_query_finish (TANDEM_PG_CONN (source), res, &error);
  self->lookup_running = FALSE;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
      g_error_matches (error, TANDEM_PG_ERROR, TANDEM_PG_ERROR_CLOSED))
    return;

  if (result != NULL)
    load_types (self, result);
  else
    g_debug ("could not reload pg_type: %s", error->message);

  /* Whatever is still unknown falls back to wal2json's type name, so the
   * queue always moves on. */
  for (GList *l = self->ready.head; l != NULL; l = l->next)
    {
      RawTxn *txn = l->data;

      for (guint i = 0; i < txn->changes->len; i++)
        {
          JsonObject *change = g_ptr_array_index (txn->changes, i);

          add_fallback_types (self, member_array (change, "columns"));
          add_fallback_types (self, member_array (change, "identity"));
        }
    }

  process_ready (self);
}

static void
on_lookup_connected (GObject      *source,
                     GAsyncResult *res,
                     gpointer      user_data)
{
  g_autoptr(TandemWalStream) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!tandem_pg_conn_connect_finish (TANDEM_PG_CONN (source), res, &error))
    {
      /* Reported by the query, which fails at once. */
      g_debug ("type lookup connection: %s", error->message);
    }

  tandem_pg_conn_query_async (TANDEM_PG_CONN (source), types_query, NULL, 0,
                              self->lookup_cancellable, on_types_reloaded,
                              g_object_ref (self));
}

static void
start_type_reload (TandemWalStream *self)
{
  if (self->lookup_running)
    return;
  self->lookup_running = TRUE;

  if (self->lookup_cancellable == NULL)
    self->lookup_cancellable = g_cancellable_new ();

  if (self->lookup_conn == NULL)
    self->lookup_conn = tandem_pg_conn_new (self->conninfo);

  if (tandem_pg_conn_is_connected (self->lookup_conn))
    tandem_pg_conn_query_async (self->lookup_conn, types_query, NULL, 0,
                                self->lookup_cancellable, on_types_reloaded,
                                g_object_ref (self));
  else
    tandem_pg_conn_connect_async (self->lookup_conn, self->lookup_cancellable,
                                  on_lookup_connected, g_object_ref (self));
}

static const TypeInfo *
column_type (TandemWalStream *self,
             JsonObject      *column)
{
  static TypeInfo text = { (char *) "text", NULL };
  const TypeInfo *info = NULL;

  if (json_object_has_member (column, "typeoid"))
    info = g_hash_table_lookup (self->types, GUINT_TO_POINTER ((guint) member_int (column, "typeoid")));
  if (info == NULL)
    {
      /* No oid (cannot happen with include-type-oids): derive from the
       * name wal2json gives. */
      const char *type = member_string (column, "type");

      if (type == NULL)
        return &text;
      info = g_hash_table_lookup (self->types_by_name, type);
      if (info == NULL)
        {
          TypeInfo *fallback = g_new0 (TypeInfo, 1);

          fallback->typname = tandem_pg_typname_from_format_type (type);
          g_hash_table_insert (self->types_by_name, g_strdup (type), fallback);
          info = fallback;
        }
    }
  return info;
}

/* Converts a wal2json column list into record values and column metadata. */
static JsonObject *
convert_columns (TandemWalStream *self,
                 JsonArray       *columns,
                 GHashTable      *column_types)
{
  JsonObject *record = json_object_new ();
  guint n = columns != NULL ? json_array_get_length (columns) : 0;

  for (guint i = 0; i < n; i++)
    {
      JsonObject *column = json_array_get_object_element (columns, i);
      const TypeInfo *info;
      const char *name;

      if (column == NULL || (name = member_string (column, "name")) == NULL)
        continue;
      info = column_type (self, column);
      json_object_set_member (record, name,
                              tandem_pg_value_from_wal2json (info->conv != NULL ? info->conv : info->typname,
                                                             json_object_get_member (column, "value")));
      if (!g_hash_table_contains (column_types, name))
        g_hash_table_insert (column_types, g_strdup (name), g_strdup (info->typname));
    }

  return record;
}

static void
add_column_entry (JsonArray  *out,
                  const char *name,
                  const char *typname)
{
  JsonObject *entry = json_object_new ();

  json_object_set_string_member (entry, "name", name);
  json_object_set_string_member (entry, "type", typname);
  json_array_add_object_element (out, entry);
}

static JsonArray *
build_column_list (JsonArray  *columns,
                   JsonArray  *identity,
                   GHashTable *column_types,
                   gboolean    merge_identity)
{
  JsonArray *out = json_array_new ();
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  guint n = columns != NULL ? json_array_get_length (columns) : 0;
  guint n_identity = identity != NULL ? json_array_get_length (identity) : 0;
  gboolean identity_has_all = merge_identity && n_identity > 0;

  /* An UPDATE leaves out unchanged TOAST columns; with REPLICA IDENTITY
   * FULL the identity lists every column in table order, so use its order
   * when it covers the new row. */
  if (identity_has_all)
    {
      g_autoptr(GHashTable) in_identity = g_hash_table_new (g_str_hash, g_str_equal);

      for (guint i = 0; i < n_identity; i++)
        {
          JsonObject *column = json_array_get_object_element (identity, i);
          const char *name = column != NULL ? member_string (column, "name") : NULL;

          if (name != NULL)
            g_hash_table_add (in_identity, (gpointer) name);
        }
      for (guint i = 0; i < n && identity_has_all; i++)
        {
          JsonObject *column = json_array_get_object_element (columns, i);
          const char *name = column != NULL ? member_string (column, "name") : NULL;

          if (name != NULL && !g_hash_table_contains (in_identity, name))
            identity_has_all = FALSE;
        }
    }

  if (identity_has_all && n_identity > n)
    {
      for (guint i = 0; i < n_identity; i++)
        {
          JsonObject *column = json_array_get_object_element (identity, i);
          const char *name = column != NULL ? member_string (column, "name") : NULL;

          if (name != NULL && g_hash_table_add (seen, (gpointer) name))
            add_column_entry (out, name, g_hash_table_lookup (column_types, name));
        }
      return out;
    }

  for (guint i = 0; i < n; i++)
    {
      JsonObject *column = json_array_get_object_element (columns, i);
      const char *name = column != NULL ? member_string (column, "name") : NULL;

      if (name != NULL && g_hash_table_add (seen, (gpointer) name))
        add_column_entry (out, name, g_hash_table_lookup (column_types, name));
    }
  if (merge_identity)
    for (guint i = 0; i < n_identity; i++)
      {
        JsonObject *column = json_array_get_object_element (identity, i);
        const char *name = column != NULL ? member_string (column, "name") : NULL;

        if (name != NULL && g_hash_table_add (seen, (gpointer) name))
          add_column_entry (out, name, g_hash_table_lookup (column_types, name));
      }

  return out;
}

static TandemWalChange *
convert_change (TandemWalStream *self,
                JsonObject      *raw)
{
  TandemWalChange *change;
  const char *action = member_string (raw, "action");
  JsonArray *columns = member_array (raw, "columns");
  JsonArray *identity = member_array (raw, "identity");
  JsonArray *pk = member_array (raw, "pk");
  g_autoptr(GStrvBuilder) pk_names = g_strv_builder_new ();
  guint n_pk = pk != NULL ? json_array_get_length (pk) : 0;

  change = g_new0 (TandemWalChange, 1);
  change->schema = g_strdup (member_string (raw, "schema"));
  change->table = g_strdup (member_string (raw, "table"));
  change->column_types = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  switch (action[0])
    {
    case 'I':
      change->type = TANDEM_CHANGE_INSERT;
      change->record = convert_columns (self, columns, change->column_types);
      change->columns = build_column_list (columns, NULL, change->column_types, FALSE);
      break;

    case 'U':
      change->type = TANDEM_CHANGE_UPDATE;
      change->record = convert_columns (self, columns, change->column_types);
      if (identity != NULL)
        {
          JsonObjectIter iter;
          const char *name;
          JsonNode *value;

          change->old_record = convert_columns (self, identity, change->column_types);
          /* Unchanged TOAST values are not in the new row: take them from
           * the old one when it has them. */
          json_object_iter_init (&iter, change->old_record);
          while (json_object_iter_next (&iter, &name, &value))
            if (!json_object_has_member (change->record, name))
              json_object_set_member (change->record, name, json_node_copy (value));
        }
      else
        change->old_record = json_object_new ();
      change->columns = build_column_list (columns, identity, change->column_types, TRUE);
      break;

    case 'D':
      change->type = TANDEM_CHANGE_DELETE;
      change->old_record = identity != NULL ? convert_columns (self, identity, change->column_types)
                                            : json_object_new ();
      change->columns = build_column_list (identity, NULL, change->column_types, FALSE);
      break;

    case 'T':
    default:
      change->type = TANDEM_CHANGE_TRUNCATE;
      change->columns = json_array_new ();
      break;
    }

  for (guint i = 0; i < n_pk; i++)
    {
      JsonObject *column = json_array_get_object_element (pk, i);
      const char *name = column != NULL ? member_string (column, "name") : NULL;

      if (name == NULL)
        continue;
      g_strv_builder_add (pk_names, name);
      if (!g_hash_table_contains (change->column_types, name))
        g_hash_table_insert (change->column_types, g_strdup (name),
                             g_strdup (column_type (self, column)->typname));
    }
  change->primary_key = g_strv_builder_end (pk_names);

  return change;
}

static void
note_skipped (TandemWalStream *self,
              guint64          end_lsn)
{
  PendingSkip skip = { self->last_emitted_end, end_lsn };

  /* Nothing to deliver in it: its position may be confirmed as soon as
   * every transaction delivered before it is. */
  if (self->pending_skips->len == 0 && self->confirmed_lsn >= self->last_emitted_end)
    {
      self->confirmed_lsn = MAX (self->confirmed_lsn, end_lsn);
      return;
    }

  if (self->pending_skips->len > 0)
    {
      PendingSkip *last = &g_array_index (self->pending_skips, PendingSkip, self->pending_skips->len - 1);

      if (last->after == skip.after)
        {
          last->end = MAX (last->end, end_lsn);
          return;
        }
    }
  g_array_append_val (self->pending_skips, skip);
}

static void
apply_pending_skips (TandemWalStream *self)
{
  guint n = 0;

  while (n < self->pending_skips->len)
    {
      PendingSkip *skip = &g_array_index (self->pending_skips, PendingSkip, n);

      if (self->confirmed_lsn < skip->after)
        break;
      self->confirmed_lsn = MAX (self->confirmed_lsn, skip->end);
      n++;
    }
  if (n > 0)
    g_array_remove_range (self->pending_skips, 0, n);
}

static void
process_ready (TandemWalStream *self)
{
  g_autoptr(TandemWalStream) hold = NULL;
  guint generation = self->generation;

  if (self->processing)
    return;
  self->processing = TRUE;
  hold = g_object_ref (self);

  while (!g_queue_is_empty (&self->ready) && self->generation == generation)
    {
      RawTxn *raw = g_queue_peek_head (&self->ready);
      g_autoptr(TandemWalTransaction) txn = NULL;

      if (raw->changes->len == 0)
        {
          g_queue_pop_head (&self->ready);
          note_skipped (self, raw->end_lsn);
          raw_txn_free (raw);
          continue;
        }

      if (!raw_txn_types_known (self, raw))
        {
          start_type_reload (self);
          break;
        }

      g_queue_pop_head (&self->ready);
      txn = transaction_new ();
      txn->xid = raw->xid;
      txn->end_lsn = raw->end_lsn;
      txn->commit_time_usec = raw->commit_time_usec;
      txn->commit_timestamp = tandem_pg_format_commit_timestamp (raw->commit_time_usec);
      for (guint i = 0; i < raw->changes->len; i++)
        g_ptr_array_add (txn->changes, convert_change (self, g_ptr_array_index (raw->changes, i)));
      raw_txn_free (raw);

      self->last_emitted_end = MAX (self->last_emitted_end, txn->end_lsn);
      g_signal_emit (self, signals[SIGNAL_TRANSACTION], 0, txn);
    }

  self->processing = FALSE;
}

static void
handle_json (TandemWalStream *self,
             const char      *data,
             gsize            length,
             guint64          data_start)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *object;
  const char *action;

  root = tandem_pg_json_parse (data, length, &error);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      emit_protocol_error (self, "Cannot parse wal2json output at %X/%X: %s",
                           (guint) (data_start >> 32), (guint) data_start,
                           error != NULL ? error->message : "not an object");
      return;
    }

  object = json_node_get_object (root);
  action = member_string (object, "action");
  if (action == NULL || action[0] == '\0' || action[1] != '\0')
    {
      emit_protocol_error (self, "wal2json output without an action at %X/%X",
                           (guint) (data_start >> 32), (guint) data_start);
      return;
    }

  switch (action[0])
    {
    case 'B':
      {
        const char *timestamp = member_string (object, "timestamp");

        if (self->current_txn != NULL)
          {
            emit_protocol_error (self, "wal2json began a transaction inside another");
            g_clear_pointer (&self->current_txn, raw_txn_free);
          }
        self->current_txn = raw_txn_new ();
        self->current_txn->xid = (guint64) member_int (object, "xid");
        if (timestamp == NULL ||
            !tandem_pg_parse_timestamptz (timestamp, &self->current_txn->commit_time_usec))
          self->current_txn->commit_time_usec = g_get_real_time ();
      }
      break;

    case 'C':
      {
        RawTxn *txn = g_steal_pointer (&self->current_txn);

        if (txn == NULL)
          {
            emit_protocol_error (self, "wal2json committed a transaction it did not begin");
            return;
          }
        /* The commit's end: "nextlsn", which is also where the walsender
         * says this message starts. */
        if (!parse_lsn (member_string (object, "nextlsn"), &txn->end_lsn))
          txn->end_lsn = data_start;
        g_queue_push_tail (&self->ready, txn);
        process_ready (self);
      }
      break;

    case 'I':
    case 'U':
    case 'D':
    case 'T':
      if (self->current_txn == NULL)
        {
          emit_protocol_error (self, "wal2json sent a change outside a transaction");
          return;
        }
      if (schema_is_skipped (self, member_string (object, "schema")))
        return;
      g_ptr_array_add (self->current_txn->changes, json_object_ref (object));
      break;

    case 'M':
    default:
      /* Logical messages (pg_logical_emit_message) are not row changes. */
      break;
    }
}

static gboolean read_stream (TandemWalStream *self);

static gboolean
on_resume_read (gpointer user_data)
{
  TandemWalStream *self = user_data;
  g_autoptr(TandemWalStream) hold = g_object_ref (self);

  g_clear_pointer (&self->resume_source, g_source_unref);
  if (self->phase == PHASE_STREAMING && self->conn != NULL)
    read_stream (self);
  return G_SOURCE_REMOVE;
}

/* Handles every complete message libpq has buffered, within a time budget
 * (the rest is picked up from an idle callback: the socket will not wake us
 * for data already read). Returns FALSE when the connection went away (or
 * was stopped). */
static gboolean
read_stream (TandemWalStream *self)
{
  guint generation = self->generation;
  gint64 deadline = g_get_monotonic_time () + READ_BUDGET_US;
  guint count = 0;

  for (;;)
    {
      char *buffer = NULL;
      int n = PQgetCopyData (self->conn, &buffer, 1);

      if (n == 0)
        return TRUE;

      if (n == -1)
        {
          /* The server ended the stream: its reason is in the result. */
          PGresult *result = PQgetResult (self->conn);
          g_autofree char *message = NULL;

          if (result != NULL && PQresultStatus (result) == PGRES_FATAL_ERROR)
            message = g_strchomp (g_strdup (PQresultErrorMessage (result)));
          g_clear_pointer (&result, PQclear);
          connection_failed (self,
                             g_error_new (TANDEM_WAL_STREAM_ERROR, TANDEM_WAL_STREAM_ERROR_CONNECTION,
                                          "The server ended replication: %s",
                                          message != NULL ? message : "no reason given"),
                             FALSE);
          return FALSE;
        }

      if (n < 0)
        {
          connection_lost (self, "Replication stream lost");
          return FALSE;
        }

      switch (buffer[0])
        {
        case 'w':
          if (n < 25)
            emit_protocol_error (self, "Short XLogData message (%d bytes)", n);
          else
            handle_json (self, buffer + 25, n - 25, get_be64 ((const guint8 *) buffer + 1));
          break;

        case 'k':
          if (n < 18)
            emit_protocol_error (self, "Short keepalive message (%d bytes)", n);
          else if (buffer[17] != 0 && !send_status (self, FALSE))
            {
              PQfreemem (buffer);
              connection_lost (self, "Could not answer a keepalive");
              return FALSE;
            }
          break;

        default:
          emit_protocol_error (self, "Unknown replication message '%c'", buffer[0]);
          break;
        }

      PQfreemem (buffer);

      /* A handler may have stopped the stream. */
      if (self->generation != generation || self->conn == NULL)
        return FALSE;

      if (++count % 32 == 0 && g_get_monotonic_time () > deadline)
        {
          if (self->resume_source == NULL)
            {
              self->resume_source = g_idle_source_new ();
              g_source_set_priority (self->resume_source, G_PRIORITY_DEFAULT);
              g_source_set_callback (self->resume_source, on_resume_read, self, NULL);
              g_source_set_static_name (self->resume_source, "[tandem] wal backlog");
              g_source_attach (self->resume_source, g_main_context_get_thread_default ());
            }
          return TRUE;
        }
    }
}

static gboolean
on_socket (int          fd,
           GIOCondition condition,
           gpointer     user_data)
{
  TandemWalStream *self = user_data;
  g_autoptr(TandemWalStream) hold = g_object_ref (self);
  guint generation = self->generation;

  if (self->conn == NULL)
    return G_SOURCE_CONTINUE;

  if (self->phase == PHASE_CONNECTING)
    {
      PostgresPollingStatusType status = PQconnectPoll (self->conn);

      switch (status)
        {
        case PGRES_POLLING_READING:
        case PGRES_POLLING_WRITING:
          self->poll_status = status;
          update_watch (self);
          break;
        case PGRES_POLLING_OK:
          if (PQsetnonblocking (self->conn, 1) != 0)
            connection_lost (self, "Cannot make the replication connection non-blocking");
          else
            send_command (self, PHASE_SHOW_WAL_LEVEL, "SHOW wal_level");
          break;
        case PGRES_POLLING_FAILED:
        case PGRES_POLLING_ACTIVE:
        default:
          connection_lost (self, "Could not connect for replication");
          break;
        }
      return G_SOURCE_CONTINUE;
    }

  if (self->flush_pending)
    {
      int r = PQflush (self->conn);

      if (r < 0)
        {
          connection_lost (self, "Replication connection lost");
          return G_SOURCE_CONTINUE;
        }
      self->flush_pending = r == 1;
    }

  if ((condition & (G_IO_IN | G_IO_HUP | G_IO_ERR)) != 0 && !PQconsumeInput (self->conn))
    {
      connection_lost (self, "Replication connection lost");
      return G_SOURCE_CONTINUE;
    }

  if (self->phase == PHASE_STREAMING)
    {
      if (!read_stream (self))
        return G_SOURCE_CONTINUE;
    }
  else
    {
      /* A command: collect its results until libpq says it is done. */
      while (self->conn != NULL && self->generation == generation && !PQisBusy (self->conn))
        {
          PGresult *result = PQgetResult (self->conn);

          if (result == NULL)
            {
              command_done (self);
              break;
            }

          switch (PQresultStatus (result))
            {
            case PGRES_COPY_BOTH:
              PQclear (result);
              if (self->phase == PHASE_START_REPLICATION)
                {
                  streaming_started (self);
                  /* Data may already be buffered. */
                  if (self->generation == generation && !read_stream (self))
                    return G_SOURCE_CONTINUE;
                }
              else
                connection_failed (self,
                                   g_error_new (TANDEM_WAL_STREAM_ERROR, TANDEM_WAL_STREAM_ERROR_PROTOCOL,
                                                "Unexpected COPY BOTH response"),
                                   FALSE);
              goto out;

            case PGRES_FATAL_ERROR:
            case PGRES_BAD_RESPONSE:
              if (self->error_result == NULL)
                self->error_result = result;
              else
                PQclear (result);
              break;

            case PGRES_EMPTY_QUERY:
            case PGRES_COMMAND_OK:
            case PGRES_TUPLES_OK:
            case PGRES_COPY_OUT:
            case PGRES_COPY_IN:
            case PGRES_NONFATAL_ERROR:
            case PGRES_SINGLE_TUPLE:
            case PGRES_PIPELINE_SYNC:
            case PGRES_PIPELINE_ABORTED:
            default:
              g_clear_pointer (&self->result, PQclear);
              self->result = result;
              break;
            }
        }
    }

out:
  if (self->conn != NULL && self->generation == generation)
    {
      if (PQstatus (self->conn) == CONNECTION_BAD)
        connection_lost (self, "Replication connection lost");
      else
        update_watch (self);
    }

  return G_SOURCE_CONTINUE;
}

static void
update_watch (TandemWalStream *self)
{
  GIOCondition condition = G_IO_HUP | G_IO_ERR;
  int fd;

  if (self->conn == NULL || (fd = PQsocket (self->conn)) < 0)
    {
      clear_watch (self);
      return;
    }

  if (self->phase == PHASE_CONNECTING)
    condition |= self->poll_status == PGRES_POLLING_READING ? G_IO_IN : G_IO_OUT;
  else
    {
      condition |= G_IO_IN;
      if (self->flush_pending)
        condition |= G_IO_OUT;
    }

  if (self->watch != NULL && self->watch_fd == fd && self->watch_condition == condition)
    return;

  clear_watch (self);
  self->watch = g_unix_fd_source_new (fd, condition);
  g_source_set_callback (self->watch, G_SOURCE_FUNC (on_socket), self, NULL);
  g_source_set_static_name (self->watch, "[tandem] wal stream");
  g_source_attach (self->watch, g_main_context_get_thread_default ());
  self->watch_fd = fd;
  self->watch_condition = condition;
}

/* Connection parameters: the owner's, plus replication=database and the
 * output settings wal2json's text depends on (ISO dates in UTC, hex
 * bytea). */
static gboolean
build_params (const char   *conninfo,
              GPtrArray    *keywords,
              GPtrArray    *values,
              GError      **error)
{
  static const char settings[] =
    "-c datestyle=ISO,MDY -c timezone=UTC -c intervalstyle=postgres "
    "-c bytea_output=hex -c extra_float_digits=1";
  char *errmsg = NULL;
  PQconninfoOption *options = PQconninfoParse (conninfo, &errmsg);
  gboolean have_app_name = FALSE;
  const char *user_options = NULL;

  if (options == NULL)
    {
      g_set_error (error, TANDEM_WAL_STREAM_ERROR, TANDEM_WAL_STREAM_ERROR_CONNECTION,
                   "Invalid connection string: %s", errmsg != NULL ? g_strchomp (errmsg) : "?");
      PQfreemem (errmsg);
      return FALSE;
    }

  for (PQconninfoOption *o = options; o->keyword != NULL; o++)
    {
      if (o->val == NULL)
        continue;
      if (strcmp (o->keyword, "replication") == 0)
        continue;
      if (strcmp (o->keyword, "options") == 0)
        {
          user_options = o->val;
          continue;
        }
      if (strcmp (o->keyword, "application_name") == 0 ||
          strcmp (o->keyword, "fallback_application_name") == 0)
        have_app_name = TRUE;
      g_ptr_array_add (keywords, g_strdup (o->keyword));
      g_ptr_array_add (values, g_strdup (o->val));
    }

  g_ptr_array_add (keywords, g_strdup ("replication"));
  g_ptr_array_add (values, g_strdup ("database"));
  g_ptr_array_add (keywords, g_strdup ("options"));
  g_ptr_array_add (values, user_options != NULL ? g_strconcat (user_options, " ", settings, NULL)
                                                : g_strdup (settings));
  if (!have_app_name)
    {
      g_ptr_array_add (keywords, g_strdup ("fallback_application_name"));
      g_ptr_array_add (values, g_strdup ("tandem-wal-stream"));
    }
  g_ptr_array_add (keywords, NULL);
  g_ptr_array_add (values, NULL);

  PQconninfoFree (options);
  return TRUE;
}

static void
begin_connect (TandemWalStream *self)
{
  g_autoptr(GPtrArray) keywords = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) values = g_ptr_array_new_with_free_func (g_free);
  GError *error = NULL;

  teardown_connection (self);

  if (!build_params (self->conninfo, keywords, values, &error))
    {
      self->phase = PHASE_CONNECTING;
      connection_failed (self, error, FALSE);
      return;
    }

  self->phase = PHASE_CONNECTING;
  self->poll_status = PGRES_POLLING_WRITING;
  self->conn = PQconnectStartParams ((const char * const *) keywords->pdata,
                                     (const char * const *) values->pdata, 0);
  if (self->conn == NULL || PQstatus (self->conn) == CONNECTION_BAD)
    {
      connection_lost (self, "Could not connect for replication");
      return;
    }

  update_watch (self);
}

/* Public API */

TandemWalStream *
tandem_wal_stream_new (const char *conninfo,
                       const char *slot_name)
{
  g_return_val_if_fail (conninfo != NULL, NULL);
  g_return_val_if_fail (slot_name != NULL, NULL);

  return g_object_new (TANDEM_TYPE_WAL_STREAM,
                       "conninfo", conninfo,
                       "slot-name", slot_name,
                       NULL);
}

static gboolean
on_start_cancelled (GCancellable *cancellable,
                    gpointer      user_data)
{
  TandemWalStream *self = user_data;
  g_autoptr(TandemWalStream) hold = g_object_ref (self);

  g_clear_pointer (&self->start_cancel_source, g_source_unref);
  if (self->start_task != NULL)
    {
      self->running = FALSE;
      teardown_connection (self);
      clear_source (&self->retry_source);
      self->phase = PHASE_STOPPED;
      complete_start (self, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                                 "Operation was cancelled"));
    }
  return G_SOURCE_REMOVE;
}

void
tandem_wal_stream_start_async (TandemWalStream    *self,
                               GCancellable       *cancellable,
                               GAsyncReadyCallback callback,
                               gpointer            user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (TANDEM_IS_WAL_STREAM (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, tandem_wal_stream_start_async);

  if (!slot_name_is_valid (self->slot_name))
    {
      g_task_return_new_error (task, TANDEM_WAL_STREAM_ERROR, TANDEM_WAL_STREAM_ERROR_PROTOCOL,
                               "Invalid replication slot name \"%s\": use 1 to 63 lower case "
                               "letters, digits and underscores", self->slot_name);
      return;
    }
  if (self->start_task != NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_PENDING, "Already starting");
      return;
    }
  if (self->running)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }
  if (g_task_return_error_if_cancelled (task))
    return;

  self->running = TRUE;
  self->backoff_ms = BACKOFF_MIN_MS;
  self->start_deadline = g_get_monotonic_time () + START_SLOT_BUSY_MAX_US;
  self->start_task = g_steal_pointer (&task);

  if (cancellable != NULL)
    {
      self->start_cancel_source = g_cancellable_source_new (cancellable);
      g_source_set_callback (self->start_cancel_source, G_SOURCE_FUNC (on_start_cancelled), self, NULL);
      g_source_attach (self->start_cancel_source, g_main_context_get_thread_default ());
    }

  begin_connect (self);
}

gboolean
tandem_wal_stream_start_finish (TandemWalStream  *self,
                                GAsyncResult     *result,
                                GError          **error)
{
  g_return_val_if_fail (TANDEM_IS_WAL_STREAM (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == tandem_wal_stream_start_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

void
tandem_wal_stream_confirm (TandemWalStream *self,
                           guint64          lsn)
{
  g_return_if_fail (TANDEM_IS_WAL_STREAM (self));

  if (lsn <= self->confirmed_lsn)
    return;

  self->confirmed_lsn = lsn;
  apply_pending_skips (self);

  schedule_confirm (self);
}

guint64
tandem_wal_stream_get_confirmed_lsn (TandemWalStream *self)
{
  g_return_val_if_fail (TANDEM_IS_WAL_STREAM (self), 0);

  return self->confirmed_lsn;
}

void
tandem_wal_stream_stop (TandemWalStream *self)
{
  g_autoptr(TandemWalStream) hold = NULL;

  g_return_if_fail (TANDEM_IS_WAL_STREAM (self));

  hold = g_object_ref (self);

  /* Tell PostgreSQL the final position before leaving; the walsender reads
   * it before our Terminate. A short blocking write on a local socket. */
  if (self->phase == PHASE_STREAMING && self->conn != NULL &&
      self->confirmed_lsn > self->reported_lsn && send_status (self, FALSE))
    {
      if (PQsetnonblocking (self->conn, 0) == 0)
        PQflush (self->conn);
    }

  self->running = FALSE;
  teardown_connection (self);
  clear_source (&self->retry_source);
  self->phase = PHASE_STOPPED;

  if (self->lookup_cancellable != NULL)
    {
      g_cancellable_cancel (self->lookup_cancellable);
      g_clear_object (&self->lookup_cancellable);
    }
  if (self->lookup_conn != NULL)
    {
      tandem_pg_conn_close (self->lookup_conn);
      g_clear_object (&self->lookup_conn);
    }
  self->lookup_running = FALSE;

  if (self->start_task != NULL)
    complete_start (self, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                               "The stream was stopped"));

  set_connected (self, FALSE);
}

gboolean
tandem_wal_stream_drop_slot_sync (TandemWalStream  *self,
                                  GError          **error)
{
  g_autoptr(GPtrArray) keywords = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) values = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *sql = NULL;
  PGconn *conn;
  PGresult *result;
  gboolean ok = FALSE;

  g_return_val_if_fail (TANDEM_IS_WAL_STREAM (self), FALSE);

  tandem_wal_stream_stop (self);

  if (!slot_name_is_valid (self->slot_name))
    {
      g_set_error (error, TANDEM_WAL_STREAM_ERROR, TANDEM_WAL_STREAM_ERROR_PROTOCOL,
                   "Invalid replication slot name \"%s\"", self->slot_name);
      return FALSE;
    }
  if (!build_params (self->conninfo, keywords, values, error))
    return FALSE;

  conn = PQconnectdbParams ((const char * const *) keywords->pdata,
                            (const char * const *) values->pdata, 0);
  if (PQstatus (conn) != CONNECTION_OK)
    {
      g_set_error (error, TANDEM_WAL_STREAM_ERROR, TANDEM_WAL_STREAM_ERROR_CONNECTION,
                   "Could not connect to drop the slot: %s", g_strchomp (PQerrorMessage (conn)));
      PQfinish (conn);
      return FALSE;
    }

  /* WAIT: our walsender may still be on its way out. */
  sql = g_strdup_printf ("DROP_REPLICATION_SLOT %s WAIT", self->slot_name);
  result = PQexec (conn, sql);
  if (PQresultStatus (result) == PGRES_COMMAND_OK ||
      g_strcmp0 (PQresultErrorField (result, PG_DIAG_SQLSTATE), "42704") == 0)
    {
      ok = TRUE;
      self->confirmed_lsn = self->reported_lsn = self->slot_confirmed_lsn = 0;
      self->last_emitted_end = 0;
      g_array_set_size (self->pending_skips, 0);
    }
  else
    g_set_error (error, TANDEM_WAL_STREAM_ERROR, TANDEM_WAL_STREAM_ERROR_CONNECTION,
                 "Could not drop the replication slot \"%s\": %s", self->slot_name,
                 g_strchomp (PQresultErrorMessage (result)));
  PQclear (result);
  PQfinish (conn);

  return ok;
}

gboolean
tandem_wal_stream_get_connected (TandemWalStream *self)
{
  g_return_val_if_fail (TANDEM_IS_WAL_STREAM (self), FALSE);

  return self->connected;
}

void
tandem_wal_stream_set_skip_schemas (TandemWalStream    *self,
                                    const char * const *schemas)
{
  g_return_if_fail (TANDEM_IS_WAL_STREAM (self));

  if (self->skip_schemas != NULL && schemas != NULL &&
      g_strv_equal ((const char * const *) self->skip_schemas, schemas))
    return;

  g_strfreev (self->skip_schemas);
  self->skip_schemas = g_strdupv ((char **) schemas);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SKIP_SCHEMAS]);
}

/* GObject */

static void
tandem_wal_stream_dispose (GObject *object)
{
  TandemWalStream *self = TANDEM_WAL_STREAM (object);

  if (self->running || self->conn != NULL || self->lookup_conn != NULL || self->start_task != NULL)
    tandem_wal_stream_stop (self);

  G_OBJECT_CLASS (tandem_wal_stream_parent_class)->dispose (object);
}

static void
tandem_wal_stream_finalize (GObject *object)
{
  TandemWalStream *self = TANDEM_WAL_STREAM (object);

  g_assert (self->watch == NULL);
  g_assert (self->retry_source == NULL);
  g_assert (self->status_source == NULL);
  g_assert (self->confirm_source == NULL);
  g_assert (self->resume_source == NULL);
  g_assert (self->start_cancel_source == NULL);
  g_assert (self->start_task == NULL);

  g_free (self->conninfo);
  g_free (self->slot_name);
  g_strfreev (self->skip_schemas);
  g_hash_table_unref (self->types);
  g_hash_table_unref (self->types_by_name);
  g_array_unref (self->pending_skips);

  G_OBJECT_CLASS (tandem_wal_stream_parent_class)->finalize (object);
}

static void
tandem_wal_stream_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  TandemWalStream *self = TANDEM_WAL_STREAM (object);

  switch (prop_id)
    {
    case PROP_CONNINFO:
      g_value_set_string (value, self->conninfo);
      break;
    case PROP_SLOT_NAME:
      g_value_set_string (value, self->slot_name);
      break;
    case PROP_CONNECTED:
      g_value_set_boolean (value, self->connected);
      break;
    case PROP_SKIP_SCHEMAS:
      g_value_set_boxed (value, self->skip_schemas);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tandem_wal_stream_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  TandemWalStream *self = TANDEM_WAL_STREAM (object);

  switch (prop_id)
    {
    case PROP_CONNINFO:
      g_free (self->conninfo);
      self->conninfo = g_value_dup_string (value);
      break;
    case PROP_SLOT_NAME:
      g_free (self->slot_name);
      self->slot_name = g_value_dup_string (value);
      break;
    case PROP_SKIP_SCHEMAS:
      tandem_wal_stream_set_skip_schemas (self, g_value_get_boxed (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tandem_wal_stream_class_init (TandemWalStreamClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = tandem_wal_stream_dispose;
  object_class->finalize = tandem_wal_stream_finalize;
  object_class->get_property = tandem_wal_stream_get_property;
  object_class->set_property = tandem_wal_stream_set_property;

  properties[PROP_CONNINFO] =
    g_param_spec_string ("conninfo", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SLOT_NAME] =
    g_param_spec_string ("slot-name", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CONNECTED] =
    g_param_spec_boolean ("connected", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * TandemWalStream:skip-schemas:
   *
   * Schemas whose changes are not emitted, besides pg_catalog and
   * information_schema (always skipped). Default: "tandem", the server's own
   * bookkeeping.
   */
  properties[PROP_SKIP_SCHEMAS] =
    g_param_spec_boxed ("skip-schemas", NULL, NULL, G_TYPE_STRV,
                        G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[SIGNAL_TRANSACTION] =
    g_signal_new ("transaction", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1,
                  TANDEM_TYPE_WAL_TRANSACTION | G_SIGNAL_TYPE_STATIC_SCOPE);
  signals[SIGNAL_ERROR] =
    g_signal_new ("error", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1,
                  G_TYPE_ERROR | G_SIGNAL_TYPE_STATIC_SCOPE);
}

static void
tandem_wal_stream_init (TandemWalStream *self)
{
  self->watch_fd = -1;
  self->phase = PHASE_STOPPED;
  self->backoff_ms = BACKOFF_MIN_MS;
  self->skip_schemas = g_strdupv ((char **) default_skip_schemas);
  self->types = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) type_info_free);
  self->types_by_name = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) type_info_free);
  g_queue_init (&self->ready);
  self->pending_skips = g_array_new (FALSE, FALSE, sizeof (PendingSkip));
}
