/**
 * State store throughput: bulk links, ledger rows and key-index records, then bulk lookups.
 * Run: `node --import tsx bench/state-store.ts [rows=100000] [batch=5000]`. Prints one line per step.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { openStateStore, type Durability } from '../src/state/index.js';

const rows = Number(process.argv[2] ?? 100_000);
const batch = Number(process.argv[3] ?? 5_000);

function time(label: string, n: number, fn: () => void): void {
  const start = process.hrtime.bigint();
  fn();
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  console.log(
    `${label.padEnd(44)} ${String(n).padStart(7)} rows ${ms.toFixed(0).padStart(6)} ms ${Math.round(
      (n / ms) * 1000,
    )
      .toLocaleString('en-US')
      .padStart(10)} rows/s`,
  );
}

for (const durability of ['intents', 'full'] as Durability[]) {
  const dir = mkdtempSync(join(tmpdir(), 'autotask-sync-bench-'));
  const store = openStateStore({ path: join(dir, 'state.sqlite'), durability });
  const run = store.startRun({ mode: 'run', syncNames: ['contacts'], configHash: 'bench' });
  const keys = Array.from({ length: rows }, (_, i) => `person${i}@example.com`);
  console.log(`durability=${durability} batch=${batch}`);
  time('links upsert (batched transactions)', rows, () => {
    for (let i = 0; i < rows; i += batch) {
      store.upsertLinks(
        keys.slice(i, i + batch).map((key, j) => ({
          sync: 'contacts',
          object: 'Contact',
          key,
          autotaskId: i + j + 1,
          payloadHash: 'a'.repeat(64),
          fields: { firstName: 'Ada', lastName: 'Lovelace', emailAddress: key, companyID: 42 },
          sourceLocation: `contacts.csv:${i + j + 2}`,
          runId: run.id,
        })),
      );
    }
  });
  time('ledger append (batched transactions)', rows, () => {
    for (let i = 0; i < rows; i += batch) {
      store.appendLedger(
        keys.slice(i, i + batch).map((key, j) => ({
          runId: run.id,
          sync: 'contacts',
          sourceLocation: `contacts.csv:${i + j + 2}`,
          key,
          action: 'created' as const,
          autotaskId: i + j + 1,
          sourceRow: { 'First Name': 'Ada', 'Last Name': 'Lovelace', Email: key },
        })),
      );
    }
  });
  time('key index put (batched transactions)', rows, () => {
    for (let i = 0; i < rows; i += batch) {
      store.putIndexRecords(
        'Contact',
        keys.slice(i, i + batch).map((key, j) => ({
          autotaskId: i + j + 1,
          version: '2026-11-27T10:00:00Z',
          keys: [{ kind: 'email', key }],
        })),
      );
    }
  });
  time('links get, 500 keys per call', rows, () => {
    for (let i = 0; i < rows; i += 500) store.getLinks('contacts', 'Contact', keys.slice(i, i + 500));
  });
  time('key index lookup, 500 keys per call', rows, () => {
    for (let i = 0; i < rows; i += 500) store.lookupIndex('Contact', 'email', keys.slice(i, i + 500));
  });
  time('links stream', rows, () => {
    let n = 0;
    for (const _ of store.iterateLinks('contacts', 'Contact')) n += 1;
    if (n !== rows) throw new Error(`streamed ${n}`);
  });
  time('checkpoint: 1 link + 1 ledger row per transaction', 2_000, () => {
    for (let i = 0; i < 2_000; i += 1) {
      store.transaction(() => {
        store.upsertLinks([
          {
            sync: 'contacts',
            object: 'Contact',
            key: keys[i]!,
            autotaskId: i + 1,
            payloadHash: 'b',
            fields: {},
          },
        ]);
        store.appendLedger([
          { runId: run.id, sync: 'contacts', sourceLocation: null, key: keys[i]!, action: 'updated' },
        ]);
      });
    }
  });
  time('intent recorded (fsynced) and resolved, per create', 500, () => {
    for (let i = 0; i < 500; i += 1) {
      const intent = store.recordIntent({
        runId: run.id,
        sync: 'contacts',
        object: 'Contact',
        key: keys[i]!,
        payloadHash: 'c',
      });
      store.resolveIntent(intent.id, i + 1);
    }
  });
  store.close();
  rmSync(dir, { recursive: true, force: true });
}
