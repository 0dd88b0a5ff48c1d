/* tandem-server-keys.h: the JWT secret and the API keys derived from it
 *
 * On first run a secret is generated and kept in the data folder (mode
 * 0600), with an anon key and a service-role key signed by it (HS256, as
 * Supabase's local stack issues them), so the keys stay the same across
 * restarts and `tandem-server status` can print them.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct
{
  char *jwt_secret;
  char *anon_key;
  char *service_role_key;
} TandemServerKeys;

/* With @data_dir: loads the secret and keys, creating them on first run.
 * @secret_override (nullable) replaces the stored secret; keys are then
 * derived afresh. Without @data_dir the secret is @secret_override or a new
 * random one, and nothing is written. */
gboolean tandem_server_keys_load         (TandemServerKeys *keys,
                                          const char       *data_dir,
                                          const char       *secret_override,
                                          GError          **error);
/* Loads without creating anything (for `status`). */
gboolean tandem_server_keys_load_existing (TandemServerKeys *keys,
                                          const char       *data_dir,
                                          GError          **error);
void     tandem_server_keys_clear        (TandemServerKeys *keys);

/* A key for @role signed with @secret, valid for ten years from now. */
char    *tandem_server_keys_make_key     (const char       *secret,
                                          const char       *role);

G_END_DECLS
