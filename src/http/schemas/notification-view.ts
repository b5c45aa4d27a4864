/** What GET /v1/orders/{id}/notifications answers (docs/notifications.md), as named components. */
import { Type } from '@sinclair/typebox';
import { lit } from '../../domain/import-order-schema.js';
import { Nullable } from './common.js';

const closed = { additionalProperties: false } as const;
const At = Type.String({ format: 'date-time' });

export const CustomerNotification = Type.Object(
  {
    id: Type.String(),
    orderId: Type.String(),
    changeId: Nullable(Type.String()),
    channel: Type.String({ description: 'email' }),
    to: Type.String(),
    locale: Type.String(),
    subject: Type.String(),
    text: Type.String(),
    status: lit(['pending', 'retrying', 'sent', 'dead', 'not-sent'] as const),
    attempts: Type.Integer({ minimum: 0 }),
    lastError: Nullable(Type.String()),
    nextAttemptAt: Nullable(At),
    createdAt: At,
    updatedAt: At,
  },
  { ...closed, $id: 'CustomerNotification' },
);

/** An order has few notices: all of them at once, oldest first. */
export const CustomerNotificationList = Type.Object(
  { items: Type.Array(Type.Ref(CustomerNotification)) },
  { ...closed, $id: 'CustomerNotificationList' },
);

export const NOTIFICATION_COMPONENTS = [CustomerNotification, CustomerNotificationList];
