/* tandem-workspace-error.h: why opening a workspace failed, and which
 * field of the sign-in form the message belongs to
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define TANDEM_WORKSPACE_ERROR (tandem_workspace_error_quark ())

/**
 * TandemWorkspaceError:
 * @TANDEM_WORKSPACE_ERROR_INVALID_URL: not an http(s) URL, or not a project
 * @TANDEM_WORKSPACE_ERROR_UNREACHABLE: the server could not be reached
 * @TANDEM_WORKSPACE_ERROR_INVALID_KEY: the server refused the API key
 * @TANDEM_WORKSPACE_ERROR_INVALID_EMAIL: the address is missing or malformed
 * @TANDEM_WORKSPACE_ERROR_INVALID_CREDENTIALS: wrong email or password
 * @TANDEM_WORKSPACE_ERROR_USER_EXISTS: sign-up with a registered address
 * @TANDEM_WORKSPACE_ERROR_WEAK_PASSWORD: the password is too weak
 * @TANDEM_WORKSPACE_ERROR_INVALID_NAME: a local workspace needs a name
 * @TANDEM_WORKSPACE_ERROR_SERVER_FAILED: the local server did not start
 * @TANDEM_WORKSPACE_ERROR_SESSION_EXPIRED: the stored session is gone; the
 *   password is needed again
 * @TANDEM_WORKSPACE_ERROR_KEYRING: the keyring could not be used
 * @TANDEM_WORKSPACE_ERROR_FAILED: anything else (the message says what)
 */
typedef enum
{
  TANDEM_WORKSPACE_ERROR_INVALID_URL,
  TANDEM_WORKSPACE_ERROR_UNREACHABLE,
  TANDEM_WORKSPACE_ERROR_INVALID_KEY,
  TANDEM_WORKSPACE_ERROR_INVALID_EMAIL,
  TANDEM_WORKSPACE_ERROR_INVALID_CREDENTIALS,
  TANDEM_WORKSPACE_ERROR_USER_EXISTS,
  TANDEM_WORKSPACE_ERROR_WEAK_PASSWORD,
  TANDEM_WORKSPACE_ERROR_INVALID_NAME,
  TANDEM_WORKSPACE_ERROR_SERVER_FAILED,
  TANDEM_WORKSPACE_ERROR_SESSION_EXPIRED,
  TANDEM_WORKSPACE_ERROR_KEYRING,
  TANDEM_WORKSPACE_ERROR_FAILED,
} TandemWorkspaceError;

/**
 * TandemWorkspaceField:
 * @TANDEM_WORKSPACE_FIELD_NONE: no field (show it as a toast)
 * @TANDEM_WORKSPACE_FIELD_URL: the project URL
 * @TANDEM_WORKSPACE_FIELD_KEY: the anon key
 * @TANDEM_WORKSPACE_FIELD_EMAIL: the email address
 * @TANDEM_WORKSPACE_FIELD_PASSWORD: the password
 * @TANDEM_WORKSPACE_FIELD_NAME: the local workspace's "your name"
 */
typedef enum
{
  TANDEM_WORKSPACE_FIELD_NONE,
  TANDEM_WORKSPACE_FIELD_URL,
  TANDEM_WORKSPACE_FIELD_KEY,
  TANDEM_WORKSPACE_FIELD_EMAIL,
  TANDEM_WORKSPACE_FIELD_PASSWORD,
  TANDEM_WORKSPACE_FIELD_NAME,
} TandemWorkspaceField;

GQuark               tandem_workspace_error_quark     (void) G_GNUC_CONST;

/* The form field @error is about (any domain: a TANDEM_WORKSPACE_ERROR, or
 * a libtandem client or auth error not yet translated). */
TandemWorkspaceField tandem_workspace_error_get_field (const GError *error);

/* Turns a libtandem error (TANDEM_CLIENT_ERROR, TANDEM_AUTH_ERROR, GIO and
 * libsoup network errors) into a TANDEM_WORKSPACE_ERROR with a message for
 * people; anything else is returned as is. Takes @error. */
GError              *tandem_workspace_error_translate (GError       *error);

G_END_DECLS
