/**
 * Two-way creates under the one-way engine's crash discipline: a pass stopped (or killed) while a
 * create is in flight, re-run at once, must not create the record twice when the late create lands.
 *
 * 1. Over loopback HTTP, the emulator's `slow` fault on the first create, the pass stopped while it is
 *    out: its intent stays pending and sent; a pass at once holds the row back (`failed`, with the time
 *    the hold ends) and sends no create for it; once the slow create lands, the next pass links it
 *    (exactly one record per row, the table's rows all linked, no intent left).
 * 2. A create whose outcome is unknown (the client's timeout) is held back the same way.
 * 3. With a clock the test moves: an intent left sent that never landed is held back within the
 *    settle period and created exactly once after it; one never sent is created at once.
 */
import { join } from 'node:path';

import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { inProcessClientOptions } from '../../../bench/lib/in-process-client.js';
import { createAutotaskClient, type AutotaskClient } from '../../../src/autotask/index.js';
import { systemClock, type Clock } from '../../../src/shared/clock.js';
import { heldUntilOf } from '../../../src/sync/engine/reconcile-intents.js';
import { runTwoWaySyncs, type TwoWayRunSummary } from '../../../src/sync/two-way/index.js';
import { createEngineWorld, OWNER_ID, type EngineWorld } from '../helpers/engine-world.js';
import { querySqlite, sleep, twoWayDeps } from '../helpers/two-way-support.js';

const NAMES = Array.from({ length: 6 }, (_, i) => `Crash Firm ${i}`);
const SETTLE_MS = 60_000;

const YAML = `
version: 1
twoWay:
  - name: companies-db
    object: Company
    table: { type: sqlite, path: crm.sqlite, table: companies, key: id }
    systems: [sql, autotask]
    autotaskDefaults: { companyType: 1, ownerResourceID: ${OWNER_ID}, phone: '+1 555 0100' }
    fields:
      companyName: name
`;

/** The system clock moved forward by `offset` ms (the emulator keeps real time). */
class ShiftedClock implements Clock {
  offset = 0;
  now(): number {
    return Date.now() + this.offset;
  }
  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return systemClock.sleep(ms, signal);
  }
}

/** Company name → how many records Autotask has with it. */
function companyCounts(world: EngineWorld): Map<string, number> {
  const counts = new Map<string, number>();
  for (const r of world.emulator.tenant.tables.Companies.scan()) {
    const name = String(r.values['companyName']);
    if (name.startsWith('Crash Firm')) counts.set(name, (counts.get(name) ?? 0) + 1);
  }
  return counts;
}

function expectEachOnce(world: EngineWorld): void {
  const counts = companyCounts(world);
  expect([...counts.keys()].sort()).toEqual(NAMES);
  expect([...counts.values()].every((n) => n === 1)).toBe(true);
}

let world: EngineWorld;
let clock: ShiftedClock;
let url: string;

beforeEach(async () => {
  world = await createEngineWorld({ hourlyLimit: 1_000_000 });
  url = (await world.emulator.listen({ port: 0 })).url;
  clock = new ShiftedClock();
  const db = new Database(join(world.dir, 'crm.sqlite'));
  db.exec('CREATE TABLE companies (id INTEGER PRIMARY KEY, name TEXT NOT NULL)');
  const insert = db.prepare('INSERT INTO companies (name) VALUES (?)');
  for (const name of NAMES) insert.run(name);
  db.close();
});

afterEach(async () => {
  await world.close();
});

/** A client over loopback HTTP, as a new process would have it. */
function httpClient(options: { signal?: AbortSignal; timeoutMs?: number } = {}): AutotaskClient {
  return createAutotaskClient({
    ...inProcessClientOptions(world.emulator),
    url,
    fetch: globalThis.fetch.bind(globalThis),
    metadata: { cache: world.state.metadataCache },
    budget: { reconcileIntervalMs: false },
    retry: { baseDelayMs: 1, maxDelayMs: 5 },
    ...options,
  });
}

/** One pass as a new process would run it (fresh state store). */
function pass(client?: AutotaskClient, signal?: AbortSignal): Promise<TwoWayRunSummary> {
  return runTwoWaySyncs(
    { ...twoWayDeps(world), clock, ...(client === undefined ? {} : { client }) },
    world.config(YAML).twoWay,
    { intentSettleMs: SETTLE_MS, ...(signal === undefined ? {} : { signal }) },
  );
}

const creates = (): number => world.emulator.stats().byOperation['create'] ?? 0;

function ledgerOf(
  runId: number,
  action: 'failed' | 'created',
): { key: string | null; reason: string | null }[] {
  return world.state.queryLedger({ runId, action });
}

/** Row key → its company name. */
function rowNames(): Map<string, string> {
  const rows = querySqlite<{ id: number; name: string }>(
    join(world.dir, 'crm.sqlite'),
    'SELECT id, name FROM companies',
  );
  return new Map(rows.map((r) => [String(r.id), r.name]));
}

describe('two-way: a pass stopped while a create is in flight, re-run at once', () => {
  const SLOW_CREATE_MS = 4_000;

  it('holds the row back instead of creating it again, and links it once it lands', async () => {
    world.emulator.faults.addRule({
      match: { method: 'POST', entity: 'Companies', isWrite: true },
      kind: 'slow',
      delayMs: SLOW_CREATE_MS,
      times: 1,
    });
    const stop = new AbortController();
    const stopped = pass(httpClient({ signal: stop.signal }), stop.signal);
    await expect.poll(() => world.emulator.faults.stats().injected.slow ?? 0).toBe(1);
    stop.abort(new Error('stopped by the user'));
    const first = await stopped;
    expect(first.status).toBe('aborted');
    await sleep(300); // the fast creates out at the stop land; the slow one takes seconds more

    // The requests out at the stop (the slow one among them) leave their intents pending and sent.
    const left = world.state.listUnresolvedIntents('companies-db');
    expect(left.length).toBeGreaterThanOrEqual(1);
    expect(left.every((i) => i.sentAt !== null)).toBe(true);
    const names = rowNames();
    const landed = new Set(companyCounts(world).keys());
    const missing = left.map((i) => i.key).filter((k) => !landed.has(names.get(k) ?? ''));
    expect(missing.length).toBeGreaterThanOrEqual(1); // the slow one, at least

    // At once: what Autotask does not show yet is held back, never created again.
    world.reopen();
    const before = creates();
    const next = await pass();
    expect(next.status).toBe('partial');
    const held = ledgerOf(next.runId, 'failed');
    expect(held.map((f) => f.key).sort()).toEqual([...missing].sort());
    for (const f of held) {
      expect(f.reason).toMatch(
        /held back and will be reconciled by key after \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC/,
      );
      expect(heldUntilOf(f.reason)).toBeGreaterThan(clock.now());
    }
    expect(creates() - before).toBe(NAMES.length - landed.size - missing.length);
    expect(next.results[0]?.notes.join('\n')).toMatch(/held back: an earlier create/);
    expect([...companyCounts(world).values()].every((n) => n === 1)).toBe(true);

    // The slow create lands; the next pass (still within the settle period) links it by key.
    await expect.poll(() => companyCounts(world).size, { timeout: SLOW_CREATE_MS * 3 }).toBe(NAMES.length);
    world.reopen();
    const createsBefore = creates();
    const last = await pass();
    expect(last.status).toBe('succeeded');
    expect(creates()).toBe(createsBefore);
    expectEachOnce(world);
    expect(world.state.listUnresolvedIntents()).toEqual([]);
    const links = [...world.state.iterateLinks('companies-db', 'Company')];
    expect(links.map((l) => l.key).sort()).toEqual([...rowNames().keys()].sort());
  }, 30_000);
});

describe('two-way: a create whose outcome is unknown', () => {
  const SLOW_CREATE_MS = 2_500;

  it('is held back by a pass at once, then linked once it lands', async () => {
    world.emulator.faults.addRule({
      match: { method: 'POST', entity: 'Companies', isWrite: true },
      kind: 'slow',
      delayMs: SLOW_CREATE_MS,
      times: 1,
    });
    world.reopen();
    const first = await pass(httpClient({ timeoutMs: 250 }));
    const [unknown, ...others] = ledgerOf(first.runId, 'failed');
    expect(others).toEqual([]);
    expect(unknown?.reason).toMatch(/Autotask may still be creating it: it will be reconciled by key after/);
    expect(companyCounts(world).size).toBe(NAMES.length - 1);

    world.reopen();
    const second = await pass();
    expect(ledgerOf(second.runId, 'failed').map((f) => f.key)).toEqual([unknown?.key]);
    expect(second.results[0]?.autotask.created).toBe(0);

    await expect.poll(() => companyCounts(world).size, { timeout: SLOW_CREATE_MS * 3 }).toBe(NAMES.length);
    world.reopen();
    const before = creates();
    const third = await pass();
    expect(third.status).toBe('succeeded');
    expect(creates()).toBe(before);
    expectEachOnce(world);
    expect(world.state.listUnresolvedIntents()).toEqual([]);
  }, 30_000);
});

describe('two-way: an intent left by a crash', () => {
  it('is held back within the settle period if it was sent, then created exactly once; at once if not', async () => {
    // A previous process committed two intents, sent one create (which never reached Autotask), died.
    const crashed = world.state.startRun({ mode: 'run', syncNames: ['companies-db'], configHash: 'x' });
    const [sent, unsent] = world.state.recordIntents(
      ['1', '2'].map((key) => ({
        runId: crashed.id,
        sync: 'companies-db',
        object: 'Company',
        key,
        payloadHash: 'h',
      })),
    );
    if (sent === undefined || unsent === undefined) throw new Error('intents not recorded');
    world.state.markIntentSent(sent.id, clock.now());

    world.reopen();
    const first = await pass();
    expect(first.results[0]?.autotask.created).toBe(NAMES.length - 1);
    const [held, ...others] = ledgerOf(first.runId, 'failed');
    expect(others).toEqual([]);
    expect(held?.key).toBe('1');
    expect(held?.reason).toMatch(new RegExp(`earlier create of this record \\(run ${crashed.id}\\)`));
    expect(companyCounts(world).has('Crash Firm 0')).toBe(false);
    expect(world.state.listUnresolvedIntents().map((i) => i.id)).toEqual([sent.id]);

    // Still within the settle period: held back again, no create sent.
    clock.offset = SETTLE_MS - 5_000;
    world.reopen();
    const before = creates();
    const second = await pass();
    expect(ledgerOf(second.runId, 'failed').map((f) => f.key)).toEqual(['1']);
    expect(creates()).toBe(before);

    // After it: created once, and never again.
    clock.offset = SETTLE_MS + 1_000;
    world.reopen();
    const third = await pass();
    expect(third.status).toBe('succeeded');
    expect(third.results[0]?.autotask.created).toBe(1);
    expect(world.state.listUnresolvedIntents()).toEqual([]);
    world.reopen();
    const fourth = await pass();
    expect(fourth.results[0]?.autotask.created).toBe(0);
    expectEachOnce(world);
  });
});
