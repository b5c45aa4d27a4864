/**
 * VTEX's error envelope (VTEX-FACADE.md §3.9): `{ error: { code, message, exception: null, amend } }`,
 * from the Amend problem every error already becomes. Status: Amend's, except v1's 404 for unknown items.
 */
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import type { ErrorCode } from '../../domain/errors.js';
import { vtexErrorOf, type VtexApi, type VtexErrorContext } from '../../domain/vtex/errors.js';
import { errorToProblem, type Problem } from '../problem.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Which of VTEX's message tables a facade route answers with. */
    vtexApi?: VtexApi;
  }
  interface FastifyRequest {
    /** What VTEX's messages name: the order, the change, and per Amend operation its VTEX item. */
    vtexContext?: { order?: string; change?: string; operations?: VtexErrorContext[] };
  }
}

/** Seed 003: "404 Not Found" when a removed item is not on the order or an added one not in the catalog. */
const V1_NOT_FOUND: ReadonlySet<ErrorCode> = new Set(['LINE_NOT_FOUND', 'SKU_NOT_FOUND']);

export function vtexEnvelope(
  problem: Problem,
  api: VtexApi,
  context: NonNullable<FastifyRequest['vtexContext']> = {},
) {
  // Several refusals answer the first one's code and message; all stay in `amend.errors`.
  const first = problem.errors?.[0];
  const entry = problem.code === 'CHANGE_REFUSED' && first ? first : undefined;
  const code = entry?.code ?? problem.code;
  const field = entry?.field ?? first?.field;
  const index = entry?.operationIndex ?? first?.operationIndex;
  const item = index === undefined ? {} : (context.operations?.[index] ?? {});
  const vtex = vtexErrorOf(code, entry?.detail ?? problem.detail, api, {
    ...item,
    ...(context.order ? { order: context.order } : {}),
    ...(context.change ? { change: context.change } : {}),
    ...(field ? { field } : {}),
  });
  const status = api === 'v1' && V1_NOT_FOUND.has(code) ? 404 : problem.status;
  return { status, body: { error: { ...vtex, exception: null, amend: problem } } };
}

/** The facade's error handler: every error, Fastify's own included, leaves in VTEX's envelope. */
export function sendVtexError(
  error: FastifyError | Error,
  request: FastifyRequest,
  reply: FastifyReply,
) {
  const problem = errorToProblem(error, request);
  if (problem.status >= 500)
    request.log.error({ err: error, logRef: problem.requestId }, 'unexpected error');
  const api = request.routeOptions.config.vtexApi ?? 'v2';
  const { status, body } = vtexEnvelope(problem, api, request.vtexContext);
  return reply.code(status).type('application/json; charset=utf-8').send(body);
}
