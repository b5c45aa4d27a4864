/**
 * What every channel adapter answers (INTAKE.md §1): the canonical import body of API.md §3, with
 * the channel skus still to be resolved through the source's sku map, the channel's order ref and
 * account, and the total the channel charged (so the profile can compare it with Amend's).
 */
import { refusal, type Refusal } from '../errors.js';
import type { ImportRequest } from '../import-order.js';
import type { Minor } from '../money.js';

export interface Adapted {
  request: ImportRequest;
  channelOrderRef: string;
  /** The channel account (VTEX account name, Shopify shop domain), for per-account validation. */
  account: string | null;
  /** The grand total the channel computed, in minor units; null when the channel has none. */
  channelTotal: Minor | null;
  /** Per line, the channel's sku candidates in the order the sku map is asked (INTAKE.md §2). */
  lineSkus: string[][];
}

export interface AdaptContext {
  /** The order's `channel` in Amend (the source's channel, by default its id). */
  channel: string;
  /** The account the transport named (Shopify's X-Shopify-Shop-Domain), if any. */
  account?: string | null;
}

/** A payload that lacks what its adapter needs: one entry per field (INTAKE.md §6). */
export const missing = (field: string, detail = `${field} is missing.`): Refusal =>
  refusal('INTAKE_PAYLOAD_INVALID', detail, { field });

export const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

export const text = (v: unknown): string | undefined =>
  typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined;

export const joined = (...parts: unknown[]): string =>
  parts
    .map(text)
    .filter((p): p is string => p !== undefined)
    .join(' ');

/** Reads `obj.a.b[0].c` safely; a missing step answers undefined. */
export function at(obj: unknown, path: (string | number)[]): unknown {
  let cur: unknown = obj;
  for (const step of path) {
    if (typeof step === 'number') cur = Array.isArray(cur) ? cur[step] : undefined;
    else cur = isObject(cur) ? cur[step] : undefined;
  }
  return cur;
}
