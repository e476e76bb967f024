import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { runSyncs } from '../../src/sync/engine/index.js';
import { createEngineWorld, csv, OWNER_EMAIL, OWNER_ID, type EngineWorld } from './helpers/engine-world.js';
import { companiesSyncYaml, PROSPECTS_ONE_PHONE } from '../../bench/lib/companies-sync-yaml.js';

const INACTIVE_OWNER = 'casey.brooks@emulator-msp.example';

const CONFIG = `
version: 1
syncs:
  - name: opportunities
    object: Opportunity
    source: { type: csv, path: opportunities.csv }
    fields:
      title: Title
      projectedCloseDate: { column: Close, transform: [{ type: date, format: YYYY-MM-DD }] }
      startDate: { column: Close, transform: [{ type: date, format: YYYY-MM-DD }] }
      companyID: { column: Company, ref: Company }
      contactID: { column: Contact, ref: Contact }
      ownerResourceID: { column: Owner, ref: Resource }
      status: { default: Active }
      stage: { default: Qualified }
      probability: { default: 50 }
      amount: { default: 0 }
      cost: { default: 0 }
      useQuoteTotals: { default: true }
  - name: contacts
    object: Contact
    source: { type: csv, path: contacts.csv }
    fields:
      companyID: { column: Company, ref: Company }
      firstName: First
      lastName: Last
      emailAddress: Email
${companiesSyncYaml(PROSPECTS_ONE_PHONE)}
`;

describe('relationships and conflicts', () => {
  let world: EngineWorld;
  beforeEach(async () => {
    world = await createEngineWorld();
  });
  afterEach(async () => {
    await world.close();
  });

  it('resolves companies by id, exact name and same-run record, holds duplicates back, and re-runs at no cost', async () => {
    const base = { companyType: 1, ownerResourceID: OWNER_ID, phone: '+1 555 0000' };
    const existing = await world.client.companies.create({ companyName: 'Existing Corp', ...base });
    await world.client.companies.create({ companyName: 'Twin Co', ...base });
    await world.client.companies.create({ companyName: 'Twin Co', ...base });
    const oldContact = await world.client.contacts.create({
      companyID: existing,
      firstName: 'Olga',
      lastName: 'Old',
      emailAddress: 'old@existing.example',
      isActive: 1,
    });

    world.file('companies.csv', csv(['Name'], [['New Co'], ['Twin Co'], ['Solo Ltd']]));
    world.file(
      'contacts.csv',
      csv(
        ['Company', 'First', 'Last', 'Email'],
        [
          ['New Co', 'Ann', 'New', 'ann@newco.example'],
          ['Existing Corp', 'Bea', 'Exist', 'bea@existing.example'],
          [String(existing), 'Cid', 'ById', 'cid@existing.example'],
          ['999999', 'Dan', 'Nobody', 'dan@nowhere.example'],
          ['Twin Co', 'Eve', 'Twin', 'eve@twin.example'],
          ['Solo Ltd', 'Fay', 'Dup', 'fay@solo.example'],
          ['Solo Ltd', 'Fay', 'Again', 'FAY@solo.example'],
        ],
      ),
    );
    world.file(
      'opportunities.csv',
      csv(
        ['Title', 'Close', 'Company', 'Contact', 'Owner'],
        [
          ['Renewal', '2026-12-01', 'New Co', 'ann@newco.example', OWNER_EMAIL],
          ['Upsell', '2026-12-15', 'Existing Corp', 'old@existing.example', OWNER_EMAIL],
          ['Ghost deal', '2026-12-20', 'Existing Corp', '', INACTIVE_OWNER],
        ],
      ),
    );
    const config = world.config(CONFIG);
    const run = await runSyncs(world.deps, config);
    const bySync = Object.fromEntries(run.syncs.map((s) => [s.name, s.counts]));
    // Config order is opportunities, contacts, companies: the engine still runs companies first.
    expect(run.syncs.map((s) => s.name)).toEqual(['companies', 'contacts', 'opportunities']);
    expect(bySync['companies']).toMatchObject({ created: 2, conflict: 1 });
    expect(bySync['contacts']).toMatchObject({ created: 3, invalid: 1, failed: 1, conflict: 2 });
    expect(bySync['opportunities']).toMatchObject({ created: 2, invalid: 1 });

    const ledger = (action: 'invalid' | 'failed' | 'conflict', sync: string) =>
      world.state.queryLedger({ runId: run.runId, action, sync });
    expect(ledger('conflict', 'companies')[0]!.reason).toMatch(
      /Duplicate in Autotask: 2 Companies have the key "twin co"/,
    );
    expect(ledger('invalid', 'contacts')[0]).toMatchObject({
      field: 'companyID',
      reason: expect.stringMatching(/No Autotask company has id 999999/),
      sourceLocation: expect.stringMatching(/contacts\.csv:5$/),
    });
    expect(ledger('failed', 'contacts')[0]!.reason).toMatch(
      /company "Twin Co" \(.*companies\.csv:3\) was not written/,
    );
    expect(ledger('conflict', 'contacts').map((e) => e.sourceLocation)).toEqual([
      expect.stringMatching(/contacts\.csv:7$/),
      expect.stringMatching(/contacts\.csv:8$/),
    ]);
    // Each of the two rows names both (the key pass keeps only the later one's location; the first
    // is filled in when the load pass reaches it).
    for (const entry of ledger('conflict', 'contacts'))
      expect(entry.reason).toMatch(
        /Duplicate in the source: 2 rows have the key .*contacts\.csv:7, .*contacts\.csv:8\)/,
      );
    expect(ledger('invalid', 'opportunities')[0]!.reason).toMatch(/is inactive/);

    const company = async (name: string): Promise<number> => {
      for await (const c of world.client.companies.query({
        filter: [{ op: 'eq', field: 'companyName', value: name }],
      }))
        return c.id;
      throw new Error(name);
    };
    const newCo = await company('New Co');
    const contacts = new Map<string, Record<string, unknown>>();
    for await (const c of world.client.contacts.query({ filter: [{ op: 'gte', field: 'id', value: 0 }] }))
      contacts.set(String(c.emailAddress), c);
    expect(contacts.get('ann@newco.example')?.['companyID']).toBe(newCo);
    expect(contacts.get('bea@existing.example')?.['companyID']).toBe(existing);
    expect(contacts.get('cid@existing.example')?.['companyID']).toBe(existing);
    expect(contacts.get('ann@newco.example')?.['isActive']).toBe(1); // product rule: Active defaults to 1
    const opps = new Map<string, Record<string, unknown>>();
    for await (const o of world.client.opportunities.query({
      filter: [{ op: 'gte', field: 'id', value: 0 }],
    }))
      opps.set(String(o.title), o);
    expect(opps.get('Renewal')).toMatchObject({
      companyID: newCo,
      contactID: contacts.get('ann@newco.example')?.['id'],
      ownerResourceID: OWNER_ID,
    });
    expect(opps.get('Upsell')).toMatchObject({ companyID: existing, contactID: oldContact });

    world.emulator.resetCounters();
    world.reopen();
    const again = await runSyncs(world.deps, config);
    expect(again.counts).toMatchObject({ created: 0, updated: 0, unchanged: 7 });
    expect(world.emulator.stats().byOperation).toEqual({ query: 4 }); // 3 incremental reads + resources
  });
});
