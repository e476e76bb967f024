/**
 * How the web app lists a run of the state store: the record as it is (an `interrupted` run is one
 * left `running` by a process that is gone), whether it was a two-way run, and for a two-way run what
 * each side received (from the counters the two-way engine records: `autotaskCreated`, `sqlCreated`,
 * ...). Also who holds the run lock, without the lock's token.
 */
import type { RunLockHolder, StaleReason } from '../state/run-lock.js';
import type { RunRecord } from '../state/state-store.js';

/** Writes one side of a two-way run received. */
export interface SideTotals {
  created: number;
  updated: number;
  deactivated: number;
}

export interface RunView extends RunRecord {
  kind: 'one-way' | 'two-way';
  /** Two-way runs: what Autotask and the table received, and records seen deleted on one side. */
  sides: { autotask: SideTotals; table: SideTotals; deletesSeen: number } | null;
}

/** The run lock's holder as the page shows it. */
export interface LockView {
  command: string;
  pid: number;
  host: string;
  /** When it took the lock, and when it last refreshed its heartbeat (ms since the epoch). */
  since: number;
  heartbeatAt: number;
  /** Set when the holder is gone: the next run takes the lock over. */
  stale: StaleReason | null;
}

/**
 * `twoWayNames`: names of the configuration's two-way syncs (a two-way run that stopped before it
 * counted anything is told apart by its syncs).
 */
export function runView(run: RunRecord, twoWayNames: ReadonlySet<string>): RunView {
  const c = run.counters;
  const twoWay =
    'sqlCreated' in c ||
    'autotaskCreated' in c ||
    (run.syncNames.length > 0 && run.syncNames.every((n) => twoWayNames.has(n)));
  const n = (key: string): number => c[key] ?? 0;
  return {
    ...run,
    kind: twoWay ? 'two-way' : 'one-way',
    sides: twoWay
      ? {
          autotask: {
            created: n('autotaskCreated'),
            updated: n('autotaskUpdated'),
            deactivated: n('autotaskDeactivated'),
          },
          table: { created: n('sqlCreated'), updated: n('sqlUpdated'), deactivated: n('sqlDeactivated') },
          deletesSeen: n('deletesSeen'),
        }
      : null,
  };
}

export function lockView(
  holder: (RunLockHolder & { stale: StaleReason | undefined }) | undefined,
): LockView | null {
  if (holder === undefined) return null;
  return {
    command: holder.command,
    pid: holder.pid,
    host: holder.host,
    since: holder.acquiredAt,
    heartbeatAt: holder.heartbeatAt,
    stale: holder.stale ?? null,
  };
}
