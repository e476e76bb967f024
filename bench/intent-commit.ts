/**
 * Creates per second when every create is announced by a durable write intent: the engine loads N
 * new companies into the in-process emulator (zero latency, no usage latency), with the state store
 * on a real file (`durability: 'intents'`), and prints the creates per second, the API calls per
 * record and the durable intent commits (each one fsync of the WAL).
 *
 * Run: `node --import tsx bench/intent-commit.ts [records=2000] [rounds=3]`. One line per round, then
 * the median. To see the fsyncs themselves:
 * `strace -f -c -e trace=fsync,fdatasync node --import tsx bench/intent-commit.ts 2000 1`.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { createAutotaskClient } from '../src/autotask/index.js';
import { parseConfig } from '../src/config/load-config.js';
import { createSource } from '../src/connectors/sources/create-source.js';
import { createEmulator } from '../src/emulator/index.js';
import { systemClock } from '../src/shared/clock.js';
import { silentLogger } from '../src/shared/logger.js';
import { openStateStore, type StateStore } from '../src/state/index.js';
import { runSyncs } from '../src/sync/engine/index.js';
import { inProcessClientOptions } from './lib/in-process-client.js';
import { companiesSyncYaml, PROSPECTS_ONE_PHONE } from './lib/companies-sync-yaml.js';

const records = Number(process.argv[2] ?? 2_000);
const rounds = Number(process.argv[3] ?? 3);

/** State store methods that commit a write intent durably (one fsync each call). */
const DURABLE_INTENT_METHODS = new Set(['recordIntent', 'recordIntents']);

/** The store, counting the calls that fsync an intent commit. */
function countingStore(store: StateStore): {
  store: StateStore;
  commits: () => number;
  intents: () => number;
} {
  let commits = 0;
  let intents = 0;
  const proxy = new Proxy(store, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof value !== 'function') return value;
      const fn = value as (...args: unknown[]) => unknown;
      if (typeof property === 'string' && DURABLE_INTENT_METHODS.has(property))
        return (...args: unknown[]) => {
          commits++;
          intents += Array.isArray(args[0]) ? args[0].length : 1;
          return fn.apply(target, args);
        };
      return fn.bind(target);
    },
  });
  return { store: proxy, commits: () => commits, intents: () => intents };
}

interface Round {
  created: number;
  ms: number;
  /** CPU time of this process (user + system), ms: steadier than wall time on a busy machine. */
  cpuMs: number;
  calls: number;
  commits: number;
  intents: number;
}

async function round(n: number): Promise<Round> {
  const dir = mkdtempSync(join(tmpdir(), 'intent-commit-bench-'));
  const emulator = createEmulator({ seed: 'empty', hourlyLimit: 100_000_000 });
  const counted = countingStore(openStateStore({ path: join(dir, 'state.sqlite'), durability: 'intents' }));
  try {
    const rows = Array.from({ length: records }, (_, i) => `Bench Firm ${n}-${i}`);
    writeFileSync(join(dir, 'companies.csv'), ['Name', ...rows].join('\n') + '\n');
    const yaml = `
version: 1
syncs:
${companiesSyncYaml(PROSPECTS_ONE_PHONE)}
`;
    const { config } = parseConfig(yaml, { file: join(dir, 'sync.yaml'), env: {} });
    const client = createAutotaskClient({
      metadata: { cache: counted.store.metadataCache },
      ...inProcessClientOptions(emulator),
      budget: { reconcileIntervalMs: false },
    });
    const cpu = process.cpuUsage();
    const started = process.hrtime.bigint();
    const summary = await runSyncs(
      {
        client,
        state: counted.store,
        openSource: (sync) => createSource(sync.source),
        clock: systemClock,
        logger: silentLogger,
      },
      config,
      {},
    );
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    const used = process.cpuUsage(cpu);
    const cpuMs = (used.user + used.system) / 1000;
    if (summary.counts.created !== records)
      throw new Error(`expected ${records} creates, got ${JSON.stringify(summary.counts)}`);
    return {
      created: summary.counts.created,
      ms,
      cpuMs,
      calls: summary.apiCalls,
      commits: counted.commits(),
      intents: counted.intents(),
    };
  } finally {
    counted.store.close();
    await emulator.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

const results: Round[] = [];
for (let i = 0; i < rounds; i++) {
  const r = await round(i);
  results.push(r);
  console.log(
    `round ${i + 1}: ${r.created} creates in ${r.ms.toFixed(0)} ms = ${Math.round((r.created / r.ms) * 1000)} creates/s; ` +
      `${((r.cpuMs / r.created) * 1000).toFixed(0)} us CPU per create; ` +
      `${r.commits} durable intent commits (fsyncs) for ${r.intents} intents; ` +
      `${(r.calls / r.created).toFixed(3)} calls per record`,
  );
}
const sorted = [...results].sort((a, b) => a.created / a.ms - b.created / b.ms);
const median = sorted[Math.floor(sorted.length / 2)];
if (median !== undefined)
  console.log(
    `median: ${Math.round((median.created / median.ms) * 1000)} creates/s, ${median.commits} fsyncs per ${median.created} creates`,
  );
