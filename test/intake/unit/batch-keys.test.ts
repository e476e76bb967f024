import { describe, expect, it } from 'vitest';

import { pickBatch, type KeysOf } from '../../../src/intake/forms/batch-keys.js';
import type { IntakeItem } from '../../../src/intake/queue/intake-queue.js';

const item = (id: number): IntakeItem => ({ id }) as IntakeItem;

describe('pickBatch', () => {
  // id → [company key/hash, contact key/hash]
  const table: Record<number, [string, string, string, string]> = {
    1: ['acme', 'h1', 'ada', 'a1'],
    2: ['acme', 'h1', 'bob', 'b1'], // same company, same values: shares it
    3: ['acme', 'h1', 'ada', 'a2'], // Ada again with a change: next batch
    4: ['globex', 'g1', 'cy', 'c1'],
    5: ['globex', 'g1', 'ada', 'a3'], // a key of a deferred item: also waits (order per record)
  };
  const keysOf: KeysOf = (i) => {
    const [ck, ch, pk, ph] = table[i.id]!;
    return [
      { stream: 'companies', key: ck, hash: ch },
      { stream: 'contacts', key: pk, hash: ph },
    ];
  };

  it('shares identical records, defers changed ones and everything after them', () => {
    const { batch, later, shared } = pickBatch([1, 2, 3, 4, 5].map(item), keysOf);
    expect(batch.map((i) => i.id)).toEqual([1, 2, 4]);
    expect(later.map((i) => i.id)).toEqual([3, 5]);
    expect(shared.get('companies')).toEqual(new Map([[2, 1]]));
    expect(shared.get('contacts')).toBeUndefined();
  });
});
