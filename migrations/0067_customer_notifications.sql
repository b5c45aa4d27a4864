-- Customer notices of changes (issue 16 point 5): the commit writes CUSTOMER_NOTIFICATION_REQUESTED to
-- the outbox with the rendered message; this trigger files it as a notification in the same statement,
-- and the notifier (src/worker/customer-notifier.ts) sends it, retrying, until sent, dead or not sent.
CREATE TABLE customer_notifications (
  tenant_id        text NOT NULL,
  id               text NOT NULL,
  seq              int8 GENERATED ALWAYS AS IDENTITY,
  order_id         text NOT NULL,
  change_id        text,
  event_id         text NOT NULL,
  channel          text NOT NULL CHECK (channel IN ('email')),
  recipient        text NOT NULL,
  locale           text NOT NULL,
  subject          text NOT NULL,
  body             text NOT NULL,
  status           text NOT NULL CHECK (status IN ('pending', 'retrying', 'sent', 'dead', 'not-sent')),
  attempts         int4 NOT NULL DEFAULT 0,
  last_error       text,
  message_id       text,
  next_attempt_at  timestamptz,
  lease_until      timestamptz,
  created_at       timestamptz NOT NULL DEFAULT now(),
  updated_at       timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id)
);
CREATE INDEX customer_notifications_due ON customer_notifications (next_attempt_at)
  WHERE status IN ('pending', 'retrying');
CREATE INDEX customer_notifications_by_order ON customer_notifications (tenant_id, order_id, seq);

CREATE FUNCTION amend_file_customer_notifications() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO customer_notifications (tenant_id, id, order_id, change_id, event_id, channel, recipient,
    locale, subject, body, status, next_attempt_at)
  SELECT e.tenant_id, 'ntf_' || replace(gen_random_uuid()::text, '-', ''), e.order_id, e.change_id, e.id,
    e.data->>'channel', e.data->>'to', e.data->>'locale', e.data->>'subject', e.data->>'text', 'pending', now()
  FROM new_events e WHERE e.type = 'CUSTOMER_NOTIFICATION_REQUESTED';
  RETURN NULL;
END $$;
CREATE TRIGGER outbox_customer_notifications AFTER INSERT ON outbox_events
  REFERENCING NEW TABLE AS new_events FOR EACH STATEMENT EXECUTE FUNCTION amend_file_customer_notifications();
