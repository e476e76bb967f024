import Database from 'better-sqlite3';

import { quoteIdentifier as q } from '../sinks/sql-identifier.js';
import {
  SqlSystemError,
  keyText,
  type SqlChanges,
  type SqlRow,
  type SqlSystem,
  type SqlSystemSpec,
} from './sql-system.js';
import { detectUpdatedAtFormat, formatUpdatedAt, updatedAtMs, type UpdatedAtFormat } from './updated-at.js';

/**
 * A SQLite table read and written through one better-sqlite3 connection (opened read-write; the file
 * must exist). Writes run in one transaction; SQLite booleans are stored as 1/0.
 */
export class SqliteSystem implements SqlSystem {
  readonly description: string;
  readonly hasUpdatedAt: boolean;
  private readonly db: Database.Database;
  private readonly table: string;
  private readonly keyIsInteger: boolean;
  private format: UpdatedAtFormat | undefined;

  constructor(private readonly spec: SqlSystemSpec & { path: string }) {
    this.description = `SQLite ${spec.path} table ${spec.table}`;
    this.hasUpdatedAt = spec.updatedAt !== undefined;
    this.table = q(spec.table);
    try {
      this.db = new Database(spec.path, { fileMustExist: true });
      this.db.pragma('busy_timeout = 5000');
      if (spec.readOnly === true) this.db.pragma('query_only = ON');
    } catch (error) {
      throw new SqlSystemError(
        `cannot open ${this.description}: ${(error as Error).message}`,
        { table: this.description },
        error,
      );
    }
    const columns = this.db.prepare(`PRAGMA table_info(${this.table})`).all() as {
      name: string;
      type: string;
    }[];
    if (columns.length === 0) {
      this.db.close();
      throw new SqlSystemError(`${this.description} does not exist: create it first`, {
        table: this.description,
      });
    }
    for (const needed of [spec.key, spec.updatedAt]) {
      if (needed !== undefined && !columns.some((c) => c.name === needed)) {
        this.db.close();
        throw new SqlSystemError(
          `${this.description} has no column "${needed}" (columns: ${columns.map((c) => c.name).join(', ')})`,
          { table: this.description, column: needed },
        );
      }
    }
    this.keyIsInteger = /INT/i.test(columns.find((c) => c.name === spec.key)?.type ?? '');
  }

  readRows(since?: number): Promise<SqlRow[]> {
    const updatedAt = this.spec.updatedAt;
    if (since === undefined || updatedAt === undefined)
      return Promise.resolve(this.rows(`SELECT * FROM ${this.table} ORDER BY ${q(this.spec.key)}`, []));
    const format = this.updatedAtFormat();
    if (format === undefined) return Promise.resolve([]);
    return Promise.resolve(
      this.rows(`SELECT * FROM ${this.table} WHERE ${q(updatedAt)} >= ? ORDER BY ${q(this.spec.key)}`, [
        formatUpdatedAt(since, format),
      ]),
    );
  }

  readKeys(): Promise<string[]> {
    const key = this.spec.key;
    const rows = this.db
      .prepare(`SELECT ${q(key)} AS k FROM ${this.table}`)
      .raw()
      .all() as unknown[][];
    return Promise.resolve(rows.map((r) => keyText(r[0])).filter((k): k is string => k !== undefined));
  }

  readByKeys(keys: readonly string[]): Promise<SqlRow[]> {
    const out: SqlRow[] = [];
    for (let i = 0; i < keys.length; i += 500) {
      const chunk = keys.slice(i, i + 500);
      out.push(
        ...this.rows(
          `SELECT * FROM ${this.table} WHERE ${q(this.spec.key)} IN (${chunk.map(() => '?').join(',')})`,
          chunk.map((k) => this.keyParam(k)),
        ),
      );
    }
    return Promise.resolve(out);
  }

  write(changes: SqlChanges): Promise<{ insertedKeys: string[] }> {
    if (this.spec.readOnly === true)
      return Promise.reject(
        new SqlSystemError(`${this.description} is open for reading only`, { table: this.description }),
      );
    const stamp = this.stampColumn(changes.stampedAt);
    const run = this.db.transaction(() => {
      const insertedKeys: string[] = [];
      for (const insert of changes.inserts) {
        const values = { ...insert, ...stamp };
        const columns = Object.keys(values);
        const statement = `INSERT INTO ${this.table} (${columns.map(q).join(', ')}) VALUES (${columns
          .map(() => '?')
          .join(', ')}) RETURNING ${q(this.spec.key)} AS k`;
        const row = this.db.prepare(statement).get(...columns.map((c) => sqliteValue(values[c]))) as
          { k: unknown } | undefined;
        insertedKeys.push(keyText(row?.k) ?? '');
      }
      for (const update of changes.updates) {
        const values = { ...update.values, ...stamp };
        const columns = Object.keys(values);
        if (columns.length === 0) continue;
        this.db
          .prepare(
            `UPDATE ${this.table} SET ${columns.map((c) => `${q(c)} = ?`).join(', ')} WHERE ${q(this.spec.key)} = ?`,
          )
          .run(...columns.map((c) => sqliteValue(values[c])), this.keyParam(update.key));
      }
      return insertedKeys;
    });
    try {
      return Promise.resolve({ insertedKeys: run() });
    } catch (error) {
      throw new SqlSystemError(
        `cannot write ${this.description}: ${(error as Error).message}`,
        { table: this.description },
        error,
      );
    }
  }

  close(): Promise<void> {
    if (this.db.open) this.db.close();
    return Promise.resolve();
  }

  private rows(sql: string, params: unknown[]): SqlRow[] {
    const rows = this.db.prepare(sql).all(...params) as Record<string, unknown>[];
    return rows.map((values) => ({
      key: keyText(values[this.spec.key]) ?? '',
      values,
      updatedAt: this.spec.updatedAt === undefined ? undefined : updatedAtMs(values[this.spec.updatedAt]),
    }));
  }

  private updatedAtFormat(): UpdatedAtFormat | undefined {
    if (this.format !== undefined || this.spec.updatedAt === undefined) return this.format;
    const row = this.db
      .prepare(
        `SELECT ${q(this.spec.updatedAt)} AS v FROM ${this.table} WHERE ${q(this.spec.updatedAt)} IS NOT NULL LIMIT 1`,
      )
      .get() as { v: unknown } | undefined;
    this.format = detectUpdatedAtFormat(row?.v);
    return this.format;
  }

  private stampColumn(at: number | undefined): Record<string, unknown> {
    if (at === undefined || this.spec.updatedAt === undefined) return {};
    return { [this.spec.updatedAt]: formatUpdatedAt(at, this.updatedAtFormat() ?? 'iso') };
  }

  private keyParam(key: string): unknown {
    return this.keyIsInteger && /^-?\d+$/.test(key) ? Number(key) : key;
  }
}

function sqliteValue(value: unknown): unknown {
  if (value === undefined) return null;
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (value instanceof Date) return value.toISOString();
  if (value !== null && typeof value === 'object') return JSON.stringify(value);
  return value;
}
