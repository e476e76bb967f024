import { migration001 } from './001-initial.js';
import { migration002 } from './002-sync-ledger.js';
import { migration003 } from './003-intake-queue.js';
import { migration004 } from './004-intent-outcome-unknown.js';
import { migration005 } from './005-run-lock.js';
import { migration006 } from './006-intent-sent-at.js';
import { migration007 } from './007-ledger-without-key-index.js';
import type { Migration } from './migration.js';

/** Every migration, in order. Append new ones here. */
export const MIGRATIONS: readonly Migration[] = [
  migration001,
  migration002,
  migration003,
  migration004,
  migration005,
  migration006,
  migration007,
];

export const LATEST_SCHEMA_VERSION: number = MIGRATIONS[MIGRATIONS.length - 1]?.version ?? 0;
