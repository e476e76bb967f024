import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { runSyncs } from '../../src/sync/engine/index.js';
import { createEngineWorld, csv, OWNER_EMAIL, type EngineWorld } from './helpers/engine-world.js';

const CONFIG = `
version: 1
syncs:
  - name: companies
    object: Company
    source: { type: csv, path: companies.csv }
    fields:
      companyName: Name
      phone: Phone
      companyType: { column: Type, default: Prospect }
      ownerResourceID: { column: Owner, ref: Resource, default: ${OWNER_EMAIL} }
  - name: contacts
    object: Contact
    source: { type: csv, path: contacts.csv }
    fields:
      companyID: { column: Company, ref: Company }
      firstName: First
      lastName: Last
      emailAddress: Email
`;

describe('initial load and unchanged re-run', () => {
  let world: EngineWorld;
  beforeEach(async () => {
    world = await createEngineWorld();
  });
  afterEach(async () => {
    await world.close();
  });

  it('creates every company and contact once, then costs only the change-detection reads', async () => {
    const companies = Array.from({ length: 30 }, (_, i) => [
      `Company ${i}`,
      `+1 555 01${i}`,
      i % 2 ? 'Customer' : '',
      '',
    ]);
    world.file('companies.csv', csv(['Name', 'Phone', 'Type', 'Owner'], companies));
    const contacts = Array.from({ length: 60 }, (_, i) => [
      `Company ${i % 30}`,
      `First${i}`,
      `Last${i}`,
      `person${i}@example.com`,
    ]);
    world.file('contacts.csv', csv(['Company', 'First', 'Last', 'Email'], contacts));
    const config = world.config(CONFIG);

    const first = await runSyncs(world.deps, config);
    expect(first.status).toBe('succeeded');
    expect(first.counts).toMatchObject({
      created: 90,
      updated: 0,
      unchanged: 0,
      conflict: 0,
      invalid: 0,
      failed: 0,
    });
    const stats1 = world.emulator.stats();
    expect(stats1.byOperation['create']).toBe(90);
    expect(world.emulator.tenant.tables.Companies.size()).toBe(31);
    expect(world.emulator.tenant.tables.Contacts.size()).toBe(60);
    // 90 creates + 1 contacts count (scan or look up?) + 2 scans + 1 resources read + 2 read-backs
    // + 4 metadata (cold cache).
    expect(first.apiCalls).toBe(100);
    expect(stats1.total).toBe(100);

    world.emulator.resetCounters();
    world.reopen();
    const second = await runSyncs(world.deps, config);
    expect(second.counts).toMatchObject({
      created: 0,
      updated: 0,
      unchanged: 90,
      failed: 0,
      invalid: 0,
      conflict: 0,
    });
    const stats2 = world.emulator.stats();
    expect(stats2.byOperation['create'] ?? 0).toBe(0);
    expect(stats2.byOperation['update'] ?? 0).toBe(0);
    // Exactly the change-detection reads: companies and contacts since the watermark, and the
    // resources (owners) which have no timestamp. Metadata comes from the state store's cache.
    expect(stats2.byOperation).toEqual({ query: 3 });
    expect(second.apiCalls).toBe(3);
  });
});
