/**
 * amend risk train --tenant T: harvest the finished changes, train and store the next model version.
 * amend risk evaluate --tenant T: AUC, precision / recall at the thresholds and calibration on a
 * time-ordered hold-out, the fixed rules beside the model on the same changes (docs/risk.md).
 */
import type { Command } from 'commander';
import { silentLogger } from '../../app/deps.js';
import { evaluateTenant, trainTenant } from '../../app/risk.js';
import { RefusedError } from '../../app/refused-error.js';
import type { Evaluation, ScorerFigures } from '../../domain/risk/evaluation.js';
import { action, withDeps, type CliContext } from '../context.js';

const f3 = (x: number | null) => (x === null ? '—' : x.toFixed(3));
const pct = (x: number | null) => (x === null ? '—' : `${(x * 100).toFixed(1)} %`);

function thresholdLines(name: string, s: ScorerFigures): string[] {
  return s.thresholds.map(
    (t) =>
      `  ${name.padEnd(6)} score ≥ ${String(t.threshold).padStart(3)}: flagged ${t.flagged}, precision ${f3(t.precision)}, recall ${f3(t.recall)}`,
  );
}

export function printEvaluation(e: Evaluation): string[] {
  return [
    `hold-out: the last ${e.heldOut} decisions (from ${e.splitAt}); trained on the ${e.trainedOn} before`,
    `bad outcomes in the hold-out: ${pct(e.positiveRate)}`,
    `AUC  model ${f3(e.model.auc)}   rules ${f3(e.rules.auc)}`,
    ...thresholdLines('model', e.model),
    ...thresholdLines('rules', e.rules),
    `auto-approved by the model (score < autoApproveBelow): ${pct(e.autoApproved.share)}, of which bad ${pct(e.autoApproved.badRate)}`,
    'calibration (predicted → observed, count):',
    ...e.model.calibration
      .filter((b) => b.count > 0)
      .map(
        (b) =>
          `  ${b.from.toFixed(1)}–${b.to.toFixed(1)}: ${f3(b.predicted)} → ${f3(b.observed)} (${b.count})`,
      ),
  ];
}

const tenantMissing = (err: unknown, tenant: string) => {
  if (err instanceof RefusedError) {
    console.error(`tenant ${tenant} does not exist`);
    return 1;
  }
  throw err;
};

export function registerRisk(program: Command, ctx: CliContext): void {
  const risk = program.command('risk').description("the tenant's risk model");
  risk
    .command('train')
    .description('learn from the finished changes and store the next model version')
    .requiredOption('--tenant <tenant>', 'the tenant')
    .action(
      action(ctx, (opts: { tenant: string }) =>
        withDeps(ctx, silentLogger, async (deps) => {
          const result = await trainTenant(deps, opts.tenant).catch((e) =>
            tenantMissing(e, opts.tenant),
          );
          if (typeof result === 'number') return result;
          console.log(`${result.harvested} new decisions harvested, ${result.decisions} in all`);
          if (!result.trained) {
            console.log(`not trained: ${result.reason}`);
            return 0;
          }
          console.log(`model v${result.version} trained on ${result.decisions} decisions`);
          if (result.evaluation)
            for (const line of printEvaluation(result.evaluation)) console.log(line);
          return 0;
        }),
      ),
    );
  risk
    .command('evaluate')
    .description('AUC and precision / recall on a time-ordered hold-out, next to the fixed rules')
    .requiredOption('--tenant <tenant>', 'the tenant')
    .action(
      action(ctx, (opts: { tenant: string }) =>
        withDeps(ctx, silentLogger, async (deps) => {
          const result = await evaluateTenant(deps, opts.tenant).catch((e) =>
            tenantMissing(e, opts.tenant),
          );
          if (typeof result === 'number') return result;
          if (!result.evaluation) {
            console.log(`${result.decisions} decisions: too few for a hold-out`);
            return 0;
          }
          console.log(
            `${result.decisions} decisions; thresholds ${result.settings.autoApproveBelow} / ${result.settings.approvalAbove}`,
          );
          for (const line of printEvaluation(result.evaluation)) console.log(line);
          return 0;
        }),
      ),
    );
}
