import { Type } from '@sinclair/typebox';
import { lit } from '../../domain/import-order-schema.js';
import { ORDER_STATUSES, ORIGINS } from '../../domain/order.js';
import { PageQuery } from './common.js';

const strict = { additionalProperties: false } as const;

export {
  CustomerSchema,
  LocationSchema,
  AddressSchema,
  DeliveryWindowSchema,
  ImportLineSchema,
  ImportPaymentSchema,
  ImportOrderBody,
} from '../../domain/import-order-schema.js';

export const OrderListQuery = Type.Object(
  {
    ...PageQuery,
    status: Type.Optional(lit(ORDER_STATUSES)),
    channel: Type.Optional(Type.String()),
    origin: Type.Optional(lit(ORIGINS)),
    facilityId: Type.Optional(Type.String()),
    modified: Type.Optional(Type.Boolean()),
    unroutable: Type.Optional(Type.Boolean()),
    awaitingApproval: Type.Optional(
      Type.Boolean({ description: 'a change of the order waits for a supervisor' }),
    ),
    q: Type.Optional(Type.String({ maxLength: 200 })),
  },
  strict,
);

export const OrderGetQuery = Type.Object(
  { version: Type.Optional(Type.Integer({ minimum: 0 })) },
  strict,
);
