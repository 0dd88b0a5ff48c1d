/* tandem-window-sections.c: the sections of the sidebar and their pages
 *
 * Each page gets the session's TandemClient through the window's binding
 * group (its `client` property), NULL while signed out. Dashboards is the
 * first section.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tandem-window"

#include "config.h"

#include <glib/gi18n.h>

#include "tandem.h"
#include "tandem-window-private.h"

#ifdef TANDEM_HAVE_DASHBOARDS_PAGE
# include "tandem-dashboards-page.h"
#endif
#include "tandem-whiteboards-page.h"

static GtkListBoxRow *
find_row (TandemWindow *self,
          const char   *id)
{
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->sections_list));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (GTK_IS_LIST_BOX_ROW (child) && g_strcmp0 (g_object_get_data (G_OBJECT (child), "section-id"), id) == 0)
      return GTK_LIST_BOX_ROW (child);
  return NULL;
}

static void
show_row (TandemWindow  *self,
          GtkListBoxRow *row)
{
  const char *id = g_object_get_data (G_OBJECT (row), "section-id");
  GtkStackPage *page;

  gtk_stack_set_visible_child_name (self->section_stack, id);
  page = gtk_stack_get_page (self->section_stack, gtk_stack_get_visible_child (self->section_stack));
  adw_window_title_set_title (self->content_title, gtk_stack_page_get_title (page));
  if (gtk_list_box_get_selected_row (self->sections_list) != row)
    gtk_list_box_select_row (self->sections_list, row);
}

static void
row_activated_cb (TandemWindow  *self,
                  GtkListBoxRow *row,
                  GtkListBox    *list)
{
  show_row (self, row);
  /* Folded, the sidebar is a page of its own: go on to the section. */
  adw_leaflet_set_visible_child (self->leaflet, self->content);
}

void
tandem_window_add_section (TandemWindow *self,
                           const char   *id,
                           const char   *title,
                           const char   *icon_name,
                           GtkWidget    *page)
{
  GtkWidget *row, *box, *image, *label;
  GtkStackPage *stack_page;

  g_return_if_fail (TANDEM_IS_WINDOW (self));
  g_return_if_fail (id != NULL && title != NULL);
  g_return_if_fail (GTK_IS_WIDGET (page));
  g_return_if_fail (find_row (self, id) == NULL);

  stack_page = gtk_stack_add_titled (self->section_stack, page, id, title);
  gtk_stack_page_set_icon_name (stack_page, icon_name);

  box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  image = gtk_image_new_from_icon_name (icon_name);
  label = gtk_label_new (title);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_box_append (GTK_BOX (box), image);
  gtk_box_append (GTK_BOX (box), label);
  row = gtk_list_box_row_new ();
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL, title, -1);
  g_object_set_data_full (G_OBJECT (row), "section-id", g_strdup (id), g_free);
  gtk_list_box_append (self->sections_list, row);

  /* The contract: pages have a `client` property of type TandemClient. */
  {
    GParamSpec *pspec = g_object_class_find_property (G_OBJECT_GET_CLASS (page), "client");

    if (pspec != NULL && g_type_is_a (pspec->value_type, TANDEM_TYPE_CLIENT))
      {
        g_ptr_array_add (self->client_pages, page);
        g_binding_group_bind (self->session_bindings, "client", page, "client", G_BINDING_SYNC_CREATE);
      }
  }

  if (gtk_list_box_get_selected_row (self->sections_list) == NULL)
    show_row (self, GTK_LIST_BOX_ROW (row));
}

GtkWidget *
tandem_window_get_section_page (TandemWindow *self,
                                const char   *id)
{
  g_return_val_if_fail (TANDEM_IS_WINDOW (self), NULL);
  return gtk_stack_get_child_by_name (self->section_stack, id);
}

void
tandem_window_show_section (TandemWindow *self,
                            const char   *id)
{
  GtkListBoxRow *row;

  g_return_if_fail (TANDEM_IS_WINDOW (self));

  row = find_row (self, id);
  if (row != NULL)
    row_activated_cb (self, row, self->sections_list);
}

void
_tandem_window_sections_clear_clients (TandemWindow *self)
{
  for (guint i = 0; i < self->client_pages->len; i++)
    g_object_set (g_ptr_array_index (self->client_pages, i), "client", NULL, NULL);
}

static GtkWidget *
dashboards_page_new (void)
{
#ifdef TANDEM_HAVE_DASHBOARDS_PAGE
  return GTK_WIDGET (tandem_dashboards_page_new ());
#else
  GtkWidget *page = adw_status_page_new ();

  adw_status_page_set_icon_name (ADW_STATUS_PAGE (page), "view-grid-symbolic");
  adw_status_page_set_title (ADW_STATUS_PAGE (page), _("No Dashboards"));
  return page;
#endif
}

void
_tandem_window_sections_init (TandemWindow *self)
{
  self->client_pages = g_ptr_array_new ();
  g_signal_connect_object (self->sections_list, "row-activated", G_CALLBACK (row_activated_cb), self,
                           G_CONNECT_SWAPPED);

  tandem_window_add_section (self, "dashboards", _("Dashboards"), "view-grid-symbolic", dashboards_page_new ());
  tandem_window_add_section (self, "whiteboards", _("Whiteboards"), "document-edit-symbolic",
                             tandem_whiteboards_page_new ());
}
