import type { Migration } from './migration.js';

/**
 * Run lifecycle and crash safety:
 * - `run_lock`: at most one row, the process that may write to Autotask with this state database
 *   (`run`, `run --watch`, `export`, the web app's runs, `serve`'s batches), with its pid, host, pid
 *   scope (pid namespace and boot, so pids are compared only where they mean the same process), the
 *   command, when it took the lock and its last heartbeat. A lock whose process is gone is taken over.
 * - `runs` gains the owner of each run (pid, host, pid scope, and the lock token it ran under) and the
 *   status `interrupted`: a run left `running` by a process that is gone. SQLite cannot change a CHECK
 *   constraint in place, so `runs` is rebuilt (the runner turns foreign keys off around this migration
 *   and checks them before it commits).
 */
export const migration005: Migration = {
  version: 5,
  name: 'run-lock',
  rebuildsTables: true,
  sql: `
    CREATE TABLE run_lock (
      id           INTEGER PRIMARY KEY CHECK (id = 1),
      token        TEXT    NOT NULL,
      pid          INTEGER NOT NULL,
      host         TEXT    NOT NULL,
      pid_scope    TEXT    NOT NULL,
      command      TEXT    NOT NULL,
      acquired_at  INTEGER NOT NULL,
      heartbeat_at INTEGER NOT NULL
    );

    CREATE TABLE runs_new (
      id          INTEGER PRIMARY KEY,
      mode        TEXT    NOT NULL CHECK (mode IN ('plan', 'run', 'export')),
      sync_names  TEXT    NOT NULL,             -- JSON array
      config_hash TEXT    NOT NULL,
      status      TEXT    NOT NULL
        CHECK (status IN ('running', 'succeeded', 'partial', 'failed', 'aborted', 'interrupted')),
      started_at  INTEGER NOT NULL,
      finished_at INTEGER,
      counters    TEXT    NOT NULL DEFAULT '{}', -- JSON object
      api_calls   INTEGER NOT NULL DEFAULT 0,
      pid         INTEGER,                       -- NULL: written before version 5
      host        TEXT,
      pid_scope   TEXT,
      lock_token  TEXT                           -- the run lock it ran under (NULL: plan)
    );
    INSERT INTO runs_new (id, mode, sync_names, config_hash, status, started_at, finished_at, counters, api_calls)
      SELECT id, mode, sync_names, config_hash, status, started_at, finished_at, counters, api_calls FROM runs;
    DROP TABLE runs;
    ALTER TABLE runs_new RENAME TO runs;
    CREATE INDEX runs_running ON runs (status) WHERE status = 'running';
  `,
};
