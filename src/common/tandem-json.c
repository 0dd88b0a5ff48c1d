/* tandem-json.c: strict JSON in and valid JSON out, over json-glib
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include "tandem-json-private.h"
#include "tandem-json-util.h"

static inline gboolean
is_ws (char c)
{
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static inline gsize
skip_ws (const char *data,
         gsize       length,
         gsize       pos)
{
  while (pos < length && is_ws (data[pos]))
    pos++;
  return pos;
}

static int
read_hex4 (const char *data,
           gsize       length,
           gsize       pos)
{
  int value = 0;

  if (length < 4 || pos > length - 4)
    return -1;

  for (gsize i = pos; i < pos + 4; i++)
    {
      int digit = g_ascii_xdigit_value (data[i]);

      if (digit < 0)
        return -1;
      value = (value << 4) | digit;
    }

  return value;
}

/* @data[*pos] is the opening quote. The bytes are known to be UTF-8. */
static gboolean
scan_string (const char  *data,
             gsize        length,
             gsize       *pos,
             const char **reason)
{
  gsize p = *pos + 1;

  while (p < length)
    {
      guchar c = data[p];

      if (c == '"')
        {
          *pos = p + 1;
          return TRUE;
        }

      if (c < 0x20)
        {
          *reason = "control character in string";
          *pos = p;
          return FALSE;
        }

      if (c != '\\')
        {
          p++;
          continue;
        }

      if (++p >= length)
        break;

      switch (data[p])
        {
        case '"': case '\\': case '/': case 'b': case 'f': case 'n': case 'r': case 't':
          p++;
          break;

        case 'u':
          {
            int cp = read_hex4 (data, length, p + 1);

            if (cp < 0)
              {
                *reason = "invalid \\u escape";
                *pos = p;
                return FALSE;
              }
            p += 5;

            /* json-glib refuses unpaired surrogates, so check them here to
             * fail with a clear reason. */
            if (cp >= 0xDC00 && cp <= 0xDFFF)
              {
                *reason = "unpaired surrogate in \\u escape";
                *pos = p;
                return FALSE;
              }
            if (cp >= 0xD800 && cp <= 0xDBFF)
              {
                int low = -1;

                if (p + 1 < length && data[p] == '\\' && data[p + 1] == 'u')
                  low = read_hex4 (data, length, p + 2);
                if (low < 0xDC00 || low > 0xDFFF)
                  {
                    *reason = "unpaired surrogate in \\u escape";
                    *pos = p;
                    return FALSE;
                  }
                p += 6;
              }
          }
          break;

        default:
          *reason = "invalid escape in string";
          *pos = p;
          return FALSE;
        }
    }

  *reason = "unterminated string";
  *pos = length;
  return FALSE;
}

/* Returns the end of the number token starting at @pos following the RFC 8259
 * grammar, or 0 (a number never ends at 0) when it is not one. */
static gsize
number_syntax_end (const char *data,
                   gsize       length,
                   gsize       pos,
                   gboolean   *is_integer)
{
  gsize p = pos;

  *is_integer = TRUE;

  if (p < length && data[p] == '-')
    p++;
  if (p >= length || !g_ascii_isdigit (data[p]))
    return 0;
  if (data[p] == '0')
    p++;
  else
    while (p < length && g_ascii_isdigit (data[p]))
      p++;

  if (p < length && data[p] == '.')
    {
      *is_integer = FALSE;
      p++;
      if (p >= length || !g_ascii_isdigit (data[p]))
        return 0;
      while (p < length && g_ascii_isdigit (data[p]))
        p++;
    }

  if (p < length && (data[p] == 'e' || data[p] == 'E'))
    {
      *is_integer = FALSE;
      p++;
      if (p < length && (data[p] == '+' || data[p] == '-'))
        p++;
      if (p >= length || !g_ascii_isdigit (data[p]))
        return 0;
      while (p < length && g_ascii_isdigit (data[p]))
        p++;
    }

  return p;
}

static gboolean
scan_number (const char  *data,
             gsize        length,
             gsize       *pos,
             const char **reason)
{
  gsize start = *pos;
  gboolean is_integer;
  gsize end = number_syntax_end (data, length, start, &is_integer);

  if (end == 0)
    {
      *reason = "invalid number";
      return FALSE;
    }

  /* "01" is not JSON (json-glib would read it as 1). */
  if (end < length && g_ascii_isdigit (data[end]))
    {
      *reason = "leading zero in number";
      *pos = end;
      return FALSE;
    }

  if (is_integer)
    {
      /* json-glib stores integers as gint64 and silently wraps larger ones. */
      gboolean negative = data[start] == '-';
      guint64 limit = negative ? (guint64) G_MAXINT64 + 1 : (guint64) G_MAXINT64;
      guint64 magnitude = 0;

      for (gsize p = start + (negative ? 1 : 0); p < end; p++)
        {
          guint digit = data[p] - '0';

          if (magnitude > (limit - digit) / 10)
            {
              *reason = "integer out of range";
              return FALSE;
            }
          magnitude = magnitude * 10 + digit;
        }
    }
  else
    {
      char buffer[64];
      g_autofree char *heap = NULL;
      const char *text;
      gsize len = end - start;

      /* g_ascii_strtod() needs a terminated string and @data is not. */
      if (len < sizeof buffer)
        {
          memcpy (buffer, data + start, len);
          buffer[len] = '\0';
          text = buffer;
        }
      else
        text = heap = g_strndup (data + start, len);

      if (!isfinite (g_ascii_strtod (text, NULL)))
        {
          *reason = "number out of range";
          return FALSE;
        }
    }

  *pos = end;
  return TRUE;
}

static gboolean
scan_literal (const char  *data,
              gsize        length,
              gsize       *pos,
              const char **reason)
{
  static const char * const literals[] = { "true", "false", "null" };

  for (guint i = 0; i < G_N_ELEMENTS (literals); i++)
    {
      gsize len = strlen (literals[i]);

      if (length - *pos >= len && memcmp (data + *pos, literals[i], len) == 0)
        {
          *pos += len;
          return TRUE;
        }
    }

  *reason = "expected a value";
  return FALSE;
}

/* An object key and its colon, after '{' or ','. */
static gboolean
scan_key (const char  *data,
          gsize        length,
          gsize       *pos,
          const char **reason)
{
  gsize p = skip_ws (data, length, *pos);

  if (p >= length || data[p] != '"')
    {
      *reason = "expected a string key";
      *pos = p;
      return FALSE;
    }
  if (!scan_string (data, length, &p, reason))
    {
      *pos = p;
      return FALSE;
    }
  p = skip_ws (data, length, p);
  if (p >= length || data[p] != ':')
    {
      *reason = "expected ':'";
      *pos = p;
      return FALSE;
    }

  *pos = p + 1;
  return TRUE;
}

gboolean
tandem_json_validate (const char  *data,
                      gsize        length,
                      const char **reason,
                      gsize       *offset)
{
  /* TRUE for an object, FALSE for an array. Iterative, so hostile nesting
   * cannot exhaust the stack here. */
  gboolean stack[TANDEM_JSON_MAX_DEPTH];
  guint depth = 0;
  const char *why = NULL;
  const char *invalid_utf8 = NULL;
  gsize p = 0;

  g_return_val_if_fail (data != NULL || length == 0, FALSE);

  if (length > G_MAXSSIZE)
    {
      why = "document too large";
      goto fail;
    }

  if (!g_utf8_validate_len (data, length, &invalid_utf8))
    {
      why = "not valid UTF-8";
      p = invalid_utf8 - data;
      goto fail;
    }

  for (;;)
    {
      gboolean closed_at_once = FALSE;
      char c;

      /* A value is expected here. */
      p = skip_ws (data, length, p);
      if (p >= length)
        {
          why = "unexpected end of input";
          goto fail;
        }

      c = data[p];
      if (c == '{' || c == '[')
        {
          gboolean is_object = c == '{';

          if (depth == TANDEM_JSON_MAX_DEPTH)
            {
              why = "nested too deeply";
              goto fail;
            }
          stack[depth++] = is_object;

          p = skip_ws (data, length, p + 1);
          if (p < length && data[p] == (is_object ? '}' : ']'))
            {
              depth--;
              p++;
              closed_at_once = TRUE;
            }
          else if (is_object && !scan_key (data, length, &p, &why))
            goto fail;

          if (!closed_at_once)
            continue;
        }
      else if (c == '"')
        {
          if (!scan_string (data, length, &p, &why))
            goto fail;
        }
      else if (c == '-' || g_ascii_isdigit (c))
        {
          if (!scan_number (data, length, &p, &why))
            goto fail;
        }
      else if (!scan_literal (data, length, &p, &why))
        goto fail;

      /* After a complete value: close containers or move to the next one. */
      for (;;)
        {
          p = skip_ws (data, length, p);

          if (depth == 0)
            {
              if (p == length)
                return TRUE;
              why = "unexpected data after the JSON value";
              goto fail;
            }

          if (p >= length)
            {
              why = "unexpected end of input";
              goto fail;
            }

          c = data[p];
          if (c == ',')
            {
              p++;
              if (stack[depth - 1] && !scan_key (data, length, &p, &why))
                goto fail;
              break;
            }
          if (c == (stack[depth - 1] ? '}' : ']'))
            {
              depth--;
              p++;
              continue;
            }

          why = stack[depth - 1] ? "expected ',' or '}'" : "expected ',' or ']'";
          goto fail;
        }
    }

fail:
  if (reason != NULL)
    *reason = why;
  if (offset != NULL)
    *offset = p;
  return FALSE;
}

/* ---- building the tree ----------------------------------------------------
 *
 * Once tandem_json_validate() has accepted a document, it is built here
 * directly into json-glib nodes: JsonParser (GScanner, a GObject per parse)
 * costs several times more than the document itself for the small payloads
 * Realtime carries, and every broadcast a client receives is parsed. The
 * nodes are what JsonParser makes of the same text: integers as gint64,
 * other numbers as doubles, members set with json_object_set_member() (so
 * a repeated key keeps its first position and its last value), strings
 * ending at a decoded U+0000 as json-glib's C strings do. The input is
 * known to be valid, so nothing here reports errors. */

static JsonNode *build_value (const char *data, gsize length, gsize *pos, GString *scratch);

static void
append_utf8 (GString  *out,
             gunichar  c)
{
  char buf[6];

  g_string_append_len (out, buf, g_unichar_to_utf8 (c, buf));
}

/* @data[*pos] is the opening quote; returns the decoded string (into
 * @scratch, cleared first) and moves past the closing quote. */
static const char *
build_string (const char *data,
              gsize       length,
              gsize      *pos,
              GString    *scratch)
{
  gsize p = *pos + 1;
  gsize run = p;

  g_string_truncate (scratch, 0);
  while (p < length && data[p] != '"')
    {
      if (data[p] != '\\')
        {
          p++;
          continue;
        }
      g_string_append_len (scratch, data + run, p - run);
      p++;
      switch (data[p])
        {
        case 'b': g_string_append_c (scratch, '\b'); p++; break;
        case 'f': g_string_append_c (scratch, '\f'); p++; break;
        case 'n': g_string_append_c (scratch, '\n'); p++; break;
        case 'r': g_string_append_c (scratch, '\r'); p++; break;
        case 't': g_string_append_c (scratch, '\t'); p++; break;
        case 'u':
          {
            gunichar c = read_hex4 (data, length, p + 1);

            p += 5;
            if (c >= 0xD800 && c <= 0xDBFF)
              {
                gunichar low = read_hex4 (data, length, p + 2);

                c = 0x10000 + ((c - 0xD800) << 10) + (low - 0xDC00);
                p += 6;
              }
            append_utf8 (scratch, c);
          }
          break;
        default: /* " \ / */
          g_string_append_c (scratch, data[p]);
          p++;
          break;
        }
      run = p;
    }
  g_string_append_len (scratch, data + run, p - run);
  *pos = p + 1;
  return scratch->str;
}

static JsonNode *
build_number (const char *data,
              gsize       length,
              gsize      *pos)
{
  char buffer[64];
  g_autofree char *heap = NULL;
  gboolean is_integer;
  gsize end = number_syntax_end (data, length, *pos, &is_integer);
  gsize len = end - *pos;
  const char *text;
  JsonNode *node = json_node_alloc ();

  if (len < sizeof buffer)
    {
      memcpy (buffer, data + *pos, len);
      buffer[len] = '\0';
      text = buffer;
    }
  else
    text = heap = g_strndup (data + *pos, len);
  *pos = end;

  if (is_integer)
    json_node_init_int (node, g_ascii_strtoll (text, NULL, 10));
  else
    json_node_init_double (node, g_ascii_strtod (text, NULL));
  return node;
}

static JsonNode *
build_object (const char *data,
              gsize       length,
              gsize      *pos,
              GString    *scratch)
{
  JsonObject *object = json_object_new ();
  GString *key = g_string_new (NULL);  /* scratch is reused by the members */
  gsize p = skip_ws (data, length, *pos + 1);

  if (data[p] == '}')
    p++;
  else
    for (;;)
      {
        JsonNode *value;

        build_string (data, length, &p, key);
        p = skip_ws (data, length, p) + 1; /* the colon */
        value = build_value (data, length, &p, scratch);
        json_object_set_member (object, key->str, value);
        p = skip_ws (data, length, p);
        if (data[p++] == '}')
          break;
        p = skip_ws (data, length, p);
      }
  g_string_free (key, TRUE);
  *pos = p;
  return tandem_json_node_take_object (object);
}

static JsonNode *
build_array (const char *data,
             gsize       length,
             gsize      *pos,
             GString    *scratch)
{
  JsonArray *array = json_array_new ();
  gsize p = skip_ws (data, length, *pos + 1);

  if (data[p] == ']')
    p++;
  else
    for (;;)
      {
        json_array_add_element (array, build_value (data, length, &p, scratch));
        p = skip_ws (data, length, p);
        if (data[p++] == ']')
          break;
      }
  *pos = p;
  return tandem_json_node_take_array (array);
}

static JsonNode *
build_value (const char *data,
             gsize       length,
             gsize      *pos,
             GString    *scratch)
{
  gsize p = skip_ws (data, length, *pos);
  JsonNode *node;

  switch (data[p])
    {
    case '{':
      node = build_object (data, length, &p, scratch);
      break;
    case '[':
      node = build_array (data, length, &p, scratch);
      break;
    case '"':
      node = json_node_init_string (json_node_alloc (), build_string (data, length, &p, scratch));
      break;
    case 't':
      node = json_node_init_boolean (json_node_alloc (), TRUE);
      p += 4;
      break;
    case 'f':
      node = json_node_init_boolean (json_node_alloc (), FALSE);
      p += 5;
      break;
    case 'n':
      node = json_node_init_null (json_node_alloc ());
      p += 4;
      break;
    default:
      node = build_number (data, length, &p);
      break;
    }
  *pos = p;
  return node;
}

JsonNode *
tandem_json_parse (const char  *data,
                   gsize        length,
                   GQuark       domain,
                   int          code,
                   GError     **error)
{
  const char *reason = NULL;
  gsize offset = 0;

  if (!tandem_json_validate (data, length, &reason, &offset))
    {
      g_set_error (error, domain, code, "Invalid JSON at byte %" G_GSIZE_FORMAT ": %s",
                   offset, reason);
      return NULL;
    }

  return tandem_json_parse_valid (data, length);
}

JsonNode *
tandem_json_parse_valid (const char *data,
                         gsize       length)
{
  GString *scratch = g_string_sized_new (64);
  gsize pos = 0;
  JsonNode *root;

  root = build_value (data, length, &pos, scratch);
  g_string_free (scratch, TRUE);
  return root;
}

/* g_ascii_dtostr() (json-glib's formatter) uses "%.17g", which only switches
 * to exponent notation outside this range; NaN compares false and lands here
 * too. */
static inline gboolean
double_may_misprint (double value)
{
  double magnitude = fabs (value);

  return !(magnitude == 0.0 || (magnitude >= 1e-4 && magnitude < 1e17));
}

/* json-glib escapes control characters below U+001F only, and writes U+001F
 * itself raw, which JSON forbids. */
static inline gboolean
string_may_misprint (const char *text)
{
  return text != NULL && strchr (text, '\x1f') != NULL;
}

static gboolean
tree_may_misprint (JsonNode *node)
{
  switch (JSON_NODE_TYPE (node))
    {
    case JSON_NODE_OBJECT:
      {
        JsonObjectIter iter;
        const char *name;
        JsonNode *member;

        json_object_iter_init (&iter, json_node_get_object (node));
        while (json_object_iter_next (&iter, &name, &member))
          if (string_may_misprint (name) || tree_may_misprint (member))
            return TRUE;
        return FALSE;
      }

    case JSON_NODE_ARRAY:
      {
        JsonArray *array = json_node_get_array (node);
        guint n = json_array_get_length (array);

        for (guint i = 0; i < n; i++)
          if (tree_may_misprint (json_array_get_element (array, i)))
            return TRUE;
        return FALSE;
      }

    case JSON_NODE_VALUE:
      if (json_node_get_value_type (node) == G_TYPE_DOUBLE)
        return double_may_misprint (json_node_get_double (node));
      if (json_node_get_value_type (node) == G_TYPE_STRING)
        return string_may_misprint (json_node_get_string (node));
      return FALSE;

    case JSON_NODE_NULL:
    default:
      return FALSE;
    }
}

static inline gboolean
is_delimiter (char c)
{
  return is_ws (c) || c == ',' || c == ':' || c == '[' || c == ']' ||
         c == '{' || c == '}' || c == '"';
}

/* Rewrites json-glib output: in bare tokens "1e+18.0" becomes "1e+18" and
 * "inf.0"/"nan.0" become null; in strings a raw U+001F is escaped. */
static char *
repair_generated (const char *text,
                  gsize       length,
                  gsize      *out_length)
{
  GString *out = g_string_sized_new (length);
  gsize p = 0;

  while (p < length)
    {
      gsize start = p;
      char c = text[p];

      if (c == '"')
        {
          g_string_append_c (out, '"');
          for (p++; p < length && text[p] != '"'; p++)
            {
              if (text[p] == '\x1f')
                {
                  g_string_append (out, "\\u001f");
                  continue;
                }
              /* An escape is two characters; keep them together. */
              if (text[p] == '\\' && p + 1 < length)
                g_string_append_c (out, text[p++]);
              g_string_append_c (out, text[p]);
            }
          if (p < length)
            g_string_append_c (out, '"');
          p++;
        }
      else if (is_delimiter (c))
        {
          g_string_append_c (out, c);
          p++;
        }
      else
        {
          gboolean is_integer;
          gsize len;

          while (p < length && !is_delimiter (text[p]))
            p++;
          len = p - start;

          if (number_syntax_end (text, start + len, start, &is_integer) == start + len ||
              (len == 4 && memcmp (text + start, "true", 4) == 0) ||
              (len == 5 && memcmp (text + start, "false", 5) == 0) ||
              (len == 4 && memcmp (text + start, "null", 4) == 0))
            g_string_append_len (out, text + start, len);
          else if (len > 2 && memcmp (text + p - 2, ".0", 2) == 0 &&
                   number_syntax_end (text, p - 2, start, &is_integer) == p - 2)
            g_string_append_len (out, text + start, len - 2);
          else
            g_string_append (out, "null");
        }
    }

  *out_length = out->len;
  return g_string_free (out, FALSE);
}

char *
tandem_json_to_data_reference (JsonNode *root,
                               gsize    *length)
{
  g_autoptr(JsonGenerator) generator = NULL;
  g_autofree char *text = NULL;
  gsize text_length = 0;

  g_return_val_if_fail (root != NULL, NULL);
  g_return_val_if_fail (length != NULL, NULL);

  generator = json_generator_new ();
  json_generator_set_root (generator, root);
  text = json_generator_to_data (generator, &text_length);

  if (tree_may_misprint (root))
    return repair_generated (text, text_length, length);

  *length = text_length;
  return g_steal_pointer (&text);
}

/* ---- writing -------------------------------------------------------------
 *
 * Written directly rather than through JsonGenerator (a GObject and a
 * GString per call, on every message sent), with exactly its output for
 * what it prints validly (tandem_json_to_data_reference() is the check):
 * compact, members in insertion order, doubles as g_ascii_dtostr() gives
 * them with ".0" added when there is neither a '.' nor an exponent,
 * control characters escaped as json-glib does. Where json-glib would print
 * invalid JSON this writes what repair_generated() makes of it: the
 * exponent without ".0", null for non-finite doubles, U+001F escaped. */

static void
write_string (GString    *out,
              const char *text)
{
  static const char hex[] = "0123456789abcdef";
  const char *run = text;
  const char *p;

  g_string_append_c (out, '"');
  for (p = text; *p != '\0'; p++)
    {
      guchar c = *p;
      const char *escape = NULL;

      if (c >= 0x20 && c != '"' && c != '\\' && c != 0x7f)
        continue;
      g_string_append_len (out, run, p - run);
      run = p + 1;
      switch (c)
        {
        case '"': escape = "\\\""; break;
        case '\\': escape = "\\\\"; break;
        case '\b': escape = "\\b"; break;
        case '\f': escape = "\\f"; break;
        case '\n': escape = "\\n"; break;
        case '\r': escape = "\\r"; break;
        case '\t': escape = "\\t"; break;
        default: break;
        }
      if (escape != NULL)
        g_string_append (out, escape);
      else
        {
          char u[6] = { '\\', 'u', '0', '0', hex[c >> 4], hex[c & 0xf] };

          g_string_append_len (out, u, sizeof u);
        }
    }
  g_string_append_len (out, run, p - run);
  g_string_append_c (out, '"');
}

static void
write_double (GString *out,
              double   value)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  if (!isfinite (value))
    {
      g_string_append (out, "null");
      return;
    }
  g_ascii_dtostr (buf, sizeof buf, value);
  g_string_append (out, buf);
  if (strpbrk (buf, ".e") == NULL)
    g_string_append (out, ".0");
}

static void
write_node (GString  *out,
            JsonNode *node)
{
  switch (JSON_NODE_TYPE (node))
    {
    case JSON_NODE_OBJECT:
      {
        JsonObjectIter iter;
        const char *name;
        JsonNode *member;
        gboolean first = TRUE;

        g_string_append_c (out, '{');
        json_object_iter_init_ordered (&iter, json_node_get_object (node));
        while (json_object_iter_next_ordered (&iter, &name, &member))
          {
            if (!first)
              g_string_append_c (out, ',');
            first = FALSE;
            write_string (out, name);
            g_string_append_c (out, ':');
            write_node (out, member);
          }
        g_string_append_c (out, '}');
      }
      break;

    case JSON_NODE_ARRAY:
      {
        JsonArray *array = json_node_get_array (node);
        guint n = json_array_get_length (array);

        g_string_append_c (out, '[');
        for (guint i = 0; i < n; i++)
          {
            if (i > 0)
              g_string_append_c (out, ',');
            write_node (out, json_array_get_element (array, i));
          }
        g_string_append_c (out, ']');
      }
      break;

    case JSON_NODE_VALUE:
      switch (json_node_get_value_type (node))
        {
        case G_TYPE_INT64:
          g_string_append_printf (out, "%" G_GINT64_FORMAT, json_node_get_int (node));
          break;
        case G_TYPE_DOUBLE:
          write_double (out, json_node_get_double (node));
          break;
        case G_TYPE_BOOLEAN:
          g_string_append (out, json_node_get_boolean (node) ? "true" : "false");
          break;
        case G_TYPE_STRING:
          write_string (out, json_node_get_string (node) ? json_node_get_string (node) : "");
          break;
        default:
          /* json-glib writes nothing for other types, which is not JSON */
          g_string_append (out, "null");
          break;
        }
      break;

    case JSON_NODE_NULL:
    default:
      g_string_append (out, "null");
      break;
    }
}

char *
tandem_json_to_data (JsonNode *root,
                     gsize    *length)
{
  GString *out;

  g_return_val_if_fail (root != NULL, NULL);
  g_return_val_if_fail (length != NULL, NULL);

  out = g_string_sized_new (128);
  write_node (out, root);
  *length = out->len;
  return g_string_free (out, FALSE);
}
