/* eslint-disable @typescript-eslint/no-explicit-any, @typescript-eslint/no-unsafe-return --
   the contract suite inspects untyped wire JSON, exactly as a foreign client would */
/**
 * Issue 2, item 1: routes, verbs and capabilities per entity; wrong verbs and unknown routes answer as
 * Autotask does; path segments and JSON keys are matched case-insensitively (API doc §3.1, §3.2, §8,
 * checklist §13 items 1, 5, 6, 7).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import {
  createCompany,
  createContact,
  expectErrors,
  findOwnerResourceId,
  getItem,
  ok,
  uniqueName,
} from './helpers/fixtures.js';
import { openTarget, type ApiResponse, type ContractTarget } from './helpers/target.js';

let target: ContractTarget;
let owner: number;
let companyId: number;
let contactId: number;

beforeAll(async () => {
  target = await openTarget({ seed: 'demo' });
  owner = await findOwnerResourceId(target);
  companyId = await createCompany(target, owner);
  contactId = await createContact(target, companyId);
});
afterAll(() => target.close());

function expect405(r: ApiResponse, verb: string): void {
  expect(r.status, r.text.slice(0, 200)).toBe(405);
  expect(r.json).toEqual({ Message: `The requested resource does not support http method '${verb}'.` });
}

function expectHtml404(r: ApiResponse): void {
  expect(r.status).toBe(404);
  expect(r.headers.get('content-type') ?? '').toMatch(/text\/html/i);
  expect(r.json).toBeUndefined();
}

describe('REST root and case-insensitive paths', () => {
  it.each([
    'V1.0/Companies/entityInformation',
    'v1.0/companies/entityinformation',
    'V1.0/COMPANIES/ENTITYINFORMATION/',
  ])('serves %s', async (path) => {
    const body = ok(await target.call('GET', path));
    expect(body.info.canQuery).toBe(true);
  });

  it('serves the lower-case root /atservicesrest/v1.0/', async () => {
    const root = target.root.replace(/ATServicesRest\/$/i, 'atservicesrest/');
    const r = await target.call('GET', `${root}v1.0/Companies/${companyId}`);
    expect(ok(r).item.id).toBe(companyId);
  });

  it('tolerates a trailing slash on POST /query/ (the n8n node sends it)', async () => {
    const r = await target.call('POST', 'V1.0/Companies/query/', {
      body: { filter: [{ op: 'eq', field: 'id', value: companyId }] },
    });
    expect(ok(r).items.map((c: any) => c.id)).toEqual([companyId]);
  });

  it('answers an unknown route with an HTML 404 page, not JSON', async () => {
    expectHtml404(await target.call('GET', 'V1.0/NoSuchEntities/query'));
    expectHtml404(await target.call('GET', 'V1.0/Companies/entityInformation/nothing'));
  });

  it('matches JSON keys case-insensitively in bodies', async () => {
    const r = await target.call('POST', 'V1.0/Companies', {
      body: { CompanyName: uniqueName('CaseKeys'), COMPANYTYPE: 1, OwnerResourceID: owner, Phone: '555' },
    });
    const id = ok(r).itemId as number;
    const item = await getItem(target, 'Companies', id);
    expect(item.companyType).toBe(1);
    expect(item.ownerResourceID).toBe(owner);
  });
});

describe('verbs on known routes', () => {
  it('GET on an entity collection → 405 with the ASP.NET message', async () => {
    for (const entity of ['Companies', 'Opportunities', 'Resources']) {
      expect405(await target.call('GET', `V1.0/${entity}`), 'GET');
    }
  });

  it('item-level PATCH / PUT → 405 (the id goes in the body, not the URL)', async () => {
    expect405(
      await target.call('PATCH', `V1.0/Companies/${companyId}`, { body: { id: companyId } }),
      'PATCH',
    );
    expect405(await target.call('PUT', `V1.0/Companies/${companyId}`, { body: { id: companyId } }), 'PUT');
  });

  it('GET on /query/next of a POST-originated query without search → 405', async () => {
    const paging = encodeURIComponent(JSON.stringify({ pageSize: 1, previousIds: [-1], nextIds: [1] }));
    expect405(await target.call('GET', `V1.0/Companies/query/next?paging=${paging}`), 'GET');
  });
});

describe('capabilities per entity (§3.2)', () => {
  it('Companies cannot be deleted', async () => {
    const r = await target.call('DELETE', `V1.0/Companies/${companyId}`);
    expect([404, 405]).toContain(r.status);
    expect((await getItem(target, 'Companies', companyId)).id).toBe(companyId);
  });

  it('Opportunities cannot be deleted', async () => {
    const r = await target.call('DELETE', 'V1.0/Opportunities/1');
    expect([404, 405]).toContain(r.status);
  });

  it('Resources are queried and updated, never created or deleted', async () => {
    const info = ok(await target.call('GET', 'V1.0/Resources/entityInformation')).info;
    expect(info).toMatchObject({ canCreate: false, canDelete: false, canQuery: true, canUpdate: true });
    const create = await target.call('POST', 'V1.0/Resources', {
      body: { firstName: 'No', lastName: 'Way', email: 'no@example.com' },
    });
    expect([404, 405]).toContain(create.status);
    expect([404, 405]).toContain((await target.call('DELETE', `V1.0/Resources/${owner}`)).status);
  });

  it('Contacts are created, updated and deleted only through /Companies/{id}/Contacts', async () => {
    const body = { companyID: companyId, firstName: 'Top', lastName: uniqueName('level'), isActive: 1 };
    expect([404, 405]).toContain((await target.call('POST', 'V1.0/Contacts', { body })).status);
    expect([404, 405]).toContain(
      (await target.call('PATCH', 'V1.0/Contacts', { body: { id: contactId, title: 'x' } })).status,
    );
    expect([404, 405]).toContain((await target.call('DELETE', `V1.0/Contacts/${contactId}`)).status);
    // ...but top-level reads work
    expect((await getItem(target, 'Contacts', contactId)).id).toBe(contactId);
    const count = ok(
      await target.call('POST', 'V1.0/Contacts/query/count', {
        body: { filter: [{ op: 'eq', field: 'id', value: contactId }] },
      }),
    );
    expect(count).toEqual({ queryCount: 1 });
  });

  it('entityInformation flags say the same (§3.2)', async () => {
    const info = async (e: string): Promise<any> =>
      ok(await target.call('GET', `V1.0/${e}/entityInformation`)).info;
    expect(await info('Companies')).toMatchObject({
      canCreate: true,
      canUpdate: true,
      canDelete: false,
      canQuery: true,
    });
    expect(await info('Contacts')).toMatchObject({
      canCreate: true,
      canUpdate: true,
      canDelete: true,
      canQuery: true,
    });
    expect(await info('Opportunities')).toMatchObject({ canCreate: true, canUpdate: true, canDelete: false });
  });

  it('the child route lists a company’s contacts with pageDetails and serves child GET-by-id', async () => {
    const list = ok(await target.call('GET', `V1.0/Companies/${companyId}/Contacts`));
    expect(list.items.map((c: any) => c.id)).toEqual([contactId]);
    expect(list.pageDetails).toMatchObject({ count: 1 });
    const one = ok(await target.call('GET', `V1.0/Companies/${companyId}/Contacts/${contactId}`));
    expect(one.item.id).toBe(contactId);
    const meta = ok(
      await target.call('GET', `V1.0/Companies/${companyId}/Contacts/entityInformation/fields`),
    );
    expect(meta.fields.some((f: any) => f.name === 'firstName')).toBe(true);
  });

  it('a write with the wrong JSON is an application error, not a framework one', async () => {
    const r = await target.call('POST', 'V1.0/Companies', { rawBody: '{"companyName": ' });
    expect(r.status).toBeGreaterThanOrEqual(400);
    if (r.status === 500) expectErrors(r);
  });
});
