/**
 * An operationId for every documented route that names none, derived from method and path
 * (POST /v1/orders/:id/changes/preview → postOrdersByIdChangesPreview): stable as long as the path
 * is, unique because method and path are, and what client generators name their methods after.
 */
import type { RouteOptions } from 'fastify';

const pascal = (text: string) =>
  text
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w[0]!.toUpperCase() + w.slice(1))
    .join('');

export function operationIdOf(method: string, url: string): string {
  const segments = url
    .replace(/^\/v1\//, '/')
    .split('/')
    .filter(Boolean)
    .map((s) => (s.startsWith(':') ? `By${pascal(s.slice(1))}` : pascal(s)));
  return `${method.toLowerCase()}${segments.join('')}`;
}

/** An onRoute hook. */
export function addOperationId(route: RouteOptions): void {
  const schema = route.schema as Record<string, unknown> | undefined;
  if (!schema || schema.hide || schema.operationId) return;
  const method = ([] as string[]).concat(route.method)[0] ?? 'get';
  schema.operationId = operationIdOf(method, route.url);
}
