import pg from 'pg';

import { redactText } from '../../shared/redact.js';
import { sqlValue } from './cell-value.js';
import { incompatibleColumns, type ExistingColumn } from './postgres-column-types.js';
import { flagColumnOf } from './prune-flag-column.js';
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
import { SinkError } from './sink-error.js';
import { postgresColumnName, quoteIdentifier as q, splitQualifiedName } from './sql-identifier.js';

export interface PostgresSinkOptions extends SinkOptions {
  /** Connection URL (`postgres://user:password@host:5432/db`); the password never appears in messages. */
  url: string;
  /** `table` or `schema.table` (created when missing, missing columns added; the schema must exist). */
  table: string;
  /**
   * Most bind parameters per INSERT statement (PostgreSQL allows 65,535).
   * @default 60000
   */
  maxParameters?: number;
}

const POSTGRES_TYPES: Record<SinkColumnType, string> = {
  string: 'text',
  integer: 'bigint',
  decimal: 'numeric',
  boolean: 'boolean',
  datetime: 'timestamptz',
  date: 'date',
};

/**
 * A PostgreSQL table, upserted by the key column with `INSERT ... ON CONFLICT DO UPDATE`, parameterised,
 * in one transaction from `open()` to `close()` (readers see the old rows until the commit). Column
 * names over 63 bytes are shortened with a hash suffix (see `postgresColumnName`).
 */
export class PostgresSink implements Sink {
  readonly description: string;
  private readonly url: string;
  private readonly schema: string | undefined;
  private readonly table: string;
  private readonly keyColumn: string;
  private readonly maxParameters: number;
  private client: pg.Client | undefined;
  private columns: readonly SinkColumn[] = [];
  private sqlNames: string[] = [];
  /** The key column of an existing table is text (ids then compare as text when pruning). */
  private textKey = false;

  constructor(options: PostgresSinkOptions) {
    this.url = options.url;
    const { schema, table } = splitQualifiedName(options.table);
    this.schema = schema;
    this.table = table;
    this.keyColumn = options.keyColumn ?? 'id';
    this.maxParameters = options.maxParameters ?? 60_000;
    this.description = `PostgreSQL ${describeUrl(options.url)} table ${options.table}`;
  }

  async open(columns: readonly SinkColumn[], options: SinkOpenOptions = {}): Promise<void> {
    if (this.client) throw new SinkError('the sink is already open', { destination: this.description });
    const key = columns.find((c) => c.name === this.keyColumn);
    if (!key)
      throw new SinkError(`no "${this.keyColumn}" column to upsert by`, { destination: this.description });
    const client = new pg.Client({ connectionString: this.url });
    // a dropped connection also fails the pending query, which is where we report it
    client.on('error', () => undefined);
    try {
      await client.connect();
      this.client = client;
      await client.query('BEGIN');
      const table = this.qualifiedTable();
      this.sqlNames = columns.map((c) => postgresColumnName(c.name));
      const definitions = columns.map(
        (c, i) => `${q(this.sqlNames[i]!)} ${POSTGRES_TYPES[c.type]}${c === key ? ' PRIMARY KEY' : ''}`,
      );
      await client.query(`CREATE TABLE IF NOT EXISTS ${table} (${definitions.join(', ')})`);
      // only ALTER when a column is missing: ALTER TABLE locks out readers until the commit
      const existing = await client.query<ExistingColumn>(
        `SELECT attname AS name, format_type(atttypid, atttypmod) AS type FROM pg_attribute
          WHERE attrelid = to_regclass($1) AND attnum > 0 AND NOT attisdropped`,
        [table],
      );
      await this.checkShape(client, columns, existing.rows);
      const keyType = existing.rows.find((r) => r.name === postgresColumnName(this.keyColumn))?.type;
      this.textKey = keyType !== undefined && !/^(bigint|integer|smallint|numeric)\b/.test(keyType);
      const present = new Set(existing.rows.map((r) => r.name));
      for (const [i, c] of columns.entries()) {
        const name = this.sqlNames[i]!;
        if (!present.has(name))
          await client.query(
            `ALTER TABLE ${table} ADD COLUMN IF NOT EXISTS ${q(name)} ${POSTGRES_TYPES[c.type]}`,
          );
      }
      if ((options.mode ?? 'replace') === 'replace') await client.query(`DELETE FROM ${table}`);
      this.columns = columns;
    } catch (error) {
      await this.rollback(client);
      throw this.wrap('cannot prepare', error);
    }
  }

  async write(rows: readonly SinkRow[]): Promise<void> {
    const client = this.client;
    if (!client) throw new SinkError('write() before open()', { destination: this.description });
    const perStatement = Math.max(1, Math.floor(this.maxParameters / this.columns.length));
    try {
      for (let i = 0; i < rows.length; i += perStatement) {
        const chunk = rows.slice(i, i + perStatement);
        const values: unknown[] = [];
        const tuples = chunk.map((row) => {
          const placeholders = this.columns.map((c) => {
            values.push(sqlValue(row[c.name], c.type, false));
            return `$${values.length}`;
          });
          return `(${placeholders.join(', ')})`;
        });
        await client.query(
          `${this.insertPrefix()} VALUES ${tuples.join(', ')} ${this.conflictClause()}`,
          values,
        );
      }
    } catch (error) {
      throw this.wrap('cannot write to', error);
    }
  }

  async pruneAbsent(keys: AsyncIterable<readonly number[]>, options: PruneOptions): Promise<PruneOutcome> {
    const client = this.client;
    if (!client) throw new SinkError('pruneAbsent() before open()', { destination: this.description });
    const table = this.qualifiedTable();
    const key = q(postgresColumnName(this.keyColumn));
    const flag =
      options.action === 'flag'
        ? q(postgresColumnName(flagColumnOf(options, this.columns, this.description)))
        : undefined;
    const present = 'pg_temp.autotask_sync_present_keys';
    try {
      await client.query(
        `CREATE TEMP TABLE IF NOT EXISTS autotask_sync_present_keys (k bigint PRIMARY KEY) ON COMMIT DROP`,
      );
      await client.query(`TRUNCATE ${present}`);
      for await (const page of keys) {
        if (page.length === 0) continue;
        await client.query(`INSERT INTO ${present} (k) SELECT unnest($1::bigint[]) ON CONFLICT DO NOTHING`, [
          page.map(String),
        ]);
      }
      const count = async (sql: string): Promise<number> =>
        Number((await client.query<{ n: string }>(sql)).rows[0]?.n ?? 0);
      const unflagged = flag === undefined ? '' : ` AND t.${flag} IS NULL`;
      const match = this.textKey ? `p.k::text = t.${key}::text` : `p.k = t.${key}`;
      const absentWhere = `NOT EXISTS (SELECT 1 FROM ${present} p WHERE ${match})${unflagged}`;
      const outcome: PruneOutcome = {
        present: await count(`SELECT count(*) AS n FROM ${present}`),
        absent: await count(`SELECT count(*) AS n FROM ${table} t WHERE ${absentWhere}`),
        total: await count(`SELECT count(*) AS n FROM ${table} t WHERE true${unflagged}`),
        applied: false,
        removed: 0,
        flagged: 0,
        restored: 0,
      };
      if (options.allow?.(outcome.absent, outcome.total) !== false) {
        outcome.applied = true;
        if (flag === undefined) {
          outcome.removed = (await client.query(`DELETE FROM ${table} t WHERE ${absentWhere}`)).rowCount ?? 0;
        } else {
          outcome.flagged =
            (await client.query(`UPDATE ${table} t SET ${flag} = $1 WHERE ${absentWhere}`, [options.at]))
              .rowCount ?? 0;
          outcome.restored =
            (
              await client.query(
                `UPDATE ${table} t SET ${flag} = NULL WHERE t.${flag} IS NOT NULL
                   AND EXISTS (SELECT 1 FROM ${present} p WHERE ${match})`,
              )
            ).rowCount ?? 0;
        }
      }
      await client.query(`DROP TABLE ${present}`);
      return outcome;
    } catch (error) {
      if (error instanceof SinkError) throw error;
      throw this.wrap('cannot remove deleted records from', error);
    }
  }

  async close(): Promise<void> {
    const client = this.client;
    if (!client) throw new SinkError('close() before open()', { destination: this.description });
    try {
      await client.query('COMMIT');
      this.client = undefined;
      await client.end();
    } catch (error) {
      await this.rollback(client);
      throw this.wrap('cannot commit', error);
    }
  }

  async abort(): Promise<void> {
    if (this.client) await this.rollback(this.client);
  }

  private async rollback(client: pg.Client): Promise<void> {
    this.client = undefined;
    await client.query('ROLLBACK').catch(() => undefined);
    await client.end().catch(() => undefined);
  }

  /**
   * A table that exists must be able to hold what is written: every column of a compatible type, and
   * the key column unique (the upsert's conflict target). Says which columns differ and how to fix it.
   */
  private async checkShape(
    client: pg.Client,
    columns: readonly SinkColumn[],
    existing: readonly ExistingColumn[],
  ): Promise<void> {
    const wrong = incompatibleColumns(
      columns.map((c, i) => ({ name: this.sqlNames[i]!, type: c.type })),
      existing,
    );
    if (wrong.length > 0) {
      throw new SinkError(
        `${this.description} exists with ${wrong.length === 1 ? 'a column' : 'columns'} that cannot hold the exported values: ` +
          wrong.map((w) => `"${w.name}" is ${w.actual} (needs ${w.expected})`).join('; ') +
          '. Change the column types (ALTER TABLE ... ALTER COLUMN ... TYPE ...), drop the table so that the export creates it, or export to another table.',
        { destination: this.description, columns: wrong },
      );
    }
    const keyName = postgresColumnName(this.keyColumn);
    const unique = await client.query<{ ok: boolean }>(
      `SELECT EXISTS (
         SELECT 1 FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[0]
          WHERE i.indrelid = to_regclass($1) AND i.indisunique AND i.indnkeyatts = 1 AND a.attname = $2
       ) AS ok`,
      [this.qualifiedTable(), keyName],
    );
    if (existing.some((c) => c.name === keyName) && unique.rows[0]?.ok !== true) {
      throw new SinkError(
        `${this.description} exists but its "${keyName}" column is not unique: the export upserts by it. ` +
          `Add a key (ALTER TABLE ... ADD PRIMARY KEY ("${keyName}")) or export to another table.`,
        { destination: this.description },
      );
    }
  }

  private qualifiedTable(): string {
    return this.schema === undefined ? q(this.table) : `${q(this.schema)}.${q(this.table)}`;
  }

  private insertPrefix(): string {
    return `INSERT INTO ${this.qualifiedTable()} (${this.sqlNames.map((n) => q(n)).join(', ')})`;
  }

  private conflictClause(): string {
    const keyIndex = this.columns.findIndex((c) => c.name === this.keyColumn);
    const updates = this.sqlNames.filter((_, i) => i !== keyIndex).map((n) => `${q(n)} = EXCLUDED.${q(n)}`);
    return `ON CONFLICT (${q(this.sqlNames[keyIndex]!)}) DO ${updates.length > 0 ? `UPDATE SET ${updates.join(', ')}` : 'NOTHING'}`;
  }

  private wrap(what: string, error: unknown): SinkError {
    const raw = error instanceof Error ? error.message : String(error);
    const message = redactText(raw, [passwordOf(this.url)]);
    const schema = /schema "(.*)" does not exist/.exec(message)?.[1];
    const hint = /no unique or exclusion constraint/i.test(message)
      ? `the existing table has no PRIMARY KEY or UNIQUE constraint on "${this.keyColumn}"; add one or use a new table`
      : schema !== undefined
        ? `${message}: create it first (CREATE SCHEMA ${q(schema)}) or name the table without it`
        : /ECONNREFUSED|ENOTFOUND|EAI_AGAIN/.test(message)
          ? `${message}: is PostgreSQL running there, and are the host and port of the destination's url right?`
          : message;
    return new SinkError(`${what} ${this.description}: ${hint}`, { destination: this.description });
  }
}

/** `host:port/db` of a connection URL, without user or password. */
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
