/**
 * The durable intake queue (table `intake_items`, migration 003 of the state database). Each accepted
 * submission or webhook event is committed here before the HTTP reply; workers claim due items with a
 * lease, and settle each as `done`, back to `queued` (retry with backoff) or `dead` (dead-letter list).
 * A lease that runs out (the process was killed mid-batch) makes the item due again: processing goes
 * through the engine's links and intents, so running an item twice never creates a record twice.
 *
 * Opens its own connection to the state database (WAL; better-sqlite3 is synchronous, so the two
 * connections of one process never hold a transaction across an `await`).
 */
import { createHash } from 'node:crypto';

import type { Database, Statement } from 'better-sqlite3';

import type { Clock } from '../../shared/clock.js';
import { migrate } from '../../state/migrations/migrate.js';
import { openDatabase } from '../../state/sqlite/open-database.js';

export type IntakeItemKind = 'form' | 'webhook';
/** `queued` → `processing` → `done` | `queued` (retry) | `dead`. */
export type IntakeItemStatus = 'queued' | 'processing' | 'done' | 'dead';

/** What processing made of one item (per record stream for forms; the table write for webhooks). */
export interface IntakeOutcome {
  records: {
    /** Record stream (form) or table (webhook). */
    name: string;
    action: string;
    autotaskId: number | null;
    reason: string | null;
    field?: string | null;
    /** The record was the same as (and written once with) this earlier submission's. */
    sharedWith?: number;
  }[];
}

export interface IntakeItem {
  id: number;
  intake: string;
  kind: IntakeItemKind;
  status: IntakeItemStatus;
  /** The submission's fields (form) or the callout (webhook). */
  body: Record<string, unknown>;
  bodyHash: string;
  idempotencyKey: string | null;
  receivedAt: number;
  attempts: number;
  nextAttemptAt: number;
  /** Process this item in a batch of its own (it conflicted with another item of its batch). */
  solo: boolean;
  lastError: string | null;
  outcome: IntakeOutcome | null;
  runId: number | null;
  updatedAt: number;
}

export interface EnqueueInput {
  intake: string;
  kind: IntakeItemKind;
  body: Record<string, unknown>;
  idempotencyKey?: string | undefined;
  /** An identical body received within this many ms is the same submission. 0: never. */
  dedupeWindowMs: number;
}

export interface EnqueueResult {
  item: IntakeItem;
  /** False when an earlier item with the same idempotency key or identical body was returned. */
  created: boolean;
  /** Why an earlier item was returned. */
  duplicateOf?: 'idempotency-key' | 'identical-body';
}

export interface IntakeQueueOptions {
  /** The state database file (the config's `state:`), or `:memory:`. */
  path: string;
  clock: Clock;
}

interface Row {
  id: number;
  intake: string;
  kind: string;
  status: string;
  body: string;
  body_hash: string;
  idempotency_key: string | null;
  received_at: number;
  attempts: number;
  next_attempt_at: number;
  solo: number;
  last_error: string | null;
  outcome: string | null;
  run_id: number | null;
  updated_at: number;
}

/** Stable hash of a body: key order does not matter. */
export function bodyHash(body: Record<string, unknown>): string {
  return createHash('sha256').update(stableStringify(body)).digest('hex');
}

function stableStringify(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(stableStringify).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableStringify(v)}`).join(',')}}`;
}

export class IntakeQueue {
  private readonly db: Database;
  private readonly clock: Clock;
  private readonly stmts: {
    insert: Statement;
    byId: Statement;
    byKey: Statement;
    byBody: Statement;
    due: Statement;
    claim: Statement;
    settle: Statement;
  };

  constructor(options: IntakeQueueOptions) {
    this.db = openDatabase({ path: options.path });
    this.clock = options.clock;
    migrate(this.db, { now: this.clock.now() });
    this.stmts = {
      insert: this.db.prepare(
        `INSERT INTO intake_items (intake, kind, status, body, body_hash, idempotency_key, received_at,
           next_attempt_at, updated_at) VALUES (?, ?, 'queued', ?, ?, ?, ?, ?, ?) RETURNING *`,
      ),
      byId: this.db.prepare('SELECT * FROM intake_items WHERE id = ?'),
      byKey: this.db.prepare('SELECT * FROM intake_items WHERE intake = ? AND idempotency_key = ?'),
      byBody: this.db.prepare(
        `SELECT * FROM intake_items WHERE intake = ? AND body_hash = ? AND received_at >= ?
         ORDER BY id DESC LIMIT 1`,
      ),
      due: this.db.prepare(
        `SELECT * FROM intake_items
         WHERE intake = ? AND ((status = 'queued' AND next_attempt_at <= ?)
                               OR (status = 'processing' AND lease_until < ?))
         ORDER BY id LIMIT ?`,
      ),
      claim: this.db.prepare(
        `UPDATE intake_items SET status = 'processing', lease_until = ?, attempts = attempts + 1, updated_at = ?
         WHERE id = ?`,
      ),
      settle: this.db.prepare(
        `UPDATE intake_items SET status = ?, next_attempt_at = ?, lease_until = NULL, solo = ?, last_error = ?,
           outcome = COALESCE(?, outcome), run_id = COALESCE(?, run_id), attempts = MAX(0, attempts - ?),
           updated_at = ? WHERE id = ?`,
      ),
    };
  }

  /**
   * Queues a submission durably (committed when this returns), or returns the earlier item with the
   * same idempotency key, or with an identical body within the window.
   */
  enqueue(input: EnqueueInput): EnqueueResult {
    const now = this.clock.now();
    const hash = bodyHash(input.body);
    const key = input.idempotencyKey ?? null;
    return this.db
      .transaction((): EnqueueResult => {
        if (key !== null) {
          const row = this.stmts.byKey.get(input.intake, key) as Row | undefined;
          if (row !== undefined) return { item: toItem(row), created: false, duplicateOf: 'idempotency-key' };
        }
        if (input.dedupeWindowMs > 0) {
          const row = this.stmts.byBody.get(input.intake, hash, now - input.dedupeWindowMs) as
            Row | undefined;
          if (row !== undefined) return { item: toItem(row), created: false, duplicateOf: 'identical-body' };
        }
        const row = this.stmts.insert.get(
          input.intake,
          input.kind,
          JSON.stringify(input.body),
          hash,
          key,
          now,
          now,
          now,
        ) as Row;
        return { item: toItem(row), created: true };
      })
      .immediate();
  }

  get(id: number): IntakeItem | undefined {
    const row = this.stmts.byId.get(id) as Row | undefined;
    return row === undefined ? undefined : toItem(row);
  }

  /**
   * Claims up to `limit` due items of an intake, oldest first (queued and due, or processing with a
   * lease that ran out), leasing them for `leaseMs`. A `solo` item is only ever claimed alone.
   */
  claim(intake: string, limit: number, leaseMs: number): IntakeItem[] {
    const now = this.clock.now();
    return this.db
      .transaction((): IntakeItem[] => {
        const rows = this.stmts.due.all(intake, now, now, limit) as Row[];
        const picked: Row[] = [];
        for (const row of rows) {
          if (row.solo === 1 && picked.length > 0) break;
          picked.push(row);
          if (row.solo === 1) break;
        }
        for (const row of picked) this.stmts.claim.run(now + leaseMs, now, row.id);
        return picked.map((r) => toItem({ ...r, status: 'processing', attempts: r.attempts + 1 }));
      })
      .immediate();
  }

  /**
   * Puts every `processing` item back in the queue, due now: called when `serve` starts, since the
   * process that claimed them is gone (one `serve` per state database). The engine's intents make
   * processing them again safe: a create that reached Autotask before the crash is found, not repeated.
   */
  requeueInterrupted(): number {
    const now = this.clock.now();
    return this.db
      .prepare(
        `UPDATE intake_items SET status = 'queued', lease_until = NULL, next_attempt_at = ?, updated_at = ?
         WHERE status = 'processing'`,
      )
      .run(now, now).changes;
  }

  /** Gives a claimed item back unprocessed (not counted as an attempt). */
  release(items: readonly IntakeItem[]): void {
    const now = this.clock.now();
    const stmt = this.db.prepare(
      `UPDATE intake_items SET status = 'queued', attempts = MAX(0, attempts - 1), lease_until = NULL,
         updated_at = ? WHERE id = ? AND status = 'processing'`,
    );
    this.db.transaction(() => {
      for (const item of items) stmt.run(now, item.id);
    })();
  }

  /** Settles processed items in one transaction. */
  settle(updates: readonly SettleInput[]): void {
    const now = this.clock.now();
    this.db.transaction(() => {
      for (const u of updates)
        this.stmts.settle.run(
          u.status,
          u.nextAttemptAt ?? now,
          u.solo === true ? 1 : 0,
          u.error ?? null,
          u.outcome === undefined ? null : JSON.stringify(u.outcome),
          u.runId ?? null,
          u.refundAttempt === true ? 1 : 0,
          now,
          u.id,
        );
    })();
  }

  /** Moves dead items (all of an intake, or these ids) back to the queue with fresh attempts. */
  retryDead(intake: string | undefined, ids?: readonly number[]): number {
    const now = this.clock.now();
    const where = [`status = 'dead'`];
    const params: unknown[] = [now, now];
    if (intake !== undefined) {
      where.push('intake = ?');
      params.push(intake);
    }
    if (ids !== undefined && ids.length > 0) {
      where.push(`id IN (${ids.map(() => '?').join(',')})`);
      params.push(...ids);
    }
    const result = this.db
      .prepare(
        `UPDATE intake_items SET status = 'queued', attempts = 0, next_attempt_at = ?, updated_at = ?,
           solo = 0 WHERE ${where.join(' AND ')}`,
      )
      .run(...params);
    return result.changes;
  }

  /** Items, newest first. */
  list(filter: { intake?: string; status?: IntakeItemStatus; limit?: number } = {}): IntakeItem[] {
    const where: string[] = [];
    const params: unknown[] = [];
    if (filter.intake !== undefined) {
      where.push('intake = ?');
      params.push(filter.intake);
    }
    if (filter.status !== undefined) {
      where.push('status = ?');
      params.push(filter.status);
    }
    const sql = `SELECT * FROM intake_items ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''}
      ORDER BY id DESC LIMIT ?`;
    return (this.db.prepare(sql).all(...params, filter.limit ?? 50) as Row[]).map(toItem);
  }

  /** Items per status, per intake. */
  counts(): { intake: string; status: IntakeItemStatus; count: number }[] {
    return this.db
      .prepare(
        'SELECT intake, status, COUNT(*) AS count FROM intake_items GROUP BY intake, status ORDER BY intake',
      )
      .all() as { intake: string; status: IntakeItemStatus; count: number }[];
  }

  /** How many items of the intake are due now, and when the oldest of them was received. */
  due(intake: string): { count: number; oldestReceivedAt: number | null } {
    const now = this.clock.now();
    const row = this.db
      .prepare(
        `SELECT COUNT(*) AS n, MIN(received_at) AS oldest FROM intake_items
         WHERE intake = ? AND ((status = 'queued' AND next_attempt_at <= ?) OR (status = 'processing' AND lease_until < ?))`,
      )
      .get(intake, now, now) as { n: number; oldest: number | null };
    return { count: row.n, oldestReceivedAt: row.oldest };
  }

  /** The earliest time an item of the intake becomes due (queued), if any. */
  nextDueAt(intake: string): number | undefined {
    const row = this.db
      .prepare(
        `SELECT MIN(CASE WHEN status = 'queued' THEN next_attempt_at ELSE lease_until END) AS t
         FROM intake_items WHERE intake = ? AND status IN ('queued', 'processing')`,
      )
      .get(intake) as { t: number | null };
    return row.t ?? undefined;
  }

  close(): void {
    this.db.close();
  }
}

export interface SettleInput {
  id: number;
  status: 'queued' | 'done' | 'dead';
  /** When a `queued` item is due again. @default now */
  nextAttemptAt?: number;
  solo?: boolean;
  error?: string | null;
  outcome?: IntakeOutcome;
  runId?: number | null;
  /** The attempt was not the item's fault (budget exhausted, configuration): do not count it. */
  refundAttempt?: boolean;
}

function toItem(row: Row): IntakeItem {
  return {
    id: row.id,
    intake: row.intake,
    kind: row.kind as IntakeItemKind,
    status: row.status as IntakeItemStatus,
    body: JSON.parse(row.body) as Record<string, unknown>,
    bodyHash: row.body_hash,
    idempotencyKey: row.idempotency_key,
    receivedAt: row.received_at,
    attempts: row.attempts,
    nextAttemptAt: row.next_attempt_at,
    solo: row.solo === 1,
    lastError: row.last_error,
    outcome: row.outcome === null ? null : (JSON.parse(row.outcome) as IntakeOutcome),
    runId: row.run_id,
    updatedAt: row.updated_at,
  };
}
