/**
 * Planning overhead of the sync engine (issue 7 target: ≤ 50 µs of CPU per record at 100,000
 * records). Plans N companies + N contacts (same-run company references) from CSV against an empty
 * in-process emulator, then, after a real run of a smaller set, plans again with every record
 * unchanged (links and key index lookups). Prints CPU µs per record, wall time, calls and peak RSS.
 *
 * Run: `node --import tsx bench/engine-plan.ts [records=100000] [unchangedRecords=20000]`
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
import { openStateStore } from '../src/state/sqlite-state-store.js';
import { planSyncs, runSyncs, type EngineDeps } from '../src/sync/engine/index.js';
import { inProcessClientOptions } from './lib/in-process-client.js';

const records = Number(process.argv[2] ?? 100_000);
const unchangedRecords = Number(process.argv[3] ?? 20_000);

const CONFIG = `
version: 1
syncs:
  - name: companies
    object: Company
    source: { type: csv, path: companies.csv }
    fields:
      companyName: Name
      phone: Phone
      companyType: { column: Type, default: Prospect }
      ownerResourceID: { value: 29682885 }
      city: { column: City, transform: [trim] }
  - name: contacts
    object: Contact
    source: { type: csv, path: contacts.csv }
    fields:
      companyID: { column: Company, ref: Company }
      firstName: First
      lastName: Last
      emailAddress: { column: Email, transform: [trim, lower] }
`;

interface Setup {
  deps: EngineDeps;
  config: ReturnType<typeof parseConfig>['config'];
  emulatorCalls: () => number;
  close: () => Promise<void>;
}

function setup(n: number): Setup {
  const dir = mkdtempSync(join(tmpdir(), 'engine-bench-'));
  const companies = Math.ceil(n / 2);
  const lines = ['Name,Phone,Type,City'];
  for (let i = 0; i < companies; i++)
    lines.push(
      `Company ${i},+1 555 ${String(i).padStart(7, '0')},${i % 3 ? 'Customer' : ''}, Town ${i % 97}`,
    );
  writeFileSync(join(dir, 'companies.csv'), `${lines.join('\n')}\n`);
  const contacts = ['Company,First,Last,Email'];
  for (let i = 0; i < n - companies; i++)
    contacts.push(`Company ${i % companies},First${i},Last${i},Person${i}@Example.com`);
  writeFileSync(join(dir, 'contacts.csv'), `${contacts.join('\n')}\n`);
  const emulator = createEmulator({ seed: 'empty', hourlyLimit: 1_000_000 });
  const state = openStateStore({ path: join(dir, 'state.sqlite') });
  const client = createAutotaskClient({
    ...inProcessClientOptions(emulator),
    budget: { reconcileIntervalMs: false, hourlyLimit: 1_000_000 },
    metadata: { cache: state.metadataCache },
  });
  const config = parseConfig(CONFIG, { file: join(dir, 'sync.yaml'), env: {} }).config;
  return {
    deps: {
      client,
      state,
      openSource: (s) => createSource(s.source),
      clock: systemClock,
      logger: silentLogger,
    },
    config,
    emulatorCalls: () => emulator.stats().total,
    close: async () => {
      state.close();
      await emulator.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function measure(label: string, n: number, fn: () => Promise<{ apiCalls: number }>): Promise<void> {
  const cpu = process.cpuUsage();
  const start = process.hrtime.bigint();
  const { apiCalls } = await fn();
  const wallMs = Number(process.hrtime.bigint() - start) / 1e6;
  const used = process.cpuUsage(cpu);
  const cpuUs = used.user + used.system;
  const rss = process.memoryUsage().rss / 1024 / 1024;
  console.log(
    `${label.padEnd(34)} ${String(n).padStart(7)} records  ${(cpuUs / n).toFixed(1).padStart(6)} µs CPU/record (target ≤ 50)  ` +
      `${(wallMs / 1000).toFixed(1).padStart(6)} s wall  ${String(apiCalls).padStart(6)} calls  ${rss.toFixed(0)} MB RSS`,
  );
}

// 1. Plan of a first load: everything is a create.
{
  const s = setup(records);
  await measure('plan, initial load (all creates)', records, () => planSyncs(s.deps, s.config));
  await s.close();
}

// 2. Plan after a run: everything is unchanged (links + key index).
if (unchangedRecords > 0) {
  const s = setup(unchangedRecords);
  const run = await runSyncs(s.deps, s.config);
  console.log(`(setup: run created ${run.counts.created} records with ${run.apiCalls} calls)`);
  await measure('plan, nothing changed', unchangedRecords, () => planSyncs(s.deps, s.config));
  await measure('run, nothing changed', unchangedRecords, () => runSyncs(s.deps, s.config));
  await s.close();
}
