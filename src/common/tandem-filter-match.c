/* tandem-filter-match.c: whether a record matches a filter, and whether a
 * filter's values suit its columns' types
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include "tandem-filter-private.h"
#include "tandem-json-private.h"

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

  if (!_tandem_filter_operand_from_node (kind, node, &a) || !_tandem_filter_operand_from_text (kind, value, &b))
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
  kind = type != NULL ? _tandem_filter_type_kind (type) : kind_from_node (node);

  if (pub->op == TANDEM_FILTER_OP_IS)
    {
      if (JSON_NODE_HOLDS_NULL (node))
        result = g_str_equal (pub->value, "null") || g_str_equal (pub->value, "unknown");
      else if (g_str_equal (pub->value, "null") || g_str_equal (pub->value, "unknown"))
        result = FALSE;
      else
        {
          Operand operand;

          if (!_tandem_filter_operand_from_node (KIND_BOOL, node, &operand))
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

  if (_tandem_filter_operand_from_text (_tandem_filter_type_kind (type), value, &operand))
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
          if (!g_str_equal (condition->value, "null") && _tandem_filter_type_kind (type) != KIND_BOOL)
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
