/** Catalogue and stock writes (INTAKE.md §5, permission CATALOGUE_WRITE): what a tenant loads before its first order. */
import { Type } from '@sinclair/typebox';
import {
  applyBatch,
  putFacility,
  putProduct,
  putStock,
  type Batch,
} from '../../app/catalogue-writes.js';
import type { Deps } from '../../app/deps.js';
import { refuse } from '../../app/refused-error.js';
import { BOUNDS } from '../../domain/bounds.js';
import type { Facility, Product } from '../../domain/catalogue.js';
import { lit } from '../../domain/import-order-schema.js';
import { actorWith } from '../auth.js';
import { IdParams, Money, Nullable, problemResponses } from '../schemas/common.js';
import type { AppInstance } from '../types.js';

const strict = { additionalProperties: false } as const;
const tags = ['reference'];
const Sku = Type.String({ minLength: 1, maxLength: 100 });
const FacilityId = Type.String({ minLength: 1, maxLength: 128 });

const productFields = {
  name: Type.String({ minLength: 1, maxLength: 300 }),
  unitPrice: Type.Integer({ description: Money.description, maximum: BOUNDS.unitPriceMinor }),
  currency: Type.String({ pattern: '^[A-Z]{3}$' }),
  measurementUnit: Type.Optional(Type.String({ minLength: 1, maxLength: 20 })),
  unitMultiplier: Type.Optional(Type.Number({ maximum: BOUNDS.unitMultiplier })),
  weighable: Type.Optional(Type.Boolean()),
  taxRate: Type.Integer({
    description: 'basis points: 1900 = 19 %',
    maximum: BOUNDS.taxRateBasisPoints,
  }),
  kind: Type.Optional(lit(['item', 'service', 'bundle'] as const)),
  allowedSubstitutes: Type.Optional(Type.Array(Sku, { maxItems: 100 })),
};
const ProductBody = Type.Object({ sku: Type.Optional(Sku), ...productFields }, strict);
const BatchProduct = Type.Object({ sku: Sku, ...productFields }, strict);
const Location = Type.Object(
  {
    lat: Type.Number({ minimum: -90, maximum: 90 }),
    lon: Type.Number({ minimum: -180, maximum: 180 }),
  },
  strict,
);
const facilityFields = {
  name: Type.String({ minLength: 1, maxLength: 200 }),
  shipFromStore: Type.Optional(Type.Boolean()),
  location: Type.Optional(Nullable(Location)),
  priority: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000 })),
};
const FacilityBody = Type.Object({ id: Type.Optional(FacilityId), ...facilityFields }, strict);
const BatchFacility = Type.Object({ id: FacilityId, ...facilityFields }, strict);
const StockBody = Type.Object(
  { onHand: Type.Integer({ minimum: 0, maximum: BOUNDS.stockOnHand }) },
  strict,
);
const BatchStock = Type.Object(
  { facilityId: FacilityId, sku: Sku, onHand: StockBody.properties.onHand },
  strict,
);
const BatchBody = Type.Object(
  {
    products: Type.Optional(Type.Array(BatchProduct, { maxItems: 10_000 })),
    facilities: Type.Optional(Type.Array(BatchFacility, { maxItems: 1_000 })),
    stock: Type.Optional(Type.Array(BatchStock, { maxItems: 50_000 })),
  },
  strict,
);

const ProductView = Type.Object({
  sku: Type.String(),
  ...productFields,
  measurementUnit: Type.String(),
  unitMultiplier: Type.Number(),
  weighable: Type.Boolean(),
  kind: Type.String(),
  allowedSubstitutes: Type.Array(Type.String()),
});
const FacilityView = Type.Object({
  id: Type.String(),
  name: Type.String(),
  shipFromStore: Type.Boolean(),
  location: Nullable(Location),
  priority: Type.Integer(),
});
const StockView = Type.Object({
  facilityId: Type.String(),
  sku: Type.String(),
  onHand: Type.Integer(),
  reserved: Type.Integer(),
  available: Type.Integer(),
});
const BatchView = Type.Object({
  products: Type.Integer(),
  facilities: Type.Integer(),
  stock: Type.Integer(),
});

type ProductInput = Partial<Product> & Pick<Product, 'name' | 'unitPrice' | 'currency' | 'taxRate'>;
const toProduct = (sku: string, b: ProductInput): Product => ({
  sku,
  name: b.name,
  unitPrice: b.unitPrice,
  currency: b.currency,
  measurementUnit: b.measurementUnit ?? 'un',
  unitMultiplier: b.unitMultiplier ?? 1,
  weighable: b.weighable ?? false,
  taxRate: b.taxRate,
  kind: b.kind ?? 'item',
  allowedSubstitutes: b.allowedSubstitutes ?? [],
});
type FacilityInput = Partial<Facility> & Pick<Facility, 'name'>;
const toFacility = (id: string, b: FacilityInput): Facility => ({
  id,
  name: b.name,
  shipFromStore: b.shipFromStore ?? false,
  location: b.location ?? null,
  priority: b.priority ?? 100,
});

export async function catalogueRoutes(app: AppInstance, deps: Deps): Promise<void> {
  app.put(
    '/v1/products/:sku',
    {
      schema: {
        tags,
        summary: 'Create or replace a product',
        params: Type.Object({ sku: Sku }, strict),
        body: ProductBody,
        response: { 200: ProductView, 201: ProductView, ...problemResponses(400, 401, 403, 422) },
      },
    },
    async (request, reply) => {
      const actor = actorWith(request, 'CATALOGUE_WRITE');
      const { sku } = request.params;
      if (request.body.sku !== undefined && request.body.sku !== sku)
        refuse('REQUEST_INVALID', `body sku ${request.body.sku} is not the path's ${sku}.`);
      const { product, created } = await putProduct(
        deps,
        actor,
        toProduct(sku, request.body as ProductInput),
      );
      return reply
        .code(created ? 201 : 200)
        .header('Location', `/v1/products/${encodeURIComponent(sku)}`)
        .send(product);
    },
  );

  app.put(
    '/v1/facilities/:id',
    {
      schema: {
        tags,
        summary: 'Create or replace a facility',
        params: IdParams,
        body: FacilityBody,
        response: { 200: FacilityView, 201: FacilityView, ...problemResponses(400, 401, 403, 422) },
      },
    },
    async (request, reply) => {
      const actor = actorWith(request, 'CATALOGUE_WRITE');
      const { id } = request.params;
      if (request.body.id !== undefined && request.body.id !== id)
        refuse('REQUEST_INVALID', `body id ${request.body.id} is not the path's ${id}.`);
      const { facility, created } = await putFacility(
        deps,
        actor,
        toFacility(id, request.body as FacilityInput),
      );
      return reply.code(created ? 201 : 200).send(facility);
    },
  );

  app.put(
    '/v1/stock/:facilityId/:sku',
    {
      schema: {
        tags,
        summary: "Set a facility's stock on hand of a sku (never below what orders reserved)",
        params: Type.Object({ facilityId: FacilityId, sku: Sku }, strict),
        body: StockBody,
        response: { 200: StockView, 201: StockView, ...problemResponses(400, 401, 403, 409, 422) },
      },
    },
    async (request, reply) => {
      const actor = actorWith(request, 'CATALOGUE_WRITE');
      const { level, created } = await putStock(deps, actor, {
        ...request.params,
        onHand: request.body.onHand,
      });
      return reply.code(created ? 201 : 200).send(level);
    },
  );

  app.post(
    '/v1/catalogue/batch',
    {
      config: { idempotent: true },
      schema: {
        tags,
        summary: 'Products, facilities and stock at once: all or nothing',
        body: BatchBody,
        response: { 200: BatchView, ...problemResponses(400, 401, 403, 409, 422) },
      },
    },
    async (request) => {
      const actor = actorWith(request, 'CATALOGUE_WRITE');
      const b = request.body as {
        products?: (ProductInput & { sku: string })[];
        facilities?: (FacilityInput & { id: string })[];
        stock?: Batch['stock'];
      };
      return applyBatch(deps, actor, {
        products: (b.products ?? []).map((p) => toProduct(p.sku, p)),
        facilities: (b.facilities ?? []).map((f) => toFacility(f.id, f)),
        stock: b.stock ?? [],
      });
    },
  );
}
