import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';

import type { SourceRecord } from '../../../../src/connectors/source.js';
import {
  createSqliteSource,
  type SqliteSourceSettings,
} from '../../../../src/connectors/sources/sqlite/sqlite-source.js';
import { describeSourceContract, type SourceContractHarness } from '../../../contract/source.contract.js';

const dir = mkdtempSync(join(tmpdir(), 'sqlite-source-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let dbNo = 0;

/** A database file with table `t` (no declared types, so values keep the type they were given). */
function database(columns: readonly string[], rows: readonly (readonly unknown[])[]): string {
  const path = join(dir, `db${++dbNo}.sqlite`);
  const db = new Database(path);
  db.exec(`CREATE TABLE t (${columns.map((c) => `"${c}"`).join(', ')})`);
  const insert = db.prepare(`INSERT INTO t VALUES (${columns.map(() => '?').join(', ')})`);
  db.transaction(() => rows.forEach((r) => insert.run(...r)))();
  db.close();
  return path;
}

const harness: SourceContractHarness = {
  withRows(columns, rows) {
    return Promise.resolve(createSqliteSource({ path: database(columns, rows), table: 't' }));
  },
  withMalformedRow(columns, rows, badIndex) {
    const path = database(
      columns,
      rows.map((r, i) => (i === badIndex ? [r[0], 9007199254740993n, r[2]] : r)),
    );
    return Promise.resolve({
      source: createSqliteSource({ path, table: 't' }),
      badLocation: { table: 't', index: badIndex },
    });
  },
  withLargeInput(columns, count, row) {
    const path = join(dir, `large${++dbNo}.sqlite`);
    const db = new Database(path);
    db.exec('CREATE TABLE big (id INTEGER PRIMARY KEY, name TEXT, email TEXT)');
    const insert = db.prepare('INSERT INTO big VALUES (?, ?, ?)');
    db.transaction(() => {
      for (let i = 0; i < count; i++) insert.run(...row(i));
    })();
    db.close();
    let produced = 0;
    const source = createSqliteSource(
      { path, query: `SELECT ${columns.join(', ')} FROM big WHERE probe(id) ORDER BY id` },
      {
        open: (file) => {
          const opened = new Database(file, { readonly: true });
          // Counts the rows SQLite has produced for the source so far.
          opened.function('probe', (_id: unknown) => (produced++, 1));
          return opened;
        },
      },
    );
    return Promise.resolve({ source, inputConsumed: () => Promise.resolve(produced) });
  },
};

describeSourceContract('SQLite', () => harness);

async function readAll(settings: SqliteSourceSettings): Promise<SourceRecord[]> {
  const out: SourceRecord[] = [];
  for await (const r of createSqliteSource(settings).read()) out.push(r);
  return out;
}

describe('SQLite source', () => {
  const path = join(dir, 'crm.sqlite');
  const db = new Database(path);
  db.exec(`CREATE TABLE companies (id INTEGER PRIMARY KEY, name TEXT NOT NULL, logo BLOB, score REAL);
           INSERT INTO companies VALUES (3, 'Gamma', NULL, 1.5), (1, 'Alpha', x'00ff', NULL), (2, 'Beta', NULL, 2);
           CREATE TABLE links (a INTEGER, b INTEGER, note TEXT, PRIMARY KEY (a, b)) WITHOUT ROWID;
           INSERT INTO links VALUES (2, 1, 'x'), (1, 2, 'y');
           CREATE VIEW names AS SELECT name FROM companies;`);
  db.close();

  it('reads a table in primary-key order, located by key, with SQLite value types', async () => {
    const records = await readAll({ path, table: 'companies' });
    expect(records.map((r) => r.location)).toEqual([
      { table: 'companies', key: 'id=1', index: 0 },
      { table: 'companies', key: 'id=2', index: 1 },
      { table: 'companies', key: 'id=3', index: 2 },
    ]);
    expect(records[0]?.values).toEqual({ id: 1, name: 'Alpha', logo: Buffer.from([0, 255]), score: null });
    expect(records[2]?.values).toMatchObject({ score: 1.5 });
  });

  it('uses composite keys, views, and the key columns given for a query', async () => {
    expect((await readAll({ path, table: 'links' })).map((r) => r.location.key)).toEqual([
      'a=1,b=2',
      'a=2,b=1',
    ]);
    expect((await readAll({ path, table: 'names' })).map((r) => r.values['name'])).toEqual([
      'Alpha',
      'Beta',
      'Gamma',
    ]);
    const query = await readAll({
      path,
      query: 'SELECT id, upper(name) AS n FROM companies ORDER BY name DESC',
      key: ['id'],
    });
    expect(query.map((r) => [r.location.key, r.values['n']])).toEqual([
      ['id=3', 'GAMMA'],
      ['id=2', 'BETA'],
      ['id=1', 'ALPHA'],
    ]);
  });

  it('refuses unknown tables (with a suggestion), writing statements, duplicate and unknown columns', async () => {
    await expect(readAll({ path, table: 'company' })).rejects.toThrow(
      /no table or view named "company": did you mean "companies"\?/,
    );
    await expect(readAll({ path, query: 'DELETE FROM companies' })).rejects.toThrow(/read-only SELECT/);
    await expect(
      readAll({ path, query: 'SELECT c.id, l.a AS id FROM companies c, links l' }),
    ).rejects.toThrow(/two columns named "id"/);
    await expect(readAll({ path, table: 'companies', key: ['ID_'] })).rejects.toThrow(
      /key column "ID_" is not in the result/,
    );
    await expect(readAll({ path: join(dir, 'nope.sqlite'), table: 'x' })).rejects.toThrow(
      /nope\.sqlite: file not found/,
    );
  });

  it('opens the database read-only', async () => {
    const source = createSqliteSource({ path, query: 'SELECT 1 AS one' });
    expect(await source.describe()).toEqual({ columns: ['one'] });
    const writer = new Database(path);
    writer.exec("INSERT INTO companies VALUES (4, 'Delta', NULL, NULL)"); // not locked out by the source
    writer.close();
    expect((await readAll({ path, table: 'companies' })).length).toBe(4);
  });
});
