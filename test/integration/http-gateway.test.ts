/** The HTTP payment gateway adapter against a real local HTTP server (docs/payment-gateway.md). */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GatewayCall } from '../../src/integrations/payments/gateway.js';
import { httpGateway } from '../../src/integrations/payments/http-gateway.js';

const call = (over: Partial<GatewayCall> = {}): GatewayCall => ({
  tenantId: 't1',
  key: 'chg_1:pay_1:capture',
  paymentId: 'pay_1',
  method: 'credit-card',
  action: 'capture',
  amount: 1299,
  currency: 'EUR',
  settledByApi: false,
  timeoutMs: 300,
  ...over,
});

describe('HTTP payment gateway', () => {
  let server: Server;
  let base = '';
  const seen: { headers: IncomingMessage['headers']; body: Record<string, unknown> }[] = [];
  let answer: { status: number; body: unknown; delayMs?: number } = {
    status: 200,
    body: { status: 'succeeded', reference: 'psp_1' },
  };

  beforeAll(async () => {
    server = createServer((req, res) => {
      let raw = '';
      req.on('data', (c) => {
        raw += c;
      });
      req.on('end', () => {
        seen.push({ headers: req.headers, body: JSON.parse(raw) });
        setTimeout(() => {
          res
            .writeHead(answer.status, { 'content-type': 'application/json' })
            .end(JSON.stringify(answer.body));
        }, answer.delayMs ?? 0);
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it('posts the call with its idempotency key and reads a success', async () => {
    const result = await httpGateway(base, 'secret').call(call());
    expect(result).toEqual({ outcome: 'succeeded', reference: 'psp_1' });
    const last = seen.at(-1);
    expect(last?.headers['idempotency-key']).toBe('chg_1:pay_1:capture');
    expect(last?.headers.authorization).toBe('Bearer secret');
    expect(last?.body).toMatchObject({
      key: 'chg_1:pay_1:capture',
      action: 'capture',
      amount: 1299,
      currency: 'EUR',
    });
    expect(last?.body).not.toHaveProperty('timeoutMs');
  });

  it('tells a decline (402) from an outage (503), a timeout and an unreachable host', async () => {
    answer = { status: 402, body: { status: 'declined', detail: 'Insufficient funds' } };
    expect(await httpGateway(base).call(call())).toEqual({
      outcome: 'declined',
      detail: 'Insufficient funds',
    });
    answer = { status: 503, body: {} };
    expect((await httpGateway(base).call(call())).outcome).toBe('unavailable');
    answer = { status: 200, body: { status: 'succeeded', reference: 'late' }, delayMs: 600 };
    expect((await httpGateway(base).call(call())).outcome).toBe('timeout');
    expect((await httpGateway('http://127.0.0.1:1').call(call())).outcome).toBe('unavailable');
  });
});
