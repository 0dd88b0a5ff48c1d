/* tandem-outbox.h: writes that must not be lost, kept on disk until sent
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#if !defined(TANDEM_INSIDE) && !defined(TANDEM_COMPILATION)
# error "Only <tandem.h> can be included directly."
#endif

#include <gio/gio.h>

#include "tandem-types.h"

G_BEGIN_DECLS

/**
 * TANDEM_OUTBOX_ERROR:
 *
 * The error domain of #TandemOutbox's own failures (the database file);
 * rejected writes are reported with their #TANDEM_REST_ERROR.
 */
#define TANDEM_OUTBOX_ERROR (tandem_outbox_error_quark ())

/**
 * TandemOutboxError:
 * @TANDEM_OUTBOX_ERROR_STORAGE: the outbox file cannot be opened or written
 * @TANDEM_OUTBOX_ERROR_INVALID: the write is malformed (no table, a body of
 *   the wrong shape)
 */
typedef enum
{
  TANDEM_OUTBOX_ERROR_STORAGE,
  TANDEM_OUTBOX_ERROR_INVALID,
} TandemOutboxError;

/**
 * TandemOutboxOperation:
 * @TANDEM_OUTBOX_INSERT: insert @body (an object or an array); resent
 *   inserts are idempotent through the key column
 * @TANDEM_OUTBOX_UPSERT: insert or merge @body
 * @TANDEM_OUTBOX_UPDATE: update the rows matching the filters with @body
 * @TANDEM_OUTBOX_DELETE: delete the rows matching the filters
 */
typedef enum
{
  TANDEM_OUTBOX_INSERT,
  TANDEM_OUTBOX_UPSERT,
  TANDEM_OUTBOX_UPDATE,
  TANDEM_OUTBOX_DELETE,
} TandemOutboxOperation;

TANDEM_EXPORT
GQuark        tandem_outbox_error_quark (void) G_GNUC_CONST;

#define TANDEM_TYPE_OUTBOX (tandem_outbox_get_type ())
TANDEM_EXPORT
G_DECLARE_FINAL_TYPE (TandemOutbox, tandem_outbox, TANDEM, OUTBOX, GObject)

/* Opens (creating it) the SQLite file at @path; what it holds from an
 * earlier run is sent again, in order. */
TANDEM_EXPORT
TandemOutbox *tandem_outbox_new         (TandemClient          *client,
                                         const char            *path,
                                         GError               **error);
/* Queues a write and returns its idempotency key (@idempotency_key, or a new
 * UUID). For inserts the key goes into @key_column of each row (when the
 * row has no value there) and the write is sent as an upsert that ignores
 * duplicates on that column, so sending it twice stores it once.
 * @filters: PostgREST filters for update/delete, "id=eq.4&owner=eq.x". */
TANDEM_EXPORT
char         *tandem_outbox_enqueue     (TandemOutbox          *self,
                                         TandemOutboxOperation  operation,
                                         const char            *table,
                                         JsonNode              *body,
                                         const char            *filters,
                                         const char            *key_column,
                                         const char            *idempotency_key,
                                         GError               **error);
TANDEM_EXPORT
guint         tandem_outbox_get_n_pending (TandemOutbox        *self);
/* Sends now instead of waiting for the next retry. */
TANDEM_EXPORT
void          tandem_outbox_flush       (TandemOutbox          *self);

G_END_DECLS
