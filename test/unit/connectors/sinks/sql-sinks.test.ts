import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import Database from 'better-sqlite3';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import {
  PostgresSink,
  SqliteSink,
  createSink,
  postgresColumnName,
} from '../../../../src/connectors/sinks/index.js';
import { COLUMNS, ROWS } from './sink-fixtures.js';

const dir = mkdtempSync(join(tmpdir(), 'autotask-sync-sql-sinks-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('SqliteSink', () => {
  const path = join(dir, 'db', 'out.sqlite');
  const read = (sql: string): unknown[] => {
    const db = new Database(path, { readonly: true });
    try {
      return db.prepare(sql).all();
    } finally {
      db.close();
    }
  };

  it('creates the table from the columns and writes typed rows', async () => {
    const sink = createSink({ type: 'sqlite', path, table: 'companies' });
    await sink.open(COLUMNS);
    await sink.write(ROWS);
    await sink.close();
    expect(read('SELECT * FROM companies ORDER BY id')).toEqual([
      { ...ROWS[0], isActive: 1 },
      { ...ROWS[1], isActive: 0, udf_Revenue: null },
    ]);
    expect(
      read("SELECT name, type, pk FROM pragma_table_info('companies') WHERE name IN ('id', 'udf_Revenue')"),
    ).toEqual([
      { name: 'id', type: 'INTEGER', pk: 1 },
      { name: 'udf_Revenue', type: 'REAL', pk: 0 },
    ]);
  });

  it('upserts by id on merge, adds new columns, and empties the table on replace', async () => {
    const merge = new SqliteSink({ path, table: 'companies' });
    await merge.open([...COLUMNS, { name: 'udf_New', type: 'string' }], { mode: 'merge' });
    await merge.write([
      { id: 2, companyName: 'Renamed', udf_New: 'x' },
      { id: 3, companyName: 'Third' },
    ]);
    await merge.close();
    expect(read('SELECT id, companyName, udf_New FROM companies ORDER BY id')).toEqual([
      { id: 1, companyName: 'Acme, "Inc"', udf_New: null },
      { id: 2, companyName: 'Renamed', udf_New: 'x' },
      { id: 3, companyName: 'Third', udf_New: null },
    ]);
    const replace = new SqliteSink({ path, table: 'companies' });
    await replace.open(COLUMNS, { mode: 'replace' });
    await replace.write([ROWS[0]!]);
    await replace.close();
    expect(read('SELECT id FROM companies')).toEqual([{ id: 1 }]);
  });

  it('abort rolls everything back', async () => {
    const sink = new SqliteSink({ path, table: 'companies' });
    await sink.open(COLUMNS, { mode: 'replace' });
    await sink.write([{ id: 50, companyName: 'Never' }]);
    await sink.abort();
    expect(read('SELECT id FROM companies')).toEqual([{ id: 1 }]);
  });

  it('explains a table without a key to upsert by', async () => {
    const db = new Database(path);
    db.exec('CREATE TABLE loose (id INTEGER, companyName TEXT)');
    db.close();
    const sink = new SqliteSink({ path, table: 'loose' });
    await expect(sink.open(COLUMNS)).rejects.toThrow(/no PRIMARY KEY or UNIQUE constraint on "id"/);
  });
});

const url = process.env['TEST_POSTGRES_URL'];

describe.skipIf(!url)('PostgresSink', () => {
  const schema = `sink_test_${process.pid}_${Date.now()}`;
  const admin = new pg.Client({ connectionString: url });
  const table = `${schema}.companies`;
  beforeAll(async () => {
    await admin.connect();
    await admin.query(`CREATE SCHEMA "${schema}"`);
  });
  afterAll(async () => {
    await admin.query(`DROP SCHEMA "${schema}" CASCADE`);
    await admin.end();
  });
  const rows = async (sql: string): Promise<unknown[]> =>
    (await admin.query<Record<string, unknown>>(sql)).rows;

  it('creates a typed table and writes rows', async () => {
    const sink = new PostgresSink({ url: url!, table });
    await sink.open(COLUMNS);
    await sink.write(ROWS);
    await sink.close();
    expect(
      await rows(
        `SELECT id::int, "companyName", "isActive", "lastActivityDate", "udf_Revenue"::float AS rev FROM ${schema}.companies ORDER BY id`,
      ),
    ).toEqual([
      {
        id: 1,
        companyName: 'Acme, "Inc"',
        isActive: true,
        lastActivityDate: new Date('2026-11-27T10:00:00Z'),
        rev: 12.5,
      },
      { id: 2, companyName: '=cmd|calc', isActive: false, lastActivityDate: null, rev: null },
    ]);
    expect(
      await rows(
        `SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = '${schema}' AND column_name IN ('id', 'udf_Revenue', 'isActive') ORDER BY column_name`,
      ),
    ).toEqual([
      { column_name: 'id', data_type: 'bigint' },
      { column_name: 'isActive', data_type: 'boolean' },
      { column_name: 'udf_Revenue', data_type: 'numeric' },
    ]);
  });

  it('upserts by id on merge across several statements, adds columns, and replaces on a full export', async () => {
    const many = Array.from({ length: 250 }, (_, i) => ({
      id: i + 1,
      companyName: `C${i + 1}`,
      udf_New: 'n',
    }));
    const sink = new PostgresSink({ url: url!, table, maxParameters: 100 }); // 100 params / 9 columns → 11 rows per INSERT
    await sink.open([...COLUMNS, { name: 'udf_New', type: 'string' }], { mode: 'merge' });
    await sink.write(many);
    await sink.close();
    expect(
      await rows(
        `SELECT count(*)::int AS n, max("companyName") FILTER (WHERE id = 1) AS first FROM ${schema}.companies`,
      ),
    ).toEqual([{ n: 250, first: 'C1' }]);
    const replace = new PostgresSink({ url: url!, table });
    await replace.open(COLUMNS, { mode: 'replace' });
    await replace.write([ROWS[1]!]);
    await replace.close();
    expect(await rows(`SELECT id::int FROM ${schema}.companies`)).toEqual([{ id: 2 }]);
  });

  it('abort rolls back, so readers never see a half export', async () => {
    const sink = new PostgresSink({ url: url!, table });
    await sink.open(COLUMNS, { mode: 'replace' });
    await sink.write([{ id: 77 }]);
    expect(await rows(`SELECT id::int FROM ${schema}.companies`)).toEqual([{ id: 2 }]); // not visible yet
    await sink.abort();
    expect(await rows(`SELECT id::int FROM ${schema}.companies`)).toEqual([{ id: 2 }]);
  });

  it('shortens long column names without collisions and handles quotes in names', async () => {
    const long = 'udf_' + 'A very long user defined field name '.repeat(3);
    const cols = [
      { name: 'id', type: 'integer' as const },
      { name: long + '1', type: 'string' as const },
      { name: long + '2', type: 'string' as const },
      { name: 'we"ird', type: 'string' as const },
    ];
    const sink = new PostgresSink({ url: url!, table: `${schema}.longnames` });
    await sink.open(cols);
    await sink.write([{ id: 1, [long + '1']: 'one', [long + '2']: 'two', 'we"ird': 'q' }]);
    await sink.close();
    const [row] = (await rows(`SELECT * FROM ${schema}.longnames`)) as Record<string, unknown>[];
    expect(row![postgresColumnName(long + '1')]).toBe('one');
    expect(row![postgresColumnName(long + '2')]).toBe('two');
    expect(row!['we"ird']).toBe('q');
    expect(Buffer.byteLength(postgresColumnName(long + '1'))).toBeLessThanOrEqual(63);
  });

  it('never shows the password in errors', async () => {
    const u = new URL(url!);
    u.password = 'Sup3r-Secret-Pw';
    u.port = '1'; // nothing listens there
    const sink = new PostgresSink({ url: u.toString(), table });
    const error = await sink.open(COLUMNS).then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    expect(error).toBeDefined();
    expect(JSON.stringify({ m: error!.message, d: (error as { details?: unknown }).details })).not.toContain(
      'Sup3r-Secret-Pw',
    );
  });
});
