/** Reference data (API.md §2): products, facilities, stock, promotions and the tenant's settings. */
import { Type } from '@sinclair/typebox';
import type { Deps } from '../../app/deps.js';
import { patchSettings, readSettings } from '../../app/settings.js';
import { listFacilities, listProductPage, listPromotions, listStock } from '../../db/catalogue.js';
import { actorWith } from '../auth.js';
import { PageQuery, problemResponses } from '../schemas/common.js';
import {
  decodeCursor,
  encodeCursor,
  KeyCursorShape,
  pageInMemory,
  StockCursorShape,
} from '../schemas/cursor.js';
import { SettingsPatch } from '../schemas/settings.js';
import type { AppInstance } from '../types.js';

export async function referenceRoutes(app: AppInstance, deps: Deps): Promise<void> {
  const read = { response: problemResponses(400, 401, 403) };
  // Every list takes limit 1..200 and cursor (API.md §1), and refuses other query keys.
  const paged = Type.Object(PageQuery, { additionalProperties: false });

  app.get(
    '/v1/products',
    { schema: { tags: ['reference'], summary: 'The catalogue', querystring: paged, ...read } },
    async (request) => {
      const actor = actorWith(request, 'ORDER_READ');
      const { limit = 50, cursor } = request.query;
      const after = decodeCursor(cursor, KeyCursorShape);
      const page = await listProductPage(deps.db, actor.tenantId, {
        limit,
        ...(after ? { afterSku: after.k } : {}),
      });
      return {
        items: page.items,
        nextCursor: page.nextSku ? encodeCursor({ k: page.nextSku }) : null,
      };
    },
  );

  app.get(
    '/v1/facilities',
    {
      schema: {
        tags: ['reference'],
        summary: 'Stores and warehouses',
        querystring: paged,
        ...read,
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
        ...read,
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
    { schema: { tags: ['reference'], summary: 'Promotion codes', querystring: paged, ...read } },
    async (request) => {
      const actor = actorWith(request, 'ORDER_READ');
      const all = await listPromotions(deps.db, actor.tenantId);
      return pageInMemory(all, (p) => p.code, request.query);
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
