/**
 * The canonical import body (API.md §3) as a channel of its own: the built-in `amend` source of
 * every tenant and any other source of kind `amend`. Its shape is the import schema, checked by
 * the caller's compiled validator (the schema lives once, in src/http/schemas); the skus are
 * Amend's own, so the sku map is asked only when a tenant filled one in.
 */
import { refusal, type Refusal } from '../errors.js';
import type { ImportRequest } from '../import-order.js';
import { ok, refused, type Result } from '../result.js';
import { isObject, text, type AdaptContext, type Adapted } from './adapted.js';

export interface ShapeIssue {
  field: string;
  detail: string;
}

export interface AmendAdaptContext extends AdaptContext {
  /** The import schema's verdict on the payload: no issue means the payload is an ImportRequest. */
  shapeIssues: (payload: unknown) => ShapeIssue[];
}

export function adaptAmendOrder(payload: unknown, ctx: AmendAdaptContext): Result<Adapted> {
  if (!isObject(payload))
    return refused([
      refusal('INTAKE_PAYLOAD_INVALID', 'the payload is not a JSON object.', { field: '' }),
    ]);
  const issues = ctx.shapeIssues(payload);
  if (issues.length)
    return refused(
      issues.map((i): Refusal => refusal('INTAKE_PAYLOAD_INVALID', i.detail, { field: i.field })),
    );
  const request = payload as unknown as ImportRequest;
  const account = text(request.customAttributes?.account);
  return ok({
    request,
    channelOrderRef: request.channelOrderRef,
    account: ctx.account ?? account ?? null,
    channelTotal: null,
    lineSkus: request.lines.map((l) => [l.sku]),
  });
}
