/**
 * `planTwoWaySyncs` on a SQLite table: it reports what a pass would do on each side (creates and
 * updates in Autotask, inserts and updates in the table, old → new per field, the side that wins a
 * conflict, deletes it would report) while writing nothing to Autotask, the table or the links and
 * cursors; the run that follows does exactly what the plan said, and the plan's calls are the run's
 * reads.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import {
  planTwoWaySyncs,
  runTwoWaySyncs,
  type TwoWayDeps,
  type TwoWayFieldChange,
  type TwoWayPlanReport,
} from '../../../src/sync/two-way/index.js';
import { createEngineWorld, OWNER_ID, type EngineWorld } from '../helpers/engine-world.js';
import { iso, querySqlite, sleep, twoWayDeps } from '../helpers/two-way-support.js';

let world: EngineWorld;
let dbPath: string;

function deps(): TwoWayDeps {
  return twoWayDeps(world);
}

function config(): ReturnType<EngineWorld['config']> {
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
  - name: people-db
    object: Contact
    table: { type: sqlite, path: crm.sqlite, table: people, key: id, updatedAt: updated_at }
    fields:
      companyID: { column: company_id, ref: companies-db, systems: [sql, autotask] }
      firstName: first_name
      lastName: last_name
      emailAddress: email
`);
}

function sql<T = Record<string, unknown>>(query: string, ...params: unknown[]): T[] {
  return querySqlite<T>(dbPath, query, ...params);
}

/** Everything a plan must leave alone: both tables, Autotask's writes, links, cursors, intents. */
function snapshot(): Record<string, unknown> {
  const ops = world.emulator.stats().byOperation;
  return {
    companies: sql('SELECT * FROM companies ORDER BY id'),
    people: sql('SELECT * FROM people ORDER BY id'),
    writes: { create: ops['create'] ?? 0, update: ops['update'] ?? 0, delete: ops['delete'] ?? 0 },
    autotask: world.emulator.tenant.tables.Companies.size() + world.emulator.tenant.tables.Contacts.size(),
    links: ['companies-db', 'people-db'].map((s) => [
      ...world.state.iterateLinks(s, s === 'people-db' ? 'Contact' : 'Company'),
    ]),
    cursors: ['companies-db', 'people-db'].flatMap((s) =>
      ['autotask', 'sql'].map((stream) => world.state.getBookmark(`two-way:${s}`, stream) ?? null),
    ),
    intents: ['companies-db', 'people-db'].map((s) => world.state.listUnresolvedIntents(s)),
  };
}

function changesOf(report: TwoWayPlanReport, sync: string): Record<string, TwoWayFieldChange>[] {
  return (report.syncs.find((s) => s.name === sync)?.outcomes ?? [])
    .filter((o) => o.diff !== null)
    .map((o) => o.diff as unknown as Record<string, TwoWayFieldChange>);
}

beforeEach(async () => {
  world = await createEngineWorld();
  dbPath = join(world.dir, 'crm.sqlite');
  const db = new Database(dbPath);
  db.exec(`CREATE TABLE companies (id INTEGER PRIMARY KEY, name TEXT NOT NULL, phone TEXT, website TEXT, updated_at TEXT);
    CREATE TABLE people (id INTEGER PRIMARY KEY, company_id INTEGER, first_name TEXT, last_name TEXT, email TEXT, updated_at TEXT)`);
  const insert = db.prepare('INSERT INTO companies (name, phone, website, updated_at) VALUES (?, ?, ?, ?)');
  insert.run('Alpha Works', '+1 555 0101', null, iso(-60_000));
  insert.run('Beta Ltd', '+1 555 0102', null, iso(-60_000));
  db.prepare(
    'INSERT INTO people (company_id, first_name, last_name, email, updated_at) VALUES (?, ?, ?, ?, ?)',
  ).run(1, 'Ada', 'Alpha', 'ada@alpha.example', iso(-60_000));
  db.close();
  await world.client.companies.create({
    companyName: 'Beta Ltd',
    phone: '+1 555 9999',
    webAddress: 'https://beta.example',
    companyType: 1,
    ownerResourceID: OWNER_ID,
  });
  world.emulator.resetCounters();
});

afterEach(async () => {
  await world.close();
});

describe('two-way plan (SQLite)', () => {
  it('previews a first run on both sides, writes nothing, and the run then does what it said', async () => {
    const before = snapshot();
    const fileBefore = readFileSync(dbPath);
    const plan = await planTwoWaySyncs(deps(), config().twoWay);
    expect(snapshot()).toEqual(before);
    expect(readFileSync(dbPath).equals(fileBefore)).toBe(true);

    expect(plan.mode).toBe('plan');
    expect(plan.status).toBe('succeeded');
    const [companies, people] = plan.syncs;
    // Alpha is new in Autotask; Beta is matched by name; the tenant's own company (id 0) gets a row
    expect(companies?.twoWay).toMatchObject({
      autotask: { create: 1, update: 0 },
      table: { insert: 1, update: 1 },
      autotaskRead: 'full',
      sqlRead: 'full',
    });
    expect(companies?.counts).toMatchObject({ created: 2, updated: 1, invalid: 0, conflict: 0 });
    const diffs = changesOf(plan, 'companies-db');
    // the new company is sent with the row's values
    expect(diffs).toContainEqual({
      companyName: { from: null, to: 'Alpha Works', side: 'autotask', column: 'name', winner: 'sql' },
      phone: { from: null, to: '+1 555 0101', side: 'autotask', column: 'phone', winner: 'sql' },
    });
    // Beta: Autotask owns the website, so it fills the table's empty column
    expect(diffs).toContainEqual(
      expect.objectContaining({
        webAddress: {
          from: null,
          to: 'https://beta.example',
          side: 'sql',
          column: 'website',
          winner: 'autotask',
        },
      }),
    );
    // the contact refers to a company this run creates first: not invalid, created after it
    expect(people?.twoWay.autotask.create).toBe(1);
    expect(people?.counts.invalid).toBe(0);
    expect(changesOf(plan, 'people-db')[0]?.['companyID']?.to).toBe('(the Company this run creates first)');

    const run = await runTwoWaySyncs(deps(), config().twoWay);
    expect(run.results[0]).toMatchObject({
      autotask: { created: 1, updated: 0 },
      sql: { created: 1, updated: 1 },
    });
    expect(run.results[1]).toMatchObject({ autotask: { created: 1 }, invalid: 0 });
    // the plan's calls are the run's reads: the run only adds one call per Autotask write
    expect(run.apiCalls - (plan.estimatedCalls - plan.apiCalls)).toBeLessThanOrEqual(plan.apiCalls);
    expect(plan.estimatedCalls).toBe(plan.apiCalls + 2);
  });

  it('previews edits on both sides with old → new, the winner of a conflict, and a deleted row', async () => {
    await runTwoWaySyncs(deps(), config().twoWay);
    await sleep(5);
    const beta = (await world.client.findByValues('Companies', 'companyName', ['Beta Ltd'])).get(
      'beta ltd',
    )?.[0];
    // both sides change Beta's phone (most-recent: Autotask's later change wins); the table renames
    // Alpha (its system of record); Autotask's website change of Beta reaches the table
    sql("UPDATE companies SET phone = '+1 555 1111', updated_at = ? WHERE name = 'Beta Ltd'", iso(-1_000));
    sql("UPDATE companies SET name = 'Alpha Works Group', updated_at = ? WHERE name = 'Alpha Works'", iso());
    await world.client.companies.update({
      id: beta!.id,
      phone: '+1 555 2222',
      webAddress: 'https://beta.example/new',
    });
    sql("DELETE FROM people WHERE email = 'ada@alpha.example'");
    world.emulator.resetCounters();

    const before = snapshot();
    const plan = await planTwoWaySyncs(deps(), config().twoWay);
    expect(snapshot()).toEqual(before);
    const [companies, people] = plan.syncs;
    expect(companies?.twoWay).toMatchObject({
      autotask: { create: 0, update: 1 },
      table: { insert: 0, update: 1 },
      overridden: 1,
      autotaskRead: 'incremental',
      sqlRead: 'incremental',
    });
    const diffs = changesOf(plan, 'companies-db');
    expect(diffs).toContainEqual({
      companyName: {
        from: 'Alpha Works',
        to: 'Alpha Works Group',
        side: 'autotask',
        column: 'name',
        winner: 'sql',
      },
    });
    expect(diffs).toContainEqual({
      phone: {
        from: '+1 555 1111',
        to: '+1 555 2222',
        side: 'sql',
        column: 'phone',
        winner: 'autotask',
        conflict: true,
      },
      webAddress: {
        from: 'https://beta.example',
        to: 'https://beta.example/new',
        side: 'sql',
        column: 'website',
        winner: 'autotask',
      },
    });
    // the deleted row is reported (deletes.policy: report), not propagated
    expect(people?.twoWay.deletesSeen).toBe(1);
    expect(people?.counts.skipped).toBe(1);
    expect(people?.outcomes[0]).toMatchObject({
      action: 'skipped',
      reason: expect.stringMatching(/deleted/),
    });

    // incremental plan: the change queries of both syncs, nothing else
    expect(plan.apiCalls).toBe(2);
    const run = await runTwoWaySyncs(deps(), config().twoWay);
    expect(run.results[0]).toMatchObject({ autotask: { updated: 1 }, sql: { updated: 1 }, overridden: 1 });
    expect(run.results[1]).toMatchObject({ deletesSeen: 1 });
    expect(run.apiCalls).toBe(plan.estimatedCalls);
    // afterwards a plan finds nothing to do
    const quiet = await planTwoWaySyncs(deps(), config().twoWay);
    expect(quiet.counts).toMatchObject({ created: 0, updated: 0, skipped: 0 });
    expect(quiet.estimatedCalls).toBe(quiet.apiCalls);
  });

  it('previews a deactivation, and reports the delete guard as the reason the run would stop', async () => {
    const guarded = world.config(readConfigWithDeactivate());
    await runTwoWaySyncs(deps(), guarded.twoWay);
    const alpha = world.state.getLink({ sync: 'companies-db', object: 'Company', key: '1' });
    sql("DELETE FROM companies WHERE name = 'Alpha Works'");
    let before = snapshot();
    const one = await planTwoWaySyncs(deps(), guarded.twoWay);
    expect(snapshot()).toEqual(before);
    expect(one.syncs[0]?.twoWay).toMatchObject({ deletesSeen: 1, autotask: { deactivate: 1 } });
    expect(one.syncs[0]?.outcomes).toContainEqual(
      expect.objectContaining({
        action: 'updated',
        autotaskId: alpha?.autotaskId,
        reason: expect.stringMatching(/^deactivated in Autotask/),
      }),
    );
    expect((await world.client.companies.get(alpha!.autotaskId))?.['isActive']).toBe(true);

    sql('DELETE FROM companies');
    before = snapshot();
    const all = await planTwoWaySyncs(deps(), guarded.twoWay);
    expect(snapshot()).toEqual(before);
    expect(all.status).toBe('failed');
    expect(all.error?.code).toBe('TWO_WAY_DELETE_GUARD');
  });
});

function readConfigWithDeactivate(): string {
  return `
version: 1
twoWay:
  - name: companies-db
    object: Company
    table: { type: sqlite, path: crm.sqlite, table: companies, key: id, updatedAt: updated_at }
    systems: [sql, autotask]
    autotaskDefaults: { companyType: 1, ownerResourceID: ${OWNER_ID} }
    deletes: { policy: deactivate, maxShare: 0.5 }
    fields:
      companyName: name
      phone: phone
`;
}
