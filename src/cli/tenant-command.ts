/**
 * `amend tenants create --id T --name N`: a new, empty tenant (with its built-in `amend` source),
 * so that a real shop starts without the demo data: keys, catalogue, sources, then orders.
 */
import { parseArgs } from 'node:util';
import { silentLogger } from '../app/deps.js';
import type { Config } from '../config.js';
import { insertTenant } from '../db/reference-writes.js';
import { ensureBuiltInSource } from '../db/sources.js';
import { findStoredSettings } from '../db/tenants.js';
import { openDeps } from '../server.js';

export const TENANT_USAGE = `  tenants create --id T --name N     create an empty tenant (then: keys create, the catalogue API, sources)`;

export async function tenantCommand(args: string[], config: Config): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { id: { type: 'string' }, name: { type: 'string' } },
  });
  if (positionals[0] !== 'create' || !values.id || !/^[a-z0-9][a-z0-9-]{0,62}$/.test(values.id)) {
    console.error(
      'usage: amend tenants create --id T --name N  (T: lower-case letters, digits, dashes)',
    );
    return 2;
  }
  const { deps, close } = await openDeps(config, silentLogger);
  try {
    if (await findStoredSettings(deps.db, values.id)) {
      console.error(`tenant ${values.id} exists already`);
      return 1;
    }
    await deps.db.transaction().execute(async (tx) => {
      await insertTenant(tx, values.id as string, values.name ?? (values.id as string));
      await ensureBuiltInSource(tx, values.id as string);
    });
    console.log(
      `tenant ${values.id} created; next: amend keys create --tenant ${values.id} --role admin`,
    );
    return 0;
  } finally {
    await close();
  }
}
