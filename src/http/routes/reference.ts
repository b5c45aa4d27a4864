/** Reference data (API.md §2): products, facilities, stock, promotions and the tenant's settings. */
import { Type } from '@sinclair/typebox';
import type { Deps } from '../../app/deps.js';
import { patchSettings, readSettings } from '../../app/settings.js';
import { findProducts, listFacilities, listPromotions, listStock } from '../../db/catalogue.js';
import { actorWith } from '../auth.js';
import { problemResponses } from '../schemas/common.js';
import { SettingsPatch } from '../schemas/settings.js';
import { FacilityPage, ProductPage, PromotionPage, StockLevelPage } from '../schemas/components.js';
import { Settings } from '../schemas/reference-view.js';
import type { AppInstance } from '../types.js';

export async function referenceRoutes(app: AppInstance, deps: Deps): Promise<void> {
  const read = problemResponses(400, 401, 403);

  app.get(
    '/v1/products',
    {
      schema: {
        tags: ['reference'],
        summary: 'The catalogue',
        response: { 200: Type.Ref(ProductPage), ...read },
      },
    },
    async (request) => {
      const actor = actorWith(request, 'ORDER_READ');
      const products = await findProducts(deps.db, actor.tenantId);
      return { items: [...products.values()], nextCursor: null };
    },
  );

  app.get(
    '/v1/facilities',
    {
      schema: {
        tags: ['reference'],
        summary: 'Stores and warehouses',
        response: { 200: Type.Ref(FacilityPage), ...read },
      },
    },
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
        response: { 200: Type.Ref(StockLevelPage), ...read },
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
    {
      schema: {
        tags: ['reference'],
        summary: 'Promotion codes',
        response: { 200: Type.Ref(PromotionPage), ...read },
      },
    },
    async (request) => {
      const actor = actorWith(request, 'ORDER_READ');
      return { items: await listPromotions(deps.db, actor.tenantId), nextCursor: null };
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
