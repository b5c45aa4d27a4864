/** amend verify: every integrity check over every tenant; exits 1 listing the violations. */
import type { Command } from 'commander';
import { silentLogger } from '../../app/deps.js';
import { recordVerifyRun, verifyIntegrity } from '../../app/verify.js';
import { action, progressBar, withDeps, type CliContext } from '../context.js';

export function registerVerify(program: Command, ctx: CliContext): void {
  program
    .command('verify')
    .description(
      "check every order's invariants, versions, audit replay and stock; exits 1 listing violations",
    )
    .action(
      action(
        ctx,
        () =>
          withDeps(ctx, silentLogger, async (deps) => {
            const bar = progressBar('orders');
            const result = await verifyIntegrity(deps, (done, total) => bar.update(done, total));
            bar.stop();
            await recordVerifyRun(deps, result);
            for (const v of result.violations) console.log(`${v.rule}\t${v.orderId}\t${v.detail}`);
            console.log(`${result.orders} orders checked, ${result.violations.length} violations`);
            return result.violations.length ? 1 : 0;
          }),
        "POST /v1/integrity-checks runs the same checks in the server (the KPIs show the last run's figure)",
      ),
    );
}
