/* tandem-table-row.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tandem-table-row"

#include "config.h"

#include "tandem-table-row.h"

struct _TandemTableRow
{
  GObject  parent_instance;

  char    *id;
  gint64   time;
  GStrv    columns;
  GStrv    values;
};

G_DEFINE_FINAL_TYPE (TandemTableRow, tandem_table_row, G_TYPE_OBJECT)

static void
tandem_table_row_finalize (GObject *object)
{
  TandemTableRow *self = (TandemTableRow *) object;

  g_free (self->id);
  g_strfreev (self->columns);
  g_strfreev (self->values);

  G_OBJECT_CLASS (tandem_table_row_parent_class)->finalize (object);
}

static void
tandem_table_row_class_init (TandemTableRowClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = tandem_table_row_finalize;
}

static void
tandem_table_row_init (TandemTableRow *self)
{
}

TandemTableRow *
tandem_table_row_new (const char         *id,
                      gint64              time_usec,
                      const char * const *columns,
                      const char * const *values)
{
  TandemTableRow *self;
  guint n = columns ? g_strv_length ((GStrv) columns) : 0;

  g_return_val_if_fail (n == (values ? g_strv_length ((GStrv) values) : 0), NULL);

  self = g_object_new (TANDEM_TYPE_TABLE_ROW, NULL);
  self->id = g_strdup (id ? id : "");
  self->time = time_usec;
  self->columns = g_strdupv ((GStrv) (columns ? columns : (const char * const[]) { NULL }));
  self->values = g_strdupv ((GStrv) (values ? values : (const char * const[]) { NULL }));
  return self;
}

const char *
tandem_table_row_get_id (TandemTableRow *self)
{
  g_return_val_if_fail (TANDEM_IS_TABLE_ROW (self), NULL);
  return self->id;
}

gint64
tandem_table_row_get_time (TandemTableRow *self)
{
  g_return_val_if_fail (TANDEM_IS_TABLE_ROW (self), 0);
  return self->time;
}

const char *
tandem_table_row_get_value (TandemTableRow *self,
                            const char     *column)
{
  g_return_val_if_fail (TANDEM_IS_TABLE_ROW (self), NULL);
  g_return_val_if_fail (column != NULL, NULL);

  for (guint i = 0; self->columns[i] != NULL; i++)
    if (g_str_equal (self->columns[i], column))
      return self->values[i];
  return NULL;
}

const char * const *
tandem_table_row_get_columns (TandemTableRow *self)
{
  g_return_val_if_fail (TANDEM_IS_TABLE_ROW (self), NULL);
  return (const char * const *) self->columns;
}
