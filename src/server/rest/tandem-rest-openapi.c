/* tandem-rest-openapi.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tandem-rest"

#include "config.h"

#include <string.h>
#include <json-glib/json-glib.h>

#include "tandem-rest-openapi.h"

static const char visible_query[] =
  "SELECT NULL::bigint, 0::bigint, pg_catalog.json_build_object("
  " 'relations', (SELECT coalesce(pg_catalog.json_agg(c.relname), '[]') FROM pg_catalog.pg_class c"
  "   JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
  "   WHERE n.nspname = $1 AND c.relkind IN ('r', 'p', 'v', 'm', 'f')"
  "   AND pg_catalog.has_schema_privilege(n.oid, 'USAGE')"
  "   AND pg_catalog.has_table_privilege(c.oid, 'SELECT, INSERT, UPDATE, DELETE')),"
  " 'functions', (SELECT coalesce(pg_catalog.json_agg(DISTINCT p.proname), '[]') FROM pg_catalog.pg_proc p"
  "   JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace"
  "   WHERE n.nspname = $1 AND p.prokind = 'f'"
  "   AND pg_catalog.has_schema_privilege(n.oid, 'USAGE')"
  "   AND pg_catalog.has_function_privilege(p.oid, 'EXECUTE'))"
  ")::text, NULL::text";

const char *
tandem_rest_openapi_visible_query (void)
{
  return visible_query;
}

/* PostgREST's mapping of PostgreSQL types to Swagger types (NULL: none,
 * as for json and jsonb). */
static const char *
swagger_type (const char *type)
{
  static const struct { const char *pg, *swagger; } types[] = {
    { "character varying", "string" }, { "character", "string" }, { "text", "string" },
    { "boolean", "boolean" }, { "smallint", "integer" }, { "integer", "integer" },
    { "bigint", "integer" }, { "numeric", "number" }, { "real", "number" },
    { "double precision", "number" }, { "json", NULL }, { "jsonb", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (types); i++)
    if (g_str_equal (type, types[i].pg))
      return types[i].swagger;
  if (g_str_has_suffix (type, "[]"))
    return "array";
  return "string";
}

static void
add_string (JsonBuilder *builder,
            const char  *name,
            const char  *value)
{
  json_builder_set_member_name (builder, name);
  json_builder_add_string_value (builder, value);
}

static void
add_ref (JsonBuilder *builder,
         const char  *target)
{
  g_autofree char *ref = g_strconcat ("#/parameters/", target, NULL);

  json_builder_begin_object (builder);
  add_string (builder, "$ref", ref);
  json_builder_end_object (builder);
}

static void
add_string_array (JsonBuilder        *builder,
                  const char         *name,
                  const char * const *values)
{
  json_builder_set_member_name (builder, name);
  json_builder_begin_array (builder);
  for (guint i = 0; values[i] != NULL; i++)
    json_builder_add_string_value (builder, values[i]);
  json_builder_end_array (builder);
}

static void
add_responses (JsonBuilder *builder,
               const char  *code,
               const char  *description,
               const char  *array_of)
{
  json_builder_set_member_name (builder, "responses");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, code);
  json_builder_begin_object (builder);
  add_string (builder, "description", description);
  if (array_of != NULL)
    {
      g_autofree char *ref = g_strconcat ("#/definitions/", array_of, NULL);

      json_builder_set_member_name (builder, "schema");
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "items");
      json_builder_begin_object (builder);
      add_string (builder, "$ref", ref);
      json_builder_end_object (builder);
      add_string (builder, "type", "array");
      json_builder_end_object (builder);
    }
  json_builder_end_object (builder);
  if (array_of != NULL)
    {
      json_builder_set_member_name (builder, "206");
      json_builder_begin_object (builder);
      add_string (builder, "description", "Partial Content");
      json_builder_end_object (builder);
    }
  json_builder_end_object (builder);
}

static void
add_operation (JsonBuilder           *builder,
               const char            *method,
               const TandemRestTable *table,
               const char * const    *shared,
               gboolean               row_filters,
               gboolean               body,
               const char            *code,
               const char            *description)
{
  json_builder_set_member_name (builder, method);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "parameters");
  json_builder_begin_array (builder);
  for (guint i = 0; row_filters && i < table->columns->len; i++)
    {
      g_autofree char *name = g_strconcat ("rowFilter.", table->name, ".",
                                           ((TandemRestColumn *) table->columns->pdata[i])->name, NULL);
      add_ref (builder, name);
    }
  if (body)
    {
      g_autofree char *name = g_strconcat ("body.", table->name, NULL);
      add_ref (builder, name);
    }
  for (guint i = 0; shared[i] != NULL; i++)
    add_ref (builder, shared[i]);
  json_builder_end_array (builder);
  add_responses (builder, code, description, g_str_equal (method, "get") ? table->name : NULL);
  if (table->description != NULL)
    {
      g_autofree char *summary = g_strndup (table->description, strcspn (table->description, "\n"));
      add_string (builder, "summary", summary);
    }
  json_builder_set_member_name (builder, "tags");
  json_builder_begin_array (builder);
  json_builder_add_string_value (builder, table->name);
  json_builder_end_array (builder);
  json_builder_end_object (builder);
}

static void
add_table_path (JsonBuilder           *builder,
                const TandemRestTable *table)
{
  static const char * const get_params[] = { "select", "order", "range", "rangeUnit", "offset", "limit", "preferCount", NULL };
  static const char * const post_params[] = { "select", "preferPost", NULL };
  static const char * const return_params[] = { "preferReturn", NULL };
  g_autofree char *path = g_strconcat ("/", table->name, NULL);

  json_builder_set_member_name (builder, path);
  json_builder_begin_object (builder);
  add_operation (builder, "get", table, get_params, TRUE, FALSE, "200", "OK");
  if (table->insertable || table->updatable || table->deletable)
    {
      add_operation (builder, "post", table, post_params, FALSE, TRUE, "201", "Created");
      add_operation (builder, "delete", table, return_params, TRUE, FALSE, "204", "No Content");
      add_operation (builder, "patch", table, return_params, TRUE, TRUE, "204", "No Content");
    }
  json_builder_end_object (builder);
}

static void
add_type (JsonBuilder *builder,
          const char  *type)
{
  const char *swagger = swagger_type (type);

  add_string (builder, "format", type);
  if (swagger != NULL)
    add_string (builder, "type", swagger);
  if (swagger != NULL && g_str_equal (swagger, "array"))
    {
      g_autofree char *element = g_strndup (type, strlen (type) - 2);
      const char *element_type = swagger_type (element);

      json_builder_set_member_name (builder, "items");
      json_builder_begin_object (builder);
      if (element_type != NULL)
        add_string (builder, "type", element_type);
      json_builder_end_object (builder);
    }
}

static void
add_function_path (JsonBuilder              *builder,
                   const TandemRestFunction *function)
{
  g_autofree char *path = g_strconcat ("/rpc/", function->name, NULL);
  g_autofree char *tag = g_strconcat ("(rpc) ", function->name, NULL);
  static const char * const produces[] = {
    "application/json", "application/vnd.pgrst.object+json;nulls=stripped", "application/vnd.pgrst.object+json", NULL,
  };
  const char *methods[] = { "post", function->volatility != 'v' ? "get" : NULL };

  json_builder_set_member_name (builder, path);
  json_builder_begin_object (builder);
  for (guint m = 0; m < G_N_ELEMENTS (methods) && methods[m] != NULL; m++)
    {
      gboolean post = m == 0;

      json_builder_set_member_name (builder, methods[m]);
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "parameters");
      json_builder_begin_array (builder);
      if (post)
        {
          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "in");
          json_builder_add_string_value (builder, "body");
          add_string (builder, "name", "args");
          json_builder_set_member_name (builder, "required");
          json_builder_add_boolean_value (builder, TRUE);
          json_builder_set_member_name (builder, "schema");
          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "properties");
          json_builder_begin_object (builder);
          for (guint i = 0; i < function->params->len; i++)
            {
              TandemRestParam *param = function->params->pdata[i];

              json_builder_set_member_name (builder, param->name);
              json_builder_begin_object (builder);
              add_type (builder, param->type);
              json_builder_end_object (builder);
            }
          json_builder_end_object (builder);
          json_builder_set_member_name (builder, "required");
          json_builder_begin_array (builder);
          for (guint i = 0; i < function->params->len; i++)
            if (!((TandemRestParam *) function->params->pdata[i])->has_default)
              json_builder_add_string_value (builder, ((TandemRestParam *) function->params->pdata[i])->name);
          json_builder_end_array (builder);
          add_string (builder, "type", "object");
          json_builder_end_object (builder);
          json_builder_end_object (builder);
          add_ref (builder, "preferParams");
        }
      else
        for (guint i = 0; i < function->params->len; i++)
          {
            TandemRestParam *param = function->params->pdata[i];
            const char *type = swagger_type (param->type);

            json_builder_begin_object (builder);
            add_string (builder, "format", param->type);
            add_string (builder, "in", "query");
            add_string (builder, "name", param->name);
            json_builder_set_member_name (builder, "required");
            json_builder_add_boolean_value (builder, !param->has_default);
            add_string (builder, "type", type == NULL || g_str_equal (type, "array") ? "string" : type);
            json_builder_end_object (builder);
          }
      json_builder_end_array (builder);
      add_string_array (builder, "produces", produces);
      add_responses (builder, "200", "OK", NULL);
      if (function->description != NULL)
        {
          g_autofree char *summary = g_strndup (function->description, strcspn (function->description, "\n"));
          add_string (builder, "summary", summary);
        }
      json_builder_set_member_name (builder, "tags");
      json_builder_begin_array (builder);
      json_builder_add_string_value (builder, tag);
      json_builder_end_array (builder);
      json_builder_end_object (builder);
    }
  json_builder_end_object (builder);
}

static void
add_definition (JsonBuilder           *builder,
                const TandemRestTable *table)
{
  json_builder_set_member_name (builder, table->name);
  json_builder_begin_object (builder);
  if (table->description != NULL)
    add_string (builder, "description", table->description);
  json_builder_set_member_name (builder, "properties");
  json_builder_begin_object (builder);
  for (guint i = 0; i < table->columns->len; i++)
    {
      TandemRestColumn *column = table->columns->pdata[i];
      g_autofree char *description = NULL;

      if (column->pk_position > 0)
        description = g_strconcat (column->description ? column->description : "",
                                   column->description ? "\n\n" : "",
                                   "Note:\nThis is a Primary Key.<pk/>", NULL);
      else
        description = g_strdup (column->description);

      json_builder_set_member_name (builder, column->name);
      json_builder_begin_object (builder);
      if (column->default_expr != NULL)
        add_string (builder, "default", column->default_expr);
      if (description != NULL)
        add_string (builder, "description", description);
      add_type (builder, column->type);
      json_builder_end_object (builder);
    }
  json_builder_end_object (builder);
  json_builder_set_member_name (builder, "required");
  json_builder_begin_array (builder);
  for (guint i = 0; i < table->columns->len; i++)
    if (!((TandemRestColumn *) table->columns->pdata[i])->nullable)
      json_builder_add_string_value (builder, ((TandemRestColumn *) table->columns->pdata[i])->name);
  json_builder_end_array (builder);
  add_string (builder, "type", "object");
  json_builder_end_object (builder);
}

static void
add_parameter (JsonBuilder *builder,
               const char  *key,
               const char  *name,
               const char  *in,
               const char  *description,
               const char  *default_value)
{
  json_builder_set_member_name (builder, key);
  json_builder_begin_object (builder);
  if (default_value != NULL)
    add_string (builder, "default", default_value);
  add_string (builder, "description", description);
  add_string (builder, "in", in);
  add_string (builder, "name", name);
  json_builder_set_member_name (builder, "required");
  json_builder_add_boolean_value (builder, FALSE);
  add_string (builder, "type", "string");
  json_builder_end_object (builder);
}

static void
add_prefer (JsonBuilder        *builder,
            const char         *key,
            const char * const *values)
{
  json_builder_set_member_name (builder, key);
  json_builder_begin_object (builder);
  add_string (builder, "description", "Preference");
  add_string_array (builder, "enum", values);
  add_string (builder, "in", "header");
  add_string (builder, "name", "Prefer");
  json_builder_set_member_name (builder, "required");
  json_builder_add_boolean_value (builder, FALSE);
  add_string (builder, "type", "string");
  json_builder_end_object (builder);
}

static gboolean
is_visible (GHashTable *visible,
            const char *prefix,
            const char *name)
{
  g_autofree char *key = NULL;

  if (visible == NULL)
    return TRUE;
  key = g_strconcat (prefix, name, NULL);
  return g_hash_table_contains (visible, key);
}

char *
tandem_rest_openapi_build (TandemRestSchemaCache *cache,
                           const char            *schema,
                           GHashTable            *visible,
                           const char            *host)
{
  static const char * const consumes[] = {
    "application/json", "application/vnd.pgrst.object+json;nulls=stripped", "application/vnd.pgrst.object+json",
    "text/csv", NULL,
  };
  static const char * const root_produces[] = { "application/openapi+json", "application/json", NULL };
  static const char * const schemes[] = { "http", NULL };
  static const char * const prefer_params[] = { "params=single-object", NULL };
  static const char * const prefer_return[] = { "return=representation", "return=minimal", "return=none", NULL };
  static const char * const prefer_count[] = { "count=none", NULL };
  static const char * const prefer_post[] = {
    "return=representation", "return=minimal", "return=none",
    "resolution=ignore-duplicates", "resolution=merge-duplicates", NULL,
  };
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  GPtrArray *tables = tandem_rest_schema_cache_get_tables (cache, schema);
  GPtrArray *functions = tandem_rest_schema_cache_get_functions (cache, schema);
  g_autofree char *title = g_strdup_printf ("standard %s schema", schema);

  json_builder_begin_object (builder);
  add_string (builder, "swagger", "2.0");
  json_builder_set_member_name (builder, "info");
  json_builder_begin_object (builder);
  add_string (builder, "description", "");
  add_string (builder, "title", title);
  add_string (builder, "version", PACKAGE_VERSION " (tandem-server)");
  json_builder_end_object (builder);
  add_string (builder, "host", host);
  add_string (builder, "basePath", "/rest/v1");
  add_string_array (builder, "schemes", schemes);
  add_string_array (builder, "consumes", consumes);
  add_string_array (builder, "produces", consumes);

  json_builder_set_member_name (builder, "paths");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "/");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "get");
  json_builder_begin_object (builder);
  add_string_array (builder, "produces", root_produces);
  add_responses (builder, "200", "OK", NULL);
  add_string (builder, "summary", "OpenAPI description (this document)");
  json_builder_set_member_name (builder, "tags");
  json_builder_begin_array (builder);
  json_builder_add_string_value (builder, "Introspection");
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  json_builder_end_object (builder);
  for (guint i = 0; tables != NULL && i < tables->len; i++)
    if (is_visible (visible, "r:", ((TandemRestTable *) tables->pdata[i])->name))
      add_table_path (builder, tables->pdata[i]);
  for (guint i = 0; functions != NULL && i < functions->len; i++)
    {
      TandemRestFunction *function = functions->pdata[i];

      /* One path per name: the first overload describes it. */
      if ((i == 0 || !g_str_equal (((TandemRestFunction *) functions->pdata[i - 1])->name, function->name)) &&
          is_visible (visible, "f:", function->name))
        add_function_path (builder, function);
    }
  json_builder_end_object (builder);

  json_builder_set_member_name (builder, "definitions");
  json_builder_begin_object (builder);
  for (guint i = 0; tables != NULL && i < tables->len; i++)
    if (is_visible (visible, "r:", ((TandemRestTable *) tables->pdata[i])->name))
      add_definition (builder, tables->pdata[i]);
  json_builder_end_object (builder);

  json_builder_set_member_name (builder, "parameters");
  json_builder_begin_object (builder);
  add_prefer (builder, "preferParams", prefer_params);
  add_prefer (builder, "preferReturn", prefer_return);
  add_prefer (builder, "preferCount", prefer_count);
  add_prefer (builder, "preferPost", prefer_post);
  add_parameter (builder, "select", "select", "query", "Filtering Columns", NULL);
  add_parameter (builder, "on_conflict", "on_conflict", "query", "On Conflict", NULL);
  add_parameter (builder, "order", "order", "query", "Ordering", NULL);
  add_parameter (builder, "range", "Range", "header", "Limiting and Pagination", NULL);
  add_parameter (builder, "rangeUnit", "Range-Unit", "header", "Limiting and Pagination", "items");
  add_parameter (builder, "offset", "offset", "query", "Limiting and Pagination", NULL);
  add_parameter (builder, "limit", "limit", "query", "Limiting and Pagination", NULL);
  for (guint i = 0; tables != NULL && i < tables->len; i++)
    {
      TandemRestTable *table = tables->pdata[i];
      g_autofree char *body_key = g_strconcat ("body.", table->name, NULL);
      g_autofree char *ref = g_strconcat ("#/definitions/", table->name, NULL);

      if (!is_visible (visible, "r:", table->name))
        continue;
      json_builder_set_member_name (builder, body_key);
      json_builder_begin_object (builder);
      add_string (builder, "description", table->name);
      add_string (builder, "in", "body");
      add_string (builder, "name", table->name);
      json_builder_set_member_name (builder, "required");
      json_builder_add_boolean_value (builder, FALSE);
      json_builder_set_member_name (builder, "schema");
      json_builder_begin_object (builder);
      add_string (builder, "$ref", ref);
      json_builder_end_object (builder);
      json_builder_end_object (builder);
      for (guint j = 0; j < table->columns->len; j++)
        {
          TandemRestColumn *column = table->columns->pdata[j];
          g_autofree char *key = g_strconcat ("rowFilter.", table->name, ".", column->name, NULL);

          add_parameter (builder, key, column->name, "query",
                         column->description != NULL ? column->description : "", NULL);
        }
    }
  json_builder_end_object (builder);

  json_builder_set_member_name (builder, "externalDocs");
  json_builder_begin_object (builder);
  add_string (builder, "description", "PostgREST Documentation");
  add_string (builder, "url", "https://postgrest.org/en/stable/references/api.html");
  json_builder_end_object (builder);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  return json_to_string (root, FALSE);
}
