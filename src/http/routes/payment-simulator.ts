/** The built-in payment simulator's failure injection (API.md §5): per tenant and payment method. */
import { Type } from '@sinclair/typebox';
import type { Deps } from '../../app/deps.js';
import { listRules, putRule } from '../../db/payment-simulator.js';
import { actorWith } from '../auth.js';
import { SimulatorMethodParams, SimulatorRuleBody } from '../schemas/changes.js';
import { problemResponses } from '../schemas/common.js';
import { SimulatorRule, SimulatorRules } from '../schemas/operations-view.js';
import type { AppInstance } from '../types.js';

const tags = ['payments'];

export async function paymentSimulatorRoutes(app: AppInstance, deps: Deps): Promise<void> {
  app.put(
    '/v1/payment-simulator/:method',
    {
      schema: {
        tags,
        summary:
          'Make the next gateway calls for a payment method fail (decline, timeout, unavailable) or slow; failure "none" resets',
        params: SimulatorMethodParams,
        body: SimulatorRuleBody,
        response: { 200: Type.Ref(SimulatorRule), ...problemResponses(400, 401, 403) },
      },
    },
    async (request) => {
      const actor = actorWith(request, 'SIMULATOR_WRITE');
      const { failure, times, latencyMs } = request.body;
      const rule = {
        method: request.params.method,
        failure,
        remaining: failure === 'none' ? null : (times ?? null),
        latencyMs: latencyMs ?? 0,
      };
      await putRule(deps.db, actor.tenantId, rule);
      return {
        method: rule.method,
        failure,
        times: rule.remaining,
        latencyMs: rule.latencyMs,
        gateway: deps.gateway.name,
      };
    },
  );

  app.get(
    '/v1/payment-simulator',
    {
      schema: {
        tags,
        summary: "The simulator's rules per method (what the next calls meet)",
        response: { 200: Type.Ref(SimulatorRules), ...problemResponses(401, 403) },
      },
    },
    async (request) => {
      const actor = actorWith(request, 'SIMULATOR_WRITE');
      return {
        gateway: deps.gateway.name,
        items: (await listRules(deps.db, actor.tenantId)).map((r) => ({
          method: r.method,
          failure: r.failure,
          times: r.remaining,
          latencyMs: r.latencyMs,
        })),
      };
    },
  );
}
