/* tandem-pg-cluster-setup.c: creating and configuring the cluster
 *
 * Finds PostgreSQL's server programs and the wal2json plugin, runs initdb
 * when the data directory has no cluster, and rewrites the settings Tandem
 * depends on at every start-up.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/un.h>

#include "tandem-pg-cluster-private.h"

#define CONF_NAME           "tandem.conf"
#define INCLUDE_LINE        "include_if_exists = '" CONF_NAME "'"

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

  launcher = _tandem_pg_cluster_launcher_new (self, G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_MERGE,
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
      g_autofree char *how = _tandem_pg_describe_wait_status (g_subprocess_get_status (proc));

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

  return _tandem_pg_cluster_give_to_postgres (self, path, error);
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

  if (!_tandem_pg_cluster_prepare_dirs (self, error))
    return FALSE;

  version_file = g_build_filename (self->pgdata, "PG_VERSION", NULL);
  if (!g_file_test (version_file, G_FILE_TEST_EXISTS) && !run_initdb (self, error))
    return FALSE;

  if (!write_settings (self, error))
    return FALSE;

  self->initialized = TRUE;
  return TRUE;
}
