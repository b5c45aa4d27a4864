-- The write path (issue 13): a change writes only what it changes, in one statement.
--
-- Versions: a full snapshot at version 0 and every CHECKPOINT-th version (src/domain/version-delta.ts),
-- the delta from the version before for the rest; ?version=N replays the deltas after its checkpoint.
ALTER TABLE order_versions ALTER COLUMN snapshot DROP NOT NULL;
ALTER TABLE order_versions ADD COLUMN delta jsonb;
ALTER TABLE order_versions ADD CONSTRAINT order_versions_snapshot_or_delta
  CHECK (snapshot IS NOT NULL OR delta IS NOT NULL);

-- Gateway calls are recorded before they are made ('pending': asked, answer not known), so a crash or
-- a timeout leaves a call that compensation still reverses; 'unresolved': its reversal's result never
-- became known (counted by `amend verify` until someone settles it).
ALTER TABLE gateway_calls DROP CONSTRAINT gateway_calls_status_check;
ALTER TABLE gateway_calls ADD CONSTRAINT gateway_calls_status_check
  CHECK (status IN ('pending', 'succeeded', 'declined', 'reversed', 'unresolved'));
CREATE INDEX gateway_calls_open ON gateway_calls (tenant_id, change_id) WHERE status IN ('pending', 'unresolved');

-- An idempotent apply keeps the change it answered with: a replay answers the change as it is now
-- once it is final (a change first answered 202 and applied by the worker replays as 200).
ALTER TABLE idempotency_keys ADD COLUMN change_id text;

-- amend_commit_change, restated once more and for the last time in this shape: its keys are the
-- TypeScript CommitPayload's (src/db/commit-payload.ts; test/integration/commit-payload.test.ts
-- fails when the two differ). Child rows are upserted and deleted one by one: a change that edits one
-- line of a 200-line order writes one line.
CREATE OR REPLACE FUNCTION amend_commit_change(p jsonb) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
  t text := p->>'tenantId';
  o text := p->>'orderId';
  c jsonb := p->'change';
  cid text := c->>'id';
  g jsonb := p->'guard';
  st jsonb := COALESCE(p->'state', '{}'::jsonb);
  v jsonb := p->'version';
  k jsonb := p->'idempotency';
  cnt jsonb := p->'counts';
  current_revision int8;
  current_status text;
  current_token text;
  n_changes int4;
  n_applied int4;
BEGIN
  IF p ? 'order' THEN
    SELECT revision INTO current_revision FROM orders WHERE tenant_id = t AND id = o FOR UPDATE;
    IF NOT FOUND THEN RETURN 'not-found'; END IF;
    IF current_revision <> (p->>'baseRevision')::int8 THEN RETURN 'revision-conflict'; END IF;
    -- Changes of one order apply in arrival order: the fast path yields to any change queued or applying.
    IF COALESCE((p->>'requireIdleQueue')::boolean, false) AND EXISTS (SELECT 1 FROM change_requests q
        WHERE q.tenant_id = t AND q.order_id = o AND q.status IN ('validated', 'applying') AND q.id <> cid) THEN
      RETURN 'busy';
    END IF;
  END IF;
  -- The counts the plan used (the 50-changes rule, the approval policy's applied changes) must hold
  -- under the order's lock, which every writer of a counted change takes: else the caller re-plans.
  IF cnt IS NOT NULL THEN
    IF NOT p ? 'order' THEN
      PERFORM 1 FROM orders WHERE tenant_id = t AND id = o FOR UPDATE;
      IF NOT FOUND THEN RETURN 'not-found'; END IF;
    END IF;
    SELECT count(*) FILTER (WHERE status <> 'rejected'), count(*) FILTER (WHERE status = 'applied')
      INTO n_changes, n_applied
    FROM change_requests WHERE tenant_id = t AND order_id = o AND id <> cid;
    IF n_changes <> (cnt->>'changes')::int4 OR n_applied <> (cnt->>'applied')::int4 THEN
      RETURN 'revision-conflict';
    END IF;
  END IF;
  -- A stored change moves only from the state its writer read (a status, and for the worker its lease).
  IF g IS NOT NULL THEN
    SELECT status, lease_token INTO current_status, current_token FROM change_requests WHERE tenant_id = t AND id = cid FOR UPDATE;
    IF NOT FOUND OR current_status <> g->>'status'
       OR (g ? 'leaseToken' AND current_token IS DISTINCT FROM g->>'leaseToken') THEN
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

    IF p ? 'lineDeletes' THEN
      DELETE FROM order_lines WHERE tenant_id = t AND order_id = o
        AND line_id IN (SELECT jsonb_array_elements_text(p->'lineDeletes'));
    END IF;
    IF p ? 'lineUpserts' THEN
      INSERT INTO order_lines SELECT * FROM jsonb_populate_recordset(NULL::order_lines, p->'lineUpserts')
      ON CONFLICT (tenant_id, order_id, line_id) DO UPDATE SET position = EXCLUDED.position, sku = EXCLUDED.sku,
        name = EXCLUDED.name, quantity = EXCLUDED.quantity, measurement_unit = EXCLUDED.measurement_unit,
        unit_multiplier_milli = EXCLUDED.unit_multiplier_milli, unit_price = EXCLUDED.unit_price,
        discount = EXCLUDED.discount, tax_rate = EXCLUDED.tax_rate, weighable = EXCLUDED.weighable,
        bundle_id = EXCLUDED.bundle_id, parent_line_id = EXCLUDED.parent_line_id,
        allowed_substitutes = EXCLUDED.allowed_substitutes;
    END IF;
    IF p ? 'paymentDeletes' THEN
      DELETE FROM payments WHERE tenant_id = t AND order_id = o
        AND id IN (SELECT jsonb_array_elements_text(p->'paymentDeletes'));
    END IF;
    IF p ? 'paymentUpserts' THEN
      INSERT INTO payments SELECT * FROM jsonb_populate_recordset(NULL::payments, p->'paymentUpserts')
      ON CONFLICT (tenant_id, order_id, id) DO UPDATE SET position = EXCLUDED.position, method = EXCLUDED.method,
        settled_by_api = EXCLUDED.settled_by_api, transaction_id = EXCLUDED.transaction_id,
        authorized = EXCLUDED.authorized, captured = EXCLUDED.captured, refunded = EXCLUDED.refunded;
    END IF;
    IF p ? 'reservationDeletes' THEN
      DELETE FROM reservations x USING jsonb_to_recordset(p->'reservationDeletes') AS d(line_id text, facility_id text)
      WHERE x.tenant_id = t AND x.order_id = o AND x.line_id = d.line_id AND x.facility_id = d.facility_id;
    END IF;
    IF p ? 'reservationUpserts' THEN
      INSERT INTO reservations SELECT * FROM jsonb_populate_recordset(NULL::reservations, p->'reservationUpserts')
      ON CONFLICT (tenant_id, order_id, line_id, facility_id) DO UPDATE SET sku = EXCLUDED.sku, quantity = EXCLUDED.quantity;
    END IF;
    IF p ? 'stockDeltas' THEN
      UPDATE stock s SET reserved = s.reserved + d.delta
      FROM jsonb_to_recordset(p->'stockDeltas') AS d(facility_id text, sku text, delta int4)
      WHERE s.tenant_id = t AND s.facility_id = d.facility_id AND s.sku = d.sku;
    END IF;
    IF p ? 'pickJobs' THEN
      INSERT INTO pick_jobs SELECT * FROM jsonb_populate_recordset(NULL::pick_jobs, p->'pickJobs')
        ON CONFLICT (tenant_id, id) DO UPDATE SET status = EXCLUDED.status, sub_status = EXCLUDED.sub_status,
          assignee_id = EXCLUDED.assignee_id, facility_id = EXCLUDED.facility_id, updated_at = EXCLUDED.updated_at;
    END IF;
    IF p ? 'pickJobLineDeletes' THEN
      DELETE FROM pick_job_lines x USING jsonb_to_recordset(p->'pickJobLineDeletes') AS d(pick_job_id text, line_id text)
      WHERE x.tenant_id = t AND x.pick_job_id = d.pick_job_id AND x.line_id = d.line_id;
    END IF;
    IF p ? 'pickJobLineUpserts' THEN
      INSERT INTO pick_job_lines SELECT * FROM jsonb_populate_recordset(NULL::pick_job_lines, p->'pickJobLineUpserts')
      ON CONFLICT (tenant_id, pick_job_id, line_id) DO UPDATE SET quantity = EXCLUDED.quantity, picked = EXCLUDED.picked;
    END IF;
    IF p ? 'labels' THEN
      INSERT INTO shipping_labels SELECT * FROM jsonb_populate_recordset(NULL::shipping_labels, p->'labels')
        ON CONFLICT (tenant_id, id) DO UPDATE SET status = EXCLUDED.status, carrier = EXCLUDED.carrier, updated_at = EXCLUDED.updated_at;
    END IF;
    IF p ? 'handover' THEN
      UPDATE handover_jobs h SET status = r.status, updated_at = r.updated_at
      FROM jsonb_populate_record(NULL::handover_jobs, p->'handover') r WHERE h.tenant_id = t AND h.id = r.id;
    END IF;
    IF v IS NOT NULL THEN
      INSERT INTO order_versions (tenant_id, order_id, version, snapshot, delta)
      VALUES (t, o, (v->>'version')::int4, v->'snapshot', v->'delta');
    END IF;
  END IF;

  -- The Change travels once: it is the change row; its events carry the slim form (changeEvent).
  INSERT INTO change_requests (tenant_id, id, order_id, ticket, status, requested_by, reason, operations, base_version,
    order_version, plan, approval, undo_of, outcome, transitions, idempotency_key, created_at, updated_at,
    expected_version, queue_seq, lease_token, lease_until, attempts, next_attempt_at, gateway_generation, seller_acknowledged_at)
  VALUES (t, cid, c->>'orderId', c->>'ticket', c->>'status', c->'requestedBy', c->'reason', c->'operations',
    (c->>'baseVersion')::int4, (c->>'orderVersion')::int4, c->'plan', c->'approval', c->>'undoOf', c->'outcome',
    c->'transitions', k->>'key', (c->>'createdAt')::timestamptz, (c->>'updatedAt')::timestamptz,
    (st->>'expectedVersion')::int4, CASE WHEN (st->>'enqueue')::boolean THEN nextval('change_queue_seq') END,
    st->>'leaseToken', (st->>'leaseUntil')::timestamptz, COALESCE((st->>'attempts')::int4, 0), (st->>'nextAttemptAt')::timestamptz,
    COALESCE((st->>'gatewayGeneration')::int4, 0), (st->>'sellerAcknowledgedAt')::timestamptz)
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

  IF p ? 'audit' THEN
    INSERT INTO audit_entries (tenant_id, order_id, change_id, ticket, actor_id, actor_role, app, at, path, old_value, new_value, reason_code)
    SELECT tenant_id, order_id, change_id, ticket, actor_id, actor_role, app, at, path, old_value, new_value, reason_code
    FROM jsonb_populate_recordset(NULL::audit_entries, p->'audit');
  END IF;

  IF p ? 'events' THEN
    INSERT INTO outbox_events (tenant_id, id, type, order_id, change_id, data)
    SELECT t, e->>'id', e->>'type', e->>'orderId', e->>'changeId', CASE WHEN e ? 'data' THEN e->'data' ELSE p->'changeEvent' END
    FROM jsonb_array_elements(p->'events') e;
  END IF;

  IF p ? 'gatewayCalls' THEN
    INSERT INTO gateway_calls (tenant_id, key, change_id, payment_id, method, action, amount, status, reference)
    SELECT t, r.key, cid, r.payment_id, r.method, r.action, r.amount, r.status, r.reference
    FROM jsonb_populate_recordset(NULL::gateway_calls, p->'gatewayCalls') r
    -- A call recorded again as 'pending' (a retried run) keeps the answer it already has.
    ON CONFLICT (tenant_id, key) DO UPDATE SET
      status = CASE WHEN EXCLUDED.status = 'pending' THEN gateway_calls.status ELSE EXCLUDED.status END,
      reference = COALESCE(EXCLUDED.reference, gateway_calls.reference), updated_at = now();
  END IF;

  IF k IS NOT NULL THEN
    UPDATE idempotency_keys x SET state = 'done', status_code = (k->>'statusCode')::int4, headers = k->'headers',
      body = k->'body', change_id = cid
    WHERE x.tenant_id = t AND x.key = k->>'key';
  END IF;
  RETURN 'ok';
END $$;
