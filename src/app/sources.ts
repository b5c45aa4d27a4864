/**
 * Managing order sources (INTAKE.md §2, permission SOURCE_ADMIN): create, read, merge-patch,
 * disable. Secrets are hashed (VTEX AppToken, an Amend key: only ever compared) or sealed with
 * the secret box (Shopify's webhook secret: needed in plain to compute the HMAC), never returned.
 */
import { hashKey } from './identity.js';
import {
  ensureBuiltInSource,
  findSource,
  insertSource,
  listSources,
  updateSource,
  type StoredSource,
} from '../db/sources.js';
import { effectiveValidation, type ValidationSettings } from '../domain/intake/profile.js';
import { mergePatch } from '../domain/settings.js';
import { DEFAULT_RETRY, type RetryPolicy } from '../domain/intake/record.js';
import {
  maskedCredentials,
  sourceIdProblem,
  type Source,
  type SourceKind,
  type StoredCredentials,
} from '../domain/intake/source.js';
import { isAlpha2 } from '../domain/intake/normalise.js';
import type { Actor, Deps } from './deps.js';
import { refuse } from './refused-error.js';

export interface SourceInput {
  id?: string;
  kind?: SourceKind;
  name?: string;
  enabled?: boolean;
  channel?: string;
  credentials?: { appKey?: string; appToken?: string; webhookSecret?: string; key?: string | null };
  validation?: Partial<Record<keyof ValidationSettings, unknown>> | null;
  accounts?: Record<string, { validation?: Partial<ValidationSettings> | null } | null>;
  skuMap?: Record<string, string | null>;
  expectedIntervalSeconds?: number | null;
  retry?: Partial<RetryPolicy>;
}

/** What GET answers: the effective validation, the credentials masked, the URL channels post to. */
export function sourceView(stored: StoredSource) {
  const s = stored.source;
  return {
    ...s,
    validation: effectiveValidation(s.validation),
    credentials: maskedCredentials(s.kind, stored.credentials),
    intakeUrl: `/v1/intake/${s.id}`,
  };
}

function checkCountries(validation: unknown, field: string): void {
  const list = (validation as { allowedCountries?: unknown } | null | undefined)?.allowedCountries;
  if (Array.isArray(list)) {
    const bad = list.filter((c) => typeof c !== 'string' || !isAlpha2(c));
    if (bad.length)
      refuse(
        'REQUEST_INVALID',
        `${field}.allowedCountries has codes that are not ISO 3166-1 alpha-2: ${bad.join(', ')}.`,
      );
  }
}

function credentialsFor(
  deps: Deps,
  kind: SourceKind,
  given: SourceInput['credentials'],
  kept: StoredCredentials,
): StoredCredentials {
  const c = given ?? {};
  if (kind === 'vtex') {
    const next = {
      ...kept,
      ...(c.appKey ? { appKey: c.appKey } : {}),
      ...(c.appToken ? { appTokenHash: hashKey(c.appToken) } : {}),
    };
    if (!next.appKey || !next.appTokenHash)
      refuse('REQUEST_INVALID', 'a vtex source needs credentials.appKey and credentials.appToken.');
    return next;
  }
  if (kind === 'shopify') {
    if (c.webhookSecret) {
      if (!deps.secretBox)
        refuse(
          'SECRET_KEY_NOT_CONFIGURED',
          'Storing a Shopify webhook secret needs AMEND_SECRET_KEY on this server.',
        );
      return { webhookSecretEncrypted: deps.secretBox.encrypt(c.webhookSecret) };
    }
    if (!kept.webhookSecretEncrypted)
      refuse('REQUEST_INVALID', 'a shopify source needs credentials.webhookSecret.');
    return kept;
  }
  if (c.key === null) return {};
  return c.key ? { keyHash: hashKey(c.key) } : kept;
}

export async function createSource(
  deps: Deps,
  actor: Actor,
  input: SourceInput & { id: string; kind: SourceKind; name: string },
) {
  const problem = sourceIdProblem(input.id);
  if (problem)
    refuse('REQUEST_INVALID', problem, {
      errors: [{ code: 'REQUEST_INVALID', field: 'id', detail: problem }],
    });
  checkCountries(input.validation, 'validation');
  for (const [name, a] of Object.entries(input.accounts ?? {}))
    checkCountries(a?.validation, `accounts.${name}.validation`);
  const now = deps.clock().toISOString();
  const source: Source = {
    id: input.id,
    kind: input.kind,
    name: input.name,
    enabled: input.enabled ?? true,
    channel: input.channel ?? input.id,
    validation: mergePatch({}, input.validation ?? {}) as Source['validation'],
    accounts: mergePatch({}, input.accounts ?? {}) as Source['accounts'],
    skuMap: mergePatch({}, input.skuMap ?? {}) as Source['skuMap'],
    expectedIntervalSeconds: input.expectedIntervalSeconds ?? null,
    retry: { ...DEFAULT_RETRY, ...input.retry },
    createdAt: now,
    updatedAt: now,
  };
  const credentials = credentialsFor(deps, source.kind, input.credentials, {});
  await ensureBuiltInSource(deps.db, actor.tenantId);
  if (!(await insertSource(deps.db, actor.tenantId, source, credentials)))
    refuse('SOURCE_ALREADY_EXISTS', `Source ${source.id} exists already.`);
  return sourceView((await findSource(deps.db, actor.tenantId, source.id)) as StoredSource);
}

export async function getSource(deps: Deps, actor: Actor, id: string): Promise<StoredSource> {
  await ensureBuiltInSource(deps.db, actor.tenantId);
  const stored = await findSource(deps.db, actor.tenantId, id);
  if (!stored) refuse('INTAKE_SOURCE_UNKNOWN', `There is no source ${id}.`);
  return stored;
}

export async function listTenantSources(deps: Deps, actor: Actor): Promise<StoredSource[]> {
  await ensureBuiltInSource(deps.db, actor.tenantId);
  return listSources(deps.db, actor.tenantId);
}

export async function patchSource(deps: Deps, actor: Actor, id: string, patch: SourceInput) {
  const stored = await getSource(deps, actor, id);
  const s = stored.source;
  if (patch.kind !== undefined && patch.kind !== s.kind)
    refuse('REQUEST_INVALID', `kind cannot change (${s.kind}); create a new source instead.`);
  if (patch.id !== undefined && patch.id !== s.id)
    refuse('REQUEST_INVALID', 'id cannot change; create a new source instead.');
  checkCountries(patch.validation, 'validation');
  for (const [name, a] of Object.entries(patch.accounts ?? {}))
    checkCountries(a?.validation, `accounts.${name}.validation`);
  // RFC 7396 like PATCH /v1/settings: objects merge, null removes (a mapping, an account, a setting).
  const editable = (({
    name,
    enabled,
    channel,
    validation,
    accounts,
    skuMap,
    expectedIntervalSeconds,
    retry,
  }: Source) => ({
    name,
    enabled,
    channel,
    validation,
    accounts,
    skuMap,
    expectedIntervalSeconds,
    retry,
  }))(s);
  const { credentials: _c, id: _i, kind: _k, ...rest } = patch;
  const patched = mergePatch(editable, rest) as Partial<Source>;
  const next: Source = {
    ...s,
    ...patched,
    expectedIntervalSeconds: patched.expectedIntervalSeconds ?? null,
    retry: { ...DEFAULT_RETRY, ...patched.retry },
  };
  const credentials = patch.credentials
    ? credentialsFor(deps, s.kind, patch.credentials, stored.credentials)
    : stored.credentials;
  await updateSource(deps.db, actor.tenantId, next, credentials);
  return sourceView((await findSource(deps.db, actor.tenantId, id)) as StoredSource);
}

/** DELETE disables: the records stay, and the channel's next delivery answers 409. */
export async function disableSource(deps: Deps, actor: Actor, id: string) {
  return patchSource(deps, actor, id, { enabled: false });
}
