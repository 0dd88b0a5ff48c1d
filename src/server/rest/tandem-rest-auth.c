/* tandem-rest-auth.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tandem-rest"

#include "config.h"

#include <string.h>
#include <json-glib/json-glib.h>

#include "tandem-jwt.h"
#include "tandem-rest-auth.h"

/* Enough for every session of a local server; the table is emptied when
 * it fills up. */
#define MAX_CACHED_TOKENS 4096

struct _TandemRestAuthCache
{
  char       *secret;
  GHashTable *tokens;  /* token → TandemRestAuth * */
};

static void
auth_free (gpointer data)
{
  TandemRestAuth *auth = data;

  g_free (auth->role);
  g_free (auth->claims_json);
  g_free (auth->sub);
  g_free (auth);
}

TandemRestAuthCache *
tandem_rest_auth_cache_new (const char *jwt_secret)
{
  TandemRestAuthCache *cache = g_new0 (TandemRestAuthCache, 1);

  cache->secret = g_strdup (jwt_secret);
  cache->tokens = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, auth_free);
  return cache;
}

void
tandem_rest_auth_cache_free (TandemRestAuthCache *cache)
{
  if (cache == NULL)
    return;
  g_hash_table_unref (cache->tokens);
  g_free (cache->secret);
  g_free (cache);
}

static const char * const api_roles[] = { "anon", "authenticated", "service_role", NULL };

/* "Bearer <token>" (the scheme in any case), trimmed. */
static char *
bearer_token (const char *authorization)
{
  const char *p = authorization;

  while (*p == ' ')
    p++;
  if (g_ascii_strncasecmp (p, "bearer ", 7) != 0)
    return NULL;
  return g_strstrip (g_strdup (p + 7));
}

static TandemRestError *
jwt_error (guint       status,
           const char *code,
           const char *message)
{
  TandemRestError *error = tandem_rest_error_new (status, code, NULL, NULL, "%s", message);

  error->www_authenticate = g_strdup_printf ("Bearer error=\"invalid_token\", error_description=\"%s\"", message);
  return error;
}

/* PostgREST's wording for each way a token can be wrong. */
static TandemRestError *
map_jwt_error (const GError *error,
               const char   *token)
{
  if (error->domain != TANDEM_JWT_ERROR)
    return jwt_error (401, "PGRST301", error->message);

  switch ((TandemJwtError) error->code)
    {
    case TANDEM_JWT_ERROR_EXPIRED:
      return jwt_error (401, "PGRST303", "JWT expired");
    case TANDEM_JWT_ERROR_INVALID_EXPIRY:
      return jwt_error (401, "PGRST303", "The JWT 'exp' claim must be a number");
    case TANDEM_JWT_ERROR_SIGNATURE:
      return jwt_error (401, "PGRST301", "JWT cryptographic operation failed");
    case TANDEM_JWT_ERROR_ALGORITHM:
      return jwt_error (401, "PGRST301", "Wrong or unsupported encoding algorithm");
    case TANDEM_JWT_ERROR_MISSING_CLAIMS:
      return jwt_error (401, "PGRST301", error->message);
    case TANDEM_JWT_ERROR_MALFORMED:
    default:
      {
        guint parts = 1;
        g_autofree char *message = NULL;

        for (const char *p = token; *p != '\0'; p++)
          parts += *p == '.';
        if (token[0] == '\0')
          return jwt_error (401, "PGRST301", "Empty JWT is sent in Authorization header");
        if (parts != 3)
          {
            message = g_strdup_printf ("Expected 3 parts in JWT; got %u", parts);
            return jwt_error (401, "PGRST301", message);
          }
        return jwt_error (401, "PGRST301", "JWT couldn't be decoded");
      }
    }
}

const TandemRestAuth *
tandem_rest_auth_verify (TandemRestAuthCache  *cache,
                         const char           *authorization,
                         const char           *apikey,
                         gint64                now_unix,
                         TandemRestError     **error)
{
  g_autofree char *token = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(JsonObject) claims = NULL;
  TandemRestAuth *auth;
  const char *role;

  if (authorization != NULL)
    token = bearer_token (authorization);
  if (token == NULL && apikey != NULL)
    token = g_strstrip (g_strdup (apikey));
  if (token == NULL)
    {
      /* What Supabase's gateway answers before PostgREST sees the request. */
      *error = tandem_rest_error_new (401, "PGRST302", NULL, "No `apikey` request header or url param was found.",
                                      "No API key found in request");
      (*error)->www_authenticate = g_strdup ("Bearer");
      return NULL;
    }

  auth = g_hash_table_lookup (cache->tokens, token);
  if (auth != NULL && auth->exp > now_unix)
    return auth;

  claims = tandem_jwt_verify (token, cache->secret, TANDEM_JWT_VERIFY_REQUIRE_ROLE_EXP, now_unix, &local_error);
  if (claims == NULL)
    {
      g_hash_table_remove (cache->tokens, token);
      *error = map_jwt_error (local_error, token);
      return NULL;
    }

  role = json_object_get_string_member (claims, "role");
  if (!g_strv_contains (api_roles, role))
    {
      *error = tandem_rest_error_new (403, "42501", NULL, NULL, "permission denied to set role \"%s\"", role);
      return NULL;
    }

  auth = g_new0 (TandemRestAuth, 1);
  auth->role = g_strdup (role);
  auth->authenticated = !g_str_equal (role, "anon");
  {
    g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), claims);
    JsonNode *sub = json_object_get_member (claims, "sub");

    auth->claims_json = json_to_string (node, FALSE);
    auth->sub = g_strdup (sub != NULL && JSON_NODE_HOLDS_VALUE (sub) && json_node_get_value_type (sub) == G_TYPE_STRING
                          ? json_node_get_string (sub) : "");
  }
  if (!tandem_jwt_claims_get_exp (claims, &auth->exp))
    auth->exp = G_MAXINT64;

  if (g_hash_table_size (cache->tokens) >= MAX_CACHED_TOKENS)
    g_hash_table_remove_all (cache->tokens);
  g_hash_table_replace (cache->tokens, g_steal_pointer (&token), auth);
  return auth;
}
