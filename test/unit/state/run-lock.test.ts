import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { ManualClock } from '../../../src/shared/clock.js';
import { migrate } from '../../../src/state/migrations/index.js';
import {
  openStateStore,
  RunLockedError,
  RunLockLostError,
  type ProcessProbe,
  type StateStore,
} from '../../../src/state/index.js';

/** A process as the store sees it: `alive` is the set of pids that exist in its scope. */
function probe(pid: number, scope = 'host-a/ns/boot', alive: Set<number> = new Set([pid])): ProcessProbe {
  return { self: { pid, host: scope.split('/')[0] ?? scope, pidScope: scope }, isAlive: (p) => alive.has(p) };
}

let dir: string;
let path: string;
let clock: ManualClock;
const open: StateStore[] = [];
function store(p: ProcessProbe, timing: { heartbeatMs?: number; staleAfterMs?: number } = {}): StateStore {
  const s = openStateStore({ path, clock, processProbe: p, runLock: timing });
  open.push(s);
  return s;
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'run-lock-'));
  path = join(dir, 'state.sqlite');
  clock = new ManualClock(Date.UTC(2026, 10, 27, 13, 0, 0));
});
afterEach(() => {
  for (const s of open.splice(0)) s.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('the run lock', () => {
  it('refuses a second process while the first holds it, saying who holds it and since when', () => {
    const alive = new Set([100, 200]);
    const first = store(probe(100, 'host-a/ns/boot', alive));
    const second = store(probe(200, 'host-a/ns/boot', alive));
    first.acquireRunLock({ command: 'run --watch' });
    clock.advance(3000);
    let refused: unknown;
    try {
      second.acquireRunLock({ command: 'run' });
    } catch (error) {
      refused = error;
    }
    expect(refused).toBeInstanceOf(RunLockedError);
    const error = refused as RunLockedError;
    expect(error.code).toBe('STATE_LOCKED');
    expect(error.message).toContain('`run --watch` (pid 100 on host host-a) since 2026-11-27 13:00:00 UTC');
    expect(error.message).toContain('last heard from 3 s ago');
    expect(error.message).toMatch(/Wait for it to finish/);
    expect(error.details).toMatchObject({ pid: 100, host: 'host-a', command: 'run --watch', path });
  });

  it('is free again once released, and closing the store releases it', () => {
    const alive = new Set([100, 200]);
    const first = store(probe(100, 'host-a/ns/boot', alive));
    const second = store(probe(200, 'host-a/ns/boot', alive));
    first.acquireRunLock({ command: 'run' }).release();
    const lock = second.acquireRunLock({ command: 'export' });
    expect(lock.tookOver).toBeUndefined();
    expect(first.runLockHolder()).toMatchObject({ pid: 200, command: 'export', stale: undefined });
    second.close();
    expect(first.runLockHolder()).toBeUndefined();
    expect(first.acquireRunLock({ command: 'run' }).holder.pid).toBe(100);
  });

  it('refuses a second acquisition by the same store', () => {
    const only = store(probe(100));
    only.acquireRunLock({ command: 'serve' });
    expect(() => only.acquireRunLock({ command: 'serve' })).toThrow(RunLockedError);
  });

  it('takes over at once when the holder’s pid is dead on this host, and marks its run interrupted', () => {
    const alive = new Set([100, 200]);
    const crashed = store(probe(100, 'host-a/ns/boot', alive));
    crashed.acquireRunLock({ command: 'run' });
    const run = crashed.startRun({ mode: 'run', syncNames: ['companies'], configHash: 'h' });
    clock.advance(5000);
    crashed.appendLedger([
      { runId: run.id, sync: 'companies', sourceLocation: 'c.csv:2', key: 'acme', action: 'created' },
      { runId: run.id, sync: 'companies', sourceLocation: 'c.csv:3', key: 'globex', action: 'failed' },
    ]);
    const lastEntryAt = clock.now();
    clock.advance(1000);
    alive.delete(100); // SIGKILL: the row stays behind, the process is gone

    const next = store(probe(200, 'host-a/ns/boot', alive));
    expect(next.getRun(run.id)).toMatchObject({ status: 'interrupted', finishedAt: lastEntryAt });
    expect(next.runLockHolder()?.stale).toBe('process-gone');
    const lock = next.acquireRunLock({ command: 'run' });
    expect(lock.tookOver).toMatchObject({ pid: 100, command: 'run', why: 'process-gone' });
    expect(lock.interrupted.map((r) => r.id)).toEqual([run.id]);
    const raw = new Database(path, { readonly: true });
    const row = raw.prepare('SELECT status, counters, finished_at FROM runs WHERE id = ?').get(run.id) as {
      status: string;
      counters: string;
      finished_at: number;
    };
    raw.close();
    expect(row.status).toBe('interrupted');
    expect(JSON.parse(row.counters)).toMatchObject({ created: 1, failed: 1, updated: 0 });
    expect(row.finished_at).toBe(lastEntryAt);
  });

  it('judges a holder of another host (or container) by its heartbeat only', () => {
    const theirs = store(probe(100, 'host-b/ns2/boot2'), { heartbeatMs: 3_600_000, staleAfterMs: 60_000 });
    // pid 100 is not alive in our scope, but that scope is not ours: its pid says nothing here
    const ours = store(probe(200, 'host-a/ns/boot', new Set([200])), { staleAfterMs: 60_000 });
    theirs.acquireRunLock({ command: 'serve' });
    const run = theirs.startRun({ mode: 'run', syncNames: ['a'], configHash: 'h' });
    clock.advance(59_000);
    expect(() => ours.acquireRunLock({ command: 'run' })).toThrow(RunLockedError);
    expect(ours.getRun(run.id)?.status).toBe('running');
    clock.advance(2_000);
    expect(ours.getRun(run.id)?.status).toBe('interrupted');
    expect(ours.acquireRunLock({ command: 'run' }).tookOver?.why).toBe('no-heartbeat');
  });

  it('keeps a live holder alive with its heartbeat, and tells it when another process took over', async () => {
    const real = new ManualClock(clock.now());
    const holder = openStateStore({
      path,
      clock: real,
      processProbe: probe(100),
      runLock: { heartbeatMs: 20 },
    });
    open.push(holder);
    const lock = holder.acquireRunLock({ command: 'run' });
    real.advance(30_000);
    await new Promise((r) => setTimeout(r, 80));
    expect(holder.runLockHolder()?.heartbeatAt).toBe(real.now());

    // Another host judged it gone (say the machine slept) and took the lock over.
    const other = store(probe(300, 'host-c/x/y'), { staleAfterMs: 10_000 });
    clock.advance(31_000 + 60_000);
    real.advance(1);
    other.acquireRunLock({ command: 'ui' });
    await new Promise((r) => setTimeout(r, 80));
    expect(lock.lost.aborted).toBe(true);
    expect(lock.lost.reason).toBeInstanceOf(RunLockLostError);
    expect((lock.lost.reason as Error).message).toContain('`ui` (pid 300 on host host-c)');
    lock.release(); // does not remove the new holder's row
    expect(other.runLockHolder()?.pid).toBe(300);
  });
});

describe('runs and their owners', () => {
  it('stamps runs with their process and lock; plans never run under the lock', () => {
    const s = store(probe(100));
    const lock = s.acquireRunLock({ command: 'run' });
    const run = s.startRun({ mode: 'run', syncNames: [], configHash: 'h' });
    const plan = s.startRun({ mode: 'plan', syncNames: [], configHash: 'h' });
    expect(run.owner).toEqual({ pid: 100, host: 'host-a' });
    const raw = new Database(path, { readonly: true });
    const tokens = raw.prepare('SELECT id, lock_token AS t FROM runs ORDER BY id').all() as {
      t: string | null;
    }[];
    raw.close();
    expect(tokens.map((r) => r.t)).toEqual([lock.holder.token, null]);
    expect(plan.status).toBe('running');
  });

  it('shows a plan of a dead process on this host as interrupted, a live or foreign one as running', () => {
    const alive = new Set([100, 200]);
    const a = store(probe(100, 'host-a/ns/boot', alive));
    const dead = a.startRun({ mode: 'plan', syncNames: [], configHash: 'h' });
    const foreign = store(probe(100, 'host-z/q/r')).startRun({
      mode: 'plan',
      syncNames: [],
      configHash: 'h',
    });
    const b = store(probe(200, 'host-a/ns/boot', alive));
    const live = b.startRun({ mode: 'plan', syncNames: [], configHash: 'h' });
    expect(b.getRun(dead.id)?.status).toBe('running');
    alive.delete(100);
    expect(b.listRuns().map((r) => [r.id, r.status])).toEqual([
      [live.id, 'running'],
      [foreign.id, 'running'],
      [dead.id, 'interrupted'],
    ]);
    // reading wrote nothing; marking does, once
    expect(b.markInterruptedRuns().map((r) => r.id)).toEqual([dead.id]);
    expect(b.markInterruptedRuns()).toEqual([]);
    // a run that finishes after all (it was only asleep) still records how it ended
    expect(b.finishRun(dead.id, { status: 'succeeded', counters: {}, apiCalls: 3 }).status).toBe('succeeded');
  });

  it('treats runs left running before owners were recorded (schema 4) as interrupted', () => {
    const db = new Database(path);
    migrate(db, { target: 4 });
    db.prepare(
      `INSERT INTO runs (mode, sync_names, config_hash, status, started_at) VALUES ('run', '["a"]', 'h', 'running', 1)`,
    ).run();
    db.prepare(
      `INSERT INTO runs (mode, sync_names, config_hash, status, started_at, finished_at) VALUES ('run', '[]', 'h', 'succeeded', 2, 3)`,
    ).run();
    db.prepare(`INSERT INTO ledger (run_id, sync, action, at) VALUES (1, 'a', 'created', 7)`).run();
    db.close();
    const s = store(probe(100));
    expect(s.listRuns().map((r) => [r.id, r.status, r.owner])).toEqual([
      [2, 'succeeded', null],
      [1, 'interrupted', null],
    ]);
    const lock = s.acquireRunLock({ command: 'run' });
    expect(lock.interrupted).toMatchObject([{ id: 1, finishedAt: 7, counters: { created: 1 } }]);
    // the rebuilt runs table still anchors the ledger
    expect(s.countLedger(1).created).toBe(1);
  });
});
