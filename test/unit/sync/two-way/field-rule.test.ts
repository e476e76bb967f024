import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { decideField, type FieldPolicy, type FieldSides } from '../../../../src/sync/two-way/field-rule.js';

const sor = (
  systems: FieldPolicy['systems'],
  readOnly: FieldPolicy['readOnly'] = new Set(),
): FieldPolicy => ({
  systems,
  readOnly,
  rule: 'system-of-record',
});
const recent = (systems: FieldPolicy['systems'] = ['autotask', 'sql']): FieldPolicy => ({
  systems,
  readOnly: new Set(),
  rule: 'most-recent',
});
function sides(
  a: string | null,
  s: string | null,
  base: [string | null | undefined, string | null | undefined],
  times: [number?, number?] = [],
): FieldSides {
  return {
    current: { autotask: a, sql: s },
    base: { autotask: base[0], sql: base[1] },
    changedAt: { autotask: times[0], sql: times[1] },
  };
}

describe('decideField', () => {
  it('writes nothing when neither side changed or both agree', () => {
    expect(decideField(sor(['autotask', 'sql']), sides('x', 'y', ['x', 'y'])).writes).toEqual({});
    expect(decideField(sor(['autotask', 'sql']), sides('z', 'z', ['x', 'y'])).writes).toEqual({});
  });

  it('system of record: its change wins; a change elsewhere is reverted; an empty value may be filled', () => {
    expect(decideField(sor(['sql', 'autotask']), sides('old', 'new', ['old', 'old'])).writes).toEqual({
      autotask: 'new',
    });
    const reverted = decideField(sor(['sql', 'autotask']), sides('edited', 'old', ['old', 'old']));
    expect(reverted).toMatchObject({ winner: 'sql', writes: { autotask: 'old' }, overrode: 'autotask' });
    expect(decideField(sor(['sql', 'autotask']), sides('filled', null, [null, null])).writes).toEqual({
      sql: 'filled',
    });
    // both changed: the system of record wins
    expect(decideField(sor(['autotask', 'sql']), sides('a2', 's2', ['x', 'x'])).writes).toEqual({
      sql: 'a2',
    });
  });

  it('a system left out of `systems` never supplies the value; a read-only system is never written', () => {
    expect(decideField(sor(['autotask']), sides(null, 'from sql', [null, null])).writes).toEqual({
      sql: null,
    });
    expect(
      decideField(sor(['sql', 'autotask'], new Set(['autotask'])), sides('x', 'y', ['x', 'x'])).writes,
    ).toEqual({});
  });

  it('most recent: the later change wins, a tie goes to the first system', () => {
    expect(decideField(recent(), sides('a', 's', ['x', 'x'], [2000, 1000])).writes).toEqual({ sql: 'a' });
    expect(decideField(recent(), sides('a', 's', ['x', 'x'], [1000, 2000])).writes).toEqual({
      autotask: 's',
    });
    expect(decideField(recent(), sides('a', 's', ['x', 'x'], [1000, 1000])).writes).toEqual({ sql: 'a' });
    expect(decideField(recent(['sql', 'autotask']), sides('a', 's', ['x', 'x'])).writes).toEqual({
      autotask: 's',
    });
  });

  it('after applying its writes, a second decision on the new baselines writes nothing (no echo)', () => {
    const value = fc.option(fc.constantFrom('a', 'b', 'c'), { nil: null });
    fc.assert(
      fc.property(
        value,
        value,
        fc.option(value, { nil: undefined }),
        fc.option(value, { nil: undefined }),
        fc.constantFrom<FieldPolicy>(
          sor(['autotask', 'sql']),
          sor(['sql']),
          recent(),
          recent(['sql', 'autotask']),
        ),
        fc.integer({ min: 0, max: 3 }),
        fc.integer({ min: 0, max: 3 }),
        (a, s, ba, bs, policy, ta, ts) => {
          const first = decideField(policy, sides(a, s, [ba, bs], [ta, ts]));
          const a2 = first.writes.autotask !== undefined ? first.writes.autotask : a;
          const s2 = first.writes.sql !== undefined ? first.writes.sql : s;
          const second = decideField(policy, sides(a2, s2, [a2, s2], [ta, ts]));
          expect(second.writes).toEqual({});
          if (!policy.readOnly.has('autotask') && !policy.readOnly.has('sql') && first.winner !== undefined)
            expect(a2).toBe(s2);
        },
      ),
    );
  });
});
