/* http-test-util.h: a scripted HTTP server on 127.0.0.1, and waiting for
 * async results
 *
 * The scripted server plays GoTrue or PostgREST for unit tests: each
 * request is recorded, and answered with the next scripted reply or, when
 * none is queued, by the fallback handler. It can also be taken down (its
 * port then refuses connections) and brought back on the same port, which
 * is how a network failure looks to the client.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <libsoup/soup.h>
#include <json-glib/json-glib.h>

#include "tandem-test-utils.h"

G_BEGIN_DECLS

typedef struct
{
  char               *method;
  char               *path;
  char               *query;    /* raw, nullable */
  SoupMessageHeaders *headers;
  char               *body;     /* "" when none */
} ScriptRequest;

typedef struct _ScriptServer ScriptServer;

/* Answers @request: set *status, *body (owned by the server afterwards),
 * and optionally response headers. */
typedef void (*ScriptHandler) (ScriptServer       *server,
                               ScriptRequest      *request,
                               SoupServerMessage  *msg,
                               gpointer            user_data);

ScriptServer  *script_server_new          (void);
void           script_server_free         (ScriptServer  *server);
/* http://127.0.0.1:PORT */
const char    *script_server_get_url      (ScriptServer  *server);
/* Queues a reply (FIFO). @header_name/@header_value: one more response
 * header, or NULL. */
void           script_server_push         (ScriptServer  *server,
                                           guint          status,
                                           const char    *body,
                                           const char    *header_name,
                                           const char    *header_value);
void           script_server_set_handler  (ScriptServer  *server,
                                           ScriptHandler  handler,
                                           gpointer       user_data);
/* Down: the port refuses connections; up again on the same port. */
void           script_server_set_down     (ScriptServer  *server,
                                           gboolean       down);
/* ScriptRequest *, in order. */
GPtrArray     *script_server_get_requests (ScriptServer  *server);
guint          script_server_count        (ScriptServer  *server,
                                           const char    *path);
ScriptRequest *script_server_last         (ScriptServer  *server);
void           script_server_clear        (ScriptServer  *server);

/* The body of @request parsed (asserts it is JSON). */
JsonNode      *script_request_json        (ScriptRequest *request);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ScriptServer, script_server_free)

/* Waiting for an async call: pass http_test_result_cb and the address of
 * a NULL GAsyncResult *, then http_test_await() it. */
void           http_test_result_cb        (GObject       *source,
                                           GAsyncResult  *result,
                                           gpointer       user_data);
GAsyncResult  *http_test_await            (GAsyncResult **slot);

/* Runs the main context until no request is in flight for a moment (for
 * checking that nothing more happens). */
void           http_test_settle           (void);

G_END_DECLS
