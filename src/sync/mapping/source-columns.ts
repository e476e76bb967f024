/**
 * Checks the columns a mapping and its row filter read against the columns a source actually has
 * (`Source.describe()`), so a misspelt header is a finding before the run, not a run of empty values.
 */
import { closestNames, didYouMean } from './closest-names.js';
import { childPath } from './config-path.js';
import type { RowFilterSpec } from './row-filter-spec.js';
import { rowFilterColumns } from './row-filter.js';
import type { CompiledMapping, MappingFinding } from './types.js';

export interface SourceColumnsCheck {
  readonly mapping: CompiledMapping;
  readonly where?: RowFilterSpec | undefined;
  /** The source's columns, as `Source.describe()` gives them. */
  readonly columns: readonly string[];
  /** A short name of the source for messages, e.g. `companies.csv`. */
  readonly sourceName: string;
  /**
   * Path of the sync in the configuration (e.g. `syncs[0]`).
   * @default ''
   */
  readonly path?: string;
}

/** One error per column read that the source does not have, with the closest header names. */
export function lintSourceColumns(check: SourceColumnsCheck): MappingFinding[] {
  const have = new Set(check.columns);
  const base = check.path ?? '';
  const findings: MappingFinding[] = [];
  const report = (column: string, path: string): void => {
    const near = closestNames(column, check.columns);
    const sameButCase = check.columns.find((c) => c.toLowerCase() === column.toLowerCase());
    findings.push({
      severity: 'error',
      code: 'UNKNOWN_COLUMN',
      path,
      message: `"${column}" is not a column of ${check.sourceName}`,
      fix: sameButCase
        ? `column names are case-sensitive: write "${sameButCase}"`
        : didYouMean(near) ||
          `columns are: ${check.columns.slice(0, 20).join(', ')}${check.columns.length > 20 ? ', …' : ''}`,
    });
  };
  for (const f of check.mapping.fields) {
    if (f.source.kind === 'column' && !have.has(f.source.column))
      report(f.source.column, childPath(f.path, 'column'));
    if (f.source.kind === 'template') {
      for (const c of f.source.columns) if (!have.has(c)) report(c, childPath(f.path, 'template'));
    }
  }
  for (const c of rowFilterColumns(check.where)) if (!have.has(c)) report(c, childPath(base, 'where'));
  return findings;
}
