/* rt-test.c: fixtures shared by the Realtime client's unit tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdarg.h>
#include <gobject/gvaluecollector.h>

#include "rt-test.h"

TandemClient *
rt_client_new (TandemClock           *clock,
               const char            *url,
               TandemProtocolVersion  version,
               const char            *first_property,
               ...)
{
  GObjectClass *klass = g_type_class_ref (TANDEM_TYPE_CLIENT);
  const char *names[16];
  GValue values[16] = { G_VALUE_INIT };
  TandemClient *client;
  const char *name;
  guint n = 0;
  va_list args;

  /* url, api-key and protocol-version are construct-only. */
  names[n] = "url";
  g_value_init (&values[n], G_TYPE_STRING);
  g_value_set_string (&values[n++], url);
  names[n] = "api-key";
  g_value_init (&values[n], G_TYPE_STRING);
  g_value_set_string (&values[n++], "test-key");
  names[n] = "protocol-version";
  g_value_init (&values[n], TANDEM_TYPE_PROTOCOL_VERSION);
  g_value_set_enum (&values[n++], version);

  va_start (args, first_property);
  for (name = first_property; name != NULL; name = va_arg (args, const char *))
    {
      GParamSpec *pspec = g_object_class_find_property (klass, name);
      g_autofree char *error = NULL;

      g_assert_nonnull (pspec);
      g_assert_cmpuint (n, <, G_N_ELEMENTS (names));
      names[n] = name;
      G_VALUE_COLLECT_INIT (&values[n], pspec->value_type, args, 0, &error);
      g_assert_null (error);
      n++;
    }
  va_end (args);

  client = TANDEM_CLIENT (g_object_new_with_properties (TANDEM_TYPE_CLIENT, n, names, values));
  for (guint i = 0; i < n; i++)
    g_value_unset (&values[i]);
  g_type_class_unref (klass);

  _tandem_client_set_clock (client, clock);
  _tandem_client_set_system_integration (client, FALSE);
  return client;
}

void
rt_fixture_setup (RtFixture     *f,
                  gconstpointer  data)
{
  TandemProtocolVersion version = GPOINTER_TO_INT (data);

  f->peer = rt_peer_new ();
  f->clock = tandem_manual_clock_new (G_GINT64_CONSTANT (1767225600) * G_USEC_PER_SEC);
  f->client = rt_client_new (f->clock, f->peer->url, version, NULL);
}

void
rt_fixture_setup_no_heartbeat (RtFixture     *f,
                               gconstpointer  data)
{
  TandemProtocolVersion version = GPOINTER_TO_INT (data);

  f->peer = rt_peer_new ();
  f->clock = tandem_manual_clock_new (G_GINT64_CONSTANT (1767225600) * G_USEC_PER_SEC);
  f->client = rt_client_new (f->clock, f->peer->url, version, "heartbeat-interval", 0, NULL);
}

void
rt_fixture_teardown (RtFixture     *f,
                     gconstpointer  data)
{
  /* No reference cycles: the client goes away with its last reference. */
  g_assert_finalize_object (f->client);
  rt_peer_free (f->peer);
  /* Everything that waited was cleared. */
  g_assert_cmpuint (tandem_manual_clock_get_n_timeouts (f->clock), ==, 0);
  g_assert_finalize_object (f->clock);
}

TandemChannel *
rt_join (RtFixture            *f,
         const char           *name,
         TandemChannelOptions *options,
         RtConn              **conn_out)
{
  TandemChannel *channel = tandem_client_channel (f->client, name, options);
  g_autofree char *topic = g_strconcat ("realtime:", name, NULL);
  g_autoptr(TandemMessage) join = NULL;
  RtConn *conn;

  tandem_channel_subscribe (channel);
  conn = f->peer->conns->len > 0 ? rt_peer_last_conn (f->peer) : rt_peer_wait_conn (f->peer, 0);
  if (conn->closed)
    conn = rt_peer_wait_conn (f->peer, f->peer->conns->len);
  join = rt_conn_accept_join (conn, topic);
  TANDEM_WAIT_UNTIL (tandem_channel_get_status (channel) == TANDEM_STATUS_CONNECTED);
  if (conn_out != NULL)
    *conn_out = conn;
  return channel;
}

static void
on_status_changed (TandemChannel *channel,
                   TandemStatus   old_status,
                   TandemStatus   new_status,
                   RtRecorder    *recorder)
{
  g_assert_cmpint (old_status, !=, new_status);
  g_array_append_val (recorder->statuses, new_status);
}

static void
on_subscribe_state (TandemChannel        *channel,
                    TandemSubscribeState  state,
                    const GError         *error,
                    RtRecorder           *recorder)
{
  g_array_append_val (recorder->states, state);
  g_ptr_array_add (recorder->errors, g_strdup (error ? error->message : ""));
}

RtRecorder *
rt_recorder_new (TandemChannel *channel)
{
  RtRecorder *recorder = g_new0 (RtRecorder, 1);

  recorder->statuses = g_array_new (FALSE, FALSE, sizeof (TandemStatus));
  recorder->states = g_array_new (FALSE, FALSE, sizeof (TandemSubscribeState));
  recorder->errors = g_ptr_array_new_with_free_func (g_free);
  recorder->channel = g_object_ref (channel);
  g_signal_connect (channel, "status-changed", G_CALLBACK (on_status_changed), recorder);
  g_signal_connect (channel, "subscribe-state", G_CALLBACK (on_subscribe_state), recorder);
  return recorder;
}

void
rt_recorder_free (RtRecorder *recorder)
{
  g_signal_handlers_disconnect_by_data (recorder->channel, recorder);
  g_object_unref (recorder->channel);
  g_array_unref (recorder->statuses);
  g_array_unref (recorder->states);
  g_ptr_array_unref (recorder->errors);
  g_free (recorder);
}

guint
rt_recorder_count (RtRecorder           *recorder,
                   TandemSubscribeState  state)
{
  guint n = 0;

  for (guint i = 0; i < recorder->states->len; i++)
    if (g_array_index (recorder->states, TandemSubscribeState, i) == state)
      n++;
  return n;
}

void
rt_result_clear (RtResult *result)
{
  g_clear_error (&result->error);
  result->done = FALSE;
  result->ok = FALSE;
}

#define RESULT_CB(name, finish)                                                \
  void                                                                         \
  name (GObject      *source,                                                  \
        GAsyncResult *res,                                                     \
        gpointer      user_data)                                               \
  {                                                                            \
    RtResult *result = user_data;                                              \
                                                                               \
    g_assert_false (result->done);                                             \
    result->ok = finish (TANDEM_CHANNEL (source), res, &result->error);        \
    g_assert_true (result->ok == (result->error == NULL));                     \
    result->done = TRUE;                                                       \
  }

RESULT_CB (rt_broadcast_cb, tandem_channel_send_broadcast_finish)
RESULT_CB (rt_broadcast_bytes_cb, tandem_channel_send_broadcast_bytes_finish)
RESULT_CB (rt_track_cb, tandem_channel_track_finish)
RESULT_CB (rt_untrack_cb, tandem_channel_untrack_finish)
RESULT_CB (rt_subscribe_cb, tandem_channel_subscribe_finish)

JsonNode *
rt_json (const char *text)
{
  g_autoptr(GError) error = NULL;
  JsonNode *node = json_from_string (text, &error);

  g_assert_no_error (error);
  return node;
}
