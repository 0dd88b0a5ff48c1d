/* rt-test.h: fixtures shared by the Realtime client's unit tests
 *
 * Each test gets a scripted peer (rt-peer.h), a manual clock and a client
 * of the peer on that clock, without GNetworkMonitor and logind (the tests
 * simulate them). Time moves only when a test advances the clock; I/O runs
 * whenever a bounded wait iterates the main context.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "tandem.h"
#include "tandem-client-private.h"
#include "tandem-clock-private.h"
#include "rt-peer.h"
#include "tandem-test-utils.h"

G_BEGIN_DECLS

typedef struct
{
  RtPeer       *peer;
  TandemClock  *clock;
  TandemClient *client;
} RtFixture;

/* @data: GINT_TO_POINTER (TandemProtocolVersion). */
void           rt_fixture_setup     (RtFixture            *f,
                                     gconstpointer         data);
/* The same without heartbeats, for tests that move the clock by minutes. */
void           rt_fixture_setup_no_heartbeat (RtFixture   *f,
                                     gconstpointer         data);
void           rt_fixture_teardown  (RtFixture            *f,
                                     gconstpointer         data);
/* A client on @clock for @url; more properties as for g_object_new(). */
TandemClient  *rt_client_new        (TandemClock          *clock,
                                     const char           *url,
                                     TandemProtocolVersion version,
                                     const char           *first_property,
                                     ...);
/* Subscribes @name and answers its join on the peer's latest connection
 * (waiting for the first one). */
TandemChannel *rt_join              (RtFixture            *f,
                                     const char           *name,
                                     TandemChannelOptions *options,
                                     RtConn              **conn);

/* Records what a channel reports. */
typedef struct
{
  TandemChannel *channel;  /* referenced; handlers go with the recorder */
  GArray *statuses;        /* TandemStatus, each new status */
  GArray *states;          /* TandemSubscribeState */
  GPtrArray *errors;       /* char * (message or "") per state */
} RtRecorder;

RtRecorder    *rt_recorder_new      (TandemChannel        *channel);
void           rt_recorder_free     (RtRecorder           *recorder);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RtRecorder, rt_recorder_free)
guint          rt_recorder_count    (RtRecorder           *recorder,
                                     TandemSubscribeState  state);

/* Async results for tests: the callback stores the outcome. */
typedef struct
{
  gboolean  done;
  gboolean  ok;
  GError   *error;
} RtResult;

void           rt_result_clear      (RtResult             *result);
void           rt_broadcast_cb      (GObject              *source,
                                     GAsyncResult         *result,
                                     gpointer              user_data);
void           rt_broadcast_bytes_cb (GObject             *source,
                                     GAsyncResult         *result,
                                     gpointer              user_data);
void           rt_track_cb          (GObject              *source,
                                     GAsyncResult         *result,
                                     gpointer              user_data);
void           rt_untrack_cb        (GObject              *source,
                                     GAsyncResult         *result,
                                     gpointer              user_data);
void           rt_subscribe_cb      (GObject              *source,
                                     GAsyncResult         *result,
                                     gpointer              user_data);

JsonNode      *rt_json              (const char           *text);

G_END_DECLS
