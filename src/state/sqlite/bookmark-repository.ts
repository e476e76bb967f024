import type { Database, Statement } from 'better-sqlite3';

import type { Clock } from '../../shared/clock.js';
import type { Bookmark, BookmarkInput } from '../state-store.js';

interface BookmarkRow {
  name: string;
  stream: string;
  field: string;
  value: string;
  updated_at: number;
}

/** The `bookmarks` table: export cursors. */
export class BookmarkRepository {
  private readonly one: Statement<[string, string], BookmarkRow>;
  private readonly upsert: Statement;
  private readonly remove: Statement<[string, string]>;

  constructor(
    db: Database,
    private readonly clock: Clock,
  ) {
    this.one = db.prepare('SELECT * FROM bookmarks WHERE name = ? AND stream = ?');
    this.upsert = db.prepare(
      `INSERT INTO bookmarks (name, stream, field, value, updated_at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (name, stream) DO UPDATE SET
         field = excluded.field, value = excluded.value, updated_at = excluded.updated_at`,
    );
    this.remove = db.prepare('DELETE FROM bookmarks WHERE name = ? AND stream = ?');
  }

  get(name: string, stream: string): Bookmark | undefined {
    const row = this.one.get(name, stream);
    return row
      ? { name: row.name, stream: row.stream, field: row.field, value: row.value, updatedAt: row.updated_at }
      : undefined;
  }

  set(b: BookmarkInput): void {
    this.upsert.run(b.name, b.stream, b.field, b.value, b.updatedAt ?? this.clock.now());
  }

  delete(name: string, stream: string): void {
    this.remove.run(name, stream);
  }
}
