/**
 * Progress, budget gauge and `--verbose` call lines for the commands built on a sync session (`run`,
 * `plan`): the hooks to hand to the session before it builds the client, and `bind()` once the session
 * exists (its secrets, client budget and usage store become known only then).
 */
import type { BudgetWaitInfo, CallEvent } from '../../autotask/client-types.js';
import type { ApiUsageStore } from '../../autotask/persistence-ports.js';
import { systemClock, type Clock } from '../../shared/clock.js';
import type { ProgressEvent } from '../../sync/engine/types.js';
import type { CliContext } from '../context.js';
import type { BudgetReading } from './budget-gauge.js';
import { formatCallLine } from './call-log.js';
import { createCommandProgress, engineProgress, exportProgress } from './command-progress.js';
import type { ProgressDisplay } from './progress.js';

/** What a session calls back into. */
export interface SessionHooks {
  onProgress: (event: ProgressEvent) => void;
  onCall: (event: CallEvent) => void;
  onWait: (info: BudgetWaitInfo) => void;
}

export interface SessionProgress {
  hooks: SessionHooks;
  /** Call first thing inside the session. */
  bind(session: {
    secrets: readonly string[];
    client?: { budget(): BudgetReading };
    usage?: ApiUsageStore | undefined;
  }): void;
  /** The exporter's `onProgress` (`export`), drawn on the same display. */
  exportProgress: (progress: { name: string; stage?: string; read: number; written: number }) => void;
  /** Removes the bars (call before printing the summary). */
  stop(): void;
}

export function sessionProgress(
  ctx: CliContext,
  flags: { json?: boolean | undefined; verbose?: boolean | undefined },
  clock: Clock = systemClock,
): SessionProgress {
  let secrets: readonly string[] = [];
  let budget: (() => BudgetReading) | undefined;
  let usage: ApiUsageStore | undefined;
  let display: ProgressDisplay | undefined;
  const ensure = (): ProgressDisplay => {
    display ??= createCommandProgress(ctx, {
      json: flags.json,
      secrets,
      clock,
      usage,
      budget: () => budget?.(),
    });
    return display;
  };
  return {
    hooks: {
      onProgress: (event) => engineProgress(ensure())(event),
      onCall: (event) => {
        const d = ensure();
        d.call(event);
        if (flags.verbose) d.log(formatCallLine(event, secrets));
      },
      onWait: (info) => {
        const d = ensure();
        d.budgetWait(info);
      },
    },
    bind(session) {
      secrets = session.secrets;
      if (session.client !== undefined) {
        const client = session.client;
        budget = () => client.budget();
      }
      usage = session.usage;
    },
    exportProgress: (p) => exportProgress(ensure())(p),
    stop() {
      display?.stop();
    },
  };
}
