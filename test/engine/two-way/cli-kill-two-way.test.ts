/**
 * The real CLI over loopback HTTP runs a two-way sync; the emulator's `slow` fault keeps the first
 * three creates (one per lane) in flight while the process is SIGKILLed; a restart at once must not
 * create them again. The intents of all six creates were committed in one group before the kill; only
 * the three whose requests left are marked sent. The restart creates the three never sent, holds back
 * the three in flight (their time named, from `engine.intentSettleSeconds`); once the late creates land,
 * the next run links them: exactly one record per row.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createEmulator, type Emulator } from '../../../src/emulator/index.js';
import { openStateStore } from '../../../src/state/sqlite-state-store.js';
import { heldUntilOf } from '../../../src/sync/engine/reconcile-intents.js';
import type { TwoWayRunSummary } from '../../../src/sync/two-way/index.js';
import { runCliChild, type CliChildOutcome } from '../../helpers/cli-child-process.js';
import { OWNER_ID } from '../helpers/engine-world.js';

const NAMES = Array.from({ length: 6 }, (_, i) => `Killed Firm ${i}`);
/** Longer than a restart and its run: the late creates land after the restart read both sides. */
const SLOW_CREATE_MS = 10_000;
const SETTLE_SECONDS = 60;

function companyCounts(emulator: Emulator): Map<string, number> {
  const counts = new Map<string, number>();
  for (const r of emulator.tenant.tables.Companies.scan()) {
    const name = String(r.values['companyName']);
    if (name.startsWith('Killed Firm')) counts.set(name, (counts.get(name) ?? 0) + 1);
  }
  return counts;
}

function summaryOf(outcome: CliChildOutcome): TwoWayRunSummary {
  const last = outcome.out.trim().split('\n').pop() ?? '{}';
  return (JSON.parse(last) as { twoWay: TwoWayRunSummary }).twoWay;
}

describe('two-way: the CLI killed while creates are in flight, restarted at once', () => {
  let emulator: Emulator;
  let dir: string;
  let env: Record<string, string>;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'two-way-kill-'));
    // The dead process's slow creates keep their thread slots until they land: a higher thread limit
    // lets the restart read meanwhile (with Autotask's 3 it would wait for them to land).
    emulator = createEmulator({ seed: 'empty', hourlyLimit: 1_000_000, threadLimit: 10 });
    const { url } = await emulator.listen({ port: 0 });
    env = {
      PATH: process.env['PATH'] ?? '',
      AUTOTASK_USERNAME: emulator.credentials.userName,
      AUTOTASK_SECRET: emulator.credentials.secret,
      AUTOTASK_INTEGRATION_CODE: emulator.credentials.integrationCode,
      AUTOTASK_URL: url,
      NO_COLOR: '1',
    };
    const db = new Database(join(dir, 'crm.sqlite'));
    db.exec('CREATE TABLE companies (id INTEGER PRIMARY KEY, name TEXT NOT NULL)');
    const insert = db.prepare('INSERT INTO companies (name) VALUES (?)');
    for (const name of NAMES) insert.run(name);
    db.close();
    writeFileSync(
      join(dir, 'sync.yaml'),
      `version: 1
state: state.sqlite
engine: { intentSettleSeconds: ${SETTLE_SECONDS} }
twoWay:
  - name: companies-db
    object: Company
    table: { type: sqlite, path: crm.sqlite, table: companies, key: id }
    systems: [sql, autotask]
    create: { sql: false }
    autotaskDefaults: { companyType: 1, ownerResourceID: ${OWNER_ID}, phone: '+1 555 0100' }
    fields:
      companyName: name
`,
    );
  });

  afterAll(async () => {
    await emulator.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const run = (kill?: { startWhen: () => boolean }): Promise<CliChildOutcome> =>
    runCliChild(['run', '--config', 'sync.yaml', '--json'], {
      cwd: dir,
      env,
      kill: kill === undefined ? undefined : { delayMs: 50, startWhen: kill.startWhen },
    });

  it('creates the rows never sent at once, holds back the sent ones, and links them once they land', async () => {
    emulator.faults.addRule({
      match: { method: 'POST', entity: 'Companies', isWrite: true },
      kind: 'slow',
      delayMs: SLOW_CREATE_MS,
      times: 3,
    });
    const slowCreates = (): number => emulator.faults.stats().injected.slow ?? 0;
    const killed = await run({ startWhen: () => slowCreates() >= 3 });
    expect(killed.killed, killed.out).toBe(true);
    expect(companyCounts(emulator).size).toBe(0); // nothing has landed yet

    const state = openStateStore({ path: join(dir, 'state.sqlite') });
    let sentKeys: string[];
    try {
      const left = state.listUnresolvedIntents('companies-db');
      // Every row's intent was committed before the kill (one group); only three requests left.
      expect(left).toHaveLength(NAMES.length);
      sentKeys = left.filter((i) => i.sentAt !== null).map((i) => i.key);
      expect(sentKeys).toHaveLength(3);
    } finally {
      state.close();
    }

    // Restart at once: the slow creates have not landed.
    const startedAt = Date.now();
    const restarted = await run();
    expect(restarted.code, restarted.out).toBe(1);
    const summary = summaryOf(restarted);
    expect(summary.results[0]).toMatchObject({ autotask: { created: 3 }, failed: 3 });
    const after = openStateStore({ path: join(dir, 'state.sqlite') });
    try {
      const held = after.queryLedger({ runId: summary.runId, action: 'failed' });
      expect(held.map((f) => f.key).sort()).toEqual(sentKeys.sort());
      for (const f of held) {
        expect(f.reason).toMatch(/held back and will be reconciled by key after/);
        // the configured settle period, not the 5-minute default
        expect(heldUntilOf(f.reason)).toBeLessThanOrEqual(startedAt + (SETTLE_SECONDS + 2) * 1000);
      }
    } finally {
      after.close();
    }
    const afterRestart = companyCounts(emulator);
    expect([...afterRestart.values()].every((n) => n === 1)).toBe(true);

    // The late creates land; the next run (still within the settle period) links them by key.
    await expect
      .poll(() => companyCounts(emulator).size, { timeout: SLOW_CREATE_MS * 3, interval: 100 })
      .toBe(NAMES.length);
    const createsBefore = emulator.stats().byOperation['create'] ?? 0;
    const last = await run();
    expect(last.code, last.out).toBe(0);
    expect(summaryOf(last).results[0]).toMatchObject({ autotask: { created: 0 }, failed: 0 });
    expect(emulator.stats().byOperation['create'] ?? 0).toBe(createsBefore);
    const counts = companyCounts(emulator);
    expect([...counts.keys()].sort()).toEqual(NAMES);
    expect([...counts.values()].every((n) => n === 1)).toBe(true);

    const final = openStateStore({ path: join(dir, 'state.sqlite') });
    try {
      expect(final.listUnresolvedIntents()).toEqual([]);
      expect([...final.iterateLinks('companies-db', 'Company')]).toHaveLength(NAMES.length);
    } finally {
      final.close();
    }
  }, 90_000);
});
