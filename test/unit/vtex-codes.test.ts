import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  CATALOGUE,
  VTEX_FACADE_UNREACHABLE,
  VTEX_NOT_APPLICABLE,
  type CatalogueEntry,
  type ErrorCode,
} from '../../src/domain/errors.js';
import { VTEX_MESSAGE_CODES } from '../../src/domain/vtex/errors.js';

/** Every code of VTEX's order-change error tables (seed 003's v2 table, seed 004). */
const SEED_CODES = [
  ...['CHK0022', 'CHK0023', 'CHK0034', 'CHK0095', 'CHK0096', 'CHK0098', 'CHK0124', 'CHK0196'],
  ...['CHK0199', 'CHK0201', 'CHK0229', 'CHK0289', 'CHK00342'],
  ...['010', '011', '012', '013', '015', '017', '018', '026', '035', '045', '046', '047', '048']
    .concat(['051', '055'])
    .map((n) => `SalesOrderSystem${n}`),
];

const mapped = new Map(
  (Object.entries(CATALOGUE) as [ErrorCode, CatalogueEntry][])
    .filter(([, e]) => e.vtex)
    .map(([code, e]) => [e.vtex as string, code]),
);

const root = new URL('../../', import.meta.url).pathname;
const facadeTests = readdirSync(join(root, 'test/integration'))
  .filter((f) => f.startsWith('vtex-'))
  .map((f) => readFileSync(join(root, 'test/integration', f), 'utf8'))
  .join('\n');

describe("VTEX's error codes", () => {
  it.each(SEED_CODES)('%s is mapped to an Amend code or listed as not applicable', (code) => {
    expect(mapped.has(code) !== code in VTEX_NOT_APPLICABLE, code).toBe(true);
  });

  it.each([...mapped.keys()].filter((c) => !(c in VTEX_FACADE_UNREACHABLE)))(
    '%s is provoked through the facade by a test',
    (code) => {
      expect(facadeTests.includes(`'${code}'`), `no facade test names '${code}'`).toBe(true);
    },
  );

  it("has VTEX's message for every Amend code with a VTEX code", () => {
    expect([...mapped.values()].filter((c) => !VTEX_MESSAGE_CODES.includes(c))).toEqual([]);
  });
});
