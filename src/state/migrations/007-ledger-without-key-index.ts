import type { Migration } from './migration.js';

/**
 * Drops the ledger's index on `key`. Every ledger query names its run (`run_id`), which the
 * `(run_id, action)` index finds; a search by key then reads that run's rows. The key index cost more
 * than it saved: each batch of outcomes inserted keys at random places in it, so every commit
 * rewrote hundreds of index pages (a third of the time a plan of 100,000 records spent in SQLite).
 */
export const migration007: Migration = {
  version: 7,
  name: 'ledger-without-key-index',
  sql: `
    DROP INDEX IF EXISTS ledger_by_key;
  `,
};
