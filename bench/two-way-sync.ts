/**
 * Two-way sync benchmark (issue 6): a SQLite companies table of N rows kept in step with the emulator
 * (in process, loopback-free fetch). Prints, per pass, the Autotask calls by operation, the rows
 * written and the wall time:
 *
 * 1. first pass: N rows → N companies (N creates + the change-detection and paging queries);
 * 2. an idle pass (target: 1 call, 0 writes);
 * 3. 10 % of the rows edited in the table (target: one PATCH each, nothing else but the query);
 * 4. 10 % of the companies edited in Autotask (target: 0 Autotask writes, rows updated in one transaction);
 * 5. ten idle passes after that (target: 0 writes in total: no echo).
 *
 *   node --import tsx bench/two-way-sync.ts [--rows 2000]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

import Database from 'better-sqlite3';

import { createAutotaskClient } from '../src/autotask/index.js';
import { parseConfig } from '../src/config/load-config.js';
import { createEmulator } from '../src/emulator/index.js';
import { systemClock } from '../src/shared/clock.js';
import { silentLogger } from '../src/shared/logger.js';
import { openStateStore } from '../src/state/sqlite-state-store.js';
import { runTwoWaySyncs } from '../src/sync/two-way/index.js';
import { inProcessClientOptions } from './lib/in-process-client.js';

const { values: args } = parseArgs({ options: { rows: { type: 'string', default: '2000' } } });
const rows = Number(args.rows);
const OWNER_ID = 29682885;

const dir = mkdtempSync(join(tmpdir(), 'bench-two-way-'));
const emulator = createEmulator({ seed: 'empty' });
const state = openStateStore({ path: join(dir, 'state.sqlite') });
const client = createAutotaskClient({
  ...inProcessClientOptions(emulator),
  budget: { reconcileIntervalMs: false },
  metadata: { cache: state.metadataCache },
});
const db = new Database(join(dir, 'crm.sqlite'));
db.exec('CREATE TABLE companies (id INTEGER PRIMARY KEY, name TEXT, phone TEXT, city TEXT, updated_at TEXT)');
const insert = db.prepare('INSERT INTO companies (name, phone, city, updated_at) VALUES (?, ?, ?, ?)');
const start = new Date(Date.now() - 3_600_000).toISOString();
db.transaction(() => {
  for (let i = 0; i < rows; i += 1)
    insert.run(`Bench Company ${i}`, `+1 555 ${String(i).padStart(5, '0')}`, 'Leeds', start);
})();

const { config } = parseConfig(
  `version: 1
twoWay:
  - name: bench
    object: Company
    table: { type: sqlite, path: crm.sqlite, table: companies, key: id, updatedAt: updated_at }
    systems: [sql, autotask]
    autotaskDefaults: { companyType: 1, ownerResourceID: ${OWNER_ID} }
    fields:
      companyName: name
      phone: phone
      city: { column: city, systems: [autotask, sql] }
`,
  { file: join(dir, 'sync.yaml'), env: {} },
);
const deps = { client, state, clock: systemClock, logger: silentLogger };

interface Figure {
  pass: string;
  calls: number;
  byOperation: string;
  autotaskWrites: number;
  rowsWritten: number;
  ms: number;
}
const figures: Figure[] = [];
async function pass(label: string): Promise<void> {
  emulator.resetCounters();
  const t0 = performance.now();
  const summary = await runTwoWaySyncs(deps, config.twoWay);
  const ms = Math.round(performance.now() - t0);
  const r = summary.results[0]!;
  const stats = emulator.stats();
  figures.push({
    pass: label,
    calls: stats.total,
    byOperation: Object.entries(stats.byOperation)
      .map(([k, v]) => `${k} ${v}`)
      .join(', '),
    autotaskWrites: r.autotask.created + r.autotask.updated,
    rowsWritten: r.sql.created + r.sql.updated,
    ms,
  });
}

await pass(`first pass (${rows} rows)`);
await pass('idle pass');
const tenth = Math.max(1, Math.floor(rows / 10));
db.prepare(`UPDATE companies SET phone = phone || '9', updated_at = ? WHERE id <= ?`).run(
  new Date().toISOString(),
  tenth,
);
await pass(`${tenth} rows edited in the table`);
const ids: number[] = [];
for await (const c of client.companies.query({
  filter: [{ op: 'gt', field: 'id', value: 0 }],
  includeFields: ['id'],
}))
  if (ids.length < tenth) ids.push(c.id);
for (const id of ids) await client.companies.update({ id, city: 'York' });
await pass(`${tenth} companies edited in Autotask`);
let idleCalls = 0;
let idleWrites = 0;
for (let i = 0; i < 10; i += 1) {
  await pass('idle');
  const last = figures.pop()!;
  idleCalls += last.calls;
  idleWrites += last.autotaskWrites + last.rowsWritten;
}
figures.push({
  pass: '10 idle passes (total)',
  calls: idleCalls,
  byOperation: '',
  autotaskWrites: idleWrites,
  rowsWritten: 0,
  ms: 0,
});

console.table(figures);
db.close();
state.close();
await emulator.close();
rmSync(dir, { recursive: true, force: true });
