-- Channel intake (INTAKE.md): order sources, the intake records that keep every payload as it
-- came, and the audit of catalogue writes.

CREATE TABLE sources (
  tenant_id                 text NOT NULL REFERENCES tenants (id),
  id                        text NOT NULL,
  kind                      text NOT NULL CHECK (kind IN ('vtex', 'shopify', 'amend')),
  name                      text NOT NULL,
  enabled                   boolean NOT NULL DEFAULT true,
  channel                   text NOT NULL,
  -- Hashes where a secret is only compared, ciphertext where its plain value is needed (Shopify's HMAC).
  credentials               jsonb NOT NULL DEFAULT '{}'::jsonb,
  validation                jsonb NOT NULL DEFAULT '{}'::jsonb,
  accounts                  jsonb NOT NULL DEFAULT '{}'::jsonb,
  sku_map                   jsonb NOT NULL DEFAULT '{}'::jsonb,
  expected_interval_seconds int4 CHECK (expected_interval_seconds > 0),
  retry                     jsonb NOT NULL DEFAULT '{}'::jsonb,
  created_at                timestamptz NOT NULL DEFAULT now(),
  updated_at                timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id)
);
-- POST /v1/intake/{sourceId} names a source, not a tenant: the channel's credentials tell which.
CREATE INDEX sources_by_id ON sources (id);

-- Every tenant's built-in canonical source (INTAKE.md §1); tenants created later get it on first use.
INSERT INTO sources (tenant_id, id, kind, name, channel, validation)
SELECT id, 'amend', 'amend', 'Amend API (POST /v1/orders)', 'amend', '{"profile": "strict"}'::jsonb FROM tenants;

CREATE TABLE intake_records (
  tenant_id          text NOT NULL,
  id                 text NOT NULL,
  seq                int8 GENERATED ALWAYS AS IDENTITY,
  source_id          text NOT NULL,
  kind               text NOT NULL,
  account            text,
  status             text NOT NULL CHECK (status IN ('received', 'processing', 'imported', 'retrying',
                       'dead-lettered', 'replayed', 'discarded')),
  -- The body exactly as it arrived (it may not even be JSON); never changed.
  raw_body           text NOT NULL,
  -- The payload in use: the parsed body, or the corrected one of the last replay.
  payload            jsonb,
  canonical          jsonb,
  channel_order_ref  text,
  webhook_id         text,
  order_id           text,
  duplicate_of       text,
  code               text,
  detail             text,
  errors             jsonb NOT NULL DEFAULT '[]'::jsonb,
  attempts           int4 NOT NULL DEFAULT 0,
  next_attempt_at    timestamptz,
  lease_token        text,
  lease_until        timestamptz,
  value_minor        int8,
  history            jsonb NOT NULL DEFAULT '[]'::jsonb,
  received_at        timestamptz NOT NULL DEFAULT now(),
  updated_at         timestamptz NOT NULL DEFAULT now(),
  imported_at        timestamptz,
  -- The first time it became a dead letter: the KPIs' time to recover runs from here to imported_at.
  dead_lettered_at   timestamptz,
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, source_id) REFERENCES sources (tenant_id, id)
);
-- A redelivered webhook (Shopify's X-Shopify-Webhook-Id) is the record it was the first time.
CREATE UNIQUE INDEX intake_webhook_once ON intake_records (tenant_id, source_id, webhook_id)
  WHERE webhook_id IS NOT NULL;
-- One channel order imports once (INTAKE.md §1): a second record of it is a duplicate.
CREATE UNIQUE INDEX intake_imports_once ON intake_records (tenant_id, source_id, channel_order_ref)
  WHERE status = 'imported' AND duplicate_of IS NULL;
CREATE INDEX intake_due ON intake_records (next_attempt_at)
  WHERE status IN ('received', 'replayed', 'retrying', 'processing');
CREATE INDEX intake_listing ON intake_records (tenant_id, received_at DESC, seq DESC);
CREATE INDEX intake_by_source ON intake_records (tenant_id, source_id, received_at DESC);
CREATE INDEX intake_by_status ON intake_records (tenant_id, status, received_at DESC);
CREATE INDEX intake_by_order ON intake_records (tenant_id, order_id) WHERE order_id IS NOT NULL;

-- Catalogue, facility and stock writes through the API (INTAKE.md §5), append-only like the order audit.
CREATE TABLE catalogue_audit (
  tenant_id   text NOT NULL REFERENCES tenants (id),
  seq         int8 GENERATED ALWAYS AS IDENTITY,
  at          timestamptz NOT NULL DEFAULT now(),
  actor_id    text NOT NULL,
  entity      text NOT NULL CHECK (entity IN ('product', 'facility', 'stock')),
  entity_id   text NOT NULL,
  old_value   jsonb,
  new_value   jsonb NOT NULL,
  PRIMARY KEY (tenant_id, seq)
);
CREATE TRIGGER catalogue_audit_append_only BEFORE UPDATE OR DELETE ON catalogue_audit
  FOR EACH ROW EXECUTE FUNCTION audit_entries_append_only();

-- Intake replays are bulk jobs too (GET /v1/bulk-changes/{id}); the kinds are the code's to name.
ALTER TABLE bulk_jobs DROP CONSTRAINT IF EXISTS bulk_jobs_kind_check;
