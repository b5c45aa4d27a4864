/**
 * One process per PGlite data folder (issue 12): PGlite has no server, so two processes opening the
 * same folder each keep their own copy in memory — one never sees the other's writes, and the folder
 * can be corrupted. Whoever opens the folder takes an exclusive lock (proper-lockfile: a `<folder>.lock`
 * directory refreshed while held) and writes who holds it beside, for a clear message to the next one.
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import lockfile from 'proper-lockfile';

export interface FolderOwner {
  pid: number;
  command: string;
  since: string;
}

export class DataFolderInUseError extends Error {
  constructor(
    readonly dataDir: string,
    readonly owner: FolderOwner | null,
  ) {
    super(
      `The data folder ${dataDir} is in use by another Amend process${
        owner ? ` (pid ${owner.pid}, \`amend ${owner.command}\` since ${owner.since})` : ''
      }: PGlite serves one process only.`,
    );
    this.name = 'DataFolderInUseError';
  }
}

const ownerFile = (dataDir: string) => `${dataDir}.owner.json`;

function readOwner(dataDir: string): FolderOwner | null {
  try {
    return JSON.parse(readFileSync(ownerFile(dataDir), 'utf8')) as FolderOwner;
  } catch {
    return null;
  }
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/**
 * Takes the folder's lock or throws DataFolderInUseError. A lock left by a process that died on this
 * host (kill -9) is taken over at once; one whose holder stopped refreshing it for `staleMs` (another
 * host, a hung process) too. Answers the release.
 */
export async function lockDataFolder(
  dataDir: string,
  opts: { staleMs?: number; onLost?: (err: Error) => void } = {},
): Promise<() => Promise<void>> {
  const options = {
    // A long PGlite query blocks the event loop and so the refresh: a minute keeps such a lock ours.
    stale: opts.staleMs ?? 60_000,
    update: Math.min(10_000, (opts.staleMs ?? 60_000) / 2),
    realpath: false,
    onCompromised:
      opts.onLost ??
      ((err: Error) => {
        // Another process took the folder: writing on would corrupt it.
        console.error(`amend: lost the lock on ${dataDir} (${err.message}); exiting`);
        process.exit(70);
      }),
  };
  let release: () => Promise<void>;
  try {
    release = await lockfile.lock(dataDir, options);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ELOCKED') throw err;
    const owner = readOwner(dataDir);
    if (!owner || owner.pid === process.pid || alive(owner.pid))
      throw new DataFolderInUseError(dataDir, owner);
    rmSync(`${dataDir}.lock`, { recursive: true, force: true }); // its holder died on this host
    try {
      release = await lockfile.lock(dataDir, options);
    } catch {
      throw new DataFolderInUseError(dataDir, readOwner(dataDir));
    }
  }
  const command = process.argv[2] && !process.argv[2].startsWith('-') ? process.argv[2] : 'serve';
  const owner: FolderOwner = { pid: process.pid, command, since: new Date().toISOString() };
  writeFileSync(ownerFile(dataDir), JSON.stringify(owner));
  return async () => {
    rmSync(ownerFile(dataDir), { force: true });
    await release().catch(() => undefined);
  };
}
