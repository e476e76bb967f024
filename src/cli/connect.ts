/**
 * The Autotask connection of the commands that only read (`check`, `describe`, `init`, `demo`): from a
 * configuration (its `autotask:` section, `.env` beside it, its state store for the metadata cache and
 * the API usage) or from the environment alone. Builds the client with the CLI's hooks: `--verbose`
 * call lines and budget waits. `run`/`plan` use `commands/sync-session.ts`, which builds the same way.
 */
import { createAutotaskClient } from '../autotask/index.js';
import type { AutotaskClient, AutotaskClientOptions, CallEvent } from '../autotask/client-types.js';
import { resolveConnectionSettings, type AutotaskConnectionSettings } from '../config/connection-settings.js';
import { loadEnvFiles } from '../config/env-files.js';
import { loadConfig } from '../config/load-config.js';
import type { ConfigWarning, SyncConfig } from '../config/types.js';
import { createLogger } from '../shared/logger.js';
import { redactText } from '../shared/redact.js';
import { openStateStore } from '../state/sqlite-state-store.js';
import type { StateStore } from '../state/state-store.js';
import type { CliContext } from './context.js';
import { formatCallLine } from './render/call-log.js';
import { cliLogDestination } from './render/log-lines.js';

export interface ConnectOptions {
  /** Configuration file; without it the connection comes from the environment (and `./.env`). */
  config?: string | undefined;
  /** Print each API call to stderr. @default false */
  verbose?: boolean | undefined;
  /** Open the configuration's state store (metadata cache, API usage). @default true with a config */
  openState?: boolean;
  /** Extra client options (tests and the demo pass `fetch`). @default none */
  client?: Partial<AutotaskClientOptions>;
  /** Overrides the environment (the demo points it at its emulator). @default ctx.env + .env files */
  env?: Record<string, string | undefined>;
  /** Called after every API call (besides the verbose line). */
  onCall?: (event: CallEvent) => void;
  /** Where verbose call lines go (a progress display prints them above its bars). @default stderr */
  log?: (line: string) => void;
  /** Changes the loaded configuration before the state store is opened (the demo relocates state). */
  adjustConfig?: (config: SyncConfig) => SyncConfig;
}

export interface Connection {
  client: AutotaskClient;
  settings: AutotaskConnectionSettings;
  /** The loaded configuration, when one was given. */
  config: SyncConfig | undefined;
  /** Warnings from loading the configuration (already printed). */
  warnings: ConfigWarning[];
  state: StateStore | undefined;
  /** Every secret of this connection, to redact from output. */
  secrets: string[];
  /** Closes the state store. */
  close(): void;
}

/** Secrets found in an environment, to redact even before the connection settings resolve. */
export function envSecrets(env: Readonly<Record<string, string | undefined>>): string[] {
  return ['AUTOTASK_TOKEN', 'AUTOTASK_SECRET', 'AUTOTASK_INTEGRATION_CODE']
    .map((k) => env[k])
    .filter((v): v is string => typeof v === 'string' && v.length >= 3);
}

/** Loads the configuration (if any) and builds the client. Throws `ConfigError` for missing settings. */
export function connect(ctx: CliContext, options: ConnectOptions): Connection {
  let config: SyncConfig | undefined;
  let warnings: ConfigWarning[] = [];
  let env: Record<string, string | undefined>;
  if (options.config !== undefined) {
    const loaded = loadConfig(options.config, { env: options.env ?? ctx.env, cwd: ctx.cwd });
    config = options.adjustConfig ? options.adjustConfig(loaded.config) : loaded.config;
    warnings = loaded.warnings;
    env = loaded.env;
  } else env = options.env ?? loadEnvFiles(ctx.env, [ctx.cwd]).env;
  const secrets = envSecrets(env);
  const settings = resolveConnectionSettings(config?.autotask, env);
  secrets.push(...[settings.secret, settings.integrationCode].filter((s) => s.length >= 3));
  for (const w of warnings)
    ctx.stderr.write(
      `warning: ${w.path}: ${redactText(w.message, secrets)}${w.line === undefined ? '' : ` (line ${w.line})`}\n`,
    );
  const state =
    config !== undefined && options.openState !== false ? openStateStore({ path: config.state }) : undefined;
  try {
    const logger = createLogger({
      level: env['AUTOTASK_SYNC_LOG_LEVEL'] ?? 'warn',
      destination: cliLogDestination(ctx.stderr),
    });
    const client = createAutotaskClient({
      ...settings,
      ...(env['AUTOTASK_DISCOVERY_URL'] ? { discoveryUrl: env['AUTOTASK_DISCOVERY_URL'] } : {}),
      logger,
      budget: {
        ...settings.budget,
        ...(state === undefined ? {} : { usageStore: state.apiUsage }),
      },
      ...(state === undefined ? {} : { metadata: { cache: state.metadataCache } }),
      onCall: (event) => {
        if (options.verbose) {
          const line = formatCallLine(event, secrets);
          if (options.log) options.log(line);
          else ctx.stderr.write(`${line}\n`);
        }
        options.onCall?.(event);
      },
      ...options.client,
    });
    return { client, settings, config, warnings, state, secrets, close: () => state?.close() };
  } catch (error) {
    state?.close();
    throw error;
  }
}
