/* tandem-idle-monitor.c
 *
 * Input only stamps the time; one timer checks it when the delay may have
 * passed, so a pointer moving all day costs no timer churn.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tandem-idle-monitor"

#include "config.h"

#include "tandem-idle-monitor.h"

struct _TandemIdleMonitor
{
  GObject  parent_instance;

  GWeakRef widget;
  GList   *controllers;  /* owned by the widget */
  guint    delay;
  gint64   last_input;
  guint    timeout_id;
  gboolean idle;
};

G_DEFINE_FINAL_TYPE (TandemIdleMonitor, tandem_idle_monitor, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_IDLE,
  PROP_DELAY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void schedule (TandemIdleMonitor *self,
                      gint64             after_us);

static void
check (TandemIdleMonitor *self)
{
  gint64 quiet = g_get_monotonic_time () - self->last_input;
  gint64 delay = (gint64) self->delay * G_USEC_PER_SEC;

  if (quiet >= delay)
    {
      if (!self->idle)
        {
          self->idle = TRUE;
          g_debug ("idle after %u s", self->delay);
          g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_IDLE]);
        }
    }
  else
    schedule (self, delay - quiet);
}

static gboolean
timeout_cb (gpointer data)
{
  TandemIdleMonitor *self = data;

  self->timeout_id = 0;
  check (self);
  return G_SOURCE_REMOVE;
}

static void
schedule (TandemIdleMonitor *self,
          gint64             after_us)
{
  guint ms = (guint) MAX (1, (after_us + 999) / 1000);

  g_clear_handle_id (&self->timeout_id, g_source_remove);
  self->timeout_id = g_timeout_add (ms, timeout_cb, self);
}

void
tandem_idle_monitor_input (TandemIdleMonitor *self)
{
  g_return_if_fail (TANDEM_IS_IDLE_MONITOR (self));

  self->last_input = g_get_monotonic_time ();
  if (self->idle)
    {
      self->idle = FALSE;
      g_debug ("input again");
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_IDLE]);
    }
  if (self->timeout_id == 0)
    schedule (self, (gint64) self->delay * G_USEC_PER_SEC);
}

static void
motion_cb (GtkEventControllerMotion *controller,
           double                    x,
           double                    y,
           TandemIdleMonitor        *self)
{
  tandem_idle_monitor_input (self);
}

static gboolean
key_cb (GtkEventControllerKey *controller,
        guint                  keyval,
        guint                  keycode,
        GdkModifierType        state,
        TandemIdleMonitor     *self)
{
  tandem_idle_monitor_input (self);
  return GDK_EVENT_PROPAGATE;
}

static void
click_cb (GtkGestureClick   *gesture,
          int                n_press,
          double             x,
          double             y,
          TandemIdleMonitor *self)
{
  tandem_idle_monitor_input (self);
}

static gboolean
scroll_cb (GtkEventControllerScroll *controller,
           double                    dx,
           double                    dy,
           TandemIdleMonitor        *self)
{
  tandem_idle_monitor_input (self);
  return GDK_EVENT_PROPAGATE;
}

static void
add_controller (TandemIdleMonitor  *self,
                GtkWidget          *widget,
                GtkEventController *controller)
{
  gtk_event_controller_set_propagation_phase (controller, GTK_PHASE_CAPTURE);
  gtk_event_controller_set_name (controller, "tandem-idle-monitor");
  gtk_widget_add_controller (widget, controller);
  self->controllers = g_list_prepend (self->controllers, controller);
}

static void
tandem_idle_monitor_dispose (GObject *object)
{
  TandemIdleMonitor *self = TANDEM_IDLE_MONITOR (object);
  g_autoptr(GtkWidget) widget = g_weak_ref_get (&self->widget);

  g_clear_handle_id (&self->timeout_id, g_source_remove);
  if (widget != NULL)
    for (GList *l = self->controllers; l; l = l->next)
      {
        g_signal_handlers_disconnect_by_data (l->data, self);
        gtk_widget_remove_controller (widget, l->data);
      }
  g_clear_pointer (&self->controllers, g_list_free);
  g_weak_ref_set (&self->widget, NULL);

  G_OBJECT_CLASS (tandem_idle_monitor_parent_class)->dispose (object);
}

static void
tandem_idle_monitor_finalize (GObject *object)
{
  TandemIdleMonitor *self = TANDEM_IDLE_MONITOR (object);

  g_weak_ref_clear (&self->widget);

  G_OBJECT_CLASS (tandem_idle_monitor_parent_class)->finalize (object);
}

static void
tandem_idle_monitor_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  TandemIdleMonitor *self = TANDEM_IDLE_MONITOR (object);

  switch (prop_id)
    {
    case PROP_IDLE:
      g_value_set_boolean (value, self->idle);
      break;
    case PROP_DELAY:
      g_value_set_uint (value, self->delay);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tandem_idle_monitor_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  TandemIdleMonitor *self = TANDEM_IDLE_MONITOR (object);

  switch (prop_id)
    {
    case PROP_DELAY:
      tandem_idle_monitor_set_delay (self, g_value_get_uint (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tandem_idle_monitor_class_init (TandemIdleMonitorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = tandem_idle_monitor_dispose;
  object_class->finalize = tandem_idle_monitor_finalize;
  object_class->get_property = tandem_idle_monitor_get_property;
  object_class->set_property = tandem_idle_monitor_set_property;

  properties[PROP_IDLE] =
    g_param_spec_boolean ("idle", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_DELAY] =
    g_param_spec_uint ("delay", NULL, NULL, 1, G_MAXINT32 / 1000, 300,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
tandem_idle_monitor_init (TandemIdleMonitor *self)
{
  self->delay = 300;
  g_weak_ref_init (&self->widget, NULL);
}

TandemIdleMonitor *
tandem_idle_monitor_new (GtkWidget *widget)
{
  TandemIdleMonitor *self;
  GtkEventController *controller;

  g_return_val_if_fail (GTK_IS_WIDGET (widget), NULL);

  self = g_object_new (TANDEM_TYPE_IDLE_MONITOR, NULL);
  g_weak_ref_set (&self->widget, widget);

  controller = gtk_event_controller_motion_new ();
  g_signal_connect (controller, "motion", G_CALLBACK (motion_cb), self);
  add_controller (self, widget, controller);

  controller = gtk_event_controller_key_new ();
  g_signal_connect (controller, "key-pressed", G_CALLBACK (key_cb), self);
  add_controller (self, widget, controller);

  controller = GTK_EVENT_CONTROLLER (gtk_gesture_click_new ());
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (controller), 0);
  g_signal_connect (controller, "pressed", G_CALLBACK (click_cb), self);
  add_controller (self, widget, controller);

  controller = gtk_event_controller_scroll_new (GTK_EVENT_CONTROLLER_SCROLL_BOTH_AXES);
  g_signal_connect (controller, "scroll", G_CALLBACK (scroll_cb), self);
  add_controller (self, widget, controller);

  tandem_idle_monitor_input (self);
  return self;
}

gboolean
tandem_idle_monitor_get_idle (TandemIdleMonitor *self)
{
  g_return_val_if_fail (TANDEM_IS_IDLE_MONITOR (self), FALSE);
  return self->idle;
}

guint
tandem_idle_monitor_get_delay (TandemIdleMonitor *self)
{
  g_return_val_if_fail (TANDEM_IS_IDLE_MONITOR (self), 0);
  return self->delay;
}

void
tandem_idle_monitor_set_delay (TandemIdleMonitor *self,
                               guint              delay)
{
  g_return_if_fail (TANDEM_IS_IDLE_MONITOR (self));

  delay = MAX (delay, 1);
  if (self->delay == delay)
    return;
  self->delay = delay;
  if (!self->idle)
    {
      g_clear_handle_id (&self->timeout_id, g_source_remove);
      check (self);
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DELAY]);
}
