/* tandem-board-event.c: one live whiteboard event, decoded and checked
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tandem-whiteboards"

#include "config.h"

#include "tandem-board-event.h"

static const char * const kind_names[] = {
  [TANDEM_BOARD_EVENT_START] = "start",
  [TANDEM_BOARD_EVENT_DRAW] = "draw",
  [TANDEM_BOARD_EVENT_END] = "end",
  [TANDEM_BOARD_EVENT_ERASE] = "erase",
  [TANDEM_BOARD_EVENT_RESTORE] = "restore",
  [TANDEM_BOARD_EVENT_SAVED] = "saved",
  [TANDEM_BOARD_EVENT_CURSOR] = "cursor",
};

TandemBoardEvent *
tandem_board_event_new (TandemBoardEventKind kind)
{
  TandemBoardEvent *event;

  g_return_val_if_fail ((guint) kind < G_N_ELEMENTS (kind_names), NULL);

  event = g_new0 (TandemBoardEvent, 1);
  event->kind = kind;
  event->points = g_array_new (FALSE, FALSE, sizeof (TandemPoint));
  return event;
}

void
tandem_board_event_free (TandemBoardEvent *event)
{
  if (event == NULL)
    return;

  g_free (event->id);
  g_free (event->user);
  g_free (event->color);
  g_free (event->text);
  g_array_unref (event->points);
  g_strfreev (event->ids);
  g_free (event->name);
  g_free (event);
}

const char *
tandem_board_event_kind_to_string (TandemBoardEventKind kind)
{
  g_return_val_if_fail ((guint) kind < G_N_ELEMENTS (kind_names), NULL);

  return kind_names[kind];
}

gboolean
tandem_board_event_kind_from_string (const char           *name,
                                     TandemBoardEventKind *kind)
{
  g_return_val_if_fail (kind != NULL, FALSE);

  if (name == NULL)
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (kind_names); i++)
    if (g_str_equal (name, kind_names[i]))
      {
        *kind = (TandemBoardEventKind) i;
        return TRUE;
      }
  return FALSE;
}
