/**
 * The web app's runs take the run lock: while another process syncs the same state, "Run" answers
 * 409 `STATE_LOCKED` naming that process, and starts nothing; once the lock is free it runs.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { Emulator } from '../../src/emulator/index.js';
import type { UiServer } from '../../src/ui/index.js';
import { startUiOnEmulator, type UiOnEmulator } from '../helpers/ui-on-emulator.js';
import { companiesSyncYaml } from '../../bench/lib/companies-sync-yaml.js';
import { openAsOtherProcess } from '../helpers/other-process-store.js';

describe('web app runs and the run lock', () => {
  let ui: UiOnEmulator;
  let emulator: Emulator;
  let server: UiServer;
  let dir: string;

  beforeAll(async () => {
    ui = await startUiOnEmulator('ui-run-lock-', (folder) => {
      writeFileSync(join(folder, 'companies.csv'), 'Name,Phone\nUi Lock Co,+1 555 0101\n');
      writeFileSync(
        join(folder, 'sync.config.yaml'),
        `version: 1
state: state.sqlite
syncs:
${companiesSyncYaml()}
`,
      );
    });
    ({ emulator, server, dir } = ui);
  });

  afterAll(async () => {
    await ui?.close();
  });

  const startRun = async (): Promise<{
    status: number;
    json: { error?: { code: string; message: string } };
  }> => {
    const res = await fetch(`${server.origin}/api/runs`, {
      method: 'POST',
      headers: { authorization: `Bearer ${server.token}`, 'content-type': 'application/json' },
      body: '{}',
    });
    return { status: res.status, json: (await res.json()) as { error?: { code: string; message: string } } };
  };

  it('answers 409 naming the holder while another process holds the lock, and runs once it is free', async () => {
    const other = openAsOtherProcess(join(dir, 'state.sqlite'));
    try {
      const lock = other.acquireRunLock({ command: 'run --watch' });
      const refused = await startRun();
      expect(refused.status).toBe(409);
      expect(refused.json.error?.code).toBe('STATE_LOCKED');
      expect(refused.json.error?.message).toContain('`run --watch` (pid 4242 on host sync-01)');
      expect(emulator.stats().byOperation['create'] ?? 0).toBe(0);

      lock.release();
      expect((await startRun()).status).toBe(202);
      const deadline = Date.now() + 30_000;
      while ((emulator.stats().byOperation['create'] ?? 0) < 1 || other.runLockHolder() !== undefined) {
        if (Date.now() > deadline) throw new Error('the run did not finish');
        await new Promise((r) => setTimeout(r, 20));
      }
      const runs = other.listRuns({ mode: 'run' });
      expect(runs[0]?.status).toBe('succeeded');
    } finally {
      other.close();
    }
  }, 60_000);
});
