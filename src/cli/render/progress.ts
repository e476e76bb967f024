/**
 * Progress on long work. On a TTY: one bar per sync (or export) with its stage, count, rate and ETA,
 * and a budget gauge line, redrawn in place with cli-progress. Otherwise: plain lines, only when
 * something changes (a stage starts or ends, or every `plainEveryMs` while counting), so logs stay
 * readable. Everything goes to the stream given (stderr), never to stdout, which `--json` owns.
 */
import cliProgress from 'cli-progress';

import type { BudgetWaitInfo, CallEvent } from '../../autotask/client-types.js';
import type { ApiUsageStore } from '../../autotask/persistence-ports.js';
import type { Clock } from '../../shared/clock.js';
import { redactText } from '../../shared/redact.js';
import { formatBudgetGauge, nextWindowRelease, type BudgetReading } from './budget-gauge.js';
import type { Colours } from './colour.js';
import { formatDuration } from './format.js';

/** One unit of work as the display sees it (a sync of `run`, an export of `export`). */
export interface TaskProgress {
  /** Sync or export name. */
  name: string;
  /** Stage, e.g. `extract`, `match`, `load`, `done`. */
  stage: string;
  /** Records with an outcome (or written) so far. */
  done: number;
  /** Records expected, when known. */
  total?: number | undefined;
}

export interface ProgressOptions {
  /** Where to draw (stderr). */
  stream: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  /** Draw bars (TTY) or plain lines. */
  tty: boolean;
  colours: Colours;
  clock: Clock;
  /** Secrets to redact from every line. */
  secrets: readonly string[];
  /** This installation's recorded calls, for "calls free up at". @default none */
  usage?: ApiUsageStore | undefined;
  /**
   * The client's budget estimate (`client.budget()`), read after each call so the gauge shows the
   * allowed share; bound late because the client is built after the display.
   * @default the limit from the call event (share unknown)
   */
  budget?: (() => BudgetReading | undefined) | undefined;
  /**
   * Interval between plain progress lines of one task while it counts, in ms.
   * @default 10000
   */
  plainEveryMs?: number;
}

export interface ProgressDisplay {
  /** A task moved on. */
  update(task: TaskProgress): void;
  /** An API call finished (updates the budget gauge). */
  call(event: CallEvent): void;
  /** The client is waiting for budget. */
  budgetWait(info: BudgetWaitInfo): void;
  /** Prints a line above the bars (or as is, without bars). */
  log(line: string): void;
  /** Removes the bars; later calls print plain lines. Idempotent. */
  stop(): void;
}

interface TaskState {
  task: TaskProgress;
  startedAt: number;
  lastStage: string;
  lastPlainAt: number;
  bar?: cliProgress.SingleBar;
}

interface BarPayload {
  line: string;
}

/** Rate (records/s) and ETA of a task from its start time. */
export function taskRate(
  task: TaskProgress,
  startedAt: number,
  now: number,
): { perSecond: number; etaMs: number | undefined } {
  const seconds = Math.max(0.001, (now - startedAt) / 1000);
  const perSecond = task.done / seconds;
  const etaMs =
    task.total !== undefined && perSecond > 0 && task.done > 0
      ? (Math.max(0, task.total - task.done) / perSecond) * 1000
      : undefined;
  return { perSecond, etaMs };
}

/** The text of one task's line: `companies  load  [████░░] 120/300  41/s  ETA 4 s`. */
export function formatTaskLine(
  task: TaskProgress,
  startedAt: number,
  now: number,
  colours: Colours,
  barWidth = 24,
): string {
  const { perSecond, etaMs } = taskRate(task, startedAt, now);
  const count = task.total === undefined ? `${task.done}` : `${task.done}/${task.total}`;
  const ratio = task.total ? Math.min(1, task.done / task.total) : task.stage === 'done' ? 1 : 0;
  const filled = Math.round(ratio * barWidth);
  const bar = `[${colours.green('█'.repeat(filled))}${'░'.repeat(barWidth - filled)}]`;
  const rate =
    task.done > 0 && now - startedAt >= 1000
      ? `${perSecond >= 10 ? Math.round(perSecond) : perSecond.toFixed(1)}/s`
      : '';
  const eta =
    task.stage === 'done'
      ? `in ${formatDuration(now - startedAt)}`
      : etaMs === undefined
        ? ''
        : `ETA ${formatDuration(etaMs)}`;
  return [colours.bold(task.name.padEnd(16)), task.stage.padEnd(10), bar, count, rate, eta]
    .filter((p) => p !== '')
    .join('  ');
}

export function createProgressDisplay(options: ProgressOptions): ProgressDisplay {
  const { stream, colours, clock, secrets } = options;
  const plainEvery = options.plainEveryMs ?? 10_000;
  const tasks = new Map<string, TaskState>();
  let reading: BudgetReading | undefined;
  let waitingUntil: number | undefined;
  let stopped = false;
  const clean = (s: string): string => redactText(s, secrets);
  const multibar = options.tty
    ? new cliProgress.MultiBar(
        {
          stream,
          format: (_o, _p, payload: BarPayload) => payload.line,
          hideCursor: true,
          clearOnComplete: false,
          stopOnComplete: false,
          fps: 8,
          linewrap: false,
          forceRedraw: true,
        },
        cliProgress.Presets.legacy,
      )
    : undefined;
  let gauge: cliProgress.SingleBar | undefined;

  const gaugeLine = (): string =>
    reading === undefined
      ? 'API budget: no calls yet'
      : formatBudgetGauge(reading, {
          release: nextWindowRelease(options.usage, clock.now()),
          waitingUntil,
        });

  const redrawGauge = (): void => {
    if (multibar === undefined || stopped) return;
    if (gauge === undefined) gauge = multibar.create(1, 0, { line: gaugeLine() });
    else gauge.update(0, { line: gaugeLine() });
  };

  const plain = (line: string): void => {
    stream.write(`${clean(line)}\n`);
  };

  return {
    update(task) {
      if (stopped && multibar !== undefined) return; // the bars are gone: the summary follows
      const now = clock.now();
      let state = tasks.get(task.name);
      if (state === undefined) {
        state = { task, startedAt: now, lastStage: '', lastPlainAt: 0 };
        tasks.set(task.name, state);
      }
      state.task = task;
      const line = formatTaskLine(task, state.startedAt, now, colours);
      if (multibar !== undefined && !stopped) {
        if (state.bar === undefined) {
          state.bar = multibar.create(task.total ?? 0, task.done, { line: clean(line) });
          redrawGauge();
        } else state.bar.update(task.done, { line: clean(line) });
        return;
      }
      const stageChanged = task.stage !== state.lastStage;
      if (stageChanged || now - state.lastPlainAt >= plainEvery) {
        state.lastStage = task.stage;
        state.lastPlainAt = now;
        // A stage that starts with nothing counted yet says so, not "extract 0".
        plain(
          task.done === 0 && task.total === undefined && task.stage !== 'done'
            ? `${colours.bold(task.name.padEnd(16))}  ${task.stage}…`
            : formatTaskLine(task, state.startedAt, now, colours, 0).replace('  []', '').trimEnd(),
        );
      }
    },
    call(event) {
      reading = options.budget?.() ?? {
        used: event.budget.used,
        limit: event.budget.limit,
        allowed: reading?.allowed ?? event.budget.limit,
      };
      waitingUntil = undefined;
      redrawGauge();
    },
    budgetWait(info) {
      reading = { used: info.used, limit: info.limit, allowed: info.allowed };
      waitingUntil = info.until;
      if (multibar !== undefined && !stopped) redrawGauge();
      else plain(gaugeLine());
    },
    log(line) {
      if (multibar !== undefined && !stopped) multibar.log(`${clean(line)}\n`);
      else plain(line);
    },
    stop() {
      if (stopped) return;
      stopped = true;
      multibar?.stop();
    },
  };
}
