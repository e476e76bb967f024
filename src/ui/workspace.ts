/**
 * What the web app works on: one configuration file (which may not exist yet), the environment and
 * `.env` files that hold the credentials, the state store the configuration names, and an Autotask
 * client built from them. One instance per server; nothing module-level. The client and the state
 * store are opened on first use and reopened when the settings they came from change.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';

import { createAutotaskClient } from '../autotask/index.js';
import type { AutotaskClient, CallEvent } from '../autotask/client-types.js';
import { resolveConnectionSettings } from '../config/connection-settings.js';
import { loadEnvFiles } from '../config/env-files.js';
import { parseConfig } from '../config/load-config.js';
import type { SyncConfig } from '../config/types.js';
import { createSource } from '../connectors/sources/create-source.js';
import type { Clock } from '../shared/clock.js';
import type { Logger } from '../shared/logger.js';
import { openStateStore } from '../state/sqlite-state-store.js';
import type { StateStore } from '../state/state-store.js';
import type { EngineDeps } from '../sync/engine/index.js';

/** Variables whose values are secrets. */
const SECRET_VARS = ['AUTOTASK_TOKEN', 'AUTOTASK_SECRET', 'AUTOTASK_INTEGRATION_CODE'] as const;

export interface WorkspaceOptions {
  /** Absolute path of the configuration file (created by the app when missing). */
  configFile: string;
  /** The process environment (real variables win over `.env` files). */
  env: Readonly<Record<string, string | undefined>>;
  /** Folder whose `.env` is read after the configuration's own. */
  cwd: string;
  clock: Clock;
  logger: Logger;
  /** Called after every Autotask call (the app streams the budget gauge from it). @default none */
  onCall?: (event: CallEvent) => void;
  /** Extra client options (tests pass `fetch`). @default none */
  clientOverrides?: Partial<Parameters<typeof createAutotaskClient>[0]>;
}

/** Where each connection setting comes from; values of secrets are never included. */
export type SettingSource = 'environment' | '.env' | 'config' | 'missing';

export class Workspace {
  readonly configFile: string;
  readonly configDir: string;
  private state: { path: string; store: StateStore } | undefined;
  private client: { key: string; client: AutotaskClient } | undefined;

  constructor(private readonly options: WorkspaceOptions) {
    this.configFile = options.configFile;
    this.configDir = dirname(options.configFile);
  }

  /** `.env` beside the configuration: where the app stores credentials. */
  get envFile(): string {
    return `${this.configDir}/.env`;
  }

  /** The process environment merged with the `.env` files (read afresh each time). */
  env(): Record<string, string | undefined> {
    return loadEnvFiles(this.options.env, [this.configDir, this.options.cwd]).env;
  }

  /** Every secret currently known, to redact from anything sent to the page. */
  secrets(): string[] {
    const env = this.env();
    const found: string[] = SECRET_VARS.map((v) => env[v]).filter((v): v is string => !!v && v.length >= 3);
    try {
      const settings = resolveConnectionSettings(this.readConfig()?.autotask, env);
      for (const s of [settings.secret, settings.integrationCode]) if (s.length >= 3) found.push(s);
    } catch {
      // settings incomplete: the raw variables above are all there is
    }
    return found;
  }

  /** Where each setting comes from: the real environment wins over `.env` files. */
  settingSource(name: string): SettingSource {
    if (this.options.env[name]) return 'environment';
    if (this.env()[name]) return '.env';
    return 'missing';
  }

  /** The configuration file's text, or undefined when it does not exist yet. */
  readText(): string | undefined {
    return existsSync(this.configFile) ? readFileSync(this.configFile, 'utf8') : undefined;
  }

  /** Parses configuration text as if it were the file (relative paths resolve beside it). */
  parse(text: string): SyncConfig {
    return parseConfig(text, { file: this.configFile, env: this.env() }).config;
  }

  /** The configuration on disk, parsed; undefined when there is none. Throws `ConfigError`. */
  readConfig(): SyncConfig | undefined {
    const text = this.readText();
    return text === undefined ? undefined : this.parse(text);
  }

  /** The state store the configuration names (kept open; reopened if `state:` changes). */
  stateStore(config: SyncConfig): StateStore {
    if (this.state?.path !== config.state) {
      this.state?.store.close();
      this.state = { path: config.state, store: openStateStore({ path: config.state }) };
    }
    return this.state.store;
  }

  /** The state store if one exists on disk for the configuration, without creating it. */
  existingStateStore(): StateStore | undefined {
    const config = this.readConfig();
    if (config === undefined) return undefined;
    if (this.state?.path !== config.state && !existsSync(config.state)) return undefined;
    return this.stateStore(config);
  }

  /**
   * The Autotask client for the current settings. Throws `ConfigError` naming what is missing. With a
   * configuration, the client's metadata cache and API usage live in its state store.
   */
  autotask(config: SyncConfig | undefined = this.readConfigLenient()): AutotaskClient {
    const env = this.env();
    const settings = resolveConnectionSettings(config?.autotask, env);
    const state = config === undefined ? undefined : this.stateStore(config);
    const key = JSON.stringify([settings, env['AUTOTASK_DISCOVERY_URL'] ?? null, state?.path ?? null]);
    if (this.client?.key === key) return this.client.client;
    const client = createAutotaskClient({
      ...settings,
      ...(env['AUTOTASK_DISCOVERY_URL'] ? { discoveryUrl: env['AUTOTASK_DISCOVERY_URL'] } : {}),
      logger: this.options.logger,
      budget: { ...settings.budget, ...(state === undefined ? {} : { usageStore: state.apiUsage }) },
      ...(state === undefined ? {} : { metadata: { cache: state.metadataCache } }),
      ...(this.options.onCall === undefined ? {} : { onCall: this.options.onCall }),
      ...this.options.clientOverrides,
    });
    this.client = { key, client };
    return client;
  }

  /** Forgets the client (after the connection settings changed). */
  resetClient(): void {
    this.client = undefined;
  }

  /** What the engine needs to plan or run the configuration. */
  engineDeps(config: SyncConfig, signal: AbortSignal, onProgress?: EngineDeps['onProgress']): EngineDeps {
    return {
      client: this.autotask(config),
      state: this.stateStore(config),
      openSource: (sync) => createSource(sync.source, { signal }),
      clock: this.options.clock,
      logger: this.options.logger,
      ...(onProgress === undefined ? {} : { onProgress }),
    };
  }

  /** Closes the state store. */
  close(): void {
    this.state?.store.close();
    this.state = undefined;
    this.client = undefined;
  }

  /** The configuration on disk, or undefined when it is missing or does not load. */
  private readConfigLenient(): SyncConfig | undefined {
    try {
      return this.readConfig();
    } catch {
      return undefined;
    }
  }
}
