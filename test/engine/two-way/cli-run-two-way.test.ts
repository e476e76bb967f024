/** `autotask-sync run` runs the twoWay: syncs of a configuration (after any one-way syncs). */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { emulatorEnv } from '../../../bench/lib/bench-emulator.js';
import { createEmulator, type Emulator } from '../../../src/emulator/index.js';
import { type InProcessCliResult, runCliInProcess } from '../../helpers/run-cli-in-process.js';
import { OWNER_ID } from '../helpers/engine-world.js';

describe('autotask-sync run with twoWay:', () => {
  let emulator: Emulator;
  let dir: string;
  let env: Record<string, string>;

  beforeAll(async () => {
    emulator = createEmulator({ seed: 'empty' });
    const { url } = await emulator.listen({ port: 0 });
    dir = mkdtempSync(join(tmpdir(), 'cli-two-way-'));
    env = emulatorEnv({ url, credentials: emulator.credentials });
    const db = new Database(join(dir, 'crm.sqlite'));
    db.exec(`CREATE TABLE accounts (id INTEGER PRIMARY KEY, name TEXT, phone TEXT, changed TEXT);
      INSERT INTO accounts (name, phone, changed) VALUES ('Cli Co', '+1 555 0500', '2026-01-01 00:00:00');`);
    db.close();
    writeFileSync(
      join(dir, 'sync.yaml'),
      `version: 1
state: state/state.sqlite
twoWay:
  - name: accounts-db
    object: Account
    table: { type: sqlite, path: crm.sqlite, table: accounts, key: id, updatedAt: changed }
    systems: [sql, autotask]
    autotaskDefaults: { companyType: 1, ownerResourceID: ${OWNER_ID} }
    fields:
      companyName: name
      phone: phone
`,
    );
  });

  afterAll(async () => {
    await emulator.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const cli = (...args: string[]): Promise<InProcessCliResult> => runCliInProcess(args, { env, cwd: dir });

  it('creates on both sides, then has nothing to do; --json reports the two-way summary', async () => {
    const first = await cli('run', '--config', 'sync.yaml');
    expect(first.err).toBe('');
    expect(first.code).toBe(0);
    expect(first.out).toMatch(
      /two-way accounts-db \(Company; read full\/full: 1 Autotask, 1 rows\): Autotask \+1/,
    );
    expect(emulator.tenant.tables.Companies.size()).toBe(2); // Cli Co and the tenant's own company
    const db = new Database(join(dir, 'crm.sqlite'));
    const rows = db.prepare('SELECT name, changed FROM accounts ORDER BY id').all() as {
      name: string;
      changed: string;
    }[];
    db.close();
    expect(rows).toHaveLength(2);
    // the sync stamps rows it writes in the column's own format
    expect(rows[1]?.changed).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}/);

    const second = await cli('run', '--config', 'sync.yaml', '--json');
    expect(second.code).toBe(0);
    const parsed = JSON.parse(second.out) as { twoWay: { results: Record<string, unknown>[] } };
    expect(parsed.twoWay.results[0]).toMatchObject({
      autotaskRead: 'incremental',
      sqlRead: 'incremental',
      autotask: { created: 0, updated: 0 },
      sql: { created: 0, updated: 0 },
    });
  });
});
