/**
 * Counts an emulator's records by the value of one field: how the exactly-once tests see whether a
 * record landed in Autotask once, twice or not at all.
 */
import type { Emulator } from '../../src/emulator/index.js';

/** Value → number of records of `entity` whose string `field` matches `match` (others are left out). */
export function countRecords(
  emulator: Pick<Emulator, 'tenant'>,
  entity: 'Companies' | 'Contacts',
  field: string,
  match: RegExp,
): Map<string, number> {
  const counts = new Map<string, number>();
  for (const r of emulator.tenant.tables[entity].scan()) {
    const v = r.values[field];
    if (typeof v === 'string' && match.test(v)) counts.set(v, (counts.get(v) ?? 0) + 1);
  }
  return counts;
}
