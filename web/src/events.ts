/**
 * The server's event stream (GET /v1/events, server-sent events) as a React hook. EventSource cannot send
 * headers, so the key goes as `access_token` (the server keeps it out of its logs); the browser resumes
 * with Last-Event-ID on its own after a dropped connection.
 */
import { useEffect, useRef, useState } from 'react';
import { session } from './api';

export interface AmendEvent<T = unknown> {
  id: string;
  type: string;
  at: string;
  orderId: string;
  changeId?: string;
  data: T;
}
export type LiveState = 'connecting' | 'live' | 'reconnecting';

/** Final outcomes of a change, and the moment it waits for a person. */
export const CHANGE_OUTCOMES = [
  'CHANGE_APPLIED',
  'CHANGE_REJECTED',
  'CHANGE_FAILED',
  'CHANGE_CANCELED',
  'CHANGE_AWAITING_APPROVAL',
  'CHANGE_AWAITING_SELLER',
];
/** Whatever changes what an order page shows. */
export const ORDER_EVENTS = [
  ...CHANGE_OUTCOMES,
  'CHANGE_APPROVED',
  'ORDER_MODIFIED',
  'ORDER_CANCELLED',
  'ORDER_FORCE_CANCELLED',
  'ORDER_MODIFICATION_REROUTE',
  'ORDER_MANUAL_REROUTE',
  'ORDER_MANUAL_FACILITY_ASSIGNMENT',
  'TASK_MANUAL_REROUTE',
  'ORDER_HAS_UNROUTABLE_ITEMS',
  'PICK_JOB_CREATED',
  'PICK_JOB_STARTED',
  'PICK_JOB_UPDATED',
  'PICK_JOB_REPLACED',
  'PICK_JOB_CLOSED',
  'PICK_JOB_CANCELED',
  'LABEL_REQUESTED',
  'LABEL_OBSOLETE',
  'PAYMENT_ADJUSTED',
];

/**
 * Subscribes while `filter` (e.g. `mine=true`, `orderId=…`) is not null; `onEvent` may change freely.
 * A hidden tab lets its stream go (browsers allow about six connections per server, shared by every tab)
 * and, when shown again, resumes after the last event it saw, so nothing is missed.
 */
export function useEvents(
  filter: string | null,
  types: string[],
  onEvent: (event: AmendEvent) => void,
): LiveState {
  const handler = useRef(onEvent);
  useEffect(() => {
    handler.current = onEvent;
  });
  const [state, setState] = useState<LiveState>('connecting');
  const typeList = types.join(',');
  useEffect(() => {
    if (filter === null) return;
    const names = typeList.split(',');
    let lastId = '';
    let source: EventSource | null = null;
    const listener = (e: MessageEvent<string>) => {
      if (e.lastEventId) lastId = e.lastEventId;
      handler.current(JSON.parse(e.data) as AmendEvent);
    };
    const open = () => {
      if (source) return;
      setState('connecting');
      const resume = lastId ? `&lastEventId=${encodeURIComponent(lastId)}` : '';
      source = new EventSource(
        `/v1/events?${filter}${resume}&access_token=${encodeURIComponent(session.key() ?? '')}`,
      );
      for (const name of names) source.addEventListener(name, listener as EventListener);
      source.onopen = () => setState('live');
      source.onerror = () => setState('reconnecting');
    };
    const close = () => {
      if (!source) return;
      for (const name of names) source.removeEventListener(name, listener as EventListener);
      source.close();
      source = null;
    };
    const onVisibility = () => (document.visibilityState === 'hidden' ? close() : open());
    open();
    document.addEventListener('visibilitychange', onVisibility);
    return () => {
      document.removeEventListener('visibilitychange', onVisibility);
      close();
    };
  }, [filter, typeList]);
  return state;
}
