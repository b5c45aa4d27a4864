/**
 * The typed Amend client: openapi-fetch over the types openapi-typescript generated from
 * docs/openapi.json (schema.d.ts, `npm run gen:client`). The console and the end-to-end tests call
 * the API through it; paths, parameters, bodies and answers are checked by the compiler.
 */
import createClient, { type Client, type Middleware } from 'openapi-fetch';
import type { components, operations, paths } from './schema.js';

export type { components, operations, paths };
export type Schemas = components['schemas'];
export type AmendClient = Client<paths>;

// The shapes the console and the tests read, by the names they read them under.
export type Order = Schemas['Order'];
export type OrderVersion = Schemas['OrderVersion'];
export type OrderLine = Schemas['OrderLine'];
export type Line = OrderLine;
export type Address = Schemas['Address'];
export type Payment = Schemas['Payment'];
export type Totals = Schemas['Totals'];
export type PickJob = Schemas['PickJob'] & { orderId?: string };
export type Change = Schemas['Change'];
export type ChangePreview = Schemas['ChangePreview'];
export type Plan = Schemas['ChangePlan'];
export type Transition = Change['transitions'][number];
export type ApprovalReason = Schemas['ApprovalReason'];
export type Editability = Schemas['Editability'];
export type Allowed = Schemas['Editable'];
export type HistoryEntry = Schemas['HistoryEntry'];
export type InboxEntry = Schemas['InboxEntry'];
export type ChangeInboxEntry = Schemas['ChangeInboxEntry'];
export type BulkJobInboxEntry = Schemas['BulkJobInboxEntry'];
export type BulkJob = Schemas['BulkJob'];
export type Me = Schemas['Me'] & { /** shown instead of the id when known */ name?: string };
export type Settings = Schemas['Settings'];
export type IntakeRecord = Schemas['IntakeRecord'];
export type Source = Schemas['IntakeSource'];
export type SourceHealth = Schemas['IntakeHealth'];
export type Problem = Schemas['Problem'];
export type Risk = Schemas['RiskVerdict'];
export type RiskSummary = Schemas['RiskSummary'];
export type UnusualActor = Schemas['UnusualActor'];
export type CustomerNotification = Schemas['CustomerNotification'];
export type KpiTargetStatus = Schemas['KpiTargetStatus'];
export type User = Schemas['User'];
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface ClientOptions {
  /** Where the API is: '' (the console's own origin) or e.g. http://127.0.0.1:3000. */
  baseUrl?: string;
  /** The API key of every request, read each time (a sign-in changes it). */
  apiKey?: () => string | null | undefined;
  fetch?: (input: Request) => Promise<Response>;
}

/** A client whose every request carries `Authorization: Bearer <key>` when there is a key. */
export function amendClient(options: ClientOptions = {}): AmendClient {
  const client = createClient<paths>({
    baseUrl: options.baseUrl ?? '',
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
  const bearer: Middleware = {
    onRequest({ request }) {
      const key = options.apiKey?.();
      if (key && !request.headers.has('authorization'))
        request.headers.set('authorization', `Bearer ${key}`);
      return request;
    },
  };
  client.use(bearer);
  return client;
}
