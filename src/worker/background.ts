/**
 * Work that runs beside the HTTP server (the change worker, the webhook and NATS relays, the
 * scheduled integrity check). Each service
 * starts with the process and stops before the store closes; `amend worker` runs them without HTTP.
 */
import type { Config } from '../config.js';
import { ChangeWorker } from './change-worker.js';
import { CustomerNotifier } from './customer-notifier.js';
import { IntakeWorker } from './intake-worker.js';
import { BulkJobSweeper } from './bulk-job-sweeper.js';
import { IntegrityChecker } from './integrity-checker.js';
import { KpiTargetWatcher } from './kpi-target-watcher.js';
import { NatsPublisher } from './nats-publisher.js';
import { WebhookRelay } from './webhook-relay.js';
import { RiskTrainer } from './risk-trainer.js';
import type { Deps } from '../app/deps.js';

export interface BackgroundService {
  name: string;
  /** Stops taking new work and waits for the work in hand (at most `graceMs`, where it can let go). */
  stop(graceMs?: number): Promise<void>;
}

export type ServiceFactory = (deps: Deps, config: Config) => BackgroundService | null;

/** One line per service; a factory answers null when its configuration leaves it off. */
const FACTORIES: ServiceFactory[] = [
  (deps, config) =>
    config.inProcessWorker
      ? namedWorker(
          new ChangeWorker(deps, {
            concurrency: config.workerConcurrency,
            leaseMs: config.workerLeaseMs,
            ...crashHook(),
          }).start(),
        )
      : null,
  (deps, config) => (config.inProcessWorker ? new WebhookRelay(deps).start() : null),
  (deps, config) => (config.inProcessWorker ? new CustomerNotifier(deps).start() : null),
  (deps, config) =>
    config.inProcessWorker
      ? new IntakeWorker(deps, {
          concurrency: config.intakeConcurrency,
          leaseMs: config.workerLeaseMs,
        }).start()
      : null,
  (deps, config) =>
    config.verifyIntervalMs > 0
      ? new IntegrityChecker(deps, config.verifyIntervalMs).start()
      : null,
  (deps, config) =>
    config.riskTrainIntervalMs > 0 && config.inProcessWorker
      ? new RiskTrainer(deps, config.riskTrainIntervalMs).start()
      : null,
  (deps, config) =>
    config.kpiCheckIntervalMs > 0
      ? new KpiTargetWatcher(deps, config.kpiCheckIntervalMs).start()
      : null,
  (deps, config) => (config.inProcessWorker ? new BulkJobSweeper(deps, 60_000).start() : null),
  (deps, config) =>
    config.natsUrl && config.inProcessWorker
      ? new NatsPublisher(deps, config.natsUrl).start()
      : null,
];

/**
 * AMEND_CRASH_AFTER_GATEWAY=1 (tests only): the process kills itself with SIGKILL right after a
 * change's gateway calls and before its commit — the crash the worker must survive without charging twice.
 */
function crashHook(): { afterGatewayCalls?: () => void } {
  return process.env.AMEND_CRASH_AFTER_GATEWAY === '1'
    ? {
        afterGatewayCalls: () => {
          process.kill(process.pid, 'SIGKILL');
        },
      }
    : {};
}

function namedWorker(worker: ChangeWorker): BackgroundService {
  return { name: `change worker ${worker.token}`, stop: (graceMs) => worker.stop(graceMs) };
}

export function startBackground(deps: Deps, config: Config): BackgroundService[] {
  const started: BackgroundService[] = [];
  for (const factory of FACTORIES) {
    const service = factory(deps, config);
    if (service) {
      deps.log.info({ service: service.name }, 'background service started');
      started.push(service);
    }
  }
  return started;
}

export async function stopBackground(
  services: BackgroundService[],
  graceMs?: number,
): Promise<void> {
  await Promise.all(services.map((s) => s.stop(graceMs)));
}
