/* tandem-server-status.h: what a program needs to connect, in three forms
 *
 * Printed when the server is ready and by `tandem-server status`, as
 * `supabase status` does: readable text, shell `KEY="value"` lines, or JSON.
 * The running server records its URLs and pid in the data folder so that
 * `status` can report them.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum
{
  TANDEM_OUTPUT_PRETTY,
  TANDEM_OUTPUT_ENV,
  TANDEM_OUTPUT_JSON,
} TandemOutputFormat;

typedef struct
{
  char     *api_url;
  char     *db_url;
  char     *jwt_secret;
  char     *anon_key;
  char     *service_role_key;
  gboolean  running;
  gint      pid;
} TandemServerStatus;

gboolean  tandem_output_format_from_string (const char               *text,
                                            TandemOutputFormat       *format);
char     *tandem_server_status_format      (const TandemServerStatus *status,
                                            TandemOutputFormat        format);
void      tandem_server_status_clear       (TandemServerStatus       *status);

/* state.json in @data_dir: API and database URLs and the pid. */
gboolean  tandem_server_status_save        (const char               *data_dir,
                                            const TandemServerStatus *status,
                                            GError                  **error);
/* Reads state.json and the keys; `running` tells whether that pid lives. */
gboolean  tandem_server_status_load        (const char               *data_dir,
                                            TandemServerStatus       *status,
                                            GError                  **error);
void      tandem_server_status_forget_pid  (const char               *data_dir);

G_END_DECLS
