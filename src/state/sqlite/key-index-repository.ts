import type { Database, Statement, Transaction } from 'better-sqlite3';

import type { Clock } from '../../shared/clock.js';
import type {
  IndexCursor,
  IndexCursorInput,
  IndexEntry,
  IndexRecord,
  IndexRecordInput,
} from '../state-store.js';

interface EntryRow {
  object: string;
  kind: string;
  key: string;
  autotask_id: number;
  version: string | null;
  updated_at: number;
}
interface CursorRow {
  object: string;
  field: string;
  value: string;
  full_scan_at: number;
  updated_at: number;
}

/** The Autotask key index (`key_index`, `key_index_records`) and its per-object cursor. */
export class KeyIndexRepository {
  private readonly deleteKeys: Statement<[string, number]>;
  private readonly deleteRecord: Statement<[string, number]>;
  private readonly insertKey: Statement<[string, string, string, number]>;
  private readonly upsertRecord: Statement<[string, number, string | null, number]>;
  private readonly lookup: Statement<[string, string, string], EntryRow>;
  private readonly recordById: Statement<[string, number], { version: string | null; updated_at: number }>;
  private readonly keysById: Statement<[string, number], { kind: string; key: string }>;
  private readonly count: Statement<[string], { n: number }>;
  private readonly clearKeys: Statement<[string]>;
  private readonly clearRecords: Statement<[string]>;
  private readonly clearCursor: Statement<[string]>;
  private readonly cursorGet: Statement<[string], CursorRow>;
  private readonly cursorSet: Statement<
    [{ object: string; field: string; value: string; fullScanAt: number | null; now: number }]
  >;
  private readonly putMany: Transaction<(object: string, records: readonly IndexRecordInput[]) => void>;
  private readonly removeMany: Transaction<(object: string, ids: readonly number[]) => void>;
  private readonly clearAll: Transaction<(object: string) => void>;

  constructor(
    db: Database,
    private readonly clock: Clock,
  ) {
    this.deleteKeys = db.prepare('DELETE FROM key_index WHERE object = ? AND autotask_id = ?');
    this.deleteRecord = db.prepare('DELETE FROM key_index_records WHERE object = ? AND autotask_id = ?');
    this.insertKey = db.prepare(
      'INSERT OR IGNORE INTO key_index (object, kind, key, autotask_id) VALUES (?, ?, ?, ?)',
    );
    this.upsertRecord = db.prepare(
      `INSERT INTO key_index_records (object, autotask_id, version, updated_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (object, autotask_id) DO UPDATE SET version = excluded.version, updated_at = excluded.updated_at`,
    );
    this.lookup = db.prepare(
      `SELECT k.object, k.kind, k.key, k.autotask_id, r.version, r.updated_at
         FROM key_index k JOIN key_index_records r ON r.object = k.object AND r.autotask_id = k.autotask_id
        WHERE k.object = ? AND k.kind = ? AND k.key IN (SELECT value FROM json_each(?))
        ORDER BY k.key, k.autotask_id`,
    );
    this.recordById = db.prepare(
      'SELECT version, updated_at FROM key_index_records WHERE object = ? AND autotask_id = ?',
    );
    this.keysById = db.prepare(
      'SELECT kind, key FROM key_index WHERE object = ? AND autotask_id = ? ORDER BY kind, key',
    );
    this.count = db.prepare('SELECT COUNT(*) AS n FROM key_index_records WHERE object = ?');
    this.clearKeys = db.prepare('DELETE FROM key_index WHERE object = ?');
    this.clearRecords = db.prepare('DELETE FROM key_index_records WHERE object = ?');
    this.clearCursor = db.prepare('DELETE FROM key_index_cursors WHERE object = ?');
    this.cursorGet = db.prepare('SELECT * FROM key_index_cursors WHERE object = ?');
    this.cursorSet = db.prepare(
      `INSERT INTO key_index_cursors (object, field, value, full_scan_at, updated_at)
       VALUES (@object, @field, @value, COALESCE(@fullScanAt, @now), @now)
       ON CONFLICT (object) DO UPDATE SET field = excluded.field, value = excluded.value,
         full_scan_at = COALESCE(@fullScanAt, key_index_cursors.full_scan_at), updated_at = excluded.updated_at`,
    );
    this.putMany = db.transaction((object: string, records: readonly IndexRecordInput[]) => {
      const now = this.clock.now();
      for (const r of records) {
        this.deleteKeys.run(object, r.autotaskId);
        this.upsertRecord.run(object, r.autotaskId, r.version, now);
        for (const k of r.keys) this.insertKey.run(object, k.kind, k.key, r.autotaskId);
      }
    });
    this.removeMany = db.transaction((object: string, ids: readonly number[]) => {
      for (const id of ids) {
        this.deleteKeys.run(object, id);
        this.deleteRecord.run(object, id);
      }
    });
    this.clearAll = db.transaction((object: string) => {
      this.clearKeys.run(object);
      this.clearRecords.run(object);
      this.clearCursor.run(object);
    });
  }

  put(object: string, records: readonly IndexRecordInput[]): void {
    if (records.length > 0) this.putMany(object, records);
  }

  remove(object: string, ids: readonly number[]): void {
    if (ids.length > 0) this.removeMany(object, ids);
  }

  lookupKeys(object: string, kind: string, keys: readonly string[]): Map<string, IndexEntry[]> {
    const out = new Map<string, IndexEntry[]>();
    for (let i = 0; i < keys.length; i += 10_000) {
      for (const row of this.lookup.all(object, kind, JSON.stringify(keys.slice(i, i + 10_000)))) {
        const entry: IndexEntry = {
          object: row.object,
          kind: row.kind,
          key: row.key,
          autotaskId: row.autotask_id,
          version: row.version,
          updatedAt: row.updated_at,
        };
        const list = out.get(row.key);
        if (list) list.push(entry);
        else out.set(row.key, [entry]);
      }
    }
    return out;
  }

  getRecord(object: string, autotaskId: number): IndexRecord | undefined {
    const row = this.recordById.get(object, autotaskId);
    if (!row) return undefined;
    return {
      object,
      autotaskId,
      version: row.version,
      keys: this.keysById.all(object, autotaskId),
      updatedAt: row.updated_at,
    };
  }

  countRecords(object: string): number {
    return this.count.get(object)?.n ?? 0;
  }

  clear(object: string): void {
    this.clearAll(object);
  }

  getCursor(object: string): IndexCursor | undefined {
    const row = this.cursorGet.get(object);
    return row
      ? {
          object: row.object,
          field: row.field,
          value: row.value,
          fullScanAt: row.full_scan_at,
          updatedAt: row.updated_at,
        }
      : undefined;
  }

  setCursor(object: string, cursor: IndexCursorInput): void {
    this.cursorSet.run({
      object,
      field: cursor.field,
      value: cursor.value,
      fullScanAt: cursor.fullScanAt ?? null,
      now: this.clock.now(),
    });
  }
}
