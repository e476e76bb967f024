/**
 * User-defined fields in a two-way sync (`udf:Name`): read from the record's `userDefinedFields`,
 * written as Autotask expects (`userDefinedFields: [{ name, value }]` in the POST or PATCH), compared
 * by meaning (Autotask's `"12.5000"` is the table's 12.5), picklist UDFs as labels, date UDFs as dates,
 * and no echo of the sync's own writes.
 */
import { join } from 'node:path';

import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import type { EntityRecord } from '../../../src/autotask/types.js';
import { ConfigError } from '../../../src/shared/errors.js';
import { runTwoWaySyncs, type TwoWayDeps } from '../../../src/sync/two-way/index.js';
import { createEngineWorld, OWNER_ID, type EngineWorld } from '../helpers/engine-world.js';
import { iso, querySqlite, sleep, twoWayDeps } from '../helpers/two-way-support.js';

let world: EngineWorld;
let dbPath: string;

function deps(): TwoWayDeps {
  return twoWayDeps(world);
}

function config(fields = ''): ReturnType<EngineWorld['config']> {
  return world.config(`
version: 1
twoWay:
  - name: companies-db
    object: Company
    table: { type: sqlite, path: crm.sqlite, table: companies, key: id, updatedAt: updated_at }
    systems: [sql, autotask]
    autotaskDefaults: { companyType: 1, ownerResourceID: ${OWNER_ID} }
    fields:
      companyName: name
      phone: phone
      "udf:CRM ID": crm_id
      "udf:discount": { column: discount, rule: most-recent }
      "udf:Lead Source": { column: lead_source, labels: true }
      "udf:Contract Renewal Date": { column: renewal, systems: [autotask, sql] }
${fields}`);
}

function sql<T = Record<string, unknown>>(query: string, ...params: unknown[]): T[] {
  return querySqlite<T>(dbPath, query, ...params);
}

function udfs(record: EntityRecord | undefined): Record<string, string | null> {
  return Object.fromEntries((record?.userDefinedFields ?? []).map((u) => [u.name, u.value]));
}

async function company(name: string): Promise<EntityRecord | undefined> {
  const found = await world.client.findByValues('Companies', 'companyName', [name]);
  const id = found.get(name.toLowerCase())?.[0]?.id;
  return id === undefined ? undefined : world.client.companies.get(id);
}

function writes(): { create: number; update: number } {
  const s = world.emulator.stats().byOperation;
  return { create: s['create'] ?? 0, update: s['update'] ?? 0 };
}

beforeEach(async () => {
  world = await createEngineWorld();
  dbPath = join(world.dir, 'crm.sqlite');
  const db = new Database(dbPath);
  db.exec(`CREATE TABLE companies (id INTEGER PRIMARY KEY, name TEXT NOT NULL, phone TEXT, crm_id TEXT,
    discount REAL, lead_source TEXT, renewal TEXT, updated_at TEXT)`);
  db.prepare(
    `INSERT INTO companies (name, phone, crm_id, discount, lead_source, renewal, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
  ).run('Udf Makers', '+1 555 0701', 'CRM-701', 12.5, 'Referral', '2027-03-31', iso(-60_000));
  db.close();
  await world.client.companies.create({
    companyName: 'Autotask Udf Co',
    phone: '+1 555 0702',
    companyType: 1,
    ownerResourceID: OWNER_ID,
    userDefinedFields: [
      { name: 'CRM ID', value: 'CRM-702' },
      { name: 'Discount', value: '7.25' },
      { name: 'Lead Source', value: '3' },
      { name: 'Contract Renewal Date', value: '2027-06-30T00:00:00Z' },
    ],
  });
  world.emulator.resetCounters();
});

afterEach(async () => {
  await world.close();
});

describe('two-way: user-defined fields', () => {
  it('creates with UDFs on both sides, carries edits each way as the array Autotask expects, never echoes', async () => {
    const first = await runTwoWaySyncs(deps(), config().twoWay);
    expect(first.status).toBe('succeeded');
    expect(first.results[0]).toMatchObject({ autotask: { created: 1 }, failed: 0, invalid: 0 });

    // the row's UDFs reached Autotask (a flat `udf:...` property would have been refused)
    expect(udfs(await company('Udf Makers'))).toMatchObject({
      'CRM ID': 'CRM-701',
      Discount: '12.5000',
      'Lead Source': '2',
      'Contract Renewal Date': expect.stringMatching(/^2027-03-31T00:00:00/),
    });
    // the Autotask company's UDFs reached its new row: labels for the picklist, the date as a date
    const [row] = sql<Record<string, unknown>>("SELECT * FROM companies WHERE name = 'Autotask Udf Co'");
    expect(row).toMatchObject({
      crm_id: 'CRM-702',
      discount: 7.25,
      lead_source: 'Event',
      renewal: '2027-06-30',
    });

    // Autotask's "12.5000" is the table's 12.5: nothing to write, over several passes
    world.emulator.resetCounters();
    for (let i = 0; i < 3; i += 1) {
      const quiet = await runTwoWaySyncs(deps(), config().twoWay);
      expect(quiet.results[0]).toMatchObject({
        autotask: { created: 0, updated: 0 },
        sql: { created: 0, updated: 0 },
      });
    }
    expect(writes()).toEqual({ create: 0, update: 0 });

    // a UDF edited in the table is PATCHed in userDefinedFields; one edited in Autotask reaches the row
    await sleep(5);
    sql(
      "UPDATE companies SET crm_id = 'CRM-701-B', discount = 15, updated_at = ? WHERE name = 'Udf Makers'",
      iso(),
    );
    const other = await company('Autotask Udf Co');
    await world.client.companies.update({
      id: other!.id,
      userDefinedFields: [{ name: 'Contract Renewal Date', value: '2028-01-15T00:00:00Z' }],
    });
    const edits = await runTwoWaySyncs(deps(), config().twoWay);
    expect(edits.results[0]).toMatchObject({ autotask: { updated: 1 }, sql: { updated: 1 }, failed: 0 });
    expect(udfs(await company('Udf Makers'))).toMatchObject({ 'CRM ID': 'CRM-701-B', Discount: '15.0000' });
    expect(sql("SELECT renewal FROM companies WHERE name = 'Autotask Udf Co'")).toEqual([
      { renewal: '2028-01-15' },
    ]);
    // the ledger names the UDF and the side written
    const ledger = world.state.queryLedger({ runId: edits.runId, action: 'updated' });
    expect(ledger.map((e) => e.diff)).toContainEqual({
      'udf:CRM ID': expect.objectContaining({ from: 'CRM-701', to: 'CRM-701-B', side: 'autotask' }),
      'udf:Discount': expect.objectContaining({ from: '12.5', to: '15', side: 'autotask' }),
    });

    // reading back its own writes is no change
    world.emulator.resetCounters();
    const after = await runTwoWaySyncs(deps(), config().twoWay);
    expect(after.results[0]).toMatchObject({ autotask: { updated: 0 }, sql: { updated: 0 } });
    expect(writes()).toEqual({ create: 0, update: 0 });
  });

  it('names an unknown UDF in the configuration error, with the UDFs Autotask has', async () => {
    const error = await runTwoWaySyncs(deps(), config('      "udf:No Such Field": nope').twoWay).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).issues[0]?.message).toMatch(
      /no user-defined field "No Such Field".*CRM ID/,
    );
  });
});
