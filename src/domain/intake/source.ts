/**
 * An order source (INTAKE.md §2): its kind picks the adapter, its credentials authenticate the
 * channel, its validation profile (with per-account overrides) and sku map shape the judgement.
 * Secrets never leave: the view shows "***" where a secret is kept.
 */
import type { Result } from '../result.js';
import type { AdaptContext, Adapted } from './adapted.js';
import { adaptAmendOrder, type ShapeIssue } from './amend-order.js';
import type { ValidationSettings } from './profile.js';
import type { RetryPolicy } from './record.js';
import { adaptShopifyOrder } from './shopify-order.js';
import { adaptVtexOrder } from './vtex-order.js';

export const SOURCE_KINDS = ['vtex', 'shopify', 'amend'] as const;
export type SourceKind = (typeof SOURCE_KINDS)[number];

/** Every tenant's own canonical source (INTAKE.md §1). */
export const BUILT_IN_SOURCE_ID = 'amend';

export interface Source {
  id: string;
  kind: SourceKind;
  name: string;
  enabled: boolean;
  /** The `channel` of the orders it imports (kind amend: the body's own). */
  channel: string;
  validation: Partial<ValidationSettings>;
  accounts: Record<string, { validation?: Partial<ValidationSettings> }>;
  skuMap: Record<string, string>;
  expectedIntervalSeconds: number | null;
  retry: RetryPolicy;
  createdAt: string;
  updatedAt: string;
}

/** What is kept of a source's credentials: hashes where they are only compared, ciphertext where needed. */
export interface StoredCredentials {
  appKey?: string;
  appTokenHash?: string;
  webhookSecretEncrypted?: string;
  keyHash?: string;
}

export function maskedCredentials(kind: SourceKind, c: StoredCredentials): Record<string, string> {
  if (kind === 'vtex') return { appKey: c.appKey ?? '', appToken: c.appTokenHash ? '***' : '' };
  if (kind === 'shopify') return { webhookSecret: c.webhookSecretEncrypted ? '***' : '' };
  return c.keyHash ? { key: '***' } : {};
}

/** Lower-case letters, digits and dashes; `replay` is the bulk replay's path (POST /v1/intake/replay). */
export function sourceIdProblem(id: string): string | null {
  if (!/^[a-z0-9][a-z0-9-]{0,62}$/.test(id))
    return 'a source id has 1 to 63 lower-case letters, digits and dashes, starting with a letter or digit.';
  return id === 'replay'
    ? 'replay is not a source id: POST /v1/intake/replay is the bulk replay.'
    : null;
}

export interface AdaptOptions extends AdaptContext {
  /** The canonical kind's schema check (see amend-order.ts). */
  shapeIssues: (payload: unknown) => ShapeIssue[];
}

export function adaptPayload(
  kind: SourceKind,
  payload: unknown,
  ctx: AdaptOptions,
): Result<Adapted> {
  switch (kind) {
    case 'vtex':
      return adaptVtexOrder(payload, ctx);
    case 'shopify':
      return adaptShopifyOrder(payload, ctx);
    case 'amend':
      return adaptAmendOrder(payload, ctx);
  }
}
