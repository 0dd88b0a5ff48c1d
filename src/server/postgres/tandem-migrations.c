/* tandem-migrations.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tandem-postgres"

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "tandem-migrations.h"

/* An arbitrary key for pg_advisory_xact_lock, "TNDM". */
#define MIGRATION_LOCK_KEY "1414415437"

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

int
tandem_migrations_apply (TandemPgConn  *conn,
                         const char    *resource_path,
                         GError       **error)
{
  g_auto(GStrv) names = NULL;
  g_autoptr(PGresult) current = NULL;
  int version;
  guint n;

  if (!tandem_pg_conn_exec_sync (conn,
                                 "CREATE SCHEMA IF NOT EXISTS tandem;"
                                 "CREATE TABLE IF NOT EXISTS tandem.schema_migrations ("
                                 "  version integer PRIMARY KEY,"
                                 "  name text NOT NULL,"
                                 "  applied_at timestamptz NOT NULL DEFAULT now())",
                                 error))
    return -1;

  names = g_resources_enumerate_children (resource_path, G_RESOURCE_LOOKUP_FLAGS_NONE, error);
  if (names == NULL)
    return -1;
  n = g_strv_length (names);
  qsort (names, n, sizeof (char *), compare_names);

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *path = g_build_path ("/", resource_path, names[i], NULL);
      g_autofree char *version_text = NULL;
      g_autoptr(GBytes) bytes = NULL;
      g_autoptr(PGresult) applied = NULL;
      g_autofree char *sql = NULL;
      const char *params[2];
      char *end = NULL;
      guint64 number;

      if (!g_str_has_suffix (names[i], ".sql"))
        continue;
      number = g_ascii_strtoull (names[i], &end, 10);
      if (end == names[i] || *end != '-')
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       "Migration %s has no version number", names[i]);
          return -1;
        }
      version_text = g_strdup_printf ("%" G_GUINT64_FORMAT, number);

      bytes = g_resources_lookup_data (path, G_RESOURCE_LOOKUP_FLAGS_NONE, error);
      if (bytes == NULL)
        return -1;

      if (!tandem_pg_conn_exec_sync (conn, "BEGIN; SELECT pg_advisory_xact_lock(" MIGRATION_LOCK_KEY ")", error))
        return -1;

      params[0] = version_text;
      applied = tandem_pg_conn_query_sync (conn, "SELECT 1 FROM tandem.schema_migrations WHERE version = $1",
                                           params, 1, error);
      if (applied == NULL)
        goto rollback;
      if (PQntuples (applied) > 0)
        {
          if (!tandem_pg_conn_exec_sync (conn, "COMMIT", error))
            return -1;
          continue;
        }

      g_info ("applying migration %s", names[i]);
      sql = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
      if (!tandem_pg_conn_exec_sync (conn, sql, error))
        {
          g_prefix_error (error, "Migration %s failed: ", names[i]);
          goto rollback;
        }

      params[1] = names[i];
      g_clear_pointer (&applied, PQclear);
      applied = tandem_pg_conn_query_sync (conn, "INSERT INTO tandem.schema_migrations (version, name) VALUES ($1, $2)",
                                           params, 2, error);
      if (applied == NULL || !tandem_pg_conn_exec_sync (conn, "COMMIT", error))
        goto rollback;
      continue;

    rollback:
      tandem_pg_conn_exec_sync (conn, "ROLLBACK", NULL);
      return -1;
    }

  current = tandem_pg_conn_query_sync (conn, "SELECT coalesce(max(version), 0) FROM tandem.schema_migrations",
                                       NULL, 0, error);
  if (current == NULL)
    return -1;
  version = atoi (PQgetvalue (current, 0, 0));
  return version;
}
