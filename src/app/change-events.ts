/** The outbox events of a change (API.md §5): CHANGE_* carry the Change, ORDER_* { version, status }. */
import type { Change } from '../domain/change/change.js';
import type { NewEvent } from '../db/outbox.js';
import type { ChangePlan } from '../domain/change/types.js';
import type { Order } from '../domain/order.js';
import type { Deps } from './deps.js';

/** Process operations announce what they did (fulfillmenttools' spelling on purpose, API.md §5). */
const PROCESS_EVENTS: Record<string, string> = {
  cancelOrder: 'ORDER_CANCELLED',
  forceCancelOrder: 'ORDER_FORCE_CANCELLED',
  reroute: 'ORDER_MANUAL_REROUTE',
  assignFacility: 'ORDER_MANUAL_FACILITY_ASSIGNMENT',
  rerouteTask: 'TASK_MANUAL_REROUTE',
};

const EFFECT_EVENTS: Record<string, string> = {
  REROUTE: 'ORDER_MODIFICATION_REROUTE',
  LABEL_OBSOLETE: 'LABEL_OBSOLETE',
  LABEL_REQUESTED: 'LABEL_REQUESTED',
  PICK_JOB_REPLACED: 'PICK_JOB_REPLACED',
  PICK_JOB_UPDATED: 'PICK_JOB_UPDATED',
};

/** `steps`: the CHANGE_* events of this commit (all four on the fast path; only CHANGE_APPLIED from the worker). */
export function changeEvents(
  deps: Deps,
  change: Change,
  after: Order,
  plan: ChangePlan,
  steps: readonly string[] = [
    'CHANGE_RECEIVED',
    'CHANGE_VALIDATED',
    'CHANGE_APPLYING',
    'CHANGE_APPLIED',
  ],
): NewEvent[] {
  const base = { orderId: change.orderId, changeId: change.id };
  const events: NewEvent[] = steps.map((type) => ({
    id: deps.ids('evt'),
    type,
    ...base,
    data: change,
  }));
  const ops = change.operations.map((o) => o.op);
  const manual = ops.map((op) => PROCESS_EVENTS[op]).find((type) => type !== undefined);
  events.push({
    id: deps.ids('evt'),
    type: manual && manual.startsWith('ORDER_') ? manual : 'ORDER_MODIFIED',
    ...base,
    data: { version: after.version, status: after.status, facilityId: after.facilityId },
  });
  if (manual && !manual.startsWith('ORDER_'))
    events.push({
      id: deps.ids('evt'),
      type: manual,
      ...base,
      data: { version: after.version, status: after.status, facilityId: after.facilityId },
    });
  for (const effect of plan.effects) {
    // A manual move announces itself above; REROUTE as an effect is the one a modification causes.
    if (effect.type === 'REROUTE' && manual) continue;
    const type = EFFECT_EVENTS[effect.type];
    if (type) events.push({ id: deps.ids('evt'), type, ...base, data: effect });
  }
  // A cancellation stops the pick jobs it canceled (they keep their sub-status as the reason).
  if (ops.includes('cancelOrder') || ops.includes('forceCancelOrder')) {
    for (const job of after.fulfilment.pickJobs.filter(
      (j) => j.subStatus === 'order-canceled' || j.subStatus === 'order-force-canceled',
    )) {
      events.push({ id: deps.ids('evt'), type: 'PICK_JOB_CANCELED', ...base, data: job });
    }
  }
  if (plan.payments.length)
    events.push({
      id: deps.ids('evt'),
      type: 'PAYMENT_ADJUSTED',
      ...base,
      data: { payments: plan.payments },
    });
  return events;
}

export function rejectionEvents(deps: Deps, change: Change): NewEvent[] {
  const base = { orderId: change.orderId, changeId: change.id };
  return ['CHANGE_RECEIVED', 'CHANGE_REJECTED'].map((type) => ({
    id: deps.ids('evt'),
    type,
    ...base,
    data: change,
  }));
}
