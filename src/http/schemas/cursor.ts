/**
 * Page cursors (API.md §1): opaque to clients, base64url of a small JSON value this server gave
 * out. Every list names the cursor's shape, and a cursor of any other shape (crafted, truncated,
 * `[]`, a fractional sequence) is refused as 400 REQUEST_INVALID on the field `cursor` — it never
 * reaches a query (issue 12 point 4).
 */
import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { RefusedError } from '../../app/refused-error.js';
import { refusal } from '../../domain/errors.js';

/** Shapes the lists give out; sequences are non-negative safe integers, times ISO instants. */
export const Seq = Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER });
/** An instant exactly as Date#toISOString gives it out. */
export const Instant = Type.String({
  pattern: '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z$',
  maxLength: 24,
});
export const Key = Type.String({ minLength: 1, maxLength: 200 });
const exact = { additionalProperties: false } as const;

/** Every list's cursor shape, in one place. */
export const OrderCursorShape = Type.Object({ c: Instant, s: Seq }, exact);
export const PickJobCursorShape = Type.Object({ s: Seq, i: Key }, exact);
export const SeqCursorShape = Type.Object({ s: Seq }, exact);
/** Catalogue lists page by key (the sku, the facility id, facility + sku). */
export const KeyCursorShape = Type.Object({ k: Key }, exact);
export const ProductCursorShape = Type.Object(
  { n: Type.String({ maxLength: 300 }), k: Key },
  exact,
);
export const StockCursorShape = Type.Object({ f: Key, k: Key }, exact);
/** Intake records: by arrival (received_at, seq), or an offset into the list sorted by impact. */
export const RecordCursorShape = Type.Union([
  Type.Object({ r: Instant, s: Seq }, exact),
  Type.Object({ o: Seq }, exact),
]);

export function encodeCursor(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

function invalid(): never {
  throw new RefusedError([
    refusal('REQUEST_INVALID', 'cursor is not one this server gave out; start again without it.', {
      field: 'cursor',
    }),
  ]);
}

/** The cursor's value, undefined when none was sent; refuses anything not of `shape`. */
export function decodeCursor<S extends TSchema>(
  cursor: string | undefined,
  shape: S,
): Static<S> | undefined {
  if (cursor === undefined || cursor === '') return undefined;
  if (!/^[A-Za-z0-9_-]+$/.test(cursor)) invalid();
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    invalid();
  }
  if (!Value.Check(shape, value) || !realInstants(value)) invalid();
  return value as Static<S>;
}

// A well-formed instant can still be no date (2026-02-31…); PostgreSQL would answer with an error.
function realInstants(value: unknown): boolean {
  const strings = typeof value === 'object' && value ? Object.values(value) : [value];
  const iso = new RegExp(Instant.pattern as string);
  return strings.every((s) => {
    if (typeof s !== 'string' || !iso.test(s)) return true;
    const date = new Date(s);
    return !Number.isNaN(date.getTime()) && date.toISOString() === s;
  });
}

/**
 * A page of a short list read whole (a tenant's facilities, promotions), sorted by `keyOf`; the
 * cursor is the last key given, so a page stays exact when items are added in between.
 */
export function pageInMemory<T>(
  all: readonly T[],
  keyOf: (item: T) => string,
  query: { limit?: number; cursor?: string },
): { items: T[]; nextCursor: string | null } {
  const limit = query.limit ?? 50;
  const after = decodeCursor(query.cursor, KeyCursorShape);
  const sorted = [...all].sort((a, b) => (keyOf(a) < keyOf(b) ? -1 : keyOf(a) > keyOf(b) ? 1 : 0));
  const rest = after ? sorted.filter((item) => keyOf(item) > after.k) : sorted;
  const items = rest.slice(0, limit);
  const last = items[items.length - 1];
  return {
    items,
    nextCursor: rest.length > limit && last ? encodeCursor({ k: keyOf(last) }) : null,
  };
}
