/* tandem-auth-user.h: a user of the Auth API, as GoTrue shows one
 *
 * A row of auth.users with its identities, read from a query result and
 * written as GoTrue's user object (id, aud, role, email, email_confirmed_at,
 * phone, confirmed_at, last_sign_in_at, app_metadata, user_metadata,
 * identities, created_at, updated_at, is_anonymous). Also the input rules
 * GoTrue applies to addresses and passwords.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>
#include <libpq-fe.h>

G_BEGIN_DECLS

/* A missing timestamp (SQL NULL). */
#define TANDEM_AUTH_NO_TIME G_MININT64

typedef struct
{
  char       *id;
  char       *aud;
  char       *role;
  char       *email;              /* nullable */
  char       *phone;              /* nullable; written as "" */
  /* Microseconds since the epoch, or TANDEM_AUTH_NO_TIME. */
  gint64      email_confirmed_at;
  gint64      confirmed_at;
  gint64      last_sign_in_at;
  gint64      created_at;
  gint64      updated_at;
  JsonObject *app_metadata;
  JsonObject *user_metadata;
  JsonArray  *identities;         /* already in GoTrue's shape */
  gboolean    is_anonymous;
} TandemAuthUser;

/* The SQL select list that tandem_auth_user_new_from_result() reads, for a
 * query over auth.users aliased "u". */
extern const char tandem_auth_user_columns[];

/* Reads row @row of @result (selected with tandem_auth_user_columns).
 * NULL with an error when a column is missing or malformed. */
TandemAuthUser *tandem_auth_user_new_from_result (const PGresult        *result,
                                                  int                    row,
                                                  GError               **error);
void            tandem_auth_user_free            (TandemAuthUser        *user);

/* GoTrue's user object. */
JsonNode       *tandem_auth_user_to_json         (const TandemAuthUser  *user);

/* A timestamp as GoTrue writes it: RFC 3339 in UTC with the fraction's
 * trailing zeros dropped ("2024-06-28T14:39:09.8065Z"), or NULL for
 * TANDEM_AUTH_NO_TIME. */
char           *tandem_auth_format_time          (gint64                 usec);

/* GoTrue's checks of a sign-up or update address; returns it in lower case,
 * or NULL with TANDEM_AUTH_ERROR_VALIDATION_FAILED. */
char           *tandem_auth_validate_email       (const char            *email,
                                                  GError               **error);
/* GoTrue's checks of a new password: not longer than 72 bytes
 * (validation_failed), at least 6 (weak_password). */
gboolean        tandem_auth_check_new_password   (const char            *password,
                                                  GError               **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TandemAuthUser, tandem_auth_user_free)

G_END_DECLS
