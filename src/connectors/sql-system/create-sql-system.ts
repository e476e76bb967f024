import { PostgresSystem } from './postgres-system.js';
import { SqliteSystem } from './sqlite-system.js';
import { SqlSystemError, type SqlSystem, type SqlSystemSpec } from './sql-system.js';

/** Opens the table a two-way sync names (SQLite file or PostgreSQL URL). */
export function createSqlSystem(spec: SqlSystemSpec): SqlSystem {
  if (spec.type === 'sqlite') {
    if (spec.path === undefined)
      throw new SqlSystemError('a SQLite table needs `path`', { table: spec.table });
    return new SqliteSystem({ ...spec, path: spec.path });
  }
  if (spec.url === undefined)
    throw new SqlSystemError('a PostgreSQL table needs `url`', { table: spec.table });
  return new PostgresSystem({ ...spec, url: spec.url });
}
