/**
 * All changes of an order at once (API.md §4 change-summary): the order as imported, what was added,
 * removed and replaced since, and the totals' delta. The native summary and VTEX's both read this.
 */
import type { Order, Totals } from '../order.js';
import type { Change } from './change.js';

const sideOf = (o: Order) => ({ lines: o.lines, totals: o.totals, adjustments: o.adjustments });

/** `applied` are the order's applied changes, oldest first. */
export function summarizeChanges(original: Order, current: Order, applied: readonly Change[]) {
  const ids = (o: Order) => new Set(o.lines.map((l) => l.lineId));
  const replaced = applied.flatMap((c) =>
    (c.plan?.lines ?? [])
      .filter((l) => l.kind === 'replaced')
      .map((l) => ({ changeId: c.id, from: l.old, to: l.new })),
  );
  const keys = Object.keys(current.totals) as (keyof Totals)[];
  const last = applied.at(-1);
  return {
    original: sideOf(original),
    current: sideOf(current),
    added: current.lines.filter((l) => !ids(original).has(l.lineId)),
    removed: original.lines.filter((l) => !ids(current).has(l.lineId)),
    replaced,
    totalsDelta: Object.fromEntries(keys.map((k) => [k, current.totals[k] - original.totals[k]])),
    changes: applied.length,
    lastChangeAt: last ? last.updatedAt : null,
  };
}

export type ChangeSummary = ReturnType<typeof summarizeChanges>;
