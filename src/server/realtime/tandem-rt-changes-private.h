/* tandem-rt-changes-private.h: shared between the subscription side
 * (tandem-rt-changes.c) and the delivery side (tandem-rt-changes-delivery.c)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "tandem-filter.h"
#include "tandem-rt-changes.h"
#include "tandem-rt-private.h"

G_BEGIN_DECLS

typedef struct _Batch Batch;

typedef struct
{
  gint64        id;
  char         *event;    /* "*", "INSERT", "UPDATE" or "DELETE" */
  char         *schema;   /* "*" for any */
  char         *table;    /* "*" for any */
  TandemFilter *filter;   /* NULL: no filter */
} Subscription;

struct _TandemRtChanges
{
  TandemRtHub     *hub;
  TandemPgConn    *conn;
  TandemWalStream *stream;
  GHashTable      *subscriptions; /* TandemRtChannel -> GPtrArray of Subscription */
  GHashTable      *validations;   /* TandemRtChannel -> Validation */
  GHashTable      *published;     /* "schema.table" in supabase_realtime -> RLS enabled */
  GQueue           pending;       /* TandemWalTransaction waiting for delivery */
  Batch           *in_flight;     /* the batch whose visibility check runs */
  GCancellable    *cancellable;
  guint            refresh_source;
  gulong           transaction_handler;
  gulong           connected_handler;
};

/* tandem-rt-changes.c */
gboolean tandem_rt_changes_is_published (TandemRtChanges *self,
                                         TandemWalChange *change,
                                         gboolean        *rls_enabled);

/* tandem-rt-changes-delivery.c */
gboolean tandem_rt_changes_subscription_matches (Subscription    *sub,
                                                 TandemWalChange *change);
/* The owner is going away while @batch's visibility check runs. */
void     tandem_rt_changes_batch_detach         (Batch           *batch);

G_END_DECLS
