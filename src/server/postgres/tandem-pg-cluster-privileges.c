/* tandem-pg-cluster-privileges.c: running PostgreSQL from root
 *
 * PostgreSQL refuses to run as root. When we are root, every child (initdb,
 * the postmaster, the reachability check) switches to the `postgres` user
 * before exec, and the directories and files it needs are handed to that
 * user. As an ordinary user nothing changes hands.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "tandem-pg-cluster-private.h"

/* ------------------------------------------------------------------------ */
/* The children                                                              */

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

/* A launcher whose child runs in "/" as the `postgres` user when we are
 * root, and gets @death_signal when we die. @setup must outlive the
 * spawn. */
GSubprocessLauncher *
_tandem_pg_cluster_launcher_new (TandemPgCluster  *self,
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

  return _tandem_pg_cluster_give_to_postgres (self, path, error);
}

/* Hands @path to the postgres user when we are root. */
gboolean
_tandem_pg_cluster_give_to_postgres (TandemPgCluster  *self,
                                     const char       *path,
                                     GError          **error)
{
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

  launcher = _tandem_pg_cluster_launcher_new (self, G_SUBPROCESS_FLAGS_STDOUT_PIPE, &setup, SIGKILL);
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

/* Finds the user PostgreSQL runs as, creates the data and socket directories
 * for it and checks that it can reach them. */
gboolean
_tandem_pg_cluster_prepare_dirs (TandemPgCluster  *self,
                                 GError          **error)
{
  if (!resolve_user (self, error) ||
      !prepare_dir (self, self->pgdata, 0700, TRUE, error) ||
      !prepare_dir (self, self->socket_dir, 0700, FALSE, error))
    return FALSE;

  return !self->as_postgres || check_reachable (self, error);
}
