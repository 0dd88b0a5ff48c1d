/* tandem-auth-private.h: what the Auth API's routing and handlers share
 *
 * tandem-auth-api.c owns the HTTP side: the API key, CORS, the request's
 * body, the bearer token and writing answers. tandem-auth-handlers.c has one
 * function per endpoint. A request is answered exactly once, by one of the
 * tandem_auth_request_respond_*() functions, which also free it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <libsoup/soup.h>

#include "tandem-auth-api.h"
#include "tandem-auth-limiter.h"
#include "tandem-auth-store.h"

G_BEGIN_DECLS

struct _TandemAuthApi
{
  TandemPgPool      *pool;
  char              *jwt_secret;
  TandemAuthOptions  options;
  TandemAuthLimiter *limiter;
};

typedef struct
{
  TandemAuthApi     *api;           /* a reference */
  SoupServerMessage *msg;           /* a reference */
  gboolean           api_2024;      /* X-Supabase-Api-Version ≥ 2024-01-01 */
  gboolean           paused;
  gboolean           gone;          /* the client went away */
  gulong             disconnected_id;
  char              *issuer;        /* http://host:port/auth/v1 */
  TandemAuthClient   client;        /* strings owned */
  JsonObject        *body;          /* once parsed */
  char              *logout_scope;  /* /logout's ?scope= */
  /* Once authenticated: */
  JsonObject        *claims;
  char              *user_id;
  char              *session_id;    /* nullable */
  TandemAuthUser    *user;
} TandemAuthRequest;

typedef void (*TandemAuthRequestFunc) (TandemAuthRequest *request);

/* Answering (each frees @request) */
void        tandem_auth_request_respond_json   (TandemAuthRequest     *request,
                                                guint                  status,
                                                JsonNode              *body);
void        tandem_auth_request_respond_error  (TandemAuthRequest     *request,
                                                GError                *error);
void        tandem_auth_request_respond_empty  (TandemAuthRequest     *request,
                                                guint                  status);

/* Before going asynchronous. */
void        tandem_auth_request_pause          (TandemAuthRequest     *request);

/* The password rate limit for the client's address. */
gboolean    tandem_auth_request_count_attempt  (TandemAuthRequest     *request,
                                                GError               **error);

/* Parses the JSON body into request->body (an object), or fails with
 * GoTrue's bad_json. @params_type names the parameters in the message
 * ("SignupParams"). */
gboolean    tandem_auth_request_parse_body     (TandemAuthRequest     *request,
                                                const char            *params_type,
                                                GError               **error);
/* Reads a string member (absent or null: NULL) or an object member (absent
 * or null: NULL), failing with bad_json when it has another type. */
gboolean    tandem_auth_request_get_string     (TandemAuthRequest     *request,
                                                const char            *params_type,
                                                const char            *name,
                                                const char           **value,
                                                GError               **error);
gboolean    tandem_auth_request_get_object     (TandemAuthRequest     *request,
                                                const char            *params_type,
                                                const char            *name,
                                                JsonObject           **value,
                                                GError               **error);

/* Checks the bearer token and loads its user and session, then calls
 * @then; answers with GoTrue's error instead when that fails. */
void        tandem_auth_request_authenticate   (TandemAuthRequest     *request,
                                                TandemAuthRequestFunc  then);

/* The session answer: tokens and user, with weak_password when @password
 * (nullable) would not pass the rules any more. */
JsonNode   *tandem_auth_request_session_json   (TandemAuthRequest     *request,
                                                const TandemAuthGrant *grant,
                                                const char            *password);

/* Endpoints (tandem-auth-handlers.c) */
void        tandem_auth_handle_signup          (TandemAuthRequest     *request);
void        tandem_auth_handle_token           (TandemAuthRequest     *request,
                                                GHashTable            *query);
void        tandem_auth_handle_user            (TandemAuthRequest     *request);
void        tandem_auth_handle_logout          (TandemAuthRequest     *request,
                                                GHashTable            *query);
void        tandem_auth_handle_settings        (TandemAuthRequest     *request);
void        tandem_auth_handle_health          (TandemAuthRequest     *request);

G_END_DECLS
