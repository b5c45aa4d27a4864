/**
 * Customer notices (issue 16 point 5): preview renders them, apply files them through the outbox,
 * the notifier sends them to a real SMTP server in this process, and failures retry and go dead.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  claimDueNotifications,
  recordNotificationOutcomes,
} from '../../src/db/customer-notifications.js';
import { smtpMailer } from '../../src/integrations/mail/mailer.js';
import { CustomerNotifier, NO_SMTP_REASON } from '../../src/worker/customer-notifier.js';
import { auth, createTestContext, type TestContext } from '../support/app.js';
import { ENGINES } from '../support/engines.js';
import { anImport, KEYS } from '../support/fixture.js';
import { startSmtp, type TestSmtp } from '../support/smtp.js';

const reason = { code: 'CUSTOMER_REQUEST' };

describe.each(ENGINES)('customer notifications on %s', (engine) => {
  let ctx: TestContext;
  let smtp: TestSmtp;
  let notifier: CustomerNotifier;
  beforeAll(async () => {
    ctx = await createTestContext(engine);
    smtp = await startSmtp();
    ctx.deps.mailer = smtpMailer(smtp.url, 5_000);
    notifier = new CustomerNotifier(ctx.deps);
  });
  afterAll(async () => {
    ctx?.deps.mailer?.close();
    await smtp?.close();
    await ctx?.close();
  });

  const importOrder = async (over = {}) =>
    (
      await ctx.app.inject({
        method: 'POST',
        url: '/v1/orders',
        headers: auth(KEYS.integration),
        payload: anImport(over),
      })
    ).json();
  const post = (url: string, payload: object) =>
    ctx.app.inject({
      method: 'POST',
      url,
      headers: { ...auth(KEYS.agent), prefer: 'wait=10' },
      payload,
    });
  const notices = async (orderId: string) =>
    (
      await ctx.app.inject({
        url: `/v1/orders/${orderId}/notifications`,
        headers: auth(KEYS.agent),
      })
    ).json().items;
  const eventsOf = async (orderId: string, type: string) =>
    ctx.deps.db
      .selectFrom('outbox_events')
      .select(['data'])
      .where('order_id', '=', orderId)
      .where('type', '=', type)
      .execute();
  const settings = (patch: object) =>
    ctx.app.inject({ method: 'PATCH', url: '/v1/settings', headers: auth(), payload: patch });

  it('previews the German notice, applies, and the SMTP server receives exactly that message', async () => {
    const order = await importOrder({
      customer: { name: 'Erika Mustermann', email: 'erika@example.com', locale: 'de-DE' },
    });
    const apple = order.lines[0];
    const body = {
      operations: [{ op: 'setQuantity', lineId: apple.lineId, quantity: 3 }],
      reason,
      notify: { customer: true },
    };
    const preview = await post(`/v1/orders/${order.id}/changes/preview`, body);
    expect(preview.statusCode).toBe(200);
    const shown = preview.json().notification.customer;
    expect(shown).toMatchObject({ send: true, to: 'erika@example.com', locale: 'de' });
    expect(shown.subject).toBe(`Ihre Bestellung ${order.channelOrderRef} wurde geändert`);
    expect(shown.text).toContain('Apples 1 kg: Menge 2 → 3');
    expect(shown.text).toMatch(/Neue Summe: \d+,\d\d\s€/);
    const charged = preview.json().plan.payments[0].amount;
    expect(shown.text).toContain(
      `Wir belasten ${(charged / 100).toFixed(2).replace('.', ',')}\u00a0€ über credit-card.`,
    );

    const applied = await post(`/v1/orders/${order.id}/changes`, body);
    expect(applied.statusCode).toBe(200);
    const [filed] = await notices(order.id);
    expect(filed).toMatchObject({ status: 'pending', subject: shown.subject, text: shown.text });

    expect(await notifier.sendDue()).toBeGreaterThanOrEqual(1);
    const mail = smtp.received.find((m) => m.to.includes('erika@example.com'));
    expect(mail?.subject).toBe(shown.subject);
    expect(mail?.text.trim()).toBe(shown.text.trim());
    expect(mail?.headers.get('x-amend-notification-id')).toBe(filed.id);
    expect((await notices(order.id))[0]).toMatchObject({ status: 'sent', attempts: 1 });
    expect(await eventsOf(order.id, 'CUSTOMER_NOTIFIED')).toHaveLength(1);
  });

  it('follows the per-operation defaults unless the request says, in English by default', async () => {
    const order = await importOrder();
    await post(`/v1/orders/${order.id}/changes`, {
      operations: [{ op: 'setCustomAttributes', set: { gate: 'B' } }],
      reason,
    });
    await post(`/v1/orders/${order.id}/changes`, {
      operations: [{ op: 'setDeliveryDate', date: '2030-05-02' }],
      reason,
      notify: { customer: false },
    });
    expect(await notices(order.id)).toEqual([]);
    const res = await post(`/v1/orders/${order.id}/changes`, {
      operations: [{ op: 'setDeliveryDate', date: '2030-05-03' }],
      reason,
    });
    expect(res.statusCode).toBe(200);
    const [notice] = await notices(order.id);
    expect(notice.locale).toBe('en');
    expect(notice.text).toContain('delivery date: 2030-05-03');
    expect(notice.text).toContain('Your payment does not change.');
  });

  it('uses the tenant template for a locale, retries a refused mail and puts it in the dead letter', async () => {
    expect(
      (
        await settings({
          notifications: {
            customer: {
              maxAttempts: 2,
              retryBaseMs: 0,
              templates: { en: { subject: 'News about {{orderRef}}' } },
            },
          },
        })
      ).statusCode,
    ).toBe(200);
    await notifier.sendDue(); // what earlier tests left pending goes first
    const order = await importOrder();
    await post(`/v1/orders/${order.id}/changes`, {
      operations: [{ op: 'removeItem', lineId: order.lines[1].lineId }],
      reason,
    });
    smtp.refuseNext(2);
    await notifier.sendDue();
    const [first] = await notices(order.id);
    expect(first).toMatchObject({ status: 'retrying', attempts: 1 });
    expect(first.subject).toBe(`News about ${order.channelOrderRef}`);
    expect(first.lastError).toContain('550');
    await notifier.sendDue();
    expect((await notices(order.id))[0]).toMatchObject({ status: 'dead', attempts: 2 });
    expect(await eventsOf(order.id, 'CUSTOMER_NOTIFICATION_DEAD')).toHaveLength(1);
    expect(
      (
        await settings({
          notifications: { customer: { maxAttempts: 6, retryBaseMs: 2000, templates: {} } },
        })
      ).statusCode,
    ).toBe(200);
  });

  it('without SMTP_URL records the notice as not sent, with that reason', async () => {
    const order = await importOrder();
    await post(`/v1/orders/${order.id}/changes`, {
      operations: [{ op: 'setQuantity', lineId: order.lines[0].lineId, quantity: 1 }],
      reason,
    });
    const mailer = ctx.deps.mailer;
    ctx.deps.mailer = null;
    try {
      await notifier.sendDue();
    } finally {
      ctx.deps.mailer = mailer;
    }
    expect((await notices(order.id))[0]).toMatchObject({
      status: 'not-sent',
      lastError: NO_SMTP_REASON,
    });
    expect(await eventsOf(order.id, 'CUSTOMER_NOTIFICATION_NOT_SENT')).toHaveLength(1);
  });

  it('records a batch of outcomes together, but none whose lease another notifier took over', async () => {
    const orders = [await importOrder(), await importOrder(), await importOrder()];
    for (const o of orders)
      await post(`/v1/orders/${o.id}/changes`, {
        operations: [{ op: 'setQuantity', lineId: o.lines[0].lineId, quantity: 1 }],
        reason,
      });
    const due = (await claimDueNotifications(ctx.deps.db, 50, 60_000)).filter((n) =>
      orders.some((o) => o.id === n.orderId),
    );
    expect(due).toHaveLength(3);
    // The second claim's lease ran out and another notifier holds it now.
    await ctx.deps.db
      .updateTable('customer_notifications')
      .set({ lease_until: new Date(Date.now() + 120_000) })
      .where('id', '=', due[1]!.id)
      .execute();
    const outcome = {
      status: 'sent' as const,
      attempts: 1,
      error: null,
      messageId: '<m@test>',
      nextAttemptAt: null,
    };
    const recorded = await recordNotificationOutcomes(
      ctx.deps.db,
      due.map((n) => ({
        notification: n,
        outcome,
        event: {
          id: ctx.deps.ids('evt'),
          type: 'CUSTOMER_NOTIFIED',
          orderId: n.orderId,
          changeId: n.changeId,
          data: { notificationId: n.id },
        },
      })),
    );
    expect([...recorded].sort()).toEqual([due[0]!.id, due[2]!.id].sort());
    expect((await notices(orders[0].id))[0]).toMatchObject({ status: 'sent', attempts: 1 });
    expect((await notices(orders[1].id))[0]).toMatchObject({ status: 'pending' });
    expect(await eventsOf(orders[1].id, 'CUSTOMER_NOTIFIED')).toHaveLength(0);
    expect(await eventsOf(orders[2].id, 'CUSTOMER_NOTIFIED')).toHaveLength(1);
  });

  it('refuses an unknown notify key or a template for a malformed locale with 400', async () => {
    const order = await importOrder();
    const bad = await post(`/v1/orders/${order.id}/changes`, {
      operations: [{ op: 'setDeliveryDate', date: '2030-05-03' }],
      reason,
      notify: { sms: true },
    });
    expect(bad.statusCode).toBe(400);
    expect(
      (await settings({ notifications: { customer: { templates: { 'not a locale': {} } } } }))
        .statusCode,
    ).toBe(400);
  });
});
