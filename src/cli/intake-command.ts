/**
 * `amend intake replay --source S [--code C] [--tenant T]`: replays a source's dead letters (of
 * one code, or all) as a bulk job, with a progress bar (cli-progress). The tenant may be left out
 * when only one tenant has a source of that id.
 */
import { parseArgs } from 'node:util';
import cliProgress from 'cli-progress';
import type { Actor } from '../app/deps.js';
import { silentLogger } from '../app/deps.js';
import { createReplayJob, runReplayJob } from '../app/intake-replay.js';
import type { Config } from '../config.js';
import { findSourcesById } from '../db/sources.js';
import { findStoredSettings } from '../db/tenants.js';
import { effectiveSettings, permissionsOf } from '../domain/settings.js';
import { openDeps } from '../server.js';

export const INTAKE_USAGE = `  intake replay --source S [--code C] [--tenant T]   replay a source's dead letters (of one code), with a progress bar`;

export async function intakeCommand(args: string[], config: Config): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { source: { type: 'string' }, code: { type: 'string' }, tenant: { type: 'string' } },
  });
  if (positionals[0] !== 'replay' || !values.source) {
    console.error(`usage: amend${INTAKE_USAGE.trimStart().replace(/ {2,}.*$/, '')}`);
    return 2;
  }
  const { deps, close } = await openDeps(config, silentLogger);
  try {
    const owners = (await findSourcesById(deps.db, values.source)).map((s) => s.tenantId);
    const tenantId = values.tenant ?? (owners.length === 1 ? owners[0] : undefined);
    if (!tenantId || !owners.includes(tenantId)) {
      console.error(
        owners.length > 1 && !values.tenant
          ? `source ${values.source} exists in tenants ${owners.join(', ')}: say which with --tenant`
          : `no source ${values.source}${values.tenant ? ` in tenant ${values.tenant}` : ''}`,
      );
      return 1;
    }
    const settings = effectiveSettings((await findStoredSettings(deps.db, tenantId))?.settings);
    // The operator at the console acts with the admin role of the tenant.
    const actor: Actor = {
      tenantId,
      actorId: 'cli',
      role: 'admin',
      permissions: new Set(permissionsOf(settings, 'admin')),
      settings,
    };
    const job = await createReplayJob(deps, actor, {
      sourceId: values.source,
      ...(values.code ? { code: values.code } : {}),
    });
    const bar = new cliProgress.SingleBar(
      {
        format: 'replay [{bar}] {value}/{total}  imported {imported}, still failing {failing}',
        stream: process.stderr,
        // A bar also when stderr is a log file or a pipe (CI), drawn every 250 ms there.
        noTTYOutput: true,
        notTTYSchedule: 250,
      },
      cliProgress.Presets.legacy,
    );
    const tally = { imported: 0, failing: 0 };
    bar.start(job.intakeIds.length, 0, tally);
    await runReplayJob(deps, actor, job, (done, _total, result) => {
      if (result.status === 'imported') tally.imported++;
      else tally.failing++;
      bar.update(done, tally);
    });
    bar.stop();
    console.log(
      `bulk job ${job.id}: ${job.intakeIds.length} dead letters of ${values.source}${values.code ? ` (${values.code})` : ''}, ${tally.imported} imported, ${tally.failing} still failing`,
    );
    return 0;
  } finally {
    await close();
  }
}
