/**
 * What keeping an incremental export mirror free of deleted records costs: an N-contact tenant in the
 * in-process emulator is exported to a SQLite table, 1 % of the contacts are deleted, then the mirror
 * is cleaned three ways — an id-only scan (`--prune`, delete and flag), and a full re-export — and the
 * Autotask calls, the time and the rows removed are printed for each.
 *
 * Run: `node --import tsx bench/export-deletions.ts [records=20000]` (a PostgreSQL table too when
 * TEST_POSTGRES_URL is set).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import pg from 'pg';

import { createAutotaskClient } from '../src/autotask/index.js';
import type { DestinationSpec, ExportSpec } from '../src/config/types.js';
import { createEmulator } from '../src/emulator/index.js';
import { openStateStore } from '../src/state/index.js';
import { exportDeletionsSchema, runExport, type ExportResult } from '../src/sync/export/index.js';
import { inProcessClientOptions } from './lib/in-process-client.js';

const records = Number(process.argv[2] ?? 20_000);
const pgUrl = process.env['TEST_POSTGRES_URL'];

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-export-deletions-'));
  const admin = pgUrl === undefined ? undefined : new pg.Client({ connectionString: pgUrl });
  const schema = `bench_export_${process.pid}`;
  await admin?.connect();
  await admin?.query(`CREATE SCHEMA "${schema}"`);
  try {
    const destinations: [string, (name: string) => DestinationSpec][] = [
      ['sqlite', (name) => ({ type: 'sqlite', path: join(dir, 'mirror.sqlite'), table: name })],
    ];
    if (pgUrl !== undefined)
      destinations.push([
        'postgres',
        (name) => ({ type: 'postgres', url: pgUrl, table: `${schema}.${name}` }),
      ]);
    console.log(`${records} records asked of the emulator; 1 % of the contacts deleted before cleaning`);
    console.log('destination  cleaning              contacts  calls  removed/flagged  ms');
    for (const [label, destination] of destinations) {
      for (const how of ['scan delete', 'scan flag', 'full re-export'] as const) {
        const emulator = createEmulator({ seed: 'demo', records });
        const store = openStateStore({ path: join(dir, `${label}-${how.replace(/ /g, '-')}.sqlite`) });
        const client = () =>
          createAutotaskClient({
            ...inProcessClientOptions(emulator),
            budget: { reconcileIntervalMs: false },
            metadata: { cache: store.metadataCache },
          });
        const name = `contacts_${how.replace(/[ -]/g, '_')}`;
        const spec: ExportSpec = {
          name,
          object: 'Contact',
          incremental: true,
          destination: destination(name),
          deletions: exportDeletionsSchema.parse({
            every: 0,
            action: how === 'scan flag' ? 'flag' : 'delete',
          }),
        };
        const first = await runExport(spec, { client: client(), store });
        const table = emulator.tenant.tables.Contacts;
        const ids = [...table.scan()].map((r) => r.id);
        for (const id of ids.filter((_, i) => i % 100 === 0)) table.delete(id);
        const started = performance.now();
        const result: ExportResult = await runExport(spec, {
          client: client(),
          store,
          ...(how === 'full re-export' ? { full: true } : { prune: true }),
        });
        const ms = performance.now() - started;
        const cleaned =
          how === 'full re-export'
            ? first.written - result.written
            : (result.deletions?.removed ?? 0) + (result.deletions?.flagged ?? 0);
        console.log(
          [
            label.padEnd(11),
            how.padEnd(20),
            String(first.written).padStart(8),
            String(result.apiCalls).padStart(5),
            String(cleaned).padStart(15),
            ms.toFixed(0).padStart(6),
          ].join('  '),
        );
        store.close();
        await emulator.close();
      }
    }
  } finally {
    await admin?.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await admin?.end();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
