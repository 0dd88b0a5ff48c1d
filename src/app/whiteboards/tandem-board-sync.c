/* tandem-board-sync.c: a whiteboard shared live and saved: the object, its
 * channel, and applying what others do
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tandem-whiteboards"

#include "config.h"

#include "tandem-board-codec.h"
#include "tandem-board-sync-private.h"

/**
 * TandemBoardSync:
 *
 * Binds a #TandemBoardModel to a board: it subscribes to the board's
 * channel `whiteboard:<id>`, loads the saved strokes through REST (again
 * after every reconnection, to catch up with what happened meanwhile),
 * and applies the live events of the others, de-duplicated by stroke id.
 * Events that arrive while a load runs wait and are applied after it, in
 * order, so nothing is missed or applied twice.
 *
 * One's own strokes are drawn with begin_stroke()/extend_stroke()/
 * end_stroke(): they are in the model at once, their points go out
 * coalesced per frame (see #TandemBoardPacing), and a finished stroke is
 * saved through the #TandemOutbox, which keeps it across outages and
 * restarts. What was drawn or erased while the channel was down is sent
 * again when it is back. Undo and redo act on one's own actions only.
 * Remote cursors are reported by signals and hidden after
 * %TANDEM_BOARD_CURSOR_TIMEOUT_MS without news.
 *
 * See README.md in this folder for the events and the design.
 */

G_DEFINE_FINAL_TYPE (TandemBoardSync, tandem_board_sync, G_TYPE_OBJECT)

G_DEFINE_ENUM_TYPE (TandemBoardPacing, tandem_board_pacing,
  G_DEFINE_ENUM_VALUE (TANDEM_BOARD_PACING_BATCHED, "batched"),
  G_DEFINE_ENUM_VALUE (TANDEM_BOARD_PACING_FRAME, "frame"))

enum
{
  PROP_0,
  PROP_CLIENT,
  PROP_OUTBOX,
  PROP_BOARD_ID,
  PROP_USER_ID,
  PROP_USER_NAME,
  PROP_USER_COLOR,
  PROP_PACING,
  PROP_MODEL,
  PROP_LOADED,
  PROP_CAN_UNDO,
  PROP_CAN_REDO,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum
{
  LOADED,
  CLEARED,
  CURSOR_MOVED,
  CURSOR_HIDDEN,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
tandem_board_sync_constructed (GObject *object)
{
  TandemBoardSync *self = TANDEM_BOARD_SYNC (object);

  G_OBJECT_CLASS (tandem_board_sync_parent_class)->constructed (object);

  g_assert (self->client != NULL && self->board_id != NULL);
  if (self->user_id == NULL)
    {
      TandemSession *session = tandem_auth_get_session (tandem_client_get_auth (self->client));

      if (session != NULL)
        self->user_id = g_strdup (tandem_session_get_user_id (session));
    }
  if (self->user_id == NULL)
    g_warning ("A whiteboard without a signed-in user: own strokes cannot be sent");

  if (self->outbox != NULL)
    g_signal_connect_object (self->outbox, "completed",
                             G_CALLBACK (_tandem_board_sync_on_outbox_completed), self, G_CONNECT_SWAPPED);
}

static void
tandem_board_sync_dispose (GObject *object)
{
  TandemBoardSync *self = TANDEM_BOARD_SYNC (object);

  tandem_board_sync_stop (self);
  g_clear_object (&self->outbox);
  g_clear_object (&self->client);

  G_OBJECT_CLASS (tandem_board_sync_parent_class)->dispose (object);
}

static void
tandem_board_sync_finalize (GObject *object)
{
  TandemBoardSync *self = TANDEM_BOARD_SYNC (object);

  /* stop() cleared every source */
  g_assert (self->frame_id == 0 && self->fetch_id == 0 && self->cursor_id == 0 && self->load_retry_id == 0);

  g_clear_object (&self->model);
  g_free (self->board_id);
  g_free (self->user_id);
  g_free (self->user_name);
  g_free (self->user_color);
  g_ptr_array_unref (self->buffered);
  g_hash_table_unref (self->wanted);
  g_hash_table_unref (self->own);
  g_hash_table_unref (self->unsaved);
  g_hash_table_unref (self->op_keys);
  g_queue_clear_full (&self->own_ops, _tandem_board_sync_own_op_free);
  g_ptr_array_unref (self->undo);
  g_ptr_array_unref (self->redo);
  g_hash_table_unref (self->cursors);

  G_OBJECT_CLASS (tandem_board_sync_parent_class)->finalize (object);
}

static void
tandem_board_sync_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  TandemBoardSync *self = TANDEM_BOARD_SYNC (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      g_value_set_object (value, self->client);
      break;
    case PROP_OUTBOX:
      g_value_set_object (value, self->outbox);
      break;
    case PROP_BOARD_ID:
      g_value_set_string (value, self->board_id);
      break;
    case PROP_USER_ID:
      g_value_set_string (value, self->user_id);
      break;
    case PROP_USER_NAME:
      g_value_set_string (value, self->user_name);
      break;
    case PROP_USER_COLOR:
      g_value_set_string (value, self->user_color);
      break;
    case PROP_PACING:
      g_value_set_enum (value, self->pacing);
      break;
    case PROP_MODEL:
      g_value_set_object (value, self->model);
      break;
    case PROP_LOADED:
      g_value_set_boolean (value, self->loaded);
      break;
    case PROP_CAN_UNDO:
      g_value_set_boolean (value, tandem_board_sync_get_can_undo (self));
      break;
    case PROP_CAN_REDO:
      g_value_set_boolean (value, tandem_board_sync_get_can_redo (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tandem_board_sync_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  TandemBoardSync *self = TANDEM_BOARD_SYNC (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      self->client = g_value_dup_object (value);
      break;
    case PROP_OUTBOX:
      self->outbox = g_value_dup_object (value);
      break;
    case PROP_BOARD_ID:
      self->board_id = g_ascii_strdown (g_value_get_string (value), -1);
      break;
    case PROP_USER_ID:
      self->user_id = g_value_get_string (value) ? g_ascii_strdown (g_value_get_string (value), -1) : NULL;
      break;
    case PROP_USER_NAME:
      tandem_board_sync_set_user_name (self, g_value_get_string (value));
      break;
    case PROP_USER_COLOR:
      tandem_board_sync_set_user_color (self, g_value_get_string (value));
      break;
    case PROP_PACING:
      self->pacing = g_value_get_enum (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tandem_board_sync_class_init (TandemBoardSyncClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags construct = G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS;
  GParamFlags readable = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;
  GParamFlags writable = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->constructed = tandem_board_sync_constructed;
  object_class->dispose = tandem_board_sync_dispose;
  object_class->finalize = tandem_board_sync_finalize;
  object_class->get_property = tandem_board_sync_get_property;
  object_class->set_property = tandem_board_sync_set_property;

  properties[PROP_CLIENT] = g_param_spec_object ("client", NULL, NULL, TANDEM_TYPE_CLIENT, construct);
  properties[PROP_OUTBOX] = g_param_spec_object ("outbox", NULL, NULL, TANDEM_TYPE_OUTBOX, construct);
  properties[PROP_BOARD_ID] = g_param_spec_string ("board-id", NULL, NULL, NULL, construct);
  properties[PROP_USER_ID] = g_param_spec_string ("user-id", NULL, NULL, NULL, construct);
  properties[PROP_USER_NAME] = g_param_spec_string ("user-name", NULL, NULL, NULL, writable);
  properties[PROP_USER_COLOR] = g_param_spec_string ("user-color", NULL, NULL, NULL, writable);
  properties[PROP_PACING] = g_param_spec_enum ("pacing", NULL, NULL, TANDEM_TYPE_BOARD_PACING,
                                               TANDEM_BOARD_PACING_BATCHED, construct);
  properties[PROP_MODEL] = g_param_spec_object ("model", NULL, NULL, TANDEM_TYPE_BOARD_MODEL, readable);
  properties[PROP_LOADED] = g_param_spec_boolean ("loaded", NULL, NULL, FALSE, readable);
  properties[PROP_CAN_UNDO] = g_param_spec_boolean ("can-undo", NULL, NULL, FALSE, readable);
  properties[PROP_CAN_REDO] = g_param_spec_boolean ("can-redo", NULL, NULL, FALSE, readable);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * TandemBoardSync::loaded:
   * @self: the sync
   *
   * A load of the saved strokes finished (the first one, and each after a
   * reconnection).
   */
  signals[LOADED] =
    g_signal_new ("loaded", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  /**
   * TandemBoardSync::cleared:
   * @self: the sync
   * @user_id: who cleared the board (one's own id for one's own clear)
   *
   * The board was cleared (for a toast; the model has changed already).
   */
  signals[CLEARED] =
    g_signal_new ("cleared", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  /**
   * TandemBoardSync::cursor-moved:
   * @self: the sync
   * @user_id: whose cursor
   * @x: where, in board units
   * @y: where
   * @name: (nullable): the user's name, as they sent it
   * @color: (nullable): their color, "#rrggbb"
   *
   * Someone's pointer moved on the board.
   */
  signals[CURSOR_MOVED] =
    g_signal_new ("cursor-moved", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 5,
                  G_TYPE_STRING, G_TYPE_DOUBLE, G_TYPE_DOUBLE, G_TYPE_STRING, G_TYPE_STRING);
  /**
   * TandemBoardSync::cursor-hidden:
   * @self: the sync
   * @user_id: whose cursor
   *
   * Nothing was heard of someone's cursor for a while: stop showing it.
   */
  signals[CURSOR_HIDDEN] =
    g_signal_new ("cursor-hidden", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
tandem_board_sync_init (TandemBoardSync *self)
{
  self->model = tandem_board_model_new ();
  self->buffered = g_ptr_array_new_with_free_func ((GDestroyNotify) tandem_board_event_free);
  self->wanted = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->own = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->unsaved = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->op_keys = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_queue_init (&self->own_ops);
  self->undo = g_ptr_array_new_with_free_func (_tandem_board_sync_action_free);
  self->redo = g_ptr_array_new_with_free_func (_tandem_board_sync_action_free);
  _tandem_board_sync_init_cursors (self);
}

TandemBoardSync *
tandem_board_sync_new (TandemClient *client,
                       TandemOutbox *outbox,
                       const char   *board_id,
                       const char   *user_id)
{
  g_return_val_if_fail (TANDEM_IS_CLIENT (client), NULL);
  g_return_val_if_fail (outbox == NULL || TANDEM_IS_OUTBOX (outbox), NULL);
  g_return_val_if_fail (board_id != NULL && g_uuid_string_is_valid (board_id), NULL);
  g_return_val_if_fail (user_id == NULL || g_uuid_string_is_valid (user_id), NULL);

  return g_object_new (TANDEM_TYPE_BOARD_SYNC,
                       "client", client,
                       "outbox", outbox,
                       "board-id", board_id,
                       "user-id", user_id,
                       NULL);
}

TandemBoardModel *
tandem_board_sync_get_model (TandemBoardSync *self)
{
  g_return_val_if_fail (TANDEM_IS_BOARD_SYNC (self), NULL);
  return self->model;
}

TandemClient *
tandem_board_sync_get_client (TandemBoardSync *self)
{
  g_return_val_if_fail (TANDEM_IS_BOARD_SYNC (self), NULL);
  return self->client;
}

const char *
tandem_board_sync_get_board_id (TandemBoardSync *self)
{
  g_return_val_if_fail (TANDEM_IS_BOARD_SYNC (self), NULL);
  return self->board_id;
}

const char *
tandem_board_sync_get_user_id (TandemBoardSync *self)
{
  g_return_val_if_fail (TANDEM_IS_BOARD_SYNC (self), NULL);
  return self->user_id;
}

TandemChannel *
tandem_board_sync_get_channel (TandemBoardSync *self)
{
  g_return_val_if_fail (TANDEM_IS_BOARD_SYNC (self), NULL);
  return self->channel;
}

gboolean
tandem_board_sync_get_loaded (TandemBoardSync *self)
{
  g_return_val_if_fail (TANDEM_IS_BOARD_SYNC (self), FALSE);
  return self->loaded;
}

gboolean
tandem_board_sync_get_can_undo (TandemBoardSync *self)
{
  g_return_val_if_fail (TANDEM_IS_BOARD_SYNC (self), FALSE);
  return self->undo->len > 0;
}

gboolean
tandem_board_sync_get_can_redo (TandemBoardSync *self)
{
  g_return_val_if_fail (TANDEM_IS_BOARD_SYNC (self), FALSE);
  return self->redo->len > 0;
}

void
tandem_board_sync_set_user_name (TandemBoardSync *self,
                                 const char      *name)
{
  g_return_if_fail (TANDEM_IS_BOARD_SYNC (self));

  if (g_strcmp0 (self->user_name, name) == 0)
    return;
  g_free (self->user_name);
  self->user_name = name ? g_utf8_substring (name, 0, MIN (g_utf8_strlen (name, -1), 100)) : NULL;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_USER_NAME]);
}

void
tandem_board_sync_set_user_color (TandemBoardSync *self,
                                  const char      *color)
{
  g_return_if_fail (TANDEM_IS_BOARD_SYNC (self));
  g_return_if_fail (color == NULL || tandem_stroke_color_is_valid (color));

  if (g_strcmp0 (self->user_color, color) == 0)
    return;
  g_free (self->user_color);
  self->user_color = g_strdup (color);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_USER_COLOR]);
}

void
_tandem_board_sync_notify_undo (TandemBoardSync *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CAN_UNDO]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CAN_REDO]);
}

void
_tandem_board_sync_emit_cleared (TandemBoardSync *self,
                                 const char      *user_id)
{
  g_signal_emit (self, signals[CLEARED], 0, user_id);
}

void
_tandem_board_sync_emit_cursor_moved (TandemBoardSync *self,
                                      const char      *user_id,
                                      double           x,
                                      double           y,
                                      const char      *name,
                                      const char      *color)
{
  g_signal_emit (self, signals[CURSOR_MOVED], 0, user_id, x, y, name, color);
}

void
_tandem_board_sync_emit_cursor_hidden (TandemBoardSync *self,
                                       const char      *user_id)
{
  g_signal_emit (self, signals[CURSOR_HIDDEN], 0, user_id);
}

void
_tandem_board_sync_load_done (TandemBoardSync *self)
{
  g_autoptr(GPtrArray) buffered = g_steal_pointer (&self->buffered);

  self->buffered = g_ptr_array_new_with_free_func ((GDestroyNotify) tandem_board_event_free);
  self->loading = FALSE;
  /* What arrived during the load happened after (or while) the snapshot
   * was taken: applied now, in order, it lands on top of it. */
  for (guint i = 0; i < buffered->len; i++)
    _tandem_board_sync_apply (self, buffered->pdata[i]);
  if (!self->loaded)
    {
      self->loaded = TRUE;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADED]);
    }
  g_signal_emit (self, signals[LOADED], 0);
}

/* ---- the channel ---- */

gboolean
_tandem_board_sync_is_joined (TandemBoardSync *self)
{
  return self->channel != NULL && tandem_channel_get_status (self->channel) == TANDEM_STATUS_CONNECTED;
}

gboolean
_tandem_board_sync_send (TandemBoardSync      *self,
                         TandemBoardEventKind  kind,
                         JsonNode             *payload)
{
  const char *event = tandem_board_event_kind_to_string (kind);

  /* Not joined, a message would wait in the channel's small buffer (or
   * be dropped by the batcher): what matters is sent again on rejoin. */
  if (!_tandem_board_sync_is_joined (self))
    return FALSE;
  if (self->pacing == TANDEM_BOARD_PACING_BATCHED)
    tandem_channel_queue_broadcast (self->channel, event, payload);
  else
    tandem_channel_send_broadcast_async (self->channel, event, payload, NULL, NULL, NULL);
  return TRUE;
}

void
_tandem_board_sync_send_ids (TandemBoardSync      *self,
                             TandemBoardEventKind  kind,
                             GPtrArray            *ids,
                             gboolean              clear,
                             gint64                stamp)
{
  for (guint i = 0; i < ids->len; i += TANDEM_BOARD_CODEC_MAX_IDS)
    {
      guint n = MIN (ids->len - i, TANDEM_BOARD_CODEC_MAX_IDS);
      g_autoptr(JsonNode) payload =
        tandem_board_codec_encode_ids (kind, self->user_id, (const char * const *) ids->pdata + i, n, clear, stamp);

      _tandem_board_sync_send (self, kind, payload);
    }
}

/* A live event of someone else. */
void
_tandem_board_sync_apply (TandemBoardSync  *self,
                          TandemBoardEvent *event)
{
  TandemStroke *stroke = event->id ? tandem_board_model_lookup (self->model, event->id) : NULL;

  /* One's own strokes are this client's to draw (the same account on
   * another device has other stroke ids); anyone may erase them. */
  if (event->id != NULL && g_hash_table_contains (self->own, event->id))
    return;
  /* Only a stroke's author draws it. */
  if (stroke != NULL && event->user != NULL && event->kind <= TANDEM_BOARD_EVENT_END &&
      g_strcmp0 (tandem_stroke_get_author (stroke), event->user) != 0)
    return;

  switch (event->kind)
    {
    case TANDEM_BOARD_EVENT_START:
      if (stroke == NULL)
        {
          g_autoptr(TandemStroke) created = tandem_stroke_new (event->id, event->user, event->tool, event->color,
                                                               event->width, event->started_at);

          _tandem_stroke_set_points_from (created, 0, (const TandemPoint *) (gpointer) event->points->data,
                                          event->points->len);
          _tandem_stroke_set_text (created, event->text);
          tandem_board_model_add (self->model, created);
        }
      else
        {
          /* Sent again after the author's reconnection. */
          tandem_board_model_set_points (self->model, event->id, 0,
                                         (const TandemPoint *) (gpointer) event->points->data, event->points->len);
          if (event->text != NULL)
            tandem_board_model_set_text (self->model, event->id, event->text);
        }
      break;

    case TANDEM_BOARD_EVENT_DRAW:
      /* An unknown stroke (its start was missed) comes with "saved". */
      if (stroke != NULL)
        tandem_board_model_set_points (self->model, event->id, event->index,
                                       (const TandemPoint *) (gpointer) event->points->data, event->points->len);
      break;

    case TANDEM_BOARD_EVENT_END:
      if (stroke != NULL)
        tandem_board_model_finish (self->model, event->id, event->n_points);
      break;

    case TANDEM_BOARD_EVENT_ERASE:
      if (self->current != NULL && g_strv_contains ((const char * const *) event->ids,
                                                     tandem_stroke_get_id (self->current)))
        _tandem_board_sync_current_erased (self);
      tandem_board_model_erase_many (self->model, (const char * const *) event->ids,
                                     g_strv_length (event->ids), event->stamp);
      if (event->clear)
        _tandem_board_sync_emit_cleared (self, event->user);
      break;

    case TANDEM_BOARD_EVENT_RESTORE:
      for (guint i = 0; event->ids[i] != NULL; i++)
        {
          tandem_board_model_restore (self->model, event->ids[i], event->stamp);
          /* Erased before this client loaded the board: never seen. */
          if (tandem_board_model_lookup (self->model, event->ids[i]) == NULL)
            _tandem_board_sync_want (self, event->ids[i]);
        }
      break;

    case TANDEM_BOARD_EVENT_SAVED:
      for (guint i = 0; event->ids[i] != NULL; i++)
        {
          TandemStroke *saved = tandem_board_model_lookup (self->model, event->ids[i]);

          if (saved == NULL || !tandem_stroke_get_complete (saved) || !tandem_stroke_get_finished (saved))
            _tandem_board_sync_want (self, event->ids[i]);
        }
      break;

    case TANDEM_BOARD_EVENT_CURSOR:
      _tandem_board_sync_apply_cursor (self, event);
      break;

    default:
      g_assert_not_reached ();
    }
}

static void
on_broadcast (TandemBoardSync *self,
              const char      *event,
              JsonNode        *payload,
              TandemChannel   *channel)
{
  g_autoptr(TandemBoardEvent) decoded = NULL;
  g_autoptr(GError) error = NULL;

  decoded = tandem_board_codec_decode (event, payload, &error);
  if (decoded == NULL)
    {
      /* A peer's mistake (or malice) must not reach the board. */
      g_debug ("whiteboard %s: ignored a broadcast: %s", self->board_id, error->message);
      return;
    }
  if (decoded->kind == TANDEM_BOARD_EVENT_CURSOR)
    {
      _tandem_board_sync_apply_cursor (self, decoded);
      return;
    }
  if (self->loading)
    {
      if (self->buffered->len < TANDEM_BOARD_MAX_BUFFERED)
        g_ptr_array_add (self->buffered, g_steal_pointer (&decoded));
      return;
    }
  _tandem_board_sync_apply (self, decoded);
}

static void
on_subscribe_state (TandemBoardSync      *self,
                    TandemSubscribeState  state,
                    const GError         *error,
                    TandemChannel        *channel)
{
  if (state != TANDEM_SUBSCRIBE_SUBSCRIBED)
    {
      g_debug ("whiteboard %s: channel state %d: %s", self->board_id, state, error ? error->message : "");
      return;
    }
  if (self->joined_before)
    /* What one did while the channel was down went nowhere. */
    _tandem_board_sync_resend_own (self);
  else
    _tandem_board_sync_flush_current (self);
  self->joined_before = TRUE;
  /* Every join loads: after a reconnection the gap is in the database. */
  _tandem_board_sync_load (self);
}

static void
on_status_changed (TandemBoardSync *self,
                   TandemStatus     old_status,
                   TandemStatus     new_status,
                   TandemChannel   *channel)
{
  if (old_status == TANDEM_STATUS_CONNECTED && new_status != TANDEM_STATUS_CONNECTED)
    self->lost_at = g_get_monotonic_time ();
}

void
tandem_board_sync_start (TandemBoardSync *self)
{
  g_autoptr(TandemChannelOptions) options = NULL;
  g_autofree char *name = NULL;

  g_return_if_fail (TANDEM_IS_BOARD_SYNC (self));

  if (self->started)
    return;
  self->started = TRUE;
  self->cancellable = g_cancellable_new ();

  options = tandem_channel_options_new ();
  /* Cursors go by broadcast, never presence (its rate limit is 5 per 30 s). */
  tandem_channel_options_set_presence_enabled (options, FALSE);
  tandem_channel_options_set_broadcast_self (options, FALSE);
  name = g_strconcat ("whiteboard:", self->board_id, NULL);
  self->channel = tandem_client_channel (self->client, name, options);
  g_signal_connect_object (self->channel, "broadcast", G_CALLBACK (on_broadcast), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->channel, "subscribe-state", G_CALLBACK (on_subscribe_state), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->channel, "status-changed", G_CALLBACK (on_status_changed), self,
                           G_CONNECT_SWAPPED);
  tandem_channel_subscribe (self->channel);
  /* Already joined (another part of the app uses the channel). */
  if (_tandem_board_sync_is_joined (self))
    on_subscribe_state (self, TANDEM_SUBSCRIBE_SUBSCRIBED, NULL, self->channel);
}

void
tandem_board_sync_stop (TandemBoardSync *self)
{
  g_return_if_fail (TANDEM_IS_BOARD_SYNC (self));

  /* A stroke in progress is kept: ended, and saved by the outbox. */
  if (self->current != NULL)
    tandem_board_sync_end_stroke (self);

  g_clear_handle_id (&self->frame_id, g_source_remove);
  g_clear_handle_id (&self->fetch_id, g_source_remove);
  g_clear_handle_id (&self->load_retry_id, g_source_remove);
  _tandem_board_sync_stop_cursor (self);
  _tandem_board_sync_clear_cursors (self);
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->fetching = FALSE;
  self->loading = FALSE;
  self->load_serial++;
  g_ptr_array_set_size (self->buffered, 0);

  if (self->channel != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->channel, self);
      /* Dropping the last reference outside the client leaves. */
      g_clear_object (&self->channel);
    }
  self->started = FALSE;
  self->joined_before = FALSE;
}
