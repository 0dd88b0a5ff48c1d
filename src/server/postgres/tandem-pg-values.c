/* tandem-pg-values.c: PostgreSQL column values as Supabase Realtime sends them
 *
 * Scalar values by type, JSON text and type names. Arrays are in
 * tandem-pg-values-array.c, timestamps in tandem-pg-values-timestamp.c.
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
