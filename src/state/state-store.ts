import type { ApiUsageStore, MetadataCacheStore } from '../autotask/persistence-ports.js';
import type { AcquireRunLockOptions, RunLock, RunLockHolder, StaleReason } from './run-lock.js';

/**
 * The local state store: everything autotask-sync remembers between runs (runs, links, the Autotask
 * key index, write intents, the ledger, export bookmarks, API usage, the metadata cache). One SQLite
 * file per configuration (`state:` in the config); `openStateStore()` in `sqlite-state-store.ts`
 * implements it. Every method is synchronous (better-sqlite3); wrap a checkpoint's calls in
 * `transaction()` so they commit together or not at all.
 *
 * Nothing secret is ever passed in or stored: the store never sees credentials.
 * Times are milliseconds since the epoch, taken from the injected `Clock` unless given.
 */
export interface StateStore {
  /** Absolute path of the database file, or `:memory:`. */
  readonly path: string;

  /**
   * Runs `fn` in one SQLite transaction: everything it writes commits together, or nothing does if it
   * throws (the error is rethrown). Nested calls become savepoints. `fn` must be synchronous.
   */
  transaction<T>(fn: () => T): T;

  // ── runs ──────────────────────────────────────────────────────────────────────────────────────
  /** Records the start of a run and returns it (status `running`). */
  startRun(input: StartRunInput): RunRecord;
  /** Records how a run ended. Throws `StateStoreError` if the run does not exist. */
  finishRun(runId: number, outcome: FinishRunInput): RunRecord;
  getRun(runId: number): RunRecord | undefined;
  /**
   * Most recent first. A run left `running` by a process that is gone reads as `interrupted` (with
   * the counts its ledger holds); see `markInterruptedRuns`.
   */
  listRuns(filter?: ListRunsFilter): RunRecord[];
  /**
   * Records every run left `running` by a process that is gone as `interrupted`, keeping the counts
   * its ledger holds, and returns them. Taking the run lock does this too. A run is gone when the run
   * lock it ran under is no longer held by a live process, or (runs without the lock: plans) when its
   * pid no longer exists on this host; a plan of another host stays `running`.
   */
  markInterruptedRuns(): RunRecord[];

  // ── the run lock: one process at a time writes to Autotask with this state ─────────────────────
  /**
   * Takes the run lock for `options.command` (see `run-lock.ts`), taking over a lock whose process is
   * gone, and marks the runs it left `interrupted`. Runs started while it is held record it. Throws
   * `RunLockedError` (code `STATE_LOCKED`) when a live process holds it, this store included.
   */
  acquireRunLock(options: AcquireRunLockOptions): RunLock;
  /** Who holds the run lock, if anyone, and whether that holder is gone (`stale`). */
  runLockHolder(): (RunLockHolder & { stale: StaleReason | undefined }) | undefined;

  // ── links: source dedupe key ↔ Autotask id ─────────────────────────────────────────────────────
  getLink(ref: LinkRef): Link | undefined;
  /** Links for many keys of one sync/object at once; the map is keyed by dedupe key. */
  getLinks(sync: string, object: string, keys: readonly string[]): Map<string, Link>;
  /** Every link of a sync/object, streamed (memory stays bounded). */
  iterateLinks(sync: string, object: string): IterableIterator<Link>;
  /** Links (of any sync) pointing at this Autotask record. */
  findLinksByAutotaskId(object: string, autotaskId: number): Link[];
  /** Inserts or replaces links (one transaction; call inside `transaction()` to join a checkpoint). */
  upsertLinks(links: readonly LinkInput[]): void;
  deleteLink(ref: LinkRef): boolean;

  // ── Autotask key index: (object, key kind, key) → Autotask id(s) ───────────────────────────────
  /**
   * Replaces the index entries of each given Autotask record: all keys previously indexed for that
   * (object, autotaskId) are removed, then `keys` are inserted with `version`. Thousands per call.
   */
  putIndexRecords(object: string, records: readonly IndexRecordInput[]): void;
  /** Removes every key of these Autotask records (deleted in Autotask). */
  removeIndexRecords(object: string, autotaskIds: readonly number[]): void;
  /** Looks up many keys of one kind; the map holds only keys found, each with every matching record. */
  lookupIndex(object: string, kind: string, keys: readonly string[]): Map<string, IndexEntry[]>;
  /** What the index holds for one Autotask record (its keys and version), if anything. */
  getIndexRecord(object: string, autotaskId: number): IndexRecord | undefined;
  /** Number of Autotask records indexed for the object. */
  countIndexRecords(object: string): number;
  /** Empties the object's index and its cursor (forces a full re-scan). */
  clearIndex(object: string): void;
  /** Watermark for incremental reads of the object; undefined before the first full scan. */
  getIndexCursor(object: string): IndexCursor | undefined;
  setIndexCursor(object: string, cursor: IndexCursorInput): void;

  // ── intents: a create about to be sent ─────────────────────────────────────────────────────────
  /**
   * Records (durably) that a create is about to be sent. Commit it before the POST, outside any
   * longer transaction, so that a crash after the POST still leaves the intent behind.
   */
  recordIntent(input: IntentInput): Intent;
  /**
   * Records (durably) several creates about to be sent, in one transaction: with the default
   * durability one fsync for the whole group instead of one per intent (group commit). Same rules as
   * `recordIntent`; the intents are returned in the order given.
   */
  recordIntents(inputs: readonly IntentInput[]): Intent[];
  /**
   * The intent's create is being handed to the network now (called for every attempt, just before
   * it is sent): remembers when (`at`, default clock.now()), so that after a crash only intents whose
   * request may have reached Autotask wait for the settle period. An ordinary commit, not fsynced: it
   * survives a killed process, and a power cut only once a later intent group has been committed.
   * Throws `StateStoreError` unless the intent is pending.
   */
  markIntentSent(intentId: number, at?: number): void;
  /** The create succeeded (or was found by reconciliation) with this Autotask id. */
  resolveIntent(intentId: number, autotaskId: number): void;
  /** The create certainly did not happen (refused, or reconciliation found nothing and we gave up). */
  abandonIntent(intentId: number, reason: string): void;
  /**
   * The create was sent but its outcome is unknown (timeout, 5xx or dropped connection after sending)
   * and Autotask did not have the record when looked up: the intent stays pending (reconciled by key
   * on later runs) and remembers when this became known (`at`, default clock.now()), so that the
   * engine waits out Autotask's processing time before creating the record again. Throws
   * `StateStoreError` unless the intent is pending.
   */
  markIntentOutcomeUnknown(intentId: number, reason: string, at?: number): void;
  /** Intents neither resolved nor abandoned, oldest first, optionally for one sync. */
  listUnresolvedIntents(sync?: string): Intent[];

  // ── ledger: per-record outcome per run ─────────────────────────────────────────────────────────
  appendLedger(entries: readonly LedgerEntryInput[]): void;
  queryLedger(query: LedgerQuery): LedgerEntry[];
  /** All entries of a run (optionally filtered), streamed in insertion order. */
  iterateLedger(query: LedgerQuery): IterableIterator<LedgerEntry>;
  /** Counts per action for a run, optionally for one sync; every action present (0 when none). */
  countLedger(runId: number, sync?: string): Record<LedgerAction, number>;
  /**
   * Rows to retry: the `failed` entries of the most recent `run`-mode run that included `sync` and
   * started before `beforeRunId` (pass the current run's id), whatever its status (a crashed run
   * counts). Empty if none.
   */
  listRetries(sync: string, beforeRunId?: number): LedgerEntry[];

  // ── bookmarks (export cursors) ─────────────────────────────────────────────────────────────────
  getBookmark(name: string, stream: string): Bookmark | undefined;
  setBookmark(bookmark: BookmarkInput): void;
  deleteBookmark(name: string, stream: string): void;

  // ── ports for the Autotask client ──────────────────────────────────────────────────────────────
  readonly apiUsage: ApiUsageStore;
  readonly metadataCache: MetadataCacheStore;

  /** Closes the database. Further calls throw. */
  close(): void;
}

export type RunMode = 'plan' | 'run' | 'export';
/** `interrupted`: left `running` by a process that is gone (killed, crashed, power cut). */
export type RunStatus = 'running' | 'succeeded' | 'partial' | 'failed' | 'aborted' | 'interrupted';

export interface StartRunInput {
  mode: RunMode;
  /** The syncs (or exports) this run covers, in config order. */
  syncNames: readonly string[];
  /** Hash of the effective configuration (secrets excluded), to tell runs of changed configs apart. */
  configHash: string;
  /** @default clock.now() */
  startedAt?: number;
}

export interface FinishRunInput {
  status: Exclude<RunStatus, 'running' | 'interrupted'>;
  /** Counters for the summary (e.g. `{ created: 3, updated: 1 }`), stored as JSON. */
  counters: Record<string, number>;
  /** Autotask calls this run used. */
  apiCalls: number;
  /** @default clock.now() */
  finishedAt?: number;
}

export interface RunRecord {
  id: number;
  mode: RunMode;
  syncNames: string[];
  configHash: string;
  status: RunStatus;
  startedAt: number;
  /** When it ended; for an `interrupted` run its last sign of life (its last ledger entry). */
  finishedAt: number | null;
  counters: Record<string, number>;
  apiCalls: number;
  /** The process that ran it (null for runs recorded before autotask-sync kept it). */
  owner: { pid: number; host: string } | null;
}

export interface ListRunsFilter {
  mode?: RunMode;
  /** Only runs that covered this sync. */
  sync?: string;
  /** @default 50 */
  limit?: number;
}

export interface LinkRef {
  sync: string;
  /** Autotask object: `Company`, `Contact`, `Opportunity`. */
  object: string;
  /** The normalised dedupe key (product.md §3), as produced by `src/sync/keys`. */
  key: string;
}

export interface LinkInput extends LinkRef {
  autotaskId: number;
  /** Hash of the payload we last wrote (or last saw unchanged). */
  payloadHash: string;
  /** The field values we last wrote, for field-level change detection. */
  fields: Record<string, unknown>;
  /** Where the row came from: `file.csv:12`, `table:key`. */
  sourceLocation?: string | null;
  /** Run that wrote the link. */
  runId?: number | null;
  /** @default clock.now() */
  updatedAt?: number;
}

export interface Link extends LinkRef {
  autotaskId: number;
  payloadHash: string;
  fields: Record<string, unknown>;
  sourceLocation: string | null;
  runId: number | null;
  updatedAt: number;
}

export interface IndexKeyInput {
  /** Key kind, e.g. `name`, `email`, `opportunity` (see `src/sync/keys`). */
  kind: string;
  key: string;
}

export interface IndexRecordInput {
  autotaskId: number;
  /** Version of the record: its last-modified timestamp or a hash of the compared fields. */
  version: string | null;
  keys: readonly IndexKeyInput[];
}

export interface IndexEntry {
  object: string;
  kind: string;
  key: string;
  autotaskId: number;
  version: string | null;
  updatedAt: number;
}

export interface IndexRecord {
  object: string;
  autotaskId: number;
  version: string | null;
  keys: IndexKeyInput[];
  updatedAt: number;
}

export interface IndexCursorInput {
  /** Field the watermark refers to, e.g. `lastActivityDate`. */
  field: string;
  /** Highest value seen (Autotask datetime string). */
  value: string;
  /** When the last full scan completed. @default unchanged (or clock.now() on first set) */
  fullScanAt?: number;
}

export interface IndexCursor {
  object: string;
  field: string;
  value: string;
  fullScanAt: number;
  updatedAt: number;
}

export interface IntentInput {
  runId: number;
  sync: string;
  object: string;
  key: string;
  payloadHash: string;
  /** @default clock.now() */
  createdAt?: number;
}

export type IntentStatus = 'pending' | 'resolved' | 'abandoned';

export interface Intent {
  id: number;
  runId: number;
  sync: string;
  object: string;
  key: string;
  payloadHash: string;
  status: IntentStatus;
  autotaskId: number | null;
  reason: string | null;
  createdAt: number;
  resolvedAt: number | null;
  /**
   * When the create's outcome became unknown (see `markIntentOutcomeUnknown`); null for an intent
   * whose create had no answer at all (left by a crash) or that was settled normally.
   */
  outcomeUnknownAt: number | null;
  /**
   * When its create was last handed to the network (see `markIntentSent`); null while it was not
   * sent (it waited for its turn in the client's lanes), or when a power cut lost the mark.
   */
  sentAt: number | null;
}

export const LEDGER_ACTIONS = [
  'created',
  'updated',
  'unchanged',
  'conflict',
  'invalid',
  'failed',
  'skipped',
] as const;
export type LedgerAction = (typeof LEDGER_ACTIONS)[number];

export interface LedgerEntryInput {
  runId: number;
  sync: string;
  /** `file.csv:12` or `table:key`. */
  sourceLocation: string | null;
  key: string | null;
  action: LedgerAction;
  autotaskId?: number | null;
  reason?: string | null;
  /** Field the reason is about, if any (mapping errors). */
  field?: string | null;
  /** `{ field: { from, to } }` for updates. */
  diff?: Record<string, unknown> | null;
  /** The original source row (needed for the rejects CSV). */
  sourceRow?: Record<string, unknown> | null;
  /** @default clock.now() */
  at?: number;
}

export interface LedgerEntry {
  id: number;
  runId: number;
  sync: string;
  sourceLocation: string | null;
  key: string | null;
  action: LedgerAction;
  autotaskId: number | null;
  reason: string | null;
  field: string | null;
  diff: Record<string, unknown> | null;
  sourceRow: Record<string, unknown> | null;
  at: number;
}

export interface LedgerQuery {
  runId: number;
  sync?: string;
  action?: LedgerAction | readonly LedgerAction[];
  key?: string;
  /** @default unlimited */
  limit?: number;
  /** @default 0 */
  offset?: number;
}

export interface BookmarkInput {
  /** Export (or sync) name. */
  name: string;
  /** Stream within it, e.g. the Autotask entity `Companies`. */
  stream: string;
  /** Cursor field, e.g. `lastActivityDate`. */
  field: string;
  /** Cursor value (Autotask datetime string). */
  value: string;
  /** @default clock.now() */
  updatedAt?: number;
}

export interface Bookmark {
  name: string;
  stream: string;
  field: string;
  value: string;
  updatedAt: number;
}
