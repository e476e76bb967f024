/**
 * The run lock with real processes: two `autotask-sync` CLIs on one state database. While one `run`
 * writes, a second `run` is refused at once (exit 75, naming the holder's pid, command and start) and
 * writes nothing, while `plan` and `history` still work. Then the holder is SIGKILLed: `history` shows
 * its run `interrupted` at once (its pid is gone), and the next `run` takes the lock over with a
 * warning, settles the killed run's creates by key and finishes with every record exactly once.
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { emulatorEnv } from '../../bench/lib/bench-emulator.js';
import { createEmulator, type Emulator } from '../../src/emulator/index.js';
import { runCliChild, spawnCliFromSource } from '../helpers/cli-child-process.js';
import { countRecords } from '../helpers/count-records.js';
import { dataset, SYNC_YAML, writeDataset } from './helpers/dataset.js';

const sleep = (ms: number): Promise<void> => new Promise((done) => setTimeout(done, ms));

describe('two CLIs on one state database', () => {
  let emulator: Emulator;
  let dir: string;
  let env: Record<string, string>;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'run-lock-'));
    // Latency per call, so that the first run is still writing while the others start.
    emulator = createEmulator({ seed: 'empty', hourlyLimit: 1_000_000, latency: { baseMs: 60 } });
    const { url } = await emulator.listen({ port: 0 });
    env = {
      PATH: process.env['PATH'] ?? '',
      ...emulatorEnv({ url, credentials: emulator.credentials }),
      NO_COLOR: '1',
    };
    writeDataset(dir, dataset({ companies: 150, contacts: 300, opportunities: 50 }, 'Lock'));
    writeFileSync(join(dir, 'sync.yaml'), `${SYNC_YAML}engine: { intentSettleSeconds: 1 }\n`);
  });

  afterAll(async () => {
    await emulator.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const cli = (...args: string[]) => runCliChild(args, { cwd: dir, env });
  const statePath = (): string => join(dir, 'state.sqlite');

  /** The lock row, read without taking any lock (undefined while there is none yet). */
  function lockRow(): { pid: number; command: string } | undefined {
    if (!existsSync(statePath())) return undefined;
    const db = new Database(statePath(), { readonly: true, timeout: 5000 });
    try {
      return db.prepare('SELECT pid, command FROM run_lock').get() as
        { pid: number; command: string } | undefined;
    } catch {
      return undefined; // not migrated yet
    } finally {
      db.close();
    }
  }

  function history(out: string): { id: number; status: string; owner: { pid: number } | null }[] {
    return (JSON.parse(out) as { runs: { id: number; status: string; owner: { pid: number } | null }[] })
      .runs;
  }

  function duplicates(): string[] {
    const seen = new Map<string, number>();
    for (const r of emulator.tenant.tables.Companies.scan()) {
      const k = `company ${String(r.values['companyName'])}`;
      seen.set(k, (seen.get(k) ?? 0) + 1);
    }
    for (const r of emulator.tenant.tables.Contacts.scan()) {
      const k = `contact ${String(r.values['emailAddress'])}`;
      seen.set(k, (seen.get(k) ?? 0) + 1);
    }
    return [...seen].filter(([, n]) => n > 1).map(([k]) => k);
  }

  it('refuses a second run while the first holds the lock, and takes over once the first is killed', async () => {
    const first = spawnCliFromSource(['run', '--config', 'sync.yaml', '--json'], { cwd: dir, env });
    let firstOut = '';
    first.stdout.on('data', (c: Buffer) => (firstOut += c.toString()));
    first.stderr.on('data', (c: Buffer) => (firstOut += c.toString()));
    const firstExit = new Promise<number | null>((done) => first.once('exit', (code) => done(code)));
    const started = Date.now();
    while (lockRow()?.pid !== first.pid) {
      if (Date.now() - started > 30_000) throw new Error(`the first run never took the lock:\n${firstOut}`);
      await sleep(20);
    }
    // A second run is refused, saying who holds the lock; `plan` and `history` read without it.
    const [second, plan, during] = await Promise.all([
      cli('run', '--config', 'sync.yaml'),
      cli('plan', '--config', 'sync.yaml', '--json'),
      cli('history', '--config', 'sync.yaml', '--json', '--mode', 'run'),
    ]);
    expect(second.code).toBe(75);
    expect(second.out).toContain('[STATE_LOCKED]');
    expect(second.out).toContain(`\`run\` (pid ${first.pid} on host `);
    expect(second.out).toMatch(/since \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC/);
    expect(second.out).toMatch(/Wait for it to finish/);
    expect([0, 1]).toContain(plan.code);
    expect(plan.out).toContain('"mode":"plan"');
    expect(during.code).toBe(0);
    const firstRun = history(during.out).find((r) => r.owner?.pid === first.pid);
    expect(firstRun?.status).toBe('running');

    // SIGKILL the holder mid-run (it must still be writing, or this test proves nothing).
    expect(first.exitCode, `the first run ended before the kill:\n${firstOut}`).toBeNull();
    expect(lockRow()?.pid).toBe(first.pid);
    first.kill('SIGKILL');
    expect(await firstExit).toBeNull();
    expect(duplicates()).toEqual([]);
    const after = await cli('history', '--config', 'sync.yaml', '--json', '--mode', 'run');
    expect(history(after.out).find((r) => r.id === firstRun?.id)?.status).toBe('interrupted');

    // The next run takes the lock over (its holder is gone) and finishes the job, once.
    let next = await cli('run', '--config', 'sync.yaml', '--json');
    expect(next.code).not.toBe(75);
    expect(next.out).toContain(`took over the run lock of \`run\` (pid ${first.pid} on host `);
    expect(next.out).toContain('its process is gone');
    expect(next.out).toContain(`run ${firstRun?.id} marked interrupted`);
    for (let i = 0; i < 5 && next.code !== 0; i++) {
      // rows whose create was in flight at the kill wait out the 1 s settle period
      await sleep(1100);
      next = await cli('run', '--config', 'sync.yaml', '--json');
    }
    expect(next.code).toBe(0);
    expect(duplicates()).toEqual([]);
    expect(countRecords(emulator, 'Companies', 'companyName', /^Lock /).size).toBe(150);
    expect(countRecords(emulator, 'Contacts', 'emailAddress', /^lock\./).size).toBe(300);
    expect(lockRow()).toBeUndefined();
    const db = new Database(statePath(), { readonly: true });
    const stored = db.prepare('SELECT status FROM runs WHERE id = ?').get(firstRun?.id) as { status: string };
    db.close();
    expect(stored.status).toBe('interrupted');
  }, 180_000);
});
