/* tandem-board-sync-cursors.c: one's cursor sent at most ~30 times a
 * second, the others' reported and hidden after a few silent seconds
 *
 * Cursors go by broadcast on the board's channel, never by presence:
 * presence updates are limited to 5 per 30 s per channel.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tandem-whiteboards"

#include "config.h"

#include <math.h>

#include "tandem-board-codec.h"
#include "tandem-board-sync-private.h"

typedef struct
{
  TandemBoardSync *self;   /* not a reference: the sync owns the table */
  char            *user_id;
  guint            hide_id;
} RemoteCursor;

static void
remote_cursor_free (gpointer data)
{
  RemoteCursor *cursor = data;

  g_clear_handle_id (&cursor->hide_id, g_source_remove);
  g_free (cursor->user_id);
  g_free (cursor);
}

void
_tandem_board_sync_init_cursors (TandemBoardSync *self)
{
  self->cursors = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, remote_cursor_free);
}

void
_tandem_board_sync_clear_cursors (TandemBoardSync *self)
{
  g_autoptr(GPtrArray) hidden = g_ptr_array_new_with_free_func (g_free);
  GHashTableIter iter;
  gpointer key;

  g_hash_table_iter_init (&iter, self->cursors);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    g_ptr_array_add (hidden, g_strdup (key));
  g_hash_table_remove_all (self->cursors);
  for (guint i = 0; i < hidden->len; i++)
    _tandem_board_sync_emit_cursor_hidden (self, hidden->pdata[i]);
}

static gboolean
hide_cb (gpointer user_data)
{
  RemoteCursor *cursor = user_data;
  TandemBoardSync *self = cursor->self;
  g_autofree char *user_id = g_strdup (cursor->user_id);

  cursor->hide_id = 0;
  g_hash_table_remove (self->cursors, user_id);
  _tandem_board_sync_emit_cursor_hidden (self, user_id);
  return G_SOURCE_REMOVE;
}

void
_tandem_board_sync_apply_cursor (TandemBoardSync  *self,
                                 TandemBoardEvent *event)
{
  RemoteCursor *cursor;

  if (self->user_id != NULL && g_str_equal (event->user, self->user_id))
    return;
  cursor = g_hash_table_lookup (self->cursors, event->user);
  if (cursor == NULL)
    {
      /* A peer inventing users must not grow the table without end. */
      if (g_hash_table_size (self->cursors) >= TANDEM_BOARD_MAX_CURSORS)
        return;
      cursor = g_new0 (RemoteCursor, 1);
      cursor->self = self;
      cursor->user_id = g_strdup (event->user);
      g_hash_table_insert (self->cursors, cursor->user_id, cursor);
    }
  g_clear_handle_id (&cursor->hide_id, g_source_remove);
  cursor->hide_id = g_timeout_add (TANDEM_BOARD_CURSOR_TIMEOUT_MS, hide_cb, cursor);
  g_source_set_name_by_id (cursor->hide_id, "[tandem] whiteboard cursor timeout");
  _tandem_board_sync_emit_cursor_moved (self, event->user, event->x, event->y, event->name, event->color);
}

/* ---- one's own ---- */

static void
send_cursor (TandemBoardSync *self)
{
  g_autoptr(JsonNode) payload = NULL;

  self->cursor_dirty = FALSE;
  payload = tandem_board_codec_encode_cursor (self->user_id, self->cursor_x, self->cursor_y, self->user_name,
                                              self->user_color);
  _tandem_board_sync_send (self, TANDEM_BOARD_EVENT_CURSOR, payload);
}

static gboolean
cursor_cb (gpointer user_data)
{
  TandemBoardSync *self = user_data;

  if (!self->cursor_dirty)
    {
      /* Quiet for a whole interval: the next move goes out at once. */
      self->cursor_id = 0;
      return G_SOURCE_REMOVE;
    }
  send_cursor (self);
  return G_SOURCE_CONTINUE;
}

void
tandem_board_sync_move_cursor (TandemBoardSync *self,
                               double           x,
                               double           y)
{
  g_return_if_fail (TANDEM_IS_BOARD_SYNC (self));

  if (self->user_id == NULL || !isfinite (x) || !isfinite (y))
    return;
  self->cursor_x = x;
  self->cursor_y = y;
  self->cursor_dirty = TRUE;
  if (self->cursor_id != 0)
    return;
  send_cursor (self);
  self->cursor_id = g_timeout_add (TANDEM_BOARD_CURSOR_INTERVAL_MS, cursor_cb, self);
  g_source_set_name_by_id (self->cursor_id, "[tandem] whiteboard cursor");
}

void
_tandem_board_sync_stop_cursor (TandemBoardSync *self)
{
  g_clear_handle_id (&self->cursor_id, g_source_remove);
  self->cursor_dirty = FALSE;
}
