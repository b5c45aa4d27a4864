/** amend reroute-unroutable --tenant T [--orders id,id]: reroute unroutable orders, with a progress bar. */
import type { Command } from 'commander';
import { createRerouteJob, runRerouteJob } from '../../app/bulk-reroute.js';
import { silentLogger, type Actor } from '../../app/deps.js';
import { findStoredSettings } from '../../db/tenants.js';
import { effectiveSettings, permissionsOf } from '../../domain/settings.js';
import { action, progressBar, withDeps, type CliContext } from '../context.js';

export function registerRerouteUnroutable(program: Command, ctx: CliContext): void {
  program
    .command('reroute-unroutable')
    .description("route the tenant's unroutable orders again (as its admin), with a progress bar")
    .requiredOption('--tenant <tenant>', 'the tenant whose orders to reroute')
    .option('--orders <ids>', 'only these orders, comma-separated')
    .action(
      action(
        ctx,
        (opts: { tenant: string; orders?: string }) =>
          withDeps(ctx, silentLogger, async (deps) => {
            const tenant = await findStoredSettings(deps.db, opts.tenant);
            if (!tenant) {
              console.error(`no tenant ${opts.tenant}`);
              return 1;
            }
            const settings = effectiveSettings(tenant.settings);
            // The operator at the console acts with the admin role of the tenant.
            const actor: Actor = {
              tenantId: opts.tenant,
              actorId: 'cli',
              role: 'admin',
              permissions: new Set(permissionsOf(settings, 'admin')),
              settings,
            };
            const request = opts.orders ? { orderIds: opts.orders.split(',').filter(Boolean) } : {};
            const job = await createRerouteJob(deps, actor, request);
            const tally: Record<string, number> = { routed: 0, unroutable: 0, skipped: 0 };
            const bar = progressBar('orders');
            await runRerouteJob(deps, actor, job, request, (done, total, result) => {
              tally[result.status] = (tally[result.status] ?? 0) + 1;
              bar.update(done, total, `routed ${tally.routed}, unroutable ${tally.unroutable}`);
            });
            bar.stop();
            console.log(
              `bulk job ${job.id}: ${job.orderIds.length} orders, ${tally.routed} routed, ${tally.unroutable} still unroutable, ${tally.skipped} skipped`,
            );
            return 0;
          }),
        'POST /v1/routing/reroute-unroutable (an admin or supervisor key) does the same in the server',
      ),
    );
}
