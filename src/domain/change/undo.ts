/**
 * Undo (API.md §7.5): the operations that invert an applied change's audit entries. Every field the
 * change set must still hold what the change set it to (else UNDO_CONFLICT); entries that follow
 * from others (discounts scaled with a quantity, payments, routing) are left to the re-plan.
 */
import { refusal } from '../errors.js';
import type { Order, OrderLine } from '../order.js';
import { ok, refused, type Result } from '../result.js';
import type { TenantSettings } from '../settings.js';
import type { Operation } from './types.js';

interface Entry {
  path: string;
  old: unknown;
  new: unknown;
}
const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
const DERIVED =
  /^(payments\.|facilityId$|status$|lines\.[^.]+\.(discount|name|taxRate|measurementUnit)$)/;

function currentValue(order: Order, path: string): unknown {
  const [head, id, field] = path.split('.');
  if (head === 'lines') {
    const line = order.lines.find((l) => l.lineId === id);
    return field ? line?.[field as keyof OrderLine] : line;
  }
  if (head === 'shippingAddress')
    return order.shippingAddress[id as keyof Order['shippingAddress']];
  if (head === 'customAttributes') return order.customAttributes[id as string];
  if (head === 'adjustments') return order.adjustments[id as 'discount' | 'increment'];
  if (head === 'handoverDate') return order.fulfilment.handover?.date ?? null;
  return (order as unknown as Record<string, unknown>)[head as string];
}

export function invertChange(
  status: string,
  entries: Entry[],
  order: Order,
  settings: TenantSettings,
): Result<Operation[]> {
  if (status !== 'applied')
    return refused([
      refusal('UNDO_NOT_SUPPORTED', `Only an applied change can be undone; this one is ${status}.`),
    ]);
  if (entries.some((e) => e.path === 'status' && e.new === 'canceled'))
    return refused([
      refusal(
        'UNDO_NOT_SUPPORTED',
        'A cancellation cannot be undone; import the order again instead.',
      ),
    ]);
  const conflicts = entries.filter(
    (e) =>
      !DERIVED.test(e.path) &&
      !(e.path.split('.').length === 2 && e.path.startsWith('lines.') && e.new !== null
        ? order.lines.some((l) => l.lineId === e.path.split('.')[1])
        : same(currentValue(order, e.path), e.new)),
  );
  if (conflicts.length)
    return refused(
      conflicts.map((e) =>
        refusal('UNDO_CONFLICT', `${e.path} changed again since.`, { field: e.path }),
      ),
    );

  const ops: Operation[] = [];
  const address: Record<string, unknown> = {};
  const set: Record<string, unknown> = {};
  const unset: string[] = [];
  const priceReason = settings.reasons.priceChange[0]?.code ?? 'PRICE_MATCH';
  for (const e of entries) {
    const [head, id, field] = e.path.split('.') as [string, string, string | undefined];
    if (DERIVED.test(e.path)) continue;
    if (head === 'lines' && !field) {
      if (e.new === null) {
        const l = e.old as OrderLine;
        ops.push({ op: 'addItem', sku: l.sku, quantity: l.quantity, unitPrice: l.unitPrice });
      } else ops.push({ op: 'removeItem', lineId: id });
    } else if (head === 'lines' && field === 'quantity')
      ops.push({ op: 'setQuantity', lineId: id, quantity: e.old as number });
    else if (head === 'lines' && field === 'unitPrice')
      ops.push({
        op: 'setUnitPrice',
        lineId: id,
        unitPrice: e.old as number,
        priceChangeReason: priceReason,
      });
    else if (head === 'lines' && field === 'unitMultiplier')
      ops.push({ op: 'changeWeight', lineId: id, unitMultiplier: e.old as number });
    else if (head === 'shippingAddress') address[id] = e.old;
    else if (head === 'customAttributes') {
      if (e.old === null) unset.push(id);
      else set[id] = e.old;
    } else if (head === 'preferredDeliveryDate' && typeof e.old === 'string')
      ops.push({ op: 'setDeliveryDate', date: e.old });
    else if (head === 'deliveryWindow' && e.old) {
      const w = e.old as { from: string; to: string };
      ops.push({ op: 'setDeliveryDate', from: w.from, to: w.to });
    } else if (head === 'handoverDate' && typeof e.old === 'string')
      ops.push({ op: 'setDeliveryDate', handoverDate: e.old });
    else if (
      head === 'preferredDeliveryDate' ||
      head === 'deliveryWindow' ||
      head === 'handoverDate'
    )
      continue;
    else
      return refused([
        refusal(
          'UNDO_NOT_SUPPORTED',
          `${e.path} cannot be set back by a change (amounts and promotions only add); make a new change instead.`,
          { field: e.path },
        ),
      ]);
  }
  if (Object.keys(address).length) ops.push({ op: 'setShippingAddress', address });
  if (Object.keys(set).length || unset.length)
    ops.push({
      op: 'setCustomAttributes',
      ...(Object.keys(set).length ? { set } : {}),
      ...(unset.length ? { unset } : {}),
    });
  return ok(ops);
}
