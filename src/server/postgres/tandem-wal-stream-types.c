/* tandem-wal-stream-types.c: the column types of the changes
 *
 * Values are converted from wal2json's rendering with tandem-pg-values, by
 * pg_type.typname looked up from the column's type oid in a map loaded on
 * the replication connection before streaming; an oid missing from it (a
 * type created since) reloads the map over a second, normal connection
 * while later transactions wait, so order is kept.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "tandem-pg-values.h"
#include "tandem-wal-stream-private.h"

void
_tandem_wal_type_info_free (TypeInfo *info)
{
  g_free (info->typname);
  g_free (info->conv);
  g_free (info);
}

void
_tandem_wal_stream_load_types (TandemWalStream *self,
                               const PGresult  *result)
{
  g_autoptr(GHashTable) base = g_hash_table_new (NULL, NULL);
  g_autoptr(GHashTable) elem = g_hash_table_new (NULL, NULL);
  GHashTableIter iter;
  gpointer key, value;
  int n = PQntuples (result);

  g_hash_table_remove_all (self->types);

  for (int i = 0; i < n; i++)
    {
      guint64 oid, basetype, elemtype;
      TypeInfo *info;

      if (!g_ascii_string_to_unsigned (PQgetvalue (result, i, 0), 10, 0, G_MAXUINT32, &oid, NULL))
        continue;
      info = g_new0 (TypeInfo, 1);
      info->typname = g_strdup (PQgetvalue (result, i, 1));
      g_hash_table_insert (self->types, GUINT_TO_POINTER ((guint) oid), info);

      if (PQgetvalue (result, i, 2)[0] == 'd' &&
          g_ascii_string_to_unsigned (PQgetvalue (result, i, 3), 10, 0, G_MAXUINT32, &basetype, NULL))
        g_hash_table_insert (base, GUINT_TO_POINTER ((guint) oid), GUINT_TO_POINTER ((guint) basetype));
      if (info->typname[0] == '_' &&
          g_ascii_string_to_unsigned (PQgetvalue (result, i, 4), 10, 0, G_MAXUINT32, &elemtype, NULL))
        g_hash_table_insert (elem, GUINT_TO_POINTER ((guint) oid), GUINT_TO_POINTER ((guint) elemtype));
    }

  /* Domains convert as their base type (to_jsonb does); arrays of domains
   * as arrays of the base type. */
  g_hash_table_iter_init (&iter, self->types);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      TypeInfo *info = value;
      guint oid = GPOINTER_TO_UINT (key);
      gboolean array = FALSE;
      gpointer next;
      TypeInfo *target;

      if (g_hash_table_lookup_extended (elem, key, NULL, &next))
        {
          array = TRUE;
          oid = GPOINTER_TO_UINT (next);
        }
      for (int depth = 0; depth < 16 && g_hash_table_lookup_extended (base, GUINT_TO_POINTER (oid), NULL, &next); depth++)
        oid = GPOINTER_TO_UINT (next);

      target = g_hash_table_lookup (self->types, GUINT_TO_POINTER (oid));
      if (target == NULL || target == info)
        continue;
      if (array)
        {
          if (oid != GPOINTER_TO_UINT (g_hash_table_lookup (elem, key)))
            info->conv = g_strconcat ("_", target->typname, NULL);
        }
      else
        info->conv = g_strdup (target->typname);
    }
}

/* Whether the map knows every type oid of a wal2json column list. With
 * @add_fallbacks it is made to: every oid still unknown gets a name derived
 * from wal2json's type name. */
static gboolean
columns_types_known (TandemWalStream *self,
                     JsonArray       *columns,
                     gboolean         add_fallbacks)
{
  guint n = columns != NULL ? json_array_get_length (columns) : 0;

  for (guint i = 0; i < n; i++)
    {
      JsonObject *column = json_array_get_object_element (columns, i);
      const char *type;
      TypeInfo *info;
      guint oid;

      if (column == NULL || !json_object_has_member (column, "typeoid"))
        continue;
      oid = (guint) member_int (column, "typeoid");
      if (g_hash_table_contains (self->types, GUINT_TO_POINTER (oid)))
        continue;
      if (!add_fallbacks)
        return FALSE;
      type = member_string (column, "type");
      info = g_new0 (TypeInfo, 1);
      info->typname = tandem_pg_typname_from_format_type (type != NULL ? type : "text");
      g_debug ("type oid %u unknown, using \"%s\" from \"%s\"", oid, info->typname, type);
      g_hash_table_insert (self->types, GUINT_TO_POINTER (oid), info);
    }
  return TRUE;
}

static gboolean
txn_types_known (TandemWalStream *self,
                 RawTxn          *txn,
                 gboolean         add_fallbacks)
{
  for (guint i = 0; i < txn->changes->len; i++)
    {
      JsonObject *change = g_ptr_array_index (txn->changes, i);

      if (!columns_types_known (self, member_array (change, "columns"), add_fallbacks) ||
          !columns_types_known (self, member_array (change, "identity"), add_fallbacks))
        return FALSE;
    }
  return TRUE;
}

gboolean
_tandem_wal_stream_raw_txn_types_known (TandemWalStream *self,
                                        RawTxn          *txn)
{
  return txn_types_known (self, txn, FALSE);
}

static void
on_types_reloaded (GObject      *source,
                   GAsyncResult *res,
                   gpointer      user_data)
{
  g_autoptr(TandemWalStream) self = user_data;
  g_autoptr(PGresult) result = NULL;
  g_autoptr(GError) error = NULL;

  result = tandem_pg_conn_query_finish (TANDEM_PG_CONN (source), res, &error);
  self->lookup_running = FALSE;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
      g_error_matches (error, TANDEM_PG_ERROR, TANDEM_PG_ERROR_CLOSED))
    return;

  if (result != NULL)
    _tandem_wal_stream_load_types (self, result);
  else
    g_debug ("could not reload pg_type: %s", error->message);

  /* Whatever is still unknown falls back to wal2json's type name, so the
   * queue always moves on. */
  for (GList *l = self->ready.head; l != NULL; l = l->next)
    txn_types_known (self, l->data, TRUE);

  _tandem_wal_stream_process_ready (self);
}

static void
on_lookup_connected (GObject      *source,
                     GAsyncResult *res,
                     gpointer      user_data)
{
  g_autoptr(TandemWalStream) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!tandem_pg_conn_connect_finish (TANDEM_PG_CONN (source), res, &error))
    {
      /* Reported by the query, which fails at once. */
      g_debug ("type lookup connection: %s", error->message);
    }

  tandem_pg_conn_query_async (TANDEM_PG_CONN (source), TYPES_QUERY, NULL, 0,
                              self->lookup_cancellable, on_types_reloaded,
                              g_object_ref (self));
}

void
_tandem_wal_stream_start_type_reload (TandemWalStream *self)
{
  if (self->lookup_running)
    return;
  self->lookup_running = TRUE;

  if (self->lookup_cancellable == NULL)
    self->lookup_cancellable = g_cancellable_new ();

  if (self->lookup_conn == NULL)
    self->lookup_conn = tandem_pg_conn_new (self->conninfo);

  if (tandem_pg_conn_is_connected (self->lookup_conn))
    tandem_pg_conn_query_async (self->lookup_conn, TYPES_QUERY, NULL, 0,
                                self->lookup_cancellable, on_types_reloaded,
                                g_object_ref (self));
  else
    tandem_pg_conn_connect_async (self->lookup_conn, self->lookup_cancellable,
                                  on_lookup_connected, g_object_ref (self));
}

const TypeInfo *
_tandem_wal_stream_column_type (TandemWalStream *self,
                                JsonObject      *column)
{
  static TypeInfo text = { (char *) "text", NULL };
  const TypeInfo *info = NULL;

  if (json_object_has_member (column, "typeoid"))
    info = g_hash_table_lookup (self->types, GUINT_TO_POINTER ((guint) member_int (column, "typeoid")));
  if (info == NULL)
    {
      /* No oid (cannot happen with include-type-oids): derive from the
       * name wal2json gives. */
      const char *type = member_string (column, "type");

      if (type == NULL)
        return &text;
      info = g_hash_table_lookup (self->types_by_name, type);
      if (info == NULL)
        {
          TypeInfo *fallback = g_new0 (TypeInfo, 1);

          fallback->typname = tandem_pg_typname_from_format_type (type);
          g_hash_table_insert (self->types_by_name, g_strdup (type), fallback);
          info = fallback;
        }
    }
  return info;
}
