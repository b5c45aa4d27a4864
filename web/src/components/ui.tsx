/** Small shared pieces: states (loading, empty, error), badges, a dialog that keeps focus, the problem box. */
import { useEffect, useRef, useState, type ReactNode } from 'react';
import { ApiError } from '../api';
import { personHint, plain, statusLabel, type Names } from '../format';

export function Loading({ what = 'Loading' }: { what?: string }) {
  return (
    <p className="muted" role="status" aria-live="polite">
      <span className="spinner" aria-hidden="true" /> {what}…
    </p>
  );
}

export function Empty({ children }: { children: ReactNode }) {
  return <p className="empty">{children}</p>;
}

/**
 * A refusal as a person reads it: the catalogue's sentence and what to do, one line per problem, ids
 * made names (`names`); the code stays in a data attribute for support, not in the text.
 */
export function ProblemBox({
  error,
  title,
  names,
}: {
  error: unknown;
  title?: string;
  names?: Names;
}) {
  if (!error) return null;
  if (!(error instanceof ApiError))
    return (
      <div className="alert alert-error" role="alert">
        {title ?? 'Something went wrong'}: Amend could not be reached. Check the connection and try
        again.
      </div>
    );
  const p = error.problem;
  const many = (p.errors ?? []).length > 1;
  const hint = personHint(p.code, p.hint);
  return (
    <div className="alert alert-error" role="alert" data-code={p.code}>
      <strong>{title ?? plain(p.title, names) ?? 'Refused'}</strong>
      {!many && p.detail && (
        <p>{plain(p.code === 'REQUEST_INVALID' ? fieldProblem(p) : p.detail, names)}</p>
      )}
      {many && (
        <ul>
          {p.errors!.map((e, i) => (
            <li key={i} data-code={e.code}>
              {plain(e.detail, names)}
            </li>
          ))}
        </ul>
      )}
      {hint && <p className="hint">What to do: {plain(hint, names)}</p>}
    </div>
  );
}

/** A shape refusal names the field and says what it needs, not JSON schema's words. */
function fieldProblem(p: ApiError['problem']): string {
  const first = p.errors?.[0];
  if (!first?.field) return 'Some fields are not filled in as expected.';
  const field = first.field.replace(/^\/?(body\/)?/, '').replace(/\//g, ' › ');
  return `Check “${field}”: ${/format "date"|pattern/.test(first.detail) ? 'it needs a valid date or value.' : first.detail}`;
}

/** A job's progress: `done` of `total`, read out by its label. */
export function ProgressBar({
  done,
  total,
  label,
}: {
  done: number;
  total: number;
  label: string;
}) {
  const pct = total ? Math.round((done / total) * 100) : 0;
  return (
    <div
      className="progress"
      role="progressbar"
      aria-valuemin={0}
      aria-valuemax={total}
      aria-valuenow={done}
      aria-label={label}
    >
      <span style={{ width: `${pct}%` }} />
    </div>
  );
}

export function StatusBadge({ status }: { status: string }) {
  return (
    <span className={`badge badge-${status.replace(/[^a-z-]/g, '')}`}>{statusLabel(status)}</span>
  );
}

export function useAsync<T>(
  load: () => Promise<T>,
  deps: unknown[],
): { data: T | undefined; error: unknown; loading: boolean; reload: () => void } {
  const [state, setState] = useState<{ data: T | undefined; error: unknown; loading: boolean }>({
    data: undefined,
    error: null,
    loading: true,
  });
  const [tick, setTick] = useState(0);
  useEffect(() => {
    let live = true;
    setState((s) => ({ ...s, loading: true, error: null }));
    load().then(
      (data) => {
        if (live) setState({ data, error: null, loading: false });
      },
      (error) => {
        if (live) setState({ data: undefined, error, loading: false });
      },
    );
    return () => {
      live = false;
    };
  }, [...deps, tick]);
  return { ...state, reload: () => setTick((t) => t + 1) };
}

/** A modal dialog: labelled, focus moves in and comes back, Escape closes. */
export function Dialog({
  title,
  onClose,
  children,
  wide,
  unsaved,
}: {
  title: string;
  onClose: () => void;
  children: ReactNode;
  wide?: boolean;
  /** Edits that closing would lose: Escape, the backdrop and ✕ ask first. */
  unsaved?: boolean;
}) {
  const ref = useRef<HTMLDivElement>(null);
  const [asking, setAsking] = useState(false);
  const unsavedRef = useRef(unsaved);
  unsavedRef.current = unsaved;
  const requestClose = useRef(() => {});
  requestClose.current = () => (unsavedRef.current ? setAsking(true) : close.current());
  // Once per opening: a parent's re-render (a live reload behind the dialog) must not move the focus.
  const close = useRef(onClose);
  close.current = onClose;
  useEffect(() => {
    const before = document.activeElement as HTMLElement | null;
    const first = ref.current?.querySelector<HTMLElement>(
      'input:not([disabled]), select:not([disabled]), textarea:not([disabled]), button:not([disabled])',
    );
    first?.focus();
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') requestClose.current();
      if (e.key === 'Tab' && ref.current) {
        const focusable = [
          ...ref.current.querySelectorAll<HTMLElement>(
            'a[href], input:not([disabled]), select:not([disabled]), textarea:not([disabled]), button:not([disabled])',
          ),
        ];
        const [head, tail] = [focusable[0], focusable[focusable.length - 1]];
        if (e.shiftKey && document.activeElement === head) {
          e.preventDefault();
          tail?.focus();
        } else if (!e.shiftKey && document.activeElement === tail) {
          e.preventDefault();
          head?.focus();
        }
      }
    };
    document.addEventListener('keydown', onKey);
    return () => {
      document.removeEventListener('keydown', onKey);
      before?.focus();
    };
  }, []);
  const id = `dlg-${title.replace(/\W+/g, '-').toLowerCase()}`;
  return (
    <div
      className="backdrop"
      onMouseDown={(e) => {
        if (e.target === e.currentTarget) requestClose.current();
      }}
    >
      <div
        className={`dialog${wide ? ' dialog-wide' : ''}`}
        role="dialog"
        aria-modal="true"
        aria-labelledby={id}
        ref={ref}
      >
        <header className="dialog-head">
          <h2 id={id}>{title}</h2>
          <button
            type="button"
            className="ghost"
            onClick={() => requestClose.current()}
            aria-label="Close"
          >
            ✕
          </button>
        </header>
        {asking && (
          <div className="alert alert-warn confirm" role="alert">
            <strong>Discard your edits?</strong> Closing loses what you changed in this dialog.
            <div className="dialog-actions">
              <button type="button" autoFocus onClick={() => setAsking(false)}>
                Keep editing
              </button>
              <button type="button" className="danger" onClick={onClose}>
                Discard edits
              </button>
            </div>
          </div>
        )}
        {children}
      </div>
    </div>
  );
}

export { valueAt as showAt } from '../format';
