/* eslint-disable @typescript-eslint/no-explicit-any, @typescript-eslint/no-unsafe-return --
   the contract suite inspects untyped wire JSON, exactly as a foreign client would */
/**
 * Other people's Autotask clients against the API: each test sends a request exactly the way a public
 * client library builds it (URL shape, header spelling, body quirks) and checks the answer that
 * library relies on. The libraries and the source read are listed in docs/emulator.md ("Clients
 * checked"). Plain `fetch` (or node:http where fetch cannot send the request) over loopback; against a
 * sandbox the same requests go to Autotask, so a difference shows up as a failing test.
 */
import { request as httpRequest } from 'node:http';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import {
  createCompany,
  createContact,
  expectErrors,
  findOwnerResourceId,
  getItem,
  ok,
  opportunityBody,
  udfMap,
  uniqueName,
} from './helpers/fixtures.js';
import { againstSandbox, openTarget, send, type ContractTarget } from './helpers/target.js';

let target: ContractTarget;
let owner: number;
let companyId: number;
/** Contacts of `companyId`, in id order. */
const contactIds: number[] = [];

beforeAll(async () => {
  target = await openTarget({ seed: 'demo' });
  owner = await findOwnerResourceId(target);
  companyId = await createCompany(target, owner);
  for (let i = 0; i < 5; i++) {
    contactIds.push(await createContact(target, companyId, { firstName: `Compat${i}` }));
  }
}, 60_000);
afterAll(() => target.close());

const auth = (): Record<string, string> => ({
  ApiIntegrationCode: target.credentials.integrationCode,
  UserName: target.credentials.userName,
  Secret: target.credentials.secret,
});
const inCompany = (): any => ({ op: 'eq', field: 'companyID', value: companyId });
const search = (body: unknown): string => encodeURIComponent(JSON.stringify(body));

/** GET with a body, which fetch refuses to send but node's `request` library (n8n) does. */
function getWithBody(url: string, headers: Record<string, string>, body: string): Promise<any> {
  return new Promise((resolve, reject) => {
    const withLength = { ...headers, 'Content-Length': String(Buffer.byteLength(body)) };
    const req = httpRequest(url, { method: 'GET', headers: withLength }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode, json: JSON.parse(text) as unknown }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** Follows `nextPageUrl` with `next(url)` until it is null; returns every item. */
async function allPages(first: any, next: (url: string) => Promise<any>): Promise<any[]> {
  const items = [...(first.items as any[])];
  let url: string | null = first.pageDetails.nextPageUrl;
  for (let guard = 0; url !== null && guard < 50; guard++) {
    const page = await next(url);
    items.push(...(page.items as any[]));
    url = page.pageDetails.nextPageUrl;
  }
  return items;
}

describe('@apigrate/autotask-restapi 2.0.1 (Node)', () => {
  // index.js: unsigned `${base}v1.0/zoneInformation?user=`, then `${zoneInfo.url}V1.0${endpoint}`,
  // headers `ApiIntegrationcode`, `UserName`, `Secret` and `Content-Type: application/json` on every
  // request (GET and DELETE included).
  // (`auth: false` below: these headers replace the suite's own spelling of the three auth headers.)
  const headers = (): Record<string, string> => ({
    'Content-Type': 'application/json',
    'User-Agent': 'Apigrate/1.0 autotask-restapi NodeJS connector',
    ApiIntegrationcode: target.credentials.integrationCode,
    UserName: target.credentials.userName,
    Secret: target.credentials.secret,
  });

  it('zone discovery without credentials gives a REST root that V1.0/... is appended to', async () => {
    const zone = ok(
      await target.call(
        'GET',
        `v1.0/zoneInformation?user=${encodeURIComponent(target.credentials.userName)}`,
        { auth: false },
      ),
    );
    expect(zone.url).toMatch(/\/ATServicesRest\/$/i);
    const root = ok(
      await send(zone.url, target.credentials, 'GET', 'V1.0/Companies/0', {
        auth: false,
        headers: headers(),
      }),
    );
    expect(root.item.id).toBe(0);
  });

  it('get of a missing id is {item: null} or 404 (the library maps both to "not found")', async () => {
    const res = await target.call('GET', 'V1.0/Companies/987654321', { auth: false, headers: headers() });
    if (res.status === 404) return;
    expect(ok(res)).toEqual({ item: null });
  });

  it('count with a PascalCase field name answers {queryCount}', async () => {
    const body = ok(
      await target.call('POST', 'V1.0/Contacts/query/count', {
        auth: false,
        headers: headers(),
        body: { filter: [{ op: 'eq', field: 'CompanyID', value: companyId }] },
      }),
    );
    expect(body).toEqual({ queryCount: contactIds.length });
  });

  it('create with PascalCase property names (README example) answers {itemId}', async () => {
    const name = uniqueName('apigrate');
    const created = ok(
      await target.call('POST', 'V1.0/Companies', {
        auth: false,
        headers: headers(),
        body: { CompanyName: name, CompanyType: 3, Phone: '8005551212', OwnerResourceID: owner },
      }),
    );
    expect(created).toEqual({ itemId: expect.any(Number) });
    const item = await getItem(target, 'Companies', created.itemId as number);
    expect(item).toMatchObject({ companyName: name, companyType: 3, phone: '8005551212' });
  });

  it('includeFields (camelCase key, "Id" in any case) returns only those fields plus the UDF list', async () => {
    const body = ok(
      await target.call('POST', 'V1.0/Companies/query', {
        auth: false,
        headers: headers(),
        body: {
          filter: [{ op: 'eq', field: 'id', value: companyId }],
          includeFields: ['Id', 'companyName', 'city', 'state'],
        },
      }),
    );
    expect(Object.keys(body.items[0]).sort()).toEqual(
      ['city', 'companyName', 'id', 'state', 'userDefinedFields'].sort(),
    );
  });

  it('CompanyContacts.update / delete go through the child route; Contacts.update hits an IIS 404', async () => {
    const parent = await createCompany(target, owner);
    const id = await createContact(target, parent);
    const patched = ok(
      await target.call('PATCH', `V1.0/Companies/${parent}/Contacts`, {
        auth: false,
        headers: headers(),
        body: { id, middleName: 'Hortensius' },
      }),
    );
    expect(patched).toEqual({ itemId: id });
    const topLevel = await target.call('PATCH', 'V1.0/Contacts', { headers: headers(), body: { id } });
    expect(topLevel.status).toBe(404);
    expect(topLevel.text).toMatch(/<html/i);
    const deleted = ok(
      await target.call('DELETE', `V1.0/Companies/${parent}/Contacts/${id}`, {
        auth: false,
        headers: headers(),
      }),
    );
    expect(deleted).toEqual({ itemId: id });
  });
});

describe('AutotaskAPI (KelvinTegelaar, PowerShell)', () => {
  // Add-AutotaskAPIAuth: versioninformation → last apiVersions element → zoneInformation?user= with the
  // e-mail unencoded; base URI = url.Trim('/'). Get-AutotaskAPIResource: swagger path with {PARENTID}
  // removed, so a query is `.../V1.0/Companies//query?search=<json>`, followed by GETting
  // PageDetails.NextPageUrl until it is null.
  it('version → zone discovery with an unencoded e-mail address', async () => {
    const versions = ok(await target.call('GET', 'versioninformation', { auth: false }));
    const version = (versions.apiVersions as string[]).at(-1);
    expect(version?.toLowerCase()).toBe('v1.0');
    const zone = ok(
      await target.call('GET', `${version}/zoneInformation?user=${target.credentials.userName}`, {
        auth: false,
      }),
    );
    expect(typeof zone.url).toBe('string');
  });

  it('GET search with a double slash and the id as a string pages through every record by GET', async () => {
    const base = target.root.replace(/\/+$/, '');
    const query = { filter: [{ op: 'eq', field: 'companyid', value: String(companyId) }], MaxRecords: 2 };
    const get = async (url: string): Promise<any> =>
      ok(
        await send(url, target.credentials, 'GET', url, { headers: { 'Content-Type': 'application/json' } }),
      );
    const first = await get(`${base}/V1.0/Contacts//query?search=${search(query)}`);
    const items = await allPages(first, get);
    expect(items.map((c) => c.id)).toEqual(contactIds);
  });

  it('a search with single-quoted JSON (how PowerShell users and Autotask itself quote it) works', async () => {
    const single = `{'filter':[{'op':'eq','field':'companyID','value':${companyId}}],'MaxRecords':2}`;
    const first = ok(await target.call('GET', `V1.0/Contacts/query?search=${encodeURIComponent(single)}`));
    expect(first.items).toHaveLength(2);
    const items = await allPages(first, async (url) => ok(await target.call('GET', url)));
    expect(items.map((c) => c.id)).toEqual(contactIds);
  });

  it('Set-AutotaskAPIResource: PATCH of the whole record as read back leaves it unchanged', async () => {
    const before = await getItem(target, 'Companies', companyId);
    const patched = ok(await target.call('PATCH', 'V1.0/Companies', { body: before }));
    expect(patched).toEqual({ itemId: companyId });
    const after = await getItem(target, 'Companies', companyId);
    const { lastActivityDate: _a, lastTrackedModifiedDateTime: _b, ...rest } = after;
    const { lastActivityDate: _c, lastTrackedModifiedDateTime: _d, ...restBefore } = before;
    expect(rest).toEqual(restBefore);
    expect(udfMap(after)).toEqual(udfMap(before));
  });

  it('Windows PowerShell 5.1 dates (ConvertTo-Json writes "\\/Date(ms)\\/") are read as UTC instants', async () => {
    const created = ok(
      await target.call('POST', 'V1.0/Opportunities', {
        rawBody: JSON.stringify(await opportunityBody(target, companyId, owner)).replace(
          /"projectedCloseDate":"[^"]*"/,
          '"projectedCloseDate":"\\/Date(1772323200000)\\/"',
        ),
      }),
    );
    const item = await getItem(target, 'Opportunities', created.itemId as number);
    expect(item.projectedCloseDate).toBe('2026-03-01T00:00:00Z');
  });

  it('a Windows PowerShell 5.1 date in a filter value compares as the same instant', async () => {
    const created = (await getItem(target, 'Companies', companyId)).createDate as string;
    const ms = Date.parse(created);
    const count = async (op: string, value: string): Promise<number> =>
      ok(
        await target.call('POST', 'V1.0/Companies/query/count', {
          rawBody: JSON.stringify({
            filter: [
              { op: 'eq', field: 'id', value: companyId },
              { op, field: 'createDate', value },
            ],
          }),
        }),
      ).queryCount as number;
    expect(await count('gte', `/Date(${ms})/`)).toBe(1);
    expect(await count('gt', `/Date(${ms})/`)).toBe(0);
  });

  it("the company's contacts through the child collection, following nextPageUrl by GET", async () => {
    const first = ok(await target.call('GET', `V1.0/Companies/${companyId}/Contacts`));
    const items = await allPages(first, async (url) => ok(await target.call('GET', url)));
    expect(items.map((c) => c.id).sort((a, b) => a - b)).toEqual(contactIds);
  });
});

describe('go-autotask (tphakala, Go)', () => {
  // client.go: baseURL = zone url (with its trailing slash) + "/v1.0/..." → a double slash; conditions
  // always carry "value" (null for exist); iter.go POSTs the nextPageUrl with no body; crud.go reads
  // {"item"} (null → not found) and {"itemId"}.
  const root = (): string => target.root; // ends with "/"

  it('URLs with a double slash and a lower-case version segment work', async () => {
    const body = ok(await send(root(), target.credentials, 'GET', `${root()}/v1.0/Companies/${companyId}`));
    expect(body.item.id).toBe(companyId);
  });

  it('"exist" with "value": null, then the pages POSTed without a body, give each record once', async () => {
    const url = `${root()}/v1.0/Contacts/query`;
    const body = { filter: [inCompany(), { field: 'id', op: 'exist', value: null }], MaxRecords: 2 };
    const first = ok(await send(root(), target.credentials, 'POST', url, { body }));
    const items = await allPages(first, async (next) =>
      ok(
        await send(root(), target.credentials, 'POST', next, {
          headers: { 'Content-Type': 'application/json' },
        }),
      ),
    );
    expect(items.map((c) => c.id)).toEqual(contactIds);
  });

  it('update (PATCH) answers {itemId}, not an item', async () => {
    const res = ok(
      await target.call('PATCH', 'V1.0/Companies', { body: { id: companyId, fax: '555-0199' } }),
    );
    expect(res).toEqual({ itemId: companyId });
  });
});

describe('n8n-nodes-autotask (TypeScript)', () => {
  // helpers/http/headers.ts: `APIIntegrationcode`, `Username`, `Secret`; request.ts: every path ends
  // with "/", the `request` library sends the default body `{}` even on GET, and a next page is
  // POSTed with only `{filter}` ("IncludeFields ... are already in the URL").
  const headers = (): Record<string, string> => ({
    APIIntegrationcode: target.credentials.integrationCode,
    Username: target.credentials.userName,
    Secret: target.credentials.secret,
    'Content-Type': 'application/json',
  });

  it('trailing slashes on get, query and metadata paths', async () => {
    const item = ok(
      await target.call('GET', `V1.0/Companies/${companyId}/`, { auth: false, headers: headers() }),
    );
    expect(item.item.id).toBe(companyId);
    const page = ok(
      await target.call('POST', 'V1.0/Companies/query/', {
        auth: false,
        headers: headers(),
        body: { filter: [{ op: 'eq', field: 'id', value: companyId }] },
      }),
    );
    expect(page.items).toHaveLength(1);
    const fields = ok(
      await target.call('GET', 'V1.0/Companies/entityInformation/fields/', {
        auth: false,
        headers: headers(),
      }),
    );
    expect(Array.isArray(fields.fields)).toBe(true);
  });

  it('a GET carrying a JSON body {} is answered as a plain GET', async () => {
    const res = await getWithBody(`${target.root}V1.0/Companies/${companyId}/`, headers(), '{}');
    expect(res.status).toBe(200);
    expect(res.json.item.id).toBe(companyId);
  });

  it('a next page POSTed with only {filter} keeps the IncludeFields of the first request', async () => {
    const filter = [inCompany()];
    const first = ok(
      await target.call('POST', 'V1.0/Contacts/query/', {
        auth: false,
        headers: headers(),
        body: { filter, MaxRecords: 2, IncludeFields: ['id', 'firstName'] },
      }),
    );
    const pages = await allPages(first, async (url) =>
      ok(await target.call('POST', url, { auth: false, headers: headers(), body: { filter } })),
    );
    expect(pages.map((c) => c.id)).toEqual(contactIds);
    for (const c of pages) expect(Object.keys(c).sort()).toEqual(['firstName', 'id', 'userDefinedFields']);
  });
});

describe('Anteris autotask-client (PHP)', () => {
  // API/Companies/CompanyService.php: create POSTs and update PUTs `$resource->toArray()`, the whole
  // DTO: every property, null when unset, read-only ones included.
  it('a create carrying every field (nulls included) gets the same defaults as one without them', async () => {
    const fields = ok(await target.call('GET', 'V1.0/Companies/entityInformation/fields')).fields as any[];
    const dto: Record<string, unknown> = Object.fromEntries(fields.map((f) => [f.name, null]));
    const name = uniqueName('anteris');
    Object.assign(dto, { companyName: name, companyType: 1, ownerResourceID: owner, phone: '555-0100' });
    const withNulls = ok(
      await target.call('POST', 'V1.0/Companies', { body: { ...dto, userDefinedFields: [] } }),
    );
    const plain = await createCompany(target, owner);
    const a = await getItem(target, 'Companies', withNulls.itemId as number);
    const b = await getItem(target, 'Companies', plain);
    expect(a.companyName).toBe(name);
    for (const field of ['isActive', 'companyCategoryID', 'countryID', 'currencyID']) {
      if (field in b) expect(a[field], field).toEqual(b[field]);
    }
  });

  it('an update PUTs the whole record as read back; nothing changes', async () => {
    const before = await getItem(target, 'Companies', companyId);
    expect(ok(await target.call('PUT', 'V1.0/Companies', { body: before }))).toEqual({ itemId: companyId });
    const after = await getItem(target, 'Companies', companyId);
    expect(after.companyName).toBe(before.companyName);
    expect(after.phone).toBe(before.phone);
    expect(after.ownerResourceID).toBe(before.ownerResourceID);
    expect(udfMap(after)).toEqual(udfMap(before));
  });
});

describe('AutoTask.Psa.Api (panoramicdata, C#)', () => {
  // Refit interfaces generated from the swagger (Interfaces/CompaniesApi.cs): the whole model is sent
  // on POST, PATCH and PUT, so `"id": 0` on create and `"userDefinedFields": null` when unset.
  it('"userDefinedFields": null on create and PATCH leaves the UDFs alone', async () => {
    const before = udfMap(await getItem(target, 'Companies', companyId));
    const patched = ok(
      await target.call('PATCH', 'V1.0/Companies', {
        body: { id: companyId, phone: '555-0142', userDefinedFields: null },
        headers: { 'Content-Type': 'application/json; charset=utf-8' },
      }),
    );
    expect(patched).toEqual({ itemId: companyId });
    expect(udfMap(await getItem(target, 'Companies', companyId))).toEqual(before);
    const created = ok(
      await target.call('POST', 'V1.0/Companies', {
        body: {
          id: 0,
          companyName: uniqueName('refit'),
          companyType: 1,
          ownerResourceID: owner,
          phone: '555-0100',
          userDefinedFields: null,
        },
      }),
    );
    expect(created).toEqual({ itemId: expect.any(Number) });
    expect(created.itemId).not.toBe(0);
  });
});

describe('py-autotask (Python)', () => {
  // entities/base.py: filter values are sent as strings ("true", "1", str(parent_id)).
  it('numbers and booleans sent as strings in filters on integer and boolean fields', async () => {
    const body = ok(
      await target.call('POST', 'V1.0/Contacts/query', {
        body: {
          filter: [
            { field: 'companyID', op: 'eq', value: String(companyId) },
            { field: 'isActive', op: 'eq', value: '1' },
          ],
        },
      }),
    );
    expect((body.items as any[]).map((c) => c.id)).toEqual(contactIds);
    const companies = ok(
      await target.call('POST', 'V1.0/Companies/query', {
        body: {
          filter: [
            { field: 'id', op: 'eq', value: companyId },
            { field: 'isActive', op: 'eq', value: 'true' },
          ],
        },
      }),
    );
    expect(companies.items).toHaveLength(1);
  });

  it('a string against the Long id field returns no rows, even a numeric one (API notes §4.3)', async () => {
    const body = ok(
      await target.call('POST', 'V1.0/Companies/query', {
        body: { filter: [{ field: 'id', op: 'eq', value: String(companyId) }] },
      }),
    );
    expect(body.items).toEqual([]);
  });
});

describe('autotask-node (asachs01 / wyre-technology, TypeScript)', () => {
  // API notes §11.1: sends keys Autotask does not know (`page`, `sort`) in the query body, labels
  // plain JSON bodies `Content-Encoding: gzip`, and updates through item URLs (`PATCH /{Entity}/{id}`).
  it('unknown query-body keys are ignored and a gzip label on a plain JSON body is not decoded', async () => {
    const body = ok(
      await target.call('POST', 'V1.0/Companies/query', {
        body: { filter: [{ op: 'eq', field: 'id', value: companyId }], page: 2, sort: 'companyName asc' },
        headers: { 'Content-Encoding': 'gzip' },
      }),
    );
    expect(body.items.map((c: any) => c.id)).toEqual([companyId]);
  });

  it('an item-level PATCH is not a route for that verb: 405 with the ASP.NET Message', async () => {
    const res = await target.call('PATCH', `V1.0/Companies/${companyId}`, { body: { phone: '1' } });
    expect(res.status).toBe(405);
    expect(res.json).toEqual({ Message: expect.stringMatching(/does not support http method 'PATCH'/) });
  });
});

describe('what .NET and ASP.NET make of a request (any client)', () => {
  it('a body that starts with a UTF-8 byte-order mark (Encoding.UTF8 writers) is read', async () => {
    const body = ok(
      await target.call('POST', 'V1.0/Companies/query', {
        rawBody: `\uFEFF${JSON.stringify({ filter: [{ op: 'eq', field: 'id', value: companyId }] })}`,
      }),
    );
    expect(body.items).toHaveLength(1);
  });

  it('unquoted property names and single quotes in a POST body are read as JSON.NET reads them', async () => {
    const body = ok(
      await target.call('POST', 'V1.0/Companies/query', {
        rawBody: `{filter:[{op:'eq',field:'id',value:${companyId}}], MaxRecords: 5}`,
      }),
    );
    expect(body.items.map((c: any) => c.id)).toEqual([companyId]);
  });

  it('text that is not JSON at all is still refused with a 500', async () => {
    expectErrors(await target.call('POST', 'V1.0/Companies/query', { rawBody: '{filter:[{op:eq}' }));
  });

  it('query-string parameter names are matched case-insensitively (?Search=, ?User=)', async () => {
    const count = ok(
      await target.call('GET', `V1.0/Contacts/query/count?Search=${search({ filter: [inCompany()] })}`),
    );
    expect(count).toEqual({ queryCount: contactIds.length });
    const zone = ok(
      await target.call(
        'GET',
        `V1.0/zoneInformation?User=${encodeURIComponent(target.credentials.userName)}`,
        {
          auth: false,
        },
      ),
    );
    expect(typeof zone.url).toBe('string');
  });

  it('Content-Type with a charset, or none at all, on a JSON body', async () => {
    const query = JSON.stringify({ filter: [{ op: 'eq', field: 'id', value: companyId }] });
    for (const contentType of ['application/json; charset=utf-8', 'text/plain']) {
      const res = await send(target.root, target.credentials, 'POST', 'V1.0/Companies/query', {
        rawBody: query,
        headers: { 'Content-Type': contentType },
      });
      expect(ok(res).items).toHaveLength(1);
    }
    const headers = { ...auth(), Accept: 'application/json' };
    const bare = await fetch(`${target.root}V1.0/Companies/query`, { method: 'POST', headers, body: query });
    expect(bare.status).toBe(200);
  });

  it.skipIf(againstSandbox)(
    'datetimes with 7 fractional digits, an offset or no zone are stored as UTC',
    async () => {
      const cases: [string, string][] = [
        ['2026-03-01T00:00:00.1234567Z', '2026-03-01T00:00:00.123Z'],
        ['2026-03-01T02:00:00+02:00', '2026-03-01T00:00:00Z'],
        ['2026-03-01T00:00:00', '2026-03-01T00:00:00Z'],
      ];
      const opportunity = ok(
        await target.call('POST', 'V1.0/Opportunities', {
          body: await opportunityBody(target, companyId, owner),
        }),
      ).itemId as number;
      for (const [sent, stored] of cases) {
        ok(
          await target.call('PATCH', 'V1.0/Opportunities', {
            body: { id: opportunity, projectedCloseDate: sent },
          }),
        );
        expect((await getItem(target, 'Opportunities', opportunity)).projectedCloseDate).toBe(stored);
      }
    },
  );
});
