import type { Database, Statement } from 'better-sqlite3';

import type { Clock } from '../../shared/clock.js';
import { StateStoreError } from '../../shared/errors.js';
import type { Intent, IntentInput, IntentStatus } from '../state-store.js';

interface IntentRow {
  id: number;
  run_id: number;
  sync: string;
  object: string;
  key: string;
  payload_hash: string;
  status: IntentStatus;
  autotask_id: number | null;
  reason: string | null;
  created_at: number;
  resolved_at: number | null;
  outcome_unknown_at: number | null;
  sent_at: number | null;
}

function toIntent(row: IntentRow): Intent {
  return {
    id: row.id,
    runId: row.run_id,
    sync: row.sync,
    object: row.object,
    key: row.key,
    payloadHash: row.payload_hash,
    status: row.status,
    autotaskId: row.autotask_id,
    reason: row.reason,
    createdAt: row.created_at,
    resolvedAt: row.resolved_at,
    outcomeUnknownAt: row.outcome_unknown_at,
    sentAt: row.sent_at,
  };
}

/** The `intents` table: creates about to be sent, resolved or abandoned afterwards. */
export class IntentRepository {
  private readonly insert: Statement<[number, string, string, string, string, number], IntentRow>;
  private readonly byId: Statement<[number], IntentRow>;
  private readonly settle: Statement;
  private readonly pending: Statement<[{ sync: string | null }], IntentRow>;
  private readonly unknown: Statement;
  private readonly sent: Statement;

  constructor(
    db: Database,
    private readonly clock: Clock,
  ) {
    this.insert = db.prepare(
      `INSERT INTO intents (run_id, sync, object, key, payload_hash, status, created_at)
       VALUES (?, ?, ?, ?, ?, 'pending', ?)
       RETURNING *`,
    );
    this.byId = db.prepare('SELECT * FROM intents WHERE id = ?');
    this.settle = db.prepare(
      `UPDATE intents SET status = @status, autotask_id = @autotaskId, reason = @reason, resolved_at = @at
        WHERE id = @id AND status = 'pending'`,
    );
    this.unknown = db.prepare(
      `UPDATE intents SET outcome_unknown_at = @at, reason = @reason WHERE id = @id AND status = 'pending'`,
    );
    this.sent = db.prepare(`UPDATE intents SET sent_at = @at WHERE id = @id AND status = 'pending'`);
    this.pending = db.prepare(
      `SELECT * FROM intents WHERE status = 'pending' AND (@sync IS NULL OR sync = @sync) ORDER BY id`,
    );
  }

  /** Inserts the intents (in the caller's transaction, if any), in order. */
  record(inputs: readonly IntentInput[]): Intent[] {
    const now = this.clock.now();
    return inputs.map((input) => {
      const row = this.insert.get(
        input.runId,
        input.sync,
        input.object,
        input.key,
        input.payloadHash,
        input.createdAt ?? now,
      );
      if (row === undefined) throw new StateStoreError(`intent for key ${input.key} was not inserted`);
      return toIntent(row);
    });
  }

  markSent(intentId: number, at?: number): void {
    const info = this.sent.run({ id: intentId, at: at ?? this.clock.now() });
    if (info.changes > 0) return;
    const row = this.byId.get(intentId);
    if (!row) throw new StateStoreError(`intent ${intentId} does not exist in the state database`);
    throw new StateStoreError(
      `intent ${intentId} (${row.sync} key ${JSON.stringify(row.key)}) is already ${row.status}; ` +
        'only the create of a pending intent can be sent',
    );
  }

  resolve(intentId: number, autotaskId: number): void {
    this.update(intentId, { status: 'resolved', autotaskId, reason: null });
  }

  abandon(intentId: number, reason: string): void {
    this.update(intentId, { status: 'abandoned', autotaskId: null, reason });
  }

  markOutcomeUnknown(intentId: number, reason: string, at?: number): void {
    const info = this.unknown.run({ id: intentId, reason, at: at ?? this.clock.now() });
    if (info.changes > 0) return;
    const row = this.byId.get(intentId);
    if (!row) throw new StateStoreError(`intent ${intentId} does not exist in the state database`);
    throw new StateStoreError(
      `intent ${intentId} (${row.sync} key ${JSON.stringify(row.key)}) is already ${row.status}; ` +
        'only a pending intent can have an unknown outcome',
    );
  }

  listPending(sync?: string): Intent[] {
    return this.pending.all({ sync: sync ?? null }).map(toIntent);
  }

  private update(
    id: number,
    change: { status: IntentStatus; autotaskId: number | null; reason: string | null },
  ): void {
    const info = this.settle.run({ id, ...change, at: this.clock.now() });
    if (info.changes > 0) return;
    const row = this.byId.get(id);
    if (!row) throw new StateStoreError(`intent ${id} does not exist in the state database`);
    if (row.status === change.status && row.autotask_id === change.autotaskId) return; // idempotent
    throw new StateStoreError(
      `intent ${id} (${row.sync} key ${JSON.stringify(row.key)}) is already ${row.status}` +
        (row.autotask_id === null ? '' : ` with Autotask id ${row.autotask_id}`) +
        `; it cannot become ${change.status}`,
    );
  }
}
