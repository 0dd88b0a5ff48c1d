/* tandem-table-row.h: one row of a live table: an id, a time and named
 * cells as text
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

#include "tandem-charts-types.h"

G_BEGIN_DECLS

#define TANDEM_TYPE_TABLE_ROW (tandem_table_row_get_type ())
G_DECLARE_FINAL_TYPE (TandemTableRow, tandem_table_row, TANDEM, TABLE_ROW, GObject)

/* @columns and @values: NULL-terminated, of the same length. */
TandemTableRow *tandem_table_row_new       (const char         *id,
                                            gint64              time_usec,
                                            const char * const *columns,
                                            const char * const *values);
const char     *tandem_table_row_get_id    (TandemTableRow     *self);
gint64          tandem_table_row_get_time  (TandemTableRow     *self);
/* The text of cell @column, or NULL when the row has none. */
const char     *tandem_table_row_get_value (TandemTableRow     *self,
                                            const char         *column);
const char * const *tandem_table_row_get_columns (TandemTableRow *self);

G_END_DECLS
