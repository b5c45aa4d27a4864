/**
 * A finished bulk job, said once (issue 17 point 4): its orders counted by where their change stands
 * at the job's end, and one sentence for its requester's inbox instead of one entry per order.
 */
import { Type, type Static } from '@sinclair/typebox';

const Count = Type.Integer({ minimum: 0 });
export const BulkCountsSchema = Type.Object(
  {
    total: Count,
    applied: Type.Integer({ minimum: 0, description: 'applied (a reroute: routed again)' }),
    awaitingApproval: Count,
    awaitingSeller: Count,
    inProgress: Type.Integer({ minimum: 0, description: 'still on its way (payment, queue)' }),
    rejected: Type.Integer({ minimum: 0, description: 'refused: the order is unchanged' }),
    failed: Count,
    canceled: Count,
    skipped: Type.Integer({ minimum: 0, description: 'nothing to do (a reroute: routed already)' }),
  },
  { additionalProperties: false },
);
export type BulkCounts = Static<typeof BulkCountsSchema>;
type Bucket = Exclude<keyof BulkCounts, 'total'>;

/** One order of the job: its result as the job recorded it, and its change's status now (if any). */
export interface BulkOutcome {
  result: string;
  changeStatus: string | null;
}

const BY_STATUS: Record<string, Bucket> = {
  applied: 'applied',
  routed: 'applied',
  'awaiting-approval': 'awaitingApproval',
  'awaiting-seller': 'awaitingSeller',
  received: 'inProgress',
  validated: 'inProgress',
  applying: 'inProgress',
  rejected: 'rejected',
  refused: 'rejected',
  unroutable: 'rejected',
  failed: 'failed',
  canceled: 'canceled',
  skipped: 'skipped',
};

/** The change's status wins over the job's record of it: a change may have settled since. */
export function bulkCounts(outcomes: readonly BulkOutcome[]): BulkCounts {
  const counts: BulkCounts = {
    total: outcomes.length,
    applied: 0,
    awaitingApproval: 0,
    awaitingSeller: 0,
    inProgress: 0,
    rejected: 0,
    failed: 0,
    canceled: 0,
    skipped: 0,
  };
  for (const o of outcomes) counts[BY_STATUS[o.changeStatus ?? o.result] ?? 'inProgress'] += 1;
  return counts;
}

const PHRASES: [Bucket, string][] = [
  ['applied', 'applied'],
  ['awaitingApproval', 'waiting for approval'],
  ['awaitingSeller', 'waiting for the seller'],
  ['inProgress', 'still in progress'],
  ['rejected', 'rejected'],
  ['failed', 'failed'],
  ['canceled', 'canceled'],
  ['skipped', 'skipped'],
];
const orders = (n: number) => (n === 0 ? 'no orders' : n === 1 ? '1 order' : `${n} orders`);

/**
 * "Bulk change of 50 orders done: 45 applied, 3 waiting for the seller, 2 rejected." A job that
 * stopped before its last order (`planned` more than were counted: its process died) says so, and
 * how many orders it never reached.
 */
export function bulkSentence(kind: string, counts: BulkCounts, planned = counts.total): string {
  const what =
    kind === 'reroute-unroutable'
      ? `Reroute of ${orders(planned).replace('order', 'unroutable order')}`
      : `Bulk change of ${orders(planned)}`;
  const untouched = planned - counts.total;
  if (planned === 0) return `${what}: nothing to do.`;
  const parts = PHRASES.filter(([b]) => counts[b] > 0).map(
    ([b, words]) =>
      `${counts[b]} ${b === 'applied' && kind === 'reroute-unroutable' ? 'routed again' : words}`,
  );
  if (untouched <= 0) return `${what} done: ${parts.join(', ')}.`;
  const reached = counts.total === 0 ? 'before its first order' : `after ${orders(counts.total)}`;
  return `${what} stopped ${reached}${parts.length ? `: ${parts.join(', ')}` : ''}. ${
    untouched === 1 ? 'The other order was' : `The other ${untouched} orders were`
  } not changed; run it again for them.`;
}

/** What the requester does next: look at the refused orders; the waiting ones tell them later. */
export function bulkNextStep(counts: BulkCounts): string {
  const steps = [
    counts.rejected + counts.failed > 0
      ? 'Open the job to see why; the orders rejected or failed stay as they were.'
      : '',
    counts.awaitingApproval + counts.awaitingSeller + counts.inProgress > 0
      ? 'Each order still waiting tells you on its own once it is decided.'
      : '',
  ];
  return steps.filter(Boolean).join(' ');
}
