/**
 * Two-way sync of PostgreSQL companies and people tables with the emulator: the contact's company
 * link travels both ways (company_id ↔ companyID), deletes are deactivated under the opt-in policy,
 * and the guard stops a run that would deactivate too much. Each run of this file has its own schema.
 */
import pg from 'pg';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import { runTwoWaySyncs, type TwoWayDeps } from '../../../src/sync/two-way/index.js';
import { createEngineWorld, OWNER_ID, type EngineWorld } from '../helpers/engine-world.js';
import { twoWayDeps } from '../helpers/two-way-support.js';

const POSTGRES_URL = process.env['TEST_POSTGRES_URL'];

describe.skipIf(POSTGRES_URL === undefined)('two-way: PostgreSQL companies and people ↔ Autotask', () => {
  const schema = `two_way_${process.pid}_${Date.now() % 100_000}`;
  let admin: pg.Client;
  let world: EngineWorld;

  const deps = (): TwoWayDeps => twoWayDeps(world);
  const config = (): ReturnType<EngineWorld['config']> =>
    world.config(`
version: 1
twoWay:
  - name: companies-pg
    object: Company
    table: { type: postgres, url: "${POSTGRES_URL}", table: ${schema}.companies, key: id, updatedAt: updated_at }
    systems: [sql, autotask]
    autotaskDefaults: { companyType: 1, ownerResourceID: ${OWNER_ID} }
    deletes: { policy: deactivate, maxShare: 0.5, activeColumn: active }
    fields:
      companyName: name
      phone: phone
  - name: people-pg
    object: Contact
    table: { type: postgres, url: "${POSTGRES_URL}", table: ${schema}.people, key: id, updatedAt: updated_at }
    autotaskDefaults: { isActive: 1 }
    fields:
      companyID: { column: company_id, ref: companies-pg, systems: [sql, autotask] }
      firstName: first_name
      lastName: last_name
      emailAddress: email
`);
  const query = async <T extends pg.QueryResultRow>(text: string, params: unknown[] = []): Promise<T[]> =>
    (await admin.query<T>(text, params)).rows;

  beforeAll(async () => {
    admin = new pg.Client({ connectionString: POSTGRES_URL });
    await admin.connect();
    await admin.query(`CREATE SCHEMA ${schema}`);
  });
  afterAll(async () => {
    await admin.query(`DROP SCHEMA ${schema} CASCADE`);
    await admin.end();
  });
  beforeEach(async () => {
    world = await createEngineWorld();
    await admin.query(`DROP TABLE IF EXISTS ${schema}.people, ${schema}.companies`);
    await admin.query(`CREATE TABLE ${schema}.companies (id serial PRIMARY KEY, name text NOT NULL, phone text,
      active boolean NOT NULL DEFAULT true, updated_at timestamptz NOT NULL DEFAULT now())`);
    await admin.query(`CREATE TABLE ${schema}.people (id serial PRIMARY KEY, company_id integer,
      first_name text, last_name text, email text, updated_at timestamptz NOT NULL DEFAULT now())`);
    await admin.query(`INSERT INTO ${schema}.companies (name, phone) VALUES
      ('Postgres Partners', '+1 555 0301'), ('Relational Ltd', '+1 555 0302'), ('Tuple Trading', '+1 555 0303')`);
    await admin.query(`INSERT INTO ${schema}.people (company_id, first_name, last_name, email) VALUES
      (1, 'Pat', 'Gres', 'pat@pg.example'), (2, 'Rita', 'Tional', 'rita@rel.example')`);
  });
  afterEach(async () => {
    await world.close();
  });

  it('creates both objects with the company link, and brings an Autotask contact back with its company row', async () => {
    const first = await runTwoWaySyncs(deps(), config().twoWay);
    expect(first.status).toBe('succeeded');
    const [companies, people] = first.results;
    expect(companies).toMatchObject({ autotask: { created: 3 }, failed: 0 });
    expect(people).toMatchObject({ autotask: { created: 2 }, failed: 0, invalid: 0 });

    const relational = (await world.client.findByValues('Companies', 'companyName', ['Relational Ltd'])).get(
      'relational ltd',
    )?.[0];
    expect(relational).toBeDefined();
    const rita = (await world.client.findByValues('Contacts', 'emailAddress', ['rita@rel.example'])).get(
      'rita@rel.example',
    )?.[0];
    expect(rita?.companyID).toBe(relational?.id);

    // a contact created in Autotask gets a row whose company_id is its company's row
    await world.client.contacts.create({
      companyID: relational!.id,
      firstName: 'Rob',
      lastName: 'Ust',
      emailAddress: 'rob@rel.example',
      isActive: 1,
    });
    const second = await runTwoWaySyncs(deps(), config().twoWay);
    expect(second.results[1]).toMatchObject({ sql: { created: 1 }, autotask: { created: 0, updated: 0 } });
    const [rob] = await query<{ company_id: number }>(
      `SELECT company_id FROM ${schema}.people WHERE email = 'rob@rel.example'`,
    );
    expect(rob?.company_id).toBe(2);

    // a name edited in the table (its system of record) reaches Autotask; then all is quiet
    await query(`UPDATE ${schema}.people SET last_name = 'Tional-Smith', updated_at = now() WHERE id = 2`);
    const third = await runTwoWaySyncs(deps(), config().twoWay);
    expect(third.results[1]).toMatchObject({ autotask: { updated: 0 }, sql: { updated: 1 }, overridden: 1 });
    // people: Autotask is the system of record by default, so the table's edit was reverted
    const [reverted] = await query<{ last_name: string }>(
      `SELECT last_name FROM ${schema}.people WHERE id = 2`,
    );
    expect(reverted?.last_name).toBe('Tional');

    // moving a person to another company in the table cannot be done through Autotask's API: it
    // is reported, not attempted, and the contact stays where it is
    await query(`UPDATE ${schema}.people SET company_id = 3, updated_at = now() WHERE id = 2`);
    const moved = await runTwoWaySyncs(deps(), config().twoWay);
    expect(moved.results[1]).toMatchObject({ autotask: { updated: 0 }, failed: 0 });
    expect(moved.results[1]?.notes.join('\n')).toMatch(/cannot move a contact/);
    expect((await world.client.contacts.get(rita!.id))?.companyID).toBe(relational?.id);

    world.emulator.resetCounters();
    const quiet = await runTwoWaySyncs(deps(), config().twoWay);
    expect(quiet.results.map((r) => [r.autotask, r.sql])).toEqual([
      [
        { created: 0, updated: 0, deactivated: 0 },
        { created: 0, updated: 0, deactivated: 0 },
      ],
      [
        { created: 0, updated: 0, deactivated: 0 },
        { created: 0, updated: 0, deactivated: 0 },
      ],
    ]);
    const stats = world.emulator.stats();
    expect(stats.byOperation['create'] ?? 0).toBe(0);
    expect(stats.byOperation['update'] ?? 0).toBe(0);
    expect(stats.total).toBe(2); // one change-detection query per object
  });

  it('a deleted row deactivates the Autotask company once; the guard refuses to deactivate too many', async () => {
    await runTwoWaySyncs(deps(), config().twoWay);
    const tuple = (await world.client.findByValues('Companies', 'companyName', ['Tuple Trading'])).get(
      'tuple trading',
    )?.[0];
    await query(`DELETE FROM ${schema}.companies WHERE name = 'Tuple Trading'`);
    const run = await runTwoWaySyncs(deps(), config().twoWay);
    expect(run.results[0]).toMatchObject({ deletesSeen: 1, autotask: { deactivated: 1 } });
    expect((await world.client.companies.get(tuple!.id))?.isActive).toBe(false);
    world.emulator.resetCounters();
    const again = await runTwoWaySyncs(deps(), config().twoWay);
    expect(again.results[0]).toMatchObject({ deletesSeen: 0, autotask: { deactivated: 0 } });
    expect(world.emulator.stats().byOperation['update'] ?? 0).toBe(0);

    // emptying the table would deactivate every company: the run stops and changes nothing
    await query(`DELETE FROM ${schema}.people`);
    await query(`DELETE FROM ${schema}.companies`);
    world.emulator.resetCounters();
    const guarded = await runTwoWaySyncs(deps(), config().twoWay);
    expect(guarded.status).toBe('failed');
    expect(guarded.error?.code).toBe('TWO_WAY_DELETE_GUARD');
    expect(world.emulator.stats().byOperation['update'] ?? 0).toBe(0);
    const relational = (await world.client.findByValues('Companies', 'companyName', ['Relational Ltd'])).get(
      'relational ltd',
    )?.[0];
    expect(relational?.isActive).toBe(true);
  });
});
