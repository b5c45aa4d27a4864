/** What every command of `amend` shares: the configuration, opening the store, progress bars, the exit code. */
import cliProgress from 'cli-progress';
import type { Deps, Logger } from '../app/deps.js';
import type { Config } from '../config.js';
import { DataFolderInUseError } from '../db/data-folder-lock.js';
import { openDeps } from '../server.js';

/** A command's result: the exit code, or 'running' for a command that serves until a signal. */
export type Outcome = number | 'running';

export interface CliContext {
  config: Config;
  /** Records the command's outcome; main exits with it once the action returns. */
  finish(outcome: Outcome): void;
}

/** An action that records its outcome; a data folder held by a server ends it with advice. */
export function action<A extends unknown[]>(
  ctx: CliContext,
  fn: (...args: A) => Promise<Outcome>,
  whenServerRuns = 'stop the server first',
) {
  return async (...args: A): Promise<void> => {
    try {
      ctx.finish(await fn(...args));
    } catch (err) {
      if (!(err instanceof DataFolderInUseError)) throw err;
      console.error(`${err.message}\nUse the running server instead: ${whenServerRuns}.`);
      ctx.finish(75); // EX_TEMPFAIL: try again once the server is stopped
    }
  };
}

/** Opens the store, runs `fn`, and closes the store whatever happens. */
export async function withDeps<T>(
  ctx: CliContext,
  log: Logger,
  fn: (deps: Deps) => Promise<T>,
): Promise<T> {
  const { deps, close } = await openDeps(ctx.config, log);
  try {
    return await fn(deps);
  } finally {
    await close();
  }
}

/** A progress bar on stderr (drawn only on a terminal; the summary goes to stdout either way). */
export function progressBar(unit: string): {
  update(done: number, total: number, detail?: string): void;
  stop(): void;
} {
  const bar = new cliProgress.SingleBar(
    {
      format: `{bar} {value}/{total} ${unit}  {detail}`,
      stream: process.stderr,
      hideCursor: true,
      clearOnComplete: false,
    },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  return {
    update(done, total, detail = '') {
      if (!started) {
        bar.start(total, 0, { detail });
        started = true;
      }
      bar.setTotal(total);
      bar.update(done, { detail });
    },
    stop() {
      if (started) bar.stop();
    },
  };
}

export const consoleLog: Logger = {
  info: (o, m) => console.log(m ?? (typeof o === 'string' ? o : JSON.stringify(o))),
  warn: (o, m) => console.warn(m ?? (typeof o === 'string' ? o : JSON.stringify(o))),
  error: (o, m) => console.error(m ?? (typeof o === 'string' ? o : JSON.stringify(o))),
};
