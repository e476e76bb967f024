/**
 * Storage the client can use to avoid re-spending API calls across separate runs. The client works
 * without them (in memory only); the state store (`src/state/`) implements both in SQLite.
 */

/** Cached metadata (entity fields, UDF definitions, picklists) keyed by tenant + entity + kind. */
export interface MetadataCacheStore {
  read(key: string): { value: unknown; storedAt: number } | undefined;
  write(key: string, value: unknown, storedAt: number): void;
}

/**
 * This installation's own Autotask calls, so that the rolling-hour budget survives process restarts.
 * `at` is a timestamp in ms; implementations may bucket by minute.
 */
export interface ApiUsageStore {
  /** Calls made since `sinceMs`, as (timestamp, count) pairs. */
  recent(sinceMs: number): { at: number; count: number }[];
  add(at: number, count: number): void;
}
