import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { parse } from 'csv-parse/sync';
import { afterAll, describe, expect, it } from 'vitest';

import { CsvSink, JsonlSink, SinkError, createSink } from '../../../../src/connectors/sinks/index.js';
import { COLUMNS, ROWS } from './sink-fixtures.js';

const dir = mkdtempSync(join(tmpdir(), 'autotask-sync-file-sinks-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function readCsv(path: string): Record<string, string>[] {
  return parse<Record<string, string>>(readFileSync(path), { columns: true });
}

describe('CsvSink', () => {
  it('writes a header and rows, quoting, typing and neutralising formulas', async () => {
    const path = join(dir, 'nested', 'companies.csv');
    const sink = new CsvSink({ path });
    await sink.open(COLUMNS);
    await sink.write(ROWS.slice(0, 1));
    await sink.write(ROWS.slice(1));
    expect(existsSync(path)).toBe(false); // not in place until committed
    await sink.close();
    const rows = readCsv(path);
    expect(Object.keys(rows[0]!)).toEqual(COLUMNS.map((c) => c.name));
    expect(rows[0]).toMatchObject({
      id: '1',
      companyName: 'Acme, "Inc"',
      isActive: 'true',
      udf_Revenue: '12.5',
    });
    expect(rows[1]).toMatchObject({
      companyName: "'=cmd|calc",
      isActive: 'false',
      lastActivityDate: '',
      'udf_Customer Ranking': '',
    });
    expect(readdirSync(join(dir, 'nested'))).toEqual(['companies.csv']);
  });

  it('replaces the file on a full export and appends on merge, in the existing column order', async () => {
    const path = join(dir, 'merge.csv');
    writeFileSync(path, 'companyName,id,isActive\nOld,9,true'); // no final newline
    const sink = new CsvSink({ path });
    await sink.open(
      [
        { name: 'id', type: 'integer' },
        { name: 'companyName', type: 'string' },
      ],
      { mode: 'merge' },
    );
    await sink.write([{ id: 1, companyName: 'New' }]);
    await sink.close();
    expect(readFileSync(path, 'utf8')).toBe('companyName,id,isActive\nOld,9,true\nNew,1,\n');

    const full = new CsvSink({ path });
    await full.open(COLUMNS, { mode: 'replace' });
    await full.write(ROWS);
    await full.close();
    expect(readCsv(path).map((r) => r['id'])).toEqual(['1', '2']);
  });

  it('refuses to append a column the file lacks, telling to export in full', async () => {
    const path = join(dir, 'narrow.csv');
    writeFileSync(path, 'id,companyName\n1,A\n');
    const sink = new CsvSink({ path });
    await expect(sink.open(COLUMNS, { mode: 'merge' })).rejects.toThrow(
      /no column for "companyType".*--full/,
    );
    expect(readFileSync(path, 'utf8')).toBe('id,companyName\n1,A\n');
  });

  it('starts a new file with a header when merging into nothing, and honours the delimiter', async () => {
    const path = join(dir, 'semi.csv');
    const sink = createSink({ type: 'csv', path, delimiter: ';' });
    await sink.open(COLUMNS.slice(0, 2), { mode: 'merge' });
    await sink.write([{ id: 5, companyName: 'a;b' }]);
    await sink.close();
    expect(readFileSync(path, 'utf8')).toBe('id;companyName\n5;"a;b"\n');
  });

  it('abort leaves the previous file untouched and no temp file behind', async () => {
    const path = join(dir, 'keep.csv');
    writeFileSync(path, 'id\n1\n');
    const sink = new CsvSink({ path });
    await sink.open(COLUMNS);
    await sink.write(ROWS);
    await sink.abort();
    await sink.abort();
    expect(readFileSync(path, 'utf8')).toBe('id\n1\n');
    expect(readdirSync(dir).filter((f) => f.includes('.tmp'))).toEqual([]);
  });

  it('reports misuse and unwritable places as SinkError', async () => {
    const sink = new CsvSink({ path: join(dir, 'x.csv') });
    await expect(sink.write(ROWS)).rejects.toBeInstanceOf(SinkError);
    writeFileSync(join(dir, 'file'), '');
    await expect(new CsvSink({ path: join(dir, 'file', 'x.csv') }).open(COLUMNS)).rejects.toThrow(SinkError);
  });
});

describe('JsonlSink', () => {
  it('writes one JSON object per line with every column and JSON types', async () => {
    const path = join(dir, 'companies.jsonl');
    const sink = new JsonlSink({ path });
    await sink.open(COLUMNS);
    await sink.write(ROWS);
    await sink.close();
    const lines = readFileSync(path, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toEqual(ROWS[0]);
    expect(lines[1]).toMatchObject({ companyName: '=cmd|calc', isActive: false, lastActivityDate: null });
    expect(Object.keys(lines[1]!)).toEqual(COLUMNS.map((c) => c.name));
  });

  it('appends on merge', async () => {
    const path = join(dir, 'append.jsonl');
    for (const row of ROWS) {
      const sink = createSink({ type: 'jsonl', path });
      await sink.open(COLUMNS, { mode: 'merge' });
      await sink.write([row]);
      await sink.close();
    }
    expect(
      readFileSync(path, 'utf8')
        .trim()
        .split('\n')
        .map((l) => (JSON.parse(l) as { id: number }).id),
    ).toEqual([1, 2]);
  });
});
