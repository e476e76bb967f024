import { describe, expect, it } from 'vitest';

import type { FieldDataType, FieldInformation } from '../../../../src/autotask/types.js';
import { coerceBody, coerceValue } from '../../../../src/emulator/coercion.js';
import { AutotaskBusinessError } from '../../../../src/emulator/contracts.js';

function errorOf(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    if (error instanceof AutotaskBusinessError) return error.errors.join(' | ');
    throw error;
  }
  throw new Error('expected an AutotaskBusinessError');
}

describe('JSON.NET-style coercion', () => {
  const converts: [FieldDataType, unknown, unknown][] = [
    ['string', 'x', 'x'],
    ['string', 12, '12'],
    ['string', true, 'True'],
    ['integer', '12', 12],
    ['integer', ' 7 ', 7],
    ['integer', '', null],
    ['long', 29683000, 29683000],
    ['short', '-5', -5],
    ['double', '1.5', 1.5],
    ['decimal', 2, 2],
    ['boolean', 'True', true],
    ['boolean', 'false', false],
    ['boolean', 1, true],
    ['boolean', 0, false],
    ['datetime', '2024-01-02T03:04:05.670', '2024-01-02T03:04:05.67Z'],
    ['datetime', '2024-01-02T05:04:05+02:00', '2024-01-02T03:04:05Z'],
    ['date', '2024-01-02', '2024-01-02T00:00:00Z'],
    ['integer', null, null],
  ];
  it.each(converts)('%s ← %j gives %j', (type, input, expected) => {
    expect(coerceValue(type, input, 'f', '')).toEqual(expected);
  });

  const refuses: [FieldDataType, unknown, RegExp][] = [
    ['integer', true, /^Unexpected character encountered while parsing value: t\. Path 'f'/],
    ['integer', false, /value: f\./],
    ['integer', 1.5, /^Input string '1\.5' is not a valid integer\./],
    ['integer', 'abc', /^Could not convert string to integer: abc\./],
    ['integer', 2 ** 31, /too large or small for an Int32/],
    ['short', 40000, /too large or small for an Int16/],
    ['double', 'x1', /^Could not convert string to double: x1\./],
    ['boolean', 'yes', /^Could not convert string to boolean: yes\./],
    ['datetime', 'soon', /^Could not convert string to DateTime: soon\./],
    ['datetime', 5, /^Error reading date\. Unexpected token: Integer\./],
    ['string', { a: 1 }, /value: \{\./],
    ['string', [1], /value: \[\./],
  ];
  it.each(refuses)('%s refuses %j', (type, input, message) => {
    expect(errorOf(() => coerceValue(type, input, 'f', ''))).toMatch(message);
  });

  it('locates the offending value in the raw body (line and position)', () => {
    const raw = '{\n  "firstName": "A",\n  "IsActive": true\n}';
    expect(errorOf(() => coerceValue('integer', true, 'IsActive', raw))).toBe(
      "Unexpected character encountered while parsing value: t. Path 'IsActive', line 3, position 15.",
    );
  });

  it('maps property names case-insensitively, drops read-only and unknown ones, and reads id and UDFs', () => {
    const field = (name: string, dataType: FieldDataType, isReadOnly = false): FieldInformation => ({
      name,
      dataType,
      length: 0,
      isRequired: false,
      isReadOnly,
      isQueryable: true,
      isReference: false,
      referenceEntityType: '',
      isPickList: false,
      picklistValues: null,
      picklistParentValueField: '',
      isSupportedWebhookField: true,
    });
    const fields = [
      field('companyName', 'string'),
      field('createDate', 'datetime', true),
      field('isActive', 'boolean'),
    ];
    const body = {
      Id: '42',
      COMPANYNAME: 'Acme',
      createDate: '2020-01-01',
      IsActive: 'True',
      other: 1,
      UserDefinedFields: [{ Name: 'CRM ID', Value: 7 }, { name: 'Empty' }],
    };
    const result = coerceBody(fields, body, JSON.stringify(body));
    expect(result.id).toBe(42);
    expect([...result.values]).toEqual([
      ['companyName', 'Acme'],
      ['isActive', true],
    ]);
    expect(result.udfs).toEqual([
      { name: 'CRM ID', value: '7' },
      { name: 'Empty', value: null },
    ]);
    // A read-only field with a value JSON.NET cannot convert still fails, as deserialisation comes first.
    expect(errorOf(() => coerceBody(fields, { createDate: 'bad' }, ''))).toMatch(/DateTime: bad/);
    expect(errorOf(() => coerceBody(fields, [1], '[1]'))).toContain('must be a JSON object');
    expect(errorOf(() => coerceBody(fields, { userDefinedFields: [{ value: 'x' }] }, ''))).toContain(
      'needs a "name"',
    );
  });
});
