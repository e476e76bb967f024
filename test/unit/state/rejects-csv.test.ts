import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { parse } from 'csv-parse/sync';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { writeRejectsCsv } from '../../../src/state/index.js';
import { tempStateStore } from './temp-state.js';

let t: ReturnType<typeof tempStateStore>;
beforeEach(() => (t = tempStateStore()));
afterEach(() => t.cleanup());

describe('writeRejectsCsv', () => {
  it('writes the original rows with reason, field and line, formulas neutralised', async () => {
    const run = t.store.startRun({ mode: 'run', syncNames: ['companies', 'contacts'], configHash: 'h' });
    t.store.appendLedger([
      {
        runId: run.id,
        sync: 'companies',
        sourceLocation: 'companies.csv:2',
        key: 'ok',
        action: 'created',
        sourceRow: { Name: 'Fine' },
      },
      {
        runId: run.id,
        sync: 'companies',
        sourceLocation: 'companies.csv:3',
        key: null,
        action: 'invalid',
        reason: 'companyType "Nope" is not a valid label',
        field: 'companyType',
        sourceRow: { Name: '=HYPERLINK("http://evil")', Type: 'Nope', Phone: '+1 555', Note: 'a,"b"\nc' },
      },
      {
        runId: run.id,
        sync: 'companies',
        sourceLocation: 'companies.csv:4',
        key: 'x',
        action: 'failed',
        reason: 'Autotask refused: 500',
        sourceRow: { Name: '@SUM(A1)', Type: 'Customer', Revenue: -5, Extra: { a: 1 } },
      },
      {
        runId: run.id,
        sync: 'contacts',
        sourceLocation: 'contacts.csv:9',
        key: 'd@x',
        action: 'conflict',
        reason: 'two rows',
        sourceRow: { Email: '\tcmd' },
      },
    ]);
    const path = join(t.dir, 'rejects.csv');
    expect(await writeRejectsCsv(t.store, run.id, path)).toEqual({ rows: 3 });
    const rows = parse<Record<string, string>>(readFileSync(path), { columns: true });
    expect(Object.keys(rows[0]!)).toEqual([
      'Name',
      'Type',
      'Phone',
      'Note',
      'Revenue',
      'Extra',
      'Email',
      '_sync',
      '_action',
      '_reason',
      '_field',
      '_line',
    ]);
    expect(rows[0]).toMatchObject({
      Name: `'=HYPERLINK("http://evil")`,
      Type: 'Nope',
      Phone: "'+1 555",
      Note: 'a,"b"\nc',
      _action: 'invalid',
      _reason: 'companyType "Nope" is not a valid label',
      _field: 'companyType',
      _line: 'companies.csv:3',
    });
    expect(rows[1]).toMatchObject({
      Name: "'@SUM(A1)",
      Revenue: '-5',
      Extra: '{"a":1}',
      _field: '',
      Email: '',
    });
    expect(rows[2]).toMatchObject({ Email: "'\tcmd", _sync: 'contacts', _action: 'conflict' });
  });

  it('filters by sync and writes a header-only file when nothing was rejected', async () => {
    const run = t.store.startRun({ mode: 'run', syncNames: ['a'], configHash: 'h' });
    t.store.appendLedger([
      {
        runId: run.id,
        sync: 'a',
        sourceLocation: 'a.csv:2',
        key: 'k',
        action: 'failed',
        sourceRow: { A: '1' },
      },
    ]);
    const path = join(t.dir, 'none.csv');
    expect(await writeRejectsCsv(t.store, run.id, path, { sync: 'b' })).toEqual({ rows: 0 });
    expect(readFileSync(path, 'utf8').trim()).toBe('_sync,_action,_reason,_field,_line');
    expect(await writeRejectsCsv(t.store, run.id, path, { sync: 'a' })).toEqual({ rows: 1 });
    expect(readFileSync(path, 'utf8').split('\n')[1]).toBe('1,a,failed,,,a.csv:2');
  });
});
