/* tandem-client.c: one connection to a Supabase project
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "tandem-auth-private.h"
#include "tandem-channel-private.h"
#include "tandem-client-internal.h"
#include "tandem-query-private.h"
#include "tandem-enums.h"

/**
 * TandemClient:
 *
 * A client of one Supabase project (or a local tandem-server): the project
 * URL and API key, one #SoupSession that carries the Realtime WebSocket and
 * every HTTP request, the signed-in session (#TandemAuth), the channels, and
 * REST queries (tandem_client_from()).
 *
 * The Realtime connection opens lazily, when the first channel subscribes
 * (or on tandem_client_connect()), and then stays up by itself:
 * heartbeats every #TandemClient:heartbeat-interval detect a dead
 * connection; a lost one is reopened after 1, 2, 4, 8, 16, then 30 s (each
 * ±20% at random), at most 10 times before #TandemClient:status becomes
 * %TANDEM_STATUS_ERROR; three closes within 10 s mean a server that accepts
 * and drops us, and the next attempt waits 30 s. Every minute a health
 * check restarts the attempts of a client in ERROR and rejoins channels
 * that stayed in ERROR for over three minutes. The network coming back
 * (#GNetworkMonitor) and resuming from suspend (logind's PrepareForSleep)
 * reconnect at once, as tandem_client_reconnect_now() does.
 */
G_DEFINE_FINAL_TYPE (TandemClient, tandem_client, G_TYPE_OBJECT)

G_DEFINE_QUARK (tandem-client-error-quark, tandem_client_error)

enum
{
  PROP_0,
  PROP_URL,
  PROP_API_KEY,
  PROP_PROTOCOL_VERSION,
  PROP_SESSION,
  PROP_AUTH,
  PROP_ACCESS_TOKEN,
  PROP_STATUS,
  PROP_HEARTBEAT_INTERVAL,
  PROP_HEARTBEAT_RTT,
  PROP_PUSH_TIMEOUT,
  PROP_MAX_MESSAGE_SIZE,
  PROP_MAX_CHANNELS,
  PROP_EVENTS_PER_SECOND,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum
{
  CHANNEL_STATUS_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
tandem_client_dispose (GObject *object)
{
  TandemClient *self = TANDEM_CLIENT (object);

  /* Channels first: leaving them may still use the connection. */
  _tandem_client_channels_dispose (self);
  _tandem_client_realtime_dispose (self);
  if (self->auth != NULL)
    g_signal_handlers_disconnect_by_data (self->auth, self);
  g_clear_object (&self->auth);
  G_OBJECT_CLASS (tandem_client_parent_class)->dispose (object);
}

static void
tandem_client_finalize (GObject *object)
{
  TandemClient *self = TANDEM_CLIENT (object);

  /* As libsoup's connection: nothing may fire once we are gone. */
  g_assert (self->health_id == 0);
  g_assert (self->connection == NULL);

  g_clear_object (&self->session);
  g_clear_object (&self->clock);
  g_free (self->url);
  g_free (self->api_key);
  g_free (self->rest_url);
  g_free (self->auth_url);
  g_free (self->realtime_url);
  g_free (self->access_token);
  g_free (self->last_token);
  G_OBJECT_CLASS (tandem_client_parent_class)->finalize (object);
}

static void
tandem_client_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  TandemClient *self = TANDEM_CLIENT (object);

  switch (prop_id)
    {
    case PROP_URL:
      g_value_set_string (value, self->url);
      break;
    case PROP_API_KEY:
      g_value_set_string (value, self->api_key);
      break;
    case PROP_PROTOCOL_VERSION:
      g_value_set_enum (value, self->protocol_version);
      break;
    case PROP_SESSION:
      g_value_set_object (value, self->session);
      break;
    case PROP_AUTH:
      g_value_set_object (value, self->auth);
      break;
    case PROP_ACCESS_TOKEN:
      g_value_set_string (value, tandem_client_get_access_token (self));
      break;
    case PROP_STATUS:
      g_value_set_enum (value, self->status);
      break;
    case PROP_HEARTBEAT_INTERVAL:
      g_value_set_uint (value, self->heartbeat_interval_ms);
      break;
    case PROP_HEARTBEAT_RTT:
      g_value_set_int64 (value, self->heartbeat_rtt_ms);
      break;
    case PROP_PUSH_TIMEOUT:
      g_value_set_uint (value, self->push_timeout_ms);
      break;
    case PROP_MAX_MESSAGE_SIZE:
      g_value_set_uint64 (value, self->max_message_size);
      break;
    case PROP_MAX_CHANNELS:
      g_value_set_uint (value, self->max_channels);
      break;
    case PROP_EVENTS_PER_SECOND:
      g_value_set_uint (value, self->events_per_second);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tandem_client_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  TandemClient *self = TANDEM_CLIENT (object);

  switch (prop_id)
    {
    case PROP_URL:
      self->url = g_value_dup_string (value);
      break;
    case PROP_API_KEY:
      self->api_key = g_value_dup_string (value);
      break;
    case PROP_PROTOCOL_VERSION:
      self->protocol_version = g_value_get_enum (value);
      break;
    case PROP_ACCESS_TOKEN:
      tandem_client_set_access_token (self, g_value_get_string (value));
      break;
    case PROP_HEARTBEAT_INTERVAL:
      self->heartbeat_interval_ms = g_value_get_uint (value);
      break;
    case PROP_PUSH_TIMEOUT:
      self->push_timeout_ms = g_value_get_uint (value);
      break;
    case PROP_MAX_MESSAGE_SIZE:
      self->max_message_size = g_value_get_uint64 (value);
      break;
    case PROP_MAX_CHANNELS:
      if (self->max_channels != g_value_get_uint (value))
        {
          self->max_channels = g_value_get_uint (value);
          g_object_notify_by_pspec (object, pspec);
        }
      break;
    case PROP_EVENTS_PER_SECOND:
      self->events_per_second = g_value_get_uint (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
on_auth_session_notify (TandemClient *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ACCESS_TOKEN]);
}

static void
tandem_client_constructed (GObject *object)
{
  TandemClient *self = TANDEM_CLIENT (object);
  gsize len;

  G_OBJECT_CLASS (tandem_client_parent_class)->constructed (object);

  /* tandem_client_new() validated it; a bare g_object_new() may not have. */
  if (self->url == NULL)
    self->url = g_strdup ("http://127.0.0.1:54321");
  len = strlen (self->url);
  while (len > 0 && self->url[len - 1] == '/')
    self->url[--len] = '\0';
  if (self->api_key == NULL)
    self->api_key = g_strdup ("");

  self->rest_url = g_strconcat (self->url, "/rest/v1", NULL);
  self->auth_url = g_strconcat (self->url, "/auth/v1", NULL);
  self->realtime_url = g_strconcat (self->url, "/realtime/v1", NULL);
  self->session = soup_session_new_with_options ("user-agent", "tandem/" PACKAGE_VERSION " ", NULL);
  self->clock = g_object_ref (tandem_clock_get_default ());
  self->auth = _tandem_auth_new (self->session, self->auth_url, self->api_key, self->clock);
  g_signal_connect_object (self->auth, "notify::session", G_CALLBACK (on_auth_session_notify),
                           self, G_CONNECT_SWAPPED);

  _tandem_client_channels_init (self);
  _tandem_client_realtime_init (self);
}

static void
tandem_client_class_init (TandemClientClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = tandem_client_dispose;
  object_class->finalize = tandem_client_finalize;
  object_class->get_property = tandem_client_get_property;
  object_class->set_property = tandem_client_set_property;
  object_class->constructed = tandem_client_constructed;

  /**
   * TandemClient:url:
   *
   * The project URL, such as `https://<ref>.supabase.co` or
   * `http://127.0.0.1:54321`.
   */
  properties[PROP_URL] =
    g_param_spec_string ("url", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /**
   * TandemClient:api-key:
   *
   * The project's API key (the anon key, usually).
   */
  properties[PROP_API_KEY] =
    g_param_spec_string ("api-key", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /**
   * TandemClient:protocol-version:
   *
   * The Realtime serializer (2.0.0 by default, as current realtime-js).
   */
  properties[PROP_PROTOCOL_VERSION] =
    g_param_spec_enum ("protocol-version", NULL, NULL,
                       TANDEM_TYPE_PROTOCOL_VERSION, TANDEM_PROTOCOL_2_0_0,
                       G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /**
   * TandemClient:session:
   *
   * The #SoupSession that carries the WebSocket and every HTTP request.
   */
  properties[PROP_SESSION] =
    g_param_spec_object ("session", NULL, NULL, SOUP_TYPE_SESSION,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  /**
   * TandemClient:auth:
   *
   * The project's #TandemAuth: sign-in and the session.
   */
  properties[PROP_AUTH] =
    g_param_spec_object ("auth", NULL, NULL, TANDEM_TYPE_AUTH,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  /**
   * TandemClient:access-token:
   *
   * The token joins and requests carry: the session's access token, else
   * the one set here, else the API key.
   */
  properties[PROP_ACCESS_TOKEN] =
    g_param_spec_string ("access-token", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * TandemClient:status:
   *
   * The state of the Realtime connection. %TANDEM_STATUS_ERROR means the
   * retries ran out; the health check starts them again within a minute.
   */
  properties[PROP_STATUS] =
    g_param_spec_enum ("status", NULL, NULL, TANDEM_TYPE_STATUS, TANDEM_STATUS_DISCONNECTED,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * TandemClient:heartbeat-interval:
   *
   * Milliseconds between heartbeats (realtime-js: 25 000). A heartbeat
   * still unanswered when the next is due closes the connection and opens
   * a new one. 0 disables heartbeats (the server then closes an idle
   * connection after 60 s).
   */
  properties[PROP_HEARTBEAT_INTERVAL] =
    g_param_spec_uint ("heartbeat-interval", NULL, NULL, 0, G_MAXINT32, TANDEM_CLIENT_DEFAULT_HEARTBEAT_MS,
                       G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /**
   * TandemClient:heartbeat-rtt:
   *
   * The round trip of the last answered heartbeat in milliseconds, or -1
   * before the first.
   */
  properties[PROP_HEARTBEAT_RTT] =
    g_param_spec_int64 ("heartbeat-rtt", NULL, NULL, -1, G_MAXINT64, -1,
                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * TandemClient:push-timeout:
   *
   * Milliseconds to wait for the reply to a join, leave, presence call or
   * acknowledged broadcast (realtime-js: 10 000); also bounds the
   * WebSocket handshake.
   */
  properties[PROP_PUSH_TIMEOUT] =
    g_param_spec_uint ("push-timeout", NULL, NULL, 1, G_MAXINT32, TANDEM_CLIENT_DEFAULT_PUSH_TIMEOUT_MS,
                       G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /**
   * TandemClient:max-message-size:
   *
   * The largest frame in bytes sent or accepted: 5 000 000 by default, the
   * frame cap of Supabase Realtime (whose payload limit is 3 000 KB), far
   * above libsoup's default of 128 KiB. Larger outgoing messages fail with
   * %TANDEM_CLIENT_ERROR_PAYLOAD_TOO_LARGE; larger incoming frames are
   * dropped.
   */
  properties[PROP_MAX_MESSAGE_SIZE] =
    g_param_spec_uint64 ("max-message-size", NULL, NULL, 1024, G_MAXUINT32,
                         TANDEM_CLIENT_DEFAULT_MAX_MESSAGE_SIZE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /**
   * TandemClient:max-channels:
   *
   * How many channels the client keeps. When tandem_client_channel()
   * makes a new one beyond this, the idle channel (unsubscribed and used
   * by no one) that has been idle longest is released first. When every
   * channel is in use the new one is made anyway, above the cap, and the
   * fact is logged (g_info()): refusing would break the caller.
   */
  properties[PROP_MAX_CHANNELS] =
    g_param_spec_uint ("max-channels", NULL, NULL, 1, G_MAXINT32, TANDEM_CLIENT_DEFAULT_MAX_CHANNELS,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * TandemClient:events-per-second:
   *
   * Broadcasts per second the client sends at most, over all its
   * channels; more wait their turn (in order, none dropped). The default,
   * 100, is Supabase's default tenant limit on messages per second, which
   * closes channels that exceed it.
   */
  properties[PROP_EVENTS_PER_SECOND] =
    g_param_spec_uint ("events-per-second", NULL, NULL, 1, G_MAXINT32, TANDEM_CLIENT_DEFAULT_EVENTS_PER_SEC,
                       G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * TandemClient::channel-status-changed:
   * @self: the client
   * @channel: the channel
   * @old_status: its previous status
   * @new_status: its new status
   *
   * A channel's status changed. The detail is the channel name:
   * `channel-status-changed::room1`.
   */
  signals[CHANNEL_STATUS_CHANGED] =
    g_signal_new ("channel-status-changed", G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST | G_SIGNAL_DETAILED, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 3, TANDEM_TYPE_CHANNEL, TANDEM_TYPE_STATUS, TANDEM_TYPE_STATUS);
}

static void
tandem_client_init (TandemClient *self)
{
  self->protocol_version = TANDEM_PROTOCOL_2_0_0;
  self->heartbeat_interval_ms = TANDEM_CLIENT_DEFAULT_HEARTBEAT_MS;
  self->push_timeout_ms = TANDEM_CLIENT_DEFAULT_PUSH_TIMEOUT_MS;
  self->max_message_size = TANDEM_CLIENT_DEFAULT_MAX_MESSAGE_SIZE;
  self->max_channels = TANDEM_CLIENT_DEFAULT_MAX_CHANNELS;
  self->events_per_second = TANDEM_CLIENT_DEFAULT_EVENTS_PER_SEC;
  self->status = TANDEM_STATUS_DISCONNECTED;
  self->heartbeat_rtt_ms = -1;
  self->system_integration = TRUE;
}

/**
 * tandem_client_new:
 * @url: the project URL (http or https)
 * @api_key: the project's API key
 * @error: return location for a #GError
 *
 * Creates a client. Nothing is connected until a channel is subscribed or
 * tandem_client_connect() is called.
 *
 * Returns: (transfer full): a new client, or %NULL with
 *   %TANDEM_CLIENT_ERROR_INVALID_URL
 */
TandemClient *
tandem_client_new (const char  *url,
                   const char  *api_key,
                   GError     **error)
{
  g_autoptr(GUri) uri = NULL;
  const char *scheme;

  g_return_val_if_fail (url != NULL, NULL);
  g_return_val_if_fail (api_key != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);
  scheme = uri ? g_uri_get_scheme (uri) : NULL;
  if (uri == NULL || (g_strcmp0 (scheme, "http") != 0 && g_strcmp0 (scheme, "https") != 0) ||
      g_uri_get_host (uri) == NULL || *g_uri_get_host (uri) == '\0' ||
      g_uri_get_query (uri) != NULL || g_uri_get_fragment (uri) != NULL)
    {
      g_set_error (error, TANDEM_CLIENT_ERROR, TANDEM_CLIENT_ERROR_INVALID_URL,
                   "“%s” is not a project URL (such as https://example.supabase.co)", url);
      return NULL;
    }

  return g_object_new (TANDEM_TYPE_CLIENT, "url", url, "api-key", api_key, NULL);
}

/**
 * tandem_client_get_url:
 * @self: a #TandemClient
 *
 * Returns: the project URL, without a trailing slash
 */
const char *
tandem_client_get_url (TandemClient *self)
{
  g_return_val_if_fail (TANDEM_IS_CLIENT (self), NULL);
  return self->url;
}

/**
 * tandem_client_get_api_key:
 * @self: a #TandemClient
 *
 * Returns: the project's API key
 */
const char *
tandem_client_get_api_key (TandemClient *self)
{
  g_return_val_if_fail (TANDEM_IS_CLIENT (self), NULL);
  return self->api_key;
}

/**
 * tandem_client_get_session:
 * @self: a #TandemClient
 *
 * Returns: (transfer none): the client's #SoupSession
 */
SoupSession *
tandem_client_get_session (TandemClient *self)
{
  g_return_val_if_fail (TANDEM_IS_CLIENT (self), NULL);
  return self->session;
}

/**
 * tandem_client_get_auth:
 * @self: a #TandemClient
 *
 * Returns: (transfer none): the client's #TandemAuth
 */
TandemAuth *
tandem_client_get_auth (TandemClient *self)
{
  g_return_val_if_fail (TANDEM_IS_CLIENT (self), NULL);
  return self->auth;
}

/**
 * tandem_client_get_protocol_version:
 * @self: a #TandemClient
 *
 * Returns: the Realtime serializer the client speaks
 */
TandemProtocolVersion
tandem_client_get_protocol_version (TandemClient *self)
{
  g_return_val_if_fail (TANDEM_IS_CLIENT (self), TANDEM_PROTOCOL_2_0_0);
  return self->protocol_version;
}

/**
 * tandem_client_get_access_token:
 * @self: a #TandemClient
 *
 * Returns: the token joins and REST requests carry now: the signed-in
 *   session's access token, else the token set with
 *   tandem_client_set_access_token(), else the API key
 */
const char *
tandem_client_get_access_token (TandemClient *self)
{
  const char *session_token;

  g_return_val_if_fail (TANDEM_IS_CLIENT (self), NULL);

  session_token = self->auth ? tandem_auth_get_access_token (self->auth) : NULL;
  if (session_token != NULL)
    return session_token;
  if (self->access_token != NULL)
    return self->access_token;
  return self->api_key;
}

/**
 * tandem_client_set_access_token:
 * @self: a #TandemClient
 * @token: (nullable): a JWT, or %NULL to go back to the API key
 *
 * Sets the token to use when no one is signed in through #TandemAuth (an
 * agent with a JWT of its own, for instance).
 */
void
tandem_client_set_access_token (TandemClient *self,
                                const char   *token)
{
  g_return_if_fail (TANDEM_IS_CLIENT (self));

  if (g_strcmp0 (self->access_token, token) == 0)
    return;
  g_free (self->access_token);
  self->access_token = g_strdup (token);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ACCESS_TOKEN]);
}

/**
 * tandem_client_from:
 * @self: a #TandemClient
 * @table: a table or view name
 *
 * Starts a REST query on @table.
 *
 * Returns: (transfer full): a new #TandemQuery
 */
TandemQuery *
tandem_client_from (TandemClient *self,
                    const char   *table)
{
  g_return_val_if_fail (TANDEM_IS_CLIENT (self), NULL);
  g_return_val_if_fail (table != NULL, NULL);
  return _tandem_query_new_table (self, table);
}

/**
 * tandem_client_rpc:
 * @self: a #TandemClient
 * @function: an SQL function exposed by the API
 * @args: (nullable): its arguments, a JSON object
 *
 * Starts a call of @function.
 *
 * Returns: (transfer full): a new #TandemQuery
 */
TandemQuery *
tandem_client_rpc (TandemClient *self,
                   const char   *function,
                   JsonNode     *args)
{
  g_return_val_if_fail (TANDEM_IS_CLIENT (self), NULL);
  g_return_val_if_fail (function != NULL, NULL);
  return _tandem_query_new_rpc (self, function, args);
}

const char *
_tandem_client_get_rest_url (TandemClient *self)
{
  return self->rest_url;
}

const char *
_tandem_client_get_auth_url (TandemClient *self)
{
  return self->auth_url;
}

const char *
_tandem_client_get_realtime_url (TandemClient *self)
{
  return self->realtime_url;
}

TandemClock *
_tandem_client_get_clock (TandemClient *self)
{
  return self->clock;
}

void
_tandem_client_set_clock (TandemClient *self,
                          TandemClock  *clock)
{
  g_set_object (&self->clock, clock);
  _tandem_auth_set_clock (self->auth, clock);
  _tandem_connection_set_clock (self->connection, clock);
  g_clear_pointer (&self->events_limiter, _tandem_rate_limiter_free);
}

void
_tandem_client_notify_status (TandemClient *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATUS]);
}

void
_tandem_client_notify_heartbeat_rtt (TandemClient *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HEARTBEAT_RTT]);
}

void
_tandem_client_emit_channel_status (TandemClient  *self,
                                    TandemChannel *channel,
                                    TandemStatus   old_status,
                                    TandemStatus   new_status)
{
  /* g_quark_try_string: see _tandem_channel_emit_broadcast(). */
  g_signal_emit (self, signals[CHANNEL_STATUS_CHANGED],
                 g_quark_try_string (tandem_channel_get_name (channel)), channel, old_status, new_status);
}
