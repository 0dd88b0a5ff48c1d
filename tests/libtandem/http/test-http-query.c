/* test-http-query.c: TandemQuery and TANDEM_REST_ERROR without a server
 *
 * The encoding cases compare with what postgrest-js 2.109 sends for the
 * same calls; the expected strings were produced by postgrest-js itself
 * (a fetch that records the request), not written by hand. Then the
 * headers and the reading of answers, against a scripted PostgREST.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "tandem-client-private.h"
#include "tandem-query-impl-private.h"
#include "tandem-rest-error-private.h"
#include "http-test-util.h"

static TandemClient *
offline_client (void)
{
  g_autoptr(GError) error = NULL;
  TandemClient *client = tandem_client_new ("http://127.0.0.1:1", "anon-key", &error);

  g_assert_no_error (error);
  return client;
}

static JsonNode *
json (const char *text)
{
  g_autoptr(GError) error = NULL;
  JsonNode *node = json_from_string (text, &error);

  g_assert_no_error (error);
  return node;
}

static void
assert_request (TandemQuery *query,
                const char  *expected,
                const char  *expected_prefer)
{
  g_autofree char *line = tandem_query_to_string (query);
  g_autofree char *prefer = _tandem_query_dup_prefer (query);

  g_assert_null (query->error);
  g_assert_cmpstr (line, ==, expected);
  g_assert_cmpstr (prefer, ==, expected_prefer);
}

/* ---- reads ---- */

static void
test_encode_select (void)
{
  g_autoptr(TandemClient) client = offline_client ();
  g_autoptr(TandemQuery) q1 = tandem_client_from (client, "todos");
  g_autoptr(TandemQuery) q2 = tandem_client_from (client, "todos");
  g_autoptr(TandemQuery) q3 = tandem_client_from (client, "todos");
  g_autoptr(TandemQuery) q4 = tandem_client_from (client, "todos");

  /* from('todos').select() */
  assert_request (q1, "GET /rest/v1/todos?select=*", NULL);
  /* select('id, task').eq('done', false).order('id', {ascending: false}).limit(10) */
  tandem_query_limit (tandem_query_order (tandem_query_eq (tandem_query_select (q2, "id, task"), "done", "false"),
                                          "id", FALSE, TANDEM_NULLS_DEFAULT), 10);
  assert_request (q2, "GET /rest/v1/todos?select=id%2Ctask&done=eq.false&order=id.desc&limit=10", NULL);
  /* select('id, "my col", task'): spaces inside quotes stay */
  tandem_query_select (q3, "id, \"my col\", task");
  assert_request (q3, "GET /rest/v1/todos?select=id%2C%22my+col%22%2Ctask", NULL);
  /* select('*').gt('id', 1).lt('id', 4): repeats are separate params */
  tandem_query_lt (tandem_query_gt (tandem_query_select (q4, "*"), "id", "1"), "id", "4");
  assert_request (q4, "GET /rest/v1/todos?select=*&id=gt.1&id=lt.4", NULL);
}

typedef TandemQuery *(*FilterFunc) (TandemQuery *, const char *, const char *);

static void
test_encode_filters (void)
{
  static const struct
  {
    FilterFunc  func;
    const char *column;
    const char *value;
    const char *expected;
  } cases[] = {
    { tandem_query_eq, "task", "walk dog", "GET /rest/v1/todos?select=*&task=eq.walk+dog" },
    { tandem_query_neq, "priority", "2", "GET /rest/v1/todos?select=*&priority=neq.2" },
    { tandem_query_gt, "id", "3", "GET /rest/v1/todos?select=*&id=gt.3" },
    { tandem_query_gte, "id", "3", "GET /rest/v1/todos?select=*&id=gte.3" },
    { tandem_query_lt, "id", "3", "GET /rest/v1/todos?select=*&id=lt.3" },
    { tandem_query_lte, "id", "3", "GET /rest/v1/todos?select=*&id=lte.3" },
    { tandem_query_like, "task", "%o%", "GET /rest/v1/todos?select=*&task=like.%25o%25" },
    { tandem_query_ilike, "task", "W*", "GET /rest/v1/todos?select=*&task=ilike.W*" },
    { tandem_query_is, "priority", "null", "GET /rest/v1/todos?select=*&priority=is.null" },
    { tandem_query_is, "done", "true", "GET /rest/v1/todos?select=*&done=is.true" },
    /* URLSearchParams escapes everything but letters, digits and *-._ */
    { tandem_query_eq, "task", "é ü/?&=+#~!'*",
      "GET /rest/v1/todos?select=*&task=eq.%C3%A9+%C3%BC%2F%3F%26%3D%2B%23%7E%21%27*" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(TandemClient) client = offline_client ();
      g_autoptr(TandemQuery) query = tandem_client_from (client, "todos");

      cases[i].func (query, cases[i].column, cases[i].value);
      assert_request (query, cases[i].expected, NULL);
    }
}

static void
test_encode_lists (void)
{
  g_autoptr(TandemClient) client = offline_client ();
  const char * const ids[] = { "1", "3", "5", NULL };
  const char * const quoted[] = { "a,b (c)", "buy milk", NULL };
  const char * const repeated[] = { "1", "1", "2", NULL };
  const char * const special[] = { "say \"hi\"", "back\\slash", "", "plain", NULL };
  g_autoptr(TandemQuery) q1 = tandem_client_from (client, "todos");
  g_autoptr(TandemQuery) q2 = tandem_client_from (client, "todos");
  g_autoptr(TandemQuery) q3 = tandem_client_from (client, "todos");
  g_autoptr(TandemQuery) q4 = tandem_client_from (client, "todos");
  g_autoptr(TandemQuery) q5 = tandem_client_from (client, "todos");
  g_autoptr(TandemQuery) q6 = tandem_client_from (client, "todos");
  g_autoptr(TandemQuery) q7 = tandem_client_from (client, "todos");
  g_autoptr(TandemQuery) q8 = tandem_client_from (client, "todos");

  /* in('id', [1, 3, 5]) */
  tandem_query_in (q1, "id", ids);
  assert_request (q1, "GET /rest/v1/todos?select=*&id=in.%281%2C3%2C5%29", NULL);
  /* in('task', ['a,b (c)', 'buy milk']): postgrest-js quotes only the
   * first; the space alone makes the second quoted here (see below). */
  tandem_query_in (q2, "task", quoted);
  assert_request (q2, "GET /rest/v1/todos?select=*&task=in.%28%22a%2Cb+%28c%29%22%2C%22buy+milk%22%29", NULL);
  /* in('id', ['1', '1', '2']): postgrest-js sends a value once */
  tandem_query_in (q3, "id", repeated);
  assert_request (q3, "GET /rest/v1/todos?select=*&id=in.%281%2C2%29", NULL);
  /* Beyond postgrest-js: quotes and backslashes are escaped inside quotes,
   * and an empty string is "" (postgrest-js would send an empty list). */
  tandem_query_in (q4, "task", special);
  assert_request (q4, "GET /rest/v1/todos?select=*&task=in.%28%22say+%5C%22hi%5C%22%22%2C%22back%5C%5Cslash%22%2C%22%22%2Cplain%29", NULL);
  /* not('id', 'in', '(1,2)') */
  tandem_query_not (q5, "id", "in", "(1,2)");
  assert_request (q5, "GET /rest/v1/todos?select=*&id=not.in.%281%2C2%29", NULL);
  /* not('priority', 'is', null) */
  tandem_query_not (q6, "priority", "is", "null");
  assert_request (q6, "GET /rest/v1/todos?select=*&priority=not.is.null", NULL);
  /* or('id.eq.1,done.is.true') */
  tandem_query_or (q7, "id.eq.1,done.is.true");
  assert_request (q7, "GET /rest/v1/todos?select=*&or=%28id.eq.1%2Cdone.is.true%29", NULL);
  /* filter('tags', 'cs', '{home}') */
  tandem_query_filter (q8, "tags", "cs", "{home}");
  assert_request (q8, "GET /rest/v1/todos?select=*&tags=cs.%7Bhome%7D", NULL);
}

static void
test_encode_modifiers (void)
{
  g_autoptr(TandemClient) client = offline_client ();
  g_autoptr(TandemQuery) q1 = tandem_client_from (client, "todos");
  g_autoptr(TandemQuery) q2 = tandem_client_from (client, "todos");
  g_autoptr(TandemQuery) q3 = tandem_client_from (client, "todos");
  g_autoptr(TandemQuery) q4 = tandem_client_from (client, "todos");
  g_autoptr(TandemQuery) q5 = tandem_client_from (client, "todos");
  g_autoptr(TandemQuery) q6 = tandem_client_from (client, "todos");
  g_autoptr(TandemQuery) q7 = tandem_client_from (client, "things");

  /* order('a').order('b', {ascending: false, nullsFirst: true}) */
  tandem_query_order (tandem_query_order (q1, "a", TRUE, TANDEM_NULLS_DEFAULT), "b", FALSE, TANDEM_NULLS_FIRST);
  assert_request (q1, "GET /rest/v1/todos?select=*&order=a.asc%2Cb.desc.nullsfirst", NULL);
  /* order('a', {nullsFirst: false}) */
  tandem_query_order (q2, "a", TRUE, TANDEM_NULLS_LAST);
  assert_request (q2, "GET /rest/v1/todos?select=*&order=a.asc.nullslast", NULL);
  /* range(0, 9) */
  tandem_query_range (q3, 0, 9);
  assert_request (q3, "GET /rest/v1/todos?select=*&offset=0&limit=10", NULL);
  /* order('id').range(5, 6) */
  tandem_query_range (tandem_query_order (q4, "id", TRUE, TANDEM_NULLS_DEFAULT), 5, 6);
  assert_request (q4, "GET /rest/v1/todos?select=*&order=id.asc&offset=5&limit=2", NULL);
  /* eq('id', 1).single(): the same URL, Accept asks for an object */
  tandem_query_single (tandem_query_eq (q5, "id", "1"));
  assert_request (q5, "GET /rest/v1/todos?select=*&id=eq.1", NULL);
  g_assert_true (_tandem_query_wants_object (q5));
  /* select('*', {count: 'exact'}) */
  tandem_query_count_exact (tandem_query_select (q6, "*"));
  assert_request (q6, "GET /rest/v1/todos?select=*", "count=exact");
  /* schema 'api': the same URL (the profile is a header) */
  tandem_query_schema (q7, "api");
  assert_request (q7, "GET /rest/v1/things?select=*", NULL);
  g_assert_cmpstr (q7->schema, ==, "api");
}

/* ---- writes ---- */

static void
test_encode_insert (void)
{
  g_autoptr(TandemClient) client = offline_client ();
  g_autoptr(TandemQuery) q1 = tandem_client_from (client, "todos");
  g_autoptr(TandemQuery) q2 = tandem_client_from (client, "todos");
  g_autoptr(TandemQuery) q3 = tandem_client_from (client, "todos");
  g_autoptr(TandemQuery) q4 = tandem_client_from (client, "todos");
  g_autoptr(TandemQuery) q5 = tandem_client_from (client, "todos");
  g_autoptr(JsonNode) one = json ("{\"task\":\"x\"}");
  g_autoptr(JsonNode) two = json ("[{\"task\":\"x\"},{\"task\":\"y\",\"done\":true}]");
  g_autoptr(JsonNode) mixed = json ("[{\"task\":\"x\"},{\"done\":true}]");
  g_autofree char *body = NULL;

  /* insert({task: 'x'}): no Prefer, so 201 with an empty body */
  tandem_query_insert (q1, one);
  assert_request (q1, "POST /rest/v1/todos", NULL);
  body = _tandem_query_dup_body (q1);
  g_assert_cmpstr (body, ==, "{\"task\":\"x\"}");
  /* insert([{task: 'x'}, {task: 'y', done: true}]) */
  tandem_query_insert (q2, two);
  assert_request (q2, "POST /rest/v1/todos?columns=%22task%22%2C%22done%22", NULL);
  /* insert({task: 'x'}).select() */
  tandem_query_returning (tandem_query_insert (q3, one), TRUE);
  assert_request (q3, "POST /rest/v1/todos?select=*", "return=representation");
  /* insert([{task: 'x'}, {done: true}]).select() */
  tandem_query_select (tandem_query_insert (q4, mixed), NULL);
  assert_request (q4, "POST /rest/v1/todos?columns=%22task%22%2C%22done%22&select=*", "return=representation");
  /* insert({task: 'x'}, {count: 'exact'}).select() */
  tandem_query_count_exact (tandem_query_returning (tandem_query_insert (q5, one), TRUE));
  assert_request (q5, "POST /rest/v1/todos?select=*", "count=exact, return=representation");
}

static void
test_encode_upsert (void)
{
  g_autoptr(TandemClient) client = offline_client ();
  g_autoptr(TandemQuery) q1 = tandem_client_from (client, "todos");
  g_autoptr(TandemQuery) q2 = tandem_client_from (client, "todos");
  g_autoptr(TandemQuery) q3 = tandem_client_from (client, "todos");
  g_autoptr(TandemQuery) q4 = tandem_client_from (client, "todos");
  g_autoptr(TandemQuery) q5 = tandem_client_from (client, "todos");
  g_autoptr(JsonNode) row = json ("{\"id\":1,\"task\":\"x\"}");
  g_autoptr(JsonNode) rows = json ("[{\"id\":1,\"task\":\"x\"}]");

  /* upsert({id: 1, task: 'x'}, {onConflict: 'id'}) */
  tandem_query_upsert (q1, row, "id", FALSE);
  assert_request (q1, "POST /rest/v1/todos?on_conflict=id", "resolution=merge-duplicates");
  /* … ignoreDuplicates: true */
  tandem_query_upsert (q2, row, "id", TRUE);
  assert_request (q2, "POST /rest/v1/todos?on_conflict=id", "resolution=ignore-duplicates");
  /* upsert([{id: 1, task: 'x'}], {onConflict: 'id'}).select() */
  tandem_query_returning (tandem_query_upsert (q3, rows, "id", FALSE), TRUE);
  assert_request (q3, "POST /rest/v1/todos?on_conflict=id&columns=%22id%22%2C%22task%22&select=*",
                  "resolution=merge-duplicates, return=representation");
  /* upsert({id: 1, task: 'x'}): the primary key decides */
  tandem_query_upsert (q4, row, NULL, FALSE);
  assert_request (q4, "POST /rest/v1/todos", "resolution=merge-duplicates");
  /* Prefer values from header() join the query's own */
  tandem_query_header (tandem_query_upsert (q5, row, NULL, FALSE), "Prefer", "missing=default");
  assert_request (q5, "POST /rest/v1/todos", "resolution=merge-duplicates, missing=default");
}

static void
test_encode_update_delete (void)
{
  g_autoptr(TandemClient) client = offline_client ();
  g_autoptr(TandemQuery) q1 = tandem_client_from (client, "todos");
  g_autoptr(TandemQuery) q2 = tandem_client_from (client, "todos");
  g_autoptr(TandemQuery) q3 = tandem_client_from (client, "todos");
  g_autoptr(TandemQuery) q4 = tandem_client_from (client, "todos");
  g_autoptr(JsonObject) values = json_object_new ();
  g_autofree char *body = NULL;
  g_autofree char *no_body = NULL;

  json_object_set_boolean_member (values, "done", TRUE);
  /* update({done: true}).eq('id', 1) */
  tandem_query_eq (tandem_query_update (q1, values), "id", "1");
  assert_request (q1, "PATCH /rest/v1/todos?id=eq.1", NULL);
  body = _tandem_query_dup_body (q1);
  g_assert_cmpstr (body, ==, "{\"done\":true}");
  /* update({done: true}).eq('id', 1).select() */
  tandem_query_returning (tandem_query_eq (tandem_query_update (q2, values), "id", "1"), TRUE);
  assert_request (q2, "PATCH /rest/v1/todos?id=eq.1&select=*", "return=representation");
  /* delete().eq('id', 1) */
  tandem_query_eq (tandem_query_delete (q3), "id", "1");
  assert_request (q3, "DELETE /rest/v1/todos?id=eq.1", NULL);
  no_body = _tandem_query_dup_body (q3);
  g_assert_null (no_body);
  /* delete().eq('id', 1).select() */
  tandem_query_select (tandem_query_eq (tandem_query_delete (q4), "id", "1"), NULL);
  assert_request (q4, "DELETE /rest/v1/todos?id=eq.1&select=*", "return=representation");
}

static void
test_encode_rpc (void)
{
  g_autoptr(TandemClient) client = offline_client ();
  g_autoptr(JsonNode) args = json ("{\"a\":1,\"b\":2}");
  g_autoptr(JsonNode) n = json ("{\"n\":3}");
  g_autoptr(TandemQuery) q1 = tandem_client_rpc (client, "add", args);
  g_autoptr(TandemQuery) q2 = tandem_client_rpc (client, "nothing", NULL);
  g_autoptr(TandemQuery) q3 = tandem_client_rpc (client, "done_todos", NULL);
  g_autoptr(TandemQuery) q4 = tandem_client_rpc (client, "series", n);
  g_autofree char *body1 = NULL, *body2 = NULL;

  assert_request (q1, "POST /rest/v1/rpc/add", NULL);
  body1 = _tandem_query_dup_body (q1);
  g_assert_cmpstr (body1, ==, "{\"a\":1,\"b\":2}");
  assert_request (q2, "POST /rest/v1/rpc/nothing", NULL);
  body2 = _tandem_query_dup_body (q2);
  g_assert_cmpstr (body2, ==, "{}");
  tandem_query_eq (q3, "id", "2");
  assert_request (q3, "POST /rest/v1/rpc/done_todos?id=eq.2", NULL);
  tandem_query_count_exact (q4);
  assert_request (q4, "POST /rest/v1/rpc/series", "count=exact");
}

/* ---- mistakes ---- */

static void
assert_mistake (TandemQuery *query,
                const char  *fragment)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;

  tandem_query_execute_async (query, NULL, http_test_result_cb, &result);
  node = tandem_query_execute_finish (query, http_test_await (&result), &error);
  g_assert_null (node);
  g_assert_error (error, TANDEM_REST_ERROR, TANDEM_REST_ERROR_BAD_REQUEST);
  g_assert_cmpuint (tandem_rest_error_get_status (error), ==, 0);
  if (strstr (error->message, fragment) == NULL)
    g_error ("expected “%s” in “%s”", fragment, error->message);
}

static void
test_builder_mistakes (void)
{
  g_autoptr(TandemClient) client = offline_client ();
  g_autoptr(JsonNode) row = json ("{\"a\":1}");
  g_autoptr(JsonNode) scalar = json ("42");
  g_autoptr(JsonNode) bad_rows = json ("[{\"a\":1}, 2]");
  g_autoptr(JsonObject) values = json_object_new ();
  g_autoptr(TandemQuery) q1 = tandem_client_from (client, "t");
  g_autoptr(TandemQuery) q2 = tandem_client_from (client, "t");
  g_autoptr(TandemQuery) q3 = tandem_client_from (client, "t");
  g_autoptr(TandemQuery) q4 = tandem_client_from (client, "t");
  g_autoptr(TandemQuery) q5 = tandem_client_from (client, "t");
  g_autoptr(TandemQuery) q6 = tandem_client_from (client, "t");
  g_autoptr(TandemQuery) q7 = tandem_client_from (client, "t");
  g_autoptr(TandemQuery) q8 = tandem_client_from (client, "t");
  g_autoptr(TandemQuery) q9 = tandem_client_from (client, "t");
  g_autoptr(TandemQuery) q10 = tandem_client_rpc (client, "f", scalar);
  g_autoptr(TandemQuery) q11 = tandem_client_from (client, "t");
  g_autoptr(TandemQuery) q12 = tandem_client_from (client, "t");
  g_autoptr(TandemQuery) q13 = tandem_client_from (client, "t");
  g_autoptr(TandemQuery) q14 = tandem_client_from (client, "t");

  tandem_query_update (tandem_query_insert (q1, row), values);
  assert_mistake (q1, "one verb: update() after insert()");
  tandem_query_insert (tandem_query_select (q2, "a"), row);
  assert_mistake (q2, "one verb: insert() after select()");
  tandem_query_eq (q3, "", "1");
  assert_mistake (q3, "empty column");
  tandem_query_order (q4, NULL, TRUE, TANDEM_NULLS_DEFAULT);
  assert_mistake (q4, "empty column");
  tandem_query_eq (q5, "a", NULL);
  assert_mistake (q5, "without a value");
  tandem_query_is (q6, "a", "maybe");
  assert_mistake (q6, "is() takes");
  tandem_query_insert (q7, scalar);
  assert_mistake (q7, "an object or an array of objects");
  tandem_query_insert (q8, bad_rows);
  assert_mistake (q8, "row 1 is not an object");
  tandem_query_range (q9, 5, 2);
  assert_mistake (q9, "range(5, 2)");
  assert_mistake (q10, "must be an object");
  tandem_query_select (q11, "   ");
  assert_mistake (q11, "empty column list");
  /* PostgREST would ignore it and the delete would reach every row */
  tandem_query_filter (tandem_query_delete (q12), "id", "eqq", "4");
  assert_mistake (q12, "“eqq” is not a PostgREST operator");
  tandem_query_not (q13, "id", "in(", "(1)");
  assert_mistake (q13, "“in(” is not a PostgREST operator");
  /* modifiers are operators too */
  tandem_query_filter (tandem_query_filter (q14, "tags", "like(any)", "{a*,b*}"), "body", "fts(english)", "cat");
  {
    g_autofree char *text = tandem_query_to_string (q14);

    g_assert_cmpstr (text, ==, "GET /rest/v1/t?select=*&tags=like%28any%29.%7Ba*%2Cb*%7D&body=fts%28english%29.cat");
  }
}

/* ---- errors from answers ---- */

static void
test_error_mapping (void)
{
  static const struct
  {
    guint            status;
    const char      *body;
    TandemRestError  error;
    const char      *code;
    const char      *message;
    const char      *details;
    const char      *hint;
  } cases[] = {
    { 409, "{\"code\":\"23505\",\"details\":\"Key (id)=(1) already exists.\",\"hint\":null,"
           "\"message\":\"duplicate key value violates unique constraint \\\"todos_pkey\\\"\"}",
      TANDEM_REST_ERROR_CONFLICT, "23505", "duplicate key value violates unique constraint \"todos_pkey\"",
      "Key (id)=(1) already exists.", NULL },
    { 406, "{\"code\":\"PGRST116\",\"details\":\"The result contains 0 rows\",\"hint\":null,"
           "\"message\":\"Cannot coerce the result to a single JSON object\"}",
      TANDEM_REST_ERROR_NOT_ACCEPTABLE, "PGRST116", "Cannot coerce the result to a single JSON object",
      "The result contains 0 rows", NULL },
    { 404, "{\"code\":\"PGRST205\",\"details\":null,\"hint\":\"Perhaps you meant the table 'public.todos'\","
           "\"message\":\"Could not find the table 'public.nope' in the schema cache\"}",
      TANDEM_REST_ERROR_NOT_FOUND, "PGRST205", "Could not find the table 'public.nope' in the schema cache",
      NULL, "Perhaps you meant the table 'public.todos'" },
    { 400, "{\"code\":\"PGRST100\",\"details\":\"unexpected end of input\",\"hint\":null,\"message\":\"x\"}",
      TANDEM_REST_ERROR_BAD_REQUEST, "PGRST100", "x", "unexpected end of input", NULL },
    { 401, "{\"code\":\"PGRST303\",\"details\":null,\"hint\":null,\"message\":\"JWT expired\"}",
      TANDEM_REST_ERROR_UNAUTHORIZED, "PGRST303", "JWT expired", NULL, NULL },
    { 403, "{\"code\":\"42501\",\"details\":null,\"hint\":null,"
           "\"message\":\"new row violates row-level security policy for table \\\"notes\\\"\"}",
      TANDEM_REST_ERROR_FORBIDDEN, "42501", "new row violates row-level security policy for table \"notes\"",
      NULL, NULL },
    { 429, "{\"message\":\"slow down\"}", TANDEM_REST_ERROR_RATE_LIMITED, NULL, "slow down", NULL, NULL },
    { 503, "{\"code\":\"PGRST000\",\"details\":\"connection refused\",\"hint\":null,\"message\":\"db down\"}",
      TANDEM_REST_ERROR_SERVER, "PGRST000", "db down", "connection refused", NULL },
    /* Not JSON: the body is the message, as postgrest-js does */
    { 502, "<html>Bad Gateway</html>", TANDEM_REST_ERROR_SERVER, NULL, "<html>Bad Gateway</html>", NULL, NULL },
    { 410, "", TANDEM_REST_ERROR_FAILED, NULL, "The server answered 410 Gone", NULL, NULL },
    /* details that are not a string are kept as JSON text */
    { 400, "{\"code\":\"X\",\"details\":{\"a\":1},\"message\":\"m\"}", TANDEM_REST_ERROR_BAD_REQUEST, "X", "m",
      "{\"a\":1}", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = _tandem_rest_error_from_response (cases[i].status, cases[i].body,
                                                                  strlen (cases[i].body));
      g_autoptr(GError) copy = NULL;

      g_assert_error (error, TANDEM_REST_ERROR, (gint) cases[i].error);
      g_assert_cmpstr (error->message, ==, cases[i].message);
      g_assert_cmpstr (tandem_rest_error_get_code (error), ==, cases[i].code);
      g_assert_cmpstr (tandem_rest_error_get_details (error), ==, cases[i].details);
      g_assert_cmpstr (tandem_rest_error_get_hint (error), ==, cases[i].hint);
      g_assert_cmpuint (tandem_rest_error_get_status (error), ==, cases[i].status);
      /* The extended fields survive a copy. */
      copy = g_error_copy (error);
      g_assert_cmpstr (tandem_rest_error_get_code (copy), ==, cases[i].code);
      g_assert_cmpuint (tandem_rest_error_get_status (copy), ==, cases[i].status);
    }

  /* Other domains have none of it. */
  {
    g_autoptr(GError) io = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_FAILED, "x");

    g_assert_null (tandem_rest_error_get_code (io));
    g_assert_cmpuint (tandem_rest_error_get_status (io), ==, 0);
  }
  g_assert_cmpint (_tandem_rest_error_from_status (500), ==, TANDEM_REST_ERROR_SERVER);
  g_assert_cmpint (_tandem_rest_error_from_status (599), ==, TANDEM_REST_ERROR_SERVER);
  g_assert_cmpint (_tandem_rest_error_from_status (402), ==, TANDEM_REST_ERROR_FAILED);
}

/* ---- the request on the wire, against a scripted PostgREST ---- */

typedef struct
{
  ScriptServer *server;
  TandemClient *client;
} Fixture;

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->server = script_server_new ();
  fixture->client = tandem_client_new (script_server_get_url (fixture->server), "anon-key", &error);
  g_assert_no_error (error);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  g_assert_finalize_object (fixture->client);
  script_server_free (fixture->server);
}

static JsonNode *
run (TandemQuery  *query,
     GError      **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  tandem_query_execute_async (query, NULL, http_test_result_cb, &result);
  return tandem_query_execute_finish (query, http_test_await (&result), error);
}

static void
test_wire_read (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(TandemQuery) query = tandem_client_from (fixture->client, "todos");
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) rows = NULL;
  ScriptRequest *request;

  script_server_push (fixture->server, 206, "[{\"id\":1},{\"id\":2}]", "Content-Range", "0-1/42");
  tandem_query_range (tandem_query_count_exact (tandem_query_eq (query, "done", "false")), 0, 1);
  rows = run (query, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_ARRAY (rows));
  g_assert_cmpuint (json_array_get_length (json_node_get_array (rows)), ==, 2);
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (json_node_get_array (rows), 1), "id"),
                   ==, 2);
  g_assert_cmpint (tandem_query_get_count (query), ==, 42);

  request = script_server_last (fixture->server);
  g_assert_cmpstr (request->method, ==, "GET");
  g_assert_cmpstr (request->path, ==, "/rest/v1/todos");
  g_assert_cmpstr (request->query, ==, "select=*&done=eq.false&offset=0&limit=2");
  g_assert_cmpstr (soup_message_headers_get_one (request->headers, "apikey"), ==, "anon-key");
  g_assert_cmpstr (soup_message_headers_get_one (request->headers, "Authorization"), ==, "Bearer anon-key");
  g_assert_cmpstr (soup_message_headers_get_one (request->headers, "Accept-Profile"), ==, "public");
  g_assert_null (soup_message_headers_get_one (request->headers, "Content-Profile"));
  g_assert_cmpstr (soup_message_headers_get_one (request->headers, "Prefer"), ==, "count=exact");
  g_assert_null (soup_message_headers_get_one (request->headers, "Content-Type"));
  g_assert_cmpstr (request->body, ==, "");

  /* A second execute of the same query is a mistake. */
  {
    g_autoptr(GError) again = NULL;
    g_autoptr(JsonNode) none = run (query, &again);

    g_assert_null (none);
    g_assert_error (again, TANDEM_REST_ERROR, TANDEM_REST_ERROR_BAD_REQUEST);
  }
}

static void
test_wire_write (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(TandemQuery) insert = tandem_client_from (fixture->client, "notes");
  g_autoptr(TandemQuery) single = tandem_client_from (fixture->client, "notes");
  g_autoptr(TandemQuery) update = tandem_client_from (fixture->client, "notes");
  g_autoptr(JsonNode) row = json ("{\"text\":\"hello\"}");
  g_autoptr(JsonObject) values = json_object_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) nothing = NULL;
  g_autoptr(JsonNode) object = NULL;
  g_autoptr(JsonNode) updated = NULL;
  g_autoptr(JsonNode) sent = NULL;
  ScriptRequest *request;

  /* 201 with an empty body: NULL without error */
  script_server_push (fixture->server, 201, NULL, NULL, NULL);
  tandem_query_header (tandem_query_schema (tandem_query_insert (insert, row), "api"), "Idempotency-Key", "k-1");
  nothing = run (insert, &error);
  g_assert_no_error (error);
  g_assert_null (nothing);
  request = script_server_last (fixture->server);
  g_assert_cmpstr (request->method, ==, "POST");
  g_assert_null (request->query);
  g_assert_cmpstr (soup_message_headers_get_one (request->headers, "Content-Profile"), ==, "api");
  g_assert_null (soup_message_headers_get_one (request->headers, "Accept-Profile"));
  g_assert_cmpstr (soup_message_headers_get_content_type (request->headers, NULL), ==, "application/json");
  g_assert_cmpstr (soup_message_headers_get_one (request->headers, "Idempotency-Key"), ==, "k-1");
  g_assert_null (soup_message_headers_get_one (request->headers, "Prefer"));
  sent = script_request_json (request);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (sent), "text"), ==, "hello");

  /* single(): Accept asks for an object, which comes back as one */
  script_server_push (fixture->server, 201, "{\"id\":7,\"text\":\"hello\"}", NULL, NULL);
  tandem_query_single (tandem_query_returning (tandem_query_insert (single, row), TRUE));
  object = run (single, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (object));
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (object), "id"), ==, 7);
  request = script_server_last (fixture->server);
  g_assert_cmpstr (soup_message_headers_get_one (request->headers, "Accept"), ==, "application/vnd.pgrst.object+json");
  g_assert_cmpstr (soup_message_headers_get_one (request->headers, "Prefer"), ==, "return=representation");
  g_assert_cmpstr (request->query, ==, "select=*");

  /* A refused write: the body's fields on the GError */
  script_server_push (fixture->server, 409,
                      "{\"code\":\"23505\",\"details\":\"Key (id)=(7) already exists.\",\"hint\":null,"
                      "\"message\":\"duplicate key\"}", NULL, NULL);
  json_object_set_int_member (values, "id", 7);
  tandem_query_eq (tandem_query_update (update, values), "id", "8");
  updated = run (update, &error);
  g_assert_null (updated);
  g_assert_error (error, TANDEM_REST_ERROR, TANDEM_REST_ERROR_CONFLICT);
  g_assert_cmpstr (tandem_rest_error_get_code (error), ==, "23505");
  g_assert_cmpstr (tandem_rest_error_get_details (error), ==, "Key (id)=(7) already exists.");
  g_assert_cmpuint (tandem_rest_error_get_status (error), ==, 409);
  request = script_server_last (fixture->server);
  g_assert_cmpstr (request->method, ==, "PATCH");
  g_assert_cmpstr (request->query, ==, "id=eq.8");
}

static void
test_wire_quirks (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(TandemQuery) q1 = tandem_client_from (fixture->client, "t");
  g_autoptr(TandemQuery) q2 = tandem_client_from (fixture->client, "t");
  g_autoptr(TandemQuery) q3 = tandem_client_from (fixture->client, "t");
  g_autoptr(TandemQuery) q4 = tandem_client_from (fixture->client, "t");
  g_autoptr(GError) e1 = NULL, e2 = NULL, e3 = NULL, e4 = NULL;
  g_autoptr(JsonNode) n1 = NULL, n2 = NULL, n3 = NULL, n4 = NULL;

  /* postgrest-js #295: a 404 with an array is an empty result */
  script_server_push (fixture->server, 404, "[]", NULL, NULL);
  n1 = run (q1, &e1);
  g_assert_no_error (e1);
  g_assert_true (JSON_NODE_HOLDS_ARRAY (n1));
  g_assert_cmpuint (json_array_get_length (json_node_get_array (n1)), ==, 0);

  /* A 200 that is not JSON */
  script_server_push (fixture->server, 200, "not json", NULL, NULL);
  n2 = run (q2, &e2);
  g_assert_null (n2);
  g_assert_error (e2, TANDEM_REST_ERROR, TANDEM_REST_ERROR_PROTOCOL);

  /* No server: NETWORK, status 0 */
  script_server_set_down (fixture->server, TRUE);
  n3 = run (q3, &e3);
  g_assert_null (n3);
  g_assert_error (e3, TANDEM_REST_ERROR, TANDEM_REST_ERROR_NETWORK);
  g_assert_cmpuint (tandem_rest_error_get_status (e3), ==, 0);
  script_server_set_down (fixture->server, FALSE);

  /* The count of "*": unknown */
  script_server_push (fixture->server, 200, "[]", "Content-Range", "*/*");
  tandem_query_count_exact (q4);
  n4 = run (q4, &e4);
  g_assert_no_error (e4);
  g_assert_cmpint (tandem_query_get_count (q4), ==, -1);
}

static void
test_wire_cancel (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(TandemQuery) query = tandem_client_from (fixture->client, "t");
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;

  g_cancellable_cancel (cancellable);
  tandem_query_execute_async (query, cancellable, http_test_result_cb, &result);
  node = tandem_query_execute_finish (query, http_test_await (&result), &error);
  g_assert_null (node);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

/* The client's own token (an agent's JWT) when nobody is signed in. */
static void
test_wire_client_token (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(TandemQuery) query = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) rows = NULL;

  tandem_client_set_access_token (fixture->client, "agent-jwt");
  query = tandem_client_from (fixture->client, "t");
  script_server_push (fixture->server, 200, "[]", NULL, NULL);
  rows = run (query, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (soup_message_headers_get_one (script_server_last (fixture->server)->headers, "Authorization"),
                   ==, "Bearer agent-jwt");
  g_assert_cmpstr (soup_message_headers_get_one (script_server_last (fixture->server)->headers, "apikey"),
                   ==, "anon-key");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/http/query/encode/select", test_encode_select);
  g_test_add_func ("/http/query/encode/filters", test_encode_filters);
  g_test_add_func ("/http/query/encode/lists", test_encode_lists);
  g_test_add_func ("/http/query/encode/modifiers", test_encode_modifiers);
  g_test_add_func ("/http/query/encode/insert", test_encode_insert);
  g_test_add_func ("/http/query/encode/upsert", test_encode_upsert);
  g_test_add_func ("/http/query/encode/update-delete", test_encode_update_delete);
  g_test_add_func ("/http/query/encode/rpc", test_encode_rpc);
  g_test_add_func ("/http/query/builder-mistakes", test_builder_mistakes);
  g_test_add_func ("/http/query/error-mapping", test_error_mapping);
  g_test_add ("/http/query/wire/read", Fixture, NULL, fixture_setup, test_wire_read, fixture_teardown);
  g_test_add ("/http/query/wire/write", Fixture, NULL, fixture_setup, test_wire_write, fixture_teardown);
  g_test_add ("/http/query/wire/quirks", Fixture, NULL, fixture_setup, test_wire_quirks, fixture_teardown);
  g_test_add ("/http/query/wire/cancel", Fixture, NULL, fixture_setup, test_wire_cancel, fixture_teardown);
  g_test_add ("/http/query/wire/client-token", Fixture, NULL, fixture_setup, test_wire_client_token,
              fixture_teardown);

  return g_test_run ();
}
