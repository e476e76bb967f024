import { chmodSync, closeSync, existsSync, mkdirSync, openSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

import Database from 'better-sqlite3';

import { StateStoreError } from '../../shared/errors.js';

/**
 * How hard SQLite works to keep commits on disk.
 * - `full` (default): every commit is fsynced. A committed write intent survives a power cut, which
 *   is what makes "never a duplicate" hold after an OS crash; the cost is one fsync per transaction,
 *   so bulk writes are batched into few transactions (100,000 links is a few dozen commits).
 * - `normal`: WAL commits survive a killed process but the last ones may be lost on power failure.
 */
export type Durability = 'full' | 'normal';

export interface OpenDatabaseOptions {
  /** Database file; `:memory:` for a throwaway store. Its folder is created with mode 0700. */
  path: string;
  /** @default 'full' */
  durability?: Durability;
  /** How long to wait for another process's lock before failing, in ms. @default 5000 */
  busyTimeoutMs?: number;
}

/** Opens (creating if needed) a state database file with private permissions and our pragmas. */
export function openDatabase(options: OpenDatabaseOptions): Database.Database {
  const memory = options.path === ':memory:';
  const path = memory ? options.path : resolve(options.path);
  try {
    if (!memory) {
      const dir = dirname(path);
      if (!existsSync(dir)) mkdirSync(dir, { recursive: true, mode: 0o700 });
      if (!existsSync(path)) closeSync(openSync(path, 'a', 0o600));
      chmodSync(path, 0o600);
    }
    const db = new Database(path, { timeout: options.busyTimeoutMs ?? 5000 });
    if (!memory) db.pragma('journal_mode = WAL');
    db.pragma(`synchronous = ${(options.durability ?? 'full') === 'full' ? 'FULL' : 'NORMAL'}`);
    db.pragma('foreign_keys = ON');
    return db;
  } catch (error) {
    throw new StateStoreError(
      `cannot open the state database ${path}: ${error instanceof Error ? error.message : String(error)}; ` +
        'check that the folder is writable and the file is an autotask-sync state database',
      error,
    );
  }
}
