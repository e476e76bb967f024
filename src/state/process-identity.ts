/**
 * Which process owns a run or the run lock, and whether it still exists. A pid means something only
 * inside its pid namespace and boot, so each owner records a `pidScope` (host name, pid namespace and
 * boot id on Linux; the host name elsewhere): a pid is looked up only when the scope is ours. Two
 * containers sharing one state file therefore never judge each other's pids; the lock's heartbeat
 * decides there.
 */
import { readFileSync, readlinkSync } from 'node:fs';
import { hostname } from 'node:os';

export interface ProcessIdentity {
  pid: number;
  /** Host name, for people. */
  host: string;
  /** Where `pid` is meaningful (see the module comment). */
  pidScope: string;
}

/** What the state store asks about processes; injected so tests can stage dead and foreign owners. */
export interface ProcessProbe {
  /** This process. */
  readonly self: ProcessIdentity;
  /** Whether a process with this pid exists in our pid scope. */
  isAlive(pid: number): boolean;
}

/** Signal 0 checks that the process exists without touching it; EPERM means it exists (another user's). */
export function isProcessAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function linuxScopeParts(): string[] {
  const parts: string[] = [];
  try {
    parts.push(readlinkSync('/proc/self/ns/pid'));
  } catch {
    // not Linux, or /proc hidden
  }
  try {
    parts.push(readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim());
  } catch {
    // not Linux
  }
  return parts;
}

/** The probe of the real process. */
export function currentProcessProbe(): ProcessProbe {
  const host = hostname();
  return {
    self: { pid: process.pid, host, pidScope: [host, ...linuxScopeParts()].join('/') },
    isAlive: isProcessAlive,
  };
}
