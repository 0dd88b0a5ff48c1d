/* tandem-rest-sql-call.c: /rpc/<function> as SQL
 *
 * The overload is chosen by the argument names (PostgREST's rule); the
 * arguments go to PostgreSQL as one JSON object and become typed values
 * with json_to_record over the function's parameter types (from the
 * catalog), passed by name. Set-returning functions can be filtered,
 * ordered and paged like tables.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tandem-rest"

#include "config.h"

#include <string.h>
#include <json-glib/json-glib.h>

#include "tandem-rest-sql-private.h"

/* ---- rpc --------------------------------------------------------------------------------- */

static TandemRestError *
no_function (const TandemRestRequest *request,
             const char * const      *names)
{
  g_autofree char *list = names != NULL && names[0] != NULL ? g_strjoinv (", ", (char **) names) : NULL;
  g_autofree char *message_args = list != NULL ? g_strdup_printf ("(%s)", list) : g_strdup (" without parameters");
  g_autofree char *details = g_strdup_printf ("Searched for the function %s.%s%s%s%s, but no matches were found in the schema cache.",
                                              request->schema, request->resource,
                                              list != NULL ? (strchr (list, ',') ? " with parameters " : " with parameter ") : " without parameters",
                                              list != NULL ? list : "",
                                              request->method == TANDEM_REST_METHOD_POST ? " or with a single unnamed json/jsonb parameter" : "");

  return tandem_rest_error_new (404, "PGRST202", details, NULL,
                                "Could not find the function %s.%s%s in the schema cache",
                                request->schema, request->resource, message_args);
}

/* The arguments as one JSON object: the body (POST) or the query (GET). */
static JsonNode *
call_arguments (const TandemRestRequest  *request,
                TandemRestError         **error)
{
  gsize size = 0;

  if (request->method == TANDEM_REST_METHOD_POST)
    {
      JsonNode *root;

      if (request->body == NULL || (g_bytes_get_data (request->body, &size), size == 0))
        return json_node_init_object (json_node_alloc (), json_object_new ());
      root = _tandem_rest_sql_parse_body (request, error);
      return root;
    }
  else
    {
      g_autoptr(JsonObject) object = json_object_new ();

      for (guint i = 0; request->rpc_args != NULL && i + 1 < request->rpc_args->len; i += 2)
        {
          const char *name = request->rpc_args->pdata[i];
          const char *value = request->rpc_args->pdata[i + 1];
          JsonNode *previous = json_object_get_member (object, name);

          /* A repeated name is an array argument (variadic or array). */
          if (previous != NULL && JSON_NODE_HOLDS_ARRAY (previous))
            json_array_add_string_element (json_node_get_array (previous), value);
          else if (previous != NULL)
            {
              JsonArray *array = json_array_new ();

              json_array_add_string_element (array, json_node_get_string (previous));
              json_array_add_string_element (array, value);
              json_object_set_array_member (object, name, array);
            }
          else
            json_object_set_string_member (object, name, value);
        }
      return json_node_init_object (json_node_alloc (), object);
    }
}

static TandemRestParam *
function_param (const TandemRestFunction *function,
                const char               *name)
{
  for (guint i = 0; i < function->params->len; i++)
    if (g_str_equal (((TandemRestParam *) function->params->pdata[i])->name, name))
      return function->params->pdata[i];
  return NULL;
}

TandemRestStatement *
tandem_rest_sql_call (const TandemRestRequest  *request,
                      GPtrArray                *functions,
                      TandemRestError         **error)
{
  g_autoptr(JsonNode) args = call_arguments (request, error);
  g_autoptr(GList) members = NULL;
  g_autoptr(GPtrArray) names = g_ptr_array_new ();
  g_autofree char *args_json = NULL;
  TandemRestFunction *function;
  gboolean single_json = FALSE;
  gboolean composite;
  Source src = { NULL, "_src", NULL };
  Builder b;
  gsize where_start;
  g_autofree char *where = NULL;
  g_autofree char *total = NULL;

  if (args == NULL)
    return NULL;
  if (JSON_NODE_HOLDS_OBJECT (args))
    {
      members = json_object_get_members (json_node_get_object (args));
      for (GList *l = members; l != NULL; l = l->next)
        g_ptr_array_add (names, l->data);
    }
  g_ptr_array_add (names, NULL);

  function = tandem_rest_function_choose (functions,
                                          JSON_NODE_HOLDS_OBJECT (args) ? (const char * const *) names->pdata : NULL,
                                          FALSE);
  if (function == NULL && request->method == TANDEM_REST_METHOD_POST)
    {
      function = tandem_rest_function_choose (functions, NULL, TRUE);
      single_json = function != NULL;
    }
  if (function == NULL || (!single_json && !JSON_NODE_HOLDS_OBJECT (args)))
    {
      *error = no_function (request, JSON_NODE_HOLDS_OBJECT (args) ? (const char * const *) names->pdata : NULL);
      return NULL;
    }
  composite = function->return_kind == TANDEM_REST_RETURNS_COMPOSITE;

  _tandem_rest_sql_builder_init (&b);
  args_json = json_to_string (args, FALSE);
  g_string_append (b.sql, "WITH ");
  if (!single_json && names->len > 1)
    {
      g_string_append (b.sql, "_args AS (SELECT * FROM pg_catalog.json_to_record(");
      _tandem_rest_sql_add_param (&b, args_json);
      g_string_append (b.sql, "::json) AS _a(");
      for (guint i = 0; names->pdata[i] != NULL; i++)
        {
          if (i > 0)
            g_string_append (b.sql, ", ");
          _tandem_rest_sql_emit_ident (&b, names->pdata[i]);
          /* The type from the catalog (format_type), never from the request. */
          g_string_append_printf (b.sql, " %s", function_param (function, names->pdata[i])->type);
        }
      g_string_append (b.sql, ")), ");
    }

  g_string_append (b.sql, "_src AS (SELECT ");
  if (composite)
    g_string_append (b.sql, "_f.* FROM ");
  else if (function->return_kind == TANDEM_REST_RETURNS_SCALAR)
    g_string_append (b.sql, "_f._scalar FROM ");
  _tandem_rest_sql_emit_qualified (&b, function->schema, function->name);
  g_string_append_c (b.sql, '(');
  if (single_json)
    {
      _tandem_rest_sql_add_param (&b, args_json);
      g_string_append_printf (b.sql, "::%s", ((TandemRestParam *) function->params->pdata[0])->type);
    }
  else
    for (guint i = 0; names->pdata[i] != NULL; i++)
      {
        if (i > 0)
          g_string_append (b.sql, ", ");
        _tandem_rest_sql_emit_ident (&b, names->pdata[i]);
        g_string_append (b.sql, " := (SELECT ");
        _tandem_rest_sql_emit_ident (&b, names->pdata[i]);
        g_string_append (b.sql, " FROM _args)");
      }
  g_string_append_c (b.sql, ')');
  if (composite)
    g_string_append (b.sql, " _f");
  else if (function->return_kind == TANDEM_REST_RETURNS_SCALAR)
    g_string_append (b.sql, " AS _f(_scalar)");
  g_string_append (b.sql, ")");

  if (function->return_kind == TANDEM_REST_RETURNS_VOID)
    {
      g_string_append (b.sql, " SELECT NULL::bigint, pg_catalog.count(*), NULL::text, NULL::text FROM _src");
    }
  else
    {
      Builder inner;

      _tandem_rest_sql_builder_init (&inner);
      g_ptr_array_unref (inner.params);
      inner.params = g_ptr_array_ref (b.params);
      g_string_append (inner.sql, "SELECT ");
      if (composite)
        _tandem_rest_sql_select_list (&inner, &src, request->select);
      else
        g_string_append (inner.sql, "_src._scalar");
      g_string_append (inner.sql, " FROM _src");
      where_start = inner.sql->len;
      if (composite)
        _tandem_rest_sql_where_sql (&inner, &src, request);
      where = g_strndup (inner.sql->str + where_start, inner.sql->len - where_start);
      if (composite)
        _tandem_rest_sql_order_sql (&inner, &src, request);
      _tandem_rest_sql_limit_sql (&inner, request);
      if (_tandem_rest_sql_wants_count (request))
        total = g_strdup_printf ("(SELECT pg_catalog.count(*) FROM _src%s)", where);
      _tandem_rest_sql_final_select (&b, request, total, request->method == TANDEM_REST_METHOD_HEAD ? BODY_NONE
                                        : composite ? BODY_ROWS : BODY_SCALAR,
                    !function->returns_set, inner.sql->str, FALSE);
      _tandem_rest_sql_builder_clear (&inner);
    }

  {
    TandemRestStatement *statement = _tandem_rest_sql_builder_finish (&b);

    statement->returns_void = function->return_kind == TANDEM_REST_RETURNS_VOID;
    return statement;
  }
}
