/* main.c: tandem-server's command line
 *
 *   tandem-server [run] [--data DIR | --database-url URL] [--listen HOST:PORT] [--demo] …
 *   tandem-server status [--data DIR] [--output pretty|env|json]
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tandem-server"

#include "config.h"

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <glib-unix.h>
#include <glib/gi18n.h>

#include "tandem-log.h"
#include "tandem-server.h"
#include "tandem-server-demo.h"

typedef struct
{
  GMainLoop    *loop;
  TandemServer *server;
  TandemOutputFormat format;
  int           exit_status;
} Run;

/* Root's home is closed to the `postgres` user that runs our cluster, so a
 * server started as root keeps its data where system services do. */
static char *
default_data_dir (void)
{
  if (geteuid () == 0)
    return g_strdup ("/var/lib/tandem/server");
  return g_build_filename (g_get_user_data_dir (), "tandem", "server", NULL);
}

/* "127.0.0.1:54321", "[::1]:54321", ":0" or "0" */
static gboolean
parse_listen (const char  *text,
              char       **host,
              guint       *port,
              GError     **error)
{
  const char *colon = strrchr (text, ':');
  g_autofree char *host_part = NULL;
  guint64 number;

  if (colon == NULL)
    {
      host_part = g_strdup ("127.0.0.1");
      colon = text - 1;
    }
  else if (text[0] == '[' && colon > text && colon[-1] == ']')
    host_part = g_strndup (text + 1, colon - text - 2);
  else
    host_part = colon == text ? g_strdup ("127.0.0.1") : g_strndup (text, colon - text);

  if (!g_ascii_string_to_unsigned (colon + 1, 10, 0, 65535, &number, NULL))
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("--listen takes HOST:PORT, not “%s”"), text);
      return FALSE;
    }
  *host = g_steal_pointer (&host_part);
  *port = (guint) number;
  return TRUE;
}

static gboolean
quit_cb (gpointer user_data)
{
  Run *run = user_data;

  g_info ("stopping");
  tandem_server_stop (run->server);
  g_main_loop_quit (run->loop);
  return G_SOURCE_REMOVE;
}

static void
started_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  Run *run = user_data;
  g_autoptr(GError) error = NULL;
  TandemServerStatus status = { 0 };
  g_autofree char *text = NULL;

  if (!tandem_server_start_finish (TANDEM_SERVER (source), result, &error))
    {
      g_printerr ("tandem-server: %s\n", error->message);
      run->exit_status = EXIT_FAILURE;
      tandem_server_stop (run->server);
      g_main_loop_quit (run->loop);
      return;
    }

  tandem_server_get_status (run->server, &status);
  text = tandem_server_status_format (&status, run->format);
  fputs (text, stdout);
  fflush (stdout);
  tandem_server_status_clear (&status);
}

static int
command_status (const char        *data_dir,
                TandemOutputFormat format)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  TandemServerStatus status = { 0 };

  if (!tandem_server_status_load (data_dir, &status, &error))
    {
      g_printerr ("tandem-server: %s\n", error->message);
      return EXIT_FAILURE;
    }
  text = tandem_server_status_format (&status, format);
  fputs (text, stdout);
  tandem_server_status_clear (&status);
  return EXIT_SUCCESS;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *data_dir = NULL;
  g_autofree char *database_url = NULL;
  g_autofree char *listen = NULL;
  g_autofree char *jwt_secret = NULL;
  g_autofree char *log_level_text = NULL;
  g_autofree char *output_text = NULL;
  gboolean version = FALSE;
  gboolean demo = FALSE;
  int db_port = 0;
  TandemServerOptions options;
  TandemLogLevel log_level = TANDEM_LOG_INFO;
  TandemOutputFormat format = TANDEM_OUTPUT_PRETTY;
  int max_payload_kb, max_channels, max_events, max_joins, presence_calls, presence_window_ms;
  int idle_timeout_ms, join_error_delay_ms, connect_error_delay_ms;
  int jwt_expiry, sign_in_rate_limit, pool_size, demo_rate;
  const char *command = "run";
  Run run = { 0 };

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  tandem_server_options_init (&options);
  max_payload_kb = options.limits.max_payload_kb;
  max_channels = options.limits.max_channels_per_client;
  max_events = options.limits.max_events_per_second;
  max_joins = options.limits.max_joins_per_second;
  presence_calls = options.limits.presence_max_calls;
  presence_window_ms = options.limits.presence_window_ms;
  idle_timeout_ms = options.limits.idle_timeout_ms;
  join_error_delay_ms = options.limits.join_error_delay_ms;
  connect_error_delay_ms = options.limits.connect_error_delay_ms;
  jwt_expiry = options.auth.jwt_expiry_seconds;
  sign_in_rate_limit = options.auth.sign_in_rate_limit;
  pool_size = options.pool_size;
  demo_rate = (int) options.demo_rate;

  {
    const GOptionEntry entries[] = {
      { "data", 'd', 0, G_OPTION_ARG_FILENAME, &data_dir,
        N_("Folder for the server's own PostgreSQL cluster, secret and keys"), N_("DIR") },
      { "database-url", 0, 0, G_OPTION_ARG_STRING, &database_url,
        N_("Use an existing PostgreSQL (wal_level=logical, wal2json) instead"), N_("URL") },
      { "listen", 'l', 0, G_OPTION_ARG_STRING, &listen,
        N_("Address for HTTP and WebSocket (default 127.0.0.1:54321; port 0 picks one)"), N_("HOST:PORT") },
      { "jwt-secret", 0, 0, G_OPTION_ARG_STRING, &jwt_secret,
        N_("Sign and verify tokens with this secret instead of the stored one"), N_("SECRET") },
      { "db-port", 0, 0, G_OPTION_ARG_INT, &db_port,
        N_("Also let our PostgreSQL listen on this TCP port of 127.0.0.1"), N_("PORT") },
      { "log-level", 0, 0, G_OPTION_ARG_STRING, &log_level_text,
        N_("debug, info, warning or error (default info)"), N_("LEVEL") },
      { "output", 'o', 0, G_OPTION_ARG_STRING, &output_text,
        N_("How to print URLs and keys: pretty, env or json"), N_("FORMAT") },
      { "max-payload-kb", 0, 0, G_OPTION_ARG_INT, &max_payload_kb,
        N_("Largest broadcast or presence payload (default 3000)"), N_("KB") },
      { "max-channels-per-client", 0, 0, G_OPTION_ARG_INT, &max_channels,
        N_("Channels one connection may join (default 100)"), N_("N") },
      { "max-events-per-second", 0, 0, G_OPTION_ARG_INT, &max_events,
        N_("Messages per second, in and out, over all clients (default 10000)"), N_("N") },
      { "max-joins-per-second", 0, 0, G_OPTION_ARG_INT, &max_joins,
        N_("Channel joins per second over all clients (default 100)"), N_("N") },
      { "presence-max-calls", 0, 0, G_OPTION_ARG_INT, &presence_calls,
        N_("Presence updates a channel may make per window (default 5)"), N_("N") },
      { "presence-window-ms", 0, 0, G_OPTION_ARG_INT, &presence_window_ms,
        N_("The presence window (default 30000)"), N_("MS") },
      { "idle-timeout-ms", 0, 0, G_OPTION_ARG_INT, &idle_timeout_ms,
        N_("Close connections silent for this long (default 60000)"), N_("MS") },
      { "join-error-delay-ms", 0, 0, G_OPTION_ARG_INT, &join_error_delay_ms,
        N_("Delay before a refused join is answered (default 5000)"), N_("MS") },
      { "connect-error-delay-ms", 0, 0, G_OPTION_ARG_INT, &connect_error_delay_ms,
        N_("Delay before a refused connection is answered (default 2000)"), N_("MS") },
      { "jwt-expiry", 0, 0, G_OPTION_ARG_INT, &jwt_expiry,
        N_("Lifetime of the access tokens Auth issues (default 3600)"), N_("SECONDS") },
      { "auth-rate-limit", 0, 0, G_OPTION_ARG_INT, &sign_in_rate_limit,
        N_("Password sign-ins per client address per 5 minutes (default 30)"), N_("N") },
      { "db-pool-size", 0, 0, G_OPTION_ARG_INT, &pool_size,
        N_("Database connections for REST and Auth requests (default 8)"), N_("N") },
      { "demo", 0, 0, G_OPTION_ARG_NONE, &demo,
        N_("Write demo analytics events, broadcast metric_update and create the “Demo” dashboard"), NULL },
      { "demo-rate", 0, 0, G_OPTION_ARG_INT, &demo_rate,
        N_("Analytics events per second with --demo (default 5, at most 10000)"), N_("N") },
      { "version", 0, 0, G_OPTION_ARG_NONE, &version, N_("Print the version"), NULL },
      { NULL }
    };

    context = g_option_context_new (_("[run|status] — a local Supabase-compatible backend"));
    g_option_context_set_summary (context,
                                  _("Runs Realtime (WebSocket), its REST broadcast API and health checks over "
                                    "PostgreSQL, compatible with the official Supabase clients.\n\n"
                                    "  run      start the server (the default)\n"
                                    "  status   print the URLs and keys of the server in --data"));
    g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
    if (!g_option_context_parse (context, &argc, &argv, &error))
      {
        g_printerr ("tandem-server: %s\n", error->message);
        tandem_server_options_clear (&options);
        return 2;
      }
  }

  if (version)
    {
      g_print ("tandem-server %s\n", PACKAGE_VERSION);
      tandem_server_options_clear (&options);
      return EXIT_SUCCESS;
    }

  if (argc > 2 || (argc == 2 && !g_str_equal (argv[1], "run") && !g_str_equal (argv[1], "status")))
    {
      g_printerr (_("tandem-server: unknown command “%s”; try --help\n"), argv[argc - 1]);
      tandem_server_options_clear (&options);
      return 2;
    }
  if (argc == 2)
    command = argv[1];

  if (output_text != NULL && !tandem_output_format_from_string (output_text, &format))
    {
      g_printerr (_("tandem-server: --output takes pretty, env or json\n"));
      tandem_server_options_clear (&options);
      return 2;
    }
  if (log_level_text != NULL && !tandem_log_level_from_string (log_level_text, &log_level))
    {
      g_printerr (_("tandem-server: --log-level takes debug, info, warning or error\n"));
      tandem_server_options_clear (&options);
      return 2;
    }
  if (jwt_secret == NULL && g_getenv ("TANDEM_JWT_SECRET") != NULL)
    jwt_secret = g_strdup (g_getenv ("TANDEM_JWT_SECRET"));
  if (data_dir == NULL && database_url == NULL)
    data_dir = default_data_dir ();

  if (g_str_equal (command, "status"))
    {
      int status;

      if (data_dir == NULL)
        {
          g_printerr (_("tandem-server: status needs --data\n"));
          tandem_server_options_clear (&options);
          return 2;
        }
      status = command_status (data_dir, format);
      tandem_server_options_clear (&options);
      return status;
    }

  if (max_payload_kb <= 0 || max_channels <= 0 || max_events <= 0 || max_joins <= 0 ||
      presence_calls <= 0 || presence_window_ms <= 0 || idle_timeout_ms <= 0 ||
      join_error_delay_ms < 0 || connect_error_delay_ms < 0 || db_port < 0 || db_port > 65535 ||
      jwt_expiry <= 0 || sign_in_rate_limit <= 0 || pool_size <= 0 || pool_size > 100)
    {
      g_printerr (_("tandem-server: limits must be positive numbers\n"));
      tandem_server_options_clear (&options);
      return 2;
    }

  if (demo_rate <= 0 || demo_rate > TANDEM_SERVER_DEMO_MAX_RATE)
    {
      g_printerr (_("tandem-server: --demo-rate takes 1 to %d events per second\n"), TANDEM_SERVER_DEMO_MAX_RATE);
      tandem_server_options_clear (&options);
      return 2;
    }

  tandem_log_init (log_level);

  options.data_dir = g_steal_pointer (&data_dir);
  options.database_url = g_steal_pointer (&database_url);
  options.jwt_secret = g_steal_pointer (&jwt_secret);
  options.db_port = (guint) db_port;
  options.limits.max_payload_kb = (guint) max_payload_kb;
  options.limits.max_channels_per_client = (guint) max_channels;
  options.limits.max_events_per_second = (guint) max_events;
  options.limits.max_joins_per_second = (guint) max_joins;
  options.limits.presence_max_calls = (guint) presence_calls;
  options.limits.presence_window_ms = (guint) presence_window_ms;
  options.limits.idle_timeout_ms = (guint) idle_timeout_ms;
  options.limits.join_error_delay_ms = (guint) join_error_delay_ms;
  options.limits.connect_error_delay_ms = (guint) connect_error_delay_ms;
  options.auth.jwt_expiry_seconds = (guint) jwt_expiry;
  options.auth.sign_in_rate_limit = (guint) sign_in_rate_limit;
  options.pool_size = (guint) pool_size;
  options.demo = demo;
  options.demo_rate = (guint) demo_rate;
  if (listen != NULL)
    {
      g_clear_pointer (&options.listen_host, g_free);
      if (!parse_listen (listen, &options.listen_host, &options.listen_port, &error))
        {
          g_printerr ("tandem-server: %s\n", error->message);
          tandem_server_options_clear (&options);
          return 2;
        }
    }

  run.loop = g_main_loop_new (NULL, FALSE);
  run.server = tandem_server_new (&options);
  run.format = format;
  tandem_server_options_clear (&options);

  g_unix_signal_add (SIGINT, quit_cb, &run);
  g_unix_signal_add (SIGTERM, quit_cb, &run);

  tandem_server_start_async (run.server, NULL, started_cb, &run);
  g_main_loop_run (run.loop);

  g_clear_object (&run.server);
  g_main_loop_unref (run.loop);
  return run.exit_status;
}
