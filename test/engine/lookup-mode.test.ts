import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { runSyncs } from '../../src/sync/engine/index.js';
import { createEngineWorld, csv, type EngineWorld } from './helpers/engine-world.js';

const CONFIG = `
version: 1
syncs:
  - name: contacts
    object: Contact
    source: { type: csv, path: contacts.csv }
    fields:
      companyID: { column: Company, ref: Company }
      firstName: First
      lastName: Last
      emailAddress: Email
`;

describe('a few contacts against a large tenant', () => {
  let world: EngineWorld;
  beforeEach(async () => {
    world = await createEngineWorld({ records: 3000 }); // about 6,000 contacts
  });
  afterEach(async () => {
    await world.close();
  });

  it('looks the emails up in batched `in` queries instead of scanning every contact', async () => {
    const tenant = world.emulator.tenant.tables;
    expect(tenant.Contacts.size()).toBeGreaterThan(5000);
    const existing = [...tenant.Contacts.scan()].slice(0, 2).map((c) => ({
      email: String(c.values['emailAddress']),
      company: String(tenant.Companies.get(Number(c.values['companyID']))?.values['companyName']),
      first: String(c.values['firstName']),
      last: String(c.values['lastName']),
    }));
    const company = existing[0]!.company;
    world.file(
      'contacts.csv',
      csv(
        ['Company', 'First', 'Last', 'Email'],
        [
          // Matched case-insensitively (not created again); Autotask's spelling of the key is kept.
          ...existing.map((e, i) => [e.company, e.first, e.last, i === 0 ? e.email.toUpperCase() : e.email]),
          [company, 'New', 'One', 'new.one@lookup.example'],
          [company, 'New', 'Two', 'new.two@lookup.example'],
        ],
      ),
    );
    const config = world.config(CONFIG);
    world.emulator.resetCounters();
    const run = await runSyncs(world.deps, config);
    expect(run.counts).toMatchObject({ created: 2, unchanged: 2, updated: 0, failed: 0, conflict: 0 });
    const contactsCalls = world.emulator.stats().byEntity['Contacts'];
    // One count, one `in` query, two creates (and the contacts' metadata: fields + UDFs).
    expect(world.emulator.stats().byOperation['create']).toBe(2);
    expect(world.emulator.stats().byOperation['update'] ?? 0).toBe(0);
    expect(contactsCalls).toBeLessThanOrEqual(2 + 2 + 2);

    world.emulator.resetCounters();
    world.reopen();
    const again = await runSyncs(world.deps, config);
    expect(again.counts).toMatchObject({ created: 0, unchanged: 4 });
    // Every key is linked now: only the count is needed for contacts.
    expect(world.emulator.stats().byEntity['Contacts']).toBe(1);
  });
});
