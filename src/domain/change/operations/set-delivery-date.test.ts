import { describe, expect, it } from 'vitest';
import type { Order } from '../../order.js';
import { aContext, anOrder } from '../../test-builders.js';
import { planChange } from '../plan-change.js';
import { invertChange } from '../undo.js';
import type { Operation } from '../types.js';

const plan = (order: Order, operations: Operation[]) =>
  planChange(order, { operations, reason: { code: 'CUSTOMER_REQUEST' } }, aContext());
const codes = (result: ReturnType<typeof plan>) =>
  result.ok ? [] : result.refusals.map((r) => r.code);

describe('setDeliveryDate with a handover date (seed 001)', () => {
  it('dates the open hand-over job, audits it and leaves the delivery date alone', () => {
    const order = anOrder({ preferredDeliveryDate: '2030-02-05' });
    const result = plan(order, [{ op: 'setDeliveryDate', handoverDate: '2030-02-04' }]);
    if (!result.ok) throw new Error(JSON.stringify(result.refusals));
    expect(result.value.after.fulfilment.handover?.date).toBe('2030-02-04');
    expect(result.value.after.preferredDeliveryDate).toBe('2030-02-05');
    expect(result.value.fields).toContainEqual({
      path: 'handoverDate',
      old: null,
      new: '2030-02-04',
    });
  });

  it('moves the delivery date and the handover together, checked against the new date', () => {
    const order = anOrder({ preferredDeliveryDate: '2030-02-01' });
    const ok = plan(order, [
      { op: 'setDeliveryDate', date: '2030-02-10', handoverDate: '2030-02-09' },
    ]);
    expect(ok.ok).toBe(true);
  });

  it('refuses HANDOVER_DATE_AFTER_DELIVERY when the hand-over would come after the delivery day', () => {
    const order = anOrder({
      deliveryWindow: { from: '2030-02-03T08:00:00Z', to: '2030-02-03T12:00:00Z' },
    });
    const result = plan(order, [{ op: 'setDeliveryDate', handoverDate: '2030-02-04' }]);
    expect(codes(result)).toEqual(['HANDOVER_DATE_AFTER_DELIVERY']);
    if (!result.ok) expect(result.refusals[0]?.field).toBe('operations[0].handoverDate');
  });

  it('refuses HANDOVER_NOT_OPEN once the parcel was handed over, or with no hand-over job', () => {
    const handedOver = anOrder({
      fulfilment: { handover: { id: 'hov1', status: 'handed-over', date: null } },
    });
    expect(
      codes(plan(handedOver, [{ op: 'setDeliveryDate', handoverDate: '2030-02-04' }])),
    ).toEqual(['HANDOVER_NOT_OPEN']);
    const none = anOrder({ fulfilment: { handover: null } });
    expect(codes(plan(none, [{ op: 'setDeliveryDate', handoverDate: '2030-02-04' }]))).toEqual([
      'HANDOVER_NOT_OPEN',
    ]);
  });

  it('refuses FULFILMENT_STARTED once a label was requested (every operational entity open)', () => {
    const order = anOrder({
      fulfilment: { labels: [{ id: 'lb', carrier: 'DHL', status: 'requested' }] },
    });
    expect(codes(plan(order, [{ op: 'setDeliveryDate', handoverDate: '2030-02-04' }]))).toEqual([
      'FULFILMENT_STARTED',
    ]);
  });

  it('refuses REQUEST_INVALID with neither a date, a window nor a handover date', () => {
    expect(codes(plan(anOrder(), [{ op: 'setDeliveryDate' }]))).toEqual(['REQUEST_INVALID']);
  });

  it('is undone by setting the earlier handover date back', () => {
    const order = anOrder({
      fulfilment: { handover: { id: 'hov1', status: 'open', date: '2030-02-02' } },
    });
    const result = plan(order, [{ op: 'setDeliveryDate', handoverDate: '2030-02-04' }]);
    if (!result.ok) throw new Error('planned');
    const undo = invertChange(
      'applied',
      result.value.auditEntries,
      result.value.after,
      aContext().settings,
    );
    expect(undo.ok && undo.value).toEqual([{ op: 'setDeliveryDate', handoverDate: '2030-02-02' }]);
  });
});
