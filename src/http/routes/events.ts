/**
 * GET /v1/events (API.md §5): server-sent events from the outbox. `id:` is the event's id, so
 * `Last-Event-ID` (or `?lastEventId=`, for EventSource's first connection) resumes after that
 * event (`0`: from the start of the kept log); an id this tenant never had is a 400. A `: ping`
 * comment every 15 s keeps proxies open.
 */
import { Type } from '@sinclair/typebox';
import type { Deps } from '../../app/deps.js';
import { refuse } from '../../app/refused-error.js';
import { EventFeed, latestSeq, seqOfEvent } from '../../db/event-feed.js';
import { actorWith } from '../auth.js';
import { problemResponses } from '../schemas/common.js';
import type { AppInstance } from '../types.js';
import { eventEnvelope } from '../../domain/events.js';

const POLL_MS = 250;
const PING_MS = 15_000;

const EventsQuery = Type.Object(
  {
    orderId: Type.Optional(Type.String({ maxLength: 128 })),
    changeId: Type.Optional(Type.String({ maxLength: 128 })),
    mine: Type.Optional(Type.Boolean()),
    requestedBy: Type.Optional(Type.String({ maxLength: 128 })),
    // EventSource cannot send headers; the key may come here instead (never logged: see the logger's redaction).
    access_token: Type.Optional(Type.String({ maxLength: 512 })),
    lastEventId: Type.Optional(Type.String({ minLength: 1, maxLength: 128 })),
  },
  { additionalProperties: false },
);

export async function eventRoutes(app: AppInstance, deps: Deps): Promise<void> {
  // Open streams end when the server closes, so a graceful shutdown does not wait on them forever.
  let closing = false;
  app.addHook('preClose', async () => {
    closing = true;
  });
  app.get(
    '/v1/events',
    {
      schema: {
        tags: ['feedback'],
        summary: 'Server-sent events (text/event-stream); resume with Last-Event-ID',
        querystring: EventsQuery,
        response: {
          200: {
            description:
              'A stream of `id:`, `event:` (the type) and `data:` (the event envelope, docs/events.md)',
            content: { 'text/event-stream': { schema: Type.String() } },
          },
          ...problemResponses(400, 401, 403),
        },
      },
    },
    async (request, reply) => {
      const actor = actorWith(request, 'ORDER_READ');
      const q = request.query;
      const header = request.headers['last-event-id'];
      const resumeAfter = typeof header === 'string' && header !== '' ? header : q.lastEventId;
      let resumeFrom: number | undefined;
      // `0` asks for the whole log that is kept (before the first event), as it did with sequence ids.
      if (resumeAfter === '0') resumeFrom = 0;
      else if (resumeAfter !== undefined) {
        const seq = await seqOfEvent(deps.db, actor.tenantId, resumeAfter);
        if (seq === null)
          refuse(
            'REQUEST_INVALID',
            `Last-Event-ID ${resumeAfter.slice(0, 128)} is no event of yours (events are kept at least 24 h); reconnect without it.`,
          );
        resumeFrom = seq;
      }
      const requestedBy = q.mine ? actor.actorId : q.requestedBy;
      const feed = new EventFeed(
        deps.db,
        actor.tenantId,
        {
          ...(q.orderId ? { orderId: q.orderId } : {}),
          ...(q.changeId ? { changeId: q.changeId } : {}),
          ...(requestedBy ? { requestedBy } : {}),
        },
        resumeFrom ?? (await latestSeq(deps.db, actor.tenantId)),
      );

      reply.hijack();
      const res = reply.raw;
      res.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache',
        connection: 'keep-alive',
        'x-accel-buffering': 'no',
        'x-request-id': String(request.id),
      });
      res.write(': connected\n\n');
      let open = true;
      let lastWrite = Date.now();
      request.raw.on('close', () => {
        open = false;
      });
      while (open && !closing) {
        const mark = deps.signals.mark('events');
        try {
          for (const e of await feed.next()) {
            res.write(
              `id: ${e.id}\nevent: ${e.type}\ndata: ${JSON.stringify(eventEnvelope({ id: e.id, type: e.type, at: e.at, orderId: e.orderId, changeId: e.changeId, data: e.data }))}\n\n`,
            );
            lastWrite = Date.now();
          }
        } catch (err) {
          request.log.error({ err }, 'event stream stopped');
          break;
        }
        if (Date.now() - lastWrite > PING_MS) {
          res.write(': ping\n\n');
          lastWrite = Date.now();
        }
        // A change moved in this process wakes the stream at once; other processes' events arrive by polling.
        await deps.signals.next('events', POLL_MS, mark);
      }
      res.end();
    },
  );
}
