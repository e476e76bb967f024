import type { Database, Statement } from 'better-sqlite3';

import type { ApiUsageStore } from '../../autotask/persistence-ports.js';
import type { Clock } from '../../shared/clock.js';

const MINUTE = 60_000;
/** Buckets older than this are pruned on write: the budget only looks back one hour. */
const KEEP_MS = 2 * 60 * MINUTE;

/**
 * `ApiUsageStore` on the `api_usage` table, bucketed by minute. `recent(since)` reports each bucket
 * at the latest moment its calls may have happened (the bucket's last millisecond, or now if that is
 * still to come), including the bucket that contains `since`: calls stay in the rolling hour at most
 * a minute too long and never leave it too early, so usage is over-counted, never under-counted.
 */
export class ApiUsageRepository implements ApiUsageStore {
  private readonly addStmt: Statement<[number, number]>;
  private readonly recentStmt: Statement<[number], { minute: number; count: number }>;
  private readonly pruneStmt: Statement<[number]>;

  constructor(
    db: Database,
    private readonly clock: Clock,
  ) {
    this.addStmt = db.prepare(
      `INSERT INTO api_usage (minute, count) VALUES (?, ?)
       ON CONFLICT (minute) DO UPDATE SET count = count + excluded.count`,
    );
    this.recentStmt = db.prepare('SELECT minute, count FROM api_usage WHERE minute >= ? ORDER BY minute');
    this.pruneStmt = db.prepare('DELETE FROM api_usage WHERE minute < ?');
  }

  recent(sinceMs: number): { at: number; count: number }[] {
    const first = Math.floor(sinceMs / MINUTE) * MINUTE;
    const now = this.clock.now();
    return this.recentStmt
      .all(first)
      .map((r) => ({ at: Math.min(r.minute + MINUTE - 1, now), count: r.count }));
  }

  add(at: number, count: number): void {
    const minute = Math.floor(at / MINUTE) * MINUTE;
    this.addStmt.run(minute, count);
    this.pruneStmt.run(minute - KEEP_MS);
  }
}
