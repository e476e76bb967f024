import type { Database } from 'better-sqlite3';

import { StateStoreError } from '../../shared/errors.js';
import type { Migration } from './migration.js';
import { MIGRATIONS } from './migrations.js';

/**
 * Brings the database to the latest schema (or to `target`): creates `schema_version` if missing,
 * then applies each pending migration in its own transaction. A database written by a newer
 * autotask-sync is refused, never downgraded. Returns the versions applied.
 */
export function migrate(
  db: Database,
  options: { migrations?: readonly Migration[]; target?: number; now?: number } = {},
): number[] {
  const migrations = options.migrations ?? MIGRATIONS;
  const latest = migrations[migrations.length - 1]?.version ?? 0;
  const target = options.target ?? latest;
  migrations.forEach((m, i) => {
    if (m.version !== i + 1)
      throw new StateStoreError(`migration ${m.name} has version ${m.version}, expected ${i + 1}`);
  });
  db.exec(`CREATE TABLE IF NOT EXISTS schema_version (
    version    INTEGER PRIMARY KEY,
    name       TEXT    NOT NULL,
    applied_at INTEGER NOT NULL
  )`);
  const current = currentSchemaVersion(db);
  if (current > latest) {
    throw new StateStoreError(
      `the state database ${db.name} has schema version ${current}, newer than this autotask-sync ` +
        `understands (${latest}); upgrade autotask-sync, or point "state:" at another file`,
    );
  }
  const applied: number[] = [];
  const record = db.prepare('INSERT INTO schema_version (version, name, applied_at) VALUES (?, ?, ?)');
  for (const m of migrations) {
    if (m.version <= current || m.version > target) continue;
    const foreignKeys = m.rebuildsTables === true && db.pragma('foreign_keys', { simple: true }) === 1;
    if (foreignKeys) db.pragma('foreign_keys = OFF');
    try {
      const ran = db
        .transaction(() => {
          // Another process may have applied it since we looked (both opened the file at once).
          if (currentSchemaVersion(db) >= m.version) return false;
          db.exec(m.sql);
          if (m.rebuildsTables === true) {
            const broken = db.pragma('foreign_key_check') as unknown[];
            if (broken.length > 0)
              throw new StateStoreError(
                `migration ${m.name} would leave ${broken.length} rows with a broken reference; nothing was changed`,
              );
          }
          record.run(m.version, m.name, options.now ?? Date.now());
          return true;
        })
        .immediate();
      if (ran) applied.push(m.version);
    } finally {
      if (foreignKeys) db.pragma('foreign_keys = ON');
    }
  }
  return applied;
}

/** The highest migration applied to `db` (0 for an empty database). */
export function currentSchemaVersion(db: Database): number {
  const hasTable = db
    .prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'")
    .get();
  if (!hasTable) return 0;
  const row = db.prepare('SELECT MAX(version) AS v FROM schema_version').get() as { v: number | null };
  return row.v ?? 0;
}
