/* tandem-pg-conn-error.c: TANDEM_PG_ERROR, the errors of TandemPgConn
 *
 * An extended GError domain: an error the server reported (TANDEM_PG_ERROR_SQL)
 * keeps its SQLSTATE, detail and hint for callers that map them further.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "tandem-pg-conn-private.h"

typedef struct
{
  char *sqlstate;
  char *detail;
  char *hint;
} TandemPgErrorPrivate;

static void
tandem_pg_error_private_init (TandemPgErrorPrivate *priv)
{
  priv->sqlstate = NULL;
  priv->detail = NULL;
  priv->hint = NULL;
}

static void
tandem_pg_error_private_copy (const TandemPgErrorPrivate *src,
                              TandemPgErrorPrivate       *dest)
{
  dest->sqlstate = g_strdup (src->sqlstate);
  dest->detail = g_strdup (src->detail);
  dest->hint = g_strdup (src->hint);
}

static void
tandem_pg_error_private_clear (TandemPgErrorPrivate *priv)
{
  g_clear_pointer (&priv->sqlstate, g_free);
  g_clear_pointer (&priv->detail, g_free);
  g_clear_pointer (&priv->hint, g_free);
}

G_DEFINE_EXTENDED_ERROR (TandemPgError, tandem_pg_error)

static TandemPgErrorPrivate *
get_sql_private (const GError *error)
{
  if (error == NULL || error->domain != TANDEM_PG_ERROR || error->code != TANDEM_PG_ERROR_SQL)
    return NULL;
  return tandem_pg_error_get_private (error);
}

const char *
tandem_pg_error_get_sqlstate (const GError *error)
{
  TandemPgErrorPrivate *priv = get_sql_private (error);

  return priv != NULL ? priv->sqlstate : NULL;
}

const char *
tandem_pg_error_get_detail (const GError *error)
{
  TandemPgErrorPrivate *priv = get_sql_private (error);

  return priv != NULL ? priv->detail : NULL;
}

const char *
tandem_pg_error_get_hint (const GError *error)
{
  TandemPgErrorPrivate *priv = get_sql_private (error);

  return priv != NULL ? priv->hint : NULL;
}

static char *
dup_trimmed (const char *text)
{
  char *copy;

  if (text == NULL || text[0] == '\0')
    return NULL;
  copy = g_strdup (text);
  return g_strchomp (copy);
}

GError *
tandem_pg_error_new_from_result (const PGresult *result)
{
  TandemPgErrorPrivate *priv;
  g_autofree char *message = NULL;
  GError *error;

  g_return_val_if_fail (result != NULL, NULL);

  message = dup_trimmed (PQresultErrorField (result, PG_DIAG_MESSAGE_PRIMARY));
  if (message == NULL)
    message = dup_trimmed (PQresultErrorMessage (result));
  if (message == NULL)
    message = g_strdup_printf ("unexpected result %s",
                               PQresStatus (PQresultStatus (result)));

  error = g_error_new_literal (TANDEM_PG_ERROR, TANDEM_PG_ERROR_SQL, message);
  priv = tandem_pg_error_get_private (error);
  priv->sqlstate = g_strdup (PQresultErrorField (result, PG_DIAG_SQLSTATE));
  priv->detail = g_strdup (PQresultErrorField (result, PG_DIAG_MESSAGE_DETAIL));
  priv->hint = g_strdup (PQresultErrorField (result, PG_DIAG_MESSAGE_HINT));

  return error;
}

/* A TANDEM_PG_ERROR_CONNECTION error with libpq's message for @conn, or
 * @fallback when it has none. */
GError *
_tandem_pg_error_new_connection (PGconn     *conn,
                                 const char *fallback)
{
  g_autofree char *message = conn != NULL ? dup_trimmed (PQerrorMessage (conn)) : NULL;

  return g_error_new_literal (TANDEM_PG_ERROR, TANDEM_PG_ERROR_CONNECTION,
                              message != NULL ? message : fallback);
}
