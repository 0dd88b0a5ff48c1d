/* tandem-push-private.h: one message a channel sends, until its reply
 *
 * A push is built without refs (they are given when it goes on the wire, so
 * a push buffered across a reconnection carries the join_ref of the join
 * it is flushed after). Pushes that expect a reply wait in their channel's
 * table of pending refs with a per-push timeout on the client's clock. The
 * channel decides what a reply means by kind; a push only carries the
 * caller's GTask, if any, to complete.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "tandem-clock-private.h"
#include "tandem-message.h"

G_BEGIN_DECLS

typedef enum
{
  TANDEM_PUSH_JOIN,
  TANDEM_PUSH_LEAVE,
  TANDEM_PUSH_BROADCAST,
  TANDEM_PUSH_PRESENCE,
  TANDEM_PUSH_ACCESS_TOKEN,
} TandemPushKind;

typedef struct _TandemPush TandemPush;

struct _TandemPush
{
  TandemPushKind  kind;
  char           *event;          /* the Phoenix event: phx_join, broadcast, … */
  JsonNode       *payload;        /* JSON pushes; NULL for user broadcasts */
  gboolean        is_user_broadcast;
  char           *user_event;
  GBytes         *user_payload;
  gboolean        user_payload_is_json;

  gboolean        expects_reply;
  guint64         seq;            /* enqueue order across a channel's queues */
  char           *ref;            /* once sent */
  guint           timeout_id;     /* while waiting for the reply */
  TandemClock    *clock;          /* owned, for timeout_id */

  GTask          *task;           /* the caller's, nullable, owned */
  GCancellable   *cancellable;    /* the task's, for cancelled_id */
  gulong          cancelled_id;
  gpointer        owner;          /* the channel, for the cancel handler */
};

/* @payload is referenced (treat it as immutable). */
TandemPush    *_tandem_push_new                (TandemPushKind  kind,
                                                const char     *event,
                                                JsonNode       *payload);
/* A broadcast carried as kind 3 on 2.0.0; @payload bytes are referenced
 * (JSON text when @is_json). */
TandemPush    *_tandem_push_new_user_broadcast (const char     *user_event,
                                                GBytes         *payload,
                                                gboolean        is_json);
/* The message for the wire (refs given by the caller). */
TandemMessage *_tandem_push_to_message         (TandemPush     *self,
                                                const char     *join_ref,
                                                const char     *ref,
                                                const char     *topic);
void           _tandem_push_start_timeout      (TandemPush     *self,
                                                TandemClock    *clock,
                                                guint           timeout_ms,
                                                GSourceFunc     func,
                                                gpointer        data);
void           _tandem_push_stop_timeout       (TandemPush     *self);
/* Completes the task (TRUE, or @error when not NULL) if there is one. */
void           _tandem_push_return             (TandemPush     *self,
                                                const GError   *error);
/* Stops the timeout, disconnects from the cancellable; a task still
 * pending is completed with TANDEM_CLIENT_ERROR_CLOSED. */
void           _tandem_push_free               (TandemPush     *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TandemPush, _tandem_push_free)

G_END_DECLS
