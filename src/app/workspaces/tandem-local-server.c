/* tandem-local-server.c
 *
 * Runs `tandem-server --data DIR --listen 127.0.0.1:PORT --output json
 * [--demo]` and reads the one JSON object it prints once it is ready
 * ({"API_URL", "ANON_KEY", "SERVICE_ROLE_KEY", …, "RUNNING"}). Its log
 * (stderr) is drained all along so the pipe never fills, and its last lines
 * are kept for error messages. The child gets SIGTERM when we die.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tandem-local-server"

#include "config.h"

#include <signal.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "tandem-local-server.h"
#include "tandem-workspace-error.h"

#define START_TIMEOUT_S 120
#define STOP_TIMEOUT_S  20
#define LOG_TAIL_LINES  20

struct _TandemLocalServer
{
  GObject           parent_instance;

  char             *data_dir;
  guint             port;
  gboolean          demo;

  GSubprocess      *process;
  GCancellable     *io_cancellable;
  GString          *stdout_text;
  GQueue            log_tail;        /* char * */
  GTask            *start_task;
  GQueue            stop_tasks;      /* GTask * */
  guint             start_timeout_id;
  guint             kill_timeout_id;
  gboolean          running;
  gboolean          stopping;
  gboolean          ever_started;
  gboolean          retried;

  char             *url;
  char             *anon_key;
  char             *service_role_key;
};

G_DEFINE_FINAL_TYPE (TandemLocalServer, tandem_local_server, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_DATA_DIR,
  PROP_PORT,
  PROP_DEMO,
  PROP_RUNNING,
  PROP_URL,
  N_PROPS
};

enum {
  EXITED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void spawn (TandemLocalServer *self);

static void
tandem_local_server_dispose (GObject *object)
{
  TandemLocalServer *self = TANDEM_LOCAL_SERVER (object);

  /* A server outliving its owner would hold the data directory. */
  if (self->process != NULL && self->running)
    g_subprocess_send_signal (self->process, SIGTERM);
  g_cancellable_cancel (self->io_cancellable);
  g_clear_handle_id (&self->start_timeout_id, g_source_remove);
  g_clear_handle_id (&self->kill_timeout_id, g_source_remove);

  G_OBJECT_CLASS (tandem_local_server_parent_class)->dispose (object);
}

static void
tandem_local_server_finalize (GObject *object)
{
  TandemLocalServer *self = TANDEM_LOCAL_SERVER (object);

  g_assert (self->start_task == NULL);
  g_assert (g_queue_is_empty (&self->stop_tasks));

  g_clear_object (&self->process);
  g_clear_object (&self->io_cancellable);
  g_string_free (self->stdout_text, TRUE);
  g_queue_clear_full (&self->log_tail, g_free);
  g_free (self->data_dir);
  g_free (self->url);
  g_free (self->anon_key);
  g_free (self->service_role_key);

  G_OBJECT_CLASS (tandem_local_server_parent_class)->finalize (object);
}

static void
tandem_local_server_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  TandemLocalServer *self = TANDEM_LOCAL_SERVER (object);

  switch (prop_id)
    {
    case PROP_DATA_DIR:
      g_value_set_string (value, self->data_dir);
      break;
    case PROP_PORT:
      g_value_set_uint (value, self->port);
      break;
    case PROP_DEMO:
      g_value_set_boolean (value, self->demo);
      break;
    case PROP_RUNNING:
      g_value_set_boolean (value, self->running);
      break;
    case PROP_URL:
      g_value_set_string (value, self->url);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tandem_local_server_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  TandemLocalServer *self = TANDEM_LOCAL_SERVER (object);

  switch (prop_id)
    {
    case PROP_DATA_DIR:
      self->data_dir = g_value_dup_string (value);
      break;
    case PROP_PORT:
      self->port = g_value_get_uint (value);
      break;
    case PROP_DEMO:
      self->demo = g_value_get_boolean (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tandem_local_server_class_init (TandemLocalServerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = tandem_local_server_dispose;
  object_class->finalize = tandem_local_server_finalize;
  object_class->get_property = tandem_local_server_get_property;
  object_class->set_property = tandem_local_server_set_property;

  properties[PROP_DATA_DIR] =
    g_param_spec_string ("data-dir", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PORT] =
    g_param_spec_uint ("port", NULL, NULL, 0, G_MAXUINT16, 0,
                       G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_DEMO] =
    g_param_spec_boolean ("demo", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_RUNNING] =
    g_param_spec_boolean ("running", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_URL] =
    g_param_spec_string ("url", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * TandemLocalServer::exited:
   * @self: the server
   * @message: what its log said last
   *
   * The server exited without being asked to.
   */
  signals[EXITED] =
    g_signal_new ("exited", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
tandem_local_server_init (TandemLocalServer *self)
{
  self->stdout_text = g_string_new (NULL);
  g_queue_init (&self->log_tail);
  g_queue_init (&self->stop_tasks);
}

TandemLocalServer *
tandem_local_server_new (const char *data_dir,
                         guint       port,
                         gboolean    demo)
{
  g_return_val_if_fail (data_dir != NULL, NULL);

  return g_object_new (TANDEM_TYPE_LOCAL_SERVER, "data-dir", data_dir, "port", port, "demo", demo, NULL);
}

char *
tandem_local_server_find_program (void)
{
  const char *env = g_getenv ("TANDEM_SERVER");
  g_autofree char *self_path = NULL;

  if (env != NULL && *env != '\0')
    return g_file_test (env, G_FILE_TEST_IS_EXECUTABLE) ? g_strdup (env) : NULL;

  /* In a build folder, src/app/tandem sits beside src/server/tandem-server. */
  self_path = g_file_read_link ("/proc/self/exe", NULL);
  if (self_path != NULL)
    {
      g_autofree char *dir = g_path_get_dirname (self_path);
      const char *candidates[] = { "../server/tandem-server", "tandem-server" };

      for (guint i = 0; i < G_N_ELEMENTS (candidates); i++)
        {
          g_autofree char *path = g_build_filename (dir, candidates[i], NULL);

          if (g_file_test (path, G_FILE_TEST_IS_EXECUTABLE) && !g_file_test (path, G_FILE_TEST_IS_DIR))
            return g_canonicalize_filename (path, NULL);
        }
    }

  {
    g_autofree char *installed = g_build_filename (TANDEM_BINDIR, "tandem-server", NULL);

    if (g_file_test (installed, G_FILE_TEST_IS_EXECUTABLE))
      return g_steal_pointer (&installed);
  }

  return g_find_program_in_path ("tandem-server");
}

static char *
log_tail (TandemLocalServer *self,
          guint              n)
{
  GString *text = g_string_new (NULL);
  guint len = g_queue_get_length (&self->log_tail);

  for (guint i = len > n ? len - n : 0; i < len; i++)
    {
      if (text->len > 0)
        g_string_append_c (text, '\n');
      g_string_append (text, g_queue_peek_nth (&self->log_tail, i));
    }
  return g_string_free (text, FALSE);
}

char *
tandem_local_server_dup_log_tail (TandemLocalServer *self)
{
  g_return_val_if_fail (TANDEM_IS_LOCAL_SERVER (self), NULL);
  return log_tail (self, LOG_TAIL_LINES);
}

/* The message of a logfmt line: msg="…" if there is one. */
static char *
log_message (const char *line)
{
  const char *msg = strstr (line, "msg=");
  GString *text;

  if (msg == NULL)
    return g_strdup (line);
  msg += strlen ("msg=");
  if (*msg != '"')
    return g_strndup (msg, strcspn (msg, " "));

  text = g_string_new (NULL);
  for (msg++; *msg && *msg != '"'; msg++)
    {
      if (*msg == '\\' && msg[1] != '\0')
        msg++;
      g_string_append_c (text, *msg);
    }
  return g_string_free (text, FALSE);
}

static void
set_running (TandemLocalServer *self,
             gboolean           running)
{
  if (self->running == running)
    return;
  self->running = running;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);
}

static void
finish_start (TandemLocalServer *self,
              GError            *error)
{
  g_autoptr(GTask) task = g_steal_pointer (&self->start_task);

  g_clear_handle_id (&self->start_timeout_id, g_source_remove);
  if (task == NULL)
    {
      g_clear_error (&error);
      return;
    }
  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static GError *
failure (TandemLocalServer *self,
         const char        *why)
{
  g_autofree char *tail = log_tail (self, 1);
  g_autofree char *last = tail && *tail ? log_message (tail) : NULL;

  if (last != NULL)
    return g_error_new (TANDEM_WORKSPACE_ERROR, TANDEM_WORKSPACE_ERROR_SERVER_FAILED,
                        /* Translators: the first %s says what happened, the second is the server's last log message */
                        _("The local server did not start: %s (%s)"), why, last);
  return g_error_new (TANDEM_WORKSPACE_ERROR, TANDEM_WORKSPACE_ERROR_SERVER_FAILED,
                      _("The local server did not start: %s"), why);
}

static gboolean
parse_status (TandemLocalServer *self,
              const char        *text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GUri) uri = NULL;
  JsonObject *object;
  const char *url, *anon, *service;

  if (!json_parser_load_from_data (parser, text, -1, NULL) ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    return FALSE;

  object = json_node_get_object (json_parser_get_root (parser));
  url = json_object_get_string_member_with_default (object, "API_URL", NULL);
  anon = json_object_get_string_member_with_default (object, "ANON_KEY", NULL);
  service = json_object_get_string_member_with_default (object, "SERVICE_ROLE_KEY", NULL);
  if (url == NULL || anon == NULL || *anon == '\0' || (uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL)) == NULL)
    return FALSE;

  g_free (self->anon_key);
  self->anon_key = g_strdup (anon);
  g_free (self->service_role_key);
  self->service_role_key = g_strdup (service);
  if (g_strcmp0 (self->url, url) != 0)
    {
      g_free (self->url);
      self->url = g_strdup (url);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_URL]);
    }
  if (g_uri_get_port (uri) > 0 && self->port != (guint) g_uri_get_port (uri))
    {
      self->port = g_uri_get_port (uri);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PORT]);
    }
  return TRUE;
}

static void
read_stdout (TandemLocalServer *self,
             GDataInputStream  *stream);

static void
stdout_line_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(TandemLocalServer) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;

  line = g_data_input_stream_read_line_finish_utf8 (G_DATA_INPUT_STREAM (source), result, NULL, &error);
  if (line == NULL)
    return;  /* closed, cancelled or broken: the exit is handled by wait */

  g_string_append (self->stdout_text, line);
  g_string_append_c (self->stdout_text, '\n');
  /* The object is printed pretty; it ends with a "}" of its own line. */
  if (line[0] == '}' && self->start_task != NULL && !self->running)
    {
      if (parse_status (self, self->stdout_text->str))
        {
          g_string_truncate (self->stdout_text, 0);
          self->ever_started = TRUE;
          set_running (self, TRUE);
          g_debug ("tandem-server ready at %s (%s)", self->url, self->data_dir);
          finish_start (self, NULL);
        }
    }
  read_stdout (self, G_DATA_INPUT_STREAM (source));
}

static void
read_stdout (TandemLocalServer *self,
             GDataInputStream  *stream)
{
  g_data_input_stream_read_line_async (stream, G_PRIORITY_DEFAULT, self->io_cancellable,
                                       stdout_line_cb, g_object_ref (self));
}

static void read_stderr (TandemLocalServer *self,
                         GDataInputStream  *stream);

static void
stderr_line_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(TandemLocalServer) self = user_data;
  char *line;

  line = g_data_input_stream_read_line_finish_utf8 (G_DATA_INPUT_STREAM (source), result, NULL, NULL);
  if (line == NULL)
    return;

  g_debug ("server: %s", line);
  g_queue_push_tail (&self->log_tail, line);
  while (g_queue_get_length (&self->log_tail) > LOG_TAIL_LINES)
    g_free (g_queue_pop_head (&self->log_tail));
  read_stderr (self, G_DATA_INPUT_STREAM (source));
}

static void
read_stderr (TandemLocalServer *self,
             GDataInputStream  *stream)
{
  g_data_input_stream_read_line_async (stream, G_PRIORITY_DEFAULT, self->io_cancellable,
                                       stderr_line_cb, g_object_ref (self));
}

static void
wait_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(TandemLocalServer) self = user_data;
  GSubprocess *process = G_SUBPROCESS (source);
  gboolean was_running, was_stopping;

  g_subprocess_wait_finish (process, result, NULL);
  if (process != self->process)
    return;

  g_clear_handle_id (&self->kill_timeout_id, g_source_remove);
  was_running = self->running;
  was_stopping = self->stopping;
  self->stopping = FALSE;
  g_clear_object (&self->process);
  set_running (self, FALSE);

  if (self->start_task != NULL)
    {
      /* A port we had before may be taken now: try any free one, once. */
      if (!self->ever_started && self->port != 0 && !self->retried && !was_stopping)
        {
          g_debug ("tandem-server exited before it was ready on port %u; trying another port", self->port);
          self->retried = TRUE;
          self->port = 0;
          spawn (self);
          return;
        }
      finish_start (self, failure (self, was_stopping ? _("it was stopped") : _("it exited")));
    }

  while (!g_queue_is_empty (&self->stop_tasks))
    {
      g_autoptr(GTask) task = g_queue_pop_head (&self->stop_tasks);

      g_task_return_boolean (task, TRUE);
    }

  if (was_running && !was_stopping)
    {
      g_autofree char *tail = log_tail (self, 1);
      g_autofree char *message = tail && *tail ? log_message (tail) : g_strdup ("");

      g_warning ("tandem-server for %s exited: %s", self->data_dir, message);
      g_signal_emit (self, signals[EXITED], 0, message);
    }
}

static void
child_setup (gpointer data)
{
  pid_t parent = GPOINTER_TO_INT (data);

  /* Stop with us, even if we crash. */
  prctl (PR_SET_PDEATHSIG, SIGTERM);
  if (getppid () != parent)
    _exit (127);
}

static gboolean
start_timeout_cb (gpointer data)
{
  TandemLocalServer *self = data;

  self->start_timeout_id = 0;
  if (self->process != NULL)
    {
      self->stopping = TRUE;
      g_subprocess_force_exit (self->process);
    }
  finish_start (self, failure (self, _("it did not answer in time")));
  return G_SOURCE_REMOVE;
}

static void
spawn (TandemLocalServer *self)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GDataInputStream) out = NULL;
  g_autoptr(GDataInputStream) err = NULL;
  g_autofree char *program = tandem_local_server_find_program ();
  g_autoptr(GError) error = NULL;

  if (program == NULL)
    {
      finish_start (self, g_error_new_literal (TANDEM_WORKSPACE_ERROR, TANDEM_WORKSPACE_ERROR_SERVER_FAILED,
                                               _("tandem-server is not installed")));
      return;
    }

  g_ptr_array_add (argv, g_strdup (program));
  g_ptr_array_add (argv, g_strdup ("--data"));
  g_ptr_array_add (argv, g_strdup (self->data_dir));
  g_ptr_array_add (argv, g_strdup ("--listen"));
  g_ptr_array_add (argv, g_strdup_printf ("127.0.0.1:%u", self->port));
  g_ptr_array_add (argv, g_strdup ("--output"));
  g_ptr_array_add (argv, g_strdup ("json"));
  if (self->demo)
    g_ptr_array_add (argv, g_strdup ("--demo"));
  g_ptr_array_add (argv, NULL);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_subprocess_launcher_set_child_setup (launcher, child_setup, GINT_TO_POINTER (getpid ()), NULL);
  g_string_truncate (self->stdout_text, 0);
  g_queue_clear_full (&self->log_tail, g_free);

  g_debug ("starting %s --data %s --listen 127.0.0.1:%u", program, self->data_dir, self->port);
  self->process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  if (self->process == NULL)
    {
      finish_start (self, failure (self, error->message));
      return;
    }

  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (self->process));
  err = g_data_input_stream_new (g_subprocess_get_stderr_pipe (self->process));
  read_stdout (self, out);
  read_stderr (self, err);
  g_subprocess_wait_async (self->process, NULL, wait_cb, g_object_ref (self));
}

static gboolean
make_parents (const char  *data_dir,
              GError     **error)
{
  g_autofree char *parent = g_path_get_dirname (data_dir);
  /* As root the server runs PostgreSQL as `postgres`, which must be able to
   * pass through our folders. */
  int mode = geteuid () == 0 ? 0711 : 0700;

  if (g_mkdir_with_parents (parent, mode) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, TANDEM_WORKSPACE_ERROR, TANDEM_WORKSPACE_ERROR_SERVER_FAILED,
                   _("Cannot create %s: %s"), parent, g_strerror (saved_errno));
      return FALSE;
    }
  if (geteuid () == 0)
    {
      g_autofree char *grandparent = g_path_get_dirname (parent);

      g_chmod (parent, 0711);
      g_chmod (grandparent, 0711);
    }
  return TRUE;
}

void
tandem_local_server_start_async (TandemLocalServer   *self,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  GError *error = NULL;

  g_return_if_fail (TANDEM_IS_LOCAL_SERVER (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, tandem_local_server_start_async);

  if (self->running)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }
  if (self->start_task != NULL || self->process != NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_PENDING, "The server is starting or stopping");
      return;
    }
  if (!make_parents (self->data_dir, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  if (self->io_cancellable == NULL || g_cancellable_is_cancelled (self->io_cancellable))
    {
      g_clear_object (&self->io_cancellable);
      self->io_cancellable = g_cancellable_new ();
    }
  self->retried = FALSE;
  self->start_task = g_steal_pointer (&task);
  self->start_timeout_id = g_timeout_add_seconds (START_TIMEOUT_S, start_timeout_cb, self);
  spawn (self);
}

gboolean
tandem_local_server_start_finish (TandemLocalServer  *self,
                                  GAsyncResult       *result,
                                  GError            **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

static gboolean
kill_timeout_cb (gpointer data)
{
  TandemLocalServer *self = data;

  self->kill_timeout_id = 0;
  g_warning ("tandem-server for %s did not stop in %d s; killing it", self->data_dir, STOP_TIMEOUT_S);
  if (self->process != NULL)
    g_subprocess_force_exit (self->process);
  return G_SOURCE_REMOVE;
}

void
tandem_local_server_stop_async (TandemLocalServer   *self,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (TANDEM_IS_LOCAL_SERVER (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, tandem_local_server_stop_async);

  if (self->process == NULL)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }
  g_queue_push_tail (&self->stop_tasks, g_steal_pointer (&task));
  tandem_local_server_terminate (self);
}

gboolean
tandem_local_server_stop_finish (TandemLocalServer  *self,
                                 GAsyncResult       *result,
                                 GError            **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

void
tandem_local_server_terminate (TandemLocalServer *self)
{
  g_return_if_fail (TANDEM_IS_LOCAL_SERVER (self));

  if (self->process == NULL || self->stopping)
    return;
  self->stopping = TRUE;
  g_subprocess_send_signal (self->process, SIGTERM);
  if (self->kill_timeout_id == 0)
    self->kill_timeout_id = g_timeout_add_seconds (STOP_TIMEOUT_S, kill_timeout_cb, self);
}

gboolean
tandem_local_server_get_running (TandemLocalServer *self)
{
  g_return_val_if_fail (TANDEM_IS_LOCAL_SERVER (self), FALSE);
  return self->running;
}

const char *
tandem_local_server_get_data_dir (TandemLocalServer *self)
{
  g_return_val_if_fail (TANDEM_IS_LOCAL_SERVER (self), NULL);
  return self->data_dir;
}

guint
tandem_local_server_get_port (TandemLocalServer *self)
{
  g_return_val_if_fail (TANDEM_IS_LOCAL_SERVER (self), 0);
  return self->port;
}

const char *
tandem_local_server_get_url (TandemLocalServer *self)
{
  g_return_val_if_fail (TANDEM_IS_LOCAL_SERVER (self), NULL);
  return self->url;
}

const char *
tandem_local_server_get_anon_key (TandemLocalServer *self)
{
  g_return_val_if_fail (TANDEM_IS_LOCAL_SERVER (self), NULL);
  return self->anon_key;
}

const char *
tandem_local_server_get_service_role_key (TandemLocalServer *self)
{
  g_return_val_if_fail (TANDEM_IS_LOCAL_SERVER (self), NULL);
  return self->service_role_key;
}
