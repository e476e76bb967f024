/** Counters of the client's calls, retries, budget waits and metadata cache hits. */
import type { ClientStats, Operation } from './client-types.js';

export interface StatsCollector {
  countCall(entity: string, operation: Operation): void;
  countRetry(): void;
  countWait(waitMs: number): void;
  countMetadataHit(): void;
  snapshot(): ClientStats;
}

export function createStatsCollector(): StatsCollector {
  const calls: Record<string, Partial<Record<Operation, number>>> = {};
  let totalCalls = 0;
  let retries = 0;
  let budgetWaits = 0;
  let budgetWaitedMs = 0;
  let metadataCacheHits = 0;
  return {
    countCall(entity, operation) {
      const perEntity = (calls[entity] ??= {});
      perEntity[operation] = (perEntity[operation] ?? 0) + 1;
      totalCalls += 1;
    },
    countRetry() {
      retries += 1;
    },
    countWait(waitMs) {
      budgetWaits += 1;
      budgetWaitedMs += waitMs;
    },
    countMetadataHit() {
      metadataCacheHits += 1;
    },
    snapshot() {
      const copy: ClientStats['calls'] = {};
      for (const [entity, ops] of Object.entries(calls)) copy[entity] = { ...ops };
      return { calls: copy, totalCalls, retries, budgetWaits, budgetWaitedMs, metadataCacheHits };
    },
  };
}
