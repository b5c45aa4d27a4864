-- Webhook subscriptions and their deliveries (API.md §5). A delivery row is written by a trigger in
-- the very transaction that writes the event, so no event is ever missed by a subscription.

CREATE TABLE webhooks (
  tenant_id   text NOT NULL,
  id          text NOT NULL,
  url         text NOT NULL,
  events      jsonb NOT NULL,             -- event types, or ["*"]
  secret      text NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  deleted_at  timestamptz,
  PRIMARY KEY (tenant_id, id)
);
CREATE INDEX webhooks_active ON webhooks (tenant_id) WHERE deleted_at IS NULL;

CREATE TABLE webhook_deliveries (
  tenant_id         text NOT NULL,
  id                text NOT NULL,
  seq               int8 GENERATED ALWAYS AS IDENTITY,
  webhook_id        text NOT NULL,
  event_id          text NOT NULL,
  event_type        text NOT NULL,
  status            text NOT NULL CHECK (status IN ('pending', 'retrying', 'succeeded', 'dead')),
  attempts          int4 NOT NULL DEFAULT 0,
  last_status_code  int4,
  last_error        text,
  next_attempt_at   timestamptz,
  lease_until       timestamptz,
  replay_of         text,
  created_at        timestamptz NOT NULL DEFAULT now(),
  updated_at        timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, webhook_id) REFERENCES webhooks (tenant_id, id)
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at) WHERE status IN ('pending', 'retrying');
CREATE INDEX webhook_deliveries_by_webhook ON webhook_deliveries (tenant_id, webhook_id, seq DESC);

-- One statement per insert into the outbox, whatever the number of events: cheap when nobody subscribes.
CREATE FUNCTION amend_webhook_fanout() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO webhook_deliveries (tenant_id, id, webhook_id, event_id, event_type, status, next_attempt_at)
  SELECT e.tenant_id, 'whd_' || replace(gen_random_uuid()::text, '-', ''), w.id, e.id, e.type, 'pending', now()
  FROM new_events e
  JOIN webhooks w ON w.tenant_id = e.tenant_id AND w.deleted_at IS NULL AND (w.events ? e.type OR w.events ? '*');
  RETURN NULL;
END $$;
CREATE TRIGGER outbox_webhook_fanout AFTER INSERT ON outbox_events
  REFERENCING NEW TABLE AS new_events FOR EACH STATEMENT EXECUTE FUNCTION amend_webhook_fanout();
