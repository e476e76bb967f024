import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import { parse } from 'csv-parse/sync';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { rejectsPathForSync, writeRejectsCsvFiles } from '../../../src/state/index.js';
import type { LedgerEntryInput } from '../../../src/state/index.js';
import { tempStateStore } from './temp-state.js';

let t: ReturnType<typeof tempStateStore>;
beforeEach(() => (t = tempStateStore()));
afterEach(() => t.cleanup());

function header(path: string): string[] {
  const rows: string[][] = parse(readFileSync(path));
  return rows[0] ?? [];
}

function rowsOf(path: string): Record<string, string>[] {
  return parse<Record<string, string>>(readFileSync(path), { columns: true });
}

function seed(entries: Omit<LedgerEntryInput, 'runId' | 'key'>[]): number {
  const run = t.store.startRun({ mode: 'run', syncNames: ['companies', 'contacts'], configHash: 'h' });
  t.store.appendLedger(entries.map((e) => ({ key: null, ...e, runId: run.id })));
  return run.id;
}

describe('rejectsPathForSync', () => {
  it('inserts the sync name before the extension', () => {
    expect(rejectsPathForSync('/x/rejects.csv', 'contacts')).toBe('/x/rejects.contacts.csv');
    expect(rejectsPathForSync('/x/out', 'contacts')).toBe('/x/out.contacts');
    expect(rejectsPathForSync('/x/a.b.csv', 'Firmen Köln')).toBe('/x/a.b.Firmen-Köln.csv');
    expect(rejectsPathForSync('/x/r.csv', '../../etc')).toBe('/x/r.-etc.csv');
  });
});

describe('writeRejectsCsvFiles', () => {
  it('writes one file per sync when several syncs have rejects, each with only its source columns', async () => {
    const runId = seed([
      {
        sync: 'companies',
        sourceLocation: 'companies.csv:3',
        action: 'invalid',
        reason: 'x',
        sourceRow: { Name: 'A', Phone: '1' },
      },
      {
        sync: 'contacts',
        sourceLocation: 'contacts.csv:2',
        action: 'failed',
        reason: 'y',
        sourceRow: { Email: 'e@x', First: 'Ada' },
      },
      {
        sync: 'companies',
        sourceLocation: 'companies.csv:5',
        action: 'conflict',
        reason: 'z',
        sourceRow: { Name: 'B', Phone: '2' },
      },
      {
        sync: 'contacts',
        sourceLocation: 'contacts.csv:4',
        action: 'created',
        sourceRow: { Email: 'ok@x', First: 'Ok' },
      },
    ]);
    const path = join(t.dir, 'rejects.csv');
    const written = await writeRejectsCsvFiles(t.store, runId, path);
    const companies = join(t.dir, 'rejects.companies.csv');
    const contacts = join(t.dir, 'rejects.contacts.csv');
    expect(written).toEqual({
      rows: 3,
      files: [
        { sync: 'companies', path: companies, rows: 2 },
        { sync: 'contacts', path: contacts, rows: 1 },
      ],
    });
    expect(existsSync(path)).toBe(false);
    expect(header(companies)).toEqual(['Name', 'Phone', '_sync', '_action', '_reason', '_field', '_line']);
    expect(header(contacts)).toEqual(['Email', 'First', '_sync', '_action', '_reason', '_field', '_line']);
    expect(rowsOf(companies).map((r) => r['Name'])).toEqual(['A', 'B']);
    expect(rowsOf(contacts)).toEqual([
      {
        Email: 'e@x',
        First: 'Ada',
        _sync: 'contacts',
        _action: 'failed',
        _reason: 'y',
        _field: '',
        _line: 'contacts.csv:2',
      },
    ]);
  });

  it('writes the file as named when one sync has rejects, or one is asked for', async () => {
    const runId = seed([
      { sync: 'contacts', sourceLocation: 'contacts.csv:2', action: 'invalid', sourceRow: { Email: 'bad' } },
      { sync: 'companies', sourceLocation: 'companies.csv:2', action: 'invalid', sourceRow: { Name: 'A' } },
    ]);
    const path = join(t.dir, 'only.csv');
    expect(await writeRejectsCsvFiles(t.store, runId, path, { sync: 'contacts' })).toEqual({
      rows: 1,
      files: [{ sync: 'contacts', path, rows: 1 }],
    });
    expect(header(path)[0]).toBe('Email');
    expect(existsSync(join(t.dir, 'only.contacts.csv'))).toBe(false);

    const single = seed([
      { sync: 'companies', sourceLocation: 'c.csv:2', action: 'failed', sourceRow: { Name: 'Z' } },
    ]);
    const one = join(t.dir, 'one.csv');
    expect(await writeRejectsCsvFiles(t.store, single, one)).toEqual({
      rows: 1,
      files: [{ sync: 'companies', path: one, rows: 1 }],
    });
  });

  it('writes the header only, as named, when the run rejected nothing', async () => {
    const runId = seed([
      { sync: 'companies', sourceLocation: 'c.csv:2', action: 'created', sourceRow: { Name: 'A' } },
    ]);
    const path = join(t.dir, 'none.csv');
    expect(await writeRejectsCsvFiles(t.store, runId, path)).toEqual({ rows: 0, files: [{ path, rows: 0 }] });
    expect(readFileSync(path, 'utf8').trim()).toBe('_sync,_action,_reason,_field,_line');
  });

  it('numbers a file whose sync name clashes with another once made safe for a file name', async () => {
    const runId = seed([
      { sync: 'a b', sourceLocation: 'x.csv:2', action: 'invalid', sourceRow: { X: '1' } },
      { sync: 'a/b', sourceLocation: 'y.csv:2', action: 'invalid', sourceRow: { Y: '2' } },
    ]);
    const written = await writeRejectsCsvFiles(t.store, runId, join(t.dir, 'r.csv'));
    expect(written.files.map((f) => f.path)).toEqual([join(t.dir, 'r.a-b.csv'), join(t.dir, 'r.a-b-2.csv')]);
    expect(header(join(t.dir, 'r.a-b-2.csv'))[0]).toBe('Y');
  });
});
