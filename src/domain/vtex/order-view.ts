/**
 * An Amend order as VTEX's Get order (VTEX-FACADE.md §3.7), with `changesAttachment`: one entry per
 * applied change, oldest first, read off its plan (seed 003: "confirmed by the changesAttachment field").
 */
import type { Change } from '../change/change.js';
import type { Order, OrderStatus, Origin, PaymentMethod } from '../order.js';
import { lineTax } from '../totals.js';
import { manualValuesOf } from './change-view.js';
import { replacedPart, sellingPriceOf, type LineSnapshot } from './items.js';

const STATUS: Record<OrderStatus, string> = {
  'payment-pending': 'payment-pending',
  'payment-approved': 'ready-for-handling',
  handling: 'handling',
  'ready-for-invoice': 'invoice',
  invoiced: 'invoiced',
  shipped: 'invoiced',
  delivered: 'invoiced',
  canceled: 'canceled',
};

const ORIGIN: Record<Origin, 'Fulfillment' | 'Marketplace' | 'Chain'> = {
  direct: 'Fulfillment',
  marketplace: 'Marketplace',
  chain: 'Chain',
};

/** VTEX's payment groups; methods without one are named but not grouped. */
const GROUP: Partial<Record<PaymentMethod, string>> = {
  'credit-card': 'creditCard',
  promissory: 'promissory',
  'gift-card': 'giftCard',
  'instant-transfer': 'instantPayment',
  'bank-slip': 'bankInvoice',
};

interface ReceiptItem {
  id: string;
  name: string;
  quantity: number;
  price: number;
  unitMultiplier: null;
}

const receiptItem = (line: LineSnapshot, quantity: number): ReceiptItem => ({
  id: line.sku,
  name: line.name,
  quantity,
  price: line.unitPrice,
  unitMultiplier: null,
});

/** Added lines and quantity increases are items added; removals and decreases items removed; a replacement both. */
export function changeDataOf(change: Change) {
  const itemsAdded: ReceiptItem[] = [];
  const itemsRemoved: ReceiptItem[] = [];
  for (const l of change.plan?.lines ?? []) {
    const old = l.old as LineSnapshot | null;
    const now = l.new as LineSnapshot | null;
    if (l.kind === 'added' && now) itemsAdded.push(receiptItem(now, now.quantity));
    else if (l.kind === 'removed' && old) itemsRemoved.push(receiptItem(old, old.quantity));
    else if (l.kind === 'replaced' && old && now) {
      itemsRemoved.push(receiptItem(old, replacedPart(old, now).quantity));
      itemsAdded.push(receiptItem(now, now.quantity));
    } else if (l.kind === 'quantity' && old && now) {
      const delta = now.quantity - old.quantity;
      if (delta > 0) itemsAdded.push(receiptItem(now, delta));
      if (delta < 0) itemsRemoved.push(receiptItem(old, -delta));
    }
  }
  const manual = manualValuesOf(change.operations);
  return {
    reason: change.reason?.text ?? change.reason?.code ?? '',
    discountValue: manual.discount,
    incrementValue: manual.increment,
    itemsAdded,
    itemsRemoved,
    receipt: { date: change.createdAt, orderId: change.orderId, receipt: change.id },
  };
}

function splitName(name: string) {
  const [first = '', ...rest] = name.trim().split(/\s+/);
  return { firstName: first, lastName: rest.join(' ') };
}

/** `applied` are the order's applied changes, oldest first. */
export function vtexOrderOf(order: Order, applied: readonly Change[]) {
  const t = order.totals;
  return {
    orderId: order.id,
    sequence: order.channelOrderRef,
    status: STATUS[order.status],
    origin: ORIGIN[order.origin],
    value: t.grandTotal,
    creationDate: order.createdAt,
    lastChange: order.updatedAt,
    totals: [
      { id: 'Items', name: 'Items Total', value: t.items },
      { id: 'Discounts', name: 'Discounts Total', value: t.increments - t.discounts },
      { id: 'Shipping', name: 'Shipping Total', value: t.shipping },
      { id: 'Tax', name: 'Tax Total', value: t.tax },
    ],
    items: order.lines.map((l) => ({
      uniqueId: l.lineId,
      id: l.sku,
      name: l.name,
      quantity: l.quantity,
      price: l.unitPrice,
      listPrice: l.unitPrice,
      sellingPrice: sellingPriceOf(l),
      tax: lineTax(l),
      measurementUnit: l.measurementUnit,
      unitMultiplier: l.unitMultiplier,
    })),
    clientProfileData: {
      email: order.customer.email,
      ...splitName(order.customer.name),
      ...(order.customer.phone ? { phone: order.customer.phone } : {}),
    },
    shippingData: {
      address: {
        receiverName: order.shippingAddress.name,
        street: order.shippingAddress.street,
        city: order.shippingAddress.city,
        postalCode: order.shippingAddress.postalCode,
        country: order.shippingAddress.country,
      },
    },
    paymentData: {
      transactions: order.payments.map((p) => ({
        isActive: true,
        ...(p.transactionId ? { transactionId: p.transactionId } : {}),
        payments: [
          {
            id: p.id,
            paymentSystemName: p.method,
            value: p.authorized,
            ...(GROUP[p.method] ? { group: GROUP[p.method] } : {}),
          },
        ],
      })),
    },
    changesAttachment: applied.length
      ? { id: 'changeAttachment' as const, changesData: applied.map(changeDataOf) }
      : null,
  };
}
