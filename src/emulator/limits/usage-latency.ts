import type { UsageLatencyOptions } from './types.js';

export const DEFAULT_LATENCY: Required<UsageLatencyOptions> = {
  baseMs: 0,
  at50PercentMs: 500,
  at75PercentMs: 1000,
};

/**
 * Delay to add to a request given the hourly usage (this request included): the base delay plus
 * the tier reached, ≥ 75 % first, then ≥ 50 % (API doc §9.2).
 */
export function usageLatencyMs(count: number, limit: number, latency: Required<UsageLatencyOptions>): number {
  const ratio = limit > 0 ? count / limit : 1;
  const tier = ratio >= 0.75 ? latency.at75PercentMs : ratio >= 0.5 ? latency.at50PercentMs : 0;
  return latency.baseMs + tier;
}
