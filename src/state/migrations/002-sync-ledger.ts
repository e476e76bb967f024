import type { Migration } from './migration.js';

/** The Autotask key index and its cursors, write intents and the per-record ledger. */
export const migration002: Migration = {
  version: 2,
  name: 'sync-ledger',
  sql: `
    CREATE TABLE key_index_records (
      object      TEXT    NOT NULL,
      autotask_id INTEGER NOT NULL,
      version     TEXT,
      updated_at  INTEGER NOT NULL,
      PRIMARY KEY (object, autotask_id)
    ) WITHOUT ROWID;

    CREATE TABLE key_index (
      object      TEXT    NOT NULL,
      kind        TEXT    NOT NULL,
      key         TEXT    NOT NULL,
      autotask_id INTEGER NOT NULL,
      PRIMARY KEY (object, kind, key, autotask_id)
    ) WITHOUT ROWID;
    CREATE INDEX key_index_by_record ON key_index (object, autotask_id);

    CREATE TABLE key_index_cursors (
      object       TEXT    PRIMARY KEY,
      field        TEXT    NOT NULL,
      value        TEXT    NOT NULL,
      full_scan_at INTEGER NOT NULL,
      updated_at   INTEGER NOT NULL
    ) WITHOUT ROWID;

    CREATE TABLE intents (
      id           INTEGER PRIMARY KEY,
      run_id       INTEGER NOT NULL REFERENCES runs (id),
      sync         TEXT    NOT NULL,
      object       TEXT    NOT NULL,
      key          TEXT    NOT NULL,
      payload_hash TEXT    NOT NULL,
      status       TEXT    NOT NULL CHECK (status IN ('pending', 'resolved', 'abandoned')),
      autotask_id  INTEGER,
      reason       TEXT,
      created_at   INTEGER NOT NULL,
      resolved_at  INTEGER
    );
    CREATE INDEX intents_pending ON intents (status, sync);

    CREATE TABLE ledger (
      id              INTEGER PRIMARY KEY,
      run_id          INTEGER NOT NULL REFERENCES runs (id),
      sync            TEXT    NOT NULL,
      source_location TEXT,
      key             TEXT,
      action          TEXT    NOT NULL
        CHECK (action IN ('created', 'updated', 'unchanged', 'conflict', 'invalid', 'failed', 'skipped')),
      autotask_id     INTEGER,
      reason          TEXT,
      field           TEXT,
      diff            TEXT,                      -- JSON
      source_row      TEXT,                      -- JSON
      at              INTEGER NOT NULL
    );
    CREATE INDEX ledger_by_run_action ON ledger (run_id, action);
    CREATE INDEX ledger_by_key ON ledger (key, run_id);
  `,
};
