/** Small shared pieces: states (loading, empty, error), badges, a dialog that keeps focus, the problem box. */
import { useEffect, useRef, useState, type ReactNode } from 'react';
import { ApiError, money } from '../api';

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

/** A refusal as the server put it: code, sentence, what to do next, one line per problem. */
export function ProblemBox({ error, title }: { error: unknown; title?: string }) {
  if (!error) return null;
  if (!(error instanceof ApiError))
    return (
      <div className="alert alert-error" role="alert">
        {title ?? 'Something went wrong'}: {String((error as Error).message ?? error)}
      </div>
    );
  const p = error.problem;
  const many = (p.errors ?? []).length > 1;
  return (
    <div className="alert alert-error" role="alert">
      <strong>{title ?? p.title ?? 'Refused'}</strong> <code className="code">{p.code}</code>
      {!many && p.detail && <p>{p.detail}</p>}
      {many && (
        <ul>
          {p.errors!.map((e, i) => (
            <li key={i}>
              <code className="code">{e.code}</code> {e.detail}
            </li>
          ))}
        </ul>
      )}
      {p.hint && <p className="hint">What to do: {p.hint}</p>}
    </div>
  );
}

export function StatusBadge({ status }: { status: string }) {
  return <span className={`badge badge-${status.replace(/[^a-z-]/g, '')}`}>{status}</span>;
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
}: {
  title: string;
  onClose: () => void;
  children: ReactNode;
  wide?: boolean;
}) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const before = document.activeElement as HTMLElement | null;
    const first = ref.current?.querySelector<HTMLElement>(
      'input:not([disabled]), select:not([disabled]), textarea:not([disabled]), button:not([disabled])',
    );
    first?.focus();
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') onClose();
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
  }, [onClose]);
  const id = `dlg-${title.replace(/\W+/g, '-').toLowerCase()}`;
  return (
    <div
      className="backdrop"
      onMouseDown={(e) => {
        if (e.target === e.currentTarget) onClose();
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
          <button type="button" className="ghost" onClick={onClose} aria-label="Close">
            ✕
          </button>
        </header>
        {children}
      </div>
    </div>
  );
}

export const show = (v: unknown): string => {
  if (v === null || v === undefined) return '—';
  if (typeof v === 'object')
    return Object.entries(v as Record<string, unknown>)
      .filter(([k]) => k !== 'location')
      .map(([k, x]) => `${k}: ${typeof x === 'object' ? JSON.stringify(x) : String(x)}`)
      .join(', ');
  return String(v);
};

/** Audit and plan paths that hold money (minor units) read as money; everything else as it is. */
const MONEY_PATH =
  /(\.(authorized|captured|refunded|unitPrice|discount)|^adjustments\.(discount|increment)|^shippingTotal)$/;
export const showAt = (path: string, value: unknown, currency: string): string =>
  typeof value === 'number' && MONEY_PATH.test(path) ? money(value, currency) : show(value);
