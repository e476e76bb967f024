/**
 * Records deleted in Autotask and incremental export mirrors: the id-only scan (on `prune`, or every
 * `deletions.every` exports), remove or flag, the safety rail, files rewritten, the calls it costs.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import Database from 'better-sqlite3';
import { parse } from 'csv-parse/sync';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import type { ExportSpec } from '../../../src/config/types.js';
import { runExport } from '../../../src/sync/export/index.js';
import { exportDeletionsSchema } from '../../../src/sync/export/deletions-spec.js';
import { exportHarness, type ExportHarness } from './export-harness.js';

let h: ExportHarness;
beforeEach(() => {
  h = exportHarness({ records: 60 });
});
afterEach(() => h.cleanup());

function sqliteSpec(deletions?: Partial<ExportSpec['deletions']>): ExportSpec {
  return {
    name: 'contacts-db',
    object: 'Contact',
    incremental: true,
    destination: { type: 'sqlite', path: join(h.dir, 'mirror.sqlite'), table: 'contacts' },
    ...(deletions === undefined ? {} : { deletions: exportDeletionsSchema.parse(deletions) }),
  };
}

function rows(sql: string, ...params: unknown[]): Record<string, unknown>[] {
  const db = new Database(join(h.dir, 'mirror.sqlite'), { readonly: true });
  try {
    return db.prepare(sql).all(...params) as Record<string, unknown>[];
  } finally {
    db.close();
  }
}

/** Deletes contacts in the emulator's tenant, as a user would in Autotask; returns their ids. */
function deleteContacts(count: number): number[] {
  const table = h.emulator.tenant.tables.Contacts;
  const ids = [...table.scan()].slice(-count).map((r) => r.id);
  for (const id of ids) expect(table.delete(id)).toBe(true);
  return ids;
}

describe('deleted records in an incremental SQL mirror', () => {
  it('stay without a scan, and go on --prune at one call per 500 ids', async () => {
    const spec = sqliteSpec();
    const first = await runExport(spec, h.runOptions());
    const total = first.written;
    expect(total).toBeGreaterThan(20);
    h.clock.advance(3_600_000);
    const gone = deleteContacts(2);

    const quiet = await runExport(spec, h.runOptions());
    expect(quiet).toMatchObject({ mode: 'incremental', deletions: undefined });
    expect(rows('SELECT count(*) AS n FROM contacts')[0]!['n']).toBe(total);

    const pruned = await runExport(spec, h.runOptions({ prune: true }));
    expect(pruned.mode).toBe('incremental');
    expect(pruned.deletions).toMatchObject({
      trigger: 'requested',
      action: 'delete',
      status: 'applied',
      present: total - 2,
      removed: 2,
      apiCalls: Math.ceil((total - 2) / 500),
    });
    // the incremental query plus the id scan, nothing per record
    expect(pruned.apiCalls).toBe(1 + pruned.deletions!.apiCalls);
    expect(rows('SELECT count(*) AS n FROM contacts')[0]!['n']).toBe(total - 2);
    expect(rows(`SELECT id FROM contacts WHERE id IN (${gone.join(',')})`)).toEqual([]);
  });

  it('are scanned every N exports, flagged with deleted_at, and unflagged if they come back', async () => {
    const spec = sqliteSpec({ every: 2, action: 'flag' });
    const first = await runExport(spec, h.runOptions());
    expect(first.mode).toBe('full');
    // a full read in flag mode reconciles at no extra cost
    expect(first.deletions).toMatchObject({ trigger: 'full read', status: 'applied', apiCalls: 0 });

    h.clock.advance(60_000);
    const table = h.emulator.tenant.tables.Contacts;
    const [goneId] = deleteContacts(1);
    const kept = (await h.newClient().contacts.queryPage([{ op: 'gte', field: 'id', value: 0 }])).items;
    expect(kept.length).toBeGreaterThan(0);

    expect((await runExport(spec, h.runOptions())).deletions).toBeUndefined(); // 1st incremental: not due
    const due = await runExport(spec, h.runOptions()); // 2nd: due
    expect(due.deletions).toMatchObject({ trigger: 'scheduled', action: 'flag', flagged: 1, restored: 0 });
    const flagged = rows('SELECT id, deleted_at FROM contacts WHERE deleted_at IS NOT NULL');
    expect(flagged).toEqual([{ id: goneId, deleted_at: new Date(h.clock.now()).toISOString() }]);
    expect(rows('SELECT count(*) AS n FROM contacts')[0]!['n']).toBe(first.written);

    // the record reappears (e.g. the API user may see it again): the next scan clears the flag
    const restoredFrom = [...h.emulator.tenant.tables.Contacts.scan()][0]!;
    table.insert({ ...restoredFrom, id: goneId! });
    await runExport(spec, h.runOptions());
    const again = await runExport(spec, h.runOptions());
    expect(again.deletions).toMatchObject({ flagged: 0, restored: 1 });
    expect(rows('SELECT count(*) AS n FROM contacts WHERE deleted_at IS NOT NULL')[0]!['n']).toBe(0);
  });

  it('are not removed when more than maxShare of the rows would go (safety rail), and the export says so', async () => {
    const spec = sqliteSpec({ every: 0, maxShare: 0.25 });
    const first = await runExport(spec, h.runOptions());
    const gone = deleteContacts(Math.ceil(first.written * 0.4));
    h.clock.advance(60_000);
    const result = await runExport(spec, h.runOptions({ prune: true }));
    expect(result.deletions).toMatchObject({ status: 'refused', removed: 0 });
    expect(result.deletions!.message).toContain(`${gone.length} of ${first.written} rows would be removed`);
    expect(rows('SELECT count(*) AS n FROM contacts')[0]!['n']).toBe(first.written);
  });
});

describe('deleted records in an incremental file export', () => {
  it('are dropped by rewriting the file on --prune (same calls as an id scan)', async () => {
    const spec: ExportSpec = {
      name: 'contacts-csv',
      object: 'Contact',
      incremental: true,
      destination: { type: 'csv', path: join(h.dir, 'contacts.csv'), delimiter: ',' },
    };
    const first = await runExport(spec, h.runOptions());
    const [goneId] = deleteContacts(1);
    h.clock.advance(60_000);
    const result = await runExport(spec, h.runOptions({ prune: true }));
    expect(result).toMatchObject({
      mode: 'full',
      fullReason: 'deletion scan requested: a file is rewritten with the records that exist',
      written: first.written - 1,
    });
    expect(result.deletions).toMatchObject({ status: 'rewritten', present: first.written - 1 });
    const csv = parse<Record<string, string>>(
      readFileSync(spec.destination.type === 'csv' ? spec.destination.path : ''),
      {
        columns: true,
      },
    );
    expect(csv.map((r) => Number(r['id']))).not.toContain(goneId);
    expect(csv).toHaveLength(first.written - 1);
  });
});
