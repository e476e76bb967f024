/**
 * What every stage of one run shares: collaborators, the compiled syncs, the key indexes, references,
 * same-run outcomes and the outcome recorder. Built once per run by `sync-engine.ts`.
 */
import type { WritableObject } from '../../config/objects.js';
import type { SourceLocation, SourceRecord } from '../../connectors/source.js';
import type { AutotaskKeyIndex } from './autotask-key-index.js';
import type { MappedRecord } from '../mapping/types.js';
import type { DeferredOutcomes } from './deferred-outcomes.js';
import type { IntentWriter } from './intent-writer.js';
import type { OutcomeRecorder } from './outcome-recorder.js';
import type { ResolvedRecord } from './record-values.js';
import type { ReferenceResolver, SameRunTarget } from './reference-resolver.js';
import type { SyncProgram } from './sync-program.js';
import type { EngineDeps } from './types.js';

/** A key that more than one row of a source has (found by the key pass). */
export interface DuplicateKey {
  /** Rows with this key. */
  count: number;
  /** `SourceLocation.index` of the first of them (its location is not kept by the key pass). */
  firstIndex: number;
  /** The first row's location, once the load pass has read it. */
  first: SourceLocation | undefined;
  /** Where the later rows are (at most a few). */
  later: SourceLocation[];
}

/**
 * What the key pass found out about a source row, reused by the load pass when the row is kept. The
 * three optional fields are set together, when the row got through mapping, references and its key
 * (else the load pass redoes the work to report why not). One flat object: a cached row costs memory.
 */
export interface KeyPassRow {
  readonly record: SourceRecord;
  /** Problems that stop a create but not an update (`MappedRecord.createIssues`). */
  readonly createIssues?: MappedRecord['createIssues'];
  readonly resolved?: ResolvedRecord;
  /** The key as the key pass computed it (same-run references as placeholder ids). */
  readonly key?: string;
}

export interface KeyPassResult {
  /**
   * Keys more than one row has (pending references as placeholder ids). Memory holds these only: the
   * set of every key the pass saw is compact (hashes) and dropped when the pass ends.
   */
  readonly duplicates: Map<string, DuplicateKey>;
  /** Every distinct key, in source order, when the engine asked for them (lookups, references). */
  readonly keys: string[] | undefined;
  /** Rows read. */
  rows: number;
  /**
   * The rows and what the key pass computed for them, kept for the load pass when the source is small
   * enough (`CACHED_ROWS`), so it is not read, parsed and mapped twice; undefined for larger sources
   * (they are read again, streamed).
   */
  records: KeyPassRow[] | undefined;
}

/** A key held back because an earlier create of it may still land in Autotask. */
export interface HeldKey {
  /** Run whose create had the unknown outcome. */
  runId: number;
  /** When the settle period ends (ms since the epoch). */
  settlesAt: number;
}

/** Counts kept per sync while it loads (for the plan's estimate and the summary). */
export interface SyncCounters {
  creates: number;
  updates: number;
  /** Calls this sync made itself (writes and reconciliation lookups). */
  calls: number;
}

export interface EngineContext {
  readonly deps: EngineDeps;
  readonly mode: 'run' | 'plan';
  readonly runId: number;
  readonly signal: AbortSignal | undefined;
  readonly programs: readonly SyncProgram[];
  readonly indexes: ReadonlyMap<WritableObject, AutotaskKeyIndex>;
  readonly recorder: OutcomeRecorder;
  readonly deferred: DeferredOutcomes;
  readonly keyPasses: Map<string, KeyPassResult>;
  readonly counters: Map<string, SyncCounters>;
  /** Objects whose same-run records a later stage references (only those are remembered by name). */
  readonly referencedObjects: ReadonlySet<'Company' | 'Contact'>;
  /** Exact company name → company-sync rows of this run; filled by the key pass. */
  readonly sameRunCompanies: Map<string, SameRunTarget[]>;
  /** Exact email → contact-sync rows of this run; filled by the key pass. */
  readonly sameRunContacts: Map<string, SameRunTarget[]>;
  /** Autotask ids of same-run records already linked or matched, by sync then key (bulk-filled). */
  readonly knownIds: Map<string, Map<string, number>>;
  /** Commits the write intents of creates started in one turn of the event loop together. */
  readonly intentWriter: IntentWriter;
  /** `EngineOptions.intentSettleMs`: how long a create with an unknown outcome may still land (ms). */
  readonly intentSettleMs: number;
  /**
   * Keys whose earlier create had an unknown outcome and is not in Autotask yet, within the settle
   * period: by sync, then key → the time (ms) after which the record may be created again. Filled by
   * `reconcileIntents`; the load pass holds these rows back instead of creating them.
   */
  readonly heldKeys: Map<string, Map<string, HeldKey>>;
  resolver: ReferenceResolver | undefined;
  /** Set when a failure means nothing more should be started (authentication, budget, abort). */
  stopReason: Error | undefined;
}
