/**
 * amend tenants create --id T --name N: a new, empty tenant (with its built-in `amend` source), so
 * that a real shop starts without the demo data: keys, catalogue, sources, then orders.
 */
import type { Command } from 'commander';
import { silentLogger } from '../../app/deps.js';
import { insertTenant } from '../../db/reference-writes.js';
import { ensureBuiltInSource } from '../../db/sources.js';
import { findStoredSettings } from '../../db/tenants.js';
import { action, withDeps, type CliContext } from '../context.js';

export function registerTenants(program: Command, ctx: CliContext): void {
  const tenants = program.command('tenants').description('tenants');
  tenants
    .command('create')
    .description('create an empty tenant (then: keys create, the catalogue API, sources)')
    .requiredOption('--id <tenant>', 'lower-case letters, digits and dashes')
    .option('--name <name>', "the tenant's name (default: its id)")
    .action(
      action(ctx, (opts: { id: string; name?: string }) =>
        withDeps(ctx, silentLogger, async (deps) => {
          if (!/^[a-z0-9][a-z0-9-]{0,62}$/.test(opts.id)) {
            console.error('a tenant id has lower-case letters, digits and dashes');
            return 2;
          }
          if (await findStoredSettings(deps.db, opts.id)) {
            console.error(`tenant ${opts.id} exists already`);
            return 1;
          }
          await deps.db.transaction().execute(async (tx) => {
            await insertTenant(tx, opts.id, opts.name ?? opts.id);
            await ensureBuiltInSource(tx, opts.id);
          });
          console.log(
            `tenant ${opts.id} created; next: amend keys create --tenant ${opts.id} --role admin`,
          );
          return 0;
        }),
      ),
    );
}
