/**
 * A table opened for a plan (`readOnly: true`) can be read but not written: `write()` refuses, and so
 * does the database itself (SQLite `query_only`, a read-only PostgreSQL session). PostgreSQL `date`
 * columns are read as their text, so a calendar date never shifts with the time zone.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import Database from 'better-sqlite3';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createSqlSystem, SqlSystemError } from '../../../src/connectors/sql-system/index.js';

const POSTGRES_URL = process.env['TEST_POSTGRES_URL'];

describe('read-only two-way tables', () => {
  it('SQLite: reads, refuses writes, and leaves the file as it was', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'two-way-ro-'));
    try {
      const path = join(dir, 'crm.sqlite');
      const db = new Database(path);
      db.exec(`CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT); INSERT INTO t (name) VALUES ('a')`);
      db.close();
      const table = createSqlSystem({ type: 'sqlite', path, table: 't', key: 'id', readOnly: true });
      try {
        expect((await table.readRows()).map((r) => r.values['name'])).toEqual(['a']);
        await expect(table.write({ inserts: [{ name: 'b' }], updates: [] })).rejects.toBeInstanceOf(
          SqlSystemError,
        );
      } finally {
        await table.close();
      }
      const check = new Database(path);
      expect(check.prepare('SELECT count(*) AS n FROM t').get()).toEqual({ n: 1 });
      check.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  describe.skipIf(POSTGRES_URL === undefined)('PostgreSQL', () => {
    const schema = `two_way_ro_${process.pid}_${Date.now() % 100_000}`;
    let admin: pg.Client;
    beforeAll(async () => {
      admin = new pg.Client({ connectionString: POSTGRES_URL });
      await admin.connect();
      await admin.query(`CREATE SCHEMA ${schema}`);
      await admin.query(`CREATE TABLE ${schema}.t (id serial PRIMARY KEY, name text, due date)`);
      await admin.query(`INSERT INTO ${schema}.t (name, due) VALUES ('a', '2026-11-15')`);
      await admin.query(`CREATE TABLE ${schema}.reads (at timestamptz)`);
      await admin.query(`CREATE FUNCTION ${schema}.logged() RETURNS int LANGUAGE sql VOLATILE AS
        'INSERT INTO ${schema}.reads VALUES (now()) RETURNING 1'`);
      await admin.query(
        `CREATE VIEW ${schema}.v AS SELECT id, name, ${schema}.logged() AS n FROM ${schema}.t`,
      );
    });
    afterAll(async () => {
      await admin.query(`DROP SCHEMA ${schema} CASCADE`);
      await admin.end();
    });

    it('reads (a date as its text), and refuses writes, also at the session', async () => {
      const spec = { type: 'postgres' as const, url: POSTGRES_URL, table: `${schema}.t`, key: 'id' };
      const table = createSqlSystem({ ...spec, readOnly: true });
      try {
        const [row] = await table.readRows();
        expect(row?.values).toMatchObject({ name: 'a', due: '2026-11-15' });
        await expect(
          table.write({ inserts: [], updates: [{ key: '1', values: { name: 'b' } }] }),
        ).rejects.toThrow(/open for reading only/);
      } finally {
        await table.close();
      }
      // the session itself is read-only: a view whose reading writes (a logging function) is refused
      const logged = createSqlSystem({ ...spec, table: `${schema}.v`, readOnly: true });
      try {
        await expect(logged.readRows()).rejects.toThrow(/read-only transaction/);
      } finally {
        await logged.close();
      }
      const writable = createSqlSystem({ ...spec, table: `${schema}.v` });
      try {
        expect(await writable.readRows()).toHaveLength(1);
      } finally {
        await writable.close();
      }
      expect((await admin.query(`SELECT count(*)::int AS n FROM ${schema}.reads`)).rows).toEqual([{ n: 1 }]);
      expect((await admin.query(`SELECT name FROM ${schema}.t`)).rows).toEqual([{ name: 'a' }]);
    });
  });
});
