/**
 * The web console and picker view (a React app built by Vite into dist/web) served at `/`: files
 * as they are, and index.html for any other page path so that deep links work. API paths keep
 * their problem+json 404.
 */
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { AppInstance } from './types.js';

const here = dirname(fileURLToPath(import.meta.url));
/** dist/src/http → dist/web when built; src/http → dist/web under tsx. */
export const WEB_ROOT = [resolve(here, '../../web'), resolve(here, '../../dist/web')].find((dir) =>
  existsSync(resolve(dir, 'index.html')),
);

const HASHED = /[\\/]assets[\\/][^\\/]+-[A-Za-z0-9_-]{8,}\.[a-z0-9]+$/;
const IMMUTABLE = 'public, max-age=31536000, immutable';
const API_PATH = /^\/(v1|api|docs|openapi\.json|healthz|readyz|metrics)(\/|$|\?)/;

/** `apiPrefixes`: more paths that are API, not pages (the VTEX facade's, under its prefix). */
export async function webRoutes(
  app: AppInstance,
  apiPrefixes: string[] = [],
  root: string | undefined = WEB_ROOT,
): Promise<void> {
  const isApi = (path: string) =>
    API_PATH.test(path) || apiPrefixes.some((p) => path === p || path.startsWith(`${p}/`));
  if (!root) {
    app.get('/', { schema: { hide: true } }, async (_request, reply) =>
      reply
        .type('text/html')
        .send(
          '<!doctype html><title>Amend</title><p>The web console is not built: run <code>npm run build</code> (or <code>npm start</code>). The API is at <a href="/docs">/docs</a>.</p>',
        ),
    );
    return;
  }
  await app.register(fastifyStatic, {
    root,
    wildcard: false,
    index: ['index.html'],
    // Vite names every file under assets/ by its content hash: a new build is a new name, so
    // browsers may keep them for a year without asking; anything else is checked every time.
    cacheControl: false,
    setHeaders: (res, path) =>
      res.setHeader('cache-control', HASHED.test(path) ? IMMUTABLE : 'no-cache'),
    // Source maps are the maintainers' (the build makes none); never hand one out if one is there.
    allowedPath: (path) => !path.endsWith('.map'),
  });
  // index.html is never cached, so a new build is seen at once.
  app.get('/*', { schema: { hide: true } }, async (request, reply) => {
    const path = request.url.split('?')[0] ?? '/';
    if (isApi(path) || /\.[a-z0-9]+$/i.test(path)) return reply.callNotFound();
    return reply
      .header('cache-control', 'no-cache')
      .sendFile('index.html', { cacheControl: false });
  });
}
