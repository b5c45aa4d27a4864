/** The transactional outbox: events are rows written in the transaction that causes them. */
import type { Kysely } from 'kysely';
import type { DB } from './schema.js';

export interface NewEvent {
  id: string;
  type: string;
  orderId?: string | null;
  changeId?: string | null;
  data: unknown;
}

export async function appendEvents(
  tx: Kysely<DB>,
  tenantId: string,
  events: readonly NewEvent[],
): Promise<void> {
  if (events.length === 0) return;
  await tx
    .insertInto('outbox_events')
    .values(
      events.map((e) => ({
        tenant_id: tenantId,
        id: e.id,
        type: e.type,
        order_id: e.orderId ?? null,
        change_id: e.changeId ?? null,
        data: JSON.stringify(e.data),
      })),
    )
    .execute();
}
