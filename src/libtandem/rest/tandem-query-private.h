/* tandem-query-private.h: how a TandemClient makes queries
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "tandem-query.h"

G_BEGIN_DECLS

/* A query on @relation (a table or view). It keeps a reference to @client
 * and, when it runs, takes the client's SoupSession, API key and a fresh
 * access token (tandem_auth_ensure_fresh_token_async() when signed in, else
 * tandem_client_get_access_token()). */
TandemQuery *_tandem_query_new_table (TandemClient *client,
                                      const char   *relation);
/* POST /rpc/@function with @args (an object, or NULL for {}). */
TandemQuery *_tandem_query_new_rpc   (TandemClient *client,
                                      const char   *function,
                                      JsonNode     *args);
/* Appends a query parameter as it is (the outbox's stored filters, already
 * split into name and value). */
void         _tandem_query_add_param (TandemQuery  *self,
                                      const char   *name,
                                      const char   *value);

G_END_DECLS
