/* tandem-pg-cluster.c: a private PostgreSQL cluster run as a child process
 *
 * The GObject: properties, the "exited" signal, accessors and the connection
 * strings. Creating and configuring the cluster is in
 * tandem-pg-cluster-setup.c, running the postmaster in
 * tandem-pg-cluster-process.c, and what running as root takes in
 * tandem-pg-cluster-privileges.c; tandem-pg-cluster-private.h holds what
 * they share.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <stdlib.h>

#include "tandem-pg-cluster-private.h"

#define LOG_NAME            "tandem-postgres.log"

G_DEFINE_FINAL_TYPE (TandemPgCluster, tandem_pg_cluster, G_TYPE_OBJECT)

G_DEFINE_QUARK (tandem-pg-cluster-error-quark, tandem_pg_cluster_error)

enum {
  PROP_0,
  PROP_PGDATA,
  PROP_SOCKET_DIR,
  PROP_PORT,
  PROP_FSYNC,
  PROP_RUNNING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  EXITED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* Sets or clears the running postmaster. */
void
_tandem_pg_cluster_set_proc (TandemPgCluster *self,
                             GSubprocess     *proc)
{
  if (!g_set_object (&self->proc, proc))
    return;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);
}

void
_tandem_pg_cluster_emit_exited (TandemPgCluster *self,
                                int              wait_status)
{
  g_signal_emit (self, signals[EXITED], 0, wait_status);
}

/* A value for a libpq keyword/value conninfo. */
static void
append_conninfo_value (GString    *out,
                       const char *value)
{
  g_string_append_c (out, '\'');
  for (const char *p = value; *p; p++)
    {
      if (*p == '\'' || *p == '\\')
        g_string_append_c (out, '\\');
      g_string_append_c (out, *p);
    }
  g_string_append_c (out, '\'');
}

/* ------------------------------------------------------------------------ */
/* Accessors                                                                 */

gboolean
tandem_pg_cluster_get_running (TandemPgCluster *self)
{
  g_return_val_if_fail (TANDEM_IS_PG_CLUSTER (self), FALSE);

  return self->proc != NULL;
}

GPid
tandem_pg_cluster_get_pid (TandemPgCluster *self)
{
  const char *ident;

  g_return_val_if_fail (TANDEM_IS_PG_CLUSTER (self), 0);

  if (self->proc == NULL || (ident = g_subprocess_get_identifier (self->proc)) == NULL)
    return 0;
  return (GPid) atoi (ident);
}

const char *
tandem_pg_cluster_get_pgdata (TandemPgCluster *self)
{
  g_return_val_if_fail (TANDEM_IS_PG_CLUSTER (self), NULL);

  return self->pgdata;
}

const char *
tandem_pg_cluster_get_socket_dir (TandemPgCluster *self)
{
  g_return_val_if_fail (TANDEM_IS_PG_CLUSTER (self), NULL);

  return self->socket_dir;
}

guint
tandem_pg_cluster_get_port (TandemPgCluster *self)
{
  g_return_val_if_fail (TANDEM_IS_PG_CLUSTER (self), 0);

  return self->port;
}

gboolean
tandem_pg_cluster_get_fsync (TandemPgCluster *self)
{
  g_return_val_if_fail (TANDEM_IS_PG_CLUSTER (self), TRUE);

  return self->fsync;
}

void
tandem_pg_cluster_set_fsync (TandemPgCluster *self,
                             gboolean         fsync)
{
  g_return_if_fail (TANDEM_IS_PG_CLUSTER (self));

  fsync = !!fsync;
  if (self->fsync == fsync)
    return;
  self->fsync = fsync;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FSYNC]);
}

char *
tandem_pg_cluster_dup_log_path (TandemPgCluster *self)
{
  g_return_val_if_fail (TANDEM_IS_PG_CLUSTER (self), NULL);

  return g_build_filename (self->pgdata, LOG_NAME, NULL);
}

char *
tandem_pg_cluster_dup_conninfo (TandemPgCluster *self,
                                const char      *dbname)
{
  GString *out = g_string_new ("host=");

  g_return_val_if_fail (TANDEM_IS_PG_CLUSTER (self), NULL);

  append_conninfo_value (out, self->socket_dir);
  g_string_append_printf (out, " port=%u user=" POSTGRES_USER " dbname=", socket_port (self));
  append_conninfo_value (out, dbname != NULL ? dbname : "postgres");

  return g_string_free (out, FALSE);
}

char *
tandem_pg_cluster_dup_url (TandemPgCluster *self,
                           const char      *dbname)
{
  g_autofree char *db = NULL;
  g_autofree char *host = NULL;

  g_return_val_if_fail (TANDEM_IS_PG_CLUSTER (self), NULL);

  db = g_uri_escape_string (dbname != NULL ? dbname : "postgres", NULL, FALSE);
  if (self->port != 0)
    return g_strdup_printf ("postgresql://" POSTGRES_USER "@127.0.0.1:%u/%s", self->port, db);

  host = g_uri_escape_string (self->socket_dir, NULL, FALSE);
  return g_strdup_printf ("postgresql://" POSTGRES_USER "@/%s?host=%s", db, host);
}

TandemPgCluster *
tandem_pg_cluster_new (const char *pgdata,
                       const char *socket_dir,
                       guint       port)
{
  g_return_val_if_fail (pgdata != NULL, NULL);
  g_return_val_if_fail (socket_dir != NULL, NULL);
  g_return_val_if_fail (port <= G_MAXUINT16, NULL);

  return g_object_new (TANDEM_TYPE_PG_CLUSTER,
                       "pgdata", pgdata,
                       "socket-dir", socket_dir,
                       "port", port,
                       NULL);
}

/* ------------------------------------------------------------------------ */
/* GObject                                                                   */

static void
tandem_pg_cluster_dispose (GObject *object)
{
  TandemPgCluster *self = TANDEM_PG_CLUSTER (object);

  /* A pending start holds a reference, so there is none here. */
  g_assert (self->start_task == NULL);

  if (self->proc != NULL)
    _tandem_pg_cluster_shutdown (self);

  G_OBJECT_CLASS (tandem_pg_cluster_parent_class)->dispose (object);
}

static void
tandem_pg_cluster_finalize (GObject *object)
{
  TandemPgCluster *self = TANDEM_PG_CLUSTER (object);

  g_assert (self->poll_source == NULL);
  g_assert (self->retry_source == NULL);

  g_free (self->pgdata);
  g_free (self->socket_dir);
  g_free (self->bindir);

  G_OBJECT_CLASS (tandem_pg_cluster_parent_class)->finalize (object);
}

static void
tandem_pg_cluster_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  TandemPgCluster *self = TANDEM_PG_CLUSTER (object);

  switch (prop_id)
    {
    case PROP_PGDATA:
      g_value_set_string (value, self->pgdata);
      break;
    case PROP_SOCKET_DIR:
      g_value_set_string (value, self->socket_dir);
      break;
    case PROP_PORT:
      g_value_set_uint (value, self->port);
      break;
    case PROP_FSYNC:
      g_value_set_boolean (value, self->fsync);
      break;
    case PROP_RUNNING:
      g_value_set_boolean (value, tandem_pg_cluster_get_running (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tandem_pg_cluster_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  TandemPgCluster *self = TANDEM_PG_CLUSTER (object);

  switch (prop_id)
    {
    case PROP_PGDATA:
      /* Absolute: the children run in "/". */
      self->pgdata = g_canonicalize_filename (g_value_get_string (value), NULL);
      break;
    case PROP_SOCKET_DIR:
      self->socket_dir = g_canonicalize_filename (g_value_get_string (value), NULL);
      break;
    case PROP_PORT:
      self->port = g_value_get_uint (value);
      break;
    case PROP_FSYNC:
      tandem_pg_cluster_set_fsync (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tandem_pg_cluster_class_init (TandemPgClusterClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = tandem_pg_cluster_dispose;
  object_class->finalize = tandem_pg_cluster_finalize;
  object_class->get_property = tandem_pg_cluster_get_property;
  object_class->set_property = tandem_pg_cluster_set_property;

  properties[PROP_PGDATA] =
    g_param_spec_string ("pgdata", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SOCKET_DIR] =
    g_param_spec_string ("socket-dir", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PORT] =
    g_param_spec_uint ("port", NULL, NULL, 0, G_MAXUINT16, 0,
                       G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_FSYNC] =
    g_param_spec_boolean ("fsync", NULL, NULL, TRUE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_RUNNING] =
    g_param_spec_boolean ("running", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * TandemPgCluster::exited:
   * @wait_status: as from waitpid()
   *
   * The postmaster exited without stop() being called.
   */
  signals[EXITED] =
    g_signal_new ("exited",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_INT);
}

static void
tandem_pg_cluster_init (TandemPgCluster *self)
{
  self->fsync = TRUE;
}
