/* bench-rest-floor.c: the libpq floor of the REST benchmark
 *
 *   bench-rest-floor --conninfo C --mode get|post [--connections 32]
 *                    [--duration 10] [--warmup 2] [--groups 200]
 *
 * Runs the very statement tandem-server runs for the benchmark's request
 * (built by the REST modules themselves from the same request, against the
 * same schema cache) directly over libpq: --connections threads, one
 * blocking connection each, as the database superuser in autocommit, with
 * nothing else around it. Prints one line:
 *
 *   rps=<requests per second> p50_ms=<median latency> p99_ms=<99th percentile> n=<requests>
 *
 *   get   GET /rest/v1/bench_items?grp=eq.<random group>  (50 rows)
 *   post  POST /rest/v1/bench_items with Prefer: return=representation
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libpq-fe.h>

#include "tandem-rest-request.h"
#include "tandem-rest-schema.h"
#include "tandem-rest-sql.h"

#define POST_BODY "{\"grp\":1000,\"name\":\"bench\",\"price\":12.5,\"tags\":[\"a\",\"b\"],\"meta\":{\"k\":1}}"

typedef struct
{
  const char *conninfo;
  const char *sql;
  GPtrArray  *params;        /* the template; the group ($n) varies for get */
  int         group_param;   /* index of the group parameter, or -1 */
  guint       groups;
  gint64      warmup_until;  /* monotonic µs */
  gint64      stop_at;
  GArray     *latencies;     /* gint64 µs, after the warmup */
  guint       seed;
  char       *failure;
} Worker;

static gpointer
worker_run (gpointer data)
{
  Worker *w = data;
  PGconn *conn = PQconnectdb (w->conninfo);
  const char **values = g_new0 (const char *, w->params->len);
  char group[16];

  if (PQstatus (conn) != CONNECTION_OK)
    {
      w->failure = g_strdup (PQerrorMessage (conn));
      PQfinish (conn);
      g_free (values);
      return NULL;
    }
  for (guint i = 0; i < w->params->len; i++)
    values[i] = w->params->pdata[i];

  for (;;)
    {
      gint64 start = g_get_monotonic_time ();
      PGresult *result;

      if (start >= w->stop_at)
        break;
      if (w->group_param >= 0)
        {
          g_snprintf (group, sizeof group, "%u", g_random_int_range (0, (gint32) w->groups));
          values[w->group_param] = group;
        }
      result = PQexecParams (conn, w->sql, (int) w->params->len, NULL, values, NULL, NULL, 0);
      if (PQresultStatus (result) != PGRES_TUPLES_OK)
        {
          w->failure = g_strdup (PQresultErrorMessage (result));
          PQclear (result);
          break;
        }
      PQclear (result);
      if (start >= w->warmup_until)
        {
          gint64 elapsed = g_get_monotonic_time () - start;
          g_array_append_val (w->latencies, elapsed);
        }
    }
  PQfinish (conn);
  g_free (values);
  return NULL;
}

static int
compare_gint64 (gconstpointer a,
                gconstpointer b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;

  return x < y ? -1 : x > y;
}

static double
percentile_ms (GArray *sorted,
               double  p)
{
  guint index;

  if (sorted->len == 0)
    return 0;
  index = (guint) MIN ((double) sorted->len - 1, p / 100.0 * sorted->len);
  return g_array_index (sorted, gint64, index) / 1000.0;
}

/* The statement tandem-server runs for the request, built the same way. */
static TandemRestStatement *
build_statement (PGconn     *conn,
                 const char *mode)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TandemRestError) rest_error = NULL;
  g_autoptr(TandemRestSchemaCache) cache = NULL;
  g_autoptr(TandemRestRequest) request = NULL;
  g_autoptr(GBytes) body = NULL;
  TandemRestHeaders headers = { .content_type = "application/json" };
  PGresult *result = PQexec (conn, tandem_rest_schema_query ());
  TandemRestStatement *statement;

  if (PQresultStatus (result) != PGRES_TUPLES_OK)
    g_error ("schema query: %s", PQresultErrorMessage (result));
  cache = tandem_rest_schema_cache_new_from_json (PQgetvalue (result, 0, 0), &error);
  PQclear (result);
  if (cache == NULL)
    g_error ("schema cache: %s", error->message);

  if (g_str_equal (mode, "get"))
    request = tandem_rest_request_parse ("GET", "/bench_items", "grp=eq.0", &headers, NULL, &rest_error);
  else
    {
      headers.prefer = "return=representation";
      body = g_bytes_new_static (POST_BODY, strlen (POST_BODY));
      request = tandem_rest_request_parse ("POST", "/bench_items", NULL, &headers, body, &rest_error);
    }
  if (request == NULL)
    g_error ("request: %s", rest_error->message);
  statement = tandem_rest_sql_build (request, tandem_rest_schema_cache_lookup_table (cache, "public", "bench_items"),
                                     NULL, &rest_error);
  if (statement == NULL)
    g_error ("statement: %s", rest_error->message);
  return statement;
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *conninfo = NULL;
  g_autofree char *mode = NULL;
  int connections = 32, duration = 10, warmup = 2, groups = 200;
  const GOptionEntry entries[] = {
    { "conninfo", 0, 0, G_OPTION_ARG_STRING, &conninfo, "libpq connection string", "C" },
    { "mode", 0, 0, G_OPTION_ARG_STRING, &mode, "get or post", "MODE" },
    { "connections", 0, 0, G_OPTION_ARG_INT, &connections, "Connections (threads), default 32", "N" },
    { "duration", 0, 0, G_OPTION_ARG_INT, &duration, "Measured seconds, default 10", "S" },
    { "warmup", 0, 0, G_OPTION_ARG_INT, &warmup, "Unmeasured seconds first, default 2", "S" },
    { "groups", 0, 0, G_OPTION_ARG_INT, &groups, "Groups the get filter picks from, default 200", "N" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("— the libpq floor of the REST benchmark");
  g_autoptr(GError) error = NULL;
  g_autoptr(TandemRestStatement) statement = NULL;
  g_autoptr(GArray) all = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autofree Worker *workers = NULL;
  g_autofree GThread **threads = NULL;
  PGconn *setup;
  gint64 begin;
  int group_param = -1;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) || conninfo == NULL || mode == NULL ||
      (!g_str_equal (mode, "get") && !g_str_equal (mode, "post")) || connections < 1 || duration < 1)
    {
      g_printerr ("%s\n", error ? error->message : "--conninfo and --mode get|post are needed");
      return 2;
    }

  setup = PQconnectdb (conninfo);
  if (PQstatus (setup) != CONNECTION_OK)
    g_error ("connect: %s", PQerrorMessage (setup));
  statement = build_statement (setup, mode);
  PQfinish (setup);
  for (guint i = 0; g_str_equal (mode, "get") && i < statement->params->len; i++)
    if (g_strcmp0 (statement->params->pdata[i], "0") == 0)
      group_param = (int) i;

  workers = g_new0 (Worker, connections);
  threads = g_new0 (GThread *, connections);
  begin = g_get_monotonic_time ();
  for (int i = 0; i < connections; i++)
    {
      workers[i].conninfo = conninfo;
      workers[i].sql = statement->sql;
      workers[i].params = statement->params;
      workers[i].group_param = group_param;
      workers[i].groups = (guint) groups;
      workers[i].warmup_until = begin + (gint64) warmup * G_USEC_PER_SEC;
      workers[i].stop_at = begin + (gint64) (warmup + duration) * G_USEC_PER_SEC;
      workers[i].latencies = g_array_new (FALSE, FALSE, sizeof (gint64));
      threads[i] = g_thread_new ("floor", worker_run, &workers[i]);
    }
  for (int i = 0; i < connections; i++)
    {
      g_thread_join (threads[i]);
      if (workers[i].failure != NULL)
        g_error ("worker %d: %s", i, workers[i].failure);
      g_array_append_vals (all, workers[i].latencies->data, workers[i].latencies->len);
      g_array_unref (workers[i].latencies);
    }

  g_array_sort (all, compare_gint64);
  g_print ("rps=%.1f p50_ms=%.2f p99_ms=%.2f n=%u\n", all->len / (double) duration,
           percentile_ms (all, 50), percentile_ms (all, 99), all->len);
  return 0;
}
