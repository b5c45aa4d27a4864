/** amend seed: create the demo tenants if they are missing. */
import type { Command } from 'commander';
import { seedDemo } from '../../seed/demo.js';
import { action, consoleLog, withDeps, type CliContext } from '../context.js';

export function registerSeed(program: Command, ctx: CliContext): void {
  program
    .command('seed')
    .description('create the demo tenants and their orders if they are missing')
    .action(
      action(
        ctx,
        () =>
          withDeps(ctx, consoleLog, async (deps) => {
            const result = await seedDemo(deps);
            console.log(
              result.created
                ? `demo tenants seeded (${result.orders} orders)`
                : 'demo tenants already exist',
            );
            return 0;
          }),
        'a server in demo mode seeds the demo tenants when it starts',
      ),
    );
}
