/**
 * VTEX Change v2 writes (VTEX-FACADE.md §3.4–§3.6): Create and Preview as one Amend change or preview,
 * Retry and Cancel as Amend's decisions, through the same use cases as Amend's own routes.
 */
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyRequest } from 'fastify';
import * as changes from '../../app/changes.js';
import * as decisions from '../../app/change-decisions.js';
import type { Deps } from '../../app/deps.js';
import { changeOfOrder, itemFactsFor, orderFor, vtexReasonCode } from '../../app/vtex.js';
import { vtexChangeBody, vtexChangeOf } from '../../domain/vtex/change-view.js';
import { fromV2 } from '../../domain/vtex/v2-request.js';
import { actorWith } from '../auth.js';
import type { AppInstance } from '../types.js';
import {
  AccountQuery,
  ChangeOrderParams,
  ChangeRequestParams,
  VtexCancelBody,
  VtexChange,
  VtexPreview,
  VtexV2Body,
  vtexErrors,
} from './schemas.js';

const tags = ['vtex'];

/** VTEX sends retry and cancel with or without a body: none is an empty one. */
async function noBodyIsEmpty(request: FastifyRequest): Promise<void> {
  request.body ??= {};
}

export async function vtexV2Routes(app: AppInstance, deps: Deps): Promise<void> {
  app.patch(
    '/api/order-system/orders/:changeOrderId/changes',
    {
      config: { vtexApi: 'v2', idempotent: true },
      schema: {
        tags,
        operationId: 'Createchange',
        summary: 'VTEX Change v2: create an order modification (202, outcome by push or Detail)',
        params: ChangeOrderParams,
        querystring: AccountQuery,
        body: Type.Ref(VtexV2Body),
        response: { 202: Type.Ref(VtexChange), ...vtexErrors(400, 401, 403, 404, 409, 412, 422) },
      },
    },
    async (request, reply) => {
      const actor = actorWith(request, 'ORDER_READ');
      const { changeOrderId } = request.params;
      request.vtexContext = { order: changeOrderId };
      const order = await orderFor(deps, actor, changeOrderId);
      const { request: change, context } = fromV2(
        order,
        request.body as Static<typeof VtexV2Body>,
        vtexReasonCode(actor),
      );
      request.vtexContext = { order: changeOrderId, operations: context };
      const answer = await changes.applyChange(deps, actor, changeOrderId, change);
      const created = answer.change;
      const facts = await itemFactsFor(deps, actor, order, [created]);
      // VTEX documents only 202 for Create, also when Amend applied the change at once.
      return reply
        .code(202)
        .header('Location', `/v1/changes/${created.id}`)
        .send(vtexChangeOf(created, { account: actor.tenantId, facts }));
    },
  );

  app.post(
    '/api/order-system/orders/:changeOrderId/changes/preview',
    {
      config: { vtexApi: 'v2' },
      schema: {
        tags,
        operationId: 'PreviewChange',
        summary: 'VTEX Change v2: preview a modification (the same planner; never writes)',
        params: ChangeOrderParams,
        querystring: AccountQuery,
        body: Type.Ref(VtexV2Body),
        response: { 200: Type.Ref(VtexPreview), ...vtexErrors(400, 401, 403, 404, 412, 422) },
      },
    },
    async (request) => {
      const actor = actorWith(request, 'ORDER_READ');
      const { changeOrderId } = request.params;
      request.vtexContext = { order: changeOrderId };
      const order = await orderFor(deps, actor, changeOrderId);
      const { request: change, context } = fromV2(
        order,
        request.body as Static<typeof VtexV2Body>,
        vtexReasonCode(actor),
      );
      request.vtexContext = { order: changeOrderId, operations: context };
      const preview = await changes.previewChange(deps, actor, changeOrderId, change);
      const facts = await itemFactsFor(deps, actor, order, [{ plan: preview.plan }]);
      return vtexChangeBody(
        {
          orderId: changeOrderId,
          reasonText: change.reason?.text ?? '',
          operations: change.operations,
          plan: preview.plan,
          date: deps.clock().toISOString(),
          component: 'api',
        },
        { account: actor.tenantId, facts },
      );
    },
  );

  app.post(
    '/api/order-system/orders/:changeOrderId/changes/:changeRequestId/retry',
    {
      config: { vtexApi: 'v2', idempotent: true },
      preValidation: noBodyIsEmpty,
      schema: {
        tags,
        operationId: 'RetryChange',
        summary: 'VTEX Change v2: retry a change stopped on error (failed or rejected)',
        params: ChangeRequestParams,
        querystring: AccountQuery,
        body: Type.Ref(VtexV2Body),
        response: {
          204: Type.Null({ description: 'Retried: the change is planned again' }),
          ...vtexErrors(400, 401, 403, 404, 409),
        },
      },
    },
    async (request, reply) => {
      const actor = actorWith(request, 'ORDER_READ');
      const { changeOrderId, changeRequestId } = request.params;
      request.vtexContext = { order: changeOrderId, change: changeRequestId };
      await changeOfOrder(deps, actor, changeOrderId, changeRequestId);
      await decisions.retryChange(deps, actor, changeRequestId);
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/api/order-system/orders/:changeOrderId/changes/:changeRequestId/cancel',
    {
      config: { vtexApi: 'v2', idempotent: true },
      preValidation: noBodyIsEmpty,
      schema: {
        tags,
        operationId: 'CancelChangeStoppedonError',
        summary: 'VTEX Change v2: cancel a change that has not applied',
        params: ChangeRequestParams,
        querystring: AccountQuery,
        body: Type.Ref(VtexCancelBody),
        response: {
          200: Type.Object({}, { description: 'Canceled', additionalProperties: false }),
          ...vtexErrors(400, 401, 403, 404, 409),
        },
      },
    },
    async (request) => {
      const actor = actorWith(request, 'ORDER_READ');
      const { changeOrderId, changeRequestId } = request.params;
      request.vtexContext = { order: changeOrderId, change: changeRequestId };
      await changeOfOrder(deps, actor, changeOrderId, changeRequestId);
      const note = (request.body as Static<typeof VtexCancelBody>).reason;
      await decisions.cancelChange(deps, actor, changeRequestId, note?.trim() || undefined);
      return {};
    },
  );
}
