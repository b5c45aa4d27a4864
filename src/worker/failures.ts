/**
 * Which failures go away by themselves. A lost connection, a server shutting down, a serialization
 * failure or a deadlock: the change is taken again when its lease runs out. Anything else (a value out
 * of range, a broken constraint, a bug) would fail the same way at every lease, blocking the order's
 * queue for ever: the change fails at once instead, and its money goes back.
 */
const TRANSIENT_SQLSTATE_CLASSES = ['08', '40', '53', '55', '57', '58'];
const TRANSIENT_NODE_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

export function isTransient(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code === 'string') {
    if (TRANSIENT_NODE_CODES.has(code)) return true;
    if (/^[0-9A-Z]{5}$/.test(code)) return TRANSIENT_SQLSTATE_CLASSES.includes(code.slice(0, 2));
  }
  const message = String((err as Error | null)?.message ?? '');
  return /Connection terminated|connection (is )?closed|timeout exceeded when trying to connect|Client has encountered a connection error|PGlite is closed/i.test(
    message,
  );
}
