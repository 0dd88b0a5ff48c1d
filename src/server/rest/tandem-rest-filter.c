/* tandem-rest-filter.c: PostgREST's filters and logic trees
 *
 * <column>[->json path]=[not.]<op>.<value>, in.(…) with quoted elements,
 * is.<null|true|false|unknown>, the fts family with a language, the
 * (any)/(all) quantifiers, and or=(…)/and=(…) trees nested to any depth
 * (bounded), as PostgREST's parser reads them.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tandem-rest"

#include "config.h"

#include <string.h>

#include "tandem-rest-private.h"

void
tandem_rest_filter_free (TandemRestFilter *filter)
{
  if (filter == NULL)
    return;
  _tandem_rest_field_clear (&filter->field);
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
      char *quoted = _tandem_rest_parse_quoted (parser);

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

  _tandem_rest_skip_blanks (parser);
  if (!_tandem_rest_eat (parser, "("))
    {
      _tandem_rest_parser_expect_fail (parser, "\"(\"");
      return NULL;
    }
  _tandem_rest_skip_blanks (parser);
  for (;;)
    {
      const char *start = parser->p;
      char *element = NULL;

      if (*parser->p == '"')
        {
          element = _tandem_rest_parse_quoted (parser);
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
  if (!_tandem_rest_eat (parser, ")"))
    {
      _tandem_rest_parser_expect_fail (parser, "\",\" or \")\"");
      return NULL;
    }
  _tandem_rest_skip_blanks (parser);
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

  if (_tandem_rest_eat (parser, "not."))
    filter->negate = TRUE;

  if (_tandem_rest_eat (parser, "in."))
    {
      filter->op = TANDEM_REST_OP_IN;
      filter->list = parse_list (parser);
      return filter->list != NULL;
    }

  if (_tandem_rest_eat (parser, "is."))
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
        return _tandem_rest_parser_expect_fail (parser, "null or trilean value (unknown, true, false)");
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
      if (_tandem_rest_eat (parser, "("))
        {
          const char *lang = parser->p;

          while (_tandem_rest_is_identifier_char (*parser->p))
            parser->p++;
          filter->language = g_strstrip (g_strndup (lang, parser->p - lang));
          if (filter->language[0] == '\0')
            return _tandem_rest_parser_expect_fail (parser, "letter or digit");
          if (!_tandem_rest_eat (parser, ")"))
            return _tandem_rest_parser_expect_fail (parser, "\")\"");
        }
      if (!_tandem_rest_eat (parser, "."))
        return _tandem_rest_parser_expect_fail (parser, "delimiter (.)");
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
      if (operators[i].quantifiable && _tandem_rest_eat (parser, "(any)"))
        filter->quant = TANDEM_REST_QUANT_ANY;
      else if (operators[i].quantifiable && _tandem_rest_eat (parser, "(all)"))
        filter->quant = TANDEM_REST_QUANT_ALL;
      break;
    }
  if (!found)
    {
      g_autofree char *name = g_strndup (op_start, op_len);

      if (op_start[op_len] == '\0')
        {
          parser->p = op_start + op_len;
          return _tandem_rest_parser_expect_fail (parser, "delimiter (.)");
        }
      return _tandem_rest_parser_fail (parser, "unknown single value operator %s", name);
    }
  if (!_tandem_rest_eat (parser, "."))
    return _tandem_rest_parser_expect_fail (parser, "delimiter (.)");
  filter->value = parse_value (parser, mode);
  return TRUE;
}

static gboolean
parse_key_field (Parser          *parser,
                 TandemRestField *field)
{
  if (!_tandem_rest_parse_field (parser, field))
    return FALSE;
  if (*parser->p != '\0')
    return _tandem_rest_parser_expect_fail (parser, "letter, digit, \"-\", \"->>\", \"->\" or end of input");
  return TRUE;
}

TandemRestFilter *
tandem_rest_parse_filter (const char       *key,
                          const char       *value,
                          TandemRestError **error)
{
  g_autoptr(TandemRestFilter) filter = g_new0 (TandemRestFilter, 1);
  Parser parser;

  _tandem_rest_parser_init (&parser, "tree path", key);
  if (!parse_key_field (&parser, &filter->field))
    {
      *error = parser.error;
      return NULL;
    }

  _tandem_rest_parser_init (&parser, "filter", value);
  if (!parse_op_expr (&parser, filter, VALUE_REST))
    {
      *error = parser.error;
      return NULL;
    }
  if (*parser.p != '\0')
    {
      g_autofree char *unexpected = _tandem_rest_parser_unexpected (&parser);

      _tandem_rest_parser_fail (&parser, "%s expecting end of input", unexpected);
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
  return _tandem_rest_at (parser, "and(") || _tandem_rest_at (parser, "or(") || _tandem_rest_at (parser, "not.and(") || _tandem_rest_at (parser, "not.or(");
}

static TandemRestLogic *
parse_logic_expr (Parser *parser,
                  guint   depth)
{
  g_autoptr(TandemRestLogic) logic = g_new0 (TandemRestLogic, 1);

  /* A bound on nesting keeps a hostile query from exhausting the stack. */
  if (depth > 32)
    {
      _tandem_rest_parser_fail (parser, "logic trees may not nest deeper than 32 levels");
      return NULL;
    }

  logic->negate = _tandem_rest_eat (parser, "not.");
  if (_tandem_rest_eat (parser, "and"))
    logic->is_or = FALSE;
  else if (_tandem_rest_eat (parser, "or"))
    logic->is_or = TRUE;
  else
    {
      _tandem_rest_parser_expect_fail (parser, "logic operator (and, or)");
      return NULL;
    }
  _tandem_rest_skip_blanks (parser);
  if (!_tandem_rest_eat (parser, "("))
    {
      _tandem_rest_parser_expect_fail (parser, "\"(\"");
      return NULL;
    }
  logic->children = g_ptr_array_new_with_free_func ((GDestroyNotify) tandem_rest_logic_free);
  for (;;)
    {
      TandemRestLogic *child;

      _tandem_rest_skip_blanks (parser);
      child = parse_logic_tree (parser, depth + 1);
      if (child == NULL)
        return NULL;
      g_ptr_array_add (logic->children, child);
      _tandem_rest_skip_blanks (parser);
      if (_tandem_rest_eat (parser, ","))
        continue;
      if (_tandem_rest_eat (parser, ")"))
        break;
      _tandem_rest_parser_expect_fail (parser, "\",\" or \")\"");
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
  if (!_tandem_rest_parse_field (parser, &filter->field))
    return NULL;
  if (!_tandem_rest_eat (parser, "."))
    {
      if (*parser->p == ')' || *parser->p == ',' || *parser->p == '\0')
        _tandem_rest_parser_expect_fail (parser, "field name (* or [a..z0..9_$]), negation operator (not) or logic operator (and, or)");
      else
        _tandem_rest_parser_expect_fail (parser, "delimiter (.)");
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

  _tandem_rest_parser_init (&parser, "logic tree", text);
  logic = parse_logic_expr (&parser, 0);
  if (logic != NULL && *parser.p != '\0')
    {
      g_autofree char *unexpected = _tandem_rest_parser_unexpected (&parser);

      _tandem_rest_parser_fail (&parser, "%s expecting end of input", unexpected);
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
