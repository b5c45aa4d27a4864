-- What `amend verify` found, per tenant and run: the KPI page shows the last run's integrity errors.
CREATE TABLE verify_runs (
  tenant_id       text NOT NULL,
  id              text NOT NULL,
  at              timestamptz NOT NULL DEFAULT now(),
  orders_checked  int4 NOT NULL,
  findings        int4 NOT NULL,
  details         jsonb NOT NULL DEFAULT '[]'::jsonb,
  PRIMARY KEY (tenant_id, id)
);
CREATE INDEX verify_runs_latest ON verify_runs (tenant_id, at DESC);

-- KPIs read changes by the time they were created.
CREATE INDEX change_requests_by_time ON change_requests (tenant_id, created_at);
