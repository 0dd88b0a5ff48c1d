/* test-demo.c: the app's tables (migration 0006) and tandem-server --demo
 *
 * The schema and its row-level security through the REST API with real
 * tokens; then a server with --demo: the Demo dashboard (once, across
 * restarts), events written at about the rate and delivered as
 * postgres_changes under RLS, metric_update broadcasts on the dashboard's
 * channel, and a PostgreSQL crash that the demo survives.
 *
 * Every wait is bounded and checks "at least", never a measured time.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>
#include <libsoup/soup.h>

#include "tandem-test-client.h"
#include "tandem-test-pg.h"
#include "tandem-test-server.h"
#include "tandem-test-utils.h"

#define USER_A "aaaaaaaa-0000-4000-8000-000000000001"
#define USER_B "bbbbbbbb-0000-4000-8000-000000000002"

static const char * const demo_args[] = { "--demo", "--demo-rate", "20", NULL };

/* ---- helpers ------------------------------------------------------------ */

static char *
sql_value (TandemTestPg *pg,
           const char   *sql)
{
  PGresult *result = tandem_test_pg_query (pg, sql);
  char *value = NULL;

  if (PQntuples (result) > 0 && !PQgetisnull (result, 0, 0))
    value = g_strdup (PQgetvalue (result, 0, 0));
  PQclear (result);
  return value;
}

static gint64
sql_int (TandemTestPg *pg,
         const char   *sql)
{
  g_autofree char *value = sql_value (pg, sql);

  g_assert_nonnull (value);
  return g_ascii_strtoll (value, NULL, 10);
}

/* Polls @sql every 50 ms (iterating the main context for the WebSocket
 * clients) until its value is at least @at_least; fails after @timeout_ms. */
static void
wait_for_count (TandemTestPg *pg,
                const char   *sql,
                gint64        at_least,
                guint         timeout_ms)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_ms * 1000;
  gint64 value;

  while ((value = sql_int (pg, sql)) < at_least)
    {
      if (g_get_monotonic_time () > deadline)
        g_error ("timed out waiting for «%s» to reach %" G_GINT64_FORMAT " (it is %" G_GINT64_FORMAT ")",
                 sql, at_least, value);
      tandem_test_run_for (50);
    }
}

/* Waits until @n more analytics events than now exist. */
static void
wait_for_more_events (TandemTestPg *pg,
                      gint64        n,
                      guint         timeout_ms)
{
  gint64 before = sql_int (pg, "SELECT count(*) FROM public.analytics_events");
  g_autofree char *sql = g_strdup_printf ("SELECT count(*) - %" G_GINT64_FORMAT " FROM public.analytics_events", before);

  wait_for_count (pg, sql, n, timeout_ms);
}

static char *
user_token (TandemTestServer *server,
            const char       *sub)
{
  g_autoptr(JsonObject) claims = json_object_new ();

  json_object_set_string_member (claims, "sub", sub);
  json_object_set_string_member (claims, "aud", "authenticated");
  return tandem_test_server_make_token (server, "authenticated", 3600, claims);
}

typedef struct
{
  guint     status;
  JsonNode *body;   /* NULL when empty */
  char     *text;
} Reply;

static void
reply_free (Reply *reply)
{
  g_clear_pointer (&reply->body, json_node_unref);
  g_free (reply->text);
  g_free (reply);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC (Reply, reply_free)

/* @method /rest/v1@path as @token (the apikey is the anon key, as
 * supabase-js sends it), asking for the rows back. */
static Reply *
rest (TandemTestServer *server,
      const char       *method,
      const char       *path,
      const char       *token,
      const char       *body)
{
  g_autoptr(SoupSession) session = soup_session_new_with_options ("timeout", 30, NULL);
  g_autofree char *url = g_strconcat (tandem_test_server_get_url (server), "/rest/v1", path, NULL);
  g_autofree char *bearer = g_strconcat ("Bearer ", token, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new (method, url);
  g_autoptr(GBytes) response = NULL;
  g_autoptr(GError) error = NULL;
  SoupMessageHeaders *headers = soup_message_get_request_headers (msg);
  Reply *reply = g_new0 (Reply, 1);

  soup_message_headers_replace (headers, "apikey", tandem_test_server_get_anon_key (server));
  soup_message_headers_replace (headers, "Authorization", bearer);
  soup_message_headers_replace (headers, "Prefer", "return=representation");
  if (body != NULL)
    {
      g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));

      soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
    }
  response = soup_session_send_and_read (session, msg, NULL, &error);
  g_assert_no_error (error);
  reply->status = soup_message_get_status (msg);
  reply->text = g_strndup (g_bytes_get_data (response, NULL), g_bytes_get_size (response));
  if (reply->text[0] != '\0')
    {
      reply->body = json_from_string (reply->text, &error);
      g_assert_no_error (error);
    }
  return reply;
}

static JsonArray *
reply_rows (Reply *reply)
{
  g_assert_nonnull (reply->body);
  if (!JSON_NODE_HOLDS_ARRAY (reply->body))
    g_error ("expected rows, got %u %s", reply->status, reply->text);
  return json_node_get_array (reply->body);
}

static JsonObject *
reply_row (Reply *reply)
{
  JsonArray *rows = reply_rows (reply);

  g_assert_cmpuint (json_array_get_length (rows), ==, 1);
  return json_array_get_object_element (rows, 0);
}

static void
assert_rest_error (Reply      *reply,
                   guint       status,
                   const char *code)
{
  if (reply->status != status || reply->body == NULL || !JSON_NODE_HOLDS_OBJECT (reply->body) ||
      g_strcmp0 (json_object_get_string_member_with_default (json_node_get_object (reply->body), "code", ""), code) != 0)
    g_error ("expected %u with code %s, got %u %s", status, code, reply->status, reply->text);
}

/* (column, type, nullable, default) rows of @table, one line each. */
static char *
describe_columns (TandemTestPg *pg,
                  const char   *table)
{
  g_autofree char *sql = g_strdup_printf ("SELECT string_agg(format('%%s %%s %%s %%s', column_name, data_type, is_nullable,"
                                          "                         coalesce(column_default, '-')), E'\\n'"
                                          "                  ORDER BY ordinal_position)"
                                          " FROM information_schema.columns"
                                          " WHERE table_schema = 'public' AND table_name = '%s'", table);

  return sql_value (pg, sql);
}

/* ---- the schema --------------------------------------------------------- */

static TandemTestPg *plain_pg;
static TandemTestServer *plain_server;

static void
test_schema (void)
{
  g_autofree char *dashboards = describe_columns (plain_pg, "dashboards");
  g_autofree char *events = describe_columns (plain_pg, "analytics_events");
  g_autofree char *publication = NULL;
  g_autofree char *fk = NULL;

  g_assert_cmpstr (dashboards, ==,
                   "id uuid NO gen_random_uuid()\n"
                   "name text NO -\n"
                   "layout jsonb NO '{\"widgets\": []}'::jsonb\n"
                   "owner uuid YES auth.uid()\n"
                   "created_at timestamp with time zone YES now()\n"
                   "updated_at timestamp with time zone YES now()");
  g_assert_cmpstr (events, ==,
                   "id bigint NO nextval('analytics_events_id_seq'::regclass)\n"
                   "created_at timestamp with time zone NO now()\n"
                   "name text NO -\n"
                   "value double precision NO 1\n"
                   "properties jsonb NO '{}'::jsonb");

  fk = sql_value (plain_pg, "SELECT confrelid::regclass::text FROM pg_constraint"
                            " WHERE conrelid = 'public.dashboards'::regclass AND contype = 'f'");
  g_assert_cmpstr (fk, ==, "auth.users");

  /* both published (and the list of whiteboards, 0008, not their strokes),
   * RLS on both, the old row of dashboards in the WAL */
  publication = sql_value (plain_pg, "SELECT string_agg(tablename, ',' ORDER BY tablename) FROM pg_publication_tables"
                                     " WHERE pubname = 'supabase_realtime' AND schemaname = 'public'");
  g_assert_cmpstr (publication, ==, "analytics_events,dashboards,whiteboards");
  g_assert_cmpint (sql_int (plain_pg, "SELECT count(*) FROM pg_class WHERE oid IN"
                                      " ('public.dashboards'::regclass, 'public.analytics_events'::regclass)"
                                      " AND relrowsecurity"), ==, 2);
  g_assert_cmpint (sql_int (plain_pg, "SELECT count(*) FROM pg_class"
                                      " WHERE oid = 'public.dashboards'::regclass AND relreplident = 'f'"), ==, 1);

  /* the API roles: row privileges only (TRUNCATE would bypass RLS) */
  g_assert_cmpint (sql_int (plain_pg, "SELECT count(*) FROM information_schema.role_table_grants"
                                      " WHERE table_schema = 'public' AND table_name IN ('dashboards', 'analytics_events')"
                                      " AND grantee IN ('anon', 'authenticated')"
                                      " AND privilege_type IN ('SELECT', 'INSERT', 'UPDATE', 'DELETE')"), ==, 16);
  g_assert_cmpint (sql_int (plain_pg, "SELECT count(*) FROM information_schema.role_table_grants"
                                      " WHERE table_schema = 'public' AND table_name IN ('dashboards', 'analytics_events')"
                                      " AND grantee IN ('anon', 'authenticated')"
                                      " AND privilege_type NOT IN ('SELECT', 'INSERT', 'UPDATE', 'DELETE')"), ==, 0);

  /* the indexes charts read by */
  g_assert_cmpint (sql_int (plain_pg, "SELECT count(*) FROM pg_indexes WHERE tablename = 'analytics_events' AND"
                                      " (indexdef LIKE '%(created_at)' OR indexdef LIKE '%(name, created_at)')"), ==, 2);

  /* without --demo, no demo */
  g_assert_cmpint (sql_int (plain_pg, "SELECT count(*) FROM public.dashboards WHERE name = 'Demo'"), ==, 0);
  g_assert_cmpint (sql_int (plain_pg, "SELECT count(*) FROM public.analytics_events"), ==, 0);
}

/* ---- row-level security over REST --------------------------------------- */

static void
test_rls (void)
{
  TandemTestServer *server = plain_server;
  g_autofree char *a = user_token (server, USER_A);
  g_autofree char *b = user_token (server, USER_B);
  const char *anon = tandem_test_server_get_anon_key (server);
  const char *service = tandem_test_server_get_service_key (server);
  g_autofree char *a_id = NULL;
  g_autofree char *b_id = NULL;
  g_autofree char *path = NULL;
  g_autofree char *sql = NULL;
  Reply *reply;

  tandem_test_pg_exec (plain_pg,
                       "INSERT INTO auth.users (id, email) VALUES"
                       " ('" USER_A "', 'a@example.com'), ('" USER_B "', 'b@example.com');"
                       "INSERT INTO public.dashboards (name) VALUES ('Workspace');"
                       "INSERT INTO public.analytics_events (name) VALUES ('seeded');");

  /* anon: nothing to read, nothing to write */
  {
    g_autoptr(Reply) r1 = rest (server, "GET", "/dashboards?select=id", anon, NULL);
    g_autoptr(Reply) r2 = rest (server, "GET", "/analytics_events?select=id", anon, NULL);
    g_autoptr(Reply) r3 = rest (server, "POST", "/dashboards", anon, "{\"name\":\"anon's\"}");
    g_autoptr(Reply) r4 = rest (server, "POST", "/analytics_events", anon, "{\"name\":\"anon\"}");

    g_assert_cmpuint (r1->status, ==, 200);
    g_assert_cmpuint (json_array_get_length (reply_rows (r1)), ==, 0);
    g_assert_cmpuint (r2->status, ==, 200);
    g_assert_cmpuint (json_array_get_length (reply_rows (r2)), ==, 0);
    assert_rest_error (r3, 401, "42501");
    assert_rest_error (r4, 401, "42501");
  }

  /* A creates one: it is A's */
  {
    g_autoptr(Reply) created = rest (server, "POST", "/dashboards", a, "{\"name\":\"A's board\"}");
    JsonObject *row;

    g_assert_cmpuint (created->status, ==, 201);
    row = reply_row (created);
    g_assert_cmpstr (json_object_get_string_member (row, "owner"), ==, USER_A);
    g_assert_cmpstr (json_object_get_string_member (row, "name"), ==, "A's board");
    g_assert_cmpuint (json_array_get_length (json_object_get_array_member (json_object_get_object_member (row, "layout"),
                                                                           "widgets")), ==, 0);
    a_id = g_strdup (json_object_get_string_member (row, "id"));
  }

  /* B reads every dashboard, A's and the workspace's, and creates its own */
  {
    g_autoptr(Reply) all = rest (server, "GET", "/dashboards?select=name&order=name", b, NULL);
    g_autoptr(Reply) created = rest (server, "POST", "/dashboards", b, "{\"name\":\"B's board\"}");
    g_autoptr(Reply) forged = rest (server, "POST", "/dashboards", b, "{\"name\":\"forged\",\"owner\":\"" USER_A "\"}");

    g_assert_cmpuint (all->status, ==, 200);
    g_assert_cmpuint (json_array_get_length (reply_rows (all)), ==, 2);
    g_assert_cmpuint (created->status, ==, 201);
    g_assert_cmpstr (json_object_get_string_member (reply_row (created), "owner"), ==, USER_B);
    b_id = g_strdup (json_object_get_string_member (reply_row (created), "id"));
    /* a dashboard is created by its owner, not on someone's behalf */
    assert_rest_error (forged, 403, "42501");
  }

  /* B edits A's dashboard; updated_at follows; the owner stays */
  path = g_strdup_printf ("/dashboards?id=eq.%s", a_id);
  {
    g_autoptr(Reply) updated = rest (server, "PATCH", path, b,
                                     "{\"layout\":{\"widgets\":[{\"id\":\"w1\",\"kind\":\"value\"}]}}");
    g_autoptr(Reply) takeover = rest (server, "PATCH", path, b, "{\"owner\":\"" USER_B "\"}");

    g_assert_cmpuint (updated->status, ==, 200);
    g_assert_cmpstr (json_object_get_string_member (reply_row (updated), "owner"), ==, USER_A);
    sql = g_strdup_printf ("SELECT count(*) FROM public.dashboards WHERE id = '%s' AND updated_at > created_at"
                           " AND layout -> 'widgets' -> 0 ->> 'id' = 'w1'", a_id);
    g_assert_cmpint (sql_int (plain_pg, sql), ==, 1);
    assert_rest_error (takeover, 403, "42501");
  }

  /* B cannot delete A's (no error: the row is simply not B's to delete) */
  reply = rest (server, "DELETE", path, b, NULL);
  g_assert_cmpuint (reply->status, ==, 200);
  g_assert_cmpuint (json_array_get_length (reply_rows (reply)), ==, 0);
  reply_free (reply);
  g_free (sql);
  sql = g_strdup_printf ("SELECT count(*) FROM public.dashboards WHERE id = '%s'", a_id);
  g_assert_cmpint (sql_int (plain_pg, sql), ==, 1);

  /* nor anyone the workspace's, which has no owner */
  reply = rest (server, "DELETE", "/dashboards?name=eq.Workspace", a, NULL);
  g_assert_cmpuint (json_array_get_length (reply_rows (reply)), ==, 0);
  reply_free (reply);

  /* A deletes its own */
  reply = rest (server, "DELETE", path, a, NULL);
  g_assert_cmpuint (reply->status, ==, 200);
  g_assert_cmpstr (json_object_get_string_member (reply_row (reply), "id"), ==, a_id);
  reply_free (reply);
  g_assert_cmpint (sql_int (plain_pg, sql), ==, 0);

  /* analytics events: signed-in users read and write, and only that */
  {
    g_autoptr(Reply) created = rest (server, "POST", "/analytics_events", a,
                                     "{\"name\":\"purchase\",\"value\":12.5,\"properties\":{\"plan\":\"pro\"}}");
    g_autoptr(Reply) seen = NULL;
    g_autoptr(Reply) deleted = NULL;
    g_autoptr(Reply) changed = NULL;
    JsonObject *row;

    g_assert_cmpuint (created->status, ==, 201);
    row = reply_row (created);
    g_assert_cmpfloat (json_object_get_double_member (row, "value"), ==, 12.5);
    g_assert_true (json_object_has_member (row, "created_at"));

    seen = rest (server, "GET", "/analytics_events?select=name,value,properties&order=id", b, NULL);
    g_assert_cmpuint (json_array_get_length (reply_rows (seen)), ==, 2);
    row = json_array_get_object_element (reply_rows (seen), 1);
    g_assert_cmpstr (json_object_get_string_member (row, "name"), ==, "purchase");
    g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (row, "properties"), "plan"), ==, "pro");

    deleted = rest (server, "DELETE", "/analytics_events?name=eq.purchase", a, NULL);
    g_assert_cmpuint (json_array_get_length (reply_rows (deleted)), ==, 0);
    changed = rest (server, "PATCH", "/analytics_events?name=eq.seeded", a, "{\"value\":5}");
    g_assert_cmpuint (json_array_get_length (reply_rows (changed)), ==, 0);
    g_assert_cmpint (sql_int (plain_pg, "SELECT count(*) FROM public.analytics_events WHERE value = 1"), ==, 1);
  }

  /* service_role sees past the policies */
  reply = rest (server, "GET", "/dashboards?select=id", service, NULL);
  g_assert_cmpuint (json_array_get_length (reply_rows (reply)), ==, 2);
  reply_free (reply);
  g_free (path);
  path = g_strdup_printf ("/dashboards?id=eq.%s", b_id);
  reply = rest (server, "DELETE", path, service, NULL);
  g_assert_cmpuint (json_array_get_length (reply_rows (reply)), ==, 1);
  reply_free (reply);
}

/* ---- --demo --------------------------------------------------------------- */

static JsonObject *
widget (JsonArray  *widgets,
        const char *kind)
{
  for (guint i = 0; i < json_array_get_length (widgets); i++)
    {
      JsonObject *object = json_array_get_object_element (widgets, i);

      if (g_str_equal (json_object_get_string_member (object, "kind"), kind))
        return object;
    }
  g_error ("no %s widget", kind);
}

static JsonObject *
series (JsonObject *object,
        guint       index)
{
  return json_array_get_object_element (json_object_get_array_member (object, "series"), index);
}

/* The Demo dashboard's id, and its layout checked. */
static char *
check_demo_dashboard (TandemTestPg *pg,
                      char        **value_widget_id)
{
  g_autofree char *layout_text = NULL;
  g_autoptr(JsonNode) layout = NULL;
  g_autoptr(GError) error = NULL;
  JsonArray *widgets;
  JsonObject *line, *bar, *value, *table;

  wait_for_count (pg, "SELECT count(*) FROM public.dashboards WHERE name = 'Demo'", 1, 20000);
  g_assert_cmpint (sql_int (pg, "SELECT count(*) FROM public.dashboards WHERE name = 'Demo'"), ==, 1);
  g_assert_null (sql_value (pg, "SELECT owner FROM public.dashboards WHERE name = 'Demo'"));

  layout_text = sql_value (pg, "SELECT layout FROM public.dashboards WHERE name = 'Demo'");
  layout = json_from_string (layout_text, &error);
  g_assert_no_error (error);
  widgets = json_object_get_array_member (json_node_get_object (layout), "widgets");
  g_assert_cmpuint (json_array_get_length (widgets), ==, 4);

  line = widget (widgets, "line");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (line, "series")), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (series (line, 0), "filter"), ==, "name=eq.page_view");
  g_assert_cmpstr (json_object_get_string_member (series (line, 0), "aggregation"), ==, "count");
  g_assert_cmpstr (json_object_get_string_member (series (line, 1), "filter"), ==, "name=eq.signup");
  g_assert_cmpstr (json_object_get_string_member (series (line, 1), "aggregation"), ==, "count");
  g_assert_cmpint (json_object_get_int_member (line, "bucket_seconds"), ==, 10);

  bar = widget (widgets, "bar");
  g_assert_cmpstr (json_object_get_string_member (series (bar, 0), "filter"), ==, "name=eq.purchase");
  g_assert_cmpstr (json_object_get_string_member (series (bar, 0), "aggregation"), ==, "sum");
  g_assert_cmpstr (json_object_get_string_member (series (bar, 0), "value_column"), ==, "value");
  g_assert_cmpint (json_object_get_int_member (bar, "bucket_seconds"), ==, 60);

  value = widget (widgets, "value");
  g_assert_cmpstr (json_object_get_string_member (value, "title"), ==, "Active users");
  g_assert_true (json_object_get_boolean_member (value, "broadcast"));

  table = widget (widgets, "table");
  g_assert_cmpstr (json_object_get_string_member (series (table, 0), "table"), ==, "analytics_events");
  g_assert_cmpint (json_object_get_int_member (table, "window_points"), ==, 20);

  /* every widget has the README's members */
  for (guint i = 0; i < json_array_get_length (widgets); i++)
    {
      static const char * const members[] = {
        "id", "kind", "title", "series", "bucket_seconds", "window_points", "window_seconds", "broadcast",
        "x", "y", "width", "height",
      };
      JsonObject *object = json_array_get_object_element (widgets, i);

      for (guint j = 0; j < G_N_ELEMENTS (members); j++)
        g_assert_true (json_object_has_member (object, members[j]));
    }

  *value_widget_id = g_strdup (json_object_get_string_member (value, "id"));
  return sql_value (pg, "SELECT id FROM public.dashboards WHERE name = 'Demo'");
}

/* Waits for a metric_update and checks its payload's shape. */
static void
check_metric_update (TestClient *client,
                     const char *topic,
                     const char *widget_id)
{
  TandemMessage *message = test_client_wait_event (client, topic, "broadcast");
  JsonObject *broadcast = json_node_get_object (message->payload);
  JsonObject *payload;
  JsonNode *value;
  g_autoptr(GDateTime) timestamp = NULL;

  g_assert_cmpstr (json_object_get_string_member (broadcast, "type"), ==, "broadcast");
  g_assert_cmpstr (json_object_get_string_member (broadcast, "event"), ==, "metric_update");
  payload = json_object_get_object_member (broadcast, "payload");
  g_assert_cmpuint (json_object_get_size (payload), ==, 3);
  g_assert_cmpstr (json_object_get_string_member (payload, "widget_id"), ==, widget_id);
  value = json_object_get_member (payload, "value");
  g_assert_true (JSON_NODE_HOLDS_VALUE (value));
  g_assert_true (json_node_get_value_type (value) == G_TYPE_INT64 || json_node_get_value_type (value) == G_TYPE_DOUBLE);
  g_assert_cmpfloat (json_node_get_double (value), >, 0);
  timestamp = g_date_time_new_from_iso8601 (json_object_get_string_member (payload, "timestamp"), NULL);
  g_assert_nonnull (timestamp);
  /* within a minute of now, whatever the clocks */
  g_assert_cmpint (ABS (g_date_time_to_unix (timestamp) - g_get_real_time () / G_USEC_PER_SEC), <, 60);
}

static gboolean
is_demo_event_name (const char *name)
{
  return g_strcmp0 (name, "page_view") == 0 || g_strcmp0 (name, "signup") == 0 || g_strcmp0 (name, "purchase") == 0;
}

static void
test_demo (void)
{
  g_autoptr(TandemTestPg) pg = tandem_test_pg_new ();
  g_autoptr(TandemTestServer) server = tandem_test_server_new (pg, demo_args);
  g_autoptr(TestClient) viewer = NULL;
  g_autoptr(TestClient) viewer_v1 = NULL;
  g_autoptr(TestClient) signed_in = NULL;
  g_autoptr(TestClient) anonymous = NULL;
  g_autofree char *id = NULL;
  g_autofree char *widget_id = NULL;
  g_autofree char *topic = NULL;
  g_autofree char *token = NULL;
  g_autofree char *hb = NULL;
  g_autofree char *log = NULL;
  const char *changes = "{\"postgres_changes\":[{\"event\":\"INSERT\",\"schema\":\"public\",\"table\":\"analytics_events\"}]}";
  TandemMessage *system;
  TandemMessage *change;
  JsonObject *data;

  id = check_demo_dashboard (pg, &widget_id);
  g_assert_cmpstr (widget_id, ==, "w3");

  /* events arrive at about the rate: at least ten within a generous bound */
  wait_for_more_events (pg, 10, 15000);
  g_assert_cmpint (sql_int (pg, "SELECT count(*) FROM public.analytics_events"
                                " WHERE name NOT IN ('page_view', 'signup', 'purchase')"), ==, 0);
  /* purchases are rare (about 1 in 25) but carry a price; bounded wait */
  wait_for_count (pg, "SELECT count(*) FROM public.analytics_events WHERE name = 'purchase'", 1, 60000);
  g_assert_cmpint (sql_int (pg, "SELECT count(*) FROM public.analytics_events"
                                " WHERE name = 'purchase' AND (value <= 1 OR NOT properties ? 'product')"), ==, 0);
  g_assert_cmpint (sql_int (pg, "SELECT count(*) FROM public.analytics_events"
                                " WHERE name = 'page_view' AND NOT properties ? 'path'"), ==, 0);

  /* the value widget's broadcasts, in both serializers */
  topic = g_strdup_printf ("realtime:dashboard:%s", id);
  viewer = test_client_new (tandem_test_server_get_ws_url (server), tandem_test_server_get_anon_key (server),
                            TANDEM_SERIALIZER_V2);
  viewer_v1 = test_client_new (tandem_test_server_get_ws_url (server), tandem_test_server_get_anon_key (server),
                               TANDEM_SERIALIZER_V1);
  g_assert_cmpstr (test_reply_status (test_client_join (viewer, topic, "{\"broadcast\":{\"self\":false}}", NULL)), ==, "ok");
  g_assert_cmpstr (test_reply_status (test_client_join (viewer_v1, topic, "{}", NULL)), ==, "ok");
  check_metric_update (viewer, topic, widget_id);
  check_metric_update (viewer, topic, widget_id);
  check_metric_update (viewer_v1, topic, widget_id);

  /* the events reach a signed-in postgres_changes subscriber through the
   * WAL, and an anonymous one not at all (RLS) */
  token = user_token (server, USER_A);
  signed_in = test_client_new (tandem_test_server_get_ws_url (server), tandem_test_server_get_anon_key (server),
                               TANDEM_SERIALIZER_V2);
  anonymous = test_client_new (tandem_test_server_get_ws_url (server), tandem_test_server_get_anon_key (server),
                               TANDEM_SERIALIZER_V2);
  g_assert_cmpstr (test_reply_status (test_client_join (signed_in, "realtime:events", changes, token)), ==, "ok");
  g_assert_cmpstr (test_reply_status (test_client_join (anonymous, "realtime:events", changes, NULL)), ==, "ok");
  system = test_client_wait_event (signed_in, "realtime:events", "system");
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (system->payload), "status"), ==, "ok");
  system = test_client_wait_event (anonymous, "realtime:events", "system");
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (system->payload), "status"), ==, "ok");

  change = test_client_wait_event (signed_in, "realtime:events", "postgres_changes");
  data = json_object_get_object_member (json_node_get_object (change->payload), "data");
  g_assert_cmpstr (json_object_get_string_member (data, "type"), ==, "INSERT");
  g_assert_cmpstr (json_object_get_string_member (data, "table"), ==, "analytics_events");
  g_assert_true (is_demo_event_name (json_object_get_string_member (json_object_get_object_member (data, "record"), "name")));
  g_assert_true (JSON_NODE_HOLDS_OBJECT (json_object_get_member (json_object_get_object_member (data, "record"), "properties")));
  TANDEM_WAIT_UNTIL (test_client_count_events (signed_in, "realtime:events", "postgres_changes") >= 5);
  g_assert_cmpuint (test_client_count_events (anonymous, "realtime:events", "postgres_changes"), ==, 0);

  /* a restart finds the dashboard instead of making a second one */
  tandem_test_server_restart (server);
  tandem_test_server_restart (server);
  g_clear_pointer (&widget_id, g_free);
  g_free (check_demo_dashboard (pg, &widget_id));
  g_assert_cmpint (sql_int (pg, "SELECT count(*) FROM public.dashboards WHERE name = 'Demo'"), ==, 1);
  wait_for_more_events (pg, 5, 15000);

  g_clear_pointer (&viewer, test_client_free);
  viewer = test_client_new (tandem_test_server_get_ws_url (server), tandem_test_server_get_anon_key (server),
                            TANDEM_SERIALIZER_V2);
  g_assert_cmpstr (test_reply_status (test_client_join (viewer, topic, "{}", NULL)), ==, "ok");
  check_metric_update (viewer, topic, widget_id);

  /* PostgreSQL crashes and comes back: the demo resumes and the broadcasts
   * never stopped */
  tandem_test_pg_kill (pg);
  check_metric_update (viewer, topic, widget_id);
  tandem_test_run_for (500);
  tandem_test_pg_restart (pg);
  wait_for_more_events (pg, 5, 30000);
  log = tandem_test_server_dup_log (server);
  g_assert_nonnull (strstr (log, "cannot write analytics events"));
  g_assert_nonnull (strstr (log, "writing analytics events again"));
  check_metric_update (viewer, topic, widget_id);
  hb = test_client_push (viewer, NULL, "phoenix", "heartbeat", "{}");
  g_assert_cmpstr (test_reply_status (test_client_wait_reply (viewer, hb)), ==, "ok");
  g_assert_cmpint (sql_int (pg, "SELECT count(*) FROM public.dashboards WHERE name = 'Demo'"), ==, 1);

  /* SIGTERM: a clean exit (status 0, and no leak under the sanitizers) */
  tandem_test_server_stop (server);
}

/* A Demo dashboard someone edited is kept, and its broadcast value widget
 * gets the updates whatever its id. */
static void
test_demo_existing_dashboard (void)
{
  g_autoptr(TandemTestServer) server = NULL;
  g_autoptr(TestClient) viewer = NULL;
  g_autofree char *id = NULL;
  g_autofree char *topic = NULL;

  tandem_test_server_stop (plain_server);
  tandem_test_pg_exec (plain_pg,
                       "INSERT INTO public.dashboards (name, layout) VALUES ('Demo',"
                       " '{\"widgets\":[{\"id\":\"chart\",\"kind\":\"line\",\"broadcast\":false},"
                       "                {\"id\":\"kpi\",\"kind\":\"value\",\"broadcast\":true}]}');");
  id = sql_value (plain_pg, "SELECT id FROM public.dashboards WHERE name = 'Demo'");

  server = tandem_test_server_new (plain_pg, demo_args);
  topic = g_strdup_printf ("realtime:dashboard:%s", id);
  viewer = test_client_new (tandem_test_server_get_ws_url (server), tandem_test_server_get_anon_key (server),
                            TANDEM_SERIALIZER_V2);
  g_assert_cmpstr (test_reply_status (test_client_join (viewer, topic, "{}", NULL)), ==, "ok");
  check_metric_update (viewer, topic, "kpi");
  g_assert_cmpint (sql_int (plain_pg, "SELECT count(*) FROM public.dashboards WHERE name = 'Demo'"), ==, 1);
  g_assert_cmpint (sql_int (plain_pg, "SELECT jsonb_array_length(layout -> 'widgets') FROM public.dashboards"
                                      " WHERE name = 'Demo'"), ==, 2);
  tandem_test_server_stop (server);
}

static void
test_demo_rate_refused (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autofree char *err_text = NULL;

  process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_PIPE, &error,
                              g_getenv ("TANDEM_SERVER"), "--demo", "--demo-rate", "0", NULL);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, NULL, &err_text, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (process));
  g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 2);
  g_assert_nonnull (strstr (err_text, "--demo-rate"));
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_test_init (&argc, &argv, NULL);

  if (g_getenv ("TANDEM_SERVER") == NULL)
    g_error ("TANDEM_SERVER is not set: run the tests with meson test");

  plain_pg = tandem_test_pg_new ();
  plain_server = tandem_test_server_new (plain_pg, NULL);

  g_test_add_func ("/demo/schema", test_schema);
  g_test_add_func ("/demo/rls", test_rls);
  g_test_add_func ("/demo/live", test_demo);
  g_test_add_func ("/demo/existing-dashboard", test_demo_existing_dashboard);
  g_test_add_func ("/demo/rate-refused", test_demo_rate_refused);

  status = g_test_run ();

  tandem_test_server_free (plain_server);
  tandem_test_pg_free (plain_pg);
  return status;
}
