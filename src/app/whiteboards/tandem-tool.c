/* tandem-tool.c: the drawing tools' names
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tandem-whiteboards"

#include "config.h"

#include <glib/gi18n.h>

#include "tandem-whiteboards-types.h"

G_DEFINE_ENUM_TYPE (TandemTool, tandem_tool,
  G_DEFINE_ENUM_VALUE (TANDEM_TOOL_PEN, "pen"),
  G_DEFINE_ENUM_VALUE (TANDEM_TOOL_HIGHLIGHTER, "highlighter"),
  G_DEFINE_ENUM_VALUE (TANDEM_TOOL_LINE, "line"),
  G_DEFINE_ENUM_VALUE (TANDEM_TOOL_RECTANGLE, "rectangle"),
  G_DEFINE_ENUM_VALUE (TANDEM_TOOL_ELLIPSE, "ellipse"),
  G_DEFINE_ENUM_VALUE (TANDEM_TOOL_TEXT, "text"),
  G_DEFINE_ENUM_VALUE (TANDEM_TOOL_ERASER, "eraser"))

/* The wire names; the database's CHECK constraint lists the same. */
static const char * const tool_names[] = {
  [TANDEM_TOOL_PEN] = "pen",
  [TANDEM_TOOL_HIGHLIGHTER] = "highlighter",
  [TANDEM_TOOL_LINE] = "line",
  [TANDEM_TOOL_RECTANGLE] = "rectangle",
  [TANDEM_TOOL_ELLIPSE] = "ellipse",
  [TANDEM_TOOL_TEXT] = "text",
  [TANDEM_TOOL_ERASER] = "eraser",
};

const char *
tandem_tool_to_string (TandemTool tool)
{
  g_return_val_if_fail ((guint) tool < G_N_ELEMENTS (tool_names), NULL);

  return tool_names[tool];
}

gboolean
tandem_tool_from_string (const char *name,
                         TandemTool *tool)
{
  g_return_val_if_fail (tool != NULL, FALSE);

  if (name == NULL)
    return FALSE;
  /* The eraser removes strokes; a stroke claiming to be one is malformed. */
  for (guint i = 0; i < TANDEM_TOOL_ERASER; i++)
    if (g_str_equal (name, tool_names[i]))
      {
        *tool = (TandemTool) i;
        return TRUE;
      }
  return FALSE;
}

const char *
tandem_tool_get_display_name (TandemTool tool)
{
  switch (tool)
    {
    case TANDEM_TOOL_PEN:
      return _("Pen");
    case TANDEM_TOOL_HIGHLIGHTER:
      return _("Highlighter");
    case TANDEM_TOOL_LINE:
      return _("Line");
    case TANDEM_TOOL_RECTANGLE:
      return _("Rectangle");
    case TANDEM_TOOL_ELLIPSE:
      return _("Ellipse");
    case TANDEM_TOOL_TEXT:
      return _("Text");
    case TANDEM_TOOL_ERASER:
      return _("Eraser");
    default:
      g_return_val_if_reached (NULL);
    }
}

gboolean
tandem_tool_is_shape (TandemTool tool)
{
  return tool == TANDEM_TOOL_LINE || tool == TANDEM_TOOL_RECTANGLE || tool == TANDEM_TOOL_ELLIPSE;
}
