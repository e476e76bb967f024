/**
 * In-process benchmark of the emulator's query engine and store (helper B's part of issue 2):
 * queries per second for a few query shapes at 10,000 generated companies (≈20,000 contacts), and the
 * memory of a tenant with at least 100,000 records per entity (target: under 300 MB RSS).
 *
 *   node --import tsx bench/emulator-query-engine.ts [--records 10000] [--big 100000] [--ms 1000]
 *
 * The memory figure is taken in a child process (this file with `--memory N`) so that the throughput
 * phase's garbage does not count.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

import type { EntityName } from '../src/autotask/types.js';
import type { QueryRequest } from '../src/emulator/contracts.js';
import { createEntitySchemas } from '../src/emulator/metadata/index.js';
import { countQuery, executeQuery } from '../src/emulator/query/index.js';
import { companyRecord, opportunityRecord } from '../src/emulator/seed/record-builders.js';
import { seedTenant } from '../src/emulator/seed/index.js';
import { storedRecord } from '../src/emulator/seed/stored-record.js';
import type { InMemoryTenant } from '../src/emulator/store/index.js';

const { values: args } = parseArgs({
  options: {
    records: { type: 'string', default: '10000' },
    big: { type: 'string', default: '100000' },
    ms: { type: 'string', default: '1000' },
    memory: { type: 'string' },
  },
});

/**
 * Tops Companies, Opportunities and Resources up to `n` records (the generator makes about two contacts
 * per company, so it is asked for n/2 companies) so that every entity holds about `n`.
 */
function fillEveryEntity(tenant: InMemoryTenant, n: number): void {
  const base = Date.UTC(2025, 0, 1);
  while (tenant.tables.Companies.size() < n) {
    const i = tenant.tables.Companies.size();
    tenant.tables.Companies.insert(
      companyRecord(tenant.nextId('Companies'), {
        name: `Load Test Company ${String(i)}`,
        type: 1 + (i % 3),
        ownerResourceID: 29682886,
        phone: `+1 555 ${String(1000000 + i)}`,
        address1: `${String(i)} Main St`,
        city: 'Springfield',
        state: 'IL',
        postalCode: '62701',
        createdAt: base + i * 60_000,
        lastActivityAt: base + i * 61_000,
      }),
    );
  }
  while (tenant.tables.Opportunities.size() < n) {
    const i = tenant.tables.Opportunities.size();
    tenant.tables.Opportunities.insert(
      opportunityRecord(tenant.nextId('Opportunities'), {
        title: `Load-test opportunity ${String(i)}`,
        companyID: 29683000 + (i % n),
        ownerResourceID: 29682886,
        status: 1,
        stage: 12,
        probability: 50,
        amount: 1000 + (i % 97) * 100,
        cost: 500,
        startAt: base + i * 60_000,
        closeAt: base + i * 60_000 + 30 * 86_400_000,
        createdAt: base + i * 60_000,
        lastActivityAt: base + i * 61_000,
      }),
    );
  }
  for (let i = tenant.tables.Resources.size(); i < n; i++) {
    const login = `user${String(i)}`;
    tenant.tables.Resources.insert(
      storedRecord(tenant.nextId('Resources'), {
        firstName: 'Load',
        lastName: `User ${String(i)}`,
        email: `${login}@emulator-msp.example`,
        emailTypeCode: 'PRIMARY',
        userName: login,
        isActive: i % 10 !== 0,
        licenseType: 1,
        userType: 10,
        resourceType: 'Employee',
        payrollType: 1,
        locationID: 29682700,
        hireDate: '2024-01-01T00:00:00Z',
        numberFormat: 'X,XXX.XX',
      }),
    );
  }
}

interface MemoryReport {
  rss: number;
  heapUsed: number;
  heapTotal: number;
  external: number;
  seedMs: number;
  counts: Record<string, number>;
}

function memoryChild(n: number): void {
  const started = performance.now();
  const tenant = seedTenant({ seed: n === 0 ? 'empty' : 'demo', records: Math.floor(n / 2), randomSeed: 1 });
  fillEveryEntity(tenant, n);
  const seedMs = performance.now() - started;
  (globalThis as { gc?: () => void }).gc?.();
  const m = process.memoryUsage();
  const counts = Object.fromEntries(
    (['Companies', 'Contacts', 'Opportunities', 'Resources'] as const).map((e) => [
      e,
      tenant.tables[e].size(),
    ]),
  );
  process.stdout.write(
    `${JSON.stringify({ rss: m.rss, heapUsed: m.heapUsed, heapTotal: m.heapTotal, external: m.external, seedMs, counts })}\n`,
  );
}

function measure(name: string, ms: number, run: (i: number) => unknown): void {
  for (let i = 0; i < 200; i++) run(i); // warm-up
  let n = 0;
  const start = performance.now();
  let now = start;
  while (now - start < ms) {
    for (let k = 0; k < 50; k++) run(n++);
    now = performance.now();
  }
  const perQueryUs = ((now - start) * 1000) / n;
  const qps = (n * 1000) / (now - start);
  console.log(
    `${name.padEnd(58)} ${qps.toFixed(0).padStart(9)} q/s  ${perQueryUs.toFixed(1).padStart(9)} µs/query`,
  );
}

function throughput(records: number, ms: number): void {
  const started = performance.now();
  const tenant = seedTenant({ seed: 'demo', records, randomSeed: 1 });
  const seedMs = performance.now() - started;
  const schemas = createEntitySchemas(tenant.udfDefinitions);
  const req = (entity: EntityName, body: unknown): QueryRequest => ({
    schema: schemas[entity],
    udfs: tenant.udfDefinitions[entity],
    table: tenant.tables[entity],
    body,
  });
  const companies = [...tenant.tables.Companies.scan()];
  const contacts = [...tenant.tables.Contacts.scan()];
  const companyIds = companies.map((r) => r.id);
  const names = companies.map((r) => String(r.values['companyName']));
  const emails = contacts.map((r) => String(r.values['emailAddress']));
  const at = <T>(list: T[], i: number): T => list[(i * 7919) % list.length] as T;

  console.log(
    `query engine, in-process: ${String(tenant.tables.Companies.size())} companies, ${String(tenant.tables.Contacts.size())} contacts, ` +
      `${String(tenant.tables.Opportunities.size())} opportunities (seeded in ${seedMs.toFixed(0)} ms)`,
  );
  measure('Companies eq id', ms, (i) =>
    executeQuery(req('Companies', { filter: [{ op: 'eq', field: 'id', value: at(companyIds, i) }] })),
  );
  measure('Companies eq companyName (index, case/space-insensitive)', ms, (i) =>
    executeQuery(
      req('Companies', {
        filter: [{ op: 'eq', field: 'companyName', value: `${at(names, i).toUpperCase()} ` }],
      }),
    ),
  );
  measure('Contacts eq emailAddress (index)', ms, (i) =>
    executeQuery(req('Contacts', { filter: [{ op: 'eq', field: 'emailAddress', value: at(emails, i) }] })),
  );
  measure('Contacts eq emailAddress + IncludeFields', ms, (i) =>
    executeQuery(
      req('Contacts', {
        filter: [{ op: 'eq', field: 'emailAddress', value: at(emails, i) }],
        IncludeFields: ['id', 'emailAddress', 'companyID', 'lastModifiedDate'],
      }),
    ),
  );
  measure('Contacts eq companyID (index, several matches)', ms, (i) =>
    executeQuery(req('Contacts', { filter: [{ op: 'eq', field: 'companyID', value: at(companyIds, i) }] })),
  );
  const batch = (i: number): string[] => Array.from({ length: 500 }, (_, k) => at(emails, i * 500 + k));
  measure('Contacts in 500 emails (index)', Math.max(ms / 2, 200), (i) =>
    executeQuery(req('Contacts', { filter: [{ op: 'in', field: 'emailAddress', value: batch(i) }] })),
  );
  measure('Companies beginsWith companyName, MaxRecords 50 (scan)', ms, (i) =>
    executeQuery(
      req('Companies', {
        filter: [{ op: 'beginsWith', field: 'companyName', value: at(names, i).slice(0, 4) }],
        MaxRecords: 50,
      }),
    ),
  );
  measure('Contacts lastModifiedDate gte (change detection, full scan)', Math.max(ms / 2, 200), () =>
    executeQuery(
      req('Contacts', { filter: [{ op: 'gte', field: 'lastModifiedDate', value: '2025-12-31T00:00:00Z' }] }),
    ),
  );
  measure('Companies count, UDF exist (full scan)', Math.max(ms / 2, 200), () =>
    countQuery(req('Companies', { filter: [{ op: 'exist', field: 'CRM ID', udf: true }] })),
  );
  measure('Companies page of 500 (gte id, keyset)', Math.max(ms / 2, 200), (i) =>
    executeQuery({
      ...req('Companies', { filter: [{ op: 'gte', field: 'id', value: 0 }] }),
      afterId: at(companyIds, i) - 1000,
    }),
  );
}

if (args.memory !== undefined) {
  memoryChild(Number(args.memory));
} else {
  throughput(Number(args.records), Number(args.ms));
  const big = Number(args.big);
  const runChild = (n: number): MemoryReport => {
    const child = spawnSync(
      process.execPath,
      ['--expose-gc', '--import', 'tsx', fileURLToPath(import.meta.url), '--memory', String(n)],
      { encoding: 'utf8', maxBuffer: 1 << 20 },
    );
    if (child.status !== 0) {
      console.error(child.stderr);
      process.exit(1);
    }
    return JSON.parse(child.stdout.trim().split('\n').pop() ?? '{}') as MemoryReport;
  };
  const baseline = runChild(0);
  const report = runChild(big);
  const mb = (bytes: number): string => (bytes / 2 ** 20).toFixed(0);
  const total = Object.values(report.counts).reduce((a, b) => a + b, 0);
  console.log(
    `memory: ${Object.entries(report.counts)
      .map(([e, c]) => `${String(c)} ${e}`)
      .join(', ')} (${String(total)} records, built in ${(report.seedMs / 1000).toFixed(1)} s)\n` +
      `  RSS ${mb(report.rss)} MB, of which ${mb(baseline.rss)} MB is the process with an empty tenant ` +
      `(node + tsx loader; ~35 MB less when run from compiled JS); heap used ${mb(report.heapUsed)} MB ` +
      `(${((report.heapUsed - baseline.heapUsed) / total).toFixed(0)} bytes per record). Target: whole emulator < 300 MB RSS.`,
  );
}
