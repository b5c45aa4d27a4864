/** The console's one formatter (web/src/format.ts, issue 17): words, not system names. */
import { describe, expect, it } from 'vitest';
import { CATALOGUE } from '../../src/domain/errors.js';
import { lineGross } from '../../src/domain/totals.js';
import {
  diffSentence,
  fieldLabel,
  lineTotal,
  money,
  operationSentence,
  paymentSentence,
  person,
  personHint,
  plain,
  type Names,
} from '../../web/src/format.js';

const order = {
  id: 'ord_demo_006',
  channelOrderRef: 'W-1006',
  currency: 'EUR',
  lines: [
    { lineId: 'ln_demo_001', name: 'Milk 1 L', sku: 'MILK-1L' },
    { lineId: 'ln_demo_002', name: 'Gouda', sku: 'GOUDA-KG' },
  ],
  payments: [{ id: 'pay_demo_001', method: 'credit-card' }],
} as unknown as NonNullable<Names['order']>;
const names: Names = { order, people: new Map([['usr_demo_agent', 'Ada Agent']]) };

describe('the console formatter', () => {
  it('labels fields by what they are about: “Quantity of Milk 1 L: 2 → 4”', () => {
    expect(diffSentence('lines.ln_demo_001.quantity', 2, 4, names)).toBe(
      'Quantity of Milk 1 L: 2 → 4',
    );
    expect(fieldLabel('payments.pay_demo_001.authorized', names)).toBe('Authorized on card');
    expect(fieldLabel('shippingAddress.city', names)).toBe('City (shipping address)');
    expect(diffSentence('adjustments.discount', 0, 320, names)).toMatch(
      /^Extra discount: €0\.00 → €3\.20$/,
    );
  });

  it('says money in the order’s currency with the currency’s own digits', () => {
    expect(money(320, 'EUR')).toBe('€3.20');
    expect(money(1500, 'JPY')).toBe('JP¥1,500');
    expect(money(12345, 'KWD')).toMatch(/^KWD\s12\.345$/);
    expect(paymentSentence({ method: 'credit-card', amount: 320, action: 'capture' }, 'EUR')).toBe(
      'Customer pays €3.20 more (card)',
    );
    expect(paymentSentence({ method: 'paypal', amount: -199, action: 'refund' }, 'EUR')).toBe(
      '€1.99 refunded to the customer (PayPal)',
    );
  });

  it('rounds a line total half-even exactly as the domain does (never half-up)', () => {
    // 3 × 0.5 × 1299 = 1948.5 → 1948 (half-even); Math.round would say 1949.
    const line = { quantity: 3, unitMultiplier: 0.5, unitPrice: 1299, discount: 0 };
    expect(lineTotal(line)).toBe(1948);
    expect(lineTotal(line)).toBe(lineGross(line));
    expect(lineTotal({ ...line, discount: 48 })).toBe(1900);
  });

  it('names people and orders instead of their ids, in the server’s sentences too', () => {
    expect(person('usr_demo_agent', names)).toBe('Ada Agent');
    expect(person('usr_demo_supervisor', names)).toBe('Supervisor');
    expect(
      plain('Line ln_demo_002 (GOUDA-KG) is picked on ord_demo_006 by usr_demo_agent.', names),
    ).toBe('Gouda (GOUDA-KG) is picked on W-1006 by Ada Agent.');
    expect(plain('pay_demo_001 and chg_abc and ord_zzz', names)).toBe(
      'the card payment and the change and an order',
    );
  });

  it('says an operation as a sentence', () => {
    expect(
      operationSentence({ op: 'setQuantity', lineId: 'ln_demo_001', quantity: 4 }, names),
    ).toBe('Quantity of Milk 1 L to 4');
    expect(
      operationSentence(
        { op: 'addItem', sku: 'WINE-RED-RES', quantity: 12 },
        { ...names, products: new Map([['WINE-RED-RES', 'Dornfelder Reserve']]) },
      ),
    ).toBe('Add 12 × Dornfelder Reserve');
    expect(
      operationSentence(
        { op: 'replaceItem', lineId: 'ln_demo_001', sku: 'OAT', quantity: 2 },
        names,
      ),
    ).toBe('Substitute Milk 1 L with 2 × OAT');
  });

  it('never tells a person an API path: every catalogue code’s hint is free of one', () => {
    for (const code of Object.keys(CATALOGUE)) {
      const hint = personHint(code);
      if (hint) expect(hint, code).not.toMatch(/\/v1\/|`|\b(GET|POST|PUT|PATCH|DELETE)\b/);
    }
    expect(personHint('SKU_NOT_FOUND')).toBe(
      'Search for the product by its name and pick it from the list.',
    );
    expect(personHint('SKU_NOT_FOUND', 'Check the sku with GET /v1/products.')).not.toContain(
      '/v1/',
    );
  });
});
