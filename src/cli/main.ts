#!/usr/bin/env node
/** `amend <command>`: one file per command in ./commands, each registering itself on the program. */
import { Command } from 'commander';
import { loadConfig } from '../config.js';
import { COMMANDS } from './commands/index.js';
import type { CliContext, Outcome } from './context.js';

async function main(argv: string[]): Promise<Outcome> {
  let outcome: Outcome = 0;
  const ctx: CliContext = {
    config: loadConfig(),
    finish: (o) => {
      outcome = o;
    },
  };
  const program = new Command('amend')
    .description('Amend: order modification for Order Management Systems')
    .showHelpAfterError()
    .exitOverride();
  for (const register of COMMANDS) register(program, ctx);
  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (err) {
    // --help, --version and usage errors: commander has printed what to say.
    const code = (err as { exitCode?: number }).exitCode;
    if (typeof code === 'number') return code;
    throw err;
  }
  return outcome;
}

main(process.argv.slice(2)).then(
  (outcome) => {
    if (outcome !== 'running') process.exit(outcome);
  },
  (err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  },
);
