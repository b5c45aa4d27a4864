-- Foundation: tenants, identity, catalogue, facilities and stock, orders with their lines,
-- payments and fulfilment entities, the order's versions, and the transactional outbox.
-- Every table carries tenant_id and its keys lead with it (PRODUCT.md §8).

CREATE TABLE tenants (
  id          text PRIMARY KEY,
  name        text NOT NULL,
  settings    jsonb NOT NULL DEFAULT '{}'::jsonb,
  created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE users (
  tenant_id   text NOT NULL REFERENCES tenants (id),
  id          text NOT NULL,
  name        text NOT NULL,
  role        text NOT NULL CHECK (role IN ('agent', 'supervisor', 'picker', 'integration', 'admin')),
  created_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id)
);

-- Keys are looked up by their hash before the tenant is known, so the hash is the key.
CREATE TABLE api_keys (
  key_hash    text PRIMARY KEY,
  tenant_id   text NOT NULL,
  user_id     text NOT NULL,
  demo        boolean NOT NULL DEFAULT false,
  created_at  timestamptz NOT NULL DEFAULT now(),
  FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id)
);

CREATE TABLE products (
  tenant_id            text NOT NULL REFERENCES tenants (id),
  sku                  text NOT NULL,
  name                 text NOT NULL,
  unit_price           int8 NOT NULL CHECK (unit_price >= 0),
  currency             text NOT NULL,
  measurement_unit     text NOT NULL,
  unit_multiplier_milli int4 NOT NULL DEFAULT 1000 CHECK (unit_multiplier_milli > 0),
  weighable            boolean NOT NULL DEFAULT false,
  tax_rate             int4 NOT NULL CHECK (tax_rate >= 0),
  kind                 text NOT NULL DEFAULT 'item' CHECK (kind IN ('item', 'service', 'bundle')),
  allowed_substitutes  jsonb NOT NULL DEFAULT '[]'::jsonb,
  PRIMARY KEY (tenant_id, sku)
);

CREATE TABLE promotions (
  tenant_id   text NOT NULL REFERENCES tenants (id),
  code        text NOT NULL,
  kind        text NOT NULL CHECK (kind IN ('percent', 'amount')),
  value       int8 NOT NULL CHECK (value >= 0),
  skus        jsonb NOT NULL DEFAULT '[]'::jsonb,
  PRIMARY KEY (tenant_id, code)
);

CREATE TABLE facilities (
  tenant_id        text NOT NULL REFERENCES tenants (id),
  id               text NOT NULL,
  name             text NOT NULL,
  ship_from_store  boolean NOT NULL DEFAULT false,
  lat              double precision,
  lon              double precision,
  priority         int4 NOT NULL DEFAULT 100,
  PRIMARY KEY (tenant_id, id)
);

CREATE TABLE stock (
  tenant_id    text NOT NULL,
  facility_id  text NOT NULL,
  sku          text NOT NULL,
  on_hand      int4 NOT NULL CHECK (on_hand >= 0),
  reserved     int4 NOT NULL DEFAULT 0 CHECK (reserved >= 0 AND reserved <= on_hand),
  PRIMARY KEY (tenant_id, facility_id, sku),
  FOREIGN KEY (tenant_id, facility_id) REFERENCES facilities (tenant_id, id),
  FOREIGN KEY (tenant_id, sku) REFERENCES products (tenant_id, sku)
);
CREATE INDEX stock_by_sku ON stock (tenant_id, sku);

CREATE TABLE orders (
  tenant_id                text NOT NULL REFERENCES tenants (id),
  id                       text NOT NULL,
  seq                      int8 GENERATED ALWAYS AS IDENTITY,
  channel                  text NOT NULL,
  channel_order_ref        text NOT NULL,
  origin                   text NOT NULL CHECK (origin IN ('direct', 'marketplace', 'chain')),
  status                   text NOT NULL CHECK (status IN ('payment-pending', 'payment-approved', 'handling',
                             'ready-for-invoice', 'invoiced', 'shipped', 'delivered', 'canceled')),
  currency                 text NOT NULL,
  version                  int4 NOT NULL DEFAULT 0,
  customer                 jsonb NOT NULL,
  shipping_address         jsonb NOT NULL,
  preferred_delivery_date  date,
  delivery_window          jsonb,
  custom_attributes        jsonb NOT NULL DEFAULT '{}'::jsonb,
  carrier                  text,
  facility_id              text,
  shipping_total           int8 NOT NULL DEFAULT 0,
  adjustment_discount      int8 NOT NULL DEFAULT 0,
  adjustment_increment     int8 NOT NULL DEFAULT 0,
  total_items              int8 NOT NULL,
  total_discounts          int8 NOT NULL,
  total_increments         int8 NOT NULL,
  total_shipping           int8 NOT NULL,
  total_tax                int8 NOT NULL,
  grand_total              int8 NOT NULL,
  routing_status           text NOT NULL DEFAULT 'routed' CHECK (routing_status IN ('routed', 'unroutable')),
  routing_reasons          jsonb NOT NULL DEFAULT '[]'::jsonb,
  routing_blacklist        jsonb NOT NULL DEFAULT '[]'::jsonb,
  search_text              text NOT NULL DEFAULT '',
  created_at               timestamptz NOT NULL DEFAULT now(),
  updated_at               timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  UNIQUE (tenant_id, channel, channel_order_ref)
);
-- Newest first with a stable tie-break: (created_at, seq) is the cursor.
CREATE INDEX orders_listing ON orders (tenant_id, created_at DESC, seq DESC);
CREATE INDEX orders_by_status ON orders (tenant_id, status, created_at DESC, seq DESC);

CREATE TABLE order_lines (
  tenant_id              text NOT NULL,
  order_id               text NOT NULL,
  line_id                text NOT NULL,
  position               int4 NOT NULL,
  sku                    text NOT NULL,
  name                   text NOT NULL,
  quantity               int4 NOT NULL CHECK (quantity >= 1),
  measurement_unit       text NOT NULL,
  unit_multiplier_milli  int4 NOT NULL CHECK (unit_multiplier_milli > 0),
  unit_price             int8 NOT NULL CHECK (unit_price >= 0),
  discount               int8 NOT NULL DEFAULT 0 CHECK (discount >= 0),
  tax_rate               int4 NOT NULL CHECK (tax_rate >= 0),
  weighable              boolean NOT NULL DEFAULT false,
  bundle_id              text,
  parent_line_id         text,
  allowed_substitutes    jsonb NOT NULL DEFAULT '[]'::jsonb,
  PRIMARY KEY (tenant_id, order_id, line_id),
  FOREIGN KEY (tenant_id, order_id) REFERENCES orders (tenant_id, id)
);

CREATE TABLE payments (
  tenant_id       text NOT NULL,
  order_id        text NOT NULL,
  id              text NOT NULL,
  position        int4 NOT NULL,
  method          text NOT NULL,
  settled_by_api  boolean NOT NULL DEFAULT false,
  transaction_id  text,
  authorized      int8 NOT NULL DEFAULT 0 CHECK (authorized >= 0),
  captured        int8 NOT NULL DEFAULT 0 CHECK (captured >= 0),
  refunded        int8 NOT NULL DEFAULT 0 CHECK (refunded >= 0),
  PRIMARY KEY (tenant_id, order_id, id),
  FOREIGN KEY (tenant_id, order_id) REFERENCES orders (tenant_id, id)
);

CREATE TABLE reservations (
  tenant_id    text NOT NULL,
  order_id     text NOT NULL,
  line_id      text NOT NULL,
  facility_id  text NOT NULL,
  sku          text NOT NULL,
  quantity     int4 NOT NULL CHECK (quantity > 0),
  PRIMARY KEY (tenant_id, order_id, line_id, facility_id),
  FOREIGN KEY (tenant_id, order_id) REFERENCES orders (tenant_id, id)
);

CREATE TABLE pick_jobs (
  tenant_id    text NOT NULL,
  id           text NOT NULL,
  order_id     text NOT NULL,
  facility_id  text NOT NULL,
  status       text NOT NULL CHECK (status IN ('open', 'in-progress', 'picked', 'closed', 'canceled')),
  sub_status   text,
  assignee_id  text,
  created_at   timestamptz NOT NULL DEFAULT now(),
  updated_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, order_id) REFERENCES orders (tenant_id, id)
);
CREATE INDEX pick_jobs_by_order ON pick_jobs (tenant_id, order_id);
CREATE INDEX pick_jobs_by_status ON pick_jobs (tenant_id, status, facility_id);

CREATE TABLE pick_job_lines (
  tenant_id    text NOT NULL,
  pick_job_id  text NOT NULL,
  line_id      text NOT NULL,
  quantity     int4 NOT NULL CHECK (quantity >= 0),
  picked       int4 NOT NULL DEFAULT 0 CHECK (picked >= 0 AND picked <= quantity),
  PRIMARY KEY (tenant_id, pick_job_id, line_id),
  FOREIGN KEY (tenant_id, pick_job_id) REFERENCES pick_jobs (tenant_id, id)
);

CREATE TABLE pack_jobs (
  tenant_id   text NOT NULL,
  id          text NOT NULL,
  order_id    text NOT NULL,
  status      text NOT NULL CHECK (status IN ('open', 'packed', 'canceled')),
  created_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, order_id) REFERENCES orders (tenant_id, id)
);

CREATE TABLE packages (
  tenant_id    text NOT NULL,
  id           text NOT NULL,
  order_id     text NOT NULL,
  pack_job_id  text,
  created_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, order_id) REFERENCES orders (tenant_id, id)
);

CREATE TABLE handover_jobs (
  tenant_id   text NOT NULL,
  id          text NOT NULL,
  order_id    text NOT NULL,
  status      text NOT NULL CHECK (status IN ('open', 'handed-over', 'canceled')),
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, order_id) REFERENCES orders (tenant_id, id)
);
CREATE UNIQUE INDEX one_handover_per_order ON handover_jobs (tenant_id, order_id);

CREATE TABLE shipping_labels (
  tenant_id   text NOT NULL,
  id          text NOT NULL,
  order_id    text NOT NULL,
  carrier     text NOT NULL,
  status      text NOT NULL CHECK (status IN ('requested', 'generated', 'obsolete')),
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, order_id) REFERENCES orders (tenant_id, id)
);
CREATE INDEX labels_by_order ON shipping_labels (tenant_id, order_id);

-- The order as it was after each applied change (version 0 = as imported), for ?version=N
-- and for replaying the audit in `amend verify`.
CREATE TABLE order_versions (
  tenant_id   text NOT NULL,
  order_id    text NOT NULL,
  version     int4 NOT NULL,
  snapshot    jsonb NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, order_id, version),
  FOREIGN KEY (tenant_id, order_id) REFERENCES orders (tenant_id, id)
);

-- Transactional outbox: written in the same transaction as the state it announces.
CREATE TABLE outbox_events (
  tenant_id     text NOT NULL,
  seq           int8 GENERATED ALWAYS AS IDENTITY,
  id            text NOT NULL,
  type          text NOT NULL,
  order_id      text,
  change_id     text,
  data          jsonb NOT NULL,
  created_at    timestamptz NOT NULL DEFAULT now(),
  published_at  timestamptz,
  PRIMARY KEY (tenant_id, seq),
  UNIQUE (tenant_id, id)
);
CREATE INDEX outbox_unpublished ON outbox_events (seq) WHERE published_at IS NULL;
