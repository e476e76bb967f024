import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { createAutotaskClient, type AutotaskClient } from '../../../src/autotask/index.js';
import { createEmulator, type Emulator, type EmulatorOptions } from '../../../src/emulator/index.js';
import { ManualClock } from '../../../src/shared/clock.js';
import type { ExportOptions } from '../../../src/sync/export/index.js';
import { openStateStore, type StateStore } from '../../../src/state/index.js';

/** Credentials unique enough to grep for in files afterwards. */
export const SECRETS = {
  userName: 'export.tester@emulator.local',
  secret: 'Xq7-export-secret-9f3e2a',
  integrationCode: 'INTCODE-EXPORT-55d1c0',
};

export interface ExportHarness {
  emulator: Emulator;
  clock: ManualClock;
  dir: string;
  statePath: string;
  store: StateStore;
  /** A fresh client, as a new CLI process would have (metadata cached in the state store). */
  newClient(): AutotaskClient;
  /** An export's options as a new CLI process would pass them: a fresh client, the store, the clock. */
  runOptions(extra?: Partial<ExportOptions>): ExportOptions;
  cleanup(): Promise<void>;
}

export function exportHarness(options: EmulatorOptions = {}): ExportHarness {
  const clock = new ManualClock(Date.UTC(2026, 10, 27, 9, 0, 0));
  const emulator = createEmulator({ seed: 'demo', clock, credentials: SECRETS, ...options });
  const dir = mkdtempSync(join(tmpdir(), 'autotask-sync-export-'));
  const statePath = join(dir, '.autotask-sync', 'state.sqlite');
  const store = openStateStore({ path: statePath, clock });
  const newClient = (): AutotaskClient =>
    createAutotaskClient({
      username: SECRETS.userName,
      secret: SECRETS.secret,
      integrationCode: SECRETS.integrationCode,
      url: emulator.baseUrl,
      allowInsecureHttp: true,
      fetch: (input, init) => emulator.fetch(input, init),
      clock,
      budget: { reconcileIntervalMs: false, usageStore: store.apiUsage },
      metadata: { cache: store.metadataCache },
    });
  return {
    emulator,
    clock,
    dir,
    statePath,
    store,
    newClient,
    runOptions: (extra = {}) => ({ client: newClient(), store, clock, ...extra }),
    async cleanup() {
      store.close();
      await emulator.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
