/* tandem-change-convert.c: realtime-js's convertChangeData, value by value
 *
 * realtime-js converts only string values, by the column's type
 * (protocol.md §5.2, transformers.ts): bool "t"/"f", numbers with
 * parseFloat, json/jsonb with JSON.parse, timestamp's first space to "T",
 * and "_"-prefixed arrays from their "{…}" literal, element by element.
 *
 * The array literal is read the way realtime-js reads it: as JSON when
 * "[" + inner + "]" is valid JSON, else split on every comma. So quoted
 * elements survive only when every element is valid JSON; NULL, bare words
 * and nested braces fall back to the split and keep their quotes and braces.
 * That is realtime-js's behaviour and peers compare against it, so it is
 * mirrored, not fixed.
 *
 * json-glib's parser accepts far more than JSON.parse (comments, single
 * quotes, hex, leading zeros, trailing garbage), which would turn strings
 * realtime-js keeps into values, so a strict RFC 8259 reader is used here.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include "tandem-change-private.h"

/* JS numbers are doubles; integral ones that a double holds exactly are
 * stored as integers so json_node_get_int() and equality work naturally. */
#define MAX_SAFE_INTEGER 9007199254740992.0 /* 2^53 */

/* Deeper input is refused (treated as not JSON) rather than recursed into. */
#define MAX_DEPTH 512

static JsonNode *
number_node (double value)
{
  JsonNode *node = json_node_alloc ();

  if (isfinite (value) && value == floor (value) && fabs (value) <= MAX_SAFE_INTEGER &&
      !(value == 0 && signbit (value)))
    json_node_init_int (node, (gint64) value);
  else
    json_node_init_double (node, value);
  return node;
}

/* ---- JSON.parse ------------------------------------------------------------ */

typedef struct
{
  const char *p;
  const char *end;
  guint       depth;
} Reader;

static JsonNode *read_value (Reader *r);

static void
skip_ws (Reader *r)
{
  while (r->p < r->end && (*r->p == ' ' || *r->p == '\t' || *r->p == '\n' || *r->p == '\r'))
    r->p++;
}

static gboolean
read_hex4 (Reader  *r,
           guint   *out)
{
  guint value = 0;

  if (r->end - r->p < 4)
    return FALSE;
  for (guint i = 0; i < 4; i++)
    {
      int digit = g_ascii_xdigit_value (r->p[i]);

      if (digit < 0)
        return FALSE;
      value = value * 16 + (guint) digit;
    }
  r->p += 4;
  *out = value;
  return TRUE;
}

/* At the opening quote. */
static char *
read_string (Reader *r)
{
  g_autoptr(GString) out = g_string_new (NULL);

  r->p++;
  while (r->p < r->end)
    {
      guchar c = (guchar) *r->p;

      if (c == '"')
        {
          r->p++;
          if (!g_utf8_validate_len (out->str, out->len, NULL))
            return NULL;
          return g_string_free (g_steal_pointer (&out), FALSE);
        }
      if (c < 0x20)
        return NULL;
      if (c != '\\')
        {
          g_string_append_c (out, (char) c);
          r->p++;
          continue;
        }

      r->p++;
      if (r->p >= r->end)
        return NULL;
      c = (guchar) *r->p++;
      switch (c)
        {
        case '"': g_string_append_c (out, '"'); break;
        case '\\': g_string_append_c (out, '\\'); break;
        case '/': g_string_append_c (out, '/'); break;
        case 'b': g_string_append_c (out, '\b'); break;
        case 'f': g_string_append_c (out, '\f'); break;
        case 'n': g_string_append_c (out, '\n'); break;
        case 'r': g_string_append_c (out, '\r'); break;
        case 't': g_string_append_c (out, '\t'); break;
        case 'u':
          {
            guint unit;
            gunichar ch;

            if (!read_hex4 (r, &unit))
              return NULL;
            ch = unit;
            if (unit >= 0xD800 && unit <= 0xDBFF &&
                r->end - r->p >= 6 && r->p[0] == '\\' && r->p[1] == 'u')
              {
                Reader peek = *r;
                guint low;

                peek.p += 2;
                if (read_hex4 (&peek, &low) && low >= 0xDC00 && low <= 0xDFFF)
                  {
                    ch = 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00);
                    r->p = peek.p;
                  }
              }
            /* A lone surrogate is valid in JSON (a JS string holds it) but
             * has no UTF-8 form. */
            if (ch >= 0xD800 && ch <= 0xDFFF)
              ch = 0xFFFD;
            g_string_append_unichar (out, ch);
          }
          break;
        default:
          return NULL;
        }
    }
  return NULL;
}

static gboolean
read_digits (Reader *r)
{
  const char *start = r->p;

  while (r->p < r->end && g_ascii_isdigit (*r->p))
    r->p++;
  return r->p > start;
}

static JsonNode *
read_number (Reader *r)
{
  const char *start = r->p;
  g_autofree char *text = NULL;

  if (*r->p == '-')
    r->p++;
  if (r->p >= r->end || !g_ascii_isdigit (*r->p))
    return NULL;
  if (*r->p == '0')
    r->p++;
  else
    read_digits (r);
  if (r->p < r->end && *r->p == '.')
    {
      r->p++;
      if (!read_digits (r))
        return NULL;
    }
  if (r->p < r->end && (*r->p == 'e' || *r->p == 'E'))
    {
      r->p++;
      if (r->p < r->end && (*r->p == '+' || *r->p == '-'))
        r->p++;
      if (!read_digits (r))
        return NULL;
    }

  text = g_strndup (start, r->p - start);
  return number_node (g_ascii_strtod (text, NULL));
}

static gboolean
read_literal (Reader     *r,
              const char *word)
{
  gsize len = strlen (word);

  if ((gsize) (r->end - r->p) < len || memcmp (r->p, word, len) != 0)
    return FALSE;
  r->p += len;
  return TRUE;
}

/* Values separated by commas until @close, or until the end of input when
 * @close is 0 (the inside of "[…]" without its brackets). */
static JsonArray *
read_elements (Reader *r,
               char    close)
{
  g_autoptr(JsonArray) array = json_array_new ();

  skip_ws (r);
  if (close != 0 ? (r->p < r->end && *r->p == close) : r->p >= r->end)
    goto done;

  for (;;)
    {
      JsonNode *element = read_value (r);

      if (element == NULL)
        return NULL;
      json_array_add_element (array, element);
      skip_ws (r);
      if (r->p < r->end && *r->p == ',')
        {
          r->p++;
          continue;
        }
      if (close != 0 ? (r->p < r->end && *r->p == close) : r->p >= r->end)
        break;
      return NULL;
    }

done:
  if (close != 0)
    r->p++;
  return g_steal_pointer (&array);
}

static JsonObject *
read_members (Reader *r)
{
  g_autoptr(JsonObject) object = json_object_new ();

  r->p++;
  skip_ws (r);
  if (r->p < r->end && *r->p == '}')
    {
      r->p++;
      return g_steal_pointer (&object);
    }

  for (;;)
    {
      g_autofree char *name = NULL;
      JsonNode *value;

      skip_ws (r);
      if (r->p >= r->end || *r->p != '"' || (name = read_string (r)) == NULL)
        return NULL;
      skip_ws (r);
      if (r->p >= r->end || *r->p != ':')
        return NULL;
      r->p++;
      if ((value = read_value (r)) == NULL)
        return NULL;
      /* As in JSON.parse, a repeated name keeps the last value. */
      json_object_set_member (object, name, value);
      skip_ws (r);
      if (r->p < r->end && *r->p == ',')
        {
          r->p++;
          continue;
        }
      if (r->p < r->end && *r->p == '}')
        {
          r->p++;
          return g_steal_pointer (&object);
        }
      return NULL;
    }
}

static JsonNode *
read_value (Reader *r)
{
  JsonNode *node = NULL;

  skip_ws (r);
  if (r->p >= r->end)
    return NULL;

  switch (*r->p)
    {
    case '{':
    case '[':
      {
        gboolean is_object = *r->p == '{';

        if (++r->depth > MAX_DEPTH)
          return NULL;
        if (is_object)
          {
            JsonObject *object = read_members (r);

            if (object != NULL)
              node = json_node_init_object (json_node_alloc (), object);
            g_clear_pointer (&object, json_object_unref);
          }
        else
          {
            JsonArray *array;

            r->p++;
            array = read_elements (r, ']');
            if (array != NULL)
              node = json_node_init_array (json_node_alloc (), array);
            g_clear_pointer (&array, json_array_unref);
          }
        r->depth--;
      }
      break;

    case '"':
      {
        char *text = read_string (r);

        if (text != NULL)
          {
            node = json_node_alloc ();
            json_node_init_string (node, text);
            g_free (text);
          }
      }
      break;

    case 't':
      if (read_literal (r, "true"))
        node = json_node_init_boolean (json_node_alloc (), TRUE);
      break;

    case 'f':
      if (read_literal (r, "false"))
        node = json_node_init_boolean (json_node_alloc (), FALSE);
      break;

    case 'n':
      if (read_literal (r, "null"))
        node = json_node_init_null (json_node_alloc ());
      break;

    default:
      if (*r->p == '-' || g_ascii_isdigit (*r->p))
        node = read_number (r);
      break;
    }

  return node;
}

/* JSON.parse (@text): NULL where it would throw. */
static JsonNode *
js_json_parse (const char *text)
{
  Reader r = { text, text + strlen (text), 0 };
  g_autoptr(JsonNode) node = read_value (&r);

  skip_ws (&r);
  if (node == NULL || r.p != r.end)
    return NULL;
  return g_steal_pointer (&node);
}

/* JSON.parse ("[" + inner + "]") without building that string. */
static JsonArray *
js_json_parse_array_body (const char *inner,
                          gsize       len)
{
  Reader r = { inner, inner + len, 1 };

  return read_elements (&r, 0);
}

/* ---- parseFloat ------------------------------------------------------------ */

/* ECMAScript's StrWhiteSpaceChar: WhiteSpace and LineTerminator. */
static gboolean
is_js_space (gunichar ch)
{
  return ch == '\t' || ch == '\n' || ch == 0x0B || ch == '\f' || ch == '\r' ||
         ch == 0xFEFF || ch == 0x2028 || ch == 0x2029 ||
         g_unichar_type (ch) == G_UNICODE_SPACE_SEPARATOR;
}

/* parseFloat (@text): the longest decimal prefix after leading white space;
 * FALSE where it returns NaN. */
static gboolean
js_parse_float (const char *text,
                double     *out)
{
  const char *p = text;
  const char *start;
  gboolean negative = FALSE;
  gboolean digits = FALSE;
  g_autofree char *number = NULL;

  while (*p != '\0')
    {
      gunichar ch = g_utf8_get_char_validated (p, -1);

      if (ch == (gunichar) -1 || ch == (gunichar) -2 || !is_js_space (ch))
        break;
      p = g_utf8_next_char (p);
    }

  start = p;
  if (*p == '+' || *p == '-')
    negative = *p++ == '-';
  if (g_str_has_prefix (p, "Infinity"))
    {
      *out = negative ? -INFINITY : INFINITY;
      return TRUE;
    }

  while (g_ascii_isdigit (*p))
    p++, digits = TRUE;
  if (*p == '.')
    {
      p++;
      while (g_ascii_isdigit (*p))
        p++, digits = TRUE;
    }
  if (!digits)
    return FALSE;
  if (*p == 'e' || *p == 'E')
    {
      const char *exponent = p + 1;

      if (*exponent == '+' || *exponent == '-')
        exponent++;
      if (g_ascii_isdigit (*exponent))
        {
          p = exponent;
          while (g_ascii_isdigit (*p))
            p++;
        }
    }

  number = g_strndup (start, p - start);
  *out = g_ascii_strtod (number, NULL);
  return TRUE;
}

/* ---- convertCell ----------------------------------------------------------- */

/* json_node_copy() shares objects and arrays; records are sealed once built,
 * and that must not seal (or alias) the frame they came from. */
JsonNode *
_tandem_change_json_deep_copy (JsonNode *node)
{
  JsonNode *copy;

  g_return_val_if_fail (node != NULL, NULL);

  switch (json_node_get_node_type (node))
    {
    case JSON_NODE_OBJECT:
      {
        JsonObject *object = json_node_get_object (node);
        g_autoptr(JsonObject) out = json_object_new ();
        JsonObjectIter iter;
        const char *name;
        JsonNode *member;

        json_object_iter_init_ordered (&iter, object);
        while (json_object_iter_next_ordered (&iter, &name, &member))
          json_object_set_member (out, name, _tandem_change_json_deep_copy (member));
        copy = json_node_init_object (json_node_alloc (), out);
      }
      break;

    case JSON_NODE_ARRAY:
      {
        JsonArray *array = json_node_get_array (node);
        guint n = json_array_get_length (array);
        g_autoptr(JsonArray) out = json_array_sized_new (n);

        for (guint i = 0; i < n; i++)
          json_array_add_element (out, _tandem_change_json_deep_copy (json_array_get_element (array, i)));
        copy = json_node_init_array (json_node_alloc (), out);
      }
      break;

    case JSON_NODE_NULL:
      copy = json_node_init_null (json_node_alloc ());
      break;

    case JSON_NODE_VALUE:
    default:
      {
        /* Not json_node_copy(): it keeps a sealed node sealed. */
        GValue value = G_VALUE_INIT;

        json_node_get_value (node, &value);
        copy = json_node_init (json_node_alloc (), JSON_NODE_VALUE);
        json_node_set_value (copy, &value);
        g_value_unset (&value);
      }
      break;
    }

  return copy;
}

static JsonNode *
string_node (const char *text)
{
  JsonNode *node = json_node_alloc ();

  json_node_init_string (node, text);
  return node;
}

static JsonNode *
convert_array (const char *element_type,
               const char *text)
{
  gsize len = strlen (text);
  g_autoptr(JsonArray) parsed = NULL;
  g_autoptr(JsonArray) out = NULL;
  guint n;

  if (len < 2 || text[0] != '{' || text[len - 1] != '}')
    return string_node (text);

  parsed = js_json_parse_array_body (text + 1, len - 2);
  if (parsed == NULL)
    {
      /* realtime-js's fallback: a plain split on every comma. */
      g_autofree char *inner = g_strndup (text + 1, len - 2);
      g_auto(GStrv) parts = inner[0] != '\0' ? g_strsplit (inner, ",", -1) : g_new0 (char *, 1);

      parsed = json_array_new ();
      for (guint i = 0; parts[i] != NULL; i++)
        json_array_add_string_element (parsed, parts[i]);
    }

  n = json_array_get_length (parsed);
  out = json_array_sized_new (n);
  for (guint i = 0; i < n; i++)
    json_array_add_element (out, _tandem_change_convert_value (element_type,
                                                               json_array_get_element (parsed, i)));
  return json_node_init_array (json_node_alloc (), out);
}

static gboolean
is_number_type (const char *type)
{
  static const char * const numbers[] = {
    "float4", "float8", "int2", "int4", "int8", "numeric", "oid", NULL,
  };

  return g_strv_contains (numbers, type);
}

JsonNode *
_tandem_change_convert_value (const char *type,
                              JsonNode   *value)
{
  const char *text;

  g_return_val_if_fail (type != NULL, NULL);
  g_return_val_if_fail (value != NULL, NULL);

  if (!JSON_NODE_HOLDS_VALUE (value) || json_node_get_value_type (value) != G_TYPE_STRING)
    return _tandem_change_json_deep_copy (value);
  text = json_node_get_string (value);

  if (type[0] == '_')
    return convert_array (type + 1, text);

  if (g_str_equal (type, "bool"))
    {
      if (g_str_equal (text, "t") || g_str_equal (text, "f"))
        return json_node_init_boolean (json_node_alloc (), text[0] == 't');
    }
  else if (is_number_type (type))
    {
      double number;

      if (js_parse_float (text, &number))
        return number_node (number);
    }
  else if (g_str_equal (type, "json") || g_str_equal (type, "jsonb"))
    {
      JsonNode *parsed = js_json_parse (text);

      if (parsed != NULL)
        return parsed;
    }
  else if (g_str_equal (type, "timestamp"))
    {
      g_autofree char *iso = g_strdup (text);
      char *space = strchr (iso, ' ');

      if (space != NULL)
        *space = 'T';
      return string_node (iso);
    }

  return string_node (text);
}
