/* tandem-server-demo.c
 *
 * Two timers drive the demo: one every 100 ms writes the events that fell
 * due since the last tick in one INSERT (so the rate is steady whatever the
 * rate, with one transaction per tick at most), one every second moves the
 * "active users" random walk and broadcasts it. The second one also creates
 * or finds the Demo dashboard until that has worked once.
 *
 * Every database operation borrows a connection from the server's pool and
 * holds a reference on the demo until it is back, so tandem_server_demo_stop()
 * can wait for them: queries are short, and a connection still lent out when
 * the pool closes would be lost. No GCancellable is passed down: the pool
 * would drop an already made connection on the floor if its acquisition
 * were cancelled, and a query already sent finishes anyway.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tandem-demo"

#include "config.h"

#include <math.h>
#include <string.h>

#include "tandem-json-util.h"
#include "tandem-message.h"
/* The hub's internal fan-out, as the REST broadcast API uses it. */
#include "tandem-rt-private.h"
#include "tandem-server-demo.h"

#define EVENTS_INTERVAL_MS     100
#define METRIC_INTERVAL_MS     1000
#define STOP_TIMEOUT_MS        1000
#define MAX_EVENTS_PER_INSERT  1000
#define DEFAULT_VALUE_WIDGET   "w3"
#define METRIC_EVENT           "metric_update"
/* An arbitrary pg_advisory_xact_lock key ("TNDD"), so that two servers on
 * one database starting at once create one Demo dashboard, not two. */
#define DASHBOARD_LOCK_KEY     "1414415428"

#define ACTIVE_USERS_MIN       20
#define ACTIVE_USERS_MAX       400

struct _TandemServerDemo
{
  GObject       parent_instance;

  TandemPgPool *pool;
  TandemRtHub  *hub;              /* unowned */
  GRand        *rand;
  guint         rate;             /* events per second */

  guint         events_source;
  guint         metric_source;
  gint64        last_events_tick;
  double        owed;             /* events due and not yet written */
  gboolean      inserting;
  gboolean      ensuring;
  guint         n_in_flight;      /* operations holding a reference */
  gboolean      db_failing;       /* log a failure once, and the recovery */

  char         *dashboard_id;
  char         *dashboard_topic;  /* "dashboard:<id>" */
  char         *value_widget_id;
  int           active_users;

  gboolean      started;
  gboolean      stopped;
};

G_DEFINE_FINAL_TYPE (TandemServerDemo, tandem_server_demo, G_TYPE_OBJECT)

static void
tandem_server_demo_dispose (GObject *object)
{
  TandemServerDemo *self = (TandemServerDemo *) object;

  tandem_server_demo_stop (self);
  g_clear_object (&self->pool);

  G_OBJECT_CLASS (tandem_server_demo_parent_class)->dispose (object);
}

static void
tandem_server_demo_finalize (GObject *object)
{
  TandemServerDemo *self = (TandemServerDemo *) object;

  g_assert (self->events_source == 0);
  g_assert (self->metric_source == 0);
  g_rand_free (self->rand);
  g_free (self->dashboard_id);
  g_free (self->dashboard_topic);
  g_free (self->value_widget_id);

  G_OBJECT_CLASS (tandem_server_demo_parent_class)->finalize (object);
}

static void
tandem_server_demo_class_init (TandemServerDemoClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = tandem_server_demo_dispose;
  object_class->finalize = tandem_server_demo_finalize;
}

static void
tandem_server_demo_init (TandemServerDemo *self)
{
  self->rand = g_rand_new ();
  self->active_users = 120;
}

TandemServerDemo *
tandem_server_demo_new (TandemPgPool *pool,
                        TandemRtHub  *hub,
                        guint         events_per_second)
{
  TandemServerDemo *self;

  g_return_val_if_fail (TANDEM_IS_PG_POOL (pool), NULL);
  g_return_val_if_fail (hub != NULL, NULL);

  self = g_object_new (TANDEM_TYPE_SERVER_DEMO, NULL);
  self->pool = g_object_ref (pool);
  self->hub = hub;
  self->rate = CLAMP (events_per_second, 1, TANDEM_SERVER_DEMO_MAX_RATE);
  return self;
}

const char *
tandem_server_demo_get_dashboard_id (TandemServerDemo *self)
{
  g_return_val_if_fail (TANDEM_IS_SERVER_DEMO (self), NULL);

  return self->dashboard_id;
}

/* Failures and recoveries: one line each, not one per tick while the
 * database is away. */

static void
note_db_failure (TandemServerDemo *self,
                 const char       *what,
                 const GError     *error)
{
  if (self->stopped)
    return;
  if (!self->db_failing)
    g_warning ("%s: %s; retrying", what, error->message);
  else
    g_debug ("%s: %s", what, error->message);
  self->db_failing = TRUE;
}

static void
note_db_success (TandemServerDemo *self)
{
  if (self->db_failing && !self->stopped)
    g_info ("writing analytics events again");
  self->db_failing = FALSE;
}

/* An operation on one borrowed connection. */

typedef struct
{
  TandemServerDemo *self;
  TandemPgConn     *conn;
  guint             n_events;
  guint             n_done;      /* queued statements answered */
  gboolean          failed;
  GError           *error;       /* the first failure */
  char             *id;          /* found or created dashboard */
  char             *layout;
  gboolean          created;
} DemoOp;

static DemoOp *
demo_op_new (TandemServerDemo *self)
{
  DemoOp *op = g_new0 (DemoOp, 1);

  op->self = g_object_ref (self);
  self->n_in_flight++;
  return op;
}

static void
demo_op_free (DemoOp *op)
{
  if (op->conn != NULL)
    tandem_pg_pool_release (op->self->pool, g_steal_pointer (&op->conn));
  op->self->n_in_flight--;
  g_clear_error (&op->error);
  g_free (op->id);
  g_free (op->layout);
  g_object_unref (op->self);
  g_free (op);
}

/* Events */

static const char * const paths[] = {
  "/", "/", "/pricing", "/features", "/docs", "/docs/getting-started", "/docs/realtime",
  "/blog", "/blog/live-dashboards", "/changelog", "/signup", "/about",
};
static const char * const referrers[] = {
  "direct", "direct", "google", "google", "github", "newsletter", "mastodon", "hacker-news",
};
static const char * const devices[] = { "desktop", "desktop", "desktop", "mobile", "mobile", "tablet" };
static const char * const countries[] = { "DE", "FR", "US", "US", "GB", "ES", "IT", "NL", "BR", "IN", "JP", "CA" };
static const char * const plans[] = { "free", "free", "free", "pro", "team" };
static const struct
{
  const char *product;
  double      price;
} products[] = {
  /* Repeated entries are the popular ones. */
  { "Pro monthly", 12.0 },
  { "Pro monthly", 12.0 },
  { "Pro monthly", 12.0 },
  { "Extra storage", 4.99 },
  { "Extra storage", 4.99 },
  { "Team monthly", 49.0 },
  { "Team monthly", 49.0 },
  { "Pro yearly", 120.0 },
  { "Team yearly", 490.0 },
  { "Support plan", 199.0 },
};

#define PICK(self, array) ((array)[g_rand_int_range ((self)->rand, 0, G_N_ELEMENTS (array))])

static void
add_string_member (JsonBuilder *builder,
                   const char  *name,
                   const char  *value)
{
  json_builder_set_member_name (builder, name);
  json_builder_add_string_value (builder, value);
}

/* One event: mostly page views, some sign-ups, a few purchases, each with
 * the properties an analytics tool would record. */
static void
add_random_event (TandemServerDemo *self,
                  JsonBuilder      *builder)
{
  double roll = g_rand_double (self->rand);
  g_autofree char *session = g_strdup_printf ("s-%06x", g_rand_int_range (self->rand, 0, 0x1000000));
  const char *name;
  double value = 1;

  if (roll < 0.85)
    name = "page_view";
  else if (roll < 0.96)
    name = "signup";
  else
    name = "purchase";

  json_builder_begin_object (builder);
  add_string_member (builder, "name", name);
  json_builder_set_member_name (builder, "properties");
  json_builder_begin_object (builder);
  if (g_str_equal (name, "page_view"))
    {
      add_string_member (builder, "path", PICK (self, paths));
      add_string_member (builder, "referrer", PICK (self, referrers));
      add_string_member (builder, "device", PICK (self, devices));
    }
  else if (g_str_equal (name, "signup"))
    {
      add_string_member (builder, "plan", PICK (self, plans));
      add_string_member (builder, "referrer", PICK (self, referrers));
    }
  else
    {
      guint i = g_rand_int_range (self->rand, 0, G_N_ELEMENTS (products));

      add_string_member (builder, "product", products[i].product);
      add_string_member (builder, "currency", "EUR");
      json_builder_set_member_name (builder, "quantity");
      json_builder_add_int_value (builder, 1);
      value = products[i].price;
    }
  add_string_member (builder, "country", PICK (self, countries));
  add_string_member (builder, "session_id", session);
  json_builder_end_object (builder);
  json_builder_set_member_name (builder, "value");
  json_builder_add_double_value (builder, value);
  json_builder_end_object (builder);
}

static char *
build_events (TandemServerDemo *self,
              guint             n)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_array (builder);
  for (guint i = 0; i < n; i++)
    add_random_event (self, builder);
  json_builder_end_array (builder);
  root = json_builder_get_root (builder);
  return json_to_string (root, FALSE);
}

static void
events_inserted_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  DemoOp *op = user_data;
  TandemServerDemo *self = op->self;
  g_autoptr(PGresult) pg_result = NULL;
  g_autoptr(GError) error = NULL;

  pg_result = tandem_pg_conn_query_finish (TANDEM_PG_CONN (source), result, &error);
  if (pg_result == NULL)
    note_db_failure (self, "cannot write analytics events", error);
  else
    {
      note_db_success (self);
      g_debug ("wrote %u analytics events", op->n_events);
    }
  self->inserting = FALSE;
  demo_op_free (op);
}

static void
events_acquired_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  DemoOp *op = user_data;
  TandemServerDemo *self = op->self;
  g_autoptr(GError) error = NULL;
  g_autofree char *events = NULL;
  const char *params[1];

  op->conn = tandem_pg_pool_acquire_finish (TANDEM_PG_POOL (source), result, &error);
  if (op->conn == NULL || self->stopped)
    {
      if (op->conn == NULL)
        note_db_failure (self, "cannot write analytics events", error);
      self->inserting = FALSE;
      demo_op_free (op);
      return;
    }

  /* One statement, one transaction: the events of a tick commit together,
   * in order. Their created_at is the commit's time, as for any client. */
  events = build_events (self, op->n_events);
  params[0] = events;
  tandem_pg_conn_query_async (op->conn,
                              "INSERT INTO public.analytics_events (name, value, properties) "
                              "SELECT e ->> 'name', (e ->> 'value')::double precision, e -> 'properties' "
                              "FROM jsonb_array_elements($1::jsonb) WITH ORDINALITY AS t (e, n) ORDER BY n",
                              params, 1, NULL, events_inserted_cb, op);
}

static gboolean
events_tick_cb (gpointer user_data)
{
  TandemServerDemo *self = user_data;
  gint64 now = g_get_monotonic_time ();
  DemoOp *op;
  guint n;

  self->owed += self->rate * (double) (now - self->last_events_tick) / G_USEC_PER_SEC;
  self->last_events_tick = now;
  /* While the database is slow or away keep at most a second's backlog: a
   * burst on its return would show up as a spike in every chart. */
  self->owed = MIN (self->owed, (double) self->rate);

  if (self->inserting)
    return G_SOURCE_CONTINUE;
  n = (guint) MIN (floor (self->owed), MAX_EVENTS_PER_INSERT);
  if (n == 0)
    return G_SOURCE_CONTINUE;
  self->owed -= n;

  op = demo_op_new (self);
  op->n_events = n;
  self->inserting = TRUE;
  tandem_pg_pool_acquire_async (self->pool, NULL, events_acquired_cb, op);
  return G_SOURCE_CONTINUE;
}

/* The Demo dashboard */

static void
add_int_member (JsonBuilder *builder,
                const char  *name,
                gint64       value)
{
  json_builder_set_member_name (builder, name);
  json_builder_add_int_value (builder, value);
}

/* A series over analytics_events; @filter "" for every event. */
static void
add_series (JsonBuilder *builder,
            const char  *label,
            const char  *filter,
            const char  *aggregation)
{
  json_builder_begin_object (builder);
  add_string_member (builder, "label", label);
  add_string_member (builder, "table", "analytics_events");
  add_string_member (builder, "filter", filter);
  add_string_member (builder, "time_column", "created_at");
  add_string_member (builder, "value_column", "value");
  add_string_member (builder, "aggregation", aggregation);
  json_builder_end_object (builder);
}

/* Opens a widget object and its "series" array. */
static void
begin_widget (JsonBuilder *builder,
              const char  *id,
              const char  *kind,
              const char  *title)
{
  json_builder_begin_object (builder);
  add_string_member (builder, "id", id);
  add_string_member (builder, "kind", kind);
  add_string_member (builder, "title", title);
  json_builder_set_member_name (builder, "series");
  json_builder_begin_array (builder);
}

/* Closes the series and the widget; the grid has two columns. */
static void
end_widget (JsonBuilder *builder,
            int          bucket_seconds,
            int          window_points,
            gboolean     broadcast,
            int          x,
            int          y,
            int          width,
            int          height)
{
  json_builder_end_array (builder);
  add_int_member (builder, "bucket_seconds", bucket_seconds);
  add_int_member (builder, "window_points", window_points);
  add_int_member (builder, "window_seconds", 0);
  json_builder_set_member_name (builder, "broadcast");
  json_builder_add_boolean_value (builder, broadcast);
  add_int_member (builder, "x", x);
  add_int_member (builder, "y", y);
  add_int_member (builder, "width", width);
  add_int_member (builder, "height", height);
  json_builder_end_object (builder);
}

JsonNode *
tandem_server_demo_build_layout (void)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "widgets");
  json_builder_begin_array (builder);

  /* Ten minutes of traffic in 10 s buckets. */
  begin_widget (builder, "w1", "line", "Page views and sign-ups");
  add_series (builder, "page views", "name=eq.page_view", "count");
  add_series (builder, "sign-ups", "name=eq.signup", "count");
  end_widget (builder, 10, 60, FALSE, 0, 0, 2, 1);

  /* Half an hour of revenue, a bar per minute. */
  begin_widget (builder, "w2", "bar", "Purchases per minute");
  add_series (builder, "revenue (EUR)", "name=eq.purchase", "sum");
  end_widget (builder, 60, 30, FALSE, 0, 1, 1, 1);

  /* Fed by the metric_update broadcasts, not by a table. */
  begin_widget (builder, DEFAULT_VALUE_WIDGET, "value", "Active users");
  end_widget (builder, 0, 1, TRUE, 1, 1, 1, 1);

  begin_widget (builder, "w4", "table", "Latest events");
  add_series (builder, "events", "", "none");
  end_widget (builder, 0, 20, FALSE, 0, 2, 2, 1);

  json_builder_end_array (builder);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

/* The widget that receives the broadcasts: the first broadcast "value"
 * widget of a layout, which someone may have edited since it was created. */
static char *
find_value_widget (const char *layout_text)
{
  g_autoptr(JsonNode) layout = json_from_string (layout_text, NULL);
  JsonNode *widgets = layout != NULL && JSON_NODE_HOLDS_OBJECT (layout)
                        ? json_object_get_member (json_node_get_object (layout), "widgets")
                        : NULL;
  JsonArray *array;

  if (widgets == NULL || !JSON_NODE_HOLDS_ARRAY (widgets))
    return g_strdup (DEFAULT_VALUE_WIDGET);
  array = json_node_get_array (widgets);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *node = json_array_get_element (array, i);
      JsonObject *widget = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
      JsonNode *broadcast = widget != NULL ? json_object_get_member (widget, "broadcast") : NULL;
      const char *id = tandem_json_string_member (widget, "id");

      if (id != NULL && g_strcmp0 (tandem_json_string_member (widget, "kind"), "value") == 0 &&
          broadcast != NULL && JSON_NODE_HOLDS_VALUE (broadcast) &&
          json_node_get_value_type (broadcast) == G_TYPE_BOOLEAN && json_node_get_boolean (broadcast))
        return g_strdup (id);
    }
  return g_strdup (DEFAULT_VALUE_WIDGET);
}

static void
ensure_step_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  DemoOp *op = user_data;
  TandemServerDemo *self = op->self;
  g_autoptr(PGresult) pg_result = NULL;
  GError *error = NULL;

  pg_result = tandem_pg_conn_query_finish (TANDEM_PG_CONN (source), result, &error);
  op->n_done++;
  if (pg_result == NULL)
    {
      op->failed = TRUE;
      if (op->error == NULL)
        op->error = error;
      else
        g_error_free (error);
    }
  else if (op->n_done == 3 && PQntuples (pg_result) > 0)
    {
      op->id = g_strdup (PQgetvalue (pg_result, 0, 0));
      op->layout = g_strdup (PQgetvalue (pg_result, 0, 1));
      op->created = g_str_equal (PQgetvalue (pg_result, 0, 2), "t");
    }

  /* BEGIN, the lock, the statement, COMMIT: only the last one ends it. */
  if (op->n_done < 4)
    return;

  self->ensuring = FALSE;
  if (op->failed || op->id == NULL)
    {
      if (op->error != NULL)
        note_db_failure (self, "cannot create the Demo dashboard", op->error);
      demo_op_free (op);
      return;
    }

  note_db_success (self);
  self->dashboard_id = g_steal_pointer (&op->id);
  self->dashboard_topic = g_strconcat ("dashboard:", self->dashboard_id, NULL);
  self->value_widget_id = find_value_widget (op->layout);
  if (!self->stopped)
    g_info ("%s the dashboard “%s” (%s); broadcasting %s for widget %s on %s",
            op->created ? "created" : "using", TANDEM_SERVER_DEMO_NAME, self->dashboard_id,
            METRIC_EVENT, self->value_widget_id, self->dashboard_topic);
  demo_op_free (op);
}

static void
ensure_acquired_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  DemoOp *op = user_data;
  TandemServerDemo *self = op->self;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) layout = NULL;
  g_autofree char *layout_text = NULL;
  const char *params[2];

  op->conn = tandem_pg_pool_acquire_finish (TANDEM_PG_POOL (source), result, &error);
  if (op->conn == NULL || self->stopped)
    {
      if (op->conn == NULL)
        note_db_failure (self, "cannot create the Demo dashboard", error);
      self->ensuring = FALSE;
      demo_op_free (op);
      return;
    }

  layout = tandem_server_demo_build_layout ();
  layout_text = json_to_string (layout, FALSE);
  params[0] = TANDEM_SERVER_DEMO_NAME;
  params[1] = layout_text;

  /* The connection runs them in this order; a failed statement makes COMMIT
   * roll back, so the connection goes back to the pool without a
   * transaction either way. The owner is NULL: the dashboard belongs to the
   * workspace, and only service_role may delete it. */
  tandem_pg_conn_query_async (op->conn, "BEGIN", NULL, 0, NULL, ensure_step_cb, op);
  tandem_pg_conn_query_async (op->conn, "SELECT pg_advisory_xact_lock(" DASHBOARD_LOCK_KEY ")",
                              NULL, 0, NULL, ensure_step_cb, op);
  tandem_pg_conn_query_async (op->conn,
                              "WITH existing AS ("
                              "  SELECT id, layout FROM public.dashboards WHERE name = $1"
                              "  ORDER BY created_at, id LIMIT 1"
                              "), created AS ("
                              "  INSERT INTO public.dashboards (name, layout, owner)"
                              "  SELECT $1, $2::jsonb, NULL WHERE NOT EXISTS (SELECT 1 FROM existing)"
                              "  RETURNING id, layout"
                              ") "
                              "SELECT id::text, layout::text, false FROM existing "
                              "UNION ALL SELECT id::text, layout::text, true FROM created",
                              params, 2, NULL, ensure_step_cb, op);
  tandem_pg_conn_query_async (op->conn, "COMMIT", NULL, 0, NULL, ensure_step_cb, op);
}

static void
ensure_dashboard (TandemServerDemo *self)
{
  DemoOp *op = demo_op_new (self);

  self->ensuring = TRUE;
  tandem_pg_pool_acquire_async (self->pool, NULL, ensure_acquired_cb, op);
}

/* metric_update */

static char *
format_now_iso8601 (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *seconds = g_date_time_format (now, "%Y-%m-%dT%H:%M:%S");

  /* Milliseconds, as Realtime's own timestamps have. */
  return g_strdup_printf ("%s.%03dZ", seconds, g_date_time_get_microsecond (now) / 1000);
}

static void
broadcast_metric (TandemServerDemo *self)
{
  TandemRtTopic *topic = tandem_rt_hub_lookup_topic (self->hub, self->dashboard_topic, FALSE);
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(TandemMessage) message = NULL;
  g_autofree char *timestamp = NULL;
  JsonObject *broadcast;
  JsonObject *payload;

  /* Nobody has the dashboard open; and past the tenant's message rate the
   * demo is throttled like any other sender. */
  if (topic == NULL || !tandem_rt_hub_count_events (self->hub, 0))
    return;

  timestamp = format_now_iso8601 ();
  payload = json_object_new ();
  json_object_set_string_member (payload, "widget_id", self->value_widget_id);
  json_object_set_int_member (payload, "value", self->active_users);
  json_object_set_string_member (payload, "timestamp", timestamp);

  broadcast = json_object_new ();
  json_object_set_string_member (broadcast, "type", "broadcast");
  json_object_set_string_member (broadcast, "event", METRIC_EVENT);
  json_object_set_object_member (broadcast, "payload", payload);
  node = tandem_json_node_take_object (broadcast);

  message = tandem_message_new (NULL, NULL, "", "broadcast", node);
  tandem_rt_hub_count_events (self->hub, tandem_rt_hub_broadcast (self->hub, topic, message, NULL));
}

static gboolean
metric_tick_cb (gpointer user_data)
{
  TandemServerDemo *self = user_data;

  /* A random walk that stays in a plausible band. */
  self->active_users += g_rand_int_range (self->rand, -5, 6);
  if (self->active_users < ACTIVE_USERS_MIN)
    self->active_users = 2 * ACTIVE_USERS_MIN - self->active_users;
  else if (self->active_users > ACTIVE_USERS_MAX)
    self->active_users = 2 * ACTIVE_USERS_MAX - self->active_users;

  if (self->dashboard_id == NULL)
    {
      /* Not created yet (the database was away): try again. */
      if (!self->ensuring)
        ensure_dashboard (self);
      return G_SOURCE_CONTINUE;
    }
  broadcast_metric (self);
  return G_SOURCE_CONTINUE;
}

/* Running */

void
tandem_server_demo_start (TandemServerDemo *self)
{
  g_return_if_fail (TANDEM_IS_SERVER_DEMO (self));
  g_return_if_fail (!self->started);

  self->started = TRUE;
  g_info ("writing %u analytics events per second", self->rate);

  ensure_dashboard (self);
  self->last_events_tick = g_get_monotonic_time ();
  self->events_source = g_timeout_add (EVENTS_INTERVAL_MS, events_tick_cb, self);
  g_source_set_name_by_id (self->events_source, "[tandem-server] demo events");
  self->metric_source = g_timeout_add (METRIC_INTERVAL_MS, metric_tick_cb, self);
  g_source_set_name_by_id (self->metric_source, "[tandem-server] demo metric");
}

static gboolean
stop_timeout_cb (gpointer user_data)
{
  gboolean *timed_out = user_data;

  *timed_out = TRUE;
  return G_SOURCE_REMOVE;
}

void
tandem_server_demo_stop (TandemServerDemo *self)
{
  gboolean timed_out = FALSE;
  guint timeout_source;

  g_return_if_fail (TANDEM_IS_SERVER_DEMO (self));

  if (self->stopped)
    return;
  self->stopped = TRUE;
  g_clear_handle_id (&self->events_source, g_source_remove);
  g_clear_handle_id (&self->metric_source, g_source_remove);

  if (self->n_in_flight == 0)
    return;
  timeout_source = g_timeout_add (STOP_TIMEOUT_MS, stop_timeout_cb, &timed_out);
  while (self->n_in_flight > 0 && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (!timed_out)
    g_source_remove (timeout_source);
  else
    g_debug ("%u database operations still running at shutdown", self->n_in_flight);
}
