/**
 * The query engine's entry points (API doc §4): `executeQuery` answers `/query` and `/query/next`
 * (keyset paging: `afterId` in, `continueAfterId` out), `countQuery` answers `/query/count`. Results are
 * ordered by id ascending. Bad queries throw `AutotaskBusinessError` (→ `500 {"errors":[...]}`).
 */
import type { EntityRecord } from '../../autotask/types.js';
import type { EntityTable, QueryRequest, QueryResult, StoredRecord } from '../contracts.js';
import { candidateIds } from './candidate-ids.js';
import type { CompiledFilter } from './compile-filter.js';
import { compileFilter } from './compile-filter.js';
import type { ParseQueryOptions } from './parse-query-body.js';
import { parseQueryBody } from './parse-query-body.js';
import { createRenderer } from './render-record.js';

/** Runs a query and renders one page of results. */
export function executeQuery(req: QueryRequest): QueryResult {
  const body = parseQueryBody(req.body, limitOptions(req));
  const filter = compileFilter(body.filter, req.schema, req.udfs);
  const render = createRenderer(req.schema, req.udfs, body.includeFields);
  const items: EntityRecord[] = [];
  let more = false;
  for (const record of matches(req.table, filter, req.afterId)) {
    if (items.length === body.maxRecords) {
      more = true;
      break;
    }
    items.push(render(record));
  }
  const last = items[items.length - 1];
  const result: QueryResult = { items, requestCount: body.maxRecords };
  if (more && last) result.continueAfterId = last.id;
  return result;
}

/** Counts the records a query matches (MaxRecords, IncludeFields and paging do not apply). */
export function countQuery(req: Omit<QueryRequest, 'afterId'>): number {
  const body = parseQueryBody(req.body, limitOptions(req));
  const filter = compileFilter(body.filter, req.schema, req.udfs);
  createRenderer(req.schema, req.udfs, body.includeFields); // validates IncludeFields like a query does
  let count = 0;
  for (const _record of matches(req.table, filter, undefined)) count++;
  return count;
}

function limitOptions(req: Pick<QueryRequest, 'maxRecordsAboveLimit'>): ParseQueryOptions {
  return req.maxRecordsAboveLimit === undefined ? {} : { maxRecordsAboveLimit: req.maxRecordsAboveLimit };
}

/** Matching records in ascending id order, after `afterId`. */
function* matches(
  table: EntityTable,
  filter: CompiledFilter,
  afterId: number | undefined,
): Generator<StoredRecord> {
  const ids = candidateIds(table, filter.indexable, afterId);
  if (ids) {
    for (const id of ids) {
      const record = table.get(id);
      if (record && filter.test(record)) yield record;
    }
    return;
  }
  for (const record of table.scan(afterId)) if (filter.test(record)) yield record;
}
