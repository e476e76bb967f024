/**
 * Scenario 5: throughput at a realistic per-call latency. The emulator adds a fixed delay to every
 * request and allows 3 in flight per endpoint, so no client can write faster than
 * `threads / latency` requests per second to one endpoint (20/s at 150 ms): that is the ceiling each
 * endpoint's write rate is compared with. Endpoints written at the same time add up, so the total
 * may pass one endpoint's ceiling.
 */
import { totalRecords, type BenchSizes } from '../lib/bench-data.js';
import type { EndpointTimeline } from '../lib/call-timeline.js';
import { round, type BenchContext, type ScenarioResult } from '../lib/scenario-types.js';
import { resultOf } from './sync-scenarios.js';
import { openSyncWorld } from './sync-world.js';

/** Share of the per-endpoint ceiling each endpoint's write rate must reach. */
export const THROUGHPUT_MIN_SHARE = 0.9;

export interface ThroughputSettings {
  /** Fixed latency of every request, in ms. @default 150 */
  latencyMs?: number;
  /** Requests in flight per endpoint. @default 3 */
  threadLimit?: number;
}

/** Writes per second of one endpoint while it was being written. */
export function writeRate(t: EndpointTimeline): number {
  return t.writeSpanMs > 0 ? (t.writes * 1000) / t.writeSpanMs : 0;
}

export async function throughputScenario(
  ctx: BenchContext,
  sizes: BenchSizes,
  settings: ThroughputSettings = {},
  options: { baseline?: boolean } = {},
): Promise<ScenarioResult> {
  const latencyMs = settings.latencyMs ?? 150;
  const threadLimit = settings.threadLimit ?? 3;
  const ceiling = (threadLimit * 1000) / latencyMs;
  const world = await openSyncWorld(ctx, 'throughput', sizes, { latencyMs, threadLimit });
  try {
    ctx.log(`throughput: initial load of ${totalRecords(sizes)} records at ${latencyMs} ms per call`);
    const ours = await world.engineTask('run', { timeline: true });
    const naive = options.baseline === false ? undefined : await world.naiveTask('naive-load');
    const timeline = ours.result.timeline ?? {};
    const written = Object.entries(timeline).filter(([, t]) => t.writes >= threadLimit * 5);
    const shares = written.map(([name, t]) => ({ name, rate: writeRate(t), share: writeRate(t) / ceiling }));
    const worst = shares.reduce((m, s) => Math.min(m, s.share), Infinity);
    const totalRate = ours.result.wallSeconds > 0 ? ours.calls / ours.result.wallSeconds : 0;
    const notes = [
      `ceiling ${round(ceiling, 1)} requests/s per endpoint (${threadLimit} threads / ${latencyMs} ms)`,
      ...shares.map(
        (s) => `${s.name}: ${round(s.rate, 1)} writes/s = ${round(s.share * 100, 1)} % of the ceiling`,
      ),
      `all requests together: ${round(totalRate, 1)}/s over the whole run (${round((totalRate / ceiling) * 100, 1)} % of one endpoint's ceiling)`,
      ...(naive
        ? [
            `baseline: ${round(naive.result.records / naive.result.wallSeconds, 1)} records/s, ${round(naive.result.wallSeconds, 1)} s`,
          ]
        : []),
    ];
    return resultOf(
      `throughput at ${latencyMs} ms/call`,
      ours,
      naive,
      {
        figure: shares.length
          ? `worst endpoint ${round(worst * 100, 1)} % of ceiling`
          : 'no endpoint with enough writes',
        target: `≥ ${THROUGHPUT_MIN_SHARE * 100} % of ${round(ceiling, 1)}/s per endpoint`,
        pass: shares.length > 0 && worst >= THROUGHPUT_MIN_SHARE,
      },
      notes,
    );
  } finally {
    await world.close();
  }
}
