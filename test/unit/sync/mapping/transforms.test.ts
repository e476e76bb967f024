import { describe, expect, it } from 'vitest';

import type { TransformSpec } from '../../../../src/sync/mapping/field-mapping-spec.js';
import { TransformError } from '../../../../src/sync/mapping/transform-error.js';
import { compileTransform, cut } from '../../../../src/sync/mapping/transforms.js';
import { CLEAR, DateValue } from '../../../../src/sync/mapping/values.js';

function run(spec: TransformSpec, value: unknown, targetLength = 0): unknown {
  const t = compileTransform(spec, { targetLength });
  if ('error' in t) throw new Error(`transform did not compile: ${t.error}`);
  return t.apply(value);
}

function failure(spec: TransformSpec, value: unknown): TransformError {
  try {
    run(spec, value);
  } catch (err) {
    if (err instanceof TransformError) return err;
    throw err;
  }
  throw new Error(`expected ${JSON.stringify(value)} to be refused`);
}

describe('text transforms', () => {
  it.each<[TransformSpec, unknown, unknown]>([
    ['trim', '  Acme  ', 'Acme'],
    ['trim', '\t\n', ''],
    ['lower', 'ACME Ltd', 'acme ltd'],
    ['upper', 'acme ltd', 'ACME LTD'],
    ['title', 'aDA lOVELACE', 'Ada Lovelace'],
    ['title', 'jean-luc picard', 'Jean-Luc Picard'],
    ['title', 'élodie durand', 'Élodie Durand'],
    ['collapse-spaces', 'a  b\t\tc', 'a b c'],
    [{ type: 'trim' }, ' x ', 'x'],
    ['lower', 42, '42'],
    ['upper', true, 'TRUE'],
    ['trim', undefined, undefined],
    ['trim', null, null],
  ])('%j(%j) → %j', (spec, input, expected) => {
    expect(run(spec, input)).toEqual(expected);
  });

  it('empty-to-null turns blank values into an explicit clear and leaves others alone', () => {
    expect(run('empty-to-null', '')).toBe(CLEAR);
    expect(run('empty-to-null', '   ')).toBe(CLEAR);
    expect(run('empty-to-null', null)).toBe(CLEAR);
    expect(run('empty-to-null', undefined)).toBe(CLEAR);
    expect(run('empty-to-null', 'x')).toBe('x');
    expect(run('empty-to-null', 0)).toBe(0);
  });
});

describe('number and integer', () => {
  it.each<[TransformSpec, unknown, number | undefined]>([
    ['number', '1234.5', 1234.5],
    ['number', '1,234.50', 1234.5],
    ['number', '-1,234,567.25', -1234567.25],
    ['number', ' 42 ', 42],
    ['number', '$1,200.00', 1200],
    ['number', '.5', 0.5],
    ['number', '-0', 0],
    ['number', 7, 7],
    [{ type: 'number', decimal: ',' }, '1.234,5', 1234.5],
    [{ type: 'number', decimal: ',' }, '1 234,5', 1234.5],
    [{ type: 'number', decimal: ',' }, '12,5 €', 12.5],
    [{ type: 'number', decimal: ',' }, '3', 3],
    ['integer', '12', 12],
    ['integer', '1,000', 1000],
    ['integer', 5, 5],
    ['number', '', undefined],
    ['integer', '  ', undefined],
  ])('%j(%j) → %j', (spec, input, expected) => {
    expect(run(spec, input)).toBe(expected);
  });

  it.each<[TransformSpec, unknown, string]>([
    ['number', 'abc', 'NUMBER_INVALID'],
    ['number', '1,5', 'NUMBER_INVALID'], // decimal comma without the option: refused, not read as 15
    ['number', '1,23,456', 'NUMBER_INVALID'],
    ['number', '1e3', 'NUMBER_INVALID'],
    ['number', 'NaN', 'NUMBER_INVALID'],
    ['number', '1.', 'NUMBER_INVALID'],
    ['number', '1,234 567', 'NUMBER_INVALID'], // mixed thousands separators
    [{ type: 'number', decimal: ',' }, '1.5', 'NUMBER_INVALID'],
    ['integer', '12.5', 'INTEGER_INVALID'],
    ['integer', 'twelve', 'INTEGER_INVALID'],
  ])('%j refuses %j (%s)', (spec, input, code) => {
    const err = failure(spec, input);
    expect(err.issueCode).toBe(code);
    expect(err.message).toContain(String(input));
    expect(err.fix.length).toBeGreaterThan(10);
  });

  it('suggests the decimal-comma option when a comma number is refused', () => {
    expect(failure('number', '1,5').fix).toContain('decimal: ","');
  });
});

describe('boolean', () => {
  it.each<[unknown, boolean]>([
    ['yes', true],
    ['YES', true],
    [' y ', true],
    ['x', true],
    ['1', true],
    ['true', true],
    ['no', false],
    ['N', false],
    ['0', false],
    ['False', false],
    [true, true],
    [false, false],
  ])('boolean(%j) → %j', (input, expected) => {
    expect(run('boolean', input)).toBe(expected);
  });

  it('leaves blank values empty rather than false', () => {
    expect(run('boolean', '')).toBeUndefined();
    expect(run('boolean', null)).toBeNull();
  });

  it('accepts configured words and refuses the defaults then', () => {
    const spec: TransformSpec = { type: 'boolean', true: ['oui', 'Ja'], false: ['non', 'nein'] };
    expect(run(spec, 'OUI')).toBe(true);
    expect(run(spec, 'ja')).toBe(true);
    expect(run(spec, 'Nein')).toBe(false);
    const err = failure(spec, 'yes');
    expect(err.issueCode).toBe('BOOLEAN_INVALID');
    expect(err.message).toContain('oui');
  });

  it('refuses a word listed as both true and false when compiled', () => {
    const t = compileTransform({ type: 'boolean', true: ['y'], false: ['Y'] }, { targetLength: 0 });
    expect('error' in t && t.error).toContain('both true and false');
  });

  it('refuses unknown words with the list of accepted ones', () => {
    const err = failure('boolean', 'maybe');
    expect(err.issueCode).toBe('BOOLEAN_INVALID');
    expect(err.message).toContain('yes');
    expect(err.message).toContain('no');
  });
});

describe('date', () => {
  it.each<[TransformSpec, string, string, string]>([
    [{ type: 'date', format: 'DD/MM/YYYY' }, '31/12/2026', '2026-12-31T00:00:00.000Z', '2026-12-31'],
    [{ type: 'date', format: 'MM/DD/YYYY' }, '12/31/2026', '2026-12-31T00:00:00.000Z', '2026-12-31'],
    [{ type: 'date', format: 'D/M/YYYY' }, '1/2/2026', '2026-02-01T00:00:00.000Z', '2026-02-01'],
    [
      { type: 'date', format: 'YYYY-MM-DD HH:mm' },
      '2026-03-04 05:06',
      '2026-03-04T05:06:00.000Z',
      '2026-03-04',
    ],
    [
      { type: 'date', format: 'YYYY-MM-DDTHH:mm:ss.SSSZ' },
      '2026-03-04T05:06:07.890Z',
      '2026-03-04T05:06:07.890Z',
      '2026-03-04',
    ],
    [
      { type: 'date', format: 'MM/DD/YYYY hh:mm A' },
      '07/04/2026 12:30 AM',
      '2026-07-04T00:30:00.000Z',
      '2026-07-04',
    ],
    [
      { type: 'date', format: 'MM/DD/YYYY hh:mm A' },
      '07/04/2026 01:30 pm',
      '2026-07-04T13:30:00.000Z',
      '2026-07-04',
    ],
    [
      { type: 'date', format: 'DD.MM.YYYY HH:mm', timeZone: 'Europe/Berlin' },
      '15.01.2026 10:00',
      '2026-01-15T09:00:00.000Z',
      '2026-01-15',
    ],
    [
      { type: 'date', format: 'DD.MM.YYYY HH:mm', timeZone: 'Europe/Berlin' },
      '15.07.2026 10:00',
      '2026-07-15T08:00:00.000Z',
      '2026-07-15',
    ],
    [
      { type: 'date', format: 'DD/MM/YYYY', timeZone: 'Europe/Paris' },
      '01/06/2026',
      '2026-05-31T22:00:00.000Z', // the instant of local midnight…
      '2026-06-01', // …while the calendar date stays as written (for date-only fields)
    ],
    [
      { type: 'date', format: 'MM/DD/YYYY HH:mm', timeZone: 'America/New_York' },
      '11/15/2026 23:30',
      '2026-11-16T04:30:00.000Z',
      '2026-11-15',
    ],
  ])('%j reads %j', (spec, input, iso, calendarDate) => {
    const v = run(spec, input);
    expect(v).toBeInstanceOf(DateValue);
    const d = v as DateValue;
    expect(new Date(d.utcMs).toISOString()).toBe(iso);
    expect(d.calendarDate).toBe(calendarDate);
  });

  it.each<[string, string]>([
    ['DD/MM/YYYY', '31/02/2026'], // no such day
    ['DD/MM/YYYY', '29/02/2025'], // not a leap year
    ['DD/MM/YYYY', '12/31/2026'], // month 31
    ['DD/MM/YYYY', '2026-12-31'], // another format: never guessed
    ['MM/DD/YYYY', '13/01/2026'],
    ['YYYY-MM-DD HH:mm', '2026-01-01 24:00'],
    ['YYYY-MM-DD HH:mm', '2026-01-01 10:60'],
    ['MM/DD/YYYY hh:mm A', '01/01/2026 13:00 PM'],
    ['DD/MM/YYYY', '1/2/2026'], // two-digit tokens need two digits
    ['DD/MM/YYYY', '01/02/2026 10:00'], // trailing text
  ])('%s refuses %j', (format, input) => {
    expect(failure({ type: 'date', format }, input).issueCode).toBe('DATE_INVALID');
  });

  it('refuses a wall time skipped by a daylight-saving change', () => {
    const err = failure(
      { type: 'date', format: 'YYYY-MM-DD HH:mm', timeZone: 'Europe/London' },
      '2026-03-29 01:30',
    );
    expect(err.issueCode).toBe('DATE_NONEXISTENT');
    expect(err.message).toContain('Europe/London');
  });

  it('takes the earlier instant for a wall time that happens twice', () => {
    const v = run(
      { type: 'date', format: 'YYYY-MM-DD HH:mm', timeZone: 'Europe/London' },
      '2026-10-25 01:30',
    );
    expect(new Date((v as DateValue).utcMs).toISOString()).toBe('2026-10-25T00:30:00.000Z'); // BST, not GMT
  });

  it('keeps a driver Date as the instant it is', () => {
    const d = new Date('2026-05-06T07:08:09Z');
    const v = run({ type: 'date', format: 'YYYY-MM-DD' }, d) as DateValue;
    expect(v.utcMs).toBe(d.getTime());
    expect(v.calendarDate).toBe('2026-05-06');
  });

  it.each<[string, string]>([
    ['YYYY/MM', 'must contain a year'],
    ['MD/YYYY', 'ambiguous'],
    ['DDMYYYY', 'ambiguous'],
    ['yyyy-MM-dd', 'not a date token'],
    ['DD/MM/YYYY hh:mm', 'no AM/PM'],
    ['DD/MM/YYYY HH:mm A', '12-hour'],
    ['DD/MM/YYYY mm', 'no hour'],
    ['DD/MM/YYYY/DD', 'twice'],
  ])('refuses the format %j when compiled (%s)', (format, reason) => {
    const t = compileTransform({ type: 'date', format }, { targetLength: 0 });
    expect('error' in t ? t.error : 'compiled').toContain(reason);
  });

  it('refuses an unknown time zone when compiled', () => {
    const t = compileTransform(
      { type: 'date', format: 'YYYY-MM-DD', timeZone: 'Europe/Atlantis' },
      { targetLength: 0 },
    );
    expect('error' in t ? t.error : 'compiled').toContain('IANA');
  });
});

describe('map', () => {
  const spec: TransformSpec = { type: 'map', values: { Gold: 'Customer', silver: 'Prospect', Gone: null } };

  it.each<[unknown, unknown]>([
    ['Gold', 'Customer'],
    [' gold ', 'Customer'],
    ['SILVER', 'Prospect'],
    ['gone', CLEAR],
    ['', undefined],
  ])('map(%j) → %j', (input, expected) => {
    expect(run(spec, input)).toBe(expected === undefined ? input : expected);
  });

  it('refuses an unmatched value, listing the keys', () => {
    const err = failure(spec, 'Bronze');
    expect(err.issueCode).toBe('MAP_UNMATCHED');
    expect(err.message).toContain('"Gold"');
    expect(err.fix).toContain('otherwise');
  });

  it('uses otherwise, keepUnmatched and caseSensitive as configured', () => {
    expect(run({ type: 'map', values: { a: 1 }, otherwise: 0 }, 'b')).toBe(0);
    expect(run({ type: 'map', values: { a: 1 }, otherwise: null }, 'b')).toBe(CLEAR);
    expect(run({ type: 'map', values: { a: 1 }, keepUnmatched: true }, 'b')).toBe('b');
    expect(run({ type: 'map', values: { a: 1 }, caseSensitive: true, keepUnmatched: true }, 'A')).toBe('A');
    expect(run({ type: 'map', values: { '': 'blank' } }, '')).toBe('blank');
  });

  it('refuses keys that collide once case is ignored, and otherwise with keepUnmatched', () => {
    expect(compileTransform({ type: 'map', values: { A: 1, a: 2 } }, { targetLength: 0 })).toHaveProperty(
      'error',
    );
    expect(
      compileTransform(
        { type: 'map', values: { A: 1 }, otherwise: 1, keepUnmatched: true },
        { targetLength: 0 },
      ),
    ).toHaveProperty('error');
  });
});

describe('truncate', () => {
  it('cuts to the field length from metadata, or to an explicit length', () => {
    expect(run('truncate', 'abcdefgh', 5)).toBe('abcde');
    expect(run({ type: 'truncate', length: 3 }, 'abcdefgh', 5)).toBe('abc');
    expect(run('truncate', 'abc', 5)).toBe('abc');
  });

  it('never splits a surrogate pair', () => {
    expect(cut('ab😀cd', 3)).toBe('ab');
    expect(cut('ab😀cd', 4)).toBe('ab😀');
  });

  it('needs a length when the field has none', () => {
    expect(compileTransform('truncate', { targetLength: 0 })).toHaveProperty('error');
  });
});
