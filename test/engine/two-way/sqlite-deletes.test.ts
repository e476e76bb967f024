/**
 * Deletes on a SQLite pair of tables: never propagated by default (reported once); with the opt-in
 * policy a contact deleted in Autotask sets the row's active column false (noticed by a whole read).
 */
import { join } from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { runTwoWaySyncs, type TwoWayDeps } from '../../../src/sync/two-way/index.js';
import { createEngineWorld, OWNER_ID, type EngineWorld } from '../helpers/engine-world.js';
import { querySqlite, twoWayDeps } from '../helpers/two-way-support.js';

let world: EngineWorld;
const deps = (): TwoWayDeps => twoWayDeps(world);
const sql = (statement: string, ...params: unknown[]): unknown[] =>
  querySqlite(join(world.dir, 'crm.sqlite'), statement, ...params);

beforeEach(async () => {
  world = await createEngineWorld();
  sql(`CREATE TABLE firms (id INTEGER PRIMARY KEY, name TEXT, phone TEXT)`);
  sql(
    `CREATE TABLE people (id INTEGER PRIMARY KEY, firm INTEGER, first TEXT, last TEXT, email TEXT, active INTEGER DEFAULT 1)`,
  );
  sql(
    `INSERT INTO firms (name, phone) VALUES ('Delete Me Ltd', '+1 555 0701'), ('Keep Me Ltd', '+1 555 0702')`,
  );
  sql(
    `INSERT INTO people (firm, first, last, email) VALUES (2, 'Kim', 'Keep', 'kim@keep.example'), (2, 'Dan', 'Gone', 'dan@keep.example')`,
  );
});
afterEach(async () => {
  await world.close();
});

describe('two-way deletes', () => {
  it('reports a deleted row once without touching Autotask, and deactivates a row whose contact Autotask lost', async () => {
    const config = world.config(`
version: 1
twoWay:
  - name: firms
    object: Company
    table: { type: sqlite, path: crm.sqlite, table: firms, key: id }
    systems: [sql, autotask]
    create: { sql: false }
    autotaskDefaults: { companyType: 1, ownerResourceID: ${OWNER_ID} }
    fields: { companyName: name, phone: phone }
  - name: people
    object: Contact
    table: { type: sqlite, path: crm.sqlite, table: people, key: id }
    systems: [sql, autotask]
    autotaskDefaults: { isActive: 1 }
    deletes: { policy: deactivate, maxShare: 0.5, activeColumn: active }
    fields:
      companyID: { column: firm, ref: firms }
      firstName: first
      lastName: last
      emailAddress: email
`);
    const first = await runTwoWaySyncs(deps(), config.twoWay);
    expect(first.results.map((r) => r.autotask.created)).toEqual([2, 2]);

    sql(`DELETE FROM firms WHERE name = 'Delete Me Ltd'`);
    world.emulator.resetCounters();
    const second = await runTwoWaySyncs(deps(), config.twoWay);
    expect(second.results[0]).toMatchObject({ deletesSeen: 1, autotask: { deactivated: 0, updated: 0 } });
    expect(world.emulator.stats().byOperation['update'] ?? 0).toBe(0);
    const [reported] = world.state.queryLedger({ runId: second.runId, action: 'skipped' });
    expect(reported).toMatchObject({
      sync: 'firms',
      reason: expect.stringMatching(/deleted from firms; not propagated/),
    });
    const third = await runTwoWaySyncs(deps(), config.twoWay);
    expect(third.results[0]).toMatchObject({ deletesSeen: 0 });

    // a contact deleted in Autotask is noticed by a whole read and its row deactivated
    const dan = (await world.client.findByValues('Contacts', 'emailAddress', ['dan@keep.example'])).get(
      'dan@keep.example',
    )?.[0];
    expect(world.emulator.tenant.tables.Contacts.delete(dan!.id)).toBe(true);
    const incremental = await runTwoWaySyncs(deps(), config.twoWay);
    expect(incremental.results[1]).toMatchObject({ deletesSeen: 0 }); // incremental reads cannot see it
    const full = await runTwoWaySyncs(deps(), config.twoWay, { full: true });
    expect(full.results[1]).toMatchObject({ deletesSeen: 1, sql: { deactivated: 1 } });
    expect(sql(`SELECT email, active FROM people ORDER BY id`)).toEqual([
      { email: 'kim@keep.example', active: 1 },
      { email: 'dan@keep.example', active: 0 },
    ]);
  });
});
