/**
 * VTEX Change v1 "Register modifications" → one Amend change (VTEX-FACADE.md §3.3): removals, then
 * additions, then the manual values. Every rule stays Amend's: what VTEX refuses up front (a negative
 * value, no reason, nothing to do) reaches the planner as the operation or gap that it refuses.
 */
import type { ChangeRequest, Operation } from '../change/types.js';
import type { VtexErrorContext } from './errors.js';

export interface VtexV1Item {
  id: string;
  price?: number;
  quantity: number;
}

export interface VtexV1Body {
  requestId: string;
  reason?: string;
  discountValue: number;
  incrementValue: number;
  itemsRemoved?: VtexV1Item[];
  itemsAdded?: VtexV1Item[];
}

/** The Amend request, and for each operation what VTEX's messages name (the item, the part of the body). */
export interface Translated {
  request: ChangeRequest;
  context: VtexErrorContext[];
}

/** VTEX's free text is the Amend reason's text under the tenant's first change reason (§3.1); blank → none. */
export function reasonOf(text: string | undefined, reasonCode: string): ChangeRequest['reason'] {
  return text?.trim() ? { code: reasonCode, text } : undefined;
}

export function fromV1(body: VtexV1Body, reasonCode: string): Translated {
  const operations: Operation[] = [];
  const context: VtexErrorContext[] = [];
  for (const item of body.itemsRemoved ?? []) {
    operations.push({ op: 'removeItem', sku: item.id, quantity: item.quantity });
    context.push({ item: item.id, operation: 'itemsRemoved' });
  }
  for (const item of body.itemsAdded ?? []) {
    operations.push({
      op: 'addItem',
      sku: item.id,
      quantity: item.quantity,
      ...(item.price === undefined ? {} : { unitPrice: item.price }),
    });
    context.push({ item: item.id, operation: 'itemsAdded' });
  }
  const { discountValue: discount, incrementValue: increment } = body;
  // Seed 003: equal values and no items modify nothing ("Invalid modification for order"); the
  // planner answers that for an empty change. A negative value still goes in, for VALUE_NEGATIVE.
  const nothing = operations.length === 0 && discount === increment && discount >= 0;
  if ((discount !== 0 || increment !== 0) && !nothing) {
    operations.push({ op: 'adjustTotal', discount, increment });
    context.push({ operation: 'discountValue' });
  }
  const reason = reasonOf(body.reason, reasonCode);
  return { request: { operations, ...(reason ? { reason } : {}), app: 'api' }, context };
}
