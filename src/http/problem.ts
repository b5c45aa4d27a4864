/** Every error leaves as application/problem+json with a stable code from the catalogue (API.md §1). */
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { RefusedError } from '../app/refused-error.js';
import { CATALOGUE, type ErrorCode, type Refusal } from '../domain/errors.js';

export interface ProblemEntry {
  code: ErrorCode;
  detail: string;
  hint: string;
  operationIndex?: number;
  field?: string;
  vtexCode?: string;
}

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: ErrorCode;
  hint: string;
  requestId: string;
  errors?: ProblemEntry[];
  [extra: string]: unknown;
}

export function entryOf(r: Refusal): ProblemEntry {
  const entry = CATALOGUE[r.code];
  return {
    code: r.code,
    detail: r.detail,
    hint: entry.hint,
    ...(r.operationIndex === undefined ? {} : { operationIndex: r.operationIndex }),
    ...(r.field === undefined ? {} : { field: r.field }),
    ...('vtex' in entry && entry.vtex ? { vtexCode: entry.vtex } : {}),
    ...(r.meta ?? {}),
  };
}

export function problemOf(
  code: ErrorCode,
  status: number,
  detail: string,
  requestId: string,
  refusals: Refusal[] = [],
  extra: Record<string, unknown> = {},
): Problem {
  const entry = CATALOGUE[code];
  return {
    type: `urn:amend:problem:${code}`,
    title: entry.title,
    status,
    detail,
    code,
    hint: entry.hint,
    requestId,
    ...(refusals.length ? { errors: refusals.map(entryOf) } : {}),
    ...extra,
  };
}

export function sendProblem(reply: FastifyReply, problem: Problem): FastifyReply {
  return reply.code(problem.status).type('application/problem+json').send(problem);
}

/** Ajv's instancePath (/operations/0/quantity) as a body path (operations[0].quantity). */
export function fieldPath(instancePath: string, property?: string): string {
  const parts = instancePath.split('/').filter(Boolean);
  if (property) parts.push(property);
  return parts.reduce(
    (path, part) => (/^\d+$/.test(part) ? `${path}[${part}]` : path ? `${path}.${part}` : part),
    '',
  );
}

interface AjvIssue {
  instancePath: string;
  keyword: string;
  message?: string;
  params: Record<string, unknown>;
}

export function validationRefusals(issues: AjvIssue[], part: string): Refusal[] {
  return issues.map((issue) => {
    const property = (issue.params.missingProperty ?? issue.params.additionalProperty) as
      string | undefined;
    const field = fieldPath(issue.instancePath, property);
    const detail =
      issue.keyword === 'additionalProperties'
        ? `unknown field ${field}`
        : issue.keyword === 'required'
          ? `${field} is required`
          : `${field || part} ${issue.message ?? 'is invalid'}`;
    return {
      code: 'REQUEST_INVALID' as const,
      detail,
      field: part === 'body' ? field : `${part}.${field}`,
    };
  });
}

export function errorToProblem(error: FastifyError | Error, request: FastifyRequest): Problem {
  const requestId = String(request.id);
  if (error instanceof RefusedError) {
    const code = error.code;
    const detail =
      error.refusals.length === 1
        ? (error.refusals[0] as Refusal).detail
        : `${error.refusals.length} problems: see errors.`;
    // A single refusal's context (the missing permission, the limit) also stands at the top (API.md §1).
    const lifted = error.refusals.length === 1 ? ((error.refusals[0] as Refusal).meta ?? {}) : {};
    return problemOf(code, error.status, detail, requestId, error.refusals, {
      ...lifted,
      ...error.extra,
    });
  }
  const fe = error as FastifyError & { validation?: AjvIssue[]; validationContext?: string };
  if (fe.validation) {
    const refusals = validationRefusals(fe.validation, fe.validationContext ?? 'body');
    return problemOf(
      'REQUEST_INVALID',
      400,
      refusals.map((r) => r.detail).join('; '),
      requestId,
      refusals,
    );
  }
  if (fe.code === 'FST_ERR_CTP_BODY_TOO_LARGE')
    return problemOf('BODY_TOO_LARGE', 413, fe.message, requestId, [
      { code: 'BODY_TOO_LARGE', detail: fe.message },
    ]);
  // Malformed JSON, wrong or missing Content-Type, empty body: the client's fault.
  if (
    fe.code?.startsWith('FST_ERR_CTP_') ||
    (fe.statusCode !== undefined &&
      fe.statusCode >= 400 &&
      fe.statusCode < 500 &&
      fe instanceof SyntaxError)
  ) {
    return problemOf('REQUEST_INVALID', 400, fe.message, requestId, [
      { code: 'REQUEST_INVALID', detail: fe.message },
    ]);
  }
  return problemOf(
    'INTERNAL',
    500,
    `An unexpected error occurred; log reference ${requestId}.`,
    requestId,
    [],
    { logRef: requestId },
  );
}
