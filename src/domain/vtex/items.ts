/** One Amend line as VTEX's item shapes: the `from` item, the 41-key `to` item, a receipt item. */
import { divideHalfEven } from '../money.js';
import { lineTax } from '../totals.js';

/** What a plan records of a line (line-edits.ts `lineView`). */
export interface LineSnapshot {
  lineId: string;
  sku: string;
  name: string;
  quantity: number;
  unitPrice: number;
  unitMultiplier: number;
  discount: number;
  /** On the new line of a replacement: how many units of the old line it took the place of. */
  replacedQuantity?: number;
}

/** The units of the old line that a replaced / edited line gave up (all of them for a replacement). */
export const replacedPart = (old: LineSnapshot, now: LineSnapshot): LineSnapshot => ({
  ...old,
  quantity: now.replacedQuantity ?? old.quantity,
});

/** What a snapshot lacks, looked up by the caller from the order or the catalogue. */
export interface ItemFacts {
  measurementUnit: string;
  taxRate: number;
}
export type FactsOf = (line: LineSnapshot) => ItemFacts;

/** The unit price less the line's discount per unit, rounded half-even (VTEX-FACADE.md §3.7). */
export function sellingPriceOf(line: Pick<LineSnapshot, 'unitPrice' | 'discount' | 'quantity'>) {
  if (line.quantity === 0) return line.unitPrice;
  return line.unitPrice - Number(divideHalfEven(BigInt(line.discount), BigInt(line.quantity)));
}

export function fromItemOf(line: LineSnapshot, facts: ItemFacts) {
  return {
    id: line.sku,
    quantity: line.quantity,
    price: line.unitPrice,
    measurementUnit: facts.measurementUnit,
    unitMultiplier: line.unitMultiplier,
    sellingPrice: sellingPriceOf(line),
    name: line.name,
    detailUrl: null,
    imageUrl: null,
  };
}

const NINE_NULLS = {
  dimension: null,
  brandName: null,
  brandId: null,
  offeringInfo: null,
  offeringType: null,
  offeringTypeId: null,
  categoriesIds: null,
  productClusterId: null,
  commercialConditionId: null,
};

/** VTEX's to-item: every key it requires, null where it allows and Amend has nothing to say. */
export function toItemOf(line: LineSnapshot, facts: ItemFacts) {
  return {
    uniqueId: line.lineId,
    id: line.sku,
    productId: null,
    productRefId: null,
    refId: null,
    ean: null,
    name: line.name,
    skuName: null,
    modalType: null,
    parentItemIndex: null,
    parentAssemblyBinding: null,
    assemblies: [],
    priceValidUntil: null,
    tax: lineTax({ ...line, taxRate: facts.taxRate }),
    price: line.unitPrice,
    listPrice: line.unitPrice,
    manualPrice: null,
    manualPriceAppliedBy: null,
    sellingPrice: sellingPriceOf(line),
    rewardValue: 0,
    isGift: false,
    additionalInfo: NINE_NULLS,
    preSaleDate: null,
    productCategoryIds: null,
    productCategories: {},
    quantity: line.quantity,
    seller: null,
    sellerChain: null,
    imageUrl: null,
    detailUrl: null,
    components: [],
    bundleItems: [],
    attachments: [],
    attachmentOfferings: [],
    offerings: [],
    priceTags: [],
    availability: null,
    measurementUnit: facts.measurementUnit,
    unitMultiplier: line.unitMultiplier,
    manufacturerCode: null,
    priceDefinition: null,
  };
}
