/** Every event Amend writes to its outbox (one list; docs/events.md is generated from it). */
export interface EventEntry {
  when: string;
  data: string;
}

export const EVENTS = {
  ORDER_CREATED: { when: 'an order was imported', data: '{ version, status }' },
  ORDER_HAS_UNROUTABLE_ITEMS: {
    when: 'an imported order found no facility for every line',
    data: '{ version, status, reasons: [{ lineId, sku, missing }] }',
  },
  PICK_JOB_CREATED: { when: 'an imported order got its pick job', data: 'the pick job' },
  ORDER_STATUS_CHANGED: {
    when: 'a fulfilment move changed the order status (approve-payment, start, pack, invoice, ship, deliver)',
    data: '{ version, status, previousStatus }',
  },
  PICK_JOB_STARTED: { when: 'a picker started a pick job', data: 'the pick job with orderId' },
  PICK_JOB_UPDATED: {
    when: "picks were recorded, or the picker at work changed the job's lines (seed 000)",
    data: 'the pick job, or { pickJobId }',
  },
  PICK_JOB_CLOSED: { when: 'a pick job was closed', data: 'the pick job' },
  PICK_JOB_REPLACED: {
    when: 'a change replaced the open pick job (order modified, reassigned, rerouted)',
    data: '{ oldPickJobId, newPickJobId }',
  },
  PICK_JOB_CANCELED: { when: 'a cancellation stopped a pick job', data: 'the pick job' },
  LABEL_REQUESTED: {
    when: 'a label was requested, by a fulfilment move or after an address or carrier change',
    data: 'the label with orderId, or { labelId, carrier }',
  },
  LABEL_GENERATED: { when: 'a requested label was generated', data: 'the label' },
  LABEL_OBSOLETE: {
    when: 'an address or carrier change made a label obsolete',
    data: '{ labelId }',
  },
  ORDER_HANDED_OVER: {
    when: 'the order was handed over to the carrier',
    data: '{ version, status, handoverId }',
  },
  CHANGE_RECEIVED: {
    when: 'a change request arrived (also for refused ones)',
    data: 'the slim Change',
  },
  CHANGE_VALIDATED: { when: 'a change passed every rule', data: 'the slim Change' },
  CHANGE_APPLYING: { when: 'a change is being written', data: 'the slim Change' },
  CHANGE_AWAITING_APPROVAL: {
    when: 'the approval policy sent a change to a supervisor',
    data: 'the slim Change, with approval { score, reasons }',
  },
  CHANGE_APPROVED: {
    when: 'a supervisor approved a change',
    data: 'the slim Change, with approval { decidedBy, decidedAt, note }',
  },
  CHANGE_AWAITING_SELLER: {
    when: "a marketplace order's change waits for the seller",
    data: 'the slim Change',
  },
  CHANGE_SELLER_ACKNOWLEDGED: { when: 'the seller acknowledged a change', data: 'the slim Change' },
  CHANGE_SELLER_CONFIRMED: {
    when: "the seller confirmed a change; it joins its order's queue",
    data: 'the slim Change',
  },
  CHANGE_APPLIED: { when: 'a change was applied', data: 'the slim Change' },
  CHANGE_REJECTED: {
    when: 'a change was refused: by a rule (422 or when planned again), a supervisor, the seller, or a declined payment',
    data: 'the slim Change, with outcome { code, detail, nextStep }',
  },
  CHANGE_FAILED: {
    when: 'the payment gateway could not be reached within the retry budget, or the change could not be written (CHANGE_COMMIT_FAILED); its payment calls were reversed first',
    data: 'the slim Change, with outcome',
  },
  CHANGE_CANCELED: {
    when: 'a person canceled a change before it applied',
    data: 'the slim Change, with outcome',
  },
  ORDER_MODIFIED: {
    when: 'a change was applied to the order',
    data: '{ version, status, facilityId }',
  },
  ORDER_CANCELLED: {
    when: 'cancelOrder was applied (instead of ORDER_MODIFIED)',
    data: '{ version, status, facilityId }',
  },
  ORDER_FORCE_CANCELLED: {
    when: 'forceCancelOrder was applied (instead of ORDER_MODIFIED)',
    data: '{ version, status, facilityId }',
  },
  ORDER_MANUAL_REROUTE: {
    when: 'reroute was applied (instead of ORDER_MODIFIED)',
    data: '{ version, status, facilityId }',
  },
  ORDER_MANUAL_FACILITY_ASSIGNMENT: {
    when: 'assignFacility was applied (instead of ORDER_MODIFIED)',
    data: '{ version, status, facilityId }',
  },
  TASK_MANUAL_REROUTE: {
    when: 'rerouteTask was applied (with ORDER_MODIFIED)',
    data: '{ version, status, facilityId }',
  },
  ORDER_MODIFICATION_REROUTE: {
    when: 'a line, date or attribute change re-routed the order (tenant setting rerouteOnModification)',
    data: '{ fromFacilityId, toFacilityId, routingStatus }',
  },
  PAYMENT_ADJUSTED: {
    when: 'a change moved money on a payment',
    data: '{ payments: [{ paymentId, method, amount, action }] }',
  },
  INTAKE_RECEIVED: {
    when: "a channel's payload was stored as an intake record (before the channel heard 202)",
    data: '{ intakeId, sourceId }',
  },
  INTAKE_RETRYING: {
    when: 'an intake record failed for a passing reason and waits for its next attempt',
    data: '{ intakeId, sourceId, attempts, nextAttemptAt, detail }',
  },
  INTAKE_DEAD_LETTERED: {
    when: 'an intake record could not be imported and waits for a person (replay or discard)',
    data: '{ intakeId, sourceId, code, detail }',
  },
  INTAKE_REPLAYED: {
    when: 'a person replayed a dead letter (alone or in a bulk replay), perhaps with a corrected payload',
    data: '{ intakeId, sourceId, corrected }',
  },
  INTAKE_DISCARDED: {
    when: 'a person discarded an intake record with a reason',
    data: '{ intakeId, sourceId, reason }',
  },
  PRODUCT_UPDATED: {
    when: 'a product was created or changed through the catalogue API',
    data: '{ sku, product, previous }',
  },
  FACILITY_UPDATED: {
    when: 'a facility was created or changed through the catalogue API',
    data: '{ facilityId, facility, previous }',
  },
  KPI_TARGET_MISSED: {
    when: 'a KPI target (settings kpiTargets) became missed over its window; raised again only after it was met or had no data',
    data: '{ kpi, target, actual, windowHours, from, to, detail }',
  },
  CUSTOMER_NOTIFICATION_REQUESTED: {
    when: 'an applied change is to be told to the customer (its request or the tenant defaults said so)',
    data: '{ channel: "email", to, locale, subject, text }',
  },
  CUSTOMER_NOTIFIED: {
    when: 'the customer notice of a change was accepted by the SMTP server',
    data: '{ notificationId, to, attempts, messageId }',
  },
  CUSTOMER_NOTIFICATION_NOT_SENT: {
    when: 'a customer notice was not sent: no SMTP_URL is configured',
    data: '{ notificationId, to, reason }',
  },
  CUSTOMER_NOTIFICATION_DEAD: {
    when: 'a customer notice failed on every attempt (maxAttempts) and waits in the dead letter',
    data: '{ notificationId, to, attempts, lastError }',
  },
  STOCK_UPDATED: {
    when: "a facility's stock of a sku was set through the catalogue API",
    data: '{ facilityId, sku, onHand, reserved, available, previousOnHand }',
  },
} as const satisfies Record<string, EventEntry>;

export type EventType = keyof typeof EVENTS;

/**
 * The version of the event payloads (README "Changelog of the API contract"). 2: CHANGE_* carry the
 * slim Change (ids, status, versions, approval, outcome; no plan, operations or transitions).
 */
export const EVENT_VERSION = 3;

export interface EventEnvelope {
  id: string;
  type: string;
  at: string;
  orderId: string | null;
  changeId: string | null;
  data: unknown;
}

/** What SSE, webhooks and NATS deliver: one shape, one place. */
export const eventEnvelope = (e: EventEnvelope) => ({ ...e, eventVersion: EVENT_VERSION });
