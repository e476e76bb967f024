/**
 * Write intents committed as a group (`recordIntents`: one transaction, one fsync) and marked sent
 * (`markIntentSent`: an ordinary commit, no fsync); migration 006 for intents of older versions.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import Database from 'better-sqlite3';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';

import { StateStoreError } from '../../../src/shared/errors.js';
import { openStateStore, type StateStore } from '../../../src/state/index.js';
import { migrate } from '../../../src/state/migrations/index.js';
import { tempStateStore } from './temp-state.js';
import { hasStrace, tracedFsyncs } from './traced-fsyncs.js';

let t: ReturnType<typeof tempStateStore>;
let store: StateStore;
beforeEach(() => {
  t = tempStateStore();
  store = t.store;
});
afterEach(() => t.cleanup());

const input = (runId: number, key: string, sync = 's') => ({
  runId,
  sync,
  object: 'Company',
  key,
  payloadHash: `p${key}`,
});

describe('recordIntents', () => {
  it('records a group in order, each pending and not sent', () => {
    const run = store.startRun({ mode: 'run', syncNames: ['s'], configHash: 'h' });
    const intents = store.recordIntents(['c', 'a', 'b'].map((k) => input(run.id, k)));
    expect(intents.map((i) => i.key)).toEqual(['c', 'a', 'b']);
    expect(intents.map((i) => i.payloadHash)).toEqual(['pc', 'pa', 'pb']);
    expect(
      intents.every((i) => i.status === 'pending' && i.sentAt === null && i.createdAt === t.clock.now()),
    ).toBe(true);
    expect(store.listUnresolvedIntents().map((i) => i.id)).toEqual(intents.map((i) => i.id));
    expect(store.recordIntents([])).toEqual([]);
  });

  it('writes none of the group when one of it is refused', () => {
    const run = store.startRun({ mode: 'run', syncNames: ['s'], configHash: 'h' });
    expect(() => store.recordIntents([input(run.id, 'a'), input(9999, 'b')])).toThrow();
    expect(store.listUnresolvedIntents()).toEqual([]);
  });

  it("joins the caller's transaction (committed, and fsynced, with it)", () => {
    const run = store.startRun({ mode: 'run', syncNames: ['s'], configHash: 'h' });
    expect(() =>
      store.transaction(() => {
        store.recordIntents([input(run.id, 'a'), input(run.id, 'b')]);
        throw new Error('rolled back');
      }),
    ).toThrow('rolled back');
    expect(store.listUnresolvedIntents()).toEqual([]);
  });
});

describe('markIntentSent', () => {
  it('records when the create was last sent', () => {
    const run = store.startRun({ mode: 'run', syncNames: ['s'], configHash: 'h' });
    const [intent] = store.recordIntents([input(run.id, 'a')]);
    if (intent === undefined) throw new Error('not recorded');
    store.markIntentSent(intent.id);
    expect(store.listUnresolvedIntents()[0]?.sentAt).toBe(t.clock.now());
    t.clock.advance(1_500); // a retry of the create (allowed only when nothing was written)
    store.markIntentSent(intent.id);
    expect(store.listUnresolvedIntents()[0]?.sentAt).toBe(t.clock.now());
    store.markIntentSent(intent.id, 42);
    expect(store.listUnresolvedIntents()[0]?.sentAt).toBe(42);
  });

  it('refuses an intent that is not pending', () => {
    const run = store.startRun({ mode: 'run', syncNames: ['s'], configHash: 'h' });
    const [intent] = store.recordIntents([input(run.id, 'a')]);
    if (intent === undefined) throw new Error('not recorded');
    store.resolveIntent(intent.id, 7);
    expect(() => store.markIntentSent(intent.id)).toThrow(StateStoreError);
    expect(() => store.markIntentSent(intent.id)).toThrow(/already resolved/);
    expect(() => store.markIntentSent(12345)).toThrow(/does not exist/);
  });
});

describe('migration 006', () => {
  it('takes the pending intents of an older version as sent when they were created', () => {
    const path = join(t.dir, 'v5.sqlite');
    const db = new Database(path);
    migrate(db, { target: 5 });
    db.prepare(
      "INSERT INTO runs (mode, sync_names, config_hash, status, started_at) VALUES ('run', '[\"s\"]', 'h', 'running', 1)",
    ).run();
    const insert = db.prepare(
      "INSERT INTO intents (run_id, sync, object, key, payload_hash, status, created_at) VALUES (1, 's', 'Company', ?, 'p', ?, ?)",
    );
    insert.run('pending', 'pending', 1000);
    insert.run('resolved', 'resolved', 2000);
    db.close();
    const migrated = openStateStore({ path });
    try {
      const [pending] = migrated.listUnresolvedIntents();
      expect(pending).toMatchObject({ key: 'pending', sentAt: 1000 });
    } finally {
      migrated.close();
    }
    const check = new Database(path, { readonly: true });
    try {
      expect(check.prepare("SELECT sent_at FROM intents WHERE key = 'resolved'").get()).toEqual({
        sent_at: null,
      });
    } finally {
      check.close();
    }
  });
});

const straceDir = mkdtempSync(join(tmpdir(), 'autotask-sync-group-commit-'));
afterAll(() => rmSync(straceDir, { recursive: true, force: true }));

/** fsync/fdatasync calls the fixture makes between its markers (traced with strace). */
function fsyncsFor(mode: 'group' | 'mark-sent'): number {
  return tracedFsyncs('intent-group-writer.ts', [join(straceDir, `${mode}.sqlite`), mode]);
}

describe.skipIf(!hasStrace)('durability of groups and sent marks (traced with strace)', () => {
  it('fsyncs a group of 10 intents once, and never for a sent mark', () => {
    const group = fsyncsFor('group');
    expect(group).toBeGreaterThanOrEqual(1);
    expect(group).toBeLessThanOrEqual(2); // 10 intents one by one: 10 or more
    expect(fsyncsFor('mark-sent')).toBe(0);
  });
});
