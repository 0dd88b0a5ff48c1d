/* tandem-dashboard-grid.c
 *
 * A small layout of its own rather than a GtkGrid: the grid has to fold
 * into one column below a width, and changing a GtkGrid's children from a
 * size allocation is not allowed. Measuring is height-for-width: the
 * width decides the form (grid or column), the form the height.
 *
 * Columns are as many as the layout uses (the largest x + width), each at
 * least TANDEM_DASHBOARD_GRID_MIN_COLUMN wide; rows are
 * TANDEM_DASHBOARD_GRID_ROW_HEIGHT high, or more when a child needs it.
 * Overlapping places (a hand-written layout) overlap on screen; nothing
 * is lost.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tandem-dashboard-grid"

#include "config.h"

#include "tandem-dashboard-grid.h"

#define SPACING 12

typedef struct
{
  guint x, y, width, height;
} Place;

struct _TandemDashboardGrid
{
  GtkWidget parent_instance;

  guint     columns;
};

G_DEFINE_FINAL_TYPE (TandemDashboardGrid, tandem_dashboard_grid, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_COLUMNS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static GQuark place_quark;

static Place *
get_place (GtkWidget *child)
{
  return g_object_get_qdata (G_OBJECT (child), place_quark);
}

static guint
layout_columns (TandemDashboardGrid *self)
{
  guint columns = 1;

  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self)); child; child = gtk_widget_get_next_sibling (child))
    {
      Place *place = get_place (child);

      if (place != NULL && gtk_widget_get_visible (child))
        columns = MAX (columns, place->x + place->width);
    }
  return columns;
}

static int
child_min_width (TandemDashboardGrid *self)
{
  int width = 0;

  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self)); child; child = gtk_widget_get_next_sibling (child))
    {
      int min = 0;

      if (!gtk_widget_get_visible (child))
        continue;
      gtk_widget_measure (child, GTK_ORIENTATION_HORIZONTAL, -1, &min, NULL, NULL, NULL);
      width = MAX (width, min);
    }
  return width;
}

/* The column width the grid form would have at @width, or 0 when @width
 * is too narrow for it (one column). */
static int
column_width (TandemDashboardGrid *self,
              guint                columns,
              int                  width)
{
  int column;

  if (columns <= 1)
    return width;
  column = (width - (int) (columns - 1) * SPACING) / (int) columns;
  if (column < MAX (TANDEM_DASHBOARD_GRID_MIN_COLUMN, child_min_width (self)))
    return 0;
  return column;
}

static int
span (int   unit,
      guint n)
{
  return (int) n * unit + (int) (n - 1) * SPACING;
}

static int
compare_places (gconstpointer a,
                gconstpointer b)
{
  Place *pa = get_place (*(GtkWidget **) a);
  Place *pb = get_place (*(GtkWidget **) b);

  if (pa->y != pb->y)
    return pa->y < pb->y ? -1 : 1;
  if (pa->x != pb->x)
    return pa->x < pb->x ? -1 : 1;
  return 0;
}

/* The visible children in the column's order. */
static GPtrArray *
sorted_children (TandemDashboardGrid *self)
{
  GPtrArray *children = g_ptr_array_new ();

  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self)); child; child = gtk_widget_get_next_sibling (child))
    if (gtk_widget_get_visible (child) && get_place (child) != NULL)
      g_ptr_array_add (children, child);
  /* g_ptr_array_sort is stable since GLib 2.76 only; equal places keep
   * no promised order, which is fine for overlapping widgets. */
  g_ptr_array_sort (children, compare_places);
  return children;
}

/* One form at @width: where each child goes (into @allocs when given)
 * and the total height. */
static int
arrange (TandemDashboardGrid *self,
         int                  width,
         GArray              *allocs,
         GPtrArray           *children,
         guint               *columns_out)
{
  guint columns = layout_columns (self);
  int column = column_width (self, columns, width);
  int height = 0;

  if (column == 0 || columns == 1)
    {
      /* One column, in reading order. */
      int y = 0;

      for (guint i = 0; i < children->len; i++)
        {
          GtkWidget *child = children->pdata[i];
          Place *place = get_place (child);
          int min = 0;
          int h;

          gtk_widget_measure (child, GTK_ORIENTATION_VERTICAL, width, &min, NULL, NULL, NULL);
          h = MAX (min, span (TANDEM_DASHBOARD_GRID_ROW_HEIGHT, place->height));
          if (allocs != NULL)
            g_array_append_val (allocs, ((GtkAllocation) { 0, y, width, h }));
          y += h + SPACING;
        }
      height = children->len > 0 ? y - SPACING : 0;
      *columns_out = 1;
      return height;
    }

  {
    int row = TANDEM_DASHBOARD_GRID_ROW_HEIGHT;
    guint rows = 0;

    /* A row is as high as its tallest child needs per row it spans. */
    for (guint i = 0; i < children->len; i++)
      {
        GtkWidget *child = children->pdata[i];
        Place *place = get_place (child);
        int min = 0;

        gtk_widget_measure (child, GTK_ORIENTATION_VERTICAL, span (column, place->width), &min, NULL, NULL, NULL);
        row = MAX (row, (min - (int) (place->height - 1) * SPACING + (int) place->height - 1) / (int) place->height);
        rows = MAX (rows, place->y + place->height);
      }
    for (guint i = 0; allocs != NULL && i < children->len; i++)
      {
        Place *place = get_place (children->pdata[i]);
        GtkAllocation alloc = {
          (int) place->x * (column + SPACING), (int) place->y * (row + SPACING),
          span (column, place->width), span (row, place->height),
        };

        g_array_append_val (allocs, alloc);
      }
    *columns_out = columns;
    return rows > 0 ? span (row, rows) : 0;
  }
}

static GtkSizeRequestMode
tandem_dashboard_grid_get_request_mode (GtkWidget *widget)
{
  return GTK_SIZE_REQUEST_HEIGHT_FOR_WIDTH;
}

static void
tandem_dashboard_grid_measure (GtkWidget      *widget,
                               GtkOrientation  orientation,
                               int             for_size,
                               int            *minimum,
                               int            *natural,
                               int            *minimum_baseline,
                               int            *natural_baseline)
{
  TandemDashboardGrid *self = TANDEM_DASHBOARD_GRID (widget);
  guint columns = layout_columns (self);
  int natural_width = span (MAX (TANDEM_DASHBOARD_GRID_MIN_COLUMN, child_min_width (self)), columns);

  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      /* Folded into one column it fits any window the children fit. */
      *minimum = child_min_width (self);
      *natural = MAX (*minimum, natural_width);
    }
  else
    {
      g_autoptr(GPtrArray) children = sorted_children (self);
      guint unused;

      *minimum = *natural = arrange (self, for_size >= 0 ? for_size : natural_width, NULL, children, &unused);
    }
}

static void
tandem_dashboard_grid_size_allocate (GtkWidget *widget,
                                     int        width,
                                     int        height,
                                     int        baseline)
{
  TandemDashboardGrid *self = TANDEM_DASHBOARD_GRID (widget);
  g_autoptr(GPtrArray) children = sorted_children (self);
  g_autoptr(GArray) allocs = g_array_new (FALSE, FALSE, sizeof (GtkAllocation));
  guint columns = 1;

  arrange (self, width, allocs, children, &columns);
  for (guint i = 0; i < children->len; i++)
    gtk_widget_size_allocate (children->pdata[i], &g_array_index (allocs, GtkAllocation, i), -1);

  if (columns != self->columns)
    {
      self->columns = columns;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_COLUMNS]);
    }
}

static void
tandem_dashboard_grid_dispose (GObject *object)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (object))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (tandem_dashboard_grid_parent_class)->dispose (object);
}

static void
tandem_dashboard_grid_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  TandemDashboardGrid *self = TANDEM_DASHBOARD_GRID (object);

  switch (prop_id)
    {
    case PROP_COLUMNS:
      g_value_set_uint (value, self->columns);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tandem_dashboard_grid_class_init (TandemDashboardGridClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tandem_dashboard_grid_dispose;
  object_class->get_property = tandem_dashboard_grid_get_property;
  widget_class->get_request_mode = tandem_dashboard_grid_get_request_mode;
  widget_class->measure = tandem_dashboard_grid_measure;
  widget_class->size_allocate = tandem_dashboard_grid_size_allocate;

  properties[PROP_COLUMNS] =
    g_param_spec_uint ("columns", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_css_name (widget_class, "dashboard-grid");
  place_quark = g_quark_from_static_string ("tandem-dashboard-grid-place");
}

static void
tandem_dashboard_grid_init (TandemDashboardGrid *self)
{
}

GtkWidget *
tandem_dashboard_grid_new (void)
{
  return g_object_new (TANDEM_TYPE_DASHBOARD_GRID, NULL);
}

void
tandem_dashboard_grid_put (TandemDashboardGrid *self,
                           GtkWidget           *child,
                           guint                x,
                           guint                y,
                           guint                width,
                           guint                height)
{
  Place *place;

  g_return_if_fail (TANDEM_IS_DASHBOARD_GRID (self));
  g_return_if_fail (GTK_IS_WIDGET (child));

  place = g_new (Place, 1);
  *place = (Place) { x, y, MAX (width, 1), MAX (height, 1) };
  g_object_set_qdata_full (G_OBJECT (child), place_quark, place, g_free);
  if (gtk_widget_get_parent (child) == GTK_WIDGET (self))
    gtk_widget_insert_before (child, GTK_WIDGET (self), NULL);
  else
    gtk_widget_set_parent (child, GTK_WIDGET (self));
  gtk_widget_queue_resize (GTK_WIDGET (self));
}

void
tandem_dashboard_grid_remove (TandemDashboardGrid *self,
                              GtkWidget           *child)
{
  g_return_if_fail (TANDEM_IS_DASHBOARD_GRID (self));
  g_return_if_fail (gtk_widget_get_parent (child) == GTK_WIDGET (self));

  g_object_set_qdata (G_OBJECT (child), place_quark, NULL);
  gtk_widget_unparent (child);
}

guint
tandem_dashboard_grid_get_columns (TandemDashboardGrid *self)
{
  g_return_val_if_fail (TANDEM_IS_DASHBOARD_GRID (self), 0);
  return self->columns;
}
