/**
 * A PostgreSQL table or query as a `Source`, streamed through a cursor (pg-cursor) in batches, inside
 * a read-only REPEATABLE READ transaction (one consistent snapshot; a query that writes fails).
 *
 * - `table` (optionally `schema.table`): rows in primary-key order, located by their key.
 * - `query`: rows in the query's order (add an ORDER BY for a stable one), located by `key` columns
 *   when given, else by position.
 * - Values: no time zone is ever applied. `date` and `timestamp` (without time zone) stay the text
 *   PostgreSQL prints (`2026-03-01`, `2026-03-01 09:30:00`); `timestamptz` becomes an ISO 8601 UTC
 *   string; `bigint` a number (its row is an error beyond 2^53); `numeric` stays exact text; `json` is
 *   parsed; everything else is pg's default.
 * - The connection URL's password never appears in errors.
 */
import pg from 'pg';
import Cursor from 'pg-cursor';

import { SourceError } from '../../../shared/errors.js';
import type { Source, SourceOptions, SourceRecord } from '../../source.js';
import { checkColumns, checkKeyColumns, sqlRecord, suggestTable } from '../sql-rows.js';

export interface PostgresSourceSettings {
  /** Connection URL (`postgres://user:password@host:5432/db`). */
  url: string;
  /** A table or view, optionally `schema.table` (give this or `query`). */
  table?: string | undefined;
  /** A SELECT (give this or `table`). */
  query?: string | undefined;
  /**
   * Columns identifying a row in locations.
   * @default the table's primary key; none for a query
   */
  key?: readonly string[] | undefined;
  /**
   * Rows fetched per round trip.
   * @default 1000
   */
  batchSize?: number | undefined;
}

const OID = { int8: 20, date: 1082, timestamp: 1114, timestamptz: 1184 } as const;

type TextParser = (text: string) => unknown;

const defaultParser = (oid: number): TextParser => pg.types.getTypeParser(oid, 'text') as TextParser;

function textParser(oid: number): TextParser {
  switch (oid) {
    case OID.int8:
      return (text) => BigInt(text);
    case OID.date:
    case OID.timestamp:
      return (text) => text;
    case OID.timestamptz: {
      const parse = defaultParser(OID.timestamptz);
      return (text) => {
        const value = parse(text);
        return value instanceof Date && !Number.isNaN(value.getTime()) ? value.toISOString() : text;
      };
    }
    default:
      return defaultParser(oid);
  }
}

const typeParsers: pg.CustomTypesConfig = {
  getTypeParser: textParser as pg.CustomTypesConfig['getTypeParser'],
};

/** The URL with its password replaced, for messages. */
export function redactConnectionUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    if (parsed.searchParams.has('password')) parsed.searchParams.set('password', '***');
    return parsed.toString();
  } catch {
    return '(the configured PostgreSQL database)';
  }
}

export function createPostgresSource(settings: PostgresSourceSettings, options: SourceOptions = {}): Source {
  if ((settings.table === undefined) === (settings.query === undefined))
    throw new SourceError('a PostgreSQL source needs either `table` or `query`', { location: 'postgres' });
  const label = settings.table ?? 'query';
  const database = redactConnectionUrl(settings.url);
  const where = settings.table ? `table ${settings.table}` : 'query';
  const batchSize = settings.batchSize ?? 1000;

  async function connect(): Promise<pg.Client> {
    const client = new pg.Client({
      connectionString: settings.url,
      types: typeParsers,
      application_name: 'autotask-sync',
    });
    client.on('error', () => undefined); // reported by the failing query instead
    try {
      await client.connect();
      await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    } catch (error) {
      await client.end().catch(() => undefined);
      throw new SourceError(
        `cannot read from PostgreSQL at ${database}: ${(error as Error).message}. Check the URL, that the server runs, and the user's rights`,
        { location: database },
        error,
      );
    }
    return client;
  }

  async function prepare(
    client: pg.Client,
  ): Promise<{ sql: string; columns: string[]; keyColumns: string[] }> {
    let keyColumns = [...(settings.key ?? [])];
    let sql: string;
    if (settings.table !== undefined) {
      const quoted = settings.table
        .split('.')
        .map((part) => pg.escapeIdentifier(part))
        .join('.');
      const found = await client.query<{ oid: string | null }>('SELECT to_regclass($1)::oid::text AS oid', [
        quoted,
      ]);
      const oid = found.rows[0]?.oid;
      if (oid === null || oid === undefined) {
        const tables = await client.query<{ name: string }>(
          `SELECT CASE WHEN table_schema = 'public' THEN table_name ELSE table_schema || '.' || table_name END AS name
             FROM information_schema.tables
            WHERE table_schema NOT IN ('pg_catalog', 'information_schema') ORDER BY 1`,
        );
        throw new SourceError(
          `${database}: no table or view named "${settings.table}"${suggestTable(
            settings.table,
            tables.rows.map((r) => r.name),
          )}`,
          { location: where },
        );
      }
      const pk = await client.query<{ name: string }>(
        `SELECT a.attname AS name
           FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey)
          WHERE i.indrelid = $1::oid AND i.indisprimary
          ORDER BY array_position(i.indkey::int2[], a.attnum)`,
        [oid],
      );
      const pkColumns = pk.rows.map((r) => r.name);
      if (keyColumns.length === 0) keyColumns = pkColumns;
      const order =
        pkColumns.length > 0 ? ` ORDER BY ${pkColumns.map((c) => pg.escapeIdentifier(c)).join(', ')}` : '';
      sql = `SELECT * FROM ${quoted}${order}`;
    } else sql = (settings.query ?? '').replace(/[\s;]+$/, '');
    let fields: { name: string }[];
    try {
      fields = (await client.query(`SELECT * FROM (${sql}\n) AS autotask_sync_source LIMIT 0`)).fields;
    } catch (error) {
      throw new SourceError(`${database} ${where}: ${(error as Error).message}`, { location: where }, error);
    }
    const columns = fields.map((f) => f.name);
    checkColumns(columns, where);
    checkKeyColumns(keyColumns, columns, where);
    return { sql, columns, keyColumns };
  }

  async function release(client: pg.Client): Promise<void> {
    await client.query('ROLLBACK').catch(() => undefined);
    await client.end().catch(() => undefined);
  }

  return {
    name: settings.table ?? 'postgres query',
    async describe() {
      const client = await connect();
      try {
        return { columns: (await prepare(client)).columns };
      } finally {
        await release(client);
      }
    },
    async *read(): AsyncGenerator<SourceRecord, void, undefined> {
      const client = await connect();
      let cursor: Cursor<Record<string, unknown>> | undefined;
      try {
        const { sql, keyColumns } = await prepare(client);
        cursor = client.query(new Cursor<Record<string, unknown>>(sql));
        let index = 0;
        for (;;) {
          let rows: Record<string, unknown>[];
          try {
            rows = await cursor.read(batchSize);
          } catch (error) {
            throw new SourceError(
              `${database} ${where}, after ${index} rows: ${(error as Error).message}`,
              { location: where },
              error,
            );
          }
          if (rows.length === 0) break;
          for (const row of rows) {
            options.signal?.throwIfAborted();
            yield sqlRecord(row, { table: label, keyColumns, index: index++ });
          }
        }
      } finally {
        await cursor?.close().catch(() => undefined);
        await release(client);
      }
    },
  };
}
