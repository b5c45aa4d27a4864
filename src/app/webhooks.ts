/** Webhook subscriptions (API.md §5): subscribe to event types, read the delivery log, replay. */
import { randomBytes } from 'node:crypto';
import {
  deadDeliveries,
  deleteWebhook,
  findDelivery,
  insertWebhook,
  listDeliveries,
  listWebhooks,
  replayDelivery,
  webhookExists,
  type Delivery,
} from '../db/webhooks.js';
import { EVENTS } from '../domain/events.js';
import type { Actor, Deps } from './deps.js';
import { refuse } from './refused-error.js';

export async function createWebhook(
  deps: Deps,
  actor: Actor,
  body: { url: string; events: string[] },
) {
  let url: URL;
  try {
    url = new URL(body.url);
  } catch {
    refuse('REQUEST_INVALID', `${body.url} is not a URL.`, {
      errors: [{ field: 'url', code: 'REQUEST_INVALID', detail: 'Send an absolute http(s) URL.' }],
    });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    refuse('REQUEST_INVALID', 'A webhook URL must use http or https.', {
      errors: [{ field: 'url', code: 'REQUEST_INVALID', detail: 'Send an absolute http(s) URL.' }],
    });
  const unknown = body.events.filter((e) => e !== '*' && !(e in EVENTS));
  if (unknown.length)
    refuse(
      'REQUEST_INVALID',
      `Unknown event type${unknown.length > 1 ? 's' : ''}: ${unknown.join(', ')}.`,
      {
        errors: unknown.map((e) => ({
          field: 'events',
          code: 'REQUEST_INVALID',
          detail: `${e} is not an event type (docs/events.md lists them).`,
        })),
      },
    );
  const secret = `whsec_${randomBytes(24).toString('hex')}`;
  const webhook = await insertWebhook(deps.db, actor.tenantId, {
    id: deps.ids('whk'),
    url: url.toString(),
    events: [...new Set(body.events)],
    secret,
  });
  return { ...webhook, secret };
}

export const webhooksOf = (deps: Deps, actor: Actor) => listWebhooks(deps.db, actor.tenantId);

export async function removeWebhook(deps: Deps, actor: Actor, id: string): Promise<void> {
  if (!(await deleteWebhook(deps.db, actor.tenantId, id)))
    refuse('NOT_FOUND', `Webhook ${id} does not exist.`);
}

export async function deliveriesOf(
  deps: Deps,
  actor: Actor,
  webhookId: string,
  limit: number,
  beforeSeq?: number,
) {
  if (!(await webhookExists(deps.db, actor.tenantId, webhookId)))
    refuse('NOT_FOUND', `Webhook ${webhookId} does not exist.`);
  return listDeliveries(deps.db, actor.tenantId, webhookId, limit, beforeSeq);
}

export async function replay(deps: Deps, tenantId: string, deliveryId: string): Promise<Delivery> {
  const delivery = await findDelivery(deps.db, tenantId, deliveryId);
  if (!delivery) refuse('NOT_FOUND', `Webhook delivery ${deliveryId} does not exist.`);
  if (delivery.webhookDeleted)
    refuse(
      'WEBHOOK_DELETED',
      `Webhook ${delivery.webhookId} of delivery ${deliveryId} was deleted, so the event cannot be sent to it again.`,
    );
  const { webhookDeleted: _, ...of } = delivery;
  const fresh = await replayDelivery(deps.db, tenantId, of, deps.ids('whd'));
  deps.signals.eventsWritten();
  return fresh;
}

/** `amend replay --dead`: a new delivery for every dead one not replayed yet, of subscriptions not deleted. */
export async function replayDead(deps: Deps, tenantId: string): Promise<Delivery[]> {
  const dead = await deadDeliveries(deps.db, tenantId);
  const out: Delivery[] = [];
  for (const d of dead) out.push(await replay(deps, tenantId, d.id));
  return out;
}
