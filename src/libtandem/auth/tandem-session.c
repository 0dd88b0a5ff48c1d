/* tandem-session.c: a signed-in session (tokens and user)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "tandem-auth.h"
#include "tandem-session-private.h"

/**
 * TandemSession:
 *
 * What GoTrue hands out when someone signs in: an access token (a JWT that
 * REST requests and channel joins carry), the refresh token that buys the
 * next one, when the access token expires, and the user.
 *
 * A session never changes: a refresh or a user update makes a new one, so a
 * session held by a caller stays consistent.
 */
struct _TandemSession
{
  GObject     parent_instance;

  char       *access_token;
  char       *refresh_token;
  char       *token_type;
  gint64      expires_in;   /* seconds */
  gint64      expires_at;   /* Unix seconds */
  JsonObject *user;         /* nullable */
};

G_DEFINE_FINAL_TYPE (TandemSession, tandem_session, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_ACCESS_TOKEN,
  PROP_REFRESH_TOKEN,
  PROP_EXPIRES_AT,
  PROP_USER_ID,
  PROP_EMAIL,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
tandem_session_finalize (GObject *object)
{
  TandemSession *self = TANDEM_SESSION (object);

  g_free (self->access_token);
  g_free (self->refresh_token);
  g_free (self->token_type);
  g_clear_pointer (&self->user, json_object_unref);
  G_OBJECT_CLASS (tandem_session_parent_class)->finalize (object);
}

static void
tandem_session_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  TandemSession *self = TANDEM_SESSION (object);

  switch (prop_id)
    {
    case PROP_ACCESS_TOKEN:
      g_value_set_string (value, self->access_token);
      break;
    case PROP_REFRESH_TOKEN:
      g_value_set_string (value, self->refresh_token);
      break;
    case PROP_EXPIRES_AT:
      g_value_set_int64 (value, self->expires_at);
      break;
    case PROP_USER_ID:
      g_value_set_string (value, tandem_session_get_user_id (self));
      break;
    case PROP_EMAIL:
      g_value_set_string (value, tandem_session_get_email (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tandem_session_class_init (TandemSessionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = tandem_session_finalize;
  object_class->get_property = tandem_session_get_property;

  /**
   * TandemSession:access-token:
   *
   * The JWT that requests carry.
   */
  properties[PROP_ACCESS_TOKEN] =
    g_param_spec_string ("access-token", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * TandemSession:refresh-token:
   *
   * The opaque token that buys the next access token (keep it in the
   * keyring to restore the session later).
   */
  properties[PROP_REFRESH_TOKEN] =
    g_param_spec_string ("refresh-token", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * TandemSession:expires-at:
   *
   * When the access token expires, in Unix seconds.
   */
  properties[PROP_EXPIRES_AT] =
    g_param_spec_int64 ("expires-at", NULL, NULL, G_MININT64, G_MAXINT64, 0,
                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * TandemSession:user-id:
   *
   * The user's id (a UUID), or %NULL when the answer had no user.
   */
  properties[PROP_USER_ID] =
    g_param_spec_string ("user-id", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * TandemSession:email:
   *
   * The user's email address, or %NULL.
   */
  properties[PROP_EMAIL] =
    g_param_spec_string ("email", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
tandem_session_init (TandemSession *self)
{
}

/* A JSON number (GoTrue writes integers; be lenient with 3600.0). */
static gboolean
get_number (JsonObject *object,
            const char *name,
            gint64     *value)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return FALSE;
  switch (json_node_get_value_type (node))
    {
    case G_TYPE_INT64:
      *value = json_node_get_int (node);
      return TRUE;
    case G_TYPE_DOUBLE:
      *value = (gint64) json_node_get_double (node);
      return TRUE;
    default:
      return FALSE;
    }
}

static const char *
get_string (JsonObject *object,
            const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

/**
 * tandem_session_new_from_json:
 * @response: a GoTrue token response (`{access_token, refresh_token,
 *   expires_in, expires_at?, token_type, user}`)
 * @now_unix: the time now, in Unix seconds, to compute `expires_at` when the
 *   response lacks it (older GoTrue versions omit it)
 * @error: return location for a #GError
 *
 * Reads a session from what `/token` and `/signup` answer. As auth-js does,
 * it takes the answer for a session only when it has an access token, a
 * refresh token and an expiry.
 *
 * Returns: (transfer full): a new session, or %NULL with
 *   %TANDEM_AUTH_ERROR_PROTOCOL
 */
TandemSession *
tandem_session_new_from_json (JsonObject  *response,
                              gint64       now_unix,
                              GError     **error)
{
  g_autoptr(TandemSession) self = NULL;
  const char *access_token, *refresh_token, *token_type;
  gint64 expires_in = 0, expires_at = 0;
  JsonNode *user;

  g_return_val_if_fail (response != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  access_token = get_string (response, "access_token");
  refresh_token = get_string (response, "refresh_token");
  if (access_token == NULL || *access_token == '\0' || refresh_token == NULL || *refresh_token == '\0' ||
      !get_number (response, "expires_in", &expires_in))
    {
      g_set_error_literal (error, TANDEM_AUTH_ERROR, TANDEM_AUTH_ERROR_PROTOCOL,
                           "The answer is not a session: it needs access_token, refresh_token and expires_in");
      return NULL;
    }
  if (!get_number (response, "expires_at", &expires_at) || expires_at <= 0)
    expires_at = now_unix + expires_in;

  user = json_object_get_member (response, "user");
  if (user != NULL && !JSON_NODE_HOLDS_OBJECT (user) && !JSON_NODE_HOLDS_NULL (user))
    {
      g_set_error_literal (error, TANDEM_AUTH_ERROR, TANDEM_AUTH_ERROR_PROTOCOL,
                           "The session's user is not an object");
      return NULL;
    }
  token_type = get_string (response, "token_type");

  self = g_object_new (TANDEM_TYPE_SESSION, NULL);
  self->access_token = g_strdup (access_token);
  self->refresh_token = g_strdup (refresh_token);
  self->token_type = g_strdup (token_type ? token_type : "bearer");
  self->expires_in = expires_in;
  self->expires_at = expires_at;
  if (user != NULL && JSON_NODE_HOLDS_OBJECT (user))
    self->user = json_object_ref (json_node_get_object (user));
  return g_steal_pointer (&self);
}

/**
 * tandem_session_get_access_token:
 * @self: a #TandemSession
 *
 * Returns: the access token (a JWT)
 */
const char *
tandem_session_get_access_token (TandemSession *self)
{
  g_return_val_if_fail (TANDEM_IS_SESSION (self), NULL);
  return self->access_token;
}

/**
 * tandem_session_get_refresh_token:
 * @self: a #TandemSession
 *
 * Returns: the refresh token
 */
const char *
tandem_session_get_refresh_token (TandemSession *self)
{
  g_return_val_if_fail (TANDEM_IS_SESSION (self), NULL);
  return self->refresh_token;
}

/**
 * tandem_session_get_expires_at:
 * @self: a #TandemSession
 *
 * Returns: when the access token expires, in Unix seconds
 */
gint64
tandem_session_get_expires_at (TandemSession *self)
{
  g_return_val_if_fail (TANDEM_IS_SESSION (self), 0);
  return self->expires_at;
}

/**
 * tandem_session_get_user:
 * @self: a #TandemSession
 *
 * Returns: (transfer none) (nullable): the user as GoTrue describes it
 *   (`id`, `email`, `user_metadata`, `app_metadata`, …)
 */
JsonObject *
tandem_session_get_user (TandemSession *self)
{
  g_return_val_if_fail (TANDEM_IS_SESSION (self), NULL);
  return self->user;
}

/**
 * tandem_session_get_user_id:
 * @self: a #TandemSession
 *
 * Returns: (nullable): the user's id
 */
const char *
tandem_session_get_user_id (TandemSession *self)
{
  g_return_val_if_fail (TANDEM_IS_SESSION (self), NULL);
  return self->user ? get_string (self->user, "id") : NULL;
}

/**
 * tandem_session_get_email:
 * @self: a #TandemSession
 *
 * Returns: (nullable): the user's email address
 */
const char *
tandem_session_get_email (TandemSession *self)
{
  g_return_val_if_fail (TANDEM_IS_SESSION (self), NULL);
  return self->user ? get_string (self->user, "email") : NULL;
}

gint64
_tandem_session_get_expires_in (TandemSession *self)
{
  return self->expires_in;
}

TandemSession *
_tandem_session_new_with_user (TandemSession *self,
                               JsonObject    *user)
{
  TandemSession *copy = g_object_new (TANDEM_TYPE_SESSION, NULL);

  copy->access_token = g_strdup (self->access_token);
  copy->refresh_token = g_strdup (self->refresh_token);
  copy->token_type = g_strdup (self->token_type);
  copy->expires_in = self->expires_in;
  copy->expires_at = self->expires_at;
  copy->user = user ? json_object_ref (user) : NULL;
  return copy;
}
