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
  private readonly options: IntakeWorkerOptions;

  constructor(
    private readonly deps: Deps,
    options: Partial<IntakeWorkerOptions> = {},
  ) {
    this.options = { concurrency: 4, leaseMs: 30_000, idleMs: 250, ...options };
  }

  start(): this {
    this.running = true;
    for (let i = 0; i < this.options.concurrency; i++) this.loops.push(this.loop(i));
    return this;
  }

  async stop(): Promise<void> {
    this.running = false;
    this.deps.signals.intakeQueued(); // wake the sleepers
    await Promise.all(this.loops);
    this.loops = [];
  }

  /** Works records until none is due; for tests. */
  async drain(): Promise<number> {
    let done = 0;
    while (await this.workOne(`${this.token}_d`)) done++;
    return done;
  }

  async workOne(token: string): Promise<boolean> {
    const claimed = await claimNextRecord(this.deps.db, token, this.options.leaseMs);
    if (!claimed) return false;
    await processClaimed(this.deps, claimed, token);
    return true;
  }

  private async loop(i: number): Promise<void> {
    const token = `${this.token}_${i}`;
    while (this.running) {
      const mark = this.deps.signals.mark('intake');
      let worked = false;
      try {
        worked = await this.workOne(token);
      } catch (err) {
        // The store itself failed (it is down, say): the record's lease runs out and it is taken again.
        this.deps.log.error({ err }, 'intake worker: could not work a record');
      }
      if (!worked && this.running) {
        const due = await nextIntakeDueInMs(this.deps.db).catch(() => null);
        await this.deps.signals.next(
          'intake',
          Math.min(this.options.idleMs, due ?? this.options.idleMs),
          mark,
        );
      }
    }
  }
}
