/* eslint-disable @typescript-eslint/no-explicit-any, @typescript-eslint/no-unsafe-return --
   the contract suite inspects untyped wire JSON, exactly as a foreign client would */
/**
 * Issue 2, items 10 and 11: the seed tenant (resources active / inactive / API-only, picklists, UDF
 * definitions, N generated records, deterministic for a seed), in memory by default, and optionally
 * persisted to a SQLite file so a tenant survives restarts. Emulator only.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createCompany, findOwnerResourceId, getItem, ok, query } from './helpers/fixtures.js';
import { againstSandbox, emulatorOf, openTarget, type ContractTarget } from './helpers/target.js';

const ALL = [{ op: 'gte', field: 'id', value: 0 }];

async function count(t: ContractTarget, entity: string): Promise<number> {
  return ok(await t.call('POST', `V1.0/${entity}/query/count`, { body: { filter: ALL } }))
    .queryCount as number;
}

async function allItems(t: ContractTarget, entity: string): Promise<any[]> {
  const out: any[] = [];
  let page = ok(await t.call('POST', `V1.0/${entity}/query`, { body: { filter: ALL } }));
  out.push(...page.items);
  while (page.pageDetails.nextPageUrl) {
    page = ok(await t.call('POST', page.pageDetails.nextPageUrl, { body: { filter: ALL } }));
    out.push(...page.items);
  }
  return out;
}

describe.skipIf(againstSandbox)('seed tenant (item 10)', () => {
  let target: ContractTarget;
  beforeAll(async () => {
    target = await openTarget({ seed: 'demo' });
  });
  afterAll(() => target.close());

  it('has active, inactive and API-only resources; the API user is one of them', async () => {
    const resources = await allItems(target, 'Resources');
    expect(resources.filter((r) => r.isActive === true).length).toBeGreaterThanOrEqual(2);
    expect(resources.filter((r) => r.isActive === false).length).toBeGreaterThanOrEqual(1);
    const apiUser = await getItem(target, 'Resources', emulatorOf(target).apiUserResourceId);
    expect(apiUser).toMatchObject({ id: emulatorOf(target).apiUserResourceId, isActive: true });
    expect(await findOwnerResourceId(target)).not.toBe(apiUser.id);
  });

  it('has the root company (id 0) and a few demo companies, contacts and opportunities', async () => {
    expect(await getItem(target, 'Companies', 0)).toMatchObject({ id: 0 });
    expect(await count(target, 'Companies')).toBeGreaterThan(1);
    expect(await count(target, 'Contacts')).toBeGreaterThan(0);
    expect(await count(target, 'Opportunities')).toBeGreaterThan(0);
  });

  it('the empty seed has the root company and resources but no other records', async () => {
    const empty = await openTarget({ seed: 'empty' });
    try {
      expect(await count(empty, 'Companies')).toBe(1);
      expect(await count(empty, 'Contacts')).toBe(0);
      expect(await count(empty, 'Opportunities')).toBe(0);
      expect(await count(empty, 'Resources')).toBeGreaterThan(2);
    } finally {
      await empty.close();
    }
  });

  it('generates N companies, about 2N contacts and N/2 opportunities, identical for the same seed', async () => {
    const a = await openTarget({ seed: 'empty', records: 40, randomSeed: 7 });
    const b = await openTarget({ seed: 'empty', records: 40, randomSeed: 7 });
    const c = await openTarget({ seed: 'empty', records: 40, randomSeed: 8 });
    try {
      expect(await count(a, 'Companies')).toBe(41);
      const contacts = await count(a, 'Contacts');
      expect(contacts).toBeGreaterThanOrEqual(60);
      expect(contacts).toBeLessThanOrEqual(100);
      const opportunities = await count(a, 'Opportunities');
      expect(opportunities).toBeGreaterThanOrEqual(10);
      expect(opportunities).toBeLessThanOrEqual(30);
      for (const entity of ['Companies', 'Contacts', 'Opportunities']) {
        expect(await allItems(b, entity), entity).toEqual(await allItems(a, entity));
      }
      const names = async (t: ContractTarget): Promise<string[]> =>
        (await allItems(t, 'Companies')).map((x) => x.companyName);
      expect(await names(c)).not.toEqual(await names(a));
    } finally {
      await Promise.all([a.close(), b.close(), c.close()]);
    }
  });

  it('generated data passes the emulator’s own validation (its references resolve)', async () => {
    const t = await openTarget({ seed: 'empty', records: 20, randomSeed: 3 });
    try {
      for (const contact of await allItems(t, 'Contacts')) {
        expect(await getItem(t, 'Companies', contact.companyID), `contact ${contact.id}`).not.toBeNull();
      }
      for (const opp of await allItems(t, 'Opportunities')) {
        const company = await getItem(t, 'Companies', opp.companyID);
        expect(company, `opportunity ${opp.id}`).not.toBeNull();
        expect((await getItem(t, 'Resources', opp.ownerResourceID)).isActive).toBe(true);
      }
    } finally {
      await t.close();
    }
  });
});

describe.skipIf(againstSandbox)('persistence (item 11)', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'emulator-contract-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('is in memory by default: a new emulator does not see the last one’s writes', async () => {
    const first = await openTarget({ seed: 'empty' });
    const owner = await findOwnerResourceId(first);
    const id = await createCompany(first, owner);
    await first.close();
    const second = await openTarget({ seed: 'empty' });
    try {
      expect(await getItem(second, 'Companies', id)).toBeNull();
    } finally {
      await second.close();
    }
  });

  it('with a data file, records, updates, deletes and id sequences survive a restart', async () => {
    const dataFile = join(dir, 'tenant.sqlite');
    const first = await openTarget({ seed: 'demo', dataFile });
    const owner = await findOwnerResourceId(first);
    const companyId = await createCompany(first, owner, { city: 'Before' });
    ok(await first.call('PATCH', 'V1.0/Companies', { body: { id: companyId, city: 'After' } }));
    const contact = ok(
      await first.call('POST', `V1.0/Companies/${companyId}/Contacts`, {
        body: { companyID: companyId, firstName: 'Per', lastName: 'Sisted', isActive: 1 },
      }),
    ).itemId as number;
    const gone = ok(
      await first.call('POST', `V1.0/Companies/${companyId}/Contacts`, {
        body: { companyID: companyId, firstName: 'To', lastName: 'Delete', isActive: 1 },
      }),
    ).itemId as number;
    ok(await first.call('DELETE', `V1.0/Companies/${companyId}/Contacts/${gone}`));
    const before = await getItem(first, 'Companies', companyId);
    await first.close();

    const second = await openTarget({ seed: 'demo', dataFile });
    try {
      expect(await getItem(second, 'Companies', companyId)).toEqual(before);
      expect(await getItem(second, 'Contacts', contact)).toMatchObject({
        lastName: 'Sisted',
        companyID: companyId,
      });
      expect(await getItem(second, 'Contacts', gone)).toBeNull();
      const next = await createCompany(second, owner);
      expect(next).toBeGreaterThan(companyId);
      const contactsOfCompany = await query(second, 'Contacts', [
        { op: 'eq', field: 'companyID', value: companyId },
      ]);
      expect(contactsOfCompany.map((c) => c.id)).toEqual([contact]);
    } finally {
      await second.close();
    }
  });
});
