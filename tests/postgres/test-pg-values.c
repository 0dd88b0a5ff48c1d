/* test-pg-values.c: column values converted as Supabase Realtime sends them
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <json-glib/json-glib.h>

#include "tandem-pg-values.h"

static char *
to_json (JsonNode *node)
{
  char *text;

  g_assert_nonnull (node);
  text = json_to_string (node, FALSE);
  json_node_unref (node);
  return text;
}

#define assert_text_converts(typname, text, expected) \
  G_STMT_START { \
    g_autofree char *_json = to_json (tandem_pg_value_from_text ((typname), (text))); \
    g_assert_cmpstr (_json, ==, (expected)); \
  } G_STMT_END

static void
assert_wal2json_converts (const char *typname,
                          const char *wal2json_value,
                          const char *expected)
{
  g_autoptr(JsonNode) value = json_from_string (wal2json_value, NULL);
  g_autofree char *json = NULL;

  g_assert_nonnull (value);
  json = to_json (tandem_pg_value_from_wal2json (typname, value));
  g_assert_cmpstr (json, ==, expected);
}

static void
test_null (void)
{
  g_autoptr(JsonNode) node = tandem_pg_value_from_text ("int4", NULL);

  g_assert_true (JSON_NODE_HOLDS_NULL (node));
  assert_text_converts ("text", NULL, "null");
  assert_text_converts ("_int4", NULL, "null");

  g_clear_pointer (&node, json_node_unref);
  node = tandem_pg_value_from_wal2json ("jsonb", NULL);
  g_assert_true (JSON_NODE_HOLDS_NULL (node));
  assert_wal2json_converts ("jsonb", "null", "null");
  assert_wal2json_converts ("int4", "null", "null");
}

static void
test_numbers (void)
{
  g_autoptr(JsonNode) node = NULL;

  assert_text_converts ("int2", "-7", "-7");
  assert_text_converts ("int4", "42", "42");
  assert_text_converts ("int8", "9007199254740993", "9007199254740993");
  assert_text_converts ("int8", "-9223372036854775808", "-9223372036854775808");
  assert_text_converts ("oid", "4294967295", "4294967295");
  assert_text_converts ("float8", "1.5", "1.5");
  assert_text_converts ("float8", "-0", "0");
  node = tandem_pg_value_from_text ("float8", "1e+100");
  g_assert_cmpint (json_node_get_value_type (node), ==, G_TYPE_DOUBLE);
  g_assert_cmpfloat (json_node_get_double (node), ==, 1e100);
  g_clear_pointer (&node, json_node_unref);
  assert_text_converts ("float4", "0.25", "0.25");
  assert_text_converts ("numeric", "1.50", "1.5");
  assert_text_converts ("numeric", "10", "10");
  assert_text_converts ("numeric", "-3.25", "-3.25");

  /* to_jsonb() writes the special values as strings. */
  assert_text_converts ("numeric", "NaN", "\"NaN\"");
  assert_text_converts ("float8", "Infinity", "\"Infinity\"");
  assert_text_converts ("float4", "-Infinity", "\"-Infinity\"");

  /* Beyond 64 bits: the nearest double, not garbage. */
  node = tandem_pg_value_from_text ("numeric", "99999999999999999999");
  g_assert_cmpint (json_node_get_value_type (node), ==, G_TYPE_DOUBLE);
  g_assert_cmpfloat (json_node_get_double (node), ==, 1e20);
  g_clear_pointer (&node, json_node_unref);

  node = tandem_pg_value_from_text ("numeric", "123456789012345678901234567890.123456789");
  g_assert_cmpfloat_with_epsilon (json_node_get_double (node), 1.2345678901234568e29, 1e14);
  g_clear_pointer (&node, json_node_unref);

  /* Out of double range: kept as the text rather than an invalid infinity. */
  {
    g_autofree char *huge = g_strnfill (400, '9');
    g_autofree char *expected = g_strdup_printf ("\"%s\"", huge);

    assert_text_converts ("numeric", huge, expected);
  }

  /* Unparsable text for a number type stays text. */
  assert_text_converts ("int4", "abc", "\"abc\"");

  /* wal2json already writes numbers as JSON numbers. */
  assert_wal2json_converts ("int4", "1", "1");
  assert_wal2json_converts ("numeric", "2.5", "2.5");
  assert_wal2json_converts ("int8", "9007199254740993", "9007199254740993");
  assert_wal2json_converts ("oid", "42", "42");
  assert_wal2json_converts ("numeric", "\"7\"", "7");
}

static void
test_bool (void)
{
  assert_text_converts ("bool", "t", "true");
  assert_text_converts ("bool", "f", "false");
  assert_text_converts ("bool", "true", "true");
  assert_text_converts ("bool", "false", "false");
  assert_wal2json_converts ("bool", "true", "true");
  assert_wal2json_converts ("bool", "false", "false");
}

static void
test_json (void)
{
  g_autoptr(JsonNode) node = NULL;

  assert_text_converts ("jsonb", "{\"a\": [1, 2]}", "{\"a\":[1,2]}");
  assert_text_converts ("json", " [1, 2] ", "[1,2]");
  assert_text_converts ("jsonb", "\"x\"", "\"x\"");
  assert_text_converts ("jsonb", "3", "3");
  assert_text_converts ("jsonb", "null", "null");
  assert_text_converts ("jsonb", "{\"s\": \"a\\\"b\\\\c\\u00e9\"}", "{\"s\":\"a\\\"b\\\\c\u00e9\"}");
  /* Not JSON: kept as text rather than lost. */
  assert_text_converts ("json", "{oops", "\"{oops\"");
  assert_wal2json_converts ("jsonb", "\"{\\\"a\\\": 1}\"", "{\"a\":1}");

  /* A big integer inside jsonb does not become garbage. */
  node = tandem_pg_value_from_text ("jsonb", "{\"big\": 99999999999999999999, \"n\": -12, \"s\": \"99999999999999999999\"}");
  g_assert_true (JSON_NODE_HOLDS_OBJECT (node));
  g_assert_cmpfloat (json_object_get_double_member (json_node_get_object (node), "big"), ==, 1e20);
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (node), "n"), ==, -12);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (node), "s"), ==, "99999999999999999999");
}

static void
test_json_parse (void)
{
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  node = tandem_pg_json_parse ("[1e400, 9223372036854775807, -9223372036854775808, 9223372036854775808, \"1e400\", 1.5e3]", -1, &error);
  g_assert_no_error (error);
  text = json_to_string (node, FALSE);
  g_assert_cmpstr (text, ==, "[\"1e400\",9223372036854775807,-9223372036854775808,9.2233720368547758e+18,\"1e400\",1500.0]");
  g_clear_pointer (&node, json_node_unref);

  node = tandem_pg_json_parse ("{\"a\":", -1, &error);
  g_assert_null (node);
  g_assert_error (error, JSON_PARSER_ERROR, JSON_PARSER_ERROR_PARSE);
  g_clear_error (&error);

  node = tandem_pg_json_parse ("", -1, &error);
  g_assert_null (node);
  g_assert_nonnull (error);
  g_clear_error (&error);

  /* Length-limited input. */
  node = tandem_pg_json_parse ("[1][2]", 3, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_ARRAY (node));
}

static void
test_timestamps (void)
{
  assert_text_converts ("timestamptz", "2026-01-01 00:00:00+00", "\"2026-01-01T00:00:00+00:00\"");
  assert_text_converts ("timestamptz", "2026-01-01 00:00:00.123456+00", "\"2026-01-01T00:00:00.123456+00:00\"");
  assert_text_converts ("timestamptz", "2026-01-01 05:30:00.5+05:30", "\"2026-01-01T05:30:00.5+05:30\"");
  assert_text_converts ("timestamptz", "2025-12-31 19:00:00-05", "\"2025-12-31T19:00:00-05:00\"");
  assert_text_converts ("timestamptz", "1900-01-01 00:19:32+00:19:32", "\"1900-01-01T00:19:32+00:19:32\"");
  assert_text_converts ("timestamptz", "0044-03-15 12:19:32+00:19:32 BC", "\"0044-03-15T12:19:32+00:19:32 BC\"");
  assert_text_converts ("timestamptz", "infinity", "\"infinity\"");
  assert_text_converts ("timestamptz", "-infinity", "\"-infinity\"");
  assert_text_converts ("timestamp", "2026-01-01 01:02:03.5", "\"2026-01-01T01:02:03.5\"");
  assert_text_converts ("timestamp", "20000-03-15 12:00:00", "\"20000-03-15T12:00:00\"");
  assert_text_converts ("timestamp", "0044-03-15 12:00:00 BC", "\"0044-03-15T12:00:00 BC\"");
  assert_text_converts ("timestamp", "infinity", "\"infinity\"");
  assert_wal2json_converts ("timestamptz", "\"2026-01-01 00:00:00+00\"", "\"2026-01-01T00:00:00+00:00\"");
}

static void
test_strings (void)
{
  assert_text_converts ("date", "2026-01-02", "\"2026-01-02\"");
  assert_text_converts ("time", "12:34:56.5", "\"12:34:56.5\"");
  assert_text_converts ("timetz", "12:00:00+05", "\"12:00:00+05\"");
  assert_text_converts ("uuid", "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11", "\"a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11\"");
  assert_text_converts ("text", "h\u00e9llo \"w\"", "\"h\u00e9llo \\\"w\\\"\"");
  assert_text_converts ("varchar", "", "\"\"");
  assert_text_converts ("interval", "1 day", "\"1 day\"");
  assert_text_converts ("money", "$12.50", "\"$12.50\"");
  assert_text_converts ("mood", "happy", "\"happy\"");
  assert_text_converts (NULL, "x", "\"x\"");
  assert_text_converts ("bytea", "\\xdeadbeef", "\"\\\\xdeadbeef\"");

  /* wal2json drops the \x of a bytea column. */
  assert_wal2json_converts ("bytea", "\"deadbeef\"", "\"\\\\xdeadbeef\"");
  assert_wal2json_converts ("bytea", "\"\"", "\"\\\\x\"");
  assert_wal2json_converts ("text", "\"deadbeef\"", "\"deadbeef\"");
}

static void
test_arrays (void)
{
  assert_text_converts ("_int4", "{1,2}", "[1,2]");
  assert_text_converts ("_int4", "{}", "[]");
  assert_text_converts ("_int4", "{{1,2},{3,4}}", "[[1,2],[3,4]]");
  assert_text_converts ("_int4", "{{{1},{2}},{{3},{4}}}", "[[[1],[2]],[[3],[4]]]");
  assert_text_converts ("_int4", "[0:1]={5,6}", "[5,6]");
  assert_text_converts ("_int4", "[1:2][1:1]={{5},{6}}", "[[5],[6]]");
  assert_text_converts ("_int4", "{1,NULL,3}", "[1,null,3]");
  assert_text_converts ("_text", "{\"a b\",NULL,\"c\\\"d\",e}", "[\"a b\",null,\"c\\\"d\",\"e\"]");
  assert_text_converts ("_text", "{\"\",NULL,\"NULL\",\"a,b\",\"  sp  \",null}",
                        "[\"\",null,\"NULL\",\"a,b\",\"  sp  \",null]");
  assert_text_converts ("_text", "{\"back\\\\slash\",\"{brace}\"}", "[\"back\\\\slash\",\"{brace}\"]");
  assert_text_converts ("_text", "{ a , b }", "[\"a\",\"b\"]");
  assert_text_converts ("_text", "{a\\,b}", "[\"a,b\"]");
  assert_text_converts ("_text", "{\\NULL}", "[\"NULL\"]");
  assert_text_converts ("_varchar", "{\"h\u00e9\"}", "[\"h\u00e9\"]");
  assert_text_converts ("_bool", "{t,f,NULL}", "[true,false,null]");
  assert_text_converts ("_numeric", "{1.5,NaN}", "[1.5,\"NaN\"]");
  assert_text_converts ("_float8", "{Infinity,-1.25}", "[\"Infinity\",-1.25]");
  assert_text_converts ("_jsonb", "{\"{\\\"a\\\": 1}\",\"\\\"x\\\"\",NULL}", "[{\"a\":1},\"x\",null]");
  assert_text_converts ("_timestamptz", "{\"2026-01-01 05:30:00+05:30\",infinity}",
                        "[\"2026-01-01T05:30:00+05:30\",\"infinity\"]");
  assert_text_converts ("_timestamp", "{\"2026-01-01 00:00:00\"}", "[\"2026-01-01T00:00:00\"]");
  assert_text_converts ("_bytea", "{\"\\\\xdead\",NULL}", "[\"\\\\xdead\",null]");
  assert_text_converts ("_uuid", "{a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11}", "[\"a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11\"]");
  assert_text_converts ("_box", "{(3,4),(1,2);(1,1),(0,0)}", "[\"(3,4),(1,2)\",\"(1,1),(0,0)\"]");
  assert_text_converts ("_point", "{\"(1,2)\",\"(3,4)\"}", "[\"(1,2)\",\"(3,4)\"]");

  /* Malformed literals stay text. */
  assert_text_converts ("_int4", "{1,2", "\"{1,2\"");
  assert_text_converts ("_int4", "1,2", "\"1,2\"");
  assert_text_converts ("_int4", "{1,,2}", "\"{1,,2}\"");
  assert_text_converts ("_text", "{\"a}", "\"{\\\"a}\"");
  assert_text_converts ("_int4", "{1}x", "\"{1}x\"");
  assert_text_converts ("_int4", "[0:1={1}", "\"[0:1={1}\"");

  /* As wal2json hands them over. */
  assert_wal2json_converts ("_text", "\"{\\\"a b\\\",NULL,\\\"c\\\\\\\"d\\\",e}\"", "[\"a b\",null,\"c\\\"d\",\"e\"]");
  assert_wal2json_converts ("_int4", "\"{{1,2},{3,4}}\"", "[[1,2],[3,4]]");

  /* The direct entry point. */
  {
    g_autoptr(JsonNode) node = tandem_pg_array_from_text ("int4", "{{1,2},{3,4}", ',');

    g_assert_null (node);
    node = tandem_pg_array_from_text ("text", "{a;b}", ';');
    g_assert_nonnull (node);
    g_assert_cmpuint (json_array_get_length (json_node_get_array (node)), ==, 2);
  }

  /* Absurd nesting is refused rather than recursing without bound. */
  {
    g_autofree char *open = g_strnfill (100, '{');
    g_autofree char *close = g_strnfill (100, '}');
    g_autofree char *deep = g_strconcat (open, "1", close, NULL);
    g_autoptr(JsonNode) node = tandem_pg_array_from_text ("int4", deep, ',');

    g_assert_null (node);
  }
}

static void
test_commit_timestamp (void)
{
  g_autofree char *epoch = tandem_pg_format_commit_timestamp (0);
  g_autofree char *t1 = NULL, *t2 = NULL, *t3 = NULL;
  gint64 usec = 0;

  g_assert_cmpstr (epoch, ==, "1970-01-01T00:00:00.000Z");

  g_assert_true (tandem_pg_parse_timestamptz ("2026-11-23 18:39:39.248526+00", &usec));
  t1 = tandem_pg_format_commit_timestamp (usec);
  g_assert_cmpstr (t1, ==, "2026-11-23T18:39:39.248Z");
  g_assert_cmpint (usec % G_USEC_PER_SEC, ==, 248526);

  /* Milliseconds are truncated, as to_char(…, 'MS') does. */
  g_assert_true (tandem_pg_parse_timestamptz ("2025-11-19 00:22:40.877999+00", &usec));
  t2 = tandem_pg_format_commit_timestamp (usec);
  g_assert_cmpstr (t2, ==, "2025-11-19T00:22:40.877Z");

  /* Before the epoch. */
  t3 = tandem_pg_format_commit_timestamp (-1);
  g_assert_cmpstr (t3, ==, "1969-12-31T23:59:59.999Z");
}

static void
test_parse_timestamptz (void)
{
  gint64 a = 0, b = 0;

  g_assert_true (tandem_pg_parse_timestamptz ("2026-01-01 00:00:00+00", &a));
  g_assert_cmpint (a, ==, G_GINT64_CONSTANT (1767225600) * G_USEC_PER_SEC);

  g_assert_true (tandem_pg_parse_timestamptz ("2026-01-01 05:30:00+05:30", &b));
  g_assert_cmpint (a, ==, b);
  g_assert_true (tandem_pg_parse_timestamptz ("2025-12-31T19:00:00-05", &b));
  g_assert_cmpint (a, ==, b);
  g_assert_true (tandem_pg_parse_timestamptz ("2026-01-01T00:00:00Z", &b));
  g_assert_cmpint (a, ==, b);
  g_assert_true (tandem_pg_parse_timestamptz ("2026-01-01 00:00:00", &b));
  g_assert_cmpint (a, ==, b);
  g_assert_true (tandem_pg_parse_timestamptz ("2026-01-01 00:00:00.000001+00", &b));
  g_assert_cmpint (a + 1, ==, b);
  g_assert_true (tandem_pg_parse_timestamptz ("1900-01-01 00:19:32+00:19:32", &b));
  g_assert_cmpint (b, ==, G_GINT64_CONSTANT (-2208988800) * G_USEC_PER_SEC);

  g_assert_false (tandem_pg_parse_timestamptz ("infinity", &b));
  g_assert_false (tandem_pg_parse_timestamptz ("2026-13-01 00:00:00+00", &b));
  g_assert_false (tandem_pg_parse_timestamptz ("2026-01-01 00:00:00+00 BC", &b));
  g_assert_false (tandem_pg_parse_timestamptz ("2026-01-01", &b));
  g_assert_false (tandem_pg_parse_timestamptz ("2026-01-01 00:00:00.+00", &b));
  g_assert_false (tandem_pg_parse_timestamptz ("", &b));
}

static void
test_typname_from_format_type (void)
{
  static const struct { const char *in, *out; } cases[] = {
    { "integer", "int4" },
    { "bigint", "int8" },
    { "smallint", "int2" },
    { "real", "float4" },
    { "double precision", "float8" },
    { "numeric(5,2)", "numeric" },
    { "numeric", "numeric" },
    { "boolean", "bool" },
    { "text", "text" },
    { "jsonb", "jsonb" },
    { "character varying(30)", "varchar" },
    { "character(1)", "bpchar" },
    { "timestamp with time zone", "timestamptz" },
    { "timestamp(3) with time zone", "timestamptz" },
    { "timestamp without time zone", "timestamp" },
    { "time without time zone", "time" },
    { "time with time zone", "timetz" },
    { "text[]", "_text" },
    { "integer[]", "_int4" },
    { "timestamp with time zone[]", "_timestamptz" },
    { "character varying(10)[]", "_varchar" },
    { "\"char\"", "char" },
    { "uuid", "uuid" },
    { "myschema.mood", "mood" },
    { "public.\"Mood\"", "Mood" },
    { "\"we\"\"ird.name\"", "we\"ird.name" },
    { "myschema.mood[]", "_mood" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *typname = tandem_pg_typname_from_format_type (cases[i].in);

      g_assert_cmpstr (typname, ==, cases[i].out);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/pg-values/null", test_null);
  g_test_add_func ("/pg-values/numbers", test_numbers);
  g_test_add_func ("/pg-values/bool", test_bool);
  g_test_add_func ("/pg-values/json", test_json);
  g_test_add_func ("/pg-values/json-parse", test_json_parse);
  g_test_add_func ("/pg-values/timestamps", test_timestamps);
  g_test_add_func ("/pg-values/strings", test_strings);
  g_test_add_func ("/pg-values/arrays", test_arrays);
  g_test_add_func ("/pg-values/commit-timestamp", test_commit_timestamp);
  g_test_add_func ("/pg-values/parse-timestamptz", test_parse_timestamptz);
  g_test_add_func ("/pg-values/typname-from-format-type", test_typname_from_format_type);

  return g_test_run ();
}
