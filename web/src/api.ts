/** The one way the console talks to Amend: bearer key, JSON, problems turned into ApiError. */

const KEY = 'amend.apiKey';
const NAME = 'amend.name';

/** The key (and, for a demo user, the name) kept in this browser until sign-out. */
export const session = {
  key: (): string | null => localStorage.getItem(KEY),
  name: (): string | null => localStorage.getItem(NAME),
  signIn: (key: string, name?: string) => {
    localStorage.setItem(KEY, key);
    if (name) localStorage.setItem(NAME, name);
    else localStorage.removeItem(NAME);
  },
  signOut: () => {
    localStorage.removeItem(KEY);
    localStorage.removeItem(NAME);
  },
};

export interface Problem {
  code: string;
  title?: string;
  detail?: string;
  hint?: string;
  status?: number;
  changeId?: string;
  currentVersion?: number;
  errors?: {
    code: string;
    detail: string;
    hint?: string;
    field?: string;
    operationIndex?: number;
  }[];
  [k: string]: unknown;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly problem: Problem,
  ) {
    super(problem.detail ?? problem.title ?? problem.code);
  }
}

export interface Answer<T> {
  status: number;
  data: T;
  headers: Headers;
}

export async function call<T>(
  path: string,
  init: { method?: string; body?: unknown; headers?: Record<string, string> } = {},
): Promise<Answer<T>> {
  const key = session.key();
  const response = await fetch(path, {
    method: init.method ?? 'GET',
    headers: {
      ...(key ? { authorization: `Bearer ${key}` } : {}),
      ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...init.headers,
    },
    ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
  });
  const text = await response.text();
  const data = text ? JSON.parse(text) : null;
  if (!response.ok)
    throw new ApiError(response.status, data ?? { code: 'HTTP_' + response.status });
  return { status: response.status, data: data as T, headers: response.headers };
}

export const get = async <T>(path: string): Promise<T> => (await call<T>(path)).data;
export const post = <T>(path: string, body: unknown = {}, headers: Record<string, string> = {}) =>
  call<T>(path, { method: 'POST', body, headers });

/** A fresh idempotency key for a state-changing request the person may resend. */
export const idempotencyKey = () => `console-${crypto.randomUUID()}`;

// Money and dates read from the one formatter (format.ts); kept here for the pages that import them.
export { money, when } from './format';
