/** The address rule (API.md §7.6 ADDRESS_INVALID), shared by import and setShippingAddress. */
import { refusal, type Refusal } from './errors.js';
import type { Address } from './order.js';

// ISO 3166-1 alpha-2, officially assigned codes.
const ISO_COUNTRIES = new Set(
  (
    'AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ ' +
    'CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM ' +
    'GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT ' +
    'LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN ' +
    'PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ ' +
    'UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW'
  ).split(' '),
);

const REQUIRED: (keyof Address)[] = ['name', 'street', 'city', 'postalCode'];

/** One refusal per offending field; `fieldPrefix` is where the address sits in the request body. */
export function addressRefusals(
  address: Partial<Address>,
  fieldPrefix: string,
  operationIndex?: number,
): Refusal[] {
  const at = (field: string) => ({
    field: `${fieldPrefix}.${field}`,
    ...(operationIndex === undefined ? {} : { operationIndex }),
  });
  const out: Refusal[] = [];
  for (const key of REQUIRED) {
    const value = address[key];
    if (typeof value !== 'string' || value.trim() === '')
      out.push(refusal('ADDRESS_INVALID', `${key} must not be blank.`, at(key)));
  }
  const country = address.country;
  if (typeof country !== 'string' || !ISO_COUNTRIES.has(country)) {
    out.push(
      refusal(
        'ADDRESS_INVALID',
        'country must be an ISO 3166-1 alpha-2 code such as DE.',
        at('country'),
      ),
    );
  } else if (
    country === 'DE' &&
    typeof address.postalCode === 'string' &&
    address.postalCode.trim() !== '' &&
    !/^\d{5}$/.test(address.postalCode)
  ) {
    out.push(
      refusal('ADDRESS_INVALID', 'a German postal code has exactly 5 digits.', at('postalCode')),
    );
  }
  return out;
}
