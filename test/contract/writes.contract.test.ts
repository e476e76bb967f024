/* eslint-disable @typescript-eslint/no-explicit-any, @typescript-eslint/no-unsafe-return --
   the contract suite inspects untyped wire JSON, exactly as a foreign client would */
/**
 * Issue 2, items 3 and 7: create / PATCH / PUT / DELETE semantics and response shapes, UDFs merged by
 * name, JSON.NET-style coercion, read-only fields ignored, timestamps maintained on writes
 * (API doc §3.3–3.6, §6.6, §7; checklist §13 items 8–11, 13, 23).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import {
  createCompany,
  createContact,
  expectErrors,
  findOwnerResourceId,
  getItem,
  ok,
  opportunityBody,
  query,
  udfMap,
  uniqueName,
} from './helpers/fixtures.js';
import { againstSandbox, openTarget, type ContractTarget } from './helpers/target.js';

let target: ContractTarget;
let owner: number;
let stringUdfs: string[];

const AUTOTASK_DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?Z$/;

beforeAll(async () => {
  target = await openTarget({ seed: 'demo' });
  owner = await findOwnerResourceId(target);
  const udfs = ok(await target.call('GET', 'V1.0/Companies/entityInformation/userDefinedFields'))
    .fields as any[];
  stringUdfs = udfs.filter((u) => u.type === 'string' && !u.isPickList && !u.isReadOnly).map((u) => u.name);
});
afterAll(() => target.close());

describe('create', () => {
  it('answers 200 {"itemId": n} and the record reads back with every field', async () => {
    const name = uniqueName('create');
    const r = await target.call('POST', 'V1.0/Companies', {
      body: { companyName: name, companyType: 1, ownerResourceID: owner, phone: '555-0100', city: 'Leeds' },
    });
    const { itemId } = ok(r);
    expect(Object.keys(r.json)).toEqual(['itemId']);
    const item = await getItem(target, 'Companies', itemId);
    expect(item).toMatchObject({
      id: itemId,
      companyName: name,
      companyType: 1,
      city: 'Leeds',
      phone: '555-0100',
    });
    // nulls are explicit, and every defined UDF is listed
    expect(item).toHaveProperty('address2', null);
    expect(Array.isArray(item.userDefinedFields)).toBe(true);
    for (const u of stringUdfs) expect(udfMap(item)).toHaveProperty(u, null);
  });

  it('gives increasing ids and ignores an id in the body (absent, 0, "0")', async () => {
    const a = await createCompany(target, owner, { id: 0 });
    const b = await createCompany(target, owner, { id: '0' });
    const c = await createCompany(target, owner, { id: 5 });
    expect(b).toBeGreaterThan(a);
    expect(c).toBeGreaterThan(b);
    expect(c).not.toBe(5);
  });

  it('ignores read-only fields sent on create', async () => {
    const id = await createCompany(target, owner, {
      createDate: '2001-01-01T00:00:00Z',
      lastActivityDate: '2001-01-01T00:00:00Z',
    });
    const item = await getItem(target, 'Companies', id);
    expect(item.createDate).not.toMatch(/^2001/);
    expect(item.lastActivityDate ?? '').not.toMatch(/^2001/);
  });

  it('coerces values JSON.NET-style ("True" → true, "2" → 2)', async () => {
    const id = await createCompany(target, owner, { companyType: '2', isActive: 'True' });
    const item = await getItem(target, 'Companies', id);
    expect(item.companyType).toBe(2);
    expect(item.isActive).toBe(true);
  });

  it('sets UDF values given as [{name,value}] (names matched case-insensitively)', async () => {
    const [udf] = stringUdfs;
    if (!udf) return;
    const id = await createCompany(target, owner, {
      userDefinedFields: [{ name: udf.toUpperCase(), value: 'hello' }],
    });
    expect(udfMap(await getItem(target, 'Companies', id))[udf]).toBe('hello');
  });

  it('returns decimal UDF values as strings with 4 decimals (§6.1, §7)', async () => {
    const udfs = ok(await target.call('GET', 'V1.0/Companies/entityInformation/userDefinedFields'))
      .fields as any[];
    const decimal = udfs.find((u) => u.type === 'decimal' && !u.isPickList && !u.isReadOnly);
    if (!decimal) return;
    const id = await createCompany(target, owner, {
      userDefinedFields: [{ name: decimal.name, value: '20.64' }],
    });
    expect(udfMap(await getItem(target, 'Companies', id))[decimal.name]).toBe('20.6400');
    const found = await query(target, 'Companies', [
      { op: 'eq', field: 'id', value: id },
      { op: 'eq', field: decimal.name, value: 20.64, udf: true },
    ]);
    expect(found.map((c) => c.id)).toEqual([id]);
  });

  it('rejects an unknown UDF name with a 500 errors body', async () => {
    const r = await target.call('POST', 'V1.0/Companies', {
      body: {
        companyName: uniqueName('udf'),
        companyType: 1,
        ownerResourceID: owner,
        phone: '1',
        userDefinedFields: [{ name: 'No Such UDF 123', value: 'x' }],
      },
    });
    expectErrors(r);
  });

  it('records the impersonated resource as creator and the API user as impersonator', async () => {
    const r = await target.call('POST', 'V1.0/Companies', {
      headers: { ImpersonationResourceId: String(owner) },
      body: { companyName: uniqueName('imp'), companyType: 1, ownerResourceID: owner, phone: '1' },
    });
    const item = await getItem(target, 'Companies', ok(r).itemId);
    expect(item.createdByResourceID).toBe(owner);
    expect(item.impersonatorCreatorResourceID).toEqual(expect.any(Number));
    expect(item.impersonatorCreatorResourceID).not.toBe(owner);
  });
});

describe('GET by id', () => {
  it('answers {"item": {...}} and, for a missing id, {"item": null} (emulator default, §14 q1)', async () => {
    const id = await createCompany(target, owner);
    expect(ok(await target.call('GET', `V1.0/Companies/${id}`))).toEqual({
      item: expect.objectContaining({ id }),
    });
    const missing = await target.call('GET', 'V1.0/Companies/999999999');
    if (againstSandbox) expect([200, 404]).toContain(missing.status);
    else expect(ok(missing)).toEqual({ item: null });
  });

  it('id 0 is the tenant’s own company', async () => {
    const root = await getItem(target, 'Companies', 0);
    expect(root).toMatchObject({ id: 0 });
  });
});

describe('PATCH and PUT', () => {
  it('PATCH updates only the given fields, id in the body → {"itemId": id}', async () => {
    const id = await createCompany(target, owner, { city: 'York', postalCode: 'YO1' });
    const r = await target.call('PATCH', 'V1.0/Companies', { body: { id, city: 'Hull' } });
    expect(ok(r)).toEqual({ itemId: id });
    const item = await getItem(target, 'Companies', id);
    expect(item).toMatchObject({ city: 'Hull', postalCode: 'YO1', phone: '555-0100' });
  });

  it('PUT nulls every writable field that is not supplied, keeps read-only ones and omitted UDFs', async () => {
    const [udf] = stringUdfs;
    const id = await createCompany(target, owner, {
      city: 'York',
      postalCode: 'YO1',
      ...(udf ? { userDefinedFields: [{ name: udf, value: 'kept' }] } : {}),
    });
    const before = await getItem(target, 'Companies', id);
    const r = await target.call('PUT', 'V1.0/Companies', {
      body: {
        id,
        companyName: before.companyName,
        companyType: 1,
        ownerResourceID: owner,
        phone: '1',
        city: 'Hull',
      },
    });
    expect(ok(r)).toEqual({ itemId: id });
    const after = await getItem(target, 'Companies', id);
    expect(after).toMatchObject({
      city: 'Hull',
      phone: '1',
      postalCode: null,
      createDate: before.createDate,
    });
    if (udf) expect(udfMap(after)[udf]).toBe('kept');
  });

  it('PATCH ignores read-only fields', async () => {
    const id = await createCompany(target, owner);
    const before = await getItem(target, 'Companies', id);
    ok(
      await target.call('PATCH', 'V1.0/Companies', {
        body: { id, createDate: '2001-01-01T00:00:00Z', city: 'Bath' },
      }),
    );
    const after = await getItem(target, 'Companies', id);
    expect(after.createDate).toBe(before.createDate);
    expect(after.city).toBe('Bath');
  });

  it('UDFs in a PATCH are merged by name: the ones not sent keep their values', async () => {
    if (stringUdfs.length < 2) return;
    const [u1, u2] = stringUdfs as [string, string];
    const id = await createCompany(target, owner, {
      userDefinedFields: [
        { name: u1, value: 'one' },
        { name: u2, value: 'two' },
      ],
    });
    ok(
      await target.call('PATCH', 'V1.0/Companies', {
        body: { id, userDefinedFields: [{ name: u2, value: 'TWO' }] },
      }),
    );
    const udfs = udfMap(await getItem(target, 'Companies', id));
    expect(udfs[u1]).toBe('one');
    expect(udfs[u2]).toBe('TWO');
    ok(
      await target.call('PATCH', 'V1.0/Companies', {
        body: { id, userDefinedFields: [{ name: u1, value: null }] },
      }),
    );
    expect(udfMap(await getItem(target, 'Companies', id))[u1]).toBeNull();
  });

  it('PATCH and PUT need the id in the body', async () => {
    expectErrors(await target.call('PATCH', 'V1.0/Companies', { body: { city: 'Nowhere' } }));
    expectErrors(
      await target.call('PUT', 'V1.0/Companies', {
        body: { companyName: 'x', companyType: 1, ownerResourceID: owner, phone: '1' },
      }),
    );
  });

  it('PATCH of a missing id is a 500 errors response', async () => {
    expectErrors(await target.call('PATCH', 'V1.0/Companies', { body: { id: 999999999, city: 'X' } }));
  });

  it('Resources can be updated with PATCH', async () => {
    const before = await getItem(target, 'Resources', owner);
    const title = before.title === 'Contract title' ? 'Contract title 2' : 'Contract title';
    expect(ok(await target.call('PATCH', 'V1.0/Resources', { body: { id: owner, title } }))).toEqual({
      itemId: owner,
    });
    expect((await getItem(target, 'Resources', owner)).title).toBe(title);
    ok(await target.call('PATCH', 'V1.0/Resources', { body: { id: owner, title: before.title } }));
  });
});

describe('Contacts through the company child route', () => {
  it('create → PATCH → DELETE, each answering {"itemId": id}', async () => {
    const companyId = await createCompany(target, owner);
    const id = await createContact(target, companyId, { emailAddress: 'zb@example.com' });
    expect(await getItem(target, 'Contacts', id)).toMatchObject({ companyID: companyId, isActive: 1 });
    const patch = await target.call('PATCH', `V1.0/Companies/${companyId}/Contacts`, {
      body: { id, title: 'President' },
    });
    expect(ok(patch)).toEqual({ itemId: id });
    expect(await getItem(target, 'Contacts', id)).toMatchObject({
      title: 'President',
      emailAddress: 'zb@example.com',
    });
    const del = await target.call('DELETE', `V1.0/Companies/${companyId}/Contacts/${id}`);
    expect(ok(del)).toEqual({ itemId: id });
    const gone = await target.call('GET', `V1.0/Contacts/${id}`);
    if (againstSandbox) expect([200, 404]).toContain(gone.status);
    else expect(ok(gone)).toEqual({ item: null });
  });

  it('deleting a missing contact → 500 "No message. No matching records found..."', async () => {
    const companyId = await createCompany(target, owner);
    const r = await target.call('DELETE', `V1.0/Companies/${companyId}/Contacts/999999999`);
    expect(expectErrors(r)).toEqual([
      'No message. No matching records found. The logged in Resource may not have the required permissions to delete the data.',
    ]);
  });

  it.skipIf(againstSandbox)(
    'a body companyID that differs from the URL parent → 500 (emulator choice, §14 q15)',
    async () => {
      const a = await createCompany(target, owner);
      const b = await createCompany(target, owner);
      const r = await target.call('POST', `V1.0/Companies/${a}/Contacts`, {
        body: { companyID: b, firstName: 'X', lastName: uniqueName('mismatch'), isActive: 1 },
      });
      expectErrors(r);
    },
  );
});

describe('timestamps (item 7)', () => {
  it('Companies: createDate, lastActivityDate, lastTrackedModifiedDateTime in UTC with Z, moved by updates', async () => {
    const started = Date.now();
    const id = await createCompany(target, owner);
    const created = await getItem(target, 'Companies', id);
    for (const f of ['createDate', 'lastActivityDate', 'lastTrackedModifiedDateTime']) {
      expect(created[f], f).toMatch(AUTOTASK_DATETIME);
    }
    expect(Math.abs(Date.parse(created.createDate) - started)).toBeLessThan(5 * 60_000);
    await new Promise((r) => setTimeout(r, 20));
    ok(await target.call('PATCH', 'V1.0/Companies', { body: { id, city: 'Ely' } }));
    const updated = await getItem(target, 'Companies', id);
    expect(updated.createDate).toBe(created.createDate);
    expect(Date.parse(updated.lastActivityDate)).toBeGreaterThan(Date.parse(created.lastActivityDate));
    expect(Date.parse(updated.lastTrackedModifiedDateTime)).toBeGreaterThan(
      Date.parse(created.lastTrackedModifiedDateTime),
    );
  });

  it('Contacts: createDate, lastActivityDate, lastModifiedDate', async () => {
    const companyId = await createCompany(target, owner);
    const id = await createContact(target, companyId);
    const created = await getItem(target, 'Contacts', id);
    for (const f of ['createDate', 'lastActivityDate', 'lastModifiedDate'])
      expect(created[f], f).toMatch(AUTOTASK_DATETIME);
    await new Promise((r) => setTimeout(r, 20));
    ok(await target.call('PATCH', `V1.0/Companies/${companyId}/Contacts`, { body: { id, title: 'CFO' } }));
    const updated = await getItem(target, 'Contacts', id);
    expect(Date.parse(updated.lastModifiedDate)).toBeGreaterThan(Date.parse(created.lastModifiedDate));
  });

  it('datetime input: UTC, with or without Z, 0–3 fractional digits (§6.6); output with Z, trimmed', async () => {
    const companyId = await createCompany(target, owner);
    // startDate and projectedCloseDate are date-only in the UI: send midnight (§6.6)
    const body = {
      ...(await opportunityBody(target, companyId, owner)),
      startDate: '2023-10-09T00:00:00.00',
      projectedCloseDate: '2023-11-15T00:00:00.000Z',
    };
    const id = ok(await target.call('POST', 'V1.0/Opportunities', { body })).itemId as number;
    const item = await getItem(target, 'Opportunities', id);
    expect(item.startDate).toBe('2023-10-09T00:00:00Z');
    expect(item.projectedCloseDate).toBe('2023-11-15T00:00:00Z');
  });

  it('Opportunities: createDate and lastActivity', async () => {
    const companyId = await createCompany(target, owner);
    const body = await opportunityBody(target, companyId, owner);
    const id = ok(await target.call('POST', 'V1.0/Opportunities', { body })).itemId as number;
    const created = await getItem(target, 'Opportunities', id);
    expect(created.createDate).toMatch(AUTOTASK_DATETIME);
    expect(created.lastActivity).toMatch(AUTOTASK_DATETIME);
    expect(created).toMatchObject({ title: body['title'], companyID: companyId, status: 1 });
    await new Promise((r) => setTimeout(r, 20));
    ok(await target.call('PATCH', 'V1.0/Opportunities', { body: { id, probability: 80 } }));
    const updated = await getItem(target, 'Opportunities', id);
    expect(updated.probability).toBe(80);
    expect(Date.parse(updated.lastActivity)).toBeGreaterThan(Date.parse(created.lastActivity));
  });
});
