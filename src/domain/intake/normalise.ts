/**
 * What the lenient profile repairs before it judges (INTAKE.md §2): countries to ISO 3166-1
 * alpha-2 (from names in several languages, alpha-3 codes or lower case), postal code spacing,
 * phone numbers to E.164, e-mail trimmed and case-folded. Maintained libraries hold the tables
 * (i18n-iso-countries, libphonenumber-js); nothing here is a hand-written list.
 */
import countries from 'i18n-iso-countries';
import de from 'i18n-iso-countries/langs/de.json' with { type: 'json' };
import en from 'i18n-iso-countries/langs/en.json' with { type: 'json' };
import es from 'i18n-iso-countries/langs/es.json' with { type: 'json' };
import fr from 'i18n-iso-countries/langs/fr.json' with { type: 'json' };
import it from 'i18n-iso-countries/langs/it.json' with { type: 'json' };
import nl from 'i18n-iso-countries/langs/nl.json' with { type: 'json' };
import pt from 'i18n-iso-countries/langs/pt.json' with { type: 'json' };
import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';

const LANGS = [en, de, fr, es, pt, it, nl];
for (const lang of LANGS) countries.registerLocale(lang);

/** True for an officially assigned alpha-2 code in upper case (what Amend stores). */
export const isAlpha2 = (code: string): boolean =>
  /^[A-Z]{2}$/.test(code) && countries.isValid(code);

/** An alpha-3 code (VTEX's format) as alpha-2, or undefined. */
export function alpha2FromAlpha3(code: string): string | undefined {
  return /^[A-Za-z]{3}$/.test(code) ? countries.alpha3ToAlpha2(code.toUpperCase()) : undefined;
}

/** Any spelling a shop system sends — "de", "DEU", "Germany", "Deutschland" — as alpha-2. */
export function countryToAlpha2(value: string): string | undefined {
  const v = value.trim();
  if (/^[A-Za-z]{2}$/.test(v) && isAlpha2(v.toUpperCase())) return v.toUpperCase();
  const from3 = alpha2FromAlpha3(v);
  if (from3) return from3;
  for (const lang of LANGS) {
    const code = countries.getAlpha2Code(v, lang.locale);
    if (code) return code;
  }
  return undefined;
}

/** Digits-only codes lose their spaces ("101 15" → "10115"); others get one space ("sw1a  1aa" → "SW1A 1AA"). */
export function normalisePostalCode(value: string): string {
  const squeezed = value.trim().replace(/\s+/g, ' ').toUpperCase();
  return /^[\d ]+$/.test(squeezed) ? squeezed.replace(/ /g, '') : squeezed;
}

export const isE164 = (phone: string): boolean => /^\+[1-9]\d{6,14}$/.test(phone);

/** E.164 when the number parses (national numbers read in the address's country), else undefined. */
export function phoneToE164(value: string, country?: string): string | undefined {
  const parsed = parsePhoneNumberFromString(
    value,
    country && isAlpha2(country) ? (country as CountryCode) : undefined,
  );
  return parsed?.isValid() ? parsed.number : undefined;
}

export const normaliseEmail = (value: string): string => value.trim().toLowerCase();

/** One @, something before it, a dotted domain after it, no spaces: enough to catch typos. */
export const isEmail = (value: string): boolean => /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value);
