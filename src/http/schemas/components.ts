/**
 * Every named schema of the API: registered once with `addSchema`, so routes answer `Type.Ref(X)`,
 * Fastify serializes with them (fast-json-stringify) and /openapi.json lists them under
 * `components.schemas`. The VTEX facade registers its own (src/http/vtex/schemas.ts).
 */
import type { TSchema } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { CHANGE_COMPONENTS, Change, HistoryEntry } from './change-view.js';
import { pageOf, ProblemSchema } from './common.js';
import { INTAKE_COMPONENTS, RecordView, SourceView } from './intake.js';
import {
  OPERATIONS_COMPONENTS,
  PickJobEntry,
  Webhook,
  WebhookDelivery,
} from './operations-view.js';
import { Order, ORDER_COMPONENTS } from './order-view.js';
import { NOTIFICATION_COMPONENTS } from './notification-view.js';
import { RISK_COMPONENTS } from './risk.js';
import {
  Facility,
  Product,
  Promotion,
  REFERENCE_COMPONENTS,
  StockLevel,
  User,
} from './reference-view.js';

export const OrderPage = pageOf(Order);
export const ChangePage = pageOf(Change);
export const HistoryPage = pageOf(HistoryEntry);
export const ProductPage = pageOf(Product);
export const FacilityPage = pageOf(Facility);
export const StockLevelPage = pageOf(StockLevel);
export const PromotionPage = pageOf(Promotion);
export const PickJobPage = pageOf(PickJobEntry);
export const WebhookPage = pageOf(Webhook);
export const WebhookDeliveryPage = pageOf(WebhookDelivery);
export const IntakeRecordPage = pageOf(RecordView);
export const IntakeSourcePage = pageOf(SourceView);
export const UserPage = pageOf(User);

const PAGES = [
  OrderPage,
  ChangePage,
  HistoryPage,
  ProductPage,
  FacilityPage,
  StockLevelPage,
  PromotionPage,
  PickJobPage,
  WebhookPage,
  WebhookDeliveryPage,
  IntakeRecordPage,
  IntakeSourcePage,
  UserPage,
];

export const COMPONENTS: TSchema[] = [
  ProblemSchema,
  ...ORDER_COMPONENTS,
  ...RISK_COMPONENTS,
  ...CHANGE_COMPONENTS,
  ...REFERENCE_COMPONENTS,
  ...OPERATIONS_COMPONENTS,
  ...INTAKE_COMPONENTS,
  ...NOTIFICATION_COMPONENTS,
  ...PAGES,
];

export function registerComponents(app: FastifyInstance): void {
  for (const schema of COMPONENTS) app.addSchema(schema);
}
