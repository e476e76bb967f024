import type { Database, Statement } from 'better-sqlite3';

import type { MetadataCacheStore } from '../../autotask/persistence-ports.js';
import { parseJsonColumn } from './json-column.js';

/** `MetadataCacheStore` on the `metadata_cache` table (values stored as JSON). */
export class MetadataCacheRepository implements MetadataCacheStore {
  private readonly readStmt: Statement<[string], { value: string; stored_at: number }>;
  private readonly writeStmt: Statement<[string, string, number]>;

  constructor(db: Database) {
    this.readStmt = db.prepare('SELECT value, stored_at FROM metadata_cache WHERE key = ?');
    this.writeStmt = db.prepare(
      `INSERT INTO metadata_cache (key, value, stored_at) VALUES (?, ?, ?)
       ON CONFLICT (key) DO UPDATE SET value = excluded.value, stored_at = excluded.stored_at`,
    );
  }

  read(key: string): { value: unknown; storedAt: number } | undefined {
    const row = this.readStmt.get(key);
    return row
      ? { value: parseJsonColumn<unknown>(row.value, `metadata cache ${key}`), storedAt: row.stored_at }
      : undefined;
  }

  write(key: string, value: unknown, storedAt: number): void {
    this.writeStmt.run(key, JSON.stringify(value ?? null), storedAt);
  }
}
