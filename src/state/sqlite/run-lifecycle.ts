/**
 * Runs and the run lock together: starting and finishing runs (stamped with their owner), telling a
 * run whose process is gone (`interrupted`) from one still going, and taking, refreshing and giving up
 * the run lock. See `../run-lock.ts` for the rules.
 *
 * A run is gone when
 * - it ran under the run lock (`lock_token`) and that lock is no longer held by a live holder with the
 *   same token (exact: the lock outlives its holder only until it is taken over or judged stale);
 * - otherwise (a plan, or a library caller without the lock) its pid no longer exists in our pid scope;
 *   a plan of another host or container stays `running` until that host says otherwise;
 * - it was written before the run lock existed (schema version < 5) and is still `running`.
 * Reading (`listRuns`, `getRun`) shows such runs as `interrupted` without writing; taking the lock
 * records it (`markInterruptedRuns`), with the counters the run recorded in the ledger and its last
 * sign of life as `finishedAt`.
 */
import type { Database, Statement } from 'better-sqlite3';

import type { Clock } from '../../shared/clock.js';
import { StateStoreError } from '../../shared/errors.js';
import type { ProcessProbe } from '../process-identity.js';
import {
  DEFAULT_LOCK_HEARTBEAT_MS,
  DEFAULT_LOCK_STALE_AFTER_MS,
  RunLockedError,
  RunLockLostError,
  staleReason,
  type AcquireRunLockOptions,
  type RunLock,
  type RunLockHolder,
  type RunLockTiming,
  type StaleReason,
} from '../run-lock.js';
import type { FinishRunInput, ListRunsFilter, RunRecord, StartRunInput } from '../state-store.js';
import type { LedgerRepository } from './ledger-repository.js';
import { RunLockRepository } from './run-lock-repository.js';
import { RunRepository, toRun, type RunRow } from './run-repository.js';

export class RunLifecycle {
  private readonly runs: RunRepository;
  private readonly lock: RunLockRepository;
  private readonly lastLedgerAt: Statement<[number], { at: number | null }>;
  private readonly heartbeatMs: number;
  private readonly staleAfterMs: number;
  /** The lock this store holds, with its heartbeat timer. */
  private held: { holder: RunLockHolder; timer: NodeJS.Timeout; lost: AbortController } | undefined;

  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly probe: ProcessProbe,
    private readonly ledger: LedgerRepository,
    timing: RunLockTiming = {},
  ) {
    this.runs = new RunRepository(db, clock);
    this.lock = new RunLockRepository(db);
    this.lastLedgerAt = db.prepare('SELECT MAX(at) AS at FROM ledger WHERE run_id = ?');
    this.heartbeatMs = timing.heartbeatMs ?? DEFAULT_LOCK_HEARTBEAT_MS;
    this.staleAfterMs = timing.staleAfterMs ?? DEFAULT_LOCK_STALE_AFTER_MS;
  }

  // ── runs ────────────────────────────────────────────────────────────────────────────────────────
  startRun(input: StartRunInput): RunRecord {
    return this.runs.start(input, {
      ...this.probe.self,
      // A plan never writes to Autotask: it does not run under the lock even when this store holds it.
      lockToken: input.mode === 'plan' ? null : (this.held?.holder.token ?? null),
    });
  }

  finishRun(runId: number, outcome: FinishRunInput): RunRecord {
    return this.runs.finishRun(runId, outcome);
  }

  getRun(runId: number): RunRecord | undefined {
    const row = this.runs.row(runId);
    return row === undefined ? undefined : this.shown(row, this.liveHolder());
  }

  listRuns(filter?: ListRunsFilter): RunRecord[] {
    const live = this.liveHolder();
    return this.runs.listRows(filter).map((row) => this.shown(row, live));
  }

  /** Records every run left `running` by a process that is gone as `interrupted`; returns them. */
  markInterruptedRuns(): RunRecord[] {
    return this.db.transaction(() => this.markGone(this.liveHolder()))();
  }

  // ── the run lock ────────────────────────────────────────────────────────────────────────────────
  /** The current holder and, if it is gone, why. */
  lockHolder(): (RunLockHolder & { stale: StaleReason | undefined }) | undefined {
    const holder = this.lock.holder();
    return holder === undefined ? undefined : { ...holder, stale: this.staleness(holder) };
  }

  acquire(options: AcquireRunLockOptions): RunLock {
    if (this.held !== undefined)
      throw new RunLockedError(this.db.name, this.held.holder, this.clock.now(), this.staleAfterMs);
    const { holder, tookOver, interrupted } = this.db
      .transaction(() => {
        const now = this.clock.now();
        const current = this.lock.holder();
        let replaced: (RunLockHolder & { why: StaleReason }) | undefined;
        if (current !== undefined) {
          const why = this.staleness(current);
          if (why === undefined) throw new RunLockedError(this.db.name, current, now, this.staleAfterMs);
          this.lock.drop(current.token);
          replaced = { ...current, why };
        }
        const taken = this.lock.take(this.probe.self, options.command, now);
        return { holder: taken, tookOver: replaced, interrupted: this.markGone(taken) };
      })
      .immediate();
    const lost = new AbortController();
    const timer = setInterval(() => this.beat(), this.heartbeatMs);
    timer.unref();
    this.held = { holder, timer, lost };
    return {
      holder,
      tookOver,
      interrupted,
      lost: lost.signal,
      release: () => this.release(holder.token),
    };
  }

  /** Gives up the lock if this store holds it under `token` (idempotent). */
  release(token?: string): void {
    const held = this.held;
    if (held === undefined || (token !== undefined && held.holder.token !== token)) return;
    clearInterval(held.timer);
    this.held = undefined;
    if (!this.db.open) return;
    try {
      this.lock.drop(held.holder.token);
    } catch (error) {
      // Busy for longer than the busy timeout: the row stays behind and is taken over as ours is gone.
      if (!(error instanceof Error && /SQLITE_BUSY|locked/i.test(error.message))) throw error;
    }
  }

  private beat(): void {
    const held = this.held;
    if (held === undefined || !this.db.open) return;
    let ours: boolean;
    try {
      ours = this.lock.heartbeat(held.holder.token, this.clock.now());
    } catch {
      return; // the database is busy: the next beat tries again, well within the stale period
    }
    if (ours) return;
    clearInterval(held.timer);
    this.held = undefined;
    held.lost.abort(new RunLockLostError(this.db.name, this.lock.holder()));
  }

  // ── liveness ────────────────────────────────────────────────────────────────────────────────────
  private staleness(holder: RunLockHolder): StaleReason | undefined {
    if (this.held?.holder.token === holder.token) return undefined;
    return staleReason(holder, this.probe, this.clock.now(), this.staleAfterMs);
  }

  /** The lock holder if it is alive. */
  private liveHolder(): RunLockHolder | undefined {
    const holder = this.lock.holder();
    return holder !== undefined && this.staleness(holder) === undefined ? holder : undefined;
  }

  private isGone(row: RunRow, live: RunLockHolder | undefined): boolean {
    if (row.status !== 'running') return false;
    if (row.pid === null) return true; // written before version 5 (no owner recorded)
    if (row.lock_token !== null) return live?.token !== row.lock_token;
    if (row.pid === this.probe.self.pid && row.pid_scope === this.probe.self.pidScope) return false;
    return row.pid_scope === this.probe.self.pidScope && !this.probe.isAlive(row.pid);
  }

  private lastSignOfLife(row: RunRow): number {
    return Math.max(row.started_at, this.lastLedgerAt.get(row.id)?.at ?? row.started_at);
  }

  private shown(row: RunRow, live: RunLockHolder | undefined): RunRecord {
    const run = toRun(row);
    if (!this.isGone(row, live)) return run;
    return {
      ...run,
      status: 'interrupted',
      counters: Object.keys(run.counters).length > 0 ? run.counters : { ...this.ledger.count(row.id) },
      finishedAt: this.lastSignOfLife(row),
    };
  }

  private markGone(live: RunLockHolder | undefined): RunRecord[] {
    const out: RunRecord[] = [];
    for (const row of this.runs.runningRows()) {
      if (!this.isGone(row, live)) continue;
      const shown = this.shown(row, live);
      if (this.runs.markInterrupted(row.id, shown.counters, shown.finishedAt)) out.push(shown);
    }
    return out;
  }

  /** Stops the heartbeat and releases the lock (the store is closing). */
  close(): void {
    try {
      this.release();
    } catch (error) {
      throw new StateStoreError(
        `could not release the run lock of ${this.db.name}: ${error instanceof Error ? error.message : String(error)}`,
        error,
      );
    }
  }
}
