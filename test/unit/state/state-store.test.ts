import { statSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { StateStoreError } from '../../../src/shared/errors.js';
import { openStateStore, type StateStore } from '../../../src/state/index.js';
import { tempStateStore } from './temp-state.js';

let t: ReturnType<typeof tempStateStore>;
let store: StateStore;
beforeEach(() => {
  t = tempStateStore();
  store = t.store;
});
afterEach(() => t.cleanup());

describe('opening', () => {
  it('creates the folder 0700 and the file 0600, in WAL mode', () => {
    expect(statSync(dirname(t.path)).mode & 0o777).toBe(0o700);
    expect(statSync(t.path).mode & 0o777).toBe(0o600);
    store.startRun({ mode: 'run', syncNames: ['a'], configHash: 'h' });
    expect(statSync(`${t.path}-wal`).mode & 0o777).toBe(0o600);
    const db = new Database(t.path, { readonly: true });
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    db.close();
  });

  it('keeps data across close and reopen', () => {
    const run = store.startRun({ mode: 'run', syncNames: ['a'], configHash: 'h' });
    store.close();
    const again = openStateStore({ path: t.path });
    expect(again.getRun(run.id)?.syncNames).toEqual(['a']);
    again.close();
  });

  it('works in memory', () => {
    const mem = openStateStore({ path: ':memory:' });
    expect(mem.startRun({ mode: 'plan', syncNames: [], configHash: 'x' }).id).toBe(1);
    mem.close();
  });

  it('refuses a file that is not a database, saying which file', () => {
    const bad = `${t.dir}/not-a-db.sqlite`;
    writeFileSync(bad, 'hello, this is not sqlite at all, really not '.repeat(40));
    expect(() => openStateStore({ path: bad })).toThrow(/not-a-db\.sqlite/);
  });
});

describe('runs', () => {
  it('starts, finishes, gets and lists runs, newest first, filtered by mode and sync', () => {
    const a = store.startRun({ mode: 'run', syncNames: ['companies', 'contacts'], configHash: 'h1' });
    expect(a).toMatchObject({ status: 'running', finishedAt: null, startedAt: t.clock.now(), apiCalls: 0 });
    t.clock.advance(5000);
    const done = store.finishRun(a.id, {
      status: 'partial',
      counters: { created: 2, failed: 1 },
      apiCalls: 7,
    });
    expect(done).toMatchObject({ status: 'partial', counters: { created: 2, failed: 1 }, apiCalls: 7 });
    expect(done.finishedAt).toBe(t.clock.now());
    const b = store.startRun({ mode: 'plan', syncNames: ['contacts'], configHash: 'h1' });
    const c = store.startRun({ mode: 'export', syncNames: ['out'], configHash: 'h2' });
    expect(store.listRuns().map((r) => r.id)).toEqual([c.id, b.id, a.id]);
    expect(store.listRuns({ mode: 'run' }).map((r) => r.id)).toEqual([a.id]);
    expect(store.listRuns({ sync: 'contacts' }).map((r) => r.id)).toEqual([b.id, a.id]);
    expect(store.listRuns({ limit: 1 }).map((r) => r.id)).toEqual([c.id]);
    expect(store.getRun(999)).toBeUndefined();
  });

  it('finishing an unknown run is a StateStoreError', () => {
    expect(() => store.finishRun(42, { status: 'succeeded', counters: {}, apiCalls: 0 })).toThrow(
      StateStoreError,
    );
  });
});

describe('links', () => {
  it('upserts, reads one and many, streams, finds by Autotask id and deletes', () => {
    store.upsertLinks([
      {
        sync: 's',
        object: 'Company',
        key: 'acme',
        autotaskId: 1,
        payloadHash: 'p1',
        fields: { companyName: 'Acme' },
        sourceLocation: 'c.csv:2',
        runId: null,
      },
      { sync: 's', object: 'Company', key: 'beta', autotaskId: 2, payloadHash: 'p2', fields: {} },
      { sync: 'other', object: 'Company', key: 'acme', autotaskId: 1, payloadHash: 'p3', fields: {} },
    ]);
    expect(store.getLink({ sync: 's', object: 'Company', key: 'acme' })).toEqual({
      sync: 's',
      object: 'Company',
      key: 'acme',
      autotaskId: 1,
      payloadHash: 'p1',
      fields: { companyName: 'Acme' },
      sourceLocation: 'c.csv:2',
      runId: null,
      updatedAt: t.clock.now(),
    });
    t.clock.advance(1000);
    store.upsertLinks([
      { sync: 's', object: 'Company', key: 'acme', autotaskId: 1, payloadHash: 'p9', fields: { phone: '1' } },
    ]);
    const updated = store.getLink({ sync: 's', object: 'Company', key: 'acme' });
    expect(updated).toMatchObject({
      payloadHash: 'p9',
      fields: { phone: '1' },
      sourceLocation: null,
      updatedAt: t.clock.now(),
    });

    const many = store.getLinks('s', 'Company', ['acme', 'beta', 'nope']);
    expect([...many.keys()].sort()).toEqual(['acme', 'beta']);
    expect(store.findLinksByAutotaskId('Company', 1).map((l) => l.sync)).toEqual(['other', 's']);
    expect(store.deleteLink({ sync: 's', object: 'Company', key: 'beta' })).toBe(true);
    expect(store.deleteLink({ sync: 's', object: 'Company', key: 'beta' })).toBe(false);
    expect([...store.iterateLinks('s', 'Company')].map((l) => l.key)).toEqual(['acme']);
  });

  it('streams thousands of links in key order and allows writes while streaming', () => {
    const links = Array.from({ length: 2500 }, (_, i) => ({
      sync: 's',
      object: 'Contact',
      key: `k${String(i).padStart(5, '0')}`,
      autotaskId: i + 1,
      payloadHash: 'h',
      fields: {},
    }));
    store.upsertLinks(links);
    let n = 0;
    let previous = '';
    for (const link of store.iterateLinks('s', 'Contact')) {
      expect(link.key > previous).toBe(true);
      previous = link.key;
      if (n % 1000 === 0) store.upsertLinks([{ ...link, payloadHash: 'changed' }]);
      n += 1;
    }
    expect(n).toBe(2500);
    expect(
      store.getLinks(
        's',
        'Contact',
        links.map((l) => l.key),
      ).size,
    ).toBe(2500);
  });
});

describe('Autotask key index', () => {
  it('puts, looks up in bulk (duplicates kept), replaces the keys of a record, removes and clears', () => {
    store.putIndexRecords('Company', [
      { autotaskId: 10, version: 'v1', keys: [{ kind: 'name', key: 'acme' }] },
      { autotaskId: 11, version: 'v1', keys: [{ kind: 'name', key: 'acme' }] },
      {
        autotaskId: 12,
        version: null,
        keys: [
          { kind: 'name', key: 'beta' },
          { kind: 'phone', key: '555' },
        ],
      },
    ]);
    const found = store.lookupIndex('Company', 'name', ['acme', 'beta', 'gamma']);
    expect(found.get('acme')?.map((e) => e.autotaskId)).toEqual([10, 11]);
    expect(found.get('beta')?.[0]).toMatchObject({ autotaskId: 12, version: null, kind: 'name' });
    expect(found.has('gamma')).toBe(false);
    expect(store.countIndexRecords('Company')).toBe(3);

    // record 11 is renamed in Autotask: its old key goes away
    store.putIndexRecords('Company', [
      { autotaskId: 11, version: 'v2', keys: [{ kind: 'name', key: 'acme two' }] },
    ]);
    expect(
      store
        .lookupIndex('Company', 'name', ['acme'])
        .get('acme')
        ?.map((e) => e.autotaskId),
    ).toEqual([10]);
    expect(store.getIndexRecord('Company', 11)).toMatchObject({
      version: 'v2',
      keys: [{ kind: 'name', key: 'acme two' }],
    });
    expect(store.getIndexRecord('Company', 99)).toBeUndefined();

    store.removeIndexRecords('Company', [12]);
    expect(store.lookupIndex('Company', 'phone', ['555']).size).toBe(0);
    expect(store.countIndexRecords('Company')).toBe(2);
    expect(store.countIndexRecords('Contact')).toBe(0);

    store.setIndexCursor('Company', { field: 'lastActivityDate', value: '2026-11-27T10:00:00Z' });
    store.clearIndex('Company');
    expect(store.countIndexRecords('Company')).toBe(0);
    expect(store.getIndexCursor('Company')).toBeUndefined();
  });

  it('keeps the full-scan time unless a new one is given', () => {
    expect(store.getIndexCursor('Contact')).toBeUndefined();
    const firstScan = t.clock.now();
    store.setIndexCursor('Contact', { field: 'lastModifiedDate', value: '2026-11-27T09:00:00Z' });
    t.clock.advance(60_000);
    store.setIndexCursor('Contact', { field: 'lastModifiedDate', value: '2026-11-27T09:30:00Z' });
    expect(store.getIndexCursor('Contact')).toEqual({
      object: 'Contact',
      field: 'lastModifiedDate',
      value: '2026-11-27T09:30:00Z',
      fullScanAt: firstScan,
      updatedAt: t.clock.now(),
    });
    store.setIndexCursor('Contact', {
      field: 'lastModifiedDate',
      value: '2026-11-27T09:31:00Z',
      fullScanAt: 123,
    });
    expect(store.getIndexCursor('Contact')?.fullScanAt).toBe(123);
  });
});

describe('intents', () => {
  it('records, resolves, abandons and lists unresolved intents oldest first', () => {
    const run = store.startRun({ mode: 'run', syncNames: ['s'], configHash: 'h' });
    const a = store.recordIntent({
      runId: run.id,
      sync: 's',
      object: 'Company',
      key: 'a',
      payloadHash: 'pa',
    });
    const b = store.recordIntent({
      runId: run.id,
      sync: 's',
      object: 'Company',
      key: 'b',
      payloadHash: 'pb',
    });
    const c = store.recordIntent({
      runId: run.id,
      sync: 'u',
      object: 'Contact',
      key: 'c',
      payloadHash: 'pc',
    });
    expect(a).toMatchObject({ status: 'pending', autotaskId: null, createdAt: t.clock.now() });
    expect(store.listUnresolvedIntents().map((i) => i.key)).toEqual(['a', 'b', 'c']);
    expect(store.listUnresolvedIntents('u').map((i) => i.key)).toEqual(['c']);
    store.resolveIntent(a.id, 500);
    store.resolveIntent(a.id, 500); // idempotent
    store.abandonIntent(b.id, 'refused: 400');
    expect(store.listUnresolvedIntents().map((i) => i.id)).toEqual([c.id]);
    expect(() => store.resolveIntent(a.id, 501)).toThrow(/already resolved with Autotask id 500/);
    expect(() => store.resolveIntent(b.id, 1)).toThrow(StateStoreError);
    expect(() => store.resolveIntent(12345, 1)).toThrow(/does not exist/);
  });

  it('requires an existing run', () => {
    expect(() =>
      store.recordIntent({ runId: 77, sync: 's', object: 'Company', key: 'a', payloadHash: 'p' }),
    ).toThrow();
  });
});

describe('ledger', () => {
  it("reads a create's diff back as written, whatever the storage form", () => {
    const run = store.startRun({ mode: 'plan', syncNames: ['s'], configHash: 'h' });
    const created = { companyName: { from: null, to: 'Acme' }, phone: { from: null, to: 5 } };
    const refilled = { companyName: { from: 'Old', to: 'New' } };
    store.appendLedger([
      { runId: run.id, sync: 's', sourceLocation: 'c.csv:2', key: 'a', action: 'created', diff: created },
      // not the usual shape of a create: kept as it is
      { runId: run.id, sync: 's', sourceLocation: 'c.csv:3', key: 'b', action: 'created', diff: refilled },
      { runId: run.id, sync: 's', sourceLocation: 'c.csv:4', key: 'c', action: 'updated', diff: created },
      { runId: run.id, sync: 's', sourceLocation: 'c.csv:5', key: 'd', action: 'created', diff: {} },
    ]);
    expect(store.queryLedger({ runId: run.id }).map((e) => e.diff)).toEqual([created, refilled, created, {}]);
  });

  it('appends, queries by action/key/sync, pages, counts and streams', () => {
    const run = store.startRun({ mode: 'run', syncNames: ['s', 'u'], configHash: 'h' });
    store.appendLedger([
      { runId: run.id, sync: 's', sourceLocation: 'c.csv:2', key: 'a', action: 'created', autotaskId: 1 },
      {
        runId: run.id,
        sync: 's',
        sourceLocation: 'c.csv:3',
        key: 'b',
        action: 'updated',
        autotaskId: 2,
        diff: { phone: { from: '1', to: '2' } },
      },
      {
        runId: run.id,
        sync: 's',
        sourceLocation: 'c.csv:4',
        key: null,
        action: 'invalid',
        reason: 'no name',
        field: 'companyName',
        sourceRow: { Name: '' },
      },
      { runId: run.id, sync: 'u', sourceLocation: 'p.csv:2', key: 'x@y', action: 'failed', reason: '500' },
    ]);
    expect(store.queryLedger({ runId: run.id }).map((e) => e.action)).toEqual([
      'created',
      'updated',
      'invalid',
      'failed',
    ]);
    expect(store.queryLedger({ runId: run.id, action: 'updated' })[0]).toMatchObject({
      key: 'b',
      diff: { phone: { from: '1', to: '2' } },
      sourceRow: null,
      reason: null,
      at: t.clock.now(),
    });
    expect(store.queryLedger({ runId: run.id, action: ['invalid', 'failed'] }).map((e) => e.sync)).toEqual([
      's',
      'u',
    ]);
    expect(store.queryLedger({ runId: run.id, key: 'x@y' })).toHaveLength(1);
    expect(store.queryLedger({ runId: run.id, sync: 'u' })).toHaveLength(1);
    expect(store.queryLedger({ runId: run.id, limit: 2, offset: 1 }).map((e) => e.key)).toEqual(['b', null]);
    expect(store.countLedger(run.id)).toEqual({
      created: 1,
      updated: 1,
      unchanged: 0,
      conflict: 0,
      invalid: 1,
      failed: 1,
      skipped: 0,
    });
    expect(store.countLedger(run.id, 's').failed).toBe(0);
    expect([...store.iterateLedger({ runId: run.id, limit: 3 })]).toHaveLength(3);
    expect(() =>
      store.appendLedger([
        { runId: run.id, sync: 's', sourceLocation: null, key: null, action: 'bogus' as never },
      ]),
    ).toThrow();
  });

  it('streams a large ledger in order', () => {
    const run = store.startRun({ mode: 'run', syncNames: ['s'], configHash: 'h' });
    store.appendLedger(
      Array.from({ length: 3001 }, (_, i) => ({
        runId: run.id,
        sync: 's',
        sourceLocation: `f:${i}`,
        key: String(i),
        action: 'unchanged' as const,
      })),
    );
    const keys = [...store.iterateLedger({ runId: run.id, offset: 1 })].map((e) => Number(e.key));
    expect(keys).toHaveLength(3000);
    expect(keys[0]).toBe(1);
    expect(keys.at(-1)).toBe(3000);
  });

  it('lists the failed rows of the previous run of a sync as retries', () => {
    const first = store.startRun({ mode: 'run', syncNames: ['s'], configHash: 'h' });
    store.appendLedger([
      { runId: first.id, sync: 's', sourceLocation: 'f:2', key: 'a', action: 'failed', reason: 'timeout' },
      { runId: first.id, sync: 's', sourceLocation: 'f:3', key: 'b', action: 'created' },
    ]);
    store.startRun({ mode: 'plan', syncNames: ['s'], configHash: 'h' });
    const second = store.startRun({ mode: 'run', syncNames: ['s'], configHash: 'h' });
    expect(store.listRetries('s', second.id).map((e) => e.key)).toEqual(['a']);
    expect(store.listRetries('s')).toEqual([]); // the latest run (second) has no failures
    expect(store.listRetries('other')).toEqual([]);
  });
});

describe('bookmarks, API usage and metadata cache', () => {
  it('sets, reads, overwrites and deletes bookmarks', () => {
    expect(store.getBookmark('out', 'Companies')).toBeUndefined();
    store.setBookmark({
      name: 'out',
      stream: 'Companies',
      field: 'lastActivityDate',
      value: '2026-01-01T00:00:00Z',
    });
    store.setBookmark({
      name: 'out',
      stream: 'Companies',
      field: 'lastActivityDate',
      value: '2026-02-01T00:00:00Z',
    });
    expect(store.getBookmark('out', 'Companies')).toEqual({
      name: 'out',
      stream: 'Companies',
      field: 'lastActivityDate',
      value: '2026-02-01T00:00:00Z',
      updatedAt: t.clock.now(),
    });
    store.deleteBookmark('out', 'Companies');
    expect(store.getBookmark('out', 'Companies')).toBeUndefined();
  });

  it('buckets API usage by minute and reports each bucket as late as its calls may be', () => {
    const base = t.clock.now(); // 10:00:00
    store.apiUsage.add(base + 1_000, 3);
    store.apiUsage.add(base + 59_000, 2);
    store.apiUsage.add(base + 61_000, 4);
    t.clock.advance(90_000); // 10:01:30, inside the second bucket
    expect(store.apiUsage.recent(base)).toEqual([
      { at: base + 59_999, count: 5 },
      { at: base + 90_000, count: 4 }, // not in the future
    ]);
    // the bucket holding `since` still counts: some of its calls may be after `since`
    expect(store.apiUsage.recent(base + 30_000)).toHaveLength(2);
    expect(store.apiUsage.recent(base + 120_000)).toEqual([]);
  });

  it('keeps the rolling hour of a restarted client whole (never under-counts)', () => {
    const base = t.clock.now();
    for (let s = 0; s < 3600; s += 10) store.apiUsage.add(base + s * 1000, 1); // 360 calls in an hour
    t.clock.advance(3_600_000);
    const since = t.clock.now() - 3_600_000;
    // what a budget does with it: drop entries at or before the window start, count the rest
    const counted = store.apiUsage
      .recent(since)
      .filter((e) => e.at > since)
      .reduce((n, e) => n + e.count, 0);
    const actual = 360 - 1; // the call at exactly `since` has left the window
    expect(counted).toBeGreaterThanOrEqual(actual);
    expect(counted).toBeLessThanOrEqual(actual + 6); // at most one minute's calls more
  });

  it('prunes usage older than two hours', () => {
    const base = t.clock.now();
    store.apiUsage.add(base, 1);
    store.apiUsage.add(base + 3 * 3_600_000, 1);
    t.clock.advance(3 * 3_600_000);
    expect(store.apiUsage.recent(0)).toEqual([{ at: base + 3 * 3_600_000, count: 1 }]);
  });

  it('stores and returns metadata cache entries as JSON', () => {
    expect(store.metadataCache.read('t1:Companies:fields')).toBeUndefined();
    store.metadataCache.write('t1:Companies:fields', [{ name: 'id' }], 111);
    store.metadataCache.write('t1:Companies:fields', [{ name: 'id' }, { name: 'companyName' }], 222);
    expect(store.metadataCache.read('t1:Companies:fields')).toEqual({
      value: [{ name: 'id' }, { name: 'companyName' }],
      storedAt: 222,
    });
  });
});

describe('transactions', () => {
  it('commits everything together', () => {
    const run = store.startRun({ mode: 'run', syncNames: ['s'], configHash: 'h' });
    store.transaction(() => {
      store.upsertLinks([
        { sync: 's', object: 'Company', key: 'a', autotaskId: 1, payloadHash: 'h', fields: {} },
      ]);
      store.appendLedger([
        { runId: run.id, sync: 's', sourceLocation: null, key: 'a', action: 'created', autotaskId: 1 },
      ]);
      store.setIndexCursor('Company', { field: 'lastActivityDate', value: 'x' });
    });
    expect(store.getLink({ sync: 's', object: 'Company', key: 'a' })).toBeDefined();
    expect(store.countLedger(run.id).created).toBe(1);
  });

  it('rolls back everything when the function throws, and rethrows', () => {
    const run = store.startRun({ mode: 'run', syncNames: ['s'], configHash: 'h' });
    expect(() =>
      store.transaction(() => {
        store.upsertLinks([
          { sync: 's', object: 'Company', key: 'a', autotaskId: 1, payloadHash: 'h', fields: {} },
        ]);
        store.appendLedger([{ runId: run.id, sync: 's', sourceLocation: null, key: 'a', action: 'created' }]);
        store.setBookmark({ name: 'n', stream: 's', field: 'f', value: 'v' });
        throw new Error('boom');
      }),
    ).toThrow('boom');
    expect(store.getLink({ sync: 's', object: 'Company', key: 'a' })).toBeUndefined();
    expect(store.countLedger(run.id).created).toBe(0);
    expect(store.getBookmark('n', 's')).toBeUndefined();
  });

  it('rolls back an inner transaction alone when the outer one catches its error', () => {
    store.transaction(() => {
      store.setBookmark({ name: 'outer', stream: 's', field: 'f', value: 'v' });
      try {
        store.transaction(() => {
          store.setBookmark({ name: 'inner', stream: 's', field: 'f', value: 'v' });
          throw new Error('inner');
        });
      } catch {
        // expected
      }
    });
    expect(store.getBookmark('outer', 's')).toBeDefined();
    expect(store.getBookmark('inner', 's')).toBeUndefined();
  });

  it('refuses an async function and rolls back what it wrote', () => {
    expect(() =>
      store.transaction(() => {
        store.setBookmark({ name: 'n', stream: 's', field: 'f', value: 'v' });
        return Promise.resolve(1);
      }),
    ).toThrow(/async function/);
    expect(store.getBookmark('n', 's')).toBeUndefined();
  });

  it('fails every call after close', () => {
    store.close();
    expect(() => store.getRun(1)).toThrow();
  });
});
