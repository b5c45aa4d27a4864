/**
 * One webhook attempt over node:http(s), connected to the address the guard checked (no second DNS
 * resolution, no redirects followed). What it answers is safe to show the subscriber: a refused or
 * failed attempt never names an internal address, port or error text of the network.
 */
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { pinnedLookup, type TargetGuard } from './target-guard.js';

export type AttemptResult =
  | { kind: 'answered'; status: number }
  | { kind: 'refused'; detail: string }
  | { kind: 'timeout' }
  | { kind: 'unreachable'; code: string };

export interface WebhookPost {
  url: string;
  headers: Record<string, string>;
  body: string;
  timeoutMs: number;
  guard: TargetGuard;
}

export async function postWebhook(post: WebhookPost): Promise<AttemptResult> {
  const url = new URL(post.url);
  const verdict = await post.guard.check(url);
  if (!verdict.ok)
    return {
      kind: 'refused',
      detail:
        verdict.reason === 'unresolvable'
          ? "The receiver's host name could not be resolved."
          : "Not sent: the receiver's address is not a public one (docs/webhooks.md, WEBHOOK_ALLOW_HOSTS).",
    };
  const target = verdict.addresses[0] as (typeof verdict.addresses)[number];
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise<AttemptResult>((resolve) => {
    const req = send(
      url,
      {
        method: 'POST',
        lookup: pinnedLookup(target),
        headers: { ...post.headers, 'content-length': String(Buffer.byteLength(post.body)) },
        signal: AbortSignal.timeout(post.timeoutMs),
      },
      (res: IncomingMessage) => {
        res.resume(); // the body is not read; let it drain
        resolve({ kind: 'answered', status: res.statusCode ?? 0 });
      },
    );
    req.on('error', (err: Error & { code?: string }) => {
      if (err.name === 'TimeoutError' || err.name === 'AbortError') resolve({ kind: 'timeout' });
      else resolve({ kind: 'unreachable', code: err.code ?? 'ERROR' });
    });
    req.end(post.body);
  });
}
