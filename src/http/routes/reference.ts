/** Reference data (API.md §2): products, facilities, stock, promotions and the tenant's settings. */
import { Type } from '@sinclair/typebox';
import type { Deps } from '../../app/deps.js';
import { patchSettings, readSettings } from '../../app/settings.js';
import {
  findProducts,
  listFacilities,
  listPromotions,
  listStock,
  searchProducts,
} from '../../db/catalogue.js';
import { listUsers } from '../../db/users.js';
import { actorWith } from '../auth.js';
import { problemResponses } from '../schemas/common.js';
import { SettingsPatch } from '../schemas/settings.js';
import type { AppInstance } from '../types.js';

const ProductSearchQuery = Type.Object(
  {
    q: Type.Optional(Type.String({ maxLength: 100 })),
    facilityId: Type.Optional(Type.String({ minLength: 1, maxLength: 128 })),
    first: Type.Optional(
      Type.String({ maxLength: 2000, description: 'comma-separated skus to list first' }),
    ),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
  },
  { additionalProperties: false },
);

export async function referenceRoutes(app: AppInstance, deps: Deps): Promise<void> {
  const read = { response: problemResponses(400, 401, 403) };

  app.get(
    '/v1/products',
    {
      schema: {
        tags: ['reference'],
        summary:
          'The catalogue; with q, facilityId, first or limit a search: name or sku containing q, the skus in first ahead, each with what is available at facilityId',
        ...read,
        querystring: ProductSearchQuery,
      },
    },
    async (request) => {
      const actor = actorWith(request, 'ORDER_READ');
      const { q, facilityId, first, limit } = request.query;
      if (q === undefined && facilityId === undefined && first === undefined && !limit) {
        const products = await findProducts(deps.db, actor.tenantId);
        return { items: [...products.values()], nextCursor: null };
      }
      const items = await searchProducts(deps.db, actor.tenantId, {
        ...(q !== undefined ? { q: q.trim() } : {}),
        ...(facilityId ? { facilityId } : {}),
        first: (first ?? '').split(',').filter(Boolean),
        limit: limit ?? 20,
      });
      return { items, nextCursor: null };
    },
  );

  app.get(
    '/v1/users',
    {
      schema: {
        tags: ['reference'],
        summary: "The tenant's people (id, name, role): who asked for or decided a change",
        ...read,
      },
    },
    async (request) => {
      const actor = actorWith(request, 'ORDER_READ');
      return { items: await listUsers(deps.db, actor.tenantId), nextCursor: null };
    },
  );

  app.get(
    '/v1/facilities',
    { schema: { tags: ['reference'], summary: 'Stores and warehouses', ...read } },
    async (request) => {
      const actor = actorWith(request, 'ORDER_READ');
      return { items: await listFacilities(deps.db, actor.tenantId), nextCursor: null };
    },
  );

  app.get(
    '/v1/stock',
    {
      schema: {
        tags: ['reference'],
        summary: 'Stock per facility and sku (available = onHand − reserved)',
        ...read,
        querystring: Type.Object(
          { sku: Type.Optional(Type.String()), facilityId: Type.Optional(Type.String()) },
          { additionalProperties: false },
        ),
      },
    },
    async (request) => {
      const actor = actorWith(request, 'ORDER_READ');
      return { items: await listStock(deps.db, actor.tenantId, request.query), nextCursor: null };
    },
  );

  app.get(
    '/v1/promotions',
    { schema: { tags: ['reference'], summary: 'Promotion codes', ...read } },
    async (request) => {
      const actor = actorWith(request, 'ORDER_READ');
      return { items: await listPromotions(deps.db, actor.tenantId), nextCursor: null };
    },
  );

  app.get(
    '/v1/settings',
    { schema: { tags: ['settings'], summary: "The tenant's configuration", ...read } },
    async (request) => {
      const actor = actorWith(request, 'SETTINGS_READ');
      return readSettings(deps, actor);
    },
  );

  app.patch(
    '/v1/settings',
    {
      schema: {
        tags: ['settings'],
        summary: 'Change the configuration (JSON merge patch)',
        body: SettingsPatch,
        response: problemResponses(400, 401, 403),
      },
    },
    async (request) => {
      const actor = actorWith(request, 'SETTINGS_WRITE');
      return patchSettings(deps, actor, request.body);
    },
  );
}
