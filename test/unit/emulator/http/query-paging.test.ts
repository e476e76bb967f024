import { describe, expect, it } from 'vitest';

import { ACME, ACME_CONTACT, ACME_PRIMARY_CONTACT, GLOBEX, testEmulator, type Json } from './fixture.js';

const all = { filter: [{ op: 'gte', field: 'id', value: 0 }] };

/** Ids of a query page's items. */
function idsOf(page: Json): number[] {
  return (page.items as { id: number }[]).map((i) => i.id);
}

function pagingOf(url: string): Json {
  return JSON.parse(new URL(url).searchParams.get('paging')!);
}

describe('emulator queries', () => {
  it('answers POST and GET queries with items and pageDetails', async () => {
    const { call } = testEmulator();
    const post = await call('POST', 'V1.0/Companies/query', {
      Filter: [{ op: 'eq', field: 'CompanyName', value: 'acme' }],
    });
    expect(post.status).toBe(200);
    expect(idsOf(post.json)).toEqual([ACME]);
    expect(post.json.pageDetails).toEqual({
      count: 1,
      requestCount: 500,
      prevPageUrl: null,
      nextPageUrl: null,
    });
    const search = encodeURIComponent(
      JSON.stringify({ filter: [{ op: 'eq', field: 'companyID', value: ACME }] }),
    );
    const get = await call('GET', `V1.0/Contacts/query?search=${search}`);
    expect(idsOf(get.json)).toEqual([ACME_CONTACT, ACME_PRIMARY_CONTACT]);
  });

  it('reports query errors as 500 {"errors":[...]} and needs search on GET', async () => {
    const { call } = testEmulator();
    const bad = await call('POST', 'V1.0/Companies/query', {
      filter: [{ op: 'eq', field: 'nope', value: 1 }],
    });
    expect(bad.status).toBe(500);
    expect(bad.json.errors).toEqual(['Unable to find nope in the Company Entity.']);
    expect((await call('GET', 'V1.0/Companies/query')).status).toBe(405);
    const garbled = await call('GET', 'V1.0/Companies/query?search=%7Bnot-json');
    expect(garbled.status).toBe(500);
  });

  it('counts with POST and GET', async () => {
    const { call } = testEmulator();
    expect((await call('POST', 'V1.0/Companies/query/count', all)).json).toEqual({ queryCount: 3 });
    const search = encodeURIComponent(JSON.stringify(all));
    expect((await call('GET', `V1.0/Contacts/query/count?search=${search}`)).json).toEqual({ queryCount: 3 });
  });

  it('pages a POST query: absolute next URL without search, GET on it → 405, POST with or without the body', async () => {
    const { call } = testEmulator();
    const first = await call('POST', 'V1.0/Companies/query', { ...all, MaxRecords: 1 });
    expect(idsOf(first.json)).toEqual([0]);
    const next: string = first.json.pageDetails.nextPageUrl;
    expect(next.startsWith('http://emulator.test/ATServicesRest/V1.0/Companies/query/next?paging=')).toBe(
      true,
    );
    expect(next).not.toContain('search=');
    expect(pagingOf(next)).toEqual({ pageSize: 1, previousIds: [-1], nextIds: [0] });

    const get = await call('GET', next);
    expect(get.status).toBe(405);
    expect(get.json.Message).toContain("'GET'");

    const second = await call('POST', next, { ...all, MaxRecords: 1 });
    expect(idsOf(second.json)).toEqual([ACME]);
    expect(second.json.pageDetails.requestCount).toBe(1);
    expect(second.json.pageDetails.prevPageUrl).not.toBeNull();
    const third = await call('POST', second.json.pageDetails.nextPageUrl);
    expect(idsOf(third.json)).toEqual([GLOBEX]);
    expect(third.json.pageDetails.nextPageUrl).toBeNull();

    const different = await call('POST', next, { filter: [{ op: 'eq', field: 'id', value: ACME }] });
    expect(different.status).toBe(500);
    expect(different.json.errors[0]).toContain('differs');
  });

  it('does not shift pages when records are inserted meanwhile (keyset paging)', async () => {
    const { call } = testEmulator();
    const first = await call('POST', 'V1.0/Companies/query', { ...all, MaxRecords: 2 });
    await call('POST', 'V1.0/Companies', {
      companyName: 'New',
      companyType: 1,
      ownerResourceID: 1,
      phone: '1',
    });
    const second = await call('POST', first.json.pageDetails.nextPageUrl, { ...all, MaxRecords: 2 });
    expect(idsOf(second.json)[0]).toBe(GLOBEX);
    expect(second.json.items).toHaveLength(2);
  });

  it('pages a GET query through next URLs that carry the original search', async () => {
    const { call } = testEmulator();
    const search = JSON.stringify({ ...all, MaxRecords: 1 });
    const first = await call('GET', `V1.0/Companies/query?search=${encodeURIComponent(search)}`);
    const next: string = first.json.pageDetails.nextPageUrl;
    expect(new URL(next).searchParams.get('search')).toBe(search);
    const ids = idsOf(first.json);
    let url: string | null = next;
    while (url) {
      const page = await call('GET', url);
      expect(page.status).toBe(200);
      ids.push(...idsOf(page.json));
      url = page.json.pageDetails.nextPageUrl;
    }
    expect(ids).toEqual([0, ACME, GLOBEX]);
  });

  it('rejects a missing or malformed paging parameter', async () => {
    const { call } = testEmulator();
    expect((await call('POST', 'V1.0/Companies/query/next', all)).status).toBe(500);
    expect((await call('POST', 'V1.0/Companies/query/next?paging=%7B', all)).status).toBe(500);
  });

  it("lists a company's contacts through the child route", async () => {
    const { call } = testEmulator();
    const res = await call('GET', `V1.0/Companies/${ACME}/Contacts`);
    expect(res.status).toBe(200);
    expect(idsOf(res.json)).toEqual([ACME_CONTACT, ACME_PRIMARY_CONTACT]);
    expect(res.json.pageDetails.count).toBe(2);
  });
});
