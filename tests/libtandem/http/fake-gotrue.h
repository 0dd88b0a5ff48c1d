/* fake-gotrue.h: a scripted GoTrue for the auth unit tests
 *
 * Password sign-in ("secret" is the password), sign-up, refresh-token
 * rotation, logout, GET and PUT /user, and an empty /rest/v1 table, with
 * token expiry read from the test's manual clock.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "tandem-clock-private.h"
#include "http-test-util.h"

G_BEGIN_DECLS

typedef struct
{
  TandemClock *clock;
  guint        issued;         /* tokens handed out */
  gint64       expires_in;
  gint64       expires_at_in;  /* > 0: expires_at = now + this (not + expires_in) */
  GHashTable  *refresh_tokens; /* the ones still good */
  guint        refresh_status; /* 0: answer; else fail refreshes with it */
} FakeGoTrue;

/* A ScriptHandler; @user_data is the FakeGoTrue. */
void fake_gotrue_handler (ScriptServer      *server,
                          ScriptRequest     *request,
                          SoupServerMessage *msg,
                          gpointer           user_data);

G_END_DECLS
