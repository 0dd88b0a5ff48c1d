/* test-change.c: TandemChange and realtime-js's value conversion
 *
 * The expected conversions were produced by realtime-js 2.109's
 * convertCell (tests/interop/node_modules/@supabase/realtime-js).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>

#include "tandem-change-private.h"
#include "tandem-client.h"

static JsonNode *
parse (const char *text)
{
  g_autoptr(GError) error = NULL;
  JsonNode *node = json_from_string (text, &error);

  g_assert_no_error (error);
  g_assert_nonnull (node);
  return node;
}

static JsonObject *
parse_object (const char *text)
{
  g_autoptr(JsonNode) node = parse (text);

  g_assert_true (JSON_NODE_HOLDS_OBJECT (node));
  return json_object_ref (json_node_get_object (node));
}

/* JSON equality as JavaScript sees it: numbers by value, whether stored as
 * integers or doubles. */
static gboolean
js_equal (JsonNode *a,
          JsonNode *b)
{
  if (json_node_get_node_type (a) != json_node_get_node_type (b))
    return FALSE;

  switch (json_node_get_node_type (a))
    {
    case JSON_NODE_NULL:
      return TRUE;

    case JSON_NODE_ARRAY:
      {
        JsonArray *x = json_node_get_array (a);
        JsonArray *y = json_node_get_array (b);

        if (json_array_get_length (x) != json_array_get_length (y))
          return FALSE;
        for (guint i = 0; i < json_array_get_length (x); i++)
          if (!js_equal (json_array_get_element (x, i), json_array_get_element (y, i)))
            return FALSE;
        return TRUE;
      }

    case JSON_NODE_OBJECT:
      {
        JsonObject *x = json_node_get_object (a);
        JsonObject *y = json_node_get_object (b);
        JsonObjectIter iter;
        const char *name;
        JsonNode *member;

        if (json_object_get_size (x) != json_object_get_size (y))
          return FALSE;
        json_object_iter_init (&iter, x);
        while (json_object_iter_next (&iter, &name, &member))
          if (!json_object_has_member (y, name) || !js_equal (member, json_object_get_member (y, name)))
            return FALSE;
        return TRUE;
      }

    case JSON_NODE_VALUE:
    default:
      {
        GType ta = json_node_get_value_type (a);
        GType tb = json_node_get_value_type (b);
        gboolean na = ta == G_TYPE_INT64 || ta == G_TYPE_DOUBLE;
        gboolean nb = tb == G_TYPE_INT64 || tb == G_TYPE_DOUBLE;

        if (na && nb)
          return json_node_get_double (a) == json_node_get_double (b);
        if (ta != tb)
          return FALSE;
        if (ta == G_TYPE_STRING)
          return g_strcmp0 (json_node_get_string (a), json_node_get_string (b)) == 0;
        return json_node_get_boolean (a) == json_node_get_boolean (b);
      }
    }
}

static void
assert_json_full (JsonNode   *actual,
                  const char *expected,
                  const char *context)
{
  g_autoptr(JsonNode) want = parse (expected);

  if (!js_equal (actual, want))
    {
      g_autofree char *got = json_to_string (actual, FALSE);

      g_error ("%s: got %s, expected %s", context, got, expected);
    }
}

#define assert_json(actual, expected) assert_json_full ((actual), (expected), G_STRLOC)

/* A string value of @type converts to @expected (JSON text). */
static void
assert_converts (const char *type,
                 const char *input,
                 const char *expected)
{
  g_autoptr(JsonNode) value = json_node_init_string (json_node_alloc (), input);
  g_autoptr(JsonNode) converted = _tandem_change_convert_value (type, value);
  g_autofree char *context = g_strdup_printf ("%s “%s”", type, input);

  assert_json_full (converted, expected, context);
  /* The input is untouched. */
  g_assert_cmpstr (json_node_get_string (value), ==, input);
}

static void
test_convert_bool (void)
{
  assert_converts ("bool", "t", "true");
  assert_converts ("bool", "f", "false");
  assert_converts ("bool", "true", "\"true\"");
  assert_converts ("bool", "T", "\"T\"");
  assert_converts ("bool", "", "\"\"");
}

static void
test_convert_numbers (void)
{
  static const char * const types[] = { "int2", "int4", "int8", "float4", "float8", "numeric", "oid" };
  g_autoptr(JsonNode) value = NULL;
  g_autoptr(JsonNode) converted = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (types); i++)
    {
      assert_converts (types[i], "33", "33");
      assert_converts (types[i], "-2.5", "-2.5");
    }

  /* parseFloat: the longest decimal prefix after white space. */
  assert_converts ("int4", " 12abc", "12");
  assert_converts ("oid", "\xc2\xa0 \t7", "7");        /* U+00A0 is JS white space */
  assert_converts ("numeric", "-.5e-3", "-0.0005");
  assert_converts ("numeric", "1e", "1");
  assert_converts ("numeric", "1e+2x", "100");
  assert_converts ("numeric", "0x10", "0");
  assert_converts ("numeric", "1.5.6", "1.5");
  assert_converts ("int2", "+3", "3");
  assert_converts ("numeric", "007", "7");
  /* Beyond 2^53 a double, as in JavaScript. */
  assert_converts ("int8", "12345678901234567890", "1.2345678901234567e19");

  /* NaN keeps the string. */
  assert_converts ("int4", "abc", "\"abc\"");
  assert_converts ("numeric", ".", "\".\"");
  assert_converts ("numeric", "-", "\"-\"");
  assert_converts ("float8", "NaN", "\"NaN\"");
  assert_converts ("float8", "", "\"\"");
  assert_converts ("float8", "e5", "\"e5\"");

  /* Integral values are integers, so json_node_get_int() just works. */
  value = json_node_init_string (json_node_alloc (), "42");
  converted = _tandem_change_convert_value ("int8", value);
  g_assert_true (json_node_get_value_type (converted) == G_TYPE_INT64);
  g_assert_cmpint (json_node_get_int (converted), ==, 42);
  g_clear_pointer (&value, json_node_unref);
  g_clear_pointer (&converted, json_node_unref);

  /* Infinity, and -0, which JSON text cannot hold. */
  value = json_node_init_string (json_node_alloc (), "-Infinity");
  converted = _tandem_change_convert_value ("float8", value);
  g_assert_true (json_node_get_value_type (converted) == G_TYPE_DOUBLE);
  g_assert_true (isinf (json_node_get_double (converted)) && json_node_get_double (converted) < 0);
  g_clear_pointer (&value, json_node_unref);
  g_clear_pointer (&converted, json_node_unref);

  value = json_node_init_string (json_node_alloc (), "1e400");
  converted = _tandem_change_convert_value ("float8", value);
  g_assert_true (isinf (json_node_get_double (converted)) && json_node_get_double (converted) > 0);
  g_clear_pointer (&value, json_node_unref);
  g_clear_pointer (&converted, json_node_unref);

  value = json_node_init_string (json_node_alloc (), "-0");
  converted = _tandem_change_convert_value ("float4", value);
  g_assert_true (json_node_get_value_type (converted) == G_TYPE_DOUBLE);
  g_assert_true (json_node_get_double (converted) == 0 && signbit (json_node_get_double (converted)));
}

static void
test_convert_json (void)
{
  assert_converts ("json", "{\"a\":[1,2,{\"b\":null}]}", "{\"a\":[1,2,{\"b\":null}]}");
  assert_converts ("jsonb", "\"quoted\"", "\"quoted\"");
  /* A jsonb string that is itself JSON is parsed, as realtime-js does. */
  assert_converts ("jsonb", "123", "123");
  assert_converts ("jsonb", " true ", "true");
  assert_converts ("jsonb", "\"\\ud83d\\ude00\"", "\"\xf0\x9f\x98\x80\"");
  assert_converts ("jsonb", "[1e2,-0.5,\"\\\"\\\\\\/\\b\\f\\n\\r\\t\"]", "[100,-0.5,\"\\\"\\\\/\\b\\f\\n\\r\\t\"]");
  assert_converts ("jsonb", "{\"a\":1,\"a\":2}", "{\"a\":2}");

  /* JSON.parse refuses what json-glib would accept: the string stays. */
  assert_converts ("jsonb", "hello", "\"hello\"");
  assert_converts ("jsonb", "{'a':1}", "\"{'a':1}\"");
  assert_converts ("jsonb", "[1,]", "\"[1,]\"");
  assert_converts ("jsonb", "01", "\"01\"");
  assert_converts ("jsonb", "[0x10]", "\"[0x10]\"");
  assert_converts ("jsonb", "[1 /*c*/]", "\"[1 /*c*/]\"");
  assert_converts ("jsonb", "\"a\tb\"", "\"\\\"a\\tb\\\"\"");
  assert_converts ("jsonb", "[1] [2]", "\"[1] [2]\"");
  assert_converts ("jsonb", "[.5]", "\"[.5]\"");
  assert_converts ("jsonb", "[1.]", "\"[1.]\"");
  assert_converts ("jsonb", "\"\\x41\"", "\"\\\"\\\\x41\\\"\"");
  assert_converts ("jsonb", "", "\"\"");
  assert_converts ("jsonb", "{\"a\" 1}", "\"{\\\"a\\\" 1}\"");
  assert_converts ("jsonb", "[[[", "\"[[[\"");
}

static void
test_convert_deep_json (void)
{
  g_autoptr(GString) deep = g_string_new (NULL);
  g_autoptr(JsonNode) value = NULL;
  g_autoptr(JsonNode) converted = NULL;

  /* Absurd nesting is refused, not recursed into. */
  for (guint i = 0; i < 100000; i++)
    g_string_append_c (deep, '[');
  for (guint i = 0; i < 100000; i++)
    g_string_append_c (deep, ']');
  value = json_node_init_string (json_node_alloc (), deep->str);
  converted = _tandem_change_convert_value ("jsonb", value);
  g_assert_cmpstr (json_node_get_string (converted), ==, deep->str);
}

static void
test_convert_timestamp (void)
{
  assert_converts ("timestamp", "2024-01-02 03:04:05.123", "\"2024-01-02T03:04:05.123\"");
  /* Only the first space. */
  assert_converts ("timestamp", "a b c", "\"aTb c\"");
  assert_converts ("timestamp", "2024-01-02T03:04:05", "\"2024-01-02T03:04:05\"");
  /* With a time zone the value passes through. */
  assert_converts ("timestamptz", "2024-01-02 03:04:05+00", "\"2024-01-02 03:04:05+00\"");
}

static void
test_convert_pass_through (void)
{
  assert_converts ("text", "t", "\"t\"");
  assert_converts ("uuid", "33", "\"33\"");
  assert_converts ("date", "2024-01-02", "\"2024-01-02\"");
  assert_converts ("varchar", "{1,2}", "\"{1,2}\"");
  assert_converts ("int4range", "[1,3)", "\"[1,3)\"");
}

static void
test_convert_arrays (void)
{
  assert_converts ("_int4", "{1,2,3}", "[1,2,3]");
  assert_converts ("_int4", "{}", "[]");
  assert_converts ("_int4", "{ 1 , 2 }", "[1,2]");
  assert_converts ("_text", "{a,b}", "[\"a\",\"b\"]");
  assert_converts ("_text", "{\"a b\",\"c\"}", "[\"a b\",\"c\"]");
  assert_converts ("_text", "{\"a\\\"b\",\"c\\\\d\"}", "[\"a\\\"b\",\"c\\\\d\"]");
  assert_converts ("_text", "{\"x,y\",\"z\"}", "[\"x,y\",\"z\"]");
  assert_converts ("_text", "{\"\"}", "[\"\"]");
  assert_converts ("_bool", "{t,f}", "[true,false]");
  assert_converts ("_bool", "{true,false}", "[true,false]");
  assert_converts ("_jsonb", "{\"{\\\"a\\\": 1}\",\"[2]\"}", "[{\"a\":1},[2]]");
  assert_converts ("_timestamp", "{\"2024-01-01 10:00:00\",\"2024-01-02 11:00:00\"}",
                   "[\"2024-01-01T10:00:00\",\"2024-01-02T11:00:00\"]");
  assert_converts ("_numeric", "{[1,2]}", "[[1,2]]");

  /* When the inside is not JSON, realtime-js splits on every comma: NULL
   * stays a string, quotes stay when any element is unquoted, and quoted
   * commas and nested braces split. */
  assert_converts ("_int4", "{1,2,NULL}", "[1,2,\"NULL\"]");
  assert_converts ("_text", "{NULL}", "[\"NULL\"]");
  assert_converts ("_text", "{\"a b\",c}", "[\"\\\"a b\\\"\",\"c\"]");
  assert_converts ("_text", "{\"x,y\",z}", "[\"\\\"x\",\"y\\\"\",\"z\"]");
  assert_converts ("_int4", "{{1,2},{3,4}}", "[\"{1\",2,\"{3\",4]");
  assert_converts ("_int4", "{1,}", "[1,\"\"]");
  assert_converts ("_text", "{,}", "[\"\",\"\"]");

  /* Not an array literal: passes through. */
  assert_converts ("_text", "not an array", "\"not an array\"");
  assert_converts ("_text", "{", "\"{\"");
  assert_converts ("_text", "}", "\"}\"");
  assert_converts ("_text", "", "\"\"");
  assert_converts ("_int4", "[1,2]", "\"[1,2]\"");
}

static void
test_convert_non_strings (void)
{
  /* Values the server already typed pass through unchanged. */
  const struct {
    const char *type;
    const char *json;
  } cases[] = {
    { "bool", "true" },
    { "int4", "7" },
    { "float8", "1.25" },
    { "jsonb", "{\"a\":{\"b\":[1]}}" },
    { "_text", "[\"x\",\"y\"]" },
    { "_int4", "[1,\"2\"]" },   /* elements are not converted either */
    { "timestamp", "null" },
    { "text", "false" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(JsonNode) value = parse (cases[i].json);
      g_autoptr(JsonNode) converted = _tandem_change_convert_value (cases[i].type, value);

      assert_json (converted, cases[i].json);
      g_assert_true (converted != value);
    }
}

static TandemChange *
change_from (const char  *text,
             GError     **error)
{
  g_autoptr(JsonObject) data = parse_object (text);

  return _tandem_change_new_from_data (data, error);
}

static void
assert_object (JsonObject *object,
               const char *expected)
{
  g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), object);

  assert_json (node, expected);
}

#define COLUMNS "\"columns\":[{\"name\":\"id\",\"type\":\"int8\"},{\"name\":\"task\",\"type\":\"text\"}," \
                "{\"name\":\"done\",\"type\":\"bool\"},{\"name\":\"tags\",\"type\":\"_text\"}," \
                "{\"name\":\"due\",\"type\":\"timestamp\"},{\"name\":\"meta\",\"type\":\"jsonb\"}]"

static void
test_insert (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TandemChange) change = change_from (
    "{\"schema\":\"public\",\"table\":\"todos\",\"type\":\"INSERT\","
    "\"commit_timestamp\":\"2025-11-19T00:22:40.877Z\"," COLUMNS ","
    "\"record\":{\"id\":46,\"task\":\"buy milk\",\"done\":\"f\",\"tags\":\"{a,b}\","
    "\"due\":\"2025-11-20 10:00:00\",\"meta\":\"{\\\"p\\\":1}\",\"extra\":\"7\"},"
    "\"errors\":null}", &error);
  GDateTime *ts;

  g_assert_no_error (error);
  g_assert_true (TANDEM_IS_CHANGE (change));
  g_assert_cmpstr (tandem_change_get_schema (change), ==, "public");
  g_assert_cmpstr (tandem_change_get_table (change), ==, "todos");
  g_assert_cmpint (tandem_change_get_event (change), ==, TANDEM_CHANGE_INSERT);
  g_assert_cmpstr (tandem_change_get_event_name (change), ==, "INSERT");
  /* A column without a type (not in columns) passes through. */
  assert_object (tandem_change_get_record (change),
                 "{\"id\":46,\"task\":\"buy milk\",\"done\":false,\"tags\":[\"a\",\"b\"],"
                 "\"due\":\"2025-11-20T10:00:00\",\"meta\":{\"p\":1},\"extra\":\"7\"}");
  /* INSERT has no old_record: empty, as realtime-js's old. */
  g_assert_cmpuint (json_object_get_size (tandem_change_get_old_record (change)), ==, 0);
  g_assert_null (tandem_change_get_errors (change));
  g_assert_cmpuint (json_array_get_length (tandem_change_get_columns (change)), ==, 6);

  ts = tandem_change_get_commit_timestamp (change);
  g_assert_nonnull (ts);
  g_assert_cmpint (g_date_time_get_year (ts), ==, 2025);
  g_assert_cmpint (g_date_time_get_month (ts), ==, 11);
  g_assert_cmpint (g_date_time_get_day_of_month (ts), ==, 19);
  g_assert_cmpint (g_date_time_get_hour (ts), ==, 0);
  g_assert_cmpint (g_date_time_get_minute (ts), ==, 22);
  g_assert_cmpint (g_date_time_get_second (ts), ==, 40);
  g_assert_cmpint (g_date_time_get_microsecond (ts), ==, 877000);
  g_assert_cmpint (g_date_time_get_utc_offset (ts), ==, 0);
  g_assert_cmpint (g_date_time_to_unix (ts), ==, 1763511760);
}

static void
test_update (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TandemChange) change = change_from (
    "{\"schema\":\"public\",\"table\":\"todos\",\"type\":\"UPDATE\","
    "\"commit_timestamp\":\"2025-11-19T02:22:40.5+02:00\"," COLUMNS ","
    "\"record\":{\"id\":\"46\",\"done\":\"t\"},\"old_record\":{\"id\":\"46\",\"done\":\"f\"},"
    "\"errors\":[]}", &error);
  GDateTime *ts;

  g_assert_no_error (error);
  g_assert_cmpint (tandem_change_get_event (change), ==, TANDEM_CHANGE_UPDATE);
  g_assert_cmpstr (tandem_change_get_event_name (change), ==, "UPDATE");
  assert_object (tandem_change_get_record (change), "{\"id\":46,\"done\":true}");
  /* The old record is converted too. */
  assert_object (tandem_change_get_old_record (change), "{\"id\":46,\"done\":false}");
  g_assert_null (tandem_change_get_errors (change));

  /* Any offset is turned into UTC. */
  ts = tandem_change_get_commit_timestamp (change);
  g_assert_cmpint (g_date_time_get_utc_offset (ts), ==, 0);
  g_assert_cmpint (g_date_time_get_hour (ts), ==, 0);
  g_assert_cmpint (g_date_time_get_microsecond (ts), ==, 500000);
}

static void
test_delete (void)
{
  g_autoptr(GError) error = NULL;
  /* type is matched without regard to case; a record in a DELETE is
   * ignored, as realtime-js ignores it. */
  g_autoptr(TandemChange) change = change_from (
    "{\"schema\":\"app\",\"table\":\"notes\",\"type\":\"delete\","
    "\"commit_timestamp\":\"2025-01-01T00:00:00.000Z\"," COLUMNS ","
    "\"record\":{\"id\":1},\"old_record\":{\"id\":\"9\"}}", &error);

  g_assert_no_error (error);
  g_assert_cmpint (tandem_change_get_event (change), ==, TANDEM_CHANGE_DELETE);
  g_assert_cmpstr (tandem_change_get_event_name (change), ==, "DELETE");
  g_assert_cmpuint (json_object_get_size (tandem_change_get_record (change)), ==, 0);
  assert_object (tandem_change_get_old_record (change), "{\"id\":9}");
}

static void
test_errors_and_minimal (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TandemChange) change = NULL;
  const char * const *errors;

  /* A change the server could not deliver whole: no timestamp, no
   * columns, no records. */
  change = change_from ("{\"schema\":\"public\",\"table\":\"t\",\"type\":\"UPDATE\","
                        "\"errors\":[\"Error 400: Bad Request, no primary key\",\"second\"]}", &error);
  g_assert_no_error (error);
  errors = tandem_change_get_errors (change);
  g_assert_nonnull (errors);
  g_assert_cmpstr (errors[0], ==, "Error 400: Bad Request, no primary key");
  g_assert_cmpstr (errors[1], ==, "second");
  g_assert_null (errors[2]);
  g_assert_null (tandem_change_get_commit_timestamp (change));
  g_assert_cmpuint (json_array_get_length (tandem_change_get_columns (change)), ==, 0);
  g_assert_cmpuint (json_object_get_size (tandem_change_get_record (change)), ==, 0);
  g_assert_cmpuint (json_object_get_size (tandem_change_get_old_record (change)), ==, 0);
  g_clear_object (&change);

  /* Explicit nulls are the same as missing members; malformed columns are
   * left out (and so not used to convert). */
  change = change_from ("{\"schema\":\"public\",\"table\":\"t\",\"type\":\"INSERT\","
                        "\"record\":{\"n\":\"5\",\"m\":\"6\"},\"old_record\":null,\"commit_timestamp\":null,"
                        "\"columns\":[7,{\"name\":\"n\"},{\"type\":\"int4\"},{\"name\":\"m\",\"type\":\"int4\"},"
                        "{\"name\":\"m\",\"type\":\"text\"}]}", &error);
  g_assert_no_error (error);
  assert_object (tandem_change_get_record (change), "{\"n\":\"5\",\"m\":6}");
  g_assert_cmpuint (json_array_get_length (tandem_change_get_columns (change)), ==, 2);
  g_assert_null (tandem_change_get_commit_timestamp (change));
}

static void
test_immutable (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) data = parse_object (
    "{\"schema\":\"public\",\"table\":\"t\",\"type\":\"INSERT\","
    "\"columns\":[{\"name\":\"j\",\"type\":\"jsonb\"}],\"record\":{\"j\":{\"deep\":[1]}}}");
  g_autoptr(TandemChange) change = _tandem_change_new_from_data (data, &error);
  g_autofree char *schema = NULL;
  g_autoptr(JsonObject) record = NULL;
  TandemChangeEvent event;
  JsonObject *input;

  g_assert_no_error (error);
  g_assert_true (json_object_is_immutable (tandem_change_get_record (change)));
  g_assert_true (json_object_is_immutable (tandem_change_get_old_record (change)));
  g_assert_true (json_array_is_immutable (tandem_change_get_columns (change)));

  /* The frame is neither sealed nor shared: changing it changes nothing. */
  input = json_object_get_object_member (json_object_get_object_member (data, "record"), "j");
  g_assert_false (json_object_is_immutable (input));
  json_array_add_int_element (json_object_get_array_member (input, "deep"), 2);
  json_object_set_string_member (data, "schema", "other");
  assert_object (tandem_change_get_record (change), "{\"j\":{\"deep\":[1]}}");
  g_assert_cmpstr (tandem_change_get_schema (change), ==, "public");

  g_object_get (change, "schema", &schema, "event", &event, "record", &record, NULL);
  g_assert_cmpstr (schema, ==, "public");
  g_assert_cmpint (event, ==, TANDEM_CHANGE_INSERT);
  g_assert_true (record == tandem_change_get_record (change));
}

static void
test_bad_input (void)
{
  const char *bad[] = {
    "{}",
    "{\"table\":\"t\",\"type\":\"INSERT\"}",
    "{\"schema\":\"public\",\"type\":\"INSERT\"}",
    "{\"schema\":\"public\",\"table\":\"t\"}",
    "{\"schema\":1,\"table\":\"t\",\"type\":\"INSERT\"}",
    "{\"schema\":\"public\",\"table\":\"t\",\"type\":\"TRUNCATE\"}",
    "{\"schema\":\"public\",\"table\":\"t\",\"type\":\"*\"}",
    "{\"schema\":\"public\",\"table\":\"t\",\"type\":null}",
    "{\"schema\":\"public\",\"table\":\"t\",\"type\":\"INSERT\",\"record\":5}",
    "{\"schema\":\"public\",\"table\":\"t\",\"type\":\"UPDATE\",\"old_record\":[]}",
    "{\"schema\":\"public\",\"table\":\"t\",\"type\":\"INSERT\",\"columns\":\"id\"}",
    "{\"schema\":\"public\",\"table\":\"t\",\"type\":\"INSERT\",\"errors\":\"oops\"}",
    "{\"schema\":\"public\",\"table\":\"t\",\"type\":\"INSERT\",\"errors\":[1]}",
    "{\"schema\":\"public\",\"table\":\"t\",\"type\":\"INSERT\",\"commit_timestamp\":\"yesterday\"}",
    "{\"schema\":\"public\",\"table\":\"t\",\"type\":\"INSERT\",\"commit_timestamp\":1763511760}",
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(TandemChange) change = change_from (bad[i], &error);

      g_test_message ("%s", bad[i]);
      g_assert_null (change);
      g_assert_error (error, TANDEM_CLIENT_ERROR, TANDEM_CLIENT_ERROR_PROTOCOL);
    }

  /* NULL data, and no GError asked for. */
  {
    g_autoptr(GError) error = NULL;

    g_assert_null (_tandem_change_new_from_data (NULL, &error));
    g_assert_error (error, TANDEM_CLIENT_ERROR, TANDEM_CLIENT_ERROR_PROTOCOL);
    g_assert_null (change_from (bad[0], NULL));
  }
}

static void
test_event_strings (void)
{
  TandemChangeEvent event = TANDEM_CHANGE_INSERT;

  g_assert_true (_tandem_change_event_from_string ("*", &event));
  g_assert_cmpint (event, ==, TANDEM_CHANGE_ALL);
  g_assert_true (_tandem_change_event_from_string ("insert", &event));
  g_assert_cmpint (event, ==, TANDEM_CHANGE_INSERT);
  g_assert_true (_tandem_change_event_from_string ("Update", &event));
  g_assert_cmpint (event, ==, TANDEM_CHANGE_UPDATE);
  g_assert_true (_tandem_change_event_from_string ("DELETE", &event));
  g_assert_cmpint (event, ==, TANDEM_CHANGE_DELETE);

  event = TANDEM_CHANGE_UPDATE;
  g_assert_false (_tandem_change_event_from_string ("TRUNCATE", &event));
  g_assert_false (_tandem_change_event_from_string ("", &event));
  g_assert_false (_tandem_change_event_from_string ("INSERT ", &event));
  g_assert_false (_tandem_change_event_from_string (NULL, &event));
  g_assert_cmpint (event, ==, TANDEM_CHANGE_UPDATE);

  g_assert_cmpstr (_tandem_change_event_to_string (TANDEM_CHANGE_ALL), ==, "*");
  g_assert_cmpstr (_tandem_change_event_to_string (TANDEM_CHANGE_INSERT), ==, "INSERT");
  g_assert_cmpstr (_tandem_change_event_to_string (TANDEM_CHANGE_UPDATE), ==, "UPDATE");
  g_assert_cmpstr (_tandem_change_event_to_string (TANDEM_CHANGE_DELETE), ==, "DELETE");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/change/convert/bool", test_convert_bool);
  g_test_add_func ("/change/convert/numbers", test_convert_numbers);
  g_test_add_func ("/change/convert/json", test_convert_json);
  g_test_add_func ("/change/convert/deep-json", test_convert_deep_json);
  g_test_add_func ("/change/convert/timestamp", test_convert_timestamp);
  g_test_add_func ("/change/convert/pass-through", test_convert_pass_through);
  g_test_add_func ("/change/convert/arrays", test_convert_arrays);
  g_test_add_func ("/change/convert/non-strings", test_convert_non_strings);
  g_test_add_func ("/change/insert", test_insert);
  g_test_add_func ("/change/update", test_update);
  g_test_add_func ("/change/delete", test_delete);
  g_test_add_func ("/change/errors-and-minimal", test_errors_and_minimal);
  g_test_add_func ("/change/immutable", test_immutable);
  g_test_add_func ("/change/bad-input", test_bad_input);
  g_test_add_func ("/change/event-strings", test_event_strings);

  return g_test_run ();
}
