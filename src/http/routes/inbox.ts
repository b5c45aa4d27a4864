/** The caller's inbox (API.md §5): every final outcome of their changes, to read and acknowledge. */
import { Type } from '@sinclair/typebox';
import type { Deps } from '../../app/deps.js';
import { refuse } from '../../app/refused-error.js';
import { acknowledge, countUnacknowledgedRejections, listInbox } from '../../db/inbox.js';
import { actorWith } from '../auth.js';
import { IdParams, PageQuery, problemResponses } from '../schemas/common.js';
import { decodeCursor, encodeCursor, SeqCursorShape } from '../schemas/cursor.js';
import { InboxEntry, InboxPage } from '../schemas/operations-view.js';
import type { AppInstance } from '../types.js';

const APPS = Type.String({ pattern: '^[a-z0-9-]+(,[a-z0-9-]+)*$' });
const InboxQuery = Type.Object(
  {
    ...PageQuery,
    unacknowledged: Type.Optional(Type.Boolean()),
    app: Type.Optional({ ...APPS, description: 'only outcomes of changes these apps asked for' }),
    excludeApp: Type.Optional({ ...APPS, description: 'all outcomes but those of these apps' }),
  },
  { additionalProperties: false },
);
const list = (v: string | undefined) => (v ? v.split(',') : undefined);

export async function inboxRoutes(app: AppInstance, deps: Deps): Promise<void> {
  app.get(
    '/v1/inbox',
    {
      schema: {
        tags: ['feedback'],
        summary: 'The outcomes of my changes, newest first (unacknowledged=true: still to see)',
        querystring: InboxQuery,
        response: { 200: Type.Ref(InboxPage), ...problemResponses(400, 401, 403) },
      },
    },
    async (request) => {
      const actor = actorWith(request, 'ORDER_READ');
      const { limit = 50, cursor, unacknowledged, app: apps, excludeApp } = request.query;
      const after = decodeCursor(cursor, SeqCursorShape);
      const page = await listInbox(deps.db, actor.tenantId, actor.actorId, {
        limit,
        ...(unacknowledged !== undefined ? { unacknowledged } : {}),
        ...(after ? { beforeSeq: after.s } : {}),
        ...(apps ? { app: list(apps) } : {}),
        ...(excludeApp ? { excludeApp: list(excludeApp) } : {}),
      });
      const unacknowledgedRejections = await countUnacknowledgedRejections(
        deps.db,
        actor.tenantId,
        actor.actorId,
      );
      return {
        items: page.items,
        nextCursor: page.nextSeq === null ? null : encodeCursor({ s: page.nextSeq }),
        unacknowledgedRejections,
      };
    },
  );

  app.post(
    '/v1/inbox/:id/ack',
    {
      schema: {
        tags: ['feedback'],
        summary: 'Acknowledge an outcome (idempotent)',
        params: IdParams,
        response: { 200: Type.Ref(InboxEntry), ...problemResponses(401, 403, 404) },
      },
    },
    async (request) => {
      const actor = actorWith(request, 'ORDER_READ');
      const entry = await acknowledge(deps.db, actor.tenantId, actor.actorId, request.params.id);
      if (!entry) refuse('NOT_FOUND', `You have no inbox entry ${request.params.id}.`);
      return entry;
    },
  );
}
