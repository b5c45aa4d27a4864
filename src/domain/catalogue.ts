/** Reference data the rules consult: products, facilities, promotions. */
import type { Minor } from './money.js';

export type ProductKind = 'item' | 'service' | 'bundle';

export interface Product {
  sku: string;
  name: string;
  unitPrice: Minor;
  currency: string;
  measurementUnit: string;
  unitMultiplier: number;
  weighable: boolean;
  taxRate: number;
  kind: ProductKind;
  allowedSubstitutes: string[];
}

export interface Facility {
  id: string;
  name: string;
  shipFromStore: boolean;
  location: { lat: number; lon: number } | null;
  priority: number;
}

export interface Promotion {
  code: string;
  kind: 'percent' | 'amount';
  value: number;
  skus: string[];
}

export interface StockLevel {
  facilityId: string;
  sku: string;
  onHand: number;
  reserved: number;
  available: number;
}
