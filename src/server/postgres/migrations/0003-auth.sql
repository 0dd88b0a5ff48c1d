-- The tables behind the Auth API (/auth/v1): users, their identities, their
-- sessions and the sessions' refresh tokens, in the shape GoTrue gives them so
-- that SQL written for Supabase (foreign keys to auth.users, triggers on new
-- users, policies that join it) works here too.
--
-- Only tandem-server, connected as a superuser, reads and writes them: the
-- API roles get no privilege on any of them.

-- bcrypt, through pgcrypto's crypt() and gen_salt('bf'), as Supabase does.
CREATE SCHEMA IF NOT EXISTS extensions;
CREATE EXTENSION IF NOT EXISTS pgcrypto WITH SCHEMA extensions;

CREATE TABLE IF NOT EXISTS auth.users (
  id                 uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  aud                varchar(255) NOT NULL DEFAULT 'authenticated',
  role               varchar(255) NOT NULL DEFAULT 'authenticated',
  email              varchar(255),
  encrypted_password varchar(255),
  email_confirmed_at timestamptz,
  phone              text,
  phone_confirmed_at timestamptz,
  confirmed_at       timestamptz GENERATED ALWAYS AS (LEAST(email_confirmed_at, phone_confirmed_at)) STORED,
  last_sign_in_at    timestamptz,
  raw_app_meta_data  jsonb NOT NULL DEFAULT '{}',
  raw_user_meta_data jsonb NOT NULL DEFAULT '{}',
  created_at         timestamptz NOT NULL DEFAULT now(),
  updated_at         timestamptz NOT NULL DEFAULT now(),
  is_anonymous       boolean NOT NULL DEFAULT false
);
-- One account per address, whatever its case (GoTrue keeps them lower-case).
CREATE UNIQUE INDEX IF NOT EXISTS users_email_key ON auth.users (lower(email)) WHERE email IS NOT NULL;

CREATE TABLE IF NOT EXISTS auth.identities (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  provider_id     text NOT NULL,
  user_id         uuid NOT NULL REFERENCES auth.users (id) ON DELETE CASCADE,
  identity_data   jsonb NOT NULL,
  provider        text NOT NULL,
  last_sign_in_at timestamptz,
  created_at      timestamptz NOT NULL DEFAULT now(),
  updated_at      timestamptz NOT NULL DEFAULT now(),
  email           text GENERATED ALWAYS AS (lower(identity_data ->> 'email')) STORED,
  UNIQUE (provider_id, provider)
);
CREATE INDEX IF NOT EXISTS identities_user_id_idx ON auth.identities (user_id);

-- A session lasts from a sign-in to its logout; its id is the access
-- tokens' session_id claim.
CREATE TABLE IF NOT EXISTS auth.sessions (
  id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id      uuid NOT NULL REFERENCES auth.users (id) ON DELETE CASCADE,
  aal          text NOT NULL DEFAULT 'aal1',
  created_at   timestamptz NOT NULL DEFAULT now(),
  updated_at   timestamptz NOT NULL DEFAULT now(),
  refreshed_at timestamptz,
  user_agent   text,
  ip           inet
);
CREATE INDEX IF NOT EXISTS sessions_user_id_idx ON auth.sessions (user_id);

-- Refresh tokens rotate: each use revokes the token and issues a child. The
-- tokens themselves are never stored, only their SHA-256 (hex); `parent` is
-- the parent's. A child's text is derived from its parent's text and `nonce`
-- with the server's secret, so that a client that lost the answer to a
-- refresh can be given the same child again, as GoTrue does.
CREATE TABLE IF NOT EXISTS auth.refresh_tokens (
  id         bigserial PRIMARY KEY,
  token      varchar(255) NOT NULL UNIQUE,
  user_id    uuid NOT NULL REFERENCES auth.users (id) ON DELETE CASCADE,
  session_id uuid NOT NULL REFERENCES auth.sessions (id) ON DELETE CASCADE,
  parent     varchar(255),
  nonce      varchar(255),
  revoked    boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS refresh_tokens_session_id_revoked_idx ON auth.refresh_tokens (session_id, revoked);
CREATE INDEX IF NOT EXISTS refresh_tokens_parent_idx ON auth.refresh_tokens (parent);

-- Password hashing in one place: bcrypt with GoTrue's cost (10), and the
-- check, whichever schema pgcrypto was installed in.
CREATE OR REPLACE FUNCTION auth.tandem_hash_password(password text) RETURNS text
LANGUAGE plpgsql VOLATILE STRICT
SET search_path = extensions, public, pg_catalog AS $$
BEGIN
  RETURN crypt(password, gen_salt('bf', 10));
END
$$;

CREATE OR REPLACE FUNCTION auth.tandem_check_password(password text, hash text) RETURNS boolean
LANGUAGE plpgsql STABLE
SET search_path = extensions, public, pg_catalog AS $$
BEGIN
  IF password IS NULL OR hash IS NULL OR hash = '' THEN
    RETURN false;
  END IF;
  RETURN crypt(password, hash) = hash;
EXCEPTION WHEN invalid_parameter_value THEN
  -- Not a hash pgcrypto knows ("invalid salt"): no password matches it.
  RETURN false;
END
$$;

REVOKE ALL ON auth.users, auth.identities, auth.sessions, auth.refresh_tokens FROM PUBLIC;
REVOKE ALL ON SEQUENCE auth.refresh_tokens_id_seq FROM PUBLIC;
REVOKE ALL ON FUNCTION auth.tandem_hash_password(text), auth.tandem_check_password(text, text) FROM PUBLIC;
