/* auth-test-util.h: talking to a tandem-server's /auth/v1 from a test
 *
 * A throwaway PostgreSQL and tandem-server (with extra options), a blocking
 * HTTP client that sends what auth-js sends (apikey, Authorization, JSON,
 * X-Supabase-Api-Version: 2024-01-01), and assertions on GoTrue's answers.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <libsoup/soup.h>

#include "tandem-test-pg.h"
#include "tandem-test-server.h"

G_BEGIN_DECLS

typedef struct
{
  TandemTestPg     *pg;
  TandemTestServer *server;
  SoupSession      *session;
} AuthTest;

typedef enum
{
  AUTH_REQUEST_DEFAULT      = 0,
  AUTH_REQUEST_LEGACY       = 1 << 0,  /* no X-Supabase-Api-Version */
  AUTH_REQUEST_NO_API_KEY   = 1 << 1,
  AUTH_REQUEST_SERVICE_KEY  = 1 << 2,  /* the service-role key as apikey */
} AuthRequestFlags;

typedef struct
{
  guint               status;
  SoupMessageHeaders *headers;
  JsonNode           *body;      /* NULL when empty */
} AuthResponse;

AuthTest     *auth_test_new            (const char * const *extra_args);
void          auth_test_free           (AuthTest           *test);

/* @path is below /auth/v1 ("/token?grant_type=password"); @bearer and
 * @body (JSON text) are nullable. */
AuthResponse *auth_test_request        (AuthTest           *test,
                                        const char         *method,
                                        const char         *path,
                                        const char         *bearer,
                                        const char         *body,
                                        AuthRequestFlags    flags);
void          auth_response_free       (AuthResponse       *response);

/* POST /signup and POST /token?grant_type=password, asserting a 200
 * session. */
AuthResponse *auth_test_sign_up        (AuthTest           *test,
                                        const char         *email,
                                        const char         *password);
AuthResponse *auth_test_sign_in        (AuthTest           *test,
                                        const char         *email,
                                        const char         *password);
/* POST /token?grant_type=refresh_token with @refresh_token. */
AuthResponse *auth_test_refresh        (AuthTest           *test,
                                        const char         *refresh_token);

/* A fresh address: <prefix>-<n>@example.com */
char         *auth_test_email          (const char         *prefix);

/* The member at @path ("user.email", "identities.0.provider") of the body. */
JsonNode     *auth_response_get        (AuthResponse       *response,
                                        const char         *path);
const char   *auth_response_get_string (AuthResponse       *response,
                                        const char         *path);
gint64        auth_response_get_int    (AuthResponse       *response,
                                        const char         *path);

/* GoTrue's error: the 2024-01-01 shape (and the version header) or the
 * legacy one. */
void          auth_assert_error        (AuthResponse       *response,
                                        guint               status,
                                        const char         *code,
                                        const char         *message);
void          auth_assert_legacy_error (AuthResponse       *response,
                                        guint               status,
                                        const char         *code,
                                        const char         *message);

/* The first column of the first row of @sql (NULL for SQL NULL or no row). */
char         *auth_test_sql_value      (AuthTest           *test,
                                        const char         *sql);
void          auth_test_sql            (AuthTest           *test,
                                        const char         *sql);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AuthTest, auth_test_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (AuthResponse, auth_response_free)

G_END_DECLS
