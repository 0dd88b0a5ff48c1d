/* tandem-workspace-secrets.h: a workspace's secrets in the keyring
 *
 * Items of the schema org.gnome.Tandem.Workspace, attributes `workspace`
 * (the workspace id) and `kind` ("api-key", "password", "refresh-token").
 * Nothing secret is ever written to GSettings or to a file.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <libsecret/secret.h>

#include "tandem-app-types.h"

G_BEGIN_DECLS

const SecretSchema *tandem_workspace_secrets_get_schema     (void) G_GNUC_CONST;
const char         *tandem_secret_kind_to_string            (TandemSecretKind     kind);

void                tandem_workspace_secrets_store_async    (const char          *workspace_id,
                                                             TandemSecretKind     kind,
                                                             const char          *label,
                                                             const char          *secret,
                                                             GCancellable        *cancellable,
                                                             GAsyncReadyCallback  callback,
                                                             gpointer             user_data);
gboolean            tandem_workspace_secrets_store_finish   (GAsyncResult        *result,
                                                             GError             **error);
/* The secret, or NULL without an error when there is none. */
void                tandem_workspace_secrets_lookup_async   (const char          *workspace_id,
                                                             TandemSecretKind     kind,
                                                             GCancellable        *cancellable,
                                                             GAsyncReadyCallback  callback,
                                                             gpointer             user_data);
char               *tandem_workspace_secrets_lookup_finish  (GAsyncResult        *result,
                                                             GError             **error);
/* Every item of the workspace when @kind is -1. */
void                tandem_workspace_secrets_clear_async    (const char          *workspace_id,
                                                             int                  kind,
                                                             GCancellable        *cancellable,
                                                             GAsyncReadyCallback  callback,
                                                             gpointer             user_data);
gboolean            tandem_workspace_secrets_clear_finish   (GAsyncResult        *result,
                                                             GError             **error);

G_END_DECLS
