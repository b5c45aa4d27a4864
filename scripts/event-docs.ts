/** Renders docs/events.md from the event list (src/domain/events.ts); a test fails when it is stale. */
import { EVENTS } from '../src/domain/events.js';

export function renderEventDocs(): string {
  return [
    '# Events',
    '',
    '<!-- Generated from src/domain/events.ts by `npm run docs:events`. Do not edit by hand. -->',
    '',
    'Every event is written to the transactional outbox in the same transaction as the state it announces:',
    '`{ id, type, orderId, changeId?, data }`. Delivery (webhooks, server-sent events, NATS) builds on the outbox.',
    "`ORDER_CANCELLED` / `ORDER_FORCE_CANCELLED` keep fulfillmenttools' spelling on purpose.",
    '',
    '| type | when | data |',
    '|---|---|---|',
    ...Object.entries(EVENTS).map(
      ([type, e]) => `| \`${type}\` | ${e.when} | ${e.data.replace(/\|/g, '\\|')} |`,
    ),
    '',
  ].join('\n');
}
