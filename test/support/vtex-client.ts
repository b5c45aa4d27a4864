/** A VTEX-shaped client of the facade for integration tests: VTEX's paths, headers and bodies. */
import { expect } from 'vitest';
import type { TestContext } from './app.js';
import { vtexOriginalSchemaErrors, vtexSchemaErrors, type VtexOperation } from './vtex-schemas.js';

type Method = 'GET' | 'POST' | 'PATCH';

/** VTEX's own header pair; the AppToken is the Amend key. */
export const vtexHeaders = (key: string) => ({
  'x-vtex-api-appkey': `vtexappkey-store-${key}`,
  'x-vtex-api-apptoken': key,
  accept: 'application/json',
});

export function vtexClient(ctx: TestContext, key: string) {
  const call = (method: Method, url: string, payload?: unknown, headers: object = {}) =>
    ctx.app.inject({
      method,
      url,
      headers: { ...vtexHeaders(key), ...headers },
      ...(payload === undefined ? {} : { payload: payload as object }),
    });
  const v2 = (orderId: string) => `/api/order-system/orders/${orderId}/changes`;
  return {
    call,
    registerV1: (orderId: string, body: object) =>
      call('POST', `/api/oms/pvt/orders/${orderId}/changes`, body),
    create: (orderId: string, body: object) =>
      call('PATCH', `${v2(orderId)}?accountName=store`, body),
    preview: (orderId: string, body: object) =>
      call('POST', `${v2(orderId)}/preview?an=store`, body),
    history: (orderId: string) => call('GET', `${v2(orderId)}?an=store`),
    detail: (orderId: string, id: string) => call('GET', `${v2(orderId)}/${id}?an=store`),
    retry: (orderId: string, id: string, body?: object) =>
      call('POST', `${v2(orderId)}/${id}/retry?an=store`, body),
    cancel: (orderId: string, id: string, body?: object) =>
      call('POST', `${v2(orderId)}/${id}/cancel?an=store`, body),
    summary: (orderId: string) => call('GET', `/api/orders/pvt/document/${orderId}/change-summary`),
    order: (orderId: string) => call('GET', `/api/oms/pvt/orders/${orderId}`),
  };
}

/**
 * The answer conforms to VTEX's shape for the operation (test/support/vtex-schemas.ts): our
 * restatement always, VTEX's original too when VTEX_ORDERS_API_JSON names a copy of it.
 */
export function expectVtexShape(operation: VtexOperation, body: unknown): void {
  expect(vtexSchemaErrors(operation, body), `${operation} (vtex-shapes.json)`).toEqual([]);
  const original = vtexOriginalSchemaErrors(operation, body);
  if (original) expect(original, `${operation} (VTEX's original)`).toEqual([]);
}

/** An answer's body as VTEX's shapes see it: '' when there is none, else the parsed JSON. */
export const bodyOf = (answer: { body: string; json: () => unknown }): unknown =>
  answer.body === '' ? '' : answer.json();

/** VTEX's error envelope with this code (and, when given, this message). */
export function expectVtexError(
  answer: { statusCode: number; json: () => unknown },
  status: number,
  code: string,
  message?: string | RegExp,
): void {
  expect(answer.statusCode).toBe(status);
  const body = answer.json() as { error: { code: string; message: string; exception: null } };
  expectVtexShape('Error', body);
  expect(body.error).toMatchObject({ code, exception: null });
  if (message instanceof RegExp) expect(body.error.message).toMatch(message);
  else if (message !== undefined) expect(body.error.message).toBe(message);
}
