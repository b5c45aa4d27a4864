import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderErrorDocs } from '../../scripts/error-docs.js';
import { renderEventDocs } from '../../scripts/event-docs.js';
import { CATALOGUE } from '../../src/domain/errors.js';
import { EVENTS } from '../../src/domain/events.js';
import { PERMISSIONS } from '../../src/domain/permissions.js';

const root = new URL('../../', import.meta.url).pathname;

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

describe('docs/errors.md', () => {
  it('is what the catalogue generates (run `npm run docs:errors` when this fails)', () => {
    expect(readFileSync(join(root, 'docs/errors.md'), 'utf8')).toBe(renderErrorDocs());
  });
});

describe('docs/events.md', () => {
  it('is what the event list generates (run `npm run docs:events` when this fails)', () => {
    expect(readFileSync(join(root, 'docs/events.md'), 'utf8')).toBe(renderEventDocs());
  });

  it('lists every event type the code writes', () => {
    const written = ['src/app', 'src/worker']
      .flatMap((d) => filesUnder(join(root, d)))
      .flatMap((f) =>
        [...readFileSync(f, 'utf8').matchAll(/'([A-Z][A-Z_]+)'/g)].map((m) => m[1] as string),
      )
      .filter(
        (t) =>
          /^(ORDER|PICK_JOB|LABEL|CHANGE|TASK|PAYMENT)_[A-Z]/.test(t) &&
          !(t in CATALOGUE) &&
          !(PERMISSIONS as readonly string[]).includes(t),
      );
    expect([...new Set(written)].filter((t) => !(t in EVENTS))).toEqual([]);
  });
});

describe('src/domain', () => {
  it('imports nothing from the outer layers and does no I/O', () => {
    const offenders = filesUnder(join(root, 'src/domain'))
      .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
      .flatMap((file) => {
        const text = readFileSync(file, 'utf8');
        const imports = [...text.matchAll(/from '([^']+)'/g)].map((m) => m[1] as string);
        const bad = imports.filter(
          (i) =>
            i.startsWith('node:') ||
            i.includes('/app/') ||
            i.includes('/db/') ||
            i.includes('/http/') ||
            i.startsWith('../app') ||
            i.startsWith('../db') ||
            i.startsWith('../http') ||
            ['pg', 'kysely', 'fastify', '@electric-sql/pglite'].includes(i),
        );
        const clock = /Date\.now\(\)|new Date\(\)|Math\.random\(\)/.test(text)
          ? ['clock or randomness']
          : [];
        return [...bad, ...clock].map((b) => `${file}: ${b}`);
      });
    expect(offenders).toEqual([]);
  });
});

/** Which layers each folder may not import from (STYLE.md: dependencies point one way). */
const FORBIDDEN: Record<string, string[]> = {
  db: ['app', 'http', 'worker', 'cli', 'integrations', 'seed'],
  integrations: ['app', 'http', 'worker', 'cli', 'seed'],
  app: ['http', 'worker', 'cli', 'seed'],
  worker: ['http', 'cli', 'seed'],
  http: ['worker', 'cli', 'seed'],
  seed: ['http', 'cli'],
};

const sources = (dir: string) =>
  filesUnder(join(root, 'src', dir)).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'));

describe('the layers', () => {
  it.each(Object.entries(FORBIDDEN))('src/%s imports none of %j', (dir, forbidden) => {
    const offenders = sources(dir).flatMap((file) =>
      [...readFileSync(file, 'utf8').matchAll(/from '(\.\.?\/[^']+)'/g)]
        .map((m) => join(file, '..', m[1] as string))
        .filter((target) =>
          forbidden.some((layer) => target.startsWith(join(root, 'src', layer) + '/')),
        )
        .map((target) => `${file} → ${target}`),
    );
    expect(offenders).toEqual([]);
  });

  it('writes no query outside src/db (use cases, routes, workers and the CLI call src/db)', () => {
    const query = /\.(selectFrom|insertInto|updateTable|deleteFrom|forUpdate)\(|\bsql`/;
    const offenders = ['app', 'http', 'worker', 'cli'].flatMap((dir) =>
      sources(dir).filter((file) => query.test(readFileSync(file, 'utf8'))),
    );
    expect(offenders).toEqual([]);
  });
});
