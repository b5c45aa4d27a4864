/**
 * The intake use cases (INTAKE.md §3): receive a channel's payload (stored before the 202),
 * read and list records (dead letters in impact order), replay one (optionally corrected, the
 * original kept in the history), discard one with a reason, wait for a record's final status.
 */
import { claimRecord, discardRecord, requeueRecord } from '../db/intake-queue.js';
import {
  findRecord,
  insertRecord,
  listOpenFailures,
  listRecordPage,
  type RecordFilter,
} from '../db/intake-records.js';
import { appendEvents } from '../db/outbox.js';
import type { StoredSource } from '../db/sources.js';
import type { ImportRequest } from '../domain/import-order.js';
import { impactOf } from '../domain/intake/impact.js';
import { jsonRefusal, textRefusal } from '../domain/text.js';
import { FINAL, isDiscardable, isReplayable, type IntakeRecord } from '../domain/intake/record.js';
import type { Actor, Deps } from './deps.js';
import { authenticateChannel, type Headers } from './intake-auth.js';
import { hintOf, processClaimed } from './intake-pipeline.js';
import { RefusedError, refuse } from './refused-error.js';

const header = (h: Headers, name: string) =>
  Array.isArray(h[name]) ? h[name]?.[0] : (h[name] as string | undefined);

/** What the API answers for a record: its hint and impact added (the impact counts the age up to now). */
export function recordView(record: IntakeRecord, now: string) {
  const order = (record.canonical ?? null) as ImportRequest | null;
  return {
    ...record,
    hint: hintOf(record.code),
    impact: impactOf({ order, value: record.valueMinor, receivedAt: record.receivedAt, now }),
  };
}
export type RecordView = ReturnType<typeof recordView>;

export interface Received {
  tenantId: string;
  source: StoredSource;
  record: IntakeRecord;
  /** False for a redelivery (same webhook id): the first record is answered. */
  created: boolean;
}

/**
 * Authenticates, then stores the raw body durably: only after this commit may the channel hear 202.
 * A body that is not JSON is kept as a dead letter and answered 400 (INTAKE.md §3).
 */
export async function receiveIntake(
  deps: Deps,
  sourceId: string,
  headers: Headers,
  rawBody: Buffer,
): Promise<Received> {
  const stored = await authenticateChannel(deps, sourceId, headers, rawBody);
  if (!stored.source.enabled)
    refuse('INTAKE_SOURCE_DISABLED', `Source ${sourceId} is disabled; nothing was stored.`);
  const text = rawBody.toString('utf8');
  let payload: unknown;
  let parseError: string | null = null;
  try {
    payload = JSON.parse(text);
  } catch (err) {
    parseError = (err as Error).message;
  }
  // Text no column can hold is refused before anything is stored (the record could not be written).
  const unstorable =
    textRefusal(text, 'body') ?? (parseError ? null : jsonRefusal(payload, '', 256));
  if (unstorable)
    throw new RefusedError([{ ...unstorable, detail: `${unstorable.detail} Nothing was stored.` }]);
  const at = deps.clock().toISOString();
  const tenantId = stored.tenantId;
  const inserted = await deps.db.transaction().execute(async (tx) => {
    const r = await insertRecord(tx, tenantId, {
      id: deps.ids('int'),
      sourceId,
      kind: stored.source.kind,
      account: header(headers, 'x-shopify-shop-domain') ?? null,
      rawBody: text,
      payload: parseError ? undefined : payload,
      webhookId: header(headers, 'x-shopify-webhook-id') ?? null,
      status: parseError ? 'dead-lettered' : 'received',
      ...(parseError
        ? { code: 'REQUEST_INVALID' as const, detail: `the body is not JSON: ${parseError}` }
        : {}),
      at,
    });
    if (r.created)
      await appendEvents(tx, tenantId, [
        {
          id: deps.ids('evt'),
          type: 'INTAKE_RECEIVED',
          orderId: null,
          data: { intakeId: r.id, sourceId },
        },
        ...(parseError
          ? [
              {
                id: deps.ids('evt'),
                type: 'INTAKE_DEAD_LETTERED',
                orderId: null,
                data: { intakeId: r.id, sourceId, code: 'REQUEST_INVALID' },
              },
            ]
          : []),
      ]);
    return r;
  });
  deps.signals.eventsWritten();
  if (inserted.created && !parseError) deps.signals.intakeQueued();
  const record = (await findRecord(deps.db, tenantId, inserted.id)) as IntakeRecord;
  if (parseError && inserted.created)
    throw new RefusedError(
      [
        {
          code: 'REQUEST_INVALID',
          detail: `The body is not JSON (${parseError}); it was kept as dead letter ${record.id}.`,
        },
      ],
      {
        intakeId: record.id,
      },
    );
  return { tenantId, source: stored, record, created: inserted.created };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Works the record in this request if nobody holds it, else waits for the worker: until a final
 * status or `seconds` pass. Answers the record as it then stands.
 */
export async function settle(
  deps: Deps,
  tenantId: string,
  id: string,
  seconds: number,
  leaseMs = 30_000,
): Promise<IntakeRecord> {
  const until = Date.now() + Math.min(30, seconds) * 1000;
  for (let round = 0; round < 10_000; round++) {
    const token = `req_${deps.ids('lease')}`;
    const claimed = await claimRecord(deps.db, tenantId, id, token, leaseMs);
    if (claimed) await processClaimed(deps, claimed, token);
    const record = (await findRecord(deps.db, tenantId, id)) as IntakeRecord;
    if (FINAL.includes(record.status) || Date.now() >= until) return record;
    const wait = record.nextAttemptAt ? Date.parse(record.nextAttemptAt) - Date.now() : 100;
    await sleep(Math.max(20, Math.min(wait, until - Date.now(), 500)));
  }
  return (await findRecord(deps.db, tenantId, id)) as IntakeRecord;
}

export async function getRecord(deps: Deps, actor: Actor, id: string): Promise<IntakeRecord> {
  const record = await findRecord(deps.db, actor.tenantId, id);
  if (!record) refuse('NOT_FOUND', `There is no intake record ${id}.`);
  return record;
}

/** Most recent first; `sort=impact` puts the open failures in the order they should be worked. */
export async function listRecords(
  deps: Deps,
  actor: Actor,
  q: RecordFilter & {
    sort?: 'received' | 'impact';
    limit: number;
    cursor?: { r: string; s: number } | { o: number };
  },
): Promise<{ items: RecordView[]; next: { r: string; s: number } | { o: number } | null }> {
  const now = deps.clock().toISOString();
  if (q.sort === 'impact') {
    const all = (await listOpenFailures(deps.db, actor.tenantId, q, 5_000)).map((r) =>
      recordView(r, now),
    );
    all.sort((a, b) => b.impact.score - a.impact.score || a.receivedAt.localeCompare(b.receivedAt));
    const offset = q.cursor && 'o' in q.cursor ? q.cursor.o : 0;
    const items = all.slice(offset, offset + q.limit);
    return { items, next: offset + q.limit < all.length ? { o: offset + q.limit } : null };
  }
  const after = q.cursor && 'r' in q.cursor ? q.cursor : undefined;
  const page = await listRecordPage(deps.db, actor.tenantId, q, q.limit, after);
  return { items: page.items.map((r) => recordView(r, now)), next: page.next };
}

export async function replayRecord(
  deps: Deps,
  actor: Actor,
  id: string,
  payload?: unknown,
): Promise<IntakeRecord> {
  const record = await getRecord(deps, actor, id);
  if (!isReplayable(record.status))
    refuse(
      'INTAKE_NOT_REPLAYABLE',
      `Intake record ${id} is ${record.status}; only dead letters and retrying records can be replayed.`,
    );
  const at = deps.clock().toISOString();
  const done = await deps.db.transaction().execute(async (tx) => {
    const ok = await requeueRecord(tx, actor.tenantId, id, {
      ...(payload !== undefined ? { payload, previousPayload: record.payload } : {}),
      actorId: actor.actorId,
      at,
    });
    if (ok)
      await appendEvents(tx, actor.tenantId, [
        {
          id: deps.ids('evt'),
          type: 'INTAKE_REPLAYED',
          orderId: null,
          data: { intakeId: id, sourceId: record.sourceId, corrected: payload !== undefined },
        },
      ]);
    return ok;
  });
  if (!done)
    refuse('INTAKE_NOT_REPLAYABLE', `Intake record ${id} changed meanwhile; read it again.`);
  deps.signals.eventsWritten();
  deps.signals.intakeQueued();
  return (await findRecord(deps.db, actor.tenantId, id)) as IntakeRecord;
}

export async function discard(
  deps: Deps,
  actor: Actor,
  id: string,
  reason: string,
): Promise<IntakeRecord> {
  const record = await getRecord(deps, actor, id);
  if (!isDiscardable(record.status))
    refuse(
      'INTAKE_NOT_REPLAYABLE',
      `Intake record ${id} is ${record.status}; only dead letters and retrying records can be discarded.`,
    );
  const done = await deps.db.transaction().execute(async (tx) => {
    const ok = await discardRecord(tx, actor.tenantId, id, {
      reason,
      actorId: actor.actorId,
      at: deps.clock().toISOString(),
    });
    if (ok)
      await appendEvents(tx, actor.tenantId, [
        {
          id: deps.ids('evt'),
          type: 'INTAKE_DISCARDED',
          orderId: null,
          data: { intakeId: id, sourceId: record.sourceId, reason },
        },
      ]);
    return ok;
  });
  if (!done)
    refuse('INTAKE_NOT_REPLAYABLE', `Intake record ${id} changed meanwhile; read it again.`);
  deps.signals.eventsWritten();
  return (await findRecord(deps.db, actor.tenantId, id)) as IntakeRecord;
}
