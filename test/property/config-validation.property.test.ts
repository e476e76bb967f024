/**
 * Configuration validation under fuzzing (issue 8 item 4): a valid configuration with one random
 * setting replaced by random YAML (a scalar, list, map or null) either still loads, or is refused with
 * a `ConfigError` whose every issue names the setting's path and a message — never another exception,
 * never a secret echoed back. Random text (YAML that may not even parse) is refused the same way.
 * (Positions and suggestions for specific mistakes are covered in test/unit/config/load-config.test.ts.)
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';

import { parseConfig } from '../../src/config/load-config.js';
import { ConfigError } from '../../src/shared/errors.js';

const SECRET = 'K-fuzz-secret-3e1f';

const VALID = {
  version: 1,
  autotask: { budget: { share: 0.5 } },
  state: '.autotask-sync/state.sqlite',
  syncs: [
    {
      name: 'companies',
      object: 'Company',
      source: { type: 'csv', path: 'companies.csv' },
      mode: 'upsert',
      key: ['companyName'],
      where: { column: 'Status', notIn: ['inactive'] },
      fields: {
        companyName: 'Name',
        phone: { column: 'Phone', transform: ['trim'] },
        companyType: { column: 'Type', default: 'Prospect' },
        ownerResourceID: { column: 'Owner Email', ref: 'Resource' },
        'udf:Customer Ranking': { column: 'Ranking' },
      },
    },
    {
      name: 'contacts',
      object: 'Contact',
      source: { type: 'sqlite', path: 'crm.sqlite', table: 'contacts' },
      fields: {
        companyID: { column: 'Company', ref: 'Company' },
        emailAddress: 'Email',
        isActive: { default: 1 },
      },
    },
  ],
  exports: [
    {
      name: 'out',
      object: 'Company',
      destination: { type: 'csv', path: 'out/companies.csv' },
      incremental: true,
    },
  ],
};

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** Every path to a node of the configuration. */
function paths(node: Json, at: (string | number)[] = []): (string | number)[][] {
  const out: (string | number)[][] = [at];
  if (Array.isArray(node)) node.forEach((v, i) => out.push(...paths(v, [...at, i])));
  else if (node !== null && typeof node === 'object')
    for (const [k, v] of Object.entries(node)) out.push(...paths(v, [...at, k]));
  return out;
}

function replaced(root: Json, path: (string | number)[], value: Json): Json {
  if (path.length === 0) return value;
  const copy = structuredClone(root) as Record<string | number, Json>;
  let node = copy;
  for (const p of path.slice(0, -1)) node = node[p] as Record<string | number, Json>;
  node[path[path.length - 1]!] = value;
  return copy;
}

const randomValue: fc.Arbitrary<Json> = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.string(),
  fc.constantFrom(
    '',
    '${AUTOTASK_SECRET}',
    '${NOT_SET}',
    SECRET,
    'Account',
    'udf:',
    '../../etc/passwd',
    '=1+1',
  ),
  fc.array(fc.oneof(fc.string(), fc.integer()), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 8 }), fc.oneof(fc.string(), fc.integer(), fc.constant(null)), {
    maxKeys: 3,
  }),
);

function expectCleanOutcome(text: string): void {
  try {
    parseConfig(text, { file: '/tmp/fuzz/sync.yaml', env: { AUTOTASK_SECRET: SECRET } });
  } catch (error) {
    expect(error, String(error)).toBeInstanceOf(ConfigError);
    const e = error as ConfigError;
    expect(e.message.length).toBeGreaterThan(0);
    expect(e.message).not.toContain(SECRET);
    for (const issue of e.issues) {
      expect(typeof issue.path).toBe('string');
      expect(issue.message.length).toBeGreaterThan(0);
      expect(issue.message).not.toContain(SECRET);
    }
  }
}

describe('configuration validation, fuzzed', () => {
  it('the unmodified configuration loads', () => {
    expect(() => parseConfig(stringify(VALID), { file: '/tmp/fuzz/sync.yaml', env: {} })).not.toThrow();
  });

  it('one setting replaced by anything: loads, or a ConfigError with paths and messages', () => {
    const all = paths(VALID);
    fc.assert(
      fc.property(fc.constantFrom(...all), randomValue, (path, value) => {
        expectCleanOutcome(stringify(replaced(VALID, path, value)));
      }),
      { numRuns: 600, seed: 21 },
    );
  });

  it('a setting that breaks the configuration is named by its path', () => {
    // Deterministic spot checks of the property above, where the outcome is known.
    const cases: [(string | number)[], Json, RegExp][] = [
      [['syncs', 0, 'object'], 'Widget', /^syncs\[0\]\.object$/],
      [['syncs', 1, 'source', 'type'], 'ftp', /^syncs\[1\]\.source/],
      [['autotask', 'budget', 'share'], 7, /^autotask\.budget\.share$/],
      [['syncs', 0, 'mode'], 'merge', /^syncs\[0\]\.mode$/],
    ];
    for (const [path, value, expected] of cases) {
      let caught: unknown;
      try {
        parseConfig(stringify(replaced(VALID, path, value)), {
          file: '/tmp/fuzz/sync.yaml',
          env: {},
        });
      } catch (error) {
        caught = error;
      }
      expect(caught, path.join('.')).toBeInstanceOf(ConfigError);
      expect(
        (caught as ConfigError).issues.map((i) => i.path),
        path.join('.'),
      ).toEqual(expect.arrayContaining([expect.stringMatching(expected)]));
    }
  });

  it('random text is refused with a ConfigError, never another exception', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ maxLength: 200 }),
          fc.string({ unit: 'binary', maxLength: 200 }),
          fc
            .array(
              fc.constantFrom(
                'version: 1\n',
                'syncs:\n',
                '  - ',
                'name: x\n',
                '{',
                '[',
                ': ',
                '&a ',
                '*a ',
                '!!binary ',
                '"',
                "'",
                '\t',
                '<<: *a\n',
              ),
              { maxLength: 30 },
            )
            .map((p) => p.join('')),
        ),
        (text) => expectCleanOutcome(text),
      ),
      { numRuns: 400, seed: 22 },
    );
  });
});
