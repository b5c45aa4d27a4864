/** Real `amend` processes for tests: one node process each (node --import tsx), so its pid is the server's. */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';

export interface Finished {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  ms: number;
}

export interface Running {
  child: ChildProcess;
  output: () => string;
  exited: Promise<Finished>;
}

export function startAmend(args: string[], env: Record<string, string>): Running {
  const started = Date.now();
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], {
    env: { ...process.env, NATS_URL: '', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (c) => (stdout += c));
  child.stderr?.on('data', (c) => (stderr += c));
  const exited = new Promise<Finished>((resolve) =>
    child.once('exit', (code, signal) =>
      resolve({ code, signal, stdout, stderr, ms: Date.now() - started }),
    ),
  );
  return { child, output: () => stdout + stderr, exited };
}

/** Runs a command to its end (bounded by `ms`). */
export async function runAmend(
  args: string[],
  env: Record<string, string>,
  ms = 120_000,
): Promise<Finished> {
  const run = startAmend(args, env);
  const timer = setTimeout(() => run.child.kill('SIGKILL'), ms);
  try {
    return await run.exited;
  } finally {
    clearTimeout(timer);
  }
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Waits until GET /readyz answers 200 (bounded); throws if the process ended first. */
export async function untilReady(base: string, run: Running, ms = 150_000): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (run.child.exitCode !== null) throw new Error(`amend exited early:\n${run.output()}`);
    try {
      if ((await fetch(`${base}/readyz`)).ok) return;
    } catch {
      /* not listening yet */
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`not ready within ${ms} ms:\n${run.output()}`);
}
