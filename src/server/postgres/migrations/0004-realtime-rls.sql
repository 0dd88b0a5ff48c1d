-- Row-level security for postgres_changes, checked in the database as
-- Supabase's realtime.apply_rls does: for each (change, subscriber) pair the
-- row is selected by its primary key under the subscriber's role and JWT
-- claims, so a subscriber only hears of rows its policies let it read.
--
-- One call checks a whole transaction's pairs, so delivery costs one round
-- trip per transaction however many subscribers there are. The server calls
-- it as a superuser; it switches role per check and resets it after.
CREATE OR REPLACE FUNCTION tandem.realtime_visibility(checks jsonb) RETURNS boolean[]
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
  item jsonb;
  rel regclass;
  condition text;
  visible boolean;
  results boolean[] := '{}';
BEGIN
  FOR item IN SELECT value FROM jsonb_array_elements(checks) LOOP
    visible := false;
    BEGIN
      rel := format('%I.%I', item ->> 'schema', item ->> 'table')::regclass;

      SELECT string_agg(format('%I = %L::%s', p.key, p.value, format_type(a.atttypid, a.atttypmod)), ' AND ')
        INTO condition
        FROM jsonb_each_text(item -> 'pk') AS p(key, value)
        JOIN pg_attribute a ON a.attrelid = rel AND a.attname = p.key AND NOT a.attisdropped;

      IF condition IS NOT NULL THEN
        PERFORM set_config('request.jwt.claims', (item -> 'claims')::text, true);
        PERFORM set_config('request.jwt.claim.sub', coalesce(item -> 'claims' ->> 'sub', ''), true);
        PERFORM set_config('request.jwt.claim.role', item ->> 'role', true);
        PERFORM set_config('role', item ->> 'role', true);
        EXECUTE format('SELECT EXISTS (SELECT 1 FROM %s WHERE %s)', rel, condition) INTO visible;
        PERFORM set_config('role', 'none', true);
      END IF;
    EXCEPTION WHEN OTHERS THEN
      -- No privilege, a dropped table, an unknown role: fail closed.
      PERFORM set_config('role', 'none', true);
      visible := false;
    END;
    results := results || coalesce(visible, false);
  END LOOP;
  RETURN results;
END
$$;

REVOKE ALL ON FUNCTION tandem.realtime_visibility(jsonb) FROM PUBLIC;
