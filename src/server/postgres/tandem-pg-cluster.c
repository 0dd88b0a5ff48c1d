/* tandem-pg-cluster.c: a private PostgreSQL cluster run as a child process
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

#include "tandem-pg-cluster.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <libpq-fe.h>

#define START_TIMEOUT_S     60
#define STOP_TIMEOUT_S      15
#define QUIT_TIMEOUT_S      10
#define ORPHAN_TIMEOUT_S    10
#define POLL_INTERVAL_MS    50
#define SHM_RETRY_DELAY_MS  200
#define LOG_TAIL_BYTES      4096
#define MAX_GROUPS          64
#define SOCKET_ONLY_PORT    5432

#define LOG_NAME            "tandem-postgres.log"
#define CONF_NAME           "tandem.conf"
#define INCLUDE_LINE        "include_if_exists = '" CONF_NAME "'"
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

typedef struct
{
  GWeakRef     cluster;
  GSubprocess *proc;
} ExitWatch;

static gboolean spawn_postmaster (TandemPgCluster *self,
                                  GError         **error);

/* ------------------------------------------------------------------------ */
/* Small helpers                                                             */

static void
child_setup_func (gpointer data)
{
  const ChildSetup *setup = data;

  if (setup->switch_user)
    {
      if (setgroups (setup->n_groups, setup->groups) != 0 ||
          setgid (setup->gid) != 0 ||
          setuid (setup->uid) != 0)
        {
          static const char msg[] = "tandem: could not switch to the postgres user\n";
          if (write (STDERR_FILENO, msg, sizeof msg - 1) < 0)
            {
              /* Nothing left to report it to. */
            }
          _exit (127);
        }
    }

  /* After setuid(): changing credentials clears the death signal. */
  if (setup->death_signal != 0)
    {
      prctl (PR_SET_PDEATHSIG, setup->death_signal);
      if (getppid () != setup->parent)
        _exit (127);
    }
}

static void
child_setup_init (TandemPgCluster *self,
                  ChildSetup      *setup,
                  int              death_signal)
{
  memset (setup, 0, sizeof *setup);
  setup->switch_user = self->as_postgres;
  setup->uid = self->pg_uid;
  setup->gid = self->pg_gid;
  setup->n_groups = self->n_groups;
  memcpy (setup->groups, self->groups, sizeof setup->groups);
  setup->death_signal = death_signal;
  setup->parent = getpid ();
}

static GSubprocessLauncher *
launcher_new (TandemPgCluster  *self,
              GSubprocessFlags  flags,
              ChildSetup       *setup,
              int               death_signal)
{
  GSubprocessLauncher *launcher = g_subprocess_launcher_new (flags);

  child_setup_init (self, setup, death_signal);
  /* The `postgres` user may not be allowed into our working directory. */
  g_subprocess_launcher_set_cwd (launcher, "/");
  g_subprocess_launcher_set_child_setup (launcher, child_setup_func, setup, NULL);

  return launcher;
}

/* Runs @argv (as ourselves) and returns its stdout, or NULL. */
static char *
run_capture (const char * const *argv,
             GError            **error)
{
  g_autofree char *out = NULL;
  int wait_status = 0;

  if (!g_spawn_sync (NULL, (char **) argv, NULL,
                     G_SPAWN_STDERR_TO_DEV_NULL | G_SPAWN_CLOEXEC_PIPES,
                     NULL, NULL, &out, NULL, &wait_status, error))
    return NULL;
  if (!g_spawn_check_wait_status (wait_status, error))
    return NULL;

  return g_steal_pointer (&out);
}

static char *
describe_wait_status (int wait_status)
{
  if (WIFEXITED (wait_status))
    return g_strdup_printf ("exit code %d", WEXITSTATUS (wait_status));
  if (WIFSIGNALED (wait_status))
    return g_strdup_printf ("signal %d, %s", WTERMSIG (wait_status),
                            g_strsignal (WTERMSIG (wait_status)));
  return g_strdup_printf ("wait status %d", wait_status);
}

/* A value for postgresql.conf: single-quoted, quotes doubled, backslashes
 * escaped (the file's string syntax processes them). */
static void
append_conf_string (GString    *out,
                    const char *value)
{
  g_string_append_c (out, '\'');
  for (const char *p = value; *p; p++)
    {
      if (*p == '\'')
        g_string_append (out, "''");
      else if (*p == '\\')
        g_string_append (out, "\\\\");
      else
        g_string_append_c (out, *p);
    }
  g_string_append_c (out, '\'');
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

static guint
socket_port (TandemPgCluster *self)
{
  return self->port != 0 ? self->port : SOCKET_ONLY_PORT;
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

static void
clear_proc (TandemPgCluster *self)
{
  if (self->proc == NULL)
    return;
  g_clear_object (&self->proc);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);
}

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
static void
shutdown_postmaster (TandemPgCluster *self)
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
  clear_proc (self);
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
  g_autofree char *how = describe_wait_status (wait_status);

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

      clear_proc (self);
      if (self->start_task != NULL)
        {
          start_handle_exit (self, wait_status);
        }
      else
        {
          g_autofree char *how = describe_wait_status (wait_status);

          g_debug ("PostgreSQL exited unexpectedly (%s)", how);
          g_signal_emit (self, signals[EXITED], 0, wait_status);
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

  launcher = launcher_new (self, G_SUBPROCESS_FLAGS_NONE, &setup, SIGINT);
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

  self->proc = g_object_ref (proc);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);

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
        shutdown_postmaster (self);
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
      shutdown_postmaster (self);
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

      shutdown_postmaster (self);
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
      shutdown_postmaster (self);
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
  clear_proc (self);

  if (self->start_task != NULL)
    start_complete (self, g_error_new (TANDEM_PG_CLUSTER_ERROR, TANDEM_PG_CLUSTER_ERROR_START,
                                       "PostgreSQL was killed during start-up"));
  else
    g_signal_emit (self, signals[EXITED], 0, wait_status);
}

/* ------------------------------------------------------------------------ */
/* Finding PostgreSQL                                                        */

static gboolean
has_server_binaries (const char *bindir)
{
  g_autofree char *initdb = g_build_filename (bindir, "initdb", NULL);
  g_autofree char *postgres = g_build_filename (bindir, "postgres", NULL);

  return g_file_test (initdb, G_FILE_TEST_IS_EXECUTABLE) &&
         g_file_test (postgres, G_FILE_TEST_IS_EXECUTABLE);
}

char *
tandem_pg_find_bindir (GError **error)
{
  g_autofree char *pg_config = g_find_program_in_path ("pg_config");
  g_autofree char *from_pg_config = NULL;
  g_autofree char *best = NULL;
  g_autoptr(GDir) dir = NULL;
  double best_version = -1;
  const char *name;

  if (pg_config != NULL)
    {
      const char *argv[] = { pg_config, "--bindir", NULL };

      from_pg_config = run_capture (argv, NULL);
      if (from_pg_config != NULL)
        {
          g_strstrip (from_pg_config);
          if (has_server_binaries (from_pg_config))
            return g_steal_pointer (&from_pg_config);
        }
    }

  /* Debian and Ubuntu: /usr/lib/postgresql/<major>/bin, newest first. */
  dir = g_dir_open ("/usr/lib/postgresql", 0, NULL);
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *candidate = g_build_filename ("/usr/lib/postgresql", name, "bin", NULL);
      char *end = NULL;
      double version = g_ascii_strtod (name, &end);

      if (end == name || *end != '\0' || version <= best_version)
        continue;
      if (!has_server_binaries (candidate))
        continue;
      best_version = version;
      g_free (best);
      best = g_steal_pointer (&candidate);
    }
  if (best != NULL)
    return g_steal_pointer (&best);

  g_set_error (error, TANDEM_PG_CLUSTER_ERROR, TANDEM_PG_CLUSTER_ERROR_NO_BINARIES,
               "PostgreSQL's server programs (initdb, postgres) were not found: "
               "looked in %s%s%s and /usr/lib/postgresql/*/bin. "
               "On Debian and Ubuntu, install the package postgresql-15.",
               from_pg_config != NULL ? from_pg_config : "`pg_config --bindir`",
               from_pg_config != NULL ? " (from pg_config)" : "",
               pg_config == NULL ? " (pg_config is not in PATH)" : "");
  return NULL;
}

/* "15" from `postgres --version` ("postgres (PostgreSQL) 15.20 (Debian …)"). */
static char *
query_major_version (const char *bindir)
{
  g_autofree char *postgres = g_build_filename (bindir, "postgres", NULL);
  const char *argv[] = { postgres, "--version", NULL };
  g_autofree char *out = run_capture (argv, NULL);
  const char *p;
  gsize len;

  if (out == NULL || (p = strchr (out, ')')) == NULL)
    return NULL;
  p++;
  while (*p == ' ')
    p++;
  len = strspn (p, "0123456789");
  if (len == 0)
    return NULL;

  return g_strndup (p, len);
}

static gboolean
check_wal2json (const char *bindir,
                GError    **error)
{
  g_autoptr(GPtrArray) dirs = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *pg_config = g_build_filename (bindir, "pg_config", NULL);
  g_autofree char *major = NULL;
  g_autofree char *looked = NULL;

  if (g_file_test (pg_config, G_FILE_TEST_IS_EXECUTABLE))
    {
      const char *argv[] = { pg_config, "--pkglibdir", NULL };
      char *pkglibdir = run_capture (argv, NULL);

      if (pkglibdir != NULL)
        g_ptr_array_add (dirs, g_strstrip (pkglibdir));
    }
  g_ptr_array_add (dirs, g_canonicalize_filename ("../lib", bindir));
  g_ptr_array_add (dirs, NULL);

  for (guint i = 0; dirs->pdata[i] != NULL; i++)
    {
      g_autofree char *so = g_build_filename (dirs->pdata[i], "wal2json.so", NULL);

      if (g_file_test (so, G_FILE_TEST_EXISTS))
        return TRUE;
    }

  major = query_major_version (bindir);
  looked = g_strjoinv (" and ", (char **) dirs->pdata);
  g_set_error (error, TANDEM_PG_CLUSTER_ERROR, TANDEM_PG_CLUSTER_ERROR_NO_WAL2JSON,
               "The wal2json output plugin is not installed for PostgreSQL %s "
               "(no wal2json.so in %s). On Debian and Ubuntu, install the package "
               "postgresql-%s-wal2json.",
               major != NULL ? major : "", looked, major != NULL ? major : "<version>");
  return FALSE;
}

/* Whether this build knows output_plugin_libraries (a Debian security
 * update added it to 15.x; upstream has no such setting). */
static void
probe_settings (TandemPgCluster *self)
{
  g_autofree char *postgres = g_build_filename (self->bindir, "postgres", NULL);
  const char *argv[] = { postgres, "--describe-config", NULL };
  g_autoptr(GError) error = NULL;
  g_autofree char *out = run_capture (argv, &error);
  g_auto(GStrv) lines = NULL;

  self->has_output_plugin_libraries = FALSE;
  if (out == NULL)
    {
      g_debug ("postgres --describe-config failed (%s); assuming no output_plugin_libraries",
               error->message);
      return;
    }

  lines = g_strsplit (out, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      if (g_str_has_prefix (lines[i], "output_plugin_libraries\t"))
        {
          self->has_output_plugin_libraries = TRUE;
          break;
        }
    }
}

/* ------------------------------------------------------------------------ */
/* Preparing the directories                                                 */

static gboolean
resolve_user (TandemPgCluster *self,
              GError         **error)
{
  struct passwd pw, *found = NULL;
  char buf[4096];
  int n_groups = MAX_GROUPS;

  self->as_postgres = FALSE;
  if (geteuid () != 0)
    return TRUE;

  if (getpwnam_r (POSTGRES_USER, &pw, buf, sizeof buf, &found) != 0 || found == NULL)
    {
      g_set_error (error, TANDEM_PG_CLUSTER_ERROR, TANDEM_PG_CLUSTER_ERROR_PERMISSION,
                   "PostgreSQL refuses to run as root, and there is no “%s” user to run it as. "
                   "Install PostgreSQL's server package (it creates that user), "
                   "or run Tandem as an ordinary user.", POSTGRES_USER);
      return FALSE;
    }

  self->pg_uid = pw.pw_uid;
  self->pg_gid = pw.pw_gid;
  if (getgrouplist (pw.pw_name, pw.pw_gid, self->groups, &n_groups) < 0)
    n_groups = MAX_GROUPS;  /* The first MAX_GROUPS are enough for PostgreSQL. */
  self->n_groups = n_groups;
  self->as_postgres = TRUE;

  return TRUE;
}

static gboolean
dir_is_empty (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);

  return dir != NULL && g_dir_read_name (dir) == NULL;
}

/* Creates @path (parents 0755, itself @mode) and, when we are root, hands it
 * to the postgres user: always for the data directory, otherwise only when
 * it is new or empty (never someone's shared directory). */
static gboolean
prepare_dir (TandemPgCluster *self,
             const char      *path,
             int              mode,
             gboolean         always_chown,
             GError         **error)
{
  gboolean created = FALSE;
  struct stat st;

  if (!g_file_test (path, G_FILE_TEST_IS_DIR))
    {
      g_autofree char *parent = g_path_get_dirname (path);

      if (g_mkdir_with_parents (parent, 0755) != 0 ||
          (g_mkdir (path, mode) != 0 && errno != EEXIST))
        {
          int saved_errno = errno;
          g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                       "Cannot create the directory %s: %s", path, g_strerror (saved_errno));
          return FALSE;
        }
      created = TRUE;
    }

  if (!self->as_postgres || !(always_chown || created || dir_is_empty (path)))
    return TRUE;

  if (g_stat (path, &st) == 0 && st.st_uid == self->pg_uid && st.st_gid == self->pg_gid)
    return TRUE;
  if (chown (path, self->pg_uid, self->pg_gid) != 0)
    {
      int saved_errno = errno;
      g_set_error (error, TANDEM_PG_CLUSTER_ERROR, TANDEM_PG_CLUSTER_ERROR_PERMISSION,
                   "Cannot give %s to the “%s” user: %s", path, POSTGRES_USER,
                   g_strerror (saved_errno));
      return FALSE;
    }

  return TRUE;
}

static void
add_with_ancestors (GPtrArray  *paths,
                    const char *path)
{
  g_auto(GStrv) parts = g_strsplit (path, "/", -1);
  g_autoptr(GString) prefix = g_string_new ("");

  g_ptr_array_add (paths, g_strdup ("/"));
  for (guint i = 0; parts[i] != NULL; i++)
    {
      if (*parts[i] == '\0')
        continue;
      g_string_append_c (prefix, '/');
      g_string_append (prefix, parts[i]);
      g_ptr_array_add (paths, g_strdup (prefix->str));
    }
}

/* As the postgres user, enters every directory on the way to the data and
 * socket directories, so a private parent (e.g. /root, 0700) gives a clear
 * error instead of a cryptic one from initdb. */
static gboolean
check_reachable (TandemPgCluster *self,
                 GError         **error)
{
  static const char script[] =
    "for d do cd -- \"$d\" 2>/dev/null || { printf '%s' \"$d\"; exit 1; }; done";
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *blocked = NULL;
  ChildSetup setup;
  struct stat st;
  struct passwd pw, *owner = NULL;
  char buf[4096];

  g_ptr_array_add (argv, g_strdup ("/bin/sh"));
  g_ptr_array_add (argv, g_strdup ("-c"));
  g_ptr_array_add (argv, g_strdup (script));
  g_ptr_array_add (argv, g_strdup ("tandem-check-dirs"));
  add_with_ancestors (argv, self->pgdata);
  add_with_ancestors (argv, self->socket_dir);
  g_ptr_array_add (argv, NULL);

  launcher = launcher_new (self, G_SUBPROCESS_FLAGS_STDOUT_PIPE, &setup, SIGKILL);
  proc = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, error);
  if (proc == NULL || !g_subprocess_communicate_utf8 (proc, NULL, NULL, &blocked, NULL, error))
    return FALSE;
  if (g_subprocess_get_if_exited (proc) && g_subprocess_get_exit_status (proc) == 0)
    return TRUE;

  if (blocked == NULL || *blocked == '\0' || g_stat (blocked, &st) != 0)
    {
      g_set_error (error, TANDEM_PG_CLUSTER_ERROR, TANDEM_PG_CLUSTER_ERROR_PERMISSION,
                   "PostgreSQL refuses to run as root, so Tandem runs it as the “%s” user, "
                   "which cannot reach %s or %s.", POSTGRES_USER, self->pgdata, self->socket_dir);
      return FALSE;
    }

  getpwuid_r (st.st_uid, &pw, buf, sizeof buf, &owner);
  g_set_error (error, TANDEM_PG_CLUSTER_ERROR, TANDEM_PG_CLUSTER_ERROR_PERMISSION,
               "PostgreSQL refuses to run as root, so Tandem runs it as the “%s” user, "
               "which cannot enter %s (owner %s, mode %04o) on the way to %s. "
               "Choose a directory that user can reach (e.g. under /var/lib or /tmp), "
               "or let it through with `chmod o+x %s`.",
               POSTGRES_USER, blocked, owner != NULL ? owner->pw_name : "?",
               (unsigned) (st.st_mode & 07777),
               g_str_has_prefix (self->pgdata, blocked) ? self->pgdata : self->socket_dir,
               blocked);
  return FALSE;
}

/* ------------------------------------------------------------------------ */
/* initdb and the configuration                                              */

static gboolean
run_initdb (TandemPgCluster *self,
            GError         **error)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *output = NULL;
  g_autoptr(GError) local_error = NULL;
  ChildSetup setup;

  g_ptr_array_add (argv, g_build_filename (self->bindir, "initdb", NULL));
  g_ptr_array_add (argv, g_strdup ("-D"));
  g_ptr_array_add (argv, g_strdup (self->pgdata));
  g_ptr_array_add (argv, g_strdup ("--auth=trust"));
  g_ptr_array_add (argv, g_strdup ("-U"));
  g_ptr_array_add (argv, g_strdup (POSTGRES_USER));
  g_ptr_array_add (argv, g_strdup ("-E"));
  g_ptr_array_add (argv, g_strdup ("UTF8"));
  g_ptr_array_add (argv, g_strdup ("--locale=C.UTF-8"));
  if (!self->fsync)
    g_ptr_array_add (argv, g_strdup ("--no-sync"));
  g_ptr_array_add (argv, NULL);

  g_debug ("Creating a PostgreSQL cluster in %s", self->pgdata);

  launcher = launcher_new (self, G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_MERGE,
                           &setup, SIGKILL);
  proc = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &local_error);
  if (proc == NULL ||
      !g_subprocess_communicate_utf8 (proc, NULL, NULL, &output, NULL, &local_error))
    {
      g_set_error (error, TANDEM_PG_CLUSTER_ERROR, TANDEM_PG_CLUSTER_ERROR_INITDB,
                   "Cannot run initdb: %s", local_error->message);
      return FALSE;
    }

  if (!g_subprocess_get_if_exited (proc) || g_subprocess_get_exit_status (proc) != 0)
    {
      g_autofree char *how = describe_wait_status (g_subprocess_get_status (proc));

      g_set_error (error, TANDEM_PG_CLUSTER_ERROR, TANDEM_PG_CLUSTER_ERROR_INITDB,
                   "initdb failed for %s (%s):\n%s", self->pgdata, how,
                   output != NULL ? g_strchomp (output) : "");
      return FALSE;
    }

  return TRUE;
}

/* Writes @path atomically (0600) and hands it to the postgres user. */
static gboolean
write_config_file (TandemPgCluster *self,
                   const char      *path,
                   const char      *contents,
                   GError         **error)
{
  /* Not G_FILE_SET_CONTENTS_NONE: GLib 2.74 then writes over the old
   * contents without truncating them. */
  if (!g_file_set_contents_full (path, contents, -1, G_FILE_SET_CONTENTS_CONSISTENT,
                                 0600, error))
    return FALSE;

  if (self->as_postgres && chown (path, self->pg_uid, self->pg_gid) != 0)
    {
      int saved_errno = errno;
      g_set_error (error, TANDEM_PG_CLUSTER_ERROR, TANDEM_PG_CLUSTER_ERROR_PERMISSION,
                   "Cannot give %s to the “%s” user: %s", path, POSTGRES_USER,
                   g_strerror (saved_errno));
      return FALSE;
    }

  return TRUE;
}

static gboolean
ensure_include_line (const char *conf_path,
                     GError    **error)
{
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;
  FILE *file;
  gboolean ok;

  if (!g_file_get_contents (conf_path, &contents, NULL, error))
    return FALSE;

  lines = g_strsplit (contents, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      if (g_str_equal (g_strstrip (lines[i]), INCLUDE_LINE))
        return TRUE;
    }

  /* Appending keeps the file's owner and mode. */
  file = fopen (conf_path, "ae");
  if (file == NULL)
    {
      int saved_errno = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   "Cannot open %s: %s", conf_path, g_strerror (saved_errno));
      return FALSE;
    }
  ok = fprintf (file, "%s\n# Tandem's settings, rewritten by Tandem at every start-up.\n%s\n",
                g_str_has_suffix (contents, "\n") ? "" : "\n", INCLUDE_LINE) > 0;
  ok = fclose (file) == 0 && ok;
  if (!ok)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "Cannot write to %s", conf_path);
      return FALSE;
    }

  return TRUE;
}

static gboolean
write_settings (TandemPgCluster *self,
                GError         **error)
{
  g_autoptr(GString) conf = g_string_new (NULL);
  g_autofree char *conf_path = g_build_filename (self->pgdata, CONF_NAME, NULL);
  g_autofree char *main_conf = g_build_filename (self->pgdata, "postgresql.conf", NULL);
  g_autofree char *hba_path = g_build_filename (self->pgdata, "pg_hba.conf", NULL);
  static const char hba[] =
    "# Written by Tandem at every start-up: edits here are lost.\n"
    "# Trust on the Unix socket and on 127.0.0.1 only.\n"
    "# TYPE  DATABASE     USER  ADDRESS       METHOD\n"
    "local   all          all                 trust\n"
    "host    all          all   127.0.0.1/32  trust\n"
    "local   replication  all                 trust\n"
    "host    replication  all   127.0.0.1/32  trust\n";

  g_string_append (conf,
                   "# Written by Tandem at every start-up (included from postgresql.conf):\n"
                   "# edits here are lost. Put your own settings in postgresql.conf above\n"
                   "# the include line, or use ALTER SYSTEM.\n");
  g_string_append (conf, "listen_addresses = ");
  append_conf_string (conf, self->port != 0 ? "127.0.0.1" : "");
  g_string_append_printf (conf, "\nport = %u\n", socket_port (self));
  g_string_append (conf, "unix_socket_directories = ");
  append_conf_string (conf, self->socket_dir);
  g_string_append (conf,
                   "\n"
                   "wal_level = logical\n"
                   "max_replication_slots = 10\n"
                   "max_wal_senders = 10\n");
  if (self->has_output_plugin_libraries)
    g_string_append (conf, "output_plugin_libraries = 'pgoutput, test_decoding, wal2json'\n");
  g_string_append (conf,
                   "timezone = 'UTC'\n"
                   "log_timezone = 'UTC'\n");
  g_string_append_printf (conf,
                          "fsync = %s\n"
                          "full_page_writes = %s\n",
                          self->fsync ? "on" : "off",
                          self->fsync ? "on" : "off");

  return write_config_file (self, conf_path, conf->str, error) &&
         ensure_include_line (main_conf, error) &&
         write_config_file (self, hba_path, hba, error);
}

gboolean
tandem_pg_cluster_ensure_initialized (TandemPgCluster *self,
                                      GError         **error)
{
  g_autofree char *version_file = NULL;

  g_return_val_if_fail (TANDEM_IS_PG_CLUSTER (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (self->bindir == NULL && (self->bindir = tandem_pg_find_bindir (error)) == NULL)
    return FALSE;
  if (!self->probed)
    {
      if (!check_wal2json (self->bindir, error))
        return FALSE;
      probe_settings (self);
      self->probed = TRUE;
    }

  /* sockaddr_un holds 108 bytes; PostgreSQL would only say so in its log. */
  if (strlen (self->socket_dir) + strlen ("/.s.PGSQL.65535.lock") >= sizeof (((struct sockaddr_un *) NULL)->sun_path))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FILENAME_TOO_LONG,
                   "The socket directory %s is too long for a Unix socket path "
                   "(at most %zu bytes): choose a shorter one",
                   self->socket_dir,
                   sizeof (((struct sockaddr_un *) NULL)->sun_path) - 1 - strlen ("/.s.PGSQL.65535.lock"));
      return FALSE;
    }

  if (!resolve_user (self, error) ||
      !prepare_dir (self, self->pgdata, 0700, TRUE, error) ||
      !prepare_dir (self, self->socket_dir, 0700, FALSE, error))
    return FALSE;
  if (self->as_postgres && !check_reachable (self, error))
    return FALSE;

  version_file = g_build_filename (self->pgdata, "PG_VERSION", NULL);
  if (!g_file_test (version_file, G_FILE_TEST_EXISTS) && !run_initdb (self, error))
    return FALSE;

  if (!write_settings (self, error))
    return FALSE;

  self->initialized = TRUE;
  return TRUE;
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
    shutdown_postmaster (self);

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
