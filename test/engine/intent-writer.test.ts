/**
 * Group commit of write intents: intents asked for in one turn of the event loop are committed in
 * one transaction (one fsync); each caller gets its own intent, durable, only after that commit.
 * Real SQLite state files.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { StateStoreError } from '../../src/shared/errors.js';
import { openStateStore } from '../../src/state/sqlite-state-store.js';
import type { Intent, IntentInput, StateStore } from '../../src/state/state-store.js';
import { IntentWriter } from '../../src/sync/engine/intent-writer.js';

describe('IntentWriter', () => {
  let dir: string;
  let state: StateStore;
  let runId: number;
  /** Groups handed to the store, by size. */
  let groups: number[];
  let store: Pick<StateStore, 'recordIntents' | 'transaction'>;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'intent-writer-'));
    state = openStateStore({ path: join(dir, 'state.sqlite') });
    runId = state.startRun({ mode: 'run', syncNames: ['s'], configHash: 'h' }).id;
    groups = [];
    store = {
      recordIntents: (inputs) => {
        groups.push(inputs.length);
        return state.recordIntents(inputs);
      },
      transaction: (fn) => state.transaction(fn),
    };
  });
  afterEach(() => {
    state.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const input = (key: string): IntentInput => ({
    runId,
    sync: 's',
    object: 'Company',
    key,
    payloadHash: 'h',
  });

  it('commits the intents of one turn together and gives each caller its own', async () => {
    const writer = new IntentWriter(store);
    const keys = Array.from({ length: 40 }, (_, i) => `k${i}`);
    const intents = await Promise.all(keys.map((k) => writer.record(input(k))));
    expect(groups).toEqual([40]);
    expect(writer.commits).toBe(1);
    expect(intents.map((i) => i.key)).toEqual(keys);
    expect(new Set(intents.map((i) => i.id)).size).toBe(40);
    expect(intents.every((i) => i.status === 'pending' && i.sentAt === null)).toBe(true);
    expect(state.listUnresolvedIntents('s').map((i) => i.key)).toEqual(keys);
  });

  it('resolves nobody before the commit, and starts a new group in a later turn', async () => {
    const writer = new IntentWriter(store);
    let resolved = 0;
    const first = [writer.record(input('a')), writer.record(input('b'))].map((p) =>
      p.then((i) => {
        resolved++;
        return i;
      }),
    );
    await Promise.resolve();
    expect(resolved).toBe(0);
    expect(state.listUnresolvedIntents()).toEqual([]); // nothing written yet
    await Promise.all(first);
    expect(resolved).toBe(2);
    await writer.record(input('c'));
    expect(groups).toEqual([2, 1]);
    // A record() made while a group commits (from a caller woken by it) joins the next group.
    const chained = await writer.record(input('d')).then(() => writer.record(input('e')));
    expect(chained.key).toBe('e');
    expect(groups).toEqual([2, 1, 1, 1]);
  });

  it('rejects every caller of a group that could not be committed, and writes none of it', async () => {
    const failure = new StateStoreError('disk full');
    const writer = new IntentWriter({
      recordIntents: () => {
        throw failure;
      },
      transaction: (fn) => state.transaction(fn),
    });
    const results = await Promise.allSettled([writer.record(input('a')), writer.record(input('b'))]);
    expect(results.map((r) => (r.status === 'rejected' ? (r.reason as unknown) : r.value))).toEqual([
      failure,
      failure,
    ]);
    expect(writer.commits).toBe(0);
    // The writer keeps working afterwards.
    const next = new IntentWriter(store);
    const intent: Intent = await next.record(input('c'));
    expect(intent.key).toBe('c');
  });

  it('flushes when its scheduler says so', async () => {
    const pending: (() => void)[] = [];
    const writer = new IntentWriter(store, (flush) => pending.push(flush));
    const a = writer.record(input('a'));
    const b = writer.record(input('b'));
    expect(pending).toHaveLength(1); // one flush per group
    expect(groups).toEqual([]);
    pending[0]?.();
    expect((await Promise.all([a, b])).map((i) => i.key)).toEqual(['a', 'b']);
    expect(groups).toEqual([2]);
  });

  it('settles what follows creates in one transaction; a write that throws is rolled back alone', async () => {
    const writer = new IntentWriter(store);
    const [a, b, c] = await Promise.all(['a', 'b', 'c'].map((k) => writer.record(input(k))));
    if (a === undefined || b === undefined || c === undefined) throw new Error('not recorded');
    let transactions = 0;
    const counting = new IntentWriter({
      recordIntents: (inputs) => state.recordIntents(inputs),
      transaction: (fn) => {
        transactions++;
        return state.transaction(fn);
      },
    });
    const failure = new Error('link refused');
    const results = await Promise.allSettled([
      counting.settle(() => state.resolveIntent(a.id, 1)),
      counting.settle(() => {
        state.resolveIntent(b.id, 2);
        throw failure;
      }),
      counting.settle(() => state.resolveIntent(c.id, 3)),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(results[1]?.status === 'rejected' ? (results[1].reason as unknown) : undefined).toBe(failure);
    expect(transactions).toBe(4); // one outer transaction, a savepoint per write
    // b's resolution was rolled back with its failing write; a and c are committed.
    expect(state.listUnresolvedIntents().map((i) => i.key)).toEqual(['b']);
  });
});
