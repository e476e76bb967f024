/**
 * One run (or plan) of the configured syncs, start to finish:
 * 1. compile every sync against live metadata (config errors stop everything before any call that writes);
 * 2. bring the key indexes up to date (one full scan the first time, incremental reads after) and
 *    settle write intents left by an interrupted run;
 * 3. key pass over each source, in dependency order (companies → contacts → opportunities);
 * 4. load pass over every source at once: records wait only for the same-run records they reference;
 * 5. read back what the run changed (moves the watermark past our own writes, so the next run's
 *    incremental read is one call), flush the ledger, record the run.
 */
import { createHash } from 'node:crypto';

import type { EntityName } from '../../autotask/types.js';
import type { WritableObject } from '../../config/objects.js';
import { ConfigError } from '../../shared/errors.js';
import { DEFAULT_KEYS } from '../keys/key-definitions.js';
import { closestNames } from '../mapping/closest-names.js';
import type { EntityMetadata, MappingFinding } from '../mapping/types.js';
import { AutotaskKeyIndex } from './autotask-key-index.js';
import { DeferredOutcomes } from './deferred-outcomes.js';
import type { EngineContext } from './engine-context.js';
import { IntentWriter } from './intent-writer.js';
import { stableJson } from './field-values.js';
import { runKeyPass } from './key-pass.js';
import { EXACT_COMPANY_NAME, EXACT_CONTACT_EMAIL, keyKindOf, type KeyKind } from './key-kinds.js';
import { runLoadPass } from './load-pass.js';
import { inDependencyOrder, OBJECT_MODELS } from './object-model.js';
import { OutcomeRecorder } from './outcome-recorder.js';
import type { EngineConfig } from './ports.js';
import { DEFAULT_INTENT_SETTLE_MS, reconcileIntents } from './reconcile-intents.js';
import { readResources, ReferenceResolver, type ResourceInfo } from './reference-resolver.js';
import { compileSyncProgram, type SyncProgram } from './sync-program.js';
import type { EngineDeps, EngineOptions, RunSummary, SyncSummary } from './types.js';

/** What a finished run reports besides the summary, for the plan's estimate. */
export interface ExecutionDetails {
  summary: RunSummary;
  /** Calls spent reading (indexes, resources, suggestions) before the load pass. */
  readCalls: number;
  /** Wall time of those reads, ms. */
  readMs: number;
  /** Creates and updates per entity (planned or made). */
  writesByEntity: Map<EntityName, number>;
}

export async function executeSyncs(
  deps: EngineDeps,
  config: EngineConfig,
  options: EngineOptions,
  mode: 'run' | 'plan',
): Promise<ExecutionDetails> {
  const { client, state, clock, logger } = deps;
  const selected = selectSyncs(config, options.only);
  const startedAt = clock.now();
  const callsAtStart = client.stats().totalCalls;

  // 1. compile every sync (all of them: the key indexes are defined by the whole configuration)
  const metadata = new Map<EntityName, EntityMetadata>();
  const findings: MappingFinding[] = [];
  const programs: SyncProgram[] = [];
  for (const [i, sync] of config.syncs.entries()) {
    const entity = OBJECT_MODELS[sync.object].entity;
    let meta = metadata.get(entity);
    if (meta === undefined) {
      const [fields, udfs] = await Promise.all([
        client.metadata.fields(entity),
        client.metadata.udfs(entity),
      ]);
      meta = { fields, udfs };
      metadata.set(entity, meta);
    }
    const compiled = compileSyncProgram(sync, i, meta);
    if (compiled.ok) programs.push(compiled.program);
    else findings.push(...compiled.findings);
  }
  const errors = findings.filter((f) => f.severity === 'error');
  if (errors.length > 0) {
    throw new ConfigError(
      `The configuration cannot run: ${errors.length} problem${errors.length === 1 ? '' : 's'} with the field mappings`,
      errors.map((f) => ({ path: f.path, message: `${f.message}. ${f.fix}` })),
    );
  }
  const active = inDependencyOrder(programs.filter((p) => selected.has(p.name)));

  // 2. key indexes: objects written, and objects referenced by name/email
  const needed = new Set<WritableObject>(active.map((p) => p.object));
  for (const p of active) {
    if (p.refEntities.has('Company')) needed.add('Company');
    if (p.refEntities.has('Contact')) needed.add('Contact');
  }
  const indexes = new Map<WritableObject, AutotaskKeyIndex>();
  for (const object of needed)
    indexes.set(object, buildIndex(deps, object, programs, options.watermarkOverlapMs ?? 0));

  const run = state.startRun({ mode, syncNames: active.map((p) => p.name), configHash: configHash(config) });
  const recorder = new OutcomeRecorder(state, run.id, options.maxDiffsInReport ?? 100, mode);
  const ctx: EngineContext = {
    deps,
    mode,
    runId: run.id,
    signal: options.signal,
    programs: active,
    indexes,
    recorder,
    deferred: new DeferredOutcomes(),
    keyPasses: new Map(),
    counters: new Map(),
    referencedObjects: referencedObjects(active),
    sameRunCompanies: new Map(),
    sameRunContacts: new Map(),
    knownIds: new Map(),
    intentWriter: new IntentWriter(state),
    intentSettleMs: options.intentSettleMs ?? DEFAULT_INTENT_SETTLE_MS,
    heldKeys: new Map(),
    resolver: undefined,
    stopReason: undefined,
  };

  let readCalls = 0;
  let readMs = 0;
  try {
    const readStart = clock.now();
    const callsBeforeReads = client.stats().totalCalls;
    const needsResources = active.some((p) => p.refEntities.has('Resource'));
    const [resources] = await Promise.all([
      needsResources
        ? readResources(client)
        : Promise.resolve(undefined as Map<number, ResourceInfo> | undefined),
      ...[...indexes.entries()].map(([object, index]) =>
        index.refresh(options.signal, {
          // Contacts may be looked up by email instead of scanned, unless another sync resolves
          // contacts by email (that needs the whole index).
          allowLookup: object === 'Contact' && !active.some((p) => p.refEntities.has('Contact')),
        }),
      ),
    ]);
    reconcileIntents(ctx);

    // 3. key pass, stage by stage (a contact's key pass needs the companies of this run)
    ctx.resolver = new ReferenceResolver({
      companyIndex: indexes.get('Company'),
      contactIndex: indexes.get('Contact'),
      sameRunCompanies: ctx.sameRunCompanies,
      sameRunContacts: ctx.sameRunContacts,
      knownId: (target) => knownId(ctx, target.sync, target.key),
      resources,
    });
    for (const program of active) {
      deps.onProgress?.({ sync: program.name, stage: 'extract', read: 0, done: 0 });
      const index = indexes.get(program.object);
      const lookupMode = index?.isLookupMode() === true;
      // Same-run references to this sync's records need their ids (when known) by key.
      const referenced =
        (program.object === 'Company' || program.object === 'Contact') &&
        ctx.referencedObjects.has(program.object);
      const keyPass = await runKeyPass(ctx, program, { collectKeys: lookupMode || referenced });
      ctx.keyPasses.set(program.name, keyPass);
      if (lookupMode && index !== undefined) {
        await index.lookupKeys(unlinkedKeys(ctx, program, keyPass.keys ?? []), options.signal);
        reconcileIntents(ctx);
      }
      if (referenced) fillKnownIds(ctx, program, keyPass.keys ?? []);
    }
    await ctx.resolver.loadSuggestions(client, (input, candidates) => closestNames(input, candidates));
    readCalls = client.stats().totalCalls - callsBeforeReads;
    readMs = clock.now() - readStart;

    // 4. load pass, all syncs at once
    await Promise.all(active.map((program) => runLoadPass(ctx, program)));

    // 5. read back our own writes so the next incremental read starts after them
    if (mode === 'run' && ctx.stopReason === undefined) {
      const written = new Set<WritableObject>();
      for (const p of active) {
        const c = ctx.counters.get(p.name);
        if (c !== undefined && c.creates + c.updates > 0 && indexes.get(p.object)?.isLookupMode() !== true)
          written.add(p.object);
      }
      await Promise.all(
        [...written].flatMap((object) => {
          const index = indexes.get(object);
          return index === undefined ? [] : [index.refresh(options.signal)];
        }),
      );
    }
  } catch (error) {
    ctx.stopReason ??= error instanceof Error ? error : new Error(String(error));
  } finally {
    ctx.deferred.failRemaining('the run stopped before it was processed');
    recorder.flush();
  }

  const totals = recorder.total();
  const apiCalls = client.stats().totalCalls - callsAtStart;
  const status: RunSummary['status'] = options.signal?.aborted
    ? 'aborted'
    : ctx.stopReason !== undefined
      ? 'failed'
      : totals.failed + totals.invalid + totals.conflict > 0
        ? 'partial'
        : 'succeeded';
  const finished = state.finishRun(run.id, { status, counters: { ...totals }, apiCalls });
  const writesByEntity = new Map<EntityName, number>();
  const syncs: SyncSummary[] = active.map((p) => {
    const c = ctx.counters.get(p.name) ?? { creates: 0, updates: 0, calls: 0 };
    writesByEntity.set(p.entity, (writesByEntity.get(p.entity) ?? 0) + c.creates + c.updates);
    return {
      name: p.name,
      object: p.object,
      counts: recorder.countsOf(p.name),
      apiCalls: c.calls,
      outcomes: recorder.samplesOf(p.name),
    };
  });
  const summary: RunSummary = {
    runId: run.id,
    mode,
    status,
    counts: totals,
    apiCalls,
    startedAt,
    finishedAt: finished.finishedAt ?? clock.now(),
    syncs,
    ...(ctx.stopReason === undefined ? {} : { error: describeError(ctx.stopReason) }),
  };
  if (ctx.stopReason !== undefined) logger.error({ err: summary.error }, 'run stopped');
  return { summary, readCalls, readMs, writesByEntity };
}

function selectSyncs(config: EngineConfig, only: readonly string[] | undefined): Set<string> {
  const names = config.syncs.map((s) => s.name);
  if (only === undefined || only.length === 0) return new Set(names);
  const unknown = only.filter((n) => !names.includes(n));
  if (unknown.length > 0)
    throw new ConfigError(`No sync is named ${unknown.map((n) => `"${n}"`).join(', ')}`, [
      { path: '--only', message: `known syncs: ${names.join(', ') || '(none)'}` },
    ]);
  return new Set(only);
}

/** The key index of `object`, defined by every sync of the configuration (not only those selected). */
function buildIndex(
  deps: EngineDeps,
  object: WritableObject,
  programs: readonly SyncProgram[],
  overlapMs: number,
): AutotaskKeyIndex {
  const ofObject = programs.filter((p) => p.object === object);
  const kinds = new Map<string, KeyKind>();
  const tracked = new Set<string>();
  for (const p of ofObject) {
    kinds.set(p.keyKind.kind, p.keyKind);
    for (const t of p.targets) tracked.add(t);
  }
  if (ofObject.length === 0) {
    const def = keyKindOf(DEFAULT_KEYS[object]);
    kinds.set(def.kind, def);
  }
  if (object === 'Company') kinds.set(EXACT_COMPANY_NAME.kind, EXACT_COMPANY_NAME);
  if (object === 'Contact') {
    kinds.set(EXACT_CONTACT_EMAIL.kind, EXACT_CONTACT_EMAIL);
    // Contacts are written through their company: a PATCH needs the companyID.
    tracked.add('companyID');
  }
  // Looked up by email instead of scanned only when every key is the email itself.
  const byEmail = [...kinds.values()].every((k) => k.fields.length === 1 && k.fields[0] === 'emailAddress');
  return new AutotaskKeyIndex(
    deps,
    {
      model: OBJECT_MODELS[object],
      kinds: [...kinds.values()],
      trackedFields: [...tracked],
      ...(object === 'Contact' && byEmail ? { lookupField: 'emailAddress' } : {}),
    },
    overlapMs,
  );
}

/** The Autotask id of a record of this run when it is already known (linked or uniquely indexed). */
function knownId(ctx: EngineContext, sync: string, key: string): number | undefined {
  return ctx.knownIds.get(sync)?.get(key);
}

/** Objects whose records of this run a later stage references (contacts → companies, ...). */
function referencedObjects(active: readonly SyncProgram[]): Set<'Company' | 'Contact'> {
  const out = new Set<'Company' | 'Contact'>();
  for (const p of active)
    for (const entity of p.refEntities)
      if ((entity === 'Company' || entity === 'Contact') && OBJECT_MODELS[entity].stage < p.model.stage)
        out.add(entity);
  return out;
}

/** Keys of a sync not linked yet, plus keys of its unsettled intents: what a lookup-mode index needs. */
function unlinkedKeys(ctx: EngineContext, program: SyncProgram, keys: readonly string[]): string[] {
  const out = new Set<string>();
  for (let i = 0; i < keys.length; i += 500) {
    const chunk = keys.slice(i, i + 500);
    const links = ctx.deps.state.getLinks(program.name, program.object, chunk);
    for (const key of chunk) if (!links.has(key)) out.add(key);
  }
  for (const intent of ctx.deps.state.listUnresolvedIntents(program.name)) out.add(intent.key);
  return [...out];
}

/** Looks up, in bulk, which records of a sync are already linked or uniquely in the key index. */
function fillKnownIds(ctx: EngineContext, program: SyncProgram, keys: readonly string[]): void {
  const known = new Map<string, number>();
  const index = ctx.indexes.get(program.object);
  for (let i = 0; i < keys.length; i += 500) {
    const chunk = keys.slice(i, i + 500);
    const links = ctx.deps.state.getLinks(program.name, program.object, chunk);
    const entries = index?.lookup(program.keyKind.kind, chunk);
    for (const key of chunk) {
      const linked = links.get(key)?.autotaskId;
      const found = entries?.get(key) ?? [];
      const id = linked ?? (found.length === 1 ? found[0]?.autotaskId : undefined);
      if (id !== undefined) known.set(key, id);
    }
  }
  ctx.knownIds.set(program.name, known);
}

function configHash(config: EngineConfig): string {
  return createHash('sha256').update(stableJson(config.syncs)).digest('hex').slice(0, 16);
}

function describeError(error: Error): { code: string; message: string } {
  const code = (error as { code?: unknown }).code;
  return { code: typeof code === 'string' ? code : 'INTERNAL_ERROR', message: error.message };
}
