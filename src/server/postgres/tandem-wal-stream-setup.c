/* tandem-wal-stream-setup.c: connecting, start-up checks, starting and stopping
 *
 * One libpq connection with replication=database, driven on the main
 * context without blocking: PQconnectStartParams/PQconnectPoll, then simple
 * queries through PQsendQuery (SHOW wal_level, IDENTIFY_SYSTEM, pg_type,
 * pg_replication_slots, CREATE_REPLICATION_SLOT when missing), then
 * START_REPLICATION and the COPY BOTH stream (tandem-wal-stream-protocol.c).
 * A lost connection is retried with a backoff, resuming from the slot.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "tandem-wal-stream-private.h"

#define BACKOFF_MAX_MS         5000
/* At start-up only: how long to keep retrying while the slot is still held
 * by a previous connection (a quick restart). */
#define START_SLOT_BUSY_MAX_US (15 * G_USEC_PER_SEC)

static void connection_failed (TandemWalStream *self,
                               GError          *error,
                               gboolean         retry_at_start);

gboolean
_tandem_wal_parse_lsn (const char *text,
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

/* Connecting */

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

/* Drops the replication connection and everything received but not yet
 * emitted; PostgreSQL sends it again from the slot. */
static void
teardown_connection (TandemWalStream *self)
{
  _tandem_wal_stream_clear_watch (self);
  clear_source (&self->status_source);
  clear_source (&self->confirm_source);
  clear_source (&self->resume_source);
  g_clear_pointer (&self->result, PQclear);
  g_clear_pointer (&self->error_result, PQclear);
  g_clear_pointer (&self->conn, PQfinish);
  self->flush_pending = FALSE;
  self->generation++;

  _tandem_wal_stream_drop_received (self);
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
      _tandem_wal_stream_connection_lost (self, "Could not connect for replication");
      return;
    }

  _tandem_wal_stream_update_watch (self);
}

/* Reconnecting */

static gboolean
on_retry (gpointer user_data)
{
  g_autoptr(TandemWalStream) self = g_object_ref (user_data);

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
  gboolean was_streaming = self->phase == PHASE_STREAMING;

  /* The start task's callback or an "error" handler may drop the last
   * reference to the stream. */
  g_object_ref (self);

  teardown_connection (self);
  _tandem_wal_stream_set_connected (self, FALSE);

  if (!self->running)
    {
      self->phase = PHASE_STOPPED;
      g_error_free (error);
    }
  else if (self->start_task != NULL &&
           retry_at_start && g_get_monotonic_time () < self->start_deadline)
    {
      g_debug ("retrying: %s", error->message);
      g_error_free (error);
      schedule_retry (self);
    }
  else if (self->start_task != NULL)
    {
      self->running = FALSE;
      self->phase = PHASE_STOPPED;
      _tandem_wal_stream_complete_start (self, error);
    }
  else
    {
      if (was_streaming)
        self->backoff_ms = BACKOFF_MIN_MS;
      schedule_retry (self);
      _tandem_wal_stream_emit_error (self, error);
      g_error_free (error);
    }

  g_object_unref (self);
}

/* connection_failed() with a new TANDEM_WAL_STREAM_ERROR, not retried at
 * start-up. */
void
_tandem_wal_stream_fail (TandemWalStream      *self,
                         TandemWalStreamError  code,
                         const char           *format,
                         ...)
{
  GError *error;
  va_list args;

  va_start (args, format);
  error = g_error_new_valist (TANDEM_WAL_STREAM_ERROR, code, format, args);
  va_end (args);

  connection_failed (self, error, FALSE);
}

void
_tandem_wal_stream_connection_lost (TandemWalStream *self,
                                    const char      *what)
{
  g_autofree char *message = NULL;

  message = g_strchomp (g_strdup (self->conn != NULL ? PQerrorMessage (self->conn) : ""));
  _tandem_wal_stream_fail (self, TANDEM_WAL_STREAM_ERROR_CONNECTION, "%s: %s", what,
                           message[0] != '\0' ? message : "connection lost");
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

void
_tandem_wal_stream_send_command (TandemWalStream *self,
                                 Phase            phase,
                                 const char      *sql)
{
  self->phase = phase;
  g_clear_pointer (&self->result, PQclear);
  g_clear_pointer (&self->error_result, PQclear);

  if (!PQsendQuery (self->conn, sql) || !_tandem_wal_stream_flush (self))
    {
      _tandem_wal_stream_connection_lost (self, "Could not send a command");
      return;
    }
  _tandem_wal_stream_update_watch (self);
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
  _tandem_wal_stream_send_command (self, PHASE_START_REPLICATION, sql);
}

void
_tandem_wal_stream_command_done (TandemWalStream *self)
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
        _tandem_wal_stream_fail (self, TANDEM_WAL_STREAM_ERROR_PROTOCOL,
                                 "%s returned no result", name);
      return;
    }

  switch (self->phase)
    {
    case PHASE_SHOW_WAL_LEVEL:
      {
        const char *level = PQntuples (result) == 1 ? PQgetvalue (result, 0, 0) : "";

        if (strcmp (level, "logical") != 0)
          {
            _tandem_wal_stream_fail (self, TANDEM_WAL_STREAM_ERROR_WAL_LEVEL,
                                     "PostgreSQL runs with wal_level = %s, but reading changes "
                                     "needs logical decoding: set wal_level = logical in "
                                     "postgresql.conf and restart PostgreSQL",
                                     level);
            return;
          }
        _tandem_wal_stream_send_command (self, PHASE_IDENTIFY_SYSTEM, "IDENTIFY_SYSTEM");
      }
      break;

    case PHASE_IDENTIFY_SYSTEM:
      if (PQntuples (result) != 1 || PQnfields (result) < 4 || PQgetisnull (result, 0, 3))
        {
          _tandem_wal_stream_fail (self, TANDEM_WAL_STREAM_ERROR_PROTOCOL,
                                   "IDENTIFY_SYSTEM names no database: the connection is "
                                   "not a logical replication connection");
          return;
        }
      g_debug ("system %s, timeline %s, WAL at %s, database %s",
               PQgetvalue (result, 0, 0), PQgetvalue (result, 0, 1),
               PQgetvalue (result, 0, 2), PQgetvalue (result, 0, 3));
      _tandem_wal_stream_send_command (self, PHASE_LOAD_TYPES, TYPES_QUERY);
      break;

    case PHASE_LOAD_TYPES:
      _tandem_wal_stream_load_types (self, result);
      sql = g_strdup_printf ("SELECT plugin, slot_type, database = current_database(), "
                             "confirmed_flush_lsn, database "
                             "FROM pg_catalog.pg_replication_slots WHERE slot_name = '%s'",
                             self->slot_name);
      _tandem_wal_stream_send_command (self, PHASE_CHECK_SLOT, sql);
      break;

    case PHASE_CHECK_SLOT:
      if (PQntuples (result) == 0)
        {
          sql = g_strdup_printf ("CREATE_REPLICATION_SLOT %s LOGICAL wal2json", self->slot_name);
          _tandem_wal_stream_send_command (self, PHASE_CREATE_SLOT, sql);
          return;
        }
      if (strcmp (PQgetvalue (result, 0, 1), "logical") != 0 ||
          strcmp (PQgetvalue (result, 0, 0), "wal2json") != 0 ||
          strcmp (PQgetvalue (result, 0, 2), "t") != 0)
        {
          _tandem_wal_stream_fail (self, TANDEM_WAL_STREAM_ERROR_PROTOCOL,
                                   "The replication slot \"%s\" exists but is a %s slot with "
                                   "plugin \"%s\" in database \"%s\": drop it or choose "
                                   "another slot name",
                                   self->slot_name, PQgetvalue (result, 0, 1),
                                   PQgetvalue (result, 0, 0), PQgetvalue (result, 0, 4));
          return;
        }
      if (!PQgetisnull (result, 0, 3))
        _tandem_wal_parse_lsn (PQgetvalue (result, 0, 3), &self->slot_confirmed_lsn);
      send_start_replication (self);
      break;

    case PHASE_CREATE_SLOT:
      /* slot_name, consistent_point, snapshot_name, output_plugin */
      if (PQntuples (result) == 1 && PQnfields (result) >= 2)
        _tandem_wal_parse_lsn (PQgetvalue (result, 0, 1), &self->slot_confirmed_lsn);
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
      _tandem_wal_stream_fail (self, TANDEM_WAL_STREAM_ERROR_PROTOCOL,
                               "Unexpected result in phase %d", self->phase);
      break;
    }
}

/* Starting and stopping */

void
_tandem_wal_stream_complete_start (TandemWalStream *self,
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

/* Ends the connection and any retry: the stream is stopped. */
static void
halt (TandemWalStream *self)
{
  self->running = FALSE;
  teardown_connection (self);
  clear_source (&self->retry_source);
  self->phase = PHASE_STOPPED;
}

static gboolean
on_start_cancelled (GCancellable *cancellable,
                    gpointer      user_data)
{
  g_autoptr(TandemWalStream) self = g_object_ref (user_data);

  g_clear_pointer (&self->start_cancel_source, g_source_unref);
  if (self->start_task != NULL)
    {
      halt (self);
      _tandem_wal_stream_complete_start (self,
                                         g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
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
tandem_wal_stream_stop (TandemWalStream *self)
{
  g_autoptr(TandemWalStream) hold = NULL;

  g_return_if_fail (TANDEM_IS_WAL_STREAM (self));

  hold = g_object_ref (self);

  /* Tell PostgreSQL the final position before leaving; the walsender reads
   * it before our Terminate. A short blocking write on a local socket. */
  if (self->phase == PHASE_STREAMING && self->conn != NULL &&
      self->confirmed_lsn > self->reported_lsn && _tandem_wal_stream_send_status (self, FALSE))
    {
      if (PQsetnonblocking (self->conn, 0) == 0)
        PQflush (self->conn);
    }

  halt (self);

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
    _tandem_wal_stream_complete_start (self,
                                       g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                                            "The stream was stopped"));

  _tandem_wal_stream_set_connected (self, FALSE);
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
