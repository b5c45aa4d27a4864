-- Bulk jobs (API.md §4): one row per job, its per-order results kept as they come in.
CREATE TABLE bulk_jobs (
  tenant_id     text NOT NULL REFERENCES tenants (id),
  id            text NOT NULL,
  kind          text NOT NULL CHECK (kind IN ('reroute-unroutable', 'bulk-change')),
  status        text NOT NULL CHECK (status IN ('queued', 'running', 'completed', 'canceled')),
  request       jsonb NOT NULL,
  requested_by  jsonb NOT NULL,
  total         int4 NOT NULL DEFAULT 0,
  done          int4 NOT NULL DEFAULT 0,
  succeeded     int4 NOT NULL DEFAULT 0,
  failed        int4 NOT NULL DEFAULT 0,
  results       jsonb NOT NULL DEFAULT '[]'::jsonb,
  created_at    timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id)
);
