/** Renders docs/errors.md from the catalogue (src/domain/errors.ts); a test fails when the file is stale. */
import {
  CATALOGUE,
  VTEX_FACADE_UNREACHABLE,
  VTEX_NOT_APPLICABLE,
  type CatalogueEntry,
} from '../src/domain/errors.js';

const cell = (text: string) => text.replace(/\|/g, '\\|');

export function renderErrorDocs(): string {
  const entries = Object.entries(CATALOGUE) as [string, CatalogueEntry][];
  const lines = [
    '# Error codes',
    '',
    '<!-- Generated from src/domain/errors.ts by `npm run docs:errors`. Do not edit by hand. -->',
    '',
    'Every error Amend answers is `application/problem+json` with a stable `code` (never renamed).',
    "`status` is the HTTP status; **outcome** codes appear only in a change's `outcome`, the inbox and events.",
    '',
    '| code | status | what it means | what to do next | VTEX |',
    '|---|---|---|---|---|',
    ...entries.map(
      ([code, e]) =>
        `| \`${code}\` | ${e.status} | ${cell(e.title)} | ${cell(e.hint)} | ${e.vtex ?? ''} |`,
    ),
    '',
    "The VTEX facade (docs/vtex.md) answers the VTEX code of the column, with VTEX's message, in",
    "VTEX's envelope `{ error: { code, message, exception: null, amend } }`; other codes answer as themselves.",
    '',
    '## VTEX codes with no Amend case',
    '',
    '| VTEX code | why not applicable |',
    '|---|---|',
    ...Object.entries(VTEX_NOT_APPLICABLE).map(([code, why]) => `| ${code} | ${cell(why)} |`),
    '',
    '## VTEX codes the facade cannot meet',
    '',
    "Mapped above, but no VTEX Change v1/v2 request can cause them; Amend's own API answers them.",
    '',
    '| VTEX code | why |',
    '|---|---|',
    ...Object.entries(VTEX_FACADE_UNREACHABLE).map(([code, why]) => `| ${code} | ${cell(why)} |`),
    '',
  ];
  return lines.join('\n');
}
