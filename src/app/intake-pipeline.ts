/**
 * One pipeline for every order (INTAKE.md §1): adapt → validate with the source's profile →
 * de-duplicate → import (the one import use case) → ORDER_CREATED. A permanent failure is a dead
 * letter at once; anything unexpected counts as transient and is retried with backoff until the
 * source's attempts are spent (INTAKE_RETRIES_EXHAUSTED). The record is marked imported in the
 * import's own transaction, so a crash leaves either no order or an order and its imported record.
 */
import { findProducts } from '../db/catalogue.js';
import { findImportingRecord } from '../db/intake-records.js';
import {
  insertImportedRecord,
  markDeadLettered,
  markImported,
  markRetrying,
  type Claimed,
  type Failure,
} from '../db/intake-queue.js';
import { findOrderIdByChannelRef } from '../db/orders.js';
import { appendEvents } from '../db/outbox.js';
import { ensureBuiltInSource, findSource, type StoredSource } from '../db/sources.js';
import { CATALOGUE, type ErrorCode, type Refusal } from '../domain/errors.js';
import type { ImportRequest } from '../domain/import-order.js';
import type { Adapted } from '../domain/intake/adapted.js';
import { effectiveValidation, validateIntake } from '../domain/intake/profile.js';
import { nextRetry, type IntakeRecord } from '../domain/intake/record.js';
import { adaptPayload, BUILT_IN_SOURCE_ID } from '../domain/intake/source.js';
import type { Order } from '../domain/order.js';
import { effectiveSettings } from '../domain/settings.js';
import type { Actor, Deps } from './deps.js';
import { importOrder } from './import-order.js';
import { importShapeIssues } from './import-shape.js';
import { RefusedError, refuse } from './refused-error.js';

/** Who imports for a source: the source itself, as an integration (the order's audit says so). */
export function sourceActor(tenantId: string, sourceId: string): Actor {
  return {
    tenantId,
    actorId: `source:${sourceId}`,
    role: 'integration',
    permissions: new Set(['ORDER_IMPORT']),
    settings: effectiveSettings({}),
  };
}

export type Judged =
  | { ok: true; adapted: Adapted; request: ImportRequest }
  | { ok: false; adapted: Adapted | null; refusals: Refusal[] };

/** Adapt and validate: pure steps, with the catalogue the skus need. */
export async function judge(
  deps: Deps,
  tenantId: string,
  stored: StoredSource,
  payload: unknown,
  account: string | null,
): Promise<Judged> {
  const source = stored.source;
  const adapted = adaptPayload(source.kind, payload, {
    channel: source.channel,
    account,
    shapeIssues: importShapeIssues,
  });
  if (!adapted.ok) return { ok: false, adapted: null, refusals: adapted.refusals };
  const a = adapted.value;
  const settings = effectiveValidation(
    source.validation,
    a.account ? source.accounts[a.account]?.validation : undefined,
  );
  const wanted = [
    ...a.lineSkus.flat(),
    ...a.lineSkus
      .flat()
      .map((c) => source.skuMap[c])
      .filter((s): s is string => !!s),
  ];
  const products = await findProducts(deps.db, tenantId, wanted);
  const result = validateIntake(a, settings, {
    skuMap: source.skuMap,
    products,
    canonical: source.kind === 'amend',
    now: deps.clock().toISOString(),
  });
  return result.ok
    ? { ok: true, adapted: a, request: result.value }
    : { ok: false, adapted: a, refusals: result.refusals };
}

const entries = (refusals: Refusal[]) =>
  refusals.map((r) => ({
    code: r.code,
    detail: r.detail,
    ...(r.field !== undefined ? { field: r.field } : {}),
    ...(r.meta ?? {}),
  }));

/** The first refusal names the record's code; every one stays in `errors`. */
export function failureOf(
  refusals: Refusal[],
  adapted: Adapted | null,
  at: string,
  canonical?: unknown,
): Failure {
  const first = refusals[0] as Refusal;
  const codes = new Set(refusals.map((r) => r.code));
  return {
    code: first.code,
    detail:
      codes.size === 1 && refusals.length > 1
        ? `${refusals.length} problems: see errors.`
        : first.detail,
    errors: entries(refusals),
    canonical: canonical ?? adapted?.request,
    channelOrderRef: adapted?.channelOrderRef ?? null,
    account: adapted?.account ?? null,
    valueMinor: adapted?.channelTotal ?? null,
    at,
  };
}

class LeaseLost extends Error {}

/** A worker waits this long for locked stock rows, then counts the attempt as a transient failure. */
export const IMPORT_LOCK_TIMEOUT_MS = 3_000;

async function deadLetter(deps: Deps, c: Claimed, token: string, f: Failure): Promise<void> {
  await deps.db.transaction().execute(async (tx) => {
    if (!(await markDeadLettered(tx, c.tenantId, c.record.id, token, f))) return;
    await appendEvents(tx, c.tenantId, [
      {
        id: deps.ids('evt'),
        type: 'INTAKE_DEAD_LETTERED',
        orderId: null,
        data: {
          intakeId: c.record.id,
          sourceId: c.record.sourceId,
          code: f.code,
          detail: f.detail,
        },
      },
    ]);
  });
}

async function transient(
  deps: Deps,
  c: Claimed,
  token: string,
  stored: StoredSource | undefined,
  err: unknown,
): Promise<void> {
  const attempts = c.record.attempts + 1;
  const policy = stored?.source.retry ?? { maxAttempts: 6, baseMs: 2000 };
  const decision = nextRetry(attempts, policy, Math.random());
  const detail = err instanceof Error ? err.message : String(err);
  const at = deps.clock().toISOString();
  deps.log.warn({ intakeId: c.record.id, attempts, err }, 'intake: transient failure');
  if (decision.kind === 'exhausted') {
    const text = `${attempts} attempts failed; the last: ${detail}`;
    await deadLetter(deps, c, token, {
      code: decision.code,
      detail: text,
      errors: [{ code: decision.code, detail: text }],
      attempts,
      at,
    });
    return;
  }
  const nextAttemptAt = new Date(deps.clock().getTime() + decision.delayMs).toISOString();
  await deps.db.transaction().execute(async (tx) => {
    const f = { code: 'INTERNAL' as ErrorCode, detail, errors: [], attempts, nextAttemptAt, at };
    if (!(await markRetrying(tx, c.tenantId, c.record.id, token, f))) return;
    await appendEvents(tx, c.tenantId, [
      {
        id: deps.ids('evt'),
        type: 'INTAKE_RETRYING',
        orderId: null,
        data: {
          intakeId: c.record.id,
          sourceId: c.record.sourceId,
          attempts,
          nextAttemptAt,
          detail,
        },
      },
    ]);
  });
}

/** Works one claimed record to its next status; never throws for the record's own faults. */
export async function processClaimed(deps: Deps, c: Claimed, token: string): Promise<void> {
  const { tenantId, record } = c;
  let stored: StoredSource | undefined;
  try {
    stored = await findSource(deps.db, tenantId, record.sourceId);
    const at = deps.clock().toISOString();
    if (!stored) {
      const r = [
        {
          code: 'INTAKE_SOURCE_UNKNOWN' as const,
          detail: `source ${record.sourceId} no longer exists.`,
        },
      ];
      return await deadLetter(deps, c, token, failureOf(r, null, at));
    }
    const judged = await judge(deps, tenantId, stored, record.payload, record.account);
    if (!judged.ok)
      return await deadLetter(deps, c, token, failureOf(judged.refusals, judged.adapted, at));
    await importJudged(deps, c, token, judged);
  } catch (err) {
    await transient(deps, c, token, stored, err);
  }
}

async function importJudged(
  deps: Deps,
  c: Claimed,
  token: string,
  j: Extract<Judged, { ok: true }>,
): Promise<void> {
  const { tenantId, record } = c;
  const facts = (orderId: string, duplicateOf: string | null, value: number | null) => ({
    orderId,
    duplicateOf,
    canonical: j.request,
    channelOrderRef: j.adapted.channelOrderRef,
    account: j.adapted.account,
    valueMinor: j.adapted.channelTotal ?? value,
    at: deps.clock().toISOString(),
  });
  // duplicateOf: the record that imported the order, or the order itself when it came before intake records.
  const duplicate = async (orderId: string) => {
    const first = await findImportingRecord(deps.db, tenantId, orderId);
    await deps.db
      .transaction()
      .execute((tx) =>
        markImported(tx, tenantId, record.id, token, facts(orderId, first ?? orderId, null)),
      );
  };
  const existing = await findOrderIdByChannelRef(
    deps.db,
    tenantId,
    j.request.channel,
    j.request.channelOrderRef,
  );
  if (existing) return duplicate(existing);
  try {
    await importOrder(deps, sourceActor(tenantId, record.sourceId), j.request, {
      lockTimeoutMs: IMPORT_LOCK_TIMEOUT_MS,
      readBack: false,
      within: async (tx, order) => {
        if (
          !(await markImported(
            tx,
            tenantId,
            record.id,
            token,
            facts(order.id, null, order.totals.grandTotal),
          ))
        )
          throw new LeaseLost();
      },
    });
  } catch (err) {
    if (err instanceof LeaseLost) return; // another worker took the record over and finishes it
    if (!(err instanceof RefusedError)) throw err;
    const orderId = err.extra.orderId as string | undefined;
    if (err.code === 'ORDER_ALREADY_EXISTS' && orderId) return duplicate(orderId);
    await deadLetter(
      deps,
      c,
      token,
      failureOf(err.refusals, j.adapted, deps.clock().toISOString(), j.request),
    );
  }
}

/** The problem a dead letter answers with (`Prefer: wait`), its hint from the catalogue. */
export function hintOf(code: string | null): string | null {
  return code && code in CATALOGUE ? CATALOGUE[code as ErrorCode].hint : null;
}

export type { IntakeRecord };

/**
 * POST /v1/orders: the tenant's built-in `amend` source, worked at once (INTAKE.md §1). Its answers
 * stay those of the import (201, 409 ORDER_ALREADY_EXISTS, 422 SKU_NOT_FOUND …): a refused body
 * leaves nothing behind, since its caller holds it; an imported one leaves its intake record.
 */
export async function importCanonical(
  deps: Deps,
  actor: Actor,
  body: ImportRequest,
): Promise<Order> {
  const tenantId = actor.tenantId;
  let stored = await findSource(deps.db, tenantId, BUILT_IN_SOURCE_ID);
  if (!stored) {
    await ensureBuiltInSource(deps.db, tenantId);
    stored = (await findSource(deps.db, tenantId, BUILT_IN_SOURCE_ID)) as StoredSource;
  }
  if (!stored.source.enabled)
    refuse(
      'INTAKE_SOURCE_DISABLED',
      `The built-in source ${BUILT_IN_SOURCE_ID} is disabled; an admin enables it again.`,
    );
  const judged = await judge(deps, tenantId, stored, body, null);
  if (!judged.ok) throw new RefusedError(judged.refusals);
  const id = deps.ids('int');
  return importOrder(deps, actor, judged.request, {
    within: (tx, order) =>
      insertImportedRecord(tx, tenantId, {
        id,
        sourceId: BUILT_IN_SOURCE_ID,
        rawBody: JSON.stringify(body),
        payload: body,
        orderId: order.id,
        duplicateOf: null,
        canonical: judged.request,
        channelOrderRef: judged.adapted.channelOrderRef,
        account: judged.adapted.account,
        valueMinor: order.totals.grandTotal,
        at: deps.clock().toISOString(),
      }),
  });
}
