/* tandem-filter.c: the postgres_changes filter grammar
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include "tandem-filter.h"
#include "tandem-json-private.h"

#define MAX_IN_VALUES 100

typedef struct
{
  TandemFilterCondition pub;
  GRegex               *regex; /* compiled once, for match/imatch */
} Condition;

struct _TandemFilter
{
  Condition *conditions;
  guint      n_conditions;
};

G_DEFINE_QUARK (tandem-filter-error-quark, tandem_filter_error)

static const char * const op_names[] = {
  [TANDEM_FILTER_OP_EQ] = "eq",
  [TANDEM_FILTER_OP_NEQ] = "neq",
  [TANDEM_FILTER_OP_LT] = "lt",
  [TANDEM_FILTER_OP_LTE] = "lte",
  [TANDEM_FILTER_OP_GT] = "gt",
  [TANDEM_FILTER_OP_GTE] = "gte",
  [TANDEM_FILTER_OP_IN] = "in",
  [TANDEM_FILTER_OP_LIKE] = "like",
  [TANDEM_FILTER_OP_ILIKE] = "ilike",
  [TANDEM_FILTER_OP_IS] = "is",
  [TANDEM_FILTER_OP_MATCH] = "match",
  [TANDEM_FILTER_OP_IMATCH] = "imatch",
  [TANDEM_FILTER_OP_ISDISTINCT] = "isdistinct",
};

const char *
tandem_filter_op_to_string (TandemFilterOp op)
{
  g_return_val_if_fail ((guint) op < G_N_ELEMENTS (op_names), NULL);

  return op_names[op];
}

gboolean
tandem_filter_op_from_string (const char     *text,
                              TandemFilterOp *op)
{
  g_return_val_if_fail (text != NULL, FALSE);

  for (guint i = 0; i < G_N_ELEMENTS (op_names); i++)
    {
      if (strcmp (text, op_names[i]) == 0)
        {
          if (op != NULL)
            *op = (TandemFilterOp) i;
          return TRUE;
        }
    }

  return FALSE;
}

static void
condition_clear (Condition *condition)
{
  g_free (condition->pub.column);
  g_free (condition->pub.value);
  g_strfreev (condition->pub.values);
  g_clear_pointer (&condition->regex, g_regex_unref);
}

void
tandem_filter_free (TandemFilter *filter)
{
  if (filter == NULL)
    return;

  for (guint i = 0; i < filter->n_conditions; i++)
    condition_clear (&filter->conditions[i]);
  g_free (filter->conditions);
  g_free (filter);
}

guint
tandem_filter_get_n_conditions (const TandemFilter *filter)
{
  g_return_val_if_fail (filter != NULL, 0);

  return filter->n_conditions;
}

const TandemFilterCondition *
tandem_filter_get_condition (const TandemFilter *filter,
                             guint               index)
{
  g_return_val_if_fail (filter != NULL, NULL);
  g_return_val_if_fail (index < filter->n_conditions, NULL);

  return &filter->conditions[index].pub;
}

/* Parsing */

static inline gboolean
is_space (char c)
{
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

/* Splits [start, end) at commas outside double quotes and parentheses.
 * Returns the pieces as (start, end) pairs, or NULL with @error set. */
static GArray *
split_top_level (const char  *start,
                 const char  *end,
                 guint        max_pieces,
                 GError     **error)
{
  g_autoptr(GArray) pieces = g_array_new (FALSE, FALSE, sizeof (const char *));
  const char *piece = start;
  gboolean quoted = FALSE;
  int depth = 0;

  for (const char *p = start; p < end; p++)
    {
      if (quoted)
        {
          if (*p == '\\' && p + 1 < end)
            p++;
          else if (*p == '"')
            quoted = FALSE;
          continue;
        }

      if (*p == '"')
        quoted = TRUE;
      else if (*p == '(')
        depth++;
      else if (*p == ')' && --depth < 0)
        break;
      else if (*p == ',' && depth == 0)
        {
          g_array_append_val (pieces, piece);
          g_array_append_val (pieces, p);
          piece = p + 1;

          /* Stop early: a hostile list must not cost more than needed. */
          if (pieces->len / 2 >= max_pieces)
            {
              g_set_error (error, TANDEM_FILTER_ERROR, TANDEM_FILTER_ERROR_TOO_MANY_VALUES,
                           "too many values for `in` filter. Maximum %d", MAX_IN_VALUES);
              return NULL;
            }
        }
    }

  if (quoted)
    {
      g_set_error_literal (error, TANDEM_FILTER_ERROR, TANDEM_FILTER_ERROR_PARSE,
                           "unterminated quoted value");
      return NULL;
    }
  if (depth != 0)
    {
      g_set_error_literal (error, TANDEM_FILTER_ERROR, TANDEM_FILTER_ERROR_PARSE,
                           "unbalanced parentheses");
      return NULL;
    }

  g_array_append_val (pieces, piece);
  g_array_append_val (pieces, end);
  return g_steal_pointer (&pieces);
}

/* A value, unquoting "…" with \" and \\ (a backslash takes the next character
 * literally). Unquoted values are taken as they are but may not contain '"'. */
static char *
parse_value (const char  *start,
             const char  *end,
             GError     **error)
{
  GString *out;
  const char *p;

  if (start == end || *start != '"')
    {
      if (memchr (start, '"', end - start) != NULL)
        {
          g_set_error_literal (error, TANDEM_FILTER_ERROR, TANDEM_FILTER_ERROR_PARSE,
                               "unexpected '\"' inside an unquoted value");
          return NULL;
        }
      return g_strndup (start, end - start);
    }

  out = g_string_sized_new (end - start);
  for (p = start + 1; p < end && *p != '"'; p++)
    {
      if (*p == '\\')
        {
          if (++p == end)
            break;
        }
      g_string_append_c (out, *p);
    }

  if (p >= end || p + 1 != end)
    {
      g_string_free (out, TRUE);
      g_set_error_literal (error, TANDEM_FILTER_ERROR, TANDEM_FILTER_ERROR_PARSE,
                           p >= end ? "unterminated quoted value"
                                    : "unexpected text after a quoted value");
      return NULL;
    }

  return g_string_free (out, FALSE);
}

static GStrv
parse_in_list (const char  *start,
               const char  *end,
               GError     **error)
{
  g_autoptr(GArray) pieces = NULL;
  g_autoptr(GPtrArray) values = NULL;
  const char *p;

  if (end - start < 2 || start[0] != '(' || end[-1] != ')')
    {
      g_set_error_literal (error, TANDEM_FILTER_ERROR, TANDEM_FILTER_ERROR_PARSE,
                           "`in` values must be in parentheses, as in.(a,b)");
      return NULL;
    }

  start++;
  end--;
  for (p = start; p < end && is_space (*p); p++)
    ;
  if (p == end)
    {
      g_set_error_literal (error, TANDEM_FILTER_ERROR, TANDEM_FILTER_ERROR_EMPTY_LIST,
                           "empty list for `in` filter");
      return NULL;
    }

  pieces = split_top_level (start, end, MAX_IN_VALUES, error);
  if (pieces == NULL)
    return NULL;

  values = g_ptr_array_new_full (pieces->len / 2 + 1, g_free);
  for (guint i = 0; i < pieces->len; i += 2)
    {
      const char *item = g_array_index (pieces, const char *, i);
      const char *item_end = g_array_index (pieces, const char *, i + 1);
      char *value;

      /* Space around list items is not part of them; quote to keep it. */
      while (item < item_end && is_space (*item))
        item++;
      while (item_end > item && is_space (item_end[-1]))
        item_end--;

      value = parse_value (item, item_end, error);
      if (value == NULL)
        return NULL;
      g_ptr_array_add (values, value);
    }
  g_ptr_array_add (values, NULL);

  return (GStrv) g_ptr_array_free (g_steal_pointer (&values), FALSE);
}

static gboolean
parse_condition (const char  *start,
                 const char  *end,
                 Condition   *condition,
                 GError     **error)
{
  TandemFilterCondition *pub = &condition->pub;
  g_autofree char *op_name = NULL;
  const char *equals;
  const char *p;
  const char *dot;

  equals = memchr (start, '=', end - start);
  if (equals == NULL)
    {
      g_set_error (error, TANDEM_FILTER_ERROR, TANDEM_FILTER_ERROR_PARSE,
                   "expected column=operator.value, got \"%.*s\"", (int) (end - start), start);
      return FALSE;
    }
  if (equals == start)
    {
      g_set_error_literal (error, TANDEM_FILTER_ERROR, TANDEM_FILTER_ERROR_PARSE,
                           "missing column name");
      return FALSE;
    }
  for (p = start; p < equals; p++)
    {
      if (*p == '"' || *p == '(' || *p == ')')
        {
          g_set_error (error, TANDEM_FILTER_ERROR, TANDEM_FILTER_ERROR_PARSE,
                       "invalid column name \"%.*s\"", (int) (equals - start), start);
          return FALSE;
        }
    }
  pub->column = g_strndup (start, equals - start);

  p = equals + 1;
  if (end - p >= 4 && memcmp (p, "not.", 4) == 0)
    {
      pub->negated = TRUE;
      p += 4;
    }

  dot = memchr (p, '.', end - p);
  op_name = g_strndup (p, (dot != NULL ? dot : end) - p);
  if (!tandem_filter_op_from_string (op_name, &pub->op))
    {
      g_set_error (error, TANDEM_FILTER_ERROR, TANDEM_FILTER_ERROR_PARSE,
                   "unknown operator \"%s\"", op_name);
      return FALSE;
    }
  if (dot == NULL)
    {
      g_set_error (error, TANDEM_FILTER_ERROR, TANDEM_FILTER_ERROR_PARSE,
                   "missing value after operator \"%s\"", op_name);
      return FALSE;
    }
  p = dot + 1;

  if (pub->op == TANDEM_FILTER_OP_IN)
    {
      pub->values = parse_in_list (p, end, error);
      return pub->values != NULL;
    }

  pub->value = parse_value (p, end, error);
  if (pub->value == NULL)
    return FALSE;

  if (pub->op == TANDEM_FILTER_OP_IS &&
      !g_str_equal (pub->value, "null") && !g_str_equal (pub->value, "true") &&
      !g_str_equal (pub->value, "false") && !g_str_equal (pub->value, "unknown"))
    {
      g_set_error (error, TANDEM_FILTER_ERROR, TANDEM_FILTER_ERROR_PARSE,
                   "`is` takes null, true, false or unknown, not \"%s\"", pub->value);
      return FALSE;
    }

  if (pub->op == TANDEM_FILTER_OP_MATCH || pub->op == TANDEM_FILTER_OP_IMATCH)
    {
      g_autoptr(GError) regex_error = NULL;
      GRegexCompileFlags flags = pub->op == TANDEM_FILTER_OP_IMATCH ? G_REGEX_CASELESS : 0;

      condition->regex = g_regex_new (pub->value, flags, 0, &regex_error);
      if (condition->regex == NULL)
        {
          g_set_error (error, TANDEM_FILTER_ERROR, TANDEM_FILTER_ERROR_PARSE,
                       "invalid regular expression \"%s\": %s", pub->value, regex_error->message);
          return FALSE;
        }
    }

  return TRUE;
}

TandemFilter *
tandem_filter_parse (const char  *text,
                     GError     **error)
{
  g_autoptr(TandemFilter) filter = g_new0 (TandemFilter, 1);
  g_autoptr(GArray) pieces = NULL;
  const char *start;
  const char *end;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (text == NULL)
    text = "";

  if (!g_utf8_validate (text, -1, NULL))
    {
      g_set_error_literal (error, TANDEM_FILTER_ERROR, TANDEM_FILTER_ERROR_PARSE,
                           "filter is not valid UTF-8");
      return NULL;
    }

  start = text;
  end = text + strlen (text);
  while (start < end && is_space (*start))
    start++;
  if (start == end)
    return g_steal_pointer (&filter);

  pieces = split_top_level (text, end, G_MAXUINT, error);
  if (pieces == NULL)
    return NULL;

  filter->conditions = g_new0 (Condition, pieces->len / 2);
  for (guint i = 0; i < pieces->len; i += 2)
    {
      /* Counted before parsing so a failure frees what was set so far. */
      filter->n_conditions++;
      if (!parse_condition (g_array_index (pieces, const char *, i),
                            g_array_index (pieces, const char *, i + 1),
                            &filter->conditions[i / 2], error))
        return NULL;
    }

  return g_steal_pointer (&filter);
}

/* Quotes when the text would not read back the same unquoted. */
static void
append_value (GString    *out,
              const char *value,
              gboolean    in_list)
{
  gsize len = strlen (value);
  gboolean quote = strpbrk (value, ",()\"\\") != NULL ||
                   (len > 0 && (is_space (value[0]) || is_space (value[len - 1]))) ||
                   (in_list && len == 0);

  if (!quote)
    {
      g_string_append_len (out, value, len);
      return;
    }

  g_string_append_c (out, '"');
  for (const char *p = value; *p != '\0'; p++)
    {
      if (*p == '"' || *p == '\\')
        g_string_append_c (out, '\\');
      g_string_append_c (out, *p);
    }
  g_string_append_c (out, '"');
}

char *
tandem_filter_to_string (const TandemFilter *filter)
{
  GString *out;

  g_return_val_if_fail (filter != NULL, NULL);

  out = g_string_new (NULL);
  for (guint i = 0; i < filter->n_conditions; i++)
    {
      const TandemFilterCondition *condition = &filter->conditions[i].pub;

      if (i > 0)
        g_string_append_c (out, ',');
      g_string_append (out, condition->column);
      g_string_append_c (out, '=');
      if (condition->negated)
        g_string_append (out, "not.");
      g_string_append (out, op_names[condition->op]);
      g_string_append_c (out, '.');

      if (condition->op == TANDEM_FILTER_OP_IN)
        {
          g_string_append_c (out, '(');
          for (guint j = 0; condition->values[j] != NULL; j++)
            {
              if (j > 0)
                g_string_append_c (out, ',');
              append_value (out, condition->values[j], TRUE);
            }
          g_string_append_c (out, ')');
        }
      else
        append_value (out, condition->value, FALSE);
    }

  return g_string_free (out, FALSE);
}

/* Types */

typedef enum
{
  KIND_TEXT,
  KIND_INT2,
  KIND_INT4,
  KIND_INT8,
  KIND_FLOAT,     /* float4, float8, numeric */
  KIND_OID,
  KIND_BOOL,
  KIND_DATE,
  KIND_TIMESTAMP,
  KIND_TIMESTAMPTZ,
  KIND_UUID,
} TypeKind;

static TypeKind
type_kind (const char *type)
{
  static const struct
  {
    const char *name;
    TypeKind    kind;
  } types[] = {
    { "int2", KIND_INT2 }, { "smallint", KIND_INT2 },
    { "int4", KIND_INT4 }, { "integer", KIND_INT4 }, { "int", KIND_INT4 },
    { "int8", KIND_INT8 }, { "bigint", KIND_INT8 },
    { "float4", KIND_FLOAT }, { "real", KIND_FLOAT },
    { "float8", KIND_FLOAT }, { "double precision", KIND_FLOAT },
    { "numeric", KIND_FLOAT }, { "decimal", KIND_FLOAT },
    { "oid", KIND_OID },
    { "bool", KIND_BOOL }, { "boolean", KIND_BOOL },
    { "date", KIND_DATE },
    { "timestamp", KIND_TIMESTAMP }, { "timestamp without time zone", KIND_TIMESTAMP },
    { "timestamptz", KIND_TIMESTAMPTZ }, { "timestamp with time zone", KIND_TIMESTAMPTZ },
    { "uuid", KIND_UUID },
  };

  for (guint i = 0; i < G_N_ELEMENTS (types); i++)
    if (g_ascii_strcasecmp (type, types[i].name) == 0)
      return types[i].kind;

  return KIND_TEXT;
}

/* A value read as its column's type. */
typedef struct
{
  gboolean is_int;
  gint64   i;       /* integers, booleans (0/1), instants (µs), */
  double   d;       /* other numbers */
  char     uuid[33];
} Operand;

static void
trim (const char **start,
      const char **end)
{
  while (*start < *end && is_space (**start))
    (*start)++;
  while (*end > *start && is_space ((*end)[-1]))
    (*end)--;
}

static gboolean
parse_integer (const char *text,
               gint64      min,
               gint64      max,
               gint64     *out)
{
  const char *start = text;
  const char *end = text + strlen (text);
  gboolean negative = FALSE;
  guint64 magnitude = 0;
  guint64 limit;

  trim (&start, &end);
  if (start < end && (*start == '+' || *start == '-'))
    negative = *start++ == '-';
  if (start == end)
    return FALSE;

  limit = negative ? (guint64) -(min + 1) + 1 : (guint64) max;
  for (const char *p = start; p < end; p++)
    {
      guint digit;

      if (!g_ascii_isdigit (*p))
        return FALSE;
      digit = *p - '0';
      if (magnitude > (limit - digit) / 10)
        return FALSE;
      magnitude = magnitude * 10 + digit;
    }

  *out = negative ? (gint64) (0 - magnitude) : (gint64) magnitude;
  return TRUE;
}

/* PostgreSQL's float and numeric input: decimal notation, NaN, Infinity. */
static gboolean
parse_float (const char *text,
             double     *out)
{
  const char *start = text;
  const char *end = text + strlen (text);
  const char *p;
  gboolean digits = FALSE;
  g_autofree char *copy = NULL;

  trim (&start, &end);
  p = start;
  if (p < end && (*p == '+' || *p == '-'))
    p++;

  if (end - start == 3 && g_ascii_strncasecmp (start, "nan", 3) == 0)
    {
      *out = NAN;
      return TRUE;
    }
  if ((end - p == 3 && g_ascii_strncasecmp (p, "inf", 3) == 0) ||
      (end - p == 8 && g_ascii_strncasecmp (p, "infinity", 8) == 0))
    {
      *out = *start == '-' ? -INFINITY : INFINITY;
      return TRUE;
    }

  for (; p < end && g_ascii_isdigit (*p); p++)
    digits = TRUE;
  if (p < end && *p == '.')
    for (p++; p < end && g_ascii_isdigit (*p); p++)
      digits = TRUE;
  if (!digits)
    return FALSE;
  if (p < end && (*p == 'e' || *p == 'E'))
    {
      p++;
      if (p < end && (*p == '+' || *p == '-'))
        p++;
      if (p == end || !g_ascii_isdigit (*p))
        return FALSE;
      while (p < end && g_ascii_isdigit (*p))
        p++;
    }
  if (p != end)
    return FALSE;

  copy = g_strndup (start, end - start);
  *out = g_ascii_strtod (copy, NULL);
  return TRUE;
}

static gboolean
parse_bool (const char *text,
            gint64     *out)
{
  const char *start = text;
  const char *end = text + strlen (text);
  gsize len;

  trim (&start, &end);
  len = end - start;

  if ((len == 1 && g_ascii_strncasecmp (start, "t", 1) == 0) ||
      (len == 4 && g_ascii_strncasecmp (start, "true", 4) == 0))
    *out = 1;
  else if ((len == 1 && g_ascii_strncasecmp (start, "f", 1) == 0) ||
           (len == 5 && g_ascii_strncasecmp (start, "false", 5) == 0))
    *out = 0;
  else
    return FALSE;

  return TRUE;
}

static gboolean
read_digits (const char **p,
             const char  *end,
             guint        min_digits,
             guint        max_digits,
             gint64      *value)
{
  guint n = 0;

  *value = 0;
  while (*p < end && n < max_digits && g_ascii_isdigit (**p))
    {
      *value = *value * 10 + (**p - '0');
      (*p)++;
      n++;
    }

  return n >= min_digits;
}

/* Days since 1970-01-01 of a proleptic Gregorian date (civil calendar
 * arithmetic on 400-year eras). */
static gint64
days_from_civil (gint64 year,
                 gint64 month,
                 gint64 day)
{
  gint64 era, year_of_era, day_of_year, day_of_era;

  year -= month <= 2;
  era = (year >= 0 ? year : year - 399) / 400;
  year_of_era = year - era * 400;
  day_of_year = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1;
  day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;

  return era * 146097 + day_of_era - 719468;
}

/* ISO dates and timestamps as PostgreSQL reads them, as microseconds since
 * the epoch: "YYYY-MM-DD[( |T)HH:MM[:SS[.frac]]][ ][Z|±HH[[:]MM]]". Without a
 * zone, UTC (the server's session zone); `timestamp` ignores a given zone and
 * `date` the time, as the casts do. Also ±infinity. */
static gboolean
parse_instant (const char *text,
               TypeKind    kind,
               gint64     *out)
{
  static const guint8 month_days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
  const char *p = text;
  const char *end = text + strlen (text);
  gint64 year, month, day, hour = 0, minute = 0, second = 0, micro = 0, offset = 0;
  gboolean leap;

  trim (&p, &end);

  if ((end - p == 8 && g_ascii_strncasecmp (p, "infinity", 8) == 0) ||
      (end - p == 9 && g_ascii_strncasecmp (p, "+infinity", 9) == 0))
    {
      *out = G_MAXINT64;
      return TRUE;
    }
  if (end - p == 9 && g_ascii_strncasecmp (p, "-infinity", 9) == 0)
    {
      *out = G_MININT64;
      return TRUE;
    }

  /* Years 1 to 99999 keep microseconds far from gint64's limits. */
  if (!read_digits (&p, end, 4, 5, &year) || p == end || *p++ != '-' ||
      !read_digits (&p, end, 2, 2, &month) || p == end || *p++ != '-' ||
      !read_digits (&p, end, 2, 2, &day))
    return FALSE;

  leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  if (year == 0 || month < 1 || month > 12 || day < 1 ||
      day > month_days[month - 1] + (month == 2 && leap ? 1 : 0))
    return FALSE;

  if (p < end && (*p == 'T' || *p == 't' || *p == ' '))
    {
      p++;
      if (!read_digits (&p, end, 2, 2, &hour) || p == end || *p++ != ':' ||
          !read_digits (&p, end, 2, 2, &minute))
        return FALSE;
      if (p < end && *p == ':')
        {
          p++;
          if (!read_digits (&p, end, 2, 2, &second))
            return FALSE;
          if (p < end && *p == '.')
            {
              guint n_digits = 0;
              gboolean round_up = FALSE;

              /* Microseconds, rounded half up on the seventh digit. */
              for (p++; p < end && g_ascii_isdigit (*p); p++, n_digits++)
                {
                  if (n_digits < 6)
                    micro = micro * 10 + (*p - '0');
                  else if (n_digits == 6)
                    round_up = *p >= '5';
                }
              if (n_digits == 0)
                return FALSE;
              for (guint i = n_digits; i < 6; i++)
                micro *= 10;
              micro += round_up ? 1 : 0;
            }
        }
      if (hour > 23 || minute > 59 || second > 60)
        return FALSE;

      if (p < end && *p == ' ')
        p++;
      if (p < end && (*p == 'Z' || *p == 'z'))
        p++;
      else if (p < end && (*p == '+' || *p == '-'))
        {
          int sign = *p++ == '-' ? -1 : 1;
          gint64 zone_hours, zone_minutes = 0;

          if (!read_digits (&p, end, 2, 2, &zone_hours))
            return FALSE;
          if (p < end && *p == ':')
            p++;
          if (p < end && !read_digits (&p, end, 2, 2, &zone_minutes))
            return FALSE;
          if (zone_hours > 15 || zone_minutes > 59)
            return FALSE;
          offset = sign * (zone_hours * 3600 + zone_minutes * 60);
        }
    }

  if (p != end)
    return FALSE;

  if (kind == KIND_DATE)
    hour = minute = second = micro = offset = 0;
  else if (kind == KIND_TIMESTAMP)
    offset = 0;

  *out = ((days_from_civil (year, month, day) * 86400 +
           hour * 3600 + minute * 60 + second - offset) * G_USEC_PER_SEC) + micro;
  return TRUE;
}

/* Lower-case hex without separators; PostgreSQL also takes braces and a
 * hyphen after any group of four digits. */
static gboolean
parse_uuid (const char *text,
            char        out[33])
{
  const char *p = text;
  const char *end = text + strlen (text);
  guint n = 0;

  trim (&p, &end);
  if (p < end && *p == '{')
    {
      if (end[-1] != '}')
        return FALSE;
      p++;
      end--;
    }

  for (; p < end; p++)
    {
      if (g_ascii_isxdigit (*p) && n < 32)
        out[n++] = g_ascii_tolower (*p);
      else if (*p == '-' && n > 0 && n % 4 == 0 && n < 32 && p[-1] != '-')
        continue;
      else
        return FALSE;
    }

  out[n] = '\0';
  return n == 32;
}

/* Reads @text as a value of @kind; FALSE when it does not cast. */
static gboolean
operand_from_text (TypeKind    kind,
                   const char *text,
                   Operand    *operand)
{
  operand->is_int = TRUE;

  switch (kind)
    {
    case KIND_INT2:
      return parse_integer (text, G_MININT16, G_MAXINT16, &operand->i);
    case KIND_INT4:
      return parse_integer (text, G_MININT32, G_MAXINT32, &operand->i);
    case KIND_INT8:
      return parse_integer (text, G_MININT64, G_MAXINT64, &operand->i);
    case KIND_OID:
      return parse_integer (text, G_MININT32, G_MAXUINT32, &operand->i);
    case KIND_FLOAT:
      if (parse_integer (text, G_MININT64, G_MAXINT64, &operand->i))
        return TRUE;
      operand->is_int = FALSE;
      return parse_float (text, &operand->d);
    case KIND_BOOL:
      return parse_bool (text, &operand->i);
    case KIND_DATE:
    case KIND_TIMESTAMP:
    case KIND_TIMESTAMPTZ:
      return parse_instant (text, kind, &operand->i);
    case KIND_UUID:
      return parse_uuid (text, operand->uuid);
    case KIND_TEXT:
    default:
      return TRUE;
    }
}

static gboolean
operand_from_node (TypeKind  kind,
                   JsonNode *node,
                   Operand  *operand)
{
  GType type;

  if (!JSON_NODE_HOLDS_VALUE (node))
    return FALSE;

  type = json_node_get_value_type (node);
  if (type == G_TYPE_STRING)
    return operand_from_text (kind, json_node_get_string (node), operand);

  switch (kind)
    {
    case KIND_INT2:
    case KIND_INT4:
    case KIND_INT8:
    case KIND_OID:
    case KIND_FLOAT:
      if (type == G_TYPE_INT64)
        {
          operand->is_int = TRUE;
          operand->i = json_node_get_int (node);
          return TRUE;
        }
      if (type == G_TYPE_DOUBLE)
        {
          operand->is_int = FALSE;
          operand->d = json_node_get_double (node);
          return TRUE;
        }
      return FALSE;

    case KIND_BOOL:
      if (type != G_TYPE_BOOLEAN)
        return FALSE;
      operand->is_int = TRUE;
      operand->i = json_node_get_boolean (node) ? 1 : 0;
      return TRUE;

    case KIND_TEXT:
    case KIND_DATE:
    case KIND_TIMESTAMP:
    case KIND_TIMESTAMPTZ:
    case KIND_UUID:
    default:
      return FALSE;
    }
}

/* PostgreSQL orders NaN above every other number and equal to itself. */
static int
compare_doubles (double a,
                 double b)
{
  if (isnan (a) || isnan (b))
    return isnan (a) - isnan (b);
  return (a > b) - (a < b);
}

static int
compare_operands (TypeKind       kind,
                  const Operand *a,
                  const Operand *b)
{
  if (kind == KIND_UUID)
    return strcmp (a->uuid, b->uuid);
  if (a->is_int && b->is_int)
    return (a->i > b->i) - (a->i < b->i);
  return compare_doubles (a->is_int ? (double) a->i : a->d,
                          b->is_int ? (double) b->i : b->d);
}

/* Text form of a record value: strings as they are, anything else as JSON. */
static const char *
node_text (JsonNode  *node,
           char     **owned)
{
  gsize length;

  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    return json_node_get_string (node);

  *owned = tandem_json_to_data (node, &length);
  return *owned;
}

/* SQL LIKE over characters: % any run, _ one character, backslash escapes.
 * Backtracks only to the last %, so it is O(n·m) at worst. */
static gboolean
like_match (const char *text,
            const char *pattern)
{
  const char *star_pattern = NULL;
  const char *star_text = NULL;

  while (*text != '\0')
    {
      if (*pattern == '%')
        {
          while (*pattern == '%')
            pattern++;
          if (*pattern == '\0')
            return TRUE;
          star_pattern = pattern;
          star_text = text;
          continue;
        }

      if (*pattern == '_')
        {
          pattern = g_utf8_next_char (pattern);
          text = g_utf8_next_char (text);
          continue;
        }

      if (*pattern != '\0')
        {
          const char *literal = (*pattern == '\\' && pattern[1] != '\0') ? pattern + 1 : pattern;

          if (g_utf8_get_char (literal) == g_utf8_get_char (text))
            {
              pattern = g_utf8_next_char (literal);
              text = g_utf8_next_char (text);
              continue;
            }
        }

      if (star_pattern == NULL)
        return FALSE;

      star_text = g_utf8_next_char (star_text);
      text = star_text;
      pattern = star_pattern;
    }

  while (*pattern == '%')
    pattern++;
  return *pattern == '\0';
}

static gboolean
pattern_matches (const Condition *condition,
                 JsonNode        *node)
{
  const TandemFilterCondition *pub = &condition->pub;
  g_autofree char *owned = NULL;
  const char *text = node_text (node, &owned);

  switch (pub->op)
    {
    case TANDEM_FILTER_OP_LIKE:
      return like_match (text, pub->value);

    case TANDEM_FILTER_OP_ILIKE:
      {
        g_autofree char *folded_text = g_utf8_casefold (text, -1);
        g_autofree char *folded_pattern = g_utf8_casefold (pub->value, -1);

        return like_match (folded_text, folded_pattern);
      }

    case TANDEM_FILTER_OP_MATCH:
    case TANDEM_FILTER_OP_IMATCH:
      return g_regex_match (condition->regex, text, 0, NULL);

    case TANDEM_FILTER_OP_EQ:
    case TANDEM_FILTER_OP_NEQ:
    case TANDEM_FILTER_OP_LT:
    case TANDEM_FILTER_OP_LTE:
    case TANDEM_FILTER_OP_GT:
    case TANDEM_FILTER_OP_GTE:
    case TANDEM_FILTER_OP_IN:
    case TANDEM_FILTER_OP_IS:
    case TANDEM_FILTER_OP_ISDISTINCT:
    default:
      g_return_val_if_reached (FALSE);
    }
}

/* Compares a record value with a filter value by @kind. FALSE when either
 * does not read as that type: in SQL that is an error, so no match. */
static gboolean
compare_value (TypeKind    kind,
               JsonNode   *node,
               const char *value,
               int        *result)
{
  Operand a, b;

  if (kind == KIND_TEXT)
    {
      g_autofree char *owned = NULL;

      *result = strcmp (node_text (node, &owned), value);
      return TRUE;
    }

  if (!operand_from_node (kind, node, &a) || !operand_from_text (kind, value, &b))
    return FALSE;

  *result = compare_operands (kind, &a, &b);
  return TRUE;
}

/* Without a type, go by what the JSON value is. */
static TypeKind
kind_from_node (JsonNode *node)
{
  if (JSON_NODE_HOLDS_VALUE (node))
    {
      GType type = json_node_get_value_type (node);

      if (type == G_TYPE_INT64 || type == G_TYPE_DOUBLE)
        return KIND_FLOAT;
      if (type == G_TYPE_BOOLEAN)
        return KIND_BOOL;
    }

  return KIND_TEXT;
}

static gboolean
condition_matches (const Condition        *condition,
                   JsonObject             *record,
                   TandemFilterTypeLookup  lookup,
                   gpointer                user_data)
{
  const TandemFilterCondition *pub = &condition->pub;
  const char *type = NULL;
  JsonNode *node;
  TypeKind kind;
  gboolean result;
  int cmp = 0;

  node = json_object_get_member (record, pub->column);
  if (node == NULL)
    return FALSE;

  if (lookup != NULL)
    type = lookup (pub->column, user_data);
  kind = type != NULL ? type_kind (type) : kind_from_node (node);

  if (pub->op == TANDEM_FILTER_OP_IS)
    {
      if (JSON_NODE_HOLDS_NULL (node))
        result = g_str_equal (pub->value, "null") || g_str_equal (pub->value, "unknown");
      else if (g_str_equal (pub->value, "null") || g_str_equal (pub->value, "unknown"))
        result = FALSE;
      else
        {
          Operand operand;

          if (!operand_from_node (KIND_BOOL, node, &operand))
            return FALSE;
          result = operand.i == (g_str_equal (pub->value, "true") ? 1 : 0);
        }

      return pub->negated ? !result : result;
    }

  if (pub->op == TANDEM_FILTER_OP_ISDISTINCT)
    {
      /* NULL is distinct from any value; it is the one NULL that matches. */
      if (JSON_NODE_HOLDS_NULL (node))
        result = TRUE;
      else if (!compare_value (kind, node, pub->value, &cmp))
        return FALSE;
      else
        result = cmp != 0;

      return pub->negated ? !result : result;
    }

  /* Any other comparison with NULL is NULL, and NOT NULL is still NULL. */
  if (JSON_NODE_HOLDS_NULL (node))
    return FALSE;

  switch (pub->op)
    {
    case TANDEM_FILTER_OP_EQ:
    case TANDEM_FILTER_OP_NEQ:
    case TANDEM_FILTER_OP_LT:
    case TANDEM_FILTER_OP_LTE:
    case TANDEM_FILTER_OP_GT:
    case TANDEM_FILTER_OP_GTE:
      if (!compare_value (kind, node, pub->value, &cmp))
        return FALSE;
      result = (pub->op == TANDEM_FILTER_OP_EQ && cmp == 0) ||
               (pub->op == TANDEM_FILTER_OP_NEQ && cmp != 0) ||
               (pub->op == TANDEM_FILTER_OP_LT && cmp < 0) ||
               (pub->op == TANDEM_FILTER_OP_LTE && cmp <= 0) ||
               (pub->op == TANDEM_FILTER_OP_GT && cmp > 0) ||
               (pub->op == TANDEM_FILTER_OP_GTE && cmp >= 0);
      break;

    case TANDEM_FILTER_OP_IN:
      {
        gboolean any_compared = FALSE;

        result = FALSE;
        for (guint i = 0; pub->values[i] != NULL && !result; i++)
          {
            if (compare_value (kind, node, pub->values[i], &cmp))
              {
                any_compared = TRUE;
                result = cmp == 0;
              }
          }
        if (!any_compared)
          return FALSE;
      }
      break;

    case TANDEM_FILTER_OP_LIKE:
    case TANDEM_FILTER_OP_ILIKE:
    case TANDEM_FILTER_OP_MATCH:
    case TANDEM_FILTER_OP_IMATCH:
      result = pattern_matches (condition, node);
      break;

    case TANDEM_FILTER_OP_IS:
    case TANDEM_FILTER_OP_ISDISTINCT:
    default:
      g_return_val_if_reached (FALSE);
    }

  return pub->negated ? !result : result;
}

gboolean
tandem_filter_matches (const TandemFilter     *filter,
                       JsonObject             *record,
                       TandemFilterTypeLookup  lookup,
                       gpointer                user_data)
{
  g_return_val_if_fail (filter != NULL, FALSE);
  g_return_val_if_fail (record != NULL, FALSE);

  for (guint i = 0; i < filter->n_conditions; i++)
    if (!condition_matches (&filter->conditions[i], record, lookup, user_data))
      return FALSE;

  return TRUE;
}

static gboolean
check_value (const char  *column,
             const char  *type,
             const char  *value,
             GError     **error)
{
  Operand operand;

  if (operand_from_text (type_kind (type), value, &operand))
    return TRUE;

  g_set_error (error, TANDEM_FILTER_ERROR, TANDEM_FILTER_ERROR_INVALID_VALUE,
               "invalid input syntax for type %s: \"%s\" (column \"%s\")", type, value, column);
  return FALSE;
}

gboolean
tandem_filter_check_types (const TandemFilter      *filter,
                           TandemFilterTypeLookup   lookup,
                           gpointer                 user_data,
                           GError                 **error)
{
  g_return_val_if_fail (filter != NULL, FALSE);
  g_return_val_if_fail (lookup != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  for (guint i = 0; i < filter->n_conditions; i++)
    {
      const TandemFilterCondition *condition = &filter->conditions[i].pub;
      const char *type = lookup (condition->column, user_data);

      if (type == NULL)
        {
          g_set_error (error, TANDEM_FILTER_ERROR, TANDEM_FILTER_ERROR_UNKNOWN_COLUMN,
                       "column \"%s\" does not exist", condition->column);
          return FALSE;
        }

      switch (condition->op)
        {
        case TANDEM_FILTER_OP_IS:
          /* IS TRUE/FALSE/UNKNOWN need a boolean; IS NULL takes anything. */
          if (!g_str_equal (condition->value, "null") && type_kind (type) != KIND_BOOL)
            {
              g_set_error (error, TANDEM_FILTER_ERROR, TANDEM_FILTER_ERROR_INVALID_VALUE,
                           "`is.%s` needs a boolean column, \"%s\" is %s",
                           condition->value, condition->column, type);
              return FALSE;
            }
          break;

        case TANDEM_FILTER_OP_IN:
          for (guint j = 0; condition->values[j] != NULL; j++)
            if (!check_value (condition->column, type, condition->values[j], error))
              return FALSE;
          break;

        case TANDEM_FILTER_OP_LIKE:
        case TANDEM_FILTER_OP_ILIKE:
        case TANDEM_FILTER_OP_MATCH:
        case TANDEM_FILTER_OP_IMATCH:
          /* Patterns apply to the text form of any column. */
          break;

        case TANDEM_FILTER_OP_EQ:
        case TANDEM_FILTER_OP_NEQ:
        case TANDEM_FILTER_OP_LT:
        case TANDEM_FILTER_OP_LTE:
        case TANDEM_FILTER_OP_GT:
        case TANDEM_FILTER_OP_GTE:
        case TANDEM_FILTER_OP_ISDISTINCT:
        default:
          if (!check_value (condition->column, type, condition->value, error))
            return FALSE;
          break;
        }
    }

  return TRUE;
}
