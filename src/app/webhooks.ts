/** Webhook subscriptions (API.md §5): subscribe to event types, read the delivery log, replay. */
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
import { refusal } from '../domain/errors.js';
import { EVENTS } from '../domain/events.js';
import { newWebhookSecret } from '../integrations/webhook-signature.js';
import { describeRange, hostOf } from '../integrations/webhooks/target-guard.js';
import type { Actor, Deps } from './deps.js';
import { RefusedError, refuse } from './refused-error.js';

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
  await refuseInternalTarget(deps, url);
  const secret = newWebhookSecret();
  const webhook = await insertWebhook(deps.db, actor.tenantId, {
    id: deps.ids('whk'),
    url: url.toString(),
    events: [...new Set(body.events)],
    secret,
  });
  return { ...webhook, secret };
}

/**
 * SSRF (issue 12): a target that is, or resolves to, a loopback, private, link-local or other
 * non-public address is refused unless WEBHOOK_ALLOW_HOSTS lists it. A name that does not resolve yet
 * is accepted: every delivery checks again, and connects only to the address it checked.
 */
async function refuseInternalTarget(deps: Deps, url: URL): Promise<void> {
  const verdict = await deps.webhookGuard.check(url);
  if (verdict.ok || verdict.reason !== 'blocked') return;
  const host = hostOf(url);
  const what = `${verdict.literal ? `${host} is` : `${host} resolves to`} ${describeRange(verdict.range)}`;
  throw new RefusedError([
    refusal('WEBHOOK_TARGET_FORBIDDEN', `${what}; webhooks are sent to public addresses only.`, {
      field: 'url',
      meta: { range: verdict.range },
    }),
  ]);
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
export async function replayDead(
  deps: Deps,
  tenantId: string,
  onProgress?: (done: number, total: number) => void,
): Promise<Delivery[]> {
  const dead = await deadDeliveries(deps.db, tenantId);
  const out: Delivery[] = [];
  for (const d of dead) {
    out.push(await replay(deps, tenantId, d.id));
    onProgress?.(out.length, dead.length);
  }
  return out;
}
