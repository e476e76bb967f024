/**
 * Source read throughput and memory: writes N synthetic company rows as CSV, JSON Lines, SQLite and
 * (when TEST_POSTGRES_URL is set) PostgreSQL, then reads each through its `Source` and prints rows/s
 * and the peak RSS growth while reading (streaming keeps it flat whatever N).
 * Run: `node --import tsx bench/source-throughput.ts [rows=200000]`.
 */
import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import Database from 'better-sqlite3';
import pg from 'pg';

import type { Source } from '../src/connectors/source.js';
import { createSource } from '../src/connectors/sources/index.js';

const rows = Number(process.argv[2] ?? 200_000);
const dir = mkdtempSync(join(tmpdir(), 'source-bench-'));
const row = (i: number): string[] => [
  String(i + 1),
  `Company ${i + 1}, Inc.`,
  `+1 555 ${String(i % 10_000).padStart(4, '0')}`,
  `contact${i + 1}@example.com`,
  i % 7 === 0 ? 'Zürich' : 'Springfield',
];
const columns = ['id', 'name', 'phone', 'email', 'city'];

async function writeText(path: string, lines: (i: number) => string, header?: string): Promise<void> {
  const out = createWriteStream(path);
  if (header) out.write(header);
  for (let i = 0; i < rows; i++) if (!out.write(lines(i))) await once(out, 'drain');
  out.end();
  await once(out, 'close');
}

async function measure(label: string, source: Source): Promise<void> {
  global.gc?.();
  const rssBefore = process.memoryUsage().rss;
  let peak = rssBefore;
  let n = 0;
  let errors = 0;
  const start = process.hrtime.bigint();
  for await (const record of source.read()) {
    n++;
    if (record.error) errors++;
    if ((n & 0x3fff) === 0) peak = Math.max(peak, process.memoryUsage().rss);
  }
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  const rate = Math.round((n / ms) * 1000).toLocaleString('en-US');
  const mb = ((peak - rssBefore) / 1024 / 1024).toFixed(1);
  console.log(
    `${label.padEnd(12)} ${String(n).padStart(8)} rows ${ms.toFixed(0).padStart(6)} ms ${rate.padStart(10)} rows/s  RSS +${mb.padStart(6)} MB${errors ? `  ${errors} errors` : ''}`,
  );
}

const csvCell = (v: string): string => (/[",\n]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v);
try {
  await writeText(
    join(dir, 'big.csv'),
    (i) => `${row(i).map(csvCell).join(',')}\n`,
    `${columns.join(',')}\n`,
  );
  await writeText(
    join(dir, 'big.jsonl'),
    (i) => `${JSON.stringify(Object.fromEntries(columns.map((c, j) => [c, row(i)[j]])))}\n`,
  );
  const db = new Database(join(dir, 'big.sqlite'));
  db.exec(`CREATE TABLE companies (id INTEGER PRIMARY KEY, name TEXT, phone TEXT, email TEXT, city TEXT)`);
  const insert = db.prepare('INSERT INTO companies VALUES (?, ?, ?, ?, ?)');
  db.transaction(() => {
    for (let i = 0; i < rows; i++) insert.run(...row(i));
  })();
  db.close();

  await measure('csv', createSource({ type: 'csv', path: join(dir, 'big.csv') }));
  await measure('jsonl', createSource({ type: 'jsonl', path: join(dir, 'big.jsonl') }));
  await measure(
    'sqlite',
    createSource({ type: 'sqlite', path: join(dir, 'big.sqlite'), table: 'companies' }),
  );

  const url = process.env['TEST_POSTGRES_URL'];
  if (url) {
    const schema = `source_bench_${process.pid}`;
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      await client.query(`CREATE SCHEMA ${schema}`);
      await client.query(
        `CREATE TABLE ${schema}.companies AS SELECT g AS id, 'Company ' || g || ', Inc.' AS name, '+1 555 ' || lpad((g % 10000)::text, 4, '0') AS phone,
           'contact' || g || '@example.com' AS email, CASE WHEN g % 7 = 0 THEN 'Zürich' ELSE 'Springfield' END AS city
           FROM generate_series(1, ${rows}) g`,
      );
      await client.query(`ALTER TABLE ${schema}.companies ADD PRIMARY KEY (id)`);
      await measure('postgres', createSource({ type: 'postgres', url, table: `${schema}.companies` }));
    } finally {
      await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await client.end();
    }
  } else console.log('postgres     skipped (set TEST_POSTGRES_URL)');
} finally {
  rmSync(dir, { recursive: true, force: true });
}
