import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { basename, dirname, extname, join } from 'node:path';
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

/** One file `writeRejectsCsvFiles` wrote. */
export interface RejectsFile {
  /** The sync whose rows it holds; absent when the run had no rejects at all. */
  sync?: string;
  /** Absolute path, as given or with the sync name inserted. */
  path: string;
  rows: number;
}

/**
 * The file of one sync's rejects: the sync name inserted before the extension
 * (`rejects.csv` + `contacts` → `rejects.contacts.csv`; `out` → `out.contacts`). Characters a file
 * name should not hold become `-`.
 */
export function rejectsPathForSync(path: string, sync: string): string {
  const ext = extname(path);
  const stem = basename(path, ext);
  const safe = sync.replace(/[^\p{L}\p{N}_-]+/gu, '-');
  return join(dirname(path), `${stem}.${safe}${ext}`);
}

/**
 * Writes the rejected rows of a run so that each file can be fixed and fed back as a source: rows of
 * one sync (or of `options.sync`) go to `path`; rows of several syncs, whose sources have different
 * columns, go to one file per sync (`rejectsPathForSync`), `path` itself not being written. A run
 * without rejects writes `path` with the header only. Returns the files in the run's order of syncs.
 */
export async function writeRejectsCsvFiles(
  store: StateStore,
  runId: number,
  path: string,
  options: WriteRejectsCsvOptions = {},
): Promise<{ rows: number; files: RejectsFile[] }> {
  const syncs = options.sync === undefined ? rejectedSyncs(store, runId, options.actions) : [options.sync];
  if (syncs.length <= 1) {
    const { rows } = await writeRejectsCsv(store, runId, path, options);
    return { rows, files: [{ ...(syncs[0] === undefined ? {} : { sync: syncs[0] }), path, rows }] };
  }
  const taken = new Set<string>();
  const files: RejectsFile[] = [];
  for (const sync of syncs) {
    let file = rejectsPathForSync(path, sync);
    // Two sync names that differ only in characters a file name cannot hold: number the later one.
    for (let n = 2; taken.has(file); n += 1) file = rejectsPathForSync(path, `${sync}-${n}`);
    taken.add(file);
    const { rows } = await writeRejectsCsv(store, runId, file, { ...options, sync });
    files.push({ sync, path: file, rows });
  }
  return { rows: files.reduce((sum, f) => sum + f.rows, 0), files };
}

/** The syncs with rejected rows in a run, in the run's order of syncs (dependency order). */
function rejectedSyncs(
  store: StateStore,
  runId: number,
  actions: readonly LedgerAction[] = ['invalid', 'failed', 'conflict'],
): string[] {
  const syncs = new Set<string>();
  for (const entry of store.iterateLedger({ runId, action: actions })) syncs.add(entry.sync);
  const order = store.getRun(runId)?.syncNames ?? [];
  const rank = (sync: string): number => {
    const i = order.indexOf(sync);
    return i === -1 ? order.length : i;
  };
  return [...syncs].sort((a, b) => rank(a) - rank(b));
}
