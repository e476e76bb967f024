/**
 * Issue 2, item 2: authentication by the three headers (names case-insensitive; any mismatch → 401
 * with an empty body), and the unauthenticated zoneInformation / versioninformation endpoints
 * (API doc §1.2, §1.5, §2, checklist §13 items 2–4).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { expectErrors, ok } from './helpers/fixtures.js';
import { againstSandbox, openTarget, type ContractTarget } from './helpers/target.js';

let target: ContractTarget;

beforeAll(async () => {
  target = await openTarget({ seed: 'demo' });
});
afterAll(() => target.close());

const v1 = (t: ContractTarget): string => `${t.root}V1.0/`;

describe('header authentication', () => {
  it('accepts the three headers and answers Version with four strings', async () => {
    const body = ok(await target.call('GET', 'V1.0/Version'));
    expect(body).toEqual({
      majorVersion: expect.any(String),
      minorVersion: expect.any(String),
      build: expect.any(String),
      customerType: expect.any(String),
    });
  });

  it('matches header names case-insensitively', async () => {
    const c = target.credentials;
    const r = await target.call('GET', 'V1.0/Version', {
      auth: false,
      headers: { apiintegrationcode: c.integrationCode, USERNAME: c.userName, secret: c.secret },
    });
    expect(r.status).toBe(200);
  });

  const mutations: [string, (h: Record<string, string>) => void][] = [
    ['wrong secret', (h) => (h['Secret'] = `${h['Secret']}x`)],
    ['wrong user', (h) => (h['UserName'] = `nobody.${h['UserName']}`)],
    ['wrong integration code', (h) => (h['ApiIntegrationCode'] = 'WRONGCODE')],
    ['missing secret', (h) => delete h['Secret']],
    ['missing user', (h) => delete h['UserName']],
    ['missing integration code', (h) => delete h['ApiIntegrationCode']],
  ];
  it.each(mutations)('%s → 401 with an empty body', async (_name, mutate) => {
    const c = target.credentials;
    const headers: Record<string, string> = {
      ApiIntegrationCode: c.integrationCode,
      UserName: c.userName,
      Secret: c.secret,
    };
    mutate(headers);
    for (const path of ['V1.0/Version', 'V1.0/Companies/0', 'V1.0/ThresholdInformation']) {
      const r = await target.call('GET', path, { auth: false, headers });
      expect(r.status).toBe(401);
      expect(r.text).toBe('');
    }
  });

  it('HTTP Basic auth is not accepted', async () => {
    const c = target.credentials;
    const basic = Buffer.from(`${c.userName}:${c.secret}`).toString('base64');
    const r = await target.call('GET', 'V1.0/Version', {
      auth: false,
      headers: { Authorization: `Basic ${basic}`, ApiIntegrationCode: c.integrationCode },
    });
    expect(r.status).toBe(401);
    expect(r.text).toBe('');
  });

  it('no credentials on an entity route → 401 empty', async () => {
    const r = await target.call('POST', 'V1.0/Companies/query', {
      auth: false,
      body: { filter: [{ op: 'gte', field: 'id', value: 0 }] },
    });
    expect(r.status).toBe(401);
    expect(r.text).toBe('');
  });
});

describe('zoneInformation', () => {
  it('needs no credentials and returns the REST root of the tenant', async () => {
    const user = encodeURIComponent(target.credentials.userName);
    const r = await target.call('GET', `${v1(target)}zoneInformation?user=${user}`, { auth: false });
    const body = ok(r);
    expect(body).toEqual({
      zoneName: expect.any(String),
      url: expect.stringMatching(/\/ATServicesRest\/$/i),
      webUrl: expect.any(String),
      ci: expect.any(Number),
    });
    if (!againstSandbox) expect(body.url).toBe(target.root);
  });

  it('is case-insensitive in its path', async () => {
    const user = encodeURIComponent(target.credentials.userName);
    const lower = target.root.replace(/ATServicesRest\/$/i, 'atservicesrest/');
    expect(
      (await target.call('GET', `${lower}v1.0/ZONEINFORMATION?user=${user}`, { auth: false })).status,
    ).toBe(200);
  });

  it.each([
    ['unknown user', 'nobody-at-all@example.invalid'],
    ['blank user', ''],
  ])('%s → 500 "Zone information could not be determined"', async (_n, user) => {
    const r = await target.call('GET', `${v1(target)}zoneInformation?user=${encodeURIComponent(user)}`, {
      auth: false,
    });
    expect(expectErrors(r, 500)).toEqual(['Zone information could not be determined']);
  });
});

describe('versioninformation', () => {
  it('needs no credentials and lists the API versions', async () => {
    const r = await target.call('GET', `${target.root}versioninformation`, { auth: false });
    const body = ok(r);
    expect(body).toEqual({ apiVersions: expect.any(Array) });
    expect(body.apiVersions.some((v: string) => /1\.0$/.test(v))).toBe(true);
  });
});
