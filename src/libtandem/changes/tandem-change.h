/* tandem-change.h: one row change delivered by postgres_changes
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#if !defined(TANDEM_INSIDE) && !defined(TANDEM_COMPILATION)
# error "Only <tandem.h> can be included directly."
#endif

#include <glib-object.h>

#include "tandem-types.h"

G_BEGIN_DECLS

#define TANDEM_TYPE_CHANGE (tandem_change_get_type ())
TANDEM_EXPORT
G_DECLARE_FINAL_TYPE (TandemChange, tandem_change, TANDEM, CHANGE, GObject)

TANDEM_EXPORT
const char        *tandem_change_get_schema           (TandemChange *self);
TANDEM_EXPORT
const char        *tandem_change_get_table            (TandemChange *self);
/* INSERT, UPDATE or DELETE (never ALL). */
TANDEM_EXPORT
TandemChangeEvent  tandem_change_get_event            (TandemChange *self);
/* "INSERT", "UPDATE", "DELETE". */
TANDEM_EXPORT
const char        *tandem_change_get_event_name       (TandemChange *self);
/* The new row (INSERT, UPDATE; empty for DELETE), values converted by the
 * column types as realtime-js does. */
TANDEM_EXPORT
JsonObject        *tandem_change_get_record           (TandemChange *self);
/* The old row's identity (UPDATE, DELETE; empty for INSERT). */
TANDEM_EXPORT
JsonObject        *tandem_change_get_old_record       (TandemChange *self);
TANDEM_EXPORT
GDateTime         *tandem_change_get_commit_timestamp (TandemChange *self);
/* [{"name":…, "type":…}, …] */
TANDEM_EXPORT
JsonArray         *tandem_change_get_columns          (TandemChange *self);
/* The server's errors for this change, or NULL. */
TANDEM_EXPORT
const char * const *tandem_change_get_errors          (TandemChange *self);

G_END_DECLS
