/**
 * The server's log (pino through Fastify): JSON lines with the request id. Secrets never reach it:
 * the Authorization header is redacted, and so is every query parameter whose **decoded** name holds
 * a credential — `?access%5Ftoken=KEY` is `access_token` to the server, so it is to the redaction too.
 */
import type { FastifyServerOptions } from 'fastify';

const SECRET_PARAM = /token|secret|password|api[-_]?key/i;

/** The URL as logged: path as sent, the query parsed and its secrets replaced. */
export function redactedUrl(url: string): string {
  const at = url.indexOf('?');
  if (at < 0) return url;
  const params = new URLSearchParams(url.slice(at + 1));
  let redacted = false;
  for (const name of new Set(params.keys())) {
    if (!SECRET_PARAM.test(name)) continue;
    params.set(name, '[redacted]');
    redacted = true;
  }
  return redacted ? `${url.slice(0, at)}?${params.toString()}` : url;
}

export function loggerOptions(
  level: string,
  stream?: NodeJS.WritableStream,
): Exclude<FastifyServerOptions['logger'], boolean | undefined> {
  return {
    level,
    redact: ['req.headers.authorization', 'req.headers.cookie'],
    serializers: {
      req: (req: { method: string; url: string; hostname?: string; ip?: string }) => ({
        method: req.method,
        url: redactedUrl(req.url),
        host: req.hostname,
        remoteAddress: req.ip,
      }),
    },
    ...(stream ? { stream } : {}),
  };
}
