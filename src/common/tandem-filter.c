/* tandem-filter.c: the postgres_changes filter grammar: parsing and printing
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "tandem-filter-private.h"

#define MAX_IN_VALUES 100

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
