/**
 * The domain's bounds on every number a client sends (docs/limits.md says why each is what it is).
 * They are the business's limits, chosen well inside what the columns hold (quantities and
 * thousandths are int4, money is int8 and JavaScript's safe integers), so a value that passes
 * here can always be written. The request schemas take their `maximum` from this table; the
 * planner checks the values it computes (a line's quantity after merges, its value, the order
 * total) against it before anything is written or any gateway is called.
 */
import { refusal, type Refusal } from './errors.js';
import { lineGross } from './totals.js';
import type { Order } from './order.js';

export const BOUNDS = {
  /** Units on one line: a wholesale pallet, far below int4 (2,147,483,647). */
  quantity: 100_000,
  /** A weighable line's unit multiplier (kg, l, m …): 10 t; stored as thousandths in int4. */
  unitMultiplier: 10_000,
  /** A unit price in minor units: 100 million of the currency's major unit. */
  unitPriceMinor: 10_000_000_000,
  /** One order-level discount or increment in minor units: the same as a unit price. */
  adjustmentMinor: 10_000_000_000,
  /**
   * A line's value and the order's grand total in minor units: 10 billion major units. Sums of
   * up to a few hundred lines stay far below Number.MAX_SAFE_INTEGER (9.0e15) and int8.
   */
  totalMinor: 1_000_000_000_000,
  /** A tax rate in basis points: 100 % (10,000); no tax Amend knows of is higher. */
  taxRateBasisPoints: 10_000,
  /** Units on hand of one sku at one facility; stock is int4. */
  stockOnHand: 2_000_000_000,
  /** The operations of one change (also the schema's maxItems). */
  operations: 100,
  /** Free-form JSON (customAttributes, webhook payload echoes): nesting depth and encoded size. */
  jsonDepth: 16,
  jsonBytes: 16 * 1024,
  /** Page size of every list (API.md §1). */
  pageLimit: 200,
} as const;

const fmt = (n: number) => n.toLocaleString('en-US');

/** VALUE_TOO_LARGE for each [field, value, bound] whose value is above its bound. */
export function aboveBounds(
  checks: readonly (readonly [field: string, value: number | undefined, bound: number])[],
): Refusal[] {
  return checks
    .filter(([, value, bound]) => value !== undefined && value > bound)
    .map(([field, value, bound]) =>
      refusal(
        'VALUE_TOO_LARGE',
        `${field} is ${fmt(value as number)}; Amend takes at most ${fmt(bound)}.`,
        { field, meta: { limit: bound } },
      ),
    );
}

/**
 * VALUE_TOO_LARGE for a free-form JSON value (customAttributes) deeper than BOUNDS.jsonDepth or
 * larger than BOUNDS.jsonBytes encoded. Walked without recursion: depth is what is in question.
 */
export function freeFormRefusal(value: unknown, field: string): Refusal | null {
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length) {
    const [v, depth] = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    if (depth >= BOUNDS.jsonDepth)
      return refusal(
        'VALUE_TOO_LARGE',
        `${field} is nested more than ${BOUNDS.jsonDepth} levels deep.`,
        { field, meta: { limit: BOUNDS.jsonDepth } },
      );
    for (const child of Object.values(v)) stack.push([child, depth + 1]);
  }
  const bytes = new TextEncoder().encode(JSON.stringify(value) ?? '').length;
  return bytes > BOUNDS.jsonBytes
    ? refusal(
        'VALUE_TOO_LARGE',
        `${field} takes ${fmt(bytes)} bytes as JSON; at most ${fmt(BOUNDS.jsonBytes)}.`,
        { field, meta: { limit: BOUNDS.jsonBytes } },
      )
    : null;
}

/**
 * Refusals for an order the planner computed: a line or total beyond the bounds. Runs on the
 * result of every operation together (several addItem of one sku, repeated adjustments), which
 * the per-field schema maximum alone cannot see.
 */
export function orderBoundRefusals(before: Order, order: Order, operationIndex: number): Refusal[] {
  const out: Refusal[] = [];
  // A line the change leaves as imported is not the change's to refuse.
  const was = new Map(before.lines.map((b) => [b.lineId, b]));
  const unchanged = (line: Order['lines'][number]) => {
    const b = was.get(line.lineId);
    return (
      b !== undefined &&
      b.quantity === line.quantity &&
      b.unitMultiplier === line.unitMultiplier &&
      b.unitPrice === line.unitPrice
    );
  };
  const changed = order.lines.filter((l) => !unchanged(l));
  for (const line of changed) {
    if (line.quantity > BOUNDS.quantity)
      out.push(
        refusal(
          'VALUE_TOO_LARGE',
          `Line ${line.lineId} would hold ${fmt(line.quantity)} units; one line holds at most ${fmt(BOUNDS.quantity)}.`,
          { operationIndex, field: 'quantity', meta: { limit: BOUNDS.quantity } },
        ),
      );
    if (line.unitMultiplier > BOUNDS.unitMultiplier)
      out.push(
        refusal(
          'VALUE_TOO_LARGE',
          `Line ${line.lineId} would weigh ${fmt(line.unitMultiplier)}; a unit multiplier is at most ${fmt(BOUNDS.unitMultiplier)}.`,
          { operationIndex, field: 'unitMultiplier', meta: { limit: BOUNDS.unitMultiplier } },
        ),
      );
    if (line.unitPrice > BOUNDS.unitPriceMinor)
      out.push(
        refusal(
          'VALUE_TOO_LARGE',
          `Line ${line.lineId} would cost ${fmt(line.unitPrice)} minor units a unit; a unit price is at most ${fmt(BOUNDS.unitPriceMinor)}.`,
          { operationIndex, field: 'unitPrice', meta: { limit: BOUNDS.unitPriceMinor } },
        ),
      );
  }
  if (JSON.stringify(order.customAttributes) !== JSON.stringify(before.customAttributes)) {
    const r = freeFormRefusal(order.customAttributes, 'customAttributes');
    if (r) out.push({ ...r, operationIndex });
  }
  if (out.length) return out;
  const largest = Math.max(0, ...changed.map((l) => lineGross(l)));
  const adjustments = Math.max(
    order.adjustments.discount === before.adjustments.discount ? 0 : order.adjustments.discount,
    order.adjustments.increment === before.adjustments.increment ? 0 : order.adjustments.increment,
  );
  if (largest > BOUNDS.totalMinor || adjustments > BOUNDS.totalMinor)
    out.push(
      refusal(
        'ORDER_TOTAL_TOO_LARGE',
        `A line or adjustment would be worth ${fmt(Math.max(largest, adjustments))} minor units; Amend handles at most ${fmt(BOUNDS.totalMinor)}.`,
        { operationIndex, meta: { limit: BOUNDS.totalMinor } },
      ),
    );
  return out;
}

/** The grand total an order may reach (checked after totals are computed). */
export function totalBoundRefusal(
  totalBefore: number,
  grandTotal: number,
  operationIndex?: number,
): Refusal | null {
  if (grandTotal <= BOUNDS.totalMinor || grandTotal <= totalBefore) return null;
  return refusal(
    'ORDER_TOTAL_TOO_LARGE',
    `The order total would be ${fmt(grandTotal)} minor units; Amend handles at most ${fmt(BOUNDS.totalMinor)}.`,
    {
      ...(operationIndex === undefined ? {} : { operationIndex }),
      meta: { limit: BOUNDS.totalMinor },
    },
  );
}
