/* tandem-clock.c: the real clock and the manual one
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "tandem-clock-private.h"

G_DEFINE_TYPE (TandemClock, tandem_clock, G_TYPE_OBJECT)

gint64
tandem_clock_get_monotonic_time (TandemClock *self)
{
  return TANDEM_CLOCK_GET_CLASS (self)->get_monotonic_time (self);
}

gint64
tandem_clock_get_real_time (TandemClock *self)
{
  return TANDEM_CLOCK_GET_CLASS (self)->get_real_time (self);
}

guint
tandem_clock_add_timeout (TandemClock    *self,
                          guint           interval_ms,
                          GSourceFunc     func,
                          gpointer        data,
                          GDestroyNotify  notify)
{
  g_return_val_if_fail (func != NULL, 0);
  return TANDEM_CLOCK_GET_CLASS (self)->add_timeout (self, interval_ms, func, data, notify);
}

typedef struct
{
  GSourceOnceFunc func;
  gpointer        data;
} OnceData;

static gboolean
once_cb (gpointer user_data)
{
  OnceData *once = user_data;

  once->func (once->data);
  return G_SOURCE_REMOVE;
}

guint
tandem_clock_add_timeout_once (TandemClock     *self,
                               guint            interval_ms,
                               GSourceOnceFunc  func,
                               gpointer         data)
{
  OnceData *once = g_new (OnceData, 1);

  once->func = func;
  once->data = data;
  return tandem_clock_add_timeout (self, interval_ms, once_cb, once, g_free);
}

void
tandem_clock_remove_timeout (TandemClock *self,
                             guint        id)
{
  if (id != 0)
    TANDEM_CLOCK_GET_CLASS (self)->remove_timeout (self, id);
}

double
tandem_clock_random_double (TandemClock *self)
{
  return TANDEM_CLOCK_GET_CLASS (self)->random_double (self);
}

/* ---- the real clock: GLib's time and the thread-default main context ---- */

/* Sources are attached to the context that was thread-default when they were
 * added, so they are kept by id here (g_source_remove only knows the global
 * default context). */
static GHashTable *real_sources; /* id -> GSource (owned) */
G_LOCK_DEFINE_STATIC (real_sources);

static gint64
real_get_monotonic_time (TandemClock *self)
{
  return g_get_monotonic_time ();
}

static gint64
real_get_real_time (TandemClock *self)
{
  return g_get_real_time ();
}

typedef struct
{
  GSourceFunc    func;
  gpointer       data;
  GDestroyNotify notify;
  guint          id;
} RealTimeout;

static gboolean
real_dispatch (gpointer user_data)
{
  RealTimeout *timeout = user_data;

  return timeout->func (timeout->data);
}

static void
real_timeout_free (gpointer user_data)
{
  RealTimeout *timeout = user_data;

  G_LOCK (real_sources);
  if (real_sources != NULL)
    g_hash_table_remove (real_sources, GUINT_TO_POINTER (timeout->id));
  G_UNLOCK (real_sources);
  if (timeout->notify != NULL)
    timeout->notify (timeout->data);
  g_free (timeout);
}

static guint
real_add_timeout (TandemClock    *self,
                  guint           interval_ms,
                  GSourceFunc     func,
                  gpointer        data,
                  GDestroyNotify  notify)
{
  GSource *source = g_timeout_source_new (interval_ms);
  RealTimeout *timeout = g_new0 (RealTimeout, 1);
  guint id;

  timeout->func = func;
  timeout->data = data;
  timeout->notify = notify;
  g_source_set_callback (source, real_dispatch, timeout, real_timeout_free);
  g_source_set_static_name (source, "[tandem] timeout");
  G_LOCK (real_sources);
  id = g_source_attach (source, g_main_context_get_thread_default ());
  timeout->id = id;
  g_hash_table_insert (real_sources, GUINT_TO_POINTER (id), source);
  G_UNLOCK (real_sources);
  return id;
}

static void
real_remove_timeout (TandemClock *self,
                     guint        id)
{
  GSource *source;

  G_LOCK (real_sources);
  source = g_hash_table_lookup (real_sources, GUINT_TO_POINTER (id));
  if (source != NULL)
    g_source_ref (source);
  G_UNLOCK (real_sources);
  if (source != NULL)
    {
      g_source_destroy (source);
      g_source_unref (source);
    }
}

static double
real_random_double (TandemClock *self)
{
  return g_random_double ();
}

static void
tandem_clock_class_init (TandemClockClass *klass)
{
  klass->get_monotonic_time = real_get_monotonic_time;
  klass->get_real_time = real_get_real_time;
  klass->add_timeout = real_add_timeout;
  klass->remove_timeout = real_remove_timeout;
  klass->random_double = real_random_double;
}

static void
tandem_clock_init (TandemClock *self)
{
}

TandemClock *
tandem_clock_get_default (void)
{
  static TandemClock *clock;

  if (g_once_init_enter (&clock))
    {
      G_LOCK (real_sources);
      real_sources = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) g_source_unref);
      G_UNLOCK (real_sources);
      g_once_init_leave (&clock, g_object_new (TANDEM_TYPE_CLOCK, NULL));
    }
  return clock;
}

/* ---- the manual clock ------------------------------------------------------ */

#define TANDEM_TYPE_MANUAL_CLOCK (tandem_manual_clock_get_type ())
G_DECLARE_FINAL_TYPE (TandemManualClock, tandem_manual_clock, TANDEM, MANUAL_CLOCK, TandemClock)

typedef struct
{
  guint          id;
  gint64         deadline;  /* µs, monotonic */
  guint          interval_ms;
  guint64        seq;       /* ties run in the order they were added */
  GSourceFunc    func;
  gpointer       data;
  GDestroyNotify notify;
  gboolean       removed;
} ManualTimeout;

struct _TandemManualClock
{
  TandemClock  parent_instance;
  gint64       now;          /* µs */
  gint64       real_offset;  /* real = now + real_offset */
  GPtrArray   *timeouts;     /* ManualTimeout */
  ManualTimeout *running;    /* out of the list while its callback runs */
  guint        next_id;
  guint64      next_seq;
  double       random_value;
  GQueue       randoms;      /* double * */
};

G_DEFINE_FINAL_TYPE (TandemManualClock, tandem_manual_clock, TANDEM_TYPE_CLOCK)

static void
manual_timeout_free (ManualTimeout *timeout)
{
  if (timeout->notify != NULL)
    timeout->notify (timeout->data);
  g_free (timeout);
}

static gint64
manual_get_monotonic_time (TandemClock *clock)
{
  return TANDEM_MANUAL_CLOCK (clock)->now;
}

static gint64
manual_get_real_time (TandemClock *clock)
{
  TandemManualClock *self = TANDEM_MANUAL_CLOCK (clock);

  return self->now + self->real_offset;
}

static guint
manual_add_timeout (TandemClock    *clock,
                    guint           interval_ms,
                    GSourceFunc     func,
                    gpointer        data,
                    GDestroyNotify  notify)
{
  TandemManualClock *self = TANDEM_MANUAL_CLOCK (clock);
  ManualTimeout *timeout = g_new0 (ManualTimeout, 1);

  timeout->id = ++self->next_id;
  timeout->deadline = self->now + (gint64) interval_ms * 1000;
  timeout->interval_ms = interval_ms;
  timeout->seq = self->next_seq++;
  timeout->func = func;
  timeout->data = data;
  timeout->notify = notify;
  g_ptr_array_add (self->timeouts, timeout);
  return timeout->id;
}

static void
manual_remove_timeout (TandemClock *clock,
                       guint        id)
{
  TandemManualClock *self = TANDEM_MANUAL_CLOCK (clock);

  if (self->running != NULL && self->running->id == id)
    {
      self->running->removed = TRUE;
      return;
    }
  for (guint i = 0; i < self->timeouts->len; i++)
    {
      ManualTimeout *timeout = self->timeouts->pdata[i];

      if (timeout->id == id && !timeout->removed)
        {
          timeout->removed = TRUE;
          g_ptr_array_steal_index (self->timeouts, i);
          manual_timeout_free (timeout);
          return;
        }
    }
}

static double
manual_random_double (TandemClock *clock)
{
  TandemManualClock *self = TANDEM_MANUAL_CLOCK (clock);
  double *next = g_queue_pop_head (&self->randoms);
  double value;

  if (next == NULL)
    return self->random_value;
  value = *next;
  g_free (next);
  return value;
}

/* The earliest pending timeout, or NULL. */
static ManualTimeout *
manual_next (TandemManualClock *self)
{
  ManualTimeout *best = NULL;

  for (guint i = 0; i < self->timeouts->len; i++)
    {
      ManualTimeout *timeout = self->timeouts->pdata[i];

      if (best == NULL || timeout->deadline < best->deadline ||
          (timeout->deadline == best->deadline && timeout->seq < best->seq))
        best = timeout;
    }
  return best;
}

/* Runs every timeout due at or before @until, moving time to each deadline
 * in turn, then sets time to @until. */
static void
manual_run_until (TandemManualClock *self,
                  gint64             until)
{
  ManualTimeout *timeout;

  g_object_ref (self);
  while ((timeout = manual_next (self)) != NULL && timeout->deadline <= until)
    {
      gboolean again;
      guint index = 0;

      if (timeout->deadline > self->now)
        self->now = timeout->deadline;
      /* Out of the list while it runs, so it may remove itself safely. */
      g_ptr_array_find (self->timeouts, timeout, &index);
      g_ptr_array_steal_index (self->timeouts, index);
      self->running = timeout;
      again = timeout->func (timeout->data);
      self->running = NULL;
      if (again && !timeout->removed)
        {
          timeout->deadline = self->now + (gint64) timeout->interval_ms * 1000;
          timeout->seq = self->next_seq++;
          g_ptr_array_add (self->timeouts, timeout);
        }
      else
        manual_timeout_free (timeout);
    }
  if (until > self->now)
    self->now = until;
  g_object_unref (self);
}

static void
tandem_manual_clock_finalize (GObject *object)
{
  TandemManualClock *self = TANDEM_MANUAL_CLOCK (object);

  g_ptr_array_free (self->timeouts, TRUE);
  g_queue_clear_full (&self->randoms, g_free);
  G_OBJECT_CLASS (tandem_manual_clock_parent_class)->finalize (object);
}

static void
tandem_manual_clock_class_init (TandemManualClockClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  TandemClockClass *clock_class = TANDEM_CLOCK_CLASS (klass);

  object_class->finalize = tandem_manual_clock_finalize;
  clock_class->get_monotonic_time = manual_get_monotonic_time;
  clock_class->get_real_time = manual_get_real_time;
  clock_class->add_timeout = manual_add_timeout;
  clock_class->remove_timeout = manual_remove_timeout;
  clock_class->random_double = manual_random_double;
}

static void
tandem_manual_clock_init (TandemManualClock *self)
{
  self->timeouts = g_ptr_array_new_with_free_func ((GDestroyNotify) manual_timeout_free);
  self->random_value = 0.5;
  self->now = 1000 * G_USEC_PER_SEC; /* not zero, so "0 = never" bugs show */
}

TandemClock *
tandem_manual_clock_new (gint64 start_real_time_us)
{
  TandemManualClock *self = g_object_new (TANDEM_TYPE_MANUAL_CLOCK, NULL);

  self->real_offset = start_real_time_us - self->now;
  return TANDEM_CLOCK (self);
}

void
tandem_manual_clock_advance (TandemClock *clock,
                             guint        ms)
{
  TandemManualClock *self = TANDEM_MANUAL_CLOCK (clock);

  manual_run_until (self, self->now + (gint64) ms * 1000);
}

gint64
tandem_manual_clock_get_next_delay (TandemClock *clock)
{
  TandemManualClock *self = TANDEM_MANUAL_CLOCK (clock);
  ManualTimeout *next = manual_next (self);

  if (next == NULL)
    return -1;
  return MAX (0, next->deadline - self->now) / 1000;
}

gint64
tandem_manual_clock_advance_to_next (TandemClock *clock)
{
  TandemManualClock *self = TANDEM_MANUAL_CLOCK (clock);
  ManualTimeout *next = manual_next (self);
  gint64 start = self->now;

  if (next == NULL)
    return -1;
  manual_run_until (self, MAX (next->deadline, self->now));
  return (self->now - start) / 1000;
}

guint
tandem_manual_clock_get_n_timeouts (TandemClock *clock)
{
  return TANDEM_MANUAL_CLOCK (clock)->timeouts->len;
}

void
tandem_manual_clock_set_random (TandemClock *clock,
                                double       value)
{
  g_return_if_fail (value >= 0 && value < 1);
  TANDEM_MANUAL_CLOCK (clock)->random_value = value;
}

void
tandem_manual_clock_push_random (TandemClock *clock,
                                 double       value)
{
  double *copy = g_new (double, 1);

  g_return_if_fail (value >= 0 && value < 1);
  *copy = value;
  g_queue_push_tail (&TANDEM_MANUAL_CLOCK (clock)->randoms, copy);
}
