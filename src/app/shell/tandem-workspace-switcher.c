/* tandem-workspace-switcher.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tandem-workspace-switcher"

#include "config.h"

#include <glib/gi18n.h>

#include "tandem-workspace.h"
#include "tandem-workspace-switcher.h"

struct _TandemWorkspaceSwitcher
{
  GtkWidget        parent_instance;

  GtkMenuButton   *button;
  GtkLabel        *label;
  GtkPopover      *popover;
  GtkListBox      *list;

  GListModel      *store;
  TandemWorkspace *current;
  gulong           name_handler;
};

G_DEFINE_FINAL_TYPE (TandemWorkspaceSwitcher, tandem_workspace_switcher, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_CURRENT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
update_label (TandemWorkspaceSwitcher *self)
{
  const char *name = self->current ? tandem_workspace_get_name (self->current) : NULL;
  g_autofree char *accessible = NULL;

  gtk_label_set_label (self->label, name && *name ? name : _("Tandem"));
  /* Translators: the accessible name of the workspace switcher; %s is the current workspace */
  accessible = g_strdup_printf (_("Workspace: %s"), gtk_label_get_label (self->label));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->button), GTK_ACCESSIBLE_PROPERTY_LABEL, accessible, -1);
}

static void
refresh_checks (TandemWorkspaceSwitcher *self)
{
  for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (self->list));
       row != NULL;
       row = gtk_widget_get_next_sibling (row))
    {
      GtkWidget *check = g_object_get_data (G_OBJECT (row), "check");
      TandemWorkspace *workspace = g_object_get_data (G_OBJECT (row), "workspace");

      if (check != NULL)
        gtk_widget_set_opacity (check, workspace == self->current ? 1.0 : 0.0);
    }
}

static GtkWidget *
create_row (gpointer item,
            gpointer user_data)
{
  TandemWorkspaceSwitcher *self = user_data;
  TandemWorkspace *workspace = item;
  GtkWidget *row, *box, *icon, *label, *check, *remove;
  gboolean local = tandem_workspace_get_kind (workspace) == TANDEM_WORKSPACE_LOCAL;

  box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  icon = gtk_image_new_from_icon_name (local ? "computer-symbolic" : "network-server-symbolic");
  gtk_widget_set_tooltip_text (icon, local ? _("On this computer") : _("Supabase project"));
  label = gtk_label_new (NULL);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_widget_set_hexpand (label, TRUE);
  g_object_bind_property (workspace, "name", label, "label", G_BINDING_SYNC_CREATE);
  check = gtk_image_new_from_icon_name ("object-select-symbolic");
  remove = gtk_button_new_from_icon_name ("user-trash-symbolic");
  gtk_widget_add_css_class (remove, "flat");
  gtk_widget_set_tooltip_text (remove, _("Remove Workspace"));
  gtk_actionable_set_action_name (GTK_ACTIONABLE (remove), "win.remove-workspace");
  gtk_actionable_set_action_target (GTK_ACTIONABLE (remove), "s", tandem_workspace_get_id (workspace));
  gtk_box_append (GTK_BOX (box), icon);
  gtk_box_append (GTK_BOX (box), label);
  gtk_box_append (GTK_BOX (box), check);
  gtk_box_append (GTK_BOX (box), remove);

  row = gtk_list_box_row_new ();
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (row), "win.switch-workspace");
  gtk_actionable_set_action_target (GTK_ACTIONABLE (row), "s", tandem_workspace_get_id (workspace));
  g_object_set_data (G_OBJECT (row), "check", check);
  g_object_set_data_full (G_OBJECT (row), "workspace", g_object_ref (workspace), g_object_unref);
  gtk_widget_set_opacity (check, workspace == self->current ? 1.0 : 0.0);
  gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  tandem_workspace_get_name (workspace), -1);
  return row;
}

static void
row_activated_cb (TandemWorkspaceSwitcher *self)
{
  gtk_popover_popdown (self->popover);
}

static void
tandem_workspace_switcher_dispose (GObject *object)
{
  TandemWorkspaceSwitcher *self = TANDEM_WORKSPACE_SWITCHER (object);

  if (self->list != NULL)
    gtk_list_box_bind_model (self->list, NULL, NULL, NULL, NULL);
  if (self->current != NULL)
    g_clear_signal_handler (&self->name_handler, self->current);
  g_clear_object (&self->current);
  g_clear_object (&self->store);
  gtk_widget_dispose_template (GTK_WIDGET (self), TANDEM_TYPE_WORKSPACE_SWITCHER);

  G_OBJECT_CLASS (tandem_workspace_switcher_parent_class)->dispose (object);
}

static void
tandem_workspace_switcher_get_property (GObject    *object,
                                        guint       prop_id,
                                        GValue     *value,
                                        GParamSpec *pspec)
{
  TandemWorkspaceSwitcher *self = TANDEM_WORKSPACE_SWITCHER (object);

  switch (prop_id)
    {
    case PROP_CURRENT:
      g_value_set_object (value, self->current);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tandem_workspace_switcher_set_property (GObject      *object,
                                        guint         prop_id,
                                        const GValue *value,
                                        GParamSpec   *pspec)
{
  TandemWorkspaceSwitcher *self = TANDEM_WORKSPACE_SWITCHER (object);

  switch (prop_id)
    {
    case PROP_CURRENT:
      tandem_workspace_switcher_set_current (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tandem_workspace_switcher_class_init (TandemWorkspaceSwitcherClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tandem_workspace_switcher_dispose;
  object_class->get_property = tandem_workspace_switcher_get_property;
  object_class->set_property = tandem_workspace_switcher_set_property;

  properties[PROP_CURRENT] =
    g_param_spec_object ("current", NULL, NULL, TANDEM_TYPE_WORKSPACE,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, "/org/gnome/Tandem/tandem-workspace-switcher.ui");
  gtk_widget_class_bind_template_child (widget_class, TandemWorkspaceSwitcher, button);
  gtk_widget_class_bind_template_child (widget_class, TandemWorkspaceSwitcher, label);
  gtk_widget_class_bind_template_child (widget_class, TandemWorkspaceSwitcher, popover);
  gtk_widget_class_bind_template_child (widget_class, TandemWorkspaceSwitcher, list);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "workspaceswitcher");
}

static void
tandem_workspace_switcher_init (TandemWorkspaceSwitcher *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  g_signal_connect_object (self->list, "row-activated", G_CALLBACK (row_activated_cb), self, G_CONNECT_SWAPPED);
  update_label (self);
}

GtkWidget *
tandem_workspace_switcher_new (void)
{
  return g_object_new (TANDEM_TYPE_WORKSPACE_SWITCHER, NULL);
}

void
tandem_workspace_switcher_set_store (TandemWorkspaceSwitcher *self,
                                     GListModel              *store)
{
  g_return_if_fail (TANDEM_IS_WORKSPACE_SWITCHER (self));

  if (!g_set_object (&self->store, store))
    return;
  gtk_list_box_bind_model (self->list, store, store ? create_row : NULL, self, NULL);
}

TandemWorkspace *
tandem_workspace_switcher_get_current (TandemWorkspaceSwitcher *self)
{
  g_return_val_if_fail (TANDEM_IS_WORKSPACE_SWITCHER (self), NULL);
  return self->current;
}

void
tandem_workspace_switcher_set_current (TandemWorkspaceSwitcher *self,
                                       TandemWorkspace         *workspace)
{
  g_return_if_fail (TANDEM_IS_WORKSPACE_SWITCHER (self));

  if (self->current == workspace)
    return;
  if (self->current != NULL)
    g_clear_signal_handler (&self->name_handler, self->current);
  g_set_object (&self->current, workspace);
  if (workspace != NULL)
    self->name_handler = g_signal_connect_object (workspace, "notify::name", G_CALLBACK (update_label), self,
                                                  G_CONNECT_SWAPPED);
  update_label (self);
  refresh_checks (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CURRENT]);
}
