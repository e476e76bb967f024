import { describe, expect, it } from 'vitest';

import {
  ChangeTracker,
  changeTimeOf,
  changedSinceFilter,
  parseChangeCursor,
} from '../../../src/sync/export/change-cursor.js';

const T = Date.UTC(2026, 10, 27, 10, 0, 0);
const MIN = 60_000;

describe('change cursor', () => {
  it('takes the latest of the change fields, ignoring missing and malformed ones', () => {
    const fields = ['lastActivityDate', 'lastTrackedModifiedDateTime'];
    expect(
      changeTimeOf(
        {
          id: 1,
          lastActivityDate: '2026-11-27T10:00:00Z',
          lastTrackedModifiedDateTime: '2026-11-27T10:05:00.5Z',
        },
        fields,
      ),
    ).toBe(T + 5 * MIN + 500);
    expect(
      changeTimeOf({ id: 1, lastActivityDate: null, lastTrackedModifiedDateTime: 'soon' }, fields),
    ).toBeUndefined();
  });

  it('builds one condition, or an OR of several', () => {
    expect(changedSinceFilter(['lastActivity'], T)).toEqual({
      op: 'gte',
      field: 'lastActivity',
      value: '2026-11-27T10:00:00Z',
    });
    expect(changedSinceFilter(['a', 'b'], T)).toEqual({
      op: 'or',
      items: [
        { op: 'gte', field: 'a', value: '2026-11-27T10:00:00Z' },
        { op: 'gte', field: 'b', value: '2026-11-27T10:00:00Z' },
      ],
    });
  });

  it('reads everything the first time, then from the watermark minus the overlap', () => {
    const first = new ChangeTracker(undefined, 5 * MIN);
    expect(first.since()).toBeUndefined();
    first.observe(1, T - 60 * MIN);
    first.observe(2, T);
    first.observe(3, T - 2 * MIN);
    first.observe(4, undefined);
    const cursor = first.next('dest', 'cols')!;
    expect(cursor).toEqual({
      v: 1,
      watermark: T,
      boundary: { '2': T, '3': T - 2 * MIN },
      destination: 'dest',
      columns: 'cols',
    });

    const second = new ChangeTracker(parseChangeCursor(JSON.stringify(cursor)), 5 * MIN);
    expect(second.since()).toBe(T - 5 * MIN);
    expect(second.isAlreadyExported(2, T)).toBe(true);
    expect(second.isAlreadyExported(2, T + 1)).toBe(false); // changed again
    expect(second.isAlreadyExported(9, T)).toBe(false);
    expect(second.isAlreadyExported(2, undefined)).toBe(false);
  });

  it('never moves the watermark back and drops boundary entries that fell out of the window', () => {
    const previous = {
      v: 1 as const,
      watermark: T,
      boundary: { '2': T, '3': T - 2 * MIN },
      destination: 'd',
      columns: 'c',
    };
    const quiet = new ChangeTracker(previous, 5 * MIN);
    quiet.observe(2, T);
    expect(quiet.next('d', 'c')).toEqual(previous);

    const moved = new ChangeTracker(previous, 5 * MIN);
    moved.observe(7, T + 4 * MIN);
    expect(moved.next('d', 'c')).toEqual({
      ...previous,
      watermark: T + 4 * MIN,
      boundary: { '2': T, '7': T + 4 * MIN },
    });
    expect(new ChangeTracker(undefined, MIN).next('d', 'c')).toBeUndefined();
  });

  it('ignores a bookmark it cannot read', () => {
    expect(parseChangeCursor(undefined)).toBeUndefined();
    expect(parseChangeCursor('2026-01-01T00:00:00Z')).toBeUndefined();
    expect(parseChangeCursor('{"v":2,"watermark":1}')).toBeUndefined();
  });
});
