/**
 * Named prepared statements for the statements every change sends (the load, the commit, the
 * worker's claim): PostgreSQL plans such a statement once per connection instead of on every call.
 * Planning the order load alone cost about 2 ms of database CPU per change, more than running it
 * (docs/benchmark.md). A statement opts in with PREPARED at its start; its text (and so its name)
 * must not vary with the values, which travel as parameters. PGlite ignores the mark.
 */
import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import pg from 'pg';

export const PREPARED_MARK = '/* prepared */';
/** Put first in a statement (whitespace may come before it): `sql\`${PREPARED}SELECT …\``. */
export const PREPARED = sql.raw(`${PREPARED_MARK} `);
const MARKED = /^\s*\/\* prepared \*\//;

/** Distinct marked texts are few (one per call site and variant); past this, a bug: stop naming. */
const MAX_NAMES = 500;
const names = new Map<string, string>();

function statementName(text: string): string | undefined {
  let name = names.get(text);
  if (name === undefined && names.size < MAX_NAMES) {
    name = `amend_${createHash('sha1').update(text).digest('hex').slice(0, 24)}`;
    names.set(text, name);
  }
  return name;
}

/** A pg client that sends marked statements as named ones (parsed and planned once per connection). */
export class PreparingClient extends pg.Client {}

const query = pg.Client.prototype.query as (this: pg.Client, ...args: unknown[]) => unknown;
// Assigned, not overridden in the class: pg's overloaded signature cannot be restated in a method.
PreparingClient.prototype.query = function (this: pg.Client, ...args: unknown[]) {
  const [text, values] = args;
  if (typeof text === 'string' && MARKED.test(text) && Array.isArray(values)) {
    const name = statementName(text);
    if (name) return query.call(this, { name, text, values });
  }
  return query.apply(this, args);
} as pg.Client['query'];
