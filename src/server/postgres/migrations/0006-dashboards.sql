-- The app's dashboards and the analytics events they chart, as
-- src/app/README.md describes them. Every signed-in user of a workspace
-- reads, creates and edits dashboards and only the owner deletes one; every
-- signed-in user reads and inserts events. anon has no policy, so it sees and
-- changes nothing; service_role bypasses row-level security.
--
-- Plain CREATE TABLE on purpose: a database given with --database-url that
-- already has tables of these names is someone else's, and our policies must
-- not land on it silently.

CREATE TABLE public.dashboards (
  id         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name       text NOT NULL,
  layout     jsonb NOT NULL DEFAULT '{"widgets":[]}',
  -- A deleted account leaves its dashboards to the workspace instead of
  -- blocking the deletion.
  owner      uuid DEFAULT auth.uid() REFERENCES auth.users (id) ON DELETE SET NULL,
  created_at timestamptz DEFAULT now(),
  updated_at timestamptz DEFAULT now()
);

CREATE TABLE public.analytics_events (
  id         bigserial PRIMARY KEY,
  created_at timestamptz NOT NULL DEFAULT now(),
  name       text NOT NULL,
  value      double precision NOT NULL DEFAULT 1,
  properties jsonb NOT NULL DEFAULT '{}'
);
COMMENT ON TABLE public.dashboards IS 'Dashboards of the Tandem app: a name and a layout of widgets';
COMMENT ON TABLE public.analytics_events IS 'Analytics events that dashboards chart';

-- Charts read a time window, of every event or of one name.
CREATE INDEX analytics_events_created_at_idx ON public.analytics_events (created_at);
CREATE INDEX analytics_events_name_created_at_idx ON public.analytics_events (name, created_at);

-- updated_at follows every update. The owner is fixed once the row exists:
-- anyone may edit a dashboard, so if the API roles could rewrite `owner`
-- anyone could make a dashboard theirs and then delete it.
CREATE FUNCTION tandem.dashboards_before_update() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.owner IS DISTINCT FROM OLD.owner AND current_user IN ('anon', 'authenticated') THEN
    RAISE EXCEPTION 'the owner of a dashboard cannot be changed'
      USING ERRCODE = '42501';
  END IF;
  NEW.updated_at := now();
  RETURN NEW;
END
$$;

CREATE TRIGGER dashboards_before_update
  BEFORE UPDATE ON public.dashboards
  FOR EACH ROW EXECUTE FUNCTION tandem.dashboards_before_update();

ALTER TABLE public.dashboards ENABLE ROW LEVEL SECURITY;

CREATE POLICY dashboards_select ON public.dashboards
  FOR SELECT TO authenticated USING (true);
-- A new dashboard belongs to whoever creates it (the column's default).
CREATE POLICY dashboards_insert ON public.dashboards
  FOR INSERT TO authenticated WITH CHECK (owner = auth.uid());
CREATE POLICY dashboards_update ON public.dashboards
  FOR UPDATE TO authenticated USING (true) WITH CHECK (true);
CREATE POLICY dashboards_delete ON public.dashboards
  FOR DELETE TO authenticated USING (owner = auth.uid());

ALTER TABLE public.analytics_events ENABLE ROW LEVEL SECURITY;

CREATE POLICY analytics_events_select ON public.analytics_events
  FOR SELECT TO authenticated USING (true);
CREATE POLICY analytics_events_insert ON public.analytics_events
  FOR INSERT TO authenticated WITH CHECK (true);

-- As on Supabase the API roles hold the table privileges and the policies
-- above decide which rows they reach (so anon reads an empty list rather
-- than an error). 0001's default privileges would also give anon and
-- authenticated TRUNCATE, which row-level security does not govern: their
-- grants are spelled out instead.
REVOKE ALL ON public.dashboards, public.analytics_events FROM anon, authenticated;
REVOKE ALL ON SEQUENCE public.analytics_events_id_seq FROM anon, authenticated;
GRANT SELECT, INSERT, UPDATE, DELETE ON public.dashboards, public.analytics_events TO anon, authenticated;
GRANT USAGE, SELECT ON SEQUENCE public.analytics_events_id_seq TO anon, authenticated;
GRANT ALL ON public.dashboards, public.analytics_events TO service_role;
GRANT ALL ON SEQUENCE public.analytics_events_id_seq TO service_role;

-- Dashboards send their old row on update and delete, so a client can tell
-- which one changed whatever the filter.
ALTER TABLE public.dashboards REPLICA IDENTITY FULL;

DO $$
BEGIN
  -- A publication FOR ALL TABLES (set up by hand on an existing database)
  -- already carries them and refuses ADD TABLE.
  IF NOT (SELECT puballtables FROM pg_publication WHERE pubname = 'supabase_realtime') THEN
    ALTER PUBLICATION supabase_realtime ADD TABLE public.dashboards, public.analytics_events;
  END IF;
END
$$;
