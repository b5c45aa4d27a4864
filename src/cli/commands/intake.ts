/**
 * amend intake replay --source S [--code C] [--tenant T]: replays a source's dead letters (of one
 * code, or all) as a bulk job, with a progress bar. The tenant may be left out when only one tenant
 * has a source of that id.
 */
import type { Command } from 'commander';
import { silentLogger, type Actor } from '../../app/deps.js';
import { createReplayJob, runReplayJob } from '../../app/intake-replay.js';
import { findSourcesById } from '../../db/sources.js';
import { findStoredSettings } from '../../db/tenants.js';
import { effectiveSettings, permissionsOf } from '../../domain/settings.js';
import { action, progressBar, withDeps, type CliContext } from '../context.js';

interface Options {
  source: string;
  code?: string;
  tenant?: string;
}

export function registerIntake(program: Command, ctx: CliContext): void {
  const intake = program
    .command('intake')
    .description('channel intake: dead letters of order sources');
  intake
    .command('replay')
    .description(
      "replay a source's dead letters (of one code), as its tenant's admin, with a progress bar",
    )
    .requiredOption('--source <id>', 'the source whose dead letters to replay')
    .option('--code <code>', 'only the dead letters of this code, e.g. INTAKE_SKU_UNMAPPED')
    .option('--tenant <tenant>', 'the tenant, when several have a source of that id')
    .action(
      action(
        ctx,
        (opts: Options) =>
          withDeps(ctx, silentLogger, async (deps) => {
            const owners = (await findSourcesById(deps.db, opts.source)).map((s) => s.tenantId);
            const tenantId = opts.tenant ?? (owners.length === 1 ? owners[0] : undefined);
            if (!tenantId || !owners.includes(tenantId)) {
              console.error(
                owners.length > 1 && !opts.tenant
                  ? `source ${opts.source} exists in tenants ${owners.join(', ')}: say which with --tenant`
                  : `no source ${opts.source}${opts.tenant ? ` in tenant ${opts.tenant}` : ''}`,
              );
              return 1;
            }
            const settings = effectiveSettings(
              (await findStoredSettings(deps.db, tenantId))?.settings,
            );
            // The operator at the console acts with the admin role of the tenant.
            const actor: Actor = {
              tenantId,
              actorId: 'cli',
              role: 'admin',
              permissions: new Set(permissionsOf(settings, 'admin')),
              settings,
            };
            const job = await createReplayJob(deps, actor, {
              sourceId: opts.source,
              ...(opts.code ? { code: opts.code } : {}),
            });
            const tally = { imported: 0, failing: 0 };
            const bar = progressBar('dead letters');
            await runReplayJob(deps, actor, job, (done, total, result) => {
              if (result.status === 'imported') tally.imported++;
              else tally.failing++;
              bar.update(done, total, `imported ${tally.imported}, still failing ${tally.failing}`);
            });
            bar.stop();
            console.log(
              `bulk job ${job.id}: ${job.intakeIds.length} dead letters of ${opts.source}${opts.code ? ` (${opts.code})` : ''}, ${tally.imported} imported, ${tally.failing} still failing`,
            );
            return 0;
          }),
        'POST /v1/intake/replay (an admin or integration key) does the same in the server',
      ),
    );
}
