-- The asynchronous lifecycle (API.md §7.4): a queue of changes per order, a worker's lease, payment
-- gateway calls made for a change (to compensate them and to survive a crash), and the simulator's state.

-- Internal state of a change beside its API shape.
ALTER TABLE change_requests
  ADD COLUMN expected_version int4,            -- checked again when the change leaves the queue
  ADD COLUMN queue_seq int8,                   -- place in its order's queue while validated or applying
  ADD COLUMN lease_token text,                 -- the worker holding it, until lease_until
  ADD COLUMN lease_until timestamptz,
  ADD COLUMN attempts int4 NOT NULL DEFAULT 0, -- gateway attempts of this run
  ADD COLUMN next_attempt_at timestamptz,      -- backoff: not before
  ADD COLUMN gateway_generation int4 NOT NULL DEFAULT 0, -- bumped when a run's calls were reversed (retry)
  ADD COLUMN seller_acknowledged_at timestamptz;

CREATE SEQUENCE change_queue_seq;
CREATE INDEX change_queue_by_order ON change_requests (tenant_id, order_id, queue_seq) WHERE status IN ('validated', 'applying');
CREATE INDEX change_queue_due ON change_requests (queue_seq) WHERE status IN ('validated', 'applying');
CREATE INDEX change_awaiting ON change_requests (tenant_id, status, seq) WHERE status IN ('awaiting-approval', 'awaiting-seller');

-- What Amend asked of the payment gateway for a change: a successful call is reversed when the change
-- cannot complete; a call made before a crash is found again by its idempotency key.
CREATE TABLE gateway_calls (
  tenant_id   text NOT NULL,
  key         text NOT NULL,
  change_id   text NOT NULL,
  payment_id  text NOT NULL,
  method      text NOT NULL,
  action      text NOT NULL,
  amount      int8 NOT NULL,
  status      text NOT NULL CHECK (status IN ('succeeded', 'reversed')),
  reference   text,
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, key)
);
CREATE INDEX gateway_calls_by_change ON gateway_calls (tenant_id, change_id);

-- The built-in payment simulator: injected failures per tenant and method, and its own ledger, which
-- answers a repeated idempotency key with the first answer (as a real gateway does).
CREATE TABLE payment_simulator_rules (
  tenant_id   text NOT NULL,
  method      text NOT NULL,
  failure     text NOT NULL CHECK (failure IN ('none', 'decline', 'timeout', 'unavailable')),
  remaining   int4,          -- NULL: until reset
  latency_ms  int4 NOT NULL DEFAULT 0,
  updated_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, method)
);
CREATE TABLE payment_simulator_ledger (
  tenant_id   text NOT NULL,
  key         text NOT NULL,
  payment_id  text NOT NULL,
  method      text NOT NULL,
  action      text NOT NULL,
  amount      int8 NOT NULL,
  outcome     text NOT NULL CHECK (outcome IN ('succeeded', 'declined')),
  reference   text NOT NULL,
  detail      text,
  created_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, key)
);

-- amend_commit_change, now also: the queue (requireIdleQueue → 'busy'), a guard on the stored change's
-- status and lease (→ 'stale'), an upsert of the change with its internal state (p.state).
CREATE OR REPLACE FUNCTION amend_commit_change(p jsonb) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
  t text := p->>'tenantId';
  o text := p->>'orderId';
  cid text := p->'change'->>'id';
  current_revision int8;
  current_status text;
  current_token text;
  st jsonb := COALESCE(p->'state', '{}'::jsonb);
BEGIN
  IF p ? 'order' THEN
    SELECT revision INTO current_revision FROM orders WHERE tenant_id = t AND id = o FOR UPDATE;
    IF NOT FOUND THEN RETURN 'not-found'; END IF;
    IF current_revision <> (p->>'baseRevision')::int8 THEN RETURN 'revision-conflict'; END IF;
    -- Changes of one order apply in arrival order: the fast path yields to any change queued or applying.
    IF (p->>'requireIdleQueue')::boolean AND EXISTS (SELECT 1 FROM change_requests q WHERE q.tenant_id = t AND q.order_id = o
        AND q.status IN ('validated', 'applying') AND q.id <> cid) THEN
      RETURN 'busy';
    END IF;
  END IF;
  -- A stored change moves only from the state its writer read (a status, and for the worker its lease).
  IF p ? 'guard' THEN
    SELECT status, lease_token INTO current_status, current_token FROM change_requests WHERE tenant_id = t AND id = cid FOR UPDATE;
    IF NOT FOUND OR current_status <> p->'guard'->>'status'
       OR (p->'guard' ? 'leaseToken' AND current_token IS DISTINCT FROM p->'guard'->>'leaseToken') THEN
      RETURN 'stale';
    END IF;
  END IF;
  IF p ? 'order' THEN

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
    order_version, plan, approval, undo_of, outcome, transitions, idempotency_key, created_at, updated_at,
    expected_version, queue_seq, lease_token, lease_until, attempts, next_attempt_at, gateway_generation, seller_acknowledged_at)
  SELECT t, c->>'id', c->>'orderId', c->>'ticket', c->>'status', c->'requestedBy', c->'reason', c->'operations',
    (c->>'baseVersion')::int4, (c->>'orderVersion')::int4, c->'plan', c->'approval', c->>'undoOf', c->'outcome',
    c->'transitions', p->>'idempotencyKey', (c->>'createdAt')::timestamptz, (c->>'updatedAt')::timestamptz,
    (st->>'expectedVersion')::int4, CASE WHEN (st->>'enqueue')::boolean THEN nextval('change_queue_seq') END,
    st->>'leaseToken', (st->>'leaseUntil')::timestamptz, COALESCE((st->>'attempts')::int4, 0), (st->>'nextAttemptAt')::timestamptz,
    COALESCE((st->>'gatewayGeneration')::int4, 0), (st->>'sellerAcknowledgedAt')::timestamptz
  FROM (SELECT p->'change' AS c) x
  ON CONFLICT (tenant_id, id) DO UPDATE SET
    status = EXCLUDED.status, base_version = EXCLUDED.base_version, order_version = EXCLUDED.order_version,
    plan = EXCLUDED.plan, approval = EXCLUDED.approval, outcome = EXCLUDED.outcome, transitions = EXCLUDED.transitions,
    updated_at = EXCLUDED.updated_at, expected_version = EXCLUDED.expected_version,
    -- Joining the queue takes a new place at its tail; staying in it keeps the place; leaving it clears it.
    queue_seq = CASE WHEN (st->>'enqueue')::boolean THEN EXCLUDED.queue_seq
                     WHEN EXCLUDED.status IN ('validated', 'applying') THEN change_requests.queue_seq END,
    lease_token = EXCLUDED.lease_token, lease_until = EXCLUDED.lease_until, attempts = EXCLUDED.attempts,
    next_attempt_at = EXCLUDED.next_attempt_at, gateway_generation = EXCLUDED.gateway_generation,
    seller_acknowledged_at = EXCLUDED.seller_acknowledged_at;

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

-- Every final outcome adds an inbox entry, also a second one of the same status after a retry
-- (rejected → retried → rejected): a final status reached by new transitions counts.
CREATE OR REPLACE FUNCTION amend_inbox_on_outcome() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.status IN ('applied', 'rejected', 'failed', 'canceled')
     AND (TG_OP = 'INSERT' OR OLD.status IS DISTINCT FROM NEW.status
          OR jsonb_array_length(NEW.transitions) > jsonb_array_length(OLD.transitions)) THEN
    INSERT INTO inbox_entries (tenant_id, id, actor_id, change_id, order_id, outcome, code, detail, next_step, at)
    VALUES (NEW.tenant_id, 'inb_' || replace(gen_random_uuid()::text, '-', ''), NEW.requested_by->>'actorId', NEW.id,
      NEW.order_id, NEW.status, COALESCE(NEW.outcome->>'code', upper(NEW.status)),
      COALESCE(NEW.outcome->>'detail', ''), COALESCE(NEW.outcome->>'nextStep', ''), NEW.updated_at);
  END IF;
  RETURN NEW;
END $$;
