/**
 * The second pass over a source: extract → map → match → load → checkpoint, one record at a time with
 * many records in flight (the client keeps at most 3 requests per entity endpoint in flight; records
 * waiting for a company of this run do not hold up the others).
 *
 * Per record: map; resolve references (waiting for same-run records); compute the key; a key shared
 * with another source row, or with two Autotask records, is a conflict; match through the link, else
 * the key index; then create (intent committed first), PATCH only the changed fields, or nothing.
 */
import { AutotaskError, AutotaskNotFoundError, AutotaskOutcomeUnknownError } from '../../autotask/errors.js';
import type { EntityRecord, Filter } from '../../autotask/types.js';
import { formatLocation, type SourceLocation } from '../../connectors/source.js';
import { redactText } from '../../shared/redact.js';
import type { IndexEntry, Link } from '../../state/state-store.js';
import { normaliseKeyValue, recordKey } from '../keys/record-key.js';
import type { RecordIssue } from '../mapping/types.js';
import { parseVersion, type IndexedValues } from './autotask-key-index.js';
import { DependencyNotWrittenError, PLANNED_ID } from './deferred-outcomes.js';
import type { EngineContext, KeyPassRow, SyncCounters } from './engine-context.js';
import { diffForCreate, diffForUpdate } from './field-diff.js';
import { isEmptyValue, payloadHash } from './field-values.js';
import { KeyHashSet } from './key-hash-set.js';
import { flattenAutotaskRecord } from './key-kinds.js';
import type { OutcomeInput } from './outcome-recorder.js';
import { formatUtc, heldBackReason } from './reconcile-intents.js';
import { keyValues, resolveRecord, toWirePayload, type ResolvedRecord } from './record-values.js';
import type { SyncProgram } from './sync-program.js';
import type { FieldChange } from './types.js';

/**
 * Records being processed at once per sync. Writes still queue in the client's lanes (3 per entity);
 * this only bounds memory and lets records that wait for a dependency overlap with the others.
 */
const WINDOW = 48;
/** Records whose links and index entries are fetched from the state store in one query each. */
const CHUNK = 256;

/** Links and key-index entries of a chunk of records, fetched in bulk. */
interface Prefetch {
  links: Map<string, Link>;
  entries: Map<string, IndexEntry[]>;
}

const NO_ISSUES: readonly RecordIssue[] = Object.freeze([]);

/** One source row on its way through the load pass. */
class RecordContext {
  key: string | null = null;
  /** Problems that stop a create but not an update (a required field is empty). */
  createIssues: readonly RecordIssue[] = NO_ISSUES;
  private text: string | undefined;

  constructor(
    readonly program: SyncProgram,
    private readonly where: SourceLocation,
    readonly row: Readonly<Record<string, unknown>>,
  ) {}

  /** `contacts.csv:12`, formatted when first needed (most rows of a plan never need it). */
  get location(): string {
    return (this.text ??= formatLocation(this.where));
  }
}

/** A record that got through mapping, references and the source-conflict check. */
interface Prepared {
  rc: RecordContext;
  resolved: ResolvedRecord;
  /** Its key as the key pass saw it (same-run references as placeholders). */
  passKey: string;
}

type OutcomeFields = Omit<OutcomeInput, 'key' | 'location' | 'sourceRow'>;

function record(ctx: EngineContext, rc: RecordContext, o: OutcomeFields): void {
  if (!ctx.recorder.keeps(rc.program.name, o.action)) ctx.recorder.count(rc.program.name, o.action);
  else ctx.recorder.record(rc.program.name, { ...o, key: rc.key, location: rc.location, sourceRow: rc.row });
}

function invalid(
  ctx: EngineContext,
  rc: RecordContext,
  reason: string,
  field: string | null = null,
): undefined {
  record(ctx, rc, { action: 'invalid', autotaskId: null, reason, field, diff: null });
  return undefined;
}

export async function runLoadPass(ctx: EngineContext, program: SyncProgram): Promise<void> {
  const counters: SyncCounters = { creates: 0, updates: 0, calls: 0 };
  ctx.counters.set(program.name, counters);
  const claimed = new KeyHashSet();
  const inFlight = new Set<Promise<void>>();
  const index = ctx.indexes.get(program.object);
  let read = 0;
  let done = 0;

  const progress = (): void => {
    done++;
    if (done % 500 === 0)
      ctx.deps.onProgress?.({
        sync: program.name,
        stage: 'load',
        read,
        done,
        total: ctx.keyPasses.get(program.name)?.rows ?? read,
      });
  };
  const stop = (error: unknown): void => {
    // A bug or an abort-class error: stop starting new work, keep the record's outcome.
    ctx.stopReason ??= error instanceof Error ? error : new Error(String(error));
  };

  /** Tracks a record that waits for Autotask or a dependency; bounds how many do at once. */
  const track = async (work: Promise<void>): Promise<void> => {
    const task = work.catch(stop).finally(() => {
      inFlight.delete(task);
      progress();
    });
    inFlight.add(task);
    if (inFlight.size >= WINDOW) await Promise.race(inFlight);
  };

  const dispatch = async (chunk: readonly KeyPassRow[]): Promise<void> => {
    const prepared: Prepared[] = [];
    for (const r of chunk) {
      const p = prepareRecord(ctx, program, r);
      if (p === undefined) progress();
      else prepared.push(p);
    }
    // Records waiting for a same-run dependency are prefetched too: their key often stays the same
    // (a contact keyed by email), and then they need no query of their own.
    const keys = prepared.map((p) => p.passKey);
    const prefetch: Prefetch = {
      links:
        keys.length > 0
          ? ctx.deps.state.getLinks(program.name, program.object, keys)
          : new Map<string, Link>(),
      entries:
        keys.length > 0 && index !== undefined
          ? index.lookup(program.keyKind.kind, keys)
          : new Map<string, IndexEntry[]>(),
    };
    for (const p of prepared) {
      if (ctx.stopReason !== undefined) return;
      const dependent = p.resolved.pending.length > 0;
      if (dependent && !takeSettledDependencies(ctx, p.resolved)) {
        await track(completeRecord(ctx, p, claimed, counters, prefetch));
        continue;
      }
      // No dependency to wait for: decided synchronously; only writes become tasks.
      let result: MaybePromise<void>;
      try {
        result = dependent
          ? loadWithDependencies(ctx, p, claimed, counters, prefetch)
          : claimAndLoad(ctx, p, p.passKey, claimed, counters, prefetch);
      } catch (error) {
        stop(error);
        progress();
        continue;
      }
      if (result instanceof Promise) await track(result);
      else progress();
    }
  };

  const keyPass = ctx.keyPasses.get(program.name);
  const cached = keyPass?.records;
  // The rows come from the key pass's memory when it kept them; otherwise the source is read again.
  const source = cached === undefined ? await ctx.deps.openSource(program.spec) : undefined;
  if (keyPass !== undefined) keyPass.records = undefined;
  let chunk: KeyPassRow[] = [];
  const stopped = (): boolean => ctx.signal?.aborted === true || ctx.stopReason !== undefined;
  try {
    if (cached !== undefined) {
      // Rows in memory: a chunk at a time, without a promise per row.
      for (let i = 0; i < cached.length && !stopped(); i += CHUNK) {
        const slice = cached.slice(i, i + CHUNK);
        read += slice.length;
        await dispatch(slice);
      }
      return;
    }
    for await (const record of source?.read() ?? []) {
      if (stopped()) break;
      read++;
      chunk.push({ record });
      if (chunk.length >= CHUNK) {
        const full = chunk;
        chunk = [];
        await dispatch(full);
      }
    }
    if (chunk.length > 0 && !stopped()) await dispatch(chunk);
  } finally {
    await Promise.all(inFlight);
    ctx.deferred.failRemaining('the run stopped before it was processed', program.name);
    ctx.deps.onProgress?.({ sync: program.name, stage: 'done', read, done, total: read });
  }
}

/**
 * Map, resolve references and compute the key (no I/O). Records the outcome of a row that stops here
 * (invalid, duplicate in the source) and returns undefined; rows the `where` filter leaves out too.
 */
function prepareRecord(ctx: EngineContext, program: SyncProgram, row: KeyPassRow): Prepared | undefined {
  const source = row.record;
  const rc = new RecordContext(program, source.location, source.values);
  let resolved: ResolvedRecord;
  let passKeyText: string;
  if (row.resolved !== undefined && row.key !== undefined) {
    // The key pass mapped this row, resolved its references and computed its key already.
    rc.createIssues = row.createIssues ?? NO_ISSUES;
    resolved = row.resolved;
    passKeyText = row.key;
  } else {
    if (source.error !== undefined) return invalid(ctx, rc, source.error.message);
    if (!program.accepts(source.values)) return undefined;
    const mapped = program.map(source.values);
    if (mapped.issues.length > 0)
      return invalid(ctx, rc, describeIssues(mapped.issues), mapped.issues[0]?.target ?? null);
    rc.createIssues = mapped.createIssues;

    resolved = resolveRecord(ctx, program, mapped);
    if (resolved.error !== undefined)
      return invalid(ctx, rc, `${resolved.error.message}. ${resolved.error.fix}`, resolved.error.field);

    const passKey = recordKey(program.keyDef, keyValues(resolved, program.keyKind.fields));
    if (!passKey.ok)
      return invalid(
        ctx,
        rc,
        `Cannot tell which Autotask record this row is: ${passKey.reason}. Map the field or give it a value.`,
        passKey.missing[0] ?? null,
      );
    passKeyText = passKey.key;
  }
  rc.key = passKeyText;
  const duplicate = ctx.keyPasses.get(program.name)?.duplicates.get(passKeyText);
  if (duplicate !== undefined) {
    if (source.location.index === duplicate.firstIndex) duplicate.first = source.location;
    const where = [
      duplicate.first === undefined ? `row ${duplicate.firstIndex + 1}` : formatLocation(duplicate.first),
      ...duplicate.later.map(formatLocation),
      ...(duplicate.count > duplicate.later.length + 1 ? ['...'] : []),
    ];
    const reason = `Duplicate in the source: ${duplicate.count} rows have the key "${passKeyText}" (${where.join(', ')}). None of them was written; make the rows unique or merge them.`;
    ctx.deferred.fail(program.name, passKeyText, reason);
    record(ctx, rc, { action: 'conflict', autotaskId: null, reason, field: null, diff: null });
    return undefined;
  }
  return { rc, resolved, passKey: passKeyText };
}

/** Waits for same-run dependencies, then matches and loads the record. */
async function completeRecord(
  ctx: EngineContext,
  { rc, resolved, passKey }: Prepared,
  claimed: KeyHashSet,
  counters: SyncCounters,
  prefetch: Prefetch | undefined,
): Promise<void> {
  const { program } = rc;
  // Wait for records of this run this one points at (a contact's new company).
  try {
    for (const pending of resolved.pending) {
      const id = await ctx.deferred.wait(pending.sync, pending.key);
      (pending.inDefaults ? resolved.defaults : resolved.values)[pending.field] = id;
    }
  } catch (error) {
    const reason = error instanceof DependencyNotWrittenError ? error.message : String(error);
    ctx.deferred.fail(program.name, passKey, reason);
    record(ctx, rc, {
      action: 'failed',
      autotaskId: null,
      reason,
      field: resolved.pending[0]?.field ?? null,
      diff: null,
    });
    return;
  }

  await loadWithDependencies(ctx, { rc, resolved, passKey }, claimed, counters, prefetch);
}

/**
 * Fills in the ids of the same-run records this one points at when all of them are written (or, in
 * a plan, would be created) already: the record then goes on without waiting. False otherwise.
 */
function takeSettledDependencies(ctx: EngineContext, resolved: ResolvedRecord): boolean {
  for (const pending of resolved.pending)
    if (ctx.deferred.settledId(pending.sync, pending.key) === undefined) return false;
  for (const pending of resolved.pending)
    (pending.inDefaults ? resolved.defaults : resolved.values)[pending.field] = ctx.deferred.settledId(
      pending.sync,
      pending.key,
    );
  return true;
}

/** Matches and loads a record whose same-run dependencies have their ids filled in. */
function loadWithDependencies(
  ctx: EngineContext,
  { rc, resolved, passKey }: Prepared,
  claimed: KeyHashSet,
  counters: SyncCounters,
  prefetch: Prefetch | undefined,
): MaybePromise<void> {
  const { program } = rc;
  // The real key (ids of new records instead of placeholders).
  const final =
    resolved.pending.length > 0
      ? recordKey(program.keyDef, keyValues(resolved, program.keyKind.fields))
      : undefined;
  const key = final?.ok === true ? final.key : passKey;
  // A key holding a record a plan would create cannot be linked or in Autotask yet.
  const planned =
    ctx.mode === 'plan' &&
    key !== passKey &&
    resolved.pending.some(
      (p) => (p.inDefaults ? resolved.defaults : resolved.values)[p.field] === PLANNED_ID,
    );
  return claimAndLoad(
    ctx,
    { rc, resolved, passKey },
    key,
    claimed,
    counters,
    planned ? NOTHING_KNOWN : key === passKey ? prefetch : undefined,
  );
}

type MaybePromise<T> = T | Promise<T>;

/** The prefetch of a key nothing can be known about (no link, not in the key index). */
const NOTHING_KNOWN: Prefetch = { links: new Map(), entries: new Map() };

/**
 * Claims the key for this row (a second row with the same real key is held back), matches and
 * loads it, and settles its same-run outcome. Synchronous unless Autotask must be written.
 */
function claimAndLoad(
  ctx: EngineContext,
  { rc, resolved, passKey }: Prepared,
  key: string,
  claimed: KeyHashSet,
  counters: SyncCounters,
  prefetch: Prefetch | undefined,
): MaybePromise<void> {
  const { program } = rc;
  rc.key = key;
  if (!claimed.add(key)) {
    const reason = `Duplicate in the source: another row of this source is the same record (key "${key}", once references are resolved); this row (${rc.location}) was held back.`;
    ctx.deferred.fail(program.name, passKey, reason);
    record(ctx, rc, { action: 'conflict', autotaskId: null, reason, field: null, diff: null });
    return;
  }
  const settle = (id: number | undefined): void => {
    if (id === undefined) ctx.deferred.fail(program.name, passKey, 'not written (see its own outcome)');
    else ctx.deferred.succeed(program.name, passKey, id);
  };
  const result = matchAndLoad(ctx, rc, resolved, key, counters, prefetch);
  if (!(result instanceof Promise)) return settle(result);
  return result.then(settle, (error: unknown) => {
    ctx.deferred.fail(program.name, passKey, errorMessage(error));
    throw error;
  });
}

/**
 * Match and load one record: its Autotask id when it exists afterwards. Synchronous (no promise) when
 * nothing has to be written to Autotask: unchanged rows, conflicts, and everything in a plan.
 */
function matchAndLoad(
  ctx: EngineContext,
  rc: RecordContext,
  resolved: ResolvedRecord,
  key: string,
  counters: SyncCounters,
  prefetch: Prefetch | undefined,
): MaybePromise<number | undefined> {
  const { program } = rc;
  const { state } = ctx.deps;
  const index = ctx.indexes.get(program.object);
  const outcome = (o: OutcomeFields): void => record(ctx, rc, o);
  const entries = prefetch ? (prefetch.entries.get(key) ?? []) : undefined;
  /** What the index has for an Autotask record: from the prefetched entries when there. */
  const indexed = (id: number): IndexedValues | undefined => {
    const entry = entries?.find((e) => e.autotaskId === id);
    return entry !== undefined ? parseVersion(entry.version) : index?.get(id);
  };

  let link: Link | undefined = prefetch
    ? prefetch.links.get(key)
    : state.getLink({ sync: program.name, object: program.object, key });
  if (
    link !== undefined &&
    index !== undefined &&
    index.isComplete() &&
    indexed(link.autotaskId) === undefined
  ) {
    // The record we linked to is gone from Autotask (deleted or merged): forget the link.
    state.deleteLink({ sync: program.name, object: program.object, key });
    link = undefined;
  }
  let targetId = link?.autotaskId;
  if (targetId === undefined && index !== undefined) {
    const found = entries ?? index.lookup(program.keyKind.kind, [key]).get(key) ?? [];
    if (found.length > 1) {
      const reason = `Duplicate in Autotask: ${found.length} ${program.entity} have the key "${key}" (ids ${found.map((e) => e.autotaskId).join(', ')}). Nothing was written; merge them in Autotask or link one explicitly.`;
      outcome({ action: 'conflict', autotaskId: null, reason, field: null, diff: null });
      return undefined;
    }
    targetId = found[0]?.autotaskId;
  }

  const desired = resolved.values;
  // Only a run stores hashes (links, intents); a plan skips the work.
  const hash = ctx.mode === 'run' ? payloadHash(desired) : '';

  if (targetId === undefined) {
    if (program.mode === 'update') {
      outcome({
        action: 'skipped',
        autotaskId: null,
        reason: 'Not in Autotask, and the sync only updates (mode: update).',
        field: null,
        diff: null,
      });
      return undefined;
    }
    return create(ctx, rc, resolved, key, hash, counters);
  }

  if (program.mode === 'create') {
    outcome({
      action: 'skipped',
      autotaskId: targetId,
      reason: 'Already in Autotask, and the sync only creates (mode: create).',
      field: null,
      diff: null,
    });
    return targetId;
  }

  const current = indexed(targetId)?.values;
  const changes = diffForUpdate({
    desired,
    current,
    lastWritten: link?.fields,
    directions: program.directions,
  });
  keepAutotaskSpellingOfKey(program, changes);
  if (Object.keys(changes).length === 0) {
    if (ctx.mode === 'run' && (link === undefined || link.payloadHash !== hash))
      state.upsertLinks([
        {
          sync: program.name,
          object: program.object,
          key,
          autotaskId: targetId,
          payloadHash: hash,
          fields: { ...link?.fields, ...desired },
          sourceLocation: rc.location,
          runId: ctx.runId,
        },
      ]);
    outcome({ action: 'unchanged', autotaskId: targetId, reason: null, field: null, diff: null });
    return targetId;
  }

  const diff: Record<string, FieldChange> = changes;
  if (ctx.mode === 'plan') {
    counters.updates++;
    outcome({ action: 'updated', autotaskId: targetId, reason: null, field: null, diff });
    return targetId;
  }

  return patchRecord(ctx, rc, key, targetId, changes, { desired, current, link, hash }, counters);
}

/**
 * A key field whose new value differs from Autotask's only in what the key ignores (case, punctuation,
 * spacing: `Cascade Logistics, Inc` for `Cascade Logistics Inc.`) names the same record: Autotask's
 * spelling is kept. Writing the file's spelling would make every run rename the record back and forth
 * when sources spell it differently, and would break other rows that reference it by its exact name.
 */
function keepAutotaskSpellingOfKey(program: SyncProgram, changes: Record<string, FieldChange>): void {
  for (const part of program.keyDef.parts) {
    const change = changes[part.field];
    if (change === undefined || change.from === null || change.from === undefined) continue;
    const from = normaliseKeyValue(part.normaliser, change.from);
    if (from !== undefined && from === normaliseKeyValue(part.normaliser, change.to))
      delete changes[part.field];
  }
}

/** Sends the changed fields (PATCH) and checkpoints the link. */
async function patchRecord(
  ctx: EngineContext,
  rc: RecordContext,
  key: string,
  targetId: number,
  changes: Record<string, FieldChange>,
  known: {
    desired: Record<string, unknown>;
    current: Record<string, unknown> | undefined;
    link: Link | undefined;
    hash: string;
  },
  counters: SyncCounters,
): Promise<number | undefined> {
  const { program } = rc;
  const { state } = ctx.deps;
  const index = ctx.indexes.get(program.object);
  const { desired, current, link, hash } = known;
  const patch: Record<string, unknown> = { id: targetId };
  for (const [field, change] of Object.entries(changes)) patch[field] = change.to;
  if (program.object === 'Contact' && patch['companyID'] === undefined) {
    // Contacts are written through /Companies/{companyID}/Contacts: give the client the company.
    const companyID = desired['companyID'] ?? current?.['companyID'];
    if (!isEmptyValue(companyID)) patch['companyID'] = companyID;
  }
  counters.updates++;
  counters.calls++;
  try {
    await ctx.deps.client.entity(program.entity).update(toWirePayload(patch) as { id: number });
  } catch (error) {
    if (error instanceof AutotaskNotFoundError && !error.routeNotFound) {
      state.transaction(() => {
        state.deleteLink({ sync: program.name, object: program.object, key });
        index?.forget(targetId);
      });
    }
    return failed(ctx, rc, key, targetId, error);
  }
  const written: Record<string, unknown> = {};
  for (const [field, change] of Object.entries(changes)) written[field] = change.to;
  state.transaction(() => {
    state.upsertLinks([
      {
        sync: program.name,
        object: program.object,
        key,
        autotaskId: targetId,
        payloadHash: hash,
        fields: { ...link?.fields, ...desired },
        sourceLocation: rc.location,
        runId: ctx.runId,
      },
    ]);
    index?.remember(targetId, written);
  });
  record(ctx, rc, { action: 'updated', autotaskId: targetId, reason: null, field: null, diff: changes });
  return targetId;
}

function create(
  ctx: EngineContext,
  rc: RecordContext,
  resolved: ResolvedRecord,
  key: string,
  hash: string,
  counters: SyncCounters,
): MaybePromise<number | undefined> {
  const outcome = (o: OutcomeFields): void => record(ctx, rc, o);
  const held = ctx.heldKeys.get(rc.program.name)?.get(key);
  if (held !== undefined) {
    // An earlier create of this record may still land in Autotask: creating it now could double it.
    outcome({
      action: 'failed',
      autotaskId: null,
      reason: heldBackReason(held.runId, held.settlesAt),
      field: null,
      diff: null,
    });
    return undefined;
  }
  if (rc.createIssues.length > 0) {
    outcome({
      action: 'invalid',
      autotaskId: null,
      reason: describeIssues(rc.createIssues),
      field: rc.createIssues[0]?.target ?? null,
      diff: null,
    });
    return undefined;
  }
  counters.creates++;
  if (ctx.mode === 'plan') {
    // What would be sent matters only where the plan shows it (its sample of outcomes).
    const diff = ctx.recorder.keeps(rc.program.name, 'created')
      ? diffForCreate(resolved.values, resolved.defaults)
      : null;
    outcome({ action: 'created', autotaskId: null, reason: null, field: null, diff });
    return PLANNED_ID;
  }
  const diff = diffForCreate(resolved.values, resolved.defaults);
  const payload: Record<string, unknown> = {};
  for (const [field, change] of Object.entries(diff)) payload[field] = change.to;
  return createInAutotask(ctx, rc, key, hash, payload, diff, counters);
}

/**
 * Intent first (durable, committed with the other intents of this turn: `IntentWriter`), then the
 * POST, then the link: a crash anywhere leaves no duplicate. The intent is marked sent just before
 * each attempt leaves, so that after a crash only a create that may have reached Autotask waits for
 * the settle period (`reconcileIntents`).
 */
async function createInAutotask(
  ctx: EngineContext,
  rc: RecordContext,
  key: string,
  hash: string,
  payload: Record<string, unknown>,
  diff: Record<string, FieldChange>,
  counters: SyncCounters,
): Promise<number | undefined> {
  const { program } = rc;
  const { state } = ctx.deps;
  const outcome = (o: OutcomeFields): void => record(ctx, rc, o);

  const intent = await ctx.intentWriter.record({
    runId: ctx.runId,
    sync: program.name,
    object: program.object,
    key,
    payloadHash: hash,
  });
  let id: number;
  let sent = false;
  counters.calls++;
  try {
    id = await ctx.deps.client.entity(program.entity).create(toWirePayload(payload), {
      onSend: () => {
        state.markIntentSent(intent.id);
        sent = true;
      },
    });
  } catch (error) {
    if (sent && !(error instanceof AutotaskError)) {
      // Stopped (aborted) while the request was out: Autotask may still create it. The intent stays
      // pending, as after a crash: the next run finds the record by key or waits out the settle period.
      return failed(ctx, rc, key, null, error);
    }
    if (!(error instanceof AutotaskOutcomeUnknownError)) {
      state.abandonIntent(intent.id, `refused: ${errorMessage(error)}`);
      return failed(ctx, rc, key, null, error);
    }
    // Autotask may or may not have created it, and may still be creating it: the intent stays
    // pending (not given up) until the settle period has passed, whatever the lookup below says.
    const unknownAt = ctx.deps.clock.now();
    const settles = formatUtc(unknownAt + ctx.intentSettleMs);
    state.markIntentOutcomeUnknown(intent.id, `outcome unknown: ${errorMessage(error)}`, unknownAt);
    let found: number | undefined;
    try {
      found = await findCreated(ctx, program, payload, key, counters);
    } catch (lookupError) {
      return failed(ctx, rc, key, null, lookupError, heldReason(errorMessage(lookupError), settles));
    }
    if (found === undefined)
      return failed(
        ctx,
        rc,
        key,
        null,
        error,
        heldReason(`${errorMessage(error)}; not found in Autotask by key yet`, settles),
      );
    id = found;
  }
  // Committed with the other creates that finished in this turn (one transaction, no fsync).
  await ctx.intentWriter.settle(() => {
    state.resolveIntent(intent.id, id);
    state.upsertLinks([
      {
        sync: program.name,
        object: program.object,
        key,
        autotaskId: id,
        payloadHash: hash,
        fields: payload,
        sourceLocation: rc.location,
        runId: ctx.runId,
      },
    ]);
    ctx.indexes.get(program.object)?.remember(id, payload);
  });
  outcome({ action: 'created', autotaskId: id, reason: null, field: null, diff });
  return id;
}

/**
 * After a create whose outcome is unknown: the record with this key, if Autotask has it. Queries by
 * the key fields' values as sent (one call; UDF key fields are filtered one at a time).
 */
async function findCreated(
  ctx: EngineContext,
  program: SyncProgram,
  payload: Readonly<Record<string, unknown>>,
  key: string,
  counters: SyncCounters,
): Promise<number | undefined> {
  const filter: Filter[] = [];
  let udfUsed = false;
  for (const field of program.keyKind.fields) {
    const value = payload[field];
    if (
      isEmptyValue(value) ||
      (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean')
    )
      continue;
    if (field.startsWith('udf:')) {
      if (udfUsed) continue;
      udfUsed = true;
      filter.push({ op: 'eq', field: field.slice(4), value, udf: true });
    } else filter.push({ op: 'eq', field, value });
  }
  if (filter.length === 0) return undefined;
  counters.calls++;
  const matches: EntityRecord[] = [];
  for await (const record of ctx.deps.client.entity(program.entity).query({ filter })) {
    if (program.keyKind.keyOf(flattenAutotaskRecord(record)) === key) matches.push(record);
  }
  matches.sort((a, b) => b.id - a.id);
  return matches[0]?.id;
}

/** Why a row whose create had an unknown outcome is not created again yet. */
function heldReason(what: string, settles: string): string {
  return `${what}. Autotask may still be creating it: it will be reconciled by key after ${settles}, before any retry (retried on the next run)`;
}

function failed(
  ctx: EngineContext,
  rc: RecordContext,
  key: string,
  autotaskId: number | null,
  error: unknown,
  /** @default the error's message, with "(retried on the next run)" */
  reason?: string,
): undefined {
  ctx.recorder.record(rc.program.name, {
    action: 'failed',
    key,
    location: rc.location,
    sourceRow: rc.row,
    autotaskId,
    reason: reason ?? `${errorMessage(error)} (retried on the next run)`,
    field: null,
    diff: null,
  });
  if (error instanceof AutotaskError && error.disposition === 'abort') ctx.stopReason ??= error;
  else if (!(error instanceof AutotaskError))
    ctx.stopReason ??= error instanceof Error ? error : new Error(String(error));
  return undefined;
}

function errorMessage(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return redactText(text, []);
}

function describeIssues(issues: readonly RecordIssue[]): string {
  return issues.map((i) => `${i.message}${i.fix ? ` (${i.fix})` : ''}`).join('; ');
}
