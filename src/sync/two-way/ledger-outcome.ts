/**
 * A two-way run's ledger entry as the one-way reports list it (`RecordOutcome`): what `plan` lists per
 * sync and what the web app shows of a two-way run.
 */
import type { LedgerEntry } from '../../state/state-store.js';
import type { RecordOutcome } from '../engine/types.js';

export function ledgerEntryOutcome(e: LedgerEntry): RecordOutcome {
  return {
    sync: e.sync,
    action: e.action,
    key: e.key,
    location: e.sourceLocation,
    autotaskId: e.autotaskId,
    reason: e.reason,
    field: e.field,
    diff: e.diff as RecordOutcome['diff'],
  };
}
