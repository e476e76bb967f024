/**
 * Public types of the sync engine: what `planSyncs()` and `runSyncs()` take and return.
 *
 * Pipeline vocabulary (see docs): extract → map → match → load → checkpoint.
 */
import type { Clock } from '../../shared/clock.js';
import type { Logger } from '../../shared/logger.js';
import type { StateStore } from '../../state/state-store.js';
import type { EngineClient, EngineConfig, OpenSource } from './ports.js';

/**
 * What a record ended up as in a run (or would, in a plan). `skipped`: the write mode leaves it alone
 * (`create` and the record is already in Autotask; `update` and it is not). Rows the `where` filter
 * leaves out are not counted at all.
 */
export const RECORD_ACTIONS = [
  'created',
  'updated',
  'unchanged',
  'conflict',
  'invalid',
  'failed',
  'skipped',
] as const;
export type RecordAction = (typeof RECORD_ACTIONS)[number];

/** Counts per action; every action is present (0 when none). */
export type ActionCounts = Record<RecordAction, number>;

/** Everything the engine talks to, passed in (no singletons). */
export interface EngineDeps {
  /** The Autotask client (`createAutotaskClient`), or anything with the same surface. */
  client: EngineClient;
  /** The local state store (links, key index, intents, ledger, runs). */
  state: StateStore;
  /** Opens the source of a sync (CSV, JSON Lines, SQLite, PostgreSQL). */
  openSource: OpenSource;
  clock: Clock;
  logger: Logger;
  /** Called as work progresses (for progress bars); must not throw. */
  onProgress?: (event: ProgressEvent) => void;
}

export interface ProgressEvent {
  sync: string;
  /** Stage of the pipeline the sync is in. */
  stage: 'extract' | 'match' | 'load' | 'checkpoint' | 'done';
  /** Source records read so far. */
  read: number;
  /** Records with an outcome so far. */
  done: number;
  /** Records in the source (known after extract), if known. */
  total?: number;
}

/** Options shared by plan and run. */
export interface EngineOptions {
  /** Only these syncs (by name), still in dependency order. @default every sync of the config */
  only?: readonly string[];
  /** Stop early (SIGINT): writes in flight finish, nothing new starts. */
  signal?: AbortSignal;
  /**
   * Safety margin subtracted from the key index's incremental-read watermark. None is needed by
   * default: the watermark is the newest change timestamp Autotask itself reported (never this
   * machine's clock) and the read asks for `gte` it, so records written in the same second are read
   * again (`test/engine/watermark-overlap.test.ts`). A margin re-reads every record changed within it
   * on each run (after a large run, pages of our own writes), so it costs calls; set one only for a
   * tenant whose timestamps are known to arrive out of order. Records seen twice are de-duplicated by id.
   * @default 0
   */
  watermarkOverlapMs?: number;
  /** Max field-level diffs kept per sync in the returned report (the ledger keeps all). @default 100 */
  maxDiffsInReport?: number;
  /**
   * How long after a create whose outcome is unknown (timeout, 5xx or dropped connection after
   * sending), or that was in flight when the process died, Autotask may still be processing it
   * (counted from when the client gave up, or from when the request was sent). Until then, a record
   * not found by key is not created again: its row is held back (`failed`, with the time it will be
   * reconciled), and every run first looks for it by key. Afterwards a record still missing is created
   * again. The default is Autotask's execution timeout for a request.
   * @default 300_000 (5 minutes)
   */
  intentSettleMs?: number;
}

export type PlanOptions = EngineOptions;

export interface RunOptions extends EngineOptions {
  /**
   * Max writes in flight per entity endpoint. Autotask allows 3 per integration code and entity; the
   * client's lanes enforce that limit whatever is set here.
   * @default 3
   */
  concurrencyPerEntity?: number;
}

/** One field's change: what Autotask has (or what we last wrote) → what we send. */
export interface FieldChange {
  from: unknown;
  to: unknown;
}

/** A record's planned or executed outcome, as kept in the report (bounded; the ledger has all). */
export interface RecordOutcome {
  sync: string;
  action: RecordAction;
  /** Dedupe key (normalised), if the record got that far. */
  key: string | null;
  /** `file.csv:12`, `table:key`. */
  location: string | null;
  autotaskId: number | null;
  /** Why (invalid / failed / conflict), with how to fix it. */
  reason: string | null;
  /** Field the reason is about, if any. */
  field: string | null;
  /** Field-level changes (create: every field sent; update: only changed fields). */
  diff: Record<string, FieldChange> | null;
}

/** Per-sync part of a summary. */
export interface SyncSummary {
  name: string;
  object: string;
  counts: ActionCounts;
  /** Autotask calls this sync's reads and writes used (shared reads are counted once, where made). */
  apiCalls: number;
  /** First outcomes that were not `unchanged`/`created`, and a sample of diffs (bounded). */
  outcomes: RecordOutcome[];
}

/** Result of `runSyncs()`. */
export interface RunSummary {
  /** State-store run id (the ledger is kept under it). */
  runId: number;
  mode: 'run' | 'plan';
  status: 'succeeded' | 'partial' | 'failed' | 'aborted';
  /** Totals over every sync. */
  counts: ActionCounts;
  /** Autotask calls made by this run (counted by the client). */
  apiCalls: number;
  startedAt: number;
  finishedAt: number;
  syncs: SyncSummary[];
  /** Why the run stopped early (`status: 'failed'`), e.g. Autotask refused the credentials. */
  error?: { code: string; message: string };
}

/** Result of `planSyncs()`: a run summary of what would happen, plus the cost and budget figures. */
export interface PlanReport extends RunSummary {
  mode: 'plan';
  /** Autotask calls the real run will cost (reads still needed + one write per create/update). */
  estimatedCalls: number;
  /** Calls still available this hour under the configured share, if the client knows it. */
  budgetLeft: number | null;
  /** Estimated wall time of the run, in ms. */
  etaMs: number;
}

export function emptyCounts(): ActionCounts {
  return { created: 0, updated: 0, unchanged: 0, conflict: 0, invalid: 0, failed: 0, skipped: 0 };
}

export type { EngineClient, EngineConfig, OpenSource };
