/* tandem-change-private.h: building a TandemChange from a frame
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "tandem-change.h"

G_BEGIN_DECLS

/* @data: the "data" member of a postgres_changes payload (protocol.md §5.1).
 * String values are converted by column type as realtime-js's
 * convertChangeData does (§5.2); values the server already typed pass
 * through. NULL with TANDEM_CLIENT_ERROR_PROTOCOL when @data is not a
 * change (no schema/table/type, unknown type). */
TandemChange      *_tandem_change_new_from_data   (JsonObject        *data,
                                                   GError           **error);

/* Converts one value of PostgreSQL type @type (pg_type.typname: "int4",
 * "_text", "jsonb", …) as realtime-js does. Returns a new node. */
JsonNode          *_tandem_change_convert_value   (const char        *type,
                                                   JsonNode          *value);

const char        *_tandem_change_event_to_string (TandemChangeEvent  event);
/* Case-insensitive; "*" is ALL. FALSE for anything else. */
gboolean           _tandem_change_event_from_string (const char      *text,
                                                     TandemChangeEvent *event);

/* A copy of @node that shares no object or array with it (json_node_copy()
 * shares them), so sealing or changing one never touches the other. */
JsonNode          *_tandem_change_json_deep_copy  (JsonNode          *node);

G_END_DECLS
