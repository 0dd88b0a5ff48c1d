/* test-rest-security.c: who may do what through /rest/v1, and what cannot
 * get in
 *
 * Tokens (missing, forged, expired, other roles), the role and claims each
 * request runs with (auth.uid(), auth.role(), auth.jwt()), row-level
 * security policies, privileges a role lacks, injection attempts in every
 * place a request carries text, and PostgREST's error shapes.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "rest-test-util.h"
#include "tandem-jwt.h"

static const char setup_sql[] =
  "CREATE TABLE public.notes (id bigserial PRIMARY KEY, owner uuid NOT NULL DEFAULT auth.uid(), body text);"
  "ALTER TABLE public.notes ENABLE ROW LEVEL SECURITY;"
  "CREATE POLICY own_select ON public.notes FOR SELECT TO authenticated USING (owner = auth.uid());"
  "CREATE POLICY own_insert ON public.notes FOR INSERT TO authenticated WITH CHECK (owner = auth.uid());"
  "CREATE POLICY own_update ON public.notes FOR UPDATE TO authenticated USING (owner = auth.uid());"
  "CREATE POLICY own_delete ON public.notes FOR DELETE TO authenticated USING (owner = auth.uid());"
  "CREATE POLICY public_by_email ON public.notes FOR SELECT TO authenticated"
  "  USING (body = 'for ' || (auth.jwt() ->> 'email'));"
  "INSERT INTO public.notes (owner, body) VALUES"
  "  ('" USER_A "', 'a1'), ('" USER_A "', 'a2'), ('" USER_B "', 'b1'), ('" USER_B "', 'for someone@example.com');"
  "CREATE TABLE public.secrets (id int PRIMARY KEY, s text);"
  "INSERT INTO public.secrets VALUES (1, 'hidden');"
  "REVOKE ALL ON public.secrets FROM anon, authenticated;"
  "CREATE TABLE public.victim (id int PRIMARY KEY, v text);"
  "INSERT INTO public.victim VALUES (1, 'still here');"
  "CREATE TABLE public.items (id int PRIMARY KEY, name text, data jsonb);"
  "INSERT INTO public.items VALUES (1, 'one', '{\"k\":\"v\"}'), (2, 'two', NULL);"
  "CREATE FUNCTION public.whoami() RETURNS json LANGUAGE sql STABLE"
  "  AS $$ SELECT json_build_object('uid', auth.uid(), 'role', auth.role(), 'email', auth.jwt() ->> 'email',"
  "       'current_user', current_user, 'method', current_setting('request.method', true),"
  "       'path', current_setting('request.path', true),"
  "       'client', current_setting('request.headers', true)::json ->> 'x-client-info') $$;"
  "CREATE FUNCTION public.fail() RETURNS void LANGUAGE plpgsql AS $$ BEGIN"
  "  RAISE EXCEPTION 'I refuse!' USING DETAIL = 'Pretty simple', HINT = 'There is nothing you can do.'; END $$;"
  "CREATE FUNCTION public.teapot() RETURNS void LANGUAGE plpgsql AS $$ BEGIN"
  "  RAISE SQLSTATE 'PT418' USING MESSAGE = 'short and stout'; END $$;"
  /* tampers with the session it runs in */
  "CREATE FUNCTION public.tamper() RETURNS text LANGUAGE plpgsql AS $$ BEGIN"
  "  PERFORM set_config('request.jwt.claims', '{\"sub\":\"" USER_B "\",\"role\":\"service_role\"}', false);"
  "  PERFORM set_config('request.jwt.claim.sub', '" USER_B "', false);"
  "  PERFORM set_config('search_path', 'pg_temp', false);"
  "  RESET ROLE; RETURN current_user; END $$;";

#define assert_victim_intact() \
  assert_sql_value ("SELECT count(*) FROM public.victim WHERE v = 'still here'", "1")

/* ---- tokens -------------------------------------------------------------- */

static void
test_tokens (void)
{
  g_autoptr(JsonObject) error = NULL;
  g_autoptr(JsonObject) claims = json_object_new ();
  g_autofree char *expired = tandem_test_server_make_token (rest_env.server, "anon", -10, NULL);
  g_autofree char *superuser = tandem_test_server_make_token (rest_env.server, "postgres", 3600, NULL);
  g_autofree char *forged = NULL;
  g_autoptr(Reply) none = rest_call ("GET", "/items", NO_TOKEN, NULL, NULL);
  g_autoptr(Reply) apikey_only = rest_call ("GET", "/items?select=id&order=id", NO_TOKEN, NULL, "apikey", rest_env.anon, NULL);
  g_autoptr(Reply) garbage = rest_call ("GET", "/items", "abc", NULL, NULL);
  g_autoptr(Reply) old = rest_call ("GET", "/items", expired, NULL, NULL);
  g_autoptr(Reply) wrong_role = rest_call ("GET", "/items", superuser, NULL, NULL);
  g_autoptr(Reply) bad_signature = NULL;

  /* a well-formed token signed with another secret */
  json_object_set_string_member (claims, "role", "service_role");
  json_object_set_int_member (claims, "exp", g_get_real_time () / G_USEC_PER_SEC + 3600);
  forged = tandem_jwt_sign_hs256 (claims, "not the server's secret, but long enough");
  bad_signature = rest_call ("GET", "/items", forged, NULL, NULL);

  error = assert_error (none, 401, "PGRST302", "No API key found in request");
  g_clear_pointer (&error, json_object_unref);
  assert_reply (apikey_only, 200, "[{\"id\":1},{\"id\":2}]");
  error = assert_error (garbage, 401, "PGRST301", "Expected 3 parts in JWT; got 1");
  g_assert_true (g_str_has_prefix (soup_message_headers_get_one (garbage->headers, "WWW-Authenticate"), "Bearer error=\"invalid_token\""));
  g_clear_pointer (&error, json_object_unref);
  error = assert_error (old, 401, "PGRST303", "JWT expired");
  g_clear_pointer (&error, json_object_unref);
  error = assert_error (wrong_role, 403, "42501", "permission denied to set role \"postgres\"");
  g_clear_pointer (&error, json_object_unref);
  error = assert_error (bad_signature, 401, "PGRST301", "JWT cryptographic operation failed");
}

static void
test_request_settings (void)
{
  g_autoptr(Reply) anon = rest_call ("GET", "/rpc/whoami", NULL, NULL, "X-Client-Info", "supabase-js/2.0", NULL);
  g_autoptr(Reply) user = rest_call ("POST", "/rpc/whoami", rest_env.user_a, NULL, NULL);
  g_autoptr(Reply) service = rest_call ("GET", "/rpc/whoami", rest_env.service, NULL, NULL);

  assert_reply (anon, 200, "{\"uid\":null,\"role\":\"anon\",\"email\":null,\"current_user\":\"anon\","
                           "\"method\":\"GET\",\"path\":\"/rpc/whoami\",\"client\":\"supabase-js/2.0\"}");
  assert_reply (user, 200, "{\"uid\":\"" USER_A "\",\"role\":\"authenticated\",\"email\":\"someone@example.com\","
                           "\"current_user\":\"authenticated\",\"method\":\"POST\",\"path\":\"/rpc/whoami\",\"client\":null}");
  assert_reply (service, 200, "{\"uid\":null,\"role\":\"service_role\",\"email\":null,\"current_user\":\"service_role\","
                              "\"method\":\"GET\",\"path\":\"/rpc/whoami\",\"client\":null}");
}

/* Each connection keeps the identity of its last request: the next one
 * must replace all of it, whatever that request's code did to its session. */
static void
test_identity_does_not_leak (void)
{
  for (guint round = 0; round < 12; round++)
    {
      g_autoptr(Reply) tamper = rest_call ("POST", "/rpc/tamper", NULL, NULL, NULL);
      g_autoptr(Reply) anon = rest_call ("GET", "/rpc/whoami", NULL, NULL, NULL);
      g_autoptr(Reply) user = rest_call ("GET", "/rpc/whoami", rest_env.user_a, NULL, NULL);
      g_autoptr(Reply) notes = rest_call ("GET", "/notes?select=body&order=id", NULL, NULL, NULL);
      g_autoptr(Reply) service = rest_call ("GET", "/notes?select=id", rest_env.service, NULL, NULL);
      g_autoptr(Reply) again = rest_call ("GET", "/notes?select=id", NULL, NULL, NULL);

      g_assert_cmpuint (tamper->status, ==, 200);
      assert_reply (anon, 200, "{\"uid\":null,\"role\":\"anon\",\"email\":null,\"current_user\":\"anon\","
                               "\"method\":\"GET\",\"path\":\"/rpc/whoami\",\"client\":null}");
      assert_reply (user, 200, "{\"uid\":\"" USER_A "\",\"role\":\"authenticated\",\"email\":\"someone@example.com\","
                               "\"current_user\":\"authenticated\",\"method\":\"GET\",\"path\":\"/rpc/whoami\",\"client\":null}");
      assert_reply (notes, 200, "[]");
      g_assert_cmpuint (service->status, ==, 200);
      assert_reply (again, 200, "[]");
    }
}

/* ---- row-level security ------------------------------------------------------ */

static void
test_rls_reads (void)
{
  g_autoptr(Reply) a = rest_call ("GET", "/notes?select=body&order=id", rest_env.user_a, NULL, NULL);
  g_autoptr(Reply) b = rest_call ("GET", "/notes?select=body&order=id", rest_env.user_b, NULL, NULL);
  g_autoptr(Reply) anon = rest_call ("GET", "/notes", NULL, NULL, NULL);
  g_autoptr(Reply) service = rest_call ("GET", "/notes?select=body&order=id", rest_env.service, NULL, NULL);
  g_autoptr(Reply) counted = rest_call ("GET", "/notes?select=id", rest_env.user_a, NULL, "Prefer", "count=exact", NULL);

  /* a also sees b's note addressed to a's email (auth.jwt()) */
  assert_reply (a, 200, "[{\"body\":\"a1\"},{\"body\":\"a2\"},{\"body\":\"for someone@example.com\"}]");
  assert_reply (b, 200, "[{\"body\":\"b1\"},{\"body\":\"for someone@example.com\"}]");
  assert_reply (anon, 200, "[]");
  assert_reply (service, 200, "[{\"body\":\"a1\"},{\"body\":\"a2\"},{\"body\":\"b1\"},{\"body\":\"for someone@example.com\"}]");
  g_assert_cmpstr (soup_message_headers_get_one (counted->headers, "Content-Range"), ==, "0-2/3");
}

static void
test_rls_writes (void)
{
  g_autoptr(Reply) own = rest_call ("POST", "/notes?select=owner%2Cbody", rest_env.user_a, "{\"body\":\"a3\"}",
                                    "Prefer", "return=representation", NULL);
  g_autoptr(Reply) minimal = rest_call ("POST", "/notes", rest_env.user_a, "{\"body\":\"a4\"}", NULL);
  g_autoptr(Reply) foreign = rest_call ("POST", "/notes", rest_env.user_a,
                                        "{\"owner\":\"" USER_B "\",\"body\":\"sneaky\"}", NULL);
  g_autoptr(Reply) anon = rest_call ("POST", "/notes", NULL, "{\"owner\":\"" USER_A "\",\"body\":\"anon\"}", NULL);
  g_autoptr(Reply) others = rest_call ("PATCH", "/notes?body=eq.b1", rest_env.user_a, "{\"body\":\"changed\"}",
                                       "Prefer", "return=representation", NULL);
  g_autoptr(Reply) delete_all = rest_call ("DELETE", "/notes?body=like.a*&select=body", rest_env.user_b, NULL,
                                           "Prefer", "return=representation", NULL);
  g_autoptr(Reply) delete_own = rest_call ("DELETE", "/notes?body=in.%28a3%2Ca4%29&select=body", rest_env.user_a, NULL,
                                           "Prefer", "return=representation", NULL);
  g_autoptr(JsonObject) error = NULL;
  g_autofree char *b1 = rest_sql_value ("SELECT count(*) FROM public.notes WHERE body = 'b1'");
  g_autofree char *sneaky = rest_sql_value ("SELECT count(*) FROM public.notes WHERE body IN ('sneaky', 'anon')");

  assert_reply (own, 201, "[{\"owner\":\"" USER_A "\",\"body\":\"a3\"}]");
  assert_reply (minimal, 201, NULL);
  error = assert_error (foreign, 403, "42501", "new row violates row-level security policy for table \"notes\"");
  g_clear_pointer (&error, json_object_unref);
  error = assert_error (anon, 401, "42501", "new row violates row-level security policy for table \"notes\"");
  g_assert_cmpstr (soup_message_headers_get_one (anon->headers, "WWW-Authenticate"), ==, "Bearer");
  assert_reply (others, 200, "[]");
  assert_reply (delete_all, 200, "[]");
  assert_reply (delete_own, 200, "[{\"body\":\"a3\"},{\"body\":\"a4\"}]");
  g_assert_cmpstr (b1, ==, "1");
  g_assert_cmpstr (sneaky, ==, "0");
}

static void
test_privileges (void)
{
  g_autoptr(Reply) anon = rest_call ("GET", "/secrets", NULL, NULL, NULL);
  g_autoptr(Reply) user = rest_call ("GET", "/secrets", rest_env.user_a, NULL, NULL);
  g_autoptr(Reply) write = rest_call ("POST", "/secrets", rest_env.user_a, "{\"id\":2,\"s\":\"x\"}", NULL);
  g_autoptr(Reply) service = rest_call ("GET", "/secrets?select=s", rest_env.service, NULL, NULL);
  g_autoptr(Reply) openapi = rest_call ("GET", "/", NULL, NULL, NULL);
  g_autoptr(Reply) openapi_service = rest_call ("GET", "/", rest_env.service, NULL, NULL);
  g_autoptr(JsonObject) error = NULL;

  error = assert_error (anon, 401, "42501", "permission denied for table secrets");
  g_clear_pointer (&error, json_object_unref);
  error = assert_error (user, 403, "42501", "permission denied for table secrets");
  g_clear_pointer (&error, json_object_unref);
  error = assert_error (write, 403, "42501", NULL);
  assert_reply (service, 200, "[{\"s\":\"hidden\"}]");
  /* the description lists what the caller may use */
  g_assert_null (strstr (openapi->body, "\"/secrets\""));
  g_assert_nonnull (strstr (openapi->body, "\"/notes\""));
  g_assert_nonnull (strstr (openapi_service->body, "\"/secrets\""));
}

/* ---- injection --------------------------------------------------------------- */

static void
test_injection_in_names (void)
{
  struct { const char *path; guint status; const char *code; } cases[] = {
    /* table names */
    { "/victim%22%3B%20DROP%20TABLE%20public.victim%3B--", 404, "PGRST205" },
    { "/victim%27%3B%20DROP%20TABLE%20victim%3B--", 404, "PGRST205" },
    { "/rpc/whoami%28%29%3B%20DROP%20TABLE%20victim%3B--", 404, "PGRST202" },
    /* column names in select, filters and order */
    { "/items?select=id%3B+DROP+TABLE+victim%3B--", 400, "PGRST100" },
    { "/items?select=%22id%5C%22+FROM+victim%3B+DROP+TABLE+victim%3B--%22", 400, "42703" },
    { "/items?select=id%2C%22*%22", 400, "42703" },
    { "/items?%22id%5C%22+%3D+1+OR+1%3D1+--%22=eq.1", 400, "42703" },
    { "/items?id%3B+DROP+TABLE+victim=eq.1", 400, "PGRST100" },
    { "/items?order=id%3B+DROP+TABLE+victim", 400, "PGRST100" },
    { "/items?order=%22id%5C%22+desc%3B+DROP+TABLE+victim%3B--%22.asc", 400, "42703" },
    { "/items?select=id%3A%3Atext%29%3B+DROP+TABLE+victim%3B--", 400, "PGRST100" },
    { "/items?select=id%3A%3Atext+%24%24", 400, "42704" },
    { "/items?on_conflict=id%29+DO+NOTHING%3B+DROP+TABLE+victim%3B--", 400, "PGRST100" },
    /* not an operator: not a filter, ignored as PostgREST does */
    { "/items?id=eq%3BDROP.1", 200, NULL },
    { "/items?id=in.%281%29%29+OR+%281%3D1", 400, "PGRST100" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(Reply) reply = rest_call ("GET", cases[i].path, NULL, NULL, NULL);

      if (cases[i].code == NULL)
        {
          if (reply->status != cases[i].status)
            g_error ("%s: expected %u, got %u %s", cases[i].path, cases[i].status, reply->status, reply->body);
        }
      else
        json_object_unref (assert_error (reply, cases[i].status, cases[i].code, NULL));
    }
  assert_victim_intact ();
}

static void
test_injection_in_values (void)
{
  g_autoptr(Reply) text = rest_call ("GET", "/items?name=eq.%27%3B+DROP+TABLE+victim%3B--", NULL, NULL, NULL);
  g_autoptr(Reply) number = rest_call ("GET", "/items?id=eq.1%3B+DROP+TABLE+victim", NULL, NULL, NULL);
  g_autoptr(Reply) or = rest_call ("GET", "/items?or=%28name.eq.x%27%29+or+%28%271%27%3D%271%2Cid.eq.0%29", NULL, NULL, NULL);
  g_autoptr(Reply) or_quoted = rest_call ("GET", "/items?or=%28name.eq.%22x%27%29+or+%28%271%27%3D%271%22%2Cid.eq.0%29",
                                          NULL, NULL, NULL);
  g_autoptr(Reply) in = rest_call ("GET", "/items?name=in.%28%22one%22%2C%22%27%29+OR+1%3D1--%22%29", NULL, NULL, NULL);
  g_autoptr(Reply) like = rest_call ("GET", "/items?name=like.%25%27+OR+%271%27%3D%271", NULL, NULL, NULL);
  g_autoptr(Reply) json_key = rest_call ("GET", "/items?select=id%2Cx%3Adata-%3E%3E%22k%27%29%3B+DROP+TABLE+victim%3B--%22&order=id",
                                         NULL, NULL, NULL);
  g_autoptr(Reply) limit = rest_call ("GET", "/items?limit=1%3B+DROP+TABLE+victim", NULL, NULL, NULL);
  g_autoptr(Reply) rpc_arg = rest_call ("GET", "/rpc/whoami?x=%27%29%3B+DROP+TABLE+victim%3B--", NULL, NULL, NULL);
  g_autoptr(Reply) stored = rest_call ("POST", "/items?select=name%2Cdata", rest_env.service,
                                       "{\"id\":3,\"name\":\"x'); DROP TABLE victim;--\",\"data\":{\"$$\":\"'; DROP TABLE victim;--\"}}",
                                       "Prefer", "return=representation", NULL);
  g_autoptr(Reply) key = rest_call ("POST", "/items", rest_env.service,
                                    "{\"id\":4,\"name\\\" text); DROP TABLE victim;--\":\"x\"}", NULL);
  g_autoptr(Reply) patch = rest_call ("PATCH", "/items?id=eq.3&select=name", rest_env.service,
                                      "{\"name\":\"$1 $$ '' \\\\\"}", "Prefer", "return=representation", NULL);
  g_autoptr(Reply) profile = rest_call ("GET", "/items", NULL, NULL, "Accept-Profile", "public\"; DROP TABLE victim;--", NULL);
  g_autoptr(Reply) prefer = rest_call ("GET", "/items?select=id&order=id", NULL, NULL,
                                       "Prefer", "count=exact; DROP TABLE victim", NULL);

  assert_reply (text, 200, "[]");
  json_object_unref (assert_error (number, 400, "22P02", "invalid input syntax for type integer: \"1; DROP TABLE victim\""));
  /* ')' ends a value inside a logic tree: the rest does not parse */
  json_object_unref (assert_error (or, 400, "PGRST100", NULL));
  assert_reply (or_quoted, 200, "[]");
  assert_reply (in, 200, "[{\"id\":1,\"name\":\"one\",\"data\":{\"k\": \"v\"}}]");
  assert_reply (like, 200, "[]");
  assert_reply (json_key, 200, "[{\"id\":1,\"x\":null},{\"id\":2,\"x\":null}]");
  json_object_unref (assert_error (limit, 400, "PGRST100", NULL));
  g_assert_cmpuint (rpc_arg->status, ==, 404);
  assert_reply (stored, 201, "[{\"name\":\"x'); DROP TABLE victim;--\",\"data\":{\"$$\":\"'; DROP TABLE victim;--\"}}]");
  json_object_unref (assert_error (key, 400, "PGRST204", NULL));
  assert_reply (patch, 200, "[{\"name\":\"$1 $$ '' \\\\\"}]");
  json_object_unref (assert_error (profile, 406, "PGRST106", NULL));
  /* an unknown preference is ignored without handling=strict */
  assert_reply (prefer, 200, "[{\"id\":1},{\"id\":2},{\"id\":3}]");
  assert_victim_intact ();
  assert_sql_value ("SELECT name FROM public.items WHERE id = 3", "$1 $$ '' \\");
}

/* ---- errors ------------------------------------------------------------------ */

static void
test_error_shapes (void)
{
  g_autoptr(Reply) raised = rest_call ("POST", "/rpc/fail", NULL, NULL, NULL);
  g_autoptr(Reply) teapot = rest_call ("POST", "/rpc/teapot", NULL, NULL, NULL);
  g_autoptr(Reply) table = rest_call ("GET", "/nope", NULL, NULL, NULL);
  g_autoptr(Reply) filter = rest_call ("GET", "/items?id=eq", NULL, NULL, NULL);
  g_autoptr(Reply) column = rest_call ("GET", "/items?select=nope", NULL, NULL, NULL);
  g_autoptr(Reply) embed = rest_call ("GET", "/items?select=id%2Cowner%28name%29", NULL, NULL, NULL);
  g_autoptr(Reply) path = rest_call ("GET", "/items/1", NULL, NULL, NULL);
  g_autoptr(Reply) strict = rest_call ("GET", "/items", NULL, NULL, "Prefer", "handling=strict, nope=1", NULL);
  g_autoptr(JsonObject) error = NULL;

  error = assert_error (raised, 400, "P0001", "I refuse!");
  g_assert_cmpstr (json_object_get_string_member (error, "details"), ==, "Pretty simple");
  g_assert_cmpstr (json_object_get_string_member (error, "hint"), ==, "There is nothing you can do.");
  g_clear_pointer (&error, json_object_unref);
  error = assert_error (teapot, 418, "PT418", "short and stout");
  g_clear_pointer (&error, json_object_unref);
  error = assert_error (table, 404, "PGRST205", "Could not find the table 'public.nope' in the schema cache");
  g_assert_true (json_object_get_null_member (error, "details"));
  g_assert_true (json_object_get_null_member (error, "hint"));
  g_clear_pointer (&error, json_object_unref);
  error = assert_error (filter, 400, "PGRST100", "\"failed to parse filter (eq)\" (line 1, column 3)");
  g_assert_cmpstr (json_object_get_string_member (error, "details"), ==, "unexpected end of input expecting delimiter (.)");
  g_clear_pointer (&error, json_object_unref);
  error = assert_error (column, 400, "42703", "column items.nope does not exist");
  g_clear_pointer (&error, json_object_unref);
  error = assert_error (embed, 400, "PGRST200", "Could not find a relationship between 'items' and 'owner' in the schema cache");
  g_clear_pointer (&error, json_object_unref);
  error = assert_error (path, 404, "PGRST125", "Invalid path specified in request URL");
  g_clear_pointer (&error, json_object_unref);
  error = assert_error (strict, 400, "PGRST122", "Invalid preferences given with handling=strict");
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_test_init (&argc, &argv, NULL);
  rest_env_start (setup_sql);

  g_test_add_func ("/rest/security/tokens", test_tokens);
  g_test_add_func ("/rest/security/request-settings", test_request_settings);
  g_test_add_func ("/rest/security/identity-does-not-leak", test_identity_does_not_leak);
  g_test_add_func ("/rest/security/rls-reads", test_rls_reads);
  g_test_add_func ("/rest/security/rls-writes", test_rls_writes);
  g_test_add_func ("/rest/security/privileges", test_privileges);
  g_test_add_func ("/rest/security/injection-in-names", test_injection_in_names);
  g_test_add_func ("/rest/security/injection-in-values", test_injection_in_values);
  g_test_add_func ("/rest/security/error-shapes", test_error_shapes);

  status = g_test_run ();
  rest_env_stop ();
  return status;
}
