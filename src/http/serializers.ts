/**
 * Fastify compiles a fast-json-stringify serializer per route, status and media type; with every
 * answer documented that is some 800 compilations of the same few schemas (each problem answer is
 * `$ref: Problem`). This factory compiles each distinct schema once per process and hands the same
 * serializer to every route that answers it.
 *
 * The Change and its preview are written with JSON.stringify: their schemas choose one of many shapes
 * per operation, effect and plan line, and fast-json-stringify picks each branch by running Ajv on the
 * value (0.25 ms per apply, a tenth of the server's CPU for it). The domain builds them to the schema,
 * and every answer the tests provoke is checked against it before it is written
 * (test/support/response-contract.ts), so nothing is left for the serializer to strip or coerce.
 */
import fastJsonStringify from 'fast-json-stringify';

type Serialize = (data: unknown) => string;
type External = Record<string, unknown>;

const compiled = new Map<string, Serialize>();
const AS_BUILT = new Set(['Change', 'ChangePreview']);
const asBuilt: Serialize = (data) => JSON.stringify(data);

export function cachedSerializerFactory(externals?: unknown, serializerOptions?: unknown) {
  const externalSchemas = (externals ?? {}) as External;
  const options = (serializerOptions ?? {}) as object;
  const known = Object.keys(externalSchemas).sort().join(',');
  return (route: { schema?: unknown }): Serialize => {
    const schema = (route.schema ?? {}) as { $id?: string; $ref?: string };
    if (schema.$ref && AS_BUILT.has(schema.$ref.replace(/#$/, ''))) return asBuilt;
    const key = `${known}\n${JSON.stringify(schema)}`;
    let serialize = compiled.get(key);
    if (!serialize) {
      // As Fastify's own compiler does: a schema with an $id is not also one of its externals.
      const external = { ...externalSchemas };
      if (schema.$id) delete external[schema.$id];
      serialize = fastJsonStringify(schema as never, { ...options, schema: external as never });
      compiled.set(key, serialize);
    }
    return serialize;
  };
}
