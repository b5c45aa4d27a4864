/** Each column of the model in words, read off the change itself (what a supervisor can check). */
import { groupOf, type RiskInput } from './features.js';

const money = (minor: number) => (minor / 100).toFixed(2);
const pct = (x: number) => `${Math.round(x * 100)} %`;

const GROUP_WORDS: Record<string, [string, string]> = {
  line: ['It edits lines', 'It edits no line'],
  price: ['It overrides prices or discounts', 'It overrides no price'],
  address: ['It changes the shipping address', 'It leaves the address'],
  delivery: ['It changes the delivery', 'It leaves the delivery'],
  routing: ['It re-routes the order', 'It does not re-route'],
  cancel: ['It cancels the order', 'It does not cancel'],
  attributes: ['It edits custom attributes', 'It edits no attribute'],
};

/** The sentence for a column, about this change. */
export function describeColumn(column: string, input: RiskInput): string {
  // A category's value may hold ':' itself (a channel id): split at the first one only.
  const at = column.indexOf(':');
  const [kind, value] = at < 0 ? [column, ''] : [column.slice(0, at), column.slice(at + 1)];
  switch (kind) {
    case 'valueDelta':
      return `The total moves by ${money(input.valueDelta)}`;
    case 'valueDeltaPct':
      return `The total moves by ${input.valueDeltaPct} %`;
    case 'addressAfterPayment':
      return input.addressAfterPayment
        ? 'The address changes after payment'
        : 'No address change after payment';
    case 'changesSoFar':
      return `The order had ${input.changesSoFar} changes before`;
    case 'orderAge':
      return `The order is ${Math.round(input.orderAgeHours)} h old`;
    case 'pickerBreaches':
      return `${input.pickerBreaches} picker limits exceeded`;
    case 'actorRejectionRate':
      return `${pct(input.actorRejectionRate)} of this requester's changes were rejected`;
    case 'actorRateRatio':
      return `This requester made ${input.actorRecent} changes in the current window (usually ${Math.round(input.actorUsual * 10) / 10})`;
    case 'op':
      return (GROUP_WORDS[value ?? ''] ?? ['It edits the order', 'It edits the order'])[
        input.operations.some((op) => groupOf(op) === value) ? 0 : 1
      ] as string;
    case 'role':
      return input.role === value ? `Requested by a ${value}` : `Not requested by a ${value}`;
    case 'app':
      return input.app === value ? `Requested through ${value}` : `Not requested through ${value}`;
    case 'channel':
      return input.channel === value ? `Sold on channel ${value}` : `Not sold on channel ${value}`;
    case 'origin':
      return input.origin === value ? `Origin ${value}` : `Origin not ${value}`;
    case 'paymentMethod':
      return input.paymentMethod === value ? `Paid by ${value}` : `Not paid by ${value}`;
    default:
      return column;
  }
}
