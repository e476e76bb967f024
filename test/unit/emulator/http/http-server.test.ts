import { afterEach, describe, expect, it } from 'vitest';

import { emulatorHeaders, type Emulator } from '../../../../src/emulator/index.js';
import { ACME, API_USER, testEmulator } from './fixture.js';

let emu: Emulator | undefined;
afterEach(async () => {
  await emu?.close();
  emu = undefined;
});

describe('emulator over real HTTP', () => {
  it('serves the API on loopback with its own URL in zoneInformation and page URLs', async () => {
    emu = testEmulator().emu;
    const { url, origin } = await emu.listen({ port: 0 });
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/ATServicesRest\/$/);
    expect(emu.baseUrl).toBe(url);
    const zone = await fetch(
      `${origin}/atservicesrest/v1.0/zoneInformation?user=${encodeURIComponent(API_USER.userName)}`,
    );
    expect((await zone.json()).url).toBe(url);
    const headers = emulatorHeaders(API_USER);
    const item = await fetch(`${url}V1.0/Companies/${ACME}`, { headers });
    expect((await item.json()).item.companyName).toBe('Acme');
    const page = await fetch(`${url}V1.0/Companies/query`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ filter: [{ op: 'exist', field: 'id' }], MaxRecords: 1 }),
    });
    const next: string = (await page.json()).pageDetails.nextPageUrl;
    expect(next.startsWith(`${url}V1.0/Companies/query/next?paging=`)).toBe(true);
    const second = await fetch(next, { method: 'POST', headers });
    expect((await second.json()).items[0].id).toBe(ACME);
    expect((await fetch(`${url}V1.0/Companies`, { headers })).status).toBe(405);
  });

  it('destroys the socket for a dropped-connection fault', async () => {
    emu = testEmulator({ faults: { rules: [{ kind: 'drop-before', match: { entity: 'Companies' } }] } }).emu;
    const { url } = await emu.listen({ port: 0 });
    const error = await fetch(`${url}V1.0/Companies/${ACME}`, { headers: emulatorHeaders(API_USER) }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(TypeError);
    expect((await fetch(`${url}V1.0/Companies/${ACME}`, { headers: emulatorHeaders(API_USER) })).status).toBe(
      200,
    );
  });

  it('refuses bodies over maxBodyBytes with 413', async () => {
    emu = testEmulator({ maxBodyBytes: 1000 }).emu;
    const { url } = await emu.listen({ port: 0 });
    const res = await fetch(`${url}V1.0/Companies`, {
      method: 'POST',
      headers: emulatorHeaders(API_USER),
      body: JSON.stringify({ companyName: 'x'.repeat(2000) }),
    });
    expect(res.status).toBe(413);
    expect(emu.tenant.tables.Companies.size()).toBe(3);
  });

  it('offers control endpoints: stats, faults, limits, reset-counters, time', async () => {
    emu = testEmulator({ hourlyLimit: 100 }).emu;
    const { origin, url } = await emu.listen({ port: 0 });
    const headers = emulatorHeaders(API_USER);
    await fetch(`${url}V1.0/Companies/${ACME}`, { headers });
    const stats = await (await fetch(`${origin}/_emulator/stats`)).json();
    expect(stats.total).toBe(1);
    expect(stats.byEntity.Companies).toBe(1);
    expect(stats.byMethod.GET).toBe(1);
    expect(stats.byOperation.get).toBe(1);
    expect(stats.limits.usage.count).toBe(1);

    const set = await fetch(`${origin}/_emulator/faults`, {
      method: 'POST',
      body: JSON.stringify({ rules: [{ kind: 'unauthorized', match: { entity: 'Companies' } }] }),
    });
    expect(set.status).toBe(200);
    expect((await fetch(`${url}V1.0/Companies/${ACME}`, { headers })).status).toBe(401);

    await fetch(`${origin}/_emulator/limits`, { method: 'POST', body: JSON.stringify({ hourlyLimit: 2 }) });
    expect((await fetch(`${url}V1.0/Companies/${ACME}`, { headers })).status).toBe(429);
    const advanced = await fetch(`${origin}/_emulator/time`, {
      method: 'POST',
      body: JSON.stringify({ advanceMs: 3_600_001 }),
    });
    expect(typeof (await advanced.json()).now).toBe('number');
    expect((await fetch(`${url}V1.0/Companies/${ACME}`, { headers })).status).toBe(200);

    await fetch(`${origin}/_emulator/reset-counters`, { method: 'POST' });
    const after = await (await fetch(`${origin}/_emulator/stats`)).json();
    expect(after.total).toBe(0);
    expect(after.limits.usage.count).toBe(0);
    const bad = await fetch(`${origin}/_emulator/faults`, { method: 'POST', body: '{"faultRate": 7}' });
    expect(bad.status).toBe(400);
  });
});
