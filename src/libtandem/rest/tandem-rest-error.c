/* tandem-rest-error.c: PostgREST errors as GErrors
 *
 * PostgREST answers a failure with {"code", "message", "details", "hint"}
 * and an HTTP status; the status picks the TandemRestError, the message is
 * the GError's, and the rest travels with the error (an extended GError
 * domain), so callers can tell 23505 from 23503 under one CONFLICT.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <gio/gio.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "tandem-rest-error-private.h"

typedef struct
{
  char  *code;
  char  *details;
  char  *hint;
  guint  status;
} TandemRestErrorPrivate;

static void
tandem_rest_error_private_init (TandemRestErrorPrivate *priv)
{
}

static void
tandem_rest_error_private_copy (const TandemRestErrorPrivate *src,
                                TandemRestErrorPrivate       *dest)
{
  dest->code = g_strdup (src->code);
  dest->details = g_strdup (src->details);
  dest->hint = g_strdup (src->hint);
  dest->status = src->status;
}

static void
tandem_rest_error_private_clear (TandemRestErrorPrivate *priv)
{
  g_clear_pointer (&priv->code, g_free);
  g_clear_pointer (&priv->details, g_free);
  g_clear_pointer (&priv->hint, g_free);
}

G_DEFINE_EXTENDED_ERROR (TandemRestError, tandem_rest_error)

static const TandemRestErrorPrivate *
get_private (const GError *error)
{
  g_return_val_if_fail (error != NULL, NULL);

  if (error->domain != TANDEM_REST_ERROR)
    return NULL;
  return tandem_rest_error_get_private (error);
}

/**
 * tandem_rest_error_get_code:
 * @error: a #GError
 *
 * Returns: (nullable): PostgREST's error code of an error in
 *   %TANDEM_REST_ERROR: a PostgreSQL SQLSTATE such as "23505" or one of
 *   PostgREST's own such as "PGRST116"; %NULL when there is none
 */
const char *
tandem_rest_error_get_code (const GError *error)
{
  const TandemRestErrorPrivate *priv = get_private (error);

  return priv ? priv->code : NULL;
}

/**
 * tandem_rest_error_get_details:
 * @error: a #GError
 *
 * Returns: (nullable): PostgREST's "details" (for a unique violation, the
 *   key that already exists), or %NULL
 */
const char *
tandem_rest_error_get_details (const GError *error)
{
  const TandemRestErrorPrivate *priv = get_private (error);

  return priv ? priv->details : NULL;
}

/**
 * tandem_rest_error_get_hint:
 * @error: a #GError
 *
 * Returns: (nullable): PostgREST's "hint", or %NULL
 */
const char *
tandem_rest_error_get_hint (const GError *error)
{
  const TandemRestErrorPrivate *priv = get_private (error);

  return priv ? priv->hint : NULL;
}

/**
 * tandem_rest_error_get_status:
 * @error: a #GError
 *
 * Returns: the HTTP status of the answer, or 0 when there was none (the
 *   server could not be reached) or @error is of another domain
 */
guint
tandem_rest_error_get_status (const GError *error)
{
  const TandemRestErrorPrivate *priv = get_private (error);

  return priv ? priv->status : 0;
}

GError *
_tandem_rest_error_new (TandemRestError  error_code,
                        guint            status,
                        const char      *code,
                        const char      *details,
                        const char      *hint,
                        const char      *message)
{
  GError *error = g_error_new_literal (TANDEM_REST_ERROR, error_code, message ? message : "");
  TandemRestErrorPrivate *priv = tandem_rest_error_get_private (error);

  priv->status = status;
  priv->code = g_strdup (code);
  priv->details = g_strdup (details);
  priv->hint = g_strdup (hint);
  return error;
}

TandemRestError
_tandem_rest_error_from_status (guint status)
{
  switch (status)
    {
    case 400:
      return TANDEM_REST_ERROR_BAD_REQUEST;
    case 401:
      return TANDEM_REST_ERROR_UNAUTHORIZED;
    case 403:
      return TANDEM_REST_ERROR_FORBIDDEN;
    case 404:
      return TANDEM_REST_ERROR_NOT_FOUND;
    case 406:
      return TANDEM_REST_ERROR_NOT_ACCEPTABLE;
    case 409:
      return TANDEM_REST_ERROR_CONFLICT;
    case 429:
      return TANDEM_REST_ERROR_RATE_LIMITED;
    default:
      return status >= 500 && status <= 599 ? TANDEM_REST_ERROR_SERVER : TANDEM_REST_ERROR_FAILED;
    }
}

/* A string member, or another JSON value written out (details are strings
 * in PostgREST, but a proxy may answer otherwise); NULL for null or absent. */
static char *
dup_member (JsonObject *object,
            const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return NULL;
  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    return g_strdup (json_node_get_string (node));
  return json_to_string (node, FALSE);
}

GError *
_tandem_rest_error_from_response (guint       status,
                                  const char *body,
                                  gsize       length)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *code = NULL, *message = NULL, *details = NULL, *hint = NULL;
  TandemRestError error_code = _tandem_rest_error_from_status (status);
  JsonNode *root = NULL;

  if (body != NULL && length > 0 && json_parser_load_from_data (parser, body, length, NULL))
    root = json_parser_get_root (parser);

  if (root != NULL && JSON_NODE_HOLDS_OBJECT (root))
    {
      JsonObject *object = json_node_get_object (root);

      code = dup_member (object, "code");
      message = dup_member (object, "message");
      details = dup_member (object, "details");
      hint = dup_member (object, "hint");
    }
  else if (body != NULL && length > 0)
    message = g_utf8_make_valid (body, length);

  if (message == NULL || *message == '\0')
    {
      g_free (message);
      message = g_strdup_printf ("The server answered %u %s", status, soup_status_get_phrase (status));
    }
  return _tandem_rest_error_new (error_code, status, code, details, hint, message);
}

GError *
_tandem_rest_error_from_transport (GError *error)
{
  g_autoptr(GError) owned = error;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return g_steal_pointer (&owned);
  return _tandem_rest_error_new (TANDEM_REST_ERROR_NETWORK, 0, NULL, NULL, NULL, error->message);
}
