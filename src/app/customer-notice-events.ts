/**
 * The customer notice of an applied change travels through the outbox like every event: the commit
 * writes CUSTOMER_NOTIFICATION_REQUESTED with the rendered message (no extra statement: it is one of
 * the commit's events), a trigger files it as a notification (migrations/0067), and the notifier
 * (worker/customer-notifier.ts) sends it by e-mail with retries and a dead letter.
 */
import type { NewEvent } from '../db/outbox.js';
import type { Change } from '../domain/change/change.js';
import type { ChangePlan, ChangeRequest } from '../domain/change/types.js';
import {
  renderCustomerNotice,
  wantsCustomerNotice,
  type CustomerNotice,
} from '../domain/notifications/customer-notice.js';
import type { Order } from '../domain/order.js';
import type { TenantSettings } from '../domain/settings.js';
import type { Deps } from './deps.js';

/** What preview shows beside the plan: whether apply would send the notice, and its words. */
export function previewNotice(
  before: Order,
  plan: ChangePlan,
  request: ChangeRequest,
  settings: TenantSettings,
): { send: boolean } & CustomerNotice {
  const customer = settings.notifications.customer;
  return {
    send: wantsCustomerNotice(request.notify, request.operations, customer),
    ...renderCustomerNotice(before, plan, customer),
  };
}

export function noticeEvents(
  deps: Deps,
  change: Change,
  before: Order,
  plan: ChangePlan,
  settings: TenantSettings,
): NewEvent[] {
  if (change.requestedBy.notifyCustomer !== true) return [];
  const notice = renderCustomerNotice(before, plan, settings.notifications.customer);
  return [
    {
      id: deps.ids('evt'),
      type: 'CUSTOMER_NOTIFICATION_REQUESTED',
      orderId: change.orderId,
      changeId: change.id,
      data: { channel: 'email', ...notice },
    },
  ];
}
