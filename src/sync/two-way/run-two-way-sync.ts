/**
 * One pass of one two-way sync (issue 6): read what changed on each side since its cursor, match new
 * records by their dedupe key, settle each field by its rule, write both sides, then commit links,
 * ledger and both cursors in one state transaction. A value the sync wrote becomes the baseline of
 * that side, so reading it back on the next pass is no change (no echo).
 *
 * In `plan` mode the same pass reads both sides and settles every field, but writes nothing to
 * Autotask or the table and commits no link, intent or cursor: the ledger of the plan's run records
 * what each record would become (with the fields that would change on each side).
 */
import {
  AutotaskAuthenticationError,
  AutotaskBudgetExhaustedError,
  AutotaskError,
  AutotaskOutcomeUnknownError,
  AutotaskPermissionError,
} from '../../autotask/errors.js';
import { where } from '../../autotask/query.js';
import type { EntityWriter, Picklist } from '../../autotask/client-types.js';
import type { EntityName, EntityRecord } from '../../autotask/types.js';
import { OBJECT_ENTITIES } from '../../config/objects.js';
import { createSqlSystem } from '../../connectors/sql-system/create-sql-system.js';
import { keyText, type SqlRow, type SqlSystem } from '../../connectors/sql-system/sql-system.js';
import type { Intent, LedgerEntryInput, Link, LinkInput } from '../../state/state-store.js';
import { CHANGE_FIELDS, changeTimeOf, changedSinceFilter } from '../export/change-cursor.js';
import { DEFAULT_KEYS } from '../keys/key-definitions.js';
import { payloadHash } from '../keys/payload-hash.js';
import { keyValuesOfAutotaskRecord, recordKey } from '../keys/record-key.js';
import { IMPLICIT_DEFAULTS, PRODUCT_REQUIRED_FIELDS } from '../mapping/product-rules.js';
import { IntentWriter } from '../engine/intent-writer.js';
import {
  DEFAULT_INTENT_SETTLE_MS,
  formatUtc,
  heldBackReason,
  judgeIntent,
} from '../engine/reconcile-intents.js';
import { toWirePayload } from '../engine/record-values.js';
import { autotaskValue, canonicalValue, sqlValue, udfWireValue, type Canonical } from './canonical-value.js';
import { compileFields, type CompiledField } from './compile-two-way.js';
import { decideField } from './field-rule.js';
import { cursorName, linkInput, pairStateOf, parseSideCursor, type PairState } from './link-state.js';
import { TwoWayDeleteGuardError } from './two-way-errors.js';
import type { TwoWaySpec, TwoWaySystem } from './two-way-spec.js';
import type { TwoWayDeps, TwoWaySyncResult } from './types.js';

export interface TwoWaySyncContext {
  runId: number;
  /** Position of the sync in `twoWay:` (for error paths). */
  index: number;
  /** Every two-way sync of the configuration (refs point at earlier ones). */
  all: readonly TwoWaySpec[];
  full: boolean;
  signal?: AbortSignal | undefined;
  /** `plan`: write nothing to either side and commit no link or cursor. @default 'run' */
  mode?: 'run' | 'plan' | undefined;
  /** Plan mode: records earlier syncs of the plan would link (so refs to them resolve). */
  planned?: PlannedLinks | undefined;
  /**
   * How long a create that was sent (and then lost to a crash, a stop or an unknown outcome) may
   * still land in Autotask: until then a row whose record is not found by key is held back, not
   * created again (`TwoWayRunOptions.intentSettleMs`). @default 300_000 (5 minutes)
   */
  intentSettleMs?: number | undefined;
}

/**
 * What a plan's earlier syncs would link, per sync: row keys → Autotask id (a negative stand-in for a
 * record the run would create) and Autotask ids → row key (`''` for a row the run would insert).
 */
export interface PlannedLinks {
  rows: Map<string, Map<string, number>>;
  ids: Map<string, Map<number, string>>;
}

/** One field's change in a two-way ledger entry or plan: which side is written, from what, to what. */
export interface TwoWayFieldChange {
  /** The value the written side had (null: empty, or a new record). */
  from: Canonical;
  /** The value written (canonical, in Autotask's terms; a ref as the Autotask id). */
  to: Canonical;
  /** The side written. */
  side: TwoWaySystem;
  /** The table's column of the field. */
  column: string;
  /** The side whose value stands. */
  winner: TwoWaySystem;
  /** Both sides had changed the field: the loser's change is overwritten by the rule. */
  conflict?: true;
}

/** Entities a two-way sync writes. */
type WritableEntity = Exclude<EntityName, 'Resources'>;

/**
 * Autotask writes started at once. The client's lanes keep at most 3 per entity endpoint in flight;
 * the creates waiting for a lane have their intents committed together (one fsync per group).
 */
const WRITE_WINDOW = 48;
/** Values per `in` lookup of new rows' keys. */
const LOOKUP_BATCH = 500;
/** A ref value whose row is not linked to Autotask (never equal to an id). */
const UNRESOLVED = '\u0000unresolved:';

/** One record to write, and what the link becomes if the writes succeed. */
interface Work {
  key: string;
  location: string;
  autotaskId: number | undefined;
  /** Baselines if every write succeeds. */
  next: PairState;
  /** Baselines of each side if that side's write fails. */
  previous: PairState | undefined;
  autotask?:
    { kind: 'create'; payload: Record<string, unknown> } | { kind: 'update'; patch: Record<string, unknown> };
  sql?:
    { kind: 'insert'; values: Record<string, unknown> } | { kind: 'update'; values: Record<string, unknown> };
  autotaskOk?: boolean;
  sqlOk?: boolean;
  error?: string;
  diff: Record<string, TwoWayFieldChange>;
  deactivation?: TwoWaySystem;
  sourceRow: Record<string, unknown> | null;
}

export async function runTwoWaySync(
  deps: TwoWayDeps,
  spec: TwoWaySpec,
  ctx: TwoWaySyncContext,
): Promise<TwoWaySyncResult> {
  const { client } = deps;
  const entity: WritableEntity = OBJECT_ENTITIES[spec.object];
  const callsBefore = client.stats().totalCalls;
  const metadata = await client.metadata.fields(entity);
  const usesUdfs = Object.keys(spec.fields).some((f) => f.toLowerCase().startsWith('udf:'));
  const udfs = usesUdfs ? await client.metadata.udfs(entity) : [];
  const fields = compileFields(spec, ctx.index, metadata, ctx.all.slice(0, ctx.index), udfs);
  const picklists = new Map<string, Picklist>();
  for (const f of fields) {
    if (!f.labels) continue;
    const picklist = await client.metadata.picklist(
      entity,
      f.udf ?? f.field,
      f.udf === undefined ? {} : { udf: true },
    );
    if (picklist) picklists.set(f.field, picklist);
  }
  const required = requiredOnCreate(spec, metadata);
  const table = (deps.openTable ?? createSqlSystem)({
    type: spec.table.type,
    path: spec.table.type === 'sqlite' ? spec.table.path : undefined,
    url: spec.table.type === 'postgres' ? spec.table.url : undefined,
    table: spec.table.table,
    key: spec.table.key,
    updatedAt: spec.table.updatedAt,
    readOnly: ctx.mode === 'plan',
  });
  try {
    const pass = new TwoWayPass(
      deps,
      spec,
      ctx,
      entity,
      fields,
      table,
      metadata.some((f) => f.name === 'isActive'),
      picklists,
      required,
    );
    const result = await pass.run();
    return { ...result, apiCalls: client.stats().totalCalls - callsBefore };
  } finally {
    await table.close();
  }
}

class TwoWayPass {
  private readonly changeFields: readonly string[];
  private readonly layout: string;
  private readonly result: TwoWaySyncResult;
  private readonly ledger: LedgerEntryInput[] = [];
  private readonly now: number;
  /** Intents of earlier passes still pending, by row key (read before new rows are planned). */
  private pendingIntents = new Map<string, Intent[]>();
  /** Rows held back because an earlier create of theirs may still land. */
  private held = 0;

  constructor(
    private readonly deps: TwoWayDeps,
    private readonly spec: TwoWaySpec,
    private readonly ctx: TwoWaySyncContext,
    private readonly entity: WritableEntity,
    private readonly fields: readonly CompiledField[],
    private readonly table: SqlSystem,
    private readonly hasActiveFlag: boolean,
    /** Picklists of the fields whose column holds labels. */
    private readonly picklists: ReadonlyMap<string, Picklist>,
    /** Fields a create must send, with why. */
    private readonly required: ReadonlyMap<string, string>,
  ) {
    this.changeFields = CHANGE_FIELDS[entity];
    this.now = deps.clock.now();
    // a new field, column or table must be read whole once, or old records would never get it
    this.layout = payloadHash({
      fields: fields.map((f) => [f.field, f.column, f.ref?.sync, f.labels === true]),
      t: table.description,
    });
    this.result = {
      name: spec.name,
      object: spec.object,
      autotaskRead: 'full',
      sqlRead: 'full',
      read: { autotask: 0, sql: 0 },
      autotask: { created: 0, updated: 0, deactivated: 0 },
      sql: { created: 0, updated: 0, deactivated: 0 },
      unchanged: 0,
      overridden: 0,
      conflicts: 0,
      invalid: 0,
      failed: 0,
      deletesSeen: 0,
      apiCalls: 0,
      notes: [],
    };
  }

  async run(): Promise<TwoWaySyncResult> {
    const { state } = this.deps;
    const { spec } = this;
    const bookmark = cursorName(spec.name);
    const cursors = {
      autotask: parseSideCursor(state.getBookmark(bookmark, 'autotask')?.value),
      sql: parseSideCursor(state.getBookmark(bookmark, 'sql')?.value),
    };
    const fullEveryMs = spec.fullReadHours * 3_600_000;
    const usable = (stream: TwoWaySystem): number | undefined => {
      const saved = state.getBookmark(bookmark, stream);
      const cursor = cursors[stream];
      if (this.ctx.full || !cursor || saved?.field !== this.layout) return undefined;
      // a periodic whole read notices records deleted in Autotask and anything a cursor missed
      if (fullEveryMs > 0 && this.now - (cursor.fullAt ?? 0) >= fullEveryMs) return undefined;
      return cursor.watermark;
    };
    const aSince = this.changeFields.length > 0 ? usable('autotask') : undefined;
    const sSince = this.table.hasUpdatedAt ? usable('sql') : undefined;
    const fullAt = {
      autotask: aSince === undefined ? this.now : cursors.autotask?.fullAt,
      sql: sSince === undefined ? this.now : cursors.sql?.fullAt,
    };
    const overlap = spec.overlapSeconds * 1000;

    // ── extract both sides ─────────────────────────────────────────────────────────────────────
    const records = await this.readAutotask(aSince === undefined ? undefined : aSince - overlap);
    this.ctx.signal?.throwIfAborted();
    const rows = await this.table.readRows(sSince === undefined ? undefined : sSince - overlap);
    this.result.autotaskRead = aSince === undefined ? 'full' : 'incremental';
    this.result.sqlRead = sSince === undefined ? 'full' : 'incremental';
    this.result.read = { autotask: records.size, sql: rows.length };
    let aWatermark = aSince ?? Number.NEGATIVE_INFINITY;
    for (const r of records.values())
      aWatermark = Math.max(aWatermark, changeTimeOf(r, this.changeFields) ?? -Infinity);
    let sWatermark = sSince ?? Number.NEGATIVE_INFINITY;
    for (const r of rows) sWatermark = Math.max(sWatermark, r.updatedAt ?? -Infinity);

    const rowsByKey = new Map(rows.map((r) => [r.key, r]));
    const allKeys = sSince === undefined ? new Set(rowsByKey.keys()) : new Set(await this.table.readKeys());
    const links = new Map<string, Link>();
    const linkById = new Map<number, Link>();
    for (const link of state.iterateLinks(spec.name, spec.object)) {
      links.set(link.key, link);
      linkById.set(link.autotaskId, link);
    }
    // rows never linked are looked at on every pass (reading the table costs no API calls)
    const unlinkedUnread = [...allKeys].filter((k) => !links.has(k) && !rowsByKey.has(k));
    for (const r of await this.table.readByKeys(unlinkedUnread)) rowsByKey.set(r.key, r);
    // records whose last write failed are read again on both sides
    const retries = [...links.values()].filter((l) => pairStateOf(l).retry === true);
    const retryKeys = retries.filter((l) => !rowsByKey.has(l.key) && allKeys.has(l.key)).map((l) => l.key);
    for (const r of await this.table.readByKeys(retryKeys)) rowsByKey.set(r.key, r);
    const retryIds = retries.filter((l) => !records.has(l.autotaskId)).map((l) => l.autotaskId);
    for (const r of await this.readAutotaskIds(retryIds)) records.set(r.id, r);

    // ── deletes ────────────────────────────────────────────────────────────────────────────────
    const work: Work[] = [];
    this.planDeletes(links, allKeys, records, aSince === undefined, work);
    this.ctx.signal?.throwIfAborted();

    // ── linked records: settle each field ──────────────────────────────────────────────────────
    const examined = new Set<string>();
    for (const row of rowsByKey.values()) {
      const link = links.get(row.key);
      if (!link) continue;
      examined.add(row.key);
      this.planPair(row.key, link.autotaskId, pairStateOf(link), row, records.get(link.autotaskId), work);
    }
    for (const record of records.values()) {
      const link = linkById.get(record.id);
      if (!link || examined.has(link.key) || !allKeys.has(link.key)) continue;
      this.planPair(link.key, link.autotaskId, pairStateOf(link), undefined, record, work);
    }

    // ── new records on either side: match by dedupe key, else create on the other side ─────────
    const unlinkedRows = [...rowsByKey.values()].filter((r) => !links.has(r.key));
    const unlinkedRecords = [...records.values()].filter((r) => !linkById.has(r.id));
    for (const intent of state.listUnresolvedIntents(spec.name)) {
      if (intent.object !== spec.object || intent.runId === this.ctx.runId) continue;
      const list = this.pendingIntents.get(intent.key) ?? [];
      list.push(intent);
      this.pendingIntents.set(intent.key, list);
    }
    await this.planNew(unlinkedRows, unlinkedRecords, records, linkById, aSince === undefined, work);
    this.ctx.signal?.throwIfAborted();

    if (this.ctx.mode === 'plan') {
      // every write is assumed to succeed; only the plan's ledger is recorded
      for (const w of work) {
        if (w.autotask) w.autotaskOk = true;
        if (w.sql) w.sqlOk = true;
      }
      this.account(work);
      state.transaction(() => state.appendLedger(this.ledger));
      this.recordPlanned(work);
      return this.result;
    }

    // ── load: Autotask, then the table in one transaction ──────────────────────────────────────
    await this.writeAutotask(work);
    await this.writeTable(work);

    // ── checkpoint ─────────────────────────────────────────────────────────────────────────────
    const failed = this.account(work);
    const insertFailed = work.some((w) => w.sql?.kind === 'insert' && w.sqlOk !== true);
    this.reconcileIntents(work);
    state.transaction(() => {
      const upserts: LinkInput[] = [];
      for (const w of work) {
        const link = this.finalLink(w);
        if (link) upserts.push(link);
      }
      state.upsertLinks(upserts);
      state.appendLedger(this.ledger);
      {
        // rows and linked records whose write failed are re-read through their retry flag, and new
        // rows are looked at on every pass, so the cursors move on; only a row that could not be
        // inserted for a new Autotask record holds Autotask's cursor back
        if (Number.isFinite(aWatermark) && !insertFailed)
          state.setBookmark({
            name: bookmark,
            stream: 'autotask',
            field: this.layout,
            value: JSON.stringify({ v: 1, watermark: aWatermark, fullAt: fullAt.autotask }),
          });
        if (this.table.hasUpdatedAt && Number.isFinite(sWatermark))
          state.setBookmark({
            name: bookmark,
            stream: 'sql',
            field: this.layout,
            value: JSON.stringify({ v: 1, watermark: sWatermark, fullAt: fullAt.sql }),
          });
      }
    });
    if (failed > 0) this.result.notes.push(`${failed} record(s) failed: they are retried on the next run`);
    if (this.held > 0)
      this.result.notes.push(
        `${this.held} row(s) held back: an earlier create of their record may still land in Autotask`,
      );
    return this.result;
  }

  // ── reading ────────────────────────────────────────────────────────────────────────────────────

  private async readAutotask(since: number | undefined): Promise<Map<number, EntityRecord>> {
    const filter = since === undefined ? where.all() : changedSinceFilter(this.changeFields, since);
    const records = new Map<number, EntityRecord>();
    for await (const record of this.deps.client
      .entity(this.entity)
      .query({ filter: [filter], includeFields: this.includeFields() }) as AsyncIterable<EntityRecord>) {
      records.set(record.id, record);
    }
    return records;
  }

  private includeFields(): string[] {
    const keyFields = DEFAULT_KEYS[this.spec.object].parts.map((p) => p.field);
    const include = new Set<string>([
      'id',
      // a UDF is included by its name (API doc §4.6)
      ...this.fields.map((f) => f.udf ?? f.field),
      ...this.changeFields,
      ...keyFields,
    ]);
    if (this.entity === 'Contacts') include.add('companyID');
    if (this.hasActiveFlag) include.add('isActive');
    return [...include];
  }

  private async readAutotaskIds(ids: readonly number[]): Promise<EntityRecord[]> {
    const out: EntityRecord[] = [];
    for (let i = 0; i < ids.length; i += LOOKUP_BATCH) {
      const chunk = ids.slice(i, i + LOOKUP_BATCH);
      for await (const record of this.deps.client.entity(this.entity).query({
        filter: [where.in('id', chunk)],
        includeFields: this.includeFields(),
      }) as AsyncIterable<EntityRecord>)
        out.push(record);
    }
    return out;
  }

  private autotaskSide(record: EntityRecord): Record<string, Canonical> {
    const out: Record<string, Canonical> = {};
    for (const f of this.fields) {
      const raw =
        f.udf === undefined
          ? record[f.field]
          : record.userDefinedFields?.find((u) => u.name.toLowerCase() === f.udf?.toLowerCase())?.value;
      out[f.field] = canonicalValue(raw, f.dataType);
    }
    return out;
  }

  /** The value sent to Autotask for a field's canonical value (UDF values travel as text). */
  private toAutotask(f: CompiledField, value: Canonical): unknown {
    return f.udf === undefined ? autotaskValue(value, f.dataType) : udfWireValue(value, f.dataType);
  }

  /** A ref field's value in a diff: a record this plan would create first is named, not numbered. */
  private shown(f: CompiledField, value: Canonical): Canonical {
    if (!f.ref || value === null || Number(value) >= 0) return value;
    return `(the ${f.ref.object} this run creates first)`;
  }

  private sqlSide(row: SqlRow): Record<string, Canonical> {
    const out: Record<string, Canonical> = {};
    for (const f of this.fields) {
      const raw = row.values[f.column];
      if (f.ref && raw !== null && raw !== undefined && raw !== '') {
        const key = keyText(raw) ?? '';
        const link = this.deps.state.getLink({ sync: f.ref.sync, object: f.ref.object, key });
        const planned = link ? undefined : this.ctx.planned?.rows.get(f.ref.sync)?.get(key);
        out[f.field] = link
          ? String(link.autotaskId)
          : planned !== undefined
            ? String(planned)
            : `${UNRESOLVED}${key}`;
      } else {
        const picklist = this.picklists.get(f.field);
        const label =
          picklist && typeof raw === 'string' && raw.trim() !== '' ? picklist.valueOf(raw) : undefined;
        out[f.field] = canonicalValue(label ?? raw, f.dataType);
      }
    }
    return out;
  }

  private location(key: string): string {
    return `${this.spec.table.table}:${this.spec.table.key}=${key}`;
  }

  // ── planning ───────────────────────────────────────────────────────────────────────────────────

  private planDeletes(
    links: ReadonlyMap<string, Link>,
    allKeys: ReadonlySet<string>,
    records: ReadonlyMap<number, EntityRecord>,
    autotaskFull: boolean,
    work: Work[],
  ): void {
    const { deletes } = this.spec;
    const gone: { link: Link; side: TwoWaySystem }[] = [];
    let active = 0;
    for (const link of links.values()) {
      const pair = pairStateOf(link);
      if (pair.gone) continue;
      active += 1;
      if (!allKeys.has(link.key)) gone.push({ link, side: 'sql' });
      else if (autotaskFull && !records.has(link.autotaskId)) gone.push({ link, side: 'autotask' });
    }
    if (gone.length === 0) return;
    if (deletes.policy === 'deactivate' && gone.length > deletes.maxShare * active)
      throw new TwoWayDeleteGuardError(this.spec.name, gone.length, active, deletes.maxShare);
    this.result.deletesSeen += gone.length;
    for (const { link, side } of gone) {
      const pair = pairStateOf(link);
      const next: PairState = { ...pair, gone: side };
      const where =
        side === 'sql'
          ? `row ${link.key} was deleted from ${this.spec.table.table}`
          : `${this.spec.object} ${link.autotaskId} was deleted in Autotask`;
      const w: Work = {
        key: link.key,
        location: this.location(link.key),
        autotaskId: link.autotaskId,
        next,
        previous: pair,
        diff: {},
        sourceRow: null,
      };
      if (deletes.policy === 'deactivate' && side === 'sql' && this.hasActiveFlag) {
        w.autotask = {
          kind: 'update',
          patch: { isActive: this.entity === 'Contacts' ? 0 : false, ...this.parentOf(pair) },
        };
        w.deactivation = 'autotask';
      } else if (
        deletes.policy === 'deactivate' &&
        side === 'autotask' &&
        deletes.activeColumn !== undefined
      ) {
        w.sql = { kind: 'update', values: { [deletes.activeColumn]: false } };
        w.deactivation = 'sql';
      } else {
        this.ledger.push({
          runId: this.ctx.runId,
          sync: this.spec.name,
          sourceLocation: w.location,
          key: link.key,
          action: 'skipped',
          autotaskId: link.autotaskId,
          reason: `${where}; not propagated (deletes.policy: ${deletes.policy})`,
        });
        this.result.notes.push(`${where}: reported, not propagated`);
      }
      work.push(w);
    }
  }

  private parentOf(pair: PairState, record?: EntityRecord): Record<string, unknown> {
    if (this.entity !== 'Contacts') return {};
    const parent = typeof record?.['companyID'] === 'number' ? record['companyID'] : pair.parent;
    return parent === undefined ? {} : { companyID: parent };
  }

  private planPair(
    key: string,
    autotaskId: number,
    pair: PairState,
    row: SqlRow | undefined,
    record: EntityRecord | undefined,
    work: Work[],
  ): void {
    if (pair.gone) return;
    const current = {
      autotask: record ? this.autotaskSide(record) : pair.a,
      sql: row ? this.sqlSide(row) : pair.s,
    };
    const changedAt = {
      autotask: record ? changeTimeOf(record, this.changeFields) : undefined,
      sql: row ? (row.updatedAt ?? this.now) : undefined,
    };
    const base = { autotask: pair.a, sql: pair.s };
    const w = this.settle(key, autotaskId, pair, current, base, changedAt, record, row);
    if (w) work.push(w);
  }

  /** Settles every field of a pair; undefined when nothing is to be written or remembered. */
  private settle(
    key: string,
    autotaskId: number,
    pair: PairState | undefined,
    current: Record<TwoWaySystem, Record<string, Canonical>>,
    base: Record<TwoWaySystem, Record<string, Canonical>> | undefined,
    changedAt: Record<TwoWaySystem, number | undefined>,
    record: EntityRecord | undefined,
    row: SqlRow | undefined,
  ): Work | undefined {
    const patch: Record<string, unknown> = {};
    const update: Record<string, unknown> = {};
    const next: PairState = {
      a: { ...current.autotask },
      s: { ...current.sql },
      ...this.parentState(pair, record),
    };
    const diff: Record<string, TwoWayFieldChange> = {};
    for (const f of this.fields) {
      const decision = decideField(f.policy, {
        current: { autotask: current.autotask[f.field] ?? null, sql: current.sql[f.field] ?? null },
        base: { autotask: base?.autotask[f.field], sql: base?.sql[f.field] },
        changedAt,
      });
      if (decision.overrode) this.result.overridden += 1;
      const toAutotask = decision.writes.autotask;
      if (toAutotask !== undefined) {
        if (toAutotask !== null && toAutotask.startsWith(UNRESOLVED)) {
          this.result.notes.push(
            `${this.location(key)}: ${f.field} not written: ${f.column} ${toAutotask.slice(UNRESOLVED.length)} is not linked to Autotask yet`,
          );
        } else if (this.entity === 'Contacts' && f.field === 'companyID') {
          // a contact is written through its company's URL; Autotask documents no way to move it
          this.result.notes.push(
            `${this.location(key)}: the contact was not moved to company ${toAutotask ?? '(none)'}: Autotask's API cannot move a contact to another company; move it in Autotask`,
          );
        } else {
          patch[f.field] = this.toAutotask(f, toAutotask);
          next.a[f.field] = toAutotask;
          diff[f.field] = {
            from: this.shown(f, current.autotask[f.field] ?? null),
            to: this.shown(f, toAutotask),
            side: 'autotask',
            column: f.column,
            winner: decision.winner ?? 'sql',
            ...(decision.overrode ? { conflict: true as const } : {}),
          };
        }
      }
      const toSql = decision.writes.sql;
      if (toSql !== undefined) {
        const value = this.sqlValueOf(f, toSql, key);
        if (value !== undefined) {
          update[f.column] = value;
          next.s[f.field] = toSql;
          diff[f.field] = {
            from: this.shown(f, current.sql[f.field] ?? null),
            to: this.shown(f, toSql),
            side: 'sql',
            column: f.column,
            winner: decision.winner ?? 'autotask',
            ...(decision.overrode ? { conflict: true as const } : {}),
          };
        }
      }
    }
    const w: Work = {
      key,
      location: this.location(key),
      autotaskId,
      next,
      previous: pair,
      diff,
      sourceRow: row?.values ?? null,
    };
    if (Object.keys(patch).length > 0)
      w.autotask = { kind: 'update', patch: { ...this.parentOf(pair ?? next, record), ...patch } };
    if (Object.keys(update).length > 0) w.sql = { kind: 'update', values: update };
    if (!w.autotask && !w.sql) {
      this.result.unchanged += 1;
      if (pair && payloadHash(pair) === payloadHash(next)) return undefined;
    }
    return w;
  }

  private parentState(pair: PairState | undefined, record: EntityRecord | undefined): Partial<PairState> {
    if (this.entity !== 'Contacts') return {};
    const parent = typeof record?.['companyID'] === 'number' ? record['companyID'] : pair?.parent;
    return parent === undefined ? {} : { parent };
  }

  /** The column value for a canonical Autotask-side value (a ref id → the referenced row's key). */
  private sqlValueOf(f: CompiledField, value: Canonical, key: string): unknown {
    const picklist = this.picklists.get(f.field);
    if (picklist && value !== null) return picklist.labelOf(value) ?? value;
    if (!f.ref || value === null) return sqlValue(value, f.dataType);
    const link = this.deps.state
      .findLinksByAutotaskId(f.ref.object, Number(value))
      .find((l) => l.sync === f.ref?.sync);
    const planned = link ? undefined : this.ctx.planned?.ids.get(f.ref.sync)?.get(Number(value));
    if (planned !== undefined)
      return planned === '' ? `(the row this run inserts in ${f.ref.sync})` : planned;
    if (!link) {
      this.result.notes.push(
        `${this.location(key)}: ${f.column} not written: ${f.ref.object} ${value} has no row in ${f.ref.sync}`,
      );
      return undefined;
    }
    return link.key;
  }

  private async planNew(
    rows: readonly SqlRow[],
    unlinkedRecords: readonly EntityRecord[],
    records: ReadonlyMap<number, EntityRecord>,
    linkById: ReadonlyMap<number, Link>,
    autotaskFull: boolean,
    work: Work[],
  ): Promise<void> {
    const keyDef = DEFAULT_KEYS[this.spec.object];
    const conflicted = new Set<string>();
    // dedupe keys of new rows
    const rowsByDedupe = new Map<string, SqlRow[]>();
    const rowSides = new Map<SqlRow, Record<string, Canonical>>();
    for (const row of rows) {
      if (row.key === '') {
        this.reject(row, 'invalid', `the key column ${this.spec.table.key} is empty`);
        continue;
      }
      const side = this.sqlSide(row);
      rowSides.set(row, side);
      const values: Record<string, unknown> = {};
      for (const f of this.fields) values[f.field] = autotaskValue(side[f.field] ?? null, f.dataType);
      const k = recordKey(keyDef, values);
      if (!k.ok) {
        this.reject(row, 'invalid', `${k.reason}: the row cannot be matched with Autotask`);
        continue;
      }
      const list = rowsByDedupe.get(k.key) ?? [];
      list.push(row);
      rowsByDedupe.set(k.key, list);
    }
    // every Autotask record read, by dedupe key (linked ones too: a new row must not duplicate them)
    const byDedupe = new Map<string, EntityRecord[]>();
    const add = (record: EntityRecord): void => {
      const k = recordKey(keyDef, keyValuesOfAutotaskRecord(record));
      if (!k.ok) return;
      const list = byDedupe.get(k.key) ?? [];
      if (!list.some((r) => r.id === record.id)) list.push(record);
      byDedupe.set(k.key, list);
    };
    for (const r of records.values()) add(r);
    if (!autotaskFull) {
      // the rest of Autotask is looked up by the new rows' key values, in batches
      const lookupField = keyDef.parts[0]?.field ?? 'id';
      const values = new Set<string>();
      for (const list of rowsByDedupe.values())
        for (const row of list) {
          const v = autotaskValue(rowSides.get(row)?.[lookupField] ?? null, undefined);
          if (typeof v === 'string' && v !== '') values.add(v);
        }
      if (values.size > 0) {
        const found = await this.deps.client.findByValues(this.entity, lookupField, values, {
          batchSize: LOOKUP_BATCH,
          includeFields: this.includeFields(),
        });
        for (const list of found.values()) for (const r of list) add(r);
      }
    }
    for (const [k, list] of rowsByDedupe) {
      const matches = byDedupe.get(k) ?? [];
      if (list.length > 1) {
        conflicted.add(k);
        for (const row of list)
          this.reject(
            row,
            'conflict',
            `${list.length} rows have the key "${k}" (${list.map((r) => r.key).join(', ')}): fix the duplicates in the table`,
          );
        continue;
      }
      const row = list[0]!;
      if (matches.length > 1) {
        conflicted.add(k);
        this.reject(
          row,
          'conflict',
          `${matches.length} Autotask records have the key "${k}" (ids ${matches.map((r) => r.id).join(', ')}): merge them in Autotask`,
        );
        continue;
      }
      const match = matches[0];
      const side = rowSides.get(row) ?? {};
      if (match) {
        const linked = linkById.get(match.id);
        if (linked) {
          this.reject(
            row,
            'conflict',
            `Autotask ${this.spec.object} ${match.id} ("${k}") is already linked to row ${linked.key}`,
          );
          continue;
        }
        const w = this.settle(
          row.key,
          match.id,
          undefined,
          { autotask: this.autotaskSide(match), sql: side },
          undefined,
          { autotask: changeTimeOf(match, this.changeFields), sql: row.updatedAt ?? this.now },
          match,
          row,
        );
        if (w) work.push(w);
        continue;
      }
      if (!this.spec.create.autotask) {
        this.reject(row, 'skipped', 'not in Autotask, and create.autotask is false');
        continue;
      }
      if (this.holdsBack(row)) continue;
      this.planCreate(row, side, work);
    }
    // Autotask records nobody links to and no new row matched: insert rows for them
    const matched = new Set(work.map((w) => w.autotaskId));
    for (const record of unlinkedRecords) {
      if (matched.has(record.id)) continue;
      const k = recordKey(keyDef, keyValuesOfAutotaskRecord(record));
      if (k.ok && (conflicted.has(k.key) || (byDedupe.get(k.key)?.length ?? 0) > 1)) {
        if (!conflicted.has(k.key)) {
          conflicted.add(k.key);
          this.result.conflicts += 1;
          this.ledger.push({
            runId: this.ctx.runId,
            sync: this.spec.name,
            sourceLocation: `Autotask ${this.spec.object}`,
            key: k.key,
            action: 'conflict',
            autotaskId: record.id,
            reason: `several Autotask records have the key "${k.key}": merge them in Autotask`,
          });
        }
        continue;
      }
      if (!this.spec.create.sql) continue;
      this.planInsert(record, work);
    }
  }

  /**
   * A row about to be created in Autotask whose record an earlier pass's create may still bring
   * (its request was sent, then the pass crashed, stopped or lost the answer), and that Autotask does
   * not show by key: held back (`failed`, with the time the hold ends) within the settle period, so a
   * create that lands late is never doubled. Intents past it, or never sent, are given up (a run
   * only) and the row is created. The engine's rule: `judgeIntent`.
   */
  private holdsBack(row: SqlRow): boolean {
    const intents = this.pendingIntents.get(row.key) ?? [];
    const settleMs = this.ctx.intentSettleMs ?? DEFAULT_INTENT_SETTLE_MS;
    let hold: { runId: number; settlesAt: number } | undefined;
    const abandon: { id: number; reason: string }[] = [];
    for (const intent of intents) {
      const verdict = judgeIntent(intent, [], this.now, settleMs);
      if (verdict.kind === 'hold') {
        if (hold === undefined || hold.settlesAt < verdict.settlesAt)
          hold = { runId: intent.runId, settlesAt: verdict.settlesAt };
      } else if (verdict.kind === 'abandon') abandon.push({ id: intent.id, reason: verdict.reason });
    }
    if (hold !== undefined) {
      this.held += 1;
      this.result.failed += 1;
      this.ledger.push({
        runId: this.ctx.runId,
        sync: this.spec.name,
        sourceLocation: this.location(row.key),
        key: row.key,
        action: 'failed',
        reason: heldBackReason(hold.runId, hold.settlesAt),
        sourceRow: row.values,
      });
      return true;
    }
    if (this.ctx.mode !== 'plan' && abandon.length > 0)
      this.deps.state.transaction(() => {
        for (const a of abandon) this.deps.state.abandonIntent(a.id, a.reason);
      });
    return false;
  }

  private planCreate(row: SqlRow, side: Record<string, Canonical>, work: Work[]): void {
    const payload: Record<string, unknown> = {
      ...IMPLICIT_DEFAULTS[this.spec.object],
      ...this.spec.autotaskDefaults,
    };
    const next: PairState = { a: {}, s: { ...side } };
    const diff: Record<string, TwoWayFieldChange> = {};
    for (const f of this.fields) {
      const value = side[f.field] ?? null;
      if (value !== null && value.startsWith(UNRESOLVED)) {
        this.reject(
          row,
          'invalid',
          `${f.column} ${value.slice(UNRESOLVED.length)} is not linked to Autotask yet (see ${f.ref?.sync})`,
          f.field,
        );
        return;
      }
      if (f.policy.readOnly.has('autotask') || value === null) {
        next.a[f.field] = canonicalValue(payload[f.field], f.dataType);
        continue;
      }
      payload[f.field] = this.toAutotask(f, value);
      next.a[f.field] = value;
      diff[f.field] = {
        from: null,
        to: this.shown(f, value),
        side: 'autotask',
        column: f.column,
        winner: 'sql',
      };
    }
    // a required value missing is reported here, not spent on a create Autotask would refuse
    for (const [field, reason] of this.required) {
      const given = Object.entries(payload).find(([k]) => k.toLowerCase() === field.toLowerCase())?.[1];
      if (given !== undefined && given !== null && !(typeof given === 'string' && given.trim() === ''))
        continue;
      const mapped = this.fields.find((f) => f.field.toLowerCase() === field.toLowerCase());
      this.reject(
        row,
        'invalid',
        `${field} is required to create the ${this.spec.object} in Autotask (${reason}): ` +
          (mapped
            ? `fill ${mapped.column}`
            : `map it in twoWay[${this.ctx.index}].fields or set twoWay[${this.ctx.index}].autotaskDefaults.${field}`),
        field,
      );
      return;
    }
    if (this.entity === 'Contacts' && typeof payload['companyID'] === 'number')
      next.parent = payload['companyID'];
    work.push({
      key: row.key,
      location: this.location(row.key),
      autotaskId: undefined,
      next,
      previous: undefined,
      autotask: { kind: 'create', payload },
      diff,
      sourceRow: row.values,
    });
  }

  private planInsert(record: EntityRecord, work: Work[]): void {
    const values: Record<string, unknown> = { ...this.spec.sqlDefaults };
    const side = this.autotaskSide(record);
    const next: PairState = { a: side, s: {}, ...this.parentState(undefined, record) };
    const diff: Record<string, TwoWayFieldChange> = {};
    for (const f of this.fields) {
      const value = side[f.field] ?? null;
      const column =
        f.policy.readOnly.has('sql') || value === null
          ? undefined
          : this.sqlValueOf(f, value, `(new, Autotask id ${record.id})`);
      if (column === undefined) {
        next.s[f.field] = f.ref ? null : canonicalValue(values[f.column], f.dataType);
        continue;
      }
      values[f.column] = column;
      next.s[f.field] = value;
      diff[f.field] = { from: null, to: value, side: 'sql', column: f.column, winner: 'autotask' };
    }
    work.push({
      key: '',
      location: `Autotask ${this.spec.object} ${record.id}`,
      autotaskId: record.id,
      next,
      previous: undefined,
      sql: { kind: 'insert', values },
      diff,
      sourceRow: null,
    });
  }

  private reject(
    row: SqlRow,
    action: 'invalid' | 'conflict' | 'skipped',
    reason: string,
    field?: string,
  ): void {
    if (action === 'invalid') this.result.invalid += 1;
    if (action === 'conflict') this.result.conflicts += 1;
    this.ledger.push({
      runId: this.ctx.runId,
      sync: this.spec.name,
      sourceLocation: this.location(row.key),
      key: row.key,
      action,
      reason,
      field: field ?? null,
      sourceRow: row.values,
    });
  }

  // ── writing ────────────────────────────────────────────────────────────────────────────────────

  private async writeAutotask(work: readonly Work[]): Promise<void> {
    const api = this.deps.client.entity(this.entity);
    const intents = new IntentWriter(this.deps.state);
    const todo = work.filter((w) => w.autotask);
    await eachLimit(todo, WRITE_WINDOW, async (w) => {
      this.ctx.signal?.throwIfAborted();
      const op = w.autotask!;
      if (op.kind === 'create') {
        await this.createInAutotask(api, intents, w, op.payload);
        return;
      }
      try {
        await api.update({ id: w.autotaskId!, ...toWirePayload(op.patch) });
        w.autotaskOk = true;
      } catch (error) {
        if (isRunStopping(error) || this.ctx.signal?.aborted) throw error;
        w.autotaskOk = false;
        w.error = messageOf(error);
      }
    });
  }

  /**
   * The one-way engine's discipline: the intent first (durable, committed with the other intents of
   * this turn), marked sent just before each attempt leaves, then the POST, then the intent resolved.
   * After a crash, a stop while the request was out, or an unknown outcome, the intent stays pending
   * and sent: the next pass links the record by key, or holds the row back for the settle period
   * (`holdsBack`). A create refused, or stopped before it left, gives its intent up.
   */
  private async createInAutotask(
    api: Pick<EntityWriter<EntityRecord>, 'create'>,
    intents: IntentWriter,
    w: Work,
    payload: Record<string, unknown>,
  ): Promise<void> {
    const { state, clock } = this.deps;
    const intent = await intents.record({
      runId: this.ctx.runId,
      sync: this.spec.name,
      object: this.spec.object,
      key: w.key,
      payloadHash: payloadHash(payload),
    });
    let sent = false;
    try {
      const id = await api.create(toWirePayload(payload), {
        onSend: () => {
          // stopped while waiting for a lane: nothing is sent, and nothing is marked sent
          this.ctx.signal?.throwIfAborted();
          state.markIntentSent(intent.id);
          sent = true;
        },
      });
      w.autotaskId = id;
      // committed with the other creates that finished in this turn (no fsync: a crash before it
      // leaves the intent pending and sent, and the next pass links the record by key)
      await intents.settle(() => state.resolveIntent(intent.id, id));
      w.autotaskOk = true;
    } catch (error) {
      w.autotaskOk = false;
      w.error = messageOf(error);
      if (error instanceof AutotaskOutcomeUnknownError) {
        const at = clock.now();
        const settles = formatUtc(at + (this.ctx.intentSettleMs ?? DEFAULT_INTENT_SETTLE_MS));
        state.markIntentOutcomeUnknown(intent.id, `outcome unknown: ${w.error}`, at);
        w.error = `${w.error}. Autotask may still be creating it: it will be reconciled by key after ${settles}, before any retry (retried on the next run)`;
      } else if (!sent || error instanceof AutotaskError) {
        // refused by Autotask, or never handed to the network: nothing can land
        state.abandonIntent(intent.id, `${sent ? 'refused' : 'not sent'}: ${w.error}`);
      }
      // else: stopped while the request was out; Autotask may still create it, the intent stays pending
      if (isRunStopping(error) || this.ctx.signal?.aborted) throw error;
    }
  }

  private async writeTable(work: readonly Work[]): Promise<void> {
    const inserts = work.filter((w) => w.sql?.kind === 'insert');
    // a row is written only when its Autotask side did not fail (a create must exist before a link)
    const updates = work.filter((w) => w.sql?.kind === 'update' && w.autotaskOk !== false);
    if (inserts.length === 0 && updates.length === 0) return;
    this.ctx.signal?.throwIfAborted();
    try {
      const { insertedKeys } = await this.table.write({
        inserts: inserts.map((w) => w.sql!.values),
        updates: updates.map((w) => ({ key: w.key, values: w.sql!.values })),
        stampedAt: this.deps.clock.now(),
      });
      inserts.forEach((w, i) => {
        w.key = insertedKeys[i] ?? '';
        w.location = this.location(w.key);
        w.sqlOk = w.key !== '';
      });
      for (const w of updates) w.sqlOk = true;
    } catch (error) {
      for (const w of [...inserts, ...updates]) {
        w.sqlOk = false;
        w.error = messageOf(error);
      }
    }
  }

  /** Counts outcomes and writes ledger entries; returns how many records failed. */
  private account(work: readonly Work[]): number {
    let failed = 0;
    for (const w of work) {
      const aOk = w.autotask ? w.autotaskOk === true : undefined;
      const sOk = w.sql ? w.sqlOk === true : undefined;
      if (aOk === false || sOk === false) {
        failed += 1;
        this.result.failed += 1;
        this.ledger.push({
          runId: this.ctx.runId,
          sync: this.spec.name,
          sourceLocation: w.location,
          key: w.key || null,
          action: 'failed',
          autotaskId: w.autotaskId ?? null,
          reason: w.error ?? 'not written',
          sourceRow: w.sourceRow,
        });
        continue;
      }
      if (!w.autotask && !w.sql) continue;
      const side = (s: TwoWaySystem): 'autotask' | 'sql' => s;
      if (w.deactivation) {
        this.result[side(w.deactivation)].deactivated += 1;
      } else {
        if (w.autotask) this.result.autotask[w.autotask.kind === 'create' ? 'created' : 'updated'] += 1;
        if (w.sql) this.result.sql[w.sql.kind === 'insert' ? 'created' : 'updated'] += 1;
      }
      const created = w.autotask?.kind === 'create' || w.sql?.kind === 'insert';
      this.ledger.push({
        runId: this.ctx.runId,
        sync: this.spec.name,
        sourceLocation: w.location,
        key: w.key || null,
        action: created ? 'created' : 'updated',
        autotaskId: w.autotaskId ?? null,
        reason: w.deactivation
          ? `deactivated in ${w.deactivation === 'sql' ? this.spec.table.table : 'Autotask'}: the record is gone from the other side`
          : created
            ? `created in ${w.autotask?.kind === 'create' ? 'Autotask' : this.spec.table.table}`
            : null,
        diff: Object.keys(w.diff).length > 0 ? w.diff : null,
      });
    }
    return failed;
  }

  /**
   * Pending intents of earlier passes whose row is now linked (found by key) are resolved; those of
   * rows created again were given up when the row was planned (`holdsBack`); the rest stay pending.
   */
  private reconcileIntents(work: readonly Work[]): void {
    const pending = this.deps.state.listUnresolvedIntents(this.spec.name);
    if (pending.length === 0) return;
    const byKey = new Map(work.filter((w) => w.autotaskId !== undefined).map((w) => [w.key, w.autotaskId!]));
    for (const intent of pending) {
      if (intent.runId === this.ctx.runId || intent.object !== this.spec.object) continue;
      const id =
        byKey.get(intent.key) ??
        this.deps.state.getLink({ sync: this.spec.name, object: this.spec.object, key: intent.key })
          ?.autotaskId;
      if (id !== undefined) this.deps.state.resolveIntent(intent.id, id);
    }
  }

  /** Plan mode: what later syncs of the plan may refer to as linked (see `PlannedLinks`). */
  private recordPlanned(work: readonly Work[]): void {
    const planned = this.ctx.planned;
    if (!planned) return;
    const rows = planned.rows.get(this.spec.name) ?? new Map<string, number>();
    const ids = planned.ids.get(this.spec.name) ?? new Map<number, string>();
    let next = -1 - rows.size;
    for (const w of work) {
      if (w.deactivation || w.next.gone) continue;
      const id = w.autotaskId ?? next--;
      if (w.key !== '') rows.set(w.key, id);
      if (w.autotaskId !== undefined) ids.set(w.autotaskId, w.key);
    }
    planned.rows.set(this.spec.name, rows);
    planned.ids.set(this.spec.name, ids);
  }

  private finalLink(w: Work): LinkInput | undefined {
    if (w.autotaskId === undefined || w.key === '') return undefined;
    if (w.autotask?.kind === 'create' && w.autotaskOk !== true) return undefined;
    if (w.sql?.kind === 'insert' && w.sqlOk !== true) return undefined;
    const failed =
      (w.autotask !== undefined && w.autotaskOk !== true) || (w.sql !== undefined && w.sqlOk !== true);
    // after a failure the link keeps what was last seen on both sides and is read again next pass:
    // what one side wrote successfully then simply agrees with the other and is not written twice
    const state: PairState = failed ? { a: {}, s: {}, ...w.previous, retry: true } : { ...w.next };
    if (failed) delete state.gone;
    if (!failed) delete state.retry;
    return linkInput({ sync: this.spec.name, object: this.spec.object, key: w.key }, w.autotaskId, state, {
      sourceLocation: w.location,
      runId: this.ctx.runId,
    });
  }
}

function isRunStopping(error: unknown): boolean {
  return (
    error instanceof AutotaskAuthenticationError ||
    error instanceof AutotaskPermissionError ||
    error instanceof AutotaskBudgetExhaustedError ||
    (error instanceof Error && error.name === 'AbortError')
  );
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Runs `fn` over the items, `limit` at a time. After the first error no item is started; the ones
 * under way finish (their outcomes and intents are recorded) before the error is thrown.
 */
async function eachLimit<T>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  let failure: { error: unknown } | undefined;
  const lane = async (): Promise<void> => {
    while (failure === undefined && next < items.length) {
      const item = items[next]!;
      next += 1;
      try {
        await fn(item);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
  if (failure !== undefined) throw failure.error;
}

/** Fields Autotask (its metadata) or the product needs on create, with why. */
function requiredOnCreate(
  spec: TwoWaySpec,
  metadata: readonly { name: string; isRequired: boolean; isReadOnly: boolean }[],
): Map<string, string> {
  const out = new Map<string, string>();
  for (const f of metadata)
    if (f.isRequired && !f.isReadOnly && f.name !== 'id') out.set(f.name, 'Autotask requires it');
  for (const { field, reason } of PRODUCT_REQUIRED_FIELDS[spec.object]) out.set(field, reason);
  return out;
}
