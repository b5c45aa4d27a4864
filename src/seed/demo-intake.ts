/**
 * The demo tenant's channels (issue 14): a VTEX store and a Shopify shop as order sources, two
 * imported VTEX orders and a few dead letters for the console's Intake page — a Shopify order
 * whose coffee sku is not mapped yet (the browser journey maps it and replays), a VTEX total that
 * does not add up, an address without a postal code, and a marketplace payload lacking its customer.
 */
import { createHmac } from 'node:crypto';
import shopifyOrder from '../../test/fixtures/intake/shopify-orders-create.json' with { type: 'json' };
import vtexOrder from '../../test/fixtures/intake/vtex-order.json' with { type: 'json' };
import type { Actor, Deps } from '../app/deps.js';
import { receiveIntake, settle } from '../app/intake.js';
import { createSource } from '../app/sources.js';
import { effectiveSettings } from '../domain/settings.js';

/** Public demo credentials (demo mode only; docs/intake.md's curl tour uses them). */
export const DEMO_VTEX = {
  appKey: 'vtexappkey-demo-frischemarkt',
  appToken: 'demo-vtex-app-token',
};
export const DEMO_SHOPIFY_SECRET = 'demo-shopify-webhook-secret';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const vtex = (n: number, edit: (o: Json) => void = () => {}): Json => {
  const o = structuredClone(vtexOrder) as Json;
  o.orderId = `14801125000${String(n).padStart(2, '0')}-01`;
  o.sequence = String(500000 + n);
  edit(o);
  return o;
};
const shopify = (n: number, edit: (o: Json) => void = () => {}): Json => {
  const o = structuredClone(shopifyOrder) as Json;
  const id = `61045123400${String(n).padStart(2, '0')}`;
  Object.assign(o, {
    id: Number(id),
    admin_graphql_api_id: `gid://shopify/Order/${id}`,
    name: `#10${n}`,
  });
  o.line_items[1].sku = 'COFFEE-ORG-500';
  edit(o);
  return o;
};

export async function seedDemoIntake(deps: Deps): Promise<number> {
  const admin: Actor = {
    tenantId: 'demo',
    actorId: 'usr_demo_admin',
    role: 'admin',
    permissions: new Set(),
    settings: effectiveSettings({}),
  };
  await createSource(deps, admin, {
    id: 'vtex-frischemarkt',
    kind: 'vtex',
    name: 'VTEX — Frischemarkt',
    credentials: DEMO_VTEX,
    skuMap: { '1234': 'APPLE-1KG', '2001': 'GOUDA-KG' },
    validation: { allowedCountries: ['DE', 'AT'] },
    accounts: { frischemarkt: { validation: { requireEmail: true } } },
    expectedIntervalSeconds: 3600,
  });
  await createSource(deps, admin, {
    id: 'shopify-kiez',
    kind: 'shopify',
    name: 'Shopify — Kiez Kaffee',
    credentials: { webhookSecret: DEMO_SHOPIFY_SECRET },
    skuMap: {},
    expectedIntervalSeconds: 86_400,
  });
  const vtexHeaders = {
    'x-vtex-api-appkey': DEMO_VTEX.appKey,
    'x-vtex-api-apptoken': DEMO_VTEX.appToken,
  };
  const payloads: [string, Json, Record<string, string>][] = [
    ['vtex-frischemarkt', vtex(1), vtexHeaders],
    [
      'vtex-frischemarkt',
      vtex(2, (o) => (o.clientProfileData.customerClass = 'standard')),
      vtexHeaders,
    ],
    ['vtex-frischemarkt', vtex(3, (o) => (o.value = 2831)), vtexHeaders],
    ['vtex-frischemarkt', vtex(4, (o) => (o.shippingData.address.postalCode = '')), vtexHeaders],
    [
      'vtex-frischemarkt',
      vtex(5, (o) =>
        Object.assign(o, { affiliateId: 'AMZ', clientProfileData: null, value: 64_900 }),
      ),
      vtexHeaders,
    ],
    ['shopify-kiez', shopify(17), {}],
    ['shopify-kiez', shopify(18, (o) => (o.customer.tags = 'Stammkunde')), {}],
  ];
  for (const [sourceId, payload, headers] of payloads) {
    const body = Buffer.from(JSON.stringify(payload));
    const signed =
      sourceId === 'shopify-kiez'
        ? {
            'x-shopify-hmac-sha256': createHmac('sha256', DEMO_SHOPIFY_SECRET)
              .update(body)
              .digest('base64'),
            'x-shopify-shop-domain': 'kiez-kaffee.myshopify.com',
          }
        : headers;
    const received = await receiveIntake(deps, sourceId, signed, body);
    await settle(deps, received.tenantId, received.record.id, 10);
  }
  return payloads.length;
}
