/* tandem-clock-private.h: time, timers and randomness, injectable for tests
 *
 * Everything in libtandem that waits (heartbeats, push timeouts, reconnection
 * back-off, token refresh, batching, rate limits, pruning) asks a TandemClock
 * rather than GLib directly, so tests can replace it with a manual clock and
 * check schedules exactly, without sleeping. The default clock uses the
 * thread-default main context and GLib's random numbers.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define TANDEM_TYPE_CLOCK (tandem_clock_get_type ())
G_DECLARE_DERIVABLE_TYPE (TandemClock, tandem_clock, TANDEM, CLOCK, GObject)

struct _TandemClockClass
{
  GObjectClass parent_class;

  /* Microseconds, monotonic. */
  gint64 (*get_monotonic_time) (TandemClock    *self);
  /* Microseconds since the Unix epoch (token expiry). */
  gint64 (*get_real_time)      (TandemClock    *self);
  /* Calls @func after @interval_ms, again every @interval_ms while it
   * returns G_SOURCE_CONTINUE; @notify runs when the timeout is gone. Returns
   * an id > 0. */
  guint  (*add_timeout)        (TandemClock    *self,
                                guint           interval_ms,
                                GSourceFunc     func,
                                gpointer        data,
                                GDestroyNotify  notify);
  /* Removes a pending timeout (an id that already fired or was removed is
   * ignored). */
  void   (*remove_timeout)     (TandemClock    *self,
                                guint           id);
  /* A uniformly distributed number in [0, 1) (back-off jitter). */
  double (*random_double)      (TandemClock    *self);
};

/* The real clock (shared, transfer none). */
TandemClock *tandem_clock_get_default        (void);

gint64       tandem_clock_get_monotonic_time (TandemClock    *self);
gint64       tandem_clock_get_real_time      (TandemClock    *self);
guint        tandem_clock_add_timeout        (TandemClock    *self,
                                              guint           interval_ms,
                                              GSourceFunc     func,
                                              gpointer        data,
                                              GDestroyNotify  notify);
/* One-shot convenience: @func is called once. */
guint        tandem_clock_add_timeout_once   (TandemClock    *self,
                                              guint           interval_ms,
                                              GSourceOnceFunc func,
                                              gpointer        data);
void         tandem_clock_remove_timeout     (TandemClock    *self,
                                              guint           id);
double       tandem_clock_random_double      (TandemClock    *self);

/* Clears the timeout id in *@id (if any) and sets it to 0. */
static inline void
tandem_clock_clear_timeout (TandemClock *self,
                            guint       *id)
{
  if (*id != 0)
    {
      tandem_clock_remove_timeout (self, *id);
      *id = 0;
    }
}

/* ---- The manual clock, for tests ------------------------------------------
 *
 * Time stands still until tandem_manual_clock_advance(), which moves it
 * forward and runs every timeout that falls due, in deadline order (a
 * timeout added by a callback runs in the same advance if it falls due in
 * it). random_double returns the values given to
 * tandem_manual_clock_push_random() in order, then the fixed value (0.5 by
 * default). */
TandemClock *tandem_manual_clock_new                (gint64       start_real_time_us);
void         tandem_manual_clock_advance            (TandemClock *clock,
                                                     guint        ms);
/* Advances exactly to the next deadline and runs what is due there; returns
 * the milliseconds advanced, or -1 when nothing is scheduled. */
gint64       tandem_manual_clock_advance_to_next    (TandemClock *clock);
/* Milliseconds until the next deadline, or -1. */
gint64       tandem_manual_clock_get_next_delay     (TandemClock *clock);
guint        tandem_manual_clock_get_n_timeouts     (TandemClock *clock);
void         tandem_manual_clock_set_random         (TandemClock *clock,
                                                     double       value);
void         tandem_manual_clock_push_random        (TandemClock *clock,
                                                     double       value);

G_END_DECLS
