/**
 * The run lock: one process at a time may write to Autotask with a given state database (`run`,
 * `run --watch` passes, `export`, the web app's runs, `serve`'s batches). Two processes syncing the
 * same state at once would each miss the other's creates in flight and could create duplicates.
 *
 * The lock is a row in the state database (`run_lock`, migration 005) with the holder's pid, host,
 * command, since when, and a heartbeat the holder refreshes every few seconds. A holder that is gone
 * leaves its row behind (SIGKILL, power cut): the next process takes it over at once when the holder's
 * pid no longer exists on this host (pid scope, see `process-identity.ts`), or once the heartbeat is
 * older than `staleAfterMs` (another host or container, or a pid reused meanwhile). Nothing needs
 * cleaning up by hand. `plan`, `history`, `show` and `rejects` read without the lock.
 */
import { AppError } from '../shared/errors.js';
import type { ProcessIdentity, ProcessProbe } from './process-identity.js';
import type { RunRecord } from './state-store.js';

/** @default how often the holder refreshes its heartbeat (10 s) */
export const DEFAULT_LOCK_HEARTBEAT_MS = 10_000;
/** @default heartbeat age after which a holder counts as gone, whatever its pid (60 s) */
export const DEFAULT_LOCK_STALE_AFTER_MS = 60_000;

/** Who holds the lock. */
export interface RunLockHolder extends ProcessIdentity {
  /** Random id of this acquisition (runs started under it record it). */
  token: string;
  /** What holds it, e.g. `run`, `run --watch`, `export`, `ui`, `serve (intake "leads")`. */
  command: string;
  acquiredAt: number;
  heartbeatAt: number;
}

export interface AcquireRunLockOptions {
  /** What takes the lock, shown to a process that finds it held (e.g. `run --watch`). */
  command: string;
}

/** Timing of the lock; set when the store is opened. */
export interface RunLockTiming {
  /** @default DEFAULT_LOCK_HEARTBEAT_MS */
  heartbeatMs?: number;
  /** @default DEFAULT_LOCK_STALE_AFTER_MS */
  staleAfterMs?: number;
}

/** A held run lock. Release it when the run ends (closing the store releases it too). */
export interface RunLock {
  readonly holder: RunLockHolder;
  /** The lock this acquisition replaced because its process was gone, if any. */
  readonly tookOver: (RunLockHolder & { why: StaleReason }) | undefined;
  /** Runs left `running` by processes that are gone, marked `interrupted` by this acquisition. */
  readonly interrupted: readonly RunRecord[];
  /**
   * Aborted if another process took the lock over (it judged this one gone, e.g. after the machine
   * slept past `staleAfterMs`): stop writing to Autotask then. The reason is a `RunLockLostError`.
   */
  readonly lost: AbortSignal;
  /** Gives the lock up (idempotent). */
  release(): void;
}

/** Why a lock (or a run) counts as abandoned. */
export type StaleReason = 'process-gone' | 'no-heartbeat';

/**
 * Whether the holder is gone: its pid is dead in our pid scope, or its heartbeat is older than
 * `staleAfterMs`. A holder in our own process is alive (another store of this process holds it).
 */
export function staleReason(
  holder: Pick<RunLockHolder, 'pid' | 'pidScope' | 'heartbeatAt'>,
  probe: ProcessProbe,
  now: number,
  staleAfterMs: number,
): StaleReason | undefined {
  if (holder.pidScope === probe.self.pidScope && holder.pid !== probe.self.pid && !probe.isAlive(holder.pid))
    return 'process-gone';
  if (now - holder.heartbeatAt > staleAfterMs) return 'no-heartbeat';
  return undefined;
}

function utc(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

function ago(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  return s < 120 ? `${s} s ago` : `${Math.round(s / 60)} min ago`;
}

/** `run (pid 4242 on host build-01) since 2026-11-27 13:05:12 UTC` */
export function describeHolder(holder: RunLockHolder): string {
  return `\`${holder.command}\` (pid ${holder.pid} on host ${holder.host}) since ${utc(holder.acquiredAt)}`;
}

/**
 * Another process holds the run lock of this state database. `autotask-sync` exits with 75
 * (`ExitCode.StateLocked`, "try again later").
 */
export class RunLockedError extends AppError {
  readonly holder: RunLockHolder;

  constructor(path: string, holder: RunLockHolder, now: number, staleAfterMs: number) {
    super(
      'STATE_LOCKED',
      `the state database ${path} is in use by another autotask-sync: ${describeHolder(holder)}, ` +
        `last heard from ${ago(now - holder.heartbeatAt)}. Two processes syncing one state at once could ` +
        'create duplicates, so nothing was done. Wait for it to finish (or stop it) and run again; ' +
        `a lock left by a process that is gone is taken over by itself (at once on this host, otherwise ` +
        `${Math.round(staleAfterMs / 1000)} s after its last heartbeat)`,
      {
        details: {
          path,
          pid: holder.pid,
          host: holder.host,
          command: holder.command,
          since: new Date(holder.acquiredAt).toISOString(),
          heartbeatAt: new Date(holder.heartbeatAt).toISOString(),
        },
      },
    );
    this.holder = holder;
  }
}

/** The lock was taken over by another process while this one held it (`RunLock.lost`). */
export class RunLockLostError extends AppError {
  constructor(path: string, by: RunLockHolder | undefined) {
    super(
      'STATE_LOCK_LOST',
      `the run lock of ${path} was taken over by ${by === undefined ? 'another process' : describeHolder(by)}, ` +
        'which judged this process gone (no heartbeat: was the machine asleep?); this run stops writing so that ' +
        'the two do not create duplicates',
      { details: { path, ...(by === undefined ? {} : { pid: by.pid, host: by.host, command: by.command }) } },
    );
  }
}

/**
 * The line to log when `lock` replaced a lock left by a process that is gone, or closed runs left
 * `running`: `took over the run lock of \`run\` (pid 4242 on host a) since …: its process is gone; run 12
 * marked interrupted`. Undefined when there was nothing to take over.
 */
export function takeoverNotice(lock: RunLock): string | undefined {
  const parts: string[] = [];
  if (lock.tookOver !== undefined)
    parts.push(
      `took over the run lock of ${describeHolder(lock.tookOver)}: ${
        lock.tookOver.why === 'process-gone'
          ? 'its process is gone'
          : `no heartbeat since ${utc(lock.tookOver.heartbeatAt)}`
      }`,
    );
  if (lock.interrupted.length > 0) {
    const ids = lock.interrupted.map((r) => r.id).join(', ');
    parts.push(
      `run${lock.interrupted.length === 1 ? '' : 's'} ${ids} marked interrupted (the next run settles ` +
        'their write intents by key)',
    );
  }
  return parts.length === 0 ? undefined : parts.join('; ');
}
