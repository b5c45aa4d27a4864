/** Row types of every table, as Kysely sees them (snake_case; mappers turn them into domain objects). */
import type { ColumnType, Generated } from 'kysely';
import type { PickJobLineRow } from './order-rows.js';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type Json<T = unknown> = ColumnType<T, string, string>;

export interface TenantsTable {
  id: string;
  name: string;
  settings: Json;
  created_at: Timestamp;
}
export interface UsersTable {
  tenant_id: string;
  id: string;
  name: string;
  role: string;
  created_at: Timestamp;
}
export interface ApiKeysTable {
  key_hash: string;
  tenant_id: string;
  user_id: string;
  demo: Generated<boolean>;
  created_at: Timestamp;
}

export interface ProductsTable {
  tenant_id: string;
  sku: string;
  name: string;
  unit_price: number;
  currency: string;
  measurement_unit: string;
  unit_multiplier_milli: number;
  weighable: boolean;
  tax_rate: number;
  kind: string;
  allowed_substitutes: Json<string[]>;
}
export interface PromotionsTable {
  tenant_id: string;
  code: string;
  kind: string;
  value: number;
  skus: Json<string[]>;
}
export interface FacilitiesTable {
  tenant_id: string;
  id: string;
  name: string;
  ship_from_store: boolean;
  lat: number | null;
  lon: number | null;
  priority: number;
}
export interface StockTable {
  tenant_id: string;
  facility_id: string;
  sku: string;
  on_hand: number;
  reserved: number;
}

export interface OrdersTable {
  tenant_id: string;
  id: string;
  seq: Generated<number>;
  channel: string;
  channel_order_ref: string;
  origin: string;
  status: string;
  currency: string;
  version: number;
  customer: Json;
  shipping_address: Json;
  preferred_delivery_date: string | null;
  delivery_window: Json | null;
  custom_attributes: Json;
  carrier: string | null;
  facility_id: string | null;
  shipping_total: number;
  adjustment_discount: number;
  adjustment_increment: number;
  total_items: number;
  total_discounts: number;
  total_increments: number;
  total_shipping: number;
  total_tax: number;
  grand_total: number;
  routing_status: string;
  routing_reasons: Json;
  routing_blacklist: Json;
  search_text: string;
  revision: Generated<number>;
  applied_promotions: Generated<Json<string[]>>;
  created_at: Timestamp;
  updated_at: Timestamp;
}
export interface OrderLinesTable {
  tenant_id: string;
  order_id: string;
  line_id: string;
  position: number;
  sku: string;
  name: string;
  quantity: number;
  measurement_unit: string;
  unit_multiplier_milli: number;
  unit_price: number;
  discount: number;
  tax_rate: number;
  weighable: boolean;
  bundle_id: string | null;
  parent_line_id: string | null;
  allowed_substitutes: Json<string[]>;
}
export interface PaymentsTable {
  tenant_id: string;
  order_id: string;
  id: string;
  position: number;
  method: string;
  settled_by_api: boolean;
  transaction_id: string | null;
  authorized: number;
  captured: number;
  refunded: number;
}
export interface ReservationsTable {
  tenant_id: string;
  order_id: string;
  line_id: string;
  facility_id: string;
  sku: string;
  quantity: number;
}
export interface PickJobsTable {
  tenant_id: string;
  id: string;
  order_id: string;
  facility_id: string;
  status: string;
  sub_status: string | null;
  assignee_id: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
  /** The job's lines, in the job's order (migrations/0071_pick_job_lines_inline.sql). */
  lines: Json<PickJobLineRow[]>;
}
export interface PackJobsTable {
  tenant_id: string;
  id: string;
  order_id: string;
  status: string;
  created_at: Timestamp;
}
export interface PackagesTable {
  tenant_id: string;
  id: string;
  order_id: string;
  pack_job_id: string | null;
  created_at: Timestamp;
}
export interface HandoverJobsTable {
  tenant_id: string;
  id: string;
  order_id: string;
  status: string;
  /** A date column, read back as text (YYYY-MM-DD) by the order query. */
  handover_date: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}
export interface KpiTargetStatesTable {
  tenant_id: string;
  kpi: string;
  status: string;
  actual: number | null;
  checked_at: Timestamp;
  changed_at: Timestamp;
}
export interface CustomerNotificationsTable {
  tenant_id: string;
  id: string;
  seq: Generated<number>;
  order_id: string;
  change_id: string | null;
  event_id: string;
  channel: string;
  recipient: string;
  locale: string;
  subject: string;
  body: string;
  status: string;
  attempts: Generated<number>;
  last_error: string | null;
  message_id: string | null;
  next_attempt_at: Timestamp | null;
  lease_until: Timestamp | null;
  created_at: Generated<Timestamp>;
  updated_at: Generated<Timestamp>;
}
export interface ShippingLabelsTable {
  tenant_id: string;
  id: string;
  order_id: string;
  carrier: string;
  status: string;
  created_at: Timestamp;
  updated_at: Timestamp;
}
export interface OrderVersionsTable {
  tenant_id: string;
  order_id: string;
  version: number;
  /** Version 0 and every checkpoint (domain/version-delta.ts); the rest keep `delta`. */
  snapshot: Json | null;
  delta: Json | null;
  created_at: Timestamp;
}
export interface OutboxEventsTable {
  tenant_id: string;
  seq: Generated<number>;
  id: string;
  type: string;
  order_id: string | null;
  change_id: string | null;
  data: Json;
  created_at: Timestamp;
  published_at: Date | null;
}
export interface ChangeRequestsTable {
  tenant_id: string;
  id: string;
  seq: Generated<number>;
  order_id: string;
  ticket: string;
  status: string;
  requested_by: Json;
  reason: Json | null;
  operations: Json;
  base_version: number;
  order_version: number | null;
  plan: Json | null;
  approval: Json | null;
  undo_of: string | null;
  outcome: Json | null;
  transitions: Json;
  idempotency_key: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
  expected_version: number | null;
  queue_seq: number | null;
  lease_token: string | null;
  lease_until: Timestamp | null;
  attempts: Generated<number>;
  next_attempt_at: Timestamp | null;
  gateway_generation: Generated<number>;
  seller_acknowledged_at: Timestamp | null;
}
export interface GatewayCallsTable {
  tenant_id: string;
  key: string;
  change_id: string;
  payment_id: string;
  method: string;
  action: string;
  amount: number;
  status: string;
  reference: string | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}
export interface PaymentSimulatorRulesTable {
  tenant_id: string;
  method: string;
  failure: string;
  remaining: number | null;
  latency_ms: number;
  updated_at: Generated<Date>;
}
export interface PaymentSimulatorLedgerTable {
  tenant_id: string;
  key: string;
  payment_id: string;
  method: string;
  action: string;
  amount: number;
  outcome: string;
  reference: string;
  detail: string | null;
  created_at: Generated<Date>;
}
export interface WebhooksTable {
  tenant_id: string;
  id: string;
  url: string;
  events: Json<string[]>;
  secret: string;
  created_at: Generated<Date>;
  deleted_at: Timestamp | null;
}
export interface WebhookDeliveriesTable {
  tenant_id: string;
  id: string;
  seq: Generated<number>;
  webhook_id: string;
  event_id: string;
  event_type: string;
  status: string;
  attempts: Generated<number>;
  last_status_code: number | null;
  last_error: string | null;
  next_attempt_at: Timestamp | null;
  lease_until: Timestamp | null;
  replay_of: string | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}
export interface VerifyRunsTable {
  tenant_id: string;
  id: string;
  at: Generated<Date>;
  orders_checked: number;
  findings: number;
  details: Json;
}
export interface AuditEntriesTable {
  tenant_id: string;
  order_id: string;
  seq: Generated<number>;
  change_id: string;
  ticket: string;
  actor_id: string;
  actor_role: string;
  app: string;
  at: Timestamp;
  path: string;
  old_value: Json | null;
  new_value: Json | null;
  reason_code: string | null;
}
export interface IdempotencyKeysTable {
  tenant_id: string;
  key: string;
  fingerprint: string;
  state: string;
  status_code: number | null;
  headers: Json | null;
  body: Json | null;
  /** An apply's change: a replay answers it as it is then (migrations/0010). */
  change_id: string | null;
  created_at: Timestamp;
}
export interface BulkJobsTable {
  tenant_id: string;
  id: string;
  kind: string;
  status: string;
  request: Json;
  requested_by: Json;
  total: number;
  done: Generated<number>;
  succeeded: Generated<number>;
  failed: Generated<number>;
  results: Generated<Json>;
  created_at: Timestamp;
  updated_at: Timestamp;
}
export interface InboxEntriesTable {
  tenant_id: string;
  id: string;
  seq: Generated<number>;
  actor_id: string;
  /** Null for a bulk job's summary (migrations/0070). */
  change_id: string | null;
  order_id: string | null;
  outcome: string;
  code: string;
  detail: string;
  next_step: string;
  at: Timestamp;
  acknowledged_at: Date | string | null;
  bulk_job_id: string | null;
  counts: Json | null;
}
export interface SchemaMigrationsTable {
  name: string;
  checksum: string;
  applied_at: Timestamp;
}

export interface SourcesTable {
  tenant_id: string;
  id: string;
  kind: string;
  name: string;
  enabled: Generated<boolean>;
  channel: string;
  credentials: Json;
  validation: Json;
  accounts: Json;
  sku_map: Json;
  expected_interval_seconds: number | null;
  retry: Json;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}
export interface IntakeRecordsTable {
  tenant_id: string;
  id: string;
  seq: Generated<number>;
  source_id: string;
  kind: string;
  account: string | null;
  status: string;
  raw_body: string;
  payload: Json | null;
  canonical: Json | null;
  channel_order_ref: string | null;
  webhook_id: string | null;
  order_id: string | null;
  duplicate_of: string | null;
  code: string | null;
  detail: string | null;
  errors: ColumnType<unknown, string | undefined, string>;
  attempts: Generated<number>;
  next_attempt_at: Timestamp | null;
  lease_token: string | null;
  lease_until: Timestamp | null;
  value_minor: number | null;
  history: ColumnType<unknown, string | undefined, string>;
  received_at: ColumnType<Date, Date | string | undefined, Date | string>;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
  imported_at: Timestamp | null;
  dead_lettered_at: Timestamp | null;
}
export interface CatalogueAuditTable {
  tenant_id: string;
  seq: Generated<number>;
  at: Generated<Date>;
  actor_id: string;
  entity: string;
  entity_id: string;
  old_value: Json | null;
  new_value: Json;
}

export interface RiskModelsTable {
  tenant_id: string;
  version: number;
  trained_at: Timestamp;
  decisions: number;
  model: Json;
  evaluation: Json | null;
}

export interface RiskDecisionsTable {
  tenant_id: string;
  change_id: string;
  actor_id: string;
  role: string;
  primary_op: string;
  requested_at: Timestamp;
  decided_at: Timestamp;
  outcome: string;
  label: number;
  input: Json;
  rules_score: number;
  model_version: number | null;
  source: string;
}

export interface DB {
  tenants: TenantsTable;
  users: UsersTable;
  api_keys: ApiKeysTable;
  products: ProductsTable;
  promotions: PromotionsTable;
  facilities: FacilitiesTable;
  stock: StockTable;
  orders: OrdersTable;
  order_lines: OrderLinesTable;
  payments: PaymentsTable;
  reservations: ReservationsTable;
  pick_jobs: PickJobsTable;
  pack_jobs: PackJobsTable;
  packages: PackagesTable;
  handover_jobs: HandoverJobsTable;
  kpi_target_states: KpiTargetStatesTable;
  customer_notifications: CustomerNotificationsTable;
  shipping_labels: ShippingLabelsTable;
  order_versions: OrderVersionsTable;
  outbox_events: OutboxEventsTable;
  change_requests: ChangeRequestsTable;
  audit_entries: AuditEntriesTable;
  idempotency_keys: IdempotencyKeysTable;
  bulk_jobs: BulkJobsTable;
  inbox_entries: InboxEntriesTable;
  schema_migrations: SchemaMigrationsTable;
  verify_runs: VerifyRunsTable;
  webhooks: WebhooksTable;
  webhook_deliveries: WebhookDeliveriesTable;
  gateway_calls: GatewayCallsTable;
  payment_simulator_rules: PaymentSimulatorRulesTable;
  payment_simulator_ledger: PaymentSimulatorLedgerTable;
  sources: SourcesTable;
  intake_records: IntakeRecordsTable;
  catalogue_audit: CatalogueAuditTable;
  risk_models: RiskModelsTable;
  risk_decisions: RiskDecisionsTable;
}
