import type { Migration } from './migration.js';

/** Runs, links, export bookmarks, API usage and the metadata cache. */
export const migration001: Migration = {
  version: 1,
  name: 'initial',
  sql: `
    CREATE TABLE runs (
      id          INTEGER PRIMARY KEY,
      mode        TEXT    NOT NULL CHECK (mode IN ('plan', 'run', 'export')),
      sync_names  TEXT    NOT NULL,             -- JSON array
      config_hash TEXT    NOT NULL,
      status      TEXT    NOT NULL CHECK (status IN ('running', 'succeeded', 'partial', 'failed', 'aborted')),
      started_at  INTEGER NOT NULL,
      finished_at INTEGER,
      counters    TEXT    NOT NULL DEFAULT '{}', -- JSON object
      api_calls   INTEGER NOT NULL DEFAULT 0
    );

    CREATE TABLE links (
      sync            TEXT    NOT NULL,
      object          TEXT    NOT NULL,
      key             TEXT    NOT NULL,
      autotask_id     INTEGER NOT NULL,
      payload_hash    TEXT    NOT NULL,
      fields          TEXT    NOT NULL,          -- JSON object: the values we last wrote
      source_location TEXT,
      run_id          INTEGER,
      updated_at      INTEGER NOT NULL,
      PRIMARY KEY (sync, object, key)
    ) WITHOUT ROWID;
    CREATE INDEX links_by_autotask_id ON links (object, autotask_id);

    CREATE TABLE bookmarks (
      name       TEXT    NOT NULL,
      stream     TEXT    NOT NULL,
      field      TEXT    NOT NULL,
      value      TEXT    NOT NULL,
      updated_at INTEGER NOT NULL,
      PRIMARY KEY (name, stream)
    ) WITHOUT ROWID;

    CREATE TABLE api_usage (
      minute INTEGER PRIMARY KEY,                -- start of the minute, ms since the epoch
      count  INTEGER NOT NULL
    );

    CREATE TABLE metadata_cache (
      key       TEXT    PRIMARY KEY,
      value     TEXT    NOT NULL,                -- JSON
      stored_at INTEGER NOT NULL
    );
  `,
};
