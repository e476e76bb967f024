import type { AutotaskClient } from '../../autotask/client-types.js';
import type { SqlSystem, SqlSystemSpec } from '../../connectors/sql-system/sql-system.js';
import type { Clock } from '../../shared/clock.js';
import type { Logger } from '../../shared/logger.js';
import type { StateStore } from '../../state/state-store.js';
import type { PlanReport, ProgressEvent, SyncSummary } from '../engine/types.js';

/**
 * The Autotask client surface two-way syncs use (the real client satisfies it). `budget` is optional:
 * a plan reports the budget left this hour when the client has it.
 */
export type TwoWayClient = Pick<AutotaskClient, 'entity' | 'metadata' | 'stats' | 'findByValues'> &
  Partial<Pick<AutotaskClient, 'budget'>>;

export interface TwoWayDeps {
  client: TwoWayClient;
  state: StateStore;
  clock: Clock;
  logger: Logger;
  /** Opens a sync's table. @default createSqlSystem */
  openTable?: (spec: SqlSystemSpec) => SqlSystem;
}

export interface TwoWayRunOptions {
  /** Only these two-way syncs (by name). Names of other kinds are ignored. @default all */
  only?: readonly string[];
  /**
   * Read both sides whole instead of incrementally (also notices records deleted in Autotask).
   * @default false (the first run of a sync is always full)
   */
  full?: boolean;
  /** Stops between steps; nothing further is written and the cursors do not move. */
  signal?: AbortSignal;
  /**
   * Called when each sync starts (`extract`: reading both sides) and ends (`done`, with the records
   * that got an outcome), in the engine's event shape (the web app's progress bars). Must not throw.
   * @default none
   */
  onProgress?: (event: ProgressEvent) => void;
  /**
   * How long a create that was sent and then lost (the process killed, the pass stopped, or the
   * outcome unknown) may still land in Autotask. Until then a row whose record Autotask does not show
   * by key is held back (`failed`, with the time the hold ends) instead of being created again;
   * afterwards it is created once. The configuration's `engine.intentSettleSeconds`
   * (`engineOptionsOf(config)` gives it), as for one-way syncs.
   * @default 300_000 (5 minutes, Autotask's execution timeout for a request)
   */
  intentSettleMs?: number;
}

/** What one side received. */
export interface SideCounts {
  created: number;
  updated: number;
  deactivated: number;
}

/** The outcome of one two-way sync in one run. */
export interface TwoWaySyncResult {
  name: string;
  object: string;
  /** `full` on the first run, with `--full`, or always for a table without an updated-at column. */
  autotaskRead: 'full' | 'incremental';
  sqlRead: 'full' | 'incremental';
  /** Records read from Autotask and rows read from the table. */
  read: { autotask: number; sql: number };
  /** Writes made to each side. */
  autotask: SideCounts;
  sql: SideCounts;
  /** Linked records compared whose sides agreed (nothing written). */
  unchanged: number;
  /** Fields where one side's change was overwritten by the rule. */
  overridden: number;
  /** Records held back: two rows or records with one key, or a record already linked elsewhere. */
  conflicts: number;
  /** Rows that cannot be written (no key, a required value missing). */
  invalid: number;
  /** Writes a system refused; retried on the next run. */
  failed: number;
  /** Records gone from one side, reported (policy `report`) or deactivated. */
  deletesSeen: number;
  /** Autotask calls this sync made. */
  apiCalls: number;
  /** Messages worth showing (unresolved relationships, deletes seen); no secrets. */
  notes: string[];
}

export interface TwoWayRunSummary {
  runId: number;
  status: 'succeeded' | 'partial' | 'failed' | 'aborted';
  results: TwoWaySyncResult[];
  apiCalls: number;
  /** Why the run stopped (the delete guard, a table that cannot be read, ...). */
  error?: { code: string; message: string } | undefined;
}

/** Options of `planTwoWaySyncs`. */
export interface TwoWayPlanOptions extends Omit<TwoWayRunOptions, 'full'> {
  /** Plan a whole read of both sides (what `run` does with `--full`). @default false */
  full?: boolean;
  /** Most outcomes (changes and problems) kept per sync in the report; the ledger keeps all. @default 100 */
  maxOutcomesInReport?: number;
}

/** What one two-way sync would do to each side, besides the per-record counts. */
export interface TwoWayPlanDetail {
  /** Records Autotask would receive: creates, PATCHes of changed fields, deactivations. */
  autotask: { create: number; update: number; deactivate: number };
  /** Rows the table would receive: inserts, updates of changed columns, deactivations. */
  table: { insert: number; update: number; deactivate: number };
  /** Fields where one side's change would be overwritten by the rule (conflicts settled). */
  overridden: number;
  /** Records gone from one side, that the run would report or deactivate. */
  deletesSeen: number;
  /** How each side would be read, and what the plan read. */
  autotaskRead: 'full' | 'incremental';
  sqlRead: 'full' | 'incremental';
  read: { autotask: number; sql: number };
  notes: string[];
}

/** A two-way sync in a plan: the one-way plan's per-sync shape, plus what each side would receive. */
export interface TwoWaySyncPlan extends SyncSummary {
  kind: 'two-way';
  twoWay: TwoWayPlanDetail;
}

/**
 * `planTwoWaySyncs`' report: the shape of a one-way `PlanReport` (counts per outcome, outcomes with
 * field-level diffs, calls, budget, ETA). A diff entry of a two-way outcome is a `TwoWayFieldChange`:
 * `{ from, to, side, column, winner, conflict? }`.
 */
export interface TwoWayPlanReport extends PlanReport {
  syncs: TwoWaySyncPlan[];
}
