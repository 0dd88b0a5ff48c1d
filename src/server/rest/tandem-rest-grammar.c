/* tandem-rest-grammar.c: PostgREST's query-string grammar
 *
 * The parser's primitives (field names, quoted names, JSON paths), select,
 * order and column lists, parsed by hand as PostgREST's parser reads them;
 * errors carry PostgREST's "failed to parse …" message with the position
 * of the problem. Filters and logic trees are in tandem-rest-filter.c.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tandem-rest"

#include "config.h"

#include <string.h>

#include "tandem-rest-private.h"

void
_tandem_rest_parser_init (Parser     *parser,
                          const char *what,
                          const char *text)
{
  parser->text = text;
  parser->p = text;
  parser->what = what;
  parser->error = NULL;
}

gboolean
_tandem_rest_parser_fail (Parser     *parser,
                          const char *format,
                          ...)
{
  g_autofree char *details = NULL;
  va_list args;

  if (parser->error != NULL)
    return FALSE;
  va_start (args, format);
  details = g_strdup_vprintf (format, args);
  va_end (args);
  parser->error = tandem_rest_error_new_parse (parser->what, parser->text,
                                               (gsize) (parser->p - parser->text) + 1, details);
  return FALSE;
}

/* Parsec's wording for what is under the cursor. */
char *
_tandem_rest_parser_unexpected (Parser *parser)
{
  if (*parser->p == '\0')
    return g_strdup ("unexpected end of input");
  return g_strdup_printf ("unexpected \"%.*s\"",
                          (int) (g_utf8_next_char (parser->p) - parser->p), parser->p);
}

gboolean
_tandem_rest_parser_expect_fail (Parser     *parser,
                                 const char *expected)
{
  g_autofree char *unexpected = _tandem_rest_parser_unexpected (parser);

  return _tandem_rest_parser_fail (parser, "%s expecting %s", unexpected, expected);
}

void
_tandem_rest_skip_blanks (Parser *parser)
{
  while (*parser->p == ' ' || *parser->p == '\t')
    parser->p++;
}

gboolean
_tandem_rest_at (Parser     *parser,
                 const char *literal)
{
  return g_str_has_prefix (parser->p, literal);
}

gboolean
_tandem_rest_eat (Parser     *parser,
                  const char *literal)
{
  if (!_tandem_rest_at (parser, literal))
    return FALSE;
  parser->p += strlen (literal);
  return TRUE;
}

/* Letters (any non-ASCII byte counts: names may be in any script), digits,
 * '_', '$' and spaces, as PostgREST's identifiers. */
gboolean
_tandem_rest_is_identifier_char (char c)
{
  return g_ascii_isalnum (c) || c == '_' || c == '$' || c == ' ' || (guchar) c >= 0x80;
}

/* "…" with backslash escapes. */
char *
_tandem_rest_parse_quoted (Parser *parser)
{
  GString *value = g_string_new (NULL);

  parser->p++; /* the opening quote */
  while (*parser->p != '"')
    {
      if (*parser->p == '\0')
        {
          _tandem_rest_parser_expect_fail (parser, "\"\\\"\"");
          g_string_free (value, TRUE);
          return NULL;
        }
      if (*parser->p == '\\' && parser->p[1] != '\0')
        parser->p++;
      g_string_append_c (value, *parser->p);
      parser->p++;
    }
  parser->p++;
  return g_string_free (value, FALSE);
}

/* A field name: quoted, or identifier parts joined by dashes (a dash
 * followed by '>' starts a JSON arrow instead). */
char *
_tandem_rest_parse_field_name (Parser *parser)
{
  GString *name;

  if (*parser->p == '"')
    return _tandem_rest_parse_quoted (parser);

  name = g_string_new (NULL);
  for (;;)
    {
      const char *start = parser->p;
      g_autofree char *part = NULL;

      while (_tandem_rest_is_identifier_char (*parser->p))
        parser->p++;
      if (parser->p == start)
        {
          _tandem_rest_parser_expect_fail (parser, "field name (* or [a..z0..9_$])");
          g_string_free (name, TRUE);
          return NULL;
        }
      part = g_strstrip (g_strndup (start, parser->p - start));
      g_string_append (name, part);
      if (parser->p[0] == '-' && parser->p[1] != '>')
        {
          g_string_append_c (name, '-');
          parser->p++;
          continue;
        }
      break;
    }
  return g_string_free (name, FALSE);
}

static void
json_step_free (gpointer data)
{
  TandemRestJsonStep *step = data;

  g_free (step->key);
  g_free (step);
}

static gboolean
at_index_end (Parser     *parser,
              const char *p)
{
  return *p == '\0' || g_str_has_prefix (p, "->") || g_str_has_prefix (p, "::") ||
         *p == '.' || *p == ',' || *p == ')';
}

/* ->key, ->>key, ->0, ->>-1 … */
static gboolean
parse_json_path (Parser    *parser,
                 GPtrArray **path_out)
{
  GPtrArray *path = NULL;

  while (_tandem_rest_at (parser, "->"))
    {
      TandemRestJsonStep *step = g_new0 (TandemRestJsonStep, 1);
      const char *digits;
      const char *p;

      if (_tandem_rest_eat (parser, "->>"))
        step->as_text = TRUE;
      else
        _tandem_rest_eat (parser, "->");
      if (path == NULL)
        path = g_ptr_array_new_with_free_func (json_step_free);
      g_ptr_array_add (path, step);

      /* An index: an optional minus and digits up to the end of the path. */
      p = parser->p;
      if (*p == '-')
        p++;
      digits = p;
      while (g_ascii_isdigit (*p))
        p++;
      if (p > digits && at_index_end (parser, p))
        {
          step->is_index = TRUE;
          step->key = g_strndup (parser->p, p - parser->p);
          parser->p = p;
          continue;
        }
      if (*parser->p == '-')
        {
          parser->p++;
          _tandem_rest_parser_expect_fail (parser, "digit");
          g_ptr_array_unref (path);
          return FALSE;
        }
      step->key = _tandem_rest_parse_field_name (parser);
      if (step->key == NULL)
        {
          g_ptr_array_unref (path);
          return FALSE;
        }
    }
  *path_out = path;
  return TRUE;
}

gboolean
_tandem_rest_parse_field (Parser          *parser,
                          TandemRestField *field)
{
  _tandem_rest_skip_blanks (parser);
  field->name = _tandem_rest_parse_field_name (parser);
  if (field->name == NULL)
    return FALSE;
  if (!parse_json_path (parser, &field->json_path))
    return FALSE;
  _tandem_rest_skip_blanks (parser);
  return TRUE;
}

void
_tandem_rest_field_clear (TandemRestField *field)
{
  g_clear_pointer (&field->name, g_free);
  g_clear_pointer (&field->json_path, g_ptr_array_unref);
}

/* ---- select ---------------------------------------------------------- */

static void
select_item_free (gpointer data)
{
  TandemRestSelectItem *item = data;

  _tandem_rest_field_clear (&item->field);
  g_free (item->alias);
  g_free (item->cast);
  g_free (item);
}

static const char * const aggregates[] = { "avg", "count", "max", "min", "sum" };

static gboolean
at_aggregate_call (Parser *parser)
{
  if (*parser->p != '.')
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (aggregates); i++)
    {
      gsize len = strlen (aggregates[i]);

      if (strncmp (parser->p + 1, aggregates[i], len) == 0 && parser->p[1 + len] == '(')
        return TRUE;
    }
  return FALSE;
}

static TandemRestSelectItem *
parse_select_item (Parser     *parser,
                   const char *resource)
{
  g_autoptr(GPtrArray) holder = g_ptr_array_new_with_free_func (select_item_free);
  TandemRestSelectItem *item = g_new0 (TandemRestSelectItem, 1);

  g_ptr_array_add (holder, item);
  _tandem_rest_skip_blanks (parser);

  if (_tandem_rest_eat (parser, "*"))
    {
      item->star = TRUE;
    }
  else
    {
      if (_tandem_rest_at (parser, ".."))
        {
          parser->error = tandem_rest_error_new (400, "PGRST200", NULL, NULL,
                                                 "Could not find a relationship between '%s' and '%s' in the schema cache",
                                                 resource ? resource : "", parser->p + 2);
          return NULL;
        }

      item->field.name = _tandem_rest_parse_field_name (parser);
      if (item->field.name == NULL)
        return NULL;
      /* alias:field (but "::" is a cast) */
      if (parser->p[0] == ':' && parser->p[1] != ':')
        {
          parser->p++;
          item->alias = g_steal_pointer (&item->field.name);
          item->field.name = _tandem_rest_parse_field_name (parser);
          if (item->field.name == NULL)
            return NULL;
        }
      if (*parser->p == '(' || *parser->p == '!')
        {
          if (g_str_equal (item->field.name, "count") && g_str_has_prefix (parser->p, "()"))
            parser->error = tandem_rest_error_new (400, "PGRST123", NULL, NULL,
                                                   "Use of aggregate functions is not allowed");
          else
            parser->error = tandem_rest_error_new (400, "PGRST200", NULL, NULL,
                                                   "Could not find a relationship between '%s' and '%s' in the schema cache",
                                                   resource ? resource : "", item->field.name);
          return NULL;
        }
      if (!parse_json_path (parser, &item->field.json_path))
        return NULL;
      if (at_aggregate_call (parser))
        {
          parser->error = tandem_rest_error_new (400, "PGRST123", NULL, NULL,
                                                 "Use of aggregate functions is not allowed");
          return NULL;
        }
      if (_tandem_rest_eat (parser, "::"))
        {
          const char *cast_start = parser->p;

          while (_tandem_rest_is_identifier_char (*parser->p))
            parser->p++;
          item->cast = g_strstrip (g_strndup (cast_start, parser->p - cast_start));
          if (item->cast[0] == '\0')
            {
              _tandem_rest_parser_expect_fail (parser, "letter or digit");
              return NULL;
            }
        }
    }

  _tandem_rest_skip_blanks (parser);
  if (*parser->p != ',' && *parser->p != '\0')
    {
      _tandem_rest_parser_expect_fail (parser, item->star ? "\",\" or end of input"
                                             : "letter, digit, \"-\", \"->>\", \"->\", \"::\", \",\" or end of input");
      return NULL;
    }
  return g_ptr_array_steal_index (holder, 0);
}

static GPtrArray *
parse_select_for (const char       *text,
                  const char       *resource,
                  TandemRestError **error)
{
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (select_item_free);
  Parser parser;

  _tandem_rest_parser_init (&parser, "select parameter", text);
  for (;;)
    {
      TandemRestSelectItem *item = parse_select_item (&parser, resource);

      if (item == NULL)
        {
          *error = parser.error;
          return NULL;
        }
      g_ptr_array_add (items, item);
      if (*parser.p == '\0')
        break;
      parser.p++; /* ',' */
    }
  return g_steal_pointer (&items);
}

GPtrArray *
tandem_rest_parse_select (const char       *text,
                          TandemRestError **error)
{
  return parse_select_for (text, NULL, error);
}

GPtrArray *
tandem_rest_parse_select_for (const char       *text,
                              const char       *resource,
                              TandemRestError **error)
{
  return parse_select_for (text, resource, error);
}

/* ---- order -------------------------------------------------------------- */

static void
order_term_free (gpointer data)
{
  TandemRestOrderTerm *term = data;

  _tandem_rest_field_clear (&term->field);
  g_free (term);
}

GPtrArray *
tandem_rest_parse_order (const char       *text,
                         TandemRestError **error)
{
  g_autoptr(GPtrArray) terms = g_ptr_array_new_with_free_func (order_term_free);
  Parser parser;

  _tandem_rest_parser_init (&parser, "order", text);
  for (;;)
    {
      TandemRestOrderTerm *term = g_new0 (TandemRestOrderTerm, 1);

      g_ptr_array_add (terms, term);
      if (!_tandem_rest_parse_field (&parser, &term->field))
        goto fail;
      if (*parser.p == '(')
        {
          parser.error = tandem_rest_error_new (400, "PGRST118", NULL, NULL,
                                                "A related order on '%s' is not possible", term->field.name);
          goto fail;
        }
      if (_tandem_rest_at (&parser, ".asc") || _tandem_rest_at (&parser, ".desc"))
        {
          term->has_direction = TRUE;
          term->descending = _tandem_rest_eat (&parser, ".desc");
          if (!term->descending)
            _tandem_rest_eat (&parser, ".asc");
        }
      if (_tandem_rest_eat (&parser, ".nullsfirst"))
        term->nulls = TANDEM_REST_NULLS_FIRST;
      else if (_tandem_rest_eat (&parser, ".nullslast"))
        term->nulls = TANDEM_REST_NULLS_LAST;
      _tandem_rest_skip_blanks (&parser);
      if (*parser.p == '.')
        {
          parser.p++;
          _tandem_rest_parser_expect_fail (&parser, term->has_direction ? "\"nullsfirst\" or \"nullslast\""
                                                           : "\"asc\", \"desc\", \"nullsfirst\" or \"nullslast\"");
          goto fail;
        }
      if (*parser.p == '\0')
        break;
      if (*parser.p != ',')
        {
          _tandem_rest_parser_expect_fail (&parser, "delimiter (.), \",\" or end of input");
          goto fail;
        }
      parser.p++;
    }
  return g_steal_pointer (&terms);

fail:
  *error = parser.error;
  return NULL;
}

/* ---- column lists --------------------------------------------------------- */

GPtrArray *
tandem_rest_parse_columns (const char       *what,
                           const char       *text,
                           TandemRestError **error)
{
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  Parser parser;

  _tandem_rest_parser_init (&parser, what, text);
  for (;;)
    {
      char *name;

      _tandem_rest_skip_blanks (&parser);
      name = _tandem_rest_parse_field_name (&parser);
      if (name == NULL)
        {
          *error = parser.error;
          return NULL;
        }
      g_ptr_array_add (names, name);
      _tandem_rest_skip_blanks (&parser);
      if (*parser.p == '\0')
        break;
      if (*parser.p != ',')
        {
          _tandem_rest_parser_expect_fail (&parser, "\",\" or end of input");
          *error = parser.error;
          return NULL;
        }
      parser.p++;
    }
  return g_steal_pointer (&names);
}
