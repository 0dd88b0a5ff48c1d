/* tandem-filter-values.c: a filter's values read as their column's type
 *
 * What PostgreSQL would cast a filter value or a record's value to, for a
 * comparison in that type: integers of each width, floats and numerics,
 * booleans, dates and timestamps (µs since the epoch), UUIDs; anything
 * else is text.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include "tandem-filter-private.h"
#include "tandem-json-private.h"

TypeKind
_tandem_filter_type_kind (const char *type)
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
gboolean
_tandem_filter_operand_from_text (TypeKind    kind,
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

gboolean
_tandem_filter_operand_from_node (TypeKind  kind,
                                  JsonNode *node,
                                  Operand  *operand)
{
  GType type;

  if (!JSON_NODE_HOLDS_VALUE (node))
    return FALSE;

  type = json_node_get_value_type (node);
  if (type == G_TYPE_STRING)
    return _tandem_filter_operand_from_text (kind, json_node_get_string (node), operand);

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
