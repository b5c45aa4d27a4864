/**
 * The demo orders: a fixed list of scenarios (no randomness), imported through the real import
 * use case and moved forward through the real fulfilment moves, so every rule has a live example.
 * docs/demo-data.md lists what each order shows.
 */
import type { ImportLine, ImportPayment, ImportRequest } from '../domain/import-order.js';
import type { Order, Origin, PaymentMethod } from '../domain/order.js';
import { effectiveSettings, permissionsOf } from '../domain/settings.js';
import type { Role } from '../domain/permissions.js';
import type { Actor, Deps } from '../app/deps.js';
import * as fulfil from '../app/fulfilment.js';
import { importOrder } from '../app/import-order.js';
import { applyChange } from '../app/changes.js';
import { ChangeWorker } from '../worker/change-worker.js';

/** How far an order is moved after import. */
export type Stage =
  | 'pending'
  | 'approved'
  | 'started'
  | 'part-picked'
  | 'picked'
  | 'label-requested'
  | 'packed'
  | 'handed-over'
  | 'invoiced'
  | 'shipped'
  | 'delivered'
  | 'canceled'
  | 'force-canceled';

export interface Scenario {
  stage: Stage;
  origin?: Origin;
  pay?: (PaymentMethod | 'settled')[];
  lines: ImportLine[];
  near?: 'hamburg';
  extra?: Partial<ImportRequest>;
}

const L = (sku: string, quantity = 1, extra: Partial<ImportLine> = {}): ImportLine => ({
  sku,
  quantity,
  ...extra,
});
const BASKETS: ImportLine[][] = [
  [L('APPLE-1KG', 2), L('MILK-1L', 3), L('BREAD-RYE')],
  [L('COFFEE-500'), L('BUTTER-250', 2), L('EGGS-10')],
  [L('WINE-RED', 2), L('OLIVE-OIL'), L('PASTA-500', 4)],
  [L('GOUDA-KG', 1, { unitMultiplier: 0.45 }), L('BANANA-1KG'), L('TEA-GREEN')],
  [L('SHAMPOO'), L('TOOTHPASTE', 2), L('DETERGENT')],
  [
    L('SALMON-KG', 2, { unitMultiplier: 0.3 }),
    L('HAM-KG', 1, { unitMultiplier: 0.25 }),
    L('WATER-6'),
  ],
  [L('DIAPERS-M', 2), L('MILK-LF-1L', 2), L('OATMILK-1L')],
  [L('BEER-6', 2), L('CANDLES'), L('PEAR-1KG', 2)],
];
const basket = (i: number) => BASKETS[i % BASKETS.length] as ImportLine[];

const at = (stage: Stage, n: number, over: Partial<Scenario> = {}): Scenario[] =>
  Array.from({ length: n }, (_, i) => ({ stage, lines: basket(i + stage.length), ...over }));

/** Order 1 is the README's: payment-approved, credit card, open pick job at Berlin. */
export const SCENARIOS: Scenario[] = [
  { stage: 'approved', lines: basket(0) },
  { stage: 'approved', lines: basket(1), pay: ['bank-slip'] },
  { stage: 'approved', lines: basket(2), pay: ['gift-card'] },
  { stage: 'approved', lines: basket(3), pay: ['promissory'] },
  { stage: 'approved', lines: basket(4), pay: ['cash'] },
  { stage: 'approved', lines: basket(5), pay: ['credit-control'] },
  { stage: 'approved', lines: basket(6), pay: ['instant-transfer'] },
  { stage: 'approved', lines: basket(7), pay: ['settled'] },
  { stage: 'approved', lines: basket(0), pay: ['gift-card', 'credit-card'] },
  { stage: 'approved', lines: basket(1), pay: [] },
  { stage: 'approved', origin: 'marketplace', lines: basket(2) },
  { stage: 'approved', origin: 'chain', lines: basket(3) },
  {
    stage: 'approved',
    lines: [
      L('VASE', 1, { lineId: 'vase' }),
      L('GIFT-WRAP', 1, { parentLineId: 'vase' }),
      L('APPLE-1KG'),
    ],
  },
  {
    stage: 'approved',
    lines: [
      L('GIFTBOX-WINE', 1, { bundleId: 'gb-1' }),
      L('WINE-RED', 2, { bundleId: 'gb-1' }),
      L('BREAD-RYE'),
    ],
  },
  {
    stage: 'approved',
    lines: [
      L('GOUDA-KG', 2, { unitMultiplier: 0.5 }),
      L('EDAMER-KG', 1, { unitMultiplier: 0.75 }),
      L('MILK-1L'),
    ],
  },
  {
    stage: 'approved',
    lines: basket(4),
    extra: { deliveryWindow: { from: '2026-12-03T08:00:00Z', to: '2026-12-03T12:00:00Z' } },
  },
  {
    stage: 'approved',
    lines: basket(5),
    extra: {
      preferredDeliveryDate: '2026-12-05',
      customAttributes: { gate: 'Hinterhaus', floor: 3 },
    },
  },
  { stage: 'approved', lines: basket(6), near: 'hamburg' },
  { stage: 'approved', lines: basket(7), near: 'hamburg', pay: ['bank-slip'] },
  { stage: 'approved', lines: [L('WATER-6', 32)] },
  ...at('approved', 5),
  { stage: 'approved', lines: [L(`TRUFFLE-OIL`, 5), L('PASTA-500')] },
  { stage: 'approved', lines: [L(`TRUFFLE-OIL`, 3)], near: 'hamburg' },
  { stage: 'pending', lines: basket(0), pay: ['bank-slip'] },
  { stage: 'pending', origin: 'marketplace', lines: basket(1) },
  { stage: 'pending', origin: 'marketplace', lines: basket(2), pay: ['instant-transfer'] },
  { stage: 'pending', lines: basket(3) },
  // The last one pays by bank slip and has a dearer allowed substitute: the picker's substitution is refused (seed 000).
  ...at('started', 4),
  { stage: 'started', lines: basket(1), pay: ['bank-slip'] },
  ...at('part-picked', 4),
  { stage: 'part-picked', lines: basket(5), pay: ['gift-card'] },
  ...at('picked', 3),
  ...at('label-requested', 3),
  ...at('packed', 3),
  ...at('handed-over', 2),
  ...at('invoiced', 3),
  { stage: 'invoiced', origin: 'marketplace', lines: basket(6) },
  ...at('shipped', 3),
  ...at('delivered', 3),
  { stage: 'delivered', origin: 'chain', lines: basket(2), pay: ['cash'] },
  ...at('canceled', 3),
  { stage: 'force-canceled', lines: basket(3) },
];

const CUSTOMERS = [
  ['Anna Müller', 'Torstraße 12', 'Berlin', '10119'],
  ['Jonas Schmidt', 'Kastanienallee 3', 'Berlin', '10435'],
  ['Leonie Weber', 'Oranienstraße 40', 'Berlin', '10999'],
  ['Felix Wagner', 'Schönhauser Allee 88', 'Berlin', '10439'],
  ['Mia Becker', 'Bergmannstraße 5', 'Berlin', '10961'],
  ['Lukas Hoffmann', 'Kantstraße 130', 'Berlin', '10625'],
  ['Emma Schulz', 'Sonnenallee 21', 'Berlin', '12047'],
  ['Paul Koch', 'Warschauer Straße 9', 'Berlin', '10243'],
] as const;
const HAMBURG = {
  street: 'Ottenser Hauptstraße 10',
  city: 'Hamburg',
  postalCode: '22765',
  location: { lat: 53.553, lon: 9.93 },
};
const CARRIERS = ['DHL', 'DPD', 'Hermes'];

function actorOf(tenantId: string, actorId: string, role: Role): Actor {
  const settings = effectiveSettings({});
  return { tenantId, actorId, role, permissions: new Set(permissionsOf(settings, role)), settings };
}

function importRequest(s: Scenario, n: number, tenant: string): ImportRequest {
  const [name, street, city, postalCode] = CUSTOMERS[n % CUSTOMERS.length] as readonly string[];
  const email = `${(name as string).toLowerCase().replace(/ü/g, 'ue').replace(/ /g, '.')}@example.com`;
  const address =
    s.near === 'hamburg'
      ? { name: name as string, ...HAMBURG, country: 'DE' }
      : {
          name: name as string,
          street: street as string,
          city: city as string,
          postalCode: postalCode as string,
          country: 'DE',
          location: { lat: 52.52 + (n % 5) * 0.01, lon: 13.4 + (n % 3) * 0.01 },
        };
  const payments: ImportPayment[] = (s.pay ?? ['credit-card']).map((m) =>
    m === 'settled'
      ? { method: 'instant-transfer', settledByApi: true, transactionId: `TX-${1000 + n}` }
      : { method: m, transactionId: `TX-${1000 + n}` },
  );
  // Two payments: the first covers a fixed part, the second holds the rest of the total.
  if (payments.length > 1) (payments[0] as ImportPayment).authorized = 1500;
  const origin = s.origin ?? 'direct';
  const channel =
    origin === 'marketplace'
      ? 'marketplace-zalando'
      : origin === 'chain'
        ? 'chain-partner'
        : n % 3 === 0
          ? 'app'
          : 'web';
  return {
    channel,
    channelOrderRef: `${tenant === 'demo' ? 'W' : 'O'}-${1000 + n}`,
    origin,
    status: s.stage === 'pending' ? 'payment-pending' : 'payment-approved',
    currency: 'EUR',
    customer: { name: name as string, email, phone: `+49 30 5550${String(n).padStart(3, '0')}` },
    shippingAddress: address,
    carrier: CARRIERS[n % CARRIERS.length] as string,
    lines: s.lines,
    shippingTotal: n % 4 === 0 ? 0 : 495,
    payments,
    ...s.extra,
  };
}

/** Cancellations go through the change engine, like an agent's or a supervisor's would. */
async function cancel(
  deps: Deps,
  order: Order,
  op: 'cancelOrder' | 'forceCancelOrder',
  role: Role,
): Promise<void> {
  const actor = actorOf('demo', role === 'agent' ? 'usr_demo_agent' : 'usr_demo_supervisor', role);
  const answer = await applyChange(deps, actor, order.id, {
    operations: [{ op, reasonCode: 'CUSTOMER_REQUEST' }],
    reason: { code: 'CUSTOMER_REQUEST', text: 'Customer cancelled by phone' },
    app: 'console',
  });
  // Giving the money back goes through the payment gateway: work the queue before the next order.
  if (!answer.final) await new ChangeWorker(deps, { concurrency: 1 }).drain();
}

async function advance(deps: Deps, order: Order, stage: Stage, picker: Actor): Promise<void> {
  const rank: Stage[] = [
    'started',
    'part-picked',
    'picked',
    'label-requested',
    'packed',
    'handed-over',
    'invoiced',
    'shipped',
    'delivered',
  ];
  const reach = (s: Stage) => rank.indexOf(stage) >= rank.indexOf(s);
  if (stage === 'canceled') return cancel(deps, order, 'cancelOrder', 'agent');
  if (stage === 'force-canceled') {
    await advance(deps, order, 'part-picked', picker);
    return cancel(deps, order, 'forceCancelOrder', 'supervisor');
  }
  const job = order.fulfilment.pickJobs[0];
  if (!job || !reach('started')) return;
  await fulfil.startPickJob(deps, picker, job.id);
  if (stage === 'part-picked')
    await fulfil.recordPicks(deps, picker, job.id, [{ lineId: job.lines[0]!.lineId, quantity: 1 }]);
  if (!reach('picked')) return;
  await fulfil.recordPicks(
    deps,
    picker,
    job.id,
    job.lines.map((l) => ({ lineId: l.lineId, quantity: l.quantity })),
  );
  if (!reach('label-requested')) return;
  await fulfil.closePickJob(deps, picker, job.id);
  const label = await fulfil.requestLabel(deps, picker, order.id);
  if (!reach('packed')) return;
  await fulfil.generateLabel(deps, picker, label.id);
  await fulfil.packOrder(deps, picker, order.id);
  if (!reach('handed-over')) return;
  await fulfil.handOver(deps, picker, order.id);
  if (!reach('invoiced')) return;
  await fulfil.invoiceOrder(deps, picker, order.id);
  if (reach('shipped')) await fulfil.shipOrder(deps, picker, order.id);
  if (reach('delivered')) await fulfil.deliverOrder(deps, picker, order.id);
}

export async function seedDemoOrders(deps: Deps): Promise<number> {
  const integration = actorOf('demo', 'usr_demo_integration', 'integration');
  const picker = actorOf('demo', 'usr_demo_picker', 'picker');
  let count = 0;
  for (const [n, s] of SCENARIOS.entries()) {
    const order = await importOrder(deps, integration, importRequest(s, n + 1, 'demo'));
    await advance(deps, order, s.stage, picker);
    count++;
  }
  const other = actorOf('other', 'usr_other_admin', 'admin');
  for (const n of [1, 2, 3]) {
    await importOrder(deps, other, {
      ...importRequest(
        { stage: 'approved', lines: [L('APPLE-1KG', n), L('COFFEE-500')] },
        n,
        'other',
      ),
      shippingAddress: {
        name: 'Max Huber',
        street: 'Leopoldstraße 7',
        city: 'München',
        postalCode: '80802',
        country: 'DE',
      },
    });
    count++;
  }
  return count;
}
