/**
 * Two-way sync of a SQLite companies table with the emulator: first run matches by name, creates on
 * both sides; edits on each side propagate per rule; a conflicting edit resolves as configured; runs
 * without edits make zero writes and only the change-detection query; no echo over 10 cycles.
 */
import { join } from 'node:path';

import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { runTwoWaySyncs, type TwoWayDeps } from '../../../src/sync/two-way/index.js';
import { createEngineWorld, OWNER_ID, type EngineWorld } from '../helpers/engine-world.js';
import { iso, querySqlite, sleep, twoWayDeps } from '../helpers/two-way-support.js';

let world: EngineWorld;
let dbPath: string;

function deps(): TwoWayDeps {
  return twoWayDeps(world);
}

function config(extra = ''): ReturnType<EngineWorld['config']> {
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
      phone: { column: phone, rule: most-recent }
      webAddress: { column: website, systems: [autotask, sql] }
${extra}`);
}

function sql<T = Record<string, unknown>>(query: string, ...params: unknown[]): T[] {
  return querySqlite<T>(dbPath, query, ...params);
}

async function companies(): Promise<Record<string, Record<string, unknown>>> {
  const out: Record<string, Record<string, unknown>> = {};
  for await (const c of world.client.companies.query({
    filter: [{ op: 'gte', field: 'id', value: 0 }],
    includeFields: ['id', 'companyName', 'phone', 'webAddress', 'isActive'],
  }))
    out[String(c.companyName)] = c;
  return out;
}

function writes(): { create: number; update: number } {
  const s = world.emulator.stats().byOperation;
  return { create: s['create'] ?? 0, update: s['update'] ?? 0 };
}

beforeEach(async () => {
  world = await createEngineWorld();
  dbPath = join(world.dir, 'crm.sqlite');
  const db = new Database(dbPath);
  db.exec(
    `CREATE TABLE companies (id INTEGER PRIMARY KEY, name TEXT NOT NULL, phone TEXT, website TEXT, updated_at TEXT)`,
  );
  const insert = db.prepare('INSERT INTO companies (name, phone, website, updated_at) VALUES (?, ?, ?, ?)');
  insert.run('Alpha Works', '+1 555 0101', null, iso(-60_000));
  insert.run('Beta Ltd', '+1 555 0102', null, iso(-60_000));
  insert.run('Gamma Inc', '+1 555 0103', 'https://gamma.example', iso(-60_000));
  db.close();
  await world.client.companies.create({
    companyName: 'Beta Ltd',
    phone: '+1 555 9999',
    webAddress: 'https://beta.example',
    companyType: 1,
    ownerResourceID: OWNER_ID,
  });
  await world.client.companies.create({
    companyName: 'Autotask Only Co',
    phone: '+1 555 0200',
    companyType: 1,
    ownerResourceID: OWNER_ID,
  });
  world.emulator.resetCounters();
});

afterEach(async () => {
  await world.close();
});

describe('two-way: SQLite companies ↔ Autotask', () => {
  it('first run matches by name, creates what is missing on each side, and fills per rule', async () => {
    const summary = await runTwoWaySyncs(deps(), config().twoWay);
    expect(summary.status).toBe('succeeded');
    const [r] = summary.results;
    expect(r).toMatchObject({
      autotask: { created: 2, updated: 0 },
      // Autotask Only Co, and the tenant's own company (id 0), which Autotask always has
      sql: { created: 2, updated: 1 },
      conflicts: 0,
      invalid: 0,
      failed: 0,
    });
    const at = await companies();
    expect(Object.keys(at)).toEqual(
      expect.arrayContaining(['Alpha Works', 'Autotask Only Co', 'Beta Ltd', 'Gamma Inc']),
    );
    expect(Object.keys(at)).toHaveLength(5);
    // Beta: the table is the system of record for the name; phone (most recent) and website
    // (Autotask first) were filled per rule
    expect(at['Gamma Inc']).toMatchObject({ webAddress: 'https://gamma.example' });
    const rows = sql<{ name: string; phone: string | null; website: string | null }>(
      'SELECT name, phone, website FROM companies ORDER BY name',
    );
    expect(rows.map((x) => x.name).sort()).toEqual(Object.keys(at).sort());
    expect(rows.find((x) => x.name === 'Beta Ltd')?.website).toBe('https://beta.example');
    expect(rows.find((x) => x.name === 'Autotask Only Co')?.phone).toBe('+1 555 0200');
    // the phone is most-recent: Autotask's Beta was written after the row, so Autotask's value stands
    expect(rows.find((x) => x.name === 'Beta Ltd')?.phone).toBe('+1 555 9999');
    expect(at['Beta Ltd']?.['phone']).toBe('+1 555 9999');
  });

  it('re-running without edits writes nothing and only queries for changes, 10 times over (no echo)', async () => {
    await runTwoWaySyncs(deps(), config().twoWay);
    for (let cycle = 0; cycle < 10; cycle += 1) {
      world.emulator.resetCounters();
      const before = sql<{ n: number }>('SELECT count(*) AS n FROM companies')[0]?.n;
      const summary = await runTwoWaySyncs(deps(), config().twoWay);
      const [r] = summary.results;
      expect(r).toMatchObject({
        autotaskRead: 'incremental',
        sqlRead: 'incremental',
        autotask: { created: 0, updated: 0 },
        sql: { created: 0, updated: 0 },
      });
      expect(writes()).toEqual({ create: 0, update: 0 });
      const stats = world.emulator.stats();
      // one change-detection query (the overlap window's records fit in one page), nothing else
      expect(stats.byOperation['query']).toBe(1);
      expect(stats.total).toBe(1);
      expect(sql<{ n: number }>('SELECT count(*) AS n FROM companies')[0]?.n).toBe(before);
    }
  });

  it('edits on each side propagate per rule, and a change against the system of record is reverted', async () => {
    await runTwoWaySyncs(deps(), config().twoWay);
    const ids = Object.fromEntries(Object.entries(await companies()).map(([n, c]) => [n, c['id'] as number]));

    // the table edits a name (its system of record) → Autotask follows
    await sleep(5);
    sql("UPDATE companies SET name = 'Alpha Works Group', updated_at = ? WHERE name = 'Alpha Works'", iso());
    world.emulator.resetCounters();
    let [r] = (await runTwoWaySyncs(deps(), config().twoWay)).results;
    expect(r).toMatchObject({ autotask: { updated: 1 }, sql: { updated: 0 } });
    expect((await world.client.companies.get(ids['Alpha Works']!))?.companyName).toBe('Alpha Works Group');
    expect(writes()).toEqual({ create: 0, update: 1 });

    // Autotask edits the website (its system of record) → the table follows
    await world.client.companies.update({ id: ids['Gamma Inc']!, webAddress: 'https://gamma.example/new' });
    [r] = (await runTwoWaySyncs(deps(), config().twoWay)).results;
    expect(r).toMatchObject({ autotask: { updated: 0 }, sql: { updated: 1 } });
    expect(
      sql<{ website: string }>("SELECT website FROM companies WHERE name = 'Gamma Inc'")[0]?.website,
    ).toBe('https://gamma.example/new');

    // Autotask edits a name: the table is its system of record, so the change is reverted
    await world.client.companies.update({ id: ids['Beta Ltd']!, companyName: 'Beta Renamed' });
    [r] = (await runTwoWaySyncs(deps(), config().twoWay)).results;
    expect(r).toMatchObject({ autotask: { updated: 1 }, sql: { updated: 0 }, overridden: 1 });
    expect((await world.client.companies.get(ids['Beta Ltd']!))?.companyName).toBe('Beta Ltd');

    // the table fills a website that is empty in Autotask (its system of record): allowed
    await world.client.companies.update({ id: ids['Alpha Works']!, webAddress: null });
    await runTwoWaySyncs(deps(), config().twoWay);
    await sleep(5);
    sql(
      "UPDATE companies SET website = 'https://alpha.example', updated_at = ? WHERE name = 'Alpha Works Group'",
      iso(),
    );
    [r] = (await runTwoWaySyncs(deps(), config().twoWay)).results;
    expect(r).toMatchObject({ autotask: { updated: 1 } });
    expect((await world.client.companies.get(ids['Alpha Works']!))?.webAddress).toBe('https://alpha.example');

    // then nothing more happens
    world.emulator.resetCounters();
    [r] = (await runTwoWaySyncs(deps(), config().twoWay)).results;
    expect(writes()).toEqual({ create: 0, update: 0 });
    expect(r).toMatchObject({ sql: { updated: 0, created: 0 } });
  });

  it('a conflicting edit on both sides resolves by the most recent change for a most-recent field', async () => {
    await runTwoWaySyncs(deps(), config().twoWay);
    const ids = Object.fromEntries(Object.entries(await companies()).map(([n, c]) => [n, c['id'] as number]));

    // the table first, Autotask later → Autotask wins
    sql("UPDATE companies SET phone = '+1 555 1111', updated_at = ? WHERE name = 'Gamma Inc'", iso(-2000));
    await world.client.companies.update({ id: ids['Gamma Inc']!, phone: '+1 555 2222' });
    let [r] = (await runTwoWaySyncs(deps(), config().twoWay)).results;
    expect(r).toMatchObject({ sql: { updated: 1 }, autotask: { updated: 0 }, overridden: 1 });
    expect(sql<{ phone: string }>("SELECT phone FROM companies WHERE name = 'Gamma Inc'")[0]?.phone).toBe(
      '+1 555 2222',
    );

    // Autotask first, the table later → the table wins
    await world.client.companies.update({ id: ids['Gamma Inc']!, phone: '+1 555 3333' });
    sql("UPDATE companies SET phone = '+1 555 4444', updated_at = ? WHERE name = 'Gamma Inc'", iso(2000));
    [r] = (await runTwoWaySyncs(deps(), config().twoWay)).results;
    expect(r).toMatchObject({ autotask: { updated: 1 }, sql: { updated: 0 }, overridden: 1 });
    expect((await world.client.companies.get(ids['Gamma Inc']!))?.phone).toBe('+1 555 4444');
  });

  it('a write Autotask refuses fails that record only, is retried each pass, and clears once fixed', async () => {
    await runTwoWaySyncs(deps(), config().twoWay);
    await sleep(5);
    // Autotask requires a company phone: clearing it in the table cannot be sent
    sql("UPDATE companies SET phone = NULL, updated_at = ? WHERE name = 'Alpha Works'", iso());
    let summary = await runTwoWaySyncs(deps(), config().twoWay);
    expect(summary.status).toBe('partial');
    expect(summary.results[0]).toMatchObject({ failed: 1, autotask: { updated: 0 } });
    const [failure] = world.state.queryLedger({ runId: summary.runId, action: 'failed' });
    expect(failure).toMatchObject({
      sourceLocation: 'companies:id=1',
      reason: expect.stringMatching(/phone/),
    });

    // the next pass tries again although the row's change is behind the cursor now
    summary = await runTwoWaySyncs(deps(), config().twoWay);
    expect(summary.results[0]).toMatchObject({ failed: 1, sqlRead: 'incremental' });

    await sleep(5);
    sql("UPDATE companies SET phone = '+1 555 0111', updated_at = ? WHERE name = 'Alpha Works'", iso());
    summary = await runTwoWaySyncs(deps(), config().twoWay);
    expect(summary.results[0]).toMatchObject({ failed: 0, autotask: { updated: 1 } });
    world.emulator.resetCounters();
    summary = await runTwoWaySyncs(deps(), config().twoWay);
    expect(summary.status).toBe('succeeded');
    expect(writes()).toEqual({ create: 0, update: 0 });
    expect(world.emulator.stats().total).toBe(1);
  });

  it.each(['error-after-commit', 'drop-after-commit'] as const)(
    'a create whose outcome is unknown (%s) is found by key on the next pass, never sent twice',
    async (kind) => {
      world.emulator.faults.addRule({
        match: { method: 'POST', entity: 'Companies', isWrite: true },
        kind,
        times: 1,
      });
      const first = await runTwoWaySyncs(deps(), config().twoWay);
      expect(first.results[0]).toMatchObject({ failed: 1, autotask: { created: 1 } });
      expect(world.state.listUnresolvedIntents('companies-db')).toHaveLength(1);
      const second = await runTwoWaySyncs(deps(), config().twoWay);
      expect(second.results[0]).toMatchObject({ failed: 0, autotask: { created: 0 } });
      const names = Object.keys(await companies());
      expect(names.filter((n) => n === 'Alpha Works' || n === 'Gamma Inc')).toHaveLength(2);
      expect([...world.emulator.tenant.tables.Companies.scan()]).toHaveLength(5);
      expect(world.state.listUnresolvedIntents('companies-db')).toEqual([]);
      expect(world.state.getLink({ sync: 'companies-db', object: 'Company', key: '1' })).toBeDefined();
      expect(world.state.getLink({ sync: 'companies-db', object: 'Company', key: '3' })).toBeDefined();
    },
  );

  it('a column of picklist labels is written to Autotask as values and read back as labels', async () => {
    sql('ALTER TABLE companies ADD COLUMN kind TEXT');
    sql("UPDATE companies SET kind = 'Prospect'");
    const cfg = (): ReturnType<EngineWorld['config']> =>
      world.config(`
version: 1
twoWay:
  - name: companies-kind
    object: Company
    table: { type: sqlite, path: crm.sqlite, table: companies, key: id, updatedAt: updated_at }
    systems: [sql, autotask]
    autotaskDefaults: { ownerResourceID: ${OWNER_ID} }
    fields:
      companyName: name
      phone: phone
      companyType: { column: kind, labels: true }
`);
    await runTwoWaySyncs(deps(), cfg().twoWay);
    const at = await companies();
    const alpha = await world.client.companies.get(at['Alpha Works']!['id'] as number);
    expect(alpha?.companyType).toBe(3);
    // Beta existed in Autotask as a Customer; the table (system of record) says Prospect
    const beta = await world.client.companies.get(at['Beta Ltd']!['id'] as number);
    expect(beta?.companyType).toBe(3);
    // the row inserted for an Autotask-only company gets the label
    expect(sql<{ kind: string }>("SELECT kind FROM companies WHERE name = 'Autotask Only Co'")[0]?.kind).toBe(
      'Customer',
    );
    world.emulator.resetCounters();
    await runTwoWaySyncs(deps(), cfg().twoWay);
    expect(writes()).toEqual({ create: 0, update: 0 });
  });

  it('a table without an updated-at column is compared by the values the sync keeps', async () => {
    const cfg = (): ReturnType<EngineWorld['config']> =>
      world.config(`
version: 1
twoWay:
  - name: companies-hash
    object: Company
    table: { type: sqlite, path: crm.sqlite, table: companies, key: id }
    autotaskDefaults: { companyType: 1, ownerResourceID: ${OWNER_ID} }
    fields:
      companyName: { column: name, systems: [sql, autotask] }
      phone: { column: phone, systems: [sql, autotask] }
      webAddress: website
`);
    await runTwoWaySyncs(deps(), cfg().twoWay);
    world.emulator.resetCounters();
    let [r] = (await runTwoWaySyncs(deps(), cfg().twoWay)).results;
    expect(r).toMatchObject({ sqlRead: 'full', autotaskRead: 'incremental', unchanged: 5 });
    expect(writes()).toEqual({ create: 0, update: 0 });
    sql("UPDATE companies SET phone = '+1 555 7777' WHERE name = 'Alpha Works'");
    [r] = (await runTwoWaySyncs(deps(), cfg().twoWay)).results;
    expect(r).toMatchObject({ autotask: { updated: 1 } });
    expect(Object.values(await companies()).find((c) => c['companyName'] === 'Alpha Works')?.['phone']).toBe(
      '+1 555 7777',
    );
    // Autotask is the system of record for the website (the sync-level default): a change in the
    // table is reverted
    sql("UPDATE companies SET website = 'https://elsewhere.example' WHERE name = 'Gamma Inc'");
    [r] = (await runTwoWaySyncs(deps(), cfg().twoWay)).results;
    expect(r).toMatchObject({ autotask: { updated: 0 }, sql: { updated: 1 }, overridden: 1 });
    expect(
      sql<{ website: string }>("SELECT website FROM companies WHERE name = 'Gamma Inc'")[0]?.website,
    ).toBe('https://gamma.example');
    // while a website empty in Autotask may be filled from the table
    sql("UPDATE companies SET website = 'https://alpha.example' WHERE name = 'Alpha Works'");
    [r] = (await runTwoWaySyncs(deps(), cfg().twoWay)).results;
    expect(r).toMatchObject({ autotask: { updated: 1 }, sql: { updated: 0 }, overridden: 0 });
  });
});
