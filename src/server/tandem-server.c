/* tandem-server.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tandem-server"

#include "config.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>
#include <glib/gstdio.h>
#include <glib/gi18n.h>
#include <libsoup/soup.h>

#include "tandem-json-util.h"
#include "tandem-migrations.h"
#include "tandem-pg-cluster.h"
#include "tandem-pg-conn.h"
#include "tandem-pg-pool.h"
#include "tandem-rest-api.h"
#include "tandem-rt-changes.h"
#include "tandem-rt-hub.h"
#include "tandem-server.h"
#include "tandem-server-demo.h"
#include "tandem-server-keys.h"
#include "tandem-wal-stream.h"

#define MIGRATIONS_PATH "/org/gnome/Tandem/server/migrations"
#define MAX_RETRY_DELAY_MS 5000

struct _TandemServer
{
  GObject              parent_instance;

  TandemServerOptions  options;
  TandemServerKeys     keys;
  char                *conninfo;
  char                *db_url;
  char                *api_url;

  TandemPgCluster     *cluster;
  TandemPgConn        *conn;
  TandemPgPool        *pool;
  TandemRestApi       *rest;
  TandemAuthApi       *auth;
  TandemWalStream     *stream;
  TandemRtHub         *hub;
  TandemRtChanges     *changes;
  SoupServer          *http;
  TandemServerDemo    *demo;

  guint                reconnect_source;
  guint                reconnect_delay_ms;
  guint                restart_source;
  guint                restart_delay_ms;
  gint64               started_at;
  gboolean             stopping;
};

G_DEFINE_FINAL_TYPE (TandemServer, tandem_server, G_TYPE_OBJECT)

void
tandem_server_options_init (TandemServerOptions *options)
{
  memset (options, 0, sizeof *options);
  options->listen_host = g_strdup ("127.0.0.1");
  options->listen_port = 54321;
  options->slot_name = g_strdup ("tandem_realtime");
  options->pool_size = 8;
  options->demo_rate = TANDEM_SERVER_DEMO_DEFAULT_RATE;
  tandem_rt_limits_init_defaults (&options->limits);
  tandem_auth_options_init_defaults (&options->auth);
}

void
tandem_server_options_clear (TandemServerOptions *options)
{
  g_clear_pointer (&options->data_dir, g_free);
  g_clear_pointer (&options->database_url, g_free);
  g_clear_pointer (&options->listen_host, g_free);
  g_clear_pointer (&options->jwt_secret, g_free);
  g_clear_pointer (&options->slot_name, g_free);
}

static void
tandem_server_dispose (GObject *object)
{
  TandemServer *self = (TandemServer *) object;

  tandem_server_stop (self);
  g_clear_object (&self->demo);
  g_clear_pointer (&self->changes, tandem_rt_changes_free);
  g_clear_pointer (&self->hub, tandem_rt_hub_free);
  g_clear_pointer (&self->rest, tandem_rest_api_free);
  g_clear_pointer (&self->auth, tandem_auth_api_free);
  g_clear_object (&self->pool);
  g_clear_object (&self->http);
  g_clear_object (&self->stream);
  g_clear_object (&self->conn);
  g_clear_object (&self->cluster);

  G_OBJECT_CLASS (tandem_server_parent_class)->dispose (object);
}

static void
tandem_server_finalize (GObject *object)
{
  TandemServer *self = (TandemServer *) object;

  tandem_server_options_clear (&self->options);
  tandem_server_keys_clear (&self->keys);
  g_free (self->conninfo);
  g_free (self->db_url);
  g_free (self->api_url);

  G_OBJECT_CLASS (tandem_server_parent_class)->finalize (object);
}

static void
tandem_server_class_init (TandemServerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = tandem_server_dispose;
  object_class->finalize = tandem_server_finalize;
}

static void
tandem_server_init (TandemServer *self)
{
  self->reconnect_delay_ms = 200;
  self->restart_delay_ms = 500;
}

TandemServer *
tandem_server_new (const TandemServerOptions *options)
{
  TandemServer *self = g_object_new (TANDEM_TYPE_SERVER, NULL);

  self->options = *options;
  self->options.data_dir = g_strdup (options->data_dir);
  self->options.database_url = g_strdup (options->database_url);
  self->options.listen_host = g_strdup (options->listen_host);
  self->options.jwt_secret = g_strdup (options->jwt_secret);
  self->options.slot_name = g_strdup (options->slot_name);
  return self;
}

void
tandem_server_get_status (TandemServer       *self,
                          TandemServerStatus *status)
{
  status->api_url = g_strdup (self->api_url);
  status->db_url = g_strdup (self->db_url);
  status->jwt_secret = g_strdup (self->keys.jwt_secret);
  status->anon_key = g_strdup (self->keys.anon_key);
  status->service_role_key = g_strdup (self->keys.service_role_key);
  status->running = self->http != NULL;
  status->pid = getpid ();
}

/* Keeping the database connection */

static void connect_conn (TandemServer *self);

static gboolean
reconnect_cb (gpointer user_data)
{
  TandemServer *self = user_data;

  self->reconnect_source = 0;
  connect_conn (self);
  return G_SOURCE_REMOVE;
}

static void
schedule_reconnect (TandemServer *self)
{
  if (self->stopping || self->reconnect_source != 0)
    return;
  self->reconnect_source = g_timeout_add (self->reconnect_delay_ms, reconnect_cb, self);
  self->reconnect_delay_ms = MIN (self->reconnect_delay_ms * 2, MAX_RETRY_DELAY_MS);
}

static void
conn_reconnected_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(TandemServer) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!tandem_pg_conn_connect_finish (TANDEM_PG_CONN (source), result, &error))
    {
      g_debug ("database still unreachable: %s", error->message);
      schedule_reconnect (self);
      return;
    }
  g_info ("database connection restored");
  self->reconnect_delay_ms = 200;
}

static void
connect_conn (TandemServer *self)
{
  if (self->stopping)
    return;
  tandem_pg_conn_connect_async (self->conn, NULL, conn_reconnected_cb, g_object_ref (self));
}

static void
on_conn_lost (TandemPgConn *conn,
              TandemServer *self)
{
  g_warning ("lost the database connection; reconnecting");
  schedule_reconnect (self);
}

/* Keeping our PostgreSQL running */

static void restart_cluster (TandemServer *self);

static gboolean
restart_cluster_cb (gpointer user_data)
{
  TandemServer *self = user_data;

  self->restart_source = 0;
  restart_cluster (self);
  return G_SOURCE_REMOVE;
}

static void
cluster_restarted_cb (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(TandemServer) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!tandem_pg_cluster_start_finish (TANDEM_PG_CLUSTER (source), result, &error))
    {
      g_warning ("restarting PostgreSQL failed: %s", error->message);
      if (!self->stopping)
        {
          self->restart_source = g_timeout_add (self->restart_delay_ms, restart_cluster_cb, self);
          self->restart_delay_ms = MIN (self->restart_delay_ms * 2, MAX_RETRY_DELAY_MS);
        }
      return;
    }
  g_info ("PostgreSQL is running again");
  self->restart_delay_ms = 500;
  /* The connection and the WAL stream notice and reconnect by themselves. */
  if (!tandem_pg_conn_is_connected (self->conn))
    schedule_reconnect (self);
}

static void
restart_cluster (TandemServer *self)
{
  if (self->stopping)
    return;
  tandem_pg_cluster_start_async (self->cluster, NULL, cluster_restarted_cb, g_object_ref (self));
}

static void
on_cluster_exited (TandemPgCluster *cluster,
                   int              wait_status,
                   TandemServer    *self)
{
  if (self->stopping)
    return;
  g_warning ("PostgreSQL exited unexpectedly (status %d); starting it again", wait_status);
  if (self->restart_source == 0)
    self->restart_source = g_timeout_add (self->restart_delay_ms, restart_cluster_cb, self);
}

/* HTTP */

static void
health_cb (SoupServer        *server,
           SoupServerMessage *msg,
           const char        *path,
           GHashTable        *query,
           gpointer           user_data)
{
  TandemServer *self = user_data;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  gboolean db_up = self->conn != NULL && tandem_pg_conn_is_connected (self->conn);
  gboolean wal_up = self->stream != NULL && tandem_wal_stream_get_connected (self->stream);
  char *text;

  if (!g_str_equal (soup_server_message_get_method (msg), "GET") &&
      !g_str_equal (soup_server_message_get_method (msg), "HEAD"))
    {
      soup_server_message_set_status (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, NULL);
      return;
    }

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "status");
  json_builder_add_string_value (builder, db_up && wal_up ? "ok" : "degraded");
  json_builder_set_member_name (builder, "version");
  json_builder_add_string_value (builder, PACKAGE_VERSION);
  json_builder_set_member_name (builder, "uptime_seconds");
  json_builder_add_int_value (builder, (g_get_monotonic_time () - self->started_at) / G_USEC_PER_SEC);
  json_builder_set_member_name (builder, "database");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "connected");
  json_builder_add_boolean_value (builder, db_up);
  json_builder_set_member_name (builder, "replication");
  json_builder_add_boolean_value (builder, wal_up);
  json_builder_end_object (builder);
  json_builder_set_member_name (builder, "realtime");
  json_builder_add_value (builder, tandem_json_node_take_object (tandem_rt_hub_dup_stats (self->hub)));
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  text = json_to_string (root, FALSE);
  soup_server_message_set_status (msg, db_up && wal_up ? SOUP_STATUS_OK : SOUP_STATUS_SERVICE_UNAVAILABLE, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_TAKE, text, strlen (text));
}

static char *
format_api_url (SoupServer *http)
{
  g_autoptr(GSList) uris = soup_server_get_uris (http);
  GUri *uri;
  g_autofree char *host = NULL;
  char *result;

  if (uris == NULL)
    return NULL;
  uri = uris->data;
  host = strchr (g_uri_get_host (uri), ':') ? g_strdup_printf ("[%s]", g_uri_get_host (uri))
                                            : g_strdup (g_uri_get_host (uri));
  result = g_strdup_printf ("http://%s:%d", host, g_uri_get_port (uri));
  g_slist_free_full (g_steal_pointer (&uris), (GDestroyNotify) g_uri_unref);
  return result;
}

static gboolean
start_http (TandemServer  *self,
            GError       **error)
{
  g_autoptr(GInetAddress) address = g_inet_address_new_from_string (self->options.listen_host);
  g_autoptr(GSocketAddress) socket_address = NULL;

  if (address == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("--listen needs an IP address, not “%s”"), self->options.listen_host);
      return FALSE;
    }
  socket_address = g_inet_socket_address_new (address, (guint16) self->options.listen_port);

  self->http = soup_server_new ("server-header", "tandem-server/" PACKAGE_VERSION " ", NULL);
  soup_server_add_handler (self->http, "/health", health_cb, self, NULL);
  tandem_rt_hub_attach (self->hub, self->http);

  self->pool = tandem_pg_pool_new (self->conninfo, self->options.pool_size);
  self->rest = tandem_rest_api_new (self->pool, self->keys.jwt_secret);
  tandem_rest_api_attach (self->rest, self->http);
  self->auth = tandem_auth_api_new (self->pool, self->keys.jwt_secret, &self->options.auth);
  tandem_auth_api_attach (self->auth, self->http);

  if (!soup_server_listen (self->http, socket_address, 0, error))
    {
      g_prefix_error (error, _("Cannot listen on %s:%u: "), self->options.listen_host, self->options.listen_port);
      g_clear_object (&self->http);
      return FALSE;
    }
  self->api_url = format_api_url (self->http);
  return TRUE;
}

/* Start-up chain: cluster → connection → migrations → WAL stream → HTTP */

static void
stream_started_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  TandemServer *self = g_task_get_source_object (task);
  GError *error = NULL;

  if (!tandem_wal_stream_start_finish (TANDEM_WAL_STREAM (source), result, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  self->changes = tandem_rt_changes_new (self->hub, self->conn, self->stream);
  tandem_rt_hub_set_changes (self->hub, self->changes);

  if (!start_http (self, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  if (self->options.data_dir != NULL)
    {
      TandemServerStatus status = { 0 };
      g_autoptr(GError) save_error = NULL;

      tandem_server_get_status (self, &status);
      if (!tandem_server_status_save (self->options.data_dir, &status, &save_error))
        g_warning ("cannot record the server state: %s", save_error->message);
      tandem_server_status_clear (&status);
    }

  self->started_at = g_get_monotonic_time ();
  g_info ("listening on %s", self->api_url);

  if (self->options.demo)
    {
      self->demo = tandem_server_demo_new (self->pool, self->hub, self->options.demo_rate);
      tandem_server_demo_start (self->demo);
    }
  g_task_return_boolean (task, TRUE);
}

static void
conn_connected_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  TandemServer *self = g_task_get_source_object (task);
  GCancellable *cancellable;
  GError *error = NULL;
  int version;

  if (!tandem_pg_conn_connect_finish (TANDEM_PG_CONN (source), result, &error))
    {
      g_prefix_error (&error, _("Cannot connect to the database: "));
      g_task_return_error (task, error);
      return;
    }

  version = tandem_migrations_apply (self->conn, MIGRATIONS_PATH, &error);
  if (version < 0)
    {
      g_task_return_error (task, error);
      return;
    }
  g_info ("database schema at version %d", version);

  g_signal_connect_object (self->conn, "lost", G_CALLBACK (on_conn_lost), self, 0);

  self->stream = tandem_wal_stream_new (self->conninfo, self->options.slot_name);
  cancellable = g_task_get_cancellable (task);
  tandem_wal_stream_start_async (self->stream, cancellable, stream_started_cb, g_steal_pointer (&task));
}

static void
connect_database (GTask *task)
{
  TandemServer *self = g_task_get_source_object (task);

  self->conn = tandem_pg_conn_new (self->conninfo);
  tandem_pg_conn_connect_async (self->conn, g_task_get_cancellable (task), conn_connected_cb, task);
}

static void
cluster_started_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  GTask *task = user_data;
  TandemServer *self = g_task_get_source_object (task);
  GError *error = NULL;

  if (!tandem_pg_cluster_start_finish (TANDEM_PG_CLUSTER (source), result, &error))
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }

  g_signal_connect_object (self->cluster, "exited", G_CALLBACK (on_cluster_exited), self, 0);
  self->conninfo = tandem_pg_cluster_dup_conninfo (self->cluster, "postgres");
  self->db_url = tandem_pg_cluster_dup_url (self->cluster, "postgres");
  connect_database (task);
}

void
tandem_server_start_async (TandemServer        *self,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  GError *error = NULL;

  g_task_set_source_tag (task, tandem_server_start_async);

  if (self->options.data_dir == NULL && self->options.database_url == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                               _("Either --data or --database-url is needed"));
      return;
    }

  /* As root, PostgreSQL runs as `postgres` and must be able to reach its
   * folder inside ours; our own files in it stay 0600. */
  if (self->options.data_dir != NULL &&
      (g_mkdir_with_parents (self->options.data_dir, 0700) != 0 ||
       (geteuid () == 0 && g_chmod (self->options.data_dir, 0711) != 0)))
    {
      int saved_errno = errno;

      g_task_return_new_error (task, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                               _("Cannot create %s: %s"), self->options.data_dir, g_strerror (saved_errno));
      return;
    }

  if (!tandem_server_keys_load (&self->keys, self->options.data_dir, self->options.jwt_secret, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  self->hub = tandem_rt_hub_new (&self->options.limits, self->keys.jwt_secret);

  if (self->options.database_url != NULL)
    {
      self->conninfo = g_strdup (self->options.database_url);
      self->db_url = g_strdup (self->options.database_url);
      connect_database (g_steal_pointer (&task));
      return;
    }

  {
    g_autofree char *pgdata = g_build_filename (self->options.data_dir, "pg", NULL);
    g_autofree char *sockets = g_build_filename (self->options.data_dir, "run", NULL);

    self->cluster = tandem_pg_cluster_new (pgdata, sockets, self->options.db_port);
    if (!tandem_pg_cluster_ensure_initialized (self->cluster, &error))
      {
        g_task_return_error (task, error);
        return;
      }
    tandem_pg_cluster_start_async (self->cluster, cancellable, cluster_started_cb, g_steal_pointer (&task));
  }
}

gboolean
tandem_server_start_finish (TandemServer  *self,
                            GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

void
tandem_server_stop (TandemServer *self)
{
  if (self->stopping)
    return;
  self->stopping = TRUE;

  g_clear_handle_id (&self->reconnect_source, g_source_remove);
  g_clear_handle_id (&self->restart_source, g_source_remove);

  /* First, while the hub and the pool still work: it waits for its queries. */
  if (self->demo != NULL)
    tandem_server_demo_stop (self->demo);
  if (self->hub != NULL)
    {
      gint64 deadline = g_get_monotonic_time () + 500 * 1000;

      tandem_rt_hub_shutdown (self->hub);
      /* Let the close frames go out before the sockets disappear. */
      while (tandem_rt_hub_get_n_sockets (self->hub) > 0 && g_get_monotonic_time () < deadline)
        g_main_context_iteration (NULL, FALSE);
    }
  if (self->http != NULL)
    soup_server_disconnect (self->http);
  if (self->changes != NULL)
    {
      tandem_rt_hub_set_changes (self->hub, NULL);
      g_clear_pointer (&self->changes, tandem_rt_changes_free);
    }
  if (self->stream != NULL)
    tandem_wal_stream_stop (self->stream);
  if (self->rest != NULL)
    tandem_rest_api_close (self->rest);
  if (self->pool != NULL)
    tandem_pg_pool_close (self->pool);
  if (self->conn != NULL)
    tandem_pg_conn_close (self->conn);
  if (self->cluster != NULL)
    tandem_pg_cluster_stop (self->cluster);
  if (self->options.data_dir != NULL && self->api_url != NULL)
    tandem_server_status_forget_pid (self->options.data_dir);
}
