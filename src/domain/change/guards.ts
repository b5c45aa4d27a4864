/**
 * The conditions several operations share (API.md §7.2, §7.6). Checks, the planner and the
 * editability view all ask these, so the UI and the server never disagree.
 */
import { refusal, type Refusal } from '../errors.js';
import {
  isLiveLabel,
  isLivePickJob,
  type Order,
  type OrderLine,
  type OrderStatus,
} from '../order.js';
import type { ChangeContext } from './types.js';

export const MAX_CHANGES = 50;
const EDITABLE: OrderStatus[] = ['payment-approved', 'handling', 'ready-for-invoice'];
const AFTER_INVOICE: OrderStatus[] = ['invoiced', 'shipped', 'delivered'];

/** The order gates, first failing one alone (§7.2 step 4). */
export function orderGate(order: Order, ctx: Pick<ChangeContext, 'changeCount'>): Refusal | null {
  if (order.origin === 'chain')
    return refusal('CHAIN_ORDER', 'Chain orders are changed in the system they came from.');
  if (AFTER_INVOICE.includes(order.status))
    return refusal('ORDER_INVOICED', `The order is ${order.status}; an invoice was issued.`);
  if (order.origin === 'marketplace' && order.status === 'payment-pending') {
    return refusal(
      'MARKETPLACE_PAYMENT_NOT_APPROVED',
      "The marketplace order's payment is not approved yet.",
    );
  }
  if (!EDITABLE.includes(order.status))
    return refusal(
      'ORDER_STATUS_NOT_EDITABLE',
      `The order is ${order.status}; changes need payment-approved, handling or ready-for-invoice.`,
    );
  if (ctx.changeCount >= MAX_CHANGES)
    return refusal(
      'MAX_CHANGES_EXCEEDED',
      `The order already has ${ctx.changeCount} changes; at most ${MAX_CHANGES} are allowed.`,
    );
  return null;
}

/**
 * How far fulfilment has gone, as line, date and attribute edits see it: `open` (every pick job
 * open, no live label, no package), `picker` (seed 000: the caller works the one in-progress pick
 * job and may still change its lines in place) or `started`.
 */
export type FulfilmentMode = 'open' | 'picker' | 'started';

export function fulfilmentMode(order: Order, actorId: string): FulfilmentMode {
  const f = order.fulfilment;
  if (f.labels.some(isLiveLabel) || f.packages.length > 0) return 'started';
  const live = f.pickJobs.filter(isLivePickJob);
  if (live.every((j) => j.status === 'open')) return 'open';
  const working = live.filter((j) => j.status !== 'open');
  const mine =
    working.length === 1 &&
    working[0]?.status === 'in-progress' &&
    working[0].assigneeId === actorId;
  return mine ? 'picker' : 'started';
}

export function fulfilmentRefusal(
  order: Order,
  actorId: string,
  linesOp: boolean,
  index: number,
): Refusal | null {
  const mode = fulfilmentMode(order, actorId);
  if (mode === 'open' || (mode === 'picker' && linesOp)) return null;
  return refusal(
    'FULFILMENT_STARTED',
    linesOp
      ? 'Picking, labelling or packing has started; only the picker working the pick job can still change its lines.'
      : 'Picking, labelling or packing has started, so this can no longer change.',
    { operationIndex: index },
  );
}

/** Units of a line already picked in live pick jobs. */
export function pickedOf(order: Order, lineId: string): number {
  return order.fulfilment.pickJobs
    .filter(isLivePickJob)
    .reduce((sum, j) => sum + (j.lines.find((l) => l.lineId === lineId)?.picked ?? 0), 0);
}

/** Bundled lines, attached services and their parents are changed as a whole, never alone. */
export function lineFlagRefusal(
  order: Order,
  line: OrderLine,
  index: number,
  field: string,
): Refusal | null {
  const isParent = order.lines.some((l) => l.parentLineId === line.lineId);
  if (line.bundleId || line.parentLineId || isParent) {
    const why = line.bundleId
      ? `is part of bundle ${line.bundleId}`
      : line.parentLineId
        ? `is attached to line ${line.parentLineId}`
        : 'has an attached service';
    return refusal('LINE_NOT_EDITABLE', `Line ${line.lineId} (${line.sku}) ${why}.`, {
      operationIndex: index,
      field,
    });
  }
  return null;
}

/** A line named by id, or by a sku that is on exactly one line. */
export function resolveLine(
  order: Order,
  ref: { lineId?: string | undefined; sku?: string | undefined },
  index: number,
  skuField = 'sku',
): { line: OrderLine } | { refusal: Refusal } {
  const at = (field: string) => ({ operationIndex: index, field: `operations[${index}].${field}` });
  if (ref.lineId !== undefined) {
    const line = order.lines.find((l) => l.lineId === ref.lineId);
    return line
      ? { line }
      : {
          refusal: refusal('LINE_NOT_FOUND', `The order has no line ${ref.lineId}.`, at('lineId')),
        };
  }
  if (ref.sku === undefined)
    return {
      refusal: refusal(
        'LINE_NOT_FOUND',
        'Name the line with lineId (or a sku on the order).',
        at('lineId'),
      ),
    };
  const matches = order.lines.filter((l) => l.sku === ref.sku);
  if (matches.length === 0)
    return {
      refusal: refusal('LINE_NOT_FOUND', `No line of the order has sku ${ref.sku}.`, at(skuField)),
    };
  if (matches.length > 1)
    return {
      refusal: refusal(
        'LINE_AMBIGUOUS',
        `Sku ${ref.sku} is on ${matches.length} lines; name one with lineId.`,
        at(skuField),
      ),
    };
  return { line: matches[0] as OrderLine };
}

export const at = (index: number, field: string) => ({
  operationIndex: index,
  field: `operations[${index}].${field}`,
});

/** The line an operation names, if it exists and may be edited on its own. */
export function editableLine(
  order: Order,
  ref: { lineId?: string | undefined; sku?: string | undefined },
  index: number,
  skuField = 'sku',
): { line: OrderLine } | { refusal: Refusal } {
  const found = resolveLine(order, ref, index, skuField);
  if ('refusal' in found) return found;
  const flag = lineFlagRefusal(order, found.line, index, `operations[${index}].lineId`);
  return flag ? { refusal: flag } : found;
}
