/**
 * Who is posting to POST /v1/intake/{sourceId} (INTAKE.md §2–3): the channel's own credentials
 * decide, compared in constant time — VTEX's AppKey/AppToken pair, Shopify's HMAC of the raw body,
 * an Amend key (the source's own, or a tenant API key with ORDER_IMPORT). The URL names a source,
 * not a tenant, so every tenant's source of that id is tried; only the one that authenticates counts.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { ensureBuiltInSource, findSourcesById, type StoredSource } from '../db/sources.js';
import { BUILT_IN_SOURCE_ID } from '../domain/intake/source.js';
import type { Deps } from './deps.js';
import { hashKey, resolveActor } from './identity.js';
import { refuse } from './refused-error.js';

export type Headers = Record<string, string | string[] | undefined>;

const header = (h: Headers, name: string): string | undefined => {
  const v = h[name];
  return Array.isArray(v) ? v[0] : v;
};

const sameBytes = (a: Buffer, b: Buffer) => a.length === b.length && timingSafeEqual(a, b);
const sameHash = (plain: string | undefined, hash: string | undefined) =>
  plain !== undefined &&
  hash !== undefined &&
  sameBytes(Buffer.from(hashKey(plain), 'hex'), Buffer.from(hash, 'hex'));

async function authenticates(
  deps: Deps,
  s: StoredSource,
  headers: Headers,
  rawBody: Buffer,
): Promise<boolean> {
  const c = s.credentials;
  switch (s.source.kind) {
    case 'vtex':
      return (
        sameHash(header(headers, 'x-vtex-api-appkey'), c.appKey ? hashKey(c.appKey) : undefined) &&
        sameHash(header(headers, 'x-vtex-api-apptoken'), c.appTokenHash)
      );
    case 'shopify': {
      const given = header(headers, 'x-shopify-hmac-sha256');
      if (!given || !c.webhookSecretEncrypted || !deps.secretBox) return false;
      const secret = deps.secretBox.decrypt(c.webhookSecretEncrypted);
      const expected = createHmac('sha256', secret).update(rawBody).digest();
      return sameBytes(Buffer.from(given, 'base64'), expected);
    }
    case 'amend': {
      const auth = header(headers, 'authorization');
      const token = auth?.startsWith('Bearer ') ? auth.slice(7).trim() : undefined;
      if (!token) return false;
      if (sameHash(token, c.keyHash)) return true;
      const actor = await resolveActor(deps, token);
      return actor?.tenantId === s.tenantId && actor.permissions.has('ORDER_IMPORT');
    }
  }
}

/** The source this request is for, authenticated; 404 when no tenant has it, 401 when none authenticates. */
export async function authenticateChannel(
  deps: Deps,
  sourceId: string,
  headers: Headers,
  rawBody: Buffer,
): Promise<StoredSource> {
  if (sourceId === BUILT_IN_SOURCE_ID) {
    // A tenant made after the intake migration gets its built-in source on first use.
    const auth = header(headers, 'authorization');
    const actor = auth?.startsWith('Bearer ')
      ? await resolveActor(deps, auth.slice(7).trim())
      : null;
    if (actor) await ensureBuiltInSource(deps.db, actor.tenantId);
  }
  const candidates = await findSourcesById(deps.db, sourceId);
  if (candidates.length === 0) refuse('INTAKE_SOURCE_UNKNOWN', `There is no source ${sourceId}.`);
  for (const candidate of candidates)
    if (await authenticates(deps, candidate, headers, rawBody)) return candidate;
  refuse(
    'INTAKE_SIGNATURE_INVALID',
    `The request's credentials or signature do not match source ${sourceId}; nothing was stored.`,
  );
}
