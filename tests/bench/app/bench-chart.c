/* bench-chart.c: the frame cost of a line chart fed live
 *
 *   bench-chart [--frames N] [--warmup N] [--peer-frames N] [--width W]
 *               [--height H] [--png-dir DIR] [--no-pace] [--only POINTS]
 *               [--no-peer] [--scale N] [--samples FILE]
 *
 * For each case, three series each hold POINTS points in their buffer (a
 * rolling window of POINTS, one point every 1/60 s, values a noisy random
 * walk: every pixel column spans a few values, the worst case for the
 * drawing); the chart shows all of it, at W × H (800 × 300) in a window.
 * Then it is fed at 60 updates a second: each update appends one point to
 * each series, and the frame that follows is measured in two parts:
 *
 *   build:  the chart's snapshot into a GtkSnapshot, by the path GTK's
 *           frame takes (gtk_widget_snapshot_child() from the window, so
 *           the layers whose data changed are redrawn and the pointer
 *           layer's cached node is reused), up to gtk_snapshot_free_to_node()
 *   render: that node rendered offscreen by GSK's cairo renderer (the
 *           software renderer) into a W × H texture
 *
 * in wall-clock time and in the thread's CPU time, with how much CPU the
 * rest of the machine used meanwhile (/proc/stat, steal included).
 *
 * Cases: TandemLineChart at 10,000 and 1,000,000 points per series, and
 * the peer: the same chart (same grid layer, same frame, same stroke) but
 * with a lines layer that strokes every point instead of one min/max
 * column per pixel, at 10,000 points; it takes the same updates but draws
 * only the last N (--peer-frames) of them. The two images of the same
 * data are compared pixel by pixel. The floor: what the renderer takes for
 * a texture of the background alone. The machine's noise: the p50 and p99
 * of a fixed piece of work (arithmetic and a memset) paced the same way,
 * for what the machine itself adds to any p99.
 *
 * Prints Markdown tables: median and p99 of build, render and their sum
 * per frame, the goal (p99 of the sum under 4 ms at 10,000 points, 8 ms
 * at 1,000,000) and whether it is met; then a line "summary:
 * other_cpu_percent=… goals_met=…" for run.sh. With --png-dir, the last
 * frame of each case is saved there as line-POINTS.png and
 * every-point-POINTS.png.
 *
 * Needs a display (run.sh uses xvfb-run) and GSK_RENDERER=cairo for the
 * window. Bounded: a fixed number of frames, each paced to 1/60 s (or not,
 * with --no-pace).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "tandem-charts.h"
#include "tandem-chart-frame-private.h"

#define N_SERIES     3
#define FRAME_USEC   (G_USEC_PER_SEC / 60)
#define MAX_FRAMES   60000
#define PEER_WARMUP  10
#define LINE_WIDTH   2.0
/* 2026-03-03 10:00:00 UTC */
#define T_START      ((gint64) 1772532000 * G_USEC_PER_SEC)

/* ---- the peer: every point drawn ---- */

#define BENCH_TYPE_NAIVE_CHART (bench_naive_chart_get_type ())
G_DECLARE_FINAL_TYPE (BenchNaiveChart, bench_naive_chart, BENCH, NAIVE_CHART, TandemChart)

struct _BenchNaiveChart
{
  TandemChart        parent_instance;

  TandemChartLabels  labels;
  TandemChartFrame   frame;
};

G_DEFINE_FINAL_TYPE (BenchNaiveChart, bench_naive_chart, TANDEM_TYPE_CHART)

static void
naive_draw_grid (GtkWidget   *widget,
                 GtkSnapshot *snapshot,
                 int          width,
                 int          height)
{
  BenchNaiveChart *self = BENCH_NAIVE_CHART (widget);

  _tandem_chart_frame_compute (&self->frame, TANDEM_CHART (self), &self->labels,
                               width, height, 0, FALSE);
  if (self->frame.has_data)
    _tandem_chart_frame_snapshot_grid (&self->frame, TANDEM_CHART (self), &self->labels, snapshot);
}

/* What TandemLineChart's lines layer does, minus the decimation: one
 * vertex per point in the time range. */
static void
naive_draw_lines (GtkWidget   *widget,
                  GtkSnapshot *snapshot,
                  int          width,
                  int          height)
{
  BenchNaiveChart *self = BENCH_NAIVE_CHART (widget);
  TandemChart *chart = TANDEM_CHART (self);
  const TandemChartFrame *frame = &self->frame;
  const graphene_rect_t *p = &frame->plot;
  cairo_t *cr;

  if (!frame->has_data || frame->width != width || frame->height != height)
    return;
  cr = gtk_snapshot_append_cairo (snapshot,
                                  &GRAPHENE_RECT_INIT (p->origin.x - LINE_WIDTH, p->origin.y - LINE_WIDTH,
                                                       p->size.width + 2 * LINE_WIDTH,
                                                       p->size.height + 2 * LINE_WIDTH));
  cairo_set_line_width (cr, LINE_WIDTH);
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
  cairo_set_line_cap (cr, CAIRO_LINE_CAP_ROUND);
  for (guint i = 0; i < tandem_chart_get_n_series (chart); i++)
    {
      TandemSeries *s = tandem_chart_get_shown_series (chart, i);
      const gint64 *times = tandem_series_get_times (s);
      const double *values = tandem_series_get_values (s);
      guint a = tandem_series_lower_bound (s, frame->t0);
      guint b = tandem_series_lower_bound (s, frame->t1 + 1);
      GdkRGBA color;

      for (guint k = a; k < b; k++)
        {
          double x = _tandem_chart_frame_x (frame, times[k]);
          double y = _tandem_chart_frame_y (frame, values[k]);

          if (k == a)
            cairo_move_to (cr, x, y);
          else
            cairo_line_to (cr, x, y);
        }
      tandem_chart_get_series_color (chart, i, &color);
      gdk_cairo_set_source_rgba (cr, &color);
      cairo_stroke (cr);
    }
  cairo_destroy (cr);
}

static void
bench_naive_chart_finalize (GObject *object)
{
  BenchNaiveChart *self = BENCH_NAIVE_CHART (object);

  _tandem_chart_labels_clear (&self->labels);
  G_OBJECT_CLASS (bench_naive_chart_parent_class)->finalize (object);
}

static void
bench_naive_chart_class_init (BenchNaiveChartClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = bench_naive_chart_finalize;
  gtk_widget_class_set_css_name (GTK_WIDGET_CLASS (klass), "linechart");
}

static void
bench_naive_chart_init (BenchNaiveChart *self)
{
  _tandem_chart_labels_init (&self->labels);
  tandem_chart_add_layer (TANDEM_CHART (self), tandem_chart_layer_new (naive_draw_grid, TRUE));
  tandem_chart_add_layer (TANDEM_CHART (self), tandem_chart_layer_new (naive_draw_lines, TRUE));
}

/* ---- measuring ---- */

typedef struct
{
  const char *chart;
  guint       n_points;    /* per series */
  gboolean    naive;
  double      goal_ms;     /* p99 of build + render; 0: none */
} Case;

/* Wall-clock time, and the CPU time of the thread: what the frame costs
 * without the waits while another process has the core. */
enum { WALL, CPU, N_CLOCKS };
static const clockid_t clock_ids[N_CLOCKS] = { CLOCK_MONOTONIC, CLOCK_THREAD_CPUTIME_ID };

enum { UPDATE, BUILD, RENDER, TOTAL, N_PARTS };

typedef struct
{
  double p50[N_PARTS];
  double p99[N_PARTS];
} Stats;

typedef struct
{
  Stats       stats[N_CLOCKS];
  int         width, height;
  double      other_cpu;    /* % of one core the rest of the machine used */
  GdkTexture *last;
} Result;

static int   opt_frames = 600;
static int   opt_warmup = 60;
static int   opt_peer_frames = 120;
static int   opt_width = 800;
static int   opt_height = 300;
static char *opt_png_dir = NULL;
static gboolean opt_no_pace = FALSE;
static int   opt_only = 0;
static gboolean opt_no_peer = FALSE;
static char *opt_samples = NULL;
static int   opt_scale = 1;

static void
now_ms (double t[N_CLOCKS])
{
  for (guint c = 0; c < N_CLOCKS; c++)
    {
      struct timespec ts;

      clock_gettime (clock_ids[c], &ts);
      t[c] = ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
    }
}

static int
cmp_double (gconstpointer a,
            gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

/* Nearest rank: the smallest sample with at least @q of them at or below. */
static double
quantile (double *samples,
          guint   n,
          double  q)
{
  guint rank;

  qsort (samples, n, sizeof (double), cmp_double);
  rank = (guint) ceil (q * n);
  return samples[CLAMP (rank, 1, n) - 1];
}

/* samples[clock][part][frame] */
typedef struct
{
  guint   n;
  double *samples[N_CLOCKS][N_PARTS];
} Samples;

static void
samples_init (Samples *s,
              guint    n)
{
  s->n = n;
  for (guint c = 0; c < N_CLOCKS; c++)
    for (guint p = 0; p < N_PARTS; p++)
      s->samples[c][p] = g_new0 (double, n);
}

static void
samples_finish (Samples *s,
                Stats    stats[N_CLOCKS])
{
  for (guint c = 0; c < N_CLOCKS; c++)
    for (guint p = 0; p < N_PARTS; p++)
      {
        stats[c].p50[p] = quantile (s->samples[c][p], s->n, 0.5);
        stats[c].p99[p] = quantile (s->samples[c][p], s->n, 0.99);
        g_free (s->samples[c][p]);
      }
}

/* case,points,frame,clock,update_ms,build_ms,render_ms */
static void
samples_write (const Samples *s,
               const Case    *c)
{
  FILE *out = fopen (opt_samples, "a");

  if (out == NULL)
    {
      g_printerr ("bench-chart: cannot write %s\n", opt_samples);
      return;
    }
  for (guint cl = 0; cl < N_CLOCKS; cl++)
    for (guint f = 0; f < s->n; f++)
      fprintf (out, "%s,%u,%u,%s,%.4f,%.4f,%.4f\n", c->naive ? "every-point" : "line", c->n_points, f,
               cl == WALL ? "wall" : "cpu", s->samples[cl][UPDATE][f], s->samples[cl][BUILD][f],
               s->samples[cl][RENDER][f]);
  fclose (out);
}

/* The CPU the rest of the machine uses while we measure: all CPUs' busy
 * time from /proc/stat minus our own. */
typedef struct
{
  double busy;      /* seconds, every CPU */
  double own;       /* seconds, this process */
  double wall;
} Load;

static void
load_sample (Load *l)
{
  g_autofree char *stat = NULL;
  struct rusage ru;
  struct timespec ts;

  l->busy = 0;
  if (g_file_get_contents ("/proc/stat", &stat, NULL, NULL) && g_str_has_prefix (stat, "cpu "))
    {
      guint64 v[8] = { 0 };

      /* user nice system idle iowait irq softirq steal */
      if (sscanf (stat + 4, "%" G_GUINT64_FORMAT " %" G_GUINT64_FORMAT " %" G_GUINT64_FORMAT
                  " %" G_GUINT64_FORMAT " %" G_GUINT64_FORMAT " %" G_GUINT64_FORMAT
                  " %" G_GUINT64_FORMAT " %" G_GUINT64_FORMAT,
                  &v[0], &v[1], &v[2], &v[3], &v[4], &v[5], &v[6], &v[7]) == 8)
        l->busy = (double) (v[0] + v[1] + v[2] + v[5] + v[6] + v[7]) / sysconf (_SC_CLK_TCK);
    }
  getrusage (RUSAGE_SELF, &ru);
  l->own = ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 + ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
  clock_gettime (CLOCK_MONOTONIC, &ts);
  l->wall = ts.tv_sec + ts.tv_nsec / 1e9;
}

static double
load_other_percent (const Load *before,
                    const Load *after)
{
  double wall = after->wall - before->wall;

  if (wall <= 0 || after->busy == 0)
    return 0;
  return MAX (0, 100 * ((after->busy - before->busy) - (after->own - before->own)) / wall);
}

typedef struct
{
  GRand  *rand;
  double  level;
} Walk;

/* A random walk pulled back towards 50, with noise: every pixel column
 * holds a real spread of values. */
static double
walk_next (Walk *w)
{
  w->level += g_rand_double_range (w->rand, -1.0, 1.0) + (50.0 - w->level) * 0.001;
  return w->level + g_rand_double_range (w->rand, -3.0, 3.0);
}

static void
wait_until_drawn (GtkWidget *widget)
{
  GdkFrameClock *clock;
  gint64 start, deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  while ((!gtk_widget_get_mapped (widget) || gtk_widget_get_width (widget) == 0) &&
         g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  if (!gtk_widget_get_mapped (widget))
    g_error ("the chart's window was not shown within 10 s (no display?)");
  clock = gtk_widget_get_frame_clock (widget);
  start = gdk_frame_clock_get_frame_counter (clock);
  while (gdk_frame_clock_get_frame_counter (clock) < start + 2 && g_get_monotonic_time () < deadline)
    {
      gtk_widget_queue_draw (widget);
      g_main_context_iteration (NULL, TRUE);
    }
}

/* Waits for the next 1/60 s tick. */
static void
pace (gint64 *next_frame)
{
  gint64 wait;

  if (opt_no_pace)
    return;
  wait = *next_frame - g_get_monotonic_time ();
  if (wait > 0)
    g_usleep ((gulong) wait);
  *next_frame += FRAME_USEC;
}

static void
run_case (const Case  *c,
          GskRenderer *renderer,
          Result      *r)
{
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
  TandemSeries *series[N_SERIES];
  Walk walks[N_SERIES];
  GtkWidget *chart, *window;
  GdkRGBA background;
  guint n_total = (guint) (opt_warmup + opt_frames);
  guint n_frames, warmup, first_drawn;
  gint64 t = T_START;
  gint64 next_frame;
  Samples samples;
  Load load_before, load_after;

  chart = c->naive ? g_object_new (BENCH_TYPE_NAIVE_CHART, NULL) : tandem_line_chart_new ();
  tandem_chart_set_style (TANDEM_CHART (chart), 0);
  tandem_chart_set_time_zone (TANDEM_CHART (chart), utc);
  tandem_chart_set_title (TANDEM_CHART (chart), "Bench");
  tandem_chart_style_get_background (FALSE, &background);

  /* The same data for every chart of a size. */
  for (guint i = 0; i < N_SERIES; i++)
    {
      g_autofree char *label = g_strdup_printf ("series %u", i + 1);

      walks[i].rand = g_rand_new_with_seed (1234 + i);
      walks[i].level = 50.0 - 10.0 * i;
      series[i] = tandem_series_new (label);
      tandem_series_set_max_points (series[i], c->n_points);
      tandem_series_freeze_changed (series[i]);
      for (guint k = 0; k < c->n_points; k++)
        tandem_series_add (series[i], t + (gint64) k * FRAME_USEC, walk_next (&walks[i]));
      tandem_series_thaw_changed (series[i]);
      tandem_chart_add_series (TANDEM_CHART (chart), series[i]);
    }
  t += (gint64) c->n_points * FRAME_USEC;

  window = gtk_window_new ();
  gtk_window_set_decorated (GTK_WINDOW (window), FALSE);
  gtk_window_set_default_size (GTK_WINDOW (window), opt_width, opt_height);
  gtk_window_set_child (GTK_WINDOW (window), chart);
  gtk_window_present (GTK_WINDOW (window));
  wait_until_drawn (chart);
  r->width = gtk_widget_get_width (chart);
  r->height = gtk_widget_get_height (chart);

  /* From here on the main loop does not run: GTK's own frames would draw
   * the chart and leave nothing to measure. */
  /* The peer, some hundred times slower, draws only the last of the
   * updates (the same data in the end, for the comparison of images). */
  n_frames = c->naive ? MIN (opt_frames, opt_peer_frames) : opt_frames;
  warmup = c->naive ? MIN (opt_warmup, PEER_WARMUP) : opt_warmup;
  first_drawn = n_total - (n_frames + warmup);
  for (guint f = 0; f < first_drawn; f++)
    {
      for (guint i = 0; i < N_SERIES; i++)
        tandem_series_add (series[i], t, walk_next (&walks[i]));
      t += FRAME_USEC;
    }

  samples_init (&samples, n_frames);
  next_frame = g_get_monotonic_time ();
  load_sample (&load_before);
  for (guint f = first_drawn; f < n_total; f++)
    {
      g_autoptr(GskRenderNode) node = NULL;
      g_autoptr(GdkTexture) texture = NULL;
      GtkSnapshot *snapshot;
      double t_start[N_CLOCKS], t_updated[N_CLOCKS], t_built[N_CLOCKS], t_rendered[N_CLOCKS];

      pace (&next_frame);

      now_ms (t_start);
      for (guint i = 0; i < N_SERIES; i++)
        tandem_series_add (series[i], t, walk_next (&walks[i]));
      t += FRAME_USEC;
      now_ms (t_updated);

      snapshot = gtk_snapshot_new ();
      gtk_snapshot_append_color (snapshot, &background,
                                 &GRAPHENE_RECT_INIT (0, 0, r->width, r->height));
      gtk_widget_snapshot_child (window, chart, snapshot);
      node = gtk_snapshot_free_to_node (snapshot);
      now_ms (t_built);

      if (opt_scale > 1)
        {
          GskRenderNode *scaled = gsk_transform_node_new (node, gsk_transform_scale (NULL, opt_scale, opt_scale));

          gsk_render_node_unref (node);
          node = scaled;
        }
      texture = gsk_renderer_render_texture (renderer, node,
                                             &GRAPHENE_RECT_INIT (0, 0, r->width * opt_scale,
                                                                  r->height * opt_scale));
      now_ms (t_rendered);

      if (f >= first_drawn + warmup)
        for (guint k = f - first_drawn - warmup, cl = 0; cl < N_CLOCKS; cl++)
          {
            samples.samples[cl][UPDATE][k] = t_updated[cl] - t_start[cl];
            samples.samples[cl][BUILD][k] = t_built[cl] - t_updated[cl];
            samples.samples[cl][RENDER][k] = t_rendered[cl] - t_built[cl];
            samples.samples[cl][TOTAL][k] = t_rendered[cl] - t_updated[cl];
          }
      if (f + 1 == n_total)
        r->last = g_steal_pointer (&texture);
    }
  load_sample (&load_after);
  r->other_cpu = load_other_percent (&load_before, &load_after);
  if (opt_samples != NULL)
    samples_write (&samples, c);
  samples_finish (&samples, r->stats);

  gtk_window_destroy (GTK_WINDOW (window));
  while (g_main_context_iteration (NULL, FALSE))
    ;
  for (guint i = 0; i < N_SERIES; i++)
    {
      g_object_unref (series[i]);
      g_rand_free (walks[i].rand);
    }
}

/* What any frame costs the renderer: a texture of the background only. */
static void
measure_floor (GskRenderer *renderer,
               Stats        stats[N_CLOCKS])
{
  GdkRGBA background;
  g_autoptr(GskRenderNode) node = NULL;
  gint64 next_frame = g_get_monotonic_time ();
  Samples samples;

  tandem_chart_style_get_background (FALSE, &background);
  node = gsk_color_node_new (&background, &GRAPHENE_RECT_INIT (0, 0, opt_width, opt_height));
  samples_init (&samples, (guint) opt_frames);
  for (int f = 0; f < opt_warmup + opt_frames; f++)
    {
      g_autoptr(GdkTexture) texture = NULL;
      double t0[N_CLOCKS], t1[N_CLOCKS];

      pace (&next_frame);
      now_ms (t0);
      texture = gsk_renderer_render_texture (renderer, node, &GRAPHENE_RECT_INIT (0, 0, opt_width, opt_height));
      now_ms (t1);
      if (f >= opt_warmup)
        for (guint cl = 0; cl < N_CLOCKS; cl++)
          samples.samples[cl][RENDER][f - opt_warmup] = samples.samples[cl][TOTAL][f - opt_warmup] =
            t1[cl] - t0[cl];
    }
  samples_finish (&samples, stats);
}

/* What the machine does to a fixed piece of work paced the same way: its
 * p99 against its p50 is the noise any frame's p99 carries here. */
#define MACHINE_ADDS  300000
#define MACHINE_BYTES (1 << 20)

static void
measure_machine (Stats stats[N_CLOCKS])
{
  g_autofree guchar *buffer = g_malloc (MACHINE_BYTES);
  gint64 next_frame = g_get_monotonic_time ();
  volatile double sum = 0;
  Samples samples;

  samples_init (&samples, (guint) opt_frames);
  for (int f = 0; f < opt_warmup + opt_frames; f++)
    {
      double t0[N_CLOCKS], t1[N_CLOCKS];

      pace (&next_frame);
      now_ms (t0);
      for (int i = 0; i < MACHINE_ADDS; i++)
        sum += i * 0.5;
      memset (buffer, f, MACHINE_BYTES);
      now_ms (t1);
      if (f >= opt_warmup)
        for (guint cl = 0; cl < N_CLOCKS; cl++)
          samples.samples[cl][RENDER][f - opt_warmup] = samples.samples[cl][TOTAL][f - opt_warmup] =
            t1[cl] - t0[cl];
    }
  samples_finish (&samples, stats);
}

/* The share of pixels that differ by more than @tolerance in a channel. */
static double
differing_pixels (GdkTexture *a,
                  GdkTexture *b,
                  int         tolerance)
{
  int w = gdk_texture_get_width (a), h = gdk_texture_get_height (a);
  gsize stride = (gsize) w * 4;
  g_autofree guchar *pa = g_malloc (stride * h);
  g_autofree guchar *pb = g_malloc (stride * h);
  guint64 differ = 0;

  if (gdk_texture_get_width (b) != w || gdk_texture_get_height (b) != h)
    return 1.0;
  gdk_texture_download (a, pa, stride);
  gdk_texture_download (b, pb, stride);
  for (gsize p = 0; p < stride * h; p += 4)
    for (int ch = 0; ch < 4; ch++)
      if (abs ((int) pa[p + ch] - (int) pb[p + ch]) > tolerance)
        {
          differ++;
          break;
        }
  return (double) differ / ((double) w * h);
}

static void
save_png (GdkTexture *texture,
          const char *name)
{
  g_autofree char *path = NULL;

  if (opt_png_dir == NULL || texture == NULL)
    return;
  g_mkdir_with_parents (opt_png_dir, 0755);
  path = g_build_filename (opt_png_dir, name, NULL);
  if (!gdk_texture_save_to_png (texture, path))
    g_printerr ("bench-chart: could not write %s\n", path);
  else
    g_print ("wrote %s\n", path);
}

/* "1.00 0.75 0.40" */
static char *
load_average (void)
{
  g_autofree char *text = NULL;
  g_auto(GStrv) parts = NULL;

  if (!g_file_get_contents ("/proc/loadavg", &text, NULL, NULL))
    return g_strdup ("?");
  parts = g_strsplit (text, " ", 4);
  if (g_strv_length (parts) < 3)
    return g_strdup ("?");
  return g_strdup_printf ("%s %s %s", parts[0], parts[1], parts[2]);
}

static char *
thousands (guint n)
{
  if (n >= 1000000)
    return g_strdup_printf ("%u,%03u,%03u", n / 1000000, n / 1000 % 1000, n % 1000);
  if (n >= 1000)
    return g_strdup_printf ("%u,%03u", n / 1000, n % 1000);
  return g_strdup_printf ("%u", n);
}

int
main (int    argc,
      char **argv)
{
  static const Case cases[] = {
    { "TandemLineChart (min/max per column)", 10000, FALSE, 4.0 },
    { "peer: every point drawn", 10000, TRUE, 0 },
    { "TandemLineChart (min/max per column)", 1000000, FALSE, 8.0 },
  };
  const GOptionEntry entries[] = {
    { "frames", 0, 0, G_OPTION_ARG_INT, &opt_frames, "Measured frames per case (600)", "N" },
    { "warmup", 0, 0, G_OPTION_ARG_INT, &opt_warmup, "Frames before measuring (60)", "N" },
    { "peer-frames", 0, 0, G_OPTION_ARG_INT, &opt_peer_frames, "Measured frames of the every-point peer (120)", "N" },
    { "width", 0, 0, G_OPTION_ARG_INT, &opt_width, "Chart width (800)", "W" },
    { "height", 0, 0, G_OPTION_ARG_INT, &opt_height, "Chart height (300)", "H" },
    { "png-dir", 0, 0, G_OPTION_ARG_FILENAME, &opt_png_dir, "Save each case's last frame here", "DIR" },
    { "no-pace", 0, 0, G_OPTION_ARG_NONE, &opt_no_pace, "Do not wait 1/60 s between frames", NULL },
    { "only", 0, 0, G_OPTION_ARG_INT, &opt_only, "Run the cases of this many points only (for profiling)", "POINTS" },
    { "no-peer", 0, 0, G_OPTION_ARG_NONE, &opt_no_peer, "Skip the every-point peer (for profiling)", NULL },
    { "scale", 0, 0, G_OPTION_ARG_INT, &opt_scale, "Render at this scale (with GDK_SCALE for the widget's)", "N" },
    { "samples", 0, 0, G_OPTION_ARG_FILENAME, &opt_samples, "Append every frame's times to this CSV file", "FILE" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("- a line chart's frame cost");
  g_autoptr(GError) error = NULL;
  g_autoptr(GskRenderer) renderer = NULL;
  Result results[G_N_ELEMENTS (cases)] = { 0 };
  gboolean ran[G_N_ELEMENTS (cases)] = { 0 };
  int width = 0, height = 0;
  Stats floor_stats[N_CLOCKS], machine_stats[N_CLOCKS];
  g_autofree char *load_before = load_average ();
  g_autofree char *load_after = NULL;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("bench-chart: %s\n", error->message);
      return 2;
    }
  if (opt_frames < 1 || opt_frames > MAX_FRAMES || opt_warmup < 0 || opt_warmup > MAX_FRAMES ||
      opt_peer_frames < 1 || opt_peer_frames > MAX_FRAMES ||
      opt_width < 200 || opt_width > 8192 || opt_height < 100 || opt_height > 8192 ||
      opt_scale < 1 || opt_scale > 4)
    {
      g_printerr ("bench-chart: frames and peer frames 1..%d, warmup 0..%d, width 200..8192, "
                  "height 100..8192, scale 1..4\n", MAX_FRAMES, MAX_FRAMES);
      return 2;
    }

  gtk_init ();
  adw_init ();
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_FORCE_LIGHT);

  renderer = gsk_cairo_renderer_new ();
  if (!gsk_renderer_realize (renderer, NULL, &error))
    {
      g_printerr ("bench-chart: the cairo renderer: %s\n", error->message);
      return 1;
    }

  measure_machine (machine_stats);
  measure_floor (renderer, floor_stats);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      if ((opt_only != 0 && cases[i].n_points != (guint) opt_only) || (opt_no_peer && cases[i].naive))
        continue;
      run_case (&cases[i], renderer, &results[i]);
      ran[i] = TRUE;
    }

  width = opt_width;
  height = opt_height;
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    if (ran[i])
      {
        width = results[i].width;
        height = results[i].height;
        break;
      }
  g_print ("\nLine chart frame cost: %u series, %d × %d px, GSK cairo renderer (offscreen), "
           "%d frames at %s after %d warm-up (the peer: the last %d), one point appended to each "
           "series per frame\n",
           N_SERIES, width, height, opt_frames, opt_no_pace ? "full speed" : "60 per second", opt_warmup,
           MIN (opt_frames, opt_peer_frames));
  load_after = load_average ();
  g_print ("GTK %u.%u.%u, %u CPUs, load average (1, 5, 15 min) %s before, %s after\n\n",
           gtk_get_major_version (), gtk_get_minor_version (), gtk_get_micro_version (),
           g_get_num_processors (), load_before, load_after);
  for (guint cl = 0; cl < N_CLOCKS; cl++)
    {
      g_print ("%s\n\n", cl == WALL ? "Wall-clock time:" :
               "CPU time of the thread (the same frames, without the time another process had the core):");
      g_print ("| chart | points per series | build p50 ms | build p99 ms | render p50 ms | render p99 ms "
               "| total p50 ms | total p99 ms | goal (total p99) | met? | append p99 µs | other CPU %% |\n");
      g_print ("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: | ---: |\n");
      for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
        {
          const Stats *st = &results[i].stats[cl];
          g_autofree char *points = thousands (cases[i].n_points);
          g_autofree char *goal = cases[i].goal_ms > 0 ? g_strdup_printf ("< %.0f ms", cases[i].goal_ms)
                                                       : g_strdup ("(peer)");
          const char *met = cases[i].goal_ms <= 0 ? "" : st->p99[TOTAL] < cases[i].goal_ms ? "yes" : "no";

          if (!ran[i])
            continue;
          g_print ("| %s | %s | %.2f | %.2f | %.2f | %.2f | %.2f | %.2f | %s | %s | %.0f | %.0f |\n",
                   cases[i].chart, points, st->p50[BUILD], st->p99[BUILD], st->p50[RENDER], st->p99[RENDER],
                   st->p50[TOTAL], st->p99[TOTAL], goal, met, st->p99[UPDATE] * 1000, results[i].other_cpu);
        }
      g_print ("\nThe renderer's floor (a texture of the background colour only, same size): "
               "p50 %.2f ms, p99 %.2f ms.\n", floor_stats[cl].p50[RENDER], floor_stats[cl].p99[RENDER]);
      g_print ("The machine's noise (a fixed workload, %d additions and a %d KiB memset, paced the same): "
               "p50 %.2f ms, p99 %.2f ms.\n\n", MACHINE_ADDS, MACHINE_BYTES / 1024,
               machine_stats[cl].p50[TOTAL], machine_stats[cl].p99[TOTAL]);
    }
  if (ran[0] && ran[1])
    g_print ("At 10,000 points the decimated frame costs %.1f %% of the every-point one (p50 of the total, "
             "wall-clock); the two images differ in %.2f %% of their pixels (by more than 64 of 255 in a "
             "channel).\n\n",
             100 * results[0].stats[WALL].p50[TOTAL] / results[1].stats[WALL].p50[TOTAL],
             100 * differing_pixels (results[0].last, results[1].last, 64));

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      if (ran[i])
        {
          g_autofree char *name = g_strdup_printf ("%s-%u.png", cases[i].naive ? "every-point" : "line",
                                                   cases[i].n_points);

          save_png (results[i].last, name);
        }
      g_clear_object (&results[i].last);
    }

  {
    double other = 0;
    gboolean all_met = TRUE;

    for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
      if (ran[i])
        {
          other = MAX (other, results[i].other_cpu);
          if (cases[i].goal_ms > 0 && results[i].stats[WALL].p99[TOTAL] >= cases[i].goal_ms)
            all_met = FALSE;
        }
    /* For run.sh. */
    g_print ("summary: other_cpu_percent=%.0f goals_met=%s\n", other, all_met ? "yes" : "no");
  }

  gsk_renderer_unrealize (renderer);
  g_free (opt_png_dir);
  g_free (opt_samples);
  return 0;
}
