import { describe, expect, it } from 'vitest';
import { cachedSerializerFactory } from '../../src/http/serializers.js';

describe('response serializers', () => {
  const factory = cachedSerializerFactory({}, {});

  it('writes a Change and a preview as built (JSON.stringify), whatever their shapes', () => {
    const change = { id: 'chg_1', plan: { effects: [{ type: 'REROUTE', extra: 1 }] } };
    for (const $ref of ['Change', 'ChangePreview', 'Change#'])
      expect(factory({ schema: { $ref } })(change)).toBe(JSON.stringify(change));
  });

  it('compiles every other schema with fast-json-stringify, which keeps only what it documents', () => {
    const schema = { type: 'object', properties: { id: { type: 'string' } } };
    const serialize = factory({ schema });
    expect(serialize({ id: 'x', secret: 'y' })).toBe('{"id":"x"}');
    expect(factory({ schema: { ...schema } })).toBe(serialize);
  });
});
