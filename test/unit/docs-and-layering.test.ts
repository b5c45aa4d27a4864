import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderErrorDocs } from '../../scripts/error-docs.js';

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

describe('src/domain', () => {
  it('imports nothing from the outer layers and does no I/O', () => {
    const offenders = filesUnder(join(root, 'src/domain')).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
      .flatMap((file) => {
        const text = readFileSync(file, 'utf8');
        const imports = [...text.matchAll(/from '([^']+)'/g)].map((m) => m[1] as string);
        const bad = imports.filter((i) => i.startsWith('node:') || i.includes('/app/') || i.includes('/db/') || i.includes('/http/')
          || i.startsWith('../app') || i.startsWith('../db') || i.startsWith('../http') || ['pg', 'kysely', 'fastify', '@electric-sql/pglite'].includes(i));
        const clock = /Date\.now\(\)|new Date\(\)|Math\.random\(\)/.test(text) ? ['clock or randomness'] : [];
        return [...bad, ...clock].map((b) => `${file}: ${b}`);
      });
    expect(offenders).toEqual([]);
  });
});
