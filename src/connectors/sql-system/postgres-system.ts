import pg from 'pg';

import { redactText } from '../../shared/redact.js';
import { quoteIdentifier as q, splitQualifiedName } from '../sinks/sql-identifier.js';
import {
  SqlSystemError,
  keyText,
  type SqlChanges,
  type SqlRow,
  type SqlSystem,
  type SqlSystemSpec,
} from './sql-system.js';
import { updatedAtMs } from './updated-at.js';

/**
 * A PostgreSQL table read and written through one connection, opened on first use. Reads are plain
 * SELECTs; one `write()` is one transaction of parameterised INSERT ... RETURNING and UPDATE statements.
 * Whole numbers beyond 2^53 (bigint) arrive as text and are kept as text.
 */
export class PostgresSystem implements SqlSystem {
  readonly description: string;
  readonly hasUpdatedAt: boolean;
  private readonly table: string;
  private client: pg.Client | undefined;
  private readonly secrets: string[];

  constructor(private readonly spec: SqlSystemSpec & { url: string }) {
    const { schema, table } = splitQualifiedName(spec.table);
    this.table = schema === undefined ? q(table) : `${q(schema)}.${q(table)}`;
    this.description = `PostgreSQL ${describeUrl(spec.url)} table ${spec.table}`;
    this.hasUpdatedAt = spec.updatedAt !== undefined;
    this.secrets = [passwordOf(spec.url)].filter((s): s is string => s !== undefined);
  }

  async readRows(since?: number): Promise<SqlRow[]> {
    const updatedAt = this.spec.updatedAt;
    if (since === undefined || updatedAt === undefined)
      return this.rows(`SELECT * FROM ${this.table} ORDER BY ${q(this.spec.key)}`, []);
    return this.rows(`SELECT * FROM ${this.table} WHERE ${q(updatedAt)} >= $1 ORDER BY ${q(this.spec.key)}`, [
      new Date(since),
    ]);
  }

  async readKeys(): Promise<string[]> {
    const client = await this.connect();
    const result = await this.guard(() =>
      client.query<{ k: unknown }>(`SELECT ${q(this.spec.key)}::text AS k FROM ${this.table}`),
    );
    return result.rows.map((r) => keyText(r.k)).filter((k): k is string => k !== undefined);
  }

  async readByKeys(keys: readonly string[]): Promise<SqlRow[]> {
    if (keys.length === 0) return [];
    return this.rows(`SELECT * FROM ${this.table} WHERE ${q(this.spec.key)}::text = ANY($1::text[])`, [
      [...keys],
    ]);
  }

  async write(changes: SqlChanges): Promise<{ insertedKeys: string[] }> {
    if (this.spec.readOnly === true)
      throw new SqlSystemError(`${this.description} is open for reading only`, { table: this.description });
    const client = await this.connect();
    const stamp: Record<string, unknown> =
      changes.stampedAt !== undefined && this.spec.updatedAt !== undefined
        ? { [this.spec.updatedAt]: new Date(changes.stampedAt) }
        : {};
    return this.guard(async () => {
      await client.query('BEGIN');
      try {
        const insertedKeys: string[] = [];
        for (const insert of changes.inserts) {
          const values = { ...insert, ...stamp };
          const columns = Object.keys(values);
          const result = await client.query<{ k: unknown }>(
            `INSERT INTO ${this.table} (${columns.map(q).join(', ')}) VALUES (${columns
              .map((_, i) => `$${i + 1}`)
              .join(', ')}) RETURNING ${q(this.spec.key)}::text AS k`,
            columns.map((c) => pgValue(values[c])),
          );
          insertedKeys.push(keyText(result.rows[0]?.k) ?? '');
        }
        for (const update of changes.updates) {
          const values = { ...update.values, ...stamp };
          const columns = Object.keys(values);
          if (columns.length === 0) continue;
          await client.query(
            `UPDATE ${this.table} SET ${columns.map((c, i) => `${q(c)} = $${i + 1}`).join(', ')}
              WHERE ${q(this.spec.key)} = $${columns.length + 1}`,
            [...columns.map((c) => pgValue(values[c])), update.key],
          );
        }
        await client.query('COMMIT');
        return { insertedKeys };
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      }
    });
  }

  async close(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => undefined);
  }

  private async rows(sql: string, params: unknown[]): Promise<SqlRow[]> {
    const client = await this.connect();
    const result = await this.guard(() => client.query<Record<string, unknown>>(sql, params));
    return result.rows.map((values) => ({
      key: keyText(values[this.spec.key]) ?? '',
      values,
      updatedAt: this.spec.updatedAt === undefined ? undefined : updatedAtMs(values[this.spec.updatedAt]),
    }));
  }

  private async connect(): Promise<pg.Client> {
    if (this.client) return this.client;
    const client = new pg.Client({ connectionString: this.spec.url, types: { getTypeParser } });
    client.on('error', () => undefined);
    await this.guard(() => client.connect());
    if (this.spec.readOnly === true)
      await this.guard(() => client.query('SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY'));
    this.client = client;
    return client;
  }

  private async guard<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (error) {
      throw new SqlSystemError(
        `${this.description}: ${redactText((error as Error).message, this.secrets)}`,
        { table: this.description },
        error,
      );
    }
  }
}

/** PostgreSQL's `date` type (OID 1082). */
const DATE_OID = 1082;

/**
 * Type parsers: a `date` column is read as its text (`2026-11-15`) instead of pg's local-midnight
 * `Date`, which would shift the calendar date in a time zone west of UTC.
 */
const getTypeParser = ((oid: number, format?: 'text' | 'binary'): ((value: string) => unknown) =>
  oid === DATE_OID && format !== 'binary'
    ? (value: string) => value
    : (pg.types.getTypeParser(oid, format ?? 'text') as (
        value: string,
      ) => unknown)) as typeof pg.types.getTypeParser;

function pgValue(value: unknown): unknown {
  if (value === undefined) return null;
  if (value !== null && typeof value === 'object' && !(value instanceof Date)) return JSON.stringify(value);
  return value;
}

function describeUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.host}${u.pathname}`;
  } catch {
    return '(connection URL)';
  }
}

function passwordOf(url: string): string | undefined {
  try {
    return decodeURIComponent(new URL(url).password) || undefined;
  } catch {
    return undefined;
  }
}
