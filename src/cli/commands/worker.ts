/** amend worker: the background services without HTTP (run as many as you like on PostgreSQL). */
import type { Command } from 'commander';
import { runWorker } from '../../server.js';
import { action, type CliContext } from '../context.js';

export function registerWorker(program: Command, ctx: CliContext): void {
  program
    .command('worker')
    .description(
      'run the change worker, webhook relay and NATS publisher without HTTP (stop with SIGTERM); METRICS_PORT serves its /metrics',
    )
    .action(
      action(
        ctx,
        async () => {
          await runWorker(ctx.config);
          return 'running';
        },
        'with PGlite the server runs the worker itself; `amend worker` needs DATABASE_URL',
      ),
    );
}
