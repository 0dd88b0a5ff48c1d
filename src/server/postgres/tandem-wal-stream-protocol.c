/* tandem-wal-stream-protocol.c: the replication stream and its status updates
 *
 * Once START_REPLICATION answers with COPY BOTH, the socket carries XLogData
 * ('w', wal2json's text for tandem-wal-stream-decode.c) and keepalives ('k')
 * from the server, read with PQgetCopyData as soon as it is readable, and
 * our status updates ('r') to it.
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
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib-unix.h>

#include "tandem-wal-stream-private.h"

#define STATUS_INTERVAL_MS     10000
#define CONFIRM_COALESCE_MS    20
/* How long one dispatch may spend on buffered messages before letting the
 * rest of the main loop run (a backlog after a reconnect can be large). */
#define READ_BUDGET_US         5000

/* Seconds from the Unix epoch to PostgreSQL's (2000-01-01). */
#define PG_EPOCH_OFFSET_US (G_GINT64_CONSTANT (946684800) * G_USEC_PER_SEC)

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

/* Sends what libpq has buffered, as far as the socket takes it now; FALSE
 * when the connection broke. */
gboolean
_tandem_wal_stream_flush (TandemWalStream *self)
{
  int r = PQflush (self->conn);

  if (r < 0)
    return FALSE;
  self->flush_pending = r == 1;
  return TRUE;
}

/* Status updates */

gboolean
_tandem_wal_stream_send_status (TandemWalStream *self,
                                gboolean         reply_requested)
{
  guint8 msg[34];
  gint64 now;

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

  if (PQputCopyData (self->conn, (const char *) msg, sizeof msg) != 1 ||
      !_tandem_wal_stream_flush (self))
    return FALSE;
  if (self->flush_pending)
    _tandem_wal_stream_update_watch (self);

  self->reported_lsn = self->confirmed_lsn;
  self->last_status_time = g_get_monotonic_time ();
  return TRUE;
}

static void
send_status_or_fail (TandemWalStream *self)
{
  if (!_tandem_wal_stream_send_status (self, FALSE) && self->phase == PHASE_STREAMING)
    _tandem_wal_stream_fail (self, TANDEM_WAL_STREAM_ERROR_CONNECTION,
                             "Could not send a status update: %s",
                             self->conn != NULL ? PQerrorMessage (self->conn) : "");
}

static gboolean
on_status_timer (gpointer user_data)
{
  g_autoptr(TandemWalStream) self = g_object_ref (user_data);

  send_status_or_fail (self);
  return G_SOURCE_CONTINUE;
}

static gboolean
on_confirm_timer (gpointer user_data)
{
  g_autoptr(TandemWalStream) self = g_object_ref (user_data);

  g_clear_pointer (&self->confirm_source, g_source_unref);
  if (self->confirmed_lsn > self->reported_lsn)
    send_status_or_fail (self);
  return G_SOURCE_REMOVE;
}

void
_tandem_wal_stream_schedule_confirm (TandemWalStream *self)
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

/* START_REPLICATION succeeded: the stream runs. */
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
  _tandem_wal_stream_set_connected (self, TRUE);
  _tandem_wal_stream_complete_start (self, NULL);

  /* A confirm that came while we were away. */
  _tandem_wal_stream_schedule_confirm (self);
}

/* Reading the stream */

static gboolean read_stream (TandemWalStream *self);

static gboolean
on_resume_read (gpointer user_data)
{
  g_autoptr(TandemWalStream) self = g_object_ref (user_data);

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
          _tandem_wal_stream_fail (self, TANDEM_WAL_STREAM_ERROR_CONNECTION,
                                   "The server ended replication: %s",
                                   message != NULL ? message : "no reason given");
          return FALSE;
        }

      if (n < 0)
        {
          _tandem_wal_stream_connection_lost (self, "Replication stream lost");
          return FALSE;
        }

      switch (buffer[0])
        {
        case 'w':
          if (n < 25)
            _tandem_wal_stream_emit_protocol_error (self, "Short XLogData message (%d bytes)", n);
          else
            _tandem_wal_stream_handle_json (self, buffer + 25, n - 25, get_be64 ((const guint8 *) buffer + 1));
          break;

        case 'k':
          if (n < 18)
            _tandem_wal_stream_emit_protocol_error (self, "Short keepalive message (%d bytes)", n);
          else if (buffer[17] != 0 && !_tandem_wal_stream_send_status (self, FALSE))
            {
              PQfreemem (buffer);
              _tandem_wal_stream_connection_lost (self, "Could not answer a keepalive");
              return FALSE;
            }
          break;

        default:
          _tandem_wal_stream_emit_protocol_error (self, "Unknown replication message '%c'", buffer[0]);
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

/* Socket watch */

static gboolean
on_socket (int          fd,
           GIOCondition condition,
           gpointer     user_data)
{
  g_autoptr(TandemWalStream) self = g_object_ref (user_data);
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
          _tandem_wal_stream_update_watch (self);
          break;
        case PGRES_POLLING_OK:
          if (PQsetnonblocking (self->conn, 1) != 0)
            _tandem_wal_stream_connection_lost (self, "Cannot make the replication connection non-blocking");
          else
            _tandem_wal_stream_send_command (self, PHASE_SHOW_WAL_LEVEL, "SHOW wal_level");
          break;
        case PGRES_POLLING_FAILED:
        case PGRES_POLLING_ACTIVE:
        default:
          _tandem_wal_stream_connection_lost (self, "Could not connect for replication");
          break;
        }
      return G_SOURCE_CONTINUE;
    }

  if (self->flush_pending && !_tandem_wal_stream_flush (self))
    {
      _tandem_wal_stream_connection_lost (self, "Replication connection lost");
      return G_SOURCE_CONTINUE;
    }

  if ((condition & (G_IO_IN | G_IO_HUP | G_IO_ERR)) != 0 && !PQconsumeInput (self->conn))
    {
      _tandem_wal_stream_connection_lost (self, "Replication connection lost");
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
              _tandem_wal_stream_command_done (self);
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
                _tandem_wal_stream_fail (self, TANDEM_WAL_STREAM_ERROR_PROTOCOL,
                                         "Unexpected COPY BOTH response");
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
        _tandem_wal_stream_connection_lost (self, "Replication connection lost");
      else
        _tandem_wal_stream_update_watch (self);
    }

  return G_SOURCE_CONTINUE;
}

void
_tandem_wal_stream_clear_watch (TandemWalStream *self)
{
  if (self->watch != NULL)
    {
      g_source_destroy (self->watch);
      g_clear_pointer (&self->watch, g_source_unref);
    }
  self->watch_fd = -1;
  self->watch_condition = 0;
}

void
_tandem_wal_stream_update_watch (TandemWalStream *self)
{
  GIOCondition condition = G_IO_HUP | G_IO_ERR;
  int fd;

  if (self->conn == NULL || (fd = PQsocket (self->conn)) < 0)
    {
      _tandem_wal_stream_clear_watch (self);
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

  _tandem_wal_stream_clear_watch (self);
  self->watch = g_unix_fd_source_new (fd, condition);
  g_source_set_callback (self->watch, G_SOURCE_FUNC (on_socket), self, NULL);
  g_source_set_static_name (self->watch, "[tandem] wal stream");
  g_source_attach (self->watch, g_main_context_get_thread_default ());
  self->watch_fd = fd;
  self->watch_condition = condition;
}
