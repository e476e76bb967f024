/**
 * A destination for exported records (CSV, JSON Lines, SQLite, PostgreSQL). Lifecycle:
 * `open(columns)` once, `write(rows)` any number of times (a page at a time: memory stays bounded),
 * then `close()`, which commits, or `abort()`, which discards what it can. Only after `close()`
 * resolves is the data durable, so a caller advances its bookmark after that and never before.
 */
export interface Sink {
  /** Where the rows go, for messages and logs (never contains a password). */
  readonly description: string;
  open(columns: readonly SinkColumn[], options?: SinkOpenOptions): Promise<void>;
  write(rows: readonly SinkRow[]): Promise<void>;
  /** Commits: renames the finished file into place, or commits the database transaction. */
  close(): Promise<void>;
  /** Gives up: removes the unfinished file or rolls the transaction back. Safe to call twice. */
  abort(): Promise<void>;
  /**
   * SQL sinks only, between `open()` and `close()` (same transaction): given every key that still
   * exists (streamed a page at a time), removes or flags the rows whose key is not among them.
   */
  pruneAbsent?(keys: AsyncIterable<readonly number[]>, options: PruneOptions): Promise<PruneOutcome>;
}

export interface PruneOptions {
  /** `delete` removes the rows; `flag` sets `flagColumn` to `at` (and clears it on rows present again). */
  action: 'delete' | 'flag';
  /** The datetime column of `flag` (one of the columns given to `open()`). */
  flagColumn?: string | undefined;
  /** The flag's time. */
  at: Date;
  /** Asked before anything changes, with the rows that would go and the rows there are (unflagged). */
  allow?: ((absent: number, total: number) => boolean) | undefined;
}

export interface PruneOutcome {
  /** Distinct keys given. */
  present: number;
  /** Rows whose key was not given (not counting rows already flagged). */
  absent: number;
  /** Rows considered (not already flagged). */
  total: number;
  /** False when `allow` said no: nothing changed. */
  applied: boolean;
  removed: number;
  flagged: number;
  /** Flagged rows whose key is present again (flag cleared). */
  restored: number;
}

/** One record: column name → value (string, number, boolean, null; objects are written as JSON). */
export type SinkRow = Record<string, unknown>;

/** How a column is typed in SQL destinations (files ignore it). */
export type SinkColumnType = 'string' | 'integer' | 'decimal' | 'boolean' | 'datetime' | 'date';

export interface SinkColumn {
  name: string;
  type: SinkColumnType;
}

export interface SinkOpenOptions {
  /**
   * `replace`: afterwards the destination holds exactly the rows written (a full export; files are
   * rewritten, tables emptied first, in the same transaction).
   * `merge`: rows are added to what is there (an incremental export): tables are upserted by the key
   * column; files are appended to, so a record changed twice appears twice, the last line winning.
   * @default 'replace'
   */
  mode?: 'replace' | 'merge';
}

/** Options every sink takes. */
export interface SinkOptions {
  /** Column holding each row's unique id (upserts match on it). @default 'id' */
  keyColumn?: string;
}
