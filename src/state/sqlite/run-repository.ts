import type { Database, Statement } from 'better-sqlite3';

import type { Clock } from '../../shared/clock.js';
import { StateStoreError } from '../../shared/errors.js';
import type { ProcessIdentity } from '../process-identity.js';
import type {
  FinishRunInput,
  ListRunsFilter,
  RunMode,
  RunRecord,
  RunStatus,
  StartRunInput,
} from '../state-store.js';
import { parseJsonColumn } from './json-column.js';

export interface RunRow {
  id: number;
  mode: RunMode;
  sync_names: string;
  config_hash: string;
  status: RunStatus;
  started_at: number;
  finished_at: number | null;
  counters: string;
  api_calls: number;
  pid: number | null;
  host: string | null;
  pid_scope: string | null;
  lock_token: string | null;
}

export function toRun(row: RunRow): RunRecord {
  return {
    id: row.id,
    mode: row.mode,
    syncNames: parseJsonColumn<string[]>(row.sync_names, `runs.sync_names of run ${row.id}`) ?? [],
    configHash: row.config_hash,
    status: row.status,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    counters: parseJsonColumn<Record<string, number>>(row.counters, `runs.counters of run ${row.id}`) ?? {},
    apiCalls: row.api_calls,
    owner: row.pid === null || row.host === null ? null : { pid: row.pid, host: row.host },
  };
}

/** Who starts a run: this process, and the run lock it holds (none for a plan). */
export interface RunOwner extends ProcessIdentity {
  lockToken: string | null;
}

/** The `runs` table. */
export class RunRepository {
  private readonly insert: Statement;
  private readonly finish: Statement;
  private readonly interrupt: Statement<[string, number | null, number]>;
  private readonly byId: Statement<[number], RunRow>;
  private readonly running: Statement<[], RunRow>;
  private readonly list: Statement<[{ mode: string | null; sync: string | null; limit: number }], RunRow>;

  constructor(
    db: Database,
    private readonly clock: Clock,
  ) {
    this.insert = db.prepare(
      `INSERT INTO runs (mode, sync_names, config_hash, status, started_at, pid, host, pid_scope, lock_token)
       VALUES (?, ?, ?, 'running', ?, ?, ?, ?, ?)`,
    );
    this.finish = db.prepare(
      `UPDATE runs SET status = ?, counters = ?, api_calls = ?, finished_at = ? WHERE id = ?`,
    );
    this.interrupt = db.prepare(
      `UPDATE runs SET status = 'interrupted', counters = ?, finished_at = ? WHERE id = ? AND status = 'running'`,
    );
    this.byId = db.prepare('SELECT * FROM runs WHERE id = ?');
    this.running = db.prepare(`SELECT * FROM runs WHERE status = 'running' ORDER BY id`);
    this.list = db.prepare(
      `SELECT * FROM runs
        WHERE (@mode IS NULL OR mode = @mode)
          AND (@sync IS NULL OR EXISTS (SELECT 1 FROM json_each(runs.sync_names) WHERE value = @sync))
        ORDER BY id DESC LIMIT @limit`,
    );
  }

  start(input: StartRunInput, owner: RunOwner): RunRecord {
    const info = this.insert.run(
      input.mode,
      JSON.stringify(input.syncNames),
      input.configHash,
      input.startedAt ?? this.clock.now(),
      owner.pid,
      owner.host,
      owner.pidScope,
      owner.lockToken,
    );
    return this.get(Number(info.lastInsertRowid)) as RunRecord;
  }

  finishRun(runId: number, outcome: FinishRunInput): RunRecord {
    const info = this.finish.run(
      outcome.status,
      JSON.stringify(outcome.counters),
      outcome.apiCalls,
      outcome.finishedAt ?? this.clock.now(),
      runId,
    );
    if (info.changes === 0) throw new StateStoreError(`run ${runId} does not exist in the state database`);
    return this.get(runId) as RunRecord;
  }

  /** Marks a run still `running` as `interrupted` with the counters it recorded; false if it was not running. */
  markInterrupted(runId: number, counters: Record<string, number>, lastSignOfLife: number | null): boolean {
    return this.interrupt.run(JSON.stringify(counters), lastSignOfLife, runId).changes > 0;
  }

  get(runId: number): RunRecord | undefined {
    const row = this.byId.get(runId);
    return row ? toRun(row) : undefined;
  }

  row(runId: number): RunRow | undefined {
    return this.byId.get(runId);
  }

  /** Rows still marked `running`, oldest first. */
  runningRows(): RunRow[] {
    return this.running.all();
  }

  listRows(filter: ListRunsFilter = {}): RunRow[] {
    return this.list.all({ mode: filter.mode ?? null, sync: filter.sync ?? null, limit: filter.limit ?? 50 });
  }
}
