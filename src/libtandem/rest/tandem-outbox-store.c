/* tandem-outbox-store.c: the outbox's SQLite file
 *
 * One table of entries in the order they were queued (an AUTOINCREMENT id,
 * so an id is never handed out twice and the order survives deletions),
 * in WAL mode with full synchronous commits: a write the app was told is
 * queued is on disk. The schema version is PRAGMA user_version; a file
 * from a newer libtandem is refused rather than misread.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <sqlite3.h>

#include "tandem-outbox-private.h"

struct _TandemOutboxStore
{
  sqlite3 *db;
};

static const char * const operation_names[] = {
  [TANDEM_OUTBOX_INSERT] = "insert",
  [TANDEM_OUTBOX_UPSERT] = "upsert",
  [TANDEM_OUTBOX_UPDATE] = "update",
  [TANDEM_OUTBOX_DELETE] = "delete",
};

static const char schema_sql[] =
  "CREATE TABLE IF NOT EXISTS entries ("
  "  id              INTEGER PRIMARY KEY AUTOINCREMENT,"
  "  idempotency_key TEXT NOT NULL UNIQUE,"
  "  operation       TEXT NOT NULL CHECK (operation IN ('insert', 'upsert', 'update', 'delete')),"
  "  table_name      TEXT NOT NULL,"
  "  body            TEXT,"
  "  filters         TEXT,"
  "  key_column      TEXT,"
  "  attempts        INTEGER NOT NULL DEFAULT 0,"
  "  last_error      TEXT,"
  "  queued_at       INTEGER NOT NULL"
  ");";

#define SELECT_COLUMNS \
  "SELECT id, idempotency_key, operation, table_name, body, filters, key_column, attempts, last_error FROM entries"

void
_tandem_outbox_entry_free (TandemOutboxEntry *entry)
{
  if (entry == NULL)
    return;
  g_free (entry->key);
  g_free (entry->table);
  g_free (entry->body);
  g_free (entry->filters);
  g_free (entry->key_column);
  g_free (entry->last_error);
  g_free (entry);
}

static gboolean
fail (sqlite3     *db,
      const char  *what,
      GError     **error)
{
  g_set_error (error, TANDEM_OUTBOX_ERROR, TANDEM_OUTBOX_ERROR_STORAGE, "%s: %s", what,
               db ? sqlite3_errmsg (db) : "out of memory");
  return FALSE;
}

static gboolean
exec (sqlite3     *db,
      const char  *sql,
      GError     **error)
{
  char *message = NULL;

  if (sqlite3_exec (db, sql, NULL, NULL, &message) != SQLITE_OK)
    {
      g_set_error (error, TANDEM_OUTBOX_ERROR, TANDEM_OUTBOX_ERROR_STORAGE, "The outbox file: %s",
                   message ? message : sqlite3_errmsg (db));
      sqlite3_free (message);
      return FALSE;
    }
  return TRUE;
}

/* The first column of the first row of @sql, as an integer. */
static gboolean
query_int (sqlite3     *db,
           const char  *sql,
           gint64      *value,
           GError     **error)
{
  sqlite3_stmt *stmt = NULL;
  gboolean ok;

  if (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) != SQLITE_OK)
    return fail (db, "The outbox file", error);
  ok = sqlite3_step (stmt) == SQLITE_ROW;
  if (ok)
    *value = sqlite3_column_int64 (stmt, 0);
  else
    fail (db, "The outbox file", error);
  sqlite3_finalize (stmt);
  return ok;
}

static gboolean
migrate (sqlite3     *db,
         GError     **error)
{
  gint64 version = 0;
  g_autofree char *set_version = NULL;

  if (!query_int (db, "PRAGMA user_version", &version, error))
    return FALSE;
  if (version == TANDEM_OUTBOX_SCHEMA_VERSION)
    return TRUE;
  if (version > TANDEM_OUTBOX_SCHEMA_VERSION)
    {
      g_set_error (error, TANDEM_OUTBOX_ERROR, TANDEM_OUTBOX_ERROR_STORAGE,
                   "The outbox file is of a newer version (%" G_GINT64_FORMAT ")", version);
      return FALSE;
    }
  set_version = g_strdup_printf ("PRAGMA user_version = %d", TANDEM_OUTBOX_SCHEMA_VERSION);
  return exec (db, "BEGIN IMMEDIATE", error) &&
         exec (db, schema_sql, error) &&
         exec (db, set_version, error) &&
         exec (db, "COMMIT", error);
}

TandemOutboxStore *
_tandem_outbox_store_open (const char  *path,
                           GError     **error)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  TandemOutboxStore *store;
  gboolean wal;

  g_return_val_if_fail (path != NULL, NULL);

  if (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) != SQLITE_OK)
    {
      g_set_error (error, TANDEM_OUTBOX_ERROR, TANDEM_OUTBOX_ERROR_STORAGE, "Cannot open the outbox file %s: %s",
                   path, db ? sqlite3_errmsg (db) : "out of memory");
      sqlite3_close (db);
      return NULL;
    }
  sqlite3_busy_timeout (db, 5000);

  /* journal_mode answers with the mode it is in: a file on a filesystem
   * without shared memory may refuse WAL. */
  if (sqlite3_prepare_v2 (db, "PRAGMA journal_mode = WAL", -1, &stmt, NULL) != SQLITE_OK ||
      sqlite3_step (stmt) != SQLITE_ROW)
    {
      fail (db, "Cannot set up the outbox file", error);
      sqlite3_finalize (stmt);
      sqlite3_close (db);
      return NULL;
    }
  wal = g_ascii_strcasecmp ((const char *) sqlite3_column_text (stmt, 0), "wal") == 0;
  sqlite3_finalize (stmt);
  if (!wal)
    g_warning ("The outbox file %s is not in WAL mode", path);

  if (!exec (db, "PRAGMA synchronous = FULL", error) || !migrate (db, error))
    {
      sqlite3_close (db);
      return NULL;
    }

  store = g_new0 (TandemOutboxStore, 1);
  store->db = db;
  return store;
}

void
_tandem_outbox_store_close (TandemOutboxStore *store)
{
  if (store == NULL)
    return;
  sqlite3_close (store->db);
  g_free (store);
}

static void
bind_text (sqlite3_stmt *stmt,
           int           index,
           const char   *text)
{
  if (text == NULL)
    sqlite3_bind_null (stmt, index);
  else
    sqlite3_bind_text (stmt, index, text, -1, SQLITE_TRANSIENT);
}

gboolean
_tandem_outbox_store_append (TandemOutboxStore       *store,
                             const TandemOutboxEntry *entry,
                             gint64                  *id,
                             GError                 **error)
{
  sqlite3_stmt *stmt = NULL;
  int rc;

  g_return_val_if_fail ((guint) entry->operation < G_N_ELEMENTS (operation_names), FALSE);

  if (sqlite3_prepare_v2 (store->db,
                          "INSERT INTO entries (idempotency_key, operation, table_name, body, filters, key_column,"
                          "                     queued_at)"
                          " VALUES (?, ?, ?, ?, ?, ?, ?)",
                          -1, &stmt, NULL) != SQLITE_OK)
    return fail (store->db, "Cannot queue the write", error);
  bind_text (stmt, 1, entry->key);
  bind_text (stmt, 2, operation_names[entry->operation]);
  bind_text (stmt, 3, entry->table);
  bind_text (stmt, 4, entry->body);
  bind_text (stmt, 5, entry->filters);
  bind_text (stmt, 6, entry->key_column);
  sqlite3_bind_int64 (stmt, 7, g_get_real_time () / G_USEC_PER_SEC);
  rc = sqlite3_step (stmt);
  sqlite3_finalize (stmt);
  if (rc == SQLITE_CONSTRAINT)
    {
      g_set_error (error, TANDEM_OUTBOX_ERROR, TANDEM_OUTBOX_ERROR_INVALID,
                   "A write with the idempotency key %s is queued already", entry->key);
      return FALSE;
    }
  if (rc != SQLITE_DONE)
    return fail (store->db, "Cannot queue the write", error);
  if (id != NULL)
    *id = sqlite3_last_insert_rowid (store->db);
  return TRUE;
}

static char *
column_dup (sqlite3_stmt *stmt,
            int           column)
{
  const unsigned char *text = sqlite3_column_text (stmt, column);

  return text ? g_strdup ((const char *) text) : NULL;
}

static TandemOutboxEntry *
read_entry (sqlite3_stmt *stmt)
{
  TandemOutboxEntry *entry = g_new0 (TandemOutboxEntry, 1);
  const char *operation = (const char *) sqlite3_column_text (stmt, 2);

  entry->id = sqlite3_column_int64 (stmt, 0);
  entry->key = column_dup (stmt, 1);
  for (guint i = 0; i < G_N_ELEMENTS (operation_names); i++)
    if (g_strcmp0 (operation, operation_names[i]) == 0)
      entry->operation = i;
  entry->table = column_dup (stmt, 3);
  entry->body = column_dup (stmt, 4);
  entry->filters = column_dup (stmt, 5);
  entry->key_column = column_dup (stmt, 6);
  entry->attempts = (guint) sqlite3_column_int64 (stmt, 7);
  entry->last_error = column_dup (stmt, 8);
  return entry;
}

static GPtrArray *
select_entries (TandemOutboxStore  *store,
                const char         *sql,
                GError            **error)
{
  g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func ((GDestroyNotify) _tandem_outbox_entry_free);
  sqlite3_stmt *stmt = NULL;
  int rc;

  if (sqlite3_prepare_v2 (store->db, sql, -1, &stmt, NULL) != SQLITE_OK)
    {
      fail (store->db, "Cannot read the outbox", error);
      return NULL;
    }
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (entries, read_entry (stmt));
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    {
      fail (store->db, "Cannot read the outbox", error);
      return NULL;
    }
  return g_steal_pointer (&entries);
}

TandemOutboxEntry *
_tandem_outbox_store_peek (TandemOutboxStore  *store,
                           GError            **error)
{
  g_autoptr(GPtrArray) entries = select_entries (store, SELECT_COLUMNS " ORDER BY id LIMIT 1", error);

  if (entries == NULL || entries->len == 0)
    return NULL;
  return g_ptr_array_steal_index (entries, 0);
}

GPtrArray *
_tandem_outbox_store_list (TandemOutboxStore  *store,
                           GError            **error)
{
  return select_entries (store, SELECT_COLUMNS " ORDER BY id", error);
}

gboolean
_tandem_outbox_store_remove (TandemOutboxStore  *store,
                             gint64              id,
                             GError            **error)
{
  sqlite3_stmt *stmt = NULL;
  int rc;

  if (sqlite3_prepare_v2 (store->db, "DELETE FROM entries WHERE id = ?", -1, &stmt, NULL) != SQLITE_OK)
    return fail (store->db, "Cannot remove a sent write", error);
  sqlite3_bind_int64 (stmt, 1, id);
  rc = sqlite3_step (stmt);
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    return fail (store->db, "Cannot remove a sent write", error);
  return TRUE;
}

gboolean
_tandem_outbox_store_record_failure (TandemOutboxStore  *store,
                                     gint64              id,
                                     const char         *message,
                                     GError            **error)
{
  sqlite3_stmt *stmt = NULL;
  int rc;

  if (sqlite3_prepare_v2 (store->db, "UPDATE entries SET attempts = attempts + 1, last_error = ? WHERE id = ?",
                          -1, &stmt, NULL) != SQLITE_OK)
    return fail (store->db, "Cannot record a failed attempt", error);
  bind_text (stmt, 1, message);
  sqlite3_bind_int64 (stmt, 2, id);
  rc = sqlite3_step (stmt);
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    return fail (store->db, "Cannot record a failed attempt", error);
  return TRUE;
}

gint64
_tandem_outbox_store_count (TandemOutboxStore  *store,
                            GError            **error)
{
  gint64 count = -1;

  if (!query_int (store->db, "SELECT count(*) FROM entries", &count, error))
    return -1;
  return count;
}
