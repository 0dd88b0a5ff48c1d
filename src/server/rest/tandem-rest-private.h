/* tandem-rest-private.h: what the REST modules share among themselves
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "tandem-rest-request.h"

G_BEGIN_DECLS

/* tandem-rest-grammar.c */

/* tandem_rest_parse_select() naming @resource in the error for an
 * embedded resource. */
GPtrArray *tandem_rest_parse_select_for (const char       *text,
                                         const char       *resource,
                                         TandemRestError **error);
/* Whether the first @len bytes of @name are an operator name (eq, like,
 * eq(any), fts, …): what makes a query parameter a filter. */
gboolean   tandem_rest_is_operator_name (const char       *name,
                                         gsize             len);

G_END_DECLS
