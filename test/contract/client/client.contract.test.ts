/**
 * The Autotask client against the real emulator over HTTP on loopback: connection check, CRUD,
 * paging, batched lookups, metadata, the emulator's limits (thread limit, tiny hourly limit) and
 * its fault injection (500 after commit, dropped connections, 429 storms).
 */
import { afterEach, describe, expect, it } from 'vitest';

import {
  AutotaskAuthenticationError,
  AutotaskOutcomeUnknownError,
  createAutotaskClient,
  type AutotaskClient,
  type AutotaskClientOptions,
  type BudgetWaitInfo,
} from '../../../src/autotask/index.js';
import { where } from '../../../src/autotask/query.js';
import { createEmulator, type Emulator, type EmulatorOptions } from '../../../src/emulator/index.js';
import { ManualClock } from '../../../src/shared/clock.js';

let emulator: Emulator | undefined;
afterEach(async () => {
  await emulator?.close();
  emulator = undefined;
});

async function start(
  options: EmulatorOptions = {},
  client: Partial<AutotaskClientOptions> = {},
): Promise<{ emu: Emulator; url: string; client: AutotaskClient }> {
  const emu = createEmulator({ seed: 'demo', ...options });
  emulator = emu;
  const listening = await emu.listen();
  const c = createAutotaskClient({
    username: emu.credentials.userName,
    secret: emu.credentials.secret,
    integrationCode: emu.credentials.integrationCode,
    discoveryUrl: listening.url,
    retry: { baseDelayMs: 5, maxDelayMs: 50 },
    ...client,
  });
  return { emu, url: listening.url, client: c };
}

async function count<T>(it: AsyncIterable<T>): Promise<number> {
  let n = 0;
  for await (const _ of it) n += 1;
  return n;
}

describe('check()', () => {
  it('discovers the zone and reports version and budget', async () => {
    const { client, url } = await start();
    const result = await client.check();
    expect(result).toMatchObject({ zone: 'EMU01', url: `${url}V1.0/`, budget: { limit: 10_000 } });
    expect(result.apiVersion).toMatch(/^1\.0/);
  });

  it('tells a wrong secret apart from an unknown user, listing what Autotask cannot tell apart', async () => {
    const { emu, url } = await start();
    const base = { integrationCode: emu.credentials.integrationCode, discoveryUrl: url };
    const wrongSecret = createAutotaskClient({
      ...base,
      username: emu.credentials.userName,
      secret: 'nope-nope',
    });
    const e1 = (await wrongSecret.check().catch((e: unknown) => e)) as AutotaskAuthenticationError;
    expect(e1).toBeInstanceOf(AutotaskAuthenticationError);
    expect(e1.reason).toBe('rejected');
    expect(e1.likelyCauses).toContain('wrong secret');
    expect(e1.likelyCauses).not.toContain("URL of another zone than the user's");
    expect(JSON.stringify(e1)).not.toContain('nope-nope');

    const unknownUser = createAutotaskClient({ ...base, username: 'nobody@example.com', secret: 'x-secret' });
    await expect(unknownUser.check()).rejects.toMatchObject({
      code: 'AUTOTASK_AUTHENTICATION_FAILED',
      reason: 'unknown-user',
    });
  });

  it('says when the integration code is invalid, where the tenant says so', async () => {
    const { emu, url } = await start({ legacyIntegrationCodeError: true });
    const c = createAutotaskClient({
      username: emu.credentials.userName,
      secret: emu.credentials.secret,
      integrationCode: 'WRONGCODE',
      discoveryUrl: url,
    });
    await expect(c.check()).rejects.toMatchObject({ reason: 'bad-integration-code' });
  });

  it('reports a URL that is not an Autotask REST root, and one that is unreachable', async () => {
    const { emu, url } = await start();
    const creds = {
      username: emu.credentials.userName,
      secret: emu.credentials.secret,
      integrationCode: emu.credentials.integrationCode,
      retry: { maxAttempts: 2, baseDelayMs: 1 },
    };
    const origin = new URL(url).origin;
    const wrongPath = createAutotaskClient({ ...creds, url: `${origin}/elsewhere/ATServicesRest/` });
    await expect(wrongPath.check()).rejects.toMatchObject({
      code: 'AUTOTASK_WRONG_URL',
      details: { reason: 'not-autotask' },
    });
    const closed = createAutotaskClient({ ...creds, url: 'http://127.0.0.1:9/ATServicesRest/' });
    await expect(closed.check()).rejects.toMatchObject({
      code: 'AUTOTASK_WRONG_URL',
      details: { reason: 'unreachable' },
    });
  });
});

describe('entities over HTTP', () => {
  it('creates, updates, replaces and reads companies and contacts (contacts via the company route)', async () => {
    const { client } = await start();
    const owner = (await client.resources.queryPage({ filter: where.eq('isActive', true), maxRecords: 1 }))
      .items[0];
    expect(owner).toBeDefined();
    const id = await client.companies.create({
      companyName: 'Contract Test Ltd',
      companyType: 1,
      ownerResourceID: owner!.id,
      phone: '+1 555 0000',
    });
    expect(await client.companies.update({ id, city: 'Springfield' })).toBe(id);
    const company = await client.companies.get(id);
    expect(company).toMatchObject({ id, companyName: 'Contract Test Ltd', city: 'Springfield' });

    const contactId = await client.contacts.create({
      companyID: id,
      firstName: 'Ada',
      lastName: 'Lovelace',
      isActive: 1,
      emailAddress: 'ada@contract.example',
    });
    expect(await client.contacts.update({ id: contactId, title: 'Countess' })).toBe(contactId);
    expect(await client.contacts.get(contactId)).toMatchObject({ companyID: id, title: 'Countess' });
    expect(await client.companies.get(999_999_999)).toBeUndefined();
  });

  it('pages through every record (POSTing each nextPageUrl) and agrees with count()', async () => {
    const { client, emu } = await start({ records: 1200 });
    const total = await client.companies.count([]);
    expect(total).toBeGreaterThan(1200);
    expect(await count(client.companies.query({ filter: [], includeFields: ['companyName'] }))).toBe(total);
    expect(emu.stats().byStatus['405'] ?? 0).toBe(0);
    expect(client.stats().calls['Companies']?.query).toBe(Math.ceil(total / 500));
  });

  it('resolves 1,000 e-mail keys in 2 lookup calls, case-insensitively', async () => {
    const { client, emu } = await start({ records: 600 });
    const emails: string[] = [];
    for await (const c of client.contacts.query({
      filter: where.exist('emailAddress'),
      includeFields: ['emailAddress'],
    })) {
      if (typeof c['emailAddress'] === 'string') emails.push(c['emailAddress']);
      if (emails.length === 1000) break;
    }
    expect(emails).toHaveLength(1000);
    emu.resetCounters();
    const found = await client.findByValues(
      'Contacts',
      'emailAddress',
      emails.map((e) => e.toUpperCase()),
    );
    expect(emu.stats().byOperation['query'] ?? 0).toBe(2);
    expect([...found.values()].filter((v) => v.length > 0).length).toBe(
      new Set(emails.map((e) => e.toLowerCase())).size,
    );
  });

  it('reads metadata once and serves picklists both ways', async () => {
    const { client, emu } = await start();
    const pick = await client.metadata.picklist('Companies', 'companyType');
    const customer = pick?.valueOf('customer');
    expect(customer).toBeDefined();
    expect(pick?.labelOf(customer!)).toBe('Customer');
    await client.metadata.fields('Companies');
    expect(emu.stats().byOperation['metadata']).toBe(1);
  });
});

describe('limits', () => {
  it('keeps at most 3 requests in flight per entity: zero thread-limit rejections', async () => {
    const { client, emu } = await start({ latency: { baseMs: 20, at50PercentMs: 0, at75PercentMs: 0 } });
    await Promise.all(Array.from({ length: 24 }, (_, i) => client.companies.get(29683000 + i)));
    expect(emu.stats().limits.rejectedThread).toBe(0);
    expect(emu.stats().limits.peakInFlightPerBucket).toBe(3);
  });

  it('retries reads refused by the thread limit when configured past it', async () => {
    const { client, emu } = await start(
      { records: 20, latency: { baseMs: 20, at50PercentMs: 0, at75PercentMs: 0 } },
      { threadsPerEntity: 8, retry: { maxAttempts: 10, baseDelayMs: 5, maxDelayMs: 40 } },
    );
    const ids = (await client.companies.queryPage({ filter: [], maxRecords: 16 })).items.map((c) => c.id);
    expect(ids).toHaveLength(16);
    const before = client.stats().retries;
    const results = await Promise.all(ids.map((id) => client.companies.get(id)));
    expect(results.map((r) => r?.id)).toEqual(ids);
    expect(emu.stats().limits.rejectedThread).toBeGreaterThan(0);
    expect(client.stats().retries - before).toBe(emu.stats().limits.rejectedThread);
  });

  it('waits for the rolling hour instead of hitting a tiny hourly limit (no 429)', async () => {
    const clock = new ManualClock();
    const waits: BudgetWaitInfo[] = [];
    const { client, emu } = await start(
      { seed: 'empty', hourlyLimit: 20, clock, latency: { baseMs: 0, at50PercentMs: 0, at75PercentMs: 0 } },
      { clock, budget: { share: 0.5, onWait: (w) => waits.push(w) } },
    );
    for (let i = 0; i < 25; i += 1) await client.companies.count([]);
    expect(emu.stats().byStatus['429'] ?? 0).toBe(0);
    expect(emu.stats().limits.rejectedHourly).toBe(0);
    expect(waits.length).toBeGreaterThanOrEqual(1);
    expect(waits[0]).toMatchObject({ limit: 20, allowed: 9 });
    // Never more than the share in any rolling hour: the emulator's own count says so.
    expect(emu.limits.usage().count).toBeLessThanOrEqual(9);
  });
});

describe('fault injection', () => {
  it('a create whose 500 came after the commit is reported as outcome unknown, never re-sent', async () => {
    const { client, emu } = await start();
    const owner = (await client.resources.queryPage({ filter: where.eq('isActive', true), maxRecords: 1 }))
      .items[0]!;
    emu.faults.addRule({
      match: { method: 'POST', entity: 'Companies', isWrite: true },
      kind: 'error-after-commit',
      times: 1,
    });
    const error = await client.companies
      .create({ companyName: 'Ambiguous Inc', companyType: 1, ownerResourceID: owner.id, phone: '1' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AutotaskOutcomeUnknownError);
    // The caller reconciles by key: exactly one record exists.
    const found = await client.findByValues('Companies', 'companyName', ['Ambiguous Inc']);
    expect(found.get('ambiguous inc')).toHaveLength(1);
  });

  it('a create whose connection dropped after the commit is outcome unknown too', async () => {
    const { client, emu } = await start();
    const owner = (await client.resources.queryPage({ filter: where.eq('isActive', true), maxRecords: 1 }))
      .items[0]!;
    emu.faults.addRule({
      match: { method: 'POST', entity: 'Companies', isWrite: true },
      kind: 'drop-after-commit',
      times: 1,
    });
    await expect(
      client.companies.create({
        companyName: 'Dropped Inc',
        companyType: 1,
        ownerResourceID: owner.id,
        phone: '1',
      }),
    ).rejects.toBeInstanceOf(AutotaskOutcomeUnknownError);
    expect(await client.companies.count(where.eq('companyName', 'Dropped Inc'))).toBe(1);
  });

  it('rides out a 429 storm and 500s on reads, and retries a create refused before the handler', async () => {
    const { client, emu } = await start({}, { retry: { maxAttempts: 8, baseDelayMs: 1, maxDelayMs: 5 } });
    emu.faults.addRule({ match: { entity: 'Companies', isWrite: false }, kind: 'rate-limit', times: 3 });
    emu.faults.addRule({
      match: { entity: 'Companies', isWrite: false },
      kind: 'thread-limit-500',
      times: 1,
    });
    emu.faults.addRule({ match: { entity: 'Companies', isWrite: false }, kind: 'error-before', times: 2 });
    expect(await client.companies.count([])).toBeGreaterThan(0);
    expect(client.stats().retries).toBe(6);

    const owner = (await client.resources.queryPage({ filter: where.eq('isActive', true), maxRecords: 1 }))
      .items[0]!;
    emu.faults.addRule({
      match: { method: 'POST', entity: 'Companies', isWrite: true },
      kind: 'thread-limit',
      times: 2,
    });
    const id = await client.companies.create({
      companyName: 'Retried Ltd',
      companyType: 1,
      ownerResourceID: owner.id,
      phone: '1',
    });
    expect(await client.companies.count(where.eq('companyName', 'Retried Ltd'))).toBe(1);
    expect((await client.companies.get(id))?.['companyName']).toBe('Retried Ltd');
  });
});
