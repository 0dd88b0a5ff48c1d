/* tandem-chart-style.h: chart colours for the light and the dark style
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* Whether charts draw in the dark style (AdwStyleManager's "dark"). */
gboolean tandem_chart_style_is_dark           (void);
/* Series @index's colour: the accent first, then the rest of the GNOME
 * palette, brighter shades for dark. */
void     tandem_chart_style_get_series_color  (guint     index,
                                               gboolean  dark,
                                               GdkRGBA  *rgba);
guint    tandem_chart_style_get_n_colors      (void);
void     tandem_chart_style_get_foreground    (gboolean  dark,
                                               GdkRGBA  *rgba);
/* Axis labels: the foreground, dimmed. */
void     tandem_chart_style_get_dim           (gboolean  dark,
                                               GdkRGBA  *rgba);
void     tandem_chart_style_get_grid          (gboolean  dark,
                                               GdkRGBA  *rgba);
/* What an exported image is drawn on (a view's background). */
void     tandem_chart_style_get_background    (gboolean  dark,
                                               GdkRGBA  *rgba);
void     tandem_chart_style_get_up            (gboolean  dark,
                                               GdkRGBA  *rgba);
void     tandem_chart_style_get_down          (gboolean  dark,
                                               GdkRGBA  *rgba);

G_END_DECLS
