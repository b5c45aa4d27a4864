/** amend keys create --tenant T --role R: a new API key, printed once. */
import { Option, type Command } from 'commander';
import { silentLogger } from '../../app/deps.js';
import { createApiKey } from '../../app/identity.js';
import { findStoredSettings } from '../../db/tenants.js';
import { ROLES, type Role } from '../../domain/permissions.js';
import { action, withDeps, type CliContext } from '../context.js';

export function registerKeys(program: Command, ctx: CliContext): void {
  const keys = program.command('keys').description('manage API keys');
  keys
    .command('create')
    .description('print a new API key once (only its hash is stored)')
    .requiredOption('--tenant <tenant>', 'the tenant the key belongs to')
    .addOption(
      new Option('--role <role>', 'the role of its user').choices(ROLES).makeOptionMandatory(),
    )
    .option('--name <name>', "the user's name")
    .action(
      action(
        ctx,
        (opts: { tenant: string; role: Role; name?: string }) =>
          withDeps(ctx, silentLogger, async (deps) => {
            if (!(await findStoredSettings(deps.db, opts.tenant))) {
              console.error(`no tenant ${opts.tenant}`);
              return 1;
            }
            const { key, userId } = await createApiKey(deps, opts.tenant, opts.role, opts.name);
            console.log(
              `${key}\n(user ${userId}, role ${opts.role}, tenant ${opts.tenant}; shown once, only its hash is stored)`,
            );
            return 0;
          }),
        'stop the server, create the key, and start it again (keys are not created over the API)',
      ),
    );
}
