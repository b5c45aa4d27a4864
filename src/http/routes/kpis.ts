/** GET /v1/kpis (API.md §5): what supervisors and operations watch. */
import { Type } from '@sinclair/typebox';
import type { Deps } from '../../app/deps.js';
import { kpis } from '../../app/kpis.js';
import { actorWith } from '../auth.js';
import { problemResponses } from '../schemas/common.js';
import { Kpis } from '../schemas/operations-view.js';
import type { AppInstance } from '../types.js';

const APPS = '^[a-z0-9-]+(,[a-z0-9-]+)*$';
const KpiQuery = Type.Object(
  {
    from: Type.Optional(
      Type.String({ format: 'date-time', description: 'RFC 3339; default 30 days before `to`' }),
    ),
    to: Type.Optional(
      Type.String({ format: 'date-time', description: 'RFC 3339, exclusive; default now' }),
    ),
    app: Type.Optional(
      Type.String({
        pattern: APPS,
        description: 'only changes asked for by these apps, comma-separated (console,picker)',
      }),
    ),
    excludeApp: Type.Optional(
      Type.String({
        pattern: APPS,
        description: 'all changes but those of these apps, comma-separated (bulk)',
      }),
    ),
  },
  { additionalProperties: false },
);
const list = (v: string | undefined) => (v ? v.split(',').filter(Boolean) : undefined);

export async function kpiRoutes(app: AppInstance, deps: Deps): Promise<void> {
  app.get(
    '/v1/kpis',
    {
      schema: {
        tags: ['kpis'],
        summary:
          'Modification rate, resolution time (p50, p90), rejections by code, changes by app and channel, integrity errors',
        querystring: KpiQuery,
        response: { 200: Type.Ref(Kpis), ...problemResponses(400, 401, 403) },
      },
    },
    async (request) => {
      const { app: apps, excludeApp, ...range } = request.query;
      const only = list(apps);
      const not = list(excludeApp);
      return kpis(deps, actorWith(request, 'KPI_READ'), {
        ...range,
        ...(only ? { apps: only } : {}),
        ...(not ? { excludeApps: not } : {}),
      });
    },
  );
}
