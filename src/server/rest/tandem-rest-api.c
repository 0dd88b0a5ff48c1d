/* tandem-rest-api.c — being written (issue 3); replaced by the REST engineer.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "tandem-rest-api.h"

struct _TandemRestApi
{
  TandemPgPool *pool;
  char         *jwt_secret;
};

TandemRestApi *
tandem_rest_api_new (TandemPgPool *pool,
                     const char   *jwt_secret)
{
  TandemRestApi *self = g_new0 (TandemRestApi, 1);

  self->pool = g_object_ref (pool);
  self->jwt_secret = g_strdup (jwt_secret);
  return self;
}

void
tandem_rest_api_free (TandemRestApi *self)
{
  g_object_unref (self->pool);
  g_free (self->jwt_secret);
  g_free (self);
}

void
tandem_rest_api_attach (TandemRestApi *self,
                        SoupServer    *server)
{
}
