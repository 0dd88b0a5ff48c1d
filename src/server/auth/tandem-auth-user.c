/* tandem-auth-user.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tandem-auth"

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "tandem-auth-errors.h"
#include "tandem-auth-user.h"

/* Timestamps travel as integer microseconds since the epoch. */
#define US(expr) "(extract(epoch from " expr ") * 1000000)::bigint"

const char tandem_auth_user_columns[] =
  "u.id, u.aud, u.role, u.email, u.phone, "
  US ("u.email_confirmed_at") " AS email_confirmed_at, "
  US ("u.confirmed_at") " AS confirmed_at, "
  US ("u.last_sign_in_at") " AS last_sign_in_at, "
  US ("u.created_at") " AS created_at, "
  US ("u.updated_at") " AS updated_at, "
  "u.raw_app_meta_data AS app_metadata, u.raw_user_meta_data AS user_metadata, u.is_anonymous, "
  "(SELECT coalesce (json_agg (json_build_object ("
  "    'identity_id', i.id, 'id', i.provider_id, 'user_id', i.user_id,"
  "    'identity_data', i.identity_data, 'provider', i.provider,"
  "    'last_sign_in_at', " US ("i.last_sign_in_at") ","
  "    'created_at', " US ("i.created_at") ","
  "    'updated_at', " US ("i.updated_at") ","
  "    'email', i.email) ORDER BY i.created_at, i.id), '[]')"
  "  FROM auth.identities i WHERE i.user_id = u.id) AS identities";

char *
tandem_auth_format_time (gint64 usec)
{
  g_autoptr(GDateTime) time = NULL;
  g_autofree char *seconds = NULL;
  gint64 whole;
  int fraction;
  char digits[8];
  int n_digits = 6;

  if (usec == TANDEM_AUTH_NO_TIME)
    return NULL;

  whole = usec / G_USEC_PER_SEC;
  fraction = (int) (usec % G_USEC_PER_SEC);
  if (fraction < 0)
    {
      whole--;
      fraction += G_USEC_PER_SEC;
    }
  time = g_date_time_new_from_unix_utc (whole);
  if (time == NULL)
    return NULL;
  seconds = g_date_time_format (time, "%Y-%m-%dT%H:%M:%S");
  if (fraction == 0)
    return g_strconcat (seconds, "Z", NULL);

  g_snprintf (digits, sizeof digits, "%06d", fraction);
  while (n_digits > 0 && digits[n_digits - 1] == '0')
    n_digits--;
  digits[n_digits] = '\0';
  return g_strdup_printf ("%s.%sZ", seconds, digits);
}

/* Reading a result */

static int
column (const PGresult  *result,
        const char      *name,
        GError         **error)
{
  int index = PQfnumber (result, name);

  if (index < 0)
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "The user query has no column %s", name);
  return index;
}

static gboolean
read_text (const PGresult  *result,
           int              row,
           const char      *name,
           gboolean         nullable,
           char           **out,
           GError         **error)
{
  int index = column (result, name, error);

  if (index < 0)
    return FALSE;
  if (PQgetisnull (result, row, index))
    {
      if (!nullable)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "The user's %s is NULL", name);
          return FALSE;
        }
      *out = NULL;
      return TRUE;
    }
  *out = g_strdup (PQgetvalue (result, row, index));
  return TRUE;
}

static gboolean
parse_time (const char  *text,
            gint64      *usec)
{
  guint64 magnitude;
  gboolean negative = text[0] == '-';

  if (!g_ascii_string_to_unsigned (text + negative, 10, 0, G_MAXINT64, &magnitude, NULL))
    return FALSE;
  *usec = negative ? -(gint64) magnitude : (gint64) magnitude;
  return TRUE;
}

static gboolean
read_time (const PGresult  *result,
           int              row,
           const char      *name,
           gint64          *out,
           GError         **error)
{
  int index = column (result, name, error);

  if (index < 0)
    return FALSE;
  if (PQgetisnull (result, row, index))
    {
      *out = TANDEM_AUTH_NO_TIME;
      return TRUE;
    }
  if (!parse_time (PQgetvalue (result, row, index), out))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "The user's %s is not a time", name);
      return FALSE;
    }
  return TRUE;
}

static JsonNode *
read_json (const PGresult  *result,
           int              row,
           const char      *name,
           JsonNodeType     type,
           GError         **error)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  int index = column (result, name, error);
  JsonNode *root;

  if (index < 0)
    return NULL;
  if (PQgetisnull (result, row, index) ||
      !json_parser_load_from_data (parser, PQgetvalue (result, row, index), -1, error))
    {
      if (error != NULL && *error == NULL)
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "The user's %s is NULL", name);
      return NULL;
    }
  root = json_parser_get_root (parser);
  if (root == NULL || JSON_NODE_TYPE (root) != type)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "The user's %s has the wrong type", name);
      return NULL;
    }
  return json_node_ref (root);
}

static void
add_time (JsonBuilder *builder,
          const char  *name,
          gint64       usec,
          gboolean     omit_when_missing)
{
  g_autofree char *text = tandem_auth_format_time (usec);

  if (text == NULL && omit_when_missing)
    return;
  json_builder_set_member_name (builder, name);
  if (text != NULL)
    json_builder_add_string_value (builder, text);
  else
    json_builder_add_null_value (builder);
}

static gint64
member_time (JsonObject *object,
             const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || JSON_NODE_HOLDS_NULL (node) || json_node_get_value_type (node) != G_TYPE_INT64)
    return TANDEM_AUTH_NO_TIME;
  return json_node_get_int (node);
}

static void
add_copy (JsonBuilder *builder,
          JsonObject  *object,
          const char  *name)
{
  JsonNode *node = json_object_get_member (object, name);

  json_builder_set_member_name (builder, name);
  if (node != NULL)
    json_builder_add_value (builder, json_node_copy (node));
  else
    json_builder_add_null_value (builder);
}

/* The identities as the query gives them, with GoTrue's timestamps. */
static JsonArray *
render_identities (JsonArray *raw)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_array (builder);
  for (guint i = 0; i < json_array_get_length (raw); i++)
    {
      JsonObject *identity = json_array_get_object_element (raw, i);

      if (identity == NULL)
        continue;
      json_builder_begin_object (builder);
      add_copy (builder, identity, "identity_id");
      add_copy (builder, identity, "id");
      add_copy (builder, identity, "user_id");
      add_copy (builder, identity, "identity_data");
      add_copy (builder, identity, "provider");
      add_time (builder, "last_sign_in_at", member_time (identity, "last_sign_in_at"), TRUE);
      add_time (builder, "created_at", member_time (identity, "created_at"), FALSE);
      add_time (builder, "updated_at", member_time (identity, "updated_at"), FALSE);
      if (json_object_has_member (identity, "email") && !json_object_get_null_member (identity, "email"))
        add_copy (builder, identity, "email");
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  root = json_builder_get_root (builder);
  return json_array_ref (json_node_get_array (root));
}

TandemAuthUser *
tandem_auth_user_new_from_result (const PGresult  *result,
                                  int              row,
                                  GError         **error)
{
  g_autoptr(TandemAuthUser) user = g_new0 (TandemAuthUser, 1);
  g_autoptr(JsonNode) app_metadata = NULL;
  g_autoptr(JsonNode) user_metadata = NULL;
  g_autoptr(JsonNode) identities = NULL;
  g_autofree char *is_anonymous = NULL;

  g_return_val_if_fail (row >= 0 && row < PQntuples (result), NULL);

  if (!read_text (result, row, "id", FALSE, &user->id, error) ||
      !read_text (result, row, "aud", FALSE, &user->aud, error) ||
      !read_text (result, row, "role", FALSE, &user->role, error) ||
      !read_text (result, row, "email", TRUE, &user->email, error) ||
      !read_text (result, row, "phone", TRUE, &user->phone, error) ||
      !read_text (result, row, "is_anonymous", FALSE, &is_anonymous, error) ||
      !read_time (result, row, "email_confirmed_at", &user->email_confirmed_at, error) ||
      !read_time (result, row, "confirmed_at", &user->confirmed_at, error) ||
      !read_time (result, row, "last_sign_in_at", &user->last_sign_in_at, error) ||
      !read_time (result, row, "created_at", &user->created_at, error) ||
      !read_time (result, row, "updated_at", &user->updated_at, error))
    return NULL;

  app_metadata = read_json (result, row, "app_metadata", JSON_NODE_OBJECT, error);
  if (app_metadata == NULL)
    return NULL;
  user_metadata = read_json (result, row, "user_metadata", JSON_NODE_OBJECT, error);
  if (user_metadata == NULL)
    return NULL;
  identities = read_json (result, row, "identities", JSON_NODE_ARRAY, error);
  if (identities == NULL)
    return NULL;

  user->is_anonymous = g_str_equal (is_anonymous, "t");
  user->app_metadata = json_object_ref (json_node_get_object (app_metadata));
  user->user_metadata = json_object_ref (json_node_get_object (user_metadata));
  user->identities = render_identities (json_node_get_array (identities));
  return g_steal_pointer (&user);
}

void
tandem_auth_user_free (TandemAuthUser *user)
{
  if (user == NULL)
    return;
  g_free (user->id);
  g_free (user->aud);
  g_free (user->role);
  g_free (user->email);
  g_free (user->phone);
  g_clear_pointer (&user->app_metadata, json_object_unref);
  g_clear_pointer (&user->user_metadata, json_object_unref);
  g_clear_pointer (&user->identities, json_array_unref);
  g_free (user);
}

JsonNode *
tandem_auth_user_to_json (const TandemAuthUser *user)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  /* GoTrue's field order; empty optional times are left out. */
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_string_value (builder, user->id);
  json_builder_set_member_name (builder, "aud");
  json_builder_add_string_value (builder, user->aud);
  json_builder_set_member_name (builder, "role");
  json_builder_add_string_value (builder, user->role);
  json_builder_set_member_name (builder, "email");
  json_builder_add_string_value (builder, user->email ? user->email : "");
  add_time (builder, "email_confirmed_at", user->email_confirmed_at, TRUE);
  json_builder_set_member_name (builder, "phone");
  json_builder_add_string_value (builder, user->phone ? user->phone : "");
  add_time (builder, "confirmed_at", user->confirmed_at, TRUE);
  add_time (builder, "last_sign_in_at", user->last_sign_in_at, TRUE);
  json_builder_set_member_name (builder, "app_metadata");
  json_builder_add_value (builder, json_node_init_object (json_node_alloc (), user->app_metadata));
  json_builder_set_member_name (builder, "user_metadata");
  json_builder_add_value (builder, json_node_init_object (json_node_alloc (), user->user_metadata));
  json_builder_set_member_name (builder, "identities");
  json_builder_add_value (builder, json_node_init_array (json_node_alloc (), user->identities));
  add_time (builder, "created_at", user->created_at, FALSE);
  add_time (builder, "updated_at", user->updated_at, FALSE);
  json_builder_set_member_name (builder, "is_anonymous");
  json_builder_add_boolean_value (builder, user->is_anonymous);
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

/* Input rules */

/* An address as GoTrue's checker accepts it: a local part of the RFC 5322
 * "atext" characters and dots, then host labels of letters, digits and inner
 * hyphens (at most 63 characters each). */
#define EMAIL_PATTERN \
  "^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+" \
  "@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?" \
  "(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$"

char *
tandem_auth_validate_email (const char  *email,
                            GError     **error)
{
  static GRegex *pattern;

  if (g_once_init_enter (&pattern))
    g_once_init_leave (&pattern, g_regex_new (EMAIL_PATTERN, G_REGEX_OPTIMIZE, 0, NULL));

  if (email == NULL || *email == '\0')
    {
      g_set_error_literal (error, TANDEM_AUTH_ERROR, TANDEM_AUTH_ERROR_VALIDATION_FAILED,
                           "An email address is required");
      return NULL;
    }
  if (strlen (email) > 255)
    {
      g_set_error_literal (error, TANDEM_AUTH_ERROR, TANDEM_AUTH_ERROR_VALIDATION_FAILED,
                           "An email address is too long");
      return NULL;
    }
  if (!g_regex_match (pattern, email, 0, NULL))
    {
      g_set_error_literal (error, TANDEM_AUTH_ERROR, TANDEM_AUTH_ERROR_VALIDATION_FAILED,
                           "Unable to validate email address: invalid format");
      return NULL;
    }
  return g_ascii_strdown (email, -1);
}

gboolean
tandem_auth_check_new_password (const char  *password,
                                GError     **error)
{
  gsize length = password ? strlen (password) : 0;

  if (length > TANDEM_AUTH_PASSWORD_MAX_LENGTH)
    {
      g_set_error (error, TANDEM_AUTH_ERROR, TANDEM_AUTH_ERROR_VALIDATION_FAILED,
                   "Password cannot be longer than %d characters", TANDEM_AUTH_PASSWORD_MAX_LENGTH);
      return FALSE;
    }
  if (length < TANDEM_AUTH_PASSWORD_MIN_LENGTH)
    {
      g_set_error (error, TANDEM_AUTH_ERROR, TANDEM_AUTH_ERROR_WEAK_PASSWORD,
                   "Password should be at least %d characters.", TANDEM_AUTH_PASSWORD_MIN_LENGTH);
      return FALSE;
    }
  return TRUE;
}
