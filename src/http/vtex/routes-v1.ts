/**
 * VTEX Change v1, Register modifications (VTEX-FACADE.md §3.3): one Amend change, idempotent per
 * requestId, answered once it is final or held (VTEX v1 is synchronous).
 */
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyRequest } from 'fastify';
import * as changes from '../../app/changes.js';
import { waitUntilSettled } from '../../app/change-lifecycle.js';
import type { Deps } from '../../app/deps.js';
import { RefusedError } from '../../app/refused-error.js';
import { vtexReasonCode } from '../../app/vtex.js';
import type { ErrorCode } from '../../domain/errors.js';
import { fromV1 } from '../../domain/vtex/v1-request.js';
import { actorWith } from '../auth.js';
import type { AppInstance } from '../types.js';
import { OrderParams, VtexV1Body, VtexV1Receipt, vtexErrors } from './schemas.js';

const tags = ['vtex'];
const V1_WAIT_SECONDS = 20;
const REFUSED = new Set(['rejected', 'failed']);

export async function vtexV1Routes(app: AppInstance, deps: Deps): Promise<void> {
  app.post(
    '/api/oms/pvt/orders/:orderId/changes',
    {
      config: {
        vtexApi: 'v1',
        idempotent: true,
        // Seed 003: "only the first modification made with each requestId will be effective".
        idempotencyKey: (request: FastifyRequest) => {
          const { orderId } = request.params as Static<typeof OrderParams>;
          const body = request.body as Static<typeof VtexV1Body> | undefined;
          return body ? `vtex-v1:${orderId}:${body.requestId}` : undefined;
        },
      },
      schema: {
        tags,
        operationId: 'RegisterChange',
        summary: 'VTEX Change v1: register modifications (waits for the outcome)',
        params: OrderParams,
        body: Type.Ref(VtexV1Body),
        response: {
          200: Type.Ref(VtexV1Receipt),
          ...vtexErrors(400, 401, 403, 404, 409, 412, 422),
        },
      },
    },
    async (request) => {
      const actor = actorWith(request, 'ORDER_READ');
      const { orderId } = request.params;
      const body = request.body as Static<typeof VtexV1Body>;
      const { request: change, context } = fromV1(body, vtexReasonCode(actor));
      request.vtexContext = { order: orderId, operations: context };
      const answer = await changes.applyChange(deps, actor, orderId, change);
      // VTEX v1 is synchronous: the answer waits for the final state, or for a hold (approval, seller).
      const settled = await waitUntilSettled(deps, actor.tenantId, answer.change, V1_WAIT_SECONDS);
      if (REFUSED.has(settled.status) && settled.outcome)
        throw new RefusedError(
          [{ code: settled.outcome.code as ErrorCode, detail: settled.outcome.detail }],
          { changeId: settled.id },
        );
      return { date: settled.createdAt, orderId, receipt: settled.id };
    },
  );
}
