import { describe, expect, it } from 'vitest';

import { API_USER, ACME, ACME_CONTACT, GLOBEX, testEmulator, type Json } from './fixture.js';

describe('emulator routing', () => {
  it('matches paths case-insensitively, with or without a trailing slash', async () => {
    const { call } = testEmulator();
    for (const path of [
      `V1.0/Companies/${ACME}`,
      `v1.0/companies/${ACME}/`,
      `http://emulator.test/atservicesrest/V1.0/COMPANIES/${ACME}`,
    ]) {
      const res = await call('GET', path);
      expect(res.status, path).toBe(200);
      expect(res.json.item.companyName).toBe('Acme');
    }
  });

  it('answers unknown routes with the IIS HTML 404 and counts them in stats', async () => {
    const { call, emu } = testEmulator();
    for (const path of [
      'V1.0/Tickets/1',
      'V1.0/Companies/abc',
      'V2.0/Companies/1',
      'http://emulator.test/other',
    ]) {
      const res = await call('GET', path);
      expect(res.status, path).toBe(404);
      expect(res.headers.get('content-type')).toContain('text/html');
      expect(res.text).toContain('404 - File or directory not found');
    }
    expect(emu.stats().byStatus['404']).toBe(4);
  });

  it('answers wrong verbs on known routes with the ASP.NET 405 message', async () => {
    const { call } = testEmulator();
    const cases: [string, string][] = [
      ['GET', 'V1.0/Companies'],
      ['PATCH', `V1.0/Companies/${ACME}`],
      ['PUT', `V1.0/Companies/${ACME}`],
      ['DELETE', `V1.0/Companies/${ACME}`],
      ['DELETE', `V1.0/Opportunities/1`],
      ['DELETE', `V1.0/Contacts/${ACME_CONTACT}`],
      ['POST', 'V1.0/Resources'],
      ['POST', 'V1.0/Companies/entityInformation'],
      ['DELETE', `V1.0/Companies/${ACME}/Contacts`],
    ];
    for (const [method, path] of cases) {
      const res = await call(method, path, method === 'GET' || method === 'DELETE' ? undefined : {});
      expect(res.status, `${method} ${path}`).toBe(405);
      expect(res.json).toEqual({
        Message: `The requested resource does not support http method '${method}'.`,
      });
    }
  });

  it('has no top-level Contacts write route (writes go through the company child route)', async () => {
    const { call } = testEmulator();
    for (const method of ['POST', 'PATCH', 'PUT']) {
      const res = await call(method, 'V1.0/Contacts', { id: ACME_CONTACT, title: 'x' });
      expect(res.status).toBe(404);
    }
  });

  it('serves versioninformation and zoneInformation without credentials', async () => {
    const { call } = testEmulator();
    const versions = await call('GET', 'versioninformation', undefined, {});
    expect(versions.json).toEqual({ apiVersions: ['v1.0'] });
    const zone = await call(
      'GET',
      `v1.0/ZoneInformation?user=${encodeURIComponent(API_USER.userName)}`,
      undefined,
      {},
    );
    expect(zone.status).toBe(200);
    expect(zone.json).toMatchObject({ url: 'http://emulator.test/ATServicesRest/', zoneName: 'EMU01' });
    expect(typeof zone.json.ci).toBe('number');
    for (const user of ['nobody@example.com', '']) {
      const res = await call('GET', `V1.0/zoneInformation?user=${user}`, undefined, {});
      expect(res.status).toBe(500);
      expect(res.json).toEqual({ errors: ['Zone information could not be determined'] });
    }
  });

  it('uses publicUrl for zoneInformation and page URLs when configured', async () => {
    const { call } = testEmulator({ publicUrl: 'https://emu.example.com/ATServicesRest/' });
    const zone = await call('GET', `V1.0/zoneInformation?user=${API_USER.userName}`, undefined, {});
    expect(zone.json.url).toBe('https://emu.example.com/ATServicesRest/');
    const res = await call('POST', 'V1.0/Companies/query', {
      filter: [{ op: 'gte', field: 'id', value: 0 }],
      MaxRecords: 1,
    });
    expect(res.json.pageDetails.nextPageUrl).toMatch(
      /^https:\/\/emu\.example\.com\/ATServicesRest\/V1\.0\/Companies\/query\/next\?paging=/,
    );
  });

  it('serves Version and the metadata endpoints, also under the child route', async () => {
    const { call } = testEmulator();
    const version = await call('GET', 'V1.0/Version');
    expect(Object.values(version.json).every((v) => typeof v === 'string')).toBe(true);
    const info = await call('GET', 'V1.0/Companies/entityInformation');
    expect(info.json.info).toMatchObject({
      name: 'Company',
      canDelete: false,
      canCreate: true,
      hasUserDefinedFields: true,
    });
    const fields = await call('GET', 'V1.0/companies/entityinformation/fields');
    expect(fields.json.fields.find((f: Json) => f.name === 'companyName')).toMatchObject({
      isRequired: true,
      dataType: 'string',
    });
    const udfs = await call('GET', `V1.0/Companies/${GLOBEX}/Contacts/entityInformation/userDefinedFields`);
    expect(Array.isArray(udfs.json.fields)).toBe(true);
    expect(udfs.json.fields.length).toBeGreaterThan(0);
    const childInfo = await call('GET', `V1.0/Companies/${GLOBEX}/Contacts/entityInformation`);
    expect(childInfo.json.info.name).toBe('Contact');
    const resourceUdfs = await call('GET', 'V1.0/Resources/entityInformation/userDefinedFields');
    expect(resourceUdfs.json).toEqual({ fields: [] });
  });

  it('returns {"item":null} for a missing id, or 404 when configured', async () => {
    expect((await testEmulator().call('GET', 'V1.0/Companies/999')).json).toEqual({ item: null });
    const res = await testEmulator({ notFoundStatus: 404 }).call('GET', 'V1.0/Companies/999');
    expect(res.status).toBe(404);
  });

  it('shows a contact under its own company only', async () => {
    const { call } = testEmulator();
    expect((await call('GET', `V1.0/Companies/${ACME}/Contacts/${ACME_CONTACT}`)).json.item.id).toBe(
      ACME_CONTACT,
    );
    expect((await call('GET', `V1.0/Companies/${GLOBEX}/Contacts/${ACME_CONTACT}`)).json).toEqual({
      item: null,
    });
  });
});

describe('emulator authentication', () => {
  const path = `V1.0/Companies/${ACME}`;
  const good = {
    ApiIntegrationCode: API_USER.integrationCode,
    UserName: API_USER.userName,
    Secret: API_USER.secret,
  };

  it('accepts the three headers with any name casing', async () => {
    const { call } = testEmulator();
    const res = await call('GET', path, undefined, {
      apiintegrationcode: API_USER.integrationCode,
      USERNAME: API_USER.userName.toUpperCase(),
      secret: API_USER.secret,
    });
    expect(res.status).toBe(200);
  });

  it('answers 401 with an empty body for any missing or wrong header, Basic auth, or a non-API login', async () => {
    const { call, emu } = testEmulator();
    const variants: Record<string, string>[] = [
      {},
      { ...good, Secret: 'wrong' },
      { ...good, ApiIntegrationCode: 'WRONG' },
      { ...good, UserName: 'normal.user@example.com' },
      { UserName: good.UserName, Secret: good.Secret },
      {
        ApiIntegrationCode: good.ApiIntegrationCode,
        Authorization: `Basic ${Buffer.from(`${good.UserName}:${good.Secret}`).toString('base64')}`,
      },
    ];
    for (const headers of variants) {
      const res = await call('GET', path, undefined, headers);
      expect(res.status, JSON.stringify(Object.keys(headers))).toBe(401);
      expect(res.text).toBe('');
    }
    // Failed authentications are not counted against the hourly threshold.
    expect(emu.limits.usage().count).toBe(0);
  });

  it('can answer a wrong integration code with the older 500 "IntegrationCode is invalid."', async () => {
    const { call } = testEmulator({ legacyIntegrationCodeError: true });
    const res = await call('GET', path, undefined, { ...good, ApiIntegrationCode: 'WRONG' });
    expect(res.status).toBe(500);
    expect(res.json).toEqual({ errors: ['IntegrationCode is invalid.'] });
    expect((await call('GET', path, undefined, { ...good, Secret: 'wrong' })).status).toBe(401);
  });

  it('refuses an API user whose resource is inactive', async () => {
    const { call, emu } = testEmulator();
    const resources = emu.tenant.tables.Resources;
    const r = resources.get(API_USER.resourceId)!;
    resources.replace({ ...r, values: { ...r.values, isActive: false } });
    expect((await call('GET', path)).status).toBe(401);
  });
});
