/* tandem-rest-sql-write.c: inserts, upserts, updates and deletes as SQL
 *
 * The body goes to PostgreSQL as one JSON parameter and becomes rows with
 * json_populate_recordset over the table's own row type, so every value is
 * converted by the column's type; the column list comes from ?columns= or
 * the body's keys, checked against the schema cache (PGRST204).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tandem-rest"

#include "config.h"

#include <string.h>
#include <json-glib/json-glib.h>

#include "tandem-rest-sql-private.h"

static TandemRestError *
column_not_found (const TandemRestTable *table,
                  const char            *name)
{
  return tandem_rest_error_new (400, "PGRST204", NULL, NULL,
                                "Could not find the '%s' column of '%s' in the schema cache",
                                name, table->name);
}

static gboolean
strv_has (GPtrArray  *names,
          const char *name)
{
  for (guint i = 0; i < names->len; i++)
    if (g_str_equal (names->pdata[i], name))
      return TRUE;
  return FALSE;
}

/* The columns a body writes: ?columns=…, else the keys of the object (or
 * of every object of the array, which must all have the same keys). */
static GPtrArray *
body_columns (const TandemRestRequest  *request,
              JsonNode                 *root,
              TandemRestError         **error)
{
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  JsonArray *array;
  g_autoptr(GList) first_keys = NULL;

  if (request->columns != NULL)
    {
      for (guint i = 0; i < request->columns->len; i++)
        if (!strv_has (names, request->columns->pdata[i]))
          g_ptr_array_add (names, g_strdup (request->columns->pdata[i]));
      return g_steal_pointer (&names);
    }

  if (JSON_NODE_HOLDS_OBJECT (root))
    {
      g_autoptr(GList) keys = json_object_get_members (json_node_get_object (root));

      for (GList *l = keys; l != NULL; l = l->next)
        if (!strv_has (names, l->data))
          g_ptr_array_add (names, g_strdup (l->data));
      return g_steal_pointer (&names);
    }

  array = json_node_get_array (root);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      JsonObject *object;

      if (!JSON_NODE_HOLDS_OBJECT (element))
        {
          *error = _tandem_rest_sql_invalid_body ("All object keys must match");
          return NULL;
        }
      object = json_node_get_object (element);
      if (i == 0)
        {
          first_keys = json_object_get_members (object);
          for (GList *l = first_keys; l != NULL; l = l->next)
            if (!strv_has (names, l->data))
              g_ptr_array_add (names, g_strdup (l->data));
        }
      else
        {
          gboolean same = json_object_get_size (object) == json_object_get_size (json_node_get_object (json_array_get_element (array, 0)));

          for (guint j = 0; same && j < names->len; j++)
            same = json_object_has_member (object, names->pdata[j]);
          if (!same)
            {
              *error = _tandem_rest_sql_invalid_body ("All object keys must match");
              return NULL;
            }
        }
    }
  return g_steal_pointer (&names);
}

static gboolean
check_columns (const TandemRestTable  *table,
               GPtrArray              *names,
               TandemRestError       **error)
{
  for (guint i = 0; i < names->len; i++)
    if (tandem_rest_table_lookup_column (table, names->pdata[i]) == NULL)
      {
        *error = column_not_found (table, names->pdata[i]);
        return FALSE;
      }
  return TRUE;
}

static void
column_list (Builder    *b,
             const char *prefix,
             GPtrArray  *names)
{
  for (guint i = 0; i < names->len; i++)
    {
      if (i > 0)
        g_string_append (b->sql, ", ");
      g_string_append (b->sql, prefix);
      _tandem_rest_sql_emit_ident (b, names->pdata[i]);
    }
}

/* The body as text, always a JSON array for the recordset functions. */
static char *
body_text (const TandemRestRequest *request,
           JsonNode                *root)
{
  gsize size;
  const char *data = g_bytes_get_data (request->body, &size);

  if (JSON_NODE_HOLDS_OBJECT (root))
    return g_strdup_printf ("[%.*s]", (int) size, data);
  return g_strndup (data, size);
}

/* What a mutation's CTE returns: everything for a representation, the
 * primary key for a Location, else just a row count. */
static void
returning_sql (Builder                 *b,
               const TandemRestRequest *request,
               const TandemRestTable   *table,
               gboolean                 location)
{
  g_string_append (b->sql, " RETURNING ");
  if (request->prefer.ret == TANDEM_REST_RETURN_REPRESENTATION)
    g_string_append (b->sql, "*");
  else if (location)
    column_list (b, "", table->pk);
  else
    g_string_append (b->sql, "1");
}

/* Ends a mutation statement: the final SELECT over _src. */
static void
mutation_tail (Builder                 *b,
               const TandemRestRequest *request,
               const TandemRestTable   *table,
               gboolean                 location)
{
  Builder inner;
  Source src = { NULL, "_src", table };

  _tandem_rest_sql_builder_init (&inner);
  g_ptr_array_unref (inner.params);
  inner.params = g_ptr_array_ref (b->params); /* parameters continue in one array */
  g_string_append (inner.sql, "SELECT ");
  if (request->prefer.ret == TANDEM_REST_RETURN_REPRESENTATION)
    _tandem_rest_sql_select_list (&inner, &src, request->select);
  else
    g_string_append (inner.sql, "*");
  g_string_append (inner.sql, " FROM _src");
  g_string_append (b->sql, ")");
  _tandem_rest_sql_final_select (b, request, NULL,
                request->prefer.ret == TANDEM_REST_RETURN_REPRESENTATION ? BODY_ROWS : BODY_NONE,
                FALSE, inner.sql->str, location);
  _tandem_rest_sql_builder_clear (&inner);
}

/* ---- insert ----------------------------------------------------------------------------- */

TandemRestStatement *
tandem_rest_sql_insert (const TandemRestRequest  *request,
                        const TandemRestTable    *table,
                        TandemRestError         **error)
{
  g_autoptr(JsonNode) root = _tandem_rest_sql_parse_body (request, error);
  g_autoptr(GPtrArray) names = NULL;
  GPtrArray *target;
  gboolean location;
  Builder b;

  if (root == NULL)
    return NULL;
  if (!JSON_NODE_HOLDS_OBJECT (root) && !JSON_NODE_HOLDS_ARRAY (root))
    {
      *error = _tandem_rest_sql_invalid_body ("Empty or invalid json");
      return NULL;
    }
  if ((names = body_columns (request, root, error)) == NULL || !check_columns (table, names, error))
    return NULL;
  target = request->on_conflict != NULL ? request->on_conflict : table->pk;
  if (request->prefer.resolution != TANDEM_REST_RESOLUTION_NONE && request->on_conflict != NULL &&
      !check_columns (table, request->on_conflict, error))
    return NULL;
  location = request->prefer.ret == TANDEM_REST_RETURN_HEADERS_ONLY && table->pk->len > 0;

  _tandem_rest_sql_builder_init (&b);
  g_string_append (b.sql, "WITH _src AS (INSERT INTO ");
  _tandem_rest_sql_emit_qualified (&b, table->schema, table->name);
  if (names->len == 0)
    {
      /* [{}, {}]: rows of defaults only */
      g_string_append (b.sql, " SELECT FROM pg_catalog.json_array_elements(");
      _tandem_rest_sql_add_param_take (&b, body_text (request, root));
      g_string_append (b.sql, "::json)");
    }
  else
    {
      gboolean defaults = FALSE;

      g_string_append (b.sql, " (");
      column_list (&b, "", names);
      g_string_append (b.sql, ") SELECT ");
      column_list (&b, "", names);
      g_string_append (b.sql, " FROM pg_catalog.json_populate_recordset(NULL::");
      _tandem_rest_sql_emit_qualified (&b, table->schema, table->name);
      g_string_append (b.sql, ", ");

      /* missing=default: keys an object lacks take the column's default,
       * merged under each object before it becomes a row. */
      for (guint i = 0; request->prefer.missing_default && i < names->len; i++)
        defaults |= tandem_rest_table_lookup_column (table, names->pdata[i])->default_expr != NULL;
      if (defaults)
        {
          g_string_append (b.sql, "(SELECT pg_catalog.json_agg(pg_catalog.jsonb_build_object(");
          for (guint i = 0, n = 0; i < names->len; i++)
            {
              TandemRestColumn *column = tandem_rest_table_lookup_column (table, names->pdata[i]);

              if (column->default_expr == NULL)
                continue;
              if (n++ > 0)
                g_string_append (b.sql, ", ");
              _tandem_rest_sql_add_param (&b, column->name);
              g_string_append (b.sql, "::text, ");
              /* From the catalog (pg_get_expr), never from the request. */
              g_string_append_printf (b.sql, "(%s)", column->default_expr);
            }
          g_string_append (b.sql, ") || _e) FROM pg_catalog.jsonb_array_elements(");
          _tandem_rest_sql_add_param_take (&b, body_text (request, root));
          g_string_append (b.sql, "::jsonb) _e)");
        }
      else
        {
          _tandem_rest_sql_add_param_take (&b, body_text (request, root));
          g_string_append (b.sql, "::json");
        }
      g_string_append (b.sql, ") _b");
    }

  if (request->prefer.resolution == TANDEM_REST_RESOLUTION_IGNORE)
    {
      g_string_append (b.sql, " ON CONFLICT");
      if (target->len > 0)
        {
          g_string_append (b.sql, " (");
          column_list (&b, "", target);
          g_string_append (b.sql, ")");
        }
      g_string_append (b.sql, " DO NOTHING");
    }
  else if (request->prefer.resolution == TANDEM_REST_RESOLUTION_MERGE && target->len > 0)
    {
      g_string_append (b.sql, " ON CONFLICT (");
      column_list (&b, "", target);
      g_string_append (b.sql, ") DO ");
      if (names->len == 0)
        g_string_append (b.sql, "NOTHING");
      else
        {
          g_string_append (b.sql, "UPDATE SET ");
          for (guint i = 0; i < names->len; i++)
            {
              if (i > 0)
                g_string_append (b.sql, ", ");
              _tandem_rest_sql_emit_ident (&b, names->pdata[i]);
              g_string_append (b.sql, " = EXCLUDED.");
              _tandem_rest_sql_emit_ident (&b, names->pdata[i]);
            }
        }
    }

  returning_sql (&b, request, table, location);
  mutation_tail (&b, request, table, location);
  return _tandem_rest_sql_builder_finish (&b);
}

/* ---- update and delete ------------------------------------------------------------------ */

static gboolean
check_no_limit (const TandemRestRequest  *request,
                TandemRestError         **error)
{
  if (request->limit < 0 && request->offset == 0)
    return TRUE;
  *error = tandem_rest_error_new (400, "PGRST127", "limit and offset are not supported on PATCH and DELETE",
                                  NULL, "Feature not implemented");
  return FALSE;
}

TandemRestStatement *
tandem_rest_sql_update (const TandemRestRequest  *request,
                        const TandemRestTable    *table,
                        TandemRestError         **error)
{
  g_autoptr(JsonNode) root = _tandem_rest_sql_parse_body (request, error);
  g_autoptr(GPtrArray) names = NULL;
  Source src = { table->schema, table->name, table };
  Builder b;

  if (root == NULL || !check_no_limit (request, error))
    return NULL;
  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      *error = _tandem_rest_sql_invalid_body ("Empty or invalid json");
      return NULL;
    }
  if ((names = body_columns (request, root, error)) == NULL || !check_columns (table, names, error))
    return NULL;

  _tandem_rest_sql_builder_init (&b);
  if (names->len == 0)
    {
      /* Nothing to set: no row changes (PostgREST answers as if none matched). */
      g_string_append (b.sql, "WITH _src AS (SELECT * FROM ");
      _tandem_rest_sql_emit_qualified (&b, table->schema, table->name);
      g_string_append (b.sql, " WHERE false");
    }
  else
    {
      g_autofree char *text = NULL;
      gsize size;
      const char *data = g_bytes_get_data (request->body, &size);

      g_string_append (b.sql, "WITH _src AS (UPDATE ");
      _tandem_rest_sql_emit_qualified (&b, table->schema, table->name);
      g_string_append (b.sql, " SET (");
      column_list (&b, "", names);
      g_string_append (b.sql, ") = (SELECT ");
      column_list (&b, "_b.", names);
      g_string_append (b.sql, " FROM pg_catalog.json_populate_record(NULL::");
      _tandem_rest_sql_emit_qualified (&b, table->schema, table->name);
      g_string_append (b.sql, ", ");
      text = g_strndup (data, size);
      _tandem_rest_sql_add_param (&b, text);
      g_string_append (b.sql, "::json) _b)");
      _tandem_rest_sql_where_sql (&b, &src, request);
      returning_sql (&b, request, table, FALSE);
    }
  mutation_tail (&b, request, table, FALSE);
  return _tandem_rest_sql_builder_finish (&b);
}

TandemRestStatement *
tandem_rest_sql_delete (const TandemRestRequest  *request,
                        const TandemRestTable    *table,
                        TandemRestError         **error)
{
  Source src = { table->schema, table->name, table };
  Builder b;

  if (!check_no_limit (request, error))
    return NULL;
  _tandem_rest_sql_builder_init (&b);
  g_string_append (b.sql, "WITH _src AS (DELETE FROM ");
  _tandem_rest_sql_emit_qualified (&b, table->schema, table->name);
  _tandem_rest_sql_where_sql (&b, &src, request);
  returning_sql (&b, request, table, FALSE);
  mutation_tail (&b, request, table, FALSE);
  return _tandem_rest_sql_builder_finish (&b);
}
