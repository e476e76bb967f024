import { chmodSync, closeSync, existsSync, mkdirSync, openSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

import Database from 'better-sqlite3';

import { StateStoreError } from '../../shared/errors.js';

/**
 * How hard SQLite works to keep commits on disk (WAL mode in every case; a killed process never loses
 * a commit, the choice only matters for a power cut or an OS crash).
 * - `intents` (default): `synchronous=NORMAL`, except that each commit of write intents (one, or a
 *   group: `recordIntents`) is fsynced (with everything committed before it). An intent must survive
 *   an OS crash, because the create it announces may already have reached Autotask; losing a link,
 *   ledger row or sent mark is harmless or bounded (docs/reliability.md), since the next run re-matches
 *   by key. Bulk writes stay fast.
 * - `full`: every commit is fsynced (`synchronous=FULL`): about 4 ms more per transaction here.
 * - `normal`: nothing is fsynced at commit, not even intents.
 */
export type Durability = 'intents' | 'full' | 'normal';

export interface OpenDatabaseOptions {
  /** Database file; `:memory:` for a throwaway store. Its folder is created with mode 0700. */
  path: string;
  /** @default 'intents' */
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
    db.pragma(`synchronous = ${options.durability === 'full' ? 'FULL' : 'NORMAL'}`);
    db.pragma('foreign_keys = ON');
    // 16 MB of page cache (SQLite's default is 2 MB): a run's ledger and links stay in memory.
    db.pragma('cache_size = -16384');
    return db;
  } catch (error) {
    throw new StateStoreError(
      `cannot open the state database ${path}: ${error instanceof Error ? error.message : String(error)}; ` +
        'check that the folder is writable and the file is an autotask-sync state database',
      error,
    );
  }
}
