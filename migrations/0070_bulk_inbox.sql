-- Bulk results in the inbox (issue 17 point 4): a bulk job that touches 50 orders told its requester
-- 50 times. Now a change made by a bulk job (its requested_by carries the job's id, `bulkJobId`) adds no
-- inbox entry of its own while the job runs; the job's end adds one summary entry instead (written by
-- src/app/bulk-summary.ts, counts as of the job's end). A change still waiting then (for approval, the
-- seller, the payment gateway) tells its requester on its own once it is final, marked with its job.
ALTER TABLE inbox_entries ALTER COLUMN change_id DROP NOT NULL;
ALTER TABLE inbox_entries ALTER COLUMN order_id DROP NOT NULL;
ALTER TABLE inbox_entries ADD COLUMN bulk_job_id text;
ALTER TABLE inbox_entries ADD COLUMN counts jsonb;
ALTER TABLE inbox_entries DROP CONSTRAINT inbox_entries_outcome_check;
ALTER TABLE inbox_entries ADD CONSTRAINT inbox_entries_outcome_check
  CHECK (outcome IN ('applied', 'rejected', 'failed', 'canceled', 'completed'));
-- An entry is either one change's outcome or one bulk job's summary ('completed', with its counts).
ALTER TABLE inbox_entries ADD CONSTRAINT inbox_entries_change_or_bulk_job CHECK (
  (change_id IS NOT NULL AND order_id IS NOT NULL AND counts IS NULL AND outcome <> 'completed')
  OR (change_id IS NULL AND order_id IS NULL AND bulk_job_id IS NOT NULL AND counts IS NOT NULL
      AND outcome = 'completed'));
CREATE UNIQUE INDEX inbox_one_summary_per_bulk_job ON inbox_entries (tenant_id, bulk_job_id)
  WHERE change_id IS NULL;
CREATE INDEX inbox_by_bulk_job ON inbox_entries (tenant_id, bulk_job_id) WHERE bulk_job_id IS NOT NULL;

-- As 0005_lifecycle.sql, and: the outcome of a change of a bulk job that is still queued or running is
-- left to the job's summary. FOR SHARE waits for a job's end being written (the end locks the job's row
-- before it counts), so each outcome is either counted in the summary or told on its own, never neither.
CREATE OR REPLACE FUNCTION amend_inbox_on_outcome() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  job text := NEW.requested_by->>'bulkJobId';
  job_status text;
BEGIN
  IF NEW.status IN ('applied', 'rejected', 'failed', 'canceled')
     AND (TG_OP = 'INSERT' OR OLD.status IS DISTINCT FROM NEW.status
          OR jsonb_array_length(NEW.transitions) > jsonb_array_length(OLD.transitions)) THEN
    IF job IS NOT NULL THEN
      SELECT status INTO job_status FROM bulk_jobs WHERE tenant_id = NEW.tenant_id AND id = job FOR SHARE;
      IF job_status IN ('queued', 'running') THEN
        RETURN NEW;
      END IF;
    END IF;
    INSERT INTO inbox_entries (tenant_id, id, actor_id, change_id, order_id, outcome, code, detail, next_step, at,
      bulk_job_id)
    VALUES (NEW.tenant_id, 'inb_' || replace(gen_random_uuid()::text, '-', ''), NEW.requested_by->>'actorId', NEW.id,
      NEW.order_id, NEW.status, COALESCE(NEW.outcome->>'code', upper(NEW.status)),
      COALESCE(NEW.outcome->>'detail', ''), COALESCE(NEW.outcome->>'nextStep', ''), NEW.updated_at, job);
  END IF;
  RETURN NEW;
END $$;
