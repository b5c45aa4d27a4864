/** GET /v1/orders/{id}/notifications: the customer notices of an order and what became of them. */
import { Type } from '@sinclair/typebox';
import { orderNotifications } from '../../app/customer-notifications.js';
import type { Deps } from '../../app/deps.js';
import { actorWith } from '../auth.js';
import { IdParams, problemResponses } from '../schemas/common.js';
import { CustomerNotificationList } from '../schemas/notification-view.js';
import type { AppInstance } from '../types.js';

export async function notificationRoutes(app: AppInstance, deps: Deps): Promise<void> {
  app.get(
    '/v1/orders/:id/notifications',
    {
      schema: {
        tags: ['orders'],
        summary: "The order's customer notices: sent, retrying, dead or not sent (and why)",
        params: IdParams,
        response: {
          200: Type.Ref(CustomerNotificationList),
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
