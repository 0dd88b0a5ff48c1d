/* bench-whiteboard-latency.c: how long a pen point takes from one
 * client's tandem_board_sync_extend_stroke() to another client's model
 *
 * Two signed-up clients on one board of a throwaway tandem-server; one
 * draws strokes at a pen's pace (a point every 4 ms, 250 Hz), the other
 * timestamps each point when its model gets it (TandemBoardModel::
 * stroke-changed). Both live in this process, so one monotonic clock
 * times both ends. Run once per pacing:
 *   batched: libtandem's batcher (tandem_channel_queue_broadcast(): at
 *            most one message per 100 ms or per 10 queued)
 *   frame:   one message per 16 ms frame, sent at once
 * Reported: p50/p99/max over every point ("point"), and over the newest
 * point of each message that arrived ("wire": what the coalescing adds is
 * left out, the transport and both clients' work remain).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdlib.h>

#include "tandem-board-model.h"
#include "tandem-board-sync.h"
#include "tandem-stroke.h"
#include "tandem-test-server.h"
#include "tandem-test-utils.h"

#define POINT_INTERVAL_MS 4

static TandemTestServer *server;
static TandemTestPg *pg;

typedef struct
{
  GArray       *sent;       /* gint64 per point index of the current stroke */
  GArray       *point_ms;   /* double */
  GArray       *wire_ms;    /* double */
  const char   *stroke_id;
  guint         received;
} Measure;

static void
store_result (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

/* BENCH_NODELAY=1: the clients' sockets without Nagle's algorithm (to see
 * what it costs: neither libtandem nor tandem-server sets TCP_NODELAY). */
static void
on_network_event (SoupMessage        *msg,
                  GSocketClientEvent  event,
                  GIOStream          *connection,
                  gpointer            user_data)
{
  if (event == G_SOCKET_CLIENT_CONNECTED && G_IS_SOCKET_CONNECTION (connection))
    g_socket_set_option (g_socket_connection_get_socket (G_SOCKET_CONNECTION (connection)),
                         IPPROTO_TCP, TCP_NODELAY, 1, NULL);
}

static void
on_request_queued (SoupSession *session,
                   SoupMessage *msg,
                   gpointer     user_data)
{
  g_signal_connect (msg, "network-event", G_CALLBACK (on_network_event), NULL);
}

static TandemClient *
signed_up_client (guint n)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(TandemSession) session = NULL;
  g_autofree char *email = g_strdup_printf ("bench%u@example.com", n);
  TandemClient *client = tandem_client_new (tandem_test_server_get_url (server),
                                            tandem_test_server_get_anon_key (server), &error);

  g_assert_no_error (error);
  if (g_strcmp0 (g_getenv ("BENCH_NODELAY"), "1") == 0)
    g_signal_connect (tandem_client_get_session (client), "request-queued", G_CALLBACK (on_request_queued), NULL);
  tandem_auth_sign_up_async (tandem_client_get_auth (client), email, "correct horse battery", NULL, NULL,
                             store_result, &result);
  TANDEM_WAIT_UNTIL (result != NULL);
  session = tandem_auth_sign_up_finish (tandem_client_get_auth (client), result, &error);
  g_assert_no_error (error);
  return client;
}

static TandemBoardSync *
board_sync (TandemClient      *client,
            const char        *board,
            TandemBoardPacing  pacing)
{
  TandemBoardSync *sync = g_object_new (TANDEM_TYPE_BOARD_SYNC,
                                        "client", client,
                                        "board-id", board,
                                        "pacing", pacing,
                                        NULL);

  tandem_board_sync_start (sync);
  TANDEM_WAIT_UNTIL (tandem_board_sync_get_loaded (sync));
  return sync;
}

static void
on_stroke_changed (TandemBoardModel *model,
                   TandemStroke     *stroke,
                   guint             first,
                   Measure          *measure)
{
  gint64 now = g_get_monotonic_time ();
  guint n = tandem_stroke_get_n_points (stroke);

  if (measure->stroke_id == NULL || !g_str_equal (tandem_stroke_get_id (stroke), measure->stroke_id))
    return;
  if (n <= measure->received || n > measure->sent->len)
    return;
  for (guint i = measure->received; i < n; i++)
    {
      double ms = (now - g_array_index (measure->sent, gint64, i)) / 1000.0;

      g_array_append_val (measure->point_ms, ms);
    }
  {
    double ms = (now - g_array_index (measure->sent, gint64, n - 1)) / 1000.0;

    g_array_append_val (measure->wire_ms, ms);
  }
  measure->received = n;
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

static void
report (const char *label,
        GArray     *values)
{
  double *v = (double *) (gpointer) values->data;

  g_array_sort (values, compare_doubles);
  g_print ("  %-6s n=%-6u p50 %7.2f ms   p99 %7.2f ms   max %7.2f ms\n", label, values->len,
           v[values->len / 2], v[MIN (values->len - 1, (guint) (values->len * 0.99))], v[values->len - 1]);
}

static void
run (TandemClient      *drawer_client,
     TandemClient      *viewer_client,
     TandemBoardPacing  pacing,
     guint              n_strokes,
     guint              n_points)
{
  g_autofree char *board = NULL;
  g_autoptr(TandemBoardSync) drawer = NULL;
  g_autoptr(TandemBoardSync) viewer = NULL;
  Measure measure = { 0, };
  PGresult *result;

  result = tandem_test_pg_query (pg, "INSERT INTO public.whiteboards (name) VALUES ('bench') RETURNING id");
  board = g_strdup (PQgetvalue (result, 0, 0));
  PQclear (result);

  drawer = board_sync (drawer_client, board, pacing);
  viewer = board_sync (viewer_client, board, pacing);
  measure.sent = g_array_new (FALSE, FALSE, sizeof (gint64));
  measure.point_ms = g_array_new (FALSE, FALSE, sizeof (double));
  measure.wire_ms = g_array_new (FALSE, FALSE, sizeof (double));
  g_signal_connect (tandem_board_sync_get_model (viewer), "stroke-changed", G_CALLBACK (on_stroke_changed), &measure);

  for (guint s = 0; s < n_strokes; s++)
    {
      TandemStroke *stroke;
      gint64 now = g_get_monotonic_time ();

      g_array_set_size (measure.sent, 0);
      measure.received = 0;
      g_array_append_val (measure.sent, now);
      stroke = tandem_board_sync_begin_stroke (drawer, TANDEM_TOOL_PEN, "#000000", 2, 0, s * 10, 1);
      measure.stroke_id = tandem_stroke_get_id (stroke);
      for (guint i = 1; i < n_points; i++)
        {
          tandem_test_run_for (POINT_INTERVAL_MS);
          now = g_get_monotonic_time ();
          g_array_append_val (measure.sent, now);
          tandem_board_sync_extend_stroke (drawer, i, s * 10 + (i % 7), 0.5);
        }
      TANDEM_WAIT_UNTIL (measure.received == n_points);
      tandem_board_sync_end_stroke (drawer);
      measure.stroke_id = NULL;
    }

  g_print ("pacing %s: %u strokes of %u points, a point every %u ms\n",
           pacing == TANDEM_BOARD_PACING_BATCHED ? "batched" : "frame", n_strokes, n_points, POINT_INTERVAL_MS);
  report ("point", measure.point_ms);
  report ("wire", measure.wire_ms);

  tandem_board_sync_stop (drawer);
  tandem_board_sync_stop (viewer);
  g_array_unref (measure.sent);
  g_array_unref (measure.point_ms);
  g_array_unref (measure.wire_ms);
}

int
main (int   argc,
      char *argv[])
{
  guint n_strokes = argc > 1 ? (guint) atoi (argv[1]) : 20;
  guint n_points = argc > 2 ? (guint) atoi (argv[2]) : 100;
  g_autoptr(TandemClient) drawer = NULL;
  g_autoptr(TandemClient) viewer = NULL;

  if (g_getenv ("TANDEM_SERVER") == NULL)
    {
      g_printerr ("Set TANDEM_SERVER to the tandem-server to run (BUILDDIR/src/server/tandem-server)\n");
      return 2;
    }
  n_strokes = CLAMP (n_strokes, 1, 1000);
  n_points = CLAMP (n_points, 2, 5000);

  pg = tandem_test_pg_new ();
  server = tandem_test_server_new (pg, NULL);
  drawer = signed_up_client (1);
  viewer = signed_up_client (2);

  run (drawer, viewer, TANDEM_BOARD_PACING_BATCHED, n_strokes, n_points);
  run (drawer, viewer, TANDEM_BOARD_PACING_FRAME, n_strokes, n_points);

  tandem_client_disconnect (drawer);
  tandem_client_disconnect (viewer);
  tandem_test_server_free (server);
  tandem_test_pg_free (pg);
  return 0;
}
