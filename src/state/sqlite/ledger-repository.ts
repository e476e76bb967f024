import type { Database, Statement, Transaction } from 'better-sqlite3';

import type { Clock } from '../../shared/clock.js';
import {
  LEDGER_ACTIONS,
  type LedgerAction,
  type LedgerEntry,
  type LedgerEntryInput,
  type LedgerQuery,
} from '../state-store.js';
import { parseJsonColumn, toJsonColumn } from './json-column.js';

interface LedgerRow {
  id: number;
  run_id: number;
  sync: string;
  source_location: string | null;
  key: string | null;
  action: LedgerAction;
  autotask_id: number | null;
  reason: string | null;
  field: string | null;
  diff: string | null;
  source_row: string | null;
  at: number;
}

interface QueryParams {
  runId: number;
  sync: string | null;
  actions: string | null;
  key: string | null;
  afterId: number;
  limit: number;
  offset: number;
}

/**
 * A create's diff is every field from nothing: `{"f": {"from": null, "to": v}}`. It is stored as
 * `{"$created": {"f": v}}`, about half the bytes (a run or plan of many new records writes one per
 * record), and read back in the usual shape.
 */
const CREATED_VALUES = '$created';

function diffColumn(action: LedgerAction, diff: Record<string, unknown> | null | undefined): string | null {
  if (diff === undefined || diff === null) return null;
  if (action !== 'created') return JSON.stringify(diff);
  const values: Record<string, unknown> = {};
  for (const field in diff) {
    const change = diff[field] as { from?: unknown; to?: unknown } | null;
    // only plain `{ from: null, to }` changes: a two-way change also names its side, column and winner
    if (
      change === null ||
      typeof change !== 'object' ||
      change.from !== null ||
      Object.keys(change).length !== 2
    )
      return JSON.stringify(diff);
    values[field] = change.to;
  }
  return JSON.stringify({ [CREATED_VALUES]: values });
}

function parseDiff(text: string | null, where: string): Record<string, unknown> | null {
  const diff = parseJsonColumn<Record<string, unknown>>(text, where);
  const values = diff?.[CREATED_VALUES];
  if (diff === null || values === undefined || Object.keys(diff).length !== 1) return diff;
  const expanded: Record<string, unknown> = {};
  for (const [field, to] of Object.entries(values as Record<string, unknown>))
    expanded[field] = { from: null, to };
  return expanded;
}

function toEntry(row: LedgerRow): LedgerEntry {
  const where = `ledger entry ${row.id}`;
  return {
    id: row.id,
    runId: row.run_id,
    sync: row.sync,
    sourceLocation: row.source_location,
    key: row.key,
    action: row.action,
    autotaskId: row.autotask_id,
    reason: row.reason,
    field: row.field,
    diff: parseDiff(row.diff, `${where} diff`),
    sourceRow: parseJsonColumn<Record<string, unknown>>(row.source_row, `${where} source row`),
    at: row.at,
  };
}

/** Rows fetched per query when streaming the ledger; writes may happen between pages. */
const PAGE_SIZE = 1000;

/** The `ledger` table: every record's outcome in every run. */
export class LedgerRepository {
  private readonly insert: Statement;
  private readonly select: Statement<[QueryParams], LedgerRow>;
  private readonly counts: Statement<
    [{ runId: number; sync: string | null }],
    { action: LedgerAction; n: number }
  >;
  private readonly lastRunOf: Statement<[{ sync: string; before: number }], { id: number }>;
  private readonly appendMany: Transaction<(entries: readonly LedgerEntryInput[]) => void>;

  constructor(
    db: Database,
    private readonly clock: Clock,
  ) {
    this.insert = db.prepare(
      `INSERT INTO ledger (run_id, sync, source_location, key, action, autotask_id, reason, field, diff, source_row, at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.select = db.prepare(
      `SELECT * FROM ledger
        WHERE run_id = @runId
          AND (@sync IS NULL OR sync = @sync)
          AND (@actions IS NULL OR action IN (SELECT value FROM json_each(@actions)))
          AND (@key IS NULL OR key = @key)
          AND id > @afterId
        ORDER BY id LIMIT @limit OFFSET @offset`,
    );
    this.counts = db.prepare(
      `SELECT action, COUNT(*) AS n FROM ledger
        WHERE run_id = @runId AND (@sync IS NULL OR sync = @sync) GROUP BY action`,
    );
    this.lastRunOf = db.prepare(
      `SELECT id FROM runs
        WHERE mode = 'run' AND id < @before
          AND EXISTS (SELECT 1 FROM json_each(runs.sync_names) WHERE value = @sync)
        ORDER BY id DESC LIMIT 1`,
    );
    this.appendMany = db.transaction((entries: readonly LedgerEntryInput[]) => {
      const now = this.clock.now();
      for (const e of entries) {
        this.insert.run(
          e.runId,
          e.sync,
          e.sourceLocation,
          e.key,
          e.action,
          e.autotaskId ?? null,
          e.reason ?? null,
          e.field ?? null,
          diffColumn(e.action, e.diff),
          toJsonColumn(e.sourceRow),
          e.at ?? now,
        );
      }
    });
  }

  append(entries: readonly LedgerEntryInput[]): void {
    if (entries.length > 0) this.appendMany(entries);
  }

  query(query: LedgerQuery): LedgerEntry[] {
    return this.select.all(this.params(query, 0)).map(toEntry);
  }

  *iterate(query: LedgerQuery): IterableIterator<LedgerEntry> {
    let afterId = 0;
    let remaining = query.limit ?? Number.POSITIVE_INFINITY;
    let offset = query.offset ?? 0;
    while (remaining > 0) {
      const pageSize = Math.min(PAGE_SIZE, remaining);
      const rows = this.select.all({ ...this.params(query, afterId), limit: pageSize, offset });
      for (const row of rows) yield toEntry(row);
      const last = rows[rows.length - 1];
      if (!last || rows.length < pageSize) return;
      afterId = last.id;
      offset = 0;
      remaining -= rows.length;
    }
  }

  count(runId: number, sync?: string): Record<LedgerAction, number> {
    const out = Object.fromEntries(LEDGER_ACTIONS.map((a) => [a, 0])) as Record<LedgerAction, number>;
    for (const row of this.counts.all({ runId, sync: sync ?? null })) out[row.action] = row.n;
    return out;
  }

  retries(sync: string, beforeRunId?: number): LedgerEntry[] {
    const run = this.lastRunOf.get({ sync, before: beforeRunId ?? Number.MAX_SAFE_INTEGER });
    return run ? this.query({ runId: run.id, sync, action: 'failed' }) : [];
  }

  private params(query: LedgerQuery, afterId: number): QueryParams {
    const actions =
      query.action === undefined
        ? null
        : JSON.stringify(typeof query.action === 'string' ? [query.action] : query.action);
    return {
      runId: query.runId,
      sync: query.sync ?? null,
      actions,
      key: query.key ?? null,
      afterId,
      limit: query.limit ?? -1,
      offset: query.offset ?? 0,
    };
  }
}
