/** Changes (API.md §4): preview, apply, read, history, editability, summary, undo. */
import type { FastifyRequest } from 'fastify';
import * as changes from '../../app/changes.js';
import type { Deps } from '../../app/deps.js';
import { refuse } from '../../app/refused-error.js';
import { findChange, listChanges, listHistory } from '../../db/changes.js';
import type { ChangeRequest } from '../../domain/change/types.js';
import { actorWith } from '../auth.js';
import { ChangeBody, HistoryQuery, UndoBody } from '../schemas/changes.js';
import { IdParams, problemResponses } from '../schemas/common.js';
import type { AppInstance } from '../types.js';

const tags = ['changes'];

/** If-Match is strong only ("3"); `*` or W/ → 400; both it and expectedVersion, different → 400 (API.md §7.5). */
export function expectedVersionOf(request: FastifyRequest, bodyVersion: number | undefined): number | undefined {
  const header = request.headers['if-match'];
  if (header === undefined) return bodyVersion;
  const match = /^"(\d+)"$/.exec(String(header).trim());
  if (!match) refuse('REQUEST_INVALID', 'If-Match must be a strong ETag such as "3" (no * or W/).');
  const version = Number(match[1]);
  if (bodyVersion !== undefined && bodyVersion !== version) refuse('REQUEST_INVALID', `If-Match "${version}" and expectedVersion ${bodyVersion} disagree.`);
  return version;
}

export async function changeRoutes(app: AppInstance, deps: Deps): Promise<void> {
  const changeProblems = problemResponses(400, 401, 403, 404, 409, 412, 422);

  app.post('/v1/orders/:id/changes/preview', {
    schema: { tags, summary: 'Dry run: the plan a change would have (never writes)', params: IdParams, body: ChangeBody, response: changeProblems },
  }, async (request) => {
    const actor = actorWith(request, 'ORDER_READ');
    const body = request.body as unknown as ChangeRequest;
    return changes.previewChange(deps, actor, request.params.id, { ...body, expectedVersion: expectedVersionOf(request, body.expectedVersion) });
  });

  app.post('/v1/orders/:id/changes', {
    config: { idempotent: true },
    schema: { tags, summary: 'Apply a change (validated, atomic, audited)', params: IdParams, body: ChangeBody, response: changeProblems },
  }, async (request, reply) => {
    const actor = actorWith(request, 'ORDER_READ');
    const body = request.body as unknown as ChangeRequest;
    const change = await changes.applyChange(deps, actor, request.params.id,
      { ...body, expectedVersion: expectedVersionOf(request, body.expectedVersion) }, request.idempotency);
    return reply.code(200).header('Location', `/v1/changes/${change.id}`).send(change);
  });

  app.get('/v1/orders/:id/changes', { schema: { tags, summary: 'The changes of an order, oldest first', params: IdParams, response: problemResponses(401, 403, 404) } }, async (request) => {
    const actor = actorWith(request, 'ORDER_READ');
    await changes.requireOrder(deps, actor, request.params.id);
    return { items: await listChanges(deps.db, actor.tenantId, request.params.id), nextCursor: null };
  });

  app.get('/v1/changes/:id', { schema: { tags, summary: 'One change', params: IdParams, response: problemResponses(401, 403, 404) } }, async (request) => {
    const actor = actorWith(request, 'ORDER_READ');
    const change = await findChange(deps.db, actor.tenantId, request.params.id);
    if (!change) refuse('CHANGE_NOT_FOUND', `Change ${request.params.id} does not exist.`);
    return change;
  });

  app.get('/v1/orders/:id/history', {
    schema: { tags, summary: 'The audit: who changed what, old → new, why (append-only)', params: IdParams, querystring: HistoryQuery, response: problemResponses(400, 401, 403, 404) },
  }, async (request) => {
    const actor = actorWith(request, 'ORDER_READ');
    await changes.requireOrder(deps, actor, request.params.id);
    return { items: await listHistory(deps.db, actor.tenantId, request.params.id, request.query), nextCursor: null };
  });

  app.get('/v1/orders/:id/editability', { schema: { tags, summary: 'What the caller may change, per operation and line, and why not', params: IdParams, response: problemResponses(401, 403, 404) } }, async (request) => {
    const actor = actorWith(request, 'ORDER_READ');
    return changes.editabilityFor(deps, actor, request.params.id);
  });

  app.get('/v1/orders/:id/change-summary', { schema: { tags, summary: 'All changes at once: original, added, removed, replaced, totals delta', params: IdParams, response: problemResponses(401, 403, 404) } }, async (request) => {
    const actor = actorWith(request, 'ORDER_READ');
    return changes.changeSummary(deps, actor, request.params.id);
  });

  app.post('/v1/changes/:id/undo', {
    config: { idempotent: true },
    schema: { tags, summary: 'Undo an applied change with a new, compensating change', params: IdParams, body: UndoBody, response: changeProblems },
  }, async (request, reply) => {
    const actor = actorWith(request, 'ORDER_READ');
    const change = await changes.undoChange(deps, actor, request.params.id, request.body.reason, request.idempotency);
    return reply.code(200).header('Location', `/v1/changes/${change.id}`).send(change);
  });
}
