/* rest-test-util.h: tandem-server's REST API over HTTP, for tests
 *
 * One throwaway PostgreSQL and one tandem-server per test program, a
 * synchronous libsoup session, tokens for every role, and assertions that
 * compare JSON bodies by value.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "tandem-test-pg.h"
#include "tandem-test-server.h"

G_BEGIN_DECLS

typedef struct
{
  TandemTestPg     *pg;
  TandemTestServer *server;
  SoupSession      *session;
  char             *anon;      /* the server's anon key */
  char             *service;   /* the service_role key */
  char             *user_a;    /* authenticated, sub = USER_A */
  char             *user_b;    /* authenticated, sub = USER_B */
} RestEnv;

#define USER_A "11111111-1111-1111-1111-111111111111"
#define USER_B "22222222-2222-2222-2222-222222222222"

/* Passed as a token: send neither Authorization nor apikey. */
#define NO_TOKEN ((const char *) 1)

extern RestEnv rest_env;

/* Starts PostgreSQL and the server, then runs @setup_sql. */
void     rest_env_start      (const char *setup_sql);
void     rest_env_stop       (void);

typedef struct
{
  guint               status;
  char               *body;
  SoupMessageHeaders *headers;  /* the response headers */
} Reply;

void     reply_free          (Reply *reply);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (Reply, reply_free)

/* @method @path (after /rest/v1, with its query string) with @token as
 * Bearer (the apikey header is always the anon key, as supabase-js sends
 * it), @body (or NULL), then header name/value pairs ending with NULL. */
Reply   *rest_call           (const char *method,
                              const char *path,
                              const char *token,
                              const char *body,
                              ...) G_GNUC_NULL_TERMINATED;

/* Runs SQL on the database directly (as the superuser). */
void     rest_sql            (const char *sql);
/* The first column of the first row of @sql. */
char    *rest_sql_value      (const char *sql);

/* Asserts @reply has @status and a body equal to @json as JSON values. */
#define assert_reply(reply, status, json) \
  rest_assert_reply ((reply), (status), (json), __FILE__, __LINE__)
void     rest_assert_reply   (Reply      *reply,
                              guint       status,
                              const char *json,
                              const char *file,
                              int         line);

/* Asserts @reply is PostgREST's error {code, details, hint, message} with
 * @status and @code (and @message unless NULL). Returns the error object. */
#define assert_error(reply, status, code, message) \
  rest_assert_error ((reply), (status), (code), (message), __FILE__, __LINE__)
JsonObject *rest_assert_error (Reply      *reply,
                               guint       status,
                               const char *code,
                               const char *message,
                               const char *file,
                               int         line);

/* The ids (member "id") of a JSON array body, as "1,2,3". */
char    *reply_ids           (Reply *reply);

/* Asserts the first value of @sql is @expected (NULL for SQL NULL). */
#define assert_sql_value(sql, expected) \
  G_STMT_START { \
    g_autofree char *_value = rest_sql_value (sql); \
    g_assert_cmpstr (_value, ==, (expected)); \
  } G_STMT_END

G_END_DECLS
