import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { SourceRecord } from '../../../../src/connectors/source.js';
import {
  createPostgresSource,
  redactConnectionUrl,
  type PostgresSourceSettings,
} from '../../../../src/connectors/sources/postgres/postgres-source.js';
import { describeSourceContract, type SourceContractHarness } from '../../../contract/source.contract.js';

const url = process.env['TEST_POSTGRES_URL'];
const schema = `src_test_${process.pid}_${Math.floor(Math.random() * 1e6)}`;
let admin: pg.Client;
let tableNo = 0;

beforeAll(async () => {
  if (!url) return;
  admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`CREATE SCHEMA ${schema}`);
});
afterAll(async () => {
  if (!url) return;
  await admin.query(`DROP SCHEMA ${schema} CASCADE`);
  await admin.end();
});

async function table(
  columns: readonly string[],
  types: readonly string[],
  rows: readonly (readonly unknown[])[],
): Promise<string> {
  const name = `${schema}.t${++tableNo}`;
  await admin.query(
    `CREATE TABLE ${name} (${columns.map((c, i) => `"${c}" ${types[i] ?? 'text'}`).join(', ')})`,
  );
  for (const row of rows)
    await admin.query(
      `INSERT INTO ${name} VALUES (${row.map((_, i) => `$${i + 1}`).join(', ')})`,
      row as unknown[],
    );
  return name;
}

const harness = (): SourceContractHarness => ({
  async withRows(columns, rows) {
    const name = await table(columns, ['text primary key'], rows);
    return createPostgresSource({ url: url!, table: name });
  },
  async withMalformedRow(columns, rows, badIndex) {
    const name = await table(
      [...columns, 'n'],
      ['text primary key', 'text', 'text', 'int8'],
      rows.map((r, i) => [...r, i === badIndex ? '9007199254740993' : '1']),
    );
    return {
      source: createPostgresSource({ url: url!, table: name }),
      badLocation: { table: name, key: `id=${rows[badIndex]![0]}` },
    };
  },
  async withLargeInput(columns, count) {
    const name = `${schema}.big${++tableNo}`;
    await admin.query(`CREATE TABLE ${name} (id int PRIMARY KEY, name text, email text)`);
    await admin.query(
      `INSERT INTO ${name} SELECT g, 'Company ' || g, 'contact' || g || '@example.com' FROM generate_series(1, $1::int) g`,
      [count],
    );
    await admin.query(`ANALYZE ${name}`);
    // Rows past the middle are held back by an advisory lock this session holds until release().
    const lockKey = Math.floor(Math.random() * 2 ** 31);
    const gate = new pg.Client({ connectionString: url });
    await gate.connect();
    await gate.query('SELECT pg_advisory_lock($1)', [lockKey]);
    const middle = Math.floor(count / 2);
    let released = false;
    const source = createPostgresSource({
      url: url!,
      query: `SELECT ${columns.join(', ')} FROM ${name}
               WHERE CASE WHEN id = ${middle} THEN (SELECT true FROM (SELECT pg_advisory_xact_lock_shared(${lockKey})) x) ELSE true END
               ORDER BY id`,
    });
    return {
      source,
      inputConsumed: () => Promise.resolve(released ? count : middle - 1),
      release: async () => {
        released = true;
        await gate.query('SELECT pg_advisory_unlock($1)', [lockKey]);
      },
      dispose: () => gate.end(),
    };
  },
});

async function readAll(settings: PostgresSourceSettings): Promise<SourceRecord[]> {
  const out: SourceRecord[] = [];
  for await (const r of createPostgresSource(settings).read()) out.push(r);
  return out;
}

describe.skipIf(!url)('PostgreSQL source', () => {
  describeSourceContract('PostgreSQL', harness);

  it('keeps dates and timestamps unshifted, timestamptz as UTC ISO, numeric exact, json parsed', async () => {
    const name = await table(
      ['id', 'd', 'ts', 'tz', 'n', 'j', 'big'],
      ['int primary key', 'date', 'timestamp', 'timestamptz', 'numeric', 'jsonb', 'int8'],
      [[1, '2026-03-01', '2026-03-01 09:30:00', '2026-03-01 09:30:00+02', '1234.50', '{"a":[1]}', '42']],
    );
    const [record] = await readAll({ url: url!, table: name });
    expect(record?.values).toEqual({
      id: 1,
      d: '2026-03-01',
      ts: '2026-03-01 09:30:00',
      tz: '2026-03-01T07:30:00.000Z',
      n: '1234.50',
      j: { a: [1] },
      big: 42,
    });
    expect(record?.location).toEqual({ table: name, key: 'id=1', index: 0 });
  });

  it('reads a query in batches, located by the key columns given', async () => {
    const name = await table(
      ['id', 'name'],
      ['int primary key', 'text'],
      [
        [1, 'a'],
        [2, 'b'],
        [3, 'c'],
      ],
    );
    const commented = await readAll({
      url: url!,
      query: `SELECT name FROM ${name} ORDER BY id -- newest last`,
    });
    expect(commented.map((r) => r.values['name'])).toEqual(['a', 'b', 'c']);
    const records = await readAll({
      url: url!,
      query: `SELECT * FROM ${name} ORDER BY id DESC;`,
      key: ['id'],
      batchSize: 2,
    });
    expect(records.map((r) => [r.location.key, r.values['name']])).toEqual([
      ['id=3', 'c'],
      ['id=2', 'b'],
      ['id=1', 'a'],
    ]);
  });

  it('runs read-only, and reports unknown tables and duplicate columns clearly', async () => {
    const name = await table(['id'], ['int'], [[1]]);
    await admin.query(`CREATE SEQUENCE ${name}_seq`);
    await expect(readAll({ url: url!, query: `SELECT nextval('${name}_seq') AS n` })).rejects.toThrow(
      /read-only transaction/,
    );
    await expect(
      readAll({ url: url!, query: `WITH x AS (DELETE FROM ${name} RETURNING id) SELECT * FROM x` }),
    ).rejects.toThrow(/data-modifying/);
    expect((await admin.query(`SELECT count(*)::int AS n FROM ${name}`)).rows[0]).toEqual({ n: 1 });
    await expect(readAll({ url: url!, table: `${name}x` })).rejects.toThrow(
      new RegExp(`no table or view named "${name}x": did you mean "${name}"`),
    );
    await expect(readAll({ url: url!, query: 'SELECT 1 AS a, 2 AS a' })).rejects.toThrow(
      /two columns named "a"/,
    );
  });

  it('never shows the password of the connection URL', async () => {
    const bad = 'postgres://someone:Sup3rSecret@127.0.0.1:1/nowhere';
    const error = (await readAll({ url: bad, table: 'x' }).catch((e: unknown) => e)) as Error;
    expect(error.message).toMatch(
      /cannot read from PostgreSQL at postgres:\/\/someone:\*\*\*@127\.0\.0\.1:1\/nowhere/,
    );
    expect(JSON.stringify(error)).not.toContain('Sup3rSecret');
    expect(redactConnectionUrl('postgres://h/db?password=abc&x=1')).toBe('postgres://h/db?password=***&x=1');
  });
});
