-- A change reaches tandem-server as soon as its commit record is flushed,
-- a moment before the committing backend makes it visible to new snapshots.
-- The visibility check therefore first waits (briefly, bounded) until the
-- transaction is visible, so a row is never withheld just for being early.
CREATE OR REPLACE FUNCTION tandem.realtime_visibility(checks jsonb, xid bigint) RETURNS boolean[]
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
  full_xid bigint;
  epoch bigint;
  waited int := 0;
BEGIN
  IF xid IS NOT NULL THEN
    -- wal2json gives the 32-bit xid; add the epoch of the current one.
    epoch := txid_snapshot_xmax(txid_current_snapshot()) >> 32;
    full_xid := (epoch << 32) | xid;
    IF full_xid > txid_snapshot_xmax(txid_current_snapshot()) THEN
      full_xid := full_xid - (1::bigint << 32);
    END IF;
    WHILE NOT txid_visible_in_snapshot(full_xid, txid_current_snapshot()) AND waited < 2000 LOOP
      PERFORM pg_sleep(0.0005);
      waited := waited + 1;
    END LOOP;
  END IF;
  RETURN tandem.realtime_visibility(checks);
END
$$;

REVOKE ALL ON FUNCTION tandem.realtime_visibility(jsonb, bigint) FROM PUBLIC;
