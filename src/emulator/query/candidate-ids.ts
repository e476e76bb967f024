/**
 * Chooses the records a query must look at: when the filter's top level has an `eq`/`in` on `id` or on
 * an indexed field, only the ids those conditions name (the smallest such set), so that a lookup of 500
 * emails does not scan the table 500 times. `undefined` means "scan the table".
 */
import type { EntityTable } from '../contracts.js';
import type { IndexableCondition } from './compile-filter.js';

export function candidateIds(
  table: EntityTable,
  conditions: readonly IndexableCondition[],
  afterId: number | undefined,
): number[] | undefined {
  let best: number[] | undefined;
  for (const condition of conditions) {
    const ids = idsFor(table, condition);
    if (ids && (!best || ids.length < best.length)) best = ids;
  }
  if (!best) return undefined;
  const after = afterId ?? -Infinity;
  const unique = [...new Set(best)].filter((id) => id > after);
  return unique.sort((a, b) => a - b);
}

function idsFor(table: EntityTable, condition: IndexableCondition): number[] | undefined {
  const ids: number[] = [];
  if (condition.field === 'id') {
    for (const v of condition.values) if (typeof v === 'number' && table.get(v)) ids.push(v);
    return ids;
  }
  if (!table.lookup) return undefined;
  for (const v of condition.values) {
    const found = table.lookup(condition.field, v);
    if (found === undefined) return undefined;
    for (const id of found) ids.push(id);
  }
  return ids;
}
