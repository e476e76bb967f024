/**
 * The CLI in a child process, run from source (`node --import tsx cli-entry.ts …`), for the crash tests
 * that SIGKILL it at seeded moments and start it again: `spawnCliFromSource` starts it,
 * `runCliChild` runs it to its end or to a planned kill, `killTestSeed` picks (or replays) the seed.
 */
import { spawn, type ChildProcessByStdio } from 'node:child_process';
import type { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';

/** The script a child runs: `main(process.argv.slice(2))` from `src/`. */
export const CLI_ENTRY = fileURLToPath(new URL('../engine/helpers/cli-entry.ts', import.meta.url));
/** tsx's loader by absolute URL: the child runs in a temp folder, outside this package. */
export const TSX_LOADER = new URL('../../node_modules/tsx/dist/loader.mjs', import.meta.url).href;

/** Where the child runs. */
export interface CliChildOptions {
  /** Its working folder (relative paths of its configuration resolve against it). */
  cwd: string;
  /** Its whole environment (PATH, AUTOTASK_* credentials…); nothing is inherited. */
  env: Record<string, string>;
}

/** Starts `autotask-sync <args>` from source in a child process, stdout and stderr piped. */
export function spawnCliFromSource(
  args: readonly string[],
  options: CliChildOptions,
): ChildProcessByStdio<null, Readable, Readable> {
  return spawn(process.execPath, ['--import', TSX_LOADER, CLI_ENTRY, ...args], {
    cwd: options.cwd,
    env: options.env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** When to SIGKILL the child. */
export interface KillPlan {
  /** How long after the trigger the child is killed (ms). */
  delayMs: number;
  /**
   * The trigger, polled every 5 ms from the spawn on: the delay starts when it first returns true
   * (say, once the child's first request reached the emulator).
   * @default none: the delay starts at the spawn
   */
  startWhen?: () => boolean;
}

/** How a child run ended. */
export interface CliChildOutcome {
  /** Its exit code; null when a signal ended it. */
  code: number | null;
  /** True when the planned SIGKILL was delivered (the run did not finish first). */
  killed: boolean;
  /** Its stdout and stderr, interleaved as they arrived. */
  out: string;
}

/** Runs `autotask-sync <args>` in a child process until it exits or, with `kill`, is SIGKILLed. */
export function runCliChild(
  args: readonly string[],
  options: CliChildOptions & {
    /** @default undefined: the child runs to its end */
    kill?: KillPlan | undefined;
  },
): Promise<CliChildOutcome> {
  const { kill } = options;
  return new Promise((resolve, reject) => {
    const child = spawnCliFromSource(args, options);
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (out += c.toString()));
    let killed = false;
    let timer: NodeJS.Timeout | undefined;
    let poll: NodeJS.Timeout | undefined;
    const arm = (delayMs: number): void => {
      timer = setTimeout(() => {
        killed = child.kill('SIGKILL');
      }, delayMs);
    };
    if (kill?.startWhen === undefined) {
      if (kill) arm(kill.delayMs);
    } else {
      const { startWhen, delayMs } = kill;
      poll = setInterval(() => {
        if (!startWhen()) return;
        clearInterval(poll);
        arm(delayMs);
      }, 5);
    }
    child.on('error', reject);
    child.on('exit', (code) => {
      if (poll) clearInterval(poll);
      if (timer) clearTimeout(timer);
      resolve({ code, killed, out });
    });
  });
}

/** The seed of a kill test: `KILL_TEST_SEED=<n>` replays a failure; otherwise one from the clock. */
export function killTestSeed(env: NodeJS.ProcessEnv = process.env): number {
  return Number(env['KILL_TEST_SEED'] ?? Date.now() % 100_000);
}
