/* tandem-auth-store.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tandem-auth"

#include "config.h"

#include <string.h>

#include "tandem-auth-errors.h"
#include "tandem-auth-store.h"
#include "tandem-auth-tokens.h"

#define UNIQUE_VIOLATION "23505"

/* A bcrypt hash (cost 10) of a password nobody has: checked when the
 * address is unknown, so that the answer takes as long as for a known one. */
#define NO_SUCH_USER_HASH "$2a$10$MXZMALwPampaz7pl6TW3JefhQuCWR1vR.NNezoOAZYmqRIPaWs4MG"

void
tandem_auth_grant_free (TandemAuthGrant *grant)
{
  if (grant == NULL)
    return;
  g_clear_pointer (&grant->user, tandem_auth_user_free);
  g_free (grant->session_id);
  if (grant->refresh_token != NULL)
    explicit_bzero (grant->refresh_token, strlen (grant->refresh_token));
  g_free (grant->refresh_token);
  g_free (grant);
}

static char *
object_to_text (JsonObject *object)
{
  g_autoptr(JsonNode) node = NULL;

  if (object == NULL)
    return NULL;
  node = json_node_init_object (json_node_alloc (), object);
  return json_to_string (node, FALSE);
}

static void
free_secret (char *text)
{
  if (text != NULL)
    explicit_bzero (text, strlen (text));
  g_free (text);
}

static const char *
value_or_null (const PGresult *result,
               int             row,
               const char     *name)
{
  int index = PQfnumber (result, name);

  g_assert (index >= 0);
  return PQgetisnull (result, row, index) ? NULL : PQgetvalue (result, row, index);
}

static gboolean
flag (const PGresult *result,
      int             row,
      const char     *name)
{
  return g_strcmp0 (value_or_null (result, row, name), "t") == 0;
}

static GError *
user_not_found (void)
{
  return g_error_new_literal (TANDEM_AUTH_ERROR, TANDEM_AUTH_ERROR_USER_NOT_FOUND,
                              "User from sub claim in JWT does not exist");
}

/* Finishing a grant */

static void
grant_user_loaded (TandemAuthOp   *op,
                   const PGresult *result,
                   const GError   *unused)
{
  TandemAuthGrantOpData *data = tandem_auth_op_get_data (op);
  g_autoptr(GError) error = NULL;

  if (PQntuples (result) != 1)
    {
      tandem_auth_op_fail (op, user_not_found ());
      return;
    }
  data->grant->user = tandem_auth_user_new_from_result (result, 0, &error);
  if (data->grant->user == NULL)
    {
      tandem_auth_op_fail (op, tandem_auth_error_internal (error, "Database error loading user"));
      return;
    }
  tandem_auth_op_return (op, g_steal_pointer (&data->grant), (GDestroyNotify) tandem_auth_grant_free);
}

void
tandem_auth_store_finish_grant (TandemAuthOp *op,
                                const char   *user_id)
{
  g_autofree char *sql = g_strdup_printf ("SELECT %s FROM auth.users u WHERE u.id = $1::uuid",
                                          tandem_auth_user_columns);
  const char *params[] = { user_id };

  tandem_auth_op_query (op, sql, params, G_N_ELEMENTS (params), grant_user_loaded);
}

/* Sign-up and sign-in: a new session from credentials */

typedef struct
{
  TandemAuthGrant *grant;   /* first: see TandemAuthGrantOpData */
  char            *token_hash;
  char            *email;
  char            *password;
  char            *data;
  char            *user_agent;
  char            *ip;
} NewSession;

static void
new_session_free (gpointer data)
{
  NewSession *state = data;

  tandem_auth_grant_free (state->grant);
  g_free (state->token_hash);
  g_free (state->email);
  free_secret (state->password);
  g_free (state->data);
  g_free (state->user_agent);
  g_free (state->ip);
  g_free (state);
}

static TandemAuthOp *
new_session_op (TandemPgPool           *pool,
                gpointer                source_tag,
                const char             *email,
                const char             *password,
                JsonObject             *data,
                const TandemAuthClient *client,
                GAsyncReadyCallback     callback,
                gpointer                user_data)
{
  TandemAuthOp *op = tandem_auth_op_new (pool, source_tag, callback, user_data);
  NewSession *state = g_new0 (NewSession, 1);

  state->grant = g_new0 (TandemAuthGrant, 1);
  state->grant->refresh_token = tandem_auth_new_refresh_token ();
  state->token_hash = tandem_auth_hash_refresh_token (state->grant->refresh_token);
  state->email = g_strdup (email);
  state->password = g_strdup (password);
  state->data = object_to_text (data);
  state->user_agent = g_strdup (client ? client->user_agent : NULL);
  state->ip = g_strdup (client ? client->ip : NULL);
  tandem_auth_op_set_data (op, state, new_session_free);
  return op;
}

/* Takes session_id, user_id and authenticated_at of the new session. */
static void
take_session (TandemAuthOp   *op,
              const PGresult *result)
{
  NewSession *state = tandem_auth_op_get_data (op);

  state->grant->session_id = g_strdup (value_or_null (result, 0, "session_id"));
  state->grant->authenticated_at = g_ascii_strtoll (value_or_null (result, 0, "authenticated_at"), NULL, 10);
  tandem_auth_store_finish_grant (op, value_or_null (result, 0, "user_id"));
}

/* One statement: the user, its identity, a session and its first refresh
 * token. The metadata gets the identity's claims, as GoTrue's does. */
static const char sign_up_sql[] =
  "WITH fresh AS (SELECT gen_random_uuid () AS id),"
  " meta AS ("
  "   SELECT fresh.id, coalesce ($3::jsonb, '{}'::jsonb) || jsonb_build_object ("
  "     'sub', fresh.id::text, 'email', $1::text, 'email_verified', true, 'phone_verified', false) AS data"
  "   FROM fresh),"
  " new_user AS ("
  "   INSERT INTO auth.users (id, email, encrypted_password, email_confirmed_at, last_sign_in_at,"
  "                           raw_app_meta_data, raw_user_meta_data)"
  "   SELECT meta.id, $1, auth.tandem_hash_password ($2), now (), now (),"
  "          '{\"provider\": \"email\", \"providers\": [\"email\"]}', meta.data"
  "   FROM meta"
  "   ON CONFLICT DO NOTHING"
  "   RETURNING id),"
  " identity AS ("
  "   INSERT INTO auth.identities (provider_id, user_id, identity_data, provider, last_sign_in_at)"
  "   SELECT new_user.id::text, new_user.id, meta.data, 'email', now ()"
  "   FROM new_user JOIN meta USING (id)"
  "   RETURNING user_id),"
  " session AS ("
  "   INSERT INTO auth.sessions (user_id, user_agent, ip)"
  "   SELECT id, $5, $6::inet FROM new_user"
  "   RETURNING id, user_id, created_at),"
  " token AS ("
  "   INSERT INTO auth.refresh_tokens (token, user_id, session_id)"
  "   SELECT $4, user_id, id FROM session"
  "   RETURNING id)"
  "SELECT session.id AS session_id, session.user_id,"
  "       floor (extract (epoch FROM session.created_at))::bigint AS authenticated_at"
  "  FROM session, token, identity";

static void
signed_up (TandemAuthOp   *op,
           const PGresult *result,
           const GError   *error)
{
  if (error != NULL && g_strcmp0 (tandem_pg_error_get_sqlstate (error), UNIQUE_VIOLATION) != 0)
    {
      tandem_auth_op_fail (op, tandem_auth_error_internal (error, "Database error saving new user"));
      return;
    }
  /* No row: the address is taken (a unique violation: another sign-up for
   * it won a race). */
  if (error != NULL || PQntuples (result) == 0)
    {
      tandem_auth_op_fail (op, g_error_new_literal (TANDEM_AUTH_ERROR, TANDEM_AUTH_ERROR_USER_ALREADY_EXISTS,
                                                    "User already registered"));
      return;
    }
  take_session (op, result);
}

static void
start_sign_up (TandemAuthOp   *op,
               const PGresult *unused_result,
               const GError   *unused_error)
{
  NewSession *state = tandem_auth_op_get_data (op);
  const char *params[] = {
    state->email, state->password, state->data, state->token_hash, state->user_agent, state->ip,
  };

  tandem_auth_op_query_catch (op, sign_up_sql, params, G_N_ELEMENTS (params), signed_up);
}

void
tandem_auth_store_sign_up_async (TandemPgPool           *pool,
                                 const char             *email,
                                 const char             *password,
                                 JsonObject             *data,
                                 const TandemAuthClient *client,
                                 GAsyncReadyCallback     callback,
                                 gpointer                user_data)
{
  tandem_auth_op_start (new_session_op (pool, tandem_auth_store_sign_up_async, email, password, data, client,
                                        callback, user_data),
                        start_sign_up);
}

TandemAuthGrant *
tandem_auth_store_sign_up_finish (GAsyncResult  *result,
                                  GError       **error)
{
  return tandem_auth_op_finish (result, tandem_auth_store_sign_up_async, error);
}

/* One statement: check the password and, when it matches, open a session
 * and note the sign-in on the user (not on its identity, as GoTrue). */
static const char sign_in_sql[] =
  "WITH candidate AS ("
  "   SELECT u.id,"
  "          u.id IS NOT NULL AND auth.tandem_check_password ($2, coalesce (u.encrypted_password, '"
  NO_SUCH_USER_HASH "')) AS ok,"
  "          u.email_confirmed_at IS NOT NULL AS confirmed"
  "   FROM (SELECT lower ($1) AS email) input"
  "   LEFT JOIN auth.users u ON lower (u.email) = input.email),"
  " session AS ("
  "   INSERT INTO auth.sessions (user_id, user_agent, ip)"
  "   SELECT id, $4, $5::inet FROM candidate WHERE ok AND confirmed"
  "   RETURNING id, user_id, created_at),"
  " token AS ("
  "   INSERT INTO auth.refresh_tokens (token, user_id, session_id)"
  "   SELECT $3, user_id, id FROM session"
  "   RETURNING id),"
  " touch_user AS ("
  "   UPDATE auth.users u SET last_sign_in_at = now (), updated_at = now ()"
  "   FROM session WHERE u.id = session.user_id"
  "   RETURNING u.id)"
  "SELECT candidate.ok, candidate.confirmed, session.id AS session_id, session.user_id,"
  "       floor (extract (epoch FROM session.created_at))::bigint AS authenticated_at,"
  "       (SELECT count (*) FROM token) + (SELECT count (*) FROM touch_user) AS changes"
  "  FROM candidate LEFT JOIN session ON true";

static void
signed_in (TandemAuthOp   *op,
           const PGresult *result,
           const GError   *unused)
{
  if (PQntuples (result) != 1 || !flag (result, 0, "ok"))
    {
      tandem_auth_op_fail (op, g_error_new_literal (TANDEM_AUTH_ERROR, TANDEM_AUTH_ERROR_INVALID_CREDENTIALS,
                                                    "Invalid login credentials"));
      return;
    }
  if (!flag (result, 0, "confirmed"))
    {
      tandem_auth_op_fail (op, g_error_new_literal (TANDEM_AUTH_ERROR, TANDEM_AUTH_ERROR_EMAIL_NOT_CONFIRMED,
                                                    "Email not confirmed"));
      return;
    }
  take_session (op, result);
}

static void
start_sign_in (TandemAuthOp   *op,
               const PGresult *unused_result,
               const GError   *unused_error)
{
  NewSession *state = tandem_auth_op_get_data (op);
  const char *params[] = { state->email, state->password, state->token_hash, state->user_agent, state->ip };

  tandem_auth_op_query (op, sign_in_sql, params, G_N_ELEMENTS (params), signed_in);
}

void
tandem_auth_store_sign_in_async (TandemPgPool           *pool,
                                 const char             *email,
                                 const char             *password,
                                 const TandemAuthClient *client,
                                 GAsyncReadyCallback     callback,
                                 gpointer                user_data)
{
  tandem_auth_op_start (new_session_op (pool, tandem_auth_store_sign_in_async, email, password, NULL, client,
                                        callback, user_data),
                        start_sign_in);
}

TandemAuthGrant *
tandem_auth_store_sign_in_finish (GAsyncResult  *result,
                                  GError       **error)
{
  return tandem_auth_op_finish (result, tandem_auth_store_sign_in_async, error);
}

/* The user of an access token */

typedef struct
{
  char *user_id;
  char *session_id;
  char *scope;
  char *email;
  char *password;
  char *data;
} UserRequest;

static void
user_request_free (gpointer data)
{
  UserRequest *request = data;

  g_free (request->user_id);
  g_free (request->session_id);
  g_free (request->scope);
  g_free (request->email);
  free_secret (request->password);
  g_free (request->data);
  g_free (request);
}

static TandemAuthOp *
user_op_new (TandemPgPool        *pool,
             gpointer             source_tag,
             const char          *user_id,
             const char          *session_id,
             GAsyncReadyCallback  callback,
             gpointer             user_data)
{
  TandemAuthOp *op = tandem_auth_op_new (pool, source_tag, callback, user_data);
  UserRequest *request = g_new0 (UserRequest, 1);

  request->user_id = g_strdup (user_id);
  request->session_id = g_strdup (session_id);
  tandem_auth_op_set_data (op, request, user_request_free);
  return op;
}

/* Reads a user row with session_exists; fails the op and returns NULL when
 * the user or the token's session is gone. */
static TandemAuthUser *
take_user (TandemAuthOp   *op,
           const PGresult *result)
{
  UserRequest *request = tandem_auth_op_get_data (op);
  g_autoptr(GError) error = NULL;
  TandemAuthUser *user;

  if (PQntuples (result) != 1)
    {
      tandem_auth_op_fail (op, user_not_found ());
      return NULL;
    }
  if (request->session_id != NULL && !flag (result, 0, "session_exists"))
    {
      tandem_auth_op_fail (op, g_error_new_literal (TANDEM_AUTH_ERROR, TANDEM_AUTH_ERROR_SESSION_NOT_FOUND,
                                                    "Session from session_id claim in JWT does not exist"));
      return NULL;
    }
  user = tandem_auth_user_new_from_result (result, 0, &error);
  if (user == NULL)
    tandem_auth_op_fail (op, tandem_auth_error_internal (error, "Database error loading user"));
  return user;
}

static char *
user_query (const char *lock)
{
  return g_strdup_printf ("SELECT %s,"
                          "       EXISTS (SELECT 1 FROM auth.sessions s"
                          "               WHERE s.id = $2::uuid AND s.user_id = u.id) AS session_exists"
                          "  FROM auth.users u WHERE u.id = $1::uuid %s",
                          tandem_auth_user_columns, lock);
}

static void
user_loaded (TandemAuthOp   *op,
             const PGresult *result,
             const GError   *unused)
{
  TandemAuthUser *user = take_user (op, result);

  if (user != NULL)
    tandem_auth_op_return (op, user, (GDestroyNotify) tandem_auth_user_free);
}

static void
start_get_user (TandemAuthOp   *op,
                const PGresult *unused_result,
                const GError   *unused_error)
{
  UserRequest *request = tandem_auth_op_get_data (op);
  g_autofree char *sql = user_query ("");
  const char *params[] = { request->user_id, request->session_id };

  tandem_auth_op_query (op, sql, params, G_N_ELEMENTS (params), user_loaded);
}

void
tandem_auth_store_get_user_async (TandemPgPool        *pool,
                                  const char          *user_id,
                                  const char          *session_id,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  tandem_auth_op_start (user_op_new (pool, tandem_auth_store_get_user_async, user_id, session_id,
                                     callback, user_data),
                        start_get_user);
}

TandemAuthUser *
tandem_auth_store_get_user_finish (GAsyncResult  *result,
                                   GError       **error)
{
  return tandem_auth_op_finish (result, tandem_auth_store_get_user_async, error);
}

/* Updating a user: BEGIN; check under a row lock; update; read back;
 * COMMIT. */

static const char check_update_sql[] =
  "SELECT EXISTS (SELECT 1 FROM auth.sessions s WHERE s.id = $2::uuid AND s.user_id = u.id) AS session_exists,"
  "       $3::text IS NOT NULL AND auth.tandem_check_password ($3, u.encrypted_password) AS same_password,"
  "       $4::text IS NOT NULL AND EXISTS (SELECT 1 FROM auth.users o"
  "                                        WHERE lower (o.email) = lower ($4) AND o.id <> u.id) AS email_taken"
  "  FROM auth.users u WHERE u.id = $1::uuid FOR UPDATE";

/* A new password ends the other sessions, as GoTrue does; null values in
 * the data remove their keys. */
static const char update_sql[] =
  "WITH changed AS ("
  "   UPDATE auth.users SET"
  "     email = coalesce ($2, email),"
  "     encrypted_password = CASE WHEN $3::text IS NULL THEN encrypted_password"
  "                               ELSE auth.tandem_hash_password ($3) END,"
  "     raw_user_meta_data = CASE WHEN $4::jsonb IS NULL THEN raw_user_meta_data ELSE"
  "       (SELECT coalesce (jsonb_object_agg (key, value), '{}'::jsonb)"
  "          FROM jsonb_each (raw_user_meta_data || $4::jsonb)"
  "         WHERE jsonb_typeof (value) <> 'null') END,"
  "     updated_at = now ()"
  "   WHERE id = $1::uuid"
  "   RETURNING id),"
  " identity AS ("
  "   UPDATE auth.identities"
  "      SET identity_data = identity_data || jsonb_build_object ('email', $2::text), updated_at = now ()"
  "    WHERE $2::text IS NOT NULL AND user_id = $1::uuid AND provider = 'email'"
  "   RETURNING id),"
  " ended AS ("
  "   DELETE FROM auth.sessions"
  "    WHERE $3::text IS NOT NULL AND user_id = $1::uuid AND id IS DISTINCT FROM $5::uuid"
  "   RETURNING id)"
  "SELECT (SELECT count (*) FROM changed) AS changed, (SELECT count (*) FROM identity) AS identities,"
  "       (SELECT count (*) FROM ended) AS ended";

static void
update_committed (TandemAuthOp   *op,
                  const PGresult *unused_result,
                  const GError   *unused_error)
{
  /* Read back after the commit, with the triggers' changes if any. */
  start_get_user (op, NULL, NULL);
}

static void
updated (TandemAuthOp   *op,
         const PGresult *result,
         const GError   *error)
{
  if (error != NULL)
    {
      if (g_strcmp0 (tandem_pg_error_get_sqlstate (error), UNIQUE_VIOLATION) == 0)
        tandem_auth_op_fail (op, g_error_new_literal (TANDEM_AUTH_ERROR, TANDEM_AUTH_ERROR_EMAIL_EXISTS,
                                                      "A user with this email address has already been registered"));
      else
        tandem_auth_op_fail (op, tandem_auth_error_internal (error, "Error updating user"));
      return;
    }
  tandem_auth_op_commit (op, update_committed);
}

static void
update_checked (TandemAuthOp   *op,
                const PGresult *result,
                const GError   *unused)
{
  UserRequest *request = tandem_auth_op_get_data (op);
  const char *params[] = {
    request->user_id, request->email, request->password, request->data, request->session_id,
  };

  if (PQntuples (result) != 1)
    {
      tandem_auth_op_fail (op, user_not_found ());
      return;
    }
  if (request->session_id != NULL && !flag (result, 0, "session_exists"))
    {
      tandem_auth_op_fail (op, g_error_new_literal (TANDEM_AUTH_ERROR, TANDEM_AUTH_ERROR_SESSION_NOT_FOUND,
                                                    "Session from session_id claim in JWT does not exist"));
      return;
    }
  if (flag (result, 0, "email_taken"))
    {
      tandem_auth_op_fail (op, g_error_new_literal (TANDEM_AUTH_ERROR, TANDEM_AUTH_ERROR_EMAIL_EXISTS,
                                                    "A user with this email address has already been registered"));
      return;
    }
  if (flag (result, 0, "same_password"))
    {
      tandem_auth_op_fail (op, g_error_new_literal (TANDEM_AUTH_ERROR, TANDEM_AUTH_ERROR_SAME_PASSWORD,
                                                    "New password should be different from the old password."));
      return;
    }
  tandem_auth_op_query_catch (op, update_sql, params, G_N_ELEMENTS (params), updated);
}

static void
update_begun (TandemAuthOp   *op,
              const PGresult *unused_result,
              const GError   *unused_error)
{
  UserRequest *request = tandem_auth_op_get_data (op);
  const char *params[] = { request->user_id, request->session_id, request->password, request->email };

  tandem_auth_op_query (op, check_update_sql, params, G_N_ELEMENTS (params), update_checked);
}

static void
start_update (TandemAuthOp   *op,
              const PGresult *unused_result,
              const GError   *unused_error)
{
  tandem_auth_op_begin (op, update_begun);
}

void
tandem_auth_store_update_user_async (TandemPgPool                *pool,
                                     const char                  *user_id,
                                     const char                  *session_id,
                                     const TandemAuthUserChanges *changes,
                                     GAsyncReadyCallback          callback,
                                     gpointer                     user_data)
{
  TandemAuthOp *op = user_op_new (pool, tandem_auth_store_update_user_async, user_id, session_id,
                                  callback, user_data);
  UserRequest *request = tandem_auth_op_get_data (op);

  request->email = g_strdup (changes->email);
  request->password = g_strdup (changes->password);
  request->data = object_to_text (changes->data);
  tandem_auth_op_start (op, start_update);
}

TandemAuthUser *
tandem_auth_store_update_user_finish (GAsyncResult  *result,
                                      GError       **error)
{
  return tandem_auth_op_finish (result, tandem_auth_store_update_user_async, error);
}

/* Logout */

static const char logout_sql[] =
  "DELETE FROM auth.sessions"
  " WHERE user_id = $1::uuid"
  "   AND CASE $3 WHEN 'local' THEN id = $2::uuid"
  "               WHEN 'others' THEN id <> $2::uuid"
  "               ELSE true END";

static void
logged_out (TandemAuthOp   *op,
            const PGresult *unused_result,
            const GError   *unused_error)
{
  tandem_auth_op_return (op, GINT_TO_POINTER (TRUE), NULL);
}

static void
start_logout (TandemAuthOp   *op,
              const PGresult *unused_result,
              const GError   *unused_error)
{
  UserRequest *request = tandem_auth_op_get_data (op);
  const char *params[] = { request->user_id, request->session_id, request->scope };

  tandem_auth_op_query (op, logout_sql, params, G_N_ELEMENTS (params), logged_out);
}

void
tandem_auth_store_logout_async (TandemPgPool          *pool,
                                const char            *user_id,
                                const char            *session_id,
                                TandemAuthLogoutScope  scope,
                                GAsyncReadyCallback    callback,
                                gpointer               user_data)
{
  TandemAuthOp *op = user_op_new (pool, tandem_auth_store_logout_async, user_id, session_id, callback, user_data);
  UserRequest *request = tandem_auth_op_get_data (op);

  if (session_id == NULL)
    scope = TANDEM_AUTH_LOGOUT_GLOBAL;
  request->scope = g_strdup (scope == TANDEM_AUTH_LOGOUT_LOCAL ? "local"
                             : scope == TANDEM_AUTH_LOGOUT_OTHERS ? "others" : "global");
  tandem_auth_op_start (op, start_logout);
}

gboolean
tandem_auth_store_logout_finish (GAsyncResult  *result,
                                 GError       **error)
{
  return tandem_auth_op_finish (result, tandem_auth_store_logout_async, error) != NULL;
}
