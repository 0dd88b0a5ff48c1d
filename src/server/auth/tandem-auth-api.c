/* tandem-auth-api.c — being written (issue 3); replaced by the Auth engineer.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "tandem-auth-api.h"

void
tandem_auth_options_init_defaults (TandemAuthOptions *options)
{
  options->jwt_expiry_seconds = 3600;
  options->sign_in_rate_limit = 30;
  options->sign_in_rate_window_s = 300;
}

struct _TandemAuthApi
{
  TandemPgPool *pool;
};

TandemAuthApi *
tandem_auth_api_new (TandemPgPool            *pool,
                     const char              *jwt_secret,
                     const TandemAuthOptions *options)
{
  TandemAuthApi *self = g_new0 (TandemAuthApi, 1);

  self->pool = g_object_ref (pool);
  return self;
}

void
tandem_auth_api_free (TandemAuthApi *self)
{
  g_object_unref (self->pool);
  g_free (self);
}

void
tandem_auth_api_attach (TandemAuthApi *self,
                        SoupServer    *server)
{
}
