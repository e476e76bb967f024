import type { Database, Statement } from 'better-sqlite3';

import type { Clock } from '../../shared/clock.js';
import { StateStoreError } from '../../shared/errors.js';
import type {
  FinishRunInput,
  ListRunsFilter,
  RunMode,
  RunRecord,
  RunStatus,
  StartRunInput,
} from '../state-store.js';
import { parseJsonColumn } from './json-column.js';

interface RunRow {
  id: number;
  mode: RunMode;
  sync_names: string;
  config_hash: string;
  status: RunStatus;
  started_at: number;
  finished_at: number | null;
  counters: string;
  api_calls: number;
}

function toRun(row: RunRow): RunRecord {
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
  };
}

/** The `runs` table. */
export class RunRepository {
  private readonly insert: Statement;
  private readonly finish: Statement;
  private readonly byId: Statement<[number], RunRow>;
  private readonly list: Statement<[{ mode: string | null; sync: string | null; limit: number }], RunRow>;

  constructor(
    db: Database,
    private readonly clock: Clock,
  ) {
    this.insert = db.prepare(
      `INSERT INTO runs (mode, sync_names, config_hash, status, started_at) VALUES (?, ?, ?, 'running', ?)`,
    );
    this.finish = db.prepare(
      `UPDATE runs SET status = ?, counters = ?, api_calls = ?, finished_at = ? WHERE id = ?`,
    );
    this.byId = db.prepare('SELECT * FROM runs WHERE id = ?');
    this.list = db.prepare(
      `SELECT * FROM runs
        WHERE (@mode IS NULL OR mode = @mode)
          AND (@sync IS NULL OR EXISTS (SELECT 1 FROM json_each(runs.sync_names) WHERE value = @sync))
        ORDER BY id DESC LIMIT @limit`,
    );
  }

  start(input: StartRunInput): RunRecord {
    const info = this.insert.run(
      input.mode,
      JSON.stringify(input.syncNames),
      input.configHash,
      input.startedAt ?? this.clock.now(),
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

  get(runId: number): RunRecord | undefined {
    const row = this.byId.get(runId);
    return row ? toRun(row) : undefined;
  }

  listRuns(filter: ListRunsFilter = {}): RunRecord[] {
    return this.list
      .all({ mode: filter.mode ?? null, sync: filter.sync ?? null, limit: filter.limit ?? 50 })
      .map(toRun);
  }
}
