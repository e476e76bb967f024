/**
 * What `run` and `plan` share: load the configuration, open the state store, build the Autotask client
 * (its budget and metadata cache persisted in the state store) and the engine's dependencies.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

import type { BudgetWaitInfo, CallEvent } from '../../autotask/client-types.js';
import { createAutotaskClient } from '../../autotask/index.js';
import { loadConfig } from '../../config/load-config.js';
import { resolveConnectionSettings } from '../../config/connection-settings.js';
import type { SyncConfig } from '../../config/types.js';
import { createSource } from '../../connectors/sources/create-source.js';
import { systemClock } from '../../shared/clock.js';
import { ConfigError } from '../../shared/errors.js';
import { createLogger } from '../../shared/logger.js';
import { redactText } from '../../shared/redact.js';
import { takeoverNotice } from '../../state/run-lock.js';
import { openStateStore } from '../../state/sqlite-state-store.js';
import { engineOptionsOf, type EngineDeps, type EngineOptions } from '../../sync/engine/index.js';
import type { CliContext } from '../context.js';
import { DEFAULT_CONFIG_FILE } from '../open-state.js';
import { cliLogDestination } from '../render/log-lines.js';

export interface SyncCommandFlags {
  /** The configuration file. @default `sync.config.yaml` in the working folder (what `init` writes) */
  config?: string;
  only?: string[];
  json?: boolean;
}

/** Optional display hooks (`src/cli/render/session-progress.ts`): progress bars, budget gauge, --verbose. */
export interface SyncSessionHooks {
  onProgress?: NonNullable<EngineDeps['onProgress']>;
  onCall?: (event: CallEvent) => void;
  onWait?: (info: BudgetWaitInfo) => void;
}

/** How the session treats the state database. */
export interface SyncSessionOptions {
  /**
   * Take the run lock of the state database for the whole session, naming the command (`run`,
   * `run --watch`, `export`); a live holder makes the session throw `RunLockedError` before any
   * Autotask call. False for sessions that write nothing to Autotask (`plan`) or lock per batch (`serve`).
   * @default false
   */
  lock?: string | false;
}

export interface SyncSession {
  /** Aborted by Ctrl+C, or when another process took the run lock over: pass it to the engine. */
  signal: AbortSignal;
  deps: EngineDeps;
  config: SyncConfig;
  /** Engine options the configuration sets (`engine:`): spread them into `runSyncs`/`planSyncs` options. */
  engineOptions: Pick<EngineOptions, 'intentSettleMs'>;
  /** Secrets of this session, to redact from anything printed. */
  secrets: string[];
}

/** One status line on a terminal (`companies: load 1,200/10,000`), redrawn at most every 100 ms. */
function progressLine(ctx: CliContext): NonNullable<EngineDeps['onProgress']> {
  let last = 0;
  return (event) => {
    const now = Date.now();
    if (now - last < 100 && event.stage !== 'done') return;
    last = now;
    const count =
      event.stage === 'extract'
        ? `${event.read.toLocaleString('en-US')} rows read`
        : `${event.done.toLocaleString('en-US')}${event.total === undefined ? '' : `/${event.total.toLocaleString('en-US')}`}`;
    ctx.stderr.write(`\r\x1b[K${event.sync}: ${event.stage} ${count}`);
  };
}

/**
 * The configuration a session reads: `--config FILE`, else `sync.config.yaml` in the working folder
 * (as `history`, `show` and `rejects` do). Throws `ConfigError` saying what to do when neither is there.
 */
export function sessionConfigFile(
  ctx: CliContext,
  flag: string | undefined,
): { file: string; defaulted: boolean } {
  if (flag !== undefined) return { file: flag, defaulted: false };
  if (!existsSync(resolve(ctx.cwd, DEFAULT_CONFIG_FILE)))
    throw new ConfigError(
      `no --config given and there is no ${DEFAULT_CONFIG_FILE} in ${ctx.cwd}: write one from your source with \`autotask-sync init --company companies.csv\`, or name yours with --config FILE`,
      [{ path: '--config', message: `missing, and no ${DEFAULT_CONFIG_FILE} in the working folder` }],
    );
  return { file: DEFAULT_CONFIG_FILE, defaulted: true };
}

/**
 * Opens a session, runs `fn`, and closes the state store whatever happens. Throws `ConfigError` for
 * a configuration or connection setting that is wrong, and `RunLockedError` when `options.lock` is
 * set and another process holds the run lock (nothing is attempted then).
 */
export async function withSyncSession<T>(
  ctx: CliContext,
  flags: SyncCommandFlags,
  fn: (session: SyncSession) => Promise<T>,
  hooks: SyncSessionHooks = {},
  options: SyncSessionOptions = {},
): Promise<T> {
  const configFile = sessionConfigFile(ctx, flags.config);
  if (configFile.defaulted && flags.json !== true)
    ctx.stderr.write(`using ${configFile.file} (no --config given)\n`);
  const { config, warnings, env } = loadConfig(configFile.file, { env: ctx.env, cwd: ctx.cwd });
  const settings = resolveConnectionSettings(config.autotask, env);
  const secrets = [settings.secret, settings.integrationCode, env['AUTOTASK_TOKEN']].filter(
    (s): s is string => typeof s === 'string' && s !== '',
  );
  for (const w of warnings)
    ctx.stderr.write(
      `warning: ${w.path}: ${redactText(w.message, secrets)}${w.line === undefined ? '' : ` (line ${w.line})`}\n`,
    );
  const logger = createLogger({
    level: env['AUTOTASK_SYNC_LOG_LEVEL'] ?? 'warn',
    destination: cliLogDestination(ctx.stderr),
  });
  const state = openStateStore({ path: config.state });
  try {
    let signal = ctx.signal;
    if (options.lock !== undefined && options.lock !== false) {
      const lock = state.acquireRunLock({ command: options.lock });
      const notice = takeoverNotice(lock);
      if (notice !== undefined) ctx.stderr.write(`warning: ${notice}\n`);
      lock.lost.addEventListener(
        'abort',
        () => ctx.stderr.write(`error: ${(lock.lost.reason as Error).message}\n`),
        { once: true },
      );
      signal = AbortSignal.any([ctx.signal, lock.lost]);
    }
    const client = createAutotaskClient({
      ...settings,
      ...(env['AUTOTASK_DISCOVERY_URL'] ? { discoveryUrl: env['AUTOTASK_DISCOVERY_URL'] } : {}),
      logger,
      budget: {
        ...settings.budget,
        usageStore: state.apiUsage,
        onWait: (info) => {
          hooks.onWait?.(info);
          if (!flags.json && hooks.onWait === undefined)
            ctx.stderr.write(
              `waiting for API budget until ${new Date(info.until).toISOString()} (${info.used}/${info.limit} calls used this hour, limit for us ${info.allowed})\n`,
            );
        },
      },
      metadata: { cache: state.metadataCache },
      ...(hooks.onCall === undefined ? {} : { onCall: hooks.onCall }),
    });
    const deps: EngineDeps = {
      client,
      state,
      openSource: (sync) =>
        createSource(sync.source, {
          signal,
          onWarning: (w) => ctx.stderr.write(`warning: ${sync.name}: ${w.message}\n`),
        }),
      clock: systemClock,
      logger,
      ...(hooks.onProgress !== undefined
        ? { onProgress: hooks.onProgress }
        : flags.json || ctx.stderr.isTTY !== true
          ? {}
          : { onProgress: progressLine(ctx) }),
    };
    try {
      return await fn({ signal, deps, config, secrets, engineOptions: engineOptionsOf(config) });
    } finally {
      if (deps.onProgress !== undefined && hooks.onProgress === undefined) ctx.stderr.write('\r\x1b[K');
    }
  } finally {
    state.close(); // releases the run lock
  }
}
