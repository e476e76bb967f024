/**
 * The progress display a command uses: bars on a TTY stderr, plain lines otherwise, nothing with
 * `--json` (stdout then carries one document and stderr stays quiet), plus the adapters from the
 * engine's and the exporter's progress events.
 */
import type { ApiUsageStore } from '../../autotask/persistence-ports.js';
import type { Clock } from '../../shared/clock.js';
import type { ProgressEvent } from '../../sync/engine/types.js';
import type { CliContext } from '../context.js';
import type { BudgetReading } from './budget-gauge.js';
import { colourEnabled, createColours } from './colour.js';
import { createProgressDisplay, type ProgressDisplay } from './progress.js';

export interface CommandProgressOptions {
  /** `--json`: no progress at all. */
  json?: boolean | undefined;
  secrets: readonly string[];
  clock: Clock;
  usage?: ApiUsageStore | undefined;
  budget?: (() => BudgetReading | undefined) | undefined;
}

/** A display that shows nothing (for `--json`); `log` still reaches stderr. */
export function quietDisplay(ctx: CliContext): ProgressDisplay {
  return {
    update: () => undefined,
    call: () => undefined,
    budgetWait: () => undefined,
    log: (line) => ctx.stderr.write(`${line}\n`),
    stop: () => undefined,
  };
}

export function createCommandProgress(ctx: CliContext, options: CommandProgressOptions): ProgressDisplay {
  if (options.json) return quietDisplay(ctx);
  const tty = ctx.stderr.isTTY === true && ctx.env['TERM'] !== 'dumb';
  return createProgressDisplay({
    stream: ctx.stderr,
    tty,
    colours: createColours(colourEnabled(ctx.stderr, ctx.env)),
    clock: options.clock,
    secrets: options.secrets,
    usage: options.usage,
    budget: options.budget,
  });
}

/** Feeds the engine's `onProgress` events to a display (never throws, as the engine requires). */
export function engineProgress(display: ProgressDisplay): (event: ProgressEvent) => void {
  return (event) => {
    try {
      display.update({
        name: event.sync,
        stage: event.stage,
        done: event.stage === 'extract' ? event.read : event.done,
        total: event.stage === 'extract' ? undefined : event.total,
      });
    } catch {
      // a display problem must never stop a run
    }
  };
}

/** Feeds the exporter's `onProgress` to a display (its stage: export, backfill, deletions, done). */
export function exportProgress(
  display: ProgressDisplay,
): (progress: { name: string; stage?: string; read: number; written: number }) => void {
  return (p) => {
    try {
      display.update({ name: p.name, stage: p.stage ?? 'export', done: p.read });
    } catch {
      // a display problem must never stop an export
    }
  };
}
