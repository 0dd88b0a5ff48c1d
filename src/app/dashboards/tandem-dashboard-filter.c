/* tandem-dashboard-filter.c
 *
 * Layouts write filters as PostgREST's query string does (`name=eq.x`);
 * the grammar of postgres_changes filters (src/common/tandem-filter.c) is
 * the same per condition, with conditions joined by commas instead of `&`.
 * So a filter is parsed once with that grammar, after turning top-level
 * `&` into `,`, and both forms are written from the parsed conditions:
 * REST gets each condition as its own parameter, Realtime the canonical
 * text (quoted where a value needs it).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tandem-dashboards"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "tandem-filter.h"

#include "tandem-dashboard-filter.h"
#include "tandem-dashboard-layout.h"

#define MAX_IDENTIFIER 63

/* "a=eq.1&b=gt.2" → "a=eq.1,b=gt.2": only outside quotes and parentheses,
 * where the grammar would not split either. */
static char *
normalize_separators (const char *filter)
{
  g_autoptr(GString) out = g_string_new (NULL);
  gboolean quoted = FALSE;
  int depth = 0;

  for (const char *p = filter; *p != '\0'; p++)
    {
      char c = *p;

      if (quoted && c == '\\' && p[1] != '\0')
        {
          g_string_append_c (out, c);
          g_string_append_c (out, *++p);
          continue;
        }
      if (c == '"')
        quoted = !quoted;
      else if (!quoted && c == '(')
        depth++;
      else if (!quoted && c == ')' && depth > 0)
        depth--;
      else if (!quoted && depth == 0 && c == '&')
        c = ',';
      g_string_append_c (out, c);
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static TandemFilter *
parse (const char  *filter,
       GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree char *text = NULL;
  TandemFilter *parsed;

  if (filter == NULL)
    filter = "";
  if (strlen (filter) > TANDEM_DASHBOARD_MAX_STRING)
    {
      g_set_error (error, TANDEM_DASHBOARD_ERROR, TANDEM_DASHBOARD_ERROR_FILTER,
                   _("The filter is longer than %u characters"), TANDEM_DASHBOARD_MAX_STRING);
      return NULL;
    }
  text = normalize_separators (filter);
  parsed = tandem_filter_parse (text, &local_error);
  if (parsed == NULL)
    {
      g_set_error (error, TANDEM_DASHBOARD_ERROR, TANDEM_DASHBOARD_ERROR_FILTER,
                   /* Translators: the second %s is the parser's (English) reason */
                   _("“%s” is not a filter such as name=eq.page_view: %s"), filter, local_error->message);
      return NULL;
    }
  for (guint i = 0; i < tandem_filter_get_n_conditions (parsed); i++)
    {
      const TandemFilterCondition *condition = tandem_filter_get_condition (parsed, i);

      /* Columns end up in URLs and channel names: plain identifiers only. */
      if (!tandem_dashboard_check_identifier (condition->column, &local_error))
        {
          g_set_error (error, TANDEM_DASHBOARD_ERROR, TANDEM_DASHBOARD_ERROR_FILTER,
                       "%s", local_error->message);
          tandem_filter_free (parsed);
          return NULL;
        }
    }
  return parsed;
}

gboolean
tandem_dashboard_filter_check (const char  *filter,
                               GError     **error)
{
  g_autoptr(TandemFilter) parsed = parse (filter, error);

  return parsed != NULL;
}

char *
tandem_dashboard_filter_to_realtime (const char  *filter,
                                     GError     **error)
{
  g_autoptr(TandemFilter) parsed = parse (filter, error);

  if (parsed == NULL)
    return NULL;
  if (tandem_filter_get_n_conditions (parsed) == 0)
    return g_strdup ("");
  return tandem_filter_to_string (parsed);
}

/* An `in` list as PostgREST reads it: (a,"b,c"). */
static char *
format_list (const char * const *values)
{
  g_autoptr(GString) list = g_string_new ("(");

  for (guint i = 0; values != NULL && values[i] != NULL; i++)
    {
      const char *v = values[i];

      if (i > 0)
        g_string_append_c (list, ',');
      if (*v != '\0' && strpbrk (v, ",()\" \\") == NULL)
        {
          g_string_append (list, v);
          continue;
        }
      g_string_append_c (list, '"');
      for (const char *p = v; *p != '\0'; p++)
        {
          if (*p == '"' || *p == '\\')
            g_string_append_c (list, '\\');
          g_string_append_c (list, *p);
        }
      g_string_append_c (list, '"');
    }
  g_string_append_c (list, ')');
  return g_string_free (g_steal_pointer (&list), FALSE);
}

gboolean
tandem_dashboard_filter_apply (const char   *filter,
                               TandemQuery  *query,
                               GError      **error)
{
  g_autoptr(TandemFilter) parsed = NULL;

  g_return_val_if_fail (TANDEM_IS_QUERY (query), FALSE);

  parsed = parse (filter, error);
  if (parsed == NULL)
    return FALSE;

  for (guint i = 0; i < tandem_filter_get_n_conditions (parsed); i++)
    {
      const TandemFilterCondition *c = tandem_filter_get_condition (parsed, i);
      const char *op = tandem_filter_op_to_string (c->op);
      g_autofree char *list = NULL;
      const char *value = c->value;

      if (c->op == TANDEM_FILTER_OP_IN)
        value = list = format_list ((const char * const *) c->values);

      /* PostgREST takes the value of the other operators verbatim: the
       * quotes the grammar needed around commas are not sent. */
      if (c->negated)
        tandem_query_not (query, c->column, op, value);
      else
        tandem_query_filter (query, c->column, op, value);
    }
  return TRUE;
}

gboolean
tandem_dashboard_check_identifier (const char  *name,
                                   GError     **error)
{
  gsize len = name != NULL ? strlen (name) : 0;

  if (len == 0)
    {
      g_set_error_literal (error, TANDEM_DASHBOARD_ERROR, TANDEM_DASHBOARD_ERROR_INVALID,
                           _("A name is needed"));
      return FALSE;
    }
  if (len > MAX_IDENTIFIER)
    {
      g_set_error (error, TANDEM_DASHBOARD_ERROR, TANDEM_DASHBOARD_ERROR_INVALID,
                   _("A table or column name is at most %u characters long"), MAX_IDENTIFIER);
      return FALSE;
    }
  for (gsize i = 0; i < len; i++)
    {
      char c = name[i];

      if (c == '_' || g_ascii_isalpha (c) || (i > 0 && g_ascii_isdigit (c)))
        continue;
      if (!g_utf8_validate (name, -1, NULL))
        name = "?";
      g_set_error (error, TANDEM_DASHBOARD_ERROR, TANDEM_DASHBOARD_ERROR_INVALID,
                   _("“%s” is not a table or column name (letters, digits and _ only)"), name);
      return FALSE;
    }
  return TRUE;
}
