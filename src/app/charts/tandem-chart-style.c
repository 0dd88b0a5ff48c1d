/* tandem-chart-style.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tandem-chart-style"

#include "config.h"

#include <adwaita.h>

#include "tandem-chart-style.h"

/* The GNOME palette (blue 3, green 4, yellow 5, orange 4, red 3, purple 3,
 * brown 3), and for dark the lighter shades; blue is libadwaita's accent
 * (accent_color: #1c71d8 light, #78aeed dark). */
static const char * const light_colors[] = {
  "#1c71d8", "#2ec27e", "#e5a50a", "#e66100", "#e01b24", "#9141ac", "#986a44",
};
static const char * const dark_colors[] = {
  "#78aeed", "#57e389", "#f8e45c", "#ffa348", "#f66151", "#dc8add", "#cdab8f",
};

G_STATIC_ASSERT (G_N_ELEMENTS (light_colors) == G_N_ELEMENTS (dark_colors));

gboolean
tandem_chart_style_is_dark (void)
{
  AdwStyleManager *manager = adw_style_manager_get_default ();

  return manager != NULL && adw_style_manager_get_dark (manager);
}

guint
tandem_chart_style_get_n_colors (void)
{
  return G_N_ELEMENTS (light_colors);
}

void
tandem_chart_style_get_series_color (guint     index,
                                     gboolean  dark,
                                     GdkRGBA  *rgba)
{
  const char * const *colors = dark ? dark_colors : light_colors;

  gdk_rgba_parse (rgba, colors[index % G_N_ELEMENTS (light_colors)]);
}

void
tandem_chart_style_get_foreground (gboolean  dark,
                                   GdkRGBA  *rgba)
{
  if (dark)
    *rgba = (GdkRGBA) { 1, 1, 1, 1 };
  else
    *rgba = (GdkRGBA) { 0, 0, 6 / 255.0, 0.8 };
}

void
tandem_chart_style_get_dim (gboolean  dark,
                            GdkRGBA  *rgba)
{
  tandem_chart_style_get_foreground (dark, rgba);
  rgba->alpha = 0.55;
}

void
tandem_chart_style_get_grid (gboolean  dark,
                             GdkRGBA  *rgba)
{
  tandem_chart_style_get_foreground (dark, rgba);
  rgba->alpha = dark ? 0.15 : 0.1;
}

void
tandem_chart_style_get_background (gboolean  dark,
                                   GdkRGBA  *rgba)
{
  gdk_rgba_parse (rgba, dark ? "#1e1e1e" : "#ffffff");
}

void
tandem_chart_style_get_up (gboolean  dark,
                           GdkRGBA  *rgba)
{
  gdk_rgba_parse (rgba, dark ? "#8ff0a4" : "#26a269");
}

void
tandem_chart_style_get_down (gboolean  dark,
                             GdkRGBA  *rgba)
{
  gdk_rgba_parse (rgba, dark ? "#ff7b63" : "#c01c28");
}
