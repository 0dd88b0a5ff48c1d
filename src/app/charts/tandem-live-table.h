/* tandem-live-table.h: the latest rows of a table, newest first, in a
 * GtkColumnView over a GListModel of TandemTableRow
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "tandem-charts-types.h"

G_BEGIN_DECLS

#define TANDEM_TYPE_LIVE_TABLE (tandem_live_table_get_type ())
G_DECLARE_FINAL_TYPE (TandemLiveTable, tandem_live_table, TANDEM, LIVE_TABLE, GtkWidget)

GtkWidget   *tandem_live_table_new         (void);

/* The rows (property "model", a GListModel of TandemTableRow). */
GListModel  *tandem_live_table_get_model   (TandemLiveTable    *self);
void         tandem_live_table_set_model   (TandemLiveTable    *self,
                                            GListModel         *model);
/* What is shown: the model, or while paused a copy of it as it was. */
GListModel  *tandem_live_table_get_shown   (TandemLiveTable    *self);

/* The columns shown, in order (NULL-terminated); the cells are
 * tandem_table_row_get_value (row, column). */
void         tandem_live_table_set_columns (TandemLiveTable    *self,
                                            const char * const *columns);
const char * const *tandem_live_table_get_columns (TandemLiveTable *self);

const char  *tandem_live_table_get_title   (TandemLiveTable    *self);
void         tandem_live_table_set_title   (TandemLiveTable    *self,
                                            const char         *title);

/* Paused, the table keeps the rows it showed (property "paused"; action
 * "chart.pause" toggles it, as for charts). */
gboolean     tandem_live_table_get_paused  (TandemLiveTable    *self);
void         tandem_live_table_set_paused  (TandemLiveTable    *self,
                                            gboolean            paused);

/* (transfer none) */
GtkColumnView *tandem_live_table_get_column_view (TandemLiveTable *self);

G_END_DECLS
