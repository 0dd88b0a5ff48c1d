/* tandem-outbox-private.h: the outbox's SQLite file, and its tests' view
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "tandem-outbox.h"

G_BEGIN_DECLS

/* The back-off between attempts at a write the server could not take:
 * 1 s, doubling, at most 30 s. */
#define TANDEM_OUTBOX_RETRY_FIRST_MS 1000
#define TANDEM_OUTBOX_RETRY_MAX_MS   30000

/* The file's schema version (PRAGMA user_version). */
#define TANDEM_OUTBOX_SCHEMA_VERSION 1

typedef struct
{
  gint64                 id;          /* the order: increasing, never reused */
  char                  *key;         /* the idempotency key */
  TandemOutboxOperation  operation;
  char                  *table;
  char                  *body;        /* JSON text, nullable */
  char                  *filters;     /* nullable */
  char                  *key_column;  /* nullable */
  guint                  attempts;
  char                  *last_error;  /* nullable */
} TandemOutboxEntry;

void               _tandem_outbox_entry_free        (TandemOutboxEntry  *entry);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TandemOutboxEntry, _tandem_outbox_entry_free)

typedef struct _TandemOutboxStore TandemOutboxStore;

/* Opens or creates the file (WAL, schema version checked). Errors are
 * TANDEM_OUTBOX_ERROR_STORAGE. */
TandemOutboxStore *_tandem_outbox_store_open        (const char          *path,
                                                     GError             **error);
void               _tandem_outbox_store_close       (TandemOutboxStore   *store);
/* Appends @entry (its id and attempts are ignored); sets @id. A key that is
 * queued already is TANDEM_OUTBOX_ERROR_INVALID. */
gboolean           _tandem_outbox_store_append      (TandemOutboxStore   *store,
                                                     const TandemOutboxEntry *entry,
                                                     gint64              *id,
                                                     GError             **error);
/* The first entry in order, or NULL (without error) when there is none. */
TandemOutboxEntry *_tandem_outbox_store_peek        (TandemOutboxStore   *store,
                                                     GError             **error);
/* Every entry, in order (TandemOutboxEntry *). */
GPtrArray         *_tandem_outbox_store_list        (TandemOutboxStore   *store,
                                                     GError             **error);
gboolean           _tandem_outbox_store_remove      (TandemOutboxStore   *store,
                                                     gint64               id,
                                                     GError             **error);
/* Counts one more attempt of @id and keeps @message as its last error. */
gboolean           _tandem_outbox_store_record_failure (TandemOutboxStore *store,
                                                     gint64               id,
                                                     const char          *message,
                                                     GError             **error);
gint64             _tandem_outbox_store_count       (TandemOutboxStore   *store,
                                                     GError             **error);

/* Whether a failed write may succeed later (the server could not be
 * reached, failed, or throttled) rather than being refused. */
gboolean           _tandem_outbox_error_is_retryable (const GError       *error);

/* Tests: the entries of @self's file, in order. */
GPtrArray         *_tandem_outbox_list_entries      (TandemOutbox        *self,
                                                     GError             **error);
/* Tests: whether a retry is scheduled, and whether a request is out. */
gboolean           _tandem_outbox_is_waiting        (TandemOutbox        *self);
gboolean           _tandem_outbox_is_sending        (TandemOutbox        *self);

G_END_DECLS
