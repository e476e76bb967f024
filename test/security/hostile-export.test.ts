/**
 * Remote input turned into SQL (issue 8 item 3, "values crafted to break SQL"): Autotask decides the
 * names of user-defined fields, and exports turn them into column names. A UDF named like an injection,
 * and record values shaped like SQL and formulas, must land as exactly those names and values in SQLite
 * and PostgreSQL exports, leaving every other table alone.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import Database from 'better-sqlite3';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createAutotaskClient } from '../../src/autotask/index.js';
import { emulatorEnv } from '../../bench/lib/bench-emulator.js';
import { createEmulator, type Emulator } from '../../src/emulator/index.js';
import { udf as udfInformation } from '../helpers/metadata-fixtures.js';
import { runCliInProcess } from '../helpers/run-cli-in-process.js';

const EVIL_UDF = 'Evil"; DROP TABLE sentinel; --';
const EVIL_NAME = "Robert'); DROP TABLE sentinel; --";
const EVIL_VALUE = `x'); DELETE FROM sentinel; --`;
const PG_URL = process.env['TEST_POSTGRES_URL'];

const udf = udfInformation(EVIL_UDF, 'string', { length: 100 });

describe('exports of injection-shaped names and values', () => {
  let emulator: Emulator;
  let dir: string;
  let env: Record<string, string>;
  const schema = `k_hostile_${process.pid}_${Date.now()}`;

  beforeAll(async () => {
    emulator = createEmulator({ seed: 'empty', udfDefinitions: { Companies: [udf] } });
    const { url } = await emulator.listen({ port: 0 });
    dir = mkdtempSync(join(tmpdir(), 'hostile-export-'));
    env = {
      ...emulatorEnv({ url, credentials: emulator.credentials }),
      NO_COLOR: '1',
    };
    const client = createAutotaskClient({
      username: emulator.credentials.userName,
      secret: emulator.credentials.secret,
      integrationCode: emulator.credentials.integrationCode,
      url,
      allowInsecureHttp: true,
      budget: { reconcileIntervalMs: false },
    });
    await client.companies.create({
      companyName: EVIL_NAME,
      companyType: 3,
      ownerResourceID: 29682885,
      phone: '+1 555 0100',
      userDefinedFields: [{ name: EVIL_UDF, value: EVIL_VALUE }],
    });
    const sqlite = new Database(join(dir, 'out.sqlite'));
    sqlite.exec('CREATE TABLE sentinel (x TEXT); INSERT INTO sentinel VALUES (1)');
    sqlite.close();
    if (PG_URL) {
      const admin = new pg.Client({ connectionString: PG_URL });
      await admin.connect();
      await admin.query(`CREATE SCHEMA ${schema}`);
      await admin.query(
        `CREATE TABLE ${schema}.sentinel (x text); INSERT INTO ${schema}.sentinel VALUES ('1')`,
      );
      await admin.end();
    }
    writeFileSync(
      join(dir, 'sync.yaml'),
      `version: 1
state: state.sqlite
syncs: []
exports:
  - name: to-sqlite
    object: Company
    destination: { type: sqlite, path: out.sqlite, table: companies }
${
  PG_URL
    ? `  - name: to-postgres
    object: Company
    destination:
      type: postgres
      url: \${TEST_POSTGRES_URL}
      table: ${schema}.companies
`
    : ''
}`,
    );
  });

  afterAll(async () => {
    await emulator.close();
    rmSync(dir, { recursive: true, force: true });
    if (PG_URL) {
      const admin = new pg.Client({ connectionString: PG_URL });
      await admin.connect();
      await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await admin.end();
    }
  });

  it('keeps UDF names and values as data in SQLite and PostgreSQL', async () => {
    const exported = await runCliInProcess(['export', '--config', 'sync.yaml'], {
      env: { ...env, ...(PG_URL ? { TEST_POSTGRES_URL: PG_URL } : {}) },
      cwd: dir,
    });
    expect(exported.code, `${exported.out}${exported.err}`).toBe(0);

    const sqlite = new Database(join(dir, 'out.sqlite'), { readonly: true });
    try {
      expect(sqlite.prepare('SELECT count(*) AS n FROM sentinel').get()).toEqual({ n: 1 });
      const rows = sqlite.prepare('SELECT * FROM companies WHERE id > 0').all() as Record<string, unknown>[];
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ companyName: EVIL_NAME, [`udf_${EVIL_UDF}`]: EVIL_VALUE });
    } finally {
      sqlite.close();
    }
    if (PG_URL) {
      const client = new pg.Client({ connectionString: PG_URL });
      await client.connect();
      try {
        expect((await client.query(`SELECT count(*)::int AS n FROM ${schema}.sentinel`)).rows).toEqual([
          { n: 1 },
        ]);
        const { rows } = await client.query<Record<string, unknown>>(
          `SELECT * FROM ${schema}.companies WHERE id > 0`,
        );
        expect(rows).toHaveLength(1);
        expect(rows[0]).toMatchObject({ companyName: EVIL_NAME, [`udf_${EVIL_UDF}`]: EVIL_VALUE });
      } finally {
        await client.end();
      }
    }
  });
});
