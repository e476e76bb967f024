import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

import Database from 'better-sqlite3';

import { sqlValue } from './cell-value.js';
import type {
  PruneOptions,
  PruneOutcome,
  Sink,
  SinkColumn,
  SinkColumnType,
  SinkOpenOptions,
  SinkOptions,
  SinkRow,
} from './sink.js';
import { flagColumnOf } from './prune-flag-column.js';
import { SinkError } from './sink-error.js';
import { quoteIdentifier as q } from './sql-identifier.js';

export interface SqliteSinkOptions extends SinkOptions {
  /** The database file (created with its folder when missing). */
  path: string;
  /** The table (created when missing; missing columns are added). */
  table: string;
}

const SQLITE_TYPES: Record<SinkColumnType, string> = {
  string: 'TEXT',
  integer: 'INTEGER',
  decimal: 'REAL',
  boolean: 'INTEGER',
  datetime: 'TEXT',
  date: 'TEXT',
};

/**
 * A SQLite table, upserted by the key column, all in one transaction from `open()` to `close()`
 * (a failed export leaves the table as it was). Booleans are stored as 0/1, datetimes as ISO text.
 */
export class SqliteSink implements Sink {
  readonly description: string;
  private readonly path: string;
  private readonly table: string;
  private readonly keyColumn: string;
  private db: Database.Database | undefined;
  private insert: Database.Statement | undefined;
  private columns: readonly SinkColumn[] = [];

  constructor(options: SqliteSinkOptions) {
    this.path = resolve(options.path);
    this.table = options.table;
    this.keyColumn = options.keyColumn ?? 'id';
    this.description = `${this.path} table ${options.table}`;
  }

  open(columns: readonly SinkColumn[], options: SinkOpenOptions = {}): Promise<void> {
    if (this.db) throw new SinkError('the sink is already open', { destination: this.description });
    const key = columns.find((c) => c.name === this.keyColumn);
    if (!key)
      throw new SinkError(`no "${this.keyColumn}" column to upsert by`, { destination: this.description });
    try {
      mkdirSync(dirname(this.path), { recursive: true });
      const db = new Database(this.path, { timeout: 10_000 });
      this.db = db;
      db.prepare('BEGIN IMMEDIATE').run();
      const table = q(this.table);
      db.prepare(
        `CREATE TABLE IF NOT EXISTS ${table} (${columns
          .map((c) => `${q(c.name)} ${SQLITE_TYPES[c.type]}${c === key ? ' PRIMARY KEY' : ''}`)
          .join(', ')})`,
      ).run();
      const existing = new Set(
        (db.prepare(`SELECT name FROM pragma_table_info(?)`).all(this.table) as { name: string }[]).map(
          (r) => r.name,
        ),
      );
      for (const c of columns) {
        if (!existing.has(c.name))
          db.prepare(`ALTER TABLE ${table} ADD COLUMN ${q(c.name)} ${SQLITE_TYPES[c.type]}`).run();
      }
      if ((options.mode ?? 'replace') === 'replace') db.prepare(`DELETE FROM ${table}`).run();
      const names = columns.map((c) => q(c.name));
      const updates = columns.filter((c) => c !== key).map((c) => `${q(c.name)} = excluded.${q(c.name)}`);
      this.insert = db.prepare(
        `INSERT INTO ${table} (${names.join(', ')}) VALUES (${names.map(() => '?').join(', ')})
         ON CONFLICT (${q(key.name)}) DO ${updates.length > 0 ? `UPDATE SET ${updates.join(', ')}` : 'NOTHING'}`,
      );
      this.columns = columns;
      return Promise.resolve();
    } catch (error) {
      this.rollback();
      const message = (error as Error).message;
      const hint = /ON CONFLICT clause does not match/i.test(message)
        ? `: the existing table has no PRIMARY KEY or UNIQUE constraint on "${this.keyColumn}"; add one or use a new table`
        : `: ${message}`;
      return Promise.reject(
        new SinkError(`cannot prepare ${this.description}${hint}`, { destination: this.description }, error),
      );
    }
  }

  write(rows: readonly SinkRow[]): Promise<void> {
    const insert = this.insert;
    if (!insert)
      return Promise.reject(new SinkError('write() before open()', { destination: this.description }));
    try {
      for (const row of rows) insert.run(this.columns.map((c) => sqlValue(row[c.name], c.type, true)));
      return Promise.resolve();
    } catch (error) {
      return Promise.reject(
        new SinkError(
          `cannot write to ${this.description}: ${(error as Error).message}`,
          { destination: this.description },
          error,
        ),
      );
    }
  }

  async pruneAbsent(keys: AsyncIterable<readonly number[]>, options: PruneOptions): Promise<PruneOutcome> {
    const db = this.db;
    if (!db) throw new SinkError('pruneAbsent() before open()', { destination: this.description });
    const table = q(this.table);
    const key = q(this.keyColumn);
    const flag =
      options.action === 'flag' ? flagColumnOf(options, this.columns, this.description) : undefined;
    const present = 'temp.autotask_sync_present_keys';
    try {
      db.prepare(`CREATE TEMP TABLE IF NOT EXISTS autotask_sync_present_keys (k INTEGER PRIMARY KEY)`).run();
      db.prepare(`DELETE FROM ${present}`).run();
      const add = db.prepare(`INSERT OR IGNORE INTO ${present} (k) VALUES (?)`);
      for await (const page of keys) for (const k of page) add.run(k);
      const count = (sql: string): number => (db.prepare(sql).get() as { n: number }).n;
      const unflagged = flag === undefined ? '' : ` AND ${q(flag)} IS NULL`;
      const absentWhere = `${key} NOT IN (SELECT k FROM ${present})${unflagged}`;
      const outcome: PruneOutcome = {
        present: count(`SELECT count(*) AS n FROM ${present}`),
        absent: count(`SELECT count(*) AS n FROM ${table} WHERE ${absentWhere}`),
        total: count(`SELECT count(*) AS n FROM ${table} WHERE 1 = 1${unflagged}`),
        applied: false,
        removed: 0,
        flagged: 0,
        restored: 0,
      };
      if (options.allow?.(outcome.absent, outcome.total) === false) return outcome;
      outcome.applied = true;
      if (flag === undefined) {
        outcome.removed = db.prepare(`DELETE FROM ${table} WHERE ${absentWhere}`).run().changes;
      } else {
        outcome.flagged = db
          .prepare(`UPDATE ${table} SET ${q(flag)} = ? WHERE ${absentWhere}`)
          .run(options.at.toISOString()).changes;
        outcome.restored = db
          .prepare(
            `UPDATE ${table} SET ${q(flag)} = NULL WHERE ${q(flag)} IS NOT NULL AND ${key} IN (SELECT k FROM ${present})`,
          )
          .run().changes;
      }
      return outcome;
    } catch (error) {
      if (error instanceof SinkError) throw error;
      throw new SinkError(
        `cannot remove deleted records from ${this.description}: ${(error as Error).message}`,
        { destination: this.description },
        error,
      );
    } finally {
      if (this.db) db.prepare(`DROP TABLE IF EXISTS ${present}`).run();
    }
  }

  close(): Promise<void> {
    const db = this.db;
    if (!db) return Promise.reject(new SinkError('close() before open()', { destination: this.description }));
    try {
      db.prepare('COMMIT').run();
      db.close();
      this.db = undefined;
      this.insert = undefined;
      return Promise.resolve();
    } catch (error) {
      this.rollback();
      return Promise.reject(
        new SinkError(
          `cannot commit ${this.description}: ${(error as Error).message}`,
          { destination: this.description },
          error,
        ),
      );
    }
  }

  abort(): Promise<void> {
    this.rollback();
    return Promise.resolve();
  }

  private rollback(): void {
    const db = this.db;
    this.db = undefined;
    this.insert = undefined;
    if (!db) return;
    try {
      if (db.inTransaction) db.prepare('ROLLBACK').run();
    } finally {
      db.close();
    }
  }
}
