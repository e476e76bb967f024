import { describe, expect, it } from 'vitest';

import { isEmailAddress, isEmailFieldName } from '../../../../src/sync/mapping/email-address.js';
import { parseNumberText } from '../../../../src/sync/mapping/number-text.js';
import { describeValidLabels, resolvePicklist } from '../../../../src/sync/mapping/picklist.js';
import { parseRefRequest } from '../../../../src/sync/mapping/ref-request.js';
import { parseTemplate, renderTemplate } from '../../../../src/sync/mapping/template.js';
import { TransformError } from '../../../../src/sync/mapping/transform-error.js';
import { plainNumber } from '../../../../src/sync/mapping/wire-value.js';
import { pick } from '../../../helpers/metadata-fixtures.js';

function code(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    if (err instanceof TransformError) return err.issueCode;
    throw err;
  }
  return 'accepted';
}

describe('parseRefRequest', () => {
  it.each<[Parameters<typeof parseRefRequest>[0], unknown, unknown]>([
    ['Company', 174, { entity: 'Company', by: 'id', id: 174 }],
    ['Company', ' 174 ', { entity: 'Company', by: 'id', id: 174 }],
    ['Company', 'Acme, Inc.', { entity: 'Company', by: 'name', name: 'Acme, Inc.' }],
    ['Company', ' Tech@Home ', { entity: 'Company', by: 'name', name: 'Tech@Home' }], // names may hold "@"
    ['Resource', 'Sam@Example.com', { entity: 'Resource', by: 'email', email: 'sam@example.com' }],
    ['Contact', '42', { entity: 'Contact', by: 'id', id: 42 }],
    ['Contact', 'ava@acme.example', { entity: 'Contact', by: 'email', email: 'ava@acme.example' }],
  ])('%s %j → %j', (entity, value, expected) => {
    expect(parseRefRequest(entity, value, 'field')).toEqual(expected);
  });

  it.each<[Parameters<typeof parseRefRequest>[0], unknown, string]>([
    ['Resource', 'Sam Rivera', 'REF_UNSUPPORTED'],
    ['Contact', 'Ava Morgan', 'REF_UNSUPPORTED'],
    ['Resource', 'sam@', 'REF_EMAIL_INVALID'],
    ['Company', -3, 'REF_ID_INVALID'],
    ['Company', 1.5, 'REF_ID_INVALID'],
    ['Company', '99999999999999999999', 'REF_ID_INVALID'],
  ])('%s %j is refused (%s)', (entity, value, expected) => {
    expect(code(() => parseRefRequest(entity, value, 'field'))).toBe(expected);
  });
});

describe('email addresses', () => {
  it.each<[string, boolean]>([
    ['ada@example.com', true],
    ['ada.lovelace+crm@mail.example.co.uk', true],
    ["o'brien@example.ie", true],
    ['ada@example', false],
    ['ada@@example.com', false],
    ['ada example@example.com', false],
    ['.ada@example.com', false],
    ['ada.@example.com', false],
    ['ada..l@example.com', false],
    ['ada@-example.com', false],
    ['ada@example.c', false],
    ['Ada <ada@example.com>', false],
    ['', false],
  ])('%j → %s', (text, valid) => {
    expect(isEmailAddress(text)).toBe(valid);
  });

  it.each<[string, boolean]>([
    ['emailAddress', true],
    ['emailAddress3', true],
    ['email', true],
    ['email2', true],
    ['emailTypeCode', false],
    ['receivesEmailNotifications', false],
  ])('field %s is an email field: %s', (name, expected) => {
    expect(isEmailFieldName(name)).toBe(expected);
  });
});

describe('parseNumberText', () => {
  it.each<[string, '.' | ',', number | undefined]>([
    ['0', '.', 0],
    ['+7', '.', 7],
    ["1'234'567.5", '.', 1234567.5],
    ['1\u00a0234,5', ',', 1234.5],
    ['1 234 567', '.', 1234567],
    ['12,34,567', '.', undefined],
    ['1,2', ',', 1.2],
    ['', '.', undefined],
    ['-', '.', undefined],
    ['Infinity', '.', undefined],
    ['0x10', '.', undefined],
  ])('%j with decimal %j → %j', (text, decimal, expected) => {
    expect(parseNumberText(text, decimal)).toBe(expected);
  });
});

describe('picklists', () => {
  const entries = [
    pick(1, 'Customer', true, 2),
    pick(2, 'Lead', true, 1),
    pick(3, 'lead', true, 3),
    pick(4, 'Old', false),
  ];

  it('prefers a value match to a label match', () => {
    expect(resolvePicklist(entries, '2', 'f').value).toBe('2');
  });

  it('refuses a label that names two active values, asking for the value', () => {
    expect(code(() => resolvePicklist(entries, 'LEAD', 'f'))).toBe('PICKLIST_AMBIGUOUS');
  });

  it('lists active labels in Autotask order with their values, capped', () => {
    expect(describeValidLabels(entries)).toBe('Lead (2), Customer (1), lead (3)');
    expect(describeValidLabels(entries, 2)).toBe('Lead (2), Customer (1) and 1 more');
    expect(describeValidLabels([pick(1, 'X', false)])).toBe('(no active values)');
  });
});

describe('templates', () => {
  it.each<[string, string]>([
    ['{First', 'is not closed'],
    ['First}', 'has no "{"'],
    ['{}', 'does not name a column'],
    ['no columns', 'names no column'],
  ])('refuses %j (%s)', (template, reason) => {
    const parsed = parseTemplate(template);
    expect('error' in parsed ? parsed.error : 'parsed').toContain(reason);
  });

  it('keeps literal braces and repeats columns', () => {
    const parsed = parseTemplate('{{{A}}} {A}-{B}');
    if ('error' in parsed) throw new Error(parsed.error);
    expect(parsed.columns).toEqual(['A', 'B']);
    expect(renderTemplate(parsed, { A: 'x', B: 2 })).toBe('{x} x-2');
  });
});

describe('plainNumber (UDF numbers are text on the wire)', () => {
  it.each<[number, string]>([
    [12.5, '12.5'],
    [-3, '-3'],
    [1e21, '1000000000000000000000'],
    [1.5e22, '15000000000000000000000'],
    [1e-7, '0.0000001'],
    [-2.5e-8, '-0.000000025'],
  ])('%d → %s', (n, text) => {
    expect(plainNumber(n)).toBe(text);
    expect(Number(text)).toBe(n);
  });
});
