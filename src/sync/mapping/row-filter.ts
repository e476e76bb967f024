/**
 * Evaluates the `where:` row filter (row-filter-spec.ts). Compiled once per sync; regular expressions
 * are built then, so a bad pattern is a configuration error, not a run-time one.
 */
import type { RowFilterCondition, RowFilterSpec } from './row-filter-spec.js';
import { asText, isEmpty } from './values.js';

/** Keeps a row when it returns true. */
export type RowPredicate = (row: Readonly<Record<string, unknown>>) => boolean;

/** Compiles a row filter; `undefined` keeps every row. Throws `SyntaxError` only for patterns zod let through. */
export function compileRowFilter(spec: RowFilterSpec | undefined): RowPredicate {
  if (spec === undefined) return () => true;
  if ('all' in spec) {
    const items = spec.all.map(compileRowFilter);
    return (row) => items.every((p) => p(row));
  }
  if ('any' in spec) {
    const items = spec.any.map(compileRowFilter);
    return (row) => items.some((p) => p(row));
  }
  if ('not' in spec) {
    const inner = compileRowFilter(spec.not);
    return (row) => !inner(row);
  }
  return compileCondition(spec);
}

/** Columns a filter reads (for checking them against the source's header). */
export function rowFilterColumns(spec: RowFilterSpec | undefined): string[] {
  if (spec === undefined) return [];
  if ('all' in spec) return [...new Set(spec.all.flatMap(rowFilterColumns))];
  if ('any' in spec) return [...new Set(spec.any.flatMap(rowFilterColumns))];
  if ('not' in spec) return rowFilterColumns(spec.not);
  return [spec.column];
}

function compileCondition(c: RowFilterCondition): RowPredicate {
  const ignoreCase = c.ignoreCase ?? false;
  const norm = (v: unknown): string => {
    const t = asText(v).trim();
    return ignoreCase ? t.normalize('NFKC').toLowerCase() : t;
  };
  const text = (row: Readonly<Record<string, unknown>>): string => norm(row[c.column]);
  if (c.empty !== undefined) return (row) => isEmpty(row[c.column]);
  if (c.notEmpty !== undefined) return (row) => !isEmpty(row[c.column]);
  if (c.eq !== undefined) {
    const want = norm(c.eq);
    return (row) => text(row) === want;
  }
  if (c.ne !== undefined) {
    const want = norm(c.ne);
    return (row) => text(row) !== want;
  }
  if (c.in !== undefined) {
    const set = new Set(c.in.map(norm));
    return (row) => set.has(text(row));
  }
  if (c.notIn !== undefined) {
    const set = new Set(c.notIn.map(norm));
    return (row) => !set.has(text(row));
  }
  if (c.matches !== undefined) {
    const regex = new RegExp(c.matches, ignoreCase ? 'iu' : 'u');
    return (row) => regex.test(asText(row[c.column]));
  }
  return () => true; // unreachable: the schema requires one operator
}
