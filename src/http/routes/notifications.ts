/** GET /v1/orders/{id}/notifications: the customer notices of an order and what became of them. */
import { Type } from '@sinclair/typebox';
import { orderNotifications } from '../../app/customer-notifications.js';
import type { Deps } from '../../app/deps.js';
import { actorWith } from '../auth.js';
import { IdParams, problemResponses } from '../schemas/common.js';
import type { AppInstance } from '../types.js';

const Notification = Type.Object({
  id: Type.String(),
  orderId: Type.String(),
  changeId: Type.Union([Type.String(), Type.Null()]),
  channel: Type.String({ description: 'email' }),
  to: Type.String(),
  locale: Type.String(),
  subject: Type.String(),
  text: Type.String(),
  status: Type.Union(
    ['pending', 'retrying', 'sent', 'dead', 'not-sent'].map((s) => Type.Literal(s)),
  ),
  attempts: Type.Integer(),
  lastError: Type.Union([Type.String(), Type.Null()]),
  nextAttemptAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  createdAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }),
});

export async function notificationRoutes(app: AppInstance, deps: Deps): Promise<void> {
  app.get(
    '/v1/orders/:id/notifications',
    {
      schema: {
        tags: ['orders'],
        summary: "The order's customer notices: sent, retrying, dead or not sent (and why)",
        params: IdParams,
        response: {
          200: Type.Object({ items: Type.Array(Notification) }),
          ...problemResponses(401, 403, 404),
        },
      },
    },
    async (request) => {
      const actor = actorWith(request, 'ORDER_READ');
      return { items: await orderNotifications(deps, actor, request.params.id) };
    },
  );
}
