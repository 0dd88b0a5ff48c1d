/* tandem-rest-schema.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tandem-rest"

#include "config.h"

#include <string.h>
#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "tandem-rest-schema.h"

/* One row, one column: the whole catalog of the exposed schemas as JSON. */
static const char schema_query[] =
  "WITH exposed AS ("
  " SELECT n.oid, n.nspname FROM pg_namespace n"
  " WHERE n.nspname !~ '^pg_' AND n.nspname <> ALL (ARRAY['information_schema', 'auth', 'realtime',"
  "  'storage', 'extensions', 'graphql', 'vault', 'pgsodium', 'pgsodium_masks', 'net', 'cron',"
  "  'supabase_functions', 'supabase_migrations', 'tandem', '_realtime', '_analytics'])"
  ") "
  "SELECT json_build_object("
  " 'schemas', (SELECT coalesce(json_agg(e.nspname ORDER BY e.nspname), '[]') FROM exposed e),"
  " 'tables', (SELECT coalesce(json_agg(json_build_object("
  "    'schema', e.nspname, 'name', c.relname, 'kind', c.relkind,"
  "    'description', obj_description(c.oid, 'pg_class'),"
  "    'updatable', pg_relation_is_updatable(c.oid, true),"
  "    'columns', (SELECT coalesce(json_agg(json_build_object("
  "        'name', a.attname, 'type', format_type(a.atttypid, a.atttypmod),"
  "        'nullable', NOT a.attnotnull, 'default', pg_get_expr(d.adbin, d.adrelid),"
  "        'description', col_description(c.oid, a.attnum), 'generated', a.attgenerated <> '',"
  "        'pk', coalesce(array_position(pk.conkey, a.attnum), 0)) ORDER BY a.attnum), '[]')"
  "      FROM pg_attribute a"
  "      LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum"
  "      WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped)"
  "   ) ORDER BY e.nspname, c.relname), '[]')"
  "   FROM pg_class c JOIN exposed e ON e.oid = c.relnamespace"
  "   LEFT JOIN pg_constraint pk ON pk.conrelid = c.oid AND pk.contype = 'p'"
  "   WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f')),"
  " 'functions', (SELECT coalesce(json_agg(json_build_object("
  "    'schema', e.nspname, 'name', p.proname, 'volatility', p.provolatile,"
  "    'description', obj_description(p.oid, 'pg_proc'),"
  "    'returns_set', p.proretset, 'return_type', format_type(p.prorettype, NULL),"
  "    'return_kind', CASE WHEN p.prorettype = 'void'::regtype THEN 'void'"
  "                        WHEN t.typtype = 'c' OR (p.prorettype = 'record'::regtype"
  "                             AND p.proargmodes && ARRAY['o', 't']::\"char\"[]) THEN 'composite'"
  "                        ELSE 'scalar' END,"
  "    'params', (SELECT coalesce(json_agg(json_build_object("
  "        'name', coalesce(a.name, ''), 'type', format_type(a.type, NULL),"
  "        'variadic', a.mode = 'v', 'has_default', a.ord > p.pronargs - p.pronargdefaults)"
  "        ORDER BY a.ord), '[]')"
  "      FROM (SELECT x.type, x.mode, x.name, row_number() OVER (ORDER BY x.pos) AS ord"
  "            FROM unnest(coalesce(p.proallargtypes, p.proargtypes::oid[]),"
  "                        coalesce(p.proargmodes, array_fill('i'::\"char\","
  "                          ARRAY[cardinality(coalesce(p.proallargtypes, p.proargtypes::oid[]))])),"
  "                        p.proargnames) WITH ORDINALITY AS x(type, mode, name, pos)"
  "            WHERE x.mode IN ('i', 'b', 'v')) a)"
  "   ) ORDER BY e.nspname, p.proname, p.oid), '[]')"
  "   FROM pg_proc p JOIN exposed e ON e.oid = p.pronamespace"
  "   JOIN pg_type t ON t.oid = p.prorettype"
  "   WHERE p.prokind = 'f')"
  ")::text";

const char *
tandem_rest_schema_query (void)
{
  return schema_query;
}

typedef struct
{
  GPtrArray  *tables;     /* TandemRestTable *, owned, sorted by name */
  GHashTable *by_table;   /* name → TandemRestTable * */
  GPtrArray  *functions;  /* TandemRestFunction *, owned, sorted by name */
  GHashTable *by_function;/* name → GPtrArray of TandemRestFunction * (overloads) */
} SchemaEntry;

struct _TandemRestSchemaCache
{
  gatomicrefcount  ref_count;
  GHashTable      *schemas;  /* name → SchemaEntry * */
  char            *schema_list;
};

static void
column_free (gpointer data)
{
  TandemRestColumn *column = data;

  g_free (column->name);
  g_free (column->type);
  g_free (column->default_expr);
  g_free (column->description);
  g_free (column);
}

static void
table_free (gpointer data)
{
  TandemRestTable *table = data;

  g_free (table->schema);
  g_free (table->name);
  g_free (table->description);
  g_ptr_array_unref (table->columns);
  g_hash_table_unref (table->by_name);
  g_ptr_array_unref (table->pk);
  g_free (table);
}

static void
param_free (gpointer data)
{
  TandemRestParam *param = data;

  g_free (param->name);
  g_free (param->type);
  g_free (param);
}

static void
function_free (gpointer data)
{
  TandemRestFunction *function = data;

  g_free (function->schema);
  g_free (function->name);
  g_free (function->description);
  g_free (function->return_type);
  g_ptr_array_unref (function->params);
  g_free (function);
}

static void
schema_entry_free (gpointer data)
{
  SchemaEntry *entry = data;

  g_hash_table_unref (entry->by_table);
  g_ptr_array_unref (entry->tables);
  g_hash_table_unref (entry->by_function);
  g_ptr_array_unref (entry->functions);
  g_free (entry);
}

static SchemaEntry *
schema_entry_new (void)
{
  SchemaEntry *entry = g_new0 (SchemaEntry, 1);

  entry->tables = g_ptr_array_new_with_free_func (table_free);
  entry->by_table = g_hash_table_new (g_str_hash, g_str_equal);
  entry->functions = g_ptr_array_new_with_free_func (function_free);
  entry->by_function = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify) g_ptr_array_unref);
  return entry;
}

/* ---- reading the JSON ------------------------------------------------------- */

static const char *
member_string (JsonObject *object,
               const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || JSON_NODE_HOLDS_NULL (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

static char *
dup_member_string (JsonObject *object,
                   const char *name)
{
  return g_strdup (member_string (object, name));
}

static gboolean
member_boolean (JsonObject *object,
                const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  return node != NULL && JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_BOOLEAN &&
         json_node_get_boolean (node);
}

static gint64
member_int (JsonObject *object,
            const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64)
    return 0;
  return json_node_get_int (node);
}

static JsonArray *
member_array (JsonObject *object,
              const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  return node != NULL && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
}

static SchemaEntry *
ensure_schema (TandemRestSchemaCache *cache,
               const char            *name)
{
  SchemaEntry *entry = g_hash_table_lookup (cache->schemas, name);

  if (entry == NULL)
    {
      entry = schema_entry_new ();
      g_hash_table_insert (cache->schemas, g_strdup (name), entry);
    }
  return entry;
}

static int
compare_pk (gconstpointer a,
            gconstpointer b)
{
  const TandemRestColumn *x = *(const TandemRestColumn * const *) a;
  const TandemRestColumn *y = *(const TandemRestColumn * const *) b;

  return (int) x->pk_position - (int) y->pk_position;
}

static gboolean
add_table (TandemRestSchemaCache *cache,
           JsonObject            *object)
{
  const char *schema = member_string (object, "schema");
  const char *name = member_string (object, "name");
  const char *kind = member_string (object, "kind");
  JsonArray *columns = member_array (object, "columns");
  g_autoptr(GPtrArray) pk_columns = g_ptr_array_new ();
  TandemRestTable *table;
  SchemaEntry *entry;
  gint64 mask;

  if (schema == NULL || name == NULL || kind == NULL || columns == NULL)
    return FALSE;

  table = g_new0 (TandemRestTable, 1);
  table->schema = g_strdup (schema);
  table->name = g_strdup (name);
  table->kind = kind[0];
  table->description = dup_member_string (object, "description");
  mask = member_int (object, "updatable");
  table->insertable = (mask & 8) != 0;
  table->updatable = (mask & 4) != 0;
  table->deletable = (mask & 16) != 0;
  table->columns = g_ptr_array_new_with_free_func (column_free);
  table->by_name = g_hash_table_new (g_str_hash, g_str_equal);
  table->pk = g_ptr_array_new ();

  for (guint i = 0; i < json_array_get_length (columns); i++)
    {
      JsonObject *c = json_array_get_object_element (columns, i);
      TandemRestColumn *column;

      if (c == NULL || member_string (c, "name") == NULL || member_string (c, "type") == NULL)
        {
          table_free (table);
          return FALSE;
        }
      column = g_new0 (TandemRestColumn, 1);
      column->name = dup_member_string (c, "name");
      column->type = dup_member_string (c, "type");
      column->default_expr = dup_member_string (c, "default");
      column->description = dup_member_string (c, "description");
      column->nullable = member_boolean (c, "nullable");
      column->generated = member_boolean (c, "generated");
      column->pk_position = (guint) CLAMP (member_int (c, "pk"), 0, G_MAXINT);
      g_ptr_array_add (table->columns, column);
      g_hash_table_insert (table->by_name, column->name, column);
      if (column->pk_position > 0)
        g_ptr_array_add (pk_columns, column);
    }
  g_ptr_array_sort (pk_columns, compare_pk);
  for (guint i = 0; i < pk_columns->len; i++)
    g_ptr_array_add (table->pk, ((TandemRestColumn *) pk_columns->pdata[i])->name);

  entry = ensure_schema (cache, schema);
  g_ptr_array_add (entry->tables, table);
  g_hash_table_insert (entry->by_table, table->name, table);
  return TRUE;
}

static gboolean
add_function (TandemRestSchemaCache *cache,
              JsonObject            *object)
{
  const char *schema = member_string (object, "schema");
  const char *name = member_string (object, "name");
  const char *volatility = member_string (object, "volatility");
  const char *kind = member_string (object, "return_kind");
  JsonArray *params = member_array (object, "params");
  TandemRestFunction *function;
  SchemaEntry *entry;
  GPtrArray *overloads;

  if (schema == NULL || name == NULL || volatility == NULL || kind == NULL || params == NULL)
    return FALSE;

  function = g_new0 (TandemRestFunction, 1);
  function->schema = g_strdup (schema);
  function->name = g_strdup (name);
  function->description = dup_member_string (object, "description");
  function->volatility = volatility[0];
  function->returns_set = member_boolean (object, "returns_set");
  function->return_type = dup_member_string (object, "return_type");
  if (g_str_equal (kind, "void"))
    function->return_kind = TANDEM_REST_RETURNS_VOID;
  else if (g_str_equal (kind, "composite"))
    function->return_kind = TANDEM_REST_RETURNS_COMPOSITE;
  else
    function->return_kind = TANDEM_REST_RETURNS_SCALAR;
  function->params = g_ptr_array_new_with_free_func (param_free);

  for (guint i = 0; i < json_array_get_length (params); i++)
    {
      JsonObject *p = json_array_get_object_element (params, i);
      TandemRestParam *param;

      if (p == NULL || member_string (p, "type") == NULL)
        {
          function_free (function);
          return FALSE;
        }
      param = g_new0 (TandemRestParam, 1);
      param->name = g_strdup (member_string (p, "name") ? member_string (p, "name") : "");
      param->type = dup_member_string (p, "type");
      param->has_default = member_boolean (p, "has_default");
      param->variadic = member_boolean (p, "variadic");
      g_ptr_array_add (function->params, param);
    }

  entry = ensure_schema (cache, schema);
  g_ptr_array_add (entry->functions, function);
  overloads = g_hash_table_lookup (entry->by_function, function->name);
  if (overloads == NULL)
    {
      overloads = g_ptr_array_new ();
      g_hash_table_insert (entry->by_function, function->name, overloads);
    }
  g_ptr_array_add (overloads, function);
  return TRUE;
}

TandemRestSchemaCache *
tandem_rest_schema_cache_new_from_json (const char  *json,
                                        GError     **error)
{
  g_autoptr(TandemRestSchemaCache) cache = g_new0 (TandemRestSchemaCache, 1);
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(GPtrArray) names = g_ptr_array_new ();
  JsonObject *root;
  JsonArray *schemas, *tables, *functions;

  g_atomic_ref_count_init (&cache->ref_count);
  cache->schemas = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, schema_entry_free);

  if (!json_parser_load_from_data (parser, json, -1, error))
    return NULL;
  root = JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)) ? json_node_get_object (json_parser_get_root (parser)) : NULL;
  schemas = root ? member_array (root, "schemas") : NULL;
  tables = root ? member_array (root, "tables") : NULL;
  functions = root ? member_array (root, "functions") : NULL;
  if (schemas == NULL || tables == NULL || functions == NULL)
    goto invalid;

  for (guint i = 0; i < json_array_get_length (schemas); i++)
    {
      const char *name = json_array_get_string_element (schemas, i);

      if (name == NULL)
        goto invalid;
      ensure_schema (cache, name);
      g_ptr_array_add (names, (char *) name);
    }
  for (guint i = 0; i < json_array_get_length (tables); i++)
    if (json_array_get_object_element (tables, i) == NULL ||
        !add_table (cache, json_array_get_object_element (tables, i)))
      goto invalid;
  for (guint i = 0; i < json_array_get_length (functions); i++)
    if (json_array_get_object_element (functions, i) == NULL ||
        !add_function (cache, json_array_get_object_element (functions, i)))
      goto invalid;

  g_ptr_array_add (names, NULL);
  cache->schema_list = g_strjoinv (", ", (char **) names->pdata);
  return g_steal_pointer (&cache);

invalid:
  g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "The schema cache query returned unexpected data");
  return NULL;
}

TandemRestSchemaCache *
tandem_rest_schema_cache_ref (TandemRestSchemaCache *cache)
{
  g_atomic_ref_count_inc (&cache->ref_count);
  return cache;
}

void
tandem_rest_schema_cache_unref (TandemRestSchemaCache *cache)
{
  if (!g_atomic_ref_count_dec (&cache->ref_count))
    return;
  g_hash_table_unref (cache->schemas);
  g_free (cache->schema_list);
  g_free (cache);
}

gboolean
tandem_rest_schema_cache_has_schema (TandemRestSchemaCache *cache,
                                     const char            *schema)
{
  return g_hash_table_contains (cache->schemas, schema);
}

char *
tandem_rest_schema_cache_dup_schema_list (TandemRestSchemaCache *cache)
{
  return g_strdup (cache->schema_list != NULL ? cache->schema_list : "");
}

GPtrArray *
tandem_rest_schema_cache_get_tables (TandemRestSchemaCache *cache,
                                     const char            *schema)
{
  SchemaEntry *entry = g_hash_table_lookup (cache->schemas, schema);

  return entry != NULL ? entry->tables : NULL;
}

TandemRestTable *
tandem_rest_schema_cache_lookup_table (TandemRestSchemaCache *cache,
                                       const char            *schema,
                                       const char            *name)
{
  SchemaEntry *entry = g_hash_table_lookup (cache->schemas, schema);

  return entry != NULL ? g_hash_table_lookup (entry->by_table, name) : NULL;
}

GPtrArray *
tandem_rest_schema_cache_lookup_functions (TandemRestSchemaCache *cache,
                                           const char            *schema,
                                           const char            *name)
{
  SchemaEntry *entry = g_hash_table_lookup (cache->schemas, schema);

  return entry != NULL ? g_hash_table_lookup (entry->by_function, name) : NULL;
}

GPtrArray *
tandem_rest_schema_cache_get_functions (TandemRestSchemaCache *cache,
                                        const char            *schema)
{
  SchemaEntry *entry = g_hash_table_lookup (cache->schemas, schema);

  return entry != NULL ? entry->functions : NULL;
}

TandemRestColumn *
tandem_rest_table_lookup_column (const TandemRestTable *table,
                                 const char            *name)
{
  return g_hash_table_lookup (table->by_name, name);
}

static gboolean
is_json_type (const char *type)
{
  return g_str_equal (type, "json") || g_str_equal (type, "jsonb");
}

TandemRestFunction *
tandem_rest_function_choose (GPtrArray          *functions,
                             const char * const *names,
                             gboolean            single_json)
{
  if (functions == NULL)
    return NULL;

  for (guint i = 0; i < functions->len; i++)
    {
      TandemRestFunction *function = functions->pdata[i];
      gboolean fits = TRUE;

      /* Every argument given must be a parameter… */
      for (guint j = 0; names != NULL && names[j] != NULL && fits; j++)
        {
          gboolean found = FALSE;

          for (guint k = 0; k < function->params->len && !found; k++)
            found = g_str_equal (((TandemRestParam *) function->params->pdata[k])->name, names[j]);
          fits = found;
        }
      /* …and every parameter without a default must be given. */
      for (guint k = 0; k < function->params->len && fits; k++)
        {
          TandemRestParam *param = function->params->pdata[k];

          if (!param->has_default && (names == NULL || !g_strv_contains (names, param->name)))
            fits = FALSE;
        }
      if (fits)
        return function;
    }

  /* A single unnamed json/jsonb parameter takes the whole body. */
  for (guint i = 0; single_json && i < functions->len; i++)
    {
      TandemRestFunction *function = functions->pdata[i];

      if (function->params->len == 1)
        {
          TandemRestParam *param = function->params->pdata[0];

          if (param->name[0] == '\0' && is_json_type (param->type))
            return function;
        }
    }
  return NULL;
}
