/* tandem-series-binding.c
 *
 * The order of things matters for "no point missing, none twice":
 *
 * 1. Subscribe to INSERTs on the table (a shared channel per table and
 *    filter, tandem_client_subscribe_table()).
 * 2. Once joined, fetch the rolling window through REST. Rows that arrive
 *    live meanwhile are counted at once; a row that comes both ways is
 *    counted once, by its `id` (every row counted is remembered, with its
 *    time, until it is older than the window).
 * 3. After every later join (a reconnect: the channel comes back to
 *    subscribed after having been), fetch the gap: the rows since the
 *    newest one held, less a margin for transactions that commit out of
 *    order; the ids drop what was already counted.
 *
 * A join that takes long does not hold the chart empty: the first fetch
 * also starts after a short wait, and the join then counts as a
 * reconnect. Pages are fetched newest first, so that a window capped at
 * N rows gets the newest N, and rows inserted while paging only make the
 * next page repeat some rows (which the ids drop).
 *
 * Nothing runs after stop() or dispose: requests are cancelled, each
 * callback checks the cancellable of its own fetch before touching
 * anything, the channel's handlers are disconnected and the timeout
 * removed.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tandem-series-binding"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "tandem-aggregator.h"
#include "tandem-dashboard-filter.h"
#include "tandem-dashboard-layout.h"
#include "tandem-dashboard-util.h"
#include "tandem-series.h"
#include "tandem-series-binding-private.h"
#include "tandem-table-row.h"


G_DEFINE_FINAL_TYPE (TandemSeriesBinding, tandem_series_binding, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_LOADED,
  PROP_ERROR,
  PROP_COLUMNS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

typedef struct
{
  TandemSeriesBinding *self;
  GCancellable        *cancellable;
  gint64               since;
  guint                offset;
  guint                max_rows;
  guint                page;
  guint                got;
  gboolean             initial;
} Fetch;

static void fetch_start (TandemSeriesBinding *self,
                         gint64               since);

static void
fetch_free (Fetch *fetch)
{
  g_object_unref (fetch->self);
  g_object_unref (fetch->cancellable);
  g_free (fetch);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Fetch, fetch_free)

gboolean
_tandem_series_binding_is_table (TandemSeriesBinding *self)
{
  return tandem_widget_spec_get_kind (self->widget) == TANDEM_WIDGET_TABLE;
}

static void
update_error (TandemSeriesBinding *self)
{
  const char *error = self->fetch_error ? self->fetch_error
                    : self->channel_error ? self->channel_error
                    : self->row_error;

  if (g_strcmp0 (error, self->error) == 0)
    return;
  g_free (self->error);
  self->error = g_strdup (error);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ERROR]);
}

void
_tandem_series_binding_set_error (TandemSeriesBinding  *self,
                                  char                **field,
                                  char                 *message)
{
  g_free (*field);
  *field = message;
  update_error (self);
}

/* ---- REST ---- */

static char *
select_columns (TandemSeriesBinding *self)
{
  const char *time_column = tandem_series_spec_get_time_column (self->spec);
  const char *value_column = tandem_series_spec_get_value_column (self->spec);

  if (_tandem_series_binding_is_table (self))
    return g_strdup ("*");
  if (*value_column == '\0' || g_str_equal (value_column, time_column) || g_str_equal (value_column, "id") ||
      tandem_series_spec_get_aggregation (self->spec) == TANDEM_AGGREGATION_COUNT)
    return g_strdup_printf ("id,%s", time_column);
  return g_strdup_printf ("id,%s,%s", time_column, value_column);
}

/* Where the window starts now, or NO_TIME for "the newest N rows". */
static gint64
window_start (TandemSeriesBinding *self)
{
  gint64 now = g_get_real_time ();
  guint seconds = tandem_widget_spec_get_window_seconds (self->widget);
  guint points = tandem_widget_spec_get_window_points (self->widget);
  gint64 bucket = (gint64) tandem_widget_spec_get_bucket_seconds (self->widget) * G_USEC_PER_SEC;

  if (seconds > 0)
    return now - (gint64) seconds * G_USEC_PER_SEC;
  if (tandem_series_spec_get_aggregation (self->spec) != TANDEM_AGGREGATION_NONE && bucket > 0 && !_tandem_series_binding_is_table (self))
    /* N buckets, and one more in case our clock is ahead of the
     * database's (the series keeps the newest N). */
    return (now / bucket - (gint64) points) * bucket;
  return NO_TIME;
}

static guint
max_rows (TandemSeriesBinding *self)
{
  guint points = tandem_widget_spec_get_window_points (self->widget);

  if (points > 0 && (_tandem_series_binding_is_table (self) || tandem_series_spec_get_aggregation (self->spec) == TANDEM_AGGREGATION_NONE))
    return points;
  return MAX_FETCH_ROWS;
}

static void fetch_page (Fetch *fetch);

static void
fetch_done (TandemSeriesBinding *self,
            Fetch               *fetch)
{
  gint64 since;

  self->fetching = FALSE;
  self->n_fetches++;
  _tandem_series_binding_prune_seen (self);
  if (fetch->initial && !self->loaded)
    {
      self->loaded = TRUE;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADED]);
    }

  since = self->pending_since;
  self->pending_since = NO_FETCH;
  if (since != NO_FETCH)
    fetch_start (self, since);
}

static void
page_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(Fetch) fetch = user_data;
  TandemSeriesBinding *self = fetch->self;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = tandem_query_execute_finish (TANDEM_QUERY (source), result, &error);
  JsonArray *array;
  guint n;

  if (g_cancellable_is_cancelled (fetch->cancellable))
    return;

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    {
      g_debug ("fetching %s: %s", tandem_series_spec_get_table (self->spec),
               error ? error->message : "not an array");
      _tandem_series_binding_set_error (self, &self->fetch_error,
                       g_strdup_printf (_("Could not load the data: %s"),
                                        error ? error->message : _("the server sent no rows")));
      fetch_done (self, fetch);
      return;
    }

  array = json_node_get_array (node);
  n = json_array_get_length (array);
  tandem_series_freeze_changed (self->series);
  for (guint i = 0; i < n; i++)
    {
      JsonNode *element = json_array_get_element (array, i);

      if (JSON_NODE_HOLDS_OBJECT (element))
        _tandem_series_binding_add_row (self, json_node_get_object (element));
    }
  tandem_series_thaw_changed (self->series);
  fetch->got += n;

  /* A full page: there may be more. */
  if (n == fetch->page && fetch->got < fetch->max_rows)
    {
      fetch->offset += n;
      fetch_page (g_steal_pointer (&fetch));
      return;
    }
  if (self->fetch_error != NULL)
    _tandem_series_binding_set_error (self, &self->fetch_error, NULL);
  fetch_done (self, fetch);
}

static void
fetch_page (Fetch *fetch)
{
  TandemSeriesBinding *self = fetch->self;
  const char *time_column = tandem_series_spec_get_time_column (self->spec);
  g_autoptr(TandemQuery) query = tandem_client_from (self->client, tandem_series_spec_get_table (self->spec));
  g_autofree char *columns = select_columns (self);

  tandem_query_select (query, columns);
  /* Checked when the binding started. */
  tandem_dashboard_filter_apply (tandem_series_spec_get_filter (self->spec), query, NULL);
  if (fetch->since != NO_TIME)
    {
      g_autofree char *since = tandem_dashboard_format_time (fetch->since);

      tandem_query_gte (query, time_column, since);
    }
  tandem_query_order (query, time_column, FALSE, TANDEM_NULLS_DEFAULT);
  tandem_query_order (query, "id", FALSE, TANDEM_NULLS_DEFAULT);
  fetch->page = MIN (PAGE_ROWS, fetch->max_rows - fetch->got);
  tandem_query_range (query, fetch->offset, fetch->offset + fetch->page - 1);
  tandem_query_execute_async (query, fetch->cancellable, page_cb, fetch);
}

static void
fetch_start (TandemSeriesBinding *self,
             gint64               since)
{
  Fetch *fetch;

  if (self->fetching)
    {
      self->pending_since = MIN (self->pending_since, since);
      return;
    }

  fetch = g_new0 (Fetch, 1);
  fetch->self = g_object_ref (self);
  fetch->cancellable = g_object_ref (self->cancellable);
  fetch->initial = !self->loaded;
  fetch->since = since == FETCH_WINDOW ? window_start (self) : since;
  fetch->max_rows = max_rows (self);
  self->fetching = TRUE;
  fetch_page (fetch);
}

static void
request_initial_fetch (TandemSeriesBinding *self)
{
  g_clear_handle_id (&self->join_wait_id, g_source_remove);
  if (self->initial_requested)
    return;
  self->initial_requested = TRUE;
  fetch_start (self, FETCH_WINDOW);
}

static gboolean
join_wait_cb (gpointer user_data)
{
  TandemSeriesBinding *self = user_data;

  self->join_wait_id = 0;
  request_initial_fetch (self);
  return G_SOURCE_REMOVE;
}

/* ---- Realtime ---- */

static void
postgres_change_cb (TandemChannel       *channel,
                    TandemChange        *change,
                    TandemSeriesBinding *self)
{
  JsonObject *record = tandem_change_get_record (change);

  if (record != NULL && _tandem_series_binding_add_row (self, record) && g_hash_table_size (self->seen) % SEEN_PRUNE_MIN == 0)
    _tandem_series_binding_prune_seen (self);
}

static void
subscribe_state_cb (TandemChannel        *channel,
                    TandemSubscribeState  state,
                    const GError         *error,
                    TandemSeriesBinding  *self)
{
  switch (state)
    {
    case TANDEM_SUBSCRIBE_SUBSCRIBED:
      if (self->channel_error != NULL)
        _tandem_series_binding_set_error (self, &self->channel_error, NULL);
      if (!self->initial_requested)
        {
          request_initial_fetch (self);
          break;
        }
      /* Joined again: fetch what happened while away. */
      fetch_start (self, self->newest != NO_TIME ? self->newest - GAP_MARGIN_USEC : FETCH_WINDOW);
      break;
    case TANDEM_SUBSCRIBE_CHANNEL_ERROR:
      /* A lost connection is the shell's banner's business; a refusal
       * (a filter on a column that is not there) is ours. */
      if (error != NULL && g_error_matches (error, TANDEM_CLIENT_ERROR, TANDEM_CLIENT_ERROR_REFUSED))
        _tandem_series_binding_set_error (self, &self->channel_error,
                         g_strdup_printf (_("No live updates: %s"), error->message));
      break;
    case TANDEM_SUBSCRIBE_TIMED_OUT:
    case TANDEM_SUBSCRIBE_CLOSED:
    default:
      break;
    }
}

/* ---- GObject ---- */

static void
tandem_series_binding_dispose (GObject *object)
{
  TandemSeriesBinding *self = (TandemSeriesBinding *) object;

  tandem_series_binding_stop (self);
  g_clear_object (&self->client);

  G_OBJECT_CLASS (tandem_series_binding_parent_class)->dispose (object);
}

static void
tandem_series_binding_finalize (GObject *object)
{
  TandemSeriesBinding *self = (TandemSeriesBinding *) object;

  g_clear_pointer (&self->widget, tandem_widget_spec_unref);
  g_clear_pointer (&self->spec, tandem_series_spec_unref);
  g_free (self->realtime_filter);
  g_clear_object (&self->aggregator);
  g_clear_object (&self->series);
  g_clear_object (&self->rows);
  g_strfreev (self->columns);
  g_clear_object (&self->cancellable);
  g_hash_table_unref (self->seen);
  g_free (self->fetch_error);
  g_free (self->channel_error);
  g_free (self->row_error);
  g_free (self->error);

  G_OBJECT_CLASS (tandem_series_binding_parent_class)->finalize (object);
}

static void
tandem_series_binding_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  TandemSeriesBinding *self = TANDEM_SERIES_BINDING (object);

  switch (prop_id)
    {
    case PROP_LOADED:
      g_value_set_boolean (value, self->loaded);
      break;
    case PROP_ERROR:
      g_value_set_string (value, self->error);
      break;
    case PROP_COLUMNS:
      g_value_set_boxed (value, self->columns);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tandem_series_binding_class_init (TandemSeriesBindingClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = tandem_series_binding_dispose;
  object_class->finalize = tandem_series_binding_finalize;
  object_class->get_property = tandem_series_binding_get_property;

  properties[PROP_LOADED] =
    g_param_spec_boolean ("loaded", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ERROR] =
    g_param_spec_string ("error", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_COLUMNS] =
    g_param_spec_boxed ("columns", NULL, NULL, G_TYPE_STRV,
                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
tandem_series_binding_init (TandemSeriesBinding *self)
{
  self->seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->newest = NO_TIME;
  self->pending_since = NO_FETCH;
  self->cancellable = g_cancellable_new ();
}

TandemSeriesBinding *
tandem_series_binding_new (TandemClient     *client,
                           TandemWidgetSpec *widget,
                           guint             index)
{
  TandemSeriesBinding *self;
  TandemAggregation aggregation;
  guint bucket;

  g_return_val_if_fail (TANDEM_IS_CLIENT (client), NULL);
  g_return_val_if_fail (widget != NULL, NULL);
  g_return_val_if_fail (index < tandem_widget_spec_get_n_series (widget), NULL);

  self = g_object_new (TANDEM_TYPE_SERIES_BINDING, NULL);
  self->client = g_object_ref (client);
  self->widget = tandem_widget_spec_ref (widget);
  self->spec = tandem_series_spec_ref (tandem_widget_spec_get_series (widget, index));

  self->series = tandem_series_new (tandem_series_spec_get_label (self->spec));
  tandem_series_set_max_points (self->series, tandem_widget_spec_get_window_points (widget));
  tandem_series_set_max_age (self->series, (gint64) tandem_widget_spec_get_window_seconds (widget) * G_USEC_PER_SEC);
  aggregation = tandem_series_spec_get_aggregation (self->spec);
  bucket = tandem_widget_spec_get_bucket_seconds (widget);
  /* A layout that passed validation always has a bucket when aggregated;
   * a spec built by hand may not: then it is raw points. */
  if (bucket == 0)
    aggregation = TANDEM_AGGREGATION_NONE;
  self->aggregator = tandem_aggregator_new (aggregation, (gint64) MAX (bucket, 1) * G_USEC_PER_SEC, self->series);
  if (_tandem_series_binding_is_table (self))
    self->rows = g_list_store_new (TANDEM_TYPE_TABLE_ROW);
  return self;
}

void
tandem_series_binding_start (TandemSeriesBinding *self)
{
  g_autoptr(GError) error = NULL;

  g_return_if_fail (TANDEM_IS_SERIES_BINDING (self));
  g_return_if_fail (self->client != NULL);

  if (self->started)
    return;
  self->started = TRUE;

  self->realtime_filter = tandem_dashboard_filter_to_realtime (tandem_series_spec_get_filter (self->spec), &error);
  if (self->realtime_filter == NULL)
    {
      /* Nothing to fetch: the layout's filter is wrong. */
      _tandem_series_binding_set_error (self, &self->fetch_error, g_strdup (error->message));
      self->loaded = TRUE;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADED]);
      return;
    }

  self->channel = tandem_client_subscribe_table (self->client, "public", tandem_series_spec_get_table (self->spec),
                                                 TANDEM_CHANGE_INSERT,
                                                 *self->realtime_filter ? self->realtime_filter : NULL, &error);
  if (self->channel == NULL)
    {
      _tandem_series_binding_set_error (self, &self->channel_error, g_strdup_printf (_("No live updates: %s"), error->message));
      request_initial_fetch (self);
      return;
    }
  g_signal_connect_object (self->channel, "postgres-change::INSERT", G_CALLBACK (postgres_change_cb), self, 0);
  g_signal_connect_object (self->channel, "subscribe-state", G_CALLBACK (subscribe_state_cb), self, 0);

  /* Someone else's binding may have joined the shared channel already. */
  if (tandem_channel_get_status (self->channel) == TANDEM_STATUS_CONNECTED)
    request_initial_fetch (self);
  else
    self->join_wait_id = g_timeout_add (JOIN_WAIT_MS, join_wait_cb, self);
}

void
tandem_series_binding_stop (TandemSeriesBinding *self)
{
  g_return_if_fail (TANDEM_IS_SERIES_BINDING (self));

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->join_wait_id, g_source_remove);
  if (self->channel != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->channel, self);
      /* The channel is shared per table and filter: dropping our
       * reference leaves it once nobody else holds one. */
      g_clear_object (&self->channel);
    }
  self->fetching = FALSE;
  self->pending_since = NO_FETCH;
}

TandemSeriesSpec *
tandem_series_binding_get_spec (TandemSeriesBinding *self)
{
  g_return_val_if_fail (TANDEM_IS_SERIES_BINDING (self), NULL);
  return self->spec;
}

TandemSeries *
tandem_series_binding_get_series (TandemSeriesBinding *self)
{
  g_return_val_if_fail (TANDEM_IS_SERIES_BINDING (self), NULL);
  return self->series;
}

GListModel *
tandem_series_binding_get_rows (TandemSeriesBinding *self)
{
  g_return_val_if_fail (TANDEM_IS_SERIES_BINDING (self), NULL);
  return self->rows ? G_LIST_MODEL (self->rows) : NULL;
}

const char * const *
tandem_series_binding_get_columns (TandemSeriesBinding *self)
{
  g_return_val_if_fail (TANDEM_IS_SERIES_BINDING (self), NULL);
  return (const char * const *) self->columns;
}

gboolean
tandem_series_binding_get_loaded (TandemSeriesBinding *self)
{
  g_return_val_if_fail (TANDEM_IS_SERIES_BINDING (self), FALSE);
  return self->loaded;
}

const char *
tandem_series_binding_get_error (TandemSeriesBinding *self)
{
  g_return_val_if_fail (TANDEM_IS_SERIES_BINDING (self), NULL);
  return self->error;
}

guint64
tandem_series_binding_get_n_rows (TandemSeriesBinding *self)
{
  g_return_val_if_fail (TANDEM_IS_SERIES_BINDING (self), 0);
  return self->n_rows;
}

guint
tandem_series_binding_get_n_fetches (TandemSeriesBinding *self)
{
  g_return_val_if_fail (TANDEM_IS_SERIES_BINDING (self), 0);
  return self->n_fetches;
}
