/**
 * A SQL table that two-way syncs read *and* write (issue 6): rows are identified by one key column;
 * changes are found by an "updated at" column when the table has one (else the engine compares row
 * hashes and reads the whole table, which costs no Autotask calls). Every write is a parameterised
 * statement, and one `write()` is one transaction.
 */
import { AppError } from '../../shared/errors.js';

/** Where the table is and how its rows are identified. */
export interface SqlSystemSpec {
  type: 'sqlite' | 'postgres';
  /** SQLite: the database file (absolute). */
  path?: string | undefined;
  /** PostgreSQL: the connection URL (its password never appears in messages). */
  url?: string | undefined;
  /** `table` or (PostgreSQL) `schema.table`. */
  table: string;
  /** The column that identifies a row (a primary key or unique column). */
  key: string;
  /** The column holding when the row last changed; undefined → row hashes. @default none */
  updatedAt?: string | undefined;
  /**
   * Open the table for reading only (a plan): the database itself refuses every write (SQLite
   * `query_only`, a PostgreSQL read-only session) and `write()` throws. @default false
   */
  readOnly?: boolean | undefined;
}

/** One row as read: its key (as text), every column's value, and when it last changed. */
export interface SqlRow {
  key: string;
  values: Record<string, unknown>;
  /** Epoch ms from the updated-at column, when the table has one and the row has a value. */
  updatedAt: number | undefined;
}

/** Changes applied in one transaction. */
export interface SqlChanges {
  /** New rows: column → value. The key column may be omitted when the database generates it. */
  inserts: readonly Record<string, unknown>[];
  /** Changed columns of existing rows, by key. */
  updates: readonly { key: string; values: Record<string, unknown> }[];
  /** Set the updated-at column (when there is one) to this time on every written row. */
  stampedAt?: number;
}

export interface SqlSystem {
  /** `SQLite crm.sqlite table companies` / `PostgreSQL host/db table crm.companies`: no password. */
  readonly description: string;
  /** Whether rows carry an updated-at column (incremental reads), or the engine keeps row hashes. */
  readonly hasUpdatedAt: boolean;
  /** Every row, or (with an updated-at column) the rows whose updated-at is ≥ `since` (epoch ms). */
  readRows(since?: number): Promise<SqlRow[]>;
  /** The key of every row (for noticing deleted rows). */
  readKeys(): Promise<string[]>;
  /** The rows with these keys (those that exist). */
  readByKeys(keys: readonly string[]): Promise<SqlRow[]>;
  /** Applies the changes in one transaction; returns the keys of the inserted rows, in order. */
  write(changes: SqlChanges): Promise<{ insertedKeys: string[] }>;
  close(): Promise<void>;
}

/** The table could not be read or written; `table` says which (no password). */
export class SqlSystemError extends AppError {
  constructor(message: string, details: { table: string } & Record<string, unknown>, cause?: unknown) {
    super('SQL_SYSTEM_ERROR', message, { cause, details });
  }
}

/** A key value as text (`42`, `ACME-1`); null/undefined → undefined. */
export function keyText(value: unknown): string | undefined {
  if (value === null || value === undefined) return undefined;
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean')
    return String(value);
  return JSON.stringify(value);
}
