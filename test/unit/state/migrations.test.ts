import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';

import { StateStoreError } from '../../../src/shared/errors.js';
import { openStateStore } from '../../../src/state/index.js';
import {
  LATEST_SCHEMA_VERSION,
  MIGRATIONS,
  currentSchemaVersion,
  migrate,
} from '../../../src/state/migrations/index.js';

const dir = mkdtempSync(join(tmpdir(), 'autotask-sync-migrations-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function tables(db: Database.Database): string[] {
  return (
    db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as {
      name: string;
    }[]
  ).map((r) => r.name);
}

describe('schema migrations', () => {
  it('numbers migrations 1..n without gaps', () => {
    expect(MIGRATIONS.map((m) => m.version)).toEqual(MIGRATIONS.map((_, i) => i + 1));
    expect(LATEST_SCHEMA_VERSION).toBe(MIGRATIONS.length);
  });

  it('migrates an empty file to the latest version and records each step', () => {
    const path = join(dir, 'empty.sqlite');
    openStateStore({ path }).close();
    const db = new Database(path);
    expect(currentSchemaVersion(db)).toBe(LATEST_SCHEMA_VERSION);
    expect(db.prepare('SELECT version, name FROM schema_version ORDER BY version').all().length).toBe(
      LATEST_SCHEMA_VERSION,
    );
    expect(tables(db)).toEqual(
      expect.arrayContaining([
        'runs',
        'links',
        'key_index',
        'key_index_records',
        'intents',
        'ledger',
        'bookmarks',
        'api_usage',
        'metadata_cache',
      ]),
    );
    expect(migrate(db)).toEqual([]); // idempotent
    db.close();
  });

  it('migrates a version-1 database to the current one, keeping its data', () => {
    const path = join(dir, 'v1.sqlite');
    const db = new Database(path);
    expect(migrate(db, { target: 1 })).toEqual([1]);
    expect(tables(db)).not.toContain('ledger');
    db.prepare(
      "INSERT INTO runs (mode, sync_names, config_hash, status, started_at) VALUES ('run', '[\"s\"]', 'h', 'succeeded', 1)",
    ).run();
    db.prepare(
      "INSERT INTO links (sync, object, key, autotask_id, payload_hash, fields, updated_at) VALUES ('s', 'Company', 'acme', 7, 'p', '{}', 1)",
    ).run();
    db.close();

    const store = openStateStore({ path });
    expect(store.getRun(1)?.syncNames).toEqual(['s']);
    expect(store.getLink({ sync: 's', object: 'Company', key: 'acme' })?.autotaskId).toBe(7);
    store.appendLedger([{ runId: 1, sync: 's', sourceLocation: null, key: 'acme', action: 'unchanged' }]);
    expect(store.countLedger(1).unchanged).toBe(1);
    store.close();
    const check = new Database(path);
    expect(currentSchemaVersion(check)).toBe(LATEST_SCHEMA_VERSION);
    check.close();
  });

  it('refuses a database written by a newer autotask-sync, without touching it', () => {
    const path = join(dir, 'newer.sqlite');
    openStateStore({ path }).close();
    const db = new Database(path);
    db.prepare("INSERT INTO schema_version (version, name, applied_at) VALUES (99, 'future', 0)").run();
    db.close();
    let error: unknown;
    try {
      openStateStore({ path });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(StateStoreError);
    expect((error as Error).message).toMatch(
      /schema version 99, newer than this autotask-sync understands \(\d+\)/,
    );
    expect((error as Error).message).toContain('newer.sqlite');
  });

  it('rolls back a failing migration as a whole', () => {
    const db = new Database(':memory:');
    const broken = [
      MIGRATIONS[0]!,
      { version: 2, name: 'broken', sql: 'CREATE TABLE half (x); CREATE TABLE oops (' },
    ];
    expect(() => migrate(db, { migrations: broken })).toThrow();
    expect(currentSchemaVersion(db)).toBe(1);
    expect(tables(db)).not.toContain('half');
    db.close();
  });

  it('rejects a migration list with a gap', () => {
    const db = new Database(':memory:');
    expect(() => migrate(db, { migrations: [{ ...MIGRATIONS[0]!, version: 2 }] })).toThrow(/expected 1/);
    db.close();
  });
});
