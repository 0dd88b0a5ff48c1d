-- The app's shared whiteboards (src/app/whiteboards/README.md): the boards,
-- their finished strokes, and the strokes erased from them.
--
-- Every signed-in user of a workspace lists, creates and renames boards and
-- only the owner deletes one (as dashboards). Every signed-in user reads
-- every stroke and saves strokes as themselves. Strokes are never updated
-- through the API: erasing (the eraser, undo of one's own stroke, clearing
-- the board) and restoring (undo of an erase) write the stroke's row in
-- whiteboard_erasures: erased or not, and the stamp of that decision. The
-- eraser is for everyone: any signed-in user may erase any stroke, and
-- restore any erased one. Triggers copy the state into
-- whiteboard_strokes.deleted/erase_stamp, so a late joiner loads the
-- visible strokes with one filter.
--
-- Erase and restore are a last-writer-wins register per stroke: a write
-- older (by stamp) than the one stored is dropped, and on equal stamps an
-- erase beats a restore. Clients apply live events by the same rule, so
-- concurrent erases and undos end the same everywhere, in the database
-- too, whatever order they arrive in. A client stamps with its clock, but
-- above every stamp it has seen for that stroke, so acting on what one
-- sees always wins over what one saw.
--
-- Why erasures are rows of their own, and why clearing erases the strokes
-- by id rather than setting a "cleared at" mark on the board:
--  - an erase may reach the database before the stroke it erases (the
--    author's outbox is still waiting for a connection): the erasure is
--    kept anyway, and the stroke is stored already deleted when it comes;
--  - a clear removes exactly the strokes its author saw. A mark (a time or
--    a sequence number) cannot tell those from strokes drawn meanwhile by
--    someone offline, which would then either be lost (their author never
--    saw the clear) or differ between clients that saw them live and late
--    joiners. By id, every client ends with the same board whatever order
--    the events arrive in.
--
-- anon has no policy, so it sees and changes nothing; service_role bypasses
-- row-level security. Plain CREATE TABLE on purpose (see 0006).

CREATE TABLE public.whiteboards (
  id         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name       text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  -- A deleted account leaves its boards to the workspace.
  owner      uuid DEFAULT auth.uid() REFERENCES auth.users (id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE public.whiteboard_strokes (
  -- The id the author's client gave the stroke when it started drawing, so
  -- live events and the saved row are the same stroke, and a resent save
  -- is a duplicate the outbox's upsert ignores.
  id         uuid PRIMARY KEY,
  board_id   uuid NOT NULL REFERENCES public.whiteboards (id) ON DELETE CASCADE,
  author     uuid DEFAULT auth.uid() REFERENCES auth.users (id) ON DELETE SET NULL,
  -- The order strokes were saved in: the load pages through it.
  seq        bigserial NOT NULL UNIQUE,
  -- The author's clock when the stroke started, in microseconds since the
  -- epoch. Clients stack strokes by (started_at, author, id), the same
  -- order live and once saved, so every client draws the same picture.
  started_at bigint NOT NULL CHECK (started_at > 0),
  tool       text NOT NULL CHECK (tool IN ('pen', 'highlighter', 'line', 'rectangle', 'ellipse', 'text')),
  color      text NOT NULL CHECK (color ~ '^#[0-9a-f]{6}([0-9a-f]{2})?$'),
  width      double precision NOT NULL CHECK (width > 0 AND width <= 500),
  -- Flat [x, y, pressure, x, y, pressure, …], each the value times 100 as
  -- an integer (board units; pressure 0..1), at most 20 000 points.
  points     jsonb NOT NULL DEFAULT '[]'
             CHECK (jsonb_typeof(points) = 'array' AND jsonb_array_length(points) <= 60000
                    AND jsonb_array_length(points) % 3 = 0),
  text       text CHECK (text IS NULL OR length(text) <= 10000),
  -- Kept by the triggers below from whiteboard_erasures; what a client
  -- sends here is overwritten.
  deleted    boolean NOT NULL DEFAULT false,
  erase_stamp bigint NOT NULL DEFAULT 0,
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE public.whiteboard_erasures (
  -- No foreign key to the stroke: the erasure may come first (see above).
  stroke_id  uuid PRIMARY KEY,
  board_id   uuid NOT NULL REFERENCES public.whiteboards (id) ON DELETE CASCADE,
  erased     boolean NOT NULL DEFAULT true,
  -- Microseconds since the epoch, from the client's clock (see above).
  stamp      bigint NOT NULL CHECK (stamp > 0),
  -- Who wrote the current state.
  erased_by  uuid DEFAULT auth.uid() REFERENCES auth.users (id) ON DELETE SET NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);

COMMENT ON TABLE public.whiteboards IS 'Shared whiteboards of the Tandem app';
COMMENT ON TABLE public.whiteboard_strokes IS 'Finished strokes of whiteboards, one row per stroke';
COMMENT ON TABLE public.whiteboard_erasures IS 'Strokes erased from a whiteboard (eraser, undo, clear)';

-- The load: a board's visible strokes in the order they were saved.
CREATE INDEX whiteboard_strokes_board_seq_idx ON public.whiteboard_strokes (board_id, seq) WHERE NOT deleted;
CREATE INDEX whiteboard_erasures_board_idx ON public.whiteboard_erasures (board_id);

-- updated_at follows every update; the owner is fixed once the row exists
-- (anyone may rename a board, so a rewritable owner would let anyone make
-- it theirs and delete it).
CREATE FUNCTION tandem.whiteboards_before_update() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.owner IS DISTINCT FROM OLD.owner AND current_user IN ('anon', 'authenticated') THEN
    RAISE EXCEPTION 'the owner of a whiteboard cannot be changed'
      USING ERRCODE = '42501';
  END IF;
  NEW.updated_at := now();
  RETURN NEW;
END
$$;

CREATE TRIGGER whiteboards_before_update
  BEFORE UPDATE ON public.whiteboards
  FOR EACH ROW EXECUTE FUNCTION tandem.whiteboards_before_update();

-- A stroke saved after it was erased is stored deleted. The server's clock
-- dates the row whatever the client sent.
CREATE FUNCTION tandem.whiteboard_strokes_before_insert() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = '' AS $$
DECLARE
  state record;
BEGIN
  SELECT e.erased, e.stamp INTO state FROM public.whiteboard_erasures e
   WHERE e.stroke_id = NEW.id AND e.board_id = NEW.board_id;
  NEW.deleted := coalesce(state.erased, false);
  NEW.erase_stamp := coalesce(state.stamp, 0);
  NEW.created_at := now();
  RETURN NEW;
END
$$;

CREATE TRIGGER whiteboard_strokes_before_insert
  BEFORE INSERT ON public.whiteboard_strokes
  FOR EACH ROW EXECUTE FUNCTION tandem.whiteboard_strokes_before_insert();

-- The register's rule: an older write is dropped (an upsert's update then
-- does nothing), an equal one only if it would restore. The stroke and the
-- board of an erasure never change.
CREATE FUNCTION tandem.whiteboard_erasures_before_update() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.stamp < OLD.stamp OR (NEW.stamp = OLD.stamp AND (OLD.erased OR NOT NEW.erased)) THEN
    RETURN NULL;
  END IF;
  NEW.stroke_id := OLD.stroke_id;
  NEW.board_id := OLD.board_id;
  NEW.updated_at := now();
  RETURN NEW;
END
$$;

CREATE TRIGGER whiteboard_erasures_before_update
  BEFORE UPDATE ON public.whiteboard_erasures
  FOR EACH ROW EXECUTE FUNCTION tandem.whiteboard_erasures_before_update();

-- The stroke follows its erasure. SECURITY DEFINER because the API roles
-- may not update strokes themselves (a stroke's content is its author's).
CREATE FUNCTION tandem.whiteboard_erasures_changed() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = '' AS $$
BEGIN
  UPDATE public.whiteboard_strokes SET deleted = NEW.erased, erase_stamp = NEW.stamp
   WHERE id = NEW.stroke_id AND board_id = NEW.board_id;
  RETURN NULL;
END
$$;

CREATE TRIGGER whiteboard_erasures_changed
  AFTER INSERT OR UPDATE ON public.whiteboard_erasures
  FOR EACH ROW EXECUTE FUNCTION tandem.whiteboard_erasures_changed();

REVOKE ALL ON FUNCTION tandem.whiteboard_strokes_before_insert(), tandem.whiteboard_erasures_changed() FROM PUBLIC;

ALTER TABLE public.whiteboards ENABLE ROW LEVEL SECURITY;

CREATE POLICY whiteboards_select ON public.whiteboards
  FOR SELECT TO authenticated USING (true);
CREATE POLICY whiteboards_insert ON public.whiteboards
  FOR INSERT TO authenticated WITH CHECK (owner = auth.uid());
CREATE POLICY whiteboards_update ON public.whiteboards
  FOR UPDATE TO authenticated USING (true) WITH CHECK (true);
CREATE POLICY whiteboards_delete ON public.whiteboards
  FOR DELETE TO authenticated USING (owner = auth.uid());

ALTER TABLE public.whiteboard_strokes ENABLE ROW LEVEL SECURITY;

CREATE POLICY whiteboard_strokes_select ON public.whiteboard_strokes
  FOR SELECT TO authenticated USING (true);
-- One saves one's own strokes only.
CREATE POLICY whiteboard_strokes_insert ON public.whiteboard_strokes
  FOR INSERT TO authenticated WITH CHECK (author = auth.uid());

ALTER TABLE public.whiteboard_erasures ENABLE ROW LEVEL SECURITY;

CREATE POLICY whiteboard_erasures_select ON public.whiteboard_erasures
  FOR SELECT TO authenticated USING (true);
-- Anyone erases or restores any stroke, as themselves (an upsert: the
-- first erase inserts, later ones update).
CREATE POLICY whiteboard_erasures_insert ON public.whiteboard_erasures
  FOR INSERT TO authenticated WITH CHECK (erased_by = auth.uid());
CREATE POLICY whiteboard_erasures_update ON public.whiteboard_erasures
  FOR UPDATE TO authenticated USING (true) WITH CHECK (erased_by = auth.uid());

-- As on Supabase the API roles hold the table privileges and the policies
-- decide which rows they reach; spelled out so that 0001's default
-- privileges (TRUNCATE, UPDATE of strokes) do not apply.
REVOKE ALL ON public.whiteboards, public.whiteboard_strokes, public.whiteboard_erasures FROM anon, authenticated;
REVOKE ALL ON SEQUENCE public.whiteboard_strokes_seq_seq FROM anon, authenticated;
GRANT SELECT, INSERT, UPDATE, DELETE ON public.whiteboards TO anon, authenticated;
GRANT SELECT, INSERT ON public.whiteboard_strokes TO anon, authenticated;
GRANT SELECT, INSERT ON public.whiteboard_erasures TO anon, authenticated;
-- An upsert's update sets every column it was given; the trigger keeps the
-- stroke and the board as they were.
GRANT UPDATE (stroke_id, board_id, erased, stamp, erased_by) ON public.whiteboard_erasures TO anon, authenticated;
GRANT USAGE, SELECT ON SEQUENCE public.whiteboard_strokes_seq_seq TO anon, authenticated;
GRANT ALL ON public.whiteboards, public.whiteboard_strokes, public.whiteboard_erasures TO service_role;
GRANT ALL ON SEQUENCE public.whiteboard_strokes_seq_seq TO service_role;

-- Not in the supabase_realtime publication: live drawing goes by
-- broadcast and clients catch up through REST, so the WAL does not carry
-- every stroke's points to the change stream. A list of boards that wants
-- postgres_changes adds public.whiteboards to it in a later migration
-- (tests/server/test-demo.c checks the publication's exact tables); its
-- old row then travels on delete, so a list drops it whatever its filter.
ALTER TABLE public.whiteboards REPLICA IDENTITY FULL;
