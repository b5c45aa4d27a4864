-- Seed 001 "Add or change delivery/handover date": the hand-over job carries the date it is planned for.
ALTER TABLE handover_jobs ADD COLUMN handover_date date;

-- amend_commit_change writes the handover's date beside its status. The function is edited in place
-- (one statement of it rewritten) rather than restated whole, so this migration composes with any
-- other migration that restates it; it fails loudly if the statement it edits is no longer there.
DO $migration$
DECLARE
  def text := pg_get_functiondef('amend_commit_change(jsonb)'::regprocedure);
  old_stmt text := 'UPDATE handover_jobs h SET status = r.status, updated_at = r.updated_at';
  new_stmt text := 'UPDATE handover_jobs h SET status = r.status, handover_date = r.handover_date, updated_at = r.updated_at';
BEGIN
  IF position(old_stmt IN def) = 0 THEN
    RAISE EXCEPTION 'amend_commit_change no longer has the handover statement this migration edits';
  END IF;
  EXECUTE replace(def, old_stmt, new_stmt);
END $migration$;
