/**
 * Kill test (issue 8 item 2): `autotask-sync run` in a child process, SIGKILLed at 20 random moments
 * (seeded: `KILL_TEST_SEED=<n>` replays a failure), each kill followed by a re-run that may itself be
 * killed, and a last run left to finish. The moments spread over start-up, the key-index scan and the
 * loads of companies, contacts and opportunities. After every kill: the state database passes
 * `PRAGMA integrity_check` and no record is in Autotask twice. In the end: every record exactly once
 * and the state store agrees with Autotask (verify-exactly-once.ts).
 *
 * Extends the engine's kill test (test/engine/kill-and-resume.test.ts: 6 kills during the company and
 * contact load) with start-up and read-phase kills, three objects, and the per-kill integrity check.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { emulatorEnv } from '../../bench/lib/bench-emulator.js';
import { createEmulator, type Emulator } from '../../src/emulator/index.js';
import { createPrng } from '../../src/emulator/seed/prng.js';
import { openStateStore } from '../../src/state/sqlite-state-store.js';
import { type CliChildOutcome, killTestSeed, runCliChild } from '../helpers/cli-child-process.js';
import { dataset, SYNC_YAML, writeDataset, type Dataset } from './helpers/dataset.js';
import { verifyExactlyOnce } from './helpers/verify-exactly-once.js';

const KILLS = 20;
/** Longest delay of a kill after the child's first request (ms); a full run takes longer. */
const MAX_DELAY_MS = 2500;
/**
 * The configuration's settle period: a run restarted at once after a kill holds back a row whose
 * create was in flight and is not in Autotask (yet), for this long after the request left (the run
 * exits 1, "held back"); it is run again once the period has passed, as a user would.
 */
const SETTLE_MS = 1000;

const sleep = (ms: number): Promise<void> => new Promise((done) => setTimeout(done, ms));

describe('SIGKILL at 20 random moments, each followed by a re-run', () => {
  let emulator: Emulator;
  let dir: string;
  let env: Record<string, string>;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'kill-twenty-'));
    // A little latency per call, so that kills land inside every phase rather than after the run.
    // A high hour limit: the kill rounds add up to thousands of calls, and at 50 % of the limit the
    // client (share 0.5) would wait for the hour to free up instead of finishing the round.
    emulator = createEmulator({ seed: 'empty', hourlyLimit: 1_000_000, latency: { baseMs: 8 } });
    const { url } = await emulator.listen({ port: 0 });
    env = {
      PATH: process.env['PATH'] ?? '',
      ...emulatorEnv({ url, credentials: emulator.credentials }),
      NO_COLOR: '1',
    };
  });

  afterAll(async () => {
    await emulator.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /**
   * Runs the CLI. With `kill`, SIGKILLs it `delayMs` after it starts (`from: 'spawn'`) or after its
   * first request reached the emulator (`from: 'first-request'`).
   */
  function runCli(
    cwd: string,
    kill?: { from: 'spawn' | 'first-request'; delayMs: number },
  ): Promise<CliChildOutcome> {
    const requestsBefore = emulator.stats().total;
    const firstRequest = (): boolean => emulator.stats().total !== requestsBefore;
    return runCliChild(['run', '--config', 'sync.yaml', '--json'], {
      cwd,
      env,
      kill:
        kill === undefined
          ? undefined
          : kill.from === 'spawn'
            ? { delayMs: kill.delayMs }
            : { delayMs: kill.delayMs, startWhen: firstRequest },
    });
  }

  function integrity(cwd: string): string {
    const path = join(cwd, 'state.sqlite');
    // Killed at start-up, before the state database was created: nothing to check.
    if (!existsSync(path)) return 'ok';
    const db = new Database(path, { readonly: true });
    try {
      return String(db.pragma('integrity_check', { simple: true }));
    } finally {
      db.close();
    }
  }

  /** Keys in Autotask more than once, right now. */
  function duplicates(): string[] {
    const seen = new Map<string, number>();
    const add = (k: string): void => void seen.set(k, (seen.get(k) ?? 0) + 1);
    for (const r of emulator.tenant.tables.Companies.scan())
      add(`company ${String(r.values['companyName'])}`);
    for (const r of emulator.tenant.tables.Contacts.scan())
      add(`contact ${String(r.values['emailAddress'])}`);
    for (const r of emulator.tenant.tables.Opportunities.scan())
      add(`opportunity ${String(r.values['title'])}`);
    return [...seen].filter(([, n]) => n > 1).map(([k, n]) => `${k} ×${n}`);
  }

  /** A round: one data set (own tag, folder and state database) synced until a run completes. */
  function newRound(n: number): { cwd: string; data: Dataset } {
    const cwd = join(dir, `round-${n}`);
    mkdirSync(cwd);
    const data = dataset({ companies: 60, contacts: 120, opportunities: 60 }, `Kill${n}`);
    writeDataset(cwd, data);
    writeFileSync(
      join(cwd, 'sync.yaml'),
      `${SYNC_YAML}engine: { intentSettleSeconds: ${SETTLE_MS / 1000} }\n`,
    );
    return { cwd, data };
  }

  function verifyRound(round: { cwd: string; data: Dataset }, context: string): void {
    expect(integrity(round.cwd), context).toBe('ok');
    const state = openStateStore({ path: join(round.cwd, 'state.sqlite') });
    try {
      expect(verifyExactlyOnce(emulator.tenant, state, round.data).problems, context).toEqual([]);
    } finally {
      state.close();
    }
  }

  it('ends with every record exactly once and a sound state database', async () => {
    const seed = killTestSeed();
    const random = createPrng(seed);
    const log: string[] = [];
    let rounds = 0;
    let round = newRound(rounds);
    let kills = 0;
    let attempts = 0;
    while (kills < KILLS && attempts < KILLS * 3) {
      attempts++;
      const from = random.next() < 0.2 ? 'spawn' : 'first-request';
      const delayMs = Math.round(random.next() * (from === 'spawn' ? 1500 : MAX_DELAY_MS));
      const result = await runCli(round.cwd, { from, delayMs });
      log.push(`${result.killed ? 'killed' : `exit ${String(result.code)}`} ${from}+${delayMs}ms`);
      const context = `seed ${seed}: ${log.join(', ')}`;
      if (result.killed) {
        kills++;
        expect(integrity(round.cwd), context).toBe('ok');
        expect(duplicates(), context).toEqual([]);
        continue;
      }
      if (result.code === 1 && /held back/.test(result.out)) {
        // A create of a killed run was in flight and is not in Autotask: held back for the settle
        // period, never created twice. Run again once it has passed.
        expect(duplicates(), context).toEqual([]);
        log.push('held back');
        await sleep(SETTLE_MS + 200);
        continue;
      }
      // The run finished before the kill: check the round, then start another so that later kills
      // still land in the middle of a load.
      expect(result.code, `${context}\n${result.out}`).toBe(0);
      verifyRound(round, context);
      round = newRound(++rounds);
      log.push(`round ${rounds}`);
    }
    const context = `seed ${seed}: ${log.join(', ')}`;
    console.log(`kill test: ${context}`);
    expect(kills, context).toBe(KILLS);

    await sleep(SETTLE_MS + 200); // the last run starts after the settle period: nothing is held back
    const final = await runCli(round.cwd);
    expect(final.code, `${context}\n${final.out}`).toBe(0);
    verifyRound(round, context);
  }, 900_000);
});
