/* tandem-series-binding-private.h: what the binding's files share
 * (tandem-series-binding.c: fetching and subscribing;
 * tandem-series-binding-rows.c: counting each row once)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "tandem-series-binding.h"

G_BEGIN_DECLS

#define PAGE_ROWS          1000
#define MAX_FETCH_ROWS     50000
#define GAP_MARGIN_USEC    (30 * G_USEC_PER_SEC)
#define JOIN_WAIT_MS       1500
#define SEEN_PRUNE_MIN     1024

/* A fetch "since" this means the whole window. */
#define FETCH_WINDOW       G_MININT64
#define NO_FETCH           G_MAXINT64
#define NO_TIME            G_MININT64

struct _TandemSeriesBinding
{
  GObject           parent_instance;

  TandemClient     *client;
  TandemWidgetSpec *widget;
  TandemSeriesSpec *spec;
  char             *realtime_filter;

  TandemSeries     *series;
  TandemAggregator *aggregator;
  GListStore       *rows;          /* of TandemTableRow, newest first; tables only */
  GStrv             columns;

  TandemChannel    *channel;
  GCancellable     *cancellable;
  guint             join_wait_id;

  GHashTable       *seen;          /* row key → gint64 * time */
  gint64            newest;        /* newest row time counted */
  gboolean          started;
  gboolean          initial_requested;
  gboolean          fetching;
  gint64            pending_since; /* NO_FETCH, FETCH_WINDOW or a time */
  gboolean          loaded;

  char             *fetch_error;
  char             *channel_error;
  char             *row_error;
  char             *error;

  guint64           n_rows;
  guint             n_fetches;
};

gboolean _tandem_series_binding_is_table   (TandemSeriesBinding  *self);
/* Sets one of the error fields (taking @message) and the "error" shown. */
void     _tandem_series_binding_set_error  (TandemSeriesBinding  *self,
                                            char                **field,
                                            char                 *message);
/* Counts @row once; FALSE when it was counted before, is unreadable or
 * falls outside the window. */
gboolean _tandem_series_binding_add_row    (TandemSeriesBinding  *self,
                                            JsonObject           *row);
/* Forgets the keys of rows older than anything still shown. */
void     _tandem_series_binding_prune_seen (TandemSeriesBinding  *self);

G_END_DECLS
