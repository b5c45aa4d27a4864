/** The integrity checks of `amend verify`, run in the server (app/integrity.ts): now, or the last run. */
import { Type } from '@sinclair/typebox';
import type { Deps } from '../../app/deps.js';
import { checkIntegrityFor, lastIntegrityRun } from '../../app/integrity.js';
import { actorWith } from '../auth.js';
import { problemResponses } from '../schemas/common.js';
import { IntegrityRun } from '../schemas/operations-view.js';
import type { AppInstance } from '../types.js';

const tags = ['kpis'];

export async function integrityRoutes(app: AppInstance, deps: Deps): Promise<void> {
  app.post(
    '/v1/integrity-checks',
    {
      schema: {
        tags,
        summary:
          "Run every integrity check now (as `amend verify` does) and answer this tenant's findings",
        response: { 200: Type.Ref(IntegrityRun), ...problemResponses(401, 403) },
      },
    },
    async (request) => checkIntegrityFor(deps, actorWith(request, 'KPI_READ')),
  );

  app.get(
    '/v1/integrity-checks/latest',
    {
      schema: {
        tags,
        summary: "The last integrity run's findings for this tenant (a first run is made if none)",
        response: { 200: Type.Ref(IntegrityRun), ...problemResponses(401, 403) },
      },
    },
    async (request) => lastIntegrityRun(deps, actorWith(request, 'KPI_READ')),
  );
}
