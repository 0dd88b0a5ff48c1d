/* tandem-whiteboard-view-private.h: what the board view's files share
 * (tandem-whiteboard-view.c: the view, its toolbar and actions;
 * tandem-whiteboard-view-export.c: PNG and SVG export)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "tandem-whiteboard-view.h"

G_BEGIN_DECLS

struct _TandemWhiteboardView
{
  AdwBin             parent_instance;

  TandemClient      *client;
  TandemOutbox      *outbox;
  char              *board_id;
  TandemBoardSync   *sync;
  TandemBoardCanvas *canvas;

  AdwToastOverlay   *toasts;
  GtkWidget         *color_swatch;
  GtkWidget         *zoom_button;
  GtkWindow         *dialog;
  GCancellable      *cancellable;
};

void       _tandem_whiteboard_view_toast             (TandemWhiteboardView *self,
                                                      const char           *message);
GtkWindow *_tandem_whiteboard_view_parent_window     (TandemWhiteboardView *self);

/* board.export-png, board.export-svg: ask for a file, then export. */
void       _tandem_whiteboard_view_export_png_action (GtkWidget            *widget,
                                                      const char           *action_name,
                                                      GVariant             *parameter);
void       _tandem_whiteboard_view_export_svg_action (GtkWidget            *widget,
                                                      const char           *action_name,
                                                      GVariant             *parameter);

G_END_DECLS
