/* tandem-auth-impl-private.h: the inside of TandemAuth, shared by its files
 *
 *   tandem-auth.c          the object, sign-up, sign-in, the user, sign-out
 *   tandem-auth-refresh.c  refreshing: shared requests, automatic refresh on
 *                          the clock, restore, ensure_fresh_token
 *   tandem-auth-http.c     GoTrue requests and GoTrue errors as GErrors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <libsoup/soup.h>

#include "tandem-auth-private.h"
#include "tandem-session-private.h"

G_BEGIN_DECLS

/* The retries of a failed automatic refresh (network or 5xx): auth-js waits
 * 200 ms, 400 ms, 800 ms… before each; here the wait stops growing at 30 s
 * (auth-js's tick) and the retries go on while the session lasts. */
#define TANDEM_AUTH_RETRY_FIRST_MS 200
#define TANDEM_AUTH_RETRY_MAX_MS   30000

struct _TandemAuth
{
  GObject        parent_instance;

  SoupSession   *soup_session;
  char          *auth_url;
  char          *api_key;
  TandemClock   *clock;

  TandemSession *session;            /* nullable */
  guint64        generation;         /* bumped whenever the session is replaced */

  /* The refresh in flight; whoever asks meanwhile waits for it. */
  gboolean       refreshing;
  GCancellable  *refresh_cancellable;
  GQueue         refresh_waiters;    /* GTask * */

  /* The automatic refresh (or its retry) on the clock. */
  guint          refresh_timeout_id;
  guint          retry_attempt;      /* failed refreshes in a row */
};

/* ---- tandem-auth.c ---- */

/* Replaces the session (NULL: signed out), notifies :session and emits
 * ::session-changed with @event, and reschedules the automatic refresh. */
void           _tandem_auth_set_session         (TandemAuth         *self,
                                                 TandemSession      *session,
                                                 TandemAuthEvent     event);
/* Unix seconds, on the clock. */
gint64         _tandem_auth_now                 (TandemAuth         *self);

/* ---- tandem-auth-refresh.c ---- */

/* How long before expiry to refresh @session: the margin, or half the
 * token's lifetime for tokens shorter-lived than twice the margin (so a
 * 10 s token is not refreshed in a loop). */
gint64         _tandem_auth_refresh_margin      (TandemSession      *session);
void           _tandem_auth_schedule_refresh    (TandemAuth         *self);
void           _tandem_auth_stop_refresh        (TandemAuth         *self);
/* Refreshes the current session, or joins the refresh in flight. */
void           _tandem_auth_refresh_shared_async  (TandemAuth          *self,
                                                   GCancellable        *cancellable,
                                                   GAsyncReadyCallback  callback,
                                                   gpointer             user_data);
TandemSession *_tandem_auth_refresh_shared_finish (TandemAuth          *self,
                                                   GAsyncResult        *result,
                                                   GError             **error);

/* ---- tandem-auth-http.c ---- */

/* Sends a GoTrue request to <auth_url>@path (path and query), with the
 * headers auth-js sends; @bearer is the user's JWT, or NULL for the API key.
 * The result is the parsed body (NULL without error for an empty one). */
void           _tandem_auth_send_async          (TandemAuth          *self,
                                                 const char          *method,
                                                 const char          *path,
                                                 const char          *bearer,
                                                 JsonNode            *body,
                                                 GCancellable        *cancellable,
                                                 GAsyncReadyCallback  callback,
                                                 gpointer             user_data);
JsonNode      *_tandem_auth_send_finish         (TandemAuth          *self,
                                                 GAsyncResult        *result,
                                                 GError             **error);

/* A GError in TANDEM_AUTH_ERROR carrying GoTrue's @code string and the HTTP
 * @status (0: no answer). */
GError        *_tandem_auth_error_new           (TandemAuthError     error_code,
                                                 const char          *gotrue_code,
                                                 guint                status,
                                                 const char          *message);
/* A GoTrue error answer as a GError: the code from "code" (2024-01-01 shape)
 * or "error_code" (legacy) or "error" (OAuth shape), the message from "msg",
 * "message", "error_description" or "error", as auth-js reads them; 5xx is
 * SERVER whatever the body. */
GError        *_tandem_auth_error_from_response (guint                status,
                                                 const char          *body,
                                                 gsize                length);
/* The HTTP status of an auth error, or 0. */
guint          _tandem_auth_error_get_status    (const GError        *error);
/* Whether trying again later may work (network, 5xx, 429). */
gboolean       _tandem_auth_error_is_retryable  (const GError        *error);

G_END_DECLS
