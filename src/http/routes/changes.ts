/** Changes (API.md §4): preview, apply, read, history, editability, summary, undo, and the decisions of the lifecycle. */
import type { FastifyReply, FastifyRequest } from 'fastify';
import * as changes from '../../app/changes.js';
import type { Deps } from '../../app/deps.js';
import { refuse } from '../../app/refused-error.js';
import { findChange, listChanges, listHistory } from '../../db/changes.js';
import type { Change } from '../../domain/change/change.js';
import type { ChangeRequest } from '../../domain/change/types.js';
import { actorWith } from '../auth.js';
import { ChangeBody, HistoryQuery, NoteBody, RejectBody, UndoBody } from '../schemas/changes.js';
import * as decisions from '../../app/change-decisions.js';
import { waitUntilSettled } from '../../app/change-lifecycle.js';
import { FINAL_STATUSES } from '../../domain/change/lifecycle.js';
import { IdParams, problemResponses } from '../schemas/common.js';
import type { AppInstance } from '../types.js';
import * as views from '../schemas/change-view.js';
import { ChangePage, HistoryPage } from '../schemas/components.js';
import { Type } from '@sinclair/typebox';

const tags = ['changes'];

/** If-Match is strong only ("3"); `*` or W/ → 400; both it and expectedVersion, different → 400 (API.md §7.5). */
export function expectedVersionOf(
  request: FastifyRequest,
  bodyVersion: number | undefined,
): number | undefined {
  const header = request.headers['if-match'];
  if (header === undefined) return bodyVersion;
  const match = /^"(\d+)"$/.exec(String(header).trim());
  if (!match) refuse('REQUEST_INVALID', 'If-Match must be a strong ETag such as "3" (no * or W/).');
  const version = Number(match[1]);
  if (bodyVersion !== undefined && bodyVersion !== version)
    refuse('REQUEST_INVALID', `If-Match "${version}" and expectedVersion ${bodyVersion} disagree.`);
  return version;
}

/** `Prefer: wait=N` (RFC 7240): N seconds at most, 30 above that; undefined when not asked. */
export function preferredWait(request: FastifyRequest): number | undefined {
  const header = request.headers.prefer;
  const match = /(?:^|[,;\s])wait=(\d+)/i.exec(
    Array.isArray(header) ? header.join(',') : (header ?? ''),
  );
  return match ? Math.min(30, Number(match[1])) : undefined;
}

/** 200 with a final Change, else 202 + Location; `Prefer: wait` first holds the answer until it settles. */
export async function answerChange(
  deps: Deps,
  tenantId: string,
  request: FastifyRequest,
  reply: FastifyReply,
  change: Change,
) {
  const wait = preferredWait(request);
  let current = change;
  if (wait !== undefined) {
    current = await waitUntilSettled(deps, tenantId, change, wait);
    reply.header('Preference-Applied', `wait=${wait}`);
  }
  return reply
    .code(FINAL_STATUSES.has(current.status) ? 200 : 202)
    .header('Location', `/v1/changes/${current.id}`)
    .send(current);
}

export async function changeRoutes(app: AppInstance, deps: Deps): Promise<void> {
  const changeProblems = problemResponses(400, 401, 403, 404, 409, 412, 422);
  // 200: the change is final; 202: still on its way (Location names it), API.md §4.
  const changeAnswer = { 200: Type.Ref(views.Change), 202: Type.Ref(views.Change) };

  app.post(
    '/v1/orders/:id/changes/preview',
    {
      schema: {
        tags,
        summary: 'Dry run: the plan a change would have (never writes)',
        params: IdParams,
        body: ChangeBody,
        response: { 200: Type.Ref(views.ChangePreview), ...changeProblems },
      },
    },
    async (request) => {
      const actor = actorWith(request, 'ORDER_READ');
      const body = request.body as unknown as ChangeRequest;
      return changes.previewChange(deps, actor, request.params.id, {
        ...body,
        expectedVersion: expectedVersionOf(request, body.expectedVersion),
      });
    },
  );

  app.post(
    '/v1/orders/:id/changes',
    {
      config: { idempotent: true },
      schema: {
        tags,
        summary: 'Apply a change (validated, atomic, audited)',
        params: IdParams,
        body: ChangeBody,
        response: { ...changeAnswer, ...changeProblems },
      },
    },
    async (request, reply) => {
      const actor = actorWith(request, 'ORDER_READ');
      const body = request.body as unknown as ChangeRequest;
      const answer = await changes.applyChange(
        deps,
        actor,
        request.params.id,
        { ...body, expectedVersion: expectedVersionOf(request, body.expectedVersion) },
        request.idempotency,
      );
      return answerChange(deps, actor.tenantId, request, reply, answer.change);
    },
  );

  app.get(
    '/v1/orders/:id/changes',
    {
      schema: {
        tags,
        summary: 'The changes of an order, oldest first',
        params: IdParams,
        response: { 200: Type.Ref(ChangePage), ...problemResponses(401, 403, 404) },
      },
    },
    async (request) => {
      const actor = actorWith(request, 'ORDER_READ');
      await changes.requireOrder(deps, actor, request.params.id);
      return {
        items: await listChanges(deps.db, actor.tenantId, request.params.id),
        nextCursor: null,
      };
    },
  );

  app.get(
    '/v1/changes/:id',
    {
      schema: {
        tags,
        summary: 'One change',
        params: IdParams,
        response: { 200: Type.Ref(views.Change), ...problemResponses(401, 403, 404) },
      },
    },
    async (request) => {
      const actor = actorWith(request, 'ORDER_READ');
      const change = await findChange(deps.db, actor.tenantId, request.params.id);
      if (!change) refuse('CHANGE_NOT_FOUND', `Change ${request.params.id} does not exist.`);
      return change;
    },
  );

  app.get(
    '/v1/orders/:id/history',
    {
      schema: {
        tags,
        summary: 'The audit: who changed what, old → new, why (append-only)',
        params: IdParams,
        querystring: HistoryQuery,
        response: { 200: Type.Ref(HistoryPage), ...problemResponses(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const actor = actorWith(request, 'ORDER_READ');
      await changes.requireOrder(deps, actor, request.params.id);
      return {
        items: await listHistory(deps.db, actor.tenantId, request.params.id, request.query),
        nextCursor: null,
      };
    },
  );

  app.get(
    '/v1/orders/:id/editability',
    {
      schema: {
        tags,
        summary: 'What the caller may change, per operation and line, and why not',
        params: IdParams,
        response: { 200: Type.Ref(views.Editability), ...problemResponses(401, 403, 404) },
      },
    },
    async (request) => {
      const actor = actorWith(request, 'ORDER_READ');
      return changes.editabilityFor(deps, actor, request.params.id);
    },
  );

  app.get(
    '/v1/orders/:id/change-summary',
    {
      schema: {
        tags,
        summary: 'All changes at once: original, added, removed, replaced, totals delta',
        params: IdParams,
        response: { 200: Type.Ref(views.ChangeSummary), ...problemResponses(401, 403, 404) },
      },
    },
    async (request) => {
      const actor = actorWith(request, 'ORDER_READ');
      return changes.changeSummary(deps, actor, request.params.id);
    },
  );

  app.post(
    '/v1/changes/:id/undo',
    {
      config: { idempotent: true },
      schema: {
        tags,
        summary: 'Undo an applied change with a new, compensating change',
        params: IdParams,
        body: UndoBody,
        response: { ...changeAnswer, ...changeProblems },
      },
    },
    async (request, reply) => {
      const actor = actorWith(request, 'ORDER_READ');
      const answer = await changes.undoChange(
        deps,
        actor,
        request.params.id,
        request.body.reason,
        request.idempotency,
      );
      return answerChange(deps, actor.tenantId, request, reply, answer.change);
    },
  );

  const decisionProblems = problemResponses(400, 401, 403, 404, 409, 422);

  app.get(
    '/v1/approvals',
    {
      schema: {
        tags,
        summary: "Changes awaiting a supervisor, oldest first, with the policy's reasons",
        response: { 200: Type.Ref(ChangePage), ...problemResponses(401, 403) },
      },
    },
    async (request) => {
      const actor = actorWith(request, 'CHANGE_APPROVE');
      return { items: await decisions.listApprovals(deps, actor), nextCursor: null };
    },
  );

  app.post(
    '/v1/changes/:id/approve',
    {
      config: { idempotent: true },
      schema: {
        tags,
        summary: "Approve a change awaiting approval (never one's own); it joins its order's queue",
        params: IdParams,
        body: NoteBody,
        response: { ...changeAnswer, ...decisionProblems },
      },
    },
    async (request, reply) => {
      const actor = actorWith(request, 'CHANGE_APPROVE');
      return answerChange(
        deps,
        actor.tenantId,
        request,
        reply,
        await decisions.approveChange(deps, actor, request.params.id, request.body.note),
      );
    },
  );

  app.post(
    '/v1/changes/:id/reject',
    {
      config: { idempotent: true },
      schema: {
        tags,
        summary: 'Reject a change awaiting approval, with a rejection reason',
        params: IdParams,
        body: RejectBody,
        response: { ...changeAnswer, ...decisionProblems },
      },
    },
    async (request, reply) => {
      const actor = actorWith(request, 'CHANGE_APPROVE');
      return answerChange(
        deps,
        actor.tenantId,
        request,
        reply,
        await decisions.rejectChange(
          deps,
          actor,
          request.params.id,
          request.body.reasonCode,
          request.body.note,
        ),
      );
    },
  );

  app.post(
    '/v1/changes/:id/seller-acknowledgment',
    {
      config: { idempotent: true },
      schema: {
        tags,
        summary: 'The seller has seen the change (marketplace orders)',
        params: IdParams,
        body: NoteBody,
        response: { ...changeAnswer, ...decisionProblems },
      },
    },
    async (request, reply) => {
      const actor = actorWith(request, 'SELLER_WRITE');
      return answerChange(
        deps,
        actor.tenantId,
        request,
        reply,
        await decisions.sellerAcknowledge(deps, actor, request.params.id, request.body.note),
      );
    },
  );

  app.post(
    '/v1/changes/:id/seller-confirmation',
    {
      config: { idempotent: true },
      schema: {
        tags,
        summary:
          "The seller confirms the change (after acknowledging it); it joins its order's queue",
        params: IdParams,
        body: NoteBody,
        response: { ...changeAnswer, ...decisionProblems },
      },
    },
    async (request, reply) => {
      const actor = actorWith(request, 'SELLER_WRITE');
      return answerChange(
        deps,
        actor.tenantId,
        request,
        reply,
        await decisions.sellerConfirm(deps, actor, request.params.id),
      );
    },
  );

  app.post(
    '/v1/changes/:id/seller-refusal',
    {
      config: { idempotent: true },
      schema: {
        tags,
        summary: 'The seller refuses the change: it ends rejected (SELLER_REFUSED)',
        params: IdParams,
        body: NoteBody,
        response: { ...changeAnswer, ...decisionProblems },
      },
    },
    async (request, reply) => {
      const actor = actorWith(request, 'SELLER_WRITE');
      return answerChange(
        deps,
        actor.tenantId,
        request,
        reply,
        await decisions.sellerRefuse(deps, actor, request.params.id, request.body.note),
      );
    },
  );

  app.post(
    '/v1/changes/:id/retry',
    {
      config: { idempotent: true },
      schema: {
        tags,
        summary:
          'Retry a failed or rejected change: same id and ticket, planned again on the current order',
        params: IdParams,
        response: { ...changeAnswer, ...decisionProblems },
      },
    },
    async (request, reply) => {
      const actor = actorWith(request, 'ORDER_READ');
      return answerChange(
        deps,
        actor.tenantId,
        request,
        reply,
        await decisions.retryChange(deps, actor, request.params.id),
      );
    },
  );

  app.post(
    '/v1/changes/:id/cancel',
    {
      config: { idempotent: true },
      schema: {
        tags,
        summary: 'Cancel a change that has not applied (received, validated, awaiting-*, failed)',
        params: IdParams,
        body: Type.Optional(NoteBody),
        response: { ...changeAnswer, ...decisionProblems },
      },
    },
    async (request, reply) => {
      const actor = actorWith(request, 'ORDER_READ');
      return answerChange(
        deps,
        actor.tenantId,
        request,
        reply,
        await decisions.cancelChange(deps, actor, request.params.id, request.body?.note),
      );
    },
  );
}
