-- The risk model (issue 16, docs/risk.md): versioned models per tenant, and the decisions they learn from.
CREATE TABLE risk_models (
  tenant_id   text NOT NULL REFERENCES tenants (id),
  version     int4 NOT NULL,
  trained_at  timestamptz NOT NULL,
  decisions   int4 NOT NULL,
  -- The encoder and the weights (domain/risk/model.ts), and the hold-out evaluation made with it.
  model       jsonb NOT NULL,
  evaluation  jsonb,
  PRIMARY KEY (tenant_id, version)
);

-- One labelled decision per change: what was scored (input), what the rules scored, what happened.
CREATE TABLE risk_decisions (
  tenant_id      text NOT NULL REFERENCES tenants (id),
  change_id      text NOT NULL,
  actor_id       text NOT NULL,
  role           text NOT NULL,
  -- The first operation: the unusual-actor check counts by its group.
  primary_op     text NOT NULL,
  requested_at   timestamptz NOT NULL,
  decided_at     timestamptz NOT NULL,
  outcome        text NOT NULL CHECK (outcome IN ('approved', 'rejected', 'payment-failed',
                   'seller-refused', 'undone', 'clean')),
  label          int2 NOT NULL CHECK (label IN (0, 1)),
  input          jsonb NOT NULL,
  rules_score    int4 NOT NULL,
  model_version  int4,
  -- 'change': harvested from change_requests; 'demo': the generated history of demo mode.
  source         text NOT NULL CHECK (source IN ('change', 'demo')),
  PRIMARY KEY (tenant_id, change_id)
);
CREATE INDEX risk_decisions_by_time ON risk_decisions (tenant_id, requested_at);
