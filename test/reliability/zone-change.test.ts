/**
 * Zone change (issue 8 item 1): the tenant moves to another zone in the middle of a run. The old
 * zone answers every call with an empty 401; zone discovery now names the new zone. Two emulators
 * serve one tenant (the old and the new zone) behind the real https `*.autotask.net` host names, and
 * discovery (`webservices.autotask.net`) answers from whichever zone is home at that moment.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterEach, describe, expect, it } from 'vitest';

import { createAutotaskClient } from '../../src/autotask/index.js';
import { parseConfig } from '../../src/config/load-config.js';
import { createSource } from '../../src/connectors/sources/create-source.js';
import { createEmulator, type Emulator } from '../../src/emulator/index.js';
import { systemClock } from '../../src/shared/clock.js';
import { silentLogger } from '../../src/shared/logger.js';
import { openStateStore } from '../../src/state/sqlite-state-store.js';
import { runSyncs, type RunSummary } from '../../src/sync/engine/index.js';
import { dataset, SYNC_YAML, writeDataset, type DatasetSize } from './helpers/dataset.js';
import { verifyExactlyOnce } from './helpers/verify-exactly-once.js';

const OLD_ZONE = 'https://webservices1.autotask.net/ATServicesRest/';
const NEW_ZONE = 'https://webservices2.autotask.net/ATServicesRest/';
const SIZE: DatasetSize = { companies: 150, contacts: 300, opportunities: 150 };

describe('zone change in the middle of a run', () => {
  let dir: string;
  let emulators: Emulator[] = [];
  afterEach(async () => {
    await Promise.all(emulators.map((e) => e.close()));
    emulators = [];
    rmSync(dir, { recursive: true, force: true });
  });

  it('follows the tenant to its new zone: every record exactly once', async () => {
    dir = mkdtempSync(join(tmpdir(), 'zone-change-'));
    const data = dataset(SIZE, 'Zone');
    writeDataset(dir, data);
    const oldZone = createEmulator({ seed: 'empty', publicUrl: OLD_ZONE, zone: { zoneName: 'EMU01' } });
    const newZone = createEmulator({
      tenant: oldZone.tenant,
      publicUrl: NEW_ZONE,
      zone: { zoneName: 'EMU02' },
    });
    emulators = [oldZone, newZone];
    let home = oldZone;
    let moved = false;
    const route = (input: string | URL | Request): Emulator => {
      const host = new URL(input instanceof Request ? input.url : input).hostname;
      if (host === 'webservices1.autotask.net') return oldZone;
      if (host === 'webservices2.autotask.net') return newZone;
      return home; // webservices.autotask.net: discovery
    };
    const fetchRouted = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
      const response = await route(input).fetch(input, init);
      // The move: after 200 records were created in the old zone, it refuses everyone.
      if (!moved && (oldZone.stats().byOperation['create'] ?? 0) >= 200) {
        moved = true;
        oldZone.faults.addRule({ kind: 'unauthorized', times: null });
        home = newZone;
      }
      return response;
    };
    const config = parseConfig(SYNC_YAML, { file: join(dir, 'sync.yaml'), env: {} }).config;
    const run = async (): Promise<RunSummary> => {
      const state = openStateStore({ path: join(dir, 'state.sqlite') });
      try {
        const client = createAutotaskClient({
          metadata: { cache: state.metadataCache },
          username: oldZone.credentials.userName,
          secret: oldZone.credentials.secret,
          integrationCode: oldZone.credentials.integrationCode,
          fetch: fetchRouted,
          budget: { reconcileIntervalMs: false },
          retry: { baseDelayMs: 1, maxDelayMs: 5 },
        });
        return await runSyncs(
          {
            client,
            state,
            openSource: (s) => createSource(s.source),
            clock: systemClock,
            logger: silentLogger,
          },
          config,
        );
      } finally {
        state.close();
      }
    };

    const first = await run();
    expect(moved).toBe(true);
    const context = `${first.status} ${JSON.stringify(first.counts)} ${first.error?.message ?? ''}`;
    // The run itself follows the move: nothing fails, the rest is created in the new zone.
    expect(first.status, context).toBe('succeeded');
    expect(first.counts.created, context).toBe(SIZE.companies + SIZE.contacts + SIZE.opportunities);
    expect(newZone.stats().byOperation['create'] ?? 0, context).toBeGreaterThan(0);
    // A later run (a new process, the zone cached in the state store) works in the new zone too.
    const again = await run();
    expect(again.status).toBe('succeeded');
    expect(again.counts.unchanged).toBe(SIZE.companies + SIZE.contacts + SIZE.opportunities);
    const state = openStateStore({ path: join(dir, 'state.sqlite') });
    try {
      expect(verifyExactlyOnce(oldZone.tenant, state, data).problems, context).toEqual([]);
    } finally {
      state.close();
    }
  }, 180_000);
});
