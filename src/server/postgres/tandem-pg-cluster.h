/* tandem-pg-cluster.h: a private PostgreSQL cluster run as a child process
 *
 * Used by tandem-server for `--data DIR` and by the test fixtures for a
 * throwaway cluster. Creates the cluster with initdb when missing, configures
 * it for logical decoding with wal2json, starts `postgres` directly as a child
 * (as the unprivileged `postgres` user when running as root, since PostgreSQL
 * refuses root), and stops it on request or when this process dies.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define TANDEM_PG_CLUSTER_ERROR (tandem_pg_cluster_error_quark ())

typedef enum
{
  TANDEM_PG_CLUSTER_ERROR_NO_BINARIES,  /* initdb/postgres not found */
  TANDEM_PG_CLUSTER_ERROR_NO_WAL2JSON,  /* wal2json.so not installed */
  TANDEM_PG_CLUSTER_ERROR_INITDB,       /* initdb failed (message has its output) */
  TANDEM_PG_CLUSTER_ERROR_START,        /* postgres exited or did not accept connections in time */
  TANDEM_PG_CLUSTER_ERROR_PERMISSION,   /* running as root and no `postgres` user / cannot chown */
} TandemPgClusterError;

#define TANDEM_TYPE_PG_CLUSTER (tandem_pg_cluster_get_type ())
G_DECLARE_FINAL_TYPE (TandemPgCluster, tandem_pg_cluster, TANDEM, PG_CLUSTER, GObject)

GQuark           tandem_pg_cluster_error_quark       (void) G_GNUC_CONST;

/* Finds PostgreSQL's server binaries: `pg_config --bindir` when it holds
 * initdb and postgres, else Debian's /usr/lib/postgresql/<N>/bin (newest N). */
char            *tandem_pg_find_bindir               (GError          **error);

/* @pgdata: the cluster's data directory (created if missing).
 * @socket_dir: directory for the Unix socket (created if missing).
 * @port: TCP port on 127.0.0.1, or 0 for Unix socket only (the socket file
 * still uses a port number: 5432 in that case). */
TandemPgCluster *tandem_pg_cluster_new               (const char       *pgdata,
                                                      const char       *socket_dir,
                                                      guint             port);

/* fsync (default on). Off trades crash safety for speed: only for
 * throwaway clusters (tests). Takes effect at the next ensure_initialized()
 * and start. Also turns full_page_writes off and skips initdb's sync. */
void             tandem_pg_cluster_set_fsync         (TandemPgCluster *self,
                                                      gboolean         fsync);
gboolean         tandem_pg_cluster_get_fsync         (TandemPgCluster *self);

/* The file PostgreSQL's stdout and stderr are appended to:
 * <pgdata>/tandem-postgres.log. */
char            *tandem_pg_cluster_dup_log_path      (TandemPgCluster *self);

/* Runs initdb if @pgdata has no PG_VERSION, then (always) rewrites the
 * settings Tandem depends on: wal_level=logical, max_replication_slots,
 * max_wal_senders, output_plugin_libraries including wal2json,
 * listen_addresses/port/unix_socket_directories, and trust authentication
 * on the socket and 127.0.0.1 only. Sync: it is a one-off start-up step. */
gboolean         tandem_pg_cluster_ensure_initialized (TandemPgCluster *self,
                                                      GError          **error);

/* Starts the postmaster as a child and waits (main context iterated, at most
 * 60 s) until it accepts connections. Calls ensure_initialized() first if it
 * has not run yet. Call it from the thread that will outlive the postmaster
 * (normally the main thread): the child gets SIGINT when that thread ends. */
void             tandem_pg_cluster_start_async       (TandemPgCluster    *self,
                                                      GCancellable       *cancellable,
                                                      GAsyncReadyCallback callback,
                                                      gpointer            user_data);
gboolean         tandem_pg_cluster_start_finish      (TandemPgCluster    *self,
                                                      GAsyncResult       *result,
                                                      GError            **error);
/* Blocking convenience for tools and tests. */
gboolean         tandem_pg_cluster_start_sync        (TandemPgCluster    *self,
                                                      GError            **error);

/* Fast shutdown (SIGINT), waiting at most 15 s, then SIGQUIT. Safe to call
 * when not running. Blocks. */
void             tandem_pg_cluster_stop              (TandemPgCluster    *self);

/* SIGKILL to the postmaster (tests of crash recovery). "exited" follows:
 * kill() blocks until the postmaster is reaped and its orphaned children are
 * gone (so a new start can attach the shared memory), then emits "exited"
 * before returning. */
void             tandem_pg_cluster_kill              (TandemPgCluster    *self);

gboolean         tandem_pg_cluster_get_running       (TandemPgCluster    *self);
/* The postmaster's process id while running, else 0. */
GPid             tandem_pg_cluster_get_pid           (TandemPgCluster    *self);
const char      *tandem_pg_cluster_get_pgdata        (TandemPgCluster    *self);
const char      *tandem_pg_cluster_get_socket_dir    (TandemPgCluster    *self);
guint            tandem_pg_cluster_get_port          (TandemPgCluster    *self);

/* libpq keyword/value conninfo for user postgres on @dbname (NULL:
 * "postgres") over the Unix socket. */
char            *tandem_pg_cluster_dup_conninfo      (TandemPgCluster    *self,
                                                      const char         *dbname);
/* postgresql://postgres@127.0.0.1:<port>/<dbname> when TCP is on, else the
 * URL form with ?host=<socket_dir>. */
char            *tandem_pg_cluster_dup_url           (TandemPgCluster    *self,
                                                      const char         *dbname);

/* Signals:
 *   "exited" (int wait_status): the postmaster exited without stop() being
 *   called (crash, SIGKILL, OOM). The owner decides whether to restart. */

G_END_DECLS
