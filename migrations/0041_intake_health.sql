-- A source's health reads its last day and its open failures, not its whole history.
CREATE INDEX intake_imported_by_source ON intake_records (tenant_id, source_id, imported_at DESC)
  WHERE imported_at IS NOT NULL;
CREATE INDEX intake_open_by_source ON intake_records (tenant_id, source_id)
  WHERE status IN ('dead-lettered', 'retrying');
