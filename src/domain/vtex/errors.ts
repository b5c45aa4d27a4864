/**
 * Amend codes → VTEX's code and message (VTEX-FACADE.md §3.9). The VTEX code is the catalogue's
 * (src/domain/errors.ts); the messages are VTEX's own, v2 from seed 004, v1 from seed 003.
 */
import { CATALOGUE, type ErrorCode } from '../errors.js';

export type VtexApi = 'v1' | 'v2';

interface Messages {
  v2?: string;
  v1?: string;
}

/** `{item}`, `{operation}`, `{available}`, `{order}`, `{change}` are filled from `VtexErrorContext`. */
const MESSAGES: Partial<Record<ErrorCode, Messages>> = {
  VALUE_NEGATIVE: {
    v2: 'The change value needs to be greater or equal than zero.',
    v1: 'The modification value needs to be greater or equal than zero',
  },
  CHANGE_EMPTY: { v2: 'Invalid change for order.', v1: 'Invalid modification for order' },
  REASON_REQUIRED: { v2: 'Field reason not set', v1: 'Field reason not set' },
  SKU_NOT_FOUND: {
    v2: 'Invalid id for item.',
    v1: '404 Not Found: the added item {item} does not exist in the catalog.',
  },
  LINE_NOT_FOUND: {
    v2: "It's not possible to remove the item of ID {item} from the original order. Validate your {operation} operation items IDs.",
    v1: '404 Not Found: the removed item {item} does not exist in the order.',
  },
  QUANTITY_INVALID: { v2: 'Invalid quantity for item.' },
  REMOVE_EXCEEDS_QUANTITY: {
    v2: "It's not possible to remove more than {available} quantities of the item of ID {item} from the original order. Validate your items quantities at Remove or Replace From operations.",
    v1: 'Invalid quantity to remove from item {item}',
  },
  DISCOUNT_EXCEEDS_ORDER_TOTAL: {
    v2: "The value of the change exceed the order's price.",
    v1: "The value of the modification exceeds the order's price",
  },
  DISCOUNT_EXCEEDS_PAYMENT: {
    v2: "The value of the change exceed the order's price.",
    v1: "The value of the modification exceeds the order's price",
  },
  CHAIN_ORDER: {
    v2: 'Changes in chain orders are not allowed.',
    v1: 'It is not allowed to make modifications to chain orders',
  },
  ORDER_STATUS_NOT_EDITABLE: {
    v1: 'It is only allowed to register an order modification when the order is in handling: status = handling, waiting for fulfillment or ready for invoicing',
  },
  MARKETPLACE_PAYMENT_NOT_APPROVED: {
    v1: 'It is only allowed to register a modification in the order when the payment is approved - status = payment-approved',
  },
  MAX_CHANGES_EXCEEDED: { v1: 'Max allowed modifications for order exceeded: 50' },
  PAYMENT_METHOD_CANNOT_INCREASE: {
    v2: 'Change order cannot increase the value for this payment method.',
    v1: "It's not allowed to make modifications in orders without a credit card payment, promissory card, cash or credit control",
  },
  PAYMENT_METHOD_CANNOT_DECREASE: {
    v2: 'Change cannot be done. Possible reason: settlement directly done by API.',
    v1: 'Modification cannot be done. Possible reason: settlement directly done by API',
  },
  PAYMENT_NOT_FOUND: {
    v2: 'Cannot cancel order {order} - Payment not found.',
    v1: 'Impossible cancel order {order} - Payment not found',
  },
  ORDER_NOT_FOUND: { v2: 'Order {order} not found.', v1: 'Order {order} not found.' },
  CHANGE_NOT_FOUND: { v2: 'Change order request {change} not found.' },
  LINE_AMBIGUOUS: {
    v2: "Unable to match an item to the information provided. Try providing the item's uniqueId for identification.",
  },
  FACILITY_NOT_FOUND: { v2: 'The logistics information provided was not found on the order.' },
  ADDRESS_INVALID: { v2: 'Invalid address.' },
  ADDRESS_CHANGE_NOT_ALLOWED: { v2: 'The address change is not allowed.' },
  ADDRESS_CHANGE_WITH_PACKAGES: {
    v2: 'The address change is not allowed when there are packages associated.',
  },
  ORDER_INVOICED: {
    v2: 'The order change is not allowed after the item invoice has been issued.',
  },
  MEASUREMENT_UNIT_MISMATCH: {
    v2: 'Item modification is not allowed when the measurement unit differs from the original.',
  },
  CHANGE_FAILED_AFTER_RETRIES: {
    v2: 'Change process was automatically canceled after failed retries.',
  },
  // VTEX's one code for "the system ended the change by itself, nothing applied" (docs/vtex.md):
  // a write that would fail the same way at every attempt is ended at once, its payments reversed.
  CHANGE_COMMIT_FAILED: {
    v2: 'Change process was automatically canceled after failed retries.',
  },
  GATEWAY_UNAVAILABLE: { v2: 'Unable to communicate with Participants Client.' },
};

/** What a message may name: the item's VTEX id, the VTEX operation, the line's quantity, the order, the change. */
export interface VtexErrorContext {
  item?: string;
  operation?: string;
  available?: number;
  order?: string;
  change?: string;
}

export interface VtexError {
  code: string;
  message: string;
}

/** The message with its blanks filled; undefined when the context lacks one (then Amend's detail is said). */
function fill(template: string, ctx: VtexErrorContext): string | undefined {
  let complete = true;
  const text = template.replace(/\{(\w+)\}/g, (_m, name: string) => {
    const value = ctx[name as keyof VtexErrorContext];
    if (value === undefined) complete = false;
    return String(value);
  });
  return complete ? text : undefined;
}

/** A request field VTEX has its own code for: a blank item id is CHK0022 "Invalid id for item". */
const BLANK_ITEM_ID = /(^|\.)(itemsAdded|itemsRemoved|items)\[\d+\]\.id$/;

/** `code` is an Amend code (a problem's, or a change outcome's); one outside the catalogue stays as it is. */
export function vtexErrorOf(
  code: string,
  detail: string,
  api: VtexApi,
  ctx: VtexErrorContext & { field?: string } = {},
): VtexError {
  if (code === 'REQUEST_INVALID' && ctx.field && BLANK_ITEM_ID.test(ctx.field))
    return {
      code: 'CHK0022',
      message: api === 'v1' ? 'Invalid id for item' : 'Invalid id for item.',
    };
  const entry = code in CATALOGUE ? CATALOGUE[code as ErrorCode] : undefined;
  const vtexCode = entry && 'vtex' in entry && entry.vtex ? entry.vtex : code;
  const messages = MESSAGES[code as ErrorCode];
  const template = api === 'v1' ? (messages?.v1 ?? messages?.v2) : messages?.v2;
  const message = template ? fill(template, ctx) : undefined;
  return { code: vtexCode, message: message ?? (detail || entry?.title || code) };
}

/** Codes that have a VTEX message of their own, for the catalogue test. */
export const VTEX_MESSAGE_CODES = Object.keys(MESSAGES) as ErrorCode[];
