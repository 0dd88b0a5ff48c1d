/* tandem-rest-errors.h: PostgREST's error responses
 *
 * Every failure of the REST API is answered with PostgREST's JSON shape
 * {"code", "details", "hint", "message"} and its HTTP status: the SQLSTATE
 * mapping of PostgREST's error table for database errors, and PostgREST's
 * own PGRSTxxx codes for errors found before or around the query.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct
{
  guint  status;            /* HTTP status */
  char  *code;              /* SQLSTATE or PGRSTxxx */
  char  *message;
  char  *details;           /* nullable */
  char  *hint;              /* nullable */
  char  *www_authenticate;  /* nullable: the WWW-Authenticate header of a 401 */
} TandemRestError;

TandemRestError *tandem_rest_error_new              (guint                  status,
                                                     const char            *code,
                                                     const char            *details,
                                                     const char            *hint,
                                                     const char            *format,
                                                     ...) G_GNUC_PRINTF (5, 6);
void             tandem_rest_error_free             (TandemRestError       *error);

/* 400 PGRST100, the query-string parse error: @what names the parameter
 * ("filter", "order", "select parameter", …), @text is its value, @column
 * the 1-based position of the problem and @details what was wrong. */
TandemRestError *tandem_rest_error_new_parse        (const char            *what,
                                                     const char            *text,
                                                     gsize                  column,
                                                     const char            *details);

/* The HTTP status PostgREST gives a database error. @authenticated: the
 * request carried a token for a role other than anon (42501 is then 403,
 * else 401). */
guint            tandem_rest_status_for_sqlstate    (const char            *sqlstate,
                                                     const char            *message,
                                                     gboolean               authenticated);

/* A database error (TANDEM_PG_ERROR_SQL, with SQLSTATE, detail and hint),
 * a lost connection (503 PGRST000) or anything else (500). */
TandemRestError *tandem_rest_error_new_from_gerror  (const GError          *error,
                                                     gboolean               authenticated);

/* The JSON body: {"code":…,"details":…,"hint":…,"message":…}. */
char            *tandem_rest_error_to_json          (const TandemRestError *error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TandemRestError, tandem_rest_error_free)

G_END_DECLS
