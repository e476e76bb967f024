import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { stringify } from 'csv-stringify/sync';
import { afterAll, describe, expect, it } from 'vitest';

import type { SourceRecord, SourceWarning } from '../../../../src/connectors/source.js';
import {
  createCsvSource,
  type CsvSourceSettings,
} from '../../../../src/connectors/sources/csv/csv-source.js';
import { SourceError } from '../../../../src/shared/errors.js';
import { describeSourceContract, type SourceContractHarness } from '../../../contract/source.contract.js';
import { fifoInput } from './fifo-input.js';

const dir = mkdtempSync(join(tmpdir(), 'csv-source-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let fileNo = 0;

function file(content: string | Buffer, name = `f${++fileNo}.csv`): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

async function read(
  settings: CsvSourceSettings,
): Promise<{ records: SourceRecord[]; warnings: SourceWarning[] }> {
  const warnings: SourceWarning[] = [];
  const records: SourceRecord[] = [];
  for await (const r of createCsvSource(settings, { onWarning: (w) => warnings.push(w) }).read())
    records.push(r);
  return { records, warnings };
}

const harness: SourceContractHarness = {
  withRows(columns, rows) {
    return Promise.resolve(createCsvSource({ path: file(stringify([columns, ...rows])) }));
  },
  withMalformedRow(columns, rows, badIndex) {
    const lines = [columns, ...rows].map((r, i) => stringify([i === badIndex + 1 ? [...r, 'extra'] : r]));
    const path = file(lines.join(''));
    return Promise.resolve({
      source: createCsvSource({ path }),
      badLocation: { file: path, line: badIndex + 2 },
    });
  },
  withLargeInput(columns, count, row) {
    const fifo = fifoInput(
      dir,
      `large${++fileNo}.csv`,
      `${columns.join(',')}\n`,
      count,
      (i) => `${row(i).join(',')}\n`,
    );
    return Promise.resolve({
      source: createCsvSource({ path: fifo.path, delimiter: ',', encoding: 'utf-8' }),
      inputConsumed: () => Promise.resolve(fifo.written()),
      dispose: () => fifo.done,
    });
  },
};

describeSourceContract('CSV', () => harness);

describe('CSV source', () => {
  it('drops a UTF-8 BOM, keeps quoted delimiters and line breaks, and numbers physical lines', async () => {
    const path = file('\uFEFFName,Notes\r\nAcme,"a, b"\r\n"Multi\r\nline",x\r\n\r\nLast,"say ""hi"""\r\n');
    const { records } = await read({ path });
    expect(records.map((r) => [r.values, r.location.line])).toEqual([
      [{ Name: 'Acme', Notes: 'a, b' }, 2],
      [{ Name: 'Multi\r\nline', Notes: 'x' }, 3],
      [{ Name: 'Last', Notes: 'say "hi"' }, 6],
    ]);
  });

  it('reads Excel\'s "CSV UTF-8" (BOM) as UTF-8: no Latin-1 warning, and `encoding: utf-8` accepts it', async () => {
    const path = file('\uFEFFName,City\r\nMüller & Söhne,München\r\nCafé,Prix 5 €\r\n');
    for (const encoding of ['auto', 'utf-8'] as const) {
      const { records, warnings } = await read({ path, encoding });
      expect(records.map((r) => [r.values, r.error?.message])).toEqual([
        [{ Name: 'Müller & Söhne', City: 'München' }, undefined],
        [{ Name: 'Café', City: 'Prix 5 €' }, undefined],
      ]);
      expect(warnings).toEqual([]);
    }
  });

  it("drops the formula guard of a rejects file ('+1 555 → +1 555), and keeps other apostrophes", async () => {
    const path = file("Name,Phone,Note\nAcme,'+1 555 0100,'=SUM(A1)\nBeta,'-5,'quoted'\n");
    const { records } = await read({ path });
    expect(records.map((r) => r.values)).toEqual([
      { Name: 'Acme', Phone: '+1 555 0100', Note: '=SUM(A1)' },
      { Name: 'Beta', Phone: '-5', Note: "'quoted'" },
    ]);
  });

  it('refuses an Excel workbook saved under a .csv name, saying how to save it as CSV', async () => {
    const xlsx = file(Buffer.concat([Buffer.from('PK\x03\x04', 'latin1'), Buffer.alloc(64, 7)]));
    await expect(read({ path: xlsx })).rejects.toThrow(/spreadsheet workbook .*"CSV UTF-8"/);
    const xls = file(Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0, 0, 0]));
    await expect(read({ path: xls })).rejects.toThrow(/spreadsheet workbook/);
  });

  it('detects ; and tab delimiters from the header, and honours an explicit one', async () => {
    expect((await read({ path: file('a;b\n1;2,5\n') })).records[0]?.values).toEqual({ a: '1', b: '2,5' });
    expect((await read({ path: file('a\tb\n1\t2;3\n') })).records[0]?.values).toEqual({ a: '1', b: '2;3' });
    expect((await read({ path: file('a|b;c\n1|2;3\n'), delimiter: ';' })).records[0]?.values).toEqual({
      'a|b': '1|2',
      c: '3',
    });
  });

  it('honours Excel\'s "sep=" first line', async () => {
    const { records } = await read({ path: file('\uFEFFsep=;\r\nName;Amount\r\nAcme;1,5\r\n') });
    expect(records.map((r) => [r.location.line, r.values])).toEqual([[3, { Name: 'Acme', Amount: '1,5' }]]);
  });

  it('ignores unnamed empty columns at the right of the header, with a warning', async () => {
    const { records, warnings } = await read({ path: file('Name,Phone,,\nAcme,1,,\nBeta,2,,x\n') });
    expect(records.map((r) => [r.values, r.error === undefined])).toEqual([
      [{ Name: 'Acme', Phone: '1' }, true],
      [{ Name: 'Beta', Phone: '2' }, false],
    ]);
    expect(warnings.map((w) => w.code)).toEqual(['CSV_UNNAMED_COLUMNS_IGNORED']);
  });

  it('reads Latin-1 (as Windows-1252) when the bytes are not UTF-8, with one warning', async () => {
    const bytes = Buffer.concat([
      Buffer.from('Name,City\n'),
      Buffer.from([0x43, 0x61, 0x66, 0xe9, 0x20, 0x80, 0x2c, 0x4c, 0x79, 0x6f, 0x6e, 0x0a]), // "Café €,Lyon"
      Buffer.from([0x4d, 0xfc, 0x6c, 0x6c, 0x65, 0x72, 0x2c, 0x4b, 0xf6, 0x6c, 0x6e, 0x0a]), // "Müller,Köln"
    ]);
    const { records, warnings } = await read({ path: file(bytes) });
    expect(records.map((r) => r.values)).toEqual([
      { Name: 'Café €', City: 'Lyon' },
      { Name: 'Müller', City: 'Köln' },
    ]);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({ code: 'CSV_READ_AS_LATIN1', location: { line: 2 } });
    // Told it is Latin-1: same text, no warning.
    const explicit = await read({ path: file(bytes), encoding: 'latin1' });
    expect(explicit.records.map((r) => r.values)).toEqual(records.map((r) => r.values));
    expect(explicit.warnings).toEqual([]);
  });

  it('keeps UTF-8 text as UTF-8, and refuses invalid UTF-8 when told the file is UTF-8', async () => {
    expect((await read({ path: file('Name\nZoë Ærø 東京\n') })).records[0]?.values).toEqual({
      Name: 'Zoë Ærø 東京',
    });
    const bad = Buffer.concat([
      Buffer.from('Name\nok\n'),
      Buffer.from([0x66, 0xe9, 0x0a]),
      Buffer.from('fine\n'),
    ]);
    const { records } = await read({ path: file(bad), encoding: 'utf-8' });
    expect(records.map((r) => r.error === undefined)).toEqual([true, false, true]);
    expect(records[1]?.error?.message).toMatch(/:3: .*not valid UTF-8.*encoding: latin1/);
  });

  it('reports a ragged row with its line and goes on; tolerates trailing empty values', async () => {
    const { records } = await read({ path: file('a,b,c\n1,2\n3,4,5\n6,7,8,9\n10,11,12,,\n') });
    expect(records.map((r) => [r.location.line, r.error?.message ?? null])).toEqual([
      [2, expect.stringMatching(/:2: this row has 2 values but the header has 3 columns/)],
      [3, null],
      [4, expect.stringMatching(/:4: this row has 4 values .*quote values that contain the delimiter/)],
      [5, null],
    ]);
    expect(records[0]?.values).toEqual({ a: '1', b: '2' });
  });

  it('recovers from a stray quote: one bad row, the swallowed lines read again', async () => {
    const { records } = await read({ path: file('a,b\n1,"oops\n2,3\n4,5\n6,"x,y"\n7,8\n') });
    expect(records.map((r) => [r.location.line, r.values, r.error !== undefined])).toEqual([
      [2, { a: '1', b: '"oops' }, true],
      [3, { a: '2', b: '3' }, false],
      [4, { a: '4', b: '5' }, false],
      [5, { a: '6', b: 'x,y' }, false],
      [6, { a: '7', b: '8' }, false],
    ]);
    expect(records[0]?.error?.message).toMatch(/quote \(".* on line 2 is probably not closed/);
    expect(records.map((r) => r.location.index)).toEqual([0, 1, 2, 3, 4]);
  });

  it('recovers from a quote left open until the end of the file', async () => {
    const { records } = await read({ path: file('a,b\n1,2\n3,"oops\n4,5\n6,7\n') });
    expect(records.map((r) => [r.location.line, r.error !== undefined])).toEqual([
      [2, false],
      [3, true],
      [4, false],
      [5, false],
    ]);
    expect(records[1]?.error?.message).toMatch(/never closed \(it runs from line 3 to line 5\)/);
  });

  it('removes NUL bytes with a warning, and refuses UTF-16 with how to convert', async () => {
    const { records, warnings } = await read({ path: file('a,b\n1,x\u0000y\n') });
    expect(records[0]?.values).toEqual({ a: '1', b: 'xy' });
    expect(warnings.map((w) => w.code)).toEqual(['CSV_NUL_REMOVED']);
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('a,b\r\n1,2\r\n', 'utf16le')]);
    await expect(read({ path: file(utf16) })).rejects.toThrow(/UTF-16.*UTF-8/);
  });

  it('refuses duplicate and empty header names, naming the columns', async () => {
    await expect(read({ path: file('Email,Name,Email\n1,2,3\n') })).rejects.toThrow(
      /header names "Email" twice \(columns 1 and 3\)/,
    );
    await expect(createCsvSource({ path: file('Name,,Phone\n') }).describe()).rejects.toThrow(
      /header column 2 has no name/,
    );
  });

  it('skips rows whose values are all empty, and keeps formula-looking values verbatim', async () => {
    const { records } = await read({ path: file('a,b\n,\n=HYPERLINK("x"),+1\n,,\n') });
    expect(records.map((r) => [r.location.line, r.values])).toEqual([[3, { a: '=HYPERLINK("x")', b: '+1' }]]);
  });

  it('stops reading when its signal is aborted', async () => {
    const controller = new AbortController();
    const source = createCsvSource({ path: file('a\n1\n2\n3\n') }, { signal: controller.signal });
    const seen: unknown[] = [];
    await expect(
      (async () => {
        for await (const r of source.read()) {
          seen.push(r.values['a']);
          controller.abort(new Error('stop requested'));
        }
      })(),
    ).rejects.toThrow('stop requested');
    expect(seen).toEqual(['1']);
  });

  it('says which file is missing, as a SourceError', async () => {
    const error: unknown = await read({ path: join(dir, 'missing.csv') }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SourceError);
    expect((error as SourceError).message).toMatch(/missing\.csv: file not found/);
  });

  it('refuses a quote character equal to the delimiter', () => {
    expect(() => createCsvSource({ path: file('a\n'), delimiter: ';', quote: ';' })).toThrow(
      /quote must be one character other than the delimiter/,
    );
  });

  it('describes a header-only file and an empty file', async () => {
    expect(await createCsvSource({ path: file('a,b\n') }).describe()).toEqual({ columns: ['a', 'b'] });
    expect(await createCsvSource({ path: file('') }).describe()).toEqual({ columns: [] });
  });
});
