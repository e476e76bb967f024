/**
 * Pure parts of the export: values typed as their columns, when a deletion scan runs (and when it
 * waits for budget), and what the bookmark remembers for it.
 */
import { describe, expect, it } from 'vitest';

import type { ExportSpec } from '../../../src/config/types.js';
import {
  ChangeTracker,
  parseChangeCursor,
  type ChangeCursor,
} from '../../../src/sync/export/change-cursor.js';
import { planDeletions } from '../../../src/sync/export/deletion-scan.js';
import { exportDeletionsSchema } from '../../../src/sync/export/deletions-spec.js';
import { buildExportLayout, typedValue } from '../../../src/sync/export/index.js';
import { field, udf } from '../../helpers/metadata-fixtures.js';

describe('typedValue', () => {
  it('writes datetimes as UTC ISO with milliseconds and Z, also when Autotask sent no offset', () => {
    expect(typedValue('2019-11-25T15:47:59.167Z', 'datetime')).toBe('2019-11-25T15:47:59.167Z');
    expect(typedValue('2023-05-04T08:53:10Z', 'datetime')).toBe('2023-05-04T08:53:10.000Z');
    expect(typedValue('2016-03-30T13:10:35.563', 'datetime')).toBe('2016-03-30T13:10:35.563Z');
    expect(typedValue('2024-01-02T03:04:05+02:00', 'datetime')).toBe('2024-01-02T01:04:05.000Z');
    expect(typedValue('not a date', 'datetime')).toBe('not a date');
  });

  it('writes dates as calendar days without shifting them', () => {
    expect(typedValue('2023-10-09T00:00:00Z', 'date')).toBe('2023-10-09');
    expect(typedValue('2023-10-09', 'date')).toBe('2023-10-09');
  });

  it('turns numeric and boolean text (UDF values are strings on the wire) into numbers and booleans', () => {
    expect(typedValue('20.6400', 'decimal')).toBe(20.64);
    expect(typedValue(' 42 ', 'integer')).toBe(42);
    expect(typedValue('', 'integer')).toBeNull();
    expect(typedValue('4.5', 'integer')).toBe('4.5'); // not a whole number: kept for the database to refuse
    expect(typedValue('9007199254740993', 'integer')).toBe('9007199254740993'); // beyond 2^53: kept exact
    expect(typedValue('12345678901234.5678', 'decimal')).toBe('12345678901234.5678'); // too many digits
    expect(typedValue('True', 'boolean')).toBe(true);
    expect(typedValue('0', 'boolean')).toBe(false);
    expect(typedValue(7, 'string')).toBe(7);
    expect(typedValue(undefined, 'string')).toBeNull();
  });

  it('adds the deletion flag column last, null in every row', () => {
    const layout = buildExportLayout(
      [field('id', 'long'), field('createDate', 'datetime')],
      [udf('Seats', 'integer')],
      {
        deletedColumn: 'deleted_at',
      },
    );
    expect(layout.columns.map((c) => [c.name, c.type])).toEqual([
      ['id', 'integer'],
      ['createDate', 'datetime'],
      ['udf_Seats', 'integer'],
      ['deleted_at', 'datetime'],
    ]);
    expect(
      layout.toRow({
        id: 1,
        createDate: '2024-05-01T09:30:00Z',
        userDefinedFields: [{ name: 'Seats', value: '12' }],
      }),
    ).toEqual({ id: 1, createDate: '2024-05-01T09:30:00.000Z', udf_Seats: 12, deleted_at: null });
  });
});

describe('planDeletions', () => {
  const spec = (every: number): ExportSpec => ({
    name: 'contacts',
    object: 'Contact',
    incremental: true,
    destination: { type: 'sqlite', path: '/x.sqlite', table: 'contacts' },
    deletions: exportDeletionsSchema.parse({ every }),
  });
  const cursor = (sinceScan: number, knownIds: number): ChangeCursor => ({
    v: 1,
    watermark: 0,
    boundary: {},
    destination: 'd',
    columns: 'c',
    sinceScan,
    knownIds,
  });
  const roomy = { used: 0, allowed: 5000 };

  it('scans on every Nth incremental export, never on a full read (which settles deletions itself)', () => {
    const base = { prune: false, incremental: true, canPrune: true, budget: roomy };
    expect(planDeletions({ ...base, spec: spec(3), previous: cursor(1, 100) }).scan).toBeUndefined();
    expect(planDeletions({ ...base, spec: spec(3), previous: cursor(2, 100) }).scan).toBe('scheduled');
    expect(planDeletions({ ...base, spec: spec(0), previous: cursor(99, 100) }).scan).toBeUndefined();
    expect(planDeletions({ ...base, spec: spec(0), previous: cursor(0, 100), prune: true }).scan).toBe(
      'requested',
    );
    expect(
      planDeletions({ ...base, spec: spec(1), previous: cursor(0, 100), incremental: false }).scan,
    ).toBeUndefined();
  });

  it('rewrites a file destination instead of scanning it', () => {
    const plan = planDeletions({
      spec: spec(1),
      prune: false,
      incremental: true,
      canPrune: false,
      previous: cursor(0, 100),
      budget: roomy,
    });
    expect(plan).toMatchObject({ scan: undefined, rewriteTrigger: 'scheduled' });
    expect(plan.rewrite).toMatch(/rewritten/);
  });

  it('postpones a scheduled scan that would eat more than half the budget left; a requested one runs', () => {
    const tight = { used: 4980, allowed: 5000 }; // 20 calls left; 20,000 records cost 41
    const base = {
      spec: spec(1),
      incremental: true,
      canPrune: true,
      previous: cursor(5, 20_000),
      budget: tight,
    };
    const waiting = planDeletions({ ...base, prune: false });
    expect(waiting.scan).toBeUndefined();
    expect(waiting.postponed).toBe(
      "deletion scan postponed: it costs about 41 calls and 20 are left of this hour's share",
    );
    expect(planDeletions({ ...base, prune: true }).scan).toBe('requested');
  });
});

describe('the bookmark', () => {
  it('remembers the columns, exports since the last scan and the record count, and reads old bookmarks', () => {
    const tracker = new ChangeTracker(undefined, 60_000);
    tracker.observe(1, 1_000_000);
    const next = tracker.next('dest', 'hash', { columnNames: ['id', 'udf_X'], sinceScan: 2, knownIds: 40 })!;
    expect(parseChangeCursor(JSON.stringify(next))).toMatchObject({
      columnNames: ['id', 'udf_X'],
      sinceScan: 2,
      knownIds: 40,
    });
    const old = parseChangeCursor(
      JSON.stringify({ v: 1, watermark: 5, boundary: {}, destination: 'd', columns: 'c' }),
    )!;
    expect([old.columnNames, old.sinceScan, old.knownIds]).toEqual([undefined, undefined, undefined]);
  });
});
