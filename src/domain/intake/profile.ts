/**
 * Validation tuned by channel and account (seed 002, INTAKE.md §2). `lenient` repairs what shop
 * systems commonly send (country names, postal code spacing, national phone numbers, e-mail case)
 * and accepts a channel total within `totalToleranceMinor` of Amend's; `strict` repairs nothing
 * and refuses each of those with its own code. The address and totals rules are the import's own
 * (domain/address.ts, buildImportedOrder): the profile asks them, it does not restate them.
 */
import { addressRefusals } from '../address.js';
import type { Product } from '../catalogue.js';
import { refusal, type Refusal } from '../errors.js';
import { buildImportedOrder, type ImportRequest } from '../import-order.js';
import { ok, refused, type Result } from '../result.js';
import type { Adapted } from './adapted.js';
import {
  countryToAlpha2,
  isE164,
  isEmail,
  normaliseEmail,
  normalisePostalCode,
  phoneToE164,
} from './normalise.js';

export const PROFILES = ['strict', 'lenient'] as const;
export type ProfileName = (typeof PROFILES)[number];

export interface ValidationSettings {
  profile: ProfileName;
  requireEmail: boolean;
  requirePhone: boolean;
  /** ISO alpha-2 codes an order may ship to; empty: any. */
  allowedCountries: string[];
  totalToleranceMinor: number;
  unknownSku: 'dead-letter';
}

export const DEFAULT_VALIDATION: ValidationSettings = {
  profile: 'lenient',
  requireEmail: false,
  requirePhone: false,
  allowedCountries: [],
  totalToleranceMinor: 2,
  unknownSku: 'dead-letter',
};

/** The source's settings with the channel account's overrides on top (INTAKE.md §2 `accounts`). */
export function effectiveValidation(
  base: Partial<ValidationSettings>,
  override: Partial<ValidationSettings> = {},
): ValidationSettings {
  return { ...DEFAULT_VALIDATION, ...base, ...override };
}

export interface ValidateContext {
  /** Channel sku → Amend sku (INTAKE.md §2 `skuMap`). */
  skuMap: Readonly<Record<string, string>>;
  products: ReadonlyMap<string, Product>;
  /** The canonical kind keeps the import's own codes for what the import checks (API.md §3). */
  canonical: boolean;
  now: string;
}

type Fix = { request: ImportRequest; refusals: Refusal[] };

// The canonical kind is Amend's own model: no format check beyond the import's (API.md §3).
function contact(req: ImportRequest, s: ValidationSettings, canonical: boolean): Fix {
  const refusals: Refusal[] = [];
  const lenient = s.profile === 'lenient';
  const customer = { ...req.customer };
  if (lenient && customer.email) customer.email = normaliseEmail(customer.email);
  if (canonical) {
    // nothing but the normalisation and the required fields below
  } else if (customer.email && !isEmail(customer.email))
    refusals.push(
      refusal(
        'INTAKE_FIELD_INVALID',
        `customer.email ${customer.email} is not an e-mail address.`,
        { field: 'customer.email' },
      ),
    );
  else if (customer.email && customer.email !== normaliseEmail(customer.email))
    refusals.push(
      refusal(
        'INTAKE_FIELD_INVALID',
        'customer.email has spaces or capitals (the strict profile takes it as sent).',
        { field: 'customer.email' },
      ),
    );
  if (s.requireEmail && !customer.email)
    refusals.push(
      refusal('INTAKE_FIELD_MISSING', 'customer.email is required for this source or account.', {
        field: 'customer.email',
      }),
    );
  if (customer.phone) {
    const e164 = lenient ? phoneToE164(customer.phone, req.shippingAddress.country) : undefined;
    if (e164) customer.phone = e164;
    else if (!canonical && !isE164(customer.phone))
      refusals.push(
        refusal(
          'INTAKE_FIELD_INVALID',
          `customer.phone ${customer.phone} is not an E.164 number.`,
          { field: 'customer.phone' },
        ),
      );
  }
  if (s.requirePhone && !customer.phone)
    refusals.push(
      refusal('INTAKE_FIELD_MISSING', 'customer.phone is required for this source or account.', {
        field: 'customer.phone',
      }),
    );
  if (!canonical && !customer.name?.trim())
    refusals.push(
      refusal('INTAKE_FIELD_MISSING', 'customer.name is missing.', { field: 'customer.name' }),
    );
  return { request: { ...req, customer }, refusals };
}

function address(req: ImportRequest, s: ValidationSettings, canonical: boolean): Fix {
  const shippingAddress = { ...req.shippingAddress };
  if (s.profile === 'lenient') {
    const country = shippingAddress.country ? countryToAlpha2(shippingAddress.country) : undefined;
    if (country) shippingAddress.country = country;
    if (shippingAddress.postalCode)
      shippingAddress.postalCode = normalisePostalCode(shippingAddress.postalCode);
  }
  // The canonical kind answers ADDRESS_INVALID from the import itself, as POST /v1/orders always did.
  const refusals: Refusal[] = canonical
    ? []
    : addressRefusals(shippingAddress, 'shippingAddress').map((r) => ({
        ...r,
        code: 'INTAKE_ADDRESS_INVALID',
      }));
  const allowed = s.allowedCountries;
  if (
    allowed.length &&
    !refusals.some((r) => r.field === 'shippingAddress.country') &&
    !allowed.includes(shippingAddress.country)
  )
    refusals.push(
      refusal(
        'INTAKE_COUNTRY_NOT_ALLOWED',
        `the source ships only to ${allowed.join(', ')}, not to ${shippingAddress.country}.`,
        {
          field: 'shippingAddress.country',
        },
      ),
    );
  return { request: { ...req, shippingAddress }, refusals };
}

/** Each line's sku through the map, else as an Amend sku; neither → INTAKE_SKU_UNMAPPED. */
function skus(req: ImportRequest, lineSkus: string[][], ctx: ValidateContext): Fix {
  const refusals: Refusal[] = [];
  const lines = req.lines.map((line, i) => {
    const candidates = lineSkus[i] ?? [line.sku];
    const mapped = candidates.map((c) => ctx.skuMap[c]).find((s): s is string => s !== undefined);
    const own = candidates.find((c) => ctx.products.has(c));
    const sku = mapped ?? own;
    // The canonical kind leaves an unknown sku to the import (SKU_NOT_FOUND, API.md §7.2).
    if (!sku && !ctx.canonical)
      refusals.push(
        refusal(
          'INTAKE_SKU_UNMAPPED',
          `channel sku ${candidates.join(' / ')} is in neither the sku map nor the catalogue.`,
          {
            field: `lines[${i}].sku`,
            meta: { channelSkus: candidates },
          },
        ),
      );
    return { ...line, sku: sku ?? line.sku };
  });
  return { request: { ...req, lines }, refusals };
}

function total(
  req: ImportRequest,
  adapted: Adapted,
  s: ValidationSettings,
  ctx: ValidateContext,
): Refusal[] {
  if (adapted.channelTotal === null) return [];
  const built = buildImportedOrder(req, {
    products: ctx.products,
    now: ctx.now,
    nextId: (p) => `${p}_check`,
  });
  if (!built.ok) return []; // the import answers these itself, with its own codes
  const diff = Math.abs(built.value.totals.grandTotal - adapted.channelTotal);
  const tolerance = s.profile === 'lenient' ? s.totalToleranceMinor : 0;
  return diff > tolerance
    ? [
        refusal(
          'INTAKE_TOTAL_MISMATCH',
          `the channel charged ${adapted.channelTotal}, Amend computes ${built.value.totals.grandTotal} (off by ${diff}, tolerance ${tolerance}).`,
          {
            field: 'totals.grandTotal',
            meta: { channelTotal: adapted.channelTotal, amendTotal: built.value.totals.grandTotal },
          },
        ),
      ]
    : [];
}

/** The adapted order judged by the profile: the import body to use, or every reason it is refused. */
export function validateIntake(
  adapted: Adapted,
  s: ValidationSettings,
  ctx: ValidateContext,
): Result<ImportRequest> {
  // The address first: a national phone number is read in the (normalised) shipping country.
  const b = address(adapted.request, s, ctx.canonical);
  const a = contact(b.request, s, ctx.canonical);
  const c = skus(a.request, adapted.lineSkus, ctx);
  const refusals = [...a.refusals, ...b.refusals, ...c.refusals];
  if (refusals.some((r) => r.code === 'INTAKE_SKU_UNMAPPED')) return refused(refusals);
  refusals.push(...total(c.request, adapted, s, ctx));
  return refusals.length ? refused(refusals) : ok(c.request);
}
