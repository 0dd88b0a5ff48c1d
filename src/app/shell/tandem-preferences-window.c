/* tandem-preferences-window.c
 *
 * Every row is bound to its key: a change applies at once.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tandem-preferences"

#include "config.h"

#include <glib/gi18n.h>

#include "tandem-preferences-window.h"

struct _TandemPreferencesWindow
{
  AdwPreferencesWindow parent_instance;

  AdwComboRow   *startup_status_row;
  GtkSwitch     *auto_away_switch;
  GtkWidget     *delay_row;
  GtkAdjustment *delay_adjustment;
  GtkSwitch     *notifications_switch;
  AdwComboRow   *style_row;

  GSettings     *settings;
};

G_DEFINE_FINAL_TYPE (TandemPreferencesWindow, tandem_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

/* Combo rows list an enum key's values in order: position = value. */
static void
enum_key_changed_cb (GSettings   *settings,
                     const char  *key,
                     AdwComboRow *row)
{
  guint value = (guint) g_settings_get_enum (settings, key);

  if (adw_combo_row_get_selected (row) != value)
    adw_combo_row_set_selected (row, value);
}

static void
row_selected_cb (AdwComboRow *row,
                 GParamSpec  *pspec,
                 GSettings   *settings)
{
  const char *key = g_object_get_data (G_OBJECT (row), "tandem-key");
  guint selected = adw_combo_row_get_selected (row);

  if (selected != GTK_INVALID_LIST_POSITION && (guint) g_settings_get_enum (settings, key) != selected)
    g_settings_set_enum (settings, key, (int) selected);
}

static void
bind_enum_row (TandemPreferencesWindow *self,
               AdwComboRow             *row,
               const char              *key)
{
  g_autofree char *signal = g_strconcat ("changed::", key, NULL);

  g_object_set_data_full (G_OBJECT (row), "tandem-key", g_strdup (key), g_free);
  adw_combo_row_set_selected (row, (guint) g_settings_get_enum (self->settings, key));
  g_signal_connect_object (self->settings, signal, G_CALLBACK (enum_key_changed_cb), row, 0);
  g_signal_connect_object (row, "notify::selected", G_CALLBACK (row_selected_cb), self->settings, 0);
}

/* The key is in seconds, the spin button in minutes. */
static gboolean
seconds_to_minutes (GValue   *value,
                    GVariant *variant,
                    gpointer  user_data)
{
  g_value_set_double (value, g_variant_get_uint32 (variant) / 60.0);
  return TRUE;
}

static GVariant *
minutes_to_seconds (const GValue       *value,
                    const GVariantType *type,
                    gpointer            user_data)
{
  return g_variant_new_uint32 ((guint32) (g_value_get_double (value) * 60.0 + 0.5));
}

static void
tandem_preferences_window_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), TANDEM_TYPE_PREFERENCES_WINDOW);

  G_OBJECT_CLASS (tandem_preferences_window_parent_class)->dispose (object);
}

static void
tandem_preferences_window_finalize (GObject *object)
{
  TandemPreferencesWindow *self = TANDEM_PREFERENCES_WINDOW (object);

  g_clear_object (&self->settings);

  G_OBJECT_CLASS (tandem_preferences_window_parent_class)->finalize (object);
}

static void
tandem_preferences_window_class_init (TandemPreferencesWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tandem_preferences_window_dispose;
  object_class->finalize = tandem_preferences_window_finalize;

  gtk_widget_class_set_template_from_resource (widget_class, "/org/gnome/Tandem/tandem-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, TandemPreferencesWindow, startup_status_row);
  gtk_widget_class_bind_template_child (widget_class, TandemPreferencesWindow, auto_away_switch);
  gtk_widget_class_bind_template_child (widget_class, TandemPreferencesWindow, delay_row);
  gtk_widget_class_bind_template_child (widget_class, TandemPreferencesWindow, delay_adjustment);
  gtk_widget_class_bind_template_child (widget_class, TandemPreferencesWindow, notifications_switch);
  gtk_widget_class_bind_template_child (widget_class, TandemPreferencesWindow, style_row);
}

static void
tandem_preferences_window_init (TandemPreferencesWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

TandemPreferencesWindow *
tandem_preferences_window_new (GSettings *settings)
{
  TandemPreferencesWindow *self;

  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);

  self = g_object_new (TANDEM_TYPE_PREFERENCES_WINDOW, NULL);
  self->settings = g_object_ref (settings);

  bind_enum_row (self, self->startup_status_row, "status-on-startup");
  bind_enum_row (self, self->style_row, "color-scheme");
  g_settings_bind (settings, "auto-away", self->auto_away_switch, "active", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (settings, "auto-away", self->delay_row, "sensitive", G_SETTINGS_BIND_GET);
  g_settings_bind_with_mapping (settings, "auto-away-delay", self->delay_adjustment, "value",
                                G_SETTINGS_BIND_DEFAULT, seconds_to_minutes, minutes_to_seconds, NULL, NULL);
  g_settings_bind (settings, "notifications", self->notifications_switch, "active", G_SETTINGS_BIND_DEFAULT);
  return self;
}
