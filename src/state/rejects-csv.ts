import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

import { stringify } from 'csv-stringify';

import { neutraliseFormula } from '../connectors/sinks/spreadsheet-formula.js';
import type { LedgerAction, LedgerEntry, StateStore } from './state-store.js';

export interface WriteRejectsCsvOptions {
  /** Only this sync's rejects (their columns are then exactly that source's). @default every sync */
  sync?: string;
  /** Which outcomes count as rejects. @default ['invalid', 'failed', 'conflict'] */
  actions?: readonly LedgerAction[];
}

/** Columns appended after the source row's own columns. */
export const REJECT_COLUMNS = ['_sync', '_action', '_reason', '_field', '_line'] as const;

/**
 * Writes the rejected rows of a run as CSV: each row's original columns (the union, in order of first
 * appearance, when several sources are mixed), then `_sync`, `_action`, `_reason`, `_field` and
 * `_line` (the source location). Strings that a spreadsheet would run as formulas get a leading `'`.
 * Streams the ledger twice (columns, then rows), so memory stays bounded; the file appears only when
 * complete. Returns the number of rows written.
 */
export async function writeRejectsCsv(
  store: StateStore,
  runId: number,
  path: string,
  options: WriteRejectsCsvOptions = {},
): Promise<{ rows: number }> {
  const query = {
    runId,
    action: options.actions ?? (['invalid', 'failed', 'conflict'] as const),
    ...(options.sync === undefined ? {} : { sync: options.sync }),
  };
  const columns = new Set<string>();
  for (const entry of store.iterateLedger(query)) {
    for (const name of Object.keys(entry.sourceRow ?? {})) {
      if (!(REJECT_COLUMNS as readonly string[]).includes(name)) columns.add(name);
    }
  }
  const sourceColumns = [...columns];
  let rows = 0;
  function* records(): Generator<unknown[]> {
    for (const entry of store.iterateLedger(query)) {
      rows += 1;
      yield toCsvRow(entry, sourceColumns);
    }
  }
  const tmp = `${path}.${process.pid}.tmp`;
  try {
    await pipeline(
      Readable.from(records()),
      stringify({ header: true, columns: [...sourceColumns, ...REJECT_COLUMNS], cast: { boolean: String } }),
      createWriteStream(tmp, { mode: 0o600 }),
    );
    await rename(tmp, path);
  } catch (error) {
    await rm(tmp, { force: true });
    throw error;
  }
  return { rows };
}

function toCsvRow(entry: LedgerEntry, sourceColumns: readonly string[]): unknown[] {
  const row = entry.sourceRow ?? {};
  const cells = sourceColumns.map((c) => cell(row[c]));
  cells.push(entry.sync, entry.action, entry.reason ?? '', entry.field ?? '', entry.sourceLocation ?? '');
  return cells.map((c) => neutraliseFormula(c));
}

function cell(value: unknown): unknown {
  if (value === null || value === undefined) return '';
  if (typeof value === 'object') return JSON.stringify(value);
  return value;
}
