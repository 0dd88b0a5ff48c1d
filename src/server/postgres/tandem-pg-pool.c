/* tandem-pg-pool.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "tandem-pg-pool.h"

struct _TandemPgPool
{
  GObject  parent_instance;

  char    *conninfo;
  guint    max_size;
  GQueue   idle;      /* TandemPgConn, connected */
  GQueue   waiting;   /* GTask */
  guint    n_busy;    /* lent out or connecting */
  gboolean closed;
};

G_DEFINE_FINAL_TYPE (TandemPgPool, tandem_pg_pool, G_TYPE_OBJECT)

static void
tandem_pg_pool_dispose (GObject *object)
{
  tandem_pg_pool_close (TANDEM_PG_POOL (object));

  G_OBJECT_CLASS (tandem_pg_pool_parent_class)->dispose (object);
}

static void
tandem_pg_pool_finalize (GObject *object)
{
  TandemPgPool *self = (TandemPgPool *) object;

  g_free (self->conninfo);

  G_OBJECT_CLASS (tandem_pg_pool_parent_class)->finalize (object);
}

static void
tandem_pg_pool_class_init (TandemPgPoolClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = tandem_pg_pool_dispose;
  object_class->finalize = tandem_pg_pool_finalize;
}

static void
tandem_pg_pool_init (TandemPgPool *self)
{
  g_queue_init (&self->idle);
  g_queue_init (&self->waiting);
}

TandemPgPool *
tandem_pg_pool_new (const char *conninfo,
                    guint       max_size)
{
  TandemPgPool *self = g_object_new (TANDEM_TYPE_PG_POOL, NULL);

  self->conninfo = g_strdup (conninfo);
  self->max_size = MAX (1, max_size);
  return self;
}

guint
tandem_pg_pool_get_n_idle (TandemPgPool *self)
{
  return self->idle.length;
}

guint
tandem_pg_pool_get_n_busy (TandemPgPool *self)
{
  return self->n_busy;
}

static void dispatch (TandemPgPool *self);

static void
connected_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  TandemPgPool *self = g_task_get_source_object (task);
  g_autoptr(TandemPgConn) conn = TANDEM_PG_CONN (g_object_ref (source));
  GError *error = NULL;

  if (!tandem_pg_conn_connect_finish (conn, result, &error))
    {
      self->n_busy--;
      g_task_return_error (task, error);
      dispatch (self);
      return;
    }
  g_task_return_pointer (task, g_steal_pointer (&conn), g_object_unref);
}

/* Hands idle connections to waiters, and opens new ones while under the cap. */
static void
dispatch (TandemPgPool *self)
{
  while (self->waiting.length > 0)
    {
      GTask *task;

      /* Drop idle connections that broke while resting. */
      while (self->idle.length > 0 && !tandem_pg_conn_is_connected (g_queue_peek_head (&self->idle)))
        g_object_unref (g_queue_pop_head (&self->idle));

      if (self->idle.length > 0)
        {
          task = g_queue_pop_head (&self->waiting);
          self->n_busy++;
          g_task_return_pointer (task, g_queue_pop_head (&self->idle), g_object_unref);
          g_object_unref (task);
        }
      else if (self->n_busy < self->max_size)
        {
          TandemPgConn *conn = tandem_pg_conn_new (self->conninfo);

          task = g_queue_pop_head (&self->waiting);
          self->n_busy++;
          tandem_pg_conn_connect_async (conn, g_task_get_cancellable (task), connected_cb, task);
          g_object_unref (conn);
        }
      else
        break;
    }
}

void
tandem_pg_pool_acquire_async (TandemPgPool        *self,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, tandem_pg_pool_acquire_async);
  if (self->closed)
    {
      g_task_return_new_error (task, TANDEM_PG_ERROR, TANDEM_PG_ERROR_CLOSED, "The connection pool is closed");
      g_object_unref (task);
      return;
    }
  g_queue_push_tail (&self->waiting, task);
  dispatch (self);
}

TandemPgConn *
tandem_pg_pool_acquire_finish (TandemPgPool  *self,
                               GAsyncResult  *result,
                               GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

void
tandem_pg_pool_release (TandemPgPool *self,
                        TandemPgConn *conn)
{
  g_return_if_fail (self->n_busy > 0);

  self->n_busy--;
  if (self->closed || !tandem_pg_conn_is_connected (conn))
    g_object_unref (conn);
  else
    g_queue_push_tail (&self->idle, conn);
  dispatch (self);
}

void
tandem_pg_pool_close (TandemPgPool *self)
{
  GTask *task;

  self->closed = TRUE;
  while ((task = g_queue_pop_head (&self->waiting)) != NULL)
    {
      g_task_return_new_error (task, TANDEM_PG_ERROR, TANDEM_PG_ERROR_CLOSED, "The connection pool is closed");
      g_object_unref (task);
    }
  g_queue_clear_full (&self->idle, g_object_unref);
}
