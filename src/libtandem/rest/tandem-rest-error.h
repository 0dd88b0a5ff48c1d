/* tandem-rest-error.h: PostgREST errors as GErrors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#if !defined(TANDEM_INSIDE) && !defined(TANDEM_COMPILATION)
# error "Only <tandem.h> can be included directly."
#endif

#include <glib.h>

#include "tandem-types.h"

G_BEGIN_DECLS

/**
 * TANDEM_REST_ERROR:
 *
 * The error domain of REST requests. The message is PostgREST's "message";
 * tandem_rest_error_get_code(), _get_details(), _get_hint() and
 * _get_status() give the rest of its error body.
 */
#define TANDEM_REST_ERROR (tandem_rest_error_quark ())

/**
 * TandemRestError:
 * @TANDEM_REST_ERROR_BAD_REQUEST: 400: a malformed request or a constraint
 *   the data breaks (not null, check)
 * @TANDEM_REST_ERROR_UNAUTHORIZED: 401: no or a bad token, or the anon role
 *   lacks a privilege
 * @TANDEM_REST_ERROR_FORBIDDEN: 403: the role lacks a privilege or a policy
 *   refused
 * @TANDEM_REST_ERROR_NOT_FOUND: 404: no such table, column or function
 * @TANDEM_REST_ERROR_NOT_ACCEPTABLE: 406: a single row was asked for and
 *   there were none or several
 * @TANDEM_REST_ERROR_CONFLICT: 409: a unique or foreign key violation
 * @TANDEM_REST_ERROR_RATE_LIMITED: 429
 * @TANDEM_REST_ERROR_SERVER: 5xx
 * @TANDEM_REST_ERROR_NETWORK: the server could not be reached
 * @TANDEM_REST_ERROR_PROTOCOL: the answer is not what PostgREST sends
 * @TANDEM_REST_ERROR_FAILED: any other status
 *
 * Errors in #TANDEM_REST_ERROR.
 */
typedef enum
{
  TANDEM_REST_ERROR_BAD_REQUEST,
  TANDEM_REST_ERROR_UNAUTHORIZED,
  TANDEM_REST_ERROR_FORBIDDEN,
  TANDEM_REST_ERROR_NOT_FOUND,
  TANDEM_REST_ERROR_NOT_ACCEPTABLE,
  TANDEM_REST_ERROR_CONFLICT,
  TANDEM_REST_ERROR_RATE_LIMITED,
  TANDEM_REST_ERROR_SERVER,
  TANDEM_REST_ERROR_NETWORK,
  TANDEM_REST_ERROR_PROTOCOL,
  TANDEM_REST_ERROR_FAILED,
} TandemRestError;

TANDEM_EXPORT
GQuark      tandem_rest_error_quark       (void) G_GNUC_CONST;
/* PostgREST's "code" (e.g. "PGRST116", "23505"), or NULL. */
TANDEM_EXPORT
const char *tandem_rest_error_get_code    (const GError *error);
TANDEM_EXPORT
const char *tandem_rest_error_get_details (const GError *error);
TANDEM_EXPORT
const char *tandem_rest_error_get_hint    (const GError *error);
/* The HTTP status, or 0 when there was no answer. */
TANDEM_EXPORT
guint       tandem_rest_error_get_status  (const GError *error);

G_END_DECLS
