/**
 * The order as of any version without a full snapshot per change (issue 13 point 3): version 0 and
 * every CHECKPOINT_EVERY-th version keep the whole snapshot; every other version keeps the delta from
 * the version before. Lines travel by id (a one-line edit of a 200-line order stores one line), every
 * other field whole when it changed. `applyDelta(before, diffSnapshots(before, after))` equals `after`.
 */
import { jsonEqual } from './json-equal.js';
import type { Order, OrderLine } from './order.js';

/** What ?version=N answers: the order less status and fulfilment (API.md §7.5). */
export type VersionSnapshot = Omit<Order, 'status' | 'fulfilment'>;

export const CHECKPOINT_EVERY = 20;

export interface VersionDelta {
  /** Everything but the lines, whole: fulfilment moves (invoice, labels) touch these between versions. */
  head: Omit<VersionSnapshot, 'lines'>;
  lines?: {
    /** New or changed lines, whole. */
    put?: OrderLine[];
    del?: string[];
    /** The line ids in order, when the order is not "kept lines in place, new ones at the end". */
    order?: string[];
  };
}

export const isCheckpoint = (version: number): boolean => version % CHECKPOINT_EVERY === 0;

export function versionSnapshot(order: Order): VersionSnapshot {
  const { status: _status, fulfilment: _fulfilment, ...rest } = order;
  return rest;
}

const same = jsonEqual;

/** The same line ids in the same order. */
export function sameLineIds(a: readonly OrderLine[], b: readonly OrderLine[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++)
    if ((a[i] as OrderLine).lineId !== (b[i] as OrderLine).lineId) return false;
  return true;
}

function linesAfter(before: readonly OrderLine[], put: OrderLine[], del: readonly string[]) {
  const gone = new Set(del);
  const byId = new Map(put.map((l) => [l.lineId, l]));
  const kept = before.filter((l) => !gone.has(l.lineId)).map((l) => byId.get(l.lineId) ?? l);
  const known = new Set(before.map((l) => l.lineId));
  return [...kept, ...put.filter((l) => !known.has(l.lineId))];
}

/**
 * The delta from `before` (the order as the change planned on it) to `after`. Only changes edit lines,
 * so the lines diffed against `before` are the lines of the version before as well.
 */
export function diffSnapshots(before: VersionSnapshot, after: VersionSnapshot): VersionDelta {
  const { lines: _lines, ...head } = after;
  const delta: VersionDelta = { head };
  // The common case, the same lines in the same places: only the changed ones are put.
  if (sameLineIds(before.lines, after.lines)) {
    const put = after.lines.filter((l, i) => !same(before.lines[i], l));
    if (put.length) delta.lines = { put };
    return delta;
  }
  const old = new Map(before.lines.map((l) => [l.lineId, l]));
  const put = after.lines.filter((l) => !same(old.get(l.lineId), l));
  const ids = new Set(after.lines.map((l) => l.lineId));
  const del = before.lines.filter((l) => !ids.has(l.lineId)).map((l) => l.lineId);
  const natural = linesAfter(before.lines, put, del).map((l) => l.lineId);
  const order = after.lines.map((l) => l.lineId);
  if (put.length || del.length || !same(natural, order)) {
    delta.lines = {
      ...(put.length ? { put } : {}),
      ...(del.length ? { del } : {}),
      ...(!same(natural, order) ? { order } : {}),
    };
  }
  return delta;
}

export function applyDelta(before: VersionSnapshot, delta: VersionDelta): VersionSnapshot {
  const d = delta.lines;
  let lines = before.lines;
  if (d) {
    lines = linesAfter(before.lines, structuredClone(d.put ?? []), d.del ?? []);
    if (d.order) {
      const byId = new Map(lines.map((l) => [l.lineId, l]));
      lines = d.order.map((id) => byId.get(id)).filter((l): l is OrderLine => l !== undefined);
    }
  }
  return { ...structuredClone(delta.head), lines } as VersionSnapshot;
}

/** A checkpoint's snapshot and the deltas after it, oldest first → the snapshot of the last. */
export function replayVersions(
  rows: readonly { snapshot: unknown; delta: unknown }[],
): VersionSnapshot | undefined {
  let at: VersionSnapshot | undefined;
  for (const row of rows) {
    if (row.snapshot) at = structuredClone(row.snapshot as VersionSnapshot);
    else if (at) at = applyDelta(at, row.delta as VersionDelta);
    else return undefined;
  }
  return at;
}
