#!/usr/bin/env node
/** amend serve | migrate | seed | keys create --tenant T --role R */
import { parseArgs } from 'node:util';
import { silentLogger } from '../app/deps.js';
import { createApiKey } from '../app/identity.js';
import { seedDemo } from '../seed/demo.js';
import { recordVerifyRun, verifyIntegrity } from '../app/verify.js';
import { createRerouteJob, runRerouteJob } from '../app/bulk-reroute.js';
import type { Actor } from '../app/deps.js';
import { effectiveSettings, permissionsOf } from '../domain/settings.js';
import { loadConfig } from '../config.js';
import { INTAKE_USAGE, intakeCommand } from './intake-command.js';
import { TENANT_USAGE, tenantCommand } from './tenant-command.js';
import { findStoredSettings } from '../db/tenants.js';
import { ROLES, type Role } from '../domain/permissions.js';
import { openDeps, serve } from '../server.js';
import { startBackground, stopBackground } from '../worker/background.js';
import { replay, replayDead } from '../app/webhooks.js';

const USAGE = `usage: amend <command>
  serve                              start the HTTP server (default), with the change worker unless WORKER=off
  worker                             run the change worker (and the other background services) without HTTP
  migrate                            apply pending migrations and exit
  seed                               create the demo tenants if they are missing
  keys create --tenant T --role R    print a new API key once (only its hash is stored)
  verify                             check every order's invariants and stock; exits 1 listing violations
  reroute-unroutable --tenant T [--orders id,id]   reroute unroutable orders, with a progress bar
  replay --tenant T (--delivery ID | --dead)      deliver a webhook event again: one delivery, or every dead one
${TENANT_USAGE}
${INTAKE_USAGE}`;

async function main(argv: string[]): Promise<number> {
  const [command = 'serve', ...rest] = argv;
  const config = loadConfig();
  switch (command) {
    case 'serve':
      await serve(config);
      return -1;
    case 'worker': {
      const { deps, close } = await openDeps(config, consoleLog);
      const services = startBackground(deps, { ...config, inProcessWorker: true });
      console.log(
        `amend worker running: ${services.map((s) => s.name).join(', ')} (stop with SIGTERM)`,
      );
      await new Promise<void>((resolve) => {
        process.once('SIGTERM', resolve);
        process.once('SIGINT', resolve);
      });
      await stopBackground(services);
      await close();
      return 0;
    }
    case 'migrate': {
      const { close } = await openDeps(config, consoleLog);
      await close();
      return 0;
    }
    case 'seed': {
      const { deps, close } = await openDeps(config, consoleLog);
      const result = await seedDemo(deps);
      console.log(
        result.created
          ? `demo tenants seeded (${result.orders} orders)`
          : 'demo tenants already exist',
      );
      await close();
      return 0;
    }
    case 'keys': {
      const { values, positionals } = parseArgs({
        args: rest,
        allowPositionals: true,
        options: { tenant: { type: 'string' }, role: { type: 'string' }, name: { type: 'string' } },
      });
      if (
        positionals[0] !== 'create' ||
        !values.tenant ||
        !values.role ||
        !(ROLES as readonly string[]).includes(values.role)
      ) {
        console.error(`usage: amend keys create --tenant T --role ${ROLES.join('|')}`);
        return 2;
      }
      const { deps, close } = await openDeps(config, silentLogger);
      const tenant = await findStoredSettings(deps.db, values.tenant);
      if (!tenant) {
        console.error(`no tenant ${values.tenant}`);
        await close();
        return 1;
      }
      const { key, userId } = await createApiKey(
        deps,
        values.tenant,
        values.role as Role,
        values.name,
      );
      console.log(
        `${key}\n(user ${userId}, role ${values.role}, tenant ${values.tenant}; shown once, only its hash is stored)`,
      );
      await close();
      return 0;
    }
    case 'verify': {
      const { deps, close } = await openDeps(config, silentLogger);
      const result = await verifyIntegrity(deps);
      await recordVerifyRun(deps, result);
      const { orders, violations } = result;
      await close();
      for (const v of violations) console.log(`${v.rule}\t${v.orderId}\t${v.detail}`);
      console.log(`${orders} orders checked, ${violations.length} violations`);
      return violations.length ? 1 : 0;
    }
    case 'reroute-unroutable': {
      const { values } = parseArgs({
        args: rest,
        options: { tenant: { type: 'string' }, orders: { type: 'string' } },
      });
      if (!values.tenant) {
        console.error('usage: amend reroute-unroutable --tenant T [--orders id,id]');
        return 2;
      }
      const { deps, close } = await openDeps(config, silentLogger);
      const tenant = await findStoredSettings(deps.db, values.tenant);
      if (!tenant) {
        console.error(`no tenant ${values.tenant}`);
        await close();
        return 1;
      }
      const settings = effectiveSettings(tenant.settings);
      // The operator at the console acts with the admin role of the tenant.
      const actor: Actor = {
        tenantId: values.tenant,
        actorId: 'cli',
        role: 'admin',
        permissions: new Set(permissionsOf(settings, 'admin')),
        settings,
      };
      const request = values.orders ? { orderIds: values.orders.split(',').filter(Boolean) } : {};
      const job = await createRerouteJob(deps, actor, request);
      const tally = { routed: 0, unroutable: 0, skipped: 0 } as Record<string, number>;
      await runRerouteJob(deps, actor, job, request, (done, total, result) => {
        tally[result.status] = (tally[result.status] ?? 0) + 1;
        process.stderr.write(
          `\r${progressBar(done, total)} ${done}/${total}  routed ${tally.routed}, unroutable ${tally.unroutable}, skipped ${tally.skipped}`,
        );
      });
      process.stderr.write('\n');
      console.log(
        `bulk job ${job.id}: ${job.orderIds.length} orders, ${tally.routed} routed, ${tally.unroutable} still unroutable, ${tally.skipped} skipped`,
      );
      await close();
      return 0;
    }
    case 'replay': {
      const { values } = parseArgs({
        args: rest,
        options: {
          tenant: { type: 'string' },
          delivery: { type: 'string' },
          dead: { type: 'boolean' },
        },
      });
      if (!values.tenant || (!values.delivery && !values.dead)) {
        console.error('usage: amend replay --tenant T (--delivery ID | --dead)');
        return 2;
      }
      const { deps, close } = await openDeps(config, silentLogger);
      try {
        const fresh = values.delivery
          ? [await replay(deps, values.tenant, values.delivery)]
          : await replayDead(deps, values.tenant);
        for (const d of fresh)
          console.log(`${d.id}\t${d.eventType}\tevent ${d.eventId}\treplays ${d.replayOf}`);
        console.log(
          `${fresh.length} ${fresh.length === 1 ? 'delivery' : 'deliveries'} queued again; the server's webhook relay (or \`amend worker\`) sends them`,
        );
        return 0;
      } catch (err) {
        console.error(err instanceof Error ? err.message : err);
        return 1;
      } finally {
        await close();
      }
    }
    case 'intake':
      return intakeCommand(rest, config);
    case 'tenants':
      return tenantCommand(rest, config);
    case '--help':
    case 'help':
      console.log(USAGE);
      return 0;
    default:
      console.error(USAGE);
      return 2;
  }
}

function progressBar(done: number, total: number, width = 30): string {
  const filled = total === 0 ? width : Math.round((done / total) * width);
  return `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}]`;
}

const consoleLog = {
  info: (o: object | string, m?: string) =>
    console.log(m ?? (typeof o === 'string' ? o : JSON.stringify(o))),
  warn: (o: object | string, m?: string) =>
    console.warn(m ?? (typeof o === 'string' ? o : JSON.stringify(o))),
  error: (o: object | string, m?: string) =>
    console.error(m ?? (typeof o === 'string' ? o : JSON.stringify(o))),
};

main(process.argv.slice(2)).then(
  (code) => {
    if (code >= 0) process.exit(code);
  },
  (err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  },
);
