/* test-rest-sql.c: PostgREST query strings to SQL, without a database
 *
 * Every filter operator, logic trees, select, order, ranges, Prefer and
 * Accept, bodies of inserts, upserts and updates, rpc calls, the schema
 * cache built from catalog JSON, and the error mapping. The SQL is checked
 * as text: identifiers quoted, values only ever in the parameter array.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "tandem-pg-conn.h"
#include "tandem-rest-private.h"
#include "tandem-rest-schema.h"
#include "tandem-rest-sql.h"

/* The catalog as tandem_rest_schema_query() would return it. */
static const char catalog_json[] =
  "{\"schemas\":[\"api\",\"public\"],"
  " \"tables\":["
  "  {\"schema\":\"api\",\"name\":\"things\",\"kind\":\"r\",\"description\":null,\"updatable\":28,"
  "   \"columns\":[{\"name\":\"k\",\"type\":\"text\",\"nullable\":false,\"default\":null,\"description\":null,\"generated\":false,\"pk\":1}]},"
  "  {\"schema\":\"public\",\"name\":\"todos\",\"kind\":\"r\",\"description\":\"Things to do\",\"updatable\":28,"
  "   \"columns\":["
  "    {\"name\":\"id\",\"type\":\"bigint\",\"nullable\":false,\"default\":\"nextval('todos_id_seq'::regclass)\",\"description\":null,\"generated\":false,\"pk\":1},"
  "    {\"name\":\"task\",\"type\":\"text\",\"nullable\":false,\"default\":\"'new'::text\",\"description\":\"What\",\"generated\":false,\"pk\":0},"
  "    {\"name\":\"done\",\"type\":\"boolean\",\"nullable\":true,\"default\":null,\"description\":null,\"generated\":false,\"pk\":0},"
  "    {\"name\":\"tags\",\"type\":\"text[]\",\"nullable\":true,\"default\":null,\"description\":null,\"generated\":false,\"pk\":0},"
  "    {\"name\":\"meta\",\"type\":\"jsonb\",\"nullable\":true,\"default\":null,\"description\":null,\"generated\":false,\"pk\":0},"
  "    {\"name\":\"we\\\"ird\",\"type\":\"text\",\"nullable\":true,\"default\":null,\"description\":null,\"generated\":false,\"pk\":0}]},"
  "  {\"schema\":\"public\",\"name\":\"pairs\",\"kind\":\"r\",\"description\":null,\"updatable\":28,"
  "   \"columns\":["
  "    {\"name\":\"b\",\"type\":\"integer\",\"nullable\":false,\"default\":null,\"description\":null,\"generated\":false,\"pk\":2},"
  "    {\"name\":\"a\",\"type\":\"integer\",\"nullable\":false,\"default\":null,\"description\":null,\"generated\":false,\"pk\":1}]}],"
  " \"functions\":["
  "  {\"schema\":\"public\",\"name\":\"add\",\"volatility\":\"i\",\"description\":null,\"returns_set\":false,"
  "   \"return_type\":\"integer\",\"return_kind\":\"scalar\",\"params\":["
  "    {\"name\":\"a\",\"type\":\"integer\",\"variadic\":false,\"has_default\":false},"
  "    {\"name\":\"b\",\"type\":\"integer\",\"variadic\":false,\"has_default\":true}]},"
  "  {\"schema\":\"public\",\"name\":\"list\",\"volatility\":\"s\",\"description\":null,\"returns_set\":true,"
  "   \"return_type\":\"todos\",\"return_kind\":\"composite\",\"params\":[]},"
  "  {\"schema\":\"public\",\"name\":\"echo\",\"volatility\":\"v\",\"description\":null,\"returns_set\":false,"
  "   \"return_type\":\"jsonb\",\"return_kind\":\"scalar\",\"params\":["
  "    {\"name\":\"\",\"type\":\"jsonb\",\"variadic\":false,\"has_default\":false}]},"
  "  {\"schema\":\"public\",\"name\":\"nothing\",\"volatility\":\"v\",\"description\":null,\"returns_set\":false,"
  "   \"return_type\":\"void\",\"return_kind\":\"void\",\"params\":[]}]}";

static TandemRestSchemaCache *
catalog (void)
{
  g_autoptr(GError) error = NULL;
  TandemRestSchemaCache *cache = tandem_rest_schema_cache_new_from_json (catalog_json, &error);

  g_assert_no_error (error);
  g_assert_nonnull (cache);
  return cache;
}

typedef struct
{
  const char *accept;
  const char *prefer;
  const char *range;
  const char *profile;
  const char *body;
} Extra;

static TandemRestRequest *
parse_full (const char       *method,
            const char       *path,
            const char       *query,
            const Extra      *extra,
            TandemRestError **error)
{
  g_autoptr(GBytes) body = extra && extra->body ? g_bytes_new (extra->body, strlen (extra->body)) : NULL;
  TandemRestHeaders headers = {
    .accept = extra ? extra->accept : NULL,
    .prefer = extra ? extra->prefer : NULL,
    .range = extra ? extra->range : NULL,
    .accept_profile = extra ? extra->profile : NULL,
    .content_profile = extra ? extra->profile : NULL,
    .content_type = "application/json",
  };

  return tandem_rest_request_parse (method, path, query, &headers, body, error);
}

static TandemRestRequest *
parse_ok (const char  *method,
          const char  *path,
          const char  *query,
          const Extra *extra)
{
  g_autoptr(TandemRestError) error = NULL;
  TandemRestRequest *request = parse_full (method, path, query, extra, &error);

  if (error != NULL)
    g_error ("%s %s?%s: %u %s %s (%s)", method, path, query, error->status, error->code, error->message,
             error->details ? error->details : "");
  g_assert_nonnull (request);
  return request;
}

static TandemRestError *
parse_fails (const char  *method,
             const char  *path,
             const char  *query,
             const Extra *extra,
             guint        status,
             const char  *code)
{
  TandemRestError *error = NULL;
  g_autoptr(TandemRestRequest) request = parse_full (method, path, query, extra, &error);

  g_assert_null (request);
  g_assert_nonnull (error);
  g_assert_cmpuint (error->status, ==, status);
  g_assert_cmpstr (error->code, ==, code);
  return error;
}

/* The statement for a request on public.todos (or the table/functions the
 * path names). */
static TandemRestStatement *
build (const char       *method,
       const char       *path,
       const char       *query,
       const Extra      *extra,
       TandemRestError **error)
{
  g_autoptr(TandemRestSchemaCache) cache = catalog ();
  g_autoptr(TandemRestRequest) request = parse_ok (method, path, query, extra);
  g_autoptr(GPtrArray) none = g_ptr_array_new ();
  TandemRestTable *table = NULL;
  GPtrArray *functions = NULL;

  if (request->target == TANDEM_REST_TARGET_RPC)
    functions = tandem_rest_schema_cache_lookup_functions (cache, request->schema, request->resource);
  else
    table = tandem_rest_schema_cache_lookup_table (cache, request->schema, request->resource);
  if (request->target == TANDEM_REST_TARGET_TABLE)
    g_assert_nonnull (table);
  return tandem_rest_sql_build (request, table, functions ? functions : none, error);
}

static TandemRestStatement *
build_ok (const char  *method,
          const char  *path,
          const char  *query,
          const Extra *extra)
{
  g_autoptr(TandemRestError) error = NULL;
  TandemRestStatement *statement = build (method, path, query, extra, &error);

  if (error != NULL)
    g_error ("%s %s?%s: %u %s %s", method, path, query, error->status, error->code, error->message);
  return statement;
}

#define assert_sql_has(statement, fragment) \
  G_STMT_START { \
    if (strstr ((statement)->sql, (fragment)) == NULL) \
      g_error ("%s:%d: expected «%s» in\n%s", __FILE__, __LINE__, (fragment), (statement)->sql); \
  } G_STMT_END

#define assert_sql_lacks(statement, fragment) \
  G_STMT_START { \
    if (strstr ((statement)->sql, (fragment)) != NULL) \
      g_error ("%s:%d: did not expect «%s» in\n%s", __FILE__, __LINE__, (fragment), (statement)->sql); \
  } G_STMT_END

static void
assert_params (TandemRestStatement *statement,
               ...)
{
  va_list args;
  guint i = 0;
  const char *expected;

  va_start (args, statement);
  while ((expected = va_arg (args, const char *)) != NULL)
    {
      g_assert_cmpuint (i, <, statement->params->len);
      g_assert_cmpstr (statement->params->pdata[i], ==, expected);
      i++;
    }
  va_end (args);
  g_assert_cmpuint (i, ==, statement->params->len);
}

/* ---- decoding and classification -------------------------------------------- */

static void
test_form_decode (void)
{
  struct { const char *in, *out; } cases[] = {
    { "id%2Ctask", "id,task" },
    { "a+b", "a b" },
    { "%28a%29%22", "(a)\"" },
    { "caf%C3%A9", "café" },
    { "plain", "plain" },
    { "%2", NULL },
    { "%zz", NULL },
    { "%00", NULL },
    { "%C3%28", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *out = tandem_rest_form_decode (cases[i].in, -1);
      g_assert_cmpstr (out, ==, cases[i].out);
    }
}

static void
test_paths (void)
{
  g_autoptr(TandemRestRequest) root = parse_ok ("GET", "/", NULL, NULL);
  g_autoptr(TandemRestRequest) bare = parse_ok ("GET", "", NULL, NULL);
  g_autoptr(TandemRestRequest) table = parse_ok ("GET", "/my%20table", NULL, NULL);
  g_autoptr(TandemRestRequest) rpc = parse_ok ("POST", "/rpc/add", NULL, NULL);
  G_GNUC_UNUSED g_autoptr(TandemRestError) deep = parse_fails ("GET", "/a/b", NULL, NULL, 404, "PGRST125");
  g_autoptr(TandemRestError) put = parse_fails ("PUT", "/todos", NULL, NULL, 405, "PGRST117");
  g_autoptr(TandemRestError) rpc_patch = parse_fails ("PATCH", "/rpc/add", NULL, NULL, 405, "PGRST101");
  G_GNUC_UNUSED g_autoptr(TandemRestError) root_post = parse_fails ("POST", "/", NULL, NULL, 405, "PGRST117");
  G_GNUC_UNUSED g_autoptr(TandemRestError) weird = parse_fails ("BREW", "/todos", NULL, NULL, 405, "PGRST117");

  g_assert_cmpint (root->target, ==, TANDEM_REST_TARGET_ROOT);
  g_assert_cmpint (bare->target, ==, TANDEM_REST_TARGET_ROOT);
  g_assert_cmpint (table->target, ==, TANDEM_REST_TARGET_TABLE);
  g_assert_cmpstr (table->resource, ==, "my table");
  g_assert_cmpint (rpc->target, ==, TANDEM_REST_TARGET_RPC);
  g_assert_cmpstr (rpc->resource, ==, "add");
  g_assert_cmpstr (rpc_patch->message, ==, "Cannot use the PATCH method on RPC");
  g_assert_cmpstr (put->message, ==, "Unsupported HTTP method: PUT");
}

static void
test_classification (void)
{
  /* Not an operator: ignored on tables, an argument on rpc. */
  g_autoptr(TandemRestRequest) table = parse_ok ("GET", "/todos", "foo=bar&id=eq.1&x=notanop.1", NULL);
  g_autoptr(TandemRestRequest) rpc = parse_ok ("GET", "/rpc/add", "a=1&b=2&id=gt.3", NULL);
  g_autoptr(TandemRestError) embedded = parse_fails ("GET", "/todos", "users.id=eq.1", NULL, 400, "PGRST108");
  G_GNUC_UNUSED g_autoptr(TandemRestError) embedded_order = parse_fails ("GET", "/todos", "users.order=id", NULL, 400, "PGRST108");

  g_assert_cmpuint (table->where->len, ==, 1);
  g_assert_null (table->rpc_args);
  g_assert_cmpuint (rpc->where->len, ==, 1);
  g_assert_cmpuint (rpc->rpc_args->len, ==, 4);
  g_assert_cmpstr (rpc->rpc_args->pdata[0], ==, "a");
  g_assert_cmpstr (rpc->rpc_args->pdata[3], ==, "2");
  g_assert_cmpstr (embedded->message, ==, "'users' is not an embedded resource in this request");
}

/* ---- select -------------------------------------------------------------------- */

static void
test_select (void)
{
  g_autoptr(TandemRestError) error = NULL;
  g_autoptr(GPtrArray) items = tandem_rest_parse_select ("id,name:task, meta->a->>b,tags->0,done::text,\"a,b\",*", &error);
  TandemRestSelectItem *item;

  g_assert_null (error);
  g_assert_cmpuint (items->len, ==, 7);
  item = items->pdata[0];
  g_assert_cmpstr (item->field.name, ==, "id");
  g_assert_null (item->alias);
  item = items->pdata[1];
  g_assert_cmpstr (item->alias, ==, "name");
  g_assert_cmpstr (item->field.name, ==, "task");
  item = items->pdata[2];
  g_assert_cmpstr (item->field.name, ==, "meta");
  g_assert_cmpuint (item->field.json_path->len, ==, 2);
  g_assert_false (((TandemRestJsonStep *) item->field.json_path->pdata[0])->as_text);
  g_assert_true (((TandemRestJsonStep *) item->field.json_path->pdata[1])->as_text);
  g_assert_cmpstr (((TandemRestJsonStep *) item->field.json_path->pdata[1])->key, ==, "b");
  item = items->pdata[3];
  g_assert_true (((TandemRestJsonStep *) item->field.json_path->pdata[0])->is_index);
  item = items->pdata[4];
  g_assert_cmpstr (item->cast, ==, "text");
  item = items->pdata[5];
  g_assert_cmpstr (item->field.name, ==, "a,b");
  item = items->pdata[6];
  g_assert_true (item->star);
}

static void
test_select_sql (void)
{
  g_autoptr(TandemRestStatement) all = build_ok ("GET", "/todos", NULL, NULL);
  g_autoptr(TandemRestStatement) some = build_ok ("GET", "/todos", "select=id,what:task,meta->>k,done::boolean,tags::int", NULL);

  g_assert_cmpstr (all->sql, ==,
                   "WITH _src AS (SELECT \"public\".\"todos\".* FROM \"public\".\"todos\")"
                   " SELECT NULL::bigint, pg_catalog.count(_r), coalesce(pg_catalog.json_agg(_r), '[]')::text,"
                   " NULL::text FROM (SELECT * FROM _src) _r");
  assert_params (all, NULL);

  assert_sql_has (some, "SELECT \"public\".\"todos\".\"id\", \"public\".\"todos\".\"task\" AS \"what\", "
                        "\"public\".\"todos\".\"meta\"->>$1 AS \"k\", "
                        "CAST(\"public\".\"todos\".\"done\" AS \"bool\") AS \"done\", "
                        "CAST(\"public\".\"todos\".\"tags\" AS \"int4\") AS \"tags\" FROM");
  assert_params (some, "k", NULL);
}

static void
test_select_errors (void)
{
  g_autoptr(TandemRestError) embed = parse_fails ("GET", "/todos", "select=id,users(name)", NULL, 400, "PGRST200");
  G_GNUC_UNUSED g_autoptr(TandemRestError) spread = parse_fails ("GET", "/todos", "select=...users(name)", NULL, 400, "PGRST200");
  G_GNUC_UNUSED g_autoptr(TandemRestError) aggregate = parse_fails ("GET", "/todos", "select=count()", NULL, 400, "PGRST123");
  G_GNUC_UNUSED g_autoptr(TandemRestError) sum = parse_fails ("GET", "/todos", "select=id.sum()", NULL, 400, "PGRST123");
  g_autoptr(TandemRestError) bad = parse_fails ("GET", "/todos", "select=id,%3Bdrop", NULL, 400, "PGRST100");
  G_GNUC_UNUSED g_autoptr(TandemRestError) cast = parse_fails ("GET", "/todos", "select=id::", NULL, 400, "PGRST100");
  G_GNUC_UNUSED g_autoptr(TandemRestError) quote = parse_fails ("GET", "/todos", "select=%22id", NULL, 400, "PGRST100");

  g_assert_cmpstr (embed->message, ==, "Could not find a relationship between 'todos' and 'users' in the schema cache");
  g_assert_cmpstr (bad->message, ==, "\"failed to parse select parameter (id,;drop)\" (line 1, column 4)");
  g_assert_cmpstr (bad->details, ==, "unexpected \";\" expecting field name (* or [a..z0..9_$])");
}

/* ---- filters -------------------------------------------------------------------- */

typedef struct
{
  const char *query;
  const char *where;     /* expected SQL after WHERE */
  const char *param;     /* the operand's parameter, or NULL when none */
} FilterCase;

static void
test_filters (void)
{
  static const FilterCase cases[] = {
    { "id=eq.5", "\"public\".\"todos\".\"id\" = $1", "5" },
    { "id=neq.5", "\"public\".\"todos\".\"id\" <> $1", "5" },
    { "id=gt.5", "\"public\".\"todos\".\"id\" > $1", "5" },
    { "id=gte.5", "\"public\".\"todos\".\"id\" >= $1", "5" },
    { "id=lt.5", "\"public\".\"todos\".\"id\" < $1", "5" },
    { "id=lte.5", "\"public\".\"todos\".\"id\" <= $1", "5" },
    { "task=like.*milk*", "\"public\".\"todos\".\"task\" LIKE $1", "%milk%" },
    { "task=ilike.MILK*", "\"public\".\"todos\".\"task\" ILIKE $1", "MILK%" },
    { "task=match.%5Em", "\"public\".\"todos\".\"task\" ~ $1", "^m" },
    { "task=imatch.M%24", "\"public\".\"todos\".\"task\" ~* $1", "M$" },
    { "done=is.null", "\"public\".\"todos\".\"done\" IS NULL", NULL },
    { "done=is.true", "\"public\".\"todos\".\"done\" IS TRUE", NULL },
    { "done=is.FALSE", "\"public\".\"todos\".\"done\" IS FALSE", NULL },
    { "done=is.unknown", "\"public\".\"todos\".\"done\" IS UNKNOWN", NULL },
    { "done=not.is.null", "NOT (\"public\".\"todos\".\"done\" IS NULL)", NULL },
    { "task=isdistinct.x", "\"public\".\"todos\".\"task\" IS DISTINCT FROM $1", "x" },
    { "id=in.(1,2,3)", "\"public\".\"todos\".\"id\" = ANY($1)", "{\"1\",\"2\",\"3\"}" },
    { "task=in.(%22a,b%22,c%22d,%22e%5C%22f%22)", "\"public\".\"todos\".\"task\" = ANY($1)", "{\"a,b\",\"c\\\"d\",\"e\\\"f\"}" },
    { "id=in.()", "\"public\".\"todos\".\"id\" = ANY('{}')", NULL },
    { "id=not.in.(1,2)", "NOT (\"public\".\"todos\".\"id\" = ANY($1))", "{\"1\",\"2\"}" },
    { "tags=cs.%7Ba,b%7D", "\"public\".\"todos\".\"tags\" @> $1", "{a,b}" },
    { "tags=cd.%7Ba%7D", "\"public\".\"todos\".\"tags\" <@ $1", "{a}" },
    { "tags=ov.%7Ba%7D", "\"public\".\"todos\".\"tags\" && $1", "{a}" },
    { "id=sl.%5B1,5)", "\"public\".\"todos\".\"id\" << $1", "[1,5)" },
    { "id=sr.%5B1,5)", "\"public\".\"todos\".\"id\" >> $1", "[1,5)" },
    { "id=nxr.%5B1,5)", "\"public\".\"todos\".\"id\" &< $1", "[1,5)" },
    { "id=nxl.%5B1,5)", "\"public\".\"todos\".\"id\" &> $1", "[1,5)" },
    { "id=adj.%5B1,5)", "\"public\".\"todos\".\"id\" -|- $1", "[1,5)" },
    { "task=not.eq.x", "NOT (\"public\".\"todos\".\"task\" = $1)", "x" },
    { "task=eq(any).%7Ba,b%7D", "\"public\".\"todos\".\"task\" = ANY($1)", "{a,b}" },
    { "task=like(all).%7Ba*,*b%7D", "\"public\".\"todos\".\"task\" LIKE ALL($1)", "{a%,%b}" },
    { "task=ilike(any).%7Ba*%7D", "\"public\".\"todos\".\"task\" ILIKE ANY($1)", "{a%}" },
    { "task=fts.cat", "\"public\".\"todos\".\"task\" @@ pg_catalog.to_tsquery($1)", "cat" },
    { "task=plfts.fat+cat", "\"public\".\"todos\".\"task\" @@ pg_catalog.plainto_tsquery($1)", "fat cat" },
    { "task=phfts.fat+cat", "\"public\".\"todos\".\"task\" @@ pg_catalog.phraseto_tsquery($1)", "fat cat" },
    { "task=not.wfts.cat", "NOT (\"public\".\"todos\".\"task\" @@ pg_catalog.websearch_to_tsquery($1))", "cat" },
    { "task=eq.a.b.c", "\"public\".\"todos\".\"task\" = $1", "a.b.c" },
    { "task=eq.", "\"public\".\"todos\".\"task\" = $1", "" },
    { "task=eq.%27%3B+DROP+TABLE+todos%3B--", "\"public\".\"todos\".\"task\" = $1", "'; DROP TABLE todos;--" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(TandemRestStatement) statement = build_ok ("GET", "/todos", cases[i].query, NULL);
      g_autofree char *where = g_strconcat (" WHERE ", cases[i].where, ")", NULL);

      assert_sql_has (statement, where);
      if (cases[i].param != NULL)
        assert_params (statement, cases[i].param, NULL);
      else
        assert_params (statement, NULL);
    }
}

static void
test_filter_fts_language_and_json (void)
{
  g_autoptr(TandemRestStatement) fts = build_ok ("GET", "/todos", "task=fts(english).cats", NULL);
  g_autoptr(TandemRestStatement) json = build_ok ("GET", "/todos", "meta->a->>b=eq.x&meta->0=eq.1", NULL);
  g_autoptr(TandemRestStatement) quoted = build_ok ("GET", "/todos", "%22we%5C%22ird%22=eq.1", NULL);
  g_autoptr(TandemRestStatement) several = build_ok ("GET", "/todos", "id=gt.1&id=lt.9", NULL);

  assert_sql_has (fts, "\"public\".\"todos\".\"task\" @@ pg_catalog.to_tsquery($1, $2)");
  assert_params (fts, "english", "cats", NULL);
  assert_sql_has (json, "WHERE \"public\".\"todos\".\"meta\"->$1->>$2 = $3 AND \"public\".\"todos\".\"meta\"->$4::integer = $5");
  assert_params (json, "a", "b", "x", "0", "1", NULL);
  /* "we\\"ird" in the URL is the column we"ird: quoted again in SQL */
  assert_sql_has (quoted, "\"public\".\"todos\".\"we\"\"ird\" = $1");
  assert_sql_has (several, "WHERE \"public\".\"todos\".\"id\" > $1 AND \"public\".\"todos\".\"id\" < $2");
}

static void
test_filter_errors (void)
{
  struct { const char *query; const char *message; const char *details; } cases[] = {
    { "id=eq", "\"failed to parse filter (eq)\" (line 1, column 3)", "unexpected end of input expecting delimiter (.)" },
    { "id=in.1,2", "\"failed to parse filter (in.1,2)\" (line 1, column 4)", "unexpected \"1\" expecting \"(\"" },
    { "id=in.(1,2", NULL, NULL },
    { "id=in.(1,2)x", NULL, NULL },
    { "id=is.maybe", "\"failed to parse filter (is.maybe)\" (line 1, column 4)", "unexpected \"m\" expecting null or trilean value (unknown, true, false)" },
    { "id=not.nope.1", NULL, "unknown single value operator nope" },
    { "id=fts(.x", NULL, NULL },
    { "id=eq(some).x", NULL, NULL },
    { "%22id=eq.1", NULL, NULL },
    { "or=(id.eq.1", NULL, NULL },
    { "or=id.eq.1", NULL, NULL },
    { "or=(id.eq.1,)", NULL, NULL },
    { "or=(id.xx.1)", NULL, NULL },
    { "and=(or(id.eq.1,id.eq.2)", NULL, NULL },
    { "or=()", NULL, NULL },
    { "order=id.ac", "\"failed to parse order (id.ac)\" (line 1, column 4)", NULL },
    { "order=id.desc.nulls", NULL, NULL },
    { "order=id%3Bdrop", NULL, NULL },
    { "order=id.desc%2Cdone.asc.nullsfirst.x", NULL, NULL },
    { "columns=a%2C", NULL, NULL },
    { "limit=ten", NULL, NULL },
    { "offset=-1", NULL, NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(TandemRestError) error = parse_fails ("GET", "/todos", cases[i].query, NULL, 400, "PGRST100");

      g_assert_true (g_str_has_prefix (error->message, "\"failed to parse "));
      if (cases[i].message != NULL)
        g_assert_cmpstr (error->message, ==, cases[i].message);
      if (cases[i].details != NULL)
        g_assert_cmpstr (error->details, ==, cases[i].details);
    }
}

/* ---- logic trees ------------------------------------------------------------------- */

static void
test_logic (void)
{
  g_autoptr(TandemRestStatement) or = build_ok ("GET", "/todos", "or=(id.eq.1,task.like.*a*)", NULL);
  g_autoptr(TandemRestStatement) nested = build_ok ("GET", "/todos",
                                                    "or=(done.is.true,and(id.gte.2,id.lte.4,task.not.eq.x),id.in.(7,8))", NULL);
  g_autoptr(TandemRestStatement) not_or = build_ok ("GET", "/todos", "not.or=(id.eq.1,id.eq.2)&id=gt.0", NULL);
  g_autoptr(TandemRestStatement) and = build_ok ("GET", "/todos", "and=(task.eq.%22a,b%22,meta->>k.eq.%7B1,2%7D)", NULL);
  g_autoptr(TandemRestStatement) not_and = build_ok ("GET", "/todos", "or=(not.and(id.eq.1,id.eq.2),id.eq.3)", NULL);

  assert_sql_has (or, "WHERE (\"public\".\"todos\".\"id\" = $1 OR \"public\".\"todos\".\"task\" LIKE $2)");
  assert_params (or, "1", "%a%", NULL);
  assert_sql_has (nested, "WHERE (\"public\".\"todos\".\"done\" IS TRUE OR (\"public\".\"todos\".\"id\" >= $1 AND "
                          "\"public\".\"todos\".\"id\" <= $2 AND NOT (\"public\".\"todos\".\"task\" = $3)) OR "
                          "\"public\".\"todos\".\"id\" = ANY($4))");
  assert_params (nested, "2", "4", "x", "{\"7\",\"8\"}", NULL);
  assert_sql_has (not_or, "WHERE NOT (\"public\".\"todos\".\"id\" = $1 OR \"public\".\"todos\".\"id\" = $2) AND "
                          "\"public\".\"todos\".\"id\" > $3");
  assert_sql_has (and, "WHERE (\"public\".\"todos\".\"task\" = $1 AND \"public\".\"todos\".\"meta\"->>$2 = $3)");
  assert_params (and, "a,b", "k", "{1,2}", NULL);
  assert_sql_has (not_and, "WHERE (NOT (\"public\".\"todos\".\"id\" = $1 AND \"public\".\"todos\".\"id\" = $2) OR");
}

/* ---- order, ranges, Prefer, Accept -------------------------------------------------- */

static void
test_order_and_ranges (void)
{
  g_autoptr(TandemRestStatement) order = build_ok ("GET", "/todos",
                                                   "order=done.desc.nullslast,task,meta->>k.asc.nullsfirst&order=id.desc", NULL);
  g_autoptr(TandemRestStatement) limited = build_ok ("GET", "/todos", "limit=10&offset=20", NULL);
  Extra range = { .range = "5-9" };
  Extra open_range = { .range = "5-" };
  Extra both = { .range = "0-99" };
  g_autoptr(TandemRestRequest) by_header = parse_ok ("GET", "/todos", NULL, &range);
  g_autoptr(TandemRestRequest) open = parse_ok ("GET", "/todos", NULL, &open_range);
  g_autoptr(TandemRestRequest) intersect = parse_ok ("GET", "/todos", "limit=10&offset=20", &both);
  g_autoptr(TandemRestRequest) zero = parse_ok ("GET", "/todos", "limit=0", NULL);
  Extra bad_range = { .range = "9-5" };
  g_autoptr(TandemRestError) lower_gt_upper = parse_fails ("GET", "/todos", NULL, &bad_range, 416, "PGRST103");
  g_autoptr(TandemRestError) negative = parse_fails ("GET", "/todos", "limit=-1", NULL, 416, "PGRST103");

  assert_sql_has (order, " ORDER BY \"public\".\"todos\".\"done\" DESC NULLS LAST, \"public\".\"todos\".\"task\" ASC, "
                         "\"public\".\"todos\".\"meta\"->>$1 ASC NULLS FIRST, \"public\".\"todos\".\"id\" DESC)");
  assert_sql_has (limited, " LIMIT $1 OFFSET $2)");
  assert_params (limited, "10", "20", NULL);
  g_assert_cmpint (by_header->offset, ==, 5);
  g_assert_cmpint (by_header->limit, ==, 5);
  g_assert_cmpint (open->offset, ==, 5);
  g_assert_cmpint (open->limit, ==, -1);
  g_assert_cmpint (intersect->offset, ==, 20);
  g_assert_cmpint (intersect->limit, ==, 10);
  g_assert_cmpint (zero->limit, ==, 0);
  g_assert_cmpstr (negative->details, ==, "Limit should be greater than or equal to zero.");
  g_assert_cmpstr (lower_gt_upper->message, ==, "Requested range not satisfiable");
}

static void
test_count_and_media (void)
{
  Extra count = { .prefer = "count=exact" };
  Extra single = { .accept = "application/vnd.pgrst.object+json" };
  Extra stripped = { .accept = "application/vnd.pgrst.array+json;nulls=stripped" };
  Extra csv = { .accept = "text/csv" };
  Extra weighted = { .accept = "text/html;q=0.9, application/json;q=0.5, image/png" };
  Extra nothing = { .accept = "text/html, image/png" };
  g_autoptr(TandemRestStatement) counted = build_ok ("GET", "/todos", "id=gt.1&limit=2", &count);
  g_autoptr(TandemRestStatement) object = build_ok ("GET", "/todos", "id=eq.1", &single);
  g_autoptr(TandemRestStatement) strip = build_ok ("GET", "/todos", NULL, &stripped);
  g_autoptr(TandemRestStatement) as_csv = build_ok ("GET", "/todos", NULL, &csv);
  g_autoptr(TandemRestStatement) head = build_ok ("HEAD", "/todos", NULL, NULL);
  g_autoptr(TandemRestRequest) pick = parse_ok ("GET", "/todos", NULL, &weighted);
  g_autoptr(TandemRestError) none = parse_fails ("GET", "/todos", NULL, &nothing, 406, "PGRST107");

  assert_sql_has (counted, "SELECT (SELECT pg_catalog.count(*) FROM \"public\".\"todos\" WHERE \"public\".\"todos\".\"id\" > $1), ");
  assert_params (counted, "1", "2", NULL);
  assert_sql_has (object, "coalesce((pg_catalog.json_agg(_r)->0)::text, 'null')");
  assert_sql_has (strip, "coalesce(pg_catalog.json_strip_nulls(pg_catalog.json_agg(_r)), '[]')::text");
  assert_sql_has (as_csv, "pg_catalog.json_object_keys");
  assert_sql_has (head, "pg_catalog.count(_r), NULL::text");
  g_assert_cmpint (pick->media, ==, TANDEM_REST_MEDIA_JSON);
  g_assert_cmpstr (none->message, ==, "None of these media types are available: text/html, image/png");
}

static void
test_prefer (void)
{
  Extra several = { .prefer = "resolution=merge-duplicates, return=representation,count=exact,missing=default" };
  Extra strict_bad = { .prefer = "handling=strict, return=everything, bogus" };
  Extra lenient_bad = { .prefer = "return=everything, return=minimal" };
  Extra affected = { .prefer = "handling=strict, max-affected=2" };
  g_autoptr(TandemRestRequest) post = parse_ok ("POST", "/todos", NULL, &several);
  g_autoptr(TandemRestRequest) lenient = parse_ok ("GET", "/todos", NULL, &lenient_bad);
  g_autoptr(TandemRestRequest) patch = parse_ok ("PATCH", "/todos", NULL, &affected);
  g_autoptr(TandemRestError) strict = parse_fails ("GET", "/todos", NULL, &strict_bad, 400, "PGRST122");

  g_assert_cmpint (post->prefer.resolution, ==, TANDEM_REST_RESOLUTION_MERGE);
  g_assert_cmpint (post->prefer.ret, ==, TANDEM_REST_RETURN_REPRESENTATION);
  g_assert_cmpint (post->prefer.count, ==, TANDEM_REST_COUNT_EXACT);
  g_assert_true (post->prefer.missing_default);
  g_assert_cmpstr (post->prefer.applied, ==,
                   "resolution=merge-duplicates, return=representation, count=exact, missing=default");
  g_assert_cmpint (lenient->prefer.ret, ==, TANDEM_REST_RETURN_MINIMAL);
  g_assert_cmpint (patch->prefer.max_affected, ==, 2);
  g_assert_true (patch->prefer.strict);
  g_assert_cmpstr (strict->details, ==, "Invalid preferences: return=everything, bogus");
}

static void
test_profiles (void)
{
  Extra api = { .profile = "api" };
  g_autoptr(TandemRestRequest) plain = parse_ok ("GET", "/todos", NULL, NULL);
  g_autoptr(TandemRestRequest) other = parse_ok ("GET", "/things", NULL, &api);
  g_autoptr(TandemRestStatement) statement = build_ok ("POST", "/things", NULL,
                                                       &(Extra) { .profile = "api", .body = "{\"k\":\"x\"}" });

  g_assert_cmpstr (plain->schema, ==, "public");
  g_assert_false (plain->schema_from_profile);
  g_assert_cmpstr (other->schema, ==, "api");
  g_assert_true (other->schema_from_profile);
  assert_sql_has (statement, "INSERT INTO \"api\".\"things\"");
}

/* ---- bodies ----------------------------------------------------------------------------- */

static void
test_insert (void)
{
  g_autoptr(TandemRestStatement) one = build_ok ("POST", "/todos", NULL, &(Extra) { .body = "{\"task\":\"milk\",\"done\":false}" });
  g_autoptr(TandemRestStatement) many = build_ok ("POST", "/todos", "columns=%22task%22,%22done%22",
                                                  &(Extra) { .body = "[{\"task\":\"a\"},{\"task\":\"b\",\"done\":true,\"extra\":1}]",
                                                             .prefer = "return=representation" });
  g_autoptr(TandemRestStatement) defaults = build_ok ("POST", "/todos", NULL, &(Extra) { .body = "[{},{}]" });
  g_autoptr(TandemRestStatement) located = build_ok ("POST", "/todos", NULL,
                                                     &(Extra) { .body = "{\"task\":\"x\"}", .prefer = "return=headers-only" });
  g_autoptr(TandemRestStatement) shaped = build_ok ("POST", "/todos", "select=id,what:task",
                                                    &(Extra) { .body = "{\"task\":\"x\"}", .prefer = "return=representation" });

  g_assert_cmpstr (one->sql, ==,
                   "WITH _src AS (INSERT INTO \"public\".\"todos\" (\"task\", \"done\") SELECT \"task\", \"done\" "
                   "FROM pg_catalog.json_populate_recordset(NULL::\"public\".\"todos\", $1::json) _b RETURNING 1)"
                   " SELECT NULL::bigint, pg_catalog.count(_r), NULL::text, NULL::text FROM (SELECT * FROM _src) _r");
  assert_params (one, "[{\"task\":\"milk\",\"done\":false}]", NULL);

  assert_sql_has (many, "(\"task\", \"done\") SELECT \"task\", \"done\" FROM");
  assert_sql_has (many, "RETURNING *) SELECT NULL::bigint, pg_catalog.count(_r), coalesce(pg_catalog.json_agg(_r), '[]')::text");
  assert_sql_has (many, "FROM (SELECT _src.* FROM _src) _r");
  assert_sql_has (defaults, "INSERT INTO \"public\".\"todos\" SELECT FROM pg_catalog.json_array_elements($1::json)");
  assert_sql_has (located, "RETURNING \"id\")");
  assert_sql_has (located, "CASE WHEN pg_catalog.count(_r) = 1 THEN (pg_catalog.json_agg(_r)->0)::text END");
  assert_sql_has (shaped, "FROM (SELECT _src.\"id\", _src.\"task\" AS \"what\" FROM _src) _r");
}

static void
test_upsert (void)
{
  g_autoptr(TandemRestStatement) merge = build_ok ("POST", "/todos", NULL,
                                                   &(Extra) { .body = "{\"id\":1,\"task\":\"x\"}", .prefer = "resolution=merge-duplicates" });
  g_autoptr(TandemRestStatement) ignore = build_ok ("POST", "/todos", "on_conflict=task",
                                                    &(Extra) { .body = "{\"task\":\"x\"}", .prefer = "resolution=ignore-duplicates" });
  g_autoptr(TandemRestStatement) composite = build_ok ("POST", "/pairs", NULL,
                                                       &(Extra) { .body = "{\"a\":1,\"b\":2}", .prefer = "resolution=merge-duplicates" });
  g_autoptr(TandemRestStatement) missing = build_ok ("POST", "/todos", "columns=id,task,done",
                                                     &(Extra) { .body = "[{\"done\":true}]", .prefer = "missing=default" });
  g_autoptr(TandemRestError) error = NULL;
  g_autoptr(TandemRestStatement) bad_target = build ("POST", "/todos", "on_conflict=nope",
                                                     &(Extra) { .body = "{\"task\":\"x\"}", .prefer = "resolution=merge-duplicates" },
                                                     &error);

  assert_sql_has (merge, "ON CONFLICT (\"id\") DO UPDATE SET \"id\" = EXCLUDED.\"id\", \"task\" = EXCLUDED.\"task\" RETURNING 1");
  assert_sql_has (ignore, "ON CONFLICT (\"task\") DO NOTHING RETURNING 1");
  /* primary-key order, not column order */
  assert_sql_has (composite, "ON CONFLICT (\"a\", \"b\") DO UPDATE");
  /* defaults come from the catalog, key names are parameters */
  assert_sql_has (missing, "pg_catalog.jsonb_build_object($1::text, (nextval('todos_id_seq'::regclass)), $2::text, ('new'::text)) || _e");
  assert_params (missing, "id", "task", "[{\"done\":true}]", NULL);
  g_assert_null (bad_target);
  g_assert_cmpstr (error->code, ==, "PGRST204");
}

static void
test_body_errors (void)
{
  struct { const char *body; const char *query; const char *code; const char *message; } cases[] = {
    { "", NULL, "PGRST102", "Empty or invalid json" },
    { "{", NULL, "PGRST102", "Empty or invalid json" },
    { "42", NULL, "PGRST102", "Empty or invalid json" },
    { "[{\"task\":\"a\"},{\"done\":true}]", NULL, "PGRST102", "All object keys must match" },
    { "[1,2]", NULL, "PGRST102", "All object keys must match" },
    { "{\"nope\":1}", NULL, "PGRST204", "Could not find the 'nope' column of 'todos' in the schema cache" },
    { "{\"task\\\"; DROP TABLE todos; --\":1}", NULL, "PGRST204", NULL },
    { "{\"task\":\"a\"}", "columns=task,nope", "PGRST204", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(TandemRestError) error = NULL;
      g_autoptr(TandemRestStatement) statement = build ("POST", "/todos", cases[i].query,
                                                        &(Extra) { .body = cases[i].body }, &error);

      g_assert_null (statement);
      g_assert_cmpuint (error->status, ==, 400);
      g_assert_cmpstr (error->code, ==, cases[i].code);
      if (cases[i].message != NULL)
        g_assert_cmpstr (error->message, ==, cases[i].message);
    }
}

static void
test_update_delete (void)
{
  g_autoptr(TandemRestStatement) update = build_ok ("PATCH", "/todos", "id=eq.1",
                                                    &(Extra) { .body = "{\"done\":true,\"task\":\"y\"}", .prefer = "return=representation" });
  g_autoptr(TandemRestStatement) empty = build_ok ("PATCH", "/todos", "id=eq.1", &(Extra) { .body = "{}" });
  g_autoptr(TandemRestStatement) delete = build_ok ("DELETE", "/todos", "done=is.true&or=(id.lt.3,id.gt.8)", NULL);
  g_autoptr(TandemRestError) error = NULL;
  g_autoptr(TandemRestStatement) limited = build ("DELETE", "/todos", "limit=1", NULL, &error);

  g_assert_cmpstr (update->sql, ==,
                   "WITH _src AS (UPDATE \"public\".\"todos\" SET (\"done\", \"task\") = (SELECT _b.\"done\", _b.\"task\" "
                   "FROM pg_catalog.json_populate_record(NULL::\"public\".\"todos\", $1::json) _b) "
                   "WHERE \"public\".\"todos\".\"id\" = $2 RETURNING *) SELECT NULL::bigint, pg_catalog.count(_r), "
                   "coalesce(pg_catalog.json_agg(_r), '[]')::text, NULL::text FROM (SELECT _src.* FROM _src) _r");
  assert_params (update, "{\"done\":true,\"task\":\"y\"}", "1", NULL);
  assert_sql_has (empty, "WHERE false");
  assert_sql_has (delete, "DELETE FROM \"public\".\"todos\" WHERE \"public\".\"todos\".\"done\" IS TRUE AND "
                          "(\"public\".\"todos\".\"id\" < $1 OR \"public\".\"todos\".\"id\" > $2) RETURNING 1");
  g_assert_null (limited);
  g_assert_cmpstr (error->code, ==, "PGRST127");
}

/* ---- rpc ---------------------------------------------------------------------------------- */

static void
test_rpc (void)
{
  g_autoptr(TandemRestStatement) post = build_ok ("POST", "/rpc/add", NULL, &(Extra) { .body = "{\"a\":1,\"b\":2}" });
  g_autoptr(TandemRestStatement) get = build_ok ("GET", "/rpc/add", "a=40", NULL);
  g_autoptr(TandemRestStatement) list = build_ok ("GET", "/rpc/list", "select=id&done=is.true&order=id.desc&limit=3", NULL);
  g_autoptr(TandemRestStatement) json = build_ok ("POST", "/rpc/echo", NULL, &(Extra) { .body = "{\"any\":[1,2]}" });
  g_autoptr(TandemRestStatement) nothing = build_ok ("POST", "/rpc/nothing", NULL, NULL);
  g_autoptr(TandemRestError) error = NULL;
  g_autoptr(TandemRestStatement) missing = build ("POST", "/rpc/add", NULL, &(Extra) { .body = "{\"b\":2}" }, &error);
  g_autoptr(TandemRestError) error2 = NULL;
  G_GNUC_UNUSED g_autoptr(TandemRestStatement) unknown = build ("POST", "/rpc/nope", NULL, NULL, &error2);

  g_assert_cmpstr (post->sql, ==,
                   "WITH _args AS (SELECT * FROM pg_catalog.json_to_record($1::json) AS _a(\"a\" integer, \"b\" integer)), "
                   "_src AS (SELECT _f._scalar FROM \"public\".\"add\"(\"a\" := (SELECT \"a\" FROM _args), "
                   "\"b\" := (SELECT \"b\" FROM _args)) AS _f(_scalar)) SELECT NULL::bigint, pg_catalog.count(_r), "
                   "coalesce((pg_catalog.json_agg(_r._scalar)->0)::text, 'null'), NULL::text FROM (SELECT _src._scalar FROM _src) _r");
  assert_params (post, "{\"a\":1,\"b\":2}", NULL);
  assert_params (get, "{\"a\":\"40\"}", NULL);
  assert_sql_has (list, "_src AS (SELECT _f.* FROM \"public\".\"list\"() _f)");
  assert_sql_has (list, "(SELECT _src.\"id\" FROM _src WHERE _src.\"done\" IS TRUE ORDER BY _src.\"id\" DESC LIMIT $1) _r");
  assert_sql_has (list, "coalesce(pg_catalog.json_agg(_r), '[]')::text");
  assert_sql_has (json, "\"public\".\"echo\"($1::jsonb)");
  assert_params (json, "{\"any\":[1,2]}", NULL);
  g_assert_true (nothing->returns_void);
  g_assert_null (missing);
  g_assert_cmpuint (error->status, ==, 404);
  g_assert_cmpstr (error->code, ==, "PGRST202");
  g_assert_cmpstr (error->message, ==, "Could not find the function public.add(b) in the schema cache");
  g_assert_cmpstr (error2->message, ==, "Could not find the function public.nope without parameters in the schema cache");
}

/* ---- injection ------------------------------------------------------------------------------- */

static void
test_identifiers_are_quoted (void)
{
  g_autoptr(GString) out = g_string_new (NULL);
  g_autoptr(TandemRestStatement) statement = build_ok ("GET", "/todos",
                                                       "select=%22id%5C%22+FROM+pg_shadow--%22&order=%22a%5C%22b%22.desc", NULL);

  tandem_rest_sql_quote_ident (out, "a\"b");
  g_assert_cmpstr (out->str, ==, "\"a\"\"b\"");
  g_string_truncate (out, 0);
  tandem_rest_sql_quote_ident (out, "Robert'); DROP TABLE students;--");
  g_assert_cmpstr (out->str, ==, "\"Robert'); DROP TABLE students;--\"");

  assert_sql_has (statement, "SELECT \"public\".\"todos\".\"id\"\" FROM pg_shadow--\" FROM \"public\".\"todos\"");
  assert_sql_has (statement, "ORDER BY \"public\".\"todos\".\"a\"\"b\" DESC");
  assert_sql_lacks (statement, "pg_shadow--\" FROM pg_shadow");
}

static void
test_casts_are_quoted (void)
{
  /* Only letters, digits, '_', '$' and spaces make it into a cast, and the
   * result is one quoted type name. */
  g_autoptr(TandemRestStatement) statement = build_ok ("GET", "/todos", "select=id::text+%24%24", NULL);
  G_GNUC_UNUSED g_autoptr(TandemRestError) paren = parse_fails ("GET", "/todos", "select=id::text)", NULL, 400, "PGRST100");

  assert_sql_has (statement, "CAST(\"public\".\"todos\".\"id\" AS \"text $$\")");
}

/* ---- schema cache and errors -------------------------------------------------------------------- */

static void
test_schema_cache (void)
{
  g_autoptr(TandemRestSchemaCache) cache = catalog ();
  g_autoptr(GError) error = NULL;
  g_autoptr(TandemRestSchemaCache) bad = tandem_rest_schema_cache_new_from_json ("{\"tables\":1}", &error);
  TandemRestTable *todos = tandem_rest_schema_cache_lookup_table (cache, "public", "todos");
  TandemRestTable *pairs = tandem_rest_schema_cache_lookup_table (cache, "public", "pairs");
  GPtrArray *add = tandem_rest_schema_cache_lookup_functions (cache, "public", "add");
  g_autofree char *list = tandem_rest_schema_cache_dup_schema_list (cache);
  const char *a_only[] = { "a", NULL };
  const char *b_only[] = { "b", NULL };
  const char *extra[] = { "a", "c", NULL };

  g_assert_null (bad);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
  g_assert_nonnull (todos);
  g_assert_true (todos->insertable && todos->updatable && todos->deletable);
  g_assert_cmpuint (todos->columns->len, ==, 6);
  g_assert_cmpstr (tandem_rest_table_lookup_column (todos, "tags")->type, ==, "text[]");
  g_assert_cmpuint (pairs->pk->len, ==, 2);
  g_assert_cmpstr (pairs->pk->pdata[0], ==, "a");
  g_assert_null (tandem_rest_schema_cache_lookup_table (cache, "public", "nope"));
  g_assert_null (tandem_rest_schema_cache_lookup_table (cache, "nope", "todos"));
  g_assert_true (tandem_rest_schema_cache_has_schema (cache, "api"));
  g_assert_false (tandem_rest_schema_cache_has_schema (cache, "auth"));
  g_assert_cmpstr (list, ==, "api, public");
  g_assert_nonnull (tandem_rest_function_choose (add, a_only, FALSE));
  g_assert_null (tandem_rest_function_choose (add, b_only, FALSE));
  g_assert_null (tandem_rest_function_choose (add, extra, FALSE));
  g_assert_null (tandem_rest_function_choose (add, NULL, FALSE));
}

static void
test_status_mapping (void)
{
  struct { const char *sqlstate; const char *message; gboolean authed; guint status; } cases[] = {
    { "23505", "", FALSE, 409 }, { "23503", "", FALSE, 409 }, { "23502", "", FALSE, 400 },
    { "42P01", "", FALSE, 404 }, { "42883", "", FALSE, 404 }, { "42501", "", FALSE, 401 },
    { "42501", "", TRUE, 403 }, { "42703", "", FALSE, 400 }, { "22P02", "", FALSE, 400 },
    { "25006", "", FALSE, 405 }, { "P0001", "", FALSE, 400 }, { "P0002", "", FALSE, 500 },
    { "08006", "", FALSE, 503 }, { "53300", "", FALSE, 503 }, { "53400", "", FALSE, 500 },
    { "57014", "", FALSE, 500 }, { "57P01", "", FALSE, 503 }, { "40001", "", FALSE, 500 },
    { "28000", "", FALSE, 403 }, { "0P000", "", FALSE, 403 }, { "42P17", "", FALSE, 500 },
    { "XX000", "", FALSE, 500 }, { "PT402", "", FALSE, 402 }, { "PTabc", "", FALSE, 500 },
    { "22023", "role \"x\" does not exist", FALSE, 401 }, { "22023", "bad value", FALSE, 400 },
    { "21000", "UPDATE requires a WHERE clause", FALSE, 400 }, { "21000", "more than one row", FALSE, 500 },
    { NULL, NULL, FALSE, 500 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    g_assert_cmpuint (tandem_rest_status_for_sqlstate (cases[i].sqlstate, cases[i].message, cases[i].authed), ==,
                      cases[i].status);
}

static void
test_error_json (void)
{
  g_autoptr(TandemRestError) parse = tandem_rest_error_new_parse ("filter", "eq", 3, "unexpected end of input");
  g_autoptr(TandemRestError) plain = tandem_rest_error_new (406, "PGRST116", "The result contains 0 rows", NULL,
                                                            "Cannot coerce the result to a single JSON object");
  g_autoptr(GError) connection = g_error_new_literal (TANDEM_PG_ERROR, TANDEM_PG_ERROR_CONNECTION, "gone");
  g_autoptr(TandemRestError) lost = tandem_rest_error_new_from_gerror (connection, FALSE);
  g_autofree char *json = tandem_rest_error_to_json (plain);
  g_autofree char *parse_json = tandem_rest_error_to_json (parse);

  g_assert_cmpstr (json, ==, "{\"code\":\"PGRST116\",\"details\":\"The result contains 0 rows\",\"hint\":null,"
                             "\"message\":\"Cannot coerce the result to a single JSON object\"}");
  g_assert_cmpstr (parse_json, ==, "{\"code\":\"PGRST100\",\"details\":\"unexpected end of input\",\"hint\":null,"
                                   "\"message\":\"\\\"failed to parse filter (eq)\\\" (line 1, column 3)\"}");
  g_assert_cmpuint (lost->status, ==, 503);
  g_assert_cmpstr (lost->code, ==, "PGRST000");
}

static void
test_settings (void)
{
  g_autofree char *public = tandem_rest_sql_search_path ("public");
  g_autofree char *api = tandem_rest_sql_search_path ("my\"api");

  g_assert_cmpstr (public, ==, "\"public\", \"extensions\"");
  g_assert_cmpstr (api, ==, "\"my\"\"api\", \"public\", \"extensions\"");
  g_assert_nonnull (strstr (tandem_rest_sql_settings (), "set_config('role', $1, false)"));
  g_assert_nonnull (strstr (tandem_rest_sql_settings (), "set_config('request.jwt.claims', $2, false)"));
  g_assert_nonnull (strstr (tandem_rest_sql_settings (), "set_config('default_transaction_read_only', $8, false)"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/rest/parse/form-decode", test_form_decode);
  g_test_add_func ("/rest/parse/paths", test_paths);
  g_test_add_func ("/rest/parse/classification", test_classification);
  g_test_add_func ("/rest/parse/select", test_select);
  g_test_add_func ("/rest/parse/select-errors", test_select_errors);
  g_test_add_func ("/rest/parse/filter-errors", test_filter_errors);
  g_test_add_func ("/rest/parse/order-and-ranges", test_order_and_ranges);
  g_test_add_func ("/rest/parse/prefer", test_prefer);
  g_test_add_func ("/rest/parse/profiles", test_profiles);
  g_test_add_func ("/rest/sql/select", test_select_sql);
  g_test_add_func ("/rest/sql/filters", test_filters);
  g_test_add_func ("/rest/sql/filters-fts-json", test_filter_fts_language_and_json);
  g_test_add_func ("/rest/sql/logic", test_logic);
  g_test_add_func ("/rest/sql/count-and-media", test_count_and_media);
  g_test_add_func ("/rest/sql/insert", test_insert);
  g_test_add_func ("/rest/sql/upsert", test_upsert);
  g_test_add_func ("/rest/sql/body-errors", test_body_errors);
  g_test_add_func ("/rest/sql/update-delete", test_update_delete);
  g_test_add_func ("/rest/sql/rpc", test_rpc);
  g_test_add_func ("/rest/sql/identifiers-quoted", test_identifiers_are_quoted);
  g_test_add_func ("/rest/sql/casts-quoted", test_casts_are_quoted);
  g_test_add_func ("/rest/sql/settings", test_settings);
  g_test_add_func ("/rest/schema/cache", test_schema_cache);
  g_test_add_func ("/rest/errors/status-mapping", test_status_mapping);
  g_test_add_func ("/rest/errors/json", test_error_json);

  return g_test_run ();
}
