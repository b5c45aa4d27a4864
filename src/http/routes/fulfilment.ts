/** Fulfilment moves (API.md §3, §7.6) and the pick-job list (§2). Each move answers the updated entity. */
import { Type } from '@sinclair/typebox';
import type { Actor, Deps } from '../../app/deps.js';
import * as fulfilment from '../../app/fulfilment.js';
import { listPickJobPage } from '../../db/fulfilment.js';
import type { Order } from '../../domain/order.js';
import { actorWith } from '../auth.js';
import { IdParams, problemResponses } from '../schemas/common.js';
import { decodeCursor, encodeCursor, PickJobCursorShape } from '../schemas/cursor.js';
import { LabelBody, PickJobListQuery, PicksBody } from '../schemas/fulfilment.js';
import { PickJobPage } from '../schemas/components.js';
import { LabelEntry, PickJobEntry } from '../schemas/operations-view.js';
import { Order as OrderSchema } from '../schemas/order-view.js';
import type { AppInstance } from '../types.js';

const tags = ['fulfilment'];
const moveProblems = problemResponses(400, 401, 403, 404, 409);

type OrderMove = (deps: Deps, actor: Actor, orderId: string) => Promise<Order>;

export async function fulfilmentRoutes(app: AppInstance, deps: Deps): Promise<void> {
  /** POST /v1/orders/:id/<step> with no body, answering the order. */
  const orderMove = (step: string, summary: string, run: OrderMove) => {
    app.post(
      `/v1/orders/:id/${step}`,
      {
        config: { idempotent: true },
        schema: {
          tags,
          summary,
          params: IdParams,
          response: { 200: Type.Ref(OrderSchema), ...moveProblems },
        },
      },
      async (request, reply) => {
        const order = await run(deps, actorWith(request, 'FULFILMENT_WRITE'), request.params.id);
        return reply.header('ETag', `"${order.version}"`).send(order);
      },
    );
  };

  orderMove(
    'approve-payment',
    'Approve a pending payment (payment-pending → payment-approved)',
    fulfilment.approvePayment,
  );
  orderMove(
    'pack',
    'Pack the picked order into a package (→ ready-for-invoice)',
    fulfilment.packOrder,
  );
  orderMove('hand-over', 'Hand the package over to the carrier', fulfilment.handOver);
  orderMove(
    'invoice',
    'Invoice the order, capturing what is authorized (→ invoiced)',
    fulfilment.invoiceOrder,
  );
  orderMove(
    'ship',
    'Ship the order; its stock leaves the facility (→ shipped)',
    fulfilment.shipOrder,
  );
  orderMove('deliver', 'Record the delivery (→ delivered)', fulfilment.deliverOrder);

  app.post(
    '/v1/orders/:id/labels',
    {
      config: { idempotent: true },
      schema: {
        tags,
        summary: 'Request a shipping label (body optional)',
        params: IdParams,
        body: LabelBody,
        response: { 200: Type.Ref(LabelEntry), ...moveProblems },
      },
      // No body at all means "no carrier asked for"; anything sent is still checked by the schema.
      preValidation: async (request) => {
        if (request.body === undefined || request.body === null) request.body = {};
      },
    },
    async (request) =>
      fulfilment.requestLabel(
        deps,
        actorWith(request, 'FULFILMENT_WRITE'),
        request.params.id,
        request.body?.carrier,
      ),
  );

  app.post(
    '/v1/labels/:id/generate',
    {
      config: { idempotent: true },
      schema: {
        tags,
        summary: 'Generate a requested label',
        params: IdParams,
        response: { 200: Type.Ref(LabelEntry), ...moveProblems },
      },
    },
    async (request) =>
      fulfilment.generateLabel(deps, actorWith(request, 'FULFILMENT_WRITE'), request.params.id),
  );

  app.post(
    '/v1/pick-jobs/:id/start',
    {
      config: { idempotent: true },
      schema: {
        tags,
        summary: 'Start an open pick job; the caller becomes its assignee (order → handling)',
        params: IdParams,
        response: { 200: Type.Ref(PickJobEntry), ...moveProblems },
      },
    },
    async (request) =>
      fulfilment.startPickJob(deps, actorWith(request, 'FULFILMENT_WRITE'), request.params.id),
  );

  app.post(
    '/v1/pick-jobs/:id/picks',
    {
      config: { idempotent: true },
      schema: {
        tags,
        summary: 'Record picked units (the job is picked when every line is full)',
        params: IdParams,
        body: PicksBody,
        response: {
          200: Type.Ref(PickJobEntry),
          ...problemResponses(400, 401, 403, 404, 409, 422),
        },
      },
    },
    async (request) =>
      fulfilment.recordPicks(
        deps,
        actorWith(request, 'FULFILMENT_WRITE'),
        request.params.id,
        request.body.lines,
      ),
  );

  app.post(
    '/v1/pick-jobs/:id/close',
    {
      config: { idempotent: true },
      schema: {
        tags,
        summary: 'Close an in-progress or picked pick job',
        params: IdParams,
        response: { 200: Type.Ref(PickJobEntry), ...moveProblems },
      },
    },
    async (request) =>
      fulfilment.closePickJob(deps, actorWith(request, 'FULFILMENT_WRITE'), request.params.id),
  );

  app.get(
    '/v1/pick-jobs',
    {
      schema: {
        tags,
        summary: 'List pick jobs (mine=true: assigned to the caller)',
        querystring: PickJobListQuery,
        response: { 200: Type.Ref(PickJobPage), ...problemResponses(400, 401, 403) },
      },
    },
    async (request) => {
      const actor = actorWith(request, 'ORDER_READ');
      const { limit = 50, cursor, mine, ...filter } = request.query;
      const after = decodeCursor(cursor, PickJobCursorShape);
      const page = await listPickJobPage(
        deps.db,
        actor.tenantId,
        { ...filter, ...(mine ? { assigneeId: actor.actorId } : {}) },
        limit,
        after,
      );
      return { items: page.items, nextCursor: page.next ? encodeCursor(page.next) : null };
    },
  );
}
