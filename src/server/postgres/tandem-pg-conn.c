/* tandem-pg-conn.c: one asynchronous libpq connection on the main context
 *
 * The connection is non-blocking: connecting is PQconnectStart/PQconnectPoll
 * driven by a GSource on PQsocket (recreated when libpq switches sockets or
 * wants another condition), queries are PQsendQueryParams + PQconsumeInput +
 * PQisBusy + PQgetResult. Queries wait in a FIFO and one is in flight.
 *
 * Cancellation: a query still waiting in the queue fails with
 * G_IO_ERROR_CANCELLED at once. A query already sent is left to finish (its
 * result is dropped and the caller gets G_IO_ERROR_CANCELLED): PQcancel()
 * opens a second connection and blocks, and aborting a statement in the
 * middle of a BEGIN … COMMIT sequence would fail the rest of it anyway.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "tandem-pg-conn.h"

#include <glib-unix.h>
#include <string.h>

/* Error domain */

typedef struct
{
  char *sqlstate;
  char *detail;
  char *hint;
} TandemPgErrorPrivate;

static void
tandem_pg_error_private_init (TandemPgErrorPrivate *priv)
{
  priv->sqlstate = NULL;
  priv->detail = NULL;
  priv->hint = NULL;
}

static void
tandem_pg_error_private_copy (const TandemPgErrorPrivate *src,
                              TandemPgErrorPrivate       *dest)
{
  dest->sqlstate = g_strdup (src->sqlstate);
  dest->detail = g_strdup (src->detail);
  dest->hint = g_strdup (src->hint);
}

static void
tandem_pg_error_private_clear (TandemPgErrorPrivate *priv)
{
  g_clear_pointer (&priv->sqlstate, g_free);
  g_clear_pointer (&priv->detail, g_free);
  g_clear_pointer (&priv->hint, g_free);
}

G_DEFINE_EXTENDED_ERROR (TandemPgError, tandem_pg_error)

static TandemPgErrorPrivate *
get_sql_private (const GError *error)
{
  if (error == NULL || error->domain != TANDEM_PG_ERROR || error->code != TANDEM_PG_ERROR_SQL)
    return NULL;
  return tandem_pg_error_get_private (error);
}

const char *
tandem_pg_error_get_sqlstate (const GError *error)
{
  TandemPgErrorPrivate *priv = get_sql_private (error);

  return priv != NULL ? priv->sqlstate : NULL;
}

const char *
tandem_pg_error_get_detail (const GError *error)
{
  TandemPgErrorPrivate *priv = get_sql_private (error);

  return priv != NULL ? priv->detail : NULL;
}

const char *
tandem_pg_error_get_hint (const GError *error)
{
  TandemPgErrorPrivate *priv = get_sql_private (error);

  return priv != NULL ? priv->hint : NULL;
}

static char *
dup_trimmed (const char *text)
{
  char *copy;

  if (text == NULL || text[0] == '\0')
    return NULL;
  copy = g_strdup (text);
  return g_strchomp (copy);
}

GError *
tandem_pg_error_new_from_result (const PGresult *result)
{
  TandemPgErrorPrivate *priv;
  g_autofree char *message = NULL;
  GError *error;

  g_return_val_if_fail (result != NULL, NULL);

  message = dup_trimmed (PQresultErrorField (result, PG_DIAG_MESSAGE_PRIMARY));
  if (message == NULL)
    message = dup_trimmed (PQresultErrorMessage (result));
  if (message == NULL)
    message = g_strdup_printf ("unexpected result %s",
                               PQresStatus (PQresultStatus (result)));

  error = g_error_new_literal (TANDEM_PG_ERROR, TANDEM_PG_ERROR_SQL, message);
  priv = tandem_pg_error_get_private (error);
  priv->sqlstate = g_strdup (PQresultErrorField (result, PG_DIAG_SQLSTATE));
  priv->detail = g_strdup (PQresultErrorField (result, PG_DIAG_MESSAGE_DETAIL));
  priv->hint = g_strdup (PQresultErrorField (result, PG_DIAG_MESSAGE_HINT));

  return error;
}

static GError *
connection_error (PGconn     *conn,
                  const char *fallback)
{
  g_autofree char *message = conn != NULL ? dup_trimmed (PQerrorMessage (conn)) : NULL;

  return g_error_new_literal (TANDEM_PG_ERROR, TANDEM_PG_ERROR_CONNECTION,
                              message != NULL ? message : fallback);
}

/* The connection */

typedef enum
{
  STATE_DISCONNECTED,
  STATE_CONNECTING,
  STATE_CONNECTED,
} ConnState;

typedef struct
{
  TandemPgConn *self;          /* unowned; the query is owned by the conn */
  GTask        *task;
  char         *sql;
  char        **params;        /* n_params entries, NULL ones are SQL NULL */
  int           n_params;
  GSource      *cancel_source;
  PGresult     *result;
  GError       *error;
  gboolean      copy_out;
} Query;

struct _TandemPgConn
{
  GObject       parent_instance;

  char         *conninfo;
  PGconn       *conn;
  ConnState     state;

  GSource      *watch;
  int           watch_fd;
  PostgresPollingStatusType poll_status;
  GIOCondition  watch_condition;
  gboolean      flush_pending;

  GTask        *connect_task;
  GSource      *connect_cancel_source;
  GSource      *connect_timeout_source;

  GQueue        queue;         /* Query *, not yet sent */
  Query        *current;       /* sent, waiting for its results */
};

G_DEFINE_FINAL_TYPE (TandemPgConn, tandem_pg_conn, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_CONNINFO,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum
{
  SIGNAL_LOST,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void     update_watch     (TandemPgConn *self);
static void     dispatch         (TandemPgConn *self);
static void     handle_lost      (TandemPgConn *self);

static void
query_free (Query *query)
{
  if (query->cancel_source != NULL)
    {
      g_source_destroy (query->cancel_source);
      g_source_unref (query->cancel_source);
    }
  g_clear_object (&query->task);
  g_free (query->sql);
  if (query->params != NULL)
    {
      for (int i = 0; i < query->n_params; i++)
        g_free (query->params[i]);
      g_free (query->params);
    }
  g_clear_pointer (&query->result, PQclear);
  g_clear_error (&query->error);
  g_free (query);
}

/* Completes @query (already unlinked from the queue) with @error, or with its
 * own result/error when @error is NULL; frees it. */
static void
query_complete (Query  *query,
                GError *error)
{
  g_autoptr(GTask) task = g_steal_pointer (&query->task);

  if (error != NULL)
    g_task_return_error (task, error);
  else if (query->error != NULL)
    g_task_return_error (task, g_steal_pointer (&query->error));
  else if (query->result != NULL)
    g_task_return_pointer (task, g_steal_pointer (&query->result), (GDestroyNotify) PQclear);
  else
    g_task_return_new_error (task, TANDEM_PG_ERROR, TANDEM_PG_ERROR_CONNECTION,
                             "The server returned no result");

  query_free (query);
}

static void
fail_all_queries (TandemPgConn *self,
                  int           code,
                  const char   *message)
{
  Query *query;

  if (self->current != NULL)
    {
      query = g_steal_pointer (&self->current);
      query_complete (query, g_error_new_literal (TANDEM_PG_ERROR, code, message));
    }

  while ((query = g_queue_pop_head (&self->queue)) != NULL)
    query_complete (query, g_error_new_literal (TANDEM_PG_ERROR, code, message));
}

static void
clear_watch (TandemPgConn *self)
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
clear_connect_sources (TandemPgConn *self)
{
  if (self->connect_cancel_source != NULL)
    {
      g_source_destroy (self->connect_cancel_source);
      g_clear_pointer (&self->connect_cancel_source, g_source_unref);
    }
  if (self->connect_timeout_source != NULL)
    {
      g_source_destroy (self->connect_timeout_source);
      g_clear_pointer (&self->connect_timeout_source, g_source_unref);
    }
}

/* Drops the libpq connection without touching the queries. */
static void
teardown (TandemPgConn *self)
{
  clear_watch (self);
  clear_connect_sources (self);
  g_clear_pointer (&self->conn, PQfinish);
  self->state = STATE_DISCONNECTED;
  self->flush_pending = FALSE;
}

static void
fail_connect (TandemPgConn *self,
              GError       *error)
{
  g_autoptr(GTask) task = g_steal_pointer (&self->connect_task);

  teardown (self);
  if (task != NULL)
    g_task_return_error (task, error);
  else
    g_error_free (error);

  /* Queries queued while connecting cannot run. */
  fail_all_queries (self, TANDEM_PG_ERROR_CONNECTION, "Could not connect to the database");
}

static void
notice_processor (void       *arg,
                  const char *message)
{
  g_autofree char *copy = g_strchomp (g_strdup (message));

  g_debug ("%s", copy);
}

static void
became_connected (TandemPgConn *self)
{
  g_autoptr(GTask) task = NULL;

  PQsetNoticeProcessor (self->conn, notice_processor, NULL);
  if (PQsetnonblocking (self->conn, 1) != 0)
    {
      fail_connect (self, connection_error (self->conn, "Cannot make the connection non-blocking"));
      return;
    }

  task = g_steal_pointer (&self->connect_task);
  clear_connect_sources (self);
  self->state = STATE_CONNECTED;
  update_watch (self);

  if (task != NULL)
    g_task_return_boolean (task, TRUE);

  dispatch (self);
}

static void
continue_connect (TandemPgConn *self)
{
  switch (PQconnectPoll (self->conn))
    {
    case PGRES_POLLING_READING:
      self->poll_status = PGRES_POLLING_READING;
      update_watch (self);
      break;

    case PGRES_POLLING_WRITING:
      self->poll_status = PGRES_POLLING_WRITING;
      update_watch (self);
      break;

    case PGRES_POLLING_OK:
      became_connected (self);
      break;

    case PGRES_POLLING_FAILED:
    case PGRES_POLLING_ACTIVE:
    default:
      fail_connect (self, connection_error (self->conn, "Could not connect to the database"));
      break;
    }
}

static void
complete_current (TandemPgConn *self)
{
  Query *query = g_steal_pointer (&self->current);

  query_complete (query, NULL);
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
          dispatch (self);
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
              update_watch (self);
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
  TandemPgConn *self = user_data;
  g_autoptr(TandemPgConn) hold = g_object_ref (self);

  if (self->state == STATE_CONNECTING)
    {
      continue_connect (self);
      return G_SOURCE_CONTINUE;
    }

  if (self->state != STATE_CONNECTED)
    return G_SOURCE_CONTINUE;

  if (self->flush_pending)
    {
      int r = PQflush (self->conn);

      if (r < 0)
        {
          handle_lost (self);
          return G_SOURCE_CONTINUE;
        }
      self->flush_pending = r == 1;
    }

  if ((condition & (G_IO_IN | G_IO_HUP | G_IO_ERR)) != 0)
    {
      if (!PQconsumeInput (self->conn))
        {
          handle_lost (self);
          return G_SOURCE_CONTINUE;
        }
      /* Reading may let libpq send more. */
      if (self->flush_pending)
        {
          int r = PQflush (self->conn);

          if (r < 0)
            {
              handle_lost (self);
              return G_SOURCE_CONTINUE;
            }
          self->flush_pending = r == 1;
        }
    }

  if (!drain_results (self))
    {
      if (self->state == STATE_CONNECTED)
        handle_lost (self);
      return G_SOURCE_CONTINUE;
    }

  /* A callback may have closed the connection. */
  if (self->state != STATE_CONNECTED)
    return G_SOURCE_CONTINUE;

  if (PQstatus (self->conn) == CONNECTION_BAD)
    {
      handle_lost (self);
      return G_SOURCE_CONTINUE;
    }

  update_watch (self);

  return G_SOURCE_CONTINUE;
}

/* Watches PQsocket for what libpq needs now; recreates the source when the
 * socket or the condition changed. */
static void
update_watch (TandemPgConn *self)
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

static void
handle_lost (TandemPgConn *self)
{
  g_autoptr(GError) error = connection_error (self->conn, "The connection to the database was lost");
  gboolean was_connected = self->state == STATE_CONNECTED;

  if (self->state == STATE_CONNECTING)
    {
      fail_connect (self, g_steal_pointer (&error));
      return;
    }

  g_debug ("connection lost: %s", error->message);
  teardown (self);
  fail_all_queries (self, TANDEM_PG_ERROR_CONNECTION, error->message);

  if (was_connected)
    g_signal_emit (self, signals[SIGNAL_LOST], 0);
}

static void
dispatch (TandemPgConn *self)
{
  while (self->current == NULL && self->state == STATE_CONNECTED)
    {
      Query *query = g_queue_pop_head (&self->queue);
      int r;

      if (query == NULL)
        return;

      if (g_task_return_error_if_cancelled (query->task))
        {
          query_free (query);
          continue;
        }

      if (query->cancel_source != NULL)
        {
          /* From now on the query runs to its end; see the top of the file. */
          g_source_destroy (query->cancel_source);
          g_clear_pointer (&query->cancel_source, g_source_unref);
        }

      if (!PQsendQueryParams (self->conn, query->sql, query->n_params, NULL,
                              (const char * const *) query->params, NULL, NULL, 0))
        {
          GError *error = connection_error (self->conn, "Could not send the query");

          if (PQstatus (self->conn) == CONNECTION_BAD)
            {
              self->current = query;
              g_error_free (error);
              handle_lost (self);
              return;
            }
          query_complete (query, error);
          continue;
        }

      self->current = query;

      r = PQflush (self->conn);
      if (r < 0)
        {
          handle_lost (self);
          return;
        }
      self->flush_pending = r == 1;
      update_watch (self);
    }
}

static gboolean
on_query_cancelled (GCancellable *cancellable,
                    gpointer      user_data)
{
  Query *query = user_data;
  TandemPgConn *self = query->self;

  /* Only queued queries have this source: take it out and fail it. */
  if (g_queue_remove (&self->queue, query))
    query_complete (query, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                                "Operation was cancelled"));
  return G_SOURCE_REMOVE;
}

static gboolean
on_connect_cancelled (GCancellable *cancellable,
                      gpointer      user_data)
{
  TandemPgConn *self = user_data;

  if (self->state == STATE_CONNECTING)
    fail_connect (self, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                             "Operation was cancelled"));
  return G_SOURCE_REMOVE;
}

static gboolean
on_connect_timeout (gpointer user_data)
{
  TandemPgConn *self = user_data;

  if (self->state == STATE_CONNECTING)
    fail_connect (self, g_error_new_literal (TANDEM_PG_ERROR, TANDEM_PG_ERROR_CONNECTION,
                                             "Timed out connecting to the database"));
  return G_SOURCE_REMOVE;
}

static guint
get_connect_timeout (PGconn *conn)
{
  PQconninfoOption *options = PQconninfo (conn);
  guint timeout = 0;

  if (options == NULL)
    return 0;
  for (PQconninfoOption *o = options; o->keyword != NULL; o++)
    if (strcmp (o->keyword, "connect_timeout") == 0 && o->val != NULL)
      {
        guint64 v;

        if (g_ascii_string_to_unsigned (o->val, 10, 0, G_MAXUINT / 1000, &v, NULL))
          timeout = (guint) v;
      }
  PQconninfoFree (options);
  return timeout;
}

/* Public API */

TandemPgConn *
tandem_pg_conn_new (const char *conninfo)
{
  g_return_val_if_fail (conninfo != NULL, NULL);

  return g_object_new (TANDEM_TYPE_PG_CONN, "conninfo", conninfo, NULL);
}

void
tandem_pg_conn_connect_async (TandemPgConn        *self,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  guint timeout;

  g_return_if_fail (TANDEM_IS_PG_CONN (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, tandem_pg_conn_connect_async);

  if (self->state == STATE_CONNECTED)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }
  if (self->state == STATE_CONNECTING)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_PENDING,
                               "Already connecting");
      return;
    }
  if (g_task_return_error_if_cancelled (task))
    return;

  self->conn = PQconnectStart (self->conninfo);
  if (self->conn == NULL || PQstatus (self->conn) == CONNECTION_BAD)
    {
      GError *error = connection_error (self->conn, "Could not connect to the database");

      g_clear_pointer (&self->conn, PQfinish);
      g_task_return_error (task, error);
      return;
    }

  self->state = STATE_CONNECTING;
  self->poll_status = PGRES_POLLING_WRITING;
  self->connect_task = g_steal_pointer (&task);

  if (cancellable != NULL)
    {
      self->connect_cancel_source = g_cancellable_source_new (cancellable);
      g_source_set_callback (self->connect_cancel_source, G_SOURCE_FUNC (on_connect_cancelled),
                             self, NULL);
      g_source_attach (self->connect_cancel_source, g_main_context_get_thread_default ());
    }

  timeout = get_connect_timeout (self->conn);
  if (timeout > 0)
    {
      self->connect_timeout_source = g_timeout_source_new_seconds (timeout);
      g_source_set_callback (self->connect_timeout_source, on_connect_timeout, self, NULL);
      g_source_attach (self->connect_timeout_source, g_main_context_get_thread_default ());
    }

  /* libpq's contract: after PQconnectStart, wait until the socket is
   * writable, then call PQconnectPoll. */
  update_watch (self);
}

gboolean
tandem_pg_conn_connect_finish (TandemPgConn  *self,
                               GAsyncResult  *result,
                               GError       **error)
{
  g_return_val_if_fail (TANDEM_IS_PG_CONN (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == tandem_pg_conn_connect_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

gboolean
tandem_pg_conn_connect_sync (TandemPgConn  *self,
                             GError       **error)
{
  g_return_val_if_fail (TANDEM_IS_PG_CONN (self), FALSE);

  if (self->state == STATE_CONNECTED)
    return TRUE;
  if (self->state == STATE_CONNECTING)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_PENDING, "Already connecting");
      return FALSE;
    }

  self->conn = PQconnectdb (self->conninfo);
  if (self->conn == NULL || PQstatus (self->conn) != CONNECTION_OK)
    {
      g_propagate_error (error, connection_error (self->conn, "Could not connect to the database"));
      g_clear_pointer (&self->conn, PQfinish);
      return FALSE;
    }

  self->state = STATE_CONNECTING;
  became_connected (self);
  if (self->state != STATE_CONNECTED)
    {
      g_set_error_literal (error, TANDEM_PG_ERROR, TANDEM_PG_ERROR_CONNECTION,
                           "Cannot make the connection non-blocking");
      return FALSE;
    }
  return TRUE;
}

void
tandem_pg_conn_query_async (TandemPgConn        *self,
                            const char          *sql,
                            const char * const  *params,
                            int                  n_params,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  Query *query;

  g_return_if_fail (TANDEM_IS_PG_CONN (self));
  g_return_if_fail (sql != NULL);
  g_return_if_fail (n_params >= 0);
  g_return_if_fail (n_params == 0 || params != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, tandem_pg_conn_query_async);

  if (self->state == STATE_DISCONNECTED)
    {
      g_task_return_new_error (task, TANDEM_PG_ERROR, TANDEM_PG_ERROR_CONNECTION,
                               "Not connected to the database");
      return;
    }
  if (g_task_return_error_if_cancelled (task))
    return;

  query = g_new0 (Query, 1);
  query->self = self;
  query->task = g_steal_pointer (&task);
  query->sql = g_strdup (sql);
  query->n_params = n_params;
  if (n_params > 0)
    {
      query->params = g_new0 (char *, n_params);
      for (int i = 0; i < n_params; i++)
        query->params[i] = g_strdup (params[i]);
    }

  if (cancellable != NULL)
    {
      query->cancel_source = g_cancellable_source_new (cancellable);
      g_source_set_callback (query->cancel_source, G_SOURCE_FUNC (on_query_cancelled), query, NULL);
      g_source_attach (query->cancel_source, g_main_context_get_thread_default ());
    }

  g_queue_push_tail (&self->queue, query);
  dispatch (self);
}

PGresult *
tandem_pg_conn_query_finish (TandemPgConn  *self,
                             GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (TANDEM_IS_PG_CONN (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == tandem_pg_conn_query_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

PGresult *
tandem_pg_conn_query_sync (TandemPgConn        *self,
                           const char          *sql,
                           const char * const  *params,
                           int                  n_params,
                           GError             **error)
{
  PGresult *result;

  g_return_val_if_fail (TANDEM_IS_PG_CONN (self), NULL);
  g_return_val_if_fail (sql != NULL, NULL);
  g_return_val_if_fail (n_params >= 0, NULL);
  g_return_val_if_fail (n_params == 0 || params != NULL, NULL);

  if (self->state != STATE_CONNECTED)
    {
      g_set_error_literal (error, TANDEM_PG_ERROR, TANDEM_PG_ERROR_CONNECTION,
                           "Not connected to the database");
      return NULL;
    }
  if (self->current != NULL || !g_queue_is_empty (&self->queue) || self->flush_pending)
    {
      g_set_error_literal (error, TANDEM_PG_ERROR, TANDEM_PG_ERROR_CONNECTION,
                           "Asynchronous queries are still running on this connection");
      return NULL;
    }

  /* PQexec* block whatever the non-blocking setting. */
  if (n_params == 0)
    result = PQexec (self->conn, sql);
  else
    result = PQexecParams (self->conn, sql, n_params, NULL, params, NULL, NULL, 0);

  if (result == NULL || PQstatus (self->conn) == CONNECTION_BAD)
    {
      GError *lost = NULL;

      if (result != NULL && PQresultStatus (result) == PGRES_FATAL_ERROR)
        lost = tandem_pg_error_new_from_result (result);
      else
        lost = connection_error (self->conn, "The connection to the database was lost");
      g_clear_pointer (&result, PQclear);
      g_propagate_error (error, lost);
      handle_lost (self);
      return NULL;
    }

  switch (PQresultStatus (result))
    {
    case PGRES_TUPLES_OK:
    case PGRES_COMMAND_OK:
    case PGRES_EMPTY_QUERY:
      return result;

    case PGRES_FATAL_ERROR:
      g_propagate_error (error, tandem_pg_error_new_from_result (result));
      PQclear (result);
      return NULL;

    default:
      g_set_error (error, TANDEM_PG_ERROR, TANDEM_PG_ERROR_SQL,
                   "Unsupported result status %s", PQresStatus (PQresultStatus (result)));
      PQclear (result);
      return NULL;
    }
}

gboolean
tandem_pg_conn_exec_sync (TandemPgConn  *self,
                          const char    *sql,
                          GError       **error)
{
  g_autoptr(PGresult) result = tandem_pg_conn_query_sync (self, sql, NULL, 0, error);

  return result != NULL;
}

gboolean
tandem_pg_conn_is_connected (TandemPgConn *self)
{
  g_return_val_if_fail (TANDEM_IS_PG_CONN (self), FALSE);

  return self->state == STATE_CONNECTED;
}

void
tandem_pg_conn_close (TandemPgConn *self)
{
  g_autoptr(GTask) connect_task = NULL;

  g_return_if_fail (TANDEM_IS_PG_CONN (self));

  connect_task = g_steal_pointer (&self->connect_task);
  teardown (self);

  if (connect_task != NULL)
    g_task_return_new_error (connect_task, TANDEM_PG_ERROR, TANDEM_PG_ERROR_CLOSED,
                             "The connection was closed");
  fail_all_queries (self, TANDEM_PG_ERROR_CLOSED, "The connection was closed");
}

const char *
tandem_pg_conn_get_conninfo (TandemPgConn *self)
{
  g_return_val_if_fail (TANDEM_IS_PG_CONN (self), NULL);

  return self->conninfo;
}

guint
tandem_pg_conn_get_n_pending (TandemPgConn *self)
{
  g_return_val_if_fail (TANDEM_IS_PG_CONN (self), 0);

  return g_queue_get_length (&self->queue) + (self->current != NULL ? 1 : 0);
}

/* GObject */

static void
tandem_pg_conn_dispose (GObject *object)
{
  TandemPgConn *self = TANDEM_PG_CONN (object);

  tandem_pg_conn_close (self);

  G_OBJECT_CLASS (tandem_pg_conn_parent_class)->dispose (object);
}

static void
tandem_pg_conn_finalize (GObject *object)
{
  TandemPgConn *self = TANDEM_PG_CONN (object);

  g_assert (self->watch == NULL);
  g_assert (self->connect_cancel_source == NULL);
  g_assert (self->connect_timeout_source == NULL);
  g_assert (self->current == NULL);
  g_assert (g_queue_is_empty (&self->queue));
  g_free (self->conninfo);

  G_OBJECT_CLASS (tandem_pg_conn_parent_class)->finalize (object);
}

static void
tandem_pg_conn_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  TandemPgConn *self = TANDEM_PG_CONN (object);

  switch (prop_id)
    {
    case PROP_CONNINFO:
      g_value_set_string (value, self->conninfo);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tandem_pg_conn_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  TandemPgConn *self = TANDEM_PG_CONN (object);

  switch (prop_id)
    {
    case PROP_CONNINFO:
      g_free (self->conninfo);
      self->conninfo = g_value_dup_string (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tandem_pg_conn_class_init (TandemPgConnClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = tandem_pg_conn_dispose;
  object_class->finalize = tandem_pg_conn_finalize;
  object_class->get_property = tandem_pg_conn_get_property;
  object_class->set_property = tandem_pg_conn_set_property;

  properties[PROP_CONNINFO] =
    g_param_spec_string ("conninfo", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * TandemPgConn::lost:
   *
   * The connection broke; queued queries failed with
   * %TANDEM_PG_ERROR_CONNECTION. Connect again to reuse the object.
   */
  signals[SIGNAL_LOST] =
    g_signal_new ("lost", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
tandem_pg_conn_init (TandemPgConn *self)
{
  self->watch_fd = -1;
  g_queue_init (&self->queue);
}
