-- Change requests, the append-only audit, idempotency keys, and the one-statement commit of a change.

-- Bumped by every write to an order (changes and fulfilment moves alike); `version` counts only
-- applied changes. A change planned on an unlocked read commits only if the revision is unchanged.
ALTER TABLE orders ADD COLUMN revision int8 NOT NULL DEFAULT 0;
-- Promotion codes applied after checkout (the same code twice changes nothing).
ALTER TABLE orders ADD COLUMN applied_promotions jsonb NOT NULL DEFAULT '[]'::jsonb;

CREATE SEQUENCE change_ticket_seq;

CREATE TABLE change_requests (
  tenant_id        text NOT NULL,
  id               text NOT NULL,
  seq              int8 GENERATED ALWAYS AS IDENTITY,
  order_id         text NOT NULL,
  ticket           text NOT NULL,
  status           text NOT NULL CHECK (status IN ('received', 'validated', 'awaiting-approval', 'awaiting-seller',
                     'applying', 'applied', 'rejected', 'failed', 'canceled')),
  requested_by     jsonb NOT NULL,
  reason           jsonb,
  operations       jsonb NOT NULL,
  base_version     int4 NOT NULL,
  order_version    int4,
  plan             jsonb,
  approval         jsonb,
  undo_of          text,
  outcome          jsonb,
  transitions      jsonb NOT NULL DEFAULT '[]'::jsonb,
  idempotency_key  text,
  created_at       timestamptz NOT NULL DEFAULT now(),
  updated_at       timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, order_id) REFERENCES orders (tenant_id, id)
);
CREATE INDEX change_requests_by_order ON change_requests (tenant_id, order_id, seq);

CREATE TABLE audit_entries (
  tenant_id    text NOT NULL,
  order_id     text NOT NULL,
  seq          int8 GENERATED ALWAYS AS IDENTITY,
  change_id    text NOT NULL,
  ticket       text NOT NULL,
  actor_id     text NOT NULL,
  actor_role   text NOT NULL,
  app          text NOT NULL,
  at           timestamptz NOT NULL,
  path         text NOT NULL,
  old_value    jsonb,
  new_value    jsonb,
  reason_code  text,
  PRIMARY KEY (tenant_id, order_id, seq),
  FOREIGN KEY (tenant_id, order_id) REFERENCES orders (tenant_id, id)
);
CREATE INDEX audit_by_change ON audit_entries (tenant_id, change_id);

-- Nothing updates or deletes audit entries (PRODUCT.md §2).
CREATE FUNCTION audit_entries_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit entries are append-only' USING ERRCODE = 'insufficient_privilege';
END $$;
CREATE TRIGGER audit_entries_append_only BEFORE UPDATE OR DELETE ON audit_entries
  FOR EACH ROW EXECUTE FUNCTION audit_entries_append_only();
CREATE TRIGGER audit_entries_no_truncate BEFORE TRUNCATE ON audit_entries
  FOR EACH STATEMENT EXECUTE FUNCTION audit_entries_append_only();

CREATE TABLE idempotency_keys (
  tenant_id    text NOT NULL,
  key          text NOT NULL,
  fingerprint  text NOT NULL,
  state        text NOT NULL CHECK (state IN ('running', 'done')),
  status_code  int4,
  headers      jsonb,
  body         jsonb,
  created_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, key)
);
CREATE INDEX idempotency_keys_age ON idempotency_keys (created_at);

-- Commits a planned change in one statement (one round trip). p holds rows in column names:
--   tenantId, orderId, baseRevision, order (orders row, omitted for a refused change), and the child
--   sets that changed (lines, payments, reservations; pickJobs with their pickJobLines and labels
--   only the new or changed ones), stockDeltas,
--   audit, events (one without `data` carries the Change), change (the Change as answered),
--   idempotencyKey, version (order_versions row), idempotency (the stored answer).
-- Returns 'ok', 'not-found' or 'revision-conflict'; a stock CHECK violation raises (the caller re-plans).
CREATE FUNCTION amend_commit_change(p jsonb) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
  t text := p->>'tenantId';
  o text := p->>'orderId';
  current_revision int8;
BEGIN
  IF p ? 'order' THEN
    SELECT revision INTO current_revision FROM orders WHERE tenant_id = t AND id = o FOR UPDATE;
    IF NOT FOUND THEN RETURN 'not-found'; END IF;
    IF current_revision <> (p->>'baseRevision')::int8 THEN RETURN 'revision-conflict'; END IF;

    UPDATE orders SET
      status = r.status, version = r.version, shipping_address = r.shipping_address,
      preferred_delivery_date = r.preferred_delivery_date, delivery_window = r.delivery_window,
      custom_attributes = r.custom_attributes, carrier = r.carrier, facility_id = r.facility_id,
      shipping_total = r.shipping_total, adjustment_discount = r.adjustment_discount,
      adjustment_increment = r.adjustment_increment, total_items = r.total_items,
      total_discounts = r.total_discounts, total_increments = r.total_increments,
      total_shipping = r.total_shipping, total_tax = r.total_tax, grand_total = r.grand_total,
      routing_status = r.routing_status, routing_reasons = r.routing_reasons,
      routing_blacklist = r.routing_blacklist, applied_promotions = r.applied_promotions,
      updated_at = r.updated_at, revision = orders.revision + 1
    FROM jsonb_populate_record(NULL::orders, p->'order') r
    WHERE orders.tenant_id = t AND orders.id = o;

    IF p ? 'lines' THEN
      DELETE FROM order_lines WHERE tenant_id = t AND order_id = o;
      INSERT INTO order_lines SELECT * FROM jsonb_populate_recordset(NULL::order_lines, p->'lines');
    END IF;
    IF p ? 'payments' THEN
      DELETE FROM payments WHERE tenant_id = t AND order_id = o;
      INSERT INTO payments SELECT * FROM jsonb_populate_recordset(NULL::payments, p->'payments');
    END IF;
    IF p ? 'reservations' THEN
      DELETE FROM reservations WHERE tenant_id = t AND order_id = o;
      INSERT INTO reservations SELECT * FROM jsonb_populate_recordset(NULL::reservations, p->'reservations');
    END IF;
    IF p ? 'pickJobs' THEN
      DELETE FROM pick_job_lines WHERE tenant_id = t
        AND pick_job_id IN (SELECT j.id FROM jsonb_populate_recordset(NULL::pick_jobs, p->'pickJobs') j);
      INSERT INTO pick_jobs SELECT * FROM jsonb_populate_recordset(NULL::pick_jobs, p->'pickJobs')
        ON CONFLICT (tenant_id, id) DO UPDATE SET status = EXCLUDED.status, sub_status = EXCLUDED.sub_status,
          assignee_id = EXCLUDED.assignee_id, facility_id = EXCLUDED.facility_id, updated_at = EXCLUDED.updated_at;
      INSERT INTO pick_job_lines SELECT * FROM jsonb_populate_recordset(NULL::pick_job_lines, p->'pickJobLines');
    END IF;
    IF p ? 'labels' THEN
      INSERT INTO shipping_labels SELECT * FROM jsonb_populate_recordset(NULL::shipping_labels, p->'labels')
        ON CONFLICT (tenant_id, id) DO UPDATE SET status = EXCLUDED.status, carrier = EXCLUDED.carrier, updated_at = EXCLUDED.updated_at;
    END IF;
    IF p ? 'handover' THEN
      UPDATE handover_jobs h SET status = r.status, updated_at = r.updated_at
      FROM jsonb_populate_record(NULL::handover_jobs, p->'handover') r WHERE h.tenant_id = t AND h.id = r.id;
    END IF;
    IF p ? 'stockDeltas' THEN
      UPDATE stock s SET reserved = s.reserved + d.delta
      FROM jsonb_to_recordset(p->'stockDeltas') AS d(facility_id text, sku text, delta int4)
      WHERE s.tenant_id = t AND s.facility_id = d.facility_id AND s.sku = d.sku;
    END IF;
    IF p ? 'version' THEN
      INSERT INTO order_versions (tenant_id, order_id, version, snapshot)
      SELECT t, o, (p->'version'->>'version')::int4, p->'version'->'snapshot';
    END IF;
  END IF;

  -- The Change travels once (API shape): it is the change row and the data of every CHANGE_* event.
  INSERT INTO change_requests (tenant_id, id, order_id, ticket, status, requested_by, reason, operations, base_version,
    order_version, plan, approval, undo_of, outcome, transitions, idempotency_key, created_at, updated_at)
  SELECT t, c->>'id', c->>'orderId', c->>'ticket', c->>'status', c->'requestedBy', c->'reason', c->'operations',
    (c->>'baseVersion')::int4, (c->>'orderVersion')::int4, c->'plan', c->'approval', c->>'undoOf', c->'outcome',
    c->'transitions', p->>'idempotencyKey', (c->>'createdAt')::timestamptz, (c->>'updatedAt')::timestamptz
  FROM (SELECT p->'change' AS c) s;

  INSERT INTO audit_entries (tenant_id, order_id, change_id, ticket, actor_id, actor_role, app, at, path, old_value, new_value, reason_code)
  SELECT tenant_id, order_id, change_id, ticket, actor_id, actor_role, app, at, path, old_value, new_value, reason_code
  FROM jsonb_populate_recordset(NULL::audit_entries, COALESCE(p->'audit', '[]'::jsonb));

  INSERT INTO outbox_events (tenant_id, id, type, order_id, change_id, data)
  SELECT t, e->>'id', e->>'type', e->>'orderId', e->>'changeId', CASE WHEN e ? 'data' THEN e->'data' ELSE p->'change' END
  FROM jsonb_array_elements(COALESCE(p->'events', '[]'::jsonb)) e;

  IF p ? 'idempotency' THEN
    UPDATE idempotency_keys k SET state = 'done', status_code = (p->'idempotency'->>'statusCode')::int4,
      headers = p->'idempotency'->'headers', body = p->'idempotency'->'body'
    WHERE k.tenant_id = t AND k.key = p->'idempotency'->>'key';
  END IF;
  RETURN 'ok';
END $$;
