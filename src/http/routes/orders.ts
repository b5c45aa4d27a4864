/** Import, read and list orders (API.md §3). */
import { Type } from '@sinclair/typebox';
import { OrderPage } from '../schemas/components.js';
import { Order, OrderVersion } from '../schemas/order-view.js';
import type { Deps } from '../../app/deps.js';
import { importCanonical } from '../../app/intake-pipeline.js';
import { refuse } from '../../app/refused-error.js';
import { findOrder, findOrderVersion, listOrderPage } from '../../db/orders.js';
import type { ImportRequest } from '../../domain/import-order.js';
import type { VersionSnapshot } from '../../domain/version-delta.js';
import { actorWith } from '../auth.js';
import { IdParams, problemResponses } from '../schemas/common.js';
import { decodeCursor, encodeCursor, OrderCursorShape } from '../schemas/cursor.js';
import { ImportOrderBody, OrderGetQuery, OrderListQuery } from '../schemas/orders.js';
import type { AppInstance } from '../types.js';

export async function orderRoutes(app: AppInstance, deps: Deps): Promise<void> {
  app.post(
    '/v1/orders',
    {
      config: { idempotent: true },
      schema: {
        tags: ['orders'],
        summary: 'Import a canonical order',
        body: ImportOrderBody,
        response: { 201: Type.Ref(Order), ...problemResponses(400, 401, 403, 409, 422) },
      },
    },
    async (request, reply) => {
      const actor = actorWith(request, 'ORDER_IMPORT');
      const order = await importCanonical(deps, actor, request.body as ImportRequest);
      return reply
        .code(201)
        .header('Location', `/v1/orders/${order.id}`)
        .header('ETag', `"${order.version}"`)
        .send(order);
    },
  );

  app.get(
    '/v1/orders',
    {
      schema: {
        tags: ['orders'],
        summary: 'List orders, newest first',
        querystring: OrderListQuery,
        response: { 200: Type.Ref(OrderPage), ...problemResponses(400, 401, 403) },
      },
    },
    async (request) => {
      const actor = actorWith(request, 'ORDER_READ');
      const { limit = 50, cursor, ...filter } = request.query;
      const after = decodeCursor(cursor, OrderCursorShape);
      const page = await listOrderPage(deps.db, actor.tenantId, filter, limit, after);
      return { items: page.items, nextCursor: page.next ? encodeCursor(page.next) : null };
    },
  );

  app.get(
    '/v1/orders/:id',
    {
      schema: {
        tags: ['orders'],
        summary: 'Read an order (or, with ?version=N, the order as it was after change N)',
        params: IdParams,
        querystring: OrderGetQuery,
        response: {
          200: Type.Union([Type.Ref(Order), Type.Ref(OrderVersion)]),
          ...problemResponses(400, 401, 403, 404),
        },
      },
    },
    async (request, reply) => {
      const actor = actorWith(request, 'ORDER_READ');
      const order = await findOrder(deps.db, actor.tenantId, request.params.id);
      if (!order) refuse('ORDER_NOT_FOUND', `Order ${request.params.id} does not exist.`);
      const { version } = request.query;
      if (version !== undefined && version !== order.version) {
        if (version > order.version)
          refuse('VERSION_NOT_FOUND', `Order ${order.id} is at version ${order.version}.`);
        const snapshot = await findOrderVersion(deps.db, actor.tenantId, order.id, version);
        if (!snapshot)
          refuse('VERSION_NOT_FOUND', `Version ${version} of order ${order.id} was not kept.`);
        // A kept version is an Order as it was then (db/orders.ts replays the deltas onto the checkpoint).
        return reply.header('ETag', `"${version}"`).send(snapshot as VersionSnapshot);
      }
      return reply.header('ETag', `"${order.version}"`).send(order);
    },
  );
}
