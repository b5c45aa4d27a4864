/** Every command of `amend`, in the order `amend --help` lists them. A new command is one file and one line here. */
import type { Command } from 'commander';
import type { CliContext } from '../context.js';
import { registerKeys } from './keys.js';
import { registerMigrate } from './migrate.js';
import { registerReplay } from './replay.js';
import { registerRerouteUnroutable } from './reroute-unroutable.js';
import { registerSeed } from './seed.js';
import { registerServe } from './serve.js';
import { registerVerify } from './verify.js';
import { registerWorker } from './worker.js';
import { registerIntake } from './intake.js';
import { registerTenants } from './tenants.js';
import { registerRisk } from './risk.js';

export const COMMANDS: ((program: Command, ctx: CliContext) => void)[] = [
  registerServe,
  registerWorker,
  registerMigrate,
  registerSeed,
  registerKeys,
  registerVerify,
  registerRerouteUnroutable,
  registerReplay,
  registerTenants,
  registerIntake,
  registerRisk,
];
