import { stat } from 'node:fs/promises';

import type { SourceError } from '../shared/errors.js';

/**
 * Where a record came from, precise enough for a person to find it: a file and its physical line, or a
 * table and its primary key. `index` is the record's 0-based position in the source's output order
 * (header rows, blank lines and comments are not counted).
 */
export interface SourceLocation {
  /** The file the record was read from (absolute path), for file sources. */
  readonly file?: string;
  /** 1-based physical line where the record starts (a quoted value may span several lines). */
  readonly line?: number;
  /** The table (or `query`) the record was read from, for database sources. */
  readonly table?: string;
  /** The record's primary key as text (`id=42`, `a=1,b=2`), when the table has one. */
  readonly key?: string;
  /** 0-based position of the record in the source's output. */
  readonly index: number;
}

/**
 * One row of a source. Values are kept as the source gives them: CSV values are always strings, JSON
 * Lines values are JSON values (nested objects flattened to `a.b` keys by default), SQL values are the
 * driver's values (numbers, strings, `null`, `Date` for PostgreSQL timestamps, `Buffer` for blobs).
 *
 * A row that could not be read cleanly (a ragged CSV row, a JSON Lines line that is not an object, a
 * quote left open) is still yielded, in order, with `error` set: `values` then holds whatever could be
 * recovered (possibly nothing). The engine records such a row as `invalid` and goes on. Errors that
 * make the whole source unreadable (missing file, bad header, lost connection) are thrown by `read()`.
 */
export interface SourceRecord {
  readonly values: Readonly<Record<string, unknown>>;
  readonly location: SourceLocation;
  /** Set when this row could not be read cleanly; the rest of the source goes on. */
  readonly error?: SourceError;
}

/** Something worth telling the user that did not stop the read (e.g. "read as Latin-1"). */
export interface SourceWarning {
  readonly code: string;
  readonly message: string;
  readonly location?: SourceLocation;
}

/**
 * A readable set of rows: a CSV or JSON Lines file, a SQLite or PostgreSQL table or query. Sources
 * stream: memory stays bounded whatever the input size. Each call of `read()` starts from the top and
 * yields records in a stable order; leaving the loop early releases the file or connection.
 */
export interface Source {
  /** A short human name, e.g. `companies.csv` or `crm.public.companies`. */
  readonly name: string;
  /** The column names, in source order (reads the header / the result's columns, not the rows). */
  describe(): Promise<{ columns: string[] }>;
  /** Every record, in a stable order. Throws `SourceError` when the source as a whole cannot be read. */
  read(): AsyncIterable<SourceRecord>;
  /**
   * The size of the source in bytes when it is cheap to know (a file's size), else undefined. The
   * engine uses it to decide, before reading, whether a source is small enough to keep in memory.
   */
  sizeBytes?(): Promise<number | undefined>;
}

/** The size of a file in bytes, or undefined when it cannot be read (the read itself will say why). */
export async function fileSizeBytes(path: string): Promise<number | undefined> {
  try {
    return (await stat(path)).size;
  } catch {
    return undefined;
  }
}

/** What every source factory accepts besides its settings. */
export interface SourceOptions {
  /**
   * Called for every warning (encoding guessed, NUL bytes removed, ...). Warnings never stop a read.
   * @default ignore warnings
   */
  readonly onWarning?: (warning: SourceWarning) => void;
  /** Aborts a read in progress (the iterator throws the signal's reason). */
  readonly signal?: AbortSignal;
}

/** `companies.csv:12`, `companies (id=5)`, `query row 3`: a location as people read it. */
export function formatLocation(location: SourceLocation): string {
  if (location.file !== undefined)
    return location.line !== undefined ? `${location.file}:${location.line}` : location.file;
  const where = location.table ?? 'query';
  if (location.key !== undefined) return `${where} (${location.key})`;
  return `${where} row ${location.index + 1}`;
}
