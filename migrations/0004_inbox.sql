-- The requester's inbox (seed 000: whoever asked is told): one entry per final outcome of a change,
-- written by a trigger in the very transaction that makes the outcome final.
CREATE TABLE inbox_entries (
  tenant_id        text NOT NULL,
  id               text NOT NULL,
  seq              int8 GENERATED ALWAYS AS IDENTITY,
  actor_id         text NOT NULL,
  change_id        text NOT NULL,
  order_id         text NOT NULL,
  outcome          text NOT NULL CHECK (outcome IN ('applied', 'rejected', 'failed', 'canceled')),
  code             text NOT NULL,
  detail           text NOT NULL,
  next_step        text NOT NULL,
  at               timestamptz NOT NULL,
  acknowledged_at  timestamptz,
  PRIMARY KEY (tenant_id, id)
);
CREATE INDEX inbox_by_actor ON inbox_entries (tenant_id, actor_id, seq DESC);

CREATE FUNCTION amend_inbox_on_outcome() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.status IN ('applied', 'rejected', 'failed', 'canceled')
     AND (TG_OP = 'INSERT' OR OLD.status IS DISTINCT FROM NEW.status) THEN
    INSERT INTO inbox_entries (tenant_id, id, actor_id, change_id, order_id, outcome, code, detail, next_step, at)
    VALUES (NEW.tenant_id, 'inb_' || replace(gen_random_uuid()::text, '-', ''), NEW.requested_by->>'actorId', NEW.id,
      NEW.order_id, NEW.status, COALESCE(NEW.outcome->>'code', upper(NEW.status)),
      COALESCE(NEW.outcome->>'detail', ''), COALESCE(NEW.outcome->>'nextStep', ''), NEW.updated_at);
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER change_outcome_to_inbox AFTER INSERT OR UPDATE OF status ON change_requests
  FOR EACH ROW EXECUTE FUNCTION amend_inbox_on_outcome();
