/**
 * A SQLite table or read-only query as a `Source`, streamed with better-sqlite3's `iterate()`.
 *
 * - The database is opened read-only; it must exist.
 * - `table`: rows in primary-key order (rowid order when the table has none), located by their key.
 * - `query`: must be a read-only statement returning rows; rows come in the query's order (add an
 *   ORDER BY for a stable one); located by `key` columns when given, else by position.
 * - Values are SQLite's: numbers, text, `null`, `Buffer` for blobs. A whole number beyond 2^53 makes
 *   its row an error instead of being rounded.
 */
import { basename } from 'node:path';

import Database from 'better-sqlite3';

import { SourceError } from '../../../shared/errors.js';
import type { Source, SourceOptions, SourceRecord } from '../../source.js';
import { fileError } from '../csv/csv-reader.js';
import { checkColumns, checkKeyColumns, sqlRecord, suggestTable } from '../sql-rows.js';

export interface SqliteSourceSettings {
  /** The database file. */
  path: string;
  /** A table or view (give this or `query`). */
  table?: string | undefined;
  /** A read-only SELECT (give this or `table`). */
  query?: string | undefined;
  /**
   * Columns identifying a row in locations.
   * @default the table's primary key; none for a query
   */
  key?: readonly string[] | undefined;
}

export interface SqliteSourceOptions extends SourceOptions {
  /** Opens the database (tests use it to watch what is read). @default better-sqlite3, read-only */
  open?: (path: string) => Database.Database;
}

export function createSqliteSource(
  settings: SqliteSourceSettings,
  options: SqliteSourceOptions = {},
): Source {
  if ((settings.table === undefined) === (settings.query === undefined))
    throw new SourceError('a SQLite source needs either `table` or `query`', { location: settings.path });
  const label = settings.table ?? 'query';
  const name = `${basename(settings.path)}${settings.table ? `:${settings.table}` : ''}`;
  const where = `${settings.path} ${settings.table ? `table ${settings.table}` : 'query'}`;
  const open =
    options.open ??
    ((path: string) => {
      try {
        return new Database(path, { readonly: true, fileMustExist: true });
      } catch (error) {
        const code = (error as { code?: string }).code;
        if (code === 'SQLITE_CANTOPEN')
          throw fileError(Object.assign(new Error('cannot open'), { code: 'ENOENT' }), path);
        throw new SourceError(
          `${path}: cannot open as a SQLite database: ${(error as Error).message}`,
          { location: path },
          error,
        );
      }
    });

  function prepare(db: Database.Database): {
    statement: Database.Statement;
    keyColumns: string[];
    columns: string[];
  } {
    let sql: string;
    let keyColumns: string[] = [...(settings.key ?? [])];
    if (settings.table !== undefined) {
      const table = settings.table;
      const tables = db
        .prepare(
          "SELECT name FROM sqlite_schema WHERE type IN ('table', 'view') AND name NOT LIKE 'sqlite_%' ORDER BY name",
        )
        .pluck()
        .all() as string[];
      if (!tables.includes(table))
        throw new SourceError(
          `${settings.path}: no table or view named "${table}"${suggestTable(table, tables)}`,
          {
            location: where,
          },
        );
      const info = db.prepare(`SELECT name, pk FROM pragma_table_info(?) ORDER BY pk`).all(table) as {
        name: string;
        pk: number;
      }[];
      const pk = info.filter((c) => c.pk > 0).map((c) => c.name);
      if (keyColumns.length === 0) keyColumns = pk;
      const quoted = quoteIdentifier(table);
      const hasRowid = pk.length === 0 && rowidAvailable(db, quoted);
      const order = pk.length > 0 ? pk.map(quoteIdentifier).join(', ') : hasRowid ? 'rowid' : undefined;
      sql = `SELECT * FROM ${quoted}${order ? ` ORDER BY ${order}` : ''}`;
    } else sql = settings.query ?? '';
    let statement: Database.Statement;
    try {
      statement = db.prepare(sql);
    } catch (error) {
      throw new SourceError(`${where}: ${(error as Error).message}`, { location: where }, error);
    }
    if (!statement.reader || !statement.readonly)
      throw new SourceError(`${where}: the query must be a read-only SELECT that returns rows`, {
        location: where,
      });
    const columns = statement.columns().map((c) => c.name);
    checkColumns(columns, where);
    checkKeyColumns(keyColumns, columns, where);
    statement.safeIntegers(true);
    return { statement, keyColumns, columns };
  }

  return {
    name,
    describe() {
      const db = open(settings.path);
      try {
        return Promise.resolve({ columns: prepare(db).columns });
      } finally {
        db.close();
      }
    },
    // eslint-disable-next-line @typescript-eslint/require-await -- better-sqlite3 is synchronous; the interface is async
    async *read(): AsyncGenerator<SourceRecord, void, undefined> {
      const db = open(settings.path);
      const { statement, keyColumns } = prepare(db);
      const rows = statement.iterate() as IterableIterator<Record<string, unknown>>;
      try {
        let index = 0;
        for (const row of rows) {
          options.signal?.throwIfAborted();
          yield sqlRecord(row, { table: label, keyColumns, index: index++ });
        }
      } finally {
        rows.return?.();
        db.close();
      }
    },
  };
}

function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

function rowidAvailable(db: Database.Database, quotedTable: string): boolean {
  try {
    db.prepare(`SELECT rowid FROM ${quotedTable} LIMIT 0`);
    return true;
  } catch {
    return false; // a view or a WITHOUT ROWID table
  }
}
