/* tandem-live-table.c
 *
 * A GtkColumnView in a scrolled window. Cells are GtkInscriptions (cheap
 * to measure, made for large lists), bound by a GtkSignalListItemFactory
 * per column.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tandem-live-table"

#include "config.h"

#include <glib/gi18n.h>

#include "tandem-live-table.h"
#include "tandem-table-row.h"

struct _TandemLiveTable
{
  GtkWidget          parent_instance;

  GtkScrolledWindow *scroller;
  GtkColumnView     *view;
  GtkNoSelection    *selection;
  GListModel        *model;
  GListStore        *frozen;
  GStrv              columns;
  char              *title;
  gboolean           paused;
};

G_DEFINE_FINAL_TYPE (TandemLiveTable, tandem_live_table, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_MODEL,
  PROP_TITLE,
  PROP_PAUSED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
setup_cell (GtkSignalListItemFactory *factory,
            GtkListItem              *item,
            gpointer                  user_data)
{
  GtkWidget *label = gtk_inscription_new (NULL);

  gtk_inscription_set_min_chars (GTK_INSCRIPTION (label), 4);
  gtk_inscription_set_nat_chars (GTK_INSCRIPTION (label), 12);
  gtk_list_item_set_child (item, label);
}

static void
bind_cell (GtkSignalListItemFactory *factory,
           GtkListItem              *item,
           gpointer                  user_data)
{
  const char *column = g_object_get_data (G_OBJECT (factory), "tandem-column");
  TandemTableRow *row = gtk_list_item_get_item (item);
  const char *text = row ? tandem_table_row_get_value (row, column) : NULL;

  gtk_inscription_set_text (GTK_INSCRIPTION (gtk_list_item_get_child (item)), text ? text : "");
}

static void
update_shown (TandemLiveTable *self)
{
  GListModel *shown = tandem_live_table_get_shown (self);

  gtk_no_selection_set_model (self->selection, shown);
}

static void
tandem_live_table_dispose (GObject *object)
{
  TandemLiveTable *self = (TandemLiveTable *) object;

  gtk_widget_dispose_template (GTK_WIDGET (self), TANDEM_TYPE_LIVE_TABLE);
  g_clear_object (&self->selection);
  g_clear_object (&self->model);
  g_clear_object (&self->frozen);

  G_OBJECT_CLASS (tandem_live_table_parent_class)->dispose (object);
}

static void
tandem_live_table_finalize (GObject *object)
{
  TandemLiveTable *self = (TandemLiveTable *) object;

  g_strfreev (self->columns);
  g_free (self->title);

  G_OBJECT_CLASS (tandem_live_table_parent_class)->finalize (object);
}

static void
tandem_live_table_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  TandemLiveTable *self = TANDEM_LIVE_TABLE (object);

  switch (prop_id)
    {
    case PROP_MODEL:
      g_value_set_object (value, self->model);
      break;
    case PROP_TITLE:
      g_value_set_string (value, self->title);
      break;
    case PROP_PAUSED:
      g_value_set_boolean (value, self->paused);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tandem_live_table_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  TandemLiveTable *self = TANDEM_LIVE_TABLE (object);

  switch (prop_id)
    {
    case PROP_MODEL:
      tandem_live_table_set_model (self, g_value_get_object (value));
      break;
    case PROP_TITLE:
      tandem_live_table_set_title (self, g_value_get_string (value));
      break;
    case PROP_PAUSED:
      tandem_live_table_set_paused (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tandem_live_table_class_init (TandemLiveTableClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tandem_live_table_dispose;
  object_class->finalize = tandem_live_table_finalize;
  object_class->get_property = tandem_live_table_get_property;
  object_class->set_property = tandem_live_table_set_property;

  properties[PROP_MODEL] =
    g_param_spec_object ("model", NULL, NULL, G_TYPE_LIST_MODEL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_TITLE] =
    g_param_spec_string ("title", NULL, NULL, "",
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PAUSED] =
    g_param_spec_boolean ("paused", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_install_property_action (widget_class, "chart.pause", "paused");

  gtk_widget_class_set_template_from_resource (widget_class, "/org/gnome/Tandem/charts/tandem-live-table.ui");
  gtk_widget_class_bind_template_child (widget_class, TandemLiveTable, scroller);
  gtk_widget_class_bind_template_child (widget_class, TandemLiveTable, view);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "livetable");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
tandem_live_table_init (TandemLiveTable *self)
{
  self->title = g_strdup ("");
  self->columns = g_new0 (char *, 1);
  gtk_widget_init_template (GTK_WIDGET (self));

  self->selection = gtk_no_selection_new (NULL);
  gtk_column_view_set_model (self->view, GTK_SELECTION_MODEL (self->selection));
}

GtkWidget *
tandem_live_table_new (void)
{
  return g_object_new (TANDEM_TYPE_LIVE_TABLE, NULL);
}

GListModel *
tandem_live_table_get_model (TandemLiveTable *self)
{
  g_return_val_if_fail (TANDEM_IS_LIVE_TABLE (self), NULL);
  return self->model;
}

void
tandem_live_table_set_model (TandemLiveTable *self,
                             GListModel      *model)
{
  g_return_if_fail (TANDEM_IS_LIVE_TABLE (self));
  g_return_if_fail (model == NULL || G_IS_LIST_MODEL (model));

  if (!g_set_object (&self->model, model))
    return;
  if (!self->paused)
    update_shown (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MODEL]);
}

GListModel *
tandem_live_table_get_shown (TandemLiveTable *self)
{
  g_return_val_if_fail (TANDEM_IS_LIVE_TABLE (self), NULL);
  return self->frozen ? G_LIST_MODEL (self->frozen) : self->model;
}

void
tandem_live_table_set_columns (TandemLiveTable    *self,
                               const char * const *columns)
{
  GListModel *existing;

  g_return_if_fail (TANDEM_IS_LIVE_TABLE (self));

  if (columns == NULL)
    columns = (const char * const[]) { NULL };
  if (g_strv_equal ((const char * const *) self->columns, columns))
    return;
  g_strfreev (self->columns);
  self->columns = g_strdupv ((GStrv) columns);

  existing = gtk_column_view_get_columns (self->view);
  while (g_list_model_get_n_items (existing) > 0)
    {
      g_autoptr(GtkColumnViewColumn) column = g_list_model_get_item (existing, 0);

      gtk_column_view_remove_column (self->view, column);
    }
  for (guint i = 0; self->columns[i] != NULL; i++)
    {
      GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
      g_autoptr(GtkColumnViewColumn) column = NULL;

      g_object_set_data_full (G_OBJECT (factory), "tandem-column", g_strdup (self->columns[i]), g_free);
      g_signal_connect (factory, "setup", G_CALLBACK (setup_cell), NULL);
      g_signal_connect (factory, "bind", G_CALLBACK (bind_cell), NULL);
      column = gtk_column_view_column_new (self->columns[i], factory);
      gtk_column_view_column_set_resizable (column, TRUE);
      gtk_column_view_column_set_expand (column, TRUE);
      gtk_column_view_append_column (self->view, column);
    }
}

const char * const *
tandem_live_table_get_columns (TandemLiveTable *self)
{
  g_return_val_if_fail (TANDEM_IS_LIVE_TABLE (self), NULL);
  return (const char * const *) self->columns;
}

const char *
tandem_live_table_get_title (TandemLiveTable *self)
{
  g_return_val_if_fail (TANDEM_IS_LIVE_TABLE (self), NULL);
  return self->title;
}

void
tandem_live_table_set_title (TandemLiveTable *self,
                             const char      *title)
{
  g_return_if_fail (TANDEM_IS_LIVE_TABLE (self));

  if (title == NULL)
    title = "";
  if (g_strcmp0 (self->title, title) == 0)
    return;
  g_free (self->title);
  self->title = g_strdup (title);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL, title, -1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->view), GTK_ACCESSIBLE_PROPERTY_LABEL, title, -1);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TITLE]);
}

gboolean
tandem_live_table_get_paused (TandemLiveTable *self)
{
  g_return_val_if_fail (TANDEM_IS_LIVE_TABLE (self), FALSE);
  return self->paused;
}

void
tandem_live_table_set_paused (TandemLiveTable *self,
                              gboolean         paused)
{
  g_return_if_fail (TANDEM_IS_LIVE_TABLE (self));

  paused = !!paused;
  if (self->paused == paused)
    return;
  self->paused = paused;
  g_clear_object (&self->frozen);
  if (paused)
    {
      self->frozen = g_list_store_new (TANDEM_TYPE_TABLE_ROW);
      if (self->model != NULL)
        for (guint i = 0; i < g_list_model_get_n_items (self->model); i++)
          {
            g_autoptr(GObject) row = g_list_model_get_item (self->model, i);

            g_list_store_append (self->frozen, row);
          }
    }
  update_shown (self);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  paused ? _("Paused") : "", -1);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PAUSED]);
}

GtkColumnView *
tandem_live_table_get_column_view (TandemLiveTable *self)
{
  g_return_val_if_fail (TANDEM_IS_LIVE_TABLE (self), NULL);
  return self->view;
}
