/**
 * The measurement of issue 14 point 5: false rejects (a valid order refused) and false accepts
 * (an invalid one let through, or refused with another code) per profile, over the labelled corpus.
 */
import { describe, expect, it } from 'vitest';
import {
  CORPUS,
  CORPUS_VALIDATION,
  type CorpusEntry,
} from '../../../test/fixtures/intake/corpus.js';
import { effectiveValidation, validateIntake, type ProfileName } from './profile.js';
import { adaptPayload } from './source.js';
import { PRODUCTS, SKU_MAP } from './test-catalogue.js';

const SKU_MAP_WITH_VARIANT = { ...SKU_MAP, '44120983470017': 'PEAR' };

function judge(entry: CorpusEntry, profile: ProfileName): string {
  const adapted = adaptPayload(entry.kind, entry.payload, {
    channel: entry.kind,
    shapeIssues: () => [],
  });
  if (!adapted.ok) return adapted.refusals[0]?.code ?? 'REFUSED';
  const settings = effectiveValidation({ ...CORPUS_VALIDATION, profile });
  const result = validateIntake(adapted.value, settings, {
    skuMap: SKU_MAP_WITH_VARIANT,
    products: PRODUCTS,
    canonical: false,
    now: '2026-12-01T10:00:00Z',
  });
  return result.ok ? 'import' : (result.refusals[0]?.code ?? 'REFUSED');
}

export function measure(profile: ProfileName) {
  const rows = CORPUS.map((entry) => ({ entry, got: judge(entry, profile) }));
  const valid = rows.filter((r) => r.entry.expect === 'import');
  const invalid = rows.filter((r) => r.entry.expect !== 'import');
  return {
    falseRejects: valid.filter((r) => r.got !== 'import').map((r) => `${r.entry.name}: ${r.got}`),
    falseAccepts: invalid.filter((r) => r.got === 'import').map((r) => r.entry.name),
    wrongCode: invalid
      .filter((r) => r.got !== 'import' && r.got !== r.entry.expect)
      .map((r) => `${r.entry.name}: ${r.got}`),
    valid: valid.length,
    invalid: invalid.length,
  };
}

describe('the labelled intake corpus', () => {
  it('has at least 40 payloads of both channels, valid and invalid ones', () => {
    expect(CORPUS.length).toBeGreaterThanOrEqual(40);
    for (const kind of ['vtex', 'shopify'])
      for (const valid of [true, false])
        expect(CORPUS.some((e) => e.kind === kind && (e.expect === 'import') === valid)).toBe(true);
  });

  it('lenient imports every messy-but-valid order and refuses every invalid one with its code', () => {
    const m = measure('lenient');
    console.log(
      `lenient: ${m.falseRejects.length}/${m.valid} false rejects, ${m.falseAccepts.length}/${m.invalid} false accepts`,
    );
    expect(m).toMatchObject({ falseRejects: [], falseAccepts: [], wrongCode: [] });
  });

  it('strict lets nothing invalid through but rejects the messy-but-valid orders lenient repairs', () => {
    const m = measure('strict');
    console.log(
      `strict: ${m.falseRejects.length}/${m.valid} false rejects, ${m.falseAccepts.length}/${m.invalid} false accepts`,
    );
    console.log(m.falseRejects.join('\n'));
    expect(m.falseAccepts).toEqual([]);
    expect(m.falseRejects.length).toBeGreaterThan(0);
  });
});
