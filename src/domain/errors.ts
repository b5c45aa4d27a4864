/**
 * The one catalogue of every error a user of Amend can meet (API.md §6). Codes are API: never
 * rename one. `status` is the HTTP status, or 'outcome' for codes that only appear in a change's
 * outcome, the inbox and events. `docs/errors.md` is generated from this table.
 */
export interface CatalogueEntry {
  status: number | 'outcome';
  /** One sentence a person understands. */
  title: string;
  /** What to do next. */
  hint: string;
  /**
   * What to do next said to a person in the console or the picker view, where `hint` speaks to a
   * developer (an API path, a field name); the console shows this one instead (issue 17).
   */
  personHint?: string;
  /** The VTEX Change v1/v2 error this corresponds to, for the compatibility facade. */
  vtex?: string;
}

export const CATALOGUE = {
  REQUEST_INVALID: {
    status: 400,
    title: 'The request does not have the expected shape.',
    hint: 'Fix the fields listed in `errors` and send it again.',
    personHint: 'Check the fields marked and try again.',
  },
  UNAUTHENTICATED: {
    status: 401,
    title: 'No valid API key was sent.',
    hint: 'Send `Authorization: Bearer <api key>`; ask an admin for a key.',
    personHint: 'Sign in again.',
  },
  AUTH_RATE_LIMITED: {
    status: 429,
    title: 'Too many failed authentications from your address.',
    hint: 'Wait the seconds in `Retry-After`, then send a valid API key.',
  },
  RATE_LIMITED: {
    status: 429,
    title: 'This API key sent more requests than its limit allows.',
    hint: 'Wait the seconds in `Retry-After` and slow down; an operator sets the limit (RATE_LIMIT_PER_KEY).',
  },
  METRICS_LOCAL_ONLY: {
    status: 403,
    title: 'The metrics are served only on the loopback interface.',
    hint: 'Scrape from the same host, or set METRICS_TOKEN on the server and send it as a bearer token.',
  },
  PERMISSION_DENIED: {
    status: 403,
    title: 'Your role lacks the permission this needs.',
    hint: 'Ask an admin to grant the permission named in `permission`, or ask a colleague who has it.',
  },
  BODY_TOO_LARGE: {
    status: 413,
    title: 'The request body is larger than the server accepts.',
    hint: 'Send at most 1 MiB; split a large bulk request into several.',
  },
  NOT_FOUND: {
    status: 404,
    title: 'Nothing is here.',
    hint: 'Check the path and the id; ids belong to one tenant.',
  },
  ORDER_NOT_FOUND: {
    status: 404,
    title: 'The order does not exist.',
    hint: 'Check the order id; search with GET /v1/orders?q=.',
    personHint: 'Search for the order by its number in the order list.',
    vtex: 'CHK0201',
  },
  CHANGE_NOT_FOUND: {
    status: 404,
    title: 'The change does not exist.',
    hint: 'Check the change id; list changes with GET /v1/orders/{id}/changes.',
    personHint: 'Open the order again; the change may have been made on another order.',
    vtex: 'CHK0289',
  },
  VERSION_NOT_FOUND: {
    status: 404,
    title: 'The order has no such version yet.',
    hint: "Ask for a version between 0 and the order's current version.",
  },
  ORDER_ALREADY_EXISTS: {
    status: 409,
    title: 'An order with this channel and channel reference was already imported.',
    hint: 'Read the existing order instead of importing it again.',
  },
  ORDER_VERSION_MISMATCH: {
    status: 412,
    title: 'The order changed since you read it.',
    hint: 'Reload the order, check the new state, and send the change again with the new version.',
  },
  CHANGE_IN_PROGRESS: {
    status: 409,
    title: 'Another change of this order is still being applied.',
    hint: 'Wait for it to finish, or send the change with `ifBusy: "queue"`.',
  },
  IDEMPOTENCY_KEY_REUSED: {
    status: 422,
    title: 'This Idempotency-Key was already used for a different request.',
    hint: 'Use a new key for a new request; reuse a key only to retry the very same request.',
  },
  IDEMPOTENCY_KEY_IN_USE: {
    status: 409,
    title: 'A request with this Idempotency-Key is still running.',
    hint: 'Wait a moment and retry with the same key to get its answer.',
  },
  CHANGE_REFUSED: {
    status: 422,
    title: 'The change was refused for several reasons.',
    hint: 'Fix every entry in `errors` and send the change again.',
  },
  VALUE_NEGATIVE: {
    status: 422,
    title: 'A price, discount or increment is negative.',
    hint: 'Send amounts of zero or more, in minor units.',
    vtex: 'CHK0098',
  },
  CHANGE_EMPTY: {
    status: 422,
    title: 'The change has no operations, or they change nothing.',
    hint: 'Add at least one operation that changes the order.',
    vtex: 'CHK0124',
  },
  ORDER_WOULD_BE_EMPTY: {
    status: 422,
    title: 'The change would remove every line of the order.',
    hint: 'Cancel the order with `cancelOrder` instead.',
    personHint: 'Cancel the order instead of removing its last item.',
  },
  REASON_REQUIRED: {
    status: 422,
    title: 'A change needs a reason.',
    hint: "Send `reason.code` from the tenant's change reasons (GET /v1/settings).",
    personHint: 'Choose a reason for the change.',
  },
  REASON_CODE_UNKNOWN: {
    status: 422,
    title: "The reason code is not in the tenant's catalogue.",
    hint: 'Pick a code from GET /v1/settings (reasons).',
    personHint: 'Choose one of the reasons offered; an admin can add others.',
  },
  LINE_NOT_FOUND: {
    status: 422,
    title: 'No line of the order matches.',
    hint: 'Use a `lineId` from the order, or a sku that is on the order.',
    personHint: 'Reload the order: the item may have been changed or removed meanwhile.',
    vtex: 'SalesOrderSystem010',
  },
  SKU_NOT_FOUND: {
    status: 422,
    title: 'The sku is not in the catalogue.',
    hint: 'Check the sku with GET /v1/products.',
    personHint: 'Search for the product by its name and pick it from the list.',
    vtex: 'CHK0022',
  },
  LINE_AMBIGUOUS: {
    status: 422,
    title: 'The sku is on several lines of the order.',
    hint: 'Name the line with `lineId`.',
    vtex: 'SalesOrderSystem026',
  },
  QUANTITY_INVALID: {
    status: 422,
    title: 'A quantity must be a whole number of at least 1.',
    hint: 'Send a quantity of 1 or more; to remove a line use `removeItem`.',
    vtex: 'CHK0023',
  },
  VALUE_TOO_LARGE: {
    status: 422,
    title: 'A quantity, weight or price is larger than Amend handles.',
    hint: 'Send a value within the bound named in `limit` (docs/limits.md lists every bound).',
  },
  ORDER_TOTAL_TOO_LARGE: {
    status: 422,
    title: 'The order total or a line value would be larger than Amend handles.',
    hint: 'Split the order or lower the quantities and prices; docs/limits.md gives the bound.',
  },
  REMOVE_EXCEEDS_QUANTITY: {
    status: 422,
    title: 'You are removing more units than the line has.',
    hint: "Remove at most the line's quantity, or omit `quantity` to remove all of it.",
    vtex: 'SalesOrderSystem011',
  },
  DISCOUNT_EXCEEDS_ORDER_TOTAL: {
    status: 422,
    title: "The discount is larger than the order's total.",
    hint: 'Lower the discount so the grand total stays at zero or more.',
    vtex: 'CHK0034',
  },
  DISCOUNT_EXCEEDS_PAYMENT: {
    status: 422,
    title: 'The decrease is larger than the payments can give back.',
    hint: 'Lower the decrease to what the payments hold.',
    vtex: 'CHK0034',
  },
  ORDER_STATUS_NOT_EDITABLE: {
    status: 422,
    title: "The order's status does not allow changes.",
    hint: 'Orders change only while payment-approved, handling or ready-for-invoice.',
  },
  ORDER_INVOICED: {
    status: 422,
    title: 'The order was already invoiced, so it can no longer change.',
    hint: 'Handle it as a return or a new order.',
    vtex: 'SalesOrderSystem046',
  },
  CHAIN_ORDER: {
    status: 422,
    title: 'Chain orders cannot be changed here.',
    hint: 'Change the order in the system it came from.',
    vtex: 'CHK0095',
  },
  MARKETPLACE_PAYMENT_NOT_APPROVED: {
    status: 422,
    title: 'A marketplace order can change only once its payment is approved.',
    hint: 'Wait for the payment approval, then try again.',
  },
  MAX_CHANGES_EXCEEDED: {
    status: 422,
    title: 'The order already has 50 changes.',
    hint: 'No further changes are possible; cancel and re-create the order if needed.',
  },
  MEASUREMENT_UNIT_MISMATCH: {
    status: 422,
    title: 'The new item or weight is in another measurement unit than the line.',
    hint: "Use an item or weight in the line's measurement unit.",
    vtex: 'SalesOrderSystem055',
  },
  PAYMENT_METHOD_CANNOT_INCREASE: {
    status: 422,
    title: "The order's payment method cannot take an increase.",
    hint: 'Keep the order value the same or lower (e.g. pack the original item), or ask the customer for a new payment.',
    vtex: 'CHK00342',
  },
  PAYMENT_METHOD_CANNOT_DECREASE: {
    status: 422,
    title: 'The payment was settled directly by API and cannot be decreased.',
    hint: 'Refund the customer outside Amend, or keep the order value.',
    vtex: 'CHK0096',
  },
  PAYMENT_NOT_FOUND: {
    status: 422,
    title: 'The order value would change but the order has no payment.',
    hint: 'Add a payment to the order first, or keep the order value.',
    vtex: 'CHK0196',
  },
  ADDRESS_INVALID: {
    status: 422,
    title: 'The address is not valid.',
    hint: 'Fix the fields listed in `errors`.',
    vtex: 'SalesOrderSystem045',
  },
  ADDRESS_CHANGE_WITH_PACKAGES: {
    status: 422,
    title: 'The address cannot change once packages exist.',
    hint: 'Unpack the order first, or ship it and redirect with the carrier.',
    vtex: 'SalesOrderSystem048',
  },
  ADDRESS_CHANGE_NOT_ALLOWED: {
    status: 422,
    title: 'The address cannot change any more.',
    hint: 'The order was handed over, shipped, delivered or canceled; redirect with the carrier.',
    vtex: 'SalesOrderSystem047',
  },
  LINE_NOT_EDITABLE: {
    status: 422,
    title: 'The line is bundled with another or has an attached service.',
    hint: "Change the bundle or the service's parent line as a whole.",
  },
  SUBSTITUTE_NOT_ALLOWED: {
    status: 422,
    title: 'The sku is not an allowed substitute for this line.',
    hint: "Pick one of the line's `allowedSubstitutes`.",
  },
  NOT_WEIGHABLE: {
    status: 422,
    title: 'The line is not weighable.',
    hint: 'Change its quantity instead of its weight.',
  },
  INSUFFICIENT_STOCK: {
    status: 422,
    title: 'No facility has enough stock for this.',
    hint: 'Lower the quantity or pick another item.',
  },
  PROMOTION_NOT_FOUND: {
    status: 422,
    title: 'The promotion code does not exist.',
    hint: 'Check the code with GET /v1/promotions.',
  },
  OPERATION_DISABLED: {
    status: 422,
    title: 'The tenant switched this operation off.',
    hint: 'An admin can switch it on in the settings.',
  },
  PICKER_LIMIT_EXCEEDED: {
    status: 422,
    title: 'The change goes beyond what a picker may do alone.',
    hint: 'Stay within the limit, or ask a supervisor to make the change.',
  },
  FULFILMENT_STARTED: {
    status: 422,
    title: 'Fulfilment has started, so this can no longer change.',
    hint: 'Only the picker working the pick job can still change its lines.',
  },
  ITEMS_ALREADY_PICKED: {
    status: 422,
    title: 'Items were already picked.',
    hint: 'Force-cancel instead, or keep at least the picked quantity.',
  },
  LABEL_ALREADY_REQUESTED: {
    status: 422,
    title: 'A shipping label was already requested.',
    hint: 'Force-cancel instead.',
  },
  NOT_SHIP_FROM_STORE: {
    status: 422,
    title: 'This works only for ship-from-store orders and facilities.',
    hint: 'Choose a ship-from-store facility, or reroute the order.',
  },
  HANDOVER_NOT_OPEN: {
    status: 422,
    title: 'The order was already handed over.',
    hint: 'The carrier can no longer change.',
  },
  HANDOVER_DATE_AFTER_DELIVERY: {
    status: 422,
    title: 'The hand-over would come after the delivery day.',
    hint: 'Pick a hand-over date on or before the preferred delivery date (or the window’s last day).',
  },
  PAYMENT_ALREADY_CAPTURED: {
    status: 422,
    title: 'The payment was already charged; its method can no longer change.',
    hint: 'Refund and charge again outside the order change, or leave the method as it is.',
  },
  PAYMENT_METHOD_CHANGE_NOT_ALONE: {
    status: 422,
    title: 'A payment-method change goes in a change of its own.',
    hint: 'Send changePaymentMethod alone, then the other operations in a second change.',
  },
  PICK_JOB_NOT_OPEN: {
    status: 422,
    title: 'The pick job is no longer open.',
    hint: 'Force-cancel instead, or let the picker finish.',
  },
  FACILITY_NOT_FOUND: {
    status: 422,
    title: 'The facility does not exist.',
    hint: 'Check the id with GET /v1/facilities.',
    personHint: 'Choose one of the stores or warehouses offered.',
    vtex: 'SalesOrderSystem013',
  },
  ORDER_UNROUTABLE: {
    status: 422,
    title: 'No facility can serve the order.',
    hint: "Wait for stock, or change the order's lines.",
  },
  ORDER_NOT_UNROUTABLE: {
    status: 422,
    title: 'The order is already routed.',
    hint: 'Nothing to do; use `reroute` to route it again.',
  },
  UNDO_CONFLICT: {
    status: 422,
    title: 'A field this change set has changed again since.',
    hint: 'Make a new change by hand instead of undoing.',
  },
  UNDO_NOT_SUPPORTED: {
    status: 422,
    title: 'This change cannot be undone.',
    hint: 'Only applied changes that are not cancellations can be undone.',
  },
  FULFILMENT_TRANSITION_INVALID: {
    status: 409,
    title: 'This fulfilment step is not possible in the current state.',
    hint: "Read the order's fulfilment state and do the step it is waiting for.",
  },
  CHANGE_TRANSITION_INVALID: {
    status: 409,
    title: 'The change cannot move to that status from where it is.',
    hint: "Read the change's status first.",
  },
  WEBHOOK_DELETED: {
    status: 409,
    title: 'The webhook of this delivery was deleted.',
    hint: 'Subscribe the URL again (POST /v1/webhooks); events from before the new subscription are not sent to it.',
  },
  WEBHOOK_TARGET_FORBIDDEN: {
    status: 422,
    title: 'Webhooks are sent to public addresses only.',
    hint: 'Use a URL whose host resolves to a public address; an operator may allow an internal host with WEBHOOK_ALLOW_HOSTS.',
  },
  APPROVAL_BY_REQUESTER: {
    status: 403,
    title: 'Nobody may approve their own change.',
    hint: 'Ask another supervisor.',
  },
  PAYMENT_DECLINED: {
    status: 'outcome',
    title: 'The payment provider declined the amount.',
    hint: 'The order stays as it was: pack the original items, or ask the customer for another payment.',
  },
  GATEWAY_UNAVAILABLE: {
    status: 'outcome',
    title: 'The payment provider could not be reached.',
    hint: 'Amend retries by itself; nothing to do yet.',
    vtex: 'SalesOrderSystem018',
  },
  APPROVAL_REJECTED: {
    status: 'outcome',
    title: 'A supervisor rejected the change.',
    hint: "The order stays as it was; read the supervisor's note.",
  },
  SELLER_REFUSED: {
    status: 'outcome',
    title: 'The seller refused the change.',
    hint: "The order stays as it was; read the seller's note.",
  },
  CHANGE_FAILED_AFTER_RETRIES: {
    status: 'outcome',
    title: 'The change was canceled after failed retries; nothing was charged or changed.',
    hint: 'The order stays as it was: pack the original items, or retry the change later.',
    vtex: 'SalesOrderSystem017',
  },
  CHANGE_COMMIT_FAILED: {
    status: 'outcome',
    title: 'The change could not be written; the payment calls it made were reversed.',
    hint: 'The order stays as it was: read the detail (a value out of range, for example), correct the change and send it again.',
    vtex: 'SalesOrderSystem017',
  },
  INTAKE_SOURCE_UNKNOWN: {
    status: 404,
    title: 'There is no order source with this id.',
    hint: 'Check the source id in the URL; list the sources with GET /v1/sources.',
  },
  INTAKE_SOURCE_DISABLED: {
    status: 409,
    title: 'The order source is disabled.',
    hint: 'An admin enables it with PATCH /v1/sources/{id} { "enabled": true }; nothing was stored.',
  },
  INTAKE_SIGNATURE_INVALID: {
    status: 401,
    title: "The channel's signature or credentials do not match the source.",
    hint: "Check the source's credentials (VTEX AppKey/AppToken, Shopify webhook secret, Amend key); nothing was stored.",
  },
  INTAKE_PAYLOAD_INVALID: {
    status: 422,
    title: "The channel's payload lacks what its adapter needs.",
    hint: 'Fix the fields named in `errors[].field` and replay the record with the corrected payload.',
  },
  INTAKE_FIELD_MISSING: {
    status: 422,
    title: "A field the source's validation profile requires is missing.",
    hint: "Replay with the field filled in, or relax the source's (or the account's) validation settings.",
  },
  INTAKE_FIELD_INVALID: {
    status: 422,
    title: 'A field is not in the form the validation profile accepts.',
    hint: 'Replay with the field corrected, or use the lenient profile, which normalises it.',
  },
  INTAKE_SKU_UNMAPPED: {
    status: 422,
    title: "A channel sku is in neither the source's sku map nor the catalogue.",
    hint: "Add it to the source's skuMap (PATCH /v1/sources/{id}) or to the catalogue (PUT /v1/products/{sku}), then replay.",
  },
  INTAKE_TOTAL_MISMATCH: {
    status: 422,
    title: "The channel's order total differs from the one Amend computes.",
    hint: "Check the channel's prices, taxes and discounts; a rounding difference fits `totalToleranceMinor` of the lenient profile.",
  },
  INTAKE_COUNTRY_NOT_ALLOWED: {
    status: 422,
    title: 'The source does not ship to this country.',
    hint: "Replay with another shipping address, or add the country to the source's allowedCountries.",
  },
  INTAKE_ADDRESS_INVALID: {
    status: 422,
    title: 'The shipping address is not valid.',
    hint: 'Fix the fields named in `errors[].field` and replay with the corrected payload.',
  },
  INTAKE_RETRIES_EXHAUSTED: {
    status: 503,
    title: 'The intake failed for a passing reason too many times.',
    hint: 'Check that the database and its dependencies are up, then replay the record.',
  },
  INTAKE_NOT_REPLAYABLE: {
    status: 409,
    title: 'This intake record cannot be replayed or discarded in its status.',
    hint: 'Only dead letters and records waiting for a retry can be replayed or discarded.',
  },
  STOCK_BELOW_RESERVED: {
    status: 409,
    title: 'The stock on hand would fall below what orders have reserved.',
    hint: 'Set onHand to at least `reserved` (GET /v1/stock), or reroute or cancel the orders holding it.',
  },
  SOURCE_ALREADY_EXISTS: {
    status: 409,
    title: 'An order source with this id exists already.',
    hint: 'Pick another id, or change the existing source with PATCH /v1/sources/{id}.',
  },
  SECRET_KEY_NOT_CONFIGURED: {
    status: 409,
    title: 'The server has no key to encrypt secrets with.',
    hint: 'Set AMEND_SECRET_KEY (32 bytes, base64 or hex) on the server and restart it; see the README.',
  },
  INTERNAL: {
    status: 500,
    title: 'Something went wrong on our side.',
    hint: 'Try again; if it persists, report the `requestId`.',
  },
} as const satisfies Record<string, CatalogueEntry>;

export type ErrorCode = keyof typeof CATALOGUE;

/** VTEX codes with no Amend case, listed in docs/errors.md (API.md §6). */
export const VTEX_NOT_APPLICABLE: Record<string, string> = {
  SalesOrderSystem012:
    'Amend derives logistics information itself; there are no options to choose from.',
  SalesOrderSystem015: 'Amend has one change model; there are no v1/v2 versions to mix.',
  SalesOrderSystem035: 'Amend has no agreement types.',
  SalesOrderSystem051: 'Amend has no tax hub or delivery docks.',
  CHK0199:
    'Amend has no order groups: an order is named by its own id, and an unknown one answers CHK0201 (ORDER_NOT_FOUND).',
  CHK0229:
    'Amend keeps no workflow instance apart from the order: every order can take changes, and an unknown one answers CHK0201 (ORDER_NOT_FOUND).',
  ...Object.fromEntries(
    ['008', '014', '016', '019', '027', '029'].map((n) => [
      `SalesOrderSystem${n}`,
      "VTEX documents no such code: seeds 003 and 004 and VTEX's Orders API description skip this number.",
    ]),
  ),
};

/**
 * Mapped VTEX codes that no VTEX Change v1/v2 request can meet: the facade would answer them, but
 * VTEX's bodies name no address or facility; Amend's own operations answer them (with `vtexCode`).
 */
export const VTEX_FACADE_UNREACHABLE: Record<string, string> = {
  SalesOrderSystem013:
    "Only assignFacility names a facility; VTEX's logisticsInfo is ignored (Amend routes by itself).",
  ...Object.fromEntries(
    ['045', '047', '048'].map((n) => [
      `SalesOrderSystem${n}`,
      "Only setShippingAddress changes an address; VTEX's Change bodies carry none.",
    ]),
  ),
};

/** An expected refusal, returned as data (never thrown) by domain checks. */
export interface Refusal {
  code: ErrorCode;
  detail: string;
  operationIndex?: number;
  field?: string;
  /** Extra context for the problem body, e.g. the limit a picker exceeded. */
  meta?: Record<string, unknown>;
}

export function refusal(
  code: ErrorCode,
  detail: string,
  where: Omit<Refusal, 'code' | 'detail'> = {},
): Refusal {
  return { code, detail, ...where };
}

export function httpStatusOf(code: ErrorCode): number {
  const status = CATALOGUE[code].status;
  return status === 'outcome' ? 422 : status;
}
