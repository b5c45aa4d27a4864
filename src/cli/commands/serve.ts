/** amend serve: the HTTP server (the default command). */
import type { Command } from 'commander';
import { serve } from '../../server.js';
import { action, type CliContext } from '../context.js';

export function registerServe(program: Command, ctx: CliContext): void {
  program
    .command('serve', { isDefault: true })
    .description(
      'start the HTTP server (API, console, docs) with the change worker, webhook relay and NATS publisher unless WORKER=off',
    )
    .action(
      action(
        ctx,
        async () => {
          await serve(ctx.config);
          return 'running';
        },
        'another server already serves this data folder; open its URL',
      ),
    );
}
