/**
 * Small pieces the two-way sync tests share: the dependencies of a pass from an engine world, one
 * statement against the SQLite file a sync uses as its table, and timestamps relative to now.
 */
import Database from 'better-sqlite3';

import type { TwoWayDeps } from '../../../src/sync/two-way/index.js';
import type { EngineWorld } from './engine-world.js';

/** What a two-way pass needs, from the world's current client and state store (after `reopen()` too). */
export function twoWayDeps(world: EngineWorld): TwoWayDeps {
  return { client: world.client, state: world.state, clock: world.deps.clock, logger: world.deps.logger };
}

/**
 * Runs one SQL statement on the SQLite file at `path` (opened and closed around it): the rows a query
 * reads, or none for a write.
 */
export function querySqlite<T = Record<string, unknown>>(
  path: string,
  query: string,
  ...params: unknown[]
): T[] {
  const db = new Database(path);
  try {
    const statement = db.prepare(query);
    return (statement.reader ? statement.all(...params) : (statement.run(...params), [])) as T[];
  } finally {
    db.close();
  }
}

/** The ISO 8601 time `offsetMs` from now (negative: in the past). */
export const iso = (offsetMs = 0): string => new Date(Date.now() + offsetMs).toISOString();

/** Resolves after `ms` milliseconds. */
export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
