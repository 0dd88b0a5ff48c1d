/* tandem-auth-limiter.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tandem-auth"

#include "config.h"

#include "tandem-auth-limiter.h"

struct _TandemAuthLimiter
{
  guint       limit;
  gint64      window_us;
  GHashTable *attempts;   /* key → GArray of gint64 times, oldest first */
  gint64      last_sweep;
};

static void
array_free (gpointer data)
{
  g_array_unref (data);
}

TandemAuthLimiter *
tandem_auth_limiter_new (guint limit,
                         guint window_s)
{
  TandemAuthLimiter *self = g_new0 (TandemAuthLimiter, 1);

  self->limit = limit;
  self->window_us = (gint64) window_s * G_USEC_PER_SEC;
  self->attempts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, array_free);
  self->last_sweep = G_MININT64;
  return self;
}

void
tandem_auth_limiter_free (TandemAuthLimiter *self)
{
  if (self == NULL)
    return;
  g_hash_table_unref (self->attempts);
  g_free (self);
}

/* Drops the times at or before @horizon; TRUE when none is left. */
static gboolean
expire (GArray *times,
        gint64  horizon)
{
  guint n = 0;

  while (n < times->len && g_array_index (times, gint64, n) <= horizon)
    n++;
  if (n > 0)
    g_array_remove_range (times, 0, n);
  return times->len == 0;
}

static gboolean
sweep_cb (gpointer key,
          gpointer value,
          gpointer user_data)
{
  return expire (value, *(gint64 *) user_data);
}

gboolean
tandem_auth_limiter_try (TandemAuthLimiter *self,
                         const char        *key,
                         gint64             now_us)
{
  gint64 horizon = now_us - self->window_us;
  GArray *times;

  g_return_val_if_fail (key != NULL, FALSE);

  /* Forget quiet addresses now and then, so the table stays small. */
  if (self->last_sweep == G_MININT64 || now_us - self->last_sweep >= self->window_us)
    {
      g_hash_table_foreach_remove (self->attempts, sweep_cb, &horizon);
      self->last_sweep = now_us;
    }

  times = g_hash_table_lookup (self->attempts, key);
  if (times == NULL)
    {
      times = g_array_new (FALSE, FALSE, sizeof (gint64));
      g_hash_table_insert (self->attempts, g_strdup (key), times);
    }
  expire (times, horizon);
  if (times->len >= self->limit)
    return FALSE;
  g_array_append_val (times, now_us);
  return TRUE;
}

guint
tandem_auth_limiter_get_n_keys (TandemAuthLimiter *self)
{
  return g_hash_table_size (self->attempts);
}
