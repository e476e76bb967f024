/**
 * A world for the reliability suites: an emulator (in-process or over loopback HTTP), the real client
 * and the real SQLite state store re-created for every run (as a new process would), the data set's
 * CSV files in a temp folder, and the engine run on them.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { createAutotaskClient } from '../../../src/autotask/index.js';
import type { AutotaskClientOptions } from '../../../src/autotask/index.js';
import { parseConfig } from '../../../src/config/load-config.js';
import { createSource } from '../../../src/connectors/sources/create-source.js';
import { createEmulator, type Emulator, type EmulatorOptions } from '../../../src/emulator/index.js';
import { systemClock } from '../../../src/shared/clock.js';
import { silentLogger } from '../../../src/shared/logger.js';
import { openStateStore } from '../../../src/state/sqlite-state-store.js';
import type { StateStore } from '../../../src/state/state-store.js';
import { runSyncs, type RunOptions, type RunSummary } from '../../../src/sync/engine/index.js';
import { SYNC_YAML, writeDataset, type Dataset } from './dataset.js';

export interface WorldOptions {
  emulator?: EmulatorOptions;
  /** `http`: the client talks to a loopback listener with the real fetch (timeouts, real drops). */
  transport?: 'in-process' | 'http';
  /** Client options on top of the defaults below (fast retries, no budget reconciliation). */
  client?: Partial<AutotaskClientOptions>;
  /** Engine options of every run (e.g. a short `intentSettleMs`). @default the engine's defaults */
  engine?: RunOptions;
}

export interface ReliabilityWorld {
  dir: string;
  emulator: Emulator;
  /** One run as a fresh process would do it: new state store and client, then `runSyncs`. */
  run(): Promise<RunSummary>;
  /** Opens the state store (close it after use). */
  openState(): StateStore;
  close(): Promise<void>;
}

export async function createReliabilityWorld(
  data: Dataset,
  options: WorldOptions = {},
): Promise<ReliabilityWorld> {
  const dir = mkdtempSync(join(tmpdir(), 'reliability-'));
  writeDataset(dir, data);
  // A high hourly limit: these suites inject their own faults, and the emulator's usage latency (from
  // 50 % of the hour's limit, as Autotask's) would otherwise slow every call past the short timeouts
  // once a few scenarios' runs have added up.
  const emulator = createEmulator({ seed: 'empty', hourlyLimit: 1_000_000, ...options.emulator });
  const url = options.transport === 'http' ? (await emulator.listen({ port: 0 })).url : emulator.baseUrl;
  const config = parseConfig(SYNC_YAML, { file: join(dir, 'sync.yaml'), env: {} }).config;
  const openState = (): StateStore => openStateStore({ path: join(dir, 'state.sqlite') });
  return {
    dir,
    emulator,
    openState,
    async run() {
      const state = openState();
      try {
        const client = createAutotaskClient({
          metadata: { cache: state.metadataCache },
          username: emulator.credentials.userName,
          secret: emulator.credentials.secret,
          integrationCode: emulator.credentials.integrationCode,
          url,
          allowInsecureHttp: true,
          budget: { reconcileIntervalMs: false },
          retry: { baseDelayMs: 1, maxDelayMs: 20 },
          ...(options.transport === 'http'
            ? {}
            : { fetch: (input: string | URL | Request, init?: RequestInit) => emulator.fetch(input, init) }),
          ...options.client,
        });
        return await runSyncs(
          {
            client,
            state,
            openSource: (sync) => createSource(sync.source),
            clock: systemClock,
            logger: silentLogger,
          },
          config,
          options.engine,
        );
      } finally {
        state.close();
      }
    },
    async close() {
      await emulator.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
