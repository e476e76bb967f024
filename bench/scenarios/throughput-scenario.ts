/**
 * Scenario 5: throughput at a realistic per-call latency. The emulator adds a fixed delay to every
 * request and allows 3 in flight per endpoint, so no client can write faster than
 * `threads / latency` requests per second to one endpoint (20/s at 150 ms): the ceiling.
 *
 * - Per endpoint: each sync runs alone (companies, then contacts, then opportunities, on one fresh
 *   tenant), and its write rate is compared with the ceiling. Alone, because the syncs of one run
 *   overlap and depend on each other (a contact waits for its company), and because contacts are
 *   written through `/Companies/{id}/Contacts`, which the client counts against both the Companies
 *   and the Contacts lanes (Autotask does not document that route's bucket).
 * - In total: the whole configuration in one run on another fresh tenant, where the endpoints
 *   overlap; its wall time, records/s and request rate are the scenario's row. The naive baseline
 *   loads the same data on a third tenant.
 */
import { totalRecords, type BenchSizes } from '../lib/bench-data.js';
import type { EndpointTimeline } from '../lib/call-timeline.js';
import { round, type BenchContext, type ScenarioResult } from '../lib/scenario-types.js';
import { resultOf } from './sync-scenarios.js';
import { openSyncWorld, type Measured } from './sync-world.js';

/** Share of the per-endpoint ceiling each endpoint's write rate must reach. */
export const THROUGHPUT_MIN_SHARE = 0.9;

const SYNC_ENDPOINTS = [
  { sync: 'companies', endpoint: 'Companies' },
  { sync: 'contacts', endpoint: 'Contacts' },
  { sync: 'opportunities', endpoint: 'Opportunities' },
] as const;

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

interface EndpointFigure {
  endpoint: string;
  writes: number;
  rate: number;
  share: number;
  /** Mean writes in flight over the write span. */
  inFlight: number;
  /** Mean duration of a write as the client saw it, ms. */
  meanMs: number;
}

function endpointFigure(endpoint: string, t: EndpointTimeline | undefined, ceiling: number): EndpointFigure {
  const rate = t ? writeRate(t) : 0;
  return {
    endpoint,
    writes: t?.writes ?? 0,
    rate,
    share: rate / ceiling,
    inFlight: t && t.writeSpanMs > 0 ? t.writeBusyMs / t.writeSpanMs : 0,
    meanMs: t && t.writes > 0 ? t.writeBusyMs / t.writes : 0,
  };
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
  const emulatorSettings = { latencyMs, threadLimit };

  // Per endpoint: one sync at a time.
  const alone = await openSyncWorld(ctx, 'throughput-alone', sizes, emulatorSettings);
  const figures: EndpointFigure[] = [];
  try {
    for (const { sync, endpoint } of SYNC_ENDPOINTS) {
      ctx.log(`throughput: ${sync} alone at ${latencyMs} ms per call`);
      const m = await alone.engineTask('run', { timeline: true, only: [sync] });
      figures.push(endpointFigure(endpoint, m.result.timeline?.[endpoint], ceiling));
    }
  } finally {
    await alone.close();
  }

  // In total: the whole configuration at once, and the naive baseline.
  const world = await openSyncWorld(ctx, 'throughput', sizes, emulatorSettings);
  let ours: Measured;
  let naive: Measured | undefined;
  try {
    ctx.log(`throughput: whole run of ${totalRecords(sizes)} records at ${latencyMs} ms per call`);
    ours = await world.engineTask('run', { timeline: true });
    naive = options.baseline === false ? undefined : await world.naiveTask('naive-load');
  } finally {
    await world.close();
  }

  const measured = figures.filter((f) => f.writes >= threadLimit * 5);
  const worst = measured.reduce((m, f) => Math.min(m, f.share), Infinity);
  const totalRate = ours.result.wallSeconds > 0 ? ours.calls / ours.result.wallSeconds : 0;
  const overlapped = Object.entries(ours.result.timeline ?? {})
    .filter(([, t]) => t.writes > 0)
    .map(([name, t]) => `${name} ${round(writeRate(t), 1)}/s`);
  const notes = [
    `ceiling ${round(ceiling, 1)} requests/s per endpoint (${threadLimit} threads / ${latencyMs} ms)`,
    ...figures.map(
      (f) =>
        `${f.endpoint} alone: ${f.writes} writes at ${round(f.rate, 1)}/s = ${round(f.share * 100, 1)} % of the ceiling ` +
        `(${round(f.inFlight, 2)} in flight on average, ${round(f.meanMs, 0)} ms per write as the client saw it)`,
    ),
    `whole run: ${round(totalRate, 1)} requests/s over the run = ${round((totalRate / ceiling) * 100, 1)} % of one endpoint's ceiling; ` +
      `write rates while overlapping: ${overlapped.join(', ')}`,
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
      figure: measured.length
        ? `worst endpoint ${round(worst * 100, 1)} % of ceiling`
        : 'no endpoint with enough writes',
      target: `≥ ${THROUGHPUT_MIN_SHARE * 100} % of ${round(ceiling, 1)}/s per endpoint`,
      pass: measured.length > 0 && worst >= THROUGHPUT_MIN_SHARE,
    },
    notes,
  );
}
