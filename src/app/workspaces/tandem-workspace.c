/* tandem-workspace.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tandem-workspace"

#include "config.h"

#include "tandem-app-enums.h"
#include "tandem-workspace.h"

struct _TandemWorkspace
{
  GObject              parent_instance;

  char                *id;
  TandemWorkspaceKind  kind;
  char                *name;
  char                *url;
  char                *email;
  char                *display_name;
  guint                port;
};

G_DEFINE_FINAL_TYPE (TandemWorkspace, tandem_workspace, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_KIND,
  PROP_NAME,
  PROP_URL,
  PROP_EMAIL,
  PROP_DISPLAY_NAME,
  PROP_PORT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
tandem_workspace_finalize (GObject *object)
{
  TandemWorkspace *self = TANDEM_WORKSPACE (object);

  g_free (self->id);
  g_free (self->name);
  g_free (self->url);
  g_free (self->email);
  g_free (self->display_name);

  G_OBJECT_CLASS (tandem_workspace_parent_class)->finalize (object);
}

static void
tandem_workspace_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  TandemWorkspace *self = TANDEM_WORKSPACE (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_string (value, self->id);
      break;
    case PROP_KIND:
      g_value_set_enum (value, self->kind);
      break;
    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;
    case PROP_URL:
      g_value_set_string (value, self->url);
      break;
    case PROP_EMAIL:
      g_value_set_string (value, self->email);
      break;
    case PROP_DISPLAY_NAME:
      g_value_set_string (value, self->display_name);
      break;
    case PROP_PORT:
      g_value_set_uint (value, self->port);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tandem_workspace_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  TandemWorkspace *self = TANDEM_WORKSPACE (object);

  switch (prop_id)
    {
    case PROP_ID:
      self->id = g_value_dup_string (value);
      break;
    case PROP_KIND:
      self->kind = g_value_get_enum (value);
      break;
    case PROP_NAME:
      tandem_workspace_set_name (self, g_value_get_string (value));
      break;
    case PROP_URL:
      tandem_workspace_set_url (self, g_value_get_string (value));
      break;
    case PROP_EMAIL:
      tandem_workspace_set_email (self, g_value_get_string (value));
      break;
    case PROP_DISPLAY_NAME:
      tandem_workspace_set_display_name (self, g_value_get_string (value));
      break;
    case PROP_PORT:
      tandem_workspace_set_port (self, g_value_get_uint (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tandem_workspace_class_init (TandemWorkspaceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = tandem_workspace_finalize;
  object_class->get_property = tandem_workspace_get_property;
  object_class->set_property = tandem_workspace_set_property;

  properties[PROP_ID] =
    g_param_spec_string ("id", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_KIND] =
    g_param_spec_enum ("kind", NULL, NULL, TANDEM_TYPE_WORKSPACE_KIND, TANDEM_WORKSPACE_LOCAL,
                       G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_URL] =
    g_param_spec_string ("url", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_EMAIL] =
    g_param_spec_string ("email", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_DISPLAY_NAME] =
    g_param_spec_string ("display-name", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PORT] =
    g_param_spec_uint ("port", NULL, NULL, 0, G_MAXUINT16, 0,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
tandem_workspace_init (TandemWorkspace *self)
{
}

TandemWorkspace *
tandem_workspace_new (const char          *id,
                      TandemWorkspaceKind  kind)
{
  g_return_val_if_fail (id != NULL && *id != '\0', NULL);

  return g_object_new (TANDEM_TYPE_WORKSPACE, "id", id, "kind", kind, NULL);
}

char *
tandem_workspace_generate_id (void)
{
  return g_strdup_printf ("%06x%06x", g_random_int_range (0, 0x1000000), g_random_int_range (0, 0x1000000));
}

const char *
tandem_workspace_get_id (TandemWorkspace *self)
{
  g_return_val_if_fail (TANDEM_IS_WORKSPACE (self), NULL);
  return self->id;
}

TandemWorkspaceKind
tandem_workspace_get_kind (TandemWorkspace *self)
{
  g_return_val_if_fail (TANDEM_IS_WORKSPACE (self), TANDEM_WORKSPACE_LOCAL);
  return self->kind;
}

static gboolean
set_string (TandemWorkspace  *self,
            char            **field,
            const char       *value,
            int               prop)
{
  if (g_strcmp0 (*field, value) == 0)
    return FALSE;
  g_free (*field);
  *field = g_strdup (value);
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
  return TRUE;
}

const char *
tandem_workspace_get_name (TandemWorkspace *self)
{
  g_return_val_if_fail (TANDEM_IS_WORKSPACE (self), NULL);
  return self->name;
}

void
tandem_workspace_set_name (TandemWorkspace *self,
                           const char      *name)
{
  g_return_if_fail (TANDEM_IS_WORKSPACE (self));
  set_string (self, &self->name, name, PROP_NAME);
}

const char *
tandem_workspace_get_url (TandemWorkspace *self)
{
  g_return_val_if_fail (TANDEM_IS_WORKSPACE (self), NULL);
  return self->url;
}

void
tandem_workspace_set_url (TandemWorkspace *self,
                          const char      *url)
{
  g_return_if_fail (TANDEM_IS_WORKSPACE (self));
  set_string (self, &self->url, url, PROP_URL);
}

const char *
tandem_workspace_get_email (TandemWorkspace *self)
{
  g_return_val_if_fail (TANDEM_IS_WORKSPACE (self), NULL);
  return self->email;
}

void
tandem_workspace_set_email (TandemWorkspace *self,
                            const char      *email)
{
  g_return_if_fail (TANDEM_IS_WORKSPACE (self));
  set_string (self, &self->email, email, PROP_EMAIL);
}

const char *
tandem_workspace_get_display_name (TandemWorkspace *self)
{
  g_return_val_if_fail (TANDEM_IS_WORKSPACE (self), NULL);
  return self->display_name;
}

void
tandem_workspace_set_display_name (TandemWorkspace *self,
                                   const char      *display_name)
{
  g_return_if_fail (TANDEM_IS_WORKSPACE (self));
  set_string (self, &self->display_name, display_name, PROP_DISPLAY_NAME);
}

guint
tandem_workspace_get_port (TandemWorkspace *self)
{
  g_return_val_if_fail (TANDEM_IS_WORKSPACE (self), 0);
  return self->port;
}

void
tandem_workspace_set_port (TandemWorkspace *self,
                           guint            port)
{
  g_return_if_fail (TANDEM_IS_WORKSPACE (self));
  if (self->port == port)
    return;
  self->port = port;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PORT]);
}

char *
tandem_workspace_dup_data_dir (TandemWorkspace *self)
{
  g_return_val_if_fail (TANDEM_IS_WORKSPACE (self), NULL);
  return g_build_filename (g_get_user_data_dir (), "tandem", "workspaces", self->id, NULL);
}
