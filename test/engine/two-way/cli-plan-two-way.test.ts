/**
 * `autotask-sync plan` previews twoWay: syncs: a table of what each side would receive and the field
 * changes (text), or `{"twoWay": ...}` in the one-way plan's shape (`--json`); nothing is written, so
 * the `run` that follows does the work, and `history` and `show` display both runs.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createEmulator, type Emulator } from '../../../src/emulator/index.js';
import { type InProcessCliResult, runCliInProcess } from '../../helpers/run-cli-in-process.js';
import { OWNER_ID } from '../helpers/engine-world.js';

describe('autotask-sync plan with twoWay:', () => {
  let emulator: Emulator;
  let dir: string;
  let env: Record<string, string>;

  beforeAll(async () => {
    emulator = createEmulator({ seed: 'empty' });
    const { url } = await emulator.listen({ port: 0 });
    dir = mkdtempSync(join(tmpdir(), 'cli-plan-two-way-'));
    env = {
      AUTOTASK_USERNAME: emulator.credentials.userName,
      AUTOTASK_SECRET: emulator.credentials.secret,
      AUTOTASK_INTEGRATION_CODE: emulator.credentials.integrationCode,
      AUTOTASK_URL: url,
    };
    const db = new Database(join(dir, 'crm.sqlite'));
    db.exec(`CREATE TABLE accounts (id INTEGER PRIMARY KEY, name TEXT, phone TEXT, changed TEXT);
      INSERT INTO accounts (name, phone, changed) VALUES ('Plan Co', '+1 555 0900', '2026-01-01 00:00:00');`);
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

  it('previews both sides without writing, then run does it; history and show tell the two apart', async () => {
    const table = readFileSync(join(dir, 'crm.sqlite'));
    const text = await cli('plan', '--config', 'sync.yaml');
    expect(text.err).toBe('');
    expect(text.code).toBe(0);
    expect(text.out).toMatch(/Two-way plan \(nothing was written to Autotask or the tables\)/);
    expect(text.out).toMatch(/accounts-db\s+Company\s+full\/full\s+\+1 ~0 -0\s+\+1 ~0 -0/);
    expect(text.out).toMatch(
      /accounts:id=1\s+create: Autotask companyName="Plan Co", Autotask phone="\+1 555 0900"/,
    );
    expect(text.out).toMatch(/The run would cost about \d+ Autotask calls/);
    expect(text.out).not.toContain(env['AUTOTASK_SECRET']);

    const json = await cli('plan', '--config', 'sync.yaml', '--json');
    expect(json.code).toBe(0);
    const parsed = JSON.parse(json.out) as {
      twoWay: {
        mode: string;
        created: number;
        estimatedCalls: number;
        apiCalls: number;
        syncs: { name: string; kind: string; twoWay: Record<string, unknown>; outcomes: unknown[] }[];
      };
    };
    expect(parsed.twoWay).toMatchObject({ mode: 'plan', created: 2 });
    expect(parsed.twoWay.estimatedCalls).toBe(parsed.twoWay.apiCalls + 1);
    expect(parsed.twoWay.syncs[0]).toMatchObject({
      name: 'accounts-db',
      kind: 'two-way',
      twoWay: { autotask: { create: 1, update: 0 }, table: { insert: 1, update: 0 } },
    });
    // nothing was written: the table file is byte for byte the same, Autotask has its own company only
    expect(readFileSync(join(dir, 'crm.sqlite')).equals(table)).toBe(true);
    expect(emulator.tenant.tables.Companies.size()).toBe(1);

    const run = await cli('run', '--config', 'sync.yaml');
    expect(run.code).toBe(0);
    expect(emulator.tenant.tables.Companies.size()).toBe(2);

    const history = await cli('history', '--config', 'sync.yaml', '--json');
    const runs = (
      JSON.parse(history.out) as { runs: { id: number; mode: string; counts: Record<string, number> }[] }
    ).runs;
    expect(runs.map((r) => r.mode)).toEqual(['run', 'plan', 'plan']);
    // two-way runs count records per outcome like one-way runs, then per side
    expect(runs[0]?.counts).toMatchObject({ created: 2, autotaskCreated: 1, sqlCreated: 1 });

    const show = await cli('show', String(runs[0]?.id), '--config', 'sync.yaml');
    expect(show.code).toBe(0);
    expect(show.out).toMatch(/accounts-db .*created .*Autotask companyName="Plan Co"/);
  });
});
