/** Counts of the requests the emulator served, for tests and benchmarks (`emulator.stats()`). */
import type { FaultInjectorStats } from './faults/types.js';
import type { RequestLimitsStats } from './limits/types.js';

export interface EmulatorStats {
  /** Requests to the API surface (control endpoints under `/_emulator/` are not counted). */
  total: number;
  /** By entity or endpoint: `Companies`, `Contacts`, ..., `zoneInformation`, `ThresholdInformation`, `unknown`. */
  byEntity: Record<string, number>;
  /** By HTTP verb. */
  byMethod: Record<string, number>;
  /** By response status (`"200"`, `"401"`, ...); dropped connections count as `"dropped"`. */
  byStatus: Record<string, number>;
  /** By operation: `query`, `count`, `next`, `get`, `list`, `create`, `update`, `delete`, `metadata`, ... */
  byOperation: Record<string, number>;
  /** Hourly counter, thread slots and rejections (from the limits). */
  limits: RequestLimitsStats;
  /** Faults injected (from the fault injector). */
  faults: FaultInjectorStats;
}

export type RequestCounts = Omit<EmulatorStats, 'limits' | 'faults'>;

function bump(map: Record<string, number>, key: string): void {
  map[key] = (map[key] ?? 0) + 1;
}

/** Mutable request counters; one per emulator. */
export class StatsRecorder {
  private counts: RequestCounts = StatsRecorder.empty();

  private static empty(): RequestCounts {
    return { total: 0, byEntity: {}, byMethod: {}, byStatus: {}, byOperation: {} };
  }

  record(entry: { entity: string; method: string; operation: string; status: number | 'dropped' }): void {
    this.counts.total++;
    bump(this.counts.byEntity, entry.entity);
    bump(this.counts.byMethod, entry.method);
    bump(this.counts.byOperation, entry.operation);
    bump(this.counts.byStatus, String(entry.status));
  }

  snapshot(): RequestCounts {
    return structuredClone(this.counts);
  }

  reset(): void {
    this.counts = StatsRecorder.empty();
  }
}
