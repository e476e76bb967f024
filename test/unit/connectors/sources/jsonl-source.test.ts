import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, describe, expect, it } from 'vitest';

import type { SourceRecord } from '../../../../src/connectors/source.js';
import { createJsonlSource } from '../../../../src/connectors/sources/jsonl/jsonl-source.js';
import { describeSourceContract, type SourceContractHarness } from '../../../contract/source.contract.js';
import { fifoInput } from './fifo-input.js';

const dir = mkdtempSync(join(tmpdir(), 'jsonl-source-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let fileNo = 0;

function file(content: string | Buffer): string {
  const path = join(dir, `f${++fileNo}.jsonl`);
  writeFileSync(path, content);
  return path;
}

const line = (columns: readonly string[], row: readonly string[]): string =>
  `${JSON.stringify(Object.fromEntries(columns.map((c, i) => [c, row[i]])))}\n`;

const harness: SourceContractHarness = {
  withRows(columns, rows) {
    return Promise.resolve(createJsonlSource({ path: file(rows.map((r) => line(columns, r)).join('')) }));
  },
  withMalformedRow(columns, rows, badIndex) {
    const path = file(
      rows.map((r, i) => (i === badIndex ? '{"id": 2, "name": oops}\n' : line(columns, r))).join(''),
    );
    return Promise.resolve({
      source: createJsonlSource({ path }),
      badLocation: { file: path, line: badIndex + 1 },
    });
  },
  withLargeInput(columns, count, row) {
    const fifo = fifoInput(dir, `large${++fileNo}.jsonl`, undefined, count, (i) => line(columns, row(i)));
    return Promise.resolve({
      source: createJsonlSource({ path: fifo.path }),
      inputConsumed: () => Promise.resolve(fifo.written()),
      dispose: () => fifo.done,
    });
  },
};

describeSourceContract('JSON Lines', () => harness);

async function readAll(path: string, flatten?: boolean): Promise<SourceRecord[]> {
  const out: SourceRecord[] = [];
  const source = createJsonlSource(flatten === undefined ? { path } : { path, flatten });
  for await (const r of source.read()) out.push(r);
  return out;
}

describe('JSON Lines source', () => {
  it('flattens nested objects into dotted columns by default, keeps arrays, or keeps objects when asked', async () => {
    const path = file(
      '{"name":"Acme","address":{"city":"Lyon","geo":{"lat":45.7}},"tags":["a","b"],"n":null}\n',
    );
    expect((await readAll(path))[0]?.values).toEqual({
      name: 'Acme',
      'address.city': 'Lyon',
      'address.geo.lat': 45.7,
      tags: ['a', 'b'],
      n: null,
    });
    expect((await readAll(path, false))[0]?.values).toMatchObject({
      address: { city: 'Lyon', geo: { lat: 45.7 } },
    });
  });

  it('skips blank lines, drops a BOM, accepts CRLF and a last line without newline', async () => {
    const records = await readAll(file('\uFEFF{"a":1}\r\n\r\n   \n{"a":2}'));
    expect(records.map((r) => [r.location.line, r.values])).toEqual([
      [1, { a: 1 }],
      [4, { a: 2 }],
    ]);
  });

  it('reports lines that are not JSON objects, or not UTF-8, with their line, and goes on', async () => {
    const bytes = Buffer.concat([
      Buffer.from('{"a":1}\nnot json\n[1,2]\n"text"\n'),
      Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xe9, 0x22, 0x7d, 0x0a]),
      Buffer.from('{"a.b":1,"a":{"b":2}}\n{"a":3}\n'),
    ]);
    const records = await readAll(file(bytes));
    expect(records.map((r) => [r.location.line, r.error?.message.replace(/^.*?:\d+: /, '') ?? 'ok'])).toEqual(
      [
        [1, 'ok'],
        [2, expect.stringMatching(/^not valid JSON/)],
        [3, 'expected a JSON object ({"column": value, ...}), found an array'],
        [4, 'expected a JSON object ({"column": value, ...}), found a string'],
        [5, 'this line is not valid UTF-8: save the file as UTF-8'],
        [6, expect.stringMatching(/two values for column "a.b"/)],
        [7, 'ok'],
      ],
    );
  });

  it('says which file is missing', async () => {
    await expect(readAll(join(dir, 'missing.jsonl'))).rejects.toThrow(/missing\.jsonl: file not found/);
  });

  it('describes the columns of the first records, in first-seen order', async () => {
    const path = file('{"b":1}\n{"a":1,"b":2}\nbad\n{"c":{"d":1}}\n');
    expect(await createJsonlSource({ path }).describe()).toEqual({ columns: ['b', 'a', 'c.d'] });
  });
});
