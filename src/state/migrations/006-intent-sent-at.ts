import type { Migration } from './migration.js';

/**
 * A write intent records when its create was last handed to the network (`sent_at`), so that after a
 * crash only intents whose request may have reached Autotask wait for the settle period; intents
 * committed ahead of their request (group commit, the client's lanes) are settled at once. The mark
 * is written without an fsync (see docs/reliability.md, "Crashes").
 *
 * Pending intents written by an older autotask-sync did not record it: they are taken as sent when
 * they were created (the safe reading; they wait out the rest of their settle period, if any).
 */
export const migration006: Migration = {
  version: 6,
  name: 'intent-sent-at',
  sql: `
    ALTER TABLE intents ADD COLUMN sent_at INTEGER;
    UPDATE intents SET sent_at = created_at WHERE status = 'pending';
  `,
};
