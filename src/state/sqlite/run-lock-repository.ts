import { randomUUID } from 'node:crypto';

import type { Database, Statement } from 'better-sqlite3';

import type { ProcessIdentity } from '../process-identity.js';
import type { RunLockHolder } from '../run-lock.js';

interface LockRow {
  token: string;
  pid: number;
  host: string;
  pid_scope: string;
  command: string;
  acquired_at: number;
  heartbeat_at: number;
}

function toHolder(row: LockRow): RunLockHolder {
  return {
    token: row.token,
    pid: row.pid,
    host: row.host,
    pidScope: row.pid_scope,
    command: row.command,
    acquiredAt: row.acquired_at,
    heartbeatAt: row.heartbeat_at,
  };
}

/** The `run_lock` table: at most one row. Callers decide staleness and wrap calls in a transaction. */
export class RunLockRepository {
  private readonly select: Statement<[], LockRow>;
  private readonly insert: Statement;
  private readonly remove: Statement<[string]>;
  private readonly beat: Statement<[number, string]>;

  constructor(db: Database) {
    this.select = db.prepare('SELECT * FROM run_lock WHERE id = 1');
    this.insert = db.prepare(
      `INSERT INTO run_lock (id, token, pid, host, pid_scope, command, acquired_at, heartbeat_at)
       VALUES (1, @token, @pid, @host, @pidScope, @command, @acquiredAt, @heartbeatAt)`,
    );
    this.remove = db.prepare('DELETE FROM run_lock WHERE token = ?');
    this.beat = db.prepare('UPDATE run_lock SET heartbeat_at = ? WHERE token = ?');
  }

  holder(): RunLockHolder | undefined {
    const row = this.select.get();
    return row === undefined ? undefined : toHolder(row);
  }

  /** Inserts a new holder (the table must be empty). */
  take(owner: ProcessIdentity, command: string, now: number): RunLockHolder {
    const holder: RunLockHolder = {
      ...owner,
      token: randomUUID(),
      command,
      acquiredAt: now,
      heartbeatAt: now,
    };
    this.insert.run(holder);
    return holder;
  }

  /** Deletes the row of `token`; false if it was no longer there. */
  drop(token: string): boolean {
    return this.remove.run(token).changes > 0;
  }

  /** Refreshes the heartbeat of `token`; false when the lock is no longer ours. */
  heartbeat(token: string, now: number): boolean {
    return this.beat.run(now, token).changes > 0;
  }
}
