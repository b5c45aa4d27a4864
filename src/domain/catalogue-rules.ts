/**
 * What a product, a facility or a stock level must satisfy to be written through the catalogue API
 * (INTAKE.md §5). Expected refusals as data, each with the field it concerns.
 */
import type { Facility, Product } from './catalogue.js';
import { refusal, type Refusal } from './errors.js';
import { hasAtMostThreeDecimals } from './money.js';

export function productRefusals(p: Product, at: string): Refusal[] {
  const out: Refusal[] = [];
  const f = (name: string) => ({ field: at ? `${at}.${name}` : name });
  if (p.unitPrice < 0)
    out.push(refusal('VALUE_NEGATIVE', 'unitPrice must not be negative.', f('unitPrice')));
  if (p.taxRate < 0)
    out.push(refusal('VALUE_NEGATIVE', 'taxRate must not be negative.', f('taxRate')));
  if (!(p.unitMultiplier > 0) || !hasAtMostThreeDecimals(p.unitMultiplier))
    out.push(
      refusal(
        'REQUEST_INVALID',
        'unitMultiplier must be above 0 with at most 3 decimals.',
        f('unitMultiplier'),
      ),
    );
  if (p.allowedSubstitutes.includes(p.sku))
    out.push(
      refusal(
        'REQUEST_INVALID',
        'a product is not a substitute of itself.',
        f('allowedSubstitutes'),
      ),
    );
  return out;
}

export function facilityRefusals(fac: Facility, at: string): Refusal[] {
  const f = (name: string) => ({ field: at ? `${at}.${name}` : name });
  return fac.name.trim() === ''
    ? [refusal('REQUEST_INVALID', 'a facility needs a name.', f('name'))]
    : [];
}

/** onHand below what orders hold would leave reservations without stock. */
export function stockRefusals(level: { onHand: number; reserved: number }, at: string): Refusal[] {
  return level.onHand < level.reserved
    ? [
        refusal(
          'STOCK_BELOW_RESERVED',
          `onHand ${level.onHand} is below the ${level.reserved} reserved by orders.`,
          {
            field: at ? `${at}.onHand` : 'onHand',
            meta: { reserved: level.reserved },
          },
        ),
      ]
    : [];
}
