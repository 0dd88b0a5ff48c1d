/* tandem-auth-refresh.c: refresh token rotation, as GoTrue does it
 *
 * In one transaction, with the session's row locked so that two refreshes
 * of one session take turns:
 *
 *  - an active token is revoked and gets a child, which is handed out;
 *  - a revoked token whose child is the session's active token gets that
 *    child again (the client lost the previous answer);
 *  - a revoked token that was rotated less than the reuse interval ago gets
 *    a new child (two tabs refreshing at once);
 *  - any other revoked token is a token used twice: every token of the
 *    session is revoked (committed), and the refresh fails with
 *    refresh_token_already_used.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tandem-auth"

#include "config.h"

#include <string.h>

#include "tandem-auth-errors.h"
#include "tandem-auth-store.h"
#include "tandem-auth-tokens.h"

typedef struct
{
  TandemAuthGrant *grant;   /* first: see TandemAuthGrantOpData */
  char            *secret;
  char            *token;
  char            *token_hash;
  char            *reuse_interval;
  char            *user_agent;
  char            *ip;
  char            *user_id;
} Refresh;

static void
refresh_free (gpointer data)
{
  Refresh *refresh = data;

  tandem_auth_grant_free (refresh->grant);
  if (refresh->secret != NULL)
    explicit_bzero (refresh->secret, strlen (refresh->secret));
  g_free (refresh->secret);
  if (refresh->token != NULL)
    explicit_bzero (refresh->token, strlen (refresh->token));
  g_free (refresh->token);
  g_free (refresh->token_hash);
  g_free (refresh->reuse_interval);
  g_free (refresh->user_agent);
  g_free (refresh->ip);
  g_free (refresh->user_id);
  g_free (refresh);
}

static const char *
value (const PGresult *result,
       const char     *name)
{
  int index = PQfnumber (result, name);

  g_assert (index >= 0);
  return PQgetisnull (result, 0, index) ? NULL : PQgetvalue (result, 0, index);
}

static gboolean
flag (const PGresult *result,
      const char     *name)
{
  return g_strcmp0 (value (result, name), "t") == 0;
}

static void
committed (TandemAuthOp   *op,
           const PGresult *unused_result,
           const GError   *unused_error)
{
  Refresh *refresh = tandem_auth_op_get_data (op);

  tandem_auth_store_finish_grant (op, refresh->user_id);
}

static void
session_touched (TandemAuthOp   *op,
                 const PGresult *unused_result,
                 const GError   *unused_error)
{
  tandem_auth_op_commit (op, committed);
}

static void
touch_session (TandemAuthOp *op)
{
  Refresh *refresh = tandem_auth_op_get_data (op);
  const char *params[] = { refresh->grant->session_id, refresh->user_agent, refresh->ip };

  tandem_auth_op_query (op,
                        "UPDATE auth.sessions SET refreshed_at = now (), updated_at = now (),"
                        "                         user_agent = $2, ip = $3::inet"
                        " WHERE id = $1::uuid",
                        params, G_N_ELEMENTS (params), session_touched);
}

static void
rotated (TandemAuthOp   *op,
         const PGresult *unused_result,
         const GError   *unused_error)
{
  touch_session (op);
}

/* Revokes @token_id (unless it already is) and issues its child. */
static void
rotate (TandemAuthOp *op,
        const char   *token_id)
{
  Refresh *refresh = tandem_auth_op_get_data (op);
  g_autofree char *nonce = tandem_auth_new_token_nonce ();
  g_autofree char *child_hash = NULL;
  const char *params[6];

  refresh->grant->refresh_token = tandem_auth_derive_refresh_token (refresh->secret, refresh->token, nonce);
  child_hash = tandem_auth_hash_refresh_token (refresh->grant->refresh_token);
  params[0] = token_id;
  params[1] = child_hash;
  params[2] = refresh->user_id;
  params[3] = refresh->grant->session_id;
  params[4] = refresh->token_hash;
  params[5] = nonce;
  tandem_auth_op_query (op,
                        "WITH revoked AS ("
                        "   UPDATE auth.refresh_tokens SET revoked = true, updated_at = now ()"
                        "    WHERE id = $1::bigint AND NOT revoked RETURNING id)"
                        "INSERT INTO auth.refresh_tokens (token, user_id, session_id, parent, nonce)"
                        "     VALUES ($2, $3::uuid, $4::uuid, $5, $6)"
                        "  RETURNING id, (SELECT count (*) FROM revoked) AS revoked",
                        params, G_N_ELEMENTS (params), rotated);
}

static void
family_revoked (TandemAuthOp   *op,
                const PGresult *unused_result,
                const GError   *unused_error)
{
  g_info ("a revoked refresh token was used again: its session's tokens are revoked");
  tandem_auth_op_fail (op, g_error_new_literal (TANDEM_AUTH_ERROR, TANDEM_AUTH_ERROR_REFRESH_TOKEN_ALREADY_USED,
                                                "Invalid Refresh Token: Already Used"));
}

static void
family_revoke_done (TandemAuthOp   *op,
                    const PGresult *unused_result,
                    const GError   *unused_error)
{
  /* Keep the revocation even though the refresh fails. */
  tandem_auth_op_commit (op, family_revoked);
}

static void
revoke_family (TandemAuthOp *op)
{
  Refresh *refresh = tandem_auth_op_get_data (op);
  const char *params[] = { refresh->grant->session_id };

  tandem_auth_op_query (op,
                        "UPDATE auth.refresh_tokens SET revoked = true, updated_at = now ()"
                        " WHERE session_id = $1::uuid AND NOT revoked",
                        params, G_N_ELEMENTS (params), family_revoke_done);
}

/* Whether @nonce and the presented token give the active token's hash. */
static char *
rederive_child (Refresh    *refresh,
                const char *nonce,
                const char *expected_hash)
{
  g_autofree char *child = NULL;
  g_autofree char *hash = NULL;

  if (nonce == NULL || expected_hash == NULL)
    return NULL;
  child = tandem_auth_derive_refresh_token (refresh->secret, refresh->token, nonce);
  hash = tandem_auth_hash_refresh_token (child);
  if (!g_str_equal (hash, expected_hash))
    return NULL;
  return g_steal_pointer (&child);
}

static void
inspected (TandemAuthOp   *op,
           const PGresult *result,
           const GError   *unused)
{
  Refresh *refresh = tandem_auth_op_get_data (op);
  const char *token_id;

  if (PQntuples (result) != 1)
    {
      tandem_auth_op_fail (op, g_error_new_literal (TANDEM_AUTH_ERROR, TANDEM_AUTH_ERROR_REFRESH_TOKEN_NOT_FOUND,
                                                    "Invalid Refresh Token: Refresh Token Not Found"));
      return;
    }

  token_id = value (result, "id");
  refresh->user_id = g_strdup (value (result, "user_id"));
  refresh->grant->session_id = g_strdup (value (result, "session_id"));
  refresh->grant->authenticated_at = g_ascii_strtoll (value (result, "authenticated_at"), NULL, 10);

  if (!flag (result, "revoked"))
    {
      rotate (op, token_id);
      return;
    }

  if (flag (result, "active_is_child"))
    {
      refresh->grant->refresh_token = rederive_child (refresh, value (result, "active_nonce"),
                                                      value (result, "active_token"));
      if (refresh->grant->refresh_token != NULL)
        {
          touch_session (op);
          return;
        }
    }

  if (flag (result, "rotated") && flag (result, "reusable"))
    rotate (op, token_id);
  else
    revoke_family (op);
}

static void
locked (TandemAuthOp   *op,
        const PGresult *result,
        const GError   *unused)
{
  Refresh *refresh = tandem_auth_op_get_data (op);
  const char *params[] = { refresh->token_hash, refresh->reuse_interval };

  if (PQntuples (result) == 0)
    {
      tandem_auth_op_fail (op, g_error_new_literal (TANDEM_AUTH_ERROR, TANDEM_AUTH_ERROR_REFRESH_TOKEN_NOT_FOUND,
                                                    "Invalid Refresh Token: Refresh Token Not Found"));
      return;
    }
  /* A fresh snapshot, now that the session is ours. */
  tandem_auth_op_query (op,
                        "SELECT rt.id, rt.user_id, rt.session_id, rt.revoked,"
                        "       rt.updated_at > now () - make_interval (secs => $2::double precision) AS reusable,"
                        "       EXISTS (SELECT 1 FROM auth.refresh_tokens c WHERE c.parent = rt.token) AS rotated,"
                        "       active.token AS active_token, active.nonce AS active_nonce,"
                        "       coalesce (active.parent = rt.token, false) AS active_is_child,"
                        "       floor (extract (epoch FROM s.created_at))::bigint AS authenticated_at"
                        "  FROM auth.refresh_tokens rt"
                        "  JOIN auth.sessions s ON s.id = rt.session_id"
                        "  LEFT JOIN LATERAL (SELECT a.token, a.parent, a.nonce FROM auth.refresh_tokens a"
                        "                      WHERE a.session_id = rt.session_id AND NOT a.revoked"
                        "                      ORDER BY a.id DESC LIMIT 1) active ON true"
                        " WHERE rt.token = $1",
                        params, G_N_ELEMENTS (params), inspected);
}

static void
begun (TandemAuthOp   *op,
       const PGresult *unused_result,
       const GError   *unused_error)
{
  Refresh *refresh = tandem_auth_op_get_data (op);
  const char *params[] = { refresh->token_hash };

  tandem_auth_op_query (op,
                        "SELECT s.id FROM auth.refresh_tokens rt"
                        "  JOIN auth.sessions s ON s.id = rt.session_id"
                        " WHERE rt.token = $1 FOR UPDATE OF s",
                        params, G_N_ELEMENTS (params), locked);
}

static void
start (TandemAuthOp   *op,
       const PGresult *unused_result,
       const GError   *unused_error)
{
  tandem_auth_op_begin (op, begun);
}

void
tandem_auth_store_refresh_async (TandemPgPool           *pool,
                                 const char             *secret,
                                 const char             *refresh_token,
                                 guint                   reuse_interval_s,
                                 const TandemAuthClient *client,
                                 GAsyncReadyCallback     callback,
                                 gpointer                user_data)
{
  TandemAuthOp *op = tandem_auth_op_new (pool, tandem_auth_store_refresh_async, callback, user_data);
  Refresh *refresh = g_new0 (Refresh, 1);

  refresh->grant = g_new0 (TandemAuthGrant, 1);
  refresh->secret = g_strdup (secret);
  refresh->token = g_strdup (refresh_token);
  refresh->token_hash = tandem_auth_hash_refresh_token (refresh_token);
  refresh->reuse_interval = g_strdup_printf ("%u", reuse_interval_s);
  refresh->user_agent = g_strdup (client ? client->user_agent : NULL);
  refresh->ip = g_strdup (client ? client->ip : NULL);
  tandem_auth_op_set_data (op, refresh, refresh_free);
  tandem_auth_op_start (op, start);
}

TandemAuthGrant *
tandem_auth_store_refresh_finish (GAsyncResult  *result,
                                  GError       **error)
{
  return tandem_auth_op_finish (result, tandem_auth_store_refresh_async, error);
}
