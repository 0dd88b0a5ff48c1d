/* tandem-whiteboards-types.h: the types of src/app/whiteboards, declared
 * once; the other headers of the folder include only this (and libtandem)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

typedef struct _TandemStroke      TandemStroke;
typedef struct _TandemBoardModel  TandemBoardModel;
typedef struct _TandemBoardEvent  TandemBoardEvent;
typedef struct _TandemBoardSync   TandemBoardSync;

/**
 * TandemTool:
 * @TANDEM_TOOL_PEN: a free line whose width follows the pen's pressure
 * @TANDEM_TOOL_HIGHLIGHTER: a wide translucent free line
 * @TANDEM_TOOL_LINE: a straight line between two points
 * @TANDEM_TOOL_RECTANGLE: the rectangle two opposite corners span
 * @TANDEM_TOOL_ELLIPSE: the ellipse inscribed in that rectangle
 * @TANDEM_TOOL_TEXT: a text at one point, its size the stroke's width
 * @TANDEM_TOOL_ERASER: removes whole strokes; never the tool of a stroke
 *
 * The drawing tools. Every tool but the eraser makes a stroke.
 */
typedef enum
{
  TANDEM_TOOL_PEN,
  TANDEM_TOOL_HIGHLIGHTER,
  TANDEM_TOOL_LINE,
  TANDEM_TOOL_RECTANGLE,
  TANDEM_TOOL_ELLIPSE,
  TANDEM_TOOL_TEXT,
  TANDEM_TOOL_ERASER,
} TandemTool;

#define TANDEM_TYPE_TOOL (tandem_tool_get_type ())
GType       tandem_tool_get_type         (void) G_GNUC_CONST;
/* The tool's name on the wire and in the database ("pen", …). */
const char *tandem_tool_to_string        (TandemTool  tool);
/* FALSE for an unknown name (and for "eraser", which draws nothing). */
gboolean    tandem_tool_from_string      (const char *name,
                                          TandemTool *tool);
/* The tool's name for people, translated. */
const char *tandem_tool_get_display_name (TandemTool  tool);
/* Whether the tool's stroke is two points (line, rectangle, ellipse): its
 * second point moves while drawing instead of points being added. */
gboolean    tandem_tool_is_shape         (TandemTool  tool);

/**
 * TandemPoint:
 * @x: board units, to the right
 * @y: board units, down
 * @pressure: 0..1 (1 for a mouse)
 *
 * One point of a stroke.
 */
typedef struct
{
  double x;
  double y;
  double pressure;
} TandemPoint;

/**
 * TandemRect:
 *
 * A rectangle in board units (width and height >= 0).
 */
typedef struct
{
  double x;
  double y;
  double width;
  double height;
} TandemRect;

G_END_DECLS
