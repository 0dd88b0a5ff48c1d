/* tandem-rest-sql.c: PostgREST requests as SQL
 *
 * Shapes (names quoted, $n parameters, s.t the table, _src the result):
 *
 *   read    WITH _src AS (SELECT <select> FROM s.t WHERE … ORDER BY … LIMIT $ OFFSET $)
 *   insert  WITH _src AS (INSERT INTO s.t (cols) SELECT cols
 *                         FROM json_populate_recordset(NULL::s.t, $1) [ON CONFLICT …] RETURNING …)
 *   update  WITH _src AS (UPDATE s.t SET (cols) = (SELECT cols FROM json_populate_record(NULL::s.t, $1))
 *                         WHERE … RETURNING …)
 *   delete  WITH _src AS (DELETE FROM s.t WHERE … RETURNING …)
 *   call    WITH _args AS (SELECT * FROM json_to_record($1) AS _a(<name type>…)),
 *                _src AS (SELECT … FROM s.fn(name := (SELECT name FROM _args), …) …)
 *
 * and then, for all of them,
 *
 *   SELECT <total>, pg_catalog.count(_r), <body>, <location> FROM (SELECT … FROM _src …) _r
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tandem-rest"

#include "config.h"

#include <string.h>
#include <json-glib/json-glib.h>

#include "tandem-rest-sql-private.h"

void
tandem_rest_statement_free (TandemRestStatement *statement)
{
  if (statement == NULL)
    return;
  g_free (statement->sql);
  g_ptr_array_unref (statement->params);
  g_free (statement);
}

void
tandem_rest_sql_quote_ident (GString    *out,
                             const char *name)
{
  g_string_append_c (out, '"');
  for (const char *p = name; *p != '\0'; p++)
    {
      if (*p == '"')
        g_string_append_c (out, '"');
      g_string_append_c (out, *p);
    }
  g_string_append_c (out, '"');
}

static const char settings_sql[] =
  "SELECT pg_catalog.set_config('role', $1, false),"
  " pg_catalog.set_config('request.jwt.claims', $2, false),"
  " pg_catalog.set_config('request.jwt.claim.sub', $3, false),"
  " pg_catalog.set_config('request.jwt.claim.role', $1, false),"
  " pg_catalog.set_config('request.method', $4, false),"
  " pg_catalog.set_config('request.path', $5, false),"
  " pg_catalog.set_config('request.headers', $6, false),"
  " pg_catalog.set_config('search_path', $7, false),"
  " pg_catalog.set_config('default_transaction_read_only', $8, false)";

const char *
tandem_rest_sql_settings (void)
{
  return settings_sql;
}

char *
tandem_rest_sql_search_path (const char *schema)
{
  GString *path = g_string_new (NULL);

  tandem_rest_sql_quote_ident (path, schema);
  if (!g_str_equal (schema, "public"))
    g_string_append (path, ", \"public\"");
  if (!g_str_equal (schema, "extensions"))
    g_string_append (path, ", \"extensions\"");
  return g_string_free (path, FALSE);
}

/* ---- the builder ---------------------------------------------------------- */

void
_tandem_rest_sql_builder_init (Builder *b)
{
  b->sql = g_string_new (NULL);
  b->params = g_ptr_array_new_with_free_func (g_free);
}

void
_tandem_rest_sql_builder_clear (Builder *b)
{
  if (b->sql != NULL)
    g_string_free (b->sql, TRUE);
  g_clear_pointer (&b->params, g_ptr_array_unref);
}

TandemRestStatement *
_tandem_rest_sql_builder_finish (Builder *b)
{
  TandemRestStatement *statement = g_new0 (TandemRestStatement, 1);

  statement->sql = g_string_free (g_steal_pointer (&b->sql), FALSE);
  statement->params = g_steal_pointer (&b->params);
  return statement;
}

/* Appends $n bound to @value (which the builder copies; NULL is SQL NULL). */
void
_tandem_rest_sql_add_param (Builder    *b,
                            const char *value)
{
  g_ptr_array_add (b->params, g_strdup (value));
  g_string_append_printf (b->sql, "$%u", b->params->len);
}

void
_tandem_rest_sql_add_param_take (Builder *b,
                                 char    *value)
{
  g_ptr_array_add (b->params, value);
  g_string_append_printf (b->sql, "$%u", b->params->len);
}

void
_tandem_rest_sql_emit_ident (Builder    *b,
                             const char *name)
{
  tandem_rest_sql_quote_ident (b->sql, name);
}

void
_tandem_rest_sql_emit_qualified (Builder    *b,
                                 const char *schema,
                                 const char *name)
{
  _tandem_rest_sql_emit_ident (b, schema);
  g_string_append_c (b->sql, '.');
  _tandem_rest_sql_emit_ident (b, name);
}

static void
emit_source (Builder      *b,
             const Source *src)
{
  if (src->schema != NULL)
    _tandem_rest_sql_emit_qualified (b, src->schema, src->name);
  else
    g_string_append (b->sql, src->name);
}

static gboolean
is_json_column (const Source *src,
                const char   *name)
{
  TandemRestColumn *column;

  if (src->table == NULL || (column = tandem_rest_table_lookup_column (src->table, name)) == NULL)
    return TRUE;
  return g_str_equal (column->type, "json") || g_str_equal (column->type, "jsonb");
}

static void
emit_field (Builder               *b,
            const Source          *src,
            const TandemRestField *f)
{
  /* A JSON path on a column of another type (an array, a composite) goes
   * through its JSON form, as PostgREST does. */
  gboolean to_json = f->json_path != NULL && f->json_path->len > 0 && !is_json_column (src, f->name);

  if (to_json)
    g_string_append (b->sql, "pg_catalog.to_jsonb(");
  emit_source (b, src);
  g_string_append_c (b->sql, '.');
  _tandem_rest_sql_emit_ident (b, f->name);
  if (to_json)
    g_string_append_c (b->sql, ')');
  for (guint i = 0; f->json_path != NULL && i < f->json_path->len; i++)
    {
      TandemRestJsonStep *step = f->json_path->pdata[i];

      g_string_append (b->sql, step->as_text ? "->>" : "->");
      _tandem_rest_sql_add_param (b, step->key);
      if (step->is_index)
        g_string_append (b->sql, "::integer");
    }
}

/* The name a select item gets in the JSON: its alias, else the last key of
 * its JSON path, else the column's name. */
static const char *
item_name (const TandemRestSelectItem *item)
{
  if (item->alias != NULL)
    return item->alias;
  if (item->field.json_path != NULL && item->field.json_path->len > 0)
    {
      TandemRestJsonStep *last = g_ptr_array_index (item->field.json_path, item->field.json_path->len - 1);

      return last->is_index ? item->field.name : last->key;
    }
  return item->field.name;
}

/* Casts name a type by its catalog name, quoted; the SQL spellings of the
 * common types are mapped to theirs. */
static const char *
cast_type_name (const char *cast)
{
  static const struct { const char *sql, *name; } aliases[] = {
    { "int", "int4" }, { "integer", "int4" }, { "smallint", "int2" }, { "bigint", "int8" },
    { "real", "float4" }, { "float", "float8" }, { "double precision", "float8" },
    { "decimal", "numeric" }, { "boolean", "bool" }, { "character varying", "varchar" },
    { "character", "bpchar" }, { "char", "bpchar" }, { "time without time zone", "time" },
    { "time with time zone", "timetz" }, { "timestamp without time zone", "timestamp" },
    { "timestamp with time zone", "timestamptz" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (aliases); i++)
    if (g_ascii_strcasecmp (cast, aliases[i].sql) == 0)
      return aliases[i].name;
  return cast;
}

void
_tandem_rest_sql_select_list (Builder      *b,
                              const Source *src,
                              GPtrArray    *items)
{
  for (guint i = 0; i < items->len; i++)
    {
      TandemRestSelectItem *item = items->pdata[i];
      gboolean renamed = item->alias != NULL || item->cast != NULL || item->field.json_path != NULL;

      if (i > 0)
        g_string_append (b->sql, ", ");
      if (item->star)
        {
          emit_source (b, src);
          g_string_append (b->sql, ".*");
          continue;
        }
      if (item->cast != NULL)
        {
          g_autofree char *lower = g_ascii_strdown (item->cast, -1);

          g_string_append (b->sql, "CAST(");
          emit_field (b, src, &item->field);
          g_string_append (b->sql, " AS ");
          _tandem_rest_sql_emit_ident (b, cast_type_name (lower));
          g_string_append_c (b->sql, ')');
        }
      else
        emit_field (b, src, &item->field);
      if (renamed)
        {
          g_string_append (b->sql, " AS ");
          _tandem_rest_sql_emit_ident (b, item_name (item));
        }
    }
}

/* ---- filters ----------------------------------------------------------------- */

static const char *
op_sql (TandemRestOp op)
{
  switch (op)
    {
    case TANDEM_REST_OP_EQ: return "=";
    case TANDEM_REST_OP_NEQ: return "<>";
    case TANDEM_REST_OP_GT: return ">";
    case TANDEM_REST_OP_GTE: return ">=";
    case TANDEM_REST_OP_LT: return "<";
    case TANDEM_REST_OP_LTE: return "<=";
    case TANDEM_REST_OP_LIKE: return "LIKE";
    case TANDEM_REST_OP_ILIKE: return "ILIKE";
    case TANDEM_REST_OP_MATCH: return "~";
    case TANDEM_REST_OP_IMATCH: return "~*";
    case TANDEM_REST_OP_CS: return "@>";
    case TANDEM_REST_OP_CD: return "<@";
    case TANDEM_REST_OP_OV: return "&&";
    case TANDEM_REST_OP_SL: return "<<";
    case TANDEM_REST_OP_SR: return ">>";
    case TANDEM_REST_OP_NXR: return "&<";
    case TANDEM_REST_OP_NXL: return "&>";
    case TANDEM_REST_OP_ADJ: return "-|-";
    case TANDEM_REST_OP_FTS: return "@@ pg_catalog.to_tsquery";
    case TANDEM_REST_OP_PLFTS: return "@@ pg_catalog.plainto_tsquery";
    case TANDEM_REST_OP_PHFTS: return "@@ pg_catalog.phraseto_tsquery";
    case TANDEM_REST_OP_WFTS: return "@@ pg_catalog.websearch_to_tsquery";
    case TANDEM_REST_OP_IS:
    case TANDEM_REST_OP_ISDISTINCT:
    case TANDEM_REST_OP_IN:
    default:
      g_assert_not_reached ();
    }
}

/* like/ilike take '*' for '%', as URLs cannot easily carry '%'. */
static char *
like_pattern (TandemRestOp  op,
              const char   *value)
{
  char *pattern = g_strdup (value);

  if (op == TANDEM_REST_OP_LIKE || op == TANDEM_REST_OP_ILIKE)
    g_strdelimit (pattern, "*", '%');
  return pattern;
}

/* {"a","b \"c\""}: a PostgreSQL array literal of the elements, every one
 * quoted, bound as one parameter. */
static char *
array_literal (GPtrArray *elements)
{
  GString *out = g_string_new ("{");

  for (guint i = 0; i < elements->len; i++)
    {
      if (i > 0)
        g_string_append_c (out, ',');
      g_string_append_c (out, '"');
      for (const char *p = elements->pdata[i]; *p != '\0'; p++)
        {
          if (*p == '"' || *p == '\\')
            g_string_append_c (out, '\\');
          g_string_append_c (out, *p);
        }
      g_string_append_c (out, '"');
    }
  g_string_append_c (out, '}');
  return g_string_free (out, FALSE);
}

static void
filter_sql (Builder                *b,
            const Source           *src,
            const TandemRestFilter *f)
{
  if (f->negate)
    g_string_append (b->sql, "NOT (");
  emit_field (b, src, &f->field);

  switch (f->op)
    {
    case TANDEM_REST_OP_IS:
      {
        static const char * const is_sql[] = {
          [TANDEM_REST_IS_NULL] = " IS NULL", [TANDEM_REST_IS_NOT_NULL] = " IS NOT NULL",
          [TANDEM_REST_IS_TRUE] = " IS TRUE", [TANDEM_REST_IS_FALSE] = " IS FALSE",
          [TANDEM_REST_IS_UNKNOWN] = " IS UNKNOWN",
        };
        g_string_append (b->sql, is_sql[f->is_value]);
      }
      break;

    case TANDEM_REST_OP_ISDISTINCT:
      g_string_append (b->sql, " IS DISTINCT FROM ");
      _tandem_rest_sql_add_param (b, f->value);
      break;

    case TANDEM_REST_OP_IN:
      if (f->list->len == 1 && ((char *) f->list->pdata[0])[0] == '\0')
        g_string_append (b->sql, " = ANY('{}')");
      else
        {
          g_string_append (b->sql, " = ANY(");
          _tandem_rest_sql_add_param_take (b, array_literal (f->list));
          g_string_append_c (b->sql, ')');
        }
      break;

    case TANDEM_REST_OP_FTS:
    case TANDEM_REST_OP_PLFTS:
    case TANDEM_REST_OP_PHFTS:
    case TANDEM_REST_OP_WFTS:
      g_string_append_printf (b->sql, " %s(", op_sql (f->op));
      if (f->language != NULL)
        {
          _tandem_rest_sql_add_param (b, f->language);
          g_string_append (b->sql, ", ");
        }
      _tandem_rest_sql_add_param (b, f->value);
      g_string_append_c (b->sql, ')');
      break;

    case TANDEM_REST_OP_EQ:
    case TANDEM_REST_OP_NEQ:
    case TANDEM_REST_OP_GT:
    case TANDEM_REST_OP_GTE:
    case TANDEM_REST_OP_LT:
    case TANDEM_REST_OP_LTE:
    case TANDEM_REST_OP_LIKE:
    case TANDEM_REST_OP_ILIKE:
    case TANDEM_REST_OP_MATCH:
    case TANDEM_REST_OP_IMATCH:
    case TANDEM_REST_OP_CS:
    case TANDEM_REST_OP_CD:
    case TANDEM_REST_OP_OV:
    case TANDEM_REST_OP_SL:
    case TANDEM_REST_OP_SR:
    case TANDEM_REST_OP_NXR:
    case TANDEM_REST_OP_NXL:
    case TANDEM_REST_OP_ADJ:
    default:
      g_string_append_printf (b->sql, " %s ", op_sql (f->op));
      if (f->quant != TANDEM_REST_QUANT_NONE)
        g_string_append (b->sql, f->quant == TANDEM_REST_QUANT_ANY ? "ANY(" : "ALL(");
      _tandem_rest_sql_add_param_take (b, like_pattern (f->op, f->value));
      if (f->quant != TANDEM_REST_QUANT_NONE)
        g_string_append_c (b->sql, ')');
      break;
    }

  if (f->negate)
    g_string_append_c (b->sql, ')');
}

static void
logic_sql (Builder               *b,
           const Source          *src,
           const TandemRestLogic *logic)
{
  if (logic->filter != NULL)
    {
      filter_sql (b, src, logic->filter);
      return;
    }
  if (logic->negate)
    g_string_append (b->sql, "NOT ");
  g_string_append_c (b->sql, '(');
  for (guint i = 0; i < logic->children->len; i++)
    {
      if (i > 0)
        g_string_append (b->sql, logic->is_or ? " OR " : " AND ");
      logic_sql (b, src, logic->children->pdata[i]);
    }
  g_string_append_c (b->sql, ')');
}

/* " WHERE …" for the request's filters (nothing when there are none). */
void
_tandem_rest_sql_where_sql (Builder                 *b,
                            const Source            *src,
                            const TandemRestRequest *request)
{
  for (guint i = 0; request->where != NULL && i < request->where->len; i++)
    {
      g_string_append (b->sql, i == 0 ? " WHERE " : " AND ");
      logic_sql (b, src, request->where->pdata[i]);
    }
}

void
_tandem_rest_sql_order_sql (Builder                 *b,
                            const Source            *src,
                            const TandemRestRequest *request)
{
  for (guint i = 0; request->order != NULL && i < request->order->len; i++)
    {
      TandemRestOrderTerm *term = request->order->pdata[i];

      g_string_append (b->sql, i == 0 ? " ORDER BY " : ", ");
      emit_field (b, src, &term->field);
      g_string_append (b->sql, term->descending ? " DESC" : " ASC");
      if (term->nulls == TANDEM_REST_NULLS_FIRST)
        g_string_append (b->sql, " NULLS FIRST");
      else if (term->nulls == TANDEM_REST_NULLS_LAST)
        g_string_append (b->sql, " NULLS LAST");
    }
}

void
_tandem_rest_sql_limit_sql (Builder                 *b,
                            const TandemRestRequest *request)
{
  if (request->limit >= 0)
    {
      g_string_append (b->sql, " LIMIT ");
      _tandem_rest_sql_add_param_take (b, g_strdup_printf ("%" G_GINT64_FORMAT, request->limit));
    }
  if (request->offset > 0)
    {
      g_string_append (b->sql, " OFFSET ");
      _tandem_rest_sql_add_param_take (b, g_strdup_printf ("%" G_GINT64_FORMAT, request->offset));
    }
}

/* ---- the final SELECT ---------------------------------------------------------- */

/* SELECT <total>, count(_r), <body>, <location> FROM (…) _r, over _src
 * already defined by a WITH. @total_sql: the count subquery, or NULL. */
void
_tandem_rest_sql_final_select (Builder                 *b,
                               const TandemRestRequest *request,
                               const char              *total_sql,
                               BodyKind                 body,
                               gboolean                 single_value,  /* scalar / single composite */
                               const char              *inner_sql,     /* SELECT … FROM _src … */
                               gboolean                 location)
{
  const char *agg = body == BODY_SCALAR ? "pg_catalog.json_agg(_r._scalar)" : "pg_catalog.json_agg(_r)";
  g_autofree char *value = request->strip_nulls ? g_strdup_printf ("pg_catalog.json_strip_nulls(%s)", agg)
                                                : g_strdup (agg);

  g_string_append (b->sql, " SELECT ");
  g_string_append (b->sql, total_sql != NULL ? total_sql : "NULL::bigint");
  g_string_append (b->sql, ", pg_catalog.count(_r), ");

  if (body == BODY_NONE)
    g_string_append (b->sql, "NULL::text");
  else if (request->media == TANDEM_REST_MEDIA_CSV)
    g_string_append (b->sql,
                     "(SELECT coalesce(pg_catalog.string_agg(_k.k, ','), '')"
                     " FROM (SELECT pg_catalog.json_object_keys(pg_catalog.row_to_json(_h)) AS k"
                     " FROM (SELECT * FROM _src LIMIT 1) _h) _k)"
                     " || E'\\n' || coalesce(pg_catalog.string_agg(pg_catalog.substr(_r::text, 2,"
                     " pg_catalog.length(_r::text) - 2), E'\\n'), '')");
  else if (request->media == TANDEM_REST_MEDIA_OBJECT || single_value)
    g_string_append_printf (b->sql, "coalesce((%s->0)::text, 'null')", value);
  else
    g_string_append_printf (b->sql, "coalesce(%s, '[]')::text", value);

  if (location)
    g_string_append (b->sql, ", CASE WHEN pg_catalog.count(_r) = 1 THEN (pg_catalog.json_agg(_r)->0)::text END");
  else
    g_string_append (b->sql, ", NULL::text");
  g_string_append_printf (b->sql, " FROM (%s) _r", inner_sql);
}

gboolean
_tandem_rest_sql_wants_count (const TandemRestRequest *request)
{
  return request->prefer.count != TANDEM_REST_COUNT_NONE;
}

/* ---- read ------------------------------------------------------------------------- */

TandemRestStatement *
tandem_rest_sql_read (const TandemRestRequest  *request,
                      const TandemRestTable    *table,
                      TandemRestError         **error)
{
  Builder b;
  Source src = { table->schema, table->name, table };
  g_autofree char *where = NULL;
  g_autofree char *total = NULL;
  gsize where_start;

  _tandem_rest_sql_builder_init (&b);
  g_string_append (b.sql, "WITH _src AS (SELECT ");
  _tandem_rest_sql_select_list (&b, &src, request->select);
  g_string_append (b.sql, " FROM ");
  _tandem_rest_sql_emit_qualified (&b, table->schema, table->name);
  where_start = b.sql->len;
  _tandem_rest_sql_where_sql (&b, &src, request);
  where = g_strndup (b.sql->str + where_start, b.sql->len - where_start);
  _tandem_rest_sql_order_sql (&b, &src, request);
  _tandem_rest_sql_limit_sql (&b, request);
  g_string_append (b.sql, ")");

  if (_tandem_rest_sql_wants_count (request))
    {
      GString *count = g_string_new ("(SELECT pg_catalog.count(*) FROM ");

      tandem_rest_sql_quote_ident (count, table->schema);
      g_string_append_c (count, '.');
      tandem_rest_sql_quote_ident (count, table->name);
      g_string_append_printf (count, "%s)", where);
      total = g_string_free (count, FALSE);
    }
  _tandem_rest_sql_final_select (&b, request, total, request->method == TANDEM_REST_METHOD_HEAD ? BODY_NONE : BODY_ROWS,
                FALSE, "SELECT * FROM _src", FALSE);
  return _tandem_rest_sql_builder_finish (&b);
}

/* ---- bodies ------------------------------------------------------------------------- */

TandemRestError *
_tandem_rest_sql_invalid_body (const char *message)
{
  return tandem_rest_error_new (400, "PGRST102", NULL, NULL, "%s", message);
}

JsonNode *
_tandem_rest_sql_parse_body (const TandemRestRequest  *request,
                             TandemRestError         **error)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  gsize size = 0;
  const char *data = request->body != NULL ? g_bytes_get_data (request->body, &size) : NULL;

  if (data == NULL || size == 0 || !json_parser_load_from_data (parser, data, size, NULL) ||
      json_parser_get_root (parser) == NULL)
    {
      *error = _tandem_rest_sql_invalid_body ("Empty or invalid json");
      return NULL;
    }
  return json_node_ref (json_parser_get_root (parser));
}

TandemRestStatement *
tandem_rest_sql_build (const TandemRestRequest  *request,
                       const TandemRestTable    *table,
                       GPtrArray                *functions,
                       TandemRestError         **error)
{
  if (request->target == TANDEM_REST_TARGET_RPC)
    return tandem_rest_sql_call (request, functions, error);

  switch (request->method)
    {
    case TANDEM_REST_METHOD_GET:
    case TANDEM_REST_METHOD_HEAD:
      return tandem_rest_sql_read (request, table, error);
    case TANDEM_REST_METHOD_POST:
      return tandem_rest_sql_insert (request, table, error);
    case TANDEM_REST_METHOD_PATCH:
      return tandem_rest_sql_update (request, table, error);
    case TANDEM_REST_METHOD_DELETE:
      return tandem_rest_sql_delete (request, table, error);
    case TANDEM_REST_METHOD_PUT:
    case TANDEM_REST_METHOD_OPTIONS:
    default:
      *error = tandem_rest_error_new (405, "PGRST117", NULL, NULL, "Unsupported HTTP method");
      return NULL;
    }
}
