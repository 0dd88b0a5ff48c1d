/* test-filter.c: the postgres_changes filter grammar (protocol.md §5.3)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "tandem-filter.h"

/* The table the type tests run against: column -> pg_type.typname */
static const char * const table_columns[][2] = {
  { "id", "int4" },
  { "big", "int8" },
  { "small", "int2" },
  { "o", "oid" },
  { "price", "numeric" },
  { "score", "float8" },
  { "active", "bool" },
  { "flag", "bool" },
  { "created_at", "timestamptz" },
  { "day", "date" },
  { "ts", "timestamp" },
  { "uid", "uuid" },
  { "name", "text" },
  { "pct", "text" },
  { "tags", "_text" },
  { "meta", "jsonb" },
  { "nothing", "text" },
  { "missing", "text" },  /* in the table, not in the record */
};

static const char *
lookup_type (const char *column,
             gpointer    user_data)
{
  guint *calls = user_data;

  if (calls != NULL)
    (*calls)++;

  for (guint i = 0; i < G_N_ELEMENTS (table_columns); i++)
    if (g_str_equal (table_columns[i][0], column))
      return table_columns[i][1];

  return NULL;
}

static const char record_json[] =
  "{\"id\":46,\"big\":9007199254740993,\"small\":-3,\"o\":4000000000,\"price\":\"12.50\",\"score\":0.5,"
  "\"active\":true,\"flag\":false,\"created_at\":\"2024-01-01T10:00:00+00:00\",\"day\":\"2024-02-29\","
  "\"ts\":\"2024-01-01T10:00:00\",\"uid\":\"a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11\",\"name\":\"Buy Milk\","
  "\"pct\":\"100%\",\"tags\":[\"a\",\"b\"],\"meta\":{\"k\":1},\"nothing\":null}";

static TandemFilter *
parse_ok (const char *text)
{
  g_autoptr(GError) error = NULL;
  TandemFilter *filter = tandem_filter_parse (text, &error);

  if (error != NULL)
    g_error ("\"%s\": %s", text, error->message);
  g_assert_nonnull (filter);
  return filter;
}

static void
assert_parse_fails (const char        *text,
                    TandemFilterError  code)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TandemFilter) filter = tandem_filter_parse (text, &error);

  if (filter != NULL)
    g_error ("\"%s\" parsed", text);
  g_assert_error (error, TANDEM_FILTER_ERROR, (int) code);
}

static const TandemFilterCondition *
single_condition (const TandemFilter *filter)
{
  g_assert_cmpuint (tandem_filter_get_n_conditions (filter), ==, 1);
  return tandem_filter_get_condition (filter, 0);
}

static void
test_ops (void)
{
  static const struct
  {
    const char     *text;
    TandemFilterOp  op;
    const char     *value;
  } cases[] = {
    { "id=eq.1", TANDEM_FILTER_OP_EQ, "1" },
    { "id=neq.1", TANDEM_FILTER_OP_NEQ, "1" },
    { "id=lt.1", TANDEM_FILTER_OP_LT, "1" },
    { "id=lte.1", TANDEM_FILTER_OP_LTE, "1" },
    { "id=gt.1", TANDEM_FILTER_OP_GT, "1" },
    { "id=gte.-1", TANDEM_FILTER_OP_GTE, "-1" },
    { "name=like.%milk%", TANDEM_FILTER_OP_LIKE, "%milk%" },
    { "name=ilike.B_y*", TANDEM_FILTER_OP_ILIKE, "B_y*" },
    { "name=is.null", TANDEM_FILTER_OP_IS, "null" },
    { "active=is.true", TANDEM_FILTER_OP_IS, "true" },
    { "active=is.false", TANDEM_FILTER_OP_IS, "false" },
    { "active=is.unknown", TANDEM_FILTER_OP_IS, "unknown" },
    { "name=match.^B.*k$", TANDEM_FILTER_OP_MATCH, "^B.*k$" },
    { "name=imatch.milk", TANDEM_FILTER_OP_IMATCH, "milk" },
    { "id=isdistinct.5", TANDEM_FILTER_OP_ISDISTINCT, "5" },
    /* Only the first '=' and the first '.' after it separate */
    { "version=eq.1.2.3", TANDEM_FILTER_OP_EQ, "1.2.3" },
    { "q=eq.a=b", TANDEM_FILTER_OP_EQ, "a=b" },
    { "name=eq.", TANDEM_FILTER_OP_EQ, "" },
    { "name=eq.two words", TANDEM_FILTER_OP_EQ, "two words" },
    { "name=eq.(x)", TANDEM_FILTER_OP_EQ, "(x)" },
    { "name=eq.caf\xc3\xa9", TANDEM_FILTER_OP_EQ, "caf\xc3\xa9" },
    { "path=eq.a\\b", TANDEM_FILTER_OP_EQ, "a\\b" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(TandemFilter) filter = parse_ok (cases[i].text);
      const TandemFilterCondition *condition = single_condition (filter);
      TandemFilterOp op;

      g_assert_cmpint (condition->op, ==, cases[i].op);
      g_assert_false (condition->negated);
      g_assert_cmpstr (condition->value, ==, cases[i].value);
      g_assert_null (condition->values);

      g_assert_true (tandem_filter_op_from_string (tandem_filter_op_to_string (cases[i].op), &op));
      g_assert_cmpint (op, ==, cases[i].op);
    }

  g_assert_false (tandem_filter_op_from_string ("EQ", NULL));
  g_assert_false (tandem_filter_op_from_string ("not", NULL));
  g_assert_false (tandem_filter_op_from_string ("", NULL));
}

static void
test_in (void)
{
  g_autoptr(TandemFilter) simple = parse_ok ("id=in.(1,2,3)");
  g_autoptr(TandemFilter) quoted = parse_ok ("name=in.(\"a,b\", c ,\"d)\",\" e \",\"\",f(x,y))");
  g_autoptr(TandemFilter) one = parse_ok ("name=in.(solo)");
  const TandemFilterCondition *condition;
  const char * const expected_simple[] = { "1", "2", "3", NULL };
  const char * const expected_quoted[] = { "a,b", "c", "d)", " e ", "", "f(x,y)", NULL };
  const char * const expected_one[] = { "solo", NULL };

  condition = single_condition (simple);
  g_assert_cmpint (condition->op, ==, TANDEM_FILTER_OP_IN);
  g_assert_null (condition->value);
  g_assert_cmpstrv (condition->values, expected_simple);

  condition = single_condition (quoted);
  g_assert_cmpstrv (condition->values, expected_quoted);

  condition = single_condition (one);
  g_assert_cmpstrv (condition->values, expected_one);
}

static void
test_in_limits (void)
{
  GString *hundred = g_string_new ("id=in.(");
  GString *too_many = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(TandemFilter) filter = NULL;

  for (guint i = 0; i < 100; i++)
    g_string_append_printf (hundred, "%s%u", i > 0 ? "," : "", i);
  too_many = g_string_new (hundred->str);
  g_string_append (hundred, ")");
  g_string_append (too_many, ",100)");

  filter = parse_ok (hundred->str);
  g_assert_cmpuint (g_strv_length (single_condition (filter)->values), ==, 100);

  g_clear_pointer (&filter, tandem_filter_free);
  filter = tandem_filter_parse (too_many->str, &error);
  g_assert_null (filter);
  g_assert_error (error, TANDEM_FILTER_ERROR, TANDEM_FILTER_ERROR_TOO_MANY_VALUES);
  g_assert_cmpstr (error->message, ==, "too many values for `in` filter. Maximum 100");

  assert_parse_fails ("id=in.()", TANDEM_FILTER_ERROR_EMPTY_LIST);
  assert_parse_fails ("id=in.(  )", TANDEM_FILTER_ERROR_EMPTY_LIST);
  assert_parse_fails ("id=not.in.()", TANDEM_FILTER_ERROR_EMPTY_LIST);

  g_string_free (hundred, TRUE);
  g_string_free (too_many, TRUE);
}

static void
test_not (void)
{
  g_autoptr(TandemFilter) not_in = parse_ok ("status=not.in.(a,b)");
  g_autoptr(TandemFilter) not_eq = parse_ok ("id=not.eq.1");
  g_autoptr(TandemFilter) not_is = parse_ok ("name=not.is.null");
  const char * const expected[] = { "a", "b", NULL };
  const TandemFilterCondition *condition;

  condition = single_condition (not_in);
  g_assert_true (condition->negated);
  g_assert_cmpint (condition->op, ==, TANDEM_FILTER_OP_IN);
  g_assert_cmpstr (condition->column, ==, "status");
  g_assert_cmpstrv (condition->values, expected);

  condition = single_condition (not_eq);
  g_assert_true (condition->negated);
  g_assert_cmpint (condition->op, ==, TANDEM_FILTER_OP_EQ);
  g_assert_cmpstr (condition->value, ==, "1");

  condition = single_condition (not_is);
  g_assert_true (condition->negated);
  g_assert_cmpint (condition->op, ==, TANDEM_FILTER_OP_IS);
}

static void
test_quoted (void)
{
  static const struct
  {
    const char *text;
    const char *value;
  } cases[] = {
    { "name=eq.\"a,b\"", "a,b" },
    { "name=eq.\"say \\\"hi\\\"\"", "say \"hi\"" },
    { "name=eq.\"back\\\\slash\"", "back\\slash" },
    { "name=eq.\"(paren\"", "(paren" },
    { "name=eq.\"\"", "" },
    { "name=eq.\" spaced \"", " spaced " },
    { "name=eq.\"\\x\"", "x" },
    { "tags=eq.\"{a,b}\"", "{a,b}" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(TandemFilter) filter = parse_ok (cases[i].text);

      g_assert_cmpstr (single_condition (filter)->value, ==, cases[i].value);
    }
}

static void
test_multiple (void)
{
  g_autoptr(TandemFilter) range = parse_ok ("id=gt.0,id=lt.100");
  g_autoptr(TandemFilter) mixed = parse_ok ("id=gt.0,name=eq.\"a,b\",tags=not.in.(x,\"y,z\"),active=is.true");
  const TandemFilterCondition *condition;
  const char * const expected[] = { "x", "y,z", NULL };

  g_assert_cmpuint (tandem_filter_get_n_conditions (range), ==, 2);
  condition = tandem_filter_get_condition (range, 0);
  g_assert_cmpint (condition->op, ==, TANDEM_FILTER_OP_GT);
  g_assert_cmpstr (condition->value, ==, "0");
  condition = tandem_filter_get_condition (range, 1);
  g_assert_cmpint (condition->op, ==, TANDEM_FILTER_OP_LT);
  g_assert_cmpstr (condition->value, ==, "100");

  g_assert_cmpuint (tandem_filter_get_n_conditions (mixed), ==, 4);
  g_assert_cmpstr (tandem_filter_get_condition (mixed, 1)->value, ==, "a,b");
  condition = tandem_filter_get_condition (mixed, 2);
  g_assert_cmpstr (condition->column, ==, "tags");
  g_assert_true (condition->negated);
  g_assert_cmpstrv (condition->values, expected);
  g_assert_cmpstr (tandem_filter_get_condition (mixed, 3)->column, ==, "active");
}

static void
test_empty (void)
{
  const char * const texts[] = { "", " ", "\t\n  ", NULL };

  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    {
      g_autoptr(TandemFilter) filter = parse_ok (texts[i]);
      g_autofree char *text = tandem_filter_to_string (filter);
      g_autoptr(JsonNode) record = json_from_string ("{}", NULL);

      g_assert_cmpuint (tandem_filter_get_n_conditions (filter), ==, 0);
      g_assert_cmpstr (text, ==, "");
      g_assert_true (tandem_filter_matches (filter, json_node_get_object (record), lookup_type, NULL));
    }
}

static void
test_parse_errors (void)
{
  static const char * const parse_errors[] = {
    "undefined",
    "id",
    "id=",
    "id=eq",
    "id=not.eq",
    "id=not.",
    "id=foo.1",
    "id=EQ.1",
    "id=not.not.eq.1",
    "=eq.1",
    "\"id\"=eq.1",
    "id(=eq.1)",
    "id=eq.1,",
    ",id=eq.1",
    "id=eq.1,,name=eq.x",
    "id=eq.1,name",
    "id=in.1,2",
    "id=in.1",
    "id=in.(1,2",
    "id=in.(1,2))",
    "id=in.(1,\"2)",
    "id=in.(a\"b)",
    "id=in.(\"a\"b)",
    "name=eq.\"abc",
    "name=eq.\"a\"b",
    "name=eq.a\"b",
    "name=eq.\"ab\\",
    "name=eq.(a",
    "name=eq.a)",
    "active=is.maybe",
    "active=is.NULL",
    "active=is.",
    "name=match.[a",
    "name=match.*a",
    "name=eq.\xff",
  };

  for (guint i = 0; i < G_N_ELEMENTS (parse_errors); i++)
    assert_parse_fails (parse_errors[i], TANDEM_FILTER_ERROR_PARSE);
}

static void
assert_conditions_equal (const TandemFilter *a,
                         const TandemFilter *b)
{
  g_assert_cmpuint (tandem_filter_get_n_conditions (a), ==, tandem_filter_get_n_conditions (b));

  for (guint i = 0; i < tandem_filter_get_n_conditions (a); i++)
    {
      const TandemFilterCondition *x = tandem_filter_get_condition (a, i);
      const TandemFilterCondition *y = tandem_filter_get_condition (b, i);

      g_assert_cmpstr (x->column, ==, y->column);
      g_assert_cmpint (x->op, ==, y->op);
      g_assert_cmpint (x->negated, ==, y->negated);
      g_assert_cmpstr (x->value, ==, y->value);
      g_assert_true ((x->values == NULL) == (y->values == NULL));
      if (x->values != NULL)
        g_assert_cmpstrv (x->values, y->values);
    }
}

static void
test_to_string (void)
{
  static const struct
  {
    const char *text;
    const char *canonical;
  } cases[] = {
    { "id=eq.1", "id=eq.1" },
    { "id=gt.0,id=lt.100", "id=gt.0,id=lt.100" },
    { "status=not.in.(a,b)", "status=not.in.(a,b)" },
    { "name=in.( a , \"b c\" ,\"\")", "name=in.(a,b c,\"\")" },
    { "name=in.(\"a,b\",\"d)\",\" e \",f(x,y))", "name=in.(\"a,b\",\"d)\",\" e \",\"f(x,y)\")" },
    { "name=eq.\"a,b\"", "name=eq.\"a,b\"" },
    { "name=eq.\"say \\\"hi\\\"\"", "name=eq.\"say \\\"hi\\\"\"" },
    { "path=eq.a\\b", "path=eq.\"a\\\\b\"" },
    { "name=eq.\"plain\"", "name=eq.plain" },
    { "name=eq.(x)", "name=eq.\"(x)\"" },
    { "name=eq.\" padded \"", "name=eq.\" padded \"" },
    { "name=eq.", "name=eq." },
    { "active=not.is.null,name=ilike.%MILK%", "active=not.is.null,name=ilike.%MILK%" },
    { "name=match.^(a|b)$", "name=match.\"^(a|b)$\"" },
    { "id=isdistinct.5", "id=isdistinct.5" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(TandemFilter) filter = parse_ok (cases[i].text);
      g_autofree char *text = tandem_filter_to_string (filter);
      g_autoptr(TandemFilter) again = NULL;
      g_autofree char *text_again = NULL;

      g_assert_cmpstr (text, ==, cases[i].canonical);
      again = parse_ok (text);
      assert_conditions_equal (filter, again);
      text_again = tandem_filter_to_string (again);
      g_assert_cmpstr (text_again, ==, text);
    }
}

static void
test_check_types (void)
{
  static const char * const good[] = {
    "id=eq.5",
    "id=eq. 5 ",
    "id=eq.-2147483648",
    "id=in.(1,2,3)",
    "id=like.4%",
    "id=match.^4",
    "id=is.null",
    "big=gt.9223372036854775807",
    "small=lt.32767",
    "o=eq.4294967295",
    "o=eq.-1",
    "price=gte.1.5e3",
    "price=eq.-.5",
    "price=eq.NaN",
    "score=eq.1e5",
    "score=lt.-Infinity",
    "active=eq.t",
    "active=eq.FALSE",
    "active=is.true",
    "active=is.unknown",
    "created_at=gt.2024-01-01T00:00:00Z",
    "created_at=gt.2024-01-01 00:00:00.123456+05:30",
    "created_at=lt.2024-01-01",
    "created_at=lt.infinity",
    "day=eq.2024-02-29",
    "day=lt.99999-12-31",
    "ts=lt.2024-01-01 10:00",
    "uid=eq.A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11",
    "uid=eq.{a0eebc999c0b4ef8bb6d6bb9bd380a11}",
    "name=eq.anything at all",
    "tags=eq.\"{a,b}\"",
    "meta=eq.\"{\\\"k\\\":1}\"",
    "id=gt.0,name=neq.x,active=isdistinct.f",
  };
  static const char * const bad[] = {
    "id=eq.abc",
    "id=eq.1.5",
    "id=eq.",
    "id=eq.2147483648",
    "id=eq.0x10",
    "id=in.(1,x)",
    "id=is.true",
    "small=eq.40000",
    "big=eq.9223372036854775808",
    "o=eq.4294967296",
    "price=eq.1e",
    "price=eq.abc",
    "active=eq.yes",
    "active=eq.",
    "created_at=eq.yesterday",
    "created_at=eq.2024-13-01",
    "created_at=eq.2024-01-01T25:00:00",
    "created_at=eq.2024-01-01T10:00:00+5",
    "day=eq.2023-02-29",
    "day=eq.2024-04-31",
    "day=eq.404808-02-29",
    "day=eq.0000-01-01",
    "uid=eq.123",
    "uid=eq.a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a1",
    "uid=eq.a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11-",
    "uid=eq.a0eebc99--9c0b-4ef8-bb6d-6bb9bd380a11",
    "id=gt.0,score=eq.fast",
  };
  guint calls = 0;

  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    {
      g_autoptr(TandemFilter) filter = parse_ok (good[i]);
      g_autoptr(GError) error = NULL;

      if (!tandem_filter_check_types (filter, lookup_type, &calls, &error))
        g_error ("\"%s\": %s", good[i], error->message);
    }
  g_assert_cmpuint (calls, >=, G_N_ELEMENTS (good));

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(TandemFilter) filter = parse_ok (bad[i]);
      g_autoptr(GError) error = NULL;

      if (tandem_filter_check_types (filter, lookup_type, NULL, &error))
        g_error ("\"%s\" passed the type check", bad[i]);
      g_assert_error (error, TANDEM_FILTER_ERROR, TANDEM_FILTER_ERROR_INVALID_VALUE);
    }

  {
    g_autoptr(TandemFilter) filter = parse_ok ("id=gt.0,nope=eq.1");
    g_autoptr(GError) error = NULL;

    g_assert_false (tandem_filter_check_types (filter, lookup_type, NULL, &error));
    g_assert_error (error, TANDEM_FILTER_ERROR, TANDEM_FILTER_ERROR_UNKNOWN_COLUMN);
    g_assert_cmpstr (error->message, ==, "column \"nope\" does not exist");
  }

  {
    g_autoptr(TandemFilter) filter = parse_ok ("id=eq.abc");
    g_autoptr(GError) error = NULL;

    g_assert_false (tandem_filter_check_types (filter, lookup_type, NULL, &error));
    g_assert_cmpstr (error->message, ==, "invalid input syntax for type int4: \"abc\" (column \"id\")");
  }
}

static void
assert_matches (JsonObject  *record,
                const char  *text,
                gboolean     expected,
                gboolean     typed)
{
  g_autoptr(TandemFilter) filter = parse_ok (text);
  gboolean result = tandem_filter_matches (filter, record, typed ? lookup_type : NULL, NULL);

  if (result != expected)
    g_error ("\"%s\" %s but should %s", text, result ? "matched" : "did not match",
             expected ? "match" : "not");
}

static void
test_matches (void)
{
  static const struct
  {
    const char *filter;
    gboolean    expected;
  } cases[] = {
    /* integers */
    { "id=eq.46", TRUE }, { "id=eq. 46", TRUE }, { "id=neq.46", FALSE },
    { "id=gt.45", TRUE }, { "id=gte.46", TRUE }, { "id=lt.46", FALSE }, { "id=lte.46", TRUE },
    { "id=gt.100", FALSE }, { "id=gt.5", TRUE },  /* numeric, not text, order */
    { "id=in.(1,46)", TRUE }, { "id=in.(1,2)", FALSE }, { "id=not.in.(1,2)", TRUE },
    { "id=not.eq.46", FALSE }, { "id=eq.abc", FALSE }, { "id=not.eq.abc", FALSE },
    { "big=eq.9007199254740993", TRUE }, { "big=eq.9007199254740992", FALSE },
    { "small=lt.0", TRUE }, { "o=gt.3999999999", TRUE },
    /* numeric delivered as a string, floats */
    { "price=eq.12.5", TRUE }, { "price=gt.12.49", TRUE }, { "price=lt.2", FALSE },
    { "score=lt.1", TRUE }, { "score=eq.0.5", TRUE }, { "score=eq.5e-1", TRUE }, { "score=lt.NaN", TRUE },
    /* booleans */
    { "active=eq.true", TRUE }, { "active=eq.t", TRUE }, { "active=eq.f", FALSE },
    { "active=neq.false", TRUE }, { "active=gt.false", TRUE },
    { "active=is.true", TRUE }, { "active=is.false", FALSE }, { "active=not.is.true", FALSE },
    { "active=is.unknown", FALSE }, { "flag=is.false", TRUE }, { "flag=is.null", FALSE },
    /* instants */
    { "created_at=eq.2024-01-01T12:00:00+02:00", TRUE },
    { "created_at=eq.2024-01-01 10:00:00Z", TRUE },
    { "created_at=gt.2024-01-01 09:59:59.999999Z", TRUE },
    { "created_at=lt.2024-01-01T10:00:00Z", FALSE },
    { "created_at=eq.2024-01-01T10:00:00.0000004Z", TRUE },
    { "created_at=eq.2024-01-01T10:00:00.0000005Z", FALSE },
    { "created_at=lt.infinity", TRUE }, { "created_at=gt.-infinity", TRUE },
    { "day=eq.2024-02-29", TRUE }, { "day=lt.2024-03-01", TRUE }, { "day=gt.2024-02-28", TRUE },
    { "ts=eq.2024-01-01 10:00:00", TRUE }, { "ts=eq.2024-01-01T10:00", TRUE },
    { "ts=eq.2024-01-01T10:00:00+05:00", TRUE },  /* `timestamp` ignores zones */
    /* uuid */
    { "uid=eq.A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11", TRUE },
    { "uid=eq.{a0eebc999c0b4ef8bb6d6bb9bd380a11}", TRUE },
    { "uid=neq.a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a12", TRUE },
    /* text: byte order, as the C collation */
    { "name=eq.Buy Milk", TRUE }, { "name=eq.buy milk", FALSE }, { "name=eq.\"Buy Milk\"", TRUE },
    { "name=gt.Apple", TRUE }, { "name=lt.apple", TRUE },
    { "name=like.Buy%", TRUE }, { "name=like.%Milk", TRUE }, { "name=like.%u%i%", TRUE },
    { "name=like.B_y M%k", TRUE }, { "name=like.buy%", FALSE }, { "name=like.Buy", FALSE },
    { "name=like.%", TRUE }, { "name=like.________", TRUE }, { "name=like._______", FALSE },
    { "name=ilike.buy%", TRUE }, { "name=ilike.BUY MILK", TRUE }, { "name=not.like.%x%", TRUE },
    { "name=match.^Buy", TRUE }, { "name=match.^buy", FALSE }, { "name=imatch.^buy", TRUE },
    { "name=match.\"M(i|a)lk$\"", TRUE }, { "name=not.match.Milk", FALSE },
    { "pct=like.100\\%", TRUE }, { "pct=like.10\\%", FALSE }, { "pct=like.1_0%", TRUE },
    /* non-string values compare by their JSON text */
    { "tags=eq.\"[\\\"a\\\",\\\"b\\\"]\"", TRUE }, { "tags=like.\"%\\\"b\\\"%\"", TRUE },
    { "meta=eq.\"{\\\"k\\\":1}\"", TRUE },
    { "id=like.4%", TRUE }, { "active=like.tr%", TRUE },
    /* NULL fails closed except for is/isdistinct */
    { "nothing=eq.x", FALSE }, { "nothing=neq.x", FALSE }, { "nothing=not.eq.x", FALSE },
    { "nothing=lt.x", FALSE }, { "nothing=in.(x,y)", FALSE }, { "nothing=not.in.(x)", FALSE },
    { "nothing=like.%", FALSE }, { "nothing=match..*", FALSE },
    { "nothing=is.null", TRUE }, { "nothing=not.is.null", FALSE }, { "nothing=is.unknown", TRUE },
    { "nothing=is.true", FALSE }, { "nothing=not.is.true", TRUE },
    { "nothing=isdistinct.x", TRUE }, { "nothing=not.isdistinct.x", FALSE },
    { "id=isdistinct.46", FALSE }, { "id=isdistinct.47", TRUE }, { "id=not.isdistinct.46", TRUE },
    { "name=not.is.null", TRUE },
    /* a column missing from the record fails closed, whatever the operator */
    { "missing=eq.1", FALSE }, { "missing=not.eq.1", FALSE }, { "missing=is.null", FALSE },
    { "missing=isdistinct.1", FALSE }, { "missing=not.in.(1)", FALSE },
    /* AND */
    { "id=gt.0,id=lt.100", TRUE }, { "id=gt.0,id=lt.10", FALSE },
    { "id=eq.46,name=like.Buy%,active=is.true,nothing=is.null", TRUE },
    { "id=eq.46,missing=is.null", FALSE },
  };
  g_autoptr(JsonNode) node = json_from_string (record_json, NULL);
  JsonObject *record = json_node_get_object (node);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    assert_matches (record, cases[i].filter, cases[i].expected, TRUE);
}

static void
test_matches_untyped (void)
{
  g_autoptr(JsonNode) node = json_from_string (record_json, NULL);
  JsonObject *record = json_node_get_object (node);

  /* Without type information the JSON value decides how to compare. */
  assert_matches (record, "id=gt.5", TRUE, FALSE);
  assert_matches (record, "id=eq.46.0", TRUE, FALSE);
  assert_matches (record, "score=eq.0.50", TRUE, FALSE);
  assert_matches (record, "active=eq.t", TRUE, FALSE);
  assert_matches (record, "price=eq.12.5", FALSE, FALSE);  /* a string: text */
  assert_matches (record, "price=eq.12.50", TRUE, FALSE);
  assert_matches (record, "name=like.%Milk", TRUE, FALSE);
  assert_matches (record, "nothing=eq.x", FALSE, FALSE);
  assert_matches (record, "nothing=is.null", TRUE, FALSE);
}

static void
test_matches_unicode (void)
{
  g_autoptr(JsonNode) node = json_from_string ("{\"name\":\"\xc3\x89milie \xf0\x9f\x98\x80\"}", NULL);
  JsonObject *record = json_node_get_object (node);

  /* _ is one character, not one byte; ilike folds non-ASCII case */
  assert_matches (record, "name=like._milie _", TRUE, TRUE);
  assert_matches (record, "name=like.__milie _", FALSE, TRUE);
  assert_matches (record, "name=ilike.\xc3\xa9MILIE%", TRUE, TRUE);
  assert_matches (record, "name=imatch.^\xc3\xa9mil", TRUE, TRUE);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/filter/parse/ops", test_ops);
  g_test_add_func ("/filter/parse/in", test_in);
  g_test_add_func ("/filter/parse/in-limits", test_in_limits);
  g_test_add_func ("/filter/parse/not", test_not);
  g_test_add_func ("/filter/parse/quoted", test_quoted);
  g_test_add_func ("/filter/parse/multiple", test_multiple);
  g_test_add_func ("/filter/parse/empty", test_empty);
  g_test_add_func ("/filter/parse/errors", test_parse_errors);
  g_test_add_func ("/filter/to-string", test_to_string);
  g_test_add_func ("/filter/check-types", test_check_types);
  g_test_add_func ("/filter/matches", test_matches);
  g_test_add_func ("/filter/matches/untyped", test_matches_untyped);
  g_test_add_func ("/filter/matches/unicode", test_matches_unicode);

  return g_test_run ();
}
