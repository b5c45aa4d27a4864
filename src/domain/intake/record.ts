/**
 * An intake record's life (INTAKE.md §3): `received` → `processing` → `imported` | `retrying` → … |
 * `dead-lettered` → (`replayed` → …) | `discarded`. Transient failures wait with exponential backoff
 * and jitter (the change worker's formula), permanent ones are dead letters at once.
 */
import { retryDelayMs } from '../change/lifecycle.js';
import type { ErrorCode } from '../errors.js';

export const INTAKE_STATUSES = [
  'received',
  'processing',
  'imported',
  'retrying',
  'dead-lettered',
  'replayed',
  'discarded',
] as const;
export type IntakeStatus = (typeof INTAKE_STATUSES)[number];

/** Waiting for the worker: a new record, a replay, or a retry once it is due. */
export const PENDING: readonly IntakeStatus[] = ['received', 'replayed', 'retrying'];
/** Nothing more happens to these without a person. */
export const FINAL: readonly IntakeStatus[] = ['imported', 'discarded', 'dead-lettered'];

export const isReplayable = (s: IntakeStatus): boolean => s === 'dead-lettered' || s === 'retrying';
export const isDiscardable = (s: IntakeStatus): boolean =>
  s === 'dead-lettered' || s === 'retrying';

export interface RetryPolicy {
  /** Attempts in all, the first included. */
  maxAttempts: number;
  baseMs: number;
}
export const DEFAULT_RETRY: RetryPolicy = { maxAttempts: 6, baseMs: 2_000 };

export type RetryDecision =
  { kind: 'retry'; delayMs: number } | { kind: 'exhausted'; code: ErrorCode };

/** After `attempts` failed attempts: wait base × 2^(n−1) × U[0.5, 1.5], or give up. */
export function nextRetry(attempts: number, policy: RetryPolicy, random: number): RetryDecision {
  if (attempts >= policy.maxAttempts)
    return { kind: 'exhausted', code: 'INTAKE_RETRIES_EXHAUSTED' };
  return { kind: 'retry', delayMs: retryDelayMs(policy.baseMs, attempts, random) };
}

export interface HistoryEntry {
  at: string;
  status: IntakeStatus;
  code?: string;
  detail?: string;
  actorId?: string;
  /** A replay with a corrected payload keeps the one it replaced here (INTAKE.md §3). */
  previousPayload?: unknown;
}

/** One intake record as kept (INTAKE.md §3); the API adds the hint and the impact when it answers. */
export interface IntakeRecord {
  id: string;
  sourceId: string;
  kind: string;
  account: string | null;
  status: IntakeStatus;
  receivedAt: string;
  updatedAt: string;
  attempts: number;
  nextAttemptAt: string | null;
  orderId: string | null;
  duplicateOf: string | null;
  channelOrderRef: string | null;
  webhookId: string | null;
  code: ErrorCode | null;
  detail: string | null;
  errors: { code: string; detail: string; field?: string }[];
  payload: unknown;
  canonical: unknown;
  valueMinor: number | null;
  history: HistoryEntry[];
  importedAt: string | null;
  deadLetteredAt: string | null;
}
