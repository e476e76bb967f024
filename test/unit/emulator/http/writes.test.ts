import { describe, expect, it } from 'vitest';

import { emulatorHeaders } from '../../../../src/emulator/index.js';
import {
  ACME,
  ACME_CONTACT,
  ACME_PRIMARY_CONTACT,
  API_USER,
  GLOBEX,
  GLOBEX_CONTACT,
  INACTIVE_RESOURCE,
  NORMAL_USER,
  OWNER,
  testEmulator,
} from './fixture.js';

const company = { companyName: 'Initech', companyType: 1, ownerResourceID: OWNER, phone: '555-0100' };
const opportunity = {
  title: 'Renewal',
  companyID: ACME,
  ownerResourceID: OWNER,
  status: 1,
  stage: 13,
  probability: 50,
  amount: 0,
  cost: 0,
  useQuoteTotals: true,
  startDate: '2026-10-08T00:00:00Z',
  projectedCloseDate: '2026-11-15T00:00:00',
};

describe('emulator creates', () => {
  it('returns {"itemId":n} with increasing ids and ignores an id in the body', async () => {
    const { call } = testEmulator();
    const a = await call('POST', 'V1.0/Companies', { ...company, id: 5 });
    const b = await call('POST', 'V1.0/Companies', { ...company, id: '0', companyName: 'Initech 2' });
    expect(a.status).toBe(200);
    expect(Object.keys(a.json)).toEqual(['itemId']);
    expect(a.json.itemId).toBeGreaterThan(GLOBEX);
    expect(b.json.itemId).toBeGreaterThan(a.json.itemId);
    const read = await call('GET', `V1.0/Companies/${a.json.itemId}`);
    expect(read.json.item).toMatchObject({ id: a.json.itemId, companyName: 'Initech', isActive: true });
  });

  it('matches property names case-insensitively and converts values like JSON.NET', async () => {
    const { call } = testEmulator();
    const res = await call('POST', 'V1.0/Companies', {
      CompanyName: 12345,
      COMPANYTYPE: '2',
      OwnerResourceID: String(OWNER),
      Phone: '555',
      IsTaxExempt: 'True',
      unknownProperty: 'ignored',
    });
    expect(res.status).toBe(200);
    const item = (await call('GET', `V1.0/Companies/${res.json.itemId}`)).json.item;
    expect(item).toMatchObject({
      companyName: '12345',
      companyType: 2,
      ownerResourceID: OWNER,
      isTaxExempt: true,
    });
  });

  it('sets timestamps and the creator in Autotask UTC format from the injected clock', async () => {
    const { call, clock } = testEmulator();
    const created = await call('POST', 'V1.0/Companies', company);
    const item = (await call('GET', `V1.0/Companies/${created.json.itemId}`)).json.item;
    expect(item.createDate).toBe('2026-06-01T12:00:00.25Z');
    expect(item.lastActivityDate).toBe('2026-06-01T12:00:00.25Z');
    expect(item.lastTrackedModifiedDateTime).toBe('2026-06-01T12:00:00.25Z');
    expect(item.createdByResourceID).toBe(API_USER.resourceId);
    clock.advance(60_000);
    await call('PATCH', 'V1.0/Companies', { id: created.json.itemId, phone: '556' });
    const after = (await call('GET', `V1.0/Companies/${created.json.itemId}`)).json.item;
    expect(after.createDate).toBe('2026-06-01T12:00:00.25Z');
    expect(after.lastActivityDate).toBe('2026-06-01T12:01:00.25Z');
    const opp = await call('POST', 'V1.0/Opportunities', opportunity);
    expect(opp.status).toBe(200);
    const oppItem = (await call('GET', `V1.0/Opportunities/${opp.json.itemId}`)).json.item;
    expect(oppItem.lastActivity).toBe('2026-06-01T12:01:00.25Z');
    expect(oppItem.projectedCloseDate).toBe('2026-11-15T00:00:00Z');
    expect(oppItem.creatorResourceID).toBe(API_USER.resourceId);
  });

  it('records impersonation and refuses impersonating the API user or an inactive resource', async () => {
    const { call } = testEmulator();
    const headers = { ...emulatorHeaders(API_USER), ImpersonationResourceId: String(NORMAL_USER) };
    const res = await call('POST', 'V1.0/Companies', company, headers);
    const item = (await call('GET', `V1.0/Companies/${res.json.itemId}`)).json.item;
    expect(item.createdByResourceID).toBe(NORMAL_USER);
    expect(item.impersonatorCreatorResourceID).toBe(API_USER.resourceId);
    for (const id of [API_USER.resourceId, INACTIVE_RESOURCE, 999, 'abc']) {
      const bad = await call('POST', 'V1.0/Companies', company, {
        ...emulatorHeaders(API_USER),
        ImpersonationResourceId: String(id),
      });
      expect(bad.status, String(id)).toBe(500);
      expect(bad.json.errors[0]).toContain(`ImpersonationResourceId [${id}]`);
    }
  });

  it('refuses a JSON boolean in Contact isActive (an integer) with JSON.NET wording', async () => {
    const { call } = testEmulator();
    const body = `{"companyID":${ACME},"firstName":"Zaphod","lastName":"B","isActive":true}`;
    const res = await call('POST', `V1.0/Companies/${ACME}/Contacts`, body);
    expect(res.status).toBe(500);
    expect(res.json.errors).toEqual([
      `Unexpected character encountered while parsing value: t. Path 'isActive', line 1, position ${body.indexOf('true') + 1}.`,
    ]);
    const ok = await call('POST', `V1.0/Companies/${ACME}/Contacts`, body.replace('true', '1'));
    expect(ok.status).toBe(200);
  });

  it('creates contacts through the child route, taking companyID from the URL, and refuses a different one', async () => {
    const { call } = testEmulator();
    const res = await call('POST', `V1.0/Companies/${GLOBEX}/Contacts`, {
      firstName: 'A',
      lastName: 'B',
      isActive: 1,
    });
    expect(res.status).toBe(200);
    expect((await call('GET', `V1.0/Contacts/${res.json.itemId}`)).json.item.companyID).toBe(GLOBEX);
    const bad = await call('POST', `V1.0/Companies/${GLOBEX}/Contacts`, {
      companyID: ACME,
      firstName: 'A',
      lastName: 'B',
      isActive: 1,
    });
    expect(bad.status).toBe(500);
    expect(bad.json.errors[0]).toContain(`companyID [${ACME}]`);
    const missingParent = await call('POST', 'V1.0/Companies/4242/Contacts', {
      firstName: 'A',
      lastName: 'B',
      isActive: 1,
    });
    expect(missingParent.json.errors).toEqual([
      'Value does not reference an existing entity for companyID . ',
    ]);
  });
});

describe('emulator validation', () => {
  it('names every missing required field on create', async () => {
    const { call } = testEmulator();
    const res = await call('POST', 'V1.0/Companies', { companyName: 'Only a name' });
    expect(res.status).toBe(500);
    expect(res.json.errors).toEqual(
      expect.arrayContaining([
        'The field companyType is required.',
        'The field ownerResourceID is required.',
        'The field phone is required.',
      ]),
    );
    expect(res.json.errors).toHaveLength(3);
  });

  it('checks string lengths, picklist membership and inactive values', async () => {
    const { call } = testEmulator();
    const long = await call('POST', 'V1.0/Companies', { ...company, companyName: 'x'.repeat(101) });
    expect(long.json.errors).toEqual([
      'The value of companyName exceeds the maximum length of 100 characters.',
    ]);
    const unknown = await call('POST', 'V1.0/Companies', { ...company, companyType: 99 });
    expect(unknown.json.errors).toEqual(['Value does not reference an existing entity for companyType . ']);
    const inactive = await call('POST', 'V1.0/Companies', { ...company, classification: 29682802 });
    expect(inactive.json.errors).toEqual([
      'The value 29682802 of classification is inactive and cannot be used.',
    ]);
  });

  it('requires an active, non-API-only owner resource', async () => {
    const { call } = testEmulator();
    for (const owner of [INACTIVE_RESOURCE, API_USER.resourceId]) {
      const res = await call('POST', 'V1.0/Companies', { ...company, ownerResourceID: owner });
      expect(res.status).toBe(500);
      expect(res.json.errors).toEqual([
        `ownerResourceID [${owner}] must be an active resource that is not an API-only user.`,
      ]);
    }
    const missing = await call('POST', 'V1.0/Companies', { ...company, ownerResourceID: 999 });
    expect(missing.json.errors).toEqual([
      'Value does not reference an existing entity for ownerResourceID . ',
    ]);
  });

  it("requires an opportunity's contact to belong to its company", async () => {
    const { call } = testEmulator();
    const bad = await call('POST', 'V1.0/Opportunities', { ...opportunity, contactID: GLOBEX_CONTACT });
    expect(bad.status).toBe(500);
    expect(bad.json.errors[0]).toContain('must have the same companyID');
    const good = await call('POST', 'V1.0/Opportunities', { ...opportunity, contactID: ACME_CONTACT });
    expect(good.status).toBe(200);
  });

  it('refuses values JSON.NET cannot convert, naming the property', async () => {
    const { call } = testEmulator();
    const res = await call('POST', 'V1.0/Companies', { ...company, companyType: 'abc' });
    expect(res.json.errors[0]).toMatch(/^Could not convert string to integer: abc\. Path 'companyType'/);
    const date = await call('POST', 'V1.0/Opportunities', { ...opportunity, startDate: 'tomorrow' });
    expect(date.json.errors[0]).toMatch(/^Could not convert string to DateTime: tomorrow\. Path 'startDate'/);
    const malformed = await call('POST', 'V1.0/Companies', '{"companyName":');
    expect(malformed.status).toBe(500);
    expect(malformed.json.errors[0]).toContain('not valid JSON');
  });
});

describe('emulator updates', () => {
  it('PATCH changes only the supplied fields and ignores read-only ones', async () => {
    const { call } = testEmulator();
    const res = await call('PATCH', 'V1.0/Companies', {
      id: ACME,
      phone: '999',
      createDate: '2001-01-01T00:00:00Z',
    });
    expect(res.json).toEqual({ itemId: ACME });
    const item = (await call('GET', `V1.0/Companies/${ACME}`)).json.item;
    expect(item).toMatchObject({ companyName: 'Acme', phone: '999', createDate: null });
  });

  it('PUT nulls every writable field it does not supply, but keeps omitted UDFs', async () => {
    const { call } = testEmulator();
    await call('PATCH', 'V1.0/Companies', {
      id: ACME,
      fax: '123',
      userDefinedFields: [{ name: 'CRM ID', value: 'crm-1' }],
    });
    const res = await call('PUT', 'V1.0/Companies', { id: ACME, ...company, companyName: 'Acme Corp' });
    expect(res.status).toBe(200);
    const item = (await call('GET', `V1.0/Companies/${ACME}`)).json.item;
    expect(item.companyName).toBe('Acme Corp');
    expect(item.fax).toBeNull();
    expect(item.isActive).toBeNull();
    expect(item.userDefinedFields).toContainEqual({ name: 'CRM ID', value: 'crm-1' });
    const incomplete = await call('PUT', 'V1.0/Companies', { id: ACME, companyName: 'Acme' });
    expect(incomplete.json.errors).toContain('The field phone is required.');
  });

  it('merges UDFs by name (case-insensitively) and refuses unknown or invalid ones', async () => {
    const { call } = testEmulator();
    await call('PATCH', 'V1.0/Companies', { id: ACME, userDefinedFields: [{ name: 'crm id', value: 'A' }] });
    await call('PATCH', 'V1.0/Companies', {
      id: ACME,
      userDefinedFields: [{ Name: 'Discount', Value: 12.5 }],
    });
    const item = (await call('GET', `V1.0/Companies/${ACME}`)).json.item;
    expect(item.userDefinedFields).toContainEqual({ name: 'CRM ID', value: 'A' });
    // decimal UDFs come back with 4 decimals (API doc §6.1)
    expect(item.userDefinedFields).toContainEqual({ name: 'Discount', value: '12.5000' });
    const unknown = await call('PATCH', 'V1.0/Companies', {
      id: ACME,
      userDefinedFields: [{ name: 'Nope', value: '1' }],
    });
    expect(unknown.status).toBe(500);
    expect(unknown.json.errors).toEqual([
      'Unable to find the user-defined field Nope in the Company Entity.',
    ]);
    const badNumber = await call('PATCH', 'V1.0/Companies', {
      id: ACME,
      userDefinedFields: [{ name: 'Number of Employees', value: 'many' }],
    });
    expect(badNumber.status).toBe(500);
    const badPick = await call('PATCH', 'V1.0/Companies', {
      id: ACME,
      userDefinedFields: [{ name: 'Lead Source', value: '4' }],
    });
    expect(badPick.json.errors[0]).toContain('inactive');
  });

  it('needs the id in the body and an existing record; clearing a required field fails', async () => {
    const { call } = testEmulator();
    expect((await call('PATCH', 'V1.0/Companies', { phone: '1' })).json.errors[0]).toContain(
      'id of the Company',
    );
    expect((await call('PATCH', 'V1.0/Companies', { id: 4242, phone: '1' })).json.errors).toEqual([
      'No Company with id 4242 was found to update.',
    ]);
    expect((await call('PATCH', 'V1.0/Companies', { id: ACME, companyName: '' })).json.errors).toEqual([
      'The field companyName is required.',
    ]);
  });

  it('updates contacts only through their own company', async () => {
    const { call } = testEmulator();
    const ok = await call('PATCH', `V1.0/Companies/${ACME}/Contacts`, {
      id: ACME_CONTACT,
      title: 'President',
    });
    expect(ok.json).toEqual({ itemId: ACME_CONTACT });
    expect((await call('GET', `V1.0/Contacts/${ACME_CONTACT}`)).json.item.title).toBe('President');
    const wrong = await call('PATCH', `V1.0/Companies/${GLOBEX}/Contacts`, { id: ACME_CONTACT, title: 'x' });
    expect(wrong.status).toBe(500);
  });

  it('lets Resources be updated but never created', async () => {
    const { call } = testEmulator();
    const res = await call('PATCH', 'V1.0/Resources', { id: OWNER, title: 'Boss' });
    expect(res.json).toEqual({ itemId: OWNER });
    expect((await call('POST', 'V1.0/Resources', { firstName: 'x' })).status).toBe(405);
  });
});

describe('emulator contact deletes', () => {
  it('deletes through the child route and reports a missing id with Autotask wording', async () => {
    const { call } = testEmulator();
    expect((await call('DELETE', `V1.0/Companies/${ACME}/Contacts/${ACME_CONTACT}`)).json).toEqual({
      itemId: ACME_CONTACT,
    });
    expect((await call('GET', `V1.0/Contacts/${ACME_CONTACT}`)).json).toEqual({ item: null });
    const again = await call('DELETE', `V1.0/Companies/${ACME}/Contacts/${ACME_CONTACT}`);
    expect(again.status).toBe(500);
    expect(again.json.errors).toEqual([
      'No message. No matching records found. The logged in Resource may not have the required permissions to delete the data.',
    ]);
    const otherCompany = await call('DELETE', `V1.0/Companies/${ACME}/Contacts/${GLOBEX_CONTACT}`);
    expect(otherCompany.status).toBe(500);
  });

  it("refuses to delete the company's primary contact", async () => {
    const { call } = testEmulator();
    const res = await call('DELETE', `V1.0/Companies/${ACME}/Contacts/${ACME_PRIMARY_CONTACT}`);
    expect(res.status).toBe(500);
    expect(res.json.errors[0]).toContain('primary contact');
  });
});
