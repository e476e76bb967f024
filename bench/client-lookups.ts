/**
 * Autotask client benchmark (issue 3, "Done when"):
 *
 * 1. Lookups: resolve 10,000 keys (company names: 9,000 that exist, 1,000 that do not) against the
 *    emulator over HTTP with 10,000 companies, and print the calls used — lookup calls (target ≤ 20)
 *    and metadata calls with a cold cache (target ≤ 3), then again with the cache warm.
 * 2. Budget under load: 24 concurrent workers spread over three entities, while another integration
 *    keeps calling the same tenant, against an emulator with a small hourly limit. Time runs 500×
 *    faster (one virtual hour = 7.2 s) on a clock shared by client and emulator. Prints the highest
 *    tenant usage seen in any rolling hour against the configured share, and the emulator's 429 count.
 *    The limit is small so that the load outruns the share even on a slow machine.
 *
 *   node --import tsx bench/client-lookups.ts [--keys 10000] [--load-calls 1000] [--hourly-limit 600] [--share 0.5]
 */
import { parseArgs } from 'node:util';

import {
  createAutotaskClient,
  type AutotaskClient,
  type BudgetWaitInfo,
  type MetadataCacheStore,
} from '../src/autotask/index.js';
import { createEmulator, emulatorHeaders, type Emulator } from '../src/emulator/index.js';
import type { Clock } from '../src/shared/clock.js';

const { values: args } = parseArgs({
  options: {
    keys: { type: 'string', default: '10000' },
    'load-calls': { type: 'string', default: '1000' },
    'hourly-limit': { type: 'string', default: '600' },
    share: { type: 'string', default: '0.5' },
  },
});
const KEYS = Number(args.keys);
const LOAD_CALLS = Number(args['load-calls']);
const HOURLY_LIMIT = Number(args['hourly-limit']);
const SHARE = Number(args.share);

function memoryCache(): MetadataCacheStore {
  const map = new Map<string, { value: unknown; storedAt: number }>();
  return { read: (k) => map.get(k), write: (k, value, storedAt) => void map.set(k, { value, storedAt }) };
}

function clientFor(
  emu: Emulator,
  url: string,
  extra: Partial<Parameters<typeof createAutotaskClient>[0]> = {},
) {
  return createAutotaskClient({
    username: emu.credentials.userName,
    secret: emu.credentials.secret,
    integrationCode: emu.credentials.integrationCode,
    discoveryUrl: url,
    ...extra,
  });
}

const sum = (o: Record<string, number | undefined>): number =>
  Object.values(o).reduce<number>((n, v) => n + (v ?? 0), 0);

async function lookups(): Promise<void> {
  const emu = createEmulator({ seed: 'empty', records: KEYS, randomSeed: 1, hourlyLimit: 1_000_000 });
  const { url } = await emu.listen();
  // Keys straight from the tenant, so that choosing them spends no API call.
  const names: string[] = [];
  for (const r of emu.tenant.tables.Companies.scan()) names.push(String(r.values['companyName']));
  const existing = names.slice(0, Math.round(KEYS * 0.9));
  const keys = [
    ...existing,
    ...Array.from({ length: KEYS - existing.length }, (_, i) => `No Such Company ${i}`),
  ];
  console.log(
    `Lookups: ${keys.length} company-name keys (${existing.length} exist) against ${names.length} companies`,
  );

  const cache = memoryCache();
  for (const run of ['cold', 'warm'] as const) {
    const client: AutotaskClient = clientFor(emu, url, { metadata: { cache } });
    await client.baseUrl(); // zone discovery (free: not counted by Autotask)
    emu.resetCounters();
    const started = performance.now();
    await client.metadata.fields('Companies');
    await client.metadata.udfs('Companies');
    await client.metadata.info('Companies');
    const found = await client.findByValues('Companies', 'companyName', keys, {
      includeFields: ['companyName'],
    });
    const ms = performance.now() - started;
    const s = client.stats();
    const companies = s.calls['Companies'] ?? {};
    const matched = [...found.values()].filter((v) => v.length > 0).length;
    console.log(
      `  ${run} metadata cache: lookup calls ${companies.query ?? 0} (target ≤ 20), metadata calls ${companies.metadata ?? 0} (target ≤ 3), ` +
        `ThresholdInformation ${s.calls['ThresholdInformation']?.threshold ?? 0}, total client calls ${s.totalCalls}, ` +
        `emulator counted ${emu.stats().total}; ${matched} keys matched; ${ms.toFixed(0)} ms`,
    );
  }
  await emu.close();
}

/** Real time sped up `factor` times, shared by client and emulator. */
function fastClock(factor: number): Clock {
  const realStart = Date.now();
  const virtualStart = Date.UTC(2026, 0, 1);
  return {
    now: () => virtualStart + (Date.now() - realStart) * factor,
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms / factor))),
  };
}

async function budgetUnderLoad(): Promise<void> {
  const clock = fastClock(500);
  const emu = createEmulator({
    seed: 'empty',
    records: 200,
    clock,
    hourlyLimit: HOURLY_LIMIT,
    latency: { baseMs: 0, at50PercentMs: 0, at75PercentMs: 0 },
  });
  const { url } = await emu.listen();
  const allowed = Math.ceil(SHARE * HOURLY_LIMIT); // the budget stays below this
  const waits: BudgetWaitInfo[] = [];
  // The emulator's rolling-hour count (which includes the call itself) each time the client made a
  // data call: the budget decides those. ThresholdInformation readings are counted separately.
  let peakAtClientCall = 0;
  // The budget's own figure at those calls: the last reading's count plus the client's calls since.
  let peakKnownAtClientCall = 0;
  let readings = 0;
  const client = clientFor(emu, url, {
    clock,
    budget: { share: SHARE, onWait: (w) => waits.push(w) },
    onCall: (e) => {
      if (e.operation === 'threshold') readings += 1;
      else if (e.operation === 'get') {
        peakAtClientCall = Math.max(peakAtClientCall, emu.limits.usage().count);
        peakKnownAtClientCall = Math.max(peakKnownAtClientCall, e.budget.used);
      }
    },
  });
  const ids = {
    Companies: [...emu.tenant.tables.Companies.scan()].map((r) => r.id),
    Contacts: [...emu.tenant.tables.Contacts.scan()].map((r) => r.id),
    Opportunities: [...emu.tenant.tables.Opportunities.scan()].map((r) => r.id),
  };
  await client.baseUrl();
  emu.resetCounters();
  const start = clock.now();

  // Another integration on the same tenant: one call every virtual minute (~60 per hour).
  let stop = false;
  let otherCalls = 0;
  const base = `${url}V1.0/`;
  const other = (async () => {
    while (!stop) {
      const res = await fetch(`${base}Version`, { headers: emulatorHeaders(emu.credentials) });
      await res.arrayBuffer();
      otherCalls += 1;
      await clock.sleep(60_000);
    }
  })();

  // Sample the emulator's own rolling-hour count every virtual minute.
  let peak = 0;
  const sampler = setInterval(() => {
    peak = Math.max(peak, emu.limits.usage().count);
  }, 60);

  let next = 0;
  const entities = ['Companies', 'Contacts', 'Opportunities'] as const;
  const worker = async (): Promise<void> => {
    while (next < LOAD_CALLS) {
      const i = next;
      next += 1;
      const entity = entities[i % 3]!;
      const list = ids[entity];
      await client.entity(entity).get(list[i % list.length]!);
      peak = Math.max(peak, emu.limits.usage().count);
    }
  };
  await Promise.all(Array.from({ length: 24 }, worker));
  stop = true;
  await other;
  clearInterval(sampler);
  const hours = (clock.now() - start) / 3_600_000;
  const stats = emu.stats();
  const s = client.stats();
  console.log(
    `Budget under load: ${LOAD_CALLS} gets by 24 workers + another integration (${otherCalls} calls), hourly limit ${HOURLY_LIMIT}, share ${SHARE} (below ${allowed} per rolling hour)`,
  );
  console.log(
    `  took ${hours.toFixed(2)} virtual hours; client calls ${s.totalCalls} (${sum(s.calls['ThresholdInformation'] ?? {})} ThresholdInformation), ` +
      `budget waits ${s.budgetWaits} (${(s.budgetWaitedMs / 60_000).toFixed(1)} virtual min)`,
  );
  console.log(
    `  tenant usage (emulator's rolling-hour count) when the client made a call: at most ${peakAtClientCall} ` +
      `(the share allows ${allowed - 1}; other integrations' calls since the client's last reading, which it cannot see, add a few); ` +
      `last reading + the client's calls since: at most ${peakKnownAtClientCall}; ${readings} ThresholdInformation readings`,
  );
  console.log(
    `  highest tenant usage at any time: ${peak} of ${HOURLY_LIMIT} (${((100 * peak) / HOURLY_LIMIT).toFixed(1)} %; ` +
      `includes the other integration's calls while this client waited); ` +
      `429s from the emulator: ${stats.byStatus['429'] ?? 0} (hourly ${stats.limits.rejectedHourly}, thread ${stats.limits.rejectedThread}); ` +
      `peak in flight per entity: ${stats.limits.peakInFlightPerBucket}`,
  );
  if (waits[0]) {
    console.log(
      `  first wait: ${waits[0].waitMs / 1000} virtual s with usage ${waits[0].used}/${waits[0].allowed} allowed`,
    );
  }
  await emu.close();
}

await lookups();
await budgetUnderLoad();
