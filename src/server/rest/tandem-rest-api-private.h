/* tandem-rest-api-private.h: the API object and one request in flight,
 * shared by tandem-rest-api.c (handler, schema cache), tandem-rest-call.c
 * (the database round trips) and tandem-rest-response.c (the answer).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <libsoup/soup.h>

#include "tandem-pg-conn.h"
#include "tandem-pg-pool.h"
#include "tandem-rest-api.h"
#include "tandem-rest-auth.h"
#include "tandem-rest-errors.h"
#include "tandem-rest-request.h"
#include "tandem-rest-schema.h"
#include "tandem-rest-sql.h"

G_BEGIN_DECLS

typedef struct _RestCall   RestCall;
typedef struct _SchemaLoad SchemaLoad;
typedef struct _PoolSetup  PoolSetup;

struct _TandemRestApi
{
  TandemPgPool          *pool;           /* the server's pool: schema cache loads */
  TandemPgPool          *requests;       /* ours: connections carry a caller's identity */
  PoolSetup             *pool_setup;     /* finding the conninfo for @requests */
  GPtrArray             *pool_waiters;   /* RestCall * waiting for @requests */
  TandemRestAuthCache   *auth;

  TandemRestSchemaCache *cache;          /* nullable until the first load */
  gint64                 cache_since;    /* when the load of @cache began (monotonic µs) */
  gboolean               cache_stale;    /* reload before the next use */
  gboolean               loading;
  gint64                 loading_since;
  SchemaLoad            *load;           /* the load in flight */
  GPtrArray             *waiters;        /* RestCall *: waiting for the load in flight */
  GPtrArray             *next_waiters;   /* RestCall *: need a load that starts later */

  GHashTable            *calls;          /* RestCall * in flight */
};

struct _RestCall
{
  gint                   ref_count;
  TandemRestApi         *api;           /* NULL once the API is gone */
  SoupServerMessage     *msg;
  gulong                 finished_id;
  gboolean               finished;      /* the message went away */

  TandemRestRequest     *request;
  char                  *path;          /* after /rest/v1, for request.path */
  char                  *host;
  char                  *role;
  char                  *claims_json;
  char                  *sub;
  gboolean               authenticated;
  char                  *headers_json;
  gint64                 since;         /* monotonic µs when the request arrived */
  gboolean               need_fresh;    /* needs a schema cache loaded after @since */

  TandemRestSchemaCache *cache;
  TandemRestTable       *table;         /* borrowed from @cache */
  TandemRestStatement   *statement;
  TandemPgPool          *pool;          /* where @conn goes back */
  TandemPgConn          *conn;
  gboolean               in_transaction;
  PGresult              *result;
  TandemRestError       *error;
};

/* tandem-rest-call.c */
RestCall *tandem_rest_call_ref            (RestCall        *call);
void      tandem_rest_call_unref          (RestCall        *call);
/* Answers (once) with call->error or the result, and drops a reference. */
void      tandem_rest_call_finish         (RestCall        *call);
void      tandem_rest_call_fail           (RestCall        *call,
                                           TandemRestError *error);
/* Runs call->statement as the caller and answers. */
void      tandem_rest_call_run            (RestCall        *call);
void      tandem_rest_api_close_requests  (TandemRestApi   *self);

/* tandem-rest-response.c */
void      tandem_rest_add_cors_headers    (SoupMessageHeaders    *headers);
void      tandem_rest_respond_preflight   (SoupServerMessage     *msg);
void      tandem_rest_respond_error       (SoupServerMessage     *msg,
                                           const TandemRestError *error);
/* PostgREST's checks once the statement ran (singular response,
 * max-affected); FALSE with call->error set when the answer is an error
 * and a transaction must be rolled back. */
gboolean  tandem_rest_call_check_result   (RestCall              *call);
/* Whether the statement's result needs checks that may roll it back. */
gboolean  tandem_rest_call_needs_check    (const RestCall        *call);
void      tandem_rest_respond_result      (RestCall              *call);

G_END_DECLS
