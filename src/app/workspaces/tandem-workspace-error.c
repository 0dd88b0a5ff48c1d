/* tandem-workspace-error.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tandem-workspace"

#include "config.h"

#include <glib/gi18n.h>
#include <libsoup/soup.h>

#include "tandem.h"
#include "tandem-workspace-error.h"

G_DEFINE_QUARK (tandem-workspace-error-quark, tandem_workspace_error)

TandemWorkspaceField
tandem_workspace_error_get_field (const GError *error)
{
  g_autoptr(GError) copy = NULL;

  if (error == NULL)
    return TANDEM_WORKSPACE_FIELD_NONE;

  if (error->domain != TANDEM_WORKSPACE_ERROR)
    {
      copy = tandem_workspace_error_translate (g_error_copy (error));
      if (copy->domain != TANDEM_WORKSPACE_ERROR)
        return TANDEM_WORKSPACE_FIELD_NONE;
      error = copy;
    }

  switch ((TandemWorkspaceError) error->code)
    {
    case TANDEM_WORKSPACE_ERROR_INVALID_URL:
    case TANDEM_WORKSPACE_ERROR_UNREACHABLE:
      return TANDEM_WORKSPACE_FIELD_URL;
    case TANDEM_WORKSPACE_ERROR_INVALID_KEY:
      return TANDEM_WORKSPACE_FIELD_KEY;
    case TANDEM_WORKSPACE_ERROR_INVALID_EMAIL:
    case TANDEM_WORKSPACE_ERROR_USER_EXISTS:
      return TANDEM_WORKSPACE_FIELD_EMAIL;
    case TANDEM_WORKSPACE_ERROR_INVALID_CREDENTIALS:
    case TANDEM_WORKSPACE_ERROR_WEAK_PASSWORD:
    case TANDEM_WORKSPACE_ERROR_SESSION_EXPIRED:
      return TANDEM_WORKSPACE_FIELD_PASSWORD;
    case TANDEM_WORKSPACE_ERROR_INVALID_NAME:
    case TANDEM_WORKSPACE_ERROR_SERVER_FAILED:
      return TANDEM_WORKSPACE_FIELD_NAME;
    case TANDEM_WORKSPACE_ERROR_KEYRING:
    case TANDEM_WORKSPACE_ERROR_FAILED:
    default:
      return TANDEM_WORKSPACE_FIELD_NONE;
    }
}

static gboolean
is_network_error (const GError *error)
{
  if (error->domain == G_RESOLVER_ERROR || error->domain == G_TLS_ERROR)
    return TRUE;
  if (error->domain == G_IO_ERROR)
    return error->code == G_IO_ERROR_CONNECTION_REFUSED ||
           error->code == G_IO_ERROR_HOST_NOT_FOUND ||
           error->code == G_IO_ERROR_HOST_UNREACHABLE ||
           error->code == G_IO_ERROR_NETWORK_UNREACHABLE ||
           error->code == G_IO_ERROR_TIMED_OUT ||
           error->code == G_IO_ERROR_CONNECTION_CLOSED ||
           error->code == G_IO_ERROR_BROKEN_PIPE ||
           error->code == G_IO_ERROR_PROXY_FAILED;
  return error->domain == TANDEM_CLIENT_ERROR && error->code == TANDEM_CLIENT_ERROR_CONNECTION;
}

static GError *
replace (GError     *error,
         int         code,
         const char *message)
{
  GError *result = g_error_new_literal (TANDEM_WORKSPACE_ERROR, code, message);

  g_debug ("%s → %s", error->message, message);
  g_error_free (error);
  return result;
}

GError *
tandem_workspace_error_translate (GError *error)
{
  g_return_val_if_fail (error != NULL, NULL);

  if (error->domain == TANDEM_WORKSPACE_ERROR)
    return error;

  if (error->domain == TANDEM_CLIENT_ERROR && error->code == TANDEM_CLIENT_ERROR_INVALID_URL)
    return replace (error, TANDEM_WORKSPACE_ERROR_INVALID_URL,
                    _("Enter the project’s address, such as https://project.supabase.co"));

  if (is_network_error (error))
    {
      g_autofree char *message =
        g_strdup_printf (_("The server cannot be reached (%s). Check the address and your connection."),
                         error->message);
      return replace (error, TANDEM_WORKSPACE_ERROR_UNREACHABLE, message);
    }

  if (error->domain == TANDEM_AUTH_ERROR)
    {
      const char *code = tandem_auth_error_get_code (error);

      switch ((TandemAuthError) error->code)
        {
        case TANDEM_AUTH_ERROR_INVALID_CREDENTIALS:
          return replace (error, TANDEM_WORKSPACE_ERROR_INVALID_CREDENTIALS,
                          _("The email address or the password is wrong"));
        case TANDEM_AUTH_ERROR_USER_EXISTS:
          return replace (error, TANDEM_WORKSPACE_ERROR_USER_EXISTS,
                          _("This email address already has an account: sign in instead"));
        case TANDEM_AUTH_ERROR_WEAK_PASSWORD:
          {
            g_autofree char *message = g_strdup_printf (_("This password is too weak: %s"), error->message);
            return replace (error, TANDEM_WORKSPACE_ERROR_WEAK_PASSWORD, message);
          }
        case TANDEM_AUTH_ERROR_VALIDATION:
          {
            g_autofree char *message = g_strdup_printf (_("Check the email address: %s"), error->message);
            return replace (error, TANDEM_WORKSPACE_ERROR_INVALID_EMAIL, message);
          }
        case TANDEM_AUTH_ERROR_SESSION_EXPIRED:
        case TANDEM_AUTH_ERROR_NOT_SIGNED_IN:
          return replace (error, TANDEM_WORKSPACE_ERROR_SESSION_EXPIRED,
                          _("The session has ended: enter the password to sign in again"));
        case TANDEM_AUTH_ERROR_NETWORK:
          {
            g_autofree char *message =
              g_strdup_printf (_("The server cannot be reached (%s). Check the address and your connection."),
                               error->message);
            return replace (error, TANDEM_WORKSPACE_ERROR_UNREACHABLE, message);
          }
        case TANDEM_AUTH_ERROR_RATE_LIMITED:
          return replace (error, TANDEM_WORKSPACE_ERROR_INVALID_CREDENTIALS,
                          _("Too many attempts: wait a minute, then try again"));
        case TANDEM_AUTH_ERROR_FAILED:
          if (g_strcmp0 (code, "email_not_confirmed") == 0)
            return replace (error, TANDEM_WORKSPACE_ERROR_INVALID_EMAIL,
                            _("Confirm the email address with the link that was sent to it, then sign in"));
          if (g_strcmp0 (code, "no_authorization") == 0 || g_strcmp0 (code, "bad_jwt") == 0)
            return replace (error, TANDEM_WORKSPACE_ERROR_INVALID_KEY,
                            _("The server refused this key: copy the anon key from the project’s API settings"));
          break;
        case TANDEM_AUTH_ERROR_SERVER:
        case TANDEM_AUTH_ERROR_PROTOCOL:
        default:
          break;
        }
    }

  return error;
}
