-- KPI targets (seed 002): the last status the watcher saw per tenant and KPI, so KPI_TARGET_MISSED is
-- raised once when a target becomes missed (not on every check), whichever process checks.
CREATE TABLE kpi_target_states (
  tenant_id   text NOT NULL REFERENCES tenants (id),
  kpi         text NOT NULL,
  status      text NOT NULL CHECK (status IN ('met', 'missed', 'no-data')),
  actual      float8,
  checked_at  timestamptz NOT NULL,
  changed_at  timestamptz NOT NULL,
  PRIMARY KEY (tenant_id, kpi)
);
