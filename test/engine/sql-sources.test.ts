import { join } from 'node:path';

import Database from 'better-sqlite3';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import { runSyncs } from '../../src/sync/engine/index.js';
import { createEngineWorld, OWNER_ID, type EngineWorld } from './helpers/engine-world.js';

const POSTGRES_URL = process.env['TEST_POSTGRES_URL'];

describe.skipIf(POSTGRES_URL === undefined)('SQL sources: PostgreSQL companies, SQLite contacts', () => {
  const schema = `engine_sql_${process.pid}_${Date.now() % 100_000}`;
  let admin: pg.Client;
  let world: EngineWorld;

  beforeAll(async () => {
    admin = new pg.Client({ connectionString: POSTGRES_URL });
    await admin.connect();
    await admin.query(`CREATE SCHEMA ${schema}`);
    await admin.query(
      `CREATE TABLE ${schema}.crm_companies (id serial PRIMARY KEY, name text NOT NULL, phone text, active boolean)`,
    );
    await admin.query(
      `INSERT INTO ${schema}.crm_companies (name, phone, active) VALUES
        ('Postgres Partners', '+1 555 0301', true), ('Relational Ltd', '+1 555 0302', true),
        ('Retired Corp', '+1 555 0303', false)`,
    );
  });
  afterAll(async () => {
    await admin.query(`DROP SCHEMA ${schema} CASCADE`);
    await admin.end();
  });
  beforeEach(async () => {
    world = await createEngineWorld();
    const db = new Database(join(world.dir, 'crm.sqlite'));
    db.exec(`CREATE TABLE people (id INTEGER PRIMARY KEY, company TEXT, first TEXT, last TEXT, email TEXT);
      INSERT INTO people (company, first, last, email) VALUES
        ('Postgres Partners', 'Pat', 'Gres', 'pat@pg.example'),
        ('Relational Ltd', 'Rita', 'Tional', 'rita@rel.example'),
        ('Relational Ltd', 'Ray', 'Tional', '');`);
    db.close();
  });
  afterEach(async () => {
    await world.close();
  });

  const config = (): ReturnType<EngineWorld['config']> =>
    world.config(`
version: 1
syncs:
  - name: companies
    object: Company
    source: { type: postgres, url: "${POSTGRES_URL}", query: "SELECT id, name, phone FROM ${schema}.crm_companies WHERE active ORDER BY id" }
    fields:
      companyName: name
      phone: phone
      companyType: { default: Customer }
      ownerResourceID: { value: ${OWNER_ID} }
  - name: contacts
    object: Contact
    source: { type: sqlite, path: crm.sqlite, table: people }
    fields:
      companyID: { column: company, ref: Company }
      firstName: first
      lastName: last
      emailAddress: email
`);

  it('loads from both databases, reports the bad row with its table and key, and picks up a changed row', async () => {
    const first = await runSyncs(world.deps, config());
    expect(first.counts).toMatchObject({ created: 4, invalid: 1, failed: 0, conflict: 0 });
    const invalid = world.state.queryLedger({ runId: first.runId, action: 'invalid' });
    expect(invalid[0]).toMatchObject({
      sync: 'contacts',
      sourceLocation: expect.stringMatching(/people.*id=3/),
    });

    await admin.query(
      `UPDATE ${schema}.crm_companies SET phone = '+1 555 0399' WHERE name = 'Relational Ltd'`,
    );
    world.emulator.resetCounters();
    const second = await runSyncs(world.deps, config());
    expect(second.counts).toMatchObject({ created: 0, updated: 1, unchanged: 3, invalid: 1 });
    expect(world.emulator.stats().byOperation['update']).toBe(1);
    const updated = world.state.queryLedger({ runId: second.runId, action: 'updated' });
    expect(updated[0]?.diff).toEqual({ phone: { from: '+1 555 0302', to: '+1 555 0399' } });
  });
});
