/** Intake test helpers: the fixtures' payloads, sources for them, signed channel requests. */
import { createHmac } from 'node:crypto';
import shopifyOrder from '../fixtures/intake/shopify-orders-create.json' with { type: 'json' };
import vtexOrder from '../fixtures/intake/vtex-order.json' with { type: 'json' };
import type { App } from '../../src/http/app.js';
import { auth } from './app.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = Record<string, any>;

export const VTEX_KEY = {
  appKey: 'vtexappkey-frischemarkt-ABCDEF',
  appToken: 'T0KEN-very-secret-vtex-app-token',
};
export const SHOPIFY_SECRET = 'shpss_0123456789abcdef0123456789abcdef';

let counter = 0;
const unique = () => `${process.pid}${++counter}${Math.random().toString(36).slice(2, 6)}`;

/** The VTEX fixture as a new order (its own order id), optionally edited. */
export function aVtexOrder(edit: (o: Json) => void = () => {}): Json {
  const o = structuredClone(vtexOrder) as Json;
  o.orderId = `14801${unique()}-01`;
  edit(o);
  return o;
}

/** The Shopify fixture as a new order (its own id), optionally edited. */
export function aShopifyOrder(edit: (o: Json) => void = () => {}): Json {
  const o = structuredClone(shopifyOrder) as Json;
  const id = `61045${unique().replace(/\D/g, '')}`.slice(0, 16);
  o.id = Number(id);
  o.admin_graphql_api_id = `gid://shopify/Order/${id}`;
  edit(o);
  return o;
}

/** The fixtures' channel skus onto the integration fixture's catalogue. */
export const SKU_MAP = {
  '1234': 'APPLE',
  '2001': 'CHEESE',
  'KAFFEE-ESP-1KG': 'WINE',
  'ZUB-MS-01': 'PEAR',
};

export async function createSources(app: App, key?: string): Promise<void> {
  for (const payload of [
    {
      id: 'vtex-main',
      kind: 'vtex',
      name: 'VTEX store',
      credentials: VTEX_KEY,
      skuMap: SKU_MAP,
      validation: { allowedCountries: ['DE', 'AT'] },
    },
    {
      id: 'shopify-main',
      kind: 'shopify',
      name: 'Shopify shop',
      credentials: { webhookSecret: SHOPIFY_SECRET },
      skuMap: { '1234': 'APPLE' },
    },
  ]) {
    const res = await app.inject({
      method: 'POST',
      url: '/v1/sources',
      headers: auth(key),
      payload,
    });
    if (res.statusCode !== 201)
      throw new Error(`source ${payload.id}: ${res.statusCode} ${res.body}`);
  }
}

export const vtexHeaders = (creds = VTEX_KEY) => ({
  'content-type': 'application/json',
  'x-vtex-api-appkey': creds.appKey,
  'x-vtex-api-apptoken': creds.appToken,
});

export function shopifyHeaders(
  body: string,
  extra: Record<string, string> = {},
  secret = SHOPIFY_SECRET,
) {
  return {
    'content-type': 'application/json',
    'x-shopify-topic': 'orders/create',
    'x-shopify-shop-domain': 'kiez-kaffee.myshopify.com',
    'x-shopify-hmac-sha256': createHmac('sha256', secret).update(body).digest('base64'),
    ...extra,
  };
}

export async function postVtex(
  app: App,
  order: Json,
  opts: { wait?: number; headers?: Record<string, string> } = {},
) {
  return app.inject({
    method: 'POST',
    url: '/v1/intake/vtex-main',
    headers: {
      ...vtexHeaders(),
      ...(opts.wait !== undefined ? { prefer: `wait=${opts.wait}` } : {}),
      ...opts.headers,
    },
    payload: JSON.stringify(order),
  });
}

export async function postShopify(
  app: App,
  order: Json,
  opts: { wait?: number; headers?: Record<string, string> } = {},
) {
  const body = JSON.stringify(order);
  return app.inject({
    method: 'POST',
    url: '/v1/intake/shopify-main',
    headers: {
      ...shopifyHeaders(body, opts.headers),
      ...(opts.wait !== undefined ? { prefer: `wait=${opts.wait}` } : {}),
    },
    payload: body,
  });
}
