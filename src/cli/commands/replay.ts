/** amend replay --tenant T (--delivery ID | --dead): deliver webhook events again. */
import type { Command } from 'commander';
import { silentLogger } from '../../app/deps.js';
import { RefusedError } from '../../app/refused-error.js';
import { replay, replayDead } from '../../app/webhooks.js';
import { action, progressBar, withDeps, type CliContext } from '../context.js';

export function registerReplay(program: Command, ctx: CliContext): void {
  program
    .command('replay')
    .description('deliver a webhook event again: one delivery, or every dead one not replayed yet')
    .requiredOption('--tenant <tenant>', 'the tenant of the deliveries')
    .option('--delivery <id>', 'the delivery to send again')
    .option('--dead', 'every dead delivery of the tenant')
    .action(
      action(
        ctx,
        async (opts: { tenant: string; delivery?: string; dead?: boolean }) => {
          if (!opts.delivery === !opts.dead) {
            console.error('amend replay: give either --delivery ID or --dead');
            return 2;
          }
          return withDeps(ctx, silentLogger, async (deps) => {
            try {
              const bar = progressBar('deliveries');
              const fresh = opts.delivery
                ? [await replay(deps, opts.tenant, opts.delivery)]
                : await replayDead(deps, opts.tenant, (done, total) => bar.update(done, total));
              bar.stop();
              for (const d of fresh)
                console.log(`${d.id}\t${d.eventType}\tevent ${d.eventId}\treplays ${d.replayOf}`);
              console.log(
                `${fresh.length} ${fresh.length === 1 ? 'delivery' : 'deliveries'} queued again; the server's webhook relay (or \`amend worker\`) sends them`,
              );
              return 0;
            } catch (err) {
              if (!(err instanceof RefusedError)) throw err;
              console.error(err.refusals.map((r) => r.detail).join(' '));
              return 1;
            }
          });
        },
        'POST /v1/webhook-deliveries/{id}/replay sends one delivery again',
      ),
    );
}
