import { describe, expect, it } from 'vitest';

import { createAutotaskClient } from '../../../src/autotask/client.js';
import type { AutotaskClientOptions, BudgetWaitInfo, CallEvent } from '../../../src/autotask/client-types.js';
import { encodeToken } from '../../../src/autotask/connection-settings.js';
import {
  AutotaskAuthenticationError,
  AutotaskNotFoundError,
  AutotaskOutcomeUnknownError,
  AutotaskQueryError,
  AutotaskUntrustedUrlError,
  AutotaskValidationError,
} from '../../../src/autotask/errors.js';
import type { MetadataCacheStore } from '../../../src/autotask/persistence-ports.js';
import { udf, where } from '../../../src/autotask/query.js';
import { WINDOW_MS } from '../../../src/autotask/throttle/hourly-budget.js';
import { ManualClock, systemClock } from '../../../src/shared/clock.js';
import type { Logger } from '../../../src/shared/logger.js';
import {
  connectionRefused,
  connectionReset,
  scriptedFetch,
  type ScriptedAnswer,
} from './support/scripted-fetch.js';

const T0 = Date.UTC(2026, 0, 1);
const BASE = 'https://webservices14.autotask.net/ATServicesRest/V1.0/';
const SECRET = 'Sup3r$ecret-Value';
const CODE = 'INTEGRATIONCODE0123456789AB';
const USER = 'api@example.com';
const TOKEN = encodeToken(USER, SECRET);

const ok = (json: unknown): ScriptedAnswer => ({ status: 200, json });
const errors = (status: number, ...messages: string[]): ScriptedAnswer => ({
  status,
  json: { errors: messages },
});
const page = (items: unknown[], nextPageUrl: string | null = null): ScriptedAnswer =>
  ok({ items, pageDetails: { count: items.length, requestCount: 500, prevPageUrl: null, nextPageUrl } });

function recordingLogger(lines: string[]): Logger {
  const log =
    (level: string) =>
    (obj: object, msg?: string): void => {
      lines.push(`${level} ${msg ?? ''} ${JSON.stringify(obj)}`);
    };
  const logger: Logger = {
    debug: log('debug'),
    info: log('info'),
    warn: log('warn'),
    error: log('error'),
    child: () => logger,
  };
  return logger;
}

function setup(
  answers: ScriptedAnswer[],
  extra: Partial<Omit<AutotaskClientOptions, 'url'>> & { url?: string | undefined } = {},
) {
  const sf = scriptedFetch(answers);
  const { url: _url, ...rest } = extra;
  const url = 'url' in extra ? extra.url : BASE;
  const clock = new ManualClock(T0);
  const events: CallEvent[] = [];
  const logLines: string[] = [];
  const client = createAutotaskClient({
    token: TOKEN,
    integrationCode: CODE,
    ...(url === undefined ? {} : { url }),
    fetch: sf.fetch,
    clock,
    random: () => 0,
    logger: recordingLogger(logLines),
    budget: { reconcileIntervalMs: false },
    onCall: (e) => events.push(e),
    ...rest,
  });
  return { sf, clock, client, events, logLines };
}

function memoryCache(): MetadataCacheStore & { map: Map<string, { value: unknown; storedAt: number }> } {
  const map = new Map<string, { value: unknown; storedAt: number }>();
  return {
    map,
    read: (k) => map.get(k),
    write: (k, value, storedAt) => {
      map.set(k, { value: JSON.parse(JSON.stringify(value)) as unknown, storedAt });
    },
  };
}

async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

describe('requests on the wire', () => {
  it('sends the three credential headers, JSON accept, and impersonation only on writes', async () => {
    const { sf, client } = setup([ok({ item: { id: 5 } }), ok({ itemId: 77 })], {
      impersonationResourceId: 29682885,
    });
    await client.companies.get(5);
    await client.companies.create({ companyName: 'Acme', companyType: 1, ownerResourceID: 4, phone: '1' });
    expect(sf.lines(BASE)).toEqual(['GET Companies/5', 'POST Companies']);
    expect(sf.log[0]?.headers).toEqual({
      accept: 'application/json',
      apiintegrationcode: CODE,
      username: USER,
      secret: SECRET,
    });
    expect(sf.log[1]?.headers).toMatchObject({
      'content-type': 'application/json',
      impersonationresourceid: '29682885',
    });
    expect(sf.log[1]?.body).toEqual({ companyName: 'Acme', companyType: 1, ownerResourceID: 4, phone: '1' });
  });

  it('treats {"item":null} and a JSON 404 as "no such record", but an HTML 404 as a wrong route', async () => {
    const { client } = setup([
      ok({ item: null }),
      { status: 404, text: '' },
      { status: 404, text: '<html><head><title>404 - File or directory not found.</title></head></html>' },
    ]);
    await expect(client.companies.get(1)).resolves.toBeUndefined();
    await expect(client.companies.get(2)).resolves.toBeUndefined();
    const error = await client.companies.get(3).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AutotaskNotFoundError);
    expect((error as AutotaskNotFoundError).routeNotFound).toBe(true);
  });

  it('PATCHes and PUTs the collection with the id in the body', async () => {
    const { sf, client } = setup([ok({ itemId: 9 }), ok({ itemId: 9 })]);
    expect(await client.opportunities.update({ id: 9, title: 'x' })).toBe(9);
    expect(await client.opportunities.replace({ id: 9, title: 'y' })).toBe(9);
    expect(sf.log.map((r) => [r.method, r.url.slice(BASE.length), r.body])).toEqual([
      ['PATCH', 'Opportunities', { id: 9, title: 'x' }],
      ['PUT', 'Opportunities', { id: 9, title: 'y' }],
    ]);
  });

  it('writes Contacts through the company child route, reading the companyID when not given', async () => {
    const { sf, client } = setup([
      ok({ itemId: 30 }),
      ok({ item: { id: 30, companyID: 174 } }),
      ok({ itemId: 30 }),
    ]);
    expect(await client.contacts.create({ companyID: 174, firstName: 'Z', lastName: 'B', isActive: 1 })).toBe(
      30,
    );
    expect(await client.contacts.update({ id: 30, title: 'President' })).toBe(30);
    expect(sf.lines(BASE)).toEqual([
      'POST Companies/174/Contacts',
      'GET Contacts/30',
      'PATCH Companies/174/Contacts',
    ]);
    expect(sf.log[0]?.body).toEqual({ companyID: 174, firstName: 'Z', lastName: 'B', isActive: 1 });
    await expect(client.contacts.create({ firstName: 'No company' })).rejects.toThrow(/companyID/);
    expect(sf.log).toHaveLength(3);
  });

  it('does not expose Resources.create', () => {
    const { client } = setup([]);
    expect('create' in client.resources).toBe(false);
    expect(typeof client.resources.update).toBe('function');
  });

  it('counts with POST /query/count', async () => {
    const { sf, client } = setup([ok({ queryCount: 7 })]);
    expect(await client.companies.count(where.beginsWith('companyName', 'B'))).toBe(7);
    expect(sf.lines(BASE)).toEqual(['POST Companies/query/count']);
    expect(sf.log[0]?.body).toEqual({ filter: [{ op: 'beginsWith', field: 'companyName', value: 'B' }] });
  });

  it('refuses a query Autotask would refuse, without a call', async () => {
    const { sf, client } = setup([]);
    await expect(
      collect(client.companies.query([udf(where.eq('A', 1)), udf(where.eq('B', 2))])),
    ).rejects.toBeInstanceOf(AutotaskQueryError);
    expect(sf.log).toHaveLength(0);
  });
});

describe('paging', () => {
  it('POSTs the same body to each nextPageUrl until it is null', async () => {
    const next1 = `${BASE}Companies/query/next?paging=%7b%22pageSize%22%3a2%2c%22nextIds%22%3a%5b3%5d%7d`;
    const next2 = `${BASE}Companies/query/next?paging=%7b%22pageSize%22%3a2%2c%22nextIds%22%3a%5b5%5d%7d`;
    const { sf, client } = setup([
      page([{ id: 1 }, { id: 2 }], next1),
      page([{ id: 3 }, { id: 4 }], next2),
      page([{ id: 5 }], ''),
    ]);
    const items = await collect(
      client.companies.query({ filter: where.exist('id'), maxRecords: 2, includeFields: ['companyName'] }),
    );
    expect(items.map((i) => i.id)).toEqual([1, 2, 3, 4, 5]);
    const body = {
      filter: [{ op: 'exist', field: 'id' }],
      MaxRecords: 2,
      IncludeFields: ['id', 'companyName'],
    };
    expect(sf.log.map((r) => [r.method, r.url, r.body])).toEqual([
      ['POST', `${BASE}Companies/query`, body],
      ['POST', next1, body],
      ['POST', next2, body],
    ]);
  });

  it('never sends credentials to a nextPageUrl on another origin', async () => {
    const { sf, client } = setup([
      page([{ id: 1 }], 'https://evil.example.com/ATServicesRest/V1.0/Companies/query/next?paging=x'),
    ]);
    const error = await collect(client.companies.query([])).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AutotaskUntrustedUrlError);
    expect(sf.log).toHaveLength(1);
  });

  it('stops on a repeated nextPageUrl instead of looping', async () => {
    const next = `${BASE}Companies/query/next?paging=same`;
    const { client } = setup([page([{ id: 1 }], next), page([{ id: 2 }], next), page([{ id: 3 }], next)]);
    await expect(collect(client.companies.query([]))).rejects.toThrow(/same next-page URL twice/);
  });

  it('serves single pages for callers that keep their own cursor', async () => {
    const next = `${BASE}Companies/query/next?paging=p2`;
    const { sf, client } = setup([page([{ id: 1 }], next), page([{ id: 2 }])]);
    const first = await client.companies.queryPage([]);
    expect(first.nextPageUrl).toBe(next);
    const second = await client.companies.queryPage([], first.nextPageUrl ?? undefined);
    expect(second).toEqual({ items: [{ id: 2 }], nextPageUrl: null });
    expect(sf.lines(BASE)).toEqual(['POST Companies/query', 'POST Companies/query/next?paging=p2']);
  });
});

describe('retries', () => {
  it('retries a read on 429 and thread-limit errors (even with status 500), with backoff', async () => {
    const { sf, client, clock, events } = setup([
      errors(429, 'The Autotask API thread threshold of 3 threads has been exceeded.'),
      errors(500, 'Itgenatr005 thread threshold exceeded'),
      { status: 503, text: 'Service Unavailable' },
      ok({ item: { id: 1 } }),
    ]);
    expect(await client.companies.get(1)).toEqual({ id: 1 });
    expect(sf.lines(BASE)).toEqual([
      'GET Companies/1',
      'GET Companies/1',
      'GET Companies/1',
      'GET Companies/1',
    ]);
    expect(clock.sleeps).toEqual([1000, 2000, 4000]);
    expect(events.map((e) => [e.attempt, e.status])).toEqual([
      [1, 429],
      [2, 500],
      [3, 503],
      [4, 200],
    ]);
    expect(client.stats()).toMatchObject({ totalCalls: 4, retries: 3, calls: { Companies: { get: 4 } } });
  });

  it('gives up after maxAttempts with the last error', async () => {
    const { sf, client } = setup(
      [
        { status: 500, text: '' },
        { status: 500, text: '' },
      ],
      { retry: { maxAttempts: 2 } },
    );
    await expect(client.companies.get(1)).rejects.toMatchObject({ code: 'AUTOTASK_SERVER_ERROR' });
    expect(sf.log).toHaveLength(2);
  });

  it('honours Retry-After', async () => {
    const { client, clock } = setup([
      { status: 429, text: '', headers: { 'retry-after': '7' } },
      ok({ item: { id: 1 } }),
    ]);
    await client.companies.get(1);
    expect(clock.sleeps).toEqual([7000]);
  });

  it('never repeats a create that may have been written: 500 after sending → outcome unknown', async () => {
    const { sf, client } = setup([errors(500, 'An unexpected error has occurred. Error ID: 1166')]);
    const error = await client.companies.create({ companyName: 'Acme' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AutotaskOutcomeUnknownError);
    expect((error as AutotaskOutcomeUnknownError).code).toBe('AUTOTASK_OUTCOME_UNKNOWN');
    expect(sf.lines(BASE)).toEqual(['POST Companies']);
  });

  it('never repeats a create after a broken connection either', async () => {
    const { sf, client } = setup([connectionReset()]);
    await expect(client.companies.create({ companyName: 'Acme' })).rejects.toBeInstanceOf(
      AutotaskOutcomeUnknownError,
    );
    expect(sf.log).toHaveLength(1);
  });

  it('repeats a create when the error proves nothing was written (429, thread limit, refused)', async () => {
    const { sf, client, clock } = setup([
      errors(429, 'thread threshold of 3 threads has been exceeded'),
      connectionRefused(),
      { status: 429, text: '' },
      ok({ itemId: 12 }),
    ]);
    expect(await client.companies.create({ companyName: 'Acme' })).toBe(12);
    expect(sf.lines(BASE)).toEqual(['POST Companies', 'POST Companies', 'POST Companies', 'POST Companies']);
    expect(clock.sleeps).toEqual([1000, 2000, 4000]);
  });

  it("does not retry a validation error; the record is skipped with Autotask's message", async () => {
    const { sf, client } = setup([errors(500, 'The field phone is required.')]);
    const error = await client.companies.create({ companyName: 'Acme' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AutotaskValidationError);
    expect((error as AutotaskValidationError).disposition).toBe('skip');
    expect((error as AutotaskValidationError).errors).toEqual(['The field phone is required.']);
    expect(sf.log).toHaveLength(1);
  });

  it('retries PATCH like a read (it is idempotent)', async () => {
    const { sf, client } = setup([{ status: 500, text: '' }, connectionReset(), ok({ itemId: 3 })]);
    expect(await client.companies.update({ id: 3, phone: '2' })).toBe(3);
    expect(sf.lines(BASE)).toEqual(['PATCH Companies', 'PATCH Companies', 'PATCH Companies']);
  });
});

describe('secrets', () => {
  it('keeps the secret and integration code out of errors, events and logs', async () => {
    const echo = `Bad header Secret=${SECRET} code ${CODE} b64 ${Buffer.from(SECRET).toString('base64')}`;
    const { client, events, logLines } = setup([
      errors(400, echo),
      { status: 500, text: echo },
      ok({ item: null }),
    ]);
    const error = await client.companies.create({ companyName: 'x' }).catch((e: unknown) => e);
    const text = `${String(error)} ${JSON.stringify(error)} ${JSON.stringify((error as Error).cause ?? null)}`;
    expect(text).toContain('[REDACTED]');
    await client.companies.get(1);
    const all = `${text} ${JSON.stringify(events)} ${logLines.join('\n')}`;
    expect(all).not.toContain(SECRET);
    expect(all).not.toContain(CODE);
    expect(all).not.toContain(TOKEN);
    expect(all).not.toContain(Buffer.from(SECRET).toString('base64'));
  });
});

describe('hourly budget on the wire', () => {
  it('reads ThresholdInformation first, then waits (and says until when) instead of exceeding the share', async () => {
    const waits: BudgetWaitInfo[] = [];
    const { sf, client, clock } = setup(
      [
        ok({ externalRequestThreshold: 20, requestThresholdTimeframe: 60, currentTimeframeRequestCount: 7 }),
        ok({ item: { id: 1 } }),
        ok({ item: { id: 2 } }),
        ok({ externalRequestThreshold: 20, requestThresholdTimeframe: 60, currentTimeframeRequestCount: 5 }),
        ok({ item: { id: 3 } }),
      ],
      { budget: { share: 0.5, onWait: (w) => waits.push(w) } },
    );
    await client.companies.get(1); // the reading says 7 of 20 used (6 by others + ours); allowed 9
    await client.companies.get(2); // used 9
    clock.advance(60_000);
    // Full, and a reading would not fit either: waits until our first three calls leave the hour,
    // then re-reads (others' calls may have come or gone meanwhile) before calling.
    await client.companies.get(3);
    expect(sf.lines(BASE)).toEqual([
      'GET ThresholdInformation',
      'GET Companies/1',
      'GET Companies/2',
      'GET ThresholdInformation',
      'GET Companies/3',
    ]);
    expect(waits).toEqual([
      { until: T0 + WINDOW_MS, waitMs: WINDOW_MS - 60_000, used: 9, limit: 20, allowed: 9 },
    ]);
    expect(client.stats()).toMatchObject({ budgetWaits: 1, budgetWaitedMs: WINDOW_MS - 60_000 });
  });

  it('fails fast with AUTOTASK_BUDGET_EXHAUSTED when asked', async () => {
    const { sf, client } = setup([ok({ item: { id: 1 } })], {
      budget: { hourlyLimit: 2, share: 0.5, reconcileIntervalMs: false, whenExhausted: 'fail' },
    });
    await client.companies.get(1);
    await expect(client.companies.get(2)).rejects.toMatchObject({ code: 'AUTOTASK_BUDGET_EXHAUSTED' });
    expect(sf.log).toHaveLength(1);
  });
});

describe('cancellation', () => {
  it('ends a budget wait when the signal aborts, with the signal reason', async () => {
    const controller = new AbortController();
    const { sf, client } = setup([ok({ item: { id: 1 } })], {
      clock: systemClock,
      signal: controller.signal,
      budget: { hourlyLimit: 2, share: 0.5, reconcileIntervalMs: false },
    });
    await client.companies.get(1);
    const waiting = client.companies.get(2);
    setTimeout(() => controller.abort(new Error('stopped by user')), 5);
    await expect(waiting).rejects.toThrow('stopped by user');
    expect(sf.log).toHaveLength(1);
  });

  it('does not start requests after the signal aborted', async () => {
    const controller = new AbortController();
    controller.abort(new Error('already stopped'));
    const { sf, client } = setup([], { signal: controller.signal });
    await expect(client.companies.get(1)).rejects.toThrow('already stopped');
    expect(sf.log).toHaveLength(0);
  });
});

describe('zone discovery', () => {
  const DISCOVERY = 'https://webservices.autotask.net/ATServicesRest/V1.0/';
  const zone = {
    zoneName: 'AE02',
    url: 'https://webservices14.autotask.net/ATServicesRest/',
    webUrl: 'https://ww14.autotask.net/',
    ci: 1,
  };

  it('discovers the zone once, without credentials, then calls the zone', async () => {
    const { sf, client } = setup([ok(zone), ok({ item: { id: 1 } }), ok({ item: { id: 2 } })], {
      url: undefined,
    });
    await Promise.all([client.companies.get(1), client.companies.get(2)]);
    expect(sf.lines()).toEqual([
      `GET ${DISCOVERY}zoneInformation?user=api%40example.com`,
      `GET ${BASE}Companies/1`,
      `GET ${BASE}Companies/2`,
    ]);
    expect(sf.log[0]?.headers).toEqual({ accept: 'application/json' });
    expect(await client.baseUrl()).toBe(BASE);
  });

  it('reuses a cached zone across clients', async () => {
    const cache = memoryCache();
    const first = setup([ok(zone), ok({ item: null })], { url: undefined, metadata: { cache } });
    await first.client.companies.get(1);
    const second = setup([ok({ item: null })], { url: undefined, metadata: { cache } });
    await second.client.companies.get(1);
    expect(second.sf.lines()).toEqual([`GET ${BASE}Companies/1`]);
  });

  it('refuses to send credentials to a zone URL that is not Autotask', async () => {
    const { sf, client } = setup([ok({ ...zone, url: 'https://attacker.example.com/ATServicesRest/' })], {
      url: undefined,
    });
    await expect(client.companies.get(1)).rejects.toBeInstanceOf(AutotaskUntrustedUrlError);
    expect(sf.log).toHaveLength(1);
  });

  it('reports an unknown username from discovery', async () => {
    const { client } = setup([errors(500, 'Zone information could not be determined')], { url: undefined });
    const error = await client.companies.get(1).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AutotaskAuthenticationError);
    expect((error as AutotaskAuthenticationError).reason).toBe('unknown-user');
  });
});

describe('metadata', () => {
  const fields = {
    fields: [
      {
        name: 'companyType',
        dataType: 'short',
        isPickList: true,
        picklistValues: [
          {
            value: '1',
            label: 'Customer',
            isActive: true,
            isDefaultValue: false,
            sortOrder: 0,
            parentValue: '',
            isSystem: true,
          },
          {
            value: '2',
            label: 'Lead',
            isActive: false,
            isDefaultValue: false,
            sortOrder: 1,
            parentValue: '',
            isSystem: true,
          },
          {
            value: '9',
            label: 'Lead',
            isActive: true,
            isDefaultValue: false,
            sortOrder: 2,
            parentValue: '',
            isSystem: false,
          },
          {
            value: '10',
            label: 'Twin',
            isActive: true,
            isDefaultValue: false,
            sortOrder: 3,
            parentValue: '',
            isSystem: false,
          },
          {
            value: '11',
            label: 'twin ',
            isActive: true,
            isDefaultValue: false,
            sortOrder: 4,
            parentValue: '',
            isSystem: false,
          },
        ],
      },
      { name: 'companyName', dataType: 'string', isPickList: false, picklistValues: null },
    ],
  };

  it('fetches each kind once, shares concurrent reads, and maps picklists both ways', async () => {
    const { sf, client } = setup([
      ok(fields),
      ok({ info: { name: 'Company', canCreate: true } }),
      ok({ fields: [] }),
    ]);
    const [a, b] = await Promise.all([
      client.metadata.fields('Companies'),
      client.metadata.fields('Companies'),
    ]);
    expect(a).toBe(b);
    const pick = await client.metadata.picklist('Companies', 'CompanyType');
    expect(pick?.valueOf('customer')).toBe('1');
    expect(pick?.valueOf('Lead')).toBe('9'); // the active one wins
    expect(pick?.valueOf('twin')).toBeUndefined(); // ambiguous
    expect(pick?.valueOf('nope')).toBeUndefined();
    expect(pick?.labelOf(2)).toBe('Lead');
    expect(await client.metadata.picklist('Companies', 'companyName')).toBeUndefined();
    expect((await client.metadata.info('Companies')).canCreate).toBe(true);
    expect(await client.metadata.udfs('Companies')).toEqual([]);
    expect(sf.lines(BASE)).toEqual([
      'GET Companies/entityInformation/fields',
      'GET Companies/entityInformation',
      'GET Companies/entityInformation/userDefinedFields',
    ]);
    expect(client.stats().metadataCacheHits).toBeGreaterThan(0);
  });

  it('persists metadata between runs and refetches after the TTL or an invalidate()', async () => {
    const cache = memoryCache();
    const first = setup([ok(fields)], { metadata: { cache, ttlMs: 1000 } });
    await first.client.metadata.fields('Companies');
    const second = setup([ok(fields), ok(fields)], { metadata: { cache, ttlMs: 1000 } });
    await second.client.metadata.fields('Companies');
    expect(second.sf.log).toHaveLength(0);
    second.clock.advance(1000);
    await second.client.metadata.fields('Companies');
    expect(second.sf.log).toHaveLength(1);
    second.client.metadata.invalidate('Companies');
    second.clock.advance(1);
    await second.client.metadata.fields('Companies');
    expect(second.sf.log).toHaveLength(2);
  });
});

describe('findByValues', () => {
  it('resolves 1,200 keys in 3 `in` queries of ≤ 500 and groups matches by Autotask equality', async () => {
    const emails = Array.from({ length: 1200 }, (_, i) => `User${i}@Example.com`);
    const answer = (req: { body: unknown }): ScriptedAnswer => {
      const filter = (req.body as { filter: { op: string; value: string[] }[] }).filter[0]!;
      // Autotask returns stored spellings: lower case with a trailing space on one.
      const items = filter.value
        .filter((_, i) => i % 100 === 0)
        .map((v) => ({ id: Number(/\d+/.exec(v)![0]), emailAddress: `${v.toLowerCase()} ` }));
      return page(items);
    };
    const { sf, client } = setup([answer, answer, answer]);
    const found = await client.findByValues('Contacts', 'emailAddress', [...emails, 'user0@example.com '], {
      includeFields: ['firstName'],
      filter: [where.eq('isActive', 1)],
    });
    expect(sf.lines(BASE)).toEqual(['POST Contacts/query', 'POST Contacts/query', 'POST Contacts/query']);
    expect(sf.log.map((r) => (r.body as { filter: { value: unknown[] }[] }).filter[0]!.value.length)).toEqual(
      [500, 500, 200],
    );
    expect((sf.log[0]?.body as { IncludeFields: string[] }).IncludeFields).toEqual([
      'id',
      'emailAddress',
      'firstName',
    ]);
    expect((sf.log[0]?.body as { filter: unknown[] }).filter[1]).toEqual({
      op: 'eq',
      field: 'isActive',
      value: 1,
    });
    expect(found.size).toBe(1200);
    expect(found.get('user0@example.com')?.map((r) => r.id)).toEqual([0]);
    expect(found.get('user1@example.com')).toEqual([]);
    expect([...found.values()].filter((v) => v.length > 0)).toHaveLength(12);
  });

  it('looks up a UDF with a udf condition and reads it from userDefinedFields', async () => {
    const { sf, client } = setup([
      page([{ id: 4, userDefinedFields: [{ name: 'Customer No', value: 'C-1' }] }]),
    ]);
    const found = await client.findByValues('Companies', 'Customer No', ['c-1', 'C-2'], { udf: true });
    expect((sf.log[0]?.body as { filter: unknown[] }).filter).toEqual([
      { op: 'in', field: 'Customer No', value: ['c-1', 'C-2'], udf: true },
    ]);
    expect(found.get('c-1')?.map((r) => r.id)).toEqual([4]);
    await expect(
      client.findByValues('Companies', 'Customer No', ['x'], {
        udf: true,
        filter: [udf(where.exist('Other'))],
      }),
    ).rejects.toThrow(/only one/);
  });
});

describe('check()', () => {
  const version = ok({ majorVersion: '1', minorVersion: '0', build: '2026.3', customerType: 'x' });
  const threshold = ok({
    externalRequestThreshold: 10000,
    requestThresholdTimeframe: 60,
    currentTimeframeRequestCount: 124,
  });
  const zone = {
    zoneName: 'AE02',
    url: 'https://webservices14.autotask.net/ATServicesRest/',
    webUrl: '',
    ci: 1,
  };

  it('reports zone, version and budget', async () => {
    const { sf, client } = setup([ok(zone), version, threshold], { url: undefined });
    expect(await client.check()).toEqual({
      zone: 'AE02',
      apiVersion: '1.0.2026.3',
      url: BASE,
      budget: { used: 124, limit: 10000 },
    });
    expect(sf.lines()).toEqual([
      'GET https://webservices.autotask.net/ATServicesRest/V1.0/zoneInformation?user=api%40example.com',
      `GET ${BASE}Version`,
      `GET ${BASE}ThresholdInformation`,
    ]);
  });

  it('says the user exists but the credentials were refused, listing what Autotask cannot tell apart', async () => {
    const { client } = setup([ok(zone), { status: 401, text: '' }], { url: undefined });
    const error = (await client.check().catch((e: unknown) => e)) as AutotaskAuthenticationError;
    expect(error).toBeInstanceOf(AutotaskAuthenticationError);
    expect(error.message).toMatch(/knows user "api@example.com"/);
    expect(error.likelyCauses).toEqual([
      'wrong secret',
      'wrong integration code',
      'user is not an API-only user (security level "API User (system)")',
    ]);
  });

  it('adds the wrong zone to the causes when discovery could not be consulted', async () => {
    const { client } = setup([{ status: 401, text: '' }], { url: 'http://127.0.0.1:9/ATServicesRest/' });
    const error = (await client.check().catch((e: unknown) => e)) as AutotaskAuthenticationError;
    expect(error.likelyCauses).toContain("URL of another zone than the user's");
  });

  it('reports a configured URL of another zone without spending a call', async () => {
    const { sf, client } = setup([
      ok({ ...zone, zoneName: 'UK2', url: 'https://webservices16.autotask.net/ATServicesRest/' }),
    ]);
    await expect(client.check()).rejects.toMatchObject({
      code: 'AUTOTASK_WRONG_URL',
      details: {
        reason: 'wrong-zone',
        expectedUrl: 'https://webservices16.autotask.net/ATServicesRest/V1.0/',
      },
    });
    expect(sf.log).toHaveLength(1);
  });

  it.each([
    [
      'an unknown user',
      [errors(500, 'Zone information could not be determined')],
      undefined,
      'AUTOTASK_AUTHENTICATION_FAILED',
    ],
    [
      'a bad integration code',
      [ok(zone), errors(500, 'IntegrationCode is invalid.')],
      undefined,
      'AUTOTASK_AUTHENTICATION_FAILED',
    ],
    [
      'a URL that is not Autotask (HTML 404)',
      [{ status: 404, text: '<html><title>Not Found</title></html>' }],
      'http://127.0.0.1:9/ATServicesRest/',
      'AUTOTASK_WRONG_URL',
    ],
    [
      'a URL that answers with a web page',
      [{ status: 200, text: '<html>hello</html>' }],
      'http://127.0.0.1:9/ATServicesRest/',
      'AUTOTASK_WRONG_URL',
    ],
    [
      'an unreachable URL',
      Array.from({ length: 5 }, connectionRefused),
      'http://127.0.0.1:9/ATServicesRest/',
      'AUTOTASK_WRONG_URL',
    ],
  ] as [string, ScriptedAnswer[], string | undefined, string][])(
    'distinguishes %s',
    async (_name, answers, url, code) => {
      const { client } = setup(answers, { url });
      await expect(client.check()).rejects.toMatchObject({ code });
    },
  );
});
