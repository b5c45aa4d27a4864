/** Which engines the integration tests run on: both by default (AMEND_TEST_ENGINES=pglite,postgres). */
export type TestEngine = 'pglite' | 'postgres';

export const ENGINES: TestEngine[] = (process.env.AMEND_TEST_ENGINES ?? 'pglite,postgres')
  .split(',')
  .map((e) => e.trim())
  .filter((e): e is TestEngine => e === 'pglite' || e === 'postgres');

export const ADMIN_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
/** Test databases' name prefix; parallel runs on one server (several worktrees) set AMEND_TEST_DB_PREFIX apart. */
export const DB_PREFIX = process.env.AMEND_TEST_DB_PREFIX ?? 'amend_t';
export const TEMPLATE_DB = `${DB_PREFIX}_template`;

export function urlFor(database: string): string {
  const url = new URL(ADMIN_URL);
  url.pathname = `/${database}`;
  return url.toString();
}
