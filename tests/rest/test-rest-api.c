/* test-rest-api.c: tandem-server's /rest/v1 over HTTP
 *
 * Reads with every filter, logic tree, order and range form, counts,
 * singular responses and CSV; rows rendered exactly as PostgreSQL renders
 * them; inserts, upserts, updates and deletes with every Prefer; rpc; the
 * OpenAPI description; schema profiles; CORS; and a schema cache that finds
 * tables and columns created while the server runs.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "rest-test-util.h"

static const char setup_sql[] =
  "ALTER DATABASE postgres SET timezone TO 'UTC';"
  "CREATE TABLE public.todos (id bigint PRIMARY KEY, task text NOT NULL, done boolean DEFAULT false,"
  "  priority int, tags text[], meta jsonb, due date, created_at timestamptz DEFAULT '2026-01-01 00:00:00+00');"
  "COMMENT ON TABLE public.todos IS 'Things to do';"
  "INSERT INTO public.todos (id, task, done, priority, tags, meta, due) VALUES"
  "  (1, 'buy milk', false, 2, '{shop,food}', '{\"k\":1,\"n\":{\"x\":\"y\"}}', '2026-01-10'),"
  "  (2, 'walk dog', true, 1, '{home}', '{\"k\":2}', NULL),"
  "  (3, 'Write code', false, NULL, NULL, NULL, NULL),"
  "  (4, 'read book', true, 3, '{home,fun}', '{\"k\":3}', '2026-02-01'),"
  "  (5, 'a,b (c)', false, 2, '{}', '{\"k\":\"5\"}', NULL);"
  "CREATE TABLE public.kinds (id int PRIMARY KEY, n numeric, f double precision, ts timestamptz, d date,"
  "  j jsonb, js json, arr int[], u uuid, t text, b boolean, iv interval, big bigint);"
  "INSERT INTO public.kinds VALUES"
  "  (1, 12345678901234567890.123456789, 1.5e-7, '2026-03-04 05:06:07.891234+02', '2026-03-04',"
  "   '{\"b\": [1, 2.50, null], \"a\": \"é\\\"\"}', '{\"keep\" :  \"spacing\"}', '{1,NULL,3}',"
  "   'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', E'tab\\there \\u2713 \"quoted\"', true, '1 day 02:03:04', 9007199254740993),"
  "  (2, NULL, 'NaN', NULL, NULL, 'null', NULL, '{}', NULL, '', false, NULL, -1);"
  "CREATE TABLE public.tagged (id bigserial PRIMARY KEY, name text UNIQUE NOT NULL, hits int NOT NULL DEFAULT 0,"
  "  note text DEFAULT 'none');"
  "CREATE TABLE public.children (id int PRIMARY KEY, todo_id bigint REFERENCES public.todos (id));"
  "CREATE SCHEMA api; GRANT USAGE ON SCHEMA api TO anon, authenticated, service_role;"
  "CREATE TABLE api.things (k text PRIMARY KEY, v int);"
  "GRANT ALL ON api.things TO anon, authenticated, service_role;"
  "INSERT INTO api.things VALUES ('one', 1);"
  "CREATE FUNCTION public.add(a int, b int DEFAULT 10) RETURNS int LANGUAGE sql IMMUTABLE AS 'SELECT a + b';"
  "CREATE FUNCTION public.done_todos() RETURNS SETOF public.todos LANGUAGE sql STABLE"
  "  AS 'SELECT * FROM public.todos WHERE done';"
  "CREATE FUNCTION public.bump(p_id bigint) RETURNS public.todos LANGUAGE sql"
  "  AS 'UPDATE public.todos SET priority = coalesce(priority, 0) + 1 WHERE id = p_id RETURNING *';"
  "CREATE FUNCTION public.echo(jsonb) RETURNS jsonb LANGUAGE sql IMMUTABLE AS 'SELECT $1';"
  "CREATE FUNCTION public.nothing() RETURNS void LANGUAGE sql AS '';"
  "CREATE FUNCTION public.sum_arr(xs int[]) RETURNS int LANGUAGE sql IMMUTABLE AS 'SELECT sum(x)::int FROM unnest(xs) x';"
  "CREATE FUNCTION public.series(n int) RETURNS SETOF int LANGUAGE sql IMMUTABLE AS 'SELECT generate_series(1, n)';"
  "CREATE FUNCTION public.pairs(n int, OUT i int, OUT sq int) RETURNS SETOF record LANGUAGE sql IMMUTABLE"
  "  AS 'SELECT g, g * g FROM generate_series(1, n) g';";

/* ---- reads ----------------------------------------------------------------- */

static void
assert_ids (const char *query,
            const char *expected)
{
  g_autofree char *path = g_strconcat ("/todos?", query, NULL);
  g_autoptr(Reply) reply = rest_call ("GET", path, NULL, NULL, NULL);
  g_autofree char *ids = NULL;

  if (reply->status != 200)
    g_error ("GET %s: %u %s", path, reply->status, reply->body);
  ids = reply_ids (reply);
  if (g_strcmp0 (ids, expected) != 0)
    g_error ("GET %s: expected ids [%s], got [%s]", path, expected, ids);
}

static void
test_filters (void)
{
  /* Every operator, as postgrest-js encodes it (URLSearchParams). */
  assert_ids ("task=eq.walk+dog&order=id", "2");
  assert_ids ("priority=neq.2&order=id", "2,4");
  assert_ids ("id=gt.3&order=id", "4,5");
  assert_ids ("id=gte.3&order=id", "3,4,5");
  assert_ids ("id=lt.3&order=id", "1,2");
  assert_ids ("id=lte.3&order=id", "1,2,3");
  assert_ids ("task=like.*o*&order=id", "2,3,4");
  assert_ids ("task=ilike.W*&order=id", "2,3");
  assert_ids ("task=match.%5E%5Bab%5D&order=id", "1,5");
  assert_ids ("task=imatch.%5EW&order=id", "2,3");
  assert_ids ("priority=is.null&order=id", "3");
  assert_ids ("done=is.true&order=id", "2,4");
  assert_ids ("done=is.false&order=id", "1,3,5");
  assert_ids ("priority=not.is.null&order=id", "1,2,4,5");
  assert_ids ("priority=isdistinct.2&order=id", "2,3,4");
  assert_ids ("id=in.%281%2C3%2C5%29&order=id", "1,3,5");
  assert_ids ("task=in.%28%22a%2Cb+%28c%29%22%2Cbuy+milk%29&order=id", "1,5");
  assert_ids ("id=not.in.%281%2C2%29&order=id", "3,4,5");
  assert_ids ("id=in.%28%29", "");
  assert_ids ("tags=cs.%7Bhome%7D&order=id", "2,4");
  assert_ids ("tags=cd.%7Bhome%2Cfun%2Cx%7D&order=id", "2,4,5");
  assert_ids ("tags=ov.%7Bfood%2Cfun%7D&order=id", "1,4");
  assert_ids ("meta=cs.%7B%22k%22%3A2%7D", "2");
  assert_ids ("task=wfts%28simple%29.dog", "2");
  assert_ids ("task=fts%28simple%29.book+%7C+milk&order=id", "1,4");
  assert_ids ("task=plfts%28simple%29.walk+dog", "2");
  assert_ids ("task=phfts%28simple%29.read+book", "4");
  assert_ids ("task=like%28any%29.%7B*milk%2C*dog%7D&order=id", "1,2");
  assert_ids ("task=ilike%28all%29.%7Bw*%2C*e%7D&order=id", "3");
  assert_ids ("id=gt%28any%29.%7B3%2C4%7D&order=id", "4,5");
  assert_ids ("meta-%3E%3Ek=eq.2", "2");
  assert_ids ("meta-%3En-%3E%3Ex=eq.y", "1");
  assert_ids ("due=gte.2026-01-15", "4");
  assert_ids ("id=gt.1&id=lt.4&order=id", "2,3");
  assert_ids ("task=not.like.*o*&order=id", "1,5");
}

static void
test_logic_trees (void)
{
  assert_ids ("or=%28id.eq.1%2Cdone.is.true%29&order=id", "1,2,4");
  assert_ids ("or=%28priority.gt.2%2Cand%28done.is.false%2Cpriority.is.null%29%29&order=id", "3,4");
  assert_ids ("not.or=%28id.eq.1%2Cid.eq.2%29&order=id", "3,4,5");
  assert_ids ("and=%28id.gte.2%2Cid.lte.4%2Ctask.not.like.*o*%29&order=id", "");
  assert_ids ("or=%28task.eq.%22a%2Cb+%28c%29%22%2Cid.in.%281%2C2%29%29&order=id", "1,2,5");
  assert_ids ("or=%28tags.cs.%7Bfood%7D%2Cmeta-%3E%3Ek.eq.3%29&order=id", "1,4");
  assert_ids ("or=%28not.and%28id.gt.1%2Cdone.is.false%29%2Cid.eq.3%29&order=id", "1,2,3,4");
}

static void
test_order_and_ranges (void)
{
  g_autoptr(Reply) ranged = NULL;
  g_autoptr(Reply) counted = NULL;
  g_autoptr(Reply) all = NULL;
  g_autoptr(Reply) empty = NULL;
  g_autoptr(Reply) beyond = NULL;
  g_autoptr(Reply) head = NULL;

  assert_ids ("order=priority.desc.nullslast%2Cid.asc", "4,1,5,2,3");
  assert_ids ("order=priority.asc.nullsfirst%2Cid.desc", "3,2,5,1,4");
  assert_ids ("order=done.desc%2Cpriority.desc%2Cid", "4,2,3,1,5");
  assert_ids ("order=meta-%3E%3Ek.desc.nullslast%2Cid", "5,4,2,1,3");
  assert_ids ("order=id&limit=2&offset=1", "2,3");
  assert_ids ("order=id&offset=3", "4,5");
  assert_ids ("order=id&limit=0", "");

  ranged = rest_call ("GET", "/todos?order=id", NULL, NULL, "Range", "1-2", "Range-Unit", "items", NULL);
  g_assert_cmpuint (ranged->status, ==, 200);
  {
    g_autofree char *ids = reply_ids (ranged);
    g_assert_cmpstr (ids, ==, "2,3");
  }
  g_assert_cmpstr (soup_message_headers_get_one (ranged->headers, "Content-Range"), ==, "1-2/*");

  counted = rest_call ("GET", "/todos?order=id&limit=2", NULL, NULL, "Prefer", "count=exact", NULL);
  g_assert_cmpuint (counted->status, ==, 206);
  g_assert_cmpstr (soup_message_headers_get_one (counted->headers, "Content-Range"), ==, "0-1/5");
  g_assert_cmpstr (soup_message_headers_get_one (counted->headers, "Preference-Applied"), ==, "count=exact");

  all = rest_call ("GET", "/todos?done=is.true", NULL, NULL, "Prefer", "count=exact", NULL);
  g_assert_cmpuint (all->status, ==, 200);
  g_assert_cmpstr (soup_message_headers_get_one (all->headers, "Content-Range"), ==, "0-1/2");

  empty = rest_call ("GET", "/todos?id=gt.99", NULL, NULL, "Prefer", "count=exact", NULL);
  assert_reply (empty, 200, "[]");
  g_assert_cmpstr (soup_message_headers_get_one (empty->headers, "Content-Range"), ==, "*/0");

  beyond = rest_call ("GET", "/todos?offset=10", NULL, NULL, "Prefer", "count=exact", NULL);
  json_object_unref (assert_error (beyond, 416, "PGRST103", "Requested range not satisfiable"));

  head = rest_call ("HEAD", "/todos?done=is.false", NULL, NULL, "Prefer", "count=exact", NULL);
  g_assert_cmpuint (head->status, ==, 200);
  g_assert_cmpstr (head->body, ==, "");
  g_assert_cmpstr (soup_message_headers_get_one (head->headers, "Content-Range"), ==, "0-2/3");
}

static void
test_select_and_media (void)
{
  g_autoptr(Reply) shaped = rest_call ("GET", "/todos?select=id%2Cname%3Atask%2Ck%3Ameta-%3E%3Ek%2Cx%3Ameta-%3En-%3Ex%2Cfirst%3Atags-%3E0%2Cpriority%3A%3Atext&id=eq.1",
                                       NULL, NULL, NULL);
  g_autoptr(Reply) single = rest_call ("GET", "/todos?select=id%2Ctask&id=eq.2", NULL, NULL,
                                       "Accept", "application/vnd.pgrst.object+json", NULL);
  g_autoptr(Reply) many = rest_call ("GET", "/todos?id=gt.1", NULL, NULL, "Accept", "application/vnd.pgrst.object+json", NULL);
  g_autoptr(Reply) none = rest_call ("GET", "/todos?id=eq.99", NULL, NULL, "Accept", "application/vnd.pgrst.object+json", NULL);
  g_autoptr(Reply) csv = rest_call ("GET", "/todos?select=id%2Ctask&id=lte.2&order=id", NULL, NULL, "Accept", "text/csv", NULL);
  g_autoptr(Reply) stripped = rest_call ("GET", "/todos?select=id%2Cpriority%2Cdue&id=eq.3", NULL, NULL,
                                         "Accept", "application/vnd.pgrst.array+json;nulls=stripped", NULL);
  g_autoptr(Reply) unknown = rest_call ("GET", "/todos", NULL, NULL, "Accept", "image/png", NULL);
  g_autoptr(JsonObject) error = NULL;

  assert_reply (shaped, 200, "[{\"id\":1,\"name\":\"buy milk\",\"k\":\"1\",\"x\":\"y\",\"first\":\"shop\",\"priority\":\"2\"}]");
  assert_reply (single, 200, "{\"id\":2,\"task\":\"walk dog\"}");
  g_assert_true (g_str_has_prefix (soup_message_headers_get_content_type (single->headers, NULL),
                                   "application/vnd.pgrst.object+json"));
  error = assert_error (many, 406, "PGRST116", "Cannot coerce the result to a single JSON object");
  g_assert_cmpstr (json_object_get_string_member (error, "details"), ==, "The result contains 4 rows");
  g_clear_pointer (&error, json_object_unref);
  error = assert_error (none, 406, "PGRST116", NULL);
  g_assert_cmpstr (json_object_get_string_member (error, "details"), ==, "The result contains 0 rows");
  g_assert_cmpuint (csv->status, ==, 200);
  g_assert_cmpstr (csv->body, ==, "id,task\n1,\"buy milk\"\n2,\"walk dog\"");
  assert_reply (stripped, 200, "[{\"id\":3}]");
  g_clear_pointer (&error, json_object_unref);
  error = assert_error (unknown, 406, "PGRST107", "None of these media types are available: image/png");
}

/* Rows read back byte for byte as PostgreSQL's json_agg renders them. */
static void
test_rendering (void)
{
  g_autoptr(Reply) reply = rest_call ("GET", "/kinds?order=id", NULL, NULL, NULL);
  g_autofree char *expected = rest_sql_value ("SELECT coalesce(json_agg(k), '[]')::text FROM "
                                              "(SELECT * FROM public.kinds ORDER BY id) k");
  g_autoptr(Reply) one = rest_call ("GET", "/kinds?id=eq.1&select=n%2Cts%2Cj%2Cu", NULL, NULL,
                                    "Accept", "application/vnd.pgrst.object+json", NULL);

  g_assert_cmpuint (reply->status, ==, 200);
  g_assert_cmpstr (reply->body, ==, expected);
  g_assert_true (strstr (reply->body, "12345678901234567890.123456789") != NULL);
  g_assert_true (strstr (reply->body, "\"2026-03-04T03:06:07.891234+00:00\"") != NULL);
  g_assert_true (strstr (reply->body, "{\"keep\" :  \"spacing\"}") != NULL);
  g_assert_true (strstr (reply->body, "9007199254740993") != NULL);
  g_assert_cmpstr (one->body, ==, "{\"n\":12345678901234567890.123456789,\"ts\":\"2026-03-04T03:06:07.891234+00:00\","
                                  "\"j\":{\"a\": \"é\\\"\", \"b\": [1, 2.50, null]},\"u\":\"a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11\"}");
}

/* ---- writes ---------------------------------------------------------------------- */

static void
test_insert (void)
{
  g_autoptr(Reply) minimal = rest_call ("POST", "/todos", NULL, "{\"id\":10,\"task\":\"ten\"}", NULL);
  g_autoptr(Reply) repr = rest_call ("POST", "/todos?select=id%2Ctask%2Cdone", NULL, "{\"id\":11,\"task\":\"eleven\"}",
                                     "Prefer", "return=representation", NULL);
  g_autoptr(Reply) many = rest_call ("POST", "/todos?columns=%22id%22%2C%22task%22%2C%22priority%22&select=id%2Ctask%2Cpriority",
                                     NULL, "[{\"id\":12,\"task\":\"a\"},{\"id\":13,\"task\":\"b\",\"priority\":7}]",
                                     "Prefer", "return=representation", NULL);
  g_autoptr(Reply) located = rest_call ("POST", "/todos", NULL, "{\"id\":14,\"task\":\"x\"}", "Prefer", "return=headers-only", NULL);
  g_autoptr(Reply) typed = rest_call ("POST", "/todos?select=tags%2Cmeta%2Cdue", NULL,
                                      "{\"id\":15,\"task\":\"t\",\"tags\":[\"a\",\"b c\"],\"meta\":{\"z\":[1,{\"q\":null}]},\"due\":\"2026-05-06\"}",
                                      "Prefer", "return=representation", NULL);
  g_autoptr(Reply) defaults = rest_call ("POST", "/tagged?select=name%2Chits%2Cnote", NULL, "{\"name\":\"d\"}",
                                         "Prefer", "return=representation", NULL);
  g_autoptr(Reply) nulls = rest_call ("POST", "/tagged?columns=name%2Chits%2Cnote&select=name%2Cnote", NULL,
                                      "[{\"name\":\"e\",\"hits\":1}]", "Prefer", "return=representation", NULL);
  g_autoptr(Reply) missing = rest_call ("POST", "/tagged?columns=name%2Chits%2Cnote&select=name%2Chits%2Cnote", NULL,
                                        "[{\"name\":\"f\"},{\"name\":\"g\",\"note\":null}]",
                                        "Prefer", "return=representation,missing=default", NULL);
  g_autoptr(Reply) empty_array = rest_call ("POST", "/tagged", NULL, "[]", "Prefer", "return=representation", NULL);
  g_autoptr(Reply) counted = rest_call ("POST", "/todos", NULL, "[{\"id\":16,\"task\":\"x\"},{\"id\":17,\"task\":\"y\"}]",
                                        "Prefer", "count=exact", NULL);
  g_autofree char *stored = rest_sql_value ("SELECT task FROM public.todos WHERE id = 10");

  assert_reply (minimal, 201, NULL);
  g_assert_cmpstr (soup_message_headers_get_one (minimal->headers, "Content-Range"), ==, "*/*");
  g_assert_cmpstr (stored, ==, "ten");
  assert_reply (repr, 201, "[{\"id\":11,\"task\":\"eleven\",\"done\":false}]");
  assert_reply (many, 201, "[{\"id\":12,\"task\":\"a\",\"priority\":null},{\"id\":13,\"task\":\"b\",\"priority\":7}]");
  assert_reply (located, 201, NULL);
  g_assert_cmpstr (soup_message_headers_get_one (located->headers, "Location"), ==, "/todos?id=eq.14");
  assert_reply (typed, 201, "[{\"tags\":[\"a\",\"b c\"],\"meta\":{\"z\":[1,{\"q\":null}]},\"due\":\"2026-05-06\"}]");
  assert_reply (defaults, 201, "[{\"name\":\"d\",\"hits\":0,\"note\":\"none\"}]");
  assert_reply (nulls, 201, "[{\"name\":\"e\",\"note\":null}]");
  assert_reply (missing, 201, "[{\"name\":\"f\",\"hits\":0,\"note\":\"none\"},{\"name\":\"g\",\"hits\":0,\"note\":null}]");
  assert_reply (empty_array, 201, "[]");
  assert_reply (counted, 201, NULL);
  g_assert_cmpstr (soup_message_headers_get_one (counted->headers, "Content-Range"), ==, "*/2");
}

static void
test_upsert (void)
{
  g_autoptr(Reply) merged = rest_call ("POST", "/todos?select=id%2Ctask%2Cpriority", NULL,
                                       "[{\"id\":1,\"task\":\"buy oat milk\",\"priority\":9},{\"id\":20,\"task\":\"new\",\"priority\":1}]",
                                       "Prefer", "resolution=merge-duplicates, return=representation", NULL);
  g_autoptr(Reply) ignored = rest_call ("POST", "/todos?select=id%2Ctask", NULL,
                                        "[{\"id\":2,\"task\":\"ignored\"},{\"id\":21,\"task\":\"kept\"}]",
                                        "Prefer", "resolution=ignore-duplicates,return=representation", NULL);
  g_autoptr(Reply) by_name = rest_call ("POST", "/tagged?on_conflict=name&select=name%2Chits", NULL,
                                        "{\"name\":\"d\",\"hits\":5}",
                                        "Prefer", "resolution=merge-duplicates,return=representation", NULL);
  g_autoptr(Reply) bad_target = rest_call ("POST", "/tagged?on_conflict=hits", NULL, "{\"name\":\"d\",\"hits\":5}",
                                           "Prefer", "resolution=merge-duplicates", NULL);
  g_autofree char *task2 = rest_sql_value ("SELECT task FROM public.todos WHERE id = 2");
  g_autofree char *hits = rest_sql_value ("SELECT count(*) FROM public.tagged WHERE name = 'd'");

  assert_reply (merged, 201, "[{\"id\":1,\"task\":\"buy oat milk\",\"priority\":9},{\"id\":20,\"task\":\"new\",\"priority\":1}]");
  g_assert_cmpstr (soup_message_headers_get_one (merged->headers, "Preference-Applied"), ==,
                   "resolution=merge-duplicates, return=representation");
  assert_reply (ignored, 201, "[{\"id\":21,\"task\":\"kept\"}]");
  g_assert_cmpstr (task2, ==, "walk dog");
  assert_reply (by_name, 201, "[{\"name\":\"d\",\"hits\":5}]");
  g_assert_cmpstr (hits, ==, "1");
  json_object_unref (assert_error (bad_target, 400, "42P10", NULL));

  /* back to the fixture's rows */
  rest_sql ("UPDATE public.todos SET task = 'buy milk', priority = 2 WHERE id = 1;"
            "DELETE FROM public.todos WHERE id >= 10;");
}

static void
test_constraint_errors (void)
{
  g_autoptr(Reply) duplicate = rest_call ("POST", "/todos", NULL, "{\"id\":1,\"task\":\"again\"}", NULL);
  g_autoptr(Reply) not_null = rest_call ("POST", "/todos", NULL, "{\"id\":30}", NULL);
  g_autoptr(Reply) foreign = rest_call ("POST", "/children", NULL, "{\"id\":1,\"todo_id\":999}", NULL);
  g_autoptr(Reply) bad_type = rest_call ("POST", "/todos", NULL, "{\"id\":\"abc\",\"task\":\"x\"}", NULL);
  g_autoptr(Reply) column = rest_call ("POST", "/todos", NULL, "{\"id\":31,\"nope\":1}", NULL);
  g_autoptr(Reply) json = rest_call ("POST", "/todos", NULL, "{\"id\":", NULL);
  g_autoptr(Reply) keys = rest_call ("POST", "/todos", NULL, "[{\"id\":32,\"task\":\"a\"},{\"id\":33}]", NULL);
  g_autoptr(Reply) content_type = rest_call ("POST", "/todos", NULL, "id=1", "Content-Type", "text/plain", NULL);
  g_autoptr(JsonObject) error = NULL;

  error = assert_error (duplicate, 409, "23505", "duplicate key value violates unique constraint \"todos_pkey\"");
  g_assert_cmpstr (json_object_get_string_member (error, "details"), ==, "Key (id)=(1) already exists.");
  g_clear_pointer (&error, json_object_unref);
  error = assert_error (not_null, 400, "23502", NULL);
  g_clear_pointer (&error, json_object_unref);
  error = assert_error (foreign, 409, "23503", NULL);
  g_clear_pointer (&error, json_object_unref);
  error = assert_error (bad_type, 400, "22P02", NULL);
  g_clear_pointer (&error, json_object_unref);
  error = assert_error (column, 400, "PGRST204", "Could not find the 'nope' column of 'todos' in the schema cache");
  g_clear_pointer (&error, json_object_unref);
  error = assert_error (json, 400, "PGRST102", "Empty or invalid json");
  g_clear_pointer (&error, json_object_unref);
  error = assert_error (keys, 400, "PGRST102", "All object keys must match");
  g_clear_pointer (&error, json_object_unref);
  error = assert_error (content_type, 415, "PGRST107", NULL);
}

static void
test_update_delete (void)
{
  g_autoptr(Reply) patched = rest_call ("PATCH", "/todos?id=eq.3&select=id%2Cdone%2Cpriority", NULL,
                                        "{\"done\":true,\"priority\":4}", "Prefer", "return=representation", NULL);
  g_autoptr(Reply) quiet = rest_call ("PATCH", "/todos?or=%28id.eq.3%2Cid.eq.4%29", NULL, "{\"priority\":5}",
                                      "Prefer", "count=exact", NULL);
  g_autoptr(Reply) none = rest_call ("PATCH", "/todos?id=eq.99", NULL, "{\"done\":true}", "Prefer", "return=representation", NULL);
  g_autoptr(Reply) single = rest_call ("PATCH", "/todos?id=gt.1", NULL, "{\"done\":false}",
                                       "Prefer", "return=representation", "Accept", "application/vnd.pgrst.object+json", NULL);
  g_autoptr(Reply) strict = rest_call ("PATCH", "/todos?id=gt.1", NULL, "{\"done\":false}",
                                       "Prefer", "handling=strict, max-affected=2", NULL);
  g_autofree char *after_rollback = rest_sql_value ("SELECT count(*) FROM public.todos WHERE done");
  g_autoptr(Reply) deleted = NULL;
  g_autoptr(Reply) gone = NULL;
  g_autoptr(JsonObject) error = NULL;

  assert_reply (patched, 200, "[{\"id\":3,\"done\":true,\"priority\":4}]");
  assert_reply (quiet, 204, NULL);
  g_assert_cmpstr (soup_message_headers_get_one (quiet->headers, "Content-Range"), ==, "0-1/2");
  assert_reply (none, 200, "[]");
  error = assert_error (single, 406, "PGRST116", NULL);
  g_clear_pointer (&error, json_object_unref);
  error = assert_error (strict, 400, "PGRST124", "Query result exceeds max-affected preference constraint");
  /* both were rolled back: 2, 3 and 4 are still done */
  g_assert_cmpstr (after_rollback, ==, "3");

  rest_sql ("INSERT INTO public.todos (id, task) VALUES (40, 'forty'), (41, 'forty-one')");
  deleted = rest_call ("DELETE", "/todos?id=eq.40&select=id%2Ctask", NULL, NULL, "Prefer", "return=representation", NULL);
  assert_reply (deleted, 200, "[{\"id\":40,\"task\":\"forty\"}]");
  gone = rest_call ("DELETE", "/todos?id=eq.41", NULL, NULL, NULL);
  assert_reply (gone, 204, NULL);
  assert_sql_value ("SELECT count(*) FROM public.todos WHERE id >= 40", "0");
  rest_sql ("UPDATE public.todos SET done = false, priority = NULL WHERE id = 3; UPDATE public.todos SET priority = 3 WHERE id = 4;");
}

/* ---- rpc ------------------------------------------------------------------------------ */

static void
test_rpc (void)
{
  g_autoptr(Reply) post = rest_call ("POST", "/rpc/add", NULL, "{\"a\":1,\"b\":2}", NULL);
  g_autoptr(Reply) get = rest_call ("GET", "/rpc/add?a=5", NULL, NULL, NULL);
  g_autoptr(Reply) set = rest_call ("GET", "/rpc/done_todos?select=id%2Ctask&order=id.desc", NULL, NULL, NULL);
  g_autoptr(Reply) filtered = rest_call ("POST", "/rpc/done_todos?id=gt.2&select=id", NULL, "{}", NULL);
  g_autoptr(Reply) bumped = rest_call ("POST", "/rpc/bump?select=id%2Cpriority", NULL, "{\"p_id\":2}", NULL);
  g_autoptr(Reply) read_only = rest_call ("GET", "/rpc/bump?p_id=2", NULL, NULL, NULL);
  g_autoptr(Reply) echo = rest_call ("POST", "/rpc/echo", NULL, "{\"x\":[1,\"two\"]}", NULL);
  g_autoptr(Reply) nothing = rest_call ("POST", "/rpc/nothing", NULL, NULL, NULL);
  g_autoptr(Reply) array = rest_call ("POST", "/rpc/sum_arr", NULL, "{\"xs\":[1,2,3]}", NULL);
  g_autoptr(Reply) array_get = rest_call ("GET", "/rpc/sum_arr?xs=%7B4%2C5%7D", NULL, NULL, NULL);
  g_autoptr(Reply) scalars = rest_call ("GET", "/rpc/series?n=3", NULL, NULL, NULL);
  g_autoptr(Reply) records = rest_call ("GET", "/rpc/pairs?n=3&sq=gt.1&order=i.desc", NULL, NULL, NULL);
  g_autoptr(Reply) single = rest_call ("GET", "/rpc/done_todos?id=eq.4&select=id", NULL, NULL,
                                       "Accept", "application/vnd.pgrst.object+json", NULL);
  g_autoptr(Reply) unknown = rest_call ("POST", "/rpc/nope", NULL, "{\"a\":1}", NULL);
  g_autoptr(Reply) wrong_args = rest_call ("POST", "/rpc/add", NULL, "{\"c\":1}", NULL);
  g_autoptr(Reply) bad_method = rest_call ("PATCH", "/rpc/add", NULL, "{}", NULL);
  g_autoptr(JsonObject) error = NULL;

  assert_reply (post, 200, "3");
  assert_reply (get, 200, "15");
  assert_reply (set, 200, "[{\"id\":4,\"task\":\"read book\"},{\"id\":2,\"task\":\"walk dog\"}]");
  assert_reply (filtered, 200, "[{\"id\":4}]");
  assert_reply (bumped, 200, "{\"id\":2,\"priority\":2}");
  error = assert_error (read_only, 405, "25006", "cannot execute UPDATE in a read-only transaction");
  g_clear_pointer (&error, json_object_unref);
  assert_reply (echo, 200, "{\"x\":[1,\"two\"]}");
  assert_reply (nothing, 204, NULL);
  assert_reply (array, 200, "6");
  assert_reply (array_get, 200, "9");
  assert_reply (scalars, 200, "[1,2,3]");
  assert_reply (records, 200, "[{\"i\":3,\"sq\":9},{\"i\":2,\"sq\":4}]");
  assert_reply (single, 200, "{\"id\":4}");
  error = assert_error (unknown, 404, "PGRST202", "Could not find the function public.nope(a) in the schema cache");
  g_clear_pointer (&error, json_object_unref);
  error = assert_error (wrong_args, 404, "PGRST202", "Could not find the function public.add(c) in the schema cache");
  g_clear_pointer (&error, json_object_unref);
  error = assert_error (bad_method, 405, "PGRST101", "Cannot use the PATCH method on RPC");
  rest_sql ("UPDATE public.todos SET priority = 1 WHERE id = 2");
}

/* ---- the rest --------------------------------------------------------------------------- */

static void
test_openapi (void)
{
  g_autoptr(Reply) reply = rest_call ("GET", "/", NULL, NULL, NULL);
  g_autoptr(JsonNode) root = json_from_string (reply->body, NULL);
  JsonObject *doc, *paths, *todos, *id;

  g_assert_cmpuint (reply->status, ==, 200);
  g_assert_true (g_str_has_prefix (soup_message_headers_get_content_type (reply->headers, NULL), "application/openapi+json"));
  g_assert_nonnull (root);
  doc = json_node_get_object (root);
  g_assert_cmpstr (json_object_get_string_member (doc, "swagger"), ==, "2.0");
  paths = json_object_get_object_member (doc, "paths");
  g_assert_true (json_object_has_member (paths, "/"));
  g_assert_true (json_object_has_member (paths, "/todos"));
  g_assert_true (json_object_has_member (json_object_get_object_member (paths, "/todos"), "patch"));
  g_assert_true (json_object_has_member (paths, "/rpc/add"));
  g_assert_true (json_object_has_member (json_object_get_object_member (paths, "/rpc/add"), "get"));
  g_assert_false (json_object_has_member (json_object_get_object_member (paths, "/rpc/nothing"), "get"));
  todos = json_object_get_object_member (json_object_get_object_member (doc, "definitions"), "todos");
  g_assert_cmpstr (json_object_get_string_member (todos, "description"), ==, "Things to do");
  id = json_object_get_object_member (json_object_get_object_member (todos, "properties"), "id");
  g_assert_cmpstr (json_object_get_string_member (id, "format"), ==, "bigint");
  g_assert_cmpstr (json_object_get_string_member (id, "type"), ==, "integer");
  g_assert_cmpstr (json_object_get_string_member (id, "description"), ==, "Note:\nThis is a Primary Key.<pk/>");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (json_object_get_object_member (todos, "properties"), "tags"), "type"), ==, "array");
  g_assert_cmpstr (json_array_get_string_element (json_object_get_array_member (todos, "required"), 0), ==, "id");
}

static void
test_profiles (void)
{
  g_autoptr(Reply) other = rest_call ("GET", "/things", NULL, NULL, "Accept-Profile", "api", NULL);
  g_autoptr(Reply) wrong = rest_call ("GET", "/things", NULL, NULL, NULL);
  g_autoptr(Reply) insert = rest_call ("POST", "/things", NULL, "{\"k\":\"two\",\"v\":2}",
                                       "Content-Profile", "api", "Prefer", "return=representation", NULL);
  g_autoptr(Reply) unknown = rest_call ("GET", "/todos", NULL, NULL, "Accept-Profile", "nope", NULL);
  g_autoptr(Reply) internal = rest_call ("GET", "/users", NULL, NULL, "Accept-Profile", "auth", NULL);
  g_autoptr(JsonObject) error = NULL;

  assert_reply (other, 200, "[{\"k\":\"one\",\"v\":1}]");
  g_assert_cmpstr (soup_message_headers_get_one (other->headers, "Content-Profile"), ==, "api");
  error = assert_error (wrong, 404, "PGRST205", "Could not find the table 'public.things' in the schema cache");
  g_clear_pointer (&error, json_object_unref);
  assert_reply (insert, 201, "[{\"k\":\"two\",\"v\":2}]");
  error = assert_error (unknown, 406, "PGRST106", "Invalid schema: nope");
  g_assert_cmpstr (json_object_get_string_member (error, "hint"), ==, "Only the following schemas are exposed: api, public");
  g_clear_pointer (&error, json_object_unref);
  error = assert_error (internal, 406, "PGRST106", "Invalid schema: auth");
}

static void
test_schema_changes (void)
{
  g_autoptr(Reply) created = NULL;
  g_autoptr(Reply) added = NULL;
  g_autoptr(Reply) dropped = NULL;
  g_autoptr(Reply) function = NULL;
  g_autoptr(Reply) root = NULL;

  /* Made after the cache was loaded: found on the miss. */
  rest_sql ("CREATE TABLE public.later (id int PRIMARY KEY, v text); INSERT INTO public.later VALUES (1, 'x')");
  created = rest_call ("GET", "/later", NULL, NULL, NULL);
  assert_reply (created, 200, "[{\"id\":1,\"v\":\"x\"}]");

  rest_sql ("ALTER TABLE public.later ADD COLUMN w int");
  added = rest_call ("POST", "/later", NULL, "{\"id\":2,\"w\":3}", "Prefer", "return=representation", NULL);
  assert_reply (added, 201, "[{\"id\":2,\"v\":null,\"w\":3}]");

  rest_sql ("CREATE FUNCTION public.later_fn() RETURNS int LANGUAGE sql AS 'SELECT 42'");
  function = rest_call ("POST", "/rpc/later_fn", NULL, NULL, NULL);
  assert_reply (function, 200, "42");

  root = rest_call ("GET", "/", NULL, NULL, NULL);
  g_assert_true (strstr (root->body, "\"/later\"") != NULL);

  rest_sql ("DROP TABLE public.later");
  dropped = rest_call ("GET", "/later", NULL, NULL, NULL);
  g_assert_cmpuint (dropped->status, ==, 404);
}

static void
test_cors (void)
{
  g_autoptr(Reply) preflight = rest_call ("OPTIONS", "/todos", NO_TOKEN, NULL, "Origin", "http://example.com",
                                          "Access-Control-Request-Method", "PATCH",
                                          "Access-Control-Request-Headers", "authorization, apikey, prefer", NULL);
  g_autoptr(Reply) get = rest_call ("GET", "/todos?id=eq.1&select=id", NULL, NULL, "Origin", "http://example.com", NULL);

  g_assert_cmpuint (preflight->status, ==, 200);
  g_assert_cmpstr (soup_message_headers_get_one (preflight->headers, "Access-Control-Allow-Origin"), ==, "*");
  g_assert_true (strstr (soup_message_headers_get_one (preflight->headers, "Access-Control-Allow-Methods"), "PATCH") != NULL);
  g_assert_cmpstr (soup_message_headers_get_one (preflight->headers, "Access-Control-Allow-Headers"), ==,
                   "authorization, apikey, prefer");
  g_assert_cmpstr (soup_message_headers_get_one (get->headers, "Access-Control-Allow-Origin"), ==, "*");
  g_assert_true (strstr (soup_message_headers_get_one (get->headers, "Access-Control-Expose-Headers"), "Content-Range") != NULL);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_test_init (&argc, &argv, NULL);
  rest_env_start (setup_sql);

  g_test_add_func ("/rest/api/filters", test_filters);
  g_test_add_func ("/rest/api/logic-trees", test_logic_trees);
  g_test_add_func ("/rest/api/order-and-ranges", test_order_and_ranges);
  g_test_add_func ("/rest/api/select-and-media", test_select_and_media);
  g_test_add_func ("/rest/api/rendering", test_rendering);
  g_test_add_func ("/rest/api/insert", test_insert);
  g_test_add_func ("/rest/api/upsert", test_upsert);
  g_test_add_func ("/rest/api/constraint-errors", test_constraint_errors);
  g_test_add_func ("/rest/api/update-delete", test_update_delete);
  g_test_add_func ("/rest/api/rpc", test_rpc);
  g_test_add_func ("/rest/api/openapi", test_openapi);
  g_test_add_func ("/rest/api/profiles", test_profiles);
  g_test_add_func ("/rest/api/schema-changes", test_schema_changes);
  g_test_add_func ("/rest/api/cors", test_cors);

  status = g_test_run ();
  rest_env_stop ();
  return status;
}
