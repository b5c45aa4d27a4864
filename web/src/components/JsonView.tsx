/** A JSON value as an indented tree, the fields at `marks` (body paths such as lines[0].sku) highlighted. */
import type { ReactNode } from 'react';

const childPath = (path: string, key: string | number) =>
  typeof key === 'number' ? `${path}[${key}]` : path ? `${path}.${key}` : key;

function render(value: unknown, path: string, marks: Set<string>, depth: number): ReactNode {
  if (value === null || typeof value !== 'object')
    return (
      <span className={`json-${value === null ? 'null' : typeof value}`}>
        {JSON.stringify(value)}
      </span>
    );
  const entries: [string | number, unknown][] = Array.isArray(value)
    ? value.map((v, i) => [i, v])
    : Object.entries(value as Record<string, unknown>);
  const [open, close] = Array.isArray(value) ? ['[', ']'] : ['{', '}'];
  if (entries.length === 0) return `${open}${close}`;
  return (
    <>
      {open}
      {entries.map(([k, v]) => {
        const p = childPath(path, k);
        const marked = marks.has(p);
        return (
          <div
            key={String(k)}
            className={`json-row${marked ? ' json-marked' : ''}`}
            style={{ paddingLeft: `${depth ? 1 : 0.2}rem` }}
          >
            {marked && <span className="sr-only">failing field: </span>}
            {typeof k === 'string' && <span className="json-key">{JSON.stringify(k)}: </span>}
            {render(v, p, marks, depth + 1)}
          </div>
        );
      })}
      {close}
    </>
  );
}

export function JsonView({
  value,
  marks = [],
  label,
}: {
  value: unknown;
  marks?: string[];
  label: string;
}) {
  // A mark on a field that is missing altogether is shown on the nearest path that exists.
  return (
    <pre className="json" aria-label={label} tabIndex={0}>
      {value === null || value === undefined ? (
        <span className="muted">— nothing could be read —</span>
      ) : (
        render(value, '', new Set(marks), 0)
      )}
    </pre>
  );
}
