/**
 * A create in flight when the process dies may land in Autotask after the next run has read its key
 * index: a restart at once must not create it again. Only intents whose request was sent wait for
 * the settle period; intents committed ahead of their request (group commit, the client's 3 lanes per
 * endpoint) are created at once.
 *
 * 1. The real CLI over loopback HTTP, the emulator's `slow` fault on the first three creates, SIGKILL
 *    while they are in flight, restart at once: no duplicate, the three unsent rows created, the three
 *    sent rows held back; once the late creates land, the next run links them: exactly one record each.
 * 2. In process, with a clock the test moves: an intent left sent but never landed is held back
 *    within the settle period (no create sent) and created exactly once after it.
 * 3. A run stopped (Ctrl-C) while a create is out leaves its intent pending and sent, like a crash.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import { inProcessClientOptions } from '../../bench/lib/in-process-client.js';
import { createAutotaskClient } from '../../src/autotask/index.js';
import { emulatorEnv } from '../../bench/lib/bench-emulator.js';
import { createEmulator, type Emulator } from '../../src/emulator/index.js';
import { openStateStore } from '../../src/state/sqlite-state-store.js';
import { runSyncs, type RunSummary } from '../../src/sync/engine/index.js';
import { runCliChild, type CliChildOutcome } from '../helpers/cli-child-process.js';
import { createEngineWorld, csv, type EngineWorld } from './helpers/engine-world.js';
import { ShiftedClock } from './helpers/shifted-clock.js';
import { companiesSyncYaml, PROSPECTS_ONE_PHONE } from '../../bench/lib/companies-sync-yaml.js';

const SYNC = `
${companiesSyncYaml(PROSPECTS_ONE_PHONE)}
`;

const NAMES = Array.from({ length: 6 }, (_, i) => `Crash Firm ${i}`);

/** Company name → how many records Autotask has with it. */
function companyCounts(emulator: Emulator): Map<string, number> {
  const counts = new Map<string, number>();
  for (const r of emulator.tenant.tables.Companies.scan()) {
    const name = String(r.values['companyName']);
    if (name.startsWith('Crash Firm')) counts.set(name, (counts.get(name) ?? 0) + 1);
  }
  return counts;
}

/** The JSON summary a `run --json` prints last. */
function summaryOf(outcome: CliChildOutcome): RunSummary {
  return JSON.parse(outcome.out.trim().split('\n').pop() ?? '{}') as RunSummary;
}

describe('the CLI killed while creates are in flight, restarted at once', () => {
  /** Longer than a restart and its run: the late creates land after the restart read its index. */
  const SLOW_CREATE_MS = 10_000;
  let emulator: Emulator;
  let dir: string;
  let env: Record<string, string>;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'crash-intent-'));
    // The dead process's slow creates keep their thread slots until they land: a higher thread limit
    // lets the restart read the index meanwhile (with Autotask's 3 it would wait for them to land).
    emulator = createEmulator({ seed: 'empty', hourlyLimit: 1_000_000, threadLimit: 10 });
    const { url } = await emulator.listen({ port: 0 });
    env = {
      PATH: process.env['PATH'] ?? '',
      ...emulatorEnv({ url, credentials: emulator.credentials }),
      NO_COLOR: '1',
    };
    writeFileSync(
      join(dir, 'companies.csv'),
      csv(
        ['Name'],
        NAMES.map((n) => [n]),
      ),
    );
    // The default settle period is 5 minutes; a minute is plenty for the test and fails fast if not.
    writeFileSync(
      join(dir, 'sync.yaml'),
      `version: 1\nstate: state.sqlite\nengine: { intentSettleSeconds: 60 }\nsyncs:${SYNC}`,
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
    // The first three creates (one per lane) are slow: in flight when the process is killed.
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
      const left = state.listUnresolvedIntents('companies');
      // Every row's intent was committed before the kill (one group); only three requests left.
      expect(left).toHaveLength(NAMES.length);
      sentKeys = left.filter((i) => i.sentAt !== null).map((i) => i.key);
      expect(sentKeys).toHaveLength(3);
    } finally {
      state.close();
    }

    // Restart at once: the slow creates have not landed.
    const restarted = await run();
    const summary = summaryOf(restarted);
    expect(restarted.code, restarted.out).toBe(1);
    expect(summary.counts).toMatchObject({ created: 3, failed: 3 });
    const held = summary.syncs[0]?.outcomes.filter((o) => o.action === 'failed') ?? [];
    expect(held.map((o) => o.key).sort()).toEqual(sentKeys.sort());
    for (const o of held)
      expect(o.reason).toMatch(
        /held back and will be reconciled by key after \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC/,
      );
    // (the late creates may land any moment now: no record twice, whatever landed)
    const afterRestart = companyCounts(emulator);
    expect(afterRestart.size).toBeGreaterThanOrEqual(3);
    expect([...afterRestart.values()].every((n) => n === 1)).toBe(true);

    // The late creates land; the next run (still within the settle period) finds them by key.
    await expect
      .poll(() => companyCounts(emulator).size, { timeout: SLOW_CREATE_MS * 3, interval: 100 })
      .toBe(NAMES.length);
    const createsBefore = emulator.stats().byOperation['create'] ?? 0;
    const last = await run();
    expect(last.code, last.out).toBe(0);
    expect(summaryOf(last).counts).toMatchObject({ created: 0, unchanged: NAMES.length, failed: 0 });
    expect(emulator.stats().byOperation['create'] ?? 0).toBe(createsBefore);
    const counts = companyCounts(emulator);
    expect([...counts.keys()].sort()).toEqual(NAMES);
    expect([...counts.values()].every((n) => n === 1)).toBe(true);

    const after = openStateStore({ path: join(dir, 'state.sqlite') });
    try {
      expect(after.listUnresolvedIntents()).toEqual([]);
    } finally {
      after.close();
    }
  }, 90_000);
});

/** An engine world whose companies.csv lists NAMES. */
async function namesWorld(): Promise<EngineWorld> {
  const world = await createEngineWorld();
  world.file(
    'companies.csv',
    csv(
      ['Name'],
      NAMES.map((n) => [n]),
    ),
  );
  return world;
}

describe('an intent left by a crash after its request was sent', () => {
  const SETTLE_MS = 60_000;
  let world: EngineWorld;
  let clock: ShiftedClock;

  beforeEach(async () => {
    world = await namesWorld();
    clock = new ShiftedClock();
  });
  afterEach(async () => {
    await world.close();
  });

  const run = (): Promise<RunSummary> => {
    world.reopen();
    return runSyncs({ ...world.deps, clock }, world.config(`version: 1\nsyncs:${SYNC}`), {
      intentSettleMs: SETTLE_MS,
    });
  };

  it('is held back within the settle period, then created exactly once; an unsent one at once', async () => {
    // A previous process committed two intents, sent one create (which never reached Autotask), died.
    const crashed = world.state.startRun({ mode: 'run', syncNames: ['companies'], configHash: 'x' });
    const [sent, unsent] = world.state.recordIntents(
      ['crash firm 0', 'crash firm 1'].map((key) => ({
        runId: crashed.id,
        sync: 'companies',
        object: 'Company',
        key,
        payloadHash: 'h',
      })),
    );
    if (sent === undefined || unsent === undefined) throw new Error('intents not recorded');
    world.state.markIntentSent(sent.id, clock.now());

    const first = await run();
    expect(first.counts).toMatchObject({ created: NAMES.length - 1, failed: 1 });
    const [held] = world.state.queryLedger({ runId: first.runId, action: 'failed' });
    expect(held?.key).toBe('crash firm 0');
    expect(held?.reason).toMatch(new RegExp(`earlier create of this record \\(run ${crashed.id}\\)`));
    expect(companyCounts(world.emulator).has('Crash Firm 0')).toBe(false);
    expect(world.state.listUnresolvedIntents().map((i) => i.id)).toEqual([sent.id]);

    // Still within the settle period: held back again, no create sent.
    clock.offset = SETTLE_MS - 5_000;
    const creates = (): number => world.emulator.stats().byOperation['create'] ?? 0;
    const before = creates();
    const second = await run();
    expect(second.counts).toMatchObject({ created: 0, unchanged: NAMES.length - 1, failed: 1 });
    expect(creates()).toBe(before);

    // After it: created once, and never again.
    clock.offset = SETTLE_MS + 1_000;
    const third = await run();
    expect(third.counts).toMatchObject({ created: 1, unchanged: NAMES.length - 1, failed: 0 });
    expect(world.state.listUnresolvedIntents()).toEqual([]);
    const fourth = await run();
    expect(fourth.counts).toMatchObject({ created: 0, unchanged: NAMES.length, failed: 0 });
    const counts = companyCounts(world.emulator);
    expect([...counts.keys()].sort()).toEqual(NAMES);
    expect([...counts.values()].every((n) => n === 1)).toBe(true);
  });
});

describe('a run stopped while a create is out', () => {
  const SLOW_CREATE_MS = 4_000;
  const SETTLE_MS = 60_000;
  let world: EngineWorld;
  let clock: ShiftedClock;

  beforeEach(async () => {
    world = await namesWorld();
    clock = new ShiftedClock();
  });
  afterEach(async () => {
    await world.close();
  });

  it('leaves the intents of requests out pending and sent: held back, then linked or created once', async () => {
    const config = world.config(`version: 1\nsyncs:${SYNC}`);
    world.emulator.faults.addRule({
      match: { method: 'POST', entity: 'Companies', isWrite: true },
      kind: 'slow',
      delayMs: SLOW_CREATE_MS,
      times: 1,
    });
    // Over HTTP: stopping aborts the requests out (the in-process fetch would still answer them).
    const { url } = await world.emulator.listen({ port: 0 });
    const stop = new AbortController();
    const client = createAutotaskClient({
      ...inProcessClientOptions(world.emulator),
      url,
      fetch: globalThis.fetch.bind(globalThis),
      metadata: { cache: world.state.metadataCache },
      budget: { reconcileIntervalMs: false },
      signal: stop.signal,
    });
    const running = runSyncs({ ...world.deps, client, clock }, config, {
      signal: stop.signal,
      intentSettleMs: SETTLE_MS,
    });
    await expect.poll(() => world.emulator.faults.stats().injected.slow ?? 0).toBe(1);
    stop.abort(new Error('stopped by the user'));
    await running.catch(() => undefined);
    // The requests out at the stop (the slow one among them) leave their intents pending and sent;
    // the creates still waiting for a lane were not sent, and their intents are given up.
    const sent = world.state.listUnresolvedIntents('companies');
    expect(sent.length).toBeGreaterThanOrEqual(1);
    expect(sent.length).toBeLessThanOrEqual(3); // at most one per lane
    expect(sent.every((i) => i.sentAt !== null)).toBe(true);
    const landed = new Set([...companyCounts(world.emulator).keys()].map((n) => n.toLowerCase()));
    const missing = sent.map((i) => i.key).filter((k) => !landed.has(k));
    expect(missing.length).toBeGreaterThanOrEqual(1); // the slow one, at least

    // At once: what Autotask does not show yet is held back, never created again.
    world.reopen();
    const creates = (): number => world.emulator.stats().byOperation['create'] ?? 0;
    const next = await runSyncs({ ...world.deps, clock }, config, { intentSettleMs: SETTLE_MS });
    const held = world.state.queryLedger({ runId: next.runId, action: 'failed' }).map((f) => f.key);
    expect(held.sort()).toEqual([...missing].sort());
    expect([...companyCounts(world.emulator).values()].every((n) => n === 1)).toBe(true);

    // The slow create lands; after the settle period what never landed is created, once.
    await new Promise((done) => setTimeout(done, SLOW_CREATE_MS + 500));
    const before = creates();
    const landedLate = [...companyCounts(world.emulator).keys()].map((n) => n.toLowerCase());
    const neverLanded = missing.filter((k) => !landedLate.includes(k));
    expect(neverLanded.length).toBeLessThan(missing.length); // the slow one landed
    clock.offset = SETTLE_MS + 1_000;
    world.reopen();
    const last = await runSyncs({ ...world.deps, clock }, config, { intentSettleMs: SETTLE_MS });
    expect(last.counts).toMatchObject({ created: neverLanded.length, failed: 0 });
    expect(creates() - before).toBe(neverLanded.length);
    const counts = companyCounts(world.emulator);
    expect([...counts.keys()].sort()).toEqual(NAMES);
    expect([...counts.values()].every((n) => n === 1)).toBe(true);
    expect(world.state.listUnresolvedIntents()).toEqual([]);
  });
});
