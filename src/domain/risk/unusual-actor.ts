/**
 * Unusual actors (issue 16 point 2): a requester doing far more of one kind of change in a window
 * than they usually do in an active window — "14 price overrides in 10 minutes, 6× this agent's usual".
 */
import type { RiskSettings } from '../settings.js';
import { GROUP_NAMES, type OperationGroup } from './features.js';

/** One requester's counts for one group of operations, as the database aggregates them. */
export interface ActivityRow {
  actorId: string;
  role: string;
  group: OperationGroup;
  /** Events before the last 24 h (the usual), and the active windows they fell in. */
  pastEvents: number;
  pastWindows: number;
  /** Events in the current window (rolling). */
  recent: number;
  /** The busiest window of the last 24 h, and when it started. */
  peak: number;
  peakAt: string | null;
  rejected: number;
  total: number;
}

export interface ActorActivity {
  actorId: string;
  role: string;
  rejectionRate: number;
  /** All groups together: the model's features. */
  recent: number;
  usual: number;
  groups: Partial<Record<OperationGroup, ActivityRow>>;
}

export interface UnusualActor {
  actorId: string;
  role: string;
  group: OperationGroup;
  count: number;
  usual: number;
  factor: number;
  at: string | null;
  reason: string;
}

const NOUN: Record<OperationGroup, string> = {
  line: 'line edits',
  price: 'price overrides',
  address: 'address changes',
  delivery: 'delivery changes',
  routing: 're-routes',
  cancel: 'cancellations',
  attributes: 'attribute edits',
};

const usualOf = (events: number, windows: number) => (windows > 0 ? events / windows : 0);

/** Rows of many actors → each actor's activity. */
export function activitiesOf(rows: readonly ActivityRow[]): Map<string, ActorActivity> {
  const out = new Map<string, ActorActivity>();
  for (const r of rows) {
    let a = out.get(r.actorId);
    if (!a) {
      a = { actorId: r.actorId, role: r.role, rejectionRate: 0, recent: 0, usual: 0, groups: {} };
      out.set(r.actorId, a);
    }
    a.groups[r.group] = r;
  }
  for (const a of out.values()) {
    const rows = Object.values(a.groups);
    const total = rows.reduce((s, r) => s + r.total, 0);
    a.rejectionRate = total ? rows.reduce((s, r) => s + r.rejected, 0) / total : 0;
    a.recent = rows.reduce((s, r) => s + r.recent, 0);
    a.usual = Math.max(...rows.map((r) => usualOf(r.pastEvents, r.pastWindows)), 0);
  }
  return out;
}

/**
 * The group in which the actor is furthest above their usual, when far enough: at least
 * `unusualMinCount` changes and `unusualFactor` × their usual (an actor new to the group counts 1).
 * `use` picks the current window (scoring a change) or the busiest window of the day (KPI page).
 */
export function unusualActor(
  activity: ActorActivity,
  settings: RiskSettings,
  use: 'recent' | 'peak' = 'recent',
): UnusualActor | null {
  let best: UnusualActor | null = null;
  for (const group of GROUP_NAMES) {
    const r = activity.groups[group];
    if (!r) continue;
    // The day's busiest fixed window, or the rolling one if busier (a burst across two windows).
    const count = use === 'recent' ? r.recent : Math.max(r.recent, r.peak);
    const usual = Math.max(1, usualOf(r.pastEvents, r.pastWindows));
    const factor = count / usual;
    if (count < settings.unusualMinCount || factor < settings.unusualFactor) continue;
    if (best && best.factor >= factor) continue;
    const who =
      activity.role === 'picker' ? 'picker' : activity.role === 'agent' ? 'agent' : 'requester';
    best = {
      actorId: activity.actorId,
      role: activity.role,
      group,
      count,
      usual: Math.round(usual * 10) / 10,
      factor: Math.round(factor * 10) / 10,
      at: use === 'peak' ? r.peakAt : null,
      reason: `${count} ${NOUN[group]} in ${settings.unusualWindowMinutes} minutes, ${Math.round(factor)}× this ${who}'s usual.`,
    };
  }
  return best;
}
