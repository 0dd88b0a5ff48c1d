/* tandem-pg-cluster-process.c: running the postmaster
 *
 * Lifecycle of one postmaster run:
 *   spawn_postmaster() → self->proc set, an ExitWatch waits for it on the
 *   start context → readiness polled with PQping → start task completes.
 * The process ends in one of three ways:
 *   - stop(): SIGINT, waited for synchronously on a private context; no signal.
 *   - kill(): SIGKILL, waited for likewise; "exited" emitted before returning.
 *   - by itself: the ExitWatch callback clears self->proc and emits "exited"
 *     (or, during start-up, fails or retries the start).
 * A watch whose process is no longer self->proc is stale and does nothing.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <libpq-fe.h>

#include "tandem-pg-cluster-private.h"

#define START_TIMEOUT_S     60
#define STOP_TIMEOUT_S      15
#define QUIT_TIMEOUT_S      10
#define ORPHAN_TIMEOUT_S    10
#define POLL_INTERVAL_MS    50
#define SHM_RETRY_DELAY_MS  200
#define LOG_TAIL_BYTES      4096

typedef struct
{
  GWeakRef     cluster;
  GSubprocess *proc;
} ExitWatch;

static gboolean spawn_postmaster (TandemPgCluster *self,
                                  GError         **error);

char *
_tandem_pg_describe_wait_status (int wait_status)
{
  if (WIFEXITED (wait_status))
    return g_strdup_printf ("exit code %d", WEXITSTATUS (wait_status));
  if (WIFSIGNALED (wait_status))
    return g_strdup_printf ("signal %d, %s", WTERMSIG (wait_status),
                            g_strsignal (WTERMSIG (wait_status)));
  return g_strdup_printf ("wait status %d", wait_status);
}

/* The log written since the current start (at most LOG_TAIL_BYTES, from a
 * line start), or a note that there is none. */
static char *
read_log_tail (TandemPgCluster *self)
{
  g_autofree char *path = tandem_pg_cluster_dup_log_path (self);
  g_autofree char *buf = NULL;
  struct stat st;
  goffset from;
  ssize_t n;
  char *text;
  int fd;

  fd = open (path, O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return g_strdup_printf ("(no log at %s)", path);
  if (fstat (fd, &st) != 0 || st.st_size <= self->log_offset)
    {
      close (fd);
      return g_strdup_printf ("(nothing in %s)", path);
    }

  from = MAX (self->log_offset, (goffset) st.st_size - LOG_TAIL_BYTES);
  buf = g_malloc0 (st.st_size - from + 1);
  n = pread (fd, buf, st.st_size - from, from);
  close (fd);
  if (n <= 0)
    return g_strdup_printf ("(could not read %s)", path);
  buf[n] = '\0';

  text = buf;
  if (from > self->log_offset)
    {
      char *nl = strchr (text, '\n');
      if (nl != NULL)
        text = nl + 1;
    }
  g_strchomp (text);

  return g_strdup_printf ("%s (%s):\n%s", "PostgreSQL's log", path, text);
}

/* /proc/<pid>/stat: state and parent of @pid; FALSE when it is gone. */
static gboolean
read_proc_stat (pid_t  pid,
                char  *state,
                pid_t *ppid)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/stat", (int) pid);
  g_autofree char *contents = NULL;
  const char *p;
  int parent = 0;

  if (!g_file_get_contents (path, &contents, NULL, NULL))
    return FALSE;
  /* "pid (comm) S ppid …": comm may contain anything, so look for the last ')'. */
  p = strrchr (contents, ')');
  if (p == NULL || sscanf (p + 1, " %c %d", state, &parent) != 2)
    return FALSE;
  if (ppid != NULL)
    *ppid = parent;

  return TRUE;
}

static gboolean
process_alive (pid_t pid)
{
  char state = 0;

  if (!read_proc_stat (pid, &state, NULL))
    return FALSE;
  /* A zombie has released everything, its shared memory included. */
  return state != 'Z' && state != 'X';
}

static GArray *
list_children (pid_t parent)
{
  GArray *children = g_array_new (FALSE, FALSE, sizeof (pid_t));
  g_autoptr(GDir) dir = g_dir_open ("/proc", 0, NULL);
  const char *name;

  if (dir == NULL)
    return children;

  while ((name = g_dir_read_name (dir)) != NULL)
    {
      guint64 pid;
      pid_t ppid = 0;
      char state;

      if (!g_ascii_string_to_unsigned (name, 10, 1, G_MAXINT, &pid, NULL))
        continue;
      if (read_proc_stat ((pid_t) pid, &state, &ppid) && ppid == parent)
        {
          pid_t child = (pid_t) pid;
          g_array_append_val (children, child);
        }
    }

  return children;
}

static void
wait_processes_gone (GArray *pids,
                     guint   timeout_s)
{
  gint64 deadline = g_get_monotonic_time () + timeout_s * G_USEC_PER_SEC;

  for (guint i = 0; i < pids->len; i++)
    {
      pid_t pid = g_array_index (pids, pid_t, i);

      while (process_alive (pid))
        {
          if (g_get_monotonic_time () > deadline)
            {
              g_warning ("PostgreSQL process %d still running %u s after its postmaster died",
                         (int) pid, timeout_s);
              return;
            }
          g_usleep (10 * 1000);
        }
    }
}

/* ------------------------------------------------------------------------ */
/* Waiting for the postmaster synchronously, on a private main context so
 * that nothing else is dispatched meanwhile.                                */

typedef struct
{
  GMainContext *context;
  gboolean      done;
} SyncWait;

static void
sync_wait_done_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  SyncWait *wait = user_data;

  g_subprocess_wait_finish (G_SUBPROCESS (source), result, NULL);
  wait->done = TRUE;
}

static void
sync_wait_begin (SyncWait    *wait,
                 GSubprocess *proc)
{
  wait->context = g_main_context_new ();
  wait->done = FALSE;
  g_main_context_push_thread_default (wait->context);
  g_subprocess_wait_async (proc, NULL, sync_wait_done_cb, wait);
  g_main_context_pop_thread_default (wait->context);
}

static gboolean
timeout_reached_cb (gpointer user_data)
{
  gboolean *reached = user_data;

  *reached = TRUE;
  return G_SOURCE_REMOVE;
}

/* Iterates until the process has exited or @timeout_s passed (0: no bound). */
static gboolean
sync_wait_until (SyncWait *wait,
                 guint     timeout_s)
{
  gboolean reached = FALSE;
  GSource *timeout = NULL;

  if (timeout_s > 0)
    {
      timeout = g_timeout_source_new_seconds (timeout_s);
      g_source_set_callback (timeout, timeout_reached_cb, &reached, NULL);
      g_source_attach (timeout, wait->context);
    }

  while (!wait->done && !reached)
    g_main_context_iteration (wait->context, TRUE);

  if (timeout != NULL)
    {
      g_source_destroy (timeout);
      g_source_unref (timeout);
    }

  return wait->done;
}

static void
sync_wait_end (SyncWait *wait)
{
  /* The callback must have run before @wait goes away. */
  while (!wait->done)
    g_main_context_iteration (wait->context, TRUE);
  g_clear_pointer (&wait->context, g_main_context_unref);
}

/* ------------------------------------------------------------------------ */
/* Ending a run                                                              */

/* Completes the pending start: @error (transfer full) or success. */
static void
start_complete (TandemPgCluster *self,
                GError          *error)
{
  GTask *task = g_steal_pointer (&self->start_task);

  g_return_if_fail (task != NULL);

  if (self->poll_source != NULL)
    {
      g_source_destroy (self->poll_source);
      g_clear_pointer (&self->poll_source, g_source_unref);
    }
  if (self->retry_source != NULL)
    {
      g_source_destroy (self->retry_source);
      g_clear_pointer (&self->retry_source, g_source_unref);
    }
  g_clear_pointer (&self->start_context, g_main_context_unref);

  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
  g_object_unref (task);
}

/* SIGINT (fast shutdown), then SIGQUIT (immediate), then SIGKILL. */
void
_tandem_pg_cluster_shutdown (TandemPgCluster *self)
{
  g_autoptr(GSubprocess) proc = g_object_ref (self->proc);
  SyncWait wait;

  sync_wait_begin (&wait, proc);
  g_subprocess_send_signal (proc, SIGINT);
  if (!sync_wait_until (&wait, STOP_TIMEOUT_S))
    {
      g_warning ("PostgreSQL did not shut down within %d s; sending SIGQUIT", STOP_TIMEOUT_S);
      g_subprocess_send_signal (proc, SIGQUIT);
      if (!sync_wait_until (&wait, QUIT_TIMEOUT_S))
        {
          g_warning ("PostgreSQL ignored SIGQUIT for %d s; killing it", QUIT_TIMEOUT_S);
          g_subprocess_force_exit (proc);
          sync_wait_until (&wait, 0);
        }
    }
  sync_wait_end (&wait);

  /* Only now: a watch that fires later sees a process that is not ours. */
  _tandem_pg_cluster_set_proc (self, NULL);
}

static gboolean
retry_start_cb (gpointer user_data)
{
  TandemPgCluster *self = user_data;
  GError *error = NULL;

  g_clear_pointer (&self->retry_source, g_source_unref);
  if (!spawn_postmaster (self, &error))
    start_complete (self, error);

  return G_SOURCE_REMOVE;
}

/* The postmaster exited while we waited for it to accept connections. */
static void
start_handle_exit (TandemPgCluster *self,
                   int              wait_status)
{
  g_autofree char *tail = read_log_tail (self);
  g_autofree char *how = _tandem_pg_describe_wait_status (wait_status);

  /* After a crash, the old postmaster's children can keep its shared memory
   * attached for a moment; PostgreSQL refuses to start until they are gone. */
  if (strstr (tail, "pre-existing shared memory block") != NULL &&
      g_get_monotonic_time () + SHM_RETRY_DELAY_MS * 1000 < self->start_deadline)
    {
      self->shm_retries++;
      g_debug ("PostgreSQL's previous processes still hold shared memory; retrying (%u)",
               self->shm_retries);
      self->retry_source = g_timeout_source_new (SHM_RETRY_DELAY_MS);
      g_source_set_callback (self->retry_source, retry_start_cb, self, NULL);
      g_source_attach (self->retry_source, self->start_context);
      return;
    }

  start_complete (self,
                  g_error_new (TANDEM_PG_CLUSTER_ERROR, TANDEM_PG_CLUSTER_ERROR_START,
                               "PostgreSQL exited during start-up (%s). %s", how, tail));
}

static void
exit_watch_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  ExitWatch *watch = user_data;
  g_autoptr(TandemPgCluster) self = g_weak_ref_get (&watch->cluster);
  GSubprocess *proc = G_SUBPROCESS (source);

  g_subprocess_wait_finish (proc, result, NULL);

  if (self != NULL && self->proc == proc)
    {
      int wait_status = g_subprocess_get_status (proc);

      _tandem_pg_cluster_set_proc (self, NULL);
      if (self->start_task != NULL)
        {
          start_handle_exit (self, wait_status);
        }
      else
        {
          g_autofree char *how = _tandem_pg_describe_wait_status (wait_status);

          g_debug ("PostgreSQL exited unexpectedly (%s)", how);
          _tandem_pg_cluster_emit_exited (self, wait_status);
        }
    }

  g_weak_ref_clear (&watch->cluster);
  g_object_unref (watch->proc);
  g_free (watch);
}

/* ------------------------------------------------------------------------ */
/* Starting                                                                  */

static gboolean
spawn_postmaster (TandemPgCluster *self,
                  GError         **error)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *log_path = tandem_pg_cluster_dup_log_path (self);
  g_autofree char *postgres = g_build_filename (self->bindir, "postgres", NULL);
  g_autofree char *stamp = g_date_time_format_iso8601 (now);
  g_autofree char *banner = NULL;
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GError) local_error = NULL;
  ChildSetup setup;
  ExitWatch *watch;
  struct stat st;
  int log_fd, err_fd;

  log_fd = open (log_path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
  if (log_fd < 0)
    {
      int saved_errno = errno;
      g_set_error (error, TANDEM_PG_CLUSTER_ERROR, TANDEM_PG_CLUSTER_ERROR_START,
                   "Cannot open PostgreSQL's log %s: %s", log_path, g_strerror (saved_errno));
      return FALSE;
    }
  if (self->as_postgres && fchown (log_fd, self->pg_uid, self->pg_gid) != 0)
    g_debug ("Cannot hand %s to the postgres user: %s", log_path, g_strerror (errno));

  banner = g_strdup_printf ("---- %s tandem: starting %s -D %s\n", stamp, postgres, self->pgdata);
  if (write (log_fd, banner, strlen (banner)) < 0)
    g_debug ("Cannot write to %s: %s", log_path, g_strerror (errno));
  self->log_offset = fstat (log_fd, &st) == 0 ? st.st_size : 0;

  err_fd = fcntl (log_fd, F_DUPFD_CLOEXEC, 3);
  if (err_fd < 0)
    {
      int saved_errno = errno;
      close (log_fd);
      g_set_error (error, TANDEM_PG_CLUSTER_ERROR, TANDEM_PG_CLUSTER_ERROR_START,
                   "Cannot duplicate a file descriptor: %s", g_strerror (saved_errno));
      return FALSE;
    }

  launcher = _tandem_pg_cluster_launcher_new (self, G_SUBPROCESS_FLAGS_NONE, &setup, SIGINT);
  g_subprocess_launcher_take_stdout_fd (launcher, log_fd);
  g_subprocess_launcher_take_stderr_fd (launcher, err_fd);

  proc = g_subprocess_launcher_spawn (launcher, &local_error, postgres, "-D", self->pgdata, NULL);
  if (proc == NULL)
    {
      g_set_error (error, TANDEM_PG_CLUSTER_ERROR, TANDEM_PG_CLUSTER_ERROR_START,
                   "Cannot run %s: %s", postgres, local_error->message);
      return FALSE;
    }

  g_debug ("Started PostgreSQL (pid %s) on %s", g_subprocess_get_identifier (proc), self->pgdata);

  _tandem_pg_cluster_set_proc (self, proc);

  watch = g_new0 (ExitWatch, 1);
  g_weak_ref_init (&watch->cluster, self);
  watch->proc = g_object_ref (proc);
  g_main_context_push_thread_default (self->start_context);
  g_subprocess_wait_async (proc, NULL, exit_watch_cb, watch);
  g_main_context_pop_thread_default (self->start_context);

  return TRUE;
}

static gboolean
start_poll_cb (gpointer user_data)
{
  TandemPgCluster *self = user_data;
  GCancellable *cancellable = g_task_get_cancellable (self->start_task);
  g_autofree char *conninfo = NULL;
  g_autofree char *ping_conninfo = NULL;
  GError *error = NULL;

  if (cancellable != NULL && g_cancellable_is_cancelled (cancellable))
    {
      if (self->proc != NULL)
        _tandem_pg_cluster_shutdown (self);
      g_cancellable_set_error_if_cancelled (cancellable, &error);
      start_complete (self, error);
      return G_SOURCE_REMOVE;
    }

  /* Between a failed attempt and its retry. */
  if (self->proc == NULL)
    return G_SOURCE_CONTINUE;

  conninfo = tandem_pg_cluster_dup_conninfo (self, NULL);
  ping_conninfo = g_strconcat (conninfo, " connect_timeout=5", NULL);
  switch (PQping (ping_conninfo))
    {
    case PQPING_OK:
      g_debug ("PostgreSQL accepts connections on %s", self->socket_dir);
      start_complete (self, NULL);
      return G_SOURCE_REMOVE;

    case PQPING_NO_ATTEMPT:
      _tandem_pg_cluster_shutdown (self);
      start_complete (self, g_error_new (TANDEM_PG_CLUSTER_ERROR, TANDEM_PG_CLUSTER_ERROR_START,
                                         "libpq refused the connection parameters “%s”",
                                         ping_conninfo));
      return G_SOURCE_REMOVE;

    case PQPING_REJECT:
    case PQPING_NO_RESPONSE:
    default:
      break;
    }

  if (g_get_monotonic_time () > self->start_deadline)
    {
      g_autofree char *tail = read_log_tail (self);

      _tandem_pg_cluster_shutdown (self);
      start_complete (self, g_error_new (TANDEM_PG_CLUSTER_ERROR, TANDEM_PG_CLUSTER_ERROR_START,
                                         "PostgreSQL did not accept connections within %d s. %s",
                                         START_TIMEOUT_S, tail));
      return G_SOURCE_REMOVE;
    }

  return G_SOURCE_CONTINUE;
}

void
tandem_pg_cluster_start_async (TandemPgCluster    *self,
                               GCancellable       *cancellable,
                               GAsyncReadyCallback callback,
                               gpointer            user_data)
{
  g_autoptr(GTask) task = NULL;
  GError *error = NULL;

  g_return_if_fail (TANDEM_IS_PG_CLUSTER (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, tandem_pg_cluster_start_async);

  if (self->start_task != NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_PENDING,
                               "PostgreSQL is already starting");
      return;
    }
  if (self->proc != NULL)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }
  if (g_task_return_error_if_cancelled (task))
    return;
  if (!self->initialized && !tandem_pg_cluster_ensure_initialized (self, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  self->start_task = g_steal_pointer (&task);
  self->start_context = g_main_context_ref_thread_default ();
  self->start_deadline = g_get_monotonic_time () + START_TIMEOUT_S * G_USEC_PER_SEC;
  self->shm_retries = 0;

  if (!spawn_postmaster (self, &error))
    {
      start_complete (self, error);
      return;
    }

  self->poll_source = g_timeout_source_new (POLL_INTERVAL_MS);
  g_source_set_callback (self->poll_source, start_poll_cb, self, NULL);
  g_source_attach (self->poll_source, self->start_context);
}

gboolean
tandem_pg_cluster_start_finish (TandemPgCluster *self,
                                GAsyncResult    *result,
                                GError         **error)
{
  g_return_val_if_fail (TANDEM_IS_PG_CLUSTER (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == tandem_pg_cluster_start_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
start_sync_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

gboolean
tandem_pg_cluster_start_sync (TandemPgCluster *self,
                              GError         **error)
{
  g_autoptr(GMainContext) context = g_main_context_ref_thread_default ();
  g_autoptr(GAsyncResult) result = NULL;

  g_return_val_if_fail (TANDEM_IS_PG_CLUSTER (self), FALSE);

  /* The thread-default context, not a private one: the exit watch stays
   * attached to it after we return, so "exited" reaches the caller. */
  tandem_pg_cluster_start_async (self, NULL, start_sync_cb, &result);
  while (result == NULL)
    g_main_context_iteration (context, TRUE);

  return tandem_pg_cluster_start_finish (self, result, error);
}

void
tandem_pg_cluster_stop (TandemPgCluster *self)
{
  g_return_if_fail (TANDEM_IS_PG_CLUSTER (self));

  if (self->proc != NULL)
    {
      g_debug ("Stopping PostgreSQL (pid %s)", g_subprocess_get_identifier (self->proc));
      _tandem_pg_cluster_shutdown (self);
    }

  if (self->start_task != NULL)
    start_complete (self, g_error_new (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                       "PostgreSQL was stopped during start-up"));
}

void
tandem_pg_cluster_kill (TandemPgCluster *self)
{
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GArray) children = NULL;
  const char *ident;
  SyncWait wait;
  int wait_status;

  g_return_if_fail (TANDEM_IS_PG_CLUSTER (self));

  if (self->proc == NULL)
    return;

  proc = g_object_ref (self->proc);
  ident = g_subprocess_get_identifier (proc);
  children = ident != NULL ? list_children ((pid_t) atoi (ident)) : g_array_new (FALSE, FALSE, sizeof (pid_t));

  sync_wait_begin (&wait, proc);
  g_subprocess_force_exit (proc);
  sync_wait_until (&wait, 0);
  sync_wait_end (&wait);

  /* They notice the postmaster's death and exit; until they have, a new
   * postmaster cannot start on this data directory. */
  wait_processes_gone (children, ORPHAN_TIMEOUT_S);

  wait_status = g_subprocess_get_status (proc);
  _tandem_pg_cluster_set_proc (self, NULL);

  if (self->start_task != NULL)
    start_complete (self, g_error_new (TANDEM_PG_CLUSTER_ERROR, TANDEM_PG_CLUSTER_ERROR_START,
                                       "PostgreSQL was killed during start-up"));
  else
    _tandem_pg_cluster_emit_exited (self, wait_status);
}
