import type { Migration } from './migration.js';

/**
 * The intake queue of `autotask-sync serve` (issue 10): every accepted submission or webhook event,
 * committed before the `202` reply, with its processing state, attempts, outcome and dead-letter
 * reason. Idempotency keys and body hashes find resubmissions within the intake's window.
 */
export const migration003: Migration = {
  version: 3,
  name: 'intake-queue',
  sql: `
    CREATE TABLE intake_items (
      id              INTEGER PRIMARY KEY AUTOINCREMENT,
      intake          TEXT    NOT NULL,
      kind            TEXT    NOT NULL,
      status          TEXT    NOT NULL,
      body            TEXT    NOT NULL,
      body_hash       TEXT    NOT NULL,
      idempotency_key TEXT,
      received_at     INTEGER NOT NULL,
      attempts        INTEGER NOT NULL DEFAULT 0,
      next_attempt_at INTEGER NOT NULL,
      lease_until     INTEGER,
      solo            INTEGER NOT NULL DEFAULT 0,
      last_error      TEXT,
      outcome         TEXT,
      run_id          INTEGER,
      updated_at      INTEGER NOT NULL
    );
    CREATE UNIQUE INDEX intake_items_idempotency ON intake_items (intake, idempotency_key)
      WHERE idempotency_key IS NOT NULL;
    CREATE INDEX intake_items_body ON intake_items (intake, body_hash, received_at);
    CREATE INDEX intake_items_due ON intake_items (status, intake, next_attempt_at);
  `,
};
