import type { Migration } from './migration.js';

/**
 * A write intent whose create was sent but whose outcome is unknown (timeout, 5xx or dropped
 * connection after sending) records when that became known, so that it stays pending until Autotask
 * has had time to finish the create (the engine's settle period) instead of being given up at once.
 * NULL for intents left by a crash (the process stopped before any answer).
 */
export const migration004: Migration = {
  version: 4,
  name: 'intent-outcome-unknown',
  sql: `
    ALTER TABLE intents ADD COLUMN outcome_unknown_at INTEGER;
  `,
};
