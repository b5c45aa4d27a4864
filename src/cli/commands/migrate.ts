/** amend migrate: apply pending migrations and exit. */
import type { Command } from 'commander';
import { action, consoleLog, withDeps, type CliContext } from '../context.js';

export function registerMigrate(program: Command, ctx: CliContext): void {
  program
    .command('migrate')
    .description('apply pending migrations (plain SQL in migrations/) and exit')
    .action(
      action(
        ctx,
        async () => {
          await withDeps(ctx, consoleLog, async () => undefined);
          return 0;
        },
        'the server applied its migrations when it started',
      ),
    );
}
