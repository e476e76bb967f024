/**
 * Filter building (issue 8 item 4): random filter trees built with the client's query builder are
 * accepted by the emulator's query engine and evaluated consistently, end to end over the client:
 * - a leaf's result agrees with a reference evaluation of Autotask's semantics (strings compared
 *   case-insensitively; `exist` = has a value);
 * - `and` is the intersection and `or` the union of its items' results;
 * - a condition and its opposite (eq/noteq, gt/lte, lt/gte, in/notIn, exist/notExist) split the
 *   records between them.
 * (The builder's wire format is covered in test/unit/autotask/query.test.ts; the engine's `in` vs
 * `or`, index vs scan and paging in test/unit/emulator/query/properties.test.ts.)
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { and, createAutotaskClient, or, where, type AutotaskClient } from '../../src/autotask/index.js';
import type { Filter } from '../../src/autotask/types.js';
import { createEmulator, type Emulator } from '../../src/emulator/index.js';
import { inProcessClientOptions } from '../../bench/lib/in-process-client.js';

const OWNER_ID = 29682885;
const TYPES = [1, 2, 3, 4, 6, 7, 8];
/** Names from a small alphabet, so that contains/beginsWith/endsWith find something. */
const NAMES = fc.stringMatching(/^[abcAB]{1,3}[ x]?[abc0-9]{0,3}$/);

interface Row {
  id: number;
  companyName: string;
  companyType: number;
  city: string | null;
}

type Leaf =
  | { op: 'eq' | 'noteq' | 'gt' | 'gte' | 'lt' | 'lte'; field: 'companyType' | 'id'; value: number }
  | { op: 'eq' | 'noteq' | 'beginsWith' | 'endsWith' | 'contains'; field: 'companyName'; value: string }
  | { op: 'in' | 'notIn'; field: 'companyType'; value: number[] }
  | { op: 'exist' | 'notExist'; field: 'city' };

function evaluate(leaf: Leaf, row: Row): boolean {
  switch (leaf.field) {
    case 'city':
      return (row.city !== null && row.city !== '') === (leaf.op === 'exist');
    case 'companyName': {
      const v = row.companyName.toLowerCase();
      const q = leaf.value.toLowerCase();
      if (leaf.op === 'eq') return v.trimEnd() === q.trimEnd();
      if (leaf.op === 'noteq') return v.trimEnd() !== q.trimEnd();
      if (leaf.op === 'beginsWith') return v.startsWith(q);
      if (leaf.op === 'endsWith') return v.endsWith(q);
      return v.includes(q);
    }
    default: {
      if (leaf.op === 'in') return leaf.value.includes(row.companyType);
      if (leaf.op === 'notIn') return !leaf.value.includes(row.companyType);
      const v = row[leaf.field];
      const q = leaf.value as number; // in/notIn returned above
      const results = { eq: v === q, noteq: v !== q, gt: v > q, gte: v >= q, lt: v < q, lte: v <= q };
      return results[leaf.op];
    }
  }
}

function toFilter(leaf: Leaf): Filter {
  if (leaf.field === 'city') return leaf.op === 'exist' ? where.exist('city') : where.notExist('city');
  if (leaf.op === 'in') return where.in(leaf.field, leaf.value);
  if (leaf.op === 'notIn') return where.notIn(leaf.field, leaf.value);
  return where[leaf.op](leaf.field, leaf.value as string | number);
}

const OPPOSITE: Record<string, string> = {
  eq: 'noteq',
  noteq: 'eq',
  gt: 'lte',
  lte: 'gt',
  lt: 'gte',
  gte: 'lt',
  in: 'notIn',
  notIn: 'in',
  exist: 'notExist',
  notExist: 'exist',
};

describe('client-built filters, evaluated by the emulator', () => {
  let emulator: Emulator;
  let client: AutotaskClient;
  let rows: Row[];
  let ids: { min: number; max: number };

  beforeAll(async () => {
    emulator = createEmulator({ seed: 'empty' });
    client = createAutotaskClient({
      ...inProcessClientOptions(emulator),
      budget: { reconcileIntervalMs: false },
    });
    const samples = fc.sample(
      fc.record({
        companyName: NAMES,
        companyType: fc.constantFrom(...TYPES),
        city: fc.option(fc.constantFrom('Denver', 'Paris', 'Oslo'), { nil: null }),
      }),
      { numRuns: 80, seed: 8 },
    );
    rows = [];
    for (const s of samples) {
      const id = await client.companies.create({
        companyName: s.companyName,
        companyType: s.companyType,
        ownerResourceID: OWNER_ID,
        phone: '+1 555 0100',
        ...(s.city === null ? {} : { city: s.city }),
      });
      rows.push({ id, ...s });
    }
    // The tenant's own company (id 0) takes part too.
    for await (const c of client.companies.query({ filter: [where.eq('id', 0)] }))
      rows.push({
        id: c.id,
        companyName: String(c['companyName']),
        companyType: Number(c['companyType']),
        city: c['city'] ?? null,
      });
    ids = { min: Math.min(...rows.map((r) => r.id)), max: Math.max(...rows.map((r) => r.id)) };
  });

  afterAll(async () => {
    await emulator.close();
  });

  const leaf = (): fc.Arbitrary<Leaf> =>
    fc.oneof(
      fc.record({
        op: fc.constantFrom('eq', 'noteq', 'gt', 'gte', 'lt', 'lte' as const),
        field: fc.constant('companyType' as const),
        value: fc.constantFrom(...TYPES, 0, 5, 9),
      }),
      fc.record({
        op: fc.constantFrom('gt', 'lte', 'lt', 'gte' as const),
        field: fc.constant('id' as const),
        value: fc.integer({ min: ids.min - 1, max: ids.max + 1 }),
      }),
      fc.record({
        op: fc.constantFrom('eq', 'noteq', 'beginsWith', 'endsWith', 'contains' as const),
        field: fc.constant('companyName' as const),
        value: fc.oneof(NAMES, fc.constantFrom(...rows.map((r) => r.companyName))),
      }),
      fc.record({
        op: fc.constantFrom('in', 'notIn' as const),
        field: fc.constant('companyType' as const),
        value: fc.uniqueArray(fc.constantFrom(...TYPES), { minLength: 1, maxLength: 4 }),
      }),
      fc.record({ op: fc.constantFrom('exist', 'notExist' as const), field: fc.constant('city' as const) }),
    );

  const ask = async (filter: Filter): Promise<Set<number>> => {
    const found = new Set<number>();
    for await (const c of client.companies.query({ filter: [filter], includeFields: ['id'] }))
      found.add(c.id);
    return found;
  };
  const sorted = (s: Iterable<number>): number[] => [...s].sort((a, b) => a - b);

  it('a condition matches what Autotask semantics say, and its opposite matches the rest', async () => {
    await fc.assert(
      fc.asyncProperty(leaf(), async (l) => {
        const got = await ask(toFilter(l));
        expect(sorted(got)).toEqual(sorted(rows.filter((r) => evaluate(l, r)).map((r) => r.id)));
        const opposite = { ...l, op: OPPOSITE[l.op] } as Leaf;
        if (l.field === 'companyName' && !['eq', 'noteq'].includes(l.op)) return;
        const rest = await ask(toFilter(opposite));
        expect(sorted([...got, ...rest])).toEqual(sorted(rows.map((r) => r.id)));
        expect([...got].filter((id) => rest.has(id))).toEqual([]);
      }),
      { numRuns: 120, seed: 42 },
    );
  }, 120_000);

  it('and is the intersection, or the union, of nested trees', async () => {
    type Tree = { leaf: Leaf } | { op: 'and' | 'or'; items: Tree[] };
    const tree: fc.Arbitrary<Tree> = fc.letrec<{ t: Tree }>((tie) => ({
      t: fc.oneof(
        { depthSize: 'small', withCrossShrink: true },
        fc.record({ leaf: leaf() }),
        fc.record({
          op: fc.constantFrom('and', 'or' as const),
          items: fc.array(tie('t'), { minLength: 1, maxLength: 3 }),
        }),
      ),
    })).t;
    const build = (t: Tree): Filter =>
      'leaf' in t
        ? toFilter(t.leaf)
        : t.op === 'and'
          ? and(...t.items.map(build))
          : or(...t.items.map(build));
    const expected = (t: Tree, r: Row): boolean =>
      'leaf' in t
        ? evaluate(t.leaf, r)
        : t.op === 'and'
          ? t.items.every((i) => expected(i, r))
          : t.items.some((i) => expected(i, r));
    await fc.assert(
      fc.asyncProperty(tree, async (t) => {
        const got = await ask(build(t));
        expect(sorted(got)).toEqual(sorted(rows.filter((r) => expected(t, r)).map((r) => r.id)));
      }),
      { numRuns: 120, seed: 7 },
    );
  }, 120_000);
});
