/* tandem-rest-openapi.h: the OpenAPI (Swagger 2.0) description at /rest/v1/
 *
 * As PostgREST's root endpoint: a path per table or view the caller may use
 * (GET, and POST/PATCH/DELETE when writable) and per function (/rpc/<name>),
 * a definition per table with its columns (type, format, primary key note,
 * default, description), and the shared parameters.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "tandem-rest-schema.h"

G_BEGIN_DECLS

/* @schema's description. @visible: the names of the tables, views and
 * functions the role may use (NULL: all of them); @host "127.0.0.1:54321". */
char *tandem_rest_openapi_build (TandemRestSchemaCache *cache,
                                 const char            *schema,
                                 GHashTable            *visible,
                                 const char            *host);

/* The SQL (run as the request's role) whose one text column is the JSON
 * array of the names of the relations and functions of $1 (the schema) the
 * role may use. */
const char *tandem_rest_openapi_visible_query (void);

G_END_DECLS
