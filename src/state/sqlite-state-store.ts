import { closeSync, fsyncSync, openSync } from 'node:fs';

import type { Database } from 'better-sqlite3';

import type { ApiUsageStore, MetadataCacheStore } from '../autotask/persistence-ports.js';
import { systemClock, type Clock } from '../shared/clock.js';
import { StateStoreError } from '../shared/errors.js';
import { migrate } from './migrations/migrate.js';
import { currentProcessProbe, type ProcessProbe } from './process-identity.js';
import type {
  AcquireRunLockOptions,
  RunLock,
  RunLockHolder,
  RunLockTiming,
  StaleReason,
} from './run-lock.js';
import { ApiUsageRepository } from './sqlite/api-usage-repository.js';
import { BookmarkRepository } from './sqlite/bookmark-repository.js';
import { IntentRepository } from './sqlite/intent-repository.js';
import { KeyIndexRepository } from './sqlite/key-index-repository.js';
import { LedgerRepository } from './sqlite/ledger-repository.js';
import { LinkRepository } from './sqlite/link-repository.js';
import { MetadataCacheRepository } from './sqlite/metadata-cache-repository.js';
import { openDatabase, type Durability } from './sqlite/open-database.js';
import { RunLifecycle } from './sqlite/run-lifecycle.js';
import type {
  Bookmark,
  BookmarkInput,
  FinishRunInput,
  IndexCursor,
  IndexCursorInput,
  IndexEntry,
  IndexRecord,
  IndexRecordInput,
  Intent,
  IntentInput,
  LedgerAction,
  LedgerEntry,
  LedgerEntryInput,
  LedgerQuery,
  Link,
  LinkInput,
  LinkRef,
  ListRunsFilter,
  RunRecord,
  StartRunInput,
  StateStore,
} from './state-store.js';

export interface OpenStateStoreOptions {
  /**
   * The database file (the config's `state:`), or `:memory:` for a throwaway store (tests, `plan`
   * without state). A missing folder is created with mode 0700, a missing file with mode 0600.
   */
  path: string;
  /** Source of "now" for timestamps. @default systemClock */
  clock?: Clock;
  /** See `Durability`. @default 'intents' */
  durability?: Durability;
  /** Wait for another process's write lock this long before failing, in ms. @default 5000 */
  busyTimeoutMs?: number;
  /** This process and how to tell whether another one is alive. @default currentProcessProbe() */
  processProbe?: ProcessProbe;
  /** Heartbeat and staleness of the run lock. @default see `RunLockTiming` */
  runLock?: RunLockTiming;
}

/**
 * Opens the state store, creating the file or migrating an older schema as needed. Throws
 * `StateStoreError` when the file cannot be opened or was written by a newer autotask-sync.
 */
export function openStateStore(options: OpenStateStoreOptions): StateStore {
  const db = openDatabase({
    path: options.path,
    ...(options.durability === undefined ? {} : { durability: options.durability }),
    ...(options.busyTimeoutMs === undefined ? {} : { busyTimeoutMs: options.busyTimeoutMs }),
  });
  try {
    const clock = options.clock ?? systemClock;
    migrate(db, { now: clock.now() });
    return new SqliteStateStore(
      db,
      clock,
      options.durability ?? 'intents',
      options.processProbe ?? currentProcessProbe(),
      options.runLock ?? {},
    );
  } catch (error) {
    db.close();
    if (error instanceof StateStoreError) throw error;
    throw new StateStoreError(
      `cannot prepare the state database ${db.name}: ${error instanceof Error ? error.message : String(error)}`,
      error,
    );
  }
}

/** `StateStore` on one better-sqlite3 connection; each concern lives in its repository. */
class SqliteStateStore implements StateStore {
  readonly path: string;
  readonly apiUsage: ApiUsageStore;
  readonly metadataCache: MetadataCacheStore;
  private readonly runs: RunLifecycle;
  private readonly links: LinkRepository;
  private readonly index: KeyIndexRepository;
  private readonly intents: IntentRepository;
  private readonly ledger: LedgerRepository;
  private readonly bookmarks: BookmarkRepository;

  /** An intent was recorded inside `transaction()`: fsync the WAL once the outermost one commits. */
  private syncAfterCommit = false;

  constructor(
    private readonly db: Database,
    clock: Clock,
    private readonly durability: Durability,
    probe: ProcessProbe,
    lockTiming: RunLockTiming,
  ) {
    this.path = db.name;

    this.links = new LinkRepository(db, clock);
    this.index = new KeyIndexRepository(db, clock);
    this.intents = new IntentRepository(db, clock);
    this.ledger = new LedgerRepository(db, clock);
    this.runs = new RunLifecycle(db, clock, probe, this.ledger, lockTiming);
    this.bookmarks = new BookmarkRepository(db, clock);
    this.apiUsage = new ApiUsageRepository(db, clock);
    this.metadataCache = new MetadataCacheRepository(db);
  }

  transaction<T>(fn: () => T): T {
    const outermost = !this.db.inTransaction;
    try {
      const result = this.db.transaction(() => {
        const value = fn();
        if (value !== null && typeof value === 'object' && 'then' in value) {
          throw new StateStoreError(
            'StateStore.transaction() was given an async function; its writes were rolled back. ' +
              'Await the async work first, then pass a synchronous function that only writes state',
          );
        }
        return value;
      })();
      if (outermost && this.syncAfterCommit) syncWal(this.db);
      return result;
    } finally {
      if (outermost) this.syncAfterCommit = false;
    }
  }

  startRun(input: StartRunInput): RunRecord {
    return this.runs.startRun(input);
  }
  finishRun(runId: number, outcome: FinishRunInput): RunRecord {
    return this.runs.finishRun(runId, outcome);
  }
  getRun(runId: number): RunRecord | undefined {
    return this.runs.getRun(runId);
  }
  listRuns(filter?: ListRunsFilter): RunRecord[] {
    return this.runs.listRuns(filter);
  }
  markInterruptedRuns(): RunRecord[] {
    return this.runs.markInterruptedRuns();
  }
  acquireRunLock(options: AcquireRunLockOptions): RunLock {
    return this.runs.acquire(options);
  }
  runLockHolder(): (RunLockHolder & { stale: StaleReason | undefined }) | undefined {
    return this.runs.lockHolder();
  }

  getLink(ref: LinkRef): Link | undefined {
    return this.links.get(ref);
  }
  getLinks(sync: string, object: string, keys: readonly string[]): Map<string, Link> {
    return this.links.getMany(sync, object, keys);
  }
  iterateLinks(sync: string, object: string): IterableIterator<Link> {
    return this.links.iterate(sync, object);
  }
  findLinksByAutotaskId(object: string, autotaskId: number): Link[] {
    return this.links.findByAutotaskId(object, autotaskId);
  }
  upsertLinks(links: readonly LinkInput[]): void {
    this.links.upsert(links);
  }
  deleteLink(ref: LinkRef): boolean {
    return this.links.delete(ref);
  }

  putIndexRecords(object: string, records: readonly IndexRecordInput[]): void {
    this.index.put(object, records);
  }
  removeIndexRecords(object: string, autotaskIds: readonly number[]): void {
    this.index.remove(object, autotaskIds);
  }
  lookupIndex(object: string, kind: string, keys: readonly string[]): Map<string, IndexEntry[]> {
    return this.index.lookupKeys(object, kind, keys);
  }
  getIndexRecord(object: string, autotaskId: number): IndexRecord | undefined {
    return this.index.getRecord(object, autotaskId);
  }
  countIndexRecords(object: string): number {
    return this.index.countRecords(object);
  }
  clearIndex(object: string): void {
    this.index.clear(object);
  }
  getIndexCursor(object: string): IndexCursor | undefined {
    return this.index.getCursor(object);
  }
  setIndexCursor(object: string, cursor: IndexCursorInput): void {
    this.index.setCursor(object, cursor);
  }

  recordIntent(input: IntentInput): Intent {
    const [intent] = this.recordIntents([input]);
    if (intent === undefined) throw new StateStoreError(`intent for key ${input.key} was not recorded`);
    return intent;
  }
  recordIntents(inputs: readonly IntentInput[]): Intent[] {
    if (inputs.length === 0) return [];
    if (this.durability !== 'intents') return this.transaction(() => this.intents.record(inputs));
    if (this.db.inTransaction) {
      this.syncAfterCommit = true;
      return this.intents.record(inputs);
    }
    // synchronous=FULL fsyncs the WAL once at this commit, making every intent of the group (and all
    // committed before them) durable
    this.db.pragma('synchronous = FULL');
    try {
      return this.db.transaction(() => this.intents.record(inputs))();
    } finally {
      this.db.pragma('synchronous = NORMAL');
    }
  }
  markIntentSent(intentId: number, at?: number): void {
    this.intents.markSent(intentId, at);
  }
  resolveIntent(intentId: number, autotaskId: number): void {
    this.intents.resolve(intentId, autotaskId);
  }
  abandonIntent(intentId: number, reason: string): void {
    this.intents.abandon(intentId, reason);
  }
  markIntentOutcomeUnknown(intentId: number, reason: string, at?: number): void {
    this.intents.markOutcomeUnknown(intentId, reason, at);
  }
  listUnresolvedIntents(sync?: string): Intent[] {
    return this.intents.listPending(sync);
  }

  appendLedger(entries: readonly LedgerEntryInput[]): void {
    this.ledger.append(entries);
  }
  queryLedger(query: LedgerQuery): LedgerEntry[] {
    return this.ledger.query(query);
  }
  iterateLedger(query: LedgerQuery): IterableIterator<LedgerEntry> {
    return this.ledger.iterate(query);
  }
  countLedger(runId: number, sync?: string): Record<LedgerAction, number> {
    return this.ledger.count(runId, sync);
  }
  listRetries(sync: string, beforeRunId?: number): LedgerEntry[] {
    return this.ledger.retries(sync, beforeRunId);
  }

  getBookmark(name: string, stream: string): Bookmark | undefined {
    return this.bookmarks.get(name, stream);
  }
  setBookmark(bookmark: BookmarkInput): void {
    this.bookmarks.set(bookmark);
  }
  deleteBookmark(name: string, stream: string): void {
    this.bookmarks.delete(name, stream);
  }

  close(): void {
    if (!this.db.open) return;
    try {
      this.runs.close();
    } finally {
      this.db.close();
    }
  }
}

/** Flushes the write-ahead log to disk (what a `synchronous=FULL` commit would have done). */
function syncWal(db: Database): void {
  if (db.memory) return;
  const fd = openSync(`${db.name}-wal`, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
