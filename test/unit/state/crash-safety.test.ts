import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';

import { openStateStore } from '../../../src/state/index.js';

const dir = mkdtempSync(join(tmpdir(), 'autotask-sync-crash-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Starts the writer, waits for its first commit, lets it run `extraMs` more, then SIGKILLs it. */
async function killWriterMidway(path: string, extraMs: number): Promise<void> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', join(import.meta.dirname, 'fixtures/crash-writer.ts'), path],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  await new Promise<void>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`writer exited early with ${code}`)));
    child.stdout.once('data', () => resolve());
  });
  await new Promise((r) => setTimeout(r, extraMs));
  child.removeAllListeners('exit');
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGKILL');
  await exited;
}

describe('crash safety', () => {
  it.each([0, 7, 23, 61])(
    'a writer killed with SIGKILL %i ms after its first commit leaves a consistent store',
    async (extraMs) => {
      const path = join(dir, `state-${extraMs}.sqlite`);
      await killWriterMidway(path, extraMs);

      const db = new Database(path);
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      db.close();

      const store = openStateStore({ path });
      const run = store.listRuns()[0]!;
      // its process is gone: the run reads as interrupted, with the counts its ledger holds
      expect(run.status).toBe('interrupted');
      expect(run.counters['created']).toBe(store.countLedger(run.id).created);
      const links = [...store.iterateLinks('s', 'Company')].length;
      const ledger = store.countLedger(run.id).created;
      const cursor = Number(store.getIndexCursor('Company')?.value);
      // every checkpoint is all-or-nothing: links, ledger and cursor agree
      expect(links).toBeGreaterThanOrEqual(50);
      expect(links % 50).toBe(0);
      expect(ledger).toBe(links);
      expect(cursor).toBe(links);
      store.close();
    },
  );
});
