/* tandem-pg-conn.c: one asynchronous libpq connection on the main context
 *
 * The GObject, its public API and the query queue: queries wait in a FIFO
 * and one is in flight. tandem-pg-conn-socket.c drives libpq on the socket,
 * tandem-pg-conn-error.c is the TANDEM_PG_ERROR domain, and
 * tandem-pg-conn-private.h holds what they share.
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

#include <string.h>

#include "tandem-pg-conn-private.h"

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

/* The query queue */

void
_tandem_pg_query_free (Query *query)
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
void
_tandem_pg_query_complete (Query  *query,
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

  _tandem_pg_query_free (query);
}

void
_tandem_pg_conn_fail_all_queries (TandemPgConn *self,
                                  int           code,
                                  const char   *message)
{
  Query *query;

  if (self->current != NULL)
    {
      query = g_steal_pointer (&self->current);
      _tandem_pg_query_complete (query, g_error_new_literal (TANDEM_PG_ERROR, code, message));
    }

  while ((query = g_queue_pop_head (&self->queue)) != NULL)
    _tandem_pg_query_complete (query, g_error_new_literal (TANDEM_PG_ERROR, code, message));
}

void
_tandem_pg_conn_emit_lost (TandemPgConn *self)
{
  g_signal_emit (self, signals[SIGNAL_LOST], 0);
}

static gboolean
on_query_cancelled (GCancellable *cancellable,
                    gpointer      user_data)
{
  Query *query = user_data;
  TandemPgConn *self = query->self;

  /* Only queued queries have this source: take it out and fail it. */
  if (g_queue_remove (&self->queue, query))
    _tandem_pg_query_complete (query, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                                           "Operation was cancelled"));
  return G_SOURCE_REMOVE;
}

static gboolean
on_connect_cancelled (GCancellable *cancellable,
                      gpointer      user_data)
{
  TandemPgConn *self = user_data;

  if (self->state == STATE_CONNECTING)
    _tandem_pg_conn_fail_connect (self, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                                             "Operation was cancelled"));
  return G_SOURCE_REMOVE;
}

static gboolean
on_connect_timeout (gpointer user_data)
{
  TandemPgConn *self = user_data;

  if (self->state == STATE_CONNECTING)
    _tandem_pg_conn_fail_connect (self, g_error_new_literal (TANDEM_PG_ERROR, TANDEM_PG_ERROR_CONNECTION,
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
      GError *error = _tandem_pg_error_new_connection (self->conn, "Could not connect to the database");

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
  _tandem_pg_conn_update_watch (self);
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
      g_propagate_error (error, _tandem_pg_error_new_connection (self->conn, "Could not connect to the database"));
      g_clear_pointer (&self->conn, PQfinish);
      return FALSE;
    }

  self->state = STATE_CONNECTING;
  _tandem_pg_conn_became_connected (self);
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
  _tandem_pg_conn_dispatch (self);
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
        lost = _tandem_pg_error_new_connection (self->conn, "The connection to the database was lost");
      g_clear_pointer (&result, PQclear);
      g_propagate_error (error, lost);
      _tandem_pg_conn_handle_lost (self);
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
  _tandem_pg_conn_teardown (self);

  if (connect_task != NULL)
    g_task_return_new_error (connect_task, TANDEM_PG_ERROR, TANDEM_PG_ERROR_CLOSED,
                             "The connection was closed");
  _tandem_pg_conn_fail_all_queries (self, TANDEM_PG_ERROR_CLOSED, "The connection was closed");
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
