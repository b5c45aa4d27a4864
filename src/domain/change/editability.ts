/**
 * What the caller may change (API.md §7.7), from the value-independent checks of the engine:
 * permission, the tenant's switch, the order gates, the fulfilment state and the line flags.
 * `visible: false` exactly when the refusal is PERMISSION_DENIED or OPERATION_DISABLED.
 */
import { refusal, type Refusal } from '../errors.js';
import type { Order } from '../order.js';
import { fulfilmentRefusal, lineFlagRefusal, orderGate } from './guards.js';
import { pickerLineLimits } from './limits.js';
import { LINE_OPERATIONS, OPERATIONS } from './operations/index.js';
import { addressGate } from './operations/set-shipping-address.js';
import type { ChangeContext, OperationName } from './types.js';

export interface Editable {
  allowed: boolean;
  visible: boolean;
  refusals: { code: string; detail: string }[];
}
export interface Editability {
  version: number;
  operations: Record<string, Editable>;
  /** Per line id: each line operation, and for a picker the limits of their changes. */
  lines: Record<string, LineEditability>;
}

type PickerLineLimits = NonNullable<ReturnType<typeof pickerLineLimits>>;
export type LineEditability = Partial<Record<(typeof LINE_OPERATIONS)[number], Editable>> & {
  limits?: PickerLineLimits;
};

const LINE_OPS = new Set(['addItem', 'removeItem', 'replaceItem', 'setQuantity', 'changeWeight']);

function entry(refusals: (Refusal | null)[], hiddenWhen: readonly string[] = []): Editable {
  const found = refusals
    .filter((r): r is Refusal => r !== null)
    .map((r) => ({ code: r.code, detail: r.detail }));
  const hidden = found.some(
    (r) =>
      r.code === 'PERMISSION_DENIED' ||
      r.code === 'OPERATION_DISABLED' ||
      hiddenWhen.includes(r.code),
  );
  return { allowed: found.length === 0, visible: !hidden, refusals: found };
}

function operationRefusals(order: Order, name: OperationName, ctx: ChangeContext): Refusal[] {
  const rules = OPERATIONS[name];
  if (!ctx.actor.permissions.has(rules.permission))
    return [refusal('PERMISSION_DENIED', `Your role ${ctx.actor.role} lacks ${rules.permission}.`)];
  if (!ctx.settings.operations[name])
    return [refusal('OPERATION_DISABLED', `${name} is switched off for this tenant.`)];
  if (rules.process) return rules.process.gate(order, 0, ctx);
  const gate = orderGate(order, ctx);
  if (gate) return [gate];
  const out: Refusal[] = [];
  if (rules.fulfilmentBound) {
    const r = fulfilmentRefusal(order, ctx.actor.actorId, LINE_OPS.has(name), 0);
    if (r) out.push(r);
  }
  if (name === 'setShippingAddress') {
    const r = addressGate(order, 0);
    if (r) out.push(r);
  }
  const own = rules.gate?.(order, 0);
  if (own) out.push(own);
  return out;
}

export function editability(order: Order, ctx: ChangeContext): Editability {
  const names = Object.keys(OPERATIONS) as OperationName[];
  const orderLevel = Object.fromEntries(
    names.map((n) => [n, operationRefusals(order, n, ctx)]),
  ) as Record<OperationName, Refusal[]>;
  const lines: Editability['lines'] = {};
  for (const line of order.lines) {
    const perLine: LineEditability = {};
    for (const name of LINE_OPERATIONS) {
      const own = [lineFlagRefusal(order, line, 0, 'lineId')];
      if (name === 'changeWeight' && !line.weighable)
        own.push(
          refusal('NOT_WEIGHABLE', `Line ${line.lineId} (${line.sku}) is sold by the piece.`),
        );
      perLine[name] = entry([...orderLevel[name], ...own]);
    }
    const limits =
      ctx.actor.role === 'picker'
        ? pickerLineLimits(ctx.originalOrder, line.lineId, ctx.settings)
        : undefined;
    if (limits) perLine.limits = limits;
    lines[line.lineId] = perLine;
  }
  return {
    version: order.version,
    operations: Object.fromEntries(
      names.map((n) => [n, entry(orderLevel[n], OPERATIONS[n].hiddenWhen)]),
    ),
    lines,
  };
}
