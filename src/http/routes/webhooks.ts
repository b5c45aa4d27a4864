/** Webhook subscriptions, their delivery log and replay (API.md §5). */
import { Type } from '@sinclair/typebox';
import type { Deps } from '../../app/deps.js';
import * as webhooks from '../../app/webhooks.js';
import { actorWith } from '../auth.js';
import { IdParams, problemResponses } from '../schemas/common.js';
import { decodeCursor, encodeCursor, Seq } from '../schemas/cursor.js';
import { WebhookDeliveryPage, WebhookPage } from '../schemas/components.js';
import { WebhookCreated, WebhookDelivery } from '../schemas/operations-view.js';
import type { AppInstance } from '../types.js';

const tags = ['webhooks'];
const WebhookBody = Type.Object(
  {
    url: Type.String({ minLength: 1, maxLength: 2000 }),
    events: Type.Array(Type.String({ minLength: 1, maxLength: 64 }), {
      minItems: 1,
      maxItems: 100,
      description: 'event types (docs/events.md), or ["*"]',
    }),
  },
  { additionalProperties: false },
);
const DeliveriesQuery = Type.Object(
  {
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })),
    cursor: Type.Optional(Type.String({ maxLength: 200 })),
  },
  { additionalProperties: false },
);

export async function webhookRoutes(app: AppInstance, deps: Deps): Promise<void> {
  app.post(
    '/v1/webhooks',
    {
      config: { idempotent: true },
      schema: {
        tags,
        summary: 'Subscribe a URL to event types; the signing secret is shown only here',
        body: WebhookBody,
        response: { 201: Type.Ref(WebhookCreated), ...problemResponses(400, 401, 403, 422) },
      },
    },
    async (request, reply) => {
      const actor = actorWith(request, 'WEBHOOK_WRITE');
      return reply.code(201).send(await webhooks.createWebhook(deps, actor, request.body));
    },
  );

  app.get(
    '/v1/webhooks',
    {
      schema: {
        tags,
        summary: 'The subscriptions (without secrets)',
        response: { 200: Type.Ref(WebhookPage), ...problemResponses(401, 403) },
      },
    },
    async (request) => {
      const actor = actorWith(request, 'WEBHOOK_WRITE');
      return { items: await webhooks.webhooksOf(deps, actor), nextCursor: null };
    },
  );

  app.delete(
    '/v1/webhooks/:id',
    {
      schema: {
        tags,
        summary: 'Unsubscribe: no new deliveries; pending ones end dead',
        params: IdParams,
        response: {
          204: { type: 'null', description: 'Deleted' },
          ...problemResponses(401, 403, 404),
        },
      },
    },
    async (request, reply) => {
      const actor = actorWith(request, 'WEBHOOK_WRITE');
      await webhooks.removeWebhook(deps, actor, request.params.id);
      return reply.code(204).send();
    },
  );

  app.get(
    '/v1/webhooks/:id/deliveries',
    {
      schema: {
        tags,
        summary: 'The delivery log, newest first',
        params: IdParams,
        querystring: DeliveriesQuery,
        response: { 200: Type.Ref(WebhookDeliveryPage), ...problemResponses(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const actor = actorWith(request, 'WEBHOOK_WRITE');
      const before = decodeCursor(request.query.cursor, Seq);
      const page = await webhooks.deliveriesOf(
        deps,
        actor,
        request.params.id,
        request.query.limit ?? 50,
        before,
      );
      return {
        items: page.items,
        nextCursor: page.lastSeq === null ? null : encodeCursor(page.lastSeq),
      };
    },
  );

  app.post(
    '/v1/webhook-deliveries/:id/replay',
    {
      config: { idempotent: true },
      schema: {
        tags,
        summary: 'Deliver the same event again (same event id) as a new delivery',
        params: IdParams,
        response: { 202: Type.Ref(WebhookDelivery), ...problemResponses(401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      const actor = actorWith(request, 'WEBHOOK_WRITE');
      return reply.code(202).send(await webhooks.replay(deps, actor.tenantId, request.params.id));
    },
  );
}
