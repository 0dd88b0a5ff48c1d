/* tandem-auth-op.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tandem-auth"

#include "config.h"

#include "tandem-auth-errors.h"
#include "tandem-auth-op.h"

struct _TandemAuthOp
{
  TandemPgPool     *pool;
  TandemPgConn     *conn;
  GTask            *task;
  TandemAuthOpStep  next;
  gboolean          catch_errors;
  gboolean          in_transaction;
  GError           *error;          /* kept while rolling back */
  gpointer          data;
  GDestroyNotify    destroy;
};

TandemAuthOp *
tandem_auth_op_new (TandemPgPool        *pool,
                    gpointer             source_tag,
                    GAsyncReadyCallback  callback,
                    gpointer             user_data)
{
  TandemAuthOp *op = g_new0 (TandemAuthOp, 1);

  op->pool = g_object_ref (pool);
  op->task = g_task_new (NULL, NULL, callback, user_data);
  g_task_set_source_tag (op->task, source_tag);
  return op;
}

void
tandem_auth_op_set_data (TandemAuthOp   *op,
                         gpointer        data,
                         GDestroyNotify  destroy)
{
  g_assert (op->data == NULL);
  op->data = data;
  op->destroy = destroy;
}

gpointer
tandem_auth_op_get_data (TandemAuthOp *op)
{
  return op->data;
}

static void
op_free (TandemAuthOp *op)
{
  g_assert (op->conn == NULL);
  if (op->destroy != NULL)
    op->destroy (op->data);
  g_clear_error (&op->error);
  g_object_unref (op->task);
  g_object_unref (op->pool);
  g_free (op);
}

static void
release_connection (TandemAuthOp *op)
{
  if (op->conn != NULL)
    tandem_pg_pool_release (op->pool, g_steal_pointer (&op->conn));
  op->in_transaction = FALSE;
}

static void
rolled_back_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  TandemAuthOp *op = user_data;
  g_autoptr(PGresult) pg_result = NULL;
  g_autoptr(GError) error = NULL;

  pg_result = tandem_pg_conn_query_finish (TANDEM_PG_CONN (source), result, &error);
  if (pg_result == NULL)
    g_debug ("rollback failed: %s", error->message);
  release_connection (op);
  g_task_return_error (op->task, g_steal_pointer (&op->error));
  op_free (op);
}

void
tandem_auth_op_fail (TandemAuthOp *op,
                     GError       *error)
{
  g_assert (error != NULL);

  if (op->in_transaction && op->conn != NULL && tandem_pg_conn_is_connected (op->conn))
    {
      op->error = error;
      op->in_transaction = FALSE;
      tandem_pg_conn_query_async (op->conn, "ROLLBACK", NULL, 0, NULL, rolled_back_cb, op);
      return;
    }
  release_connection (op);
  g_task_return_error (op->task, error);
  op_free (op);
}

void
tandem_auth_op_return (TandemAuthOp   *op,
                       gpointer        result,
                       GDestroyNotify  destroy)
{
  g_assert (!op->in_transaction);

  release_connection (op);
  g_task_return_pointer (op->task, result, destroy);
  op_free (op);
}

gpointer
tandem_auth_op_finish (GAsyncResult  *result,
                       gpointer       source_tag,
                       GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == source_tag, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
acquired_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  TandemAuthOp *op = user_data;
  GError *error = NULL;

  op->conn = tandem_pg_pool_acquire_finish (TANDEM_PG_POOL (source), result, &error);
  if (op->conn == NULL)
    {
      tandem_auth_op_fail (op, tandem_auth_error_internal (error, "Database error: no connection"));
      g_error_free (error);
      return;
    }
  op->next (op, NULL, NULL);
}

void
tandem_auth_op_start (TandemAuthOp     *op,
                      TandemAuthOpStep  first)
{
  op->next = first;
  tandem_pg_pool_acquire_async (op->pool, NULL, acquired_cb, op);
}

static void
query_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  TandemAuthOp *op = user_data;
  g_autoptr(PGresult) pg_result = NULL;
  g_autoptr(GError) error = NULL;

  pg_result = tandem_pg_conn_query_finish (TANDEM_PG_CONN (source), result, &error);
  if (pg_result == NULL && !op->catch_errors)
    {
      tandem_auth_op_fail (op, tandem_auth_error_internal (error, "Database error"));
      return;
    }
  op->next (op, pg_result, error);
}

static void
run (TandemAuthOp       *op,
     const char         *sql,
     const char * const *params,
     int                 n_params,
     TandemAuthOpStep    next,
     gboolean            catch_errors)
{
  g_assert (op->conn != NULL);

  op->next = next;
  op->catch_errors = catch_errors;
  tandem_pg_conn_query_async (op->conn, sql, params, n_params, NULL, query_cb, op);
}

void
tandem_auth_op_query (TandemAuthOp       *op,
                      const char         *sql,
                      const char * const *params,
                      int                 n_params,
                      TandemAuthOpStep    next)
{
  run (op, sql, params, n_params, next, FALSE);
}

void
tandem_auth_op_query_catch (TandemAuthOp       *op,
                            const char         *sql,
                            const char * const *params,
                            int                 n_params,
                            TandemAuthOpStep    next)
{
  run (op, sql, params, n_params, next, TRUE);
}

void
tandem_auth_op_begin (TandemAuthOp     *op,
                      TandemAuthOpStep  next)
{
  op->in_transaction = TRUE;
  run (op, "BEGIN", NULL, 0, next, FALSE);
}

void
tandem_auth_op_commit (TandemAuthOp     *op,
                       TandemAuthOpStep  next)
{
  run (op, "COMMIT", NULL, 0, next, FALSE);
  /* A failed COMMIT has already ended the transaction. */
  op->in_transaction = FALSE;
}
