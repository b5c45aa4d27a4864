/** Bulk jobs (API.md §4): reroute the unroutable orders, and poll any job. */
import { Type } from '@sinclair/typebox';
import { createBulkChange, runBulkChange, type BulkChangeRequest } from '../../app/bulk-change.js';
import { createRerouteJob, runRerouteJob, type BulkRequest } from '../../app/bulk-reroute.js';
import { OperationSchema } from '../schemas/changes.js';
import { OrderListQuery } from '../schemas/orders.js';
import type { Deps } from '../../app/deps.js';
import { refuse } from '../../app/refused-error.js';
import { findBulkJob } from '../../db/bulk-jobs.js';
import { actorWith } from '../auth.js';
import { IdParams, problemResponses } from '../schemas/common.js';
import { BulkJob } from '../schemas/operations-view.js';
import type { AppInstance } from '../types.js';

const RerouteBody = Type.Object(
  {
    orderIds: Type.Optional(
      Type.Array(Type.String({ minLength: 1, maxLength: 128 }), {
        maxItems: 10_000,
        uniqueItems: true,
      }),
    ),
    reason: Type.Optional(
      Type.Object(
        {
          code: Type.String({ maxLength: 64 }),
          text: Type.Optional(Type.String({ maxLength: 2000 })),
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);

const { limit: _limit, cursor: _cursor, ...filterFields } = OrderListQuery.properties;
const BulkChangeBody = Type.Object(
  {
    orderIds: Type.Optional(
      Type.Array(Type.String({ minLength: 1, maxLength: 128 }), {
        minItems: 1,
        maxItems: 5000,
        uniqueItems: true,
      }),
    ),
    filter: Type.Optional(Type.Object(filterFields, { additionalProperties: false })),
    operations: Type.Array(OperationSchema, { maxItems: 100 }),
    reason: Type.Optional(
      Type.Object(
        {
          code: Type.String({ maxLength: 64 }),
          text: Type.Optional(Type.String({ maxLength: 2000 })),
        },
        { additionalProperties: false },
      ),
    ),
    dryRun: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);

/** The job just created, as GET /v1/bulk-changes/{id} answers it (its absence is a bug, a 500). */
export async function createdJob(deps: Deps, tenantId: string, id: string) {
  const job = await findBulkJob(deps.db, tenantId, id);
  if (!job) throw new Error(`bulk job ${id} is missing right after its creation`);
  return job;
}

export async function bulkRoutes(app: AppInstance, deps: Deps): Promise<void> {
  app.post(
    '/v1/bulk-changes',
    {
      config: { idempotent: true },
      schema: {
        tags: ['changes'],
        summary:
          'The same change on many orders (by id or filter), as a job; dryRun says what would happen',
        body: BulkChangeBody,
        response: { 202: Type.Ref(BulkJob), ...problemResponses(400, 401, 403) },
      },
    },
    async (request, reply) => {
      const actor = actorWith(request, 'BULK_WRITE');
      const body = request.body as unknown as BulkChangeRequest;
      if ((body.orderIds === undefined) === (body.filter === undefined))
        refuse('REQUEST_INVALID', 'Send either orderIds or filter.');
      const job = await createBulkChange(deps, actor, body);
      void runBulkChange(deps, actor, job, body).catch((err: unknown) =>
        deps.log.error({ err, bulkId: job.id }, 'bulk change stopped'),
      );
      return reply
        .code(202)
        .header('Location', `/v1/bulk-changes/${job.id}`)
        .send(await createdJob(deps, actor.tenantId, job.id));
    },
  );

  app.post(
    '/v1/routing/reroute-unroutable',
    {
      config: { idempotent: true },
      schema: {
        tags: ['routing'],
        summary: "Reroute unroutable orders (all of the tenant's, or a list) as a bulk job",
        body: RerouteBody,
        response: { 202: Type.Ref(BulkJob), ...problemResponses(400, 401, 403) },
      },
      preValidation: async (request) => {
        if (request.body === undefined || request.body === null) request.body = {};
      },
    },
    async (request, reply) => {
      const actor = actorWith(request, 'ROUTING_WRITE');
      const body = (request.body ?? {}) as BulkRequest;
      const job = await createRerouteJob(deps, actor, body);
      // The job runs on after the answer; its progress is read at the Location.
      void runRerouteJob(deps, actor, job, body).catch((err: unknown) =>
        deps.log.error({ err, bulkId: job.id }, 'bulk reroute stopped'),
      );
      return reply
        .code(202)
        .header('Location', `/v1/bulk-changes/${job.id}`)
        .send(await createdJob(deps, actor.tenantId, job.id));
    },
  );

  app.get(
    '/v1/bulk-changes/:id',
    {
      schema: {
        tags: ['routing'],
        summary: 'A bulk job: status, counts and per-order results',
        params: IdParams,
        response: { 200: Type.Ref(BulkJob), ...problemResponses(401, 403, 404) },
      },
    },
    async (request) => {
      const actor = actorWith(request, 'ORDER_READ');
      const job = await findBulkJob(deps.db, actor.tenantId, request.params.id);
      if (!job) refuse('NOT_FOUND', `There is no bulk job ${request.params.id}.`);
      return job;
    },
  );
}
