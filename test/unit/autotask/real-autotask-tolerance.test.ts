/**
 * What real Autotask is reported to send that the emulator does not (API doc §4.5, §6.6, §8, §11.2;
 * other clients' tests and issue threads): the client must take it in stride. Scripted fetch, so
 * each answer is exactly the reported shape.
 */
import { describe, expect, it } from 'vitest';

import { createAutotaskClient } from '../../../src/autotask/client.js';
import { encodeToken } from '../../../src/autotask/connection-settings.js';
import { parseAutotaskDateTime } from '../../../src/autotask/datetime.js';
import { AutotaskServerError, AutotaskValidationError } from '../../../src/autotask/errors.js';
import { udf, where } from '../../../src/autotask/query.js';
import { ManualClock } from '../../../src/shared/clock.js';
import { scriptedFetch, type ScriptedAnswer } from './support/scripted-fetch.js';

const BASE = 'https://webservices15.autotask.net/ATServicesRest/V1.0/';
const DISCOVERY = 'https://webservices.autotask.net/ATServicesRest/V1.0/';
const ok = (json: unknown): ScriptedAnswer => ({ status: 200, json });

/** `url: null` leaves the URL out, so the client discovers the zone. */
function setup(answers: ScriptedAnswer[], url: string | null = BASE) {
  const sf = scriptedFetch(answers);
  const client = createAutotaskClient({
    token: encodeToken('api@example.com', 'a-secret-value'),
    integrationCode: 'INTEGRATIONCODE0123456789AB',
    ...(url === null ? {} : { url }),
    fetch: sf.fetch,
    clock: new ManualClock(Date.UTC(2026, 0, 1)),
    random: () => 0,
    budget: { reconcileIntervalMs: false },
    retry: { baseDelayMs: 1, maxDelayMs: 1 },
  });
  return { sf, client };
}

async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of iterable) out.push(x);
  return out;
}

describe('query pages as real Autotask writes them', () => {
  it('records with unknown fields, no userDefinedFields and 7-digit or zone-less dates pass through', async () => {
    const record = {
      id: 7,
      companyName: 'Acme',
      someFieldAddedNextRelease: { nested: true },
      lastActivityDate: '2026-01-05T10:11:12.1234567Z',
      createDate: '2016-03-30T13:10:35.563',
    };
    const { client } = setup([
      ok({
        items: [record],
        pageDetails: { count: 1, requestCount: 500, prevPageUrl: null, nextPageUrl: null },
        someEnvelopeField: 'ignored',
      }),
    ]);
    const items = await collect(client.companies.query(where.eq('id', 7)));
    expect(items).toEqual([record]);
    expect(parseAutotaskDateTime(record.lastActivityDate)).toBe(Date.UTC(2026, 0, 5, 10, 11, 12, 123));
    expect(parseAutotaskDateTime(record.createDate)).toBe(Date.UTC(2016, 2, 30, 13, 10, 35, 563));
  });

  it('a page without pageDetails, or with an empty nextPageUrl, is the last one', async () => {
    const { sf, client } = setup([
      ok({ items: [{ id: 1 }] }),
      ok({ items: [{ id: 2 }], pageDetails: { count: 1, nextPageUrl: '' } }),
    ]);
    expect((await collect(client.companies.query([]))).map((r) => r.id)).toEqual([1]);
    expect((await collect(client.contacts.query([]))).map((r) => r.id)).toEqual([2]);
    expect(sf.log).toHaveLength(2);
  });

  it("follows Autotask's own nextPageUrl verbatim: default port, host case, single-quoted search, %7b escapes", async () => {
    const next =
      "https://WebServices15.autotask.net:443/ATServicesRest/V1.0/Companies/query/next?paging=%7b%22pageSize%22%3a1%2c%22previousIds%22%3a%5b-1%5d%2c%22nextIds%22%3a%5b725%5d%7d&search=%7b'filter'%3a%5b%7b'op'%3a'exist'%2c'field'%3a'IsActive'%7d%5d%7d";
    const { sf, client } = setup([
      ok({
        items: [{ id: 725 }],
        pageDetails: { count: 1, requestCount: 1, prevPageUrl: null, nextPageUrl: next },
      }),
      ok({
        items: [{ id: 726 }],
        pageDetails: { count: 1, requestCount: 1, prevPageUrl: next, nextPageUrl: null },
      }),
    ]);
    const items = await collect(client.companies.query({ filter: where.exist('IsActive'), maxRecords: 1 }));
    expect(items.map((r) => r.id)).toEqual([725, 726]);
    expect(sf.log[1]?.url).toBe(next);
    expect(sf.log[1]?.headers['username']).toBe('api@example.com');
  });
});

describe('filters as real Autotask reads them', () => {
  it('sends numeric strings on id as numbers: a string against a Long field finds nothing (§4.3)', async () => {
    const { sf, client } = setup([
      ok({ items: [{ id: 12 }], pageDetails: { nextPageUrl: null } }),
      ok({ items: [{ id: 12 }, { id: 13 }], pageDetails: { nextPageUrl: null } }),
      ok({ items: [], pageDetails: { nextPageUrl: null } }),
    ]);
    await collect(client.companies.query([where.eq('id', '12'), where.eq('companyNumber', '12')]));
    const found = await client.findByValues('Companies', 'id', ['12', '13', 'x']);
    await collect(
      client.contacts.query({ op: 'or', items: [where.in('ID', ['7', 8]), udf(where.eq('id', '9'))] }),
    );
    expect(sf.log.map((r) => r.body)).toEqual([
      {
        filter: [
          { op: 'eq', field: 'id', value: 12 },
          { op: 'eq', field: 'companyNumber', value: '12' },
        ],
      },
      { filter: [{ op: 'in', field: 'id', value: [12, 13, 'x'] }] },
      {
        filter: [
          {
            op: 'or',
            items: [
              { op: 'in', field: 'ID', value: [7, 8] },
              { op: 'eq', field: 'id', value: '9', udf: true },
            ],
          },
        ],
      },
    ]);
    expect(found.get('12')?.map((r) => r.id)).toEqual([12]);
    expect(found.get('13')?.map((r) => r.id)).toEqual([13]);
  });
});

describe('errors as real Autotask sends them', () => {
  it('a 500 with {"errors":[...]} for a bad query is not retried: one call, the message kept', async () => {
    const { sf, client } = setup([
      { status: 500, json: { errors: ['Unable to find foo in the Company Entity.'] } },
    ]);
    const error = await collect(client.companies.query(where.eq('foo', 1))).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AutotaskValidationError);
    expect((error as AutotaskValidationError).errors).toEqual(['Unable to find foo in the Company Entity.']);
    expect(sf.log).toHaveLength(1);
  });

  it('errors given as objects ({message, field}) are read for their message', async () => {
    const { client } = setup([
      {
        status: 500,
        json: { errors: [{ message: 'The field companyName is required.', field: 'companyName' }] },
      },
    ]);
    const error = await client.companies
      .create({ companyType: 1, ownerResourceID: 4, phone: '1' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AutotaskValidationError);
    expect((error as AutotaskValidationError).errors).toEqual(['The field companyName is required.']);
  });

  it("a 500 'unexpected error ... Error ID' on a read is retried as a server failure", async () => {
    const unexpected = {
      status: 500,
      json: {
        errors: [
          'An unexpected error has occurred.  If the problem persists, please contact Autotask Support and reference Error ID: 1166',
        ],
      },
    };
    const { sf, client } = setup([unexpected, ok({ item: { id: 3 } })]);
    expect(await client.companies.get(3)).toEqual({ id: 3 });
    expect(sf.log).toHaveLength(2);
    const { client: once } = setup([unexpected, unexpected, unexpected, unexpected, unexpected]);
    await expect(once.companies.get(3)).rejects.toBeInstanceOf(AutotaskServerError);
  });

  it('a JSON body with a BOM or a charset in Content-Type is read', async () => {
    const { client } = setup([
      {
        status: 200,
        text: '\uFEFF{"item":{"id":4}}',
        headers: { 'content-type': 'application/json; charset=utf-8' },
      },
    ]);
    expect(await client.companies.get(4)).toEqual({ id: 4 });
  });
});

describe('zone discovery answers as reported', () => {
  it('a url without the trailing slash, in lower case, with SOAP-era extra fields', async () => {
    const { sf, client } = setup(
      [
        ok({
          zoneName: 'America West 2',
          url: 'https://webservices15.autotask.net/atservicesrest',
          webUrl: 'https://ww15.autotask.net/',
          ci: 123456,
          dataBaseType: 'Production',
          ciLevel: 1,
        }),
        ok({ item: { id: 0 } }),
      ],
      null,
    );
    expect(await client.companies.get(0)).toEqual({ id: 0 });
    expect(sf.lines()[0]).toBe(`GET ${DISCOVERY}zoneInformation?user=api%40example.com`);
    expect(sf.log[1]?.url).toMatch(
      /^https:\/\/webservices15\.autotask\.net\/atservicesrest\/V1\.0\/Companies\/0$/i,
    );
  });
});
