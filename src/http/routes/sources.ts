/** Order sources (INTAKE.md §2, permission SOURCE_ADMIN) and their health (§4). */
import type { Deps } from '../../app/deps.js';
import { sourceHealth } from '../../app/intake-health.js';
import {
  createSource,
  disableSource,
  getSource,
  listTenantSources,
  patchSource,
  sourceView,
  type SourceInput,
} from '../../app/sources.js';
import type { SourceKind } from '../../domain/intake/source.js';
import { actorWith } from '../auth.js';
import { Type } from '@sinclair/typebox';
import { IdParams, problemResponses } from '../schemas/common.js';
import { IntakeSourcePage } from '../schemas/components.js';
import { HealthView, SourceBody, SourcePatch, SourceView } from '../schemas/intake.js';
import type { AppInstance } from '../types.js';

const tags = ['intake'];

export async function sourceRoutes(app: AppInstance, deps: Deps): Promise<void> {
  app.post(
    '/v1/sources',
    {
      config: { idempotent: true },
      schema: {
        tags,
        summary: 'Create an order source',
        body: SourceBody,
        response: { 201: Type.Ref(SourceView), ...problemResponses(400, 401, 403, 409) },
      },
    },
    async (request, reply) => {
      const actor = actorWith(request, 'SOURCE_ADMIN');
      const view = await createSource(
        deps,
        actor,
        request.body as SourceInput & { id: string; kind: SourceKind; name: string },
      );
      return reply.code(201).header('Location', `/v1/sources/${view.id}`).send(view);
    },
  );

  app.get(
    '/v1/sources',
    {
      schema: {
        tags,
        summary: "The tenant's order sources",
        response: { 200: Type.Ref(IntakeSourcePage), ...problemResponses(401, 403) },
      },
    },
    async (request) => {
      const actor = actorWith(request, 'SOURCE_ADMIN');
      return { items: (await listTenantSources(deps, actor)).map(sourceView), nextCursor: null };
    },
  );

  app.get(
    '/v1/sources/:id',
    {
      schema: {
        tags,
        summary: 'One order source',
        params: IdParams,
        response: { 200: Type.Ref(SourceView), ...problemResponses(401, 403, 404) },
      },
    },
    async (request) => {
      const actor = actorWith(request, 'SOURCE_ADMIN');
      return sourceView(await getSource(deps, actor, request.params.id));
    },
  );

  app.patch(
    '/v1/sources/:id',
    {
      schema: {
        tags,
        summary:
          'Change an order source (JSON merge patch; null removes a mapping, an account or a setting)',
        params: IdParams,
        body: SourcePatch,
        response: { 200: Type.Ref(SourceView), ...problemResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) => {
      const actor = actorWith(request, 'SOURCE_ADMIN');
      return patchSource(deps, actor, request.params.id, request.body as SourceInput);
    },
  );

  app.delete(
    '/v1/sources/:id',
    {
      schema: {
        tags,
        summary: 'Disable an order source (its records are kept)',
        params: IdParams,
        response: { 200: Type.Ref(SourceView), ...problemResponses(401, 403, 404) },
      },
    },
    async (request) => {
      const actor = actorWith(request, 'SOURCE_ADMIN');
      return disableSource(deps, actor, request.params.id);
    },
  );

  app.get(
    '/v1/sources/:id/health',
    {
      schema: {
        tags,
        summary: "A source's health",
        params: IdParams,
        response: { 200: Type.Ref(HealthView), ...problemResponses(401, 403, 404) },
      },
    },
    async (request) => {
      const actor = actorWith(request, 'INTAKE_READ');
      const stored = await getSource(deps, actor, request.params.id);
      return sourceHealth(deps, actor.tenantId, stored.source);
    },
  );
}
