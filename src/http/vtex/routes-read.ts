/** The facade's reads: v2 History and Detail, VTEX's change summary and Get order (VTEX-FACADE.md §3.2). */
import { Type } from '@sinclair/typebox';
import * as changes from '../../app/changes.js';
import type { Deps } from '../../app/deps.js';
import { appliedChangesOf, changeOfOrder, itemFactsFor, orderFor } from '../../app/vtex.js';
import { vtexChangeOf, vtexDetailOf } from '../../domain/vtex/change-view.js';
import { vtexOrderOf } from '../../domain/vtex/order-view.js';
import { vtexSummaryOf } from '../../domain/vtex/summary-view.js';
import { actorWith } from '../auth.js';
import type { AppInstance } from '../types.js';
import {
  AccountQuery,
  ChangeOrderParams,
  ChangeRequestParams,
  OrderParams,
  VtexChangeDetail,
  VtexHistory,
  VtexOrder,
  VtexSummary,
  vtexErrors,
} from './schemas.js';

const tags = ['vtex'];
const config = { vtexApi: 'v2' as const };

export async function vtexReadRoutes(app: AppInstance, deps: Deps): Promise<void> {
  app.get(
    '/api/order-system/orders/:changeOrderId/changes',
    {
      config,
      schema: {
        tags,
        operationId: 'GetChangeHistory',
        summary: 'VTEX Change v2: the changes of an order, oldest first',
        params: ChangeOrderParams,
        querystring: AccountQuery,
        response: { 200: Type.Ref(VtexHistory), ...vtexErrors(401, 403, 404) },
      },
    },
    async (request) => {
      const actor = actorWith(request, 'ORDER_READ');
      const { changeOrderId } = request.params;
      request.vtexContext = { order: changeOrderId };
      const order = await orderFor(deps, actor, changeOrderId);
      const all = await changes.changesOf(deps, actor, changeOrderId);
      const facts = await itemFactsFor(deps, actor, order, all);
      const ctx = { account: actor.tenantId, facts };
      return { requests: all.map((c) => vtexChangeOf(c, ctx)), actions: [] };
    },
  );

  app.get(
    '/api/order-system/orders/:changeOrderId/changes/:changeRequestId',
    {
      config,
      schema: {
        tags,
        operationId: 'GetChangeDetail',
        summary: "VTEX Change v2: one change with VTEX's status (final at once once decided)",
        params: ChangeRequestParams,
        querystring: AccountQuery,
        response: { 200: Type.Ref(VtexChangeDetail), ...vtexErrors(401, 403, 404) },
      },
    },
    async (request) => {
      const actor = actorWith(request, 'ORDER_READ');
      const { changeOrderId, changeRequestId } = request.params;
      request.vtexContext = { order: changeOrderId, change: changeRequestId };
      const change = await changeOfOrder(deps, actor, changeOrderId, changeRequestId);
      const order = await orderFor(deps, actor, changeOrderId);
      const facts = await itemFactsFor(deps, actor, order, [change]);
      return vtexDetailOf(change, { account: actor.tenantId, facts });
    },
  );

  app.get(
    '/api/orders/pvt/document/:orderId/change-summary',
    {
      config,
      schema: {
        tags,
        operationId: 'GetChangeSummary',
        summary: 'VTEX: all changes of an order at once',
        params: OrderParams,
        response: { 200: Type.Ref(VtexSummary), ...vtexErrors(401, 403, 404) },
      },
    },
    async (request) => {
      const actor = actorWith(request, 'ORDER_READ');
      const { orderId } = request.params;
      request.vtexContext = { order: orderId };
      const { summary, applied } = await changes.loadChangeSummary(deps, actor, orderId);
      const order = await orderFor(deps, actor, orderId);
      const facts = await itemFactsFor(deps, actor, order, applied);
      return vtexSummaryOf(summary, applied, facts);
    },
  );

  app.get(
    '/api/oms/pvt/orders/:orderId',
    {
      config: { vtexApi: 'v1' as const },
      schema: {
        tags,
        operationId: 'GetOrder',
        summary: 'VTEX: Get order, with changesAttachment (one entry per applied change)',
        params: OrderParams,
        response: { 200: Type.Ref(VtexOrder), ...vtexErrors(401, 403, 404) },
      },
    },
    async (request) => {
      const actor = actorWith(request, 'ORDER_READ');
      const { orderId } = request.params;
      request.vtexContext = { order: orderId };
      const order = await orderFor(deps, actor, orderId);
      return vtexOrderOf(order, await appliedChangesOf(deps, actor, orderId));
    },
  );
}
