/** Reference data (API.md §2): products, facilities, stock, promotions and the tenant's settings. */
import { Type } from '@sinclair/typebox';
import type { Deps } from '../../app/deps.js';
import { refuse } from '../../app/refused-error.js';
import { patchSettings, readSettings } from '../../app/settings.js';
import {
  listFacilities,
  listProductPage,
  listPromotions,
  listStock,
  searchProducts,
} from '../../db/catalogue.js';
import { listUsers } from '../../db/users.js';
import { actorWith } from '../auth.js';
import { PageQuery, problemResponses } from '../schemas/common.js';
import {
  decodeCursor,
  encodeCursor,
  pageInMemory,
  ProductCursorShape,
  StockCursorShape,
} from '../schemas/cursor.js';
import { SettingsPatch } from '../schemas/settings.js';
import {
  FacilityPage,
  ProductPage,
  PromotionPage,
  StockLevelPage,
  UserPage,
} from '../schemas/components.js';
import { Settings } from '../schemas/reference-view.js';
import type { AppInstance } from '../types.js';

const ProductSearchQuery = Type.Object(
  {
    q: Type.Optional(Type.String({ maxLength: 100 })),
    facilityId: Type.Optional(Type.String({ minLength: 1, maxLength: 128 })),
    first: Type.Optional(
      Type.String({ maxLength: 2000, description: 'comma-separated skus to list first' }),
    ),
    // No default: a limit alone pages the catalogue, like every list (API.md §1).
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })),
    cursor: PageQuery.cursor,
  },
  { additionalProperties: false },
);

export async function referenceRoutes(app: AppInstance, deps: Deps): Promise<void> {
  const read = problemResponses(400, 401, 403);
  // Every list takes limit 1..200 and cursor (API.md §1), and refuses other query keys.
  const paged = Type.Object(PageQuery, { additionalProperties: false });

  app.get(
    '/v1/products',
    {
      schema: {
        tags: ['reference'],
        summary:
          'The catalogue; with q, facilityId, first or limit a search: name or sku containing q, the skus in first ahead, each with what is available at facilityId',
        response: { 200: Type.Ref(ProductPage), ...read },
        querystring: ProductSearchQuery,
      },
    },
    async (request) => {
      const actor = actorWith(request, 'ORDER_READ');
      const { q, facilityId, first, limit, cursor } = request.query;
      // Without a search, the catalogue in pages by name then sku (limit + cursor, API.md §1).
      if (q === undefined && facilityId === undefined && first === undefined) {
        const after = decodeCursor(cursor, ProductCursorShape);
        const page = await listProductPage(deps.db, actor.tenantId, {
          limit: limit ?? 50,
          ...(after ? { after: { name: after.n, sku: after.k } } : {}),
        });
        return { items: page.items, nextCursor: page.next ? encodeCursor(page.next) : null };
      }
      if (cursor !== undefined)
        refuse('REQUEST_INVALID', 'A search answers one page; send it without cursor.');
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
        response: { 200: Type.Ref(UserPage), ...read },
      },
    },
    async (request) => {
      const actor = actorWith(request, 'ORDER_READ');
      return { items: await listUsers(deps.db, actor.tenantId), nextCursor: null };
    },
  );

  app.get(
    '/v1/facilities',
    {
      schema: {
        tags: ['reference'],
        summary: 'Stores and warehouses',
        querystring: paged,
        response: { 200: Type.Ref(FacilityPage), ...read },
      },
    },
    async (request) => {
      const actor = actorWith(request, 'ORDER_READ');
      // A tenant has few facilities: read whole (the routing cache does too) and page by id.
      const all = await listFacilities(deps.db, actor.tenantId);
      return pageInMemory(all, (f) => f.id, request.query);
    },
  );

  app.get(
    '/v1/stock',
    {
      schema: {
        tags: ['reference'],
        summary: 'Stock per facility and sku (available = onHand − reserved)',
        response: { 200: Type.Ref(StockLevelPage), ...read },
        querystring: Type.Object(
          {
            sku: Type.Optional(Type.String({ maxLength: 100 })),
            facilityId: Type.Optional(Type.String({ maxLength: 128 })),
            ...PageQuery,
          },
          { additionalProperties: false },
        ),
      },
    },
    async (request) => {
      const actor = actorWith(request, 'ORDER_READ');
      const { limit = 50, cursor, ...filter } = request.query;
      const after = decodeCursor(cursor, StockCursorShape);
      const page = await listStock(deps.db, actor.tenantId, filter, {
        limit,
        ...(after ? { after: { facilityId: after.f, sku: after.k } } : {}),
      });
      const next = page.next ? encodeCursor({ f: page.next.facilityId, k: page.next.sku }) : null;
      return { items: page.items, nextCursor: next };
    },
  );

  app.get(
    '/v1/promotions',
    {
      schema: {
        tags: ['reference'],
        summary: 'Promotion codes',
        querystring: paged,
        response: { 200: Type.Ref(PromotionPage), ...read },
      },
    },
    async (request) => {
      const actor = actorWith(request, 'ORDER_READ');
      const all = await listPromotions(deps.db, actor.tenantId);
      return pageInMemory(all, (p) => p.code, request.query);
    },
  );

  app.get(
    '/v1/settings',
    {
      schema: {
        tags: ['settings'],
        summary: "The tenant's configuration",
        response: { 200: Type.Ref(Settings), ...read },
      },
    },
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
        response: { 200: Type.Ref(Settings), ...read },
      },
    },
    async (request) => {
      const actor = actorWith(request, 'SETTINGS_WRITE');
      return patchSettings(deps, actor, request.body);
    },
  );
}
