/* tandem-pg-values.c: PostgreSQL column values as Supabase Realtime sends them
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "tandem-pg-values.h"

#include <math.h>
#include <string.h>

typedef enum
{
  KIND_TEXT,
  KIND_INTEGER,
  KIND_FLOAT,
  KIND_BOOL,
  KIND_JSON,
  KIND_TIMESTAMPTZ,
  KIND_TIMESTAMP,
  KIND_BYTEA,
  KIND_ARRAY,
} ValueKind;

static ValueKind
classify (const char *typname)
{
  if (typname == NULL || typname[0] == '\0')
    return KIND_TEXT;

  switch (typname[0])
    {
    case '_':
      return KIND_ARRAY;
    case 'b':
      if (strcmp (typname, "bool") == 0)
        return KIND_BOOL;
      if (strcmp (typname, "bytea") == 0)
        return KIND_BYTEA;
      break;
    case 'f':
      if (strcmp (typname, "float4") == 0 || strcmp (typname, "float8") == 0)
        return KIND_FLOAT;
      break;
    case 'i':
      if (strcmp (typname, "int2") == 0 || strcmp (typname, "int4") == 0 ||
          strcmp (typname, "int8") == 0)
        return KIND_INTEGER;
      break;
    case 'j':
      if (strcmp (typname, "json") == 0 || strcmp (typname, "jsonb") == 0)
        return KIND_JSON;
      break;
    case 'n':
      if (strcmp (typname, "numeric") == 0)
        return KIND_FLOAT;
      break;
    case 'o':
      /* to_jsonb() writes oid as a string, but realtime-js parses it as a
       * number and the server contract asks for a number. */
      if (strcmp (typname, "oid") == 0)
        return KIND_INTEGER;
      break;
    case 't':
      if (strcmp (typname, "timestamptz") == 0)
        return KIND_TIMESTAMPTZ;
      if (strcmp (typname, "timestamp") == 0)
        return KIND_TIMESTAMP;
      break;
    default:
      break;
    }

  return KIND_TEXT;
}

static JsonNode *
string_node (const char *text)
{
  JsonNode *node = json_node_alloc ();

  json_node_init_string (node, text);
  return node;
}

static JsonNode *
take_string_node (char *text)
{
  JsonNode *node = json_node_alloc ();

  json_node_init_string (node, text);
  g_free (text);
  return node;
}

static gboolean
is_integer_text (const char *text)
{
  const char *p = text;

  if (*p == '-' || *p == '+')
    p++;
  if (*p == '\0')
    return FALSE;
  for (; *p != '\0'; p++)
    if (!g_ascii_isdigit (*p))
      return FALSE;
  return TRUE;
}

/* A number as to_jsonb() writes it: integers that fit stay exact, the rest
 * become doubles; NaN, Infinity and anything unparsable stay strings. */
static JsonNode *
number_node (const char *text)
{
  JsonNode *node;
  gint64 i;
  double d;
  char *end = NULL;

  if (is_integer_text (text) &&
      g_ascii_string_to_signed (text, 10, G_MININT64, G_MAXINT64, &i, NULL))
    {
      node = json_node_alloc ();
      json_node_init_int (node, i);
      return node;
    }

  if (g_ascii_isdigit (text[0]) ||
      ((text[0] == '-' || text[0] == '+' || text[0] == '.') && g_ascii_isdigit (text[1])) ||
      (text[0] == '-' && text[1] == '.' && g_ascii_isdigit (text[2])))
    {
      d = g_ascii_strtod (text, &end);
      if (end != NULL && *end == '\0' && isfinite (d))
        {
          node = json_node_alloc ();
          json_node_init_double (node, d);
          return node;
        }
    }

  return string_node (text);
}

static JsonNode *
bool_node (const char *text)
{
  JsonNode *node;

  if (g_ascii_strcasecmp (text, "t") == 0 || g_ascii_strcasecmp (text, "true") == 0)
    {
      node = json_node_alloc ();
      json_node_init_boolean (node, TRUE);
      return node;
    }
  if (g_ascii_strcasecmp (text, "f") == 0 || g_ascii_strcasecmp (text, "false") == 0)
    {
      node = json_node_alloc ();
      json_node_init_boolean (node, FALSE);
      return node;
    }
  return string_node (text);
}

JsonNode *
tandem_pg_value_from_text (const char *typname,
                           const char *text)
{
  JsonNode *node;

  if (text == NULL)
    return json_node_init_null (json_node_alloc ());

  switch (classify (typname))
    {
    case KIND_INTEGER:
    case KIND_FLOAT:
      return number_node (text);

    case KIND_BOOL:
      return bool_node (text);

    case KIND_JSON:
      node = tandem_pg_json_parse (text, -1, NULL);
      return node != NULL ? node : string_node (text);

    case KIND_TIMESTAMPTZ:
      return take_string_node (tandem_pg_timestamptz_to_iso (text));

    case KIND_TIMESTAMP:
      return take_string_node (tandem_pg_timestamp_to_iso (text));

    case KIND_ARRAY:
      node = tandem_pg_array_from_text (typname + 1, text,
                                        strcmp (typname, "_box") == 0 ? ';' : ',');
      return node != NULL ? node : string_node (text);

    case KIND_BYTEA:
    case KIND_TEXT:
    default:
      return string_node (text);
    }
}

JsonNode *
tandem_pg_value_from_wal2json (const char *typname,
                               JsonNode   *value)
{
  const char *text;

  if (value == NULL || JSON_NODE_HOLDS_NULL (value))
    return json_node_init_null (json_node_alloc ());

  if (!JSON_NODE_HOLDS_VALUE (value) || json_node_get_value_type (value) != G_TYPE_STRING)
    return json_node_copy (value);

  text = json_node_get_string (value);

  /* wal2json prints a bytea column's hex digits without the leading "\x"
   * (array elements keep it). */
  if (classify (typname) == KIND_BYTEA && !g_str_has_prefix (text, "\\x"))
    return take_string_node (g_strconcat ("\\x", text, NULL));

  return tandem_pg_value_from_text (typname, text);
}

/* Array literals (array_in's grammar, as array_out writes it) */

typedef struct
{
  const char *p;
  const char *element_typname;
  char        delimiter;
  guint       depth;
} ArrayParser;

static void
skip_space (ArrayParser *ap)
{
  while (g_ascii_isspace (*ap->p))
    ap->p++;
}

static JsonNode *
parse_array_level (ArrayParser *ap)
{
  g_autoptr(JsonArray) array = NULL;
  g_autoptr(GString) item = NULL;
  JsonNode *node;

  g_assert (*ap->p == '{');

  /* array_in accepts at most 6 dimensions; be generous but bounded. */
  if (++ap->depth > 32)
    return NULL;

  ap->p++;
  array = json_array_new ();
  item = g_string_new (NULL);

  skip_space (ap);
  if (*ap->p == '}')
    {
      ap->p++;
      ap->depth--;
      return json_node_init_array (json_node_alloc (), array);
    }

  for (;;)
    {
      skip_space (ap);

      if (*ap->p == '{')
        {
          JsonNode *child = parse_array_level (ap);

          if (child == NULL)
            return NULL;
          json_array_add_element (array, child);
        }
      else if (*ap->p == '"')
        {
          g_string_truncate (item, 0);
          ap->p++;
          while (*ap->p != '"')
            {
              if (*ap->p == '\0')
                return NULL;
              if (*ap->p == '\\')
                {
                  ap->p++;
                  if (*ap->p == '\0')
                    return NULL;
                }
              g_string_append_c (item, *ap->p);
              ap->p++;
            }
          ap->p++;
          json_array_add_element (array, tandem_pg_value_from_text (ap->element_typname, item->str));
        }
      else
        {
          gboolean escaped = FALSE;
          gsize significant = 0;

          g_string_truncate (item, 0);
          while (*ap->p != ap->delimiter && *ap->p != '}')
            {
              if (*ap->p == '\0' || *ap->p == '{' || *ap->p == '"')
                return NULL;
              if (*ap->p == '\\')
                {
                  ap->p++;
                  if (*ap->p == '\0')
                    return NULL;
                  escaped = TRUE;
                  g_string_append_c (item, *ap->p);
                  significant = item->len;
                }
              else
                {
                  g_string_append_c (item, *ap->p);
                  if (!g_ascii_isspace (*ap->p))
                    significant = item->len;
                }
              ap->p++;
            }
          /* Trailing unquoted, unescaped white space is not part of the
           * element. */
          g_string_truncate (item, significant);
          if (item->len == 0)
            return NULL;

          if (!escaped && g_ascii_strcasecmp (item->str, "NULL") == 0)
            json_array_add_element (array, json_node_init_null (json_node_alloc ()));
          else
            json_array_add_element (array, tandem_pg_value_from_text (ap->element_typname, item->str));
        }

      skip_space (ap);
      if (*ap->p == ap->delimiter)
        {
          ap->p++;
          continue;
        }
      if (*ap->p == '}')
        {
          ap->p++;
          break;
        }
      return NULL;
    }

  ap->depth--;
  node = json_node_init_array (json_node_alloc (), array);
  return node;
}

static gboolean
skip_bound (const char **p)
{
  if (**p == '-' || **p == '+')
    (*p)++;
  if (!g_ascii_isdigit (**p))
    return FALSE;
  while (g_ascii_isdigit (**p))
    (*p)++;
  return TRUE;
}

JsonNode *
tandem_pg_array_from_text (const char *element_typname,
                           const char *literal,
                           char        delimiter)
{
  ArrayParser ap = { literal, element_typname, delimiter, 0 };
  JsonNode *node;

  g_return_val_if_fail (literal != NULL, NULL);

  skip_space (&ap);

  /* Explicit bounds, "[0:1][1:2]={…}": JSON has no place for them. */
  if (*ap.p == '[')
    {
      while (*ap.p == '[')
        {
          ap.p++;
          if (!skip_bound (&ap.p))
            return NULL;
          if (*ap.p == ':')
            {
              ap.p++;
              if (!skip_bound (&ap.p))
                return NULL;
            }
          if (*ap.p != ']')
            return NULL;
          ap.p++;
        }
      if (*ap.p != '=')
        return NULL;
      ap.p++;
      skip_space (&ap);
    }

  if (*ap.p != '{')
    return NULL;

  node = parse_array_level (&ap);
  if (node == NULL)
    return NULL;

  skip_space (&ap);
  if (*ap.p != '\0')
    {
      json_node_unref (node);
      return NULL;
    }

  return node;
}

/* Timestamps */

/* Returns the position of the space between date and time, or NULL. */
static const char *
find_date_time_space (const char *text)
{
  const char *space = strchr (text, ' ');

  if (space == NULL || space == text || !g_ascii_isdigit (space[-1]) ||
      !g_ascii_isdigit (space[1]))
    return NULL;
  return space;
}

char *
tandem_pg_timestamp_to_iso (const char *text)
{
  const char *space;
  char *iso;

  g_return_val_if_fail (text != NULL, NULL);

  iso = g_strdup (text);
  space = find_date_time_space (text);
  if (space != NULL)
    iso[space - text] = 'T';
  return iso;
}

char *
tandem_pg_timestamptz_to_iso (const char *text)
{
  const char *space, *p, *sign = NULL, *end;
  GString *out;

  g_return_val_if_fail (text != NULL, NULL);

  space = find_date_time_space (text);
  if (space == NULL)
    return g_strdup (text);

  /* The offset follows the time: the first sign after the date. */
  for (p = space + 1; *p != '\0' && *p != ' '; p++)
    if (*p == '+' || *p == '-')
      {
        sign = p;
        break;
      }

  out = g_string_sized_new (strlen (text) + 4);
  g_string_append_len (out, text, space - text);
  g_string_append_c (out, 'T');

  if (sign == NULL)
    {
      g_string_append (out, space + 1);
      return g_string_free (out, FALSE);
    }

  g_string_append_len (out, space + 1, sign - (space + 1));

  for (end = sign + 1; g_ascii_isdigit (*end) || *end == ':'; end++)
    ;
  g_string_append_len (out, sign, end - sign);
  /* "+05" -> "+05:00"; "+05:30" and "+00:19:32" stay. */
  if (memchr (sign, ':', end - sign) == NULL)
    g_string_append (out, ":00");
  g_string_append (out, end);

  return g_string_free (out, FALSE);
}

static gboolean
parse_digits (const char **p,
              guint        n,
              int         *out)
{
  int v = 0;

  for (guint i = 0; i < n; i++)
    {
      if (!g_ascii_isdigit ((*p)[i]))
        return FALSE;
      v = v * 10 + ((*p)[i] - '0');
    }
  *p += n;
  *out = v;
  return TRUE;
}

gboolean
tandem_pg_parse_timestamptz (const char *text,
                             gint64     *out_usec)
{
  const char *p = text;
  int year = 0, month, day, hour, minute, second;
  gint64 frac_usec = 0, offset_sec = 0;
  g_autoptr(GDateTime) dt = NULL;

  g_return_val_if_fail (text != NULL, FALSE);

  while (g_ascii_isdigit (*p))
    year = year * 10 + (*p++ - '0');
  if (p - text < 4 || year > 9999 || *p++ != '-')
    return FALSE;
  if (!parse_digits (&p, 2, &month) || *p++ != '-' ||
      !parse_digits (&p, 2, &day) || (*p != ' ' && *p != 'T'))
    return FALSE;
  p++;
  if (!parse_digits (&p, 2, &hour) || *p++ != ':' ||
      !parse_digits (&p, 2, &minute) || *p++ != ':' ||
      !parse_digits (&p, 2, &second))
    return FALSE;

  if (*p == '.')
    {
      gint64 scale = 100000;

      p++;
      if (!g_ascii_isdigit (*p))
        return FALSE;
      for (; g_ascii_isdigit (*p); p++)
        {
          frac_usec += (*p - '0') * scale;
          scale /= 10;
        }
    }

  if (*p == 'Z')
    p++;
  else if (*p == '+' || *p == '-')
    {
      int sign = *p == '-' ? -1 : 1, oh, om = 0, os = 0;

      p++;
      if (!parse_digits (&p, 2, &oh))
        return FALSE;
      if (*p == ':')
        {
          p++;
          if (!parse_digits (&p, 2, &om))
            return FALSE;
          if (*p == ':')
            {
              p++;
              if (!parse_digits (&p, 2, &os))
                return FALSE;
            }
        }
      else if (g_ascii_isdigit (*p) && !parse_digits (&p, 2, &om))
        return FALSE;
      offset_sec = sign * (oh * 3600 + om * 60 + os);
    }

  if (*p != '\0')
    return FALSE;

  /* Leap seconds do not exist in PostgreSQL; 60 would be rejected below. */
  dt = g_date_time_new_utc (year, month, day, hour, minute, second);
  if (dt == NULL)
    return FALSE;

  *out_usec = (g_date_time_to_unix (dt) - offset_sec) * G_USEC_PER_SEC + frac_usec;
  return TRUE;
}

char *
tandem_pg_format_commit_timestamp (gint64 usec)
{
  g_autoptr(GDateTime) dt = NULL;
  gint64 secs = usec / G_USEC_PER_SEC;
  gint64 rem = usec % G_USEC_PER_SEC;

  if (rem < 0)
    {
      secs--;
      rem += G_USEC_PER_SEC;
    }

  dt = g_date_time_new_from_unix_utc (secs);
  g_return_val_if_fail (dt != NULL, NULL);

  return g_strdup_printf ("%04d-%02d-%02dT%02d:%02d:%02d.%03dZ",
                          g_date_time_get_year (dt),
                          g_date_time_get_month (dt),
                          g_date_time_get_day_of_month (dt),
                          g_date_time_get_hour (dt),
                          g_date_time_get_minute (dt),
                          g_date_time_get_second (dt),
                          (int) (rem / 1000));
}

/* JSON */

/* json-glib 1.6 turns an integer beyond 64 bits into garbage and a number
 * beyond double range into an infinity it then writes as invalid JSON.
 * Rewrite such tokens before parsing: big integers get a ".0" (so they
 * become the nearest double), out-of-range numbers become strings. Returns
 * NULL when the text needs no change. */
static GString *
sanitize_numbers (const char *text,
                  gsize       length)
{
  GString *out = NULL;
  gsize copied = 0;
  gsize i = 0;

  while (i < length)
    {
      char c = text[i];

      if (c == '"')
        {
          for (i++; i < length && text[i] != '"'; i++)
            if (text[i] == '\\')
              i++;
          i++;
          continue;
        }

      if (c == '-' || g_ascii_isdigit (c))
        {
          gsize start = i;
          gboolean integral = TRUE;
          char buf[G_ASCII_DTOSTR_BUF_SIZE * 2];
          gsize len;
          gboolean rewrite_int = FALSE, rewrite_str = FALSE;

          for (i++; i < length; i++)
            {
              char d = text[i];

              if (d == '.' || d == 'e' || d == 'E')
                integral = FALSE;
              else if (!(g_ascii_isdigit (d) || d == '+' || d == '-'))
                break;
            }
          len = i - start;

          if (integral)
            {
              /* More than 18 digits may not fit a gint64. */
              if (len > 18)
                {
                  g_autofree char *tok = g_strndup (text + start, len);

                  if (!g_ascii_string_to_signed (tok, 10, G_MININT64, G_MAXINT64, NULL, NULL))
                    {
                      if (isfinite (g_ascii_strtod (tok, NULL)))
                        rewrite_int = TRUE;
                      else
                        rewrite_str = TRUE;
                    }
                }
            }
          else if (len < sizeof buf)
            {
              double d;

              memcpy (buf, text + start, len);
              buf[len] = '\0';
              d = g_ascii_strtod (buf, NULL);
              if (!isfinite (d))
                rewrite_str = TRUE;
            }
          else
            {
              g_autofree char *tok = g_strndup (text + start, len);

              if (!isfinite (g_ascii_strtod (tok, NULL)))
                rewrite_str = TRUE;
            }

          if (rewrite_int || rewrite_str)
            {
              if (out == NULL)
                out = g_string_sized_new (length + 16);
              g_string_append_len (out, text + copied, start - copied);
              if (rewrite_str)
                {
                  g_string_append_c (out, '"');
                  g_string_append_len (out, text + start, len);
                  g_string_append_c (out, '"');
                }
              else
                {
                  g_string_append_len (out, text + start, len);
                  g_string_append (out, ".0");
                }
              copied = i;
            }
          continue;
        }

      i++;
    }

  if (out != NULL)
    g_string_append_len (out, text + copied, length - copied);

  return out;
}

JsonNode *
tandem_pg_json_parse (const char  *text,
                      gssize       length,
                      GError     **error)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GString) fixed = NULL;
  gsize len;

  g_return_val_if_fail (text != NULL, NULL);

  len = length < 0 ? strlen (text) : (gsize) length;
  fixed = sanitize_numbers (text, len);

  parser = json_parser_new ();
  if (!json_parser_load_from_data (parser,
                                   fixed != NULL ? fixed->str : text,
                                   fixed != NULL ? (gssize) fixed->len : (gssize) len,
                                   error))
    return NULL;

  if (json_parser_get_root (parser) == NULL)
    {
      g_set_error_literal (error, JSON_PARSER_ERROR, JSON_PARSER_ERROR_PARSE,
                           "empty JSON text");
      return NULL;
    }

  return json_parser_steal_root (parser);
}

/* Type names */

static const struct
{
  const char *format_type;
  const char *typname;
} sql_type_names[] = {
  { "integer", "int4" },
  { "smallint", "int2" },
  { "bigint", "int8" },
  { "real", "float4" },
  { "double precision", "float8" },
  { "boolean", "bool" },
  { "character varying", "varchar" },
  { "character", "bpchar" },
  { "bit varying", "varbit" },
  { "timestamp with time zone", "timestamptz" },
  { "timestamp without time zone", "timestamp" },
  { "time with time zone", "timetz" },
  { "time without time zone", "time" },
  { "\"char\"", "char" },
};

char *
tandem_pg_typname_from_format_type (const char *format_type)
{
  g_autoptr(GString) name = NULL;
  g_autoptr(GString) part = NULL;
  gboolean array = FALSE;
  gboolean quoted = FALSE;
  int paren = 0;
  const char *p;

  g_return_val_if_fail (format_type != NULL, NULL);

  /* Drop type modifiers, "(30)" or "(3)" in "timestamp(3) with time zone",
   * and the array brackets. */
  name = g_string_new (NULL);
  for (p = format_type; *p != '\0'; p++)
    {
      if (*p == '"')
        quoted = !quoted;
      if (!quoted && *p == '(')
        paren++;
      else if (!quoted && *p == ')')
        paren--;
      else if (paren == 0)
        g_string_append_c (name, *p);
    }
  while (g_str_has_suffix (name->str, "[]"))
    {
      g_string_truncate (name, name->len - 2);
      array = TRUE;
    }
  while (name->len > 0 && name->str[name->len - 1] == ' ')
    g_string_truncate (name, name->len - 1);

  for (gsize i = 0; i < G_N_ELEMENTS (sql_type_names); i++)
    if (strcmp (name->str, sql_type_names[i].format_type) == 0)
      {
        g_string_assign (name, sql_type_names[i].typname);
        goto done;
      }

  /* Schema-qualified and quoted identifiers: keep the last name, unquoted. */
  part = g_string_new (NULL);
  quoted = FALSE;
  for (p = name->str; *p != '\0'; p++)
    {
      if (*p == '"')
        {
          if (quoted && p[1] == '"')
            {
              g_string_append_c (part, '"');
              p++;
            }
          else
            quoted = !quoted;
        }
      else if (*p == '.' && !quoted)
        g_string_truncate (part, 0);
      else
        g_string_append_c (part, *p);
    }
  g_string_assign (name, part->str);

done:
  if (array)
    g_string_prepend_c (name, '_');
  return g_string_free (g_steal_pointer (&name), FALSE);
}
