/* tandem-rest-error-private.h: making TANDEM_REST_ERROR errors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "tandem-rest-error.h"

G_BEGIN_DECLS

/* A GError in TANDEM_REST_ERROR with PostgREST's fields (any may be NULL;
 * @status 0: no answer). */
GError          *_tandem_rest_error_new           (TandemRestError  error_code,
                                                   guint            status,
                                                   const char      *code,
                                                   const char      *details,
                                                   const char      *hint,
                                                   const char      *message);
/* The classification of an HTTP error status. */
TandemRestError  _tandem_rest_error_from_status   (guint            status);
/* A non-2xx answer as a GError: PostgREST's {code, message, details, hint}
 * body, or the body as the message when it is not JSON (as postgrest-js). */
GError          *_tandem_rest_error_from_response (guint            status,
                                                   const char      *body,
                                                   gsize            length);
/* A failure without an answer (@error from libsoup/GIO): NETWORK, except
 * cancellation, which stays G_IO_ERROR_CANCELLED. Takes @error. */
GError          *_tandem_rest_error_from_transport (GError         *error);

G_END_DECLS
