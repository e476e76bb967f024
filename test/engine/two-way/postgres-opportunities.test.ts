/**
 * Opportunities in a two-way sync with PostgreSQL tables: the company and contact relationships
 * (`ref`) travel both ways, the expected close date is a `date` column compared as a date (Autotask
 * keeps it at midnight, no time zone), a row without a value Autotask requires is reported as invalid
 * instead of being sent, and `plan` previews it all without writing to PostgreSQL or Autotask. Each run
 * of this file has its own schema.
 */
import pg from 'pg';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import type { EntityRecord } from '../../../src/autotask/types.js';
import {
  planTwoWaySyncs,
  runTwoWaySyncs,
  type TwoWayDeps,
  type TwoWayFieldChange,
} from '../../../src/sync/two-way/index.js';
import { createEngineWorld, OWNER_ID, type EngineWorld } from '../helpers/engine-world.js';
import { twoWayDeps } from '../helpers/two-way-support.js';

const POSTGRES_URL = process.env['TEST_POSTGRES_URL'];

describe.skipIf(POSTGRES_URL === undefined)('two-way: PostgreSQL opportunities ↔ Autotask', () => {
  const schema = `two_way_opp_${process.pid}_${Date.now() % 100_000}`;
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
    fields:
      companyName: name
      phone: phone
  - name: people-pg
    object: Contact
    table: { type: postgres, url: "${POSTGRES_URL}", table: ${schema}.people, key: id, updatedAt: updated_at }
    fields:
      companyID: { column: company_id, ref: companies-pg }
      firstName: first_name
      lastName: last_name
      emailAddress: email
  - name: deals-pg
    object: Opportunity
    table: { type: postgres, url: "${POSTGRES_URL}", table: ${schema}.deals, key: id, updatedAt: updated_at }
    systems: [sql, autotask]
    autotaskDefaults:
      ownerResourceID: ${OWNER_ID}
      status: 1
      cost: 0
      useQuoteTotals: false
      startDate: "2026-01-01T00:00:00Z"
    fields:
      title: title
      companyID: { column: company_id, ref: companies-pg }
      contactID: { column: contact_id, ref: people-pg }
      projectedCloseDate: close_date
      amount: amount
      probability: probability
      stage: { column: stage, labels: true }
`);
  const query = async <T extends pg.QueryResultRow>(text: string, params: unknown[] = []): Promise<T[]> =>
    (await admin.query<T>(text, params)).rows;
  const tables = async (): Promise<unknown[]> => [
    await query(`SELECT * FROM ${schema}.companies ORDER BY id`),
    await query(`SELECT * FROM ${schema}.people ORDER BY id`),
    await query(`SELECT * FROM ${schema}.deals ORDER BY id`),
  ];
  const opportunity = async (title: string): Promise<EntityRecord | undefined> => {
    for await (const o of world.client.opportunities.query({
      filter: [{ op: 'eq', field: 'title', value: title }],
    }))
      return o;
    return undefined;
  };
  const writes = (): number => {
    const s = world.emulator.stats().byOperation;
    return (s['create'] ?? 0) + (s['update'] ?? 0);
  };

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
    await admin.query(`DROP TABLE IF EXISTS ${schema}.deals, ${schema}.people, ${schema}.companies`);
    await admin.query(`CREATE TABLE ${schema}.companies (id serial PRIMARY KEY, name text NOT NULL, phone text,
      updated_at timestamptz NOT NULL DEFAULT now())`);
    await admin.query(`CREATE TABLE ${schema}.people (id serial PRIMARY KEY, company_id integer,
      first_name text, last_name text, email text, updated_at timestamptz NOT NULL DEFAULT now())`);
    await admin.query(`CREATE TABLE ${schema}.deals (id serial PRIMARY KEY, title text, company_id integer,
      contact_id integer, close_date date, amount numeric(12,2), probability integer, stage text,
      updated_at timestamptz NOT NULL DEFAULT now())`);
    await admin.query(`INSERT INTO ${schema}.companies (name, phone) VALUES
      ('Pipeline Partners', '+1 555 0801'), ('Forecast Ltd', '+1 555 0802')`);
    await admin.query(`INSERT INTO ${schema}.people (company_id, first_name, last_name, email) VALUES
      (1, 'Pia', 'Pipe', 'pia@pipeline.example'), (2, 'Fred', 'Cast', 'fred@forecast.example')`);
    await admin.query(`INSERT INTO ${schema}.deals (title, company_id, contact_id, close_date, amount, probability, stage) VALUES
      ('Managed services renewal', 1, 1, '2026-11-15', 1500.00, 50, 'Proposal'),
      ('Backup upsell', 2, 2, '2026-12-20', 800, NULL, 'Qualified')`);
  });
  afterEach(async () => {
    await world.close();
  });

  it('plans, then creates with the company and contact links, and reports a row missing a required value', async () => {
    // the plan writes nothing to PostgreSQL or Autotask, and moves no link or cursor
    const before = await tables();
    const plan = await planTwoWaySyncs(deps(), config().twoWay);
    expect(await tables()).toEqual(before);
    expect(writes()).toBe(0);
    expect([...world.state.iterateLinks('deals-pg', 'Opportunity')]).toHaveLength(0);
    expect(world.state.getBookmark('two-way:deals-pg', 'sql')).toBeUndefined();
    const deals = plan.syncs[2];
    expect(deals?.twoWay.autotask.create).toBe(1);
    expect(deals?.counts.invalid).toBe(1);
    const created = deals?.outcomes.find((o) => o.action === 'created')?.diff as unknown as Record<
      string,
      TwoWayFieldChange
    >;
    expect(created).toMatchObject({
      title: { to: 'Managed services renewal', side: 'autotask' },
      companyID: { to: '(the Company this run creates first)' },
      contactID: { to: '(the Contact this run creates first)' },
      projectedCloseDate: { to: '2026-11-15' },
      amount: { to: '1500' },
      stage: { to: '13' },
    });

    const first = await runTwoWaySyncs(deps(), config().twoWay);
    expect(first.status).toBe('partial');
    expect(first.results[2]).toMatchObject({ autotask: { created: 1 }, invalid: 1, failed: 0 });
    const invalid = world.state.queryLedger({ runId: first.runId, sync: 'deals-pg', action: 'invalid' });
    expect(invalid[0]).toMatchObject({ field: 'probability', key: '2' });
    expect(invalid[0]?.reason).toMatch(/probability is required .*fill probability/);

    const renewal = await opportunity('Managed services renewal');
    const pia = (await world.client.findByValues('Contacts', 'emailAddress', ['pia@pipeline.example'])).get(
      'pia@pipeline.example',
    )?.[0];
    expect(renewal).toMatchObject({
      companyID: pia?.companyID,
      contactID: pia?.id,
      amount: 1500,
      probability: 50,
      stage: 13,
      projectedCloseDate: expect.stringMatching(/^2026-11-15T00:00:00/),
    });

    // nothing changed: amounts (1500.00 ↔ 1500) and dates (2026-11-15 ↔ midnight UTC) agree
    world.emulator.resetCounters();
    const quiet = await runTwoWaySyncs(deps(), config().twoWay);
    expect(quiet.results[2]).toMatchObject({ autotask: { created: 0, updated: 0 }, sql: { updated: 0 } });
    expect(writes()).toBe(0);

    // the row fixed: created on the next pass
    await query(`UPDATE ${schema}.deals SET probability = 30, updated_at = now() WHERE id = 2`);
    const fixed = await runTwoWaySyncs(deps(), config().twoWay);
    expect(fixed.results[2]).toMatchObject({ autotask: { created: 1 }, invalid: 0 });
  });

  it('links a row to the opportunity Autotask already has (title, close date, company, contact) instead of creating it', async () => {
    const forecast = await world.client.companies.create({
      companyName: 'Forecast Ltd',
      phone: '+1 555 0802',
      companyType: 1,
      ownerResourceID: OWNER_ID,
    });
    const fred = await world.client.contacts.create({
      companyID: forecast,
      firstName: 'Fred',
      lastName: 'Cast',
      emailAddress: 'fred@forecast.example',
      isActive: 1,
    });
    // the key is title, close date, company and contact (an opportunity without the contact would not match)
    const existing = await world.client.opportunities.create({
      title: 'BACKUP Upsell',
      companyID: forecast,
      contactID: fred,
      ownerResourceID: OWNER_ID,
      status: 1,
      stage: 12,
      probability: 40,
      amount: 800,
      cost: 0,
      useQuoteTotals: false,
      startDate: '2026-02-01T00:00:00Z',
      projectedCloseDate: '2026-12-20T00:00:00Z',
    });
    world.emulator.resetCounters();
    const first = await runTwoWaySyncs(deps(), config().twoWay);
    expect(first.results[2]).toMatchObject({ autotask: { created: 1 }, invalid: 0, conflicts: 0 });
    expect(world.state.getLink({ sync: 'deals-pg', object: 'Opportunity', key: '2' })?.autotaskId).toBe(
      existing,
    );
    // the row had no probability: Autotask's fills it; the table's title wins in Autotask
    expect(await query(`SELECT probability FROM ${schema}.deals WHERE id = 2`)).toEqual([
      { probability: 40 },
    ]);
    expect(await opportunity('Backup upsell')).toMatchObject({ id: existing, contactID: fred });
    expect(world.emulator.tenant.tables.Opportunities.size()).toBe(2);
  });

  it('brings an opportunity created in Autotask into the table with its company, contact and close date', async () => {
    await runTwoWaySyncs(deps(), config().twoWay);
    const fred = (await world.client.findByValues('Contacts', 'emailAddress', ['fred@forecast.example'])).get(
      'fred@forecast.example',
    )?.[0];
    await world.client.opportunities.create({
      title: 'Network refresh',
      companyID: fred!.companyID,
      contactID: fred!.id,
      ownerResourceID: OWNER_ID,
      status: 1,
      stage: 14,
      probability: 70,
      amount: 4200.5,
      cost: 0,
      useQuoteTotals: false,
      startDate: '2026-02-01T00:00:00Z',
      projectedCloseDate: '2027-01-31T00:00:00Z',
    });
    const second = await runTwoWaySyncs(deps(), config().twoWay);
    expect(second.results[2]).toMatchObject({ sql: { created: 1 }, failed: 0 });
    const [row] = await query<Record<string, unknown>>(
      `SELECT company_id, contact_id, close_date::text AS close_date, amount::text AS amount, stage
         FROM ${schema}.deals WHERE title = 'Network refresh'`,
    );
    expect(row).toEqual({
      company_id: 2,
      contact_id: 2,
      close_date: '2027-01-31',
      amount: '4200.50',
      stage: 'Negotiation',
    });

    // the close date moved in the table reaches Autotask as a date; then nothing echoes
    await query(
      `UPDATE ${schema}.deals SET close_date = '2027-02-28', updated_at = now() WHERE title = 'Network refresh'`,
    );
    // an incremental plan first: it shows the change and moves no cursor or link, writes no row
    const state = (): unknown[] => [
      ...['companies-pg', 'people-pg', 'deals-pg'].flatMap((sync) =>
        ['autotask', 'sql'].map((stream) => world.state.getBookmark(`two-way:${sync}`, stream)),
      ),
      [...world.state.iterateLinks('deals-pg', 'Opportunity')],
    ];
    const before = [await tables(), state()];
    world.emulator.resetCounters();
    const plan = await planTwoWaySyncs(deps(), config().twoWay);
    expect([await tables(), state()]).toEqual(before);
    expect(writes()).toBe(0);
    expect(plan.syncs[2]?.twoWay).toMatchObject({ sqlRead: 'incremental', autotask: { update: 1 } });
    // (the row without a probability is listed first, as invalid again)
    expect(plan.syncs[2]?.outcomes.map((o) => o.action)).toEqual(['invalid', 'updated']);
    expect(plan.syncs[2]?.outcomes[1]?.diff).toEqual({
      projectedCloseDate: {
        from: '2027-01-31',
        to: '2027-02-28',
        side: 'autotask',
        column: 'close_date',
        winner: 'sql',
      },
    });
    const third = await runTwoWaySyncs(deps(), config().twoWay);
    expect(third.results[2]).toMatchObject({ autotask: { updated: 1 }, sql: { updated: 0 } });
    expect((await opportunity('Network refresh'))?.['projectedCloseDate']).toMatch(/^2027-02-28T00:00:00/);
    world.emulator.resetCounters();
    const quiet = await runTwoWaySyncs(deps(), config().twoWay);
    expect(quiet.results[2]).toMatchObject({ autotask: { updated: 0 }, sql: { updated: 0 } });
    expect(writes()).toBe(0);
  });
});
