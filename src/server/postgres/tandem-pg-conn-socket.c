/* tandem-pg-conn-socket.c: driving a TandemPgConn's libpq connection
 *
 * The connection is non-blocking: connecting is PQconnectStart/PQconnectPoll
 * driven by a GSource on PQsocket (recreated when libpq switches sockets or
 * wants another condition), queries are PQsendQueryParams + PQconsumeInput +
 * PQisBusy + PQgetResult. Queries wait in a FIFO and one is in flight.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib-unix.h>

#include "tandem-pg-conn-private.h"

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
clear_watch (TandemPgConn *self)
{
  clear_source (&self->watch);
  self->watch_fd = -1;
  self->watch_condition = 0;
}

static void
clear_connect_sources (TandemPgConn *self)
{
  clear_source (&self->connect_cancel_source);
  clear_source (&self->connect_timeout_source);
}

/* Sends what libpq has buffered, as far as the socket takes it now; FALSE
 * when the connection broke. */
static gboolean
flush_output (TandemPgConn *self)
{
  int r = PQflush (self->conn);

  if (r < 0)
    return FALSE;
  self->flush_pending = r == 1;
  return TRUE;
}

/* Drops the libpq connection without touching the queries. */
void
_tandem_pg_conn_teardown (TandemPgConn *self)
{
  clear_watch (self);
  clear_connect_sources (self);
  g_clear_pointer (&self->conn, PQfinish);
  self->state = STATE_DISCONNECTED;
  self->flush_pending = FALSE;
}

void
_tandem_pg_conn_fail_connect (TandemPgConn *self,
                              GError       *error)
{
  g_autoptr(GTask) task = g_steal_pointer (&self->connect_task);

  _tandem_pg_conn_teardown (self);
  if (task != NULL)
    g_task_return_error (task, error);
  else
    g_error_free (error);

  /* Queries queued while connecting cannot run. */
  _tandem_pg_conn_fail_all_queries (self, TANDEM_PG_ERROR_CONNECTION,
                                    "Could not connect to the database");
}

static void
notice_processor (void       *arg,
                  const char *message)
{
  g_autofree char *copy = g_strchomp (g_strdup (message));

  g_debug ("%s", copy);
}

void
_tandem_pg_conn_became_connected (TandemPgConn *self)
{
  g_autoptr(GTask) task = NULL;

  PQsetNoticeProcessor (self->conn, notice_processor, NULL);
  if (PQsetnonblocking (self->conn, 1) != 0)
    {
      _tandem_pg_conn_fail_connect (self,
                                    _tandem_pg_error_new_connection (self->conn,
                                                                     "Cannot make the connection non-blocking"));
      return;
    }

  task = g_steal_pointer (&self->connect_task);
  clear_connect_sources (self);
  self->state = STATE_CONNECTED;
  _tandem_pg_conn_update_watch (self);

  if (task != NULL)
    g_task_return_boolean (task, TRUE);

  _tandem_pg_conn_dispatch (self);
}

static void
continue_connect (TandemPgConn *self)
{
  switch (PQconnectPoll (self->conn))
    {
    case PGRES_POLLING_READING:
      self->poll_status = PGRES_POLLING_READING;
      _tandem_pg_conn_update_watch (self);
      break;

    case PGRES_POLLING_WRITING:
      self->poll_status = PGRES_POLLING_WRITING;
      _tandem_pg_conn_update_watch (self);
      break;

    case PGRES_POLLING_OK:
      _tandem_pg_conn_became_connected (self);
      break;

    case PGRES_POLLING_FAILED:
    case PGRES_POLLING_ACTIVE:
    default:
      _tandem_pg_conn_fail_connect (self,
                                    _tandem_pg_error_new_connection (self->conn,
                                                                     "Could not connect to the database"));
      break;
    }
}

static void
complete_current (TandemPgConn *self)
{
  Query *query = g_steal_pointer (&self->current);

  _tandem_pg_query_complete (query, NULL);
}

static void
take_result (Query    *query,
             PGresult *result)
{
  switch (PQresultStatus (result))
    {
    case PGRES_FATAL_ERROR:
      if (query->error == NULL)
        query->error = tandem_pg_error_new_from_result (result);
      PQclear (result);
      break;

    case PGRES_TUPLES_OK:
    case PGRES_COMMAND_OK:
    case PGRES_EMPTY_QUERY:
      g_clear_pointer (&query->result, PQclear);
      query->result = result;
      break;

    case PGRES_BAD_RESPONSE:
    case PGRES_NONFATAL_ERROR:
    case PGRES_COPY_IN:
    case PGRES_COPY_OUT:
    case PGRES_COPY_BOTH:
    case PGRES_SINGLE_TUPLE:
    case PGRES_PIPELINE_SYNC:
    case PGRES_PIPELINE_ABORTED:
    default:
      if (query->error == NULL)
        query->error = g_error_new (TANDEM_PG_ERROR, TANDEM_PG_ERROR_SQL,
                                    "Unsupported result status %s",
                                    PQresStatus (PQresultStatus (result)));
      PQclear (result);
      break;
    }
}

/* Reads every result that is complete; returns FALSE if the connection
 * broke. */
static gboolean
drain_results (TandemPgConn *self)
{
  PGnotify *notify;

  while ((notify = PQnotifies (self->conn)) != NULL)
    PQfreemem (notify);

  while (self->current != NULL)
    {
      PGresult *result;

      if (self->current->copy_out)
        {
          char *buffer = NULL;
          int n;

          while ((n = PQgetCopyData (self->conn, &buffer, 1)) > 0)
            PQfreemem (buffer);
          if (n == 0)
            return TRUE;
          if (n == -2)
            return FALSE;
          self->current->copy_out = FALSE;
        }

      if (PQisBusy (self->conn))
        return TRUE;

      result = PQgetResult (self->conn);
      if (result == NULL)
        {
          complete_current (self);
          _tandem_pg_conn_dispatch (self);
          continue;
        }

      switch (PQresultStatus (result))
        {
        case PGRES_COPY_IN:
          /* Not supported: abort the COPY so the statement ends. */
          take_result (self->current, result);
          if (PQputCopyEnd (self->conn, "COPY FROM STDIN is not supported") < 0)
            return FALSE;
          if (PQflush (self->conn) == 1)
            {
              self->flush_pending = TRUE;
              _tandem_pg_conn_update_watch (self);
            }
          break;

        case PGRES_COPY_OUT:
          take_result (self->current, result);
          self->current->copy_out = TRUE;
          break;

        case PGRES_COPY_BOTH:
          /* Only replication connections do this; nothing can continue. */
          take_result (self->current, result);
          return FALSE;

        default:
          take_result (self->current, result);
          break;
        }
    }

  return TRUE;
}

static gboolean
on_socket (int          fd,
           GIOCondition condition,
           gpointer     user_data)
{
  g_autoptr(TandemPgConn) self = g_object_ref (user_data);

  if (self->state == STATE_CONNECTING)
    {
      continue_connect (self);
      return G_SOURCE_CONTINUE;
    }

  if (self->state != STATE_CONNECTED)
    return G_SOURCE_CONTINUE;

  if (self->flush_pending && !flush_output (self))
    {
      _tandem_pg_conn_handle_lost (self);
      return G_SOURCE_CONTINUE;
    }

  if ((condition & (G_IO_IN | G_IO_HUP | G_IO_ERR)) != 0)
    {
      if (!PQconsumeInput (self->conn))
        {
          _tandem_pg_conn_handle_lost (self);
          return G_SOURCE_CONTINUE;
        }
      /* Reading may let libpq send more. */
      if (self->flush_pending && !flush_output (self))
        {
          _tandem_pg_conn_handle_lost (self);
          return G_SOURCE_CONTINUE;
        }
    }

  if (!drain_results (self))
    {
      if (self->state == STATE_CONNECTED)
        _tandem_pg_conn_handle_lost (self);
      return G_SOURCE_CONTINUE;
    }

  /* A callback may have closed the connection. */
  if (self->state != STATE_CONNECTED)
    return G_SOURCE_CONTINUE;

  if (PQstatus (self->conn) == CONNECTION_BAD)
    {
      _tandem_pg_conn_handle_lost (self);
      return G_SOURCE_CONTINUE;
    }

  _tandem_pg_conn_update_watch (self);

  return G_SOURCE_CONTINUE;
}

/* Watches PQsocket for what libpq needs now; recreates the source when the
 * socket or the condition changed. */
void
_tandem_pg_conn_update_watch (TandemPgConn *self)
{
  GIOCondition condition = G_IO_IN | G_IO_HUP | G_IO_ERR;
  int fd;

  if (self->conn == NULL)
    {
      clear_watch (self);
      return;
    }

  fd = PQsocket (self->conn);
  if (fd < 0)
    {
      clear_watch (self);
      return;
    }

  if (self->state == STATE_CONNECTING)
    {
      /* Exactly what the last PQconnectPoll asked for (the socket may also
       * have changed: libpq tries each address in turn). */
      condition = G_IO_HUP | G_IO_ERR |
                  (self->poll_status == PGRES_POLLING_READING ? G_IO_IN : G_IO_OUT);
    }
  else if (self->flush_pending)
    condition |= G_IO_OUT;

  if (self->watch != NULL && self->watch_fd == fd && self->watch_condition == condition)
    return;

  clear_watch (self);
  self->watch = g_unix_fd_source_new (fd, condition);
  g_source_set_callback (self->watch, G_SOURCE_FUNC (on_socket), self, NULL);
  g_source_set_static_name (self->watch, "[tandem] pg connection");
  g_source_attach (self->watch, g_main_context_get_thread_default ());
  self->watch_fd = fd;
  self->watch_condition = condition;
}

void
_tandem_pg_conn_handle_lost (TandemPgConn *self)
{
  g_autoptr(GError) error = _tandem_pg_error_new_connection (self->conn,
                                                             "The connection to the database was lost");
  gboolean was_connected = self->state == STATE_CONNECTED;

  if (self->state == STATE_CONNECTING)
    {
      _tandem_pg_conn_fail_connect (self, g_steal_pointer (&error));
      return;
    }

  g_debug ("connection lost: %s", error->message);
  _tandem_pg_conn_teardown (self);
  _tandem_pg_conn_fail_all_queries (self, TANDEM_PG_ERROR_CONNECTION, error->message);

  if (was_connected)
    _tandem_pg_conn_emit_lost (self);
}

void
_tandem_pg_conn_dispatch (TandemPgConn *self)
{
  while (self->current == NULL && self->state == STATE_CONNECTED)
    {
      Query *query = g_queue_pop_head (&self->queue);

      if (query == NULL)
        return;

      if (g_task_return_error_if_cancelled (query->task))
        {
          _tandem_pg_query_free (query);
          continue;
        }

      if (query->cancel_source != NULL)
        {
          /* From now on the query runs to its end; see the top of
           * tandem-pg-conn.c. */
          clear_source (&query->cancel_source);
        }

      if (!PQsendQueryParams (self->conn, query->sql, query->n_params, NULL,
                              (const char * const *) query->params, NULL, NULL, 0))
        {
          GError *error = _tandem_pg_error_new_connection (self->conn, "Could not send the query");

          if (PQstatus (self->conn) == CONNECTION_BAD)
            {
              self->current = query;
              g_error_free (error);
              _tandem_pg_conn_handle_lost (self);
              return;
            }
          _tandem_pg_query_complete (query, error);
          continue;
        }

      self->current = query;

      if (!flush_output (self))
        {
          _tandem_pg_conn_handle_lost (self);
          return;
        }
      _tandem_pg_conn_update_watch (self);
    }
}
