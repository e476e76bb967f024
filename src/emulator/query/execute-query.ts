/**
 * The query engine's entry points (API doc §4): `executeQuery` answers `/query` and `/query/next`,
 * `countQuery` answers `/query/count`.
 */
import type { QueryRequest, QueryResult } from '../contracts.js';

/** Runs a query and renders one page of results. Throws `AutotaskBusinessError` on a bad query. */
export function executeQuery(req: QueryRequest): QueryResult {
  void req;
  throw new Error('executeQuery: implementation lands within the hour');
}

/** Counts the records a query matches (ignores MaxRecords, IncludeFields and afterId). */
export function countQuery(req: Omit<QueryRequest, 'afterId'>): number {
  void req;
  throw new Error('countQuery: implementation lands within the hour');
}
