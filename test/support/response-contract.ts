/**
 * Every answer the tests provoke, checked against /openapi.json: the documented status, media type
 * and schema of its operation. The object is checked before it is serialized (so a field the schema
 * lacks fails here instead of vanishing in fast-json-stringify), and an answer sent as text (an
 * idempotent replay) after. A mismatch fails the request (500) and is listed when the context closes.
 */
import { Ajv, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

type Doc = { paths: Record<string, Record<string, { responses?: Record<string, Response> }>> };
type Response = { content?: Record<string, unknown> };

const pointer = (...parts: string[]) =>
  parts.map((p) => p.replace(/~/g, '~0').replace(/\//g, '~1')).join('/');

/** One Ajv per distinct document in this process: test files build many apps with the same one. */
const checkers = new Map<string, { ajv: Ajv; compiled: Map<string, ValidateFunction> }>();

function checkerFor(doc: Doc) {
  const text = JSON.stringify(doc);
  let checker = checkers.get(text);
  if (!checker) {
    const ajv = new Ajv({ strict: false, allErrors: true, discriminator: true });
    (addFormats as unknown as (a: Ajv) => void)(ajv);
    ajv.addSchema(doc as object, 'openapi.json');
    checker = { ajv, compiled: new Map() };
    checkers.set(text, checker);
  }
  return checker;
}

export class ResponseContract {
  readonly violations: string[] = [];
  private doc: Doc | undefined;
  private readonly checked = new WeakSet<FastifyRequest>();

  constructor(private readonly app: FastifyInstance) {}

  /** Registers the hooks; call before any route is declared (BuildOptions.instrument). */
  install(): void {
    this.app.addHook('preSerialization', async (request, reply, payload) => {
      this.checked.add(request);
      this.check(request, reply, payload);
      return payload;
    });
    this.app.addHook('onSend', async (request, reply, payload) => {
      if (this.checked.has(request) || typeof payload !== 'string') return payload;
      const type = String(reply.getHeader('content-type') ?? '');
      if (!/json/.test(type)) return payload;
      this.check(request, reply, JSON.parse(payload) as unknown);
      return payload;
    });
  }

  private load() {
    this.doc ??= this.app.swagger() as unknown as Doc;
    return { doc: this.doc, ...checkerFor(this.doc) };
  }

  private check(request: FastifyRequest, reply: FastifyReply, payload: unknown): void {
    const route = request.routeOptions.url;
    if (!route) return; // no route matched: the not-found handler's 404
    const path = route.replace(/:(\w+)/g, '{$1}');
    const method = request.method.toLowerCase();
    const { doc, ajv, compiled } = this.load();
    const operation = doc.paths[path]?.[method];
    if (!operation) return; // hidden routes (health, the console, /openapi.json)
    const status = String(reply.statusCode);
    const where = `${request.method} ${route} → ${status}`;
    const documented = operation.responses?.[status];
    if (!documented) {
      const code = (payload as { code?: unknown } | null)?.code;
      const which = typeof code === 'string' ? ` (${code})` : '';
      return this.fail(request, `${where}: status not documented${which}`);
    }
    if (status === '204' || status === '304') return; // no body goes out, whatever was passed
    const type = String(reply.getHeader('content-type') ?? 'application/json').split(';')[0]!;
    if (!documented.content) return this.fail(request, `${where}: documented without a body`);
    if (!documented.content[type])
      return this.fail(
        request,
        `${where}: ${type} not documented (${Object.keys(documented.content)})`,
      );
    const ref = `openapi.json#/${pointer('paths', path, method, 'responses', status, 'content', type, 'schema')}`;
    let validate = compiled.get(ref);
    if (!validate) {
      validate = ajv.compile({ $ref: ref });
      compiled.set(ref, validate);
    }
    if (!validate(payload))
      this.fail(request, `${where}: ${ajv.errorsText(validate.errors, { separator: '; ' })}`);
  }

  private fail(request: FastifyRequest, message: string): void {
    this.violations.push(message);
    request.log.error(message);
    throw new Error(`response contract: ${message}`);
  }
}
