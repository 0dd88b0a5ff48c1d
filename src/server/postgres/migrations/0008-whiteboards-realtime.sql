-- The Whiteboards page follows the list of boards live, as the dashboards
-- page follows its own: public.whiteboards joins the supabase_realtime
-- publication (its REPLICA IDENTITY FULL is set by 0007). The strokes stay
-- out: live drawing goes by broadcast, and the WAL should not carry every
-- stroke's points to the change stream.
--
-- Who hears of a change is decided as for dashboards: an INSERT or UPDATE
-- reaches a subscriber whose SELECT policy lets it read the row
-- (whiteboards_select: every signed-in user of the workspace; anon none);
-- a DELETE carries only the primary key, to every subscriber of the table.

DO $$
BEGIN
  -- A publication FOR ALL TABLES (set up by hand on an existing database)
  -- already carries it and refuses ADD TABLE.
  IF NOT (SELECT puballtables FROM pg_publication WHERE pubname = 'supabase_realtime') THEN
    ALTER PUBLICATION supabase_realtime ADD TABLE public.whiteboards;
  END IF;
END
$$;
