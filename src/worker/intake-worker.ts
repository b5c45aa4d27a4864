/**
 * The intake worker (INTAKE.md §1): takes the next waiting intake record with a lease (FOR UPDATE
 * SKIP LOCKED, like the change worker), runs it through the pipeline, and leaves it imported,
 * waiting for a retry (backoff with jitter), or a dead letter. A worker that dies mid-record loses
 * its lease and the record is taken again; the import's transaction marks the record, so it is
 * never imported twice.
 */
import { randomBytes } from 'node:crypto';
import type { Deps } from '../app/deps.js';
import { processClaimed } from '../app/intake-pipeline.js';
import { claimNextRecord, nextIntakeDueInMs } from '../db/intake-queue.js';
import type { BackgroundService } from './background.js';
import { IdleLoops } from './idle-loops.js';

export interface IntakeWorkerOptions {
  /** Records worked at once by this worker. */
  concurrency: number;
  /** How long a claimed record stays this worker's without a word from it. */
  leaseMs: number;
  /** Longest sleep when idle (other processes may receive records). */
  idleMs: number;
}

export class IntakeWorker implements BackgroundService {
  readonly token = `iwk_${randomBytes(6).toString('hex')}`;
  readonly name = `intake worker ${this.token}`;
  private running = false;
  private loops: Promise<void>[] = [];
  private idle: IdleLoops | null = null;
  private readonly options: IntakeWorkerOptions;

  constructor(
    private readonly deps: Deps,
    options: Partial<IntakeWorkerOptions> = {},
  ) {
    this.options = { concurrency: 4, leaseMs: 30_000, idleMs: 250, ...options };
  }

  start(): this {
    this.running = true;
    this.idle = new IdleLoops(this.deps.signals, 'intake');
    for (let i = 0; i < this.options.concurrency; i++) this.loops.push(this.loop(i, this.idle));
    return this;
  }

  async stop(): Promise<void> {
    this.running = false;
    this.idle?.close(); // wake the sleepers
    await Promise.all(this.loops);
    this.loops = [];
  }

  /** Works records until none is due; for tests. */
  async drain(): Promise<number> {
    let done = 0;
    while (await this.workOne(`${this.token}_d`)) done++;
    return done;
  }

  /** Claims and works one record; false when none was due. `claimed`: told once one is claimed. */
  async workOne(token: string, claimed?: () => void): Promise<boolean> {
    const record = await claimNextRecord(this.deps.db, token, this.options.leaseMs);
    if (!record) return false;
    claimed?.();
    await processClaimed(this.deps, record, token);
    return true;
  }

  private async loop(i: number, idle: IdleLoops): Promise<void> {
    const token = `${this.token}_${i}`;
    let polled = false;
    while (this.running) {
      const mark = idle.mark();
      let worked = false;
      try {
        // Records found by the poller may be a burst received elsewhere: one more loop looks too.
        worked = await this.workOne(token, () => {
          if (polled) idle.wakeOne();
        });
      } catch (err) {
        // The store itself failed (it is down, say): the record's lease runs out and it is taken again.
        this.deps.log.error({ err }, 'intake worker: could not work a record');
      }
      polled = false;
      if (!worked && this.running) {
        const woke = await idle.idle(mark, async () => {
          const due = await nextIntakeDueInMs(this.deps.db).catch(() => null);
          return Math.min(this.options.idleMs, due ?? this.options.idleMs);
        });
        polled = woke === 'polled';
      }
    }
  }
}
