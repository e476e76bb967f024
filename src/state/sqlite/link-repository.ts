import type { Database, Statement, Transaction } from 'better-sqlite3';

import type { Clock } from '../../shared/clock.js';
import type { Link, LinkInput, LinkRef } from '../state-store.js';
import { parseJsonColumn } from './json-column.js';

interface LinkRow {
  sync: string;
  object: string;
  key: string;
  autotask_id: number;
  payload_hash: string;
  fields: string;
  source_location: string | null;
  run_id: number | null;
  updated_at: number;
}

function toLink(row: LinkRow): Link {
  return {
    sync: row.sync,
    object: row.object,
    key: row.key,
    autotaskId: row.autotask_id,
    payloadHash: row.payload_hash,
    fields:
      parseJsonColumn<Record<string, unknown>>(row.fields, `links.fields of ${row.sync}/${row.key}`) ?? {},
    sourceLocation: row.source_location,
    runId: row.run_id,
    updatedAt: row.updated_at,
  };
}

/** Rows fetched per query when streaming links; writes may happen between pages. */
const PAGE_SIZE = 1000;

/** The `links` table: source dedupe key ↔ Autotask id, with what we last wrote. */
export class LinkRepository {
  private readonly one: Statement<[string, string, string], LinkRow>;
  private readonly many: Statement<[string, string, string], LinkRow>;
  private readonly page: Statement<[string, string, string, number], LinkRow>;
  private readonly byAutotaskId: Statement<[string, number], LinkRow>;
  private readonly upsertOne: Statement;
  private readonly deleteOne: Statement<[string, string, string]>;
  private readonly upsertMany: Transaction<(links: readonly LinkInput[]) => void>;

  constructor(
    db: Database,
    private readonly clock: Clock,
  ) {
    this.one = db.prepare('SELECT * FROM links WHERE sync = ? AND object = ? AND key = ?');
    this.many = db.prepare(
      'SELECT * FROM links WHERE sync = ? AND object = ? AND key IN (SELECT value FROM json_each(?))',
    );
    this.page = db.prepare(
      'SELECT * FROM links WHERE sync = ? AND object = ? AND key > ? ORDER BY key LIMIT ?',
    );
    this.byAutotaskId = db.prepare('SELECT * FROM links WHERE object = ? AND autotask_id = ? ORDER BY sync');
    this.upsertOne = db.prepare(
      `INSERT INTO links (sync, object, key, autotask_id, payload_hash, fields, source_location, run_id, updated_at)
       VALUES (@sync, @object, @key, @autotaskId, @payloadHash, @fields, @sourceLocation, @runId, @updatedAt)
       ON CONFLICT (sync, object, key) DO UPDATE SET
         autotask_id = excluded.autotask_id, payload_hash = excluded.payload_hash, fields = excluded.fields,
         source_location = excluded.source_location, run_id = excluded.run_id, updated_at = excluded.updated_at`,
    );
    this.deleteOne = db.prepare('DELETE FROM links WHERE sync = ? AND object = ? AND key = ?');
    this.upsertMany = db.transaction((links: readonly LinkInput[]) => {
      const now = this.clock.now();
      for (const l of links) {
        this.upsertOne.run({
          sync: l.sync,
          object: l.object,
          key: l.key,
          autotaskId: l.autotaskId,
          payloadHash: l.payloadHash,
          fields: JSON.stringify(l.fields),
          sourceLocation: l.sourceLocation ?? null,
          runId: l.runId ?? null,
          updatedAt: l.updatedAt ?? now,
        });
      }
    });
  }

  get(ref: LinkRef): Link | undefined {
    const row = this.one.get(ref.sync, ref.object, ref.key);
    return row ? toLink(row) : undefined;
  }

  getMany(sync: string, object: string, keys: readonly string[]): Map<string, Link> {
    const out = new Map<string, Link>();
    for (let i = 0; i < keys.length; i += 10_000) {
      const rows = this.many.all(sync, object, JSON.stringify(keys.slice(i, i + 10_000)));
      for (const row of rows) out.set(row.key, toLink(row));
    }
    return out;
  }

  *iterate(sync: string, object: string): IterableIterator<Link> {
    let after = '';
    for (;;) {
      const rows = this.page.all(sync, object, after, PAGE_SIZE);
      for (const row of rows) yield toLink(row);
      const last = rows[rows.length - 1];
      if (!last || rows.length < PAGE_SIZE) return;
      after = last.key;
    }
  }

  findByAutotaskId(object: string, autotaskId: number): Link[] {
    return this.byAutotaskId.all(object, autotaskId).map(toLink);
  }

  upsert(links: readonly LinkInput[]): void {
    if (links.length > 0) this.upsertMany(links);
  }

  delete(ref: LinkRef): boolean {
    return this.deleteOne.run(ref.sync, ref.object, ref.key).changes > 0;
  }
}
