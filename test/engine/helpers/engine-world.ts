/**
 * A world for engine scenarios: an emulator (in-process fetch), the real client against it, a real
 * SQLite state store and source files in a temp folder, and configurations parsed by the real loader.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { createAutotaskClient } from '../../../src/autotask/index.js';
import type { AutotaskClient } from '../../../src/autotask/index.js';
import { parseConfig } from '../../../src/config/load-config.js';
import type { SyncConfig } from '../../../src/config/types.js';
import { createSource } from '../../../src/connectors/sources/create-source.js';
import type { Source } from '../../../src/connectors/source.js';
import { createEmulator, type Emulator, type EmulatorOptions } from '../../../src/emulator/index.js';
import { systemClock } from '../../../src/shared/clock.js';
import { silentLogger } from '../../../src/shared/logger.js';
import { openStateStore } from '../../../src/state/sqlite-state-store.js';
import type { StateStore } from '../../../src/state/state-store.js';
import type { EngineDeps, EngineSyncConfig } from '../../../src/sync/engine/index.js';
import { inProcessClientOptions } from '../../../bench/lib/in-process-client.js';

export const OWNER_EMAIL = 'jordan.avery@emulator-msp.example';
export const OWNER_ID = 29682885;

export interface EngineWorld {
  dir: string;
  emulator: Emulator;
  client: AutotaskClient;
  state: StateStore;
  deps: EngineDeps;
  /** Writes a file in the world's folder; returns its path. */
  file(name: string, content: string): string;
  /** Parses a YAML configuration whose relative paths resolve in the world's folder. */
  config(yaml: string): SyncConfig;
  /** A fresh client and state store on the same files (a new process, as far as they can tell). */
  reopen(): void;
  close(): Promise<void>;
}

export function openSourceFor(sync: EngineSyncConfig): Source {
  return createSource(sync.source);
}

export function createEngineWorld(options: EmulatorOptions = {}): Promise<EngineWorld> {
  const dir = mkdtempSync(join(tmpdir(), 'engine-'));
  const emulator = createEmulator({ seed: 'empty', ...options });
  const makeClient = (state: StateStore): AutotaskClient =>
    createAutotaskClient({
      metadata: { cache: state.metadataCache },
      ...inProcessClientOptions(emulator),
      budget: { reconcileIntervalMs: false },
      retry: { baseDelayMs: 1, maxDelayMs: 5 },
    });
  const makeState = (): StateStore => openStateStore({ path: join(dir, 'state.sqlite') });
  const firstState = makeState();
  const world: EngineWorld = {
    dir,
    emulator,
    client: makeClient(firstState),
    state: firstState,
    deps: undefined as unknown as EngineDeps,
    file(name, content) {
      const path = join(dir, name);
      writeFileSync(path, content);
      return path;
    },
    config(yaml) {
      return parseConfig(yaml, { file: join(dir, 'sync.yaml'), env: {} }).config;
    },
    reopen() {
      world.state.close();
      world.state = makeState();
      world.client = makeClient(world.state);
      world.deps = depsOf(world);
    },
    async close() {
      world.state.close();
      await emulator.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  world.deps = depsOf(world);
  return Promise.resolve(world);
}

function depsOf(world: EngineWorld): EngineDeps {
  return {
    client: world.client,
    state: world.state,
    openSource: openSourceFor,
    clock: systemClock,
    logger: silentLogger,
  };
}

/** CSV text from rows (values must not need quoting unless they contain commas). */
export function csv(header: string[], rows: (string | number)[][]): string {
  const quote = (v: string | number): string => {
    const s = String(v);
    return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  return [header.map(quote).join(','), ...rows.map((r) => r.map(quote).join(','))].join('\n') + '\n';
}
