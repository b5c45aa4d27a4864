/**
 * Fulfilment moves (API.md §3, §7.6). Each is one transaction: lock the order row, decide with the
 * pure move in domain/fulfilment.ts, write only what changed, append the outbox events, commit.
 * The demo seed calls these with exactly these signatures.
 */
import type { Tx } from '../db/database.js';
import * as rows from '../db/fulfilment.js';
import { lockAndFindOrder } from '../db/orders.js';
import { forgetOrder } from './order-cache.js';
import { appendEvents } from '../db/outbox.js';
import * as moves from '../domain/fulfilment.js';
import type { Label, Order, PickJob } from '../domain/order.js';
import type { Result } from '../domain/result.js';
import type { Actor, Deps } from './deps.js';
import { RefusedError, refuse } from './refused-error.js';

export type PickJobView = PickJob & { orderId: string };
export type LabelView = Label & { orderId: string };

interface Announcement {
  type: (typeof moves.FULFILMENT_EVENT_TYPES)[number];
  data: unknown;
}
interface Written<T> {
  answer: T;
  events?: Announcement[];
}
type Locate = (tx: Tx) => Promise<string>;
type Write<T> = (tx: Tx, before: Order, after: Order, now: string) => Promise<Written<T>>;

/** Lock the order, decide, write, announce: the shape of every move. A refusal rolls everything back. */
async function move<T>(
  deps: Deps,
  actor: Actor,
  locate: Locate,
  decide: (order: Order, now: string) => Result<Order>,
  write: Write<T>,
): Promise<T> {
  const tenantId = actor.tenantId;
  const answer = await deps.db.transaction().execute(async (tx) => {
    const orderId = await locate(tx);
    const before = await lockAndFindOrder(tx, tenantId, orderId);
    if (!before) refuse('ORDER_NOT_FOUND', `Order ${orderId} does not exist.`);
    const now = deps.clock().toISOString();
    const decided = decide(before, now);
    if (!decided.ok) throw new RefusedError(decided.refusals);
    const after = decided.value;
    const { answer, events = [] } = await write(tx, before, after, now);
    const moved = after.status !== before.status;
    await rows.touchOrder(tx, tenantId, orderId, now, moved ? after.status : undefined);
    // Its revision moved: a cached copy would only cost a conflict, so it goes now.
    forgetOrder(deps.db, tenantId, orderId);
    if (moved)
      events.push({
        type: 'ORDER_STATUS_CHANGED',
        data: { version: after.version, status: after.status, previousStatus: before.status },
      });
    await appendEvents(
      tx,
      tenantId,
      events.map((e) => ({ id: deps.ids('evt'), type: e.type, orderId, data: e.data })),
    );
    return answer;
  });
  deps.signals.eventsWritten();
  return answer;
}

const theOrder =
  (orderId: string): Locate =>
  async () =>
    orderId;

function pickJobOrder(actor: Actor, pickJobId: string): Locate {
  return async (tx) =>
    (await rows.findPickJobOrderId(tx, actor.tenantId, pickJobId)) ??
    refuse('NOT_FOUND', `Pick job ${pickJobId} does not exist.`);
}

function labelOrder(actor: Actor, labelId: string): Locate {
  return async (tx) =>
    (await rows.findLabelOrderId(tx, actor.tenantId, labelId)) ??
    refuse('NOT_FOUND', `Label ${labelId} does not exist.`);
}

const answerOrder: Write<Order> = async (_tx, _before, after) => ({ answer: after });

function pickJobView(order: Order, pickJobId: string): PickJobView {
  return {
    ...(order.fulfilment.pickJobs.find((j) => j.id === pickJobId) as PickJob),
    orderId: order.id,
  };
}

function labelView(order: Order, labelId: string): LabelView {
  return { ...(order.fulfilment.labels.find((l) => l.id === labelId) as Label), orderId: order.id };
}

/** Writes a pick job's new state and announces it as `type`. */
function writePickJob(
  actor: Actor,
  pickJobId: string,
  type: Announcement['type'],
): Write<PickJobView> {
  return async (tx, before, after, now) => {
    const job = pickJobView(after, pickJobId);
    const old = pickJobView(before, pickJobId);
    const picked = job.lines.some(
      (l) => l.picked !== old.lines.find((o) => o.lineId === l.lineId)?.picked,
    );
    if (picked) await rows.setPickJobLines(tx, actor.tenantId, pickJobId, job.lines);
    if (job.status !== old.status || job.assigneeId !== old.assigneeId)
      await rows.updatePickJobState(tx, actor.tenantId, job, now);
    return { answer: job, events: [{ type, data: job }] };
  };
}

export function approvePayment(deps: Deps, actor: Actor, orderId: string): Promise<Order> {
  return move(deps, actor, theOrder(orderId), moves.approvePayment, answerOrder);
}

export function startPickJob(deps: Deps, actor: Actor, pickJobId: string): Promise<PickJobView> {
  return move(
    deps,
    actor,
    pickJobOrder(actor, pickJobId),
    (order, now) => moves.startPickJob(order, pickJobId, actor.actorId, now),
    writePickJob(actor, pickJobId, 'PICK_JOB_STARTED'),
  );
}

export function recordPicks(
  deps: Deps,
  actor: Actor,
  pickJobId: string,
  lines: { lineId: string; quantity: number }[],
): Promise<PickJobView> {
  return move(
    deps,
    actor,
    pickJobOrder(actor, pickJobId),
    (order, now) => moves.recordPicks(order, pickJobId, lines, now),
    writePickJob(actor, pickJobId, 'PICK_JOB_UPDATED'),
  );
}

export function closePickJob(deps: Deps, actor: Actor, pickJobId: string): Promise<PickJobView> {
  return move(
    deps,
    actor,
    pickJobOrder(actor, pickJobId),
    (order, now) => moves.closePickJob(order, pickJobId, now),
    writePickJob(actor, pickJobId, 'PICK_JOB_CLOSED'),
  );
}

export function requestLabel(
  deps: Deps,
  actor: Actor,
  orderId: string,
  carrier?: string,
): Promise<LabelView> {
  const labelId = deps.ids('lbl');
  return move(
    deps,
    actor,
    theOrder(orderId),
    (order, now) => moves.requestLabel(order, labelId, carrier, now),
    async (tx, _before, after, now) => {
      const label = labelView(after, labelId);
      await rows.insertLabel(tx, actor.tenantId, after.id, label, now);
      return { answer: label, events: [{ type: 'LABEL_REQUESTED', data: label }] };
    },
  );
}

export function generateLabel(deps: Deps, actor: Actor, labelId: string): Promise<LabelView> {
  return move(
    deps,
    actor,
    labelOrder(actor, labelId),
    (order, now) => moves.generateLabel(order, labelId, now),
    async (tx, _before, after, now) => {
      const label = labelView(after, labelId);
      await rows.setLabelStatus(tx, actor.tenantId, labelId, label.status, now);
      return { answer: label, events: [{ type: 'LABEL_GENERATED', data: label }] };
    },
  );
}

export function packOrder(deps: Deps, actor: Actor, orderId: string): Promise<Order> {
  const packageId = deps.ids('pkg');
  return move(
    deps,
    actor,
    theOrder(orderId),
    (order, now) => moves.packOrder(order, packageId, now),
    async (tx, _before, after, now) => {
      await rows.insertPackage(tx, actor.tenantId, after.id, packageId, now);
      return { answer: after };
    },
  );
}

export function handOver(deps: Deps, actor: Actor, orderId: string): Promise<Order> {
  return move(deps, actor, theOrder(orderId), moves.handOver, async (tx, _before, after, now) => {
    const handover = after.fulfilment.handover as NonNullable<Order['fulfilment']['handover']>;
    await rows.setHandoverStatus(tx, actor.tenantId, handover.id, handover.status, now);
    return {
      answer: after,
      events: [
        {
          type: 'ORDER_HANDED_OVER',
          data: { version: after.version, status: after.status, handoverId: handover.id },
        },
      ],
    };
  });
}

export function invoiceOrder(deps: Deps, actor: Actor, orderId: string): Promise<Order> {
  return move(deps, actor, theOrder(orderId), moves.invoiceOrder, async (tx, before, after) => {
    const captured = after.payments.filter(
      (p) => p.captured !== before.payments.find((b) => b.id === p.id)?.captured,
    );
    await rows.setCapturedAmounts(tx, actor.tenantId, after.id, captured);
    return { answer: after };
  });
}

export function shipOrder(deps: Deps, actor: Actor, orderId: string): Promise<Order> {
  return move(deps, actor, theOrder(orderId), moves.shipOrder, async (tx, before, after) => {
    // The reservations the order held are the goods that leave.
    await rows.shipStockOut(tx, actor.tenantId, before.fulfilment.reservations);
    await rows.deleteReservations(tx, actor.tenantId, after.id);
    return { answer: after };
  });
}

export function deliverOrder(deps: Deps, actor: Actor, orderId: string): Promise<Order> {
  return move(deps, actor, theOrder(orderId), moves.deliverOrder, answerOrder);
}

/** Every pick job of the tenant that matches; `mine` keeps those assigned to the caller. */
export async function listPickJobs(
  deps: Deps,
  actor: Actor,
  filter: { status?: string; facilityId?: string; mine?: boolean },
): Promise<PickJobView[]> {
  const { mine, ...rest } = filter;
  return (
    await rows.listPickJobPage(deps.db, actor.tenantId, {
      ...rest,
      ...(mine ? { assigneeId: actor.actorId } : {}),
    })
  ).items;
}
