/**
 * The state store of the commands that look back at runs (`history`, `show`, `rejects`): named by
 * `--state FILE`, or by the configuration's `state:` (`--config FILE`, default `sync.config.yaml` in the
 * working folder). Never creates a state file: a missing one means no run has happened there yet.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

import { loadConfig } from '../config/load-config.js';
import type { SyncConfig } from '../config/types.js';
import { ConfigError } from '../shared/errors.js';
import { openStateStore } from '../state/sqlite-state-store.js';
import type { StateStore } from '../state/state-store.js';
import type { CliContext } from './context.js';

/** The configuration `history`, `show` and `rejects` read when neither flag is given. @default */
export const DEFAULT_CONFIG_FILE = 'sync.config.yaml';

export interface StateFlags {
  config?: string;
  state?: string;
}

/** Opens the state store named by the flags. Throws `ConfigError` when there is none. */
export function openExistingState(ctx: CliContext, flags: StateFlags): StateStore {
  return openExistingStateWithConfig(ctx, flags).state;
}

/**
 * `openExistingState`, also returning the configuration it read (none with `--state`), for commands
 * that show more when they know the syncs (`show` computes an invalid row's key from its mapping).
 */
export function openExistingStateWithConfig(
  ctx: CliContext,
  flags: StateFlags,
): { state: StateStore; config?: SyncConfig } {
  let path: string;
  let config: SyncConfig | undefined;
  if (flags.state !== undefined) path = resolve(ctx.cwd, flags.state);
  else {
    const file = flags.config ?? DEFAULT_CONFIG_FILE;
    if (flags.config === undefined && !existsSync(resolve(ctx.cwd, file)))
      throw new ConfigError(
        `no --config or --state given and there is no ${DEFAULT_CONFIG_FILE} here: name the configuration (--config FILE) or the state database (--state FILE)`,
        [{ path: '--config', message: 'missing' }],
      );
    config = loadConfig(file, { env: ctx.env, cwd: ctx.cwd }).config;
    path = config.state;
  }
  if (!existsSync(path))
    throw new ConfigError(
      `no state database at ${path}: nothing has run with this configuration yet (run \`autotask-sync run\` first)`,
      [{ path: flags.state !== undefined ? '--state' : 'state', message: 'file not found' }],
    );
  return { state: openStateStore({ path }), ...(config === undefined ? {} : { config }) };
}

/** Parses a run argument: a run id, or `last` for the most recent run (of `mode`, if given). */
export function resolveRunId(state: StateStore, arg: string, mode?: 'run' | 'plan' | 'export'): number {
  if (arg === 'last' || arg === 'latest') {
    const last = state.listRuns({ limit: 1, ...(mode === undefined ? {} : { mode }) })[0];
    if (last === undefined) throw new ConfigError('there is no run yet in this state database', []);
    return last.id;
  }
  if (!/^\d+$/.test(arg))
    throw new ConfigError(`"${arg}" is not a run id: give a number from \`autotask-sync history\`, or last`, [
      { path: '<run>', message: 'not a number' },
    ]);
  const id = Number(arg);
  if (state.getRun(id) === undefined)
    throw new ConfigError(`run ${id} does not exist: \`autotask-sync history\` lists the runs`, [
      { path: '<run>', message: 'unknown run' },
    ]);
  return id;
}
