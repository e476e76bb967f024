/**
 * A webhook intake that names a `twoWay:` sync: each batch of Autotask callouts runs that sync's
 * incremental pass, so a company changed in Autotask reaches the two-way table with its rules.
 */
import { join } from 'node:path';

import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { startIntakeService, type IntakeService } from '../../src/intake/intake-service.js';
import { createEngineWorld, type EngineWorld } from '../engine/helpers/engine-world.js';
import { OWNER_ID } from './helpers/intake-world.js';

const SECRET = 'two-way-webhook-secret-0123456789';

let world: EngineWorld;
let service: IntakeService;
let dbPath: string;

function rowsNamed(name: string): Record<string, unknown>[] {
  const db = new Database(dbPath, { readonly: true });
  try {
    return db.prepare('SELECT * FROM companies WHERE name = ?').all(name) as Record<string, unknown>[];
  } finally {
    db.close();
  }
}

beforeAll(async () => {
  world = await createEngineWorld();
  dbPath = join(world.dir, 'crm.sqlite');
  const db = new Database(dbPath);
  db.exec('CREATE TABLE companies (id INTEGER PRIMARY KEY, name TEXT NOT NULL, phone TEXT, updated_at TEXT)');
  db.close();
  const config = world.config(`version: 1
twoWay:
  - name: companies-db
    object: Company
    table: { type: sqlite, path: crm.sqlite, table: companies, key: id, updatedAt: updated_at }
    systems: [autotask, sql]
    autotaskDefaults: { companyType: 1, ownerResourceID: ${OWNER_ID} }
    fields:
      companyName: name
      phone: phone
intakes:
  - name: hooks
    type: autotask-webhook
    secret: ${SECRET}
    object: Company
    twoWay: companies-db
    reconcileMinutes: 0
`);
  service = await startIntakeService({
    intakes: config.intakes,
    twoWay: config.twoWay,
    statePath: world.state.path,
    engine: { client: world.client, state: world.state, clock: world.deps.clock, logger: world.deps.logger },
    port: 0,
  });
  world.emulator.webhooks.register({
    entity: 'Companies',
    webhookUrl: `${service.origin}/intake/hooks`,
    secretKey: SECRET,
  });
}, 60_000);

afterAll(async () => {
  await service.close();
  await world.close();
});

describe('webhook intake → two-way sync', () => {
  it('brings a company created and changed in Autotask into the two-way table, once', async () => {
    const id = await world.client.companies.create({
      companyName: 'Two Way Hook Co',
      companyType: 1,
      ownerResourceID: OWNER_ID,
      phone: '1',
    });
    await world.client.companies.update({ id, phone: '2' });
    const deadline = Date.now() + 15_000;
    while (Date.now() < deadline && rowsNamed('Two Way Hook Co')[0]?.['phone'] !== '2')
      await new Promise((r) => setTimeout(r, 20));
    const rows = rowsNamed('Two Way Hook Co');
    expect(rows).toHaveLength(1);
    expect(rows[0]?.['phone']).toBe('2');
    await world.emulator.webhooks.idle();
    const deadline2 = Date.now() + 15_000;
    while (Date.now() < deadline2 && service.queue.list().some((i) => i.status !== 'done'))
      await new Promise((r) => setTimeout(r, 20));
    const items = service.queue.list();
    expect(items.every((i) => i.status === 'done')).toBe(true);
    expect(items[0]?.outcome?.records[0]?.name).toBe('companies-db');
  }, 60_000);

  it('refuses to start when the named two-way sync does not exist', async () => {
    const config = world.config(`version: 1
intakes:
  - name: hooks
    type: autotask-webhook
    secret: ${SECRET}
    object: Company
    twoWay: nope
`);
    await expect(
      startIntakeService({
        intakes: config.intakes,
        twoWay: [],
        statePath: world.state.path,
        engine: {
          client: world.client,
          state: world.state,
          clock: world.deps.clock,
          logger: world.deps.logger,
        },
        port: 0,
      }),
    ).rejects.toThrow(/names no twoWay sync/);
  });
});
