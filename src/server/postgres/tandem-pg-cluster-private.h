/* tandem-pg-cluster-private.h: what the files of TandemPgCluster share
 *
 * TandemPgCluster is one class split over several files:
 *   tandem-pg-cluster.c             the GObject, accessors, connection strings
 *   tandem-pg-cluster-setup.c       finding PostgreSQL, initdb, the settings
 *   tandem-pg-cluster-process.c     running the postmaster: start, readiness,
 *                                   stop, kill, unexpected exits
 *   tandem-pg-cluster-privileges.c  running as root: the `postgres` user,
 *                                   the children's setup, directory owners
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <sys/types.h>

#include "tandem-pg-cluster.h"

G_BEGIN_DECLS

#define MAX_GROUPS          64
#define SOCKET_ONLY_PORT    5432
#define POSTGRES_USER       "postgres"

/* What the forked child does before exec: drop to the `postgres` user when
 * we are root, then ask for a signal when its parent dies. Only
 * async-signal-safe calls: everything is looked up before the fork. */
typedef struct
{
  gboolean switch_user;
  uid_t    uid;
  gid_t    gid;
  int      n_groups;
  gid_t    groups[MAX_GROUPS];
  int      death_signal;
  pid_t    parent;
} ChildSetup;

struct _TandemPgCluster
{
  GObject       parent_instance;

  char         *pgdata;
  char         *socket_dir;
  guint         port;
  gboolean      fsync;

  /* Found once by ensure_initialized(). */
  char         *bindir;
  gboolean      probed;
  gboolean      has_output_plugin_libraries;
  gboolean      initialized;

  /* Running as root: children run as `postgres`. */
  gboolean      as_postgres;
  uid_t         pg_uid;
  gid_t         pg_gid;
  int           n_groups;
  gid_t         groups[MAX_GROUPS];

  GSubprocess  *proc;

  /* A pending start. */
  GTask        *start_task;
  GMainContext *start_context;
  GSource      *poll_source;
  GSource      *retry_source;
  gint64        start_deadline;
  goffset       log_offset;
  guint         shm_retries;
};

static inline guint
socket_port (TandemPgCluster *self)
{
  return self->port != 0 ? self->port : SOCKET_ONLY_PORT;
}

/* tandem-pg-cluster.c */
void                 _tandem_pg_cluster_set_proc         (TandemPgCluster  *self,
                                                          GSubprocess      *proc);
void                 _tandem_pg_cluster_emit_exited      (TandemPgCluster  *self,
                                                          int               wait_status);

/* tandem-pg-cluster-process.c */
char                *_tandem_pg_describe_wait_status     (int               wait_status);
void                 _tandem_pg_cluster_shutdown         (TandemPgCluster  *self);

/* tandem-pg-cluster-privileges.c */
GSubprocessLauncher *_tandem_pg_cluster_launcher_new     (TandemPgCluster  *self,
                                                          GSubprocessFlags  flags,
                                                          ChildSetup       *setup,
                                                          int               death_signal);
gboolean             _tandem_pg_cluster_prepare_dirs     (TandemPgCluster  *self,
                                                          GError          **error);
gboolean             _tandem_pg_cluster_give_to_postgres (TandemPgCluster  *self,
                                                          const char       *path,
                                                          GError          **error);

G_END_DECLS
