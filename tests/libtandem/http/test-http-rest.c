/* test-http-rest.c: TandemQuery against tandem-server
 *
 * Reads with filters, order, ranges, single rows and counts; every write
 * with representation; rpc; schema profiles; row-level security seen by
 * two signed-in users; and PostgREST's errors as GErrors with their code,
 * details and hint.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "tandem-auth.h"
#include "tandem-session.h"
#include "tandem-client-private.h"
#include "tandem-query.h"
#include "tandem-rest-error.h"
#include "tandem-test-server.h"
#include "http-test-util.h"

static TandemTestPg *pg;
static TandemTestServer *server;

static const char setup_sql[] =
  "CREATE TABLE public.todos (id bigint PRIMARY KEY, task text NOT NULL, done boolean DEFAULT false,"
  "  priority int, tags text[]);"
  "INSERT INTO public.todos (id, task, done, priority, tags) VALUES"
  "  (1, 'buy milk', false, 2, '{shop,food}'),"
  "  (2, 'walk dog', true, 1, '{home}'),"
  "  (3, 'Write code', false, NULL, NULL),"
  "  (4, 'read book', true, 3, '{home,fun}'),"
  "  (5, 'a,b (c)', false, 2, '{}');"
  "CREATE TABLE public.tagged (id bigserial PRIMARY KEY, name text UNIQUE NOT NULL, hits int NOT NULL DEFAULT 0);"
  "INSERT INTO public.tagged (name, hits) VALUES ('alpha', 1);"
  "CREATE TABLE public.notes (id bigserial PRIMARY KEY, owner uuid NOT NULL DEFAULT auth.uid (), body text NOT NULL);"
  "ALTER TABLE public.notes ENABLE ROW LEVEL SECURITY;"
  "CREATE POLICY notes_own ON public.notes FOR ALL TO authenticated"
  "  USING (owner = auth.uid ()) WITH CHECK (owner = auth.uid ());"
  "CREATE SCHEMA api; GRANT USAGE ON SCHEMA api TO anon, authenticated, service_role;"
  "CREATE TABLE api.things (k text PRIMARY KEY, v int);"
  "GRANT ALL ON api.things TO anon, authenticated, service_role;"
  "INSERT INTO api.things VALUES ('one', 1);"
  "CREATE FUNCTION public.add(a int, b int DEFAULT 10) RETURNS int LANGUAGE sql IMMUTABLE AS 'SELECT a + b';"
  "CREATE FUNCTION public.done_todos() RETURNS SETOF public.todos LANGUAGE sql STABLE"
  "  AS 'SELECT * FROM public.todos WHERE done';"
  "CREATE FUNCTION public.whoami() RETURNS text LANGUAGE sql STABLE AS 'SELECT auth.uid ()::text';";

static TandemClient *
new_client (void)
{
  g_autoptr(GError) error = NULL;
  TandemClient *client = tandem_client_new (tandem_test_server_get_url (server),
                                            tandem_test_server_get_anon_key (server), &error);

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

static JsonNode *
run (TandemQuery  *query,
     GError      **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  tandem_query_execute_async (query, NULL, http_test_result_cb, &result);
  return tandem_query_execute_finish (query, http_test_await (&result), error);
}

/* Runs @query (which must succeed) and gives the "id"s of its rows. */
static char *
run_ids (TandemQuery *query)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) rows = run (query, &error);
  g_autoptr(GString) ids = g_string_new (NULL);
  JsonArray *array;

  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_ARRAY (rows));
  array = json_node_get_array (rows);
  for (guint i = 0; i < json_array_get_length (array); i++)
    g_string_append_printf (ids, "%s%" G_GINT64_FORMAT, i ? "," : "",
                            json_object_get_int_member (json_array_get_object_element (array, i), "id"));
  return g_string_free (g_steal_pointer (&ids), FALSE);
}

static gint64
sql_int (const char *sql)
{
  PGresult *result = tandem_test_pg_query (pg, sql);
  gint64 value = g_ascii_strtoll (PQgetvalue (result, 0, 0), NULL, 10);

  PQclear (result);
  return value;
}

static char *
sql_text (const char *sql)
{
  PGresult *result = tandem_test_pg_query (pg, sql);
  char *value = PQgetisnull (result, 0, 0) ? NULL : g_strdup (PQgetvalue (result, 0, 0));

  PQclear (result);
  return value;
}

/* ---- reads ---- */

#define ASSERT_IDS(query, expected) \
  G_STMT_START { g_autofree char *_ids = run_ids (query); g_assert_cmpstr (_ids, ==, expected); } G_STMT_END

static void
test_select (void)
{
  g_autoptr(TandemClient) client = new_client ();
  const char * const in_values[] = { "a,b (c)", "buy milk", NULL };
  const char * const in_ids[] = { "1", "3", "5", NULL };
  g_autoptr(TandemQuery) q1 = tandem_client_from (client, "todos");
  g_autoptr(TandemQuery) q2 = tandem_client_from (client, "todos");
  g_autoptr(TandemQuery) q3 = tandem_client_from (client, "todos");
  g_autoptr(TandemQuery) q4 = tandem_client_from (client, "todos");
  g_autoptr(TandemQuery) q5 = tandem_client_from (client, "todos");
  g_autoptr(TandemQuery) q6 = tandem_client_from (client, "todos");
  g_autoptr(TandemQuery) q7 = tandem_client_from (client, "todos");
  g_autoptr(TandemQuery) q8 = tandem_client_from (client, "todos");
  g_autoptr(TandemQuery) q9 = tandem_client_from (client, "todos");
  g_autoptr(TandemQuery) q10 = tandem_client_from (client, "todos");

  tandem_query_order (tandem_query_eq (tandem_query_select (q1, "id, task"), "done", "false"),
                      "id", FALSE, TANDEM_NULLS_DEFAULT);
  ASSERT_IDS (q1, "5,3,1");
  tandem_query_order (tandem_query_in (q2, "task", in_values), "id", TRUE, TANDEM_NULLS_DEFAULT);
  ASSERT_IDS (q2, "1,5");
  tandem_query_order (tandem_query_in (q3, "id", in_ids), "id", TRUE, TANDEM_NULLS_DEFAULT);
  ASSERT_IDS (q3, "1,3,5");
  /* nulls first, then by id within equal priorities */
  tandem_query_order (tandem_query_order (q4, "priority", FALSE, TANDEM_NULLS_FIRST), "id", TRUE, TANDEM_NULLS_DEFAULT);
  ASSERT_IDS (q4, "3,4,1,5,2");
  tandem_query_order (tandem_query_order (q5, "priority", TRUE, TANDEM_NULLS_LAST), "id", FALSE, TANDEM_NULLS_DEFAULT);
  ASSERT_IDS (q5, "2,5,1,4,3");
  tandem_query_range (tandem_query_order (q6, "id", TRUE, TANDEM_NULLS_DEFAULT), 1, 3);
  ASSERT_IDS (q6, "2,3,4");
  tandem_query_order (tandem_query_or (q7, "id.eq.1,done.is.true"), "id", TRUE, TANDEM_NULLS_DEFAULT);
  ASSERT_IDS (q7, "1,2,4");
  tandem_query_order (tandem_query_filter (tandem_query_ilike (q8, "task", "*o*"), "tags", "cs", "{home}"),
                      "id", TRUE, TANDEM_NULLS_DEFAULT);
  ASSERT_IDS (q8, "2,4");
  tandem_query_order (tandem_query_not (tandem_query_is (q9, "done", "false"), "priority", "is", "null"),
                      "id", TRUE, TANDEM_NULLS_DEFAULT);
  ASSERT_IDS (q9, "1,5");
  tandem_query_limit (tandem_query_order (tandem_query_gte (tandem_query_lt (q10, "id", "5"), "id", "2"),
                                          "id", TRUE, TANDEM_NULLS_DEFAULT), 2);
  ASSERT_IDS (q10, "2,3");
}

static void
test_single_and_count (void)
{
  g_autoptr(TandemClient) client = new_client ();
  g_autoptr(TandemQuery) one = tandem_client_from (client, "todos");
  g_autoptr(TandemQuery) none = tandem_client_from (client, "todos");
  g_autoptr(TandemQuery) many = tandem_client_from (client, "todos");
  g_autoptr(TandemQuery) counted = tandem_client_from (client, "todos");
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) row = NULL, nothing = NULL, several = NULL, page = NULL;

  tandem_query_single (tandem_query_eq (tandem_query_select (one, "id,task,tags"), "id", "2"));
  row = run (one, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (row));
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (row), "task"), ==, "walk dog");
  g_assert_cmpstr (json_array_get_string_element (json_object_get_array_member (json_node_get_object (row), "tags"), 0),
                   ==, "home");

  tandem_query_single (tandem_query_eq (none, "id", "42"));
  nothing = run (none, &error);
  g_assert_null (nothing);
  g_assert_error (error, TANDEM_REST_ERROR, TANDEM_REST_ERROR_NOT_ACCEPTABLE);
  g_assert_cmpstr (tandem_rest_error_get_code (error), ==, "PGRST116");
  g_assert_cmpstr (tandem_rest_error_get_details (error), ==, "The result contains 0 rows");
  g_assert_cmpuint (tandem_rest_error_get_status (error), ==, 406);
  g_clear_error (&error);

  tandem_query_single (tandem_query_eq (many, "done", "true"));
  several = run (many, &error);
  g_assert_null (several);
  g_assert_error (error, TANDEM_REST_ERROR, TANDEM_REST_ERROR_NOT_ACCEPTABLE);
  g_assert_cmpstr (tandem_rest_error_get_details (error), ==, "The result contains 2 rows");
  g_clear_error (&error);

  tandem_query_range (tandem_query_order (tandem_query_count_exact (counted), "id", TRUE, TANDEM_NULLS_DEFAULT), 0, 1);
  page = run (counted, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (page)), ==, 2);
  g_assert_cmpint (tandem_query_get_count (counted), ==, 5);
}

/* ---- writes ---- */

static void
test_writes (void)
{
  g_autoptr(TandemClient) client = new_client ();
  g_autoptr(TandemQuery) insert = tandem_client_from (client, "tagged");
  g_autoptr(TandemQuery) insert_many = tandem_client_from (client, "tagged");
  g_autoptr(TandemQuery) quiet = tandem_client_from (client, "tagged");
  g_autoptr(TandemQuery) merge = tandem_client_from (client, "tagged");
  g_autoptr(TandemQuery) ignore = tandem_client_from (client, "tagged");
  g_autoptr(TandemQuery) update = tandem_client_from (client, "tagged");
  g_autoptr(TandemQuery) delete = tandem_client_from (client, "tagged");
  g_autoptr(JsonNode) beta = json ("{\"name\":\"beta\",\"hits\":2}");
  g_autoptr(JsonNode) pair = json ("[{\"name\":\"gamma\"},{\"name\":\"delta\",\"hits\":4}]");
  g_autoptr(JsonNode) epsilon = json ("{\"name\":\"epsilon\"}");
  g_autoptr(JsonNode) alpha_merge = json ("{\"name\":\"alpha\",\"hits\":10}");
  g_autoptr(JsonNode) alpha_ignore = json ("{\"name\":\"alpha\",\"hits\":99}");
  g_autoptr(JsonObject) values = json_object_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) r1 = NULL, r2 = NULL, r3 = NULL, r4 = NULL, r5 = NULL, r6 = NULL, r7 = NULL;
  g_autofree char *hits = NULL;
  JsonObject *row;

  /* insert … select() */
  tandem_query_returning (tandem_query_insert (insert, beta), TRUE);
  r1 = run (insert, &error);
  g_assert_no_error (error);
  row = json_array_get_object_element (json_node_get_array (r1), 0);
  g_assert_cmpstr (json_object_get_string_member (row, "name"), ==, "beta");
  g_assert_cmpint (json_object_get_int_member (row, "hits"), ==, 2);
  g_assert_cmpint (json_object_get_int_member (row, "id"), >, 1);

  /* an array: with columns= a missing hits would be null; missing=default
   * makes it the column's default, as {defaultToNull: false} does */
  tandem_query_select (tandem_query_insert (insert_many, pair), "name,hits");
  tandem_query_header (insert_many, "Prefer", "missing=default");
  r2 = run (insert_many, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (r2)), ==, 2);
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (json_node_get_array (r2), 0), "hits"),
                   ==, 0);
  g_assert_false (json_object_has_member (json_array_get_object_element (json_node_get_array (r2), 0), "id"));

  /* without representation: nothing back, but stored */
  tandem_query_insert (quiet, epsilon);
  r3 = run (quiet, &error);
  g_assert_no_error (error);
  g_assert_null (r3);
  g_assert_cmpint (sql_int ("SELECT count(*) FROM public.tagged WHERE name = 'epsilon'"), ==, 1);

  /* upsert merging on the unique name */
  tandem_query_returning (tandem_query_upsert (merge, alpha_merge, "name", FALSE), TRUE);
  r4 = run (merge, &error);
  g_assert_no_error (error);
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (json_node_get_array (r4), 0), "hits"),
                   ==, 10);
  /* upsert ignoring the duplicate: nothing written, nothing returned */
  tandem_query_returning (tandem_query_upsert (ignore, alpha_ignore, "name", TRUE), TRUE);
  r5 = run (ignore, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (r5)), ==, 0);
  hits = sql_text ("SELECT hits FROM public.tagged WHERE name = 'alpha'");
  g_assert_cmpstr (hits, ==, "10");
  g_assert_cmpint (sql_int ("SELECT count(*) FROM public.tagged WHERE name = 'alpha'"), ==, 1);

  /* update … select() */
  json_object_set_int_member (values, "hits", 5);
  tandem_query_returning (tandem_query_in (tandem_query_update (update, values), "name",
                                           (const char * const[]) { "gamma", "delta", NULL }), TRUE);
  r6 = run (update, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (r6)), ==, 2);
  g_assert_cmpint (sql_int ("SELECT sum(hits) FROM public.tagged WHERE name IN ('gamma', 'delta')"), ==, 10);

  /* delete … select() */
  tandem_query_select (tandem_query_eq (tandem_query_delete (delete), "name", "beta"), "name");
  r7 = run (delete, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (json_node_get_array (r7), 0), "name"),
                   ==, "beta");
  g_assert_cmpint (sql_int ("SELECT count(*) FROM public.tagged WHERE name = 'beta'"), ==, 0);
}

static void
test_rpc_and_schema (void)
{
  g_autoptr(TandemClient) client = new_client ();
  g_autoptr(JsonNode) args = json ("{\"a\":2}");
  g_autoptr(TandemQuery) add = tandem_client_rpc (client, "add", args);
  g_autoptr(TandemQuery) done = tandem_client_rpc (client, "done_todos", NULL);
  g_autoptr(TandemQuery) things = tandem_client_from (client, "things");
  g_autoptr(TandemQuery) put = tandem_client_from (client, "things");
  g_autoptr(TandemQuery) nope = tandem_client_rpc (client, "no_such_function", NULL);
  g_autoptr(JsonNode) row = json ("{\"k\":\"two\",\"v\":2}");
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) sum = NULL, none = NULL, written = NULL, missing = NULL;

  sum = run (add, &error);
  g_assert_no_error (error);
  g_assert_cmpint (json_node_get_int (sum), ==, 12);

  tandem_query_order (tandem_query_gt (done, "id", "2"), "id", TRUE, TANDEM_NULLS_DEFAULT);
  ASSERT_IDS (done, "4");

  tandem_query_returning (tandem_query_insert (tandem_query_schema (put, "api"), row), TRUE);
  written = run (put, &error);
  g_assert_no_error (error);
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (json_node_get_array (written), 0), "v"),
                   ==, 2);
  tandem_query_order (tandem_query_schema (things, "api"), "v", TRUE, TANDEM_NULLS_DEFAULT);
  none = run (things, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (none)), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (json_node_get_array (none), 1), "k"),
                   ==, "two");

  missing = run (nope, &error);
  g_assert_null (missing);
  g_assert_error (error, TANDEM_REST_ERROR, TANDEM_REST_ERROR_NOT_FOUND);
  g_assert_cmpstr (tandem_rest_error_get_code (error), ==, "PGRST202");
}

/* ---- row-level security, two users ---- */

static TandemClient *
signed_in_client (const char *email)
{
  TandemClient *client = new_client ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(TandemSession) session = NULL;

  tandem_auth_sign_up_async (tandem_client_get_auth (client), email, "s3cret-pass", NULL, NULL,
                             http_test_result_cb, &result);
  session = tandem_auth_sign_up_finish (tandem_client_get_auth (client), http_test_await (&result), &error);
  g_assert_no_error (error);
  return client;
}

static JsonNode *
add_note (TandemClient *client,
          const char   *body)
{
  g_autoptr(TandemQuery) query = tandem_client_from (client, "notes");
  g_autoptr(JsonObject) row = json_object_new ();
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;
  JsonNode *result;

  json_object_set_string_member (row, "body", body);
  node = json_node_init_object (json_node_alloc (), row);
  tandem_query_single (tandem_query_returning (tandem_query_insert (query, node), TRUE));
  result = run (query, &error);
  g_assert_no_error (error);
  return result;
}

static char *
note_bodies (TandemClient *client)
{
  g_autoptr(TandemQuery) query = tandem_client_from (client, "notes");
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) rows = NULL;
  g_autoptr(GString) bodies = g_string_new (NULL);
  JsonArray *array;

  tandem_query_order (tandem_query_select (query, "body"), "id", TRUE, TANDEM_NULLS_DEFAULT);
  rows = run (query, &error);
  g_assert_no_error (error);
  array = json_node_get_array (rows);
  for (guint i = 0; i < json_array_get_length (array); i++)
    g_string_append_printf (bodies, "%s%s", i ? "," : "",
                            json_object_get_string_member (json_array_get_object_element (array, i), "body"));
  return g_string_free (g_steal_pointer (&bodies), FALSE);
}

static void
test_rls (void)
{
  g_autoptr(TandemClient) ada = signed_in_client ("ada-rls@example.com");
  g_autoptr(TandemClient) bob = signed_in_client ("bob-rls@example.com");
  g_autoptr(TandemClient) anon = new_client ();
  TandemSession *ada_session = tandem_auth_get_session (tandem_client_get_auth (ada));
  g_autoptr(JsonNode) a1 = add_note (ada, "ada one");
  G_GNUC_UNUSED g_autoptr(JsonNode) b1 = add_note (bob, "bob one");
  G_GNUC_UNUSED g_autoptr(JsonNode) a2 = add_note (ada, "ada two");
  g_autoptr(TandemQuery) steal = tandem_client_from (bob, "notes");
  g_autoptr(TandemQuery) forge = tandem_client_from (bob, "notes");
  g_autoptr(TandemQuery) whoami = tandem_client_rpc (ada, "whoami", NULL);
  g_autoptr(JsonObject) values = json_object_new ();
  g_autoptr(JsonObject) forged = json_object_new ();
  g_autoptr(JsonNode) forged_node = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) stolen = NULL, refused = NULL, me = NULL;
  g_autofree char *ada_notes = NULL, *bob_notes = NULL, *anon_notes = NULL, *id = NULL, *kept = NULL;

  /* The owner column is filled by auth.uid () of the caller's token */
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (a1), "owner"), ==,
                   tandem_session_get_user_id (ada_session));

  ada_notes = note_bodies (ada);
  bob_notes = note_bodies (bob);
  anon_notes = note_bodies (anon);
  g_assert_cmpstr (ada_notes, ==, "ada one,ada two");
  g_assert_cmpstr (bob_notes, ==, "bob one");
  g_assert_cmpstr (anon_notes, ==, "");

  /* Bob's update of Ada's note matches nothing */
  id = g_strdup_printf ("%" G_GINT64_FORMAT, json_object_get_int_member (json_node_get_object (a1), "id"));
  json_object_set_string_member (values, "body", "stolen");
  tandem_query_returning (tandem_query_eq (tandem_query_update (steal, values), "id", id), TRUE);
  stolen = run (steal, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (stolen)), ==, 0);
  kept = sql_text ("SELECT body FROM public.notes ORDER BY id LIMIT 1");
  g_assert_cmpstr (kept, ==, "ada one");

  /* Bob writing a note as Ada is refused by the policy */
  json_object_set_string_member (forged, "owner", tandem_session_get_user_id (ada_session));
  json_object_set_string_member (forged, "body", "forged");
  forged_node = json_node_init_object (json_node_alloc (), forged);
  tandem_query_insert (forge, forged_node);
  refused = run (forge, &error);
  g_assert_null (refused);
  g_assert_error (error, TANDEM_REST_ERROR, TANDEM_REST_ERROR_FORBIDDEN);
  g_assert_cmpstr (tandem_rest_error_get_code (error), ==, "42501");
  g_clear_error (&error);

  /* auth.uid () in an rpc */
  me = run (whoami, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (json_node_get_string (me), ==, tandem_session_get_user_id (ada_session));
}

/* ---- errors ---- */

static void
test_errors (void)
{
  g_autoptr(TandemClient) client = new_client ();
  g_autoptr(TandemQuery) duplicate = tandem_client_from (client, "todos");
  g_autoptr(TandemQuery) not_null = tandem_client_from (client, "todos");
  g_autoptr(TandemQuery) unknown = tandem_client_from (client, "nope");
  g_autoptr(TandemQuery) bad_filter = tandem_client_from (client, "todos");
  g_autoptr(TandemQuery) bad_column = tandem_client_from (client, "todos");
  g_autoptr(JsonNode) one = json ("{\"id\":1,\"task\":\"again\"}");
  g_autoptr(JsonNode) no_task = json ("{\"id\":99}");
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) n1 = NULL, n2 = NULL, n3 = NULL, n4 = NULL, n5 = NULL;

  tandem_query_insert (duplicate, one);
  n1 = run (duplicate, &error);
  g_assert_null (n1);
  g_assert_error (error, TANDEM_REST_ERROR, TANDEM_REST_ERROR_CONFLICT);
  g_assert_cmpstr (tandem_rest_error_get_code (error), ==, "23505");
  g_assert_cmpstr (error->message, ==, "duplicate key value violates unique constraint \"todos_pkey\"");
  g_assert_cmpstr (tandem_rest_error_get_details (error), ==, "Key (id)=(1) already exists.");
  g_assert_cmpuint (tandem_rest_error_get_status (error), ==, 409);
  g_clear_error (&error);

  tandem_query_insert (not_null, no_task);
  n2 = run (not_null, &error);
  g_assert_null (n2);
  g_assert_error (error, TANDEM_REST_ERROR, TANDEM_REST_ERROR_BAD_REQUEST);
  g_assert_cmpstr (tandem_rest_error_get_code (error), ==, "23502");
  g_clear_error (&error);

  n3 = run (unknown, &error);
  g_assert_null (n3);
  g_assert_error (error, TANDEM_REST_ERROR, TANDEM_REST_ERROR_NOT_FOUND);
  g_assert_cmpstr (tandem_rest_error_get_code (error), ==, "PGRST205");
  g_assert_cmpstr (error->message, ==, "Could not find the table 'public.nope' in the schema cache");
  g_clear_error (&error);

  /* in. without its parentheses */
  tandem_query_filter (bad_filter, "id", "in", "1,2");
  n4 = run (bad_filter, &error);
  g_assert_null (n4);
  g_assert_error (error, TANDEM_REST_ERROR, TANDEM_REST_ERROR_BAD_REQUEST);
  g_assert_cmpstr (tandem_rest_error_get_code (error), ==, "PGRST100");
  g_assert_nonnull (tandem_rest_error_get_details (error));
  g_clear_error (&error);

  tandem_query_eq (bad_column, "colour", "red");
  n5 = run (bad_column, &error);
  g_assert_null (n5);
  g_assert_error (error, TANDEM_REST_ERROR, TANDEM_REST_ERROR_BAD_REQUEST);
  g_assert_cmpstr (tandem_rest_error_get_code (error), ==, "42703");
}

int
main (int   argc,
      char *argv[])
{
  const char * const args[] = { "--auth-rate-limit", "1000", NULL };
  int status;

  g_test_init (&argc, &argv, NULL);

  pg = tandem_test_pg_new ();
  server = tandem_test_server_new (pg, args);
  tandem_test_pg_exec (pg, setup_sql);

  g_test_add_func ("/http/rest-server/select", test_select);
  g_test_add_func ("/http/rest-server/single-and-count", test_single_and_count);
  g_test_add_func ("/http/rest-server/writes", test_writes);
  g_test_add_func ("/http/rest-server/rpc-and-schema", test_rpc_and_schema);
  g_test_add_func ("/http/rest-server/rls", test_rls);
  g_test_add_func ("/http/rest-server/errors", test_errors);

  status = g_test_run ();

  tandem_test_server_stop (server);
  tandem_test_server_free (server);
  tandem_test_pg_free (pg);
  return status;
}
