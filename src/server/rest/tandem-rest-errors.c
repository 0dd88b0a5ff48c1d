/* tandem-rest-errors.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tandem-rest"

#include "config.h"

#include <string.h>
#include <json-glib/json-glib.h>

#include "tandem-pg-conn.h"
#include "tandem-rest-errors.h"

TandemRestError *
tandem_rest_error_new (guint       status,
                       const char *code,
                       const char *details,
                       const char *hint,
                       const char *format,
                       ...)
{
  TandemRestError *error = g_new0 (TandemRestError, 1);
  va_list args;

  va_start (args, format);
  error->message = g_strdup_vprintf (format, args);
  va_end (args);
  error->status = status;
  error->code = g_strdup (code);
  error->details = g_strdup (details);
  error->hint = g_strdup (hint);
  return error;
}

void
tandem_rest_error_free (TandemRestError *error)
{
  if (error == NULL)
    return;
  g_free (error->code);
  g_free (error->message);
  g_free (error->details);
  g_free (error->hint);
  g_free (error->www_authenticate);
  g_free (error);
}

TandemRestError *
tandem_rest_error_new_parse (const char *what,
                             const char *text,
                             gsize       column,
                             const char *details)
{
  /* PostgREST reports its parser's position the way Parsec prints it. */
  return tandem_rest_error_new (400, "PGRST100", details, NULL,
                                "\"failed to parse %s (%s)\" (line 1, column %" G_GSIZE_FORMAT ")",
                                what, text, column);
}

static gboolean
has_prefix (const char *sqlstate,
            const char *prefix)
{
  return g_str_has_prefix (sqlstate, prefix);
}

guint
tandem_rest_status_for_sqlstate (const char *sqlstate,
                                 const char *message,
                                 gboolean    authenticated)
{
  if (sqlstate == NULL || strlen (sqlstate) != 5)
    return 500;
  if (message == NULL)
    message = "";

  /* Exact codes first, then classes, as PostgREST's table reads. */
  if (g_str_equal (sqlstate, "23503") || g_str_equal (sqlstate, "23505"))
    return 409;
  if (g_str_equal (sqlstate, "25006"))
    return 405;
  if (g_str_equal (sqlstate, "21000"))
    return g_str_has_suffix (message, "requires a WHERE clause") ? 400 : 500;
  if (g_str_equal (sqlstate, "22023"))
    return g_str_has_prefix (message, "role") && g_str_has_suffix (message, "does not exist") ? 401 : 400;
  if (g_str_equal (sqlstate, "53400"))
    return 500;
  if (g_str_equal (sqlstate, "57P01"))
    return 503;
  if (g_str_equal (sqlstate, "P0001"))
    return 400;
  if (g_str_equal (sqlstate, "42883"))
    return g_str_has_prefix (message, "function xmlagg(") ? 406 : 404;
  if (g_str_equal (sqlstate, "42P01"))
    return 404;
  if (g_str_equal (sqlstate, "42P17"))
    return 500;
  if (g_str_equal (sqlstate, "42501"))
    return authenticated ? 403 : 401;

  if (has_prefix (sqlstate, "08") || has_prefix (sqlstate, "53"))
    return 503;
  if (has_prefix (sqlstate, "0L") || has_prefix (sqlstate, "0P") || has_prefix (sqlstate, "28"))
    return 403;
  if (has_prefix (sqlstate, "09") || has_prefix (sqlstate, "25") || has_prefix (sqlstate, "2D") ||
      has_prefix (sqlstate, "38") || has_prefix (sqlstate, "39") || has_prefix (sqlstate, "3B") ||
      has_prefix (sqlstate, "40") || has_prefix (sqlstate, "54") || has_prefix (sqlstate, "55") ||
      has_prefix (sqlstate, "57") || has_prefix (sqlstate, "58") || has_prefix (sqlstate, "F0") ||
      has_prefix (sqlstate, "HV") || has_prefix (sqlstate, "P0") || has_prefix (sqlstate, "XX"))
    return 500;
  if (has_prefix (sqlstate, "PT"))
    {
      /* RAISE SQLSTATE 'PTxyz' picks the status xyz. */
      guint64 status;

      if (g_ascii_string_to_unsigned (sqlstate + 2, 10, 100, 599, &status, NULL))
        return (guint) status;
      return 500;
    }
  return 400;
}

TandemRestError *
tandem_rest_error_new_from_gerror (const GError *error,
                                   gboolean      authenticated)
{
  TandemRestError *rest;

  if (g_error_matches (error, TANDEM_PG_ERROR, TANDEM_PG_ERROR_SQL) &&
      tandem_pg_error_get_sqlstate (error) != NULL)
    {
      const char *sqlstate = tandem_pg_error_get_sqlstate (error);
      guint status = tandem_rest_status_for_sqlstate (sqlstate, error->message, authenticated);

      rest = tandem_rest_error_new (status, sqlstate,
                                    tandem_pg_error_get_detail (error),
                                    tandem_pg_error_get_hint (error),
                                    "%s", error->message);
      if (status == 401)
        rest->www_authenticate = g_strdup ("Bearer");
      return rest;
    }

  if (g_error_matches (error, TANDEM_PG_ERROR, TANDEM_PG_ERROR_CONNECTION) ||
      g_error_matches (error, TANDEM_PG_ERROR, TANDEM_PG_ERROR_CLOSED))
    return tandem_rest_error_new (503, "PGRST000", error->message, NULL,
                                  "Database connection error. Retrying the connection.");

  return tandem_rest_error_new (500, "PGRSTX00", error->message, NULL,
                                "Database client error");
}

static void
add_nullable_string (JsonBuilder *builder,
                     const char  *name,
                     const char  *value)
{
  json_builder_set_member_name (builder, name);
  if (value != NULL)
    json_builder_add_string_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

char *
tandem_rest_error_to_json (const TandemRestError *error)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (builder);
  add_nullable_string (builder, "code", error->code);
  add_nullable_string (builder, "details", error->details);
  add_nullable_string (builder, "hint", error->hint);
  add_nullable_string (builder, "message", error->message);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  return json_to_string (root, FALSE);
}
