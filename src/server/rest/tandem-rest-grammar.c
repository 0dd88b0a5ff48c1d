/* tandem-rest-grammar.c: PostgREST's query-string grammar
 *
 * select, filters (operators, not., in.(…), quoted values, JSON paths),
 * logic trees, order and column lists, parsed by hand as PostgREST's
 * parser reads them; errors carry PostgREST's "failed to parse …" message
 * with the position of the problem.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tandem-rest"

#include "config.h"

#include <string.h>

#include "tandem-rest-private.h"

typedef struct
{
  const char       *text;   /* the whole parameter value */
  const char       *p;      /* the cursor */
  const char       *what;   /* "filter", "order", … for the message */
  TandemRestError  *error;  /* the first failure */
} Parser;

static void
parser_init (Parser     *parser,
             const char *what,
             const char *text)
{
  parser->text = text;
  parser->p = text;
  parser->what = what;
  parser->error = NULL;
}

static gboolean G_GNUC_PRINTF (2, 3)
parser_fail (Parser     *parser,
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
static char *
parser_unexpected (Parser *parser)
{
  if (*parser->p == '\0')
    return g_strdup ("unexpected end of input");
  return g_strdup_printf ("unexpected \"%.*s\"",
                          (int) (g_utf8_next_char (parser->p) - parser->p), parser->p);
}

static gboolean
parser_expect_fail (Parser     *parser,
                    const char *expected)
{
  g_autofree char *unexpected = parser_unexpected (parser);

  return parser_fail (parser, "%s expecting %s", unexpected, expected);
}

static void
skip_blanks (Parser *parser)
{
  while (*parser->p == ' ' || *parser->p == '\t')
    parser->p++;
}

static gboolean
at (Parser     *parser,
    const char *literal)
{
  return g_str_has_prefix (parser->p, literal);
}

static gboolean
eat (Parser     *parser,
     const char *literal)
{
  if (!at (parser, literal))
    return FALSE;
  parser->p += strlen (literal);
  return TRUE;
}

/* Letters (any non-ASCII byte counts: names may be in any script), digits,
 * '_', '$' and spaces, as PostgREST's identifiers. */
static gboolean
is_identifier_char (char c)
{
  return g_ascii_isalnum (c) || c == '_' || c == '$' || c == ' ' || (guchar) c >= 0x80;
}

/* "…" with backslash escapes. */
static char *
parse_quoted (Parser *parser)
{
  GString *value = g_string_new (NULL);

  parser->p++; /* the opening quote */
  while (*parser->p != '"')
    {
      if (*parser->p == '\0')
        {
          parser_expect_fail (parser, "\"\\\"\"");
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
static char *
parse_field_name (Parser *parser)
{
  GString *name;

  if (*parser->p == '"')
    return parse_quoted (parser);

  name = g_string_new (NULL);
  for (;;)
    {
      const char *start = parser->p;
      g_autofree char *part = NULL;

      while (is_identifier_char (*parser->p))
        parser->p++;
      if (parser->p == start)
        {
          parser_expect_fail (parser, "field name (* or [a..z0..9_$])");
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

  while (at (parser, "->"))
    {
      TandemRestJsonStep *step = g_new0 (TandemRestJsonStep, 1);
      const char *digits;
      const char *p;

      if (eat (parser, "->>"))
        step->as_text = TRUE;
      else
        eat (parser, "->");
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
          parser_expect_fail (parser, "digit");
          g_ptr_array_unref (path);
          return FALSE;
        }
      step->key = parse_field_name (parser);
      if (step->key == NULL)
        {
          g_ptr_array_unref (path);
          return FALSE;
        }
    }
  *path_out = path;
  return TRUE;
}

static gboolean
parse_field (Parser          *parser,
             TandemRestField *field)
{
  skip_blanks (parser);
  field->name = parse_field_name (parser);
  if (field->name == NULL)
    return FALSE;
  if (!parse_json_path (parser, &field->json_path))
    return FALSE;
  skip_blanks (parser);
  return TRUE;
}

static void
field_clear (TandemRestField *field)
{
  g_clear_pointer (&field->name, g_free);
  g_clear_pointer (&field->json_path, g_ptr_array_unref);
}

/* ---- select ---------------------------------------------------------- */

static void
select_item_free (gpointer data)
{
  TandemRestSelectItem *item = data;

  field_clear (&item->field);
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
  skip_blanks (parser);

  if (eat (parser, "*"))
    {
      item->star = TRUE;
    }
  else
    {
      if (at (parser, ".."))
        {
          parser->error = tandem_rest_error_new (400, "PGRST200", NULL, NULL,
                                                 "Could not find a relationship between '%s' and '%s' in the schema cache",
                                                 resource ? resource : "", parser->p + 2);
          return NULL;
        }

      item->field.name = parse_field_name (parser);
      if (item->field.name == NULL)
        return NULL;
      /* alias:field (but "::" is a cast) */
      if (parser->p[0] == ':' && parser->p[1] != ':')
        {
          parser->p++;
          item->alias = g_steal_pointer (&item->field.name);
          item->field.name = parse_field_name (parser);
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
      if (eat (parser, "::"))
        {
          const char *cast_start = parser->p;

          while (is_identifier_char (*parser->p))
            parser->p++;
          item->cast = g_strstrip (g_strndup (cast_start, parser->p - cast_start));
          if (item->cast[0] == '\0')
            {
              parser_expect_fail (parser, "letter or digit");
              return NULL;
            }
        }
    }

  skip_blanks (parser);
  if (*parser->p != ',' && *parser->p != '\0')
    {
      parser_expect_fail (parser, item->star ? "\",\" or end of input"
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

  parser_init (&parser, "select parameter", text);
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

/* ---- filters ---------------------------------------------------------- */

void
tandem_rest_filter_free (TandemRestFilter *filter)
{
  if (filter == NULL)
    return;
  field_clear (&filter->field);
  g_free (filter->value);
  g_free (filter->language);
  g_clear_pointer (&filter->list, g_ptr_array_unref);
  g_free (filter);
}

static const struct
{
  const char   *name;
  TandemRestOp  op;
  gboolean      quantifiable;
} operators[] = {
  { "eq", TANDEM_REST_OP_EQ, TRUE },
  { "neq", TANDEM_REST_OP_NEQ, FALSE },
  { "gt", TANDEM_REST_OP_GT, TRUE },
  { "gte", TANDEM_REST_OP_GTE, TRUE },
  { "lt", TANDEM_REST_OP_LT, TRUE },
  { "lte", TANDEM_REST_OP_LTE, TRUE },
  { "like", TANDEM_REST_OP_LIKE, TRUE },
  { "ilike", TANDEM_REST_OP_ILIKE, TRUE },
  { "match", TANDEM_REST_OP_MATCH, TRUE },
  { "imatch", TANDEM_REST_OP_IMATCH, TRUE },
  { "cs", TANDEM_REST_OP_CS, FALSE },
  { "cd", TANDEM_REST_OP_CD, FALSE },
  { "ov", TANDEM_REST_OP_OV, FALSE },
  { "sl", TANDEM_REST_OP_SL, FALSE },
  { "sr", TANDEM_REST_OP_SR, FALSE },
  { "nxr", TANDEM_REST_OP_NXR, FALSE },
  { "nxl", TANDEM_REST_OP_NXL, FALSE },
  { "adj", TANDEM_REST_OP_ADJ, FALSE },
  { "isdistinct", TANDEM_REST_OP_ISDISTINCT, FALSE },
};

static const struct
{
  const char   *name;
  TandemRestOp  op;
} fts_operators[] = {
  { "fts", TANDEM_REST_OP_FTS },
  { "plfts", TANDEM_REST_OP_PLFTS },
  { "phfts", TANDEM_REST_OP_PHFTS },
  { "wfts", TANDEM_REST_OP_WFTS },
};

gboolean
tandem_rest_is_operator_name (const char *name,
                              gsize       len)
{
  if (len > 5 && (strncmp (name + len - 5, "(any)", 5) == 0 || strncmp (name + len - 5, "(all)", 5) == 0))
    len -= 5;
  for (guint i = 0; i < G_N_ELEMENTS (operators); i++)
    if (strlen (operators[i].name) == len && strncmp (operators[i].name, name, len) == 0)
      return TRUE;
  for (guint i = 0; i < G_N_ELEMENTS (fts_operators); i++)
    if (strlen (fts_operators[i].name) == len && strncmp (fts_operators[i].name, name, len) == 0)
      return TRUE;
  return FALSE;
}

/* Where a value ends: the end of the text, or (in a logic tree) ',' or ')'. */
typedef enum
{
  VALUE_REST,    /* everything that is left */
  VALUE_LOGIC,   /* quoted, {…}, or up to ',' / ')' */
} ValueMode;

static char *
parse_value (Parser    *parser,
             ValueMode  mode)
{
  const char *start = parser->p;

  if (mode == VALUE_REST)
    {
      parser->p += strlen (parser->p);
      return g_strdup (start);
    }

  if (*parser->p == '"')
    {
      const char *save = parser->p;
      char *quoted = parse_quoted (parser);

      if (quoted != NULL && (*parser->p == ',' || *parser->p == ')' || *parser->p == '\0'))
        return quoted;
      g_free (quoted);
      g_clear_pointer (&parser->error, tandem_rest_error_free);
      parser->p = save;
    }
  if (*parser->p == '{')
    {
      /* A PostgreSQL array literal without nested braces: {a,b,"c,d"}. */
      const char *close = parser->p + 1 + strcspn (parser->p + 1, "{}");

      if (*close == '}')
        {
          parser->p = close + 1;
          return g_strndup (start, parser->p - start);
        }
    }
  while (*parser->p != '\0' && *parser->p != ',' && *parser->p != ')')
    parser->p++;
  return g_strndup (start, parser->p - start);
}

/* in.( element, "quoted, element", … ) */
static GPtrArray *
parse_list (Parser *parser)
{
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func (g_free);

  skip_blanks (parser);
  if (!eat (parser, "("))
    {
      parser_expect_fail (parser, "\"(\"");
      return NULL;
    }
  skip_blanks (parser);
  for (;;)
    {
      const char *start = parser->p;
      char *element = NULL;

      if (*parser->p == '"')
        {
          element = parse_quoted (parser);
          if (element != NULL && *parser->p != ',' && *parser->p != ')')
            {
              g_clear_pointer (&element, g_free);
              g_clear_pointer (&parser->error, tandem_rest_error_free);
              parser->p = start;
            }
          else if (element == NULL)
            {
              g_clear_pointer (&parser->error, tandem_rest_error_free);
              parser->p = start;
            }
        }
      if (element == NULL)
        {
          while (*parser->p != '\0' && *parser->p != ',' && *parser->p != ')')
            parser->p++;
          element = g_strndup (start, parser->p - start);
        }
      g_ptr_array_add (list, element);
      if (*parser->p == ',')
        {
          parser->p++;
          continue;
        }
      break;
    }
  if (!eat (parser, ")"))
    {
      parser_expect_fail (parser, "\",\" or \")\"");
      return NULL;
    }
  skip_blanks (parser);
  return g_steal_pointer (&list);
}

static gboolean
eat_ci (Parser     *parser,
        const char *word)
{
  gsize len = strlen (word);

  if (g_ascii_strncasecmp (parser->p, word, len) != 0)
    return FALSE;
  parser->p += len;
  return TRUE;
}

/* [not.]<operation>: in.(…), is.<value>, <fts>[(<lang>)].<value>,
 * <op>[(any|all)].<value>. */
static gboolean
parse_op_expr (Parser           *parser,
               TandemRestFilter *filter,
               ValueMode         mode)
{
  const char *op_start;
  gsize op_len;
  gboolean found = FALSE;

  if (eat (parser, "not."))
    filter->negate = TRUE;

  if (eat (parser, "in."))
    {
      filter->op = TANDEM_REST_OP_IN;
      filter->list = parse_list (parser);
      return filter->list != NULL;
    }

  if (eat (parser, "is."))
    {
      filter->op = TANDEM_REST_OP_IS;
      if (eat_ci (parser, "null"))
        filter->is_value = TANDEM_REST_IS_NULL;
      else if (eat_ci (parser, "not_null"))
        filter->is_value = TANDEM_REST_IS_NOT_NULL;
      else if (eat_ci (parser, "unknown"))
        filter->is_value = TANDEM_REST_IS_UNKNOWN;
      else if (eat_ci (parser, "true"))
        filter->is_value = TANDEM_REST_IS_TRUE;
      else if (eat_ci (parser, "false"))
        filter->is_value = TANDEM_REST_IS_FALSE;
      else
        return parser_expect_fail (parser, "null or trilean value (unknown, true, false)");
      return TRUE;
    }

  /* The operator's name runs up to '.' (or '(' for a quantifier or an fts
   * language). */
  op_start = parser->p;
  op_len = strcspn (op_start, ".(");

  for (guint i = 0; i < G_N_ELEMENTS (fts_operators); i++)
    {
      if (strlen (fts_operators[i].name) != op_len || strncmp (fts_operators[i].name, op_start, op_len) != 0)
        continue;
      filter->op = fts_operators[i].op;
      parser->p += op_len;
      if (eat (parser, "("))
        {
          const char *lang = parser->p;

          while (is_identifier_char (*parser->p))
            parser->p++;
          filter->language = g_strstrip (g_strndup (lang, parser->p - lang));
          if (filter->language[0] == '\0')
            return parser_expect_fail (parser, "letter or digit");
          if (!eat (parser, ")"))
            return parser_expect_fail (parser, "\")\"");
        }
      if (!eat (parser, "."))
        return parser_expect_fail (parser, "delimiter (.)");
      filter->value = parse_value (parser, mode);
      return TRUE;
    }

  for (guint i = 0; i < G_N_ELEMENTS (operators); i++)
    {
      if (strlen (operators[i].name) != op_len || strncmp (operators[i].name, op_start, op_len) != 0)
        continue;
      filter->op = operators[i].op;
      found = TRUE;
      parser->p += op_len;
      if (operators[i].quantifiable && eat (parser, "(any)"))
        filter->quant = TANDEM_REST_QUANT_ANY;
      else if (operators[i].quantifiable && eat (parser, "(all)"))
        filter->quant = TANDEM_REST_QUANT_ALL;
      break;
    }
  if (!found)
    {
      g_autofree char *name = g_strndup (op_start, op_len);

      if (op_start[op_len] == '\0')
        {
          parser->p = op_start + op_len;
          return parser_expect_fail (parser, "delimiter (.)");
        }
      return parser_fail (parser, "unknown single value operator %s", name);
    }
  if (!eat (parser, "."))
    return parser_expect_fail (parser, "delimiter (.)");
  filter->value = parse_value (parser, mode);
  return TRUE;
}

static gboolean
parse_key_field (Parser          *parser,
                 TandemRestField *field)
{
  if (!parse_field (parser, field))
    return FALSE;
  if (*parser->p != '\0')
    return parser_expect_fail (parser, "letter, digit, \"-\", \"->>\", \"->\" or end of input");
  return TRUE;
}

TandemRestFilter *
tandem_rest_parse_filter (const char       *key,
                          const char       *value,
                          TandemRestError **error)
{
  g_autoptr(TandemRestFilter) filter = g_new0 (TandemRestFilter, 1);
  Parser parser;

  parser_init (&parser, "tree path", key);
  if (!parse_key_field (&parser, &filter->field))
    {
      *error = parser.error;
      return NULL;
    }

  parser_init (&parser, "filter", value);
  if (!parse_op_expr (&parser, filter, VALUE_REST))
    {
      *error = parser.error;
      return NULL;
    }
  if (*parser.p != '\0')
    {
      g_autofree char *unexpected = parser_unexpected (&parser);

      parser_fail (&parser, "%s expecting end of input", unexpected);
      *error = parser.error;
      return NULL;
    }
  return g_steal_pointer (&filter);
}

/* ---- logic trees ------------------------------------------------------ */

void
tandem_rest_logic_free (TandemRestLogic *logic)
{
  if (logic == NULL)
    return;
  tandem_rest_filter_free (logic->filter);
  g_clear_pointer (&logic->children, g_ptr_array_unref);
  g_free (logic);
}

static TandemRestLogic *parse_logic_tree (Parser *parser, guint depth);

static gboolean
at_logic_expr (Parser *parser)
{
  return at (parser, "and(") || at (parser, "or(") || at (parser, "not.and(") || at (parser, "not.or(");
}

static TandemRestLogic *
parse_logic_expr (Parser *parser,
                  guint   depth)
{
  g_autoptr(TandemRestLogic) logic = g_new0 (TandemRestLogic, 1);

  /* A bound on nesting keeps a hostile query from exhausting the stack. */
  if (depth > 32)
    {
      parser_fail (parser, "logic trees may not nest deeper than 32 levels");
      return NULL;
    }

  logic->negate = eat (parser, "not.");
  if (eat (parser, "and"))
    logic->is_or = FALSE;
  else if (eat (parser, "or"))
    logic->is_or = TRUE;
  else
    {
      parser_expect_fail (parser, "logic operator (and, or)");
      return NULL;
    }
  skip_blanks (parser);
  if (!eat (parser, "("))
    {
      parser_expect_fail (parser, "\"(\"");
      return NULL;
    }
  logic->children = g_ptr_array_new_with_free_func ((GDestroyNotify) tandem_rest_logic_free);
  for (;;)
    {
      TandemRestLogic *child;

      skip_blanks (parser);
      child = parse_logic_tree (parser, depth + 1);
      if (child == NULL)
        return NULL;
      g_ptr_array_add (logic->children, child);
      skip_blanks (parser);
      if (eat (parser, ","))
        continue;
      if (eat (parser, ")"))
        break;
      parser_expect_fail (parser, "\",\" or \")\"");
      return NULL;
    }
  return g_steal_pointer (&logic);
}

static TandemRestLogic *
parse_logic_tree (Parser *parser,
                  guint   depth)
{
  g_autoptr(TandemRestFilter) filter = NULL;
  TandemRestLogic *logic;

  if (at_logic_expr (parser))
    return parse_logic_expr (parser, depth);

  filter = g_new0 (TandemRestFilter, 1);
  if (!parse_field (parser, &filter->field))
    return NULL;
  if (!eat (parser, "."))
    {
      if (*parser->p == ')' || *parser->p == ',' || *parser->p == '\0')
        parser_expect_fail (parser, "field name (* or [a..z0..9_$]), negation operator (not) or logic operator (and, or)");
      else
        parser_expect_fail (parser, "delimiter (.)");
      return NULL;
    }
  if (!parse_op_expr (parser, filter, VALUE_LOGIC))
    return NULL;
  logic = g_new0 (TandemRestLogic, 1);
  logic->filter = g_steal_pointer (&filter);
  return logic;
}

TandemRestLogic *
tandem_rest_parse_logic (const char       *key,
                         const char       *value,
                         TandemRestError **error)
{
  g_autofree char *text = g_strconcat (g_str_has_prefix (key, "not.") ? "not." : "",
                                       g_str_has_suffix (key, "or") ? "or" : "and",
                                       value, NULL);
  g_autoptr(TandemRestLogic) logic = NULL;
  Parser parser;

  parser_init (&parser, "logic tree", text);
  logic = parse_logic_expr (&parser, 0);
  if (logic != NULL && *parser.p != '\0')
    {
      g_autofree char *unexpected = parser_unexpected (&parser);

      parser_fail (&parser, "%s expecting end of input", unexpected);
      g_clear_pointer (&logic, tandem_rest_logic_free);
    }
  if (logic == NULL)
    {
      /* Report the value as given, not with the operator prepended. */
      TandemRestError *e = parser.error;
      gsize offset = strlen (text) - strlen (value);
      g_autofree char *details = g_strdup (e->details);
      gsize column = 1;

      if (e->message != NULL)
        {
          const char *col = g_strrstr (e->message, "column ");

          if (col != NULL)
            column = g_ascii_strtoull (col + 7, NULL, 10);
        }
      *error = tandem_rest_error_new_parse ("logic tree", value, column > offset ? column - offset : 1, details);
      tandem_rest_error_free (e);
      return NULL;
    }
  return g_steal_pointer (&logic);
}

/* ---- order -------------------------------------------------------------- */

static void
order_term_free (gpointer data)
{
  TandemRestOrderTerm *term = data;

  field_clear (&term->field);
  g_free (term);
}

GPtrArray *
tandem_rest_parse_order (const char       *text,
                         TandemRestError **error)
{
  g_autoptr(GPtrArray) terms = g_ptr_array_new_with_free_func (order_term_free);
  Parser parser;

  parser_init (&parser, "order", text);
  for (;;)
    {
      TandemRestOrderTerm *term = g_new0 (TandemRestOrderTerm, 1);

      g_ptr_array_add (terms, term);
      if (!parse_field (&parser, &term->field))
        goto fail;
      if (*parser.p == '(')
        {
          parser.error = tandem_rest_error_new (400, "PGRST118", NULL, NULL,
                                                "A related order on '%s' is not possible", term->field.name);
          goto fail;
        }
      if (at (&parser, ".asc") || at (&parser, ".desc"))
        {
          term->has_direction = TRUE;
          term->descending = eat (&parser, ".desc");
          if (!term->descending)
            eat (&parser, ".asc");
        }
      if (eat (&parser, ".nullsfirst"))
        term->nulls = TANDEM_REST_NULLS_FIRST;
      else if (eat (&parser, ".nullslast"))
        term->nulls = TANDEM_REST_NULLS_LAST;
      skip_blanks (&parser);
      if (*parser.p == '.')
        {
          parser.p++;
          parser_expect_fail (&parser, term->has_direction ? "\"nullsfirst\" or \"nullslast\""
                                                           : "\"asc\", \"desc\", \"nullsfirst\" or \"nullslast\"");
          goto fail;
        }
      if (*parser.p == '\0')
        break;
      if (*parser.p != ',')
        {
          parser_expect_fail (&parser, "delimiter (.), \",\" or end of input");
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

  parser_init (&parser, what, text);
  for (;;)
    {
      char *name;

      skip_blanks (&parser);
      name = parse_field_name (&parser);
      if (name == NULL)
        {
          *error = parser.error;
          return NULL;
        }
      g_ptr_array_add (names, name);
      skip_blanks (&parser);
      if (*parser.p == '\0')
        break;
      if (*parser.p != ',')
        {
          parser_expect_fail (&parser, "\",\" or end of input");
          *error = parser.error;
          return NULL;
        }
      parser.p++;
    }
  return g_steal_pointer (&names);
}
