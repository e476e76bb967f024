import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { JsonNetSyntaxError, parseJsonNet } from '../../../../src/emulator/json-net-parse.js';
import { parseMicrosoftJsonDate } from '../../../../src/emulator/microsoft-json-date.js';

describe('parseJsonNet', () => {
  it('reads standard JSON exactly as JSON.parse does', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const text = JSON.stringify(value);
        expect(parseJsonNet(text)).toEqual(JSON.parse(text));
      }),
    );
  });

  it('skips a leading UTF-8 byte-order mark', () => {
    expect(parseJsonNet('\uFEFF{"a":1}')).toEqual({ a: 1 });
  });

  it("reads Autotask's own single-quoted search and unquoted property names", () => {
    expect(parseJsonNet("{'filter':[{'op':'exist','field':'IsActive'}]}")).toEqual({
      filter: [{ op: 'exist', field: 'IsActive' }],
    });
    expect(parseJsonNet("{filter:[{op:'eq',field:'id',value:-1.5e2}], $x_1: null}")).toEqual({
      filter: [{ op: 'eq', field: 'id', value: -150 }],
      $x_1: null,
    });
  });

  it("keeps escapes inside single-quoted strings, including \\' and \\u", () => {
    expect(parseJsonNet("{'name':'O\\'Brien \\u00e9\\n\"x\"'}")).toEqual({ name: 'O\'Brien é\n"x"' });
  });

  it('skips comments between tokens', () => {
    expect(parseJsonNet("/* query */ {filter: [ // all\n {op:'exist', field:'id'} ]}")).toEqual({
      filter: [{ op: 'exist', field: 'id' }],
    });
  });

  it('a "__proto__" key stays an ordinary key', () => {
    const parsed = parseJsonNet("{'__proto__': {'polluted': true}}") as Record<string, unknown>;
    expect(Object.keys(parsed)).toEqual(['__proto__']);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  it.each([
    ['{filter:[{op:eq}', /Unexpected character encountered while parsing value: e, line 1, position 14/],
    ["{'a':1} x", /Additional text encountered after finished reading JSON content/],
    ["{'a' 1}", /Expected ':'/],
    ["{'a':'b", /Unterminated string/],
    ['[1 2]', /Expected ',' or ']'/],
    ["{'a':'\\q'}", /Bad JSON escape sequence/],
    ['{1:2}', /Invalid property identifier character: 1/],
    ['', /Unexpected end when reading JSON/],
  ])('refuses %j with JSON.NET-like wording', (text, message) => {
    expect(() => parseJsonNet(text)).toThrow(JsonNetSyntaxError);
    expect(() => parseJsonNet(text)).toThrow(message);
  });

  it('reports the line and position of the problem', () => {
    try {
      parseJsonNet("{\n  'a': 1,\n  'b': ?\n}");
      expect.unreachable();
    } catch (error) {
      expect((error as Error).message).toMatch(/line 3, position 8\.$/);
    }
  });
});

describe('parseMicrosoftJsonDate', () => {
  it.each([
    ['/Date(1772323200000)/', 1772323200000],
    ['/Date(1772323200000+0100)/', 1772323200000],
    ['/Date(-86400000-0500)/', -86400000],
    [' /Date(0)/ ', 0],
  ])('%j → %d (an offset does not move the instant)', (text, ms) => {
    expect(parseMicrosoftJsonDate(text)).toBe(ms);
  });

  it.each(['Date(1)', '/Date()/', '/Date(1.5)/', '/Date(1+01)/', '2026-03-01', '/Date(99999999999999999)/'])(
    'is undefined for %j',
    (text) => {
      expect(parseMicrosoftJsonDate(text)).toBeUndefined();
    },
  );
});
