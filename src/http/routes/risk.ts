/** GET /v1/risk (the KPI page's model panel) and POST /v1/risk/train (docs/risk.md). */
import { Type } from '@sinclair/typebox';
import type { Deps } from '../../app/deps.js';
import { riskSummary, trainTenant } from '../../app/risk.js';
import { actorWith } from '../auth.js';
import { problemResponses } from '../schemas/common.js';
import { RiskSummarySchema, TrainResultSchema } from '../schemas/risk.js';
import type { AppInstance } from '../types.js';

export async function riskRoutes(app: AppInstance, deps: Deps): Promise<void> {
  app.get(
    '/v1/risk',
    {
      schema: {
        tags: ['risk'],
        summary:
          "The risk policy in force, the latest model's version and hold-out evaluation, and today's unusual actors",
        response: { 200: Type.Ref(RiskSummarySchema), ...problemResponses(401, 403) },
      },
    },
    async (request) => riskSummary(deps, actorWith(request, 'KPI_READ')),
  );
  app.post(
    '/v1/risk/train',
    {
      schema: {
        tags: ['risk'],
        summary: 'Harvest the finished changes and train the next model version now',
        response: { 200: Type.Ref(TrainResultSchema), ...problemResponses(401, 403) },
      },
    },
    async (request) => trainTenant(deps, actorWith(request, 'SETTINGS_WRITE').tenantId),
  );
}
