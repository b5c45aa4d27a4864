/**
 * docs/openapi.json is what the server serves, and web/src/api/schema.d.ts is what openapi-typescript
 * generates from it: `npm run gen:client` refreshes both; `npm run check` lints the document (Redocly).
 */
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  CLIENT_TYPES_PATH,
  DOCUMENT_PATH,
  renderClientTypes,
  renderDocument,
  servedDocument,
} from '../../scripts/openapi-docs.js';

type Operation = { operationId?: string; responses?: Record<string, unknown> };

describe('the OpenAPI document', () => {
  let served: { paths: Record<string, Record<string, Operation>>; components: { schemas: object } };
  beforeAll(async () => {
    served = (await servedDocument()) as typeof served;
  }, 120_000);

  it('docs/openapi.json is what the server serves (run npm run gen:client)', async () => {
    expect(readFileSync(DOCUMENT_PATH, 'utf8')).toBe(await renderDocument(served));
  });

  it('web/src/api/schema.d.ts is generated from it (run npm run gen:client)', async () => {
    expect(readFileSync(CLIENT_TYPES_PATH, 'utf8')).toBe(await renderClientTypes(served));
  }, 60_000);

  it('gives every operation an operationId, a 2xx answer and its problem answers', () => {
    const operations = Object.entries(served.paths).flatMap(([path, ops]) =>
      Object.entries(ops).map(([method, op]) => ({ at: `${method} ${path}`, op })),
    );
    expect(operations.length).toBeGreaterThan(70);
    const lacking = operations.filter(({ op }) => {
      const statuses = Object.keys(op.responses ?? {});
      return !op.operationId || !statuses.some((s) => /^2/.test(s)) || !statuses.includes('500');
    });
    expect(lacking.map((o) => o.at)).toEqual([]);
    expect(Object.keys(served.components.schemas)).toEqual(
      expect.arrayContaining(['Order', 'Change', 'ChangePreview', 'Problem', 'VtexError']),
    );
  });
});
