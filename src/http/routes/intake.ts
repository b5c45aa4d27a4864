/**
 * Channel intake (INTAKE.md §3): channels post their own payload with their own authentication;
 * people read the records, replay (optionally corrected), discard, and replay in bulk.
 */
import { Type } from '@sinclair/typebox';
import type { FastifyReply } from 'fastify';
import type { Deps } from '../../app/deps.js';
import {
  discard,
  getRecord,
  listRecords,
  receiveIntake,
  recordView,
  replayRecord,
  settle,
} from '../../app/intake.js';
import { createReplayJob, runReplayJob } from '../../app/intake-replay.js';
import { CATALOGUE, type ErrorCode } from '../../domain/errors.js';
import type { IntakeRecord } from '../../domain/intake/record.js';
import type { RecordFilter } from '../../db/intake-records.js';

type RecordQuery = RecordFilter & { sort?: 'received' | 'impact' };
import { actorWith } from '../auth.js';
import { problemOf, sendProblem } from '../problem.js';
import { IdParams, problemResponses } from '../schemas/common.js';
import { IntakeRecordPage } from '../schemas/components.js';
import { decodeCursor, encodeCursor, RecordCursorShape } from '../schemas/cursor.js';
import {
  Accepted,
  BulkReplayBody,
  DiscardBody,
  RecordListQuery,
  RecordView,
  ReplayBody,
  SourceParams,
} from '../schemas/intake.js';
import type { AppInstance } from '../types.js';
import { createdJob } from './bulk.js';
import { preferredWait } from './changes.js';
import { BulkJob } from '../schemas/operations-view.js';

const tags = ['intake'];
/** Channel payloads are small; the limit keeps a runaway sender from filling the store (a 10 MB body → 413). */
export const INTAKE_BODY_LIMIT = 2 * 1024 * 1024;

const accepted = (r: IntakeRecord) => ({
  id: r.id,
  sourceId: r.sourceId,
  status: r.status,
  orderId: r.orderId,
  duplicateOf: r.duplicateOf,
});

/** 202 while it is on its way; with `Prefer: wait`, 200 once imported or the dead letter's 422 problem. */
async function answer(
  deps: Deps,
  tenantId: string,
  record: IntakeRecord,
  wait: number | undefined,
  reply: FastifyReply,
  requestId: string,
) {
  let current = record;
  if (wait !== undefined) {
    current = await settle(deps, tenantId, record.id, wait);
    reply.header('Preference-Applied', `wait=${wait}`);
  }
  reply.header('Location', `/v1/intake/${current.id}`);
  if (current.status === 'imported') return reply.code(200).send(accepted(current));
  if (wait !== undefined && current.status === 'dead-lettered' && current.code) {
    // INTAKE.md §3: a final dead letter answers 422 with its problem, whatever its own status is.
    const code = current.code as ErrorCode;
    const errors = current.errors.map((e) => ({
      ...e,
      hint: CATALOGUE[e.code as ErrorCode]?.hint ?? '',
    }));
    return sendProblem(
      reply,
      problemOf(code, 422, current.detail ?? '', requestId, [], { intakeId: current.id, errors }),
    );
  }
  return reply.code(202).send(accepted(current));
}

export async function intakeRoutes(app: AppInstance, deps: Deps): Promise<void> {
  // The channel's own route: raw bytes (Shopify signs them), every content type, its own auth.
  await app.register(async (scope) => {
    const channel = scope as unknown as AppInstance;
    channel.removeAllContentTypeParsers();
    channel.addContentTypeParser(
      '*',
      { parseAs: 'buffer', bodyLimit: INTAKE_BODY_LIMIT },
      (_req, body, done) => done(null, body),
    );
    channel.post(
      // `:id` is the source's id; one name with GET /v1/intake/:id keeps the document's paths unambiguous.
      '/v1/intake/:id',
      {
        bodyLimit: INTAKE_BODY_LIMIT,
        config: { channelAuth: true },
        schema: {
          tags,
          summary:
            "Receive a channel's order payload (VTEX order JSON, Shopify orders/create, Amend's import body)",
          description:
            'Authenticated by the channel: X-VTEX-API-AppKey/AppToken, X-Shopify-Hmac-Sha256 over the raw body, or Bearer (amend). 202 once stored; `Prefer: wait=N` waits for the outcome.',
          params: SourceParams,
          security: [],
          response: {
            200: Type.Ref(Accepted),
            202: Type.Ref(Accepted),
            ...problemResponses(400, 401, 404, 409, 413, 422),
          },
        },
      },
      async (request, reply) => {
        const raw = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
        const received = await receiveIntake(deps, request.params.id, request.headers, raw);
        return answer(
          deps,
          received.tenantId,
          received.record,
          preferredWait(request),
          reply,
          String(request.id),
        );
      },
    );
  });

  app.get(
    '/v1/intake',
    {
      schema: {
        tags,
        summary:
          'Intake records, newest first; sort=impact: open failures in the order to work them',
        querystring: RecordListQuery,
        response: { 200: Type.Ref(IntakeRecordPage), ...problemResponses(400, 401, 403) },
      },
    },
    async (request) => {
      const actor = actorWith(request, 'INTAKE_READ');
      const { limit = 50, cursor, ...filter } = request.query;
      const after = decodeCursor(cursor, RecordCursorShape);
      const page = await listRecords(deps, actor, {
        ...(filter as RecordQuery),
        limit,
        ...(after ? { cursor: after } : {}),
      });
      return { items: page.items, nextCursor: page.next ? encodeCursor(page.next) : null };
    },
  );

  app.get(
    '/v1/intake/:id',
    {
      schema: {
        tags,
        summary: 'One intake record: raw and canonical payload, status, history, impact',
        params: IdParams,
        response: { 200: Type.Ref(RecordView), ...problemResponses(401, 403, 404) },
      },
    },
    async (request) => {
      const actor = actorWith(request, 'INTAKE_READ');
      return recordView(
        await getRecord(deps, actor, request.params.id),
        deps.clock().toISOString(),
      );
    },
  );

  app.post(
    '/v1/intake/:id/replay',
    {
      config: { idempotent: true },
      schema: {
        tags,
        summary:
          'Replay a dead letter, optionally with a corrected payload (the original stays in the history)',
        params: IdParams,
        body: ReplayBody,
        response: {
          200: Type.Ref(Accepted),
          202: Type.Ref(Accepted),
          ...problemResponses(400, 401, 403, 404, 409, 422),
        },
      },
      preValidation: async (request) => {
        if (request.body === undefined || request.body === null) request.body = {};
      },
    },
    async (request, reply) => {
      const actor = actorWith(request, 'INTAKE_WRITE');
      const body = (request.body ?? {}) as { payload?: unknown };
      const record = await replayRecord(deps, actor, request.params.id, body.payload);
      return answer(
        deps,
        actor.tenantId,
        record,
        preferredWait(request),
        reply,
        String(request.id),
      );
    },
  );

  app.post(
    '/v1/intake/:id/discard',
    {
      config: { idempotent: true },
      schema: {
        tags,
        summary: 'Discard a dead letter with a reason',
        params: IdParams,
        body: DiscardBody,
        response: { 200: Type.Ref(RecordView), ...problemResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) => {
      const actor = actorWith(request, 'INTAKE_WRITE');
      return recordView(
        await discard(deps, actor, request.params.id, request.body.reason),
        deps.clock().toISOString(),
      );
    },
  );

  app.post(
    '/v1/intake/replay',
    {
      config: { idempotent: true },
      schema: {
        tags,
        summary:
          'Replay the dead letters of a source and/or code, as a bulk job (GET /v1/bulk-changes/{id})',
        body: BulkReplayBody,
        response: { 202: Type.Ref(BulkJob), ...problemResponses(400, 401, 403) },
      },
      preValidation: async (request) => {
        if (request.body === undefined || request.body === null) request.body = {};
      },
    },
    async (request, reply) => {
      const actor = actorWith(request, 'INTAKE_WRITE');
      const filter = (request.body ?? {}) as { sourceId?: string; code?: string };
      const job = await createReplayJob(deps, actor, filter);
      void runReplayJob(deps, actor, job).catch((err: unknown) =>
        deps.log.error({ err, bulkId: job.id }, 'intake replay stopped'),
      );
      return reply
        .code(202)
        .header('Location', `/v1/bulk-changes/${job.id}`)
        .send(await createdJob(deps, actor.tenantId, job.id));
    },
  );
}
