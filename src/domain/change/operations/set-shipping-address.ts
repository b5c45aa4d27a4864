import { addressRefusals } from '../../address.js';
import { refusal } from '../../errors.js';
import type { Address, Order } from '../../order.js';
import { at } from '../guards.js';
import type { Effect, Operation, OperationRules } from '../types.js';

type SetShippingAddress = Extract<Operation, { op: 'setShippingAddress' }>;

const merged = (order: Order, op: SetShippingAddress): Address =>
  ({ ...order.shippingAddress, ...op.address }) as Address;

/** The address rule of the order itself (value-independent; editability asks it too). */
export function addressGate(order: Order, i: number) {
  const handedOver = order.fulfilment.handover?.status === 'handed-over';
  if (handedOver || ['shipped', 'delivered', 'canceled'].includes(order.status)) {
    return refusal(
      'ADDRESS_CHANGE_NOT_ALLOWED',
      handedOver ? 'The order was handed over to the carrier.' : `The order is ${order.status}.`,
      at(i, 'address'),
    );
  }
  if (order.fulfilment.packages.length > 0)
    return refusal(
      'ADDRESS_CHANGE_WITH_PACKAGES',
      `The order has ${order.fulfilment.packages.length} package(s).`,
      at(i, 'address'),
    );
  return null;
}

export const setShippingAddress: OperationRules<SetShippingAddress> = {
  permission: 'ORDER_CONSUMER_WRITE',
  fulfilmentBound: false,
  check(order, op, _ctx, i) {
    const gate = addressGate(order, i);
    return gate ? [gate] : addressRefusals(merged(order, op), `operations[${i}].address`, i);
  },
  apply(order, op, ctx) {
    const effects: Effect[] = [];
    // seed 001: an address edit obsoletes a generated label; a new one is requested.
    const labels = order.fulfilment.labels.flatMap((label) => {
      if (label.status !== 'generated') return [label];
      const fresh = { id: ctx.nextId('lbl'), carrier: label.carrier, status: 'requested' as const };
      effects.push(
        { type: 'LABEL_OBSOLETE', labelId: label.id },
        { type: 'LABEL_REQUESTED', labelId: fresh.id, carrier: fresh.carrier },
      );
      return [{ ...label, status: 'obsolete' as const }, fresh];
    });
    return {
      order: {
        ...order,
        shippingAddress: merged(order, op),
        fulfilment: { ...order.fulfilment, labels },
      },
      lines: [],
      effects,
    };
  },
};
