import { describe, expect, it } from 'vitest';

import type { Clock } from '../../../../src/shared/clock.js';
import { emulatorHeaders } from '../../../../src/emulator/index.js';
import { ACME, API_USER, BASE, testEmulator } from './fixture.js';

const company = { companyName: 'Initech', companyType: 1, ownerResourceID: 1, phone: '555' };

/** A clock whose sleeps wait until `open()` is called, so requests can be held in flight. */
function gateClock(): Clock & { open(): void; waiting(): number } {
  let release: (() => void)[] = [];
  return {
    now: () => Date.UTC(2026, 0, 1),
    sleep: () => new Promise<void>((resolve) => release.push(resolve)),
    open: () => {
      const r = release;
      release = [];
      r.forEach((f) => f());
    },
    waiting: () => release.length,
  };
}

/** Lets pending requests run until `n` of them sleep (bounded, so a bug fails instead of hanging). */
async function untilWaiting(clock: { waiting(): number }, n: number): Promise<number> {
  for (let i = 0; i < 200 && clock.waiting() < n; i++) await new Promise((r) => setImmediate(r));
  return clock.waiting();
}

describe('emulator limits', () => {
  it('counts every authenticated request, ThresholdInformation included, but not zone discovery', async () => {
    const { call } = testEmulator({ hourlyLimit: 50 });
    await call('GET', `V1.0/zoneInformation?user=${API_USER.userName}`, undefined, {});
    await call('GET', 'versioninformation', undefined, {});
    await call('GET', `V1.0/Companies/${ACME}`);
    const first = await call('GET', 'V1.0/ThresholdInformation');
    expect(first.json).toEqual({
      externalRequestThreshold: 50,
      requestThresholdTimeframe: 60,
      currentTimeframeRequestCount: 2,
    });
    const second = await call('GET', 'V1.0/ThresholdInformation');
    expect(second.json.currentTimeframeRequestCount).toBe(3);
  });

  it('refuses requests over the hourly limit with 429 until the hour has rolled', async () => {
    const { call, emu } = testEmulator({ hourlyLimit: 3 });
    for (let i = 0; i < 3; i++) expect((await call('GET', `V1.0/Companies/${ACME}`)).status).toBe(200);
    const over = await call('GET', `V1.0/Companies/${ACME}`);
    expect(over.status).toBe(429);
    expect(over.json.errors[0]).toContain('threshold');
    emu.advanceTime(60 * 60 * 1000 + 1);
    expect((await call('GET', `V1.0/Companies/${ACME}`)).status).toBe(200);
  });

  it('allows threadLimit requests in flight per integration code and entity; the next gets the thread message', async () => {
    const clock = gateClock();
    const { emu } = testEmulator({ clock, latency: { baseMs: 10, at50PercentMs: 0, at75PercentMs: 0 } });
    const headers = emulatorHeaders(API_USER);
    const get = (path: string): Promise<Response> => emu.fetch(`${BASE}${path}`, { headers });
    const held = [1, 2, 3].map(() => get(`V1.0/Companies/${ACME}`));
    expect(await untilWaiting(clock, 3)).toBe(3);
    const rejected = await get('V1.0/Companies/query/count');
    expect(rejected.status).toBe(429);
    expect(await rejected.json()).toEqual({
      errors: ['The Autotask API thread threshold of 3 threads has been exceeded.'],
    });
    // Another entity has its own bucket.
    const other = get('V1.0/Contacts/entityInformation');
    expect(await untilWaiting(clock, 4)).toBe(4);
    clock.open();
    expect((await Promise.all([...held, other])).map((r) => r.status)).toEqual([200, 200, 200, 200]);
    // Slots are released once the responses are produced.
    const again = get(`V1.0/Companies/${ACME}`);
    expect(await untilWaiting(clock, 1)).toBe(1);
    clock.open();
    expect((await again).status).toBe(200);
  });
});

describe('emulator faults', () => {
  it('drops the connection: in-process fetch rejects like Node fetch with ECONNRESET', async () => {
    const { emu } = testEmulator({
      faults: { rules: [{ kind: 'drop-before', match: { entity: 'Companies' } }] },
    });
    const error = await emu
      .fetch(`${BASE}V1.0/Companies/${ACME}`, { headers: emulatorHeaders(API_USER) })
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(error).toBeInstanceOf(TypeError);
    expect((error as TypeError).message).toBe('fetch failed');
    expect(((error as TypeError).cause as { code: string }).code).toBe('ECONNRESET');
    expect(emu.stats().byStatus['dropped']).toBe(1);
  });

  it('answers 500 after committing a write (the ambiguous case)', async () => {
    const { call, emu } = testEmulator({
      faults: { rules: [{ kind: 'error-after-commit', match: { method: 'POST', entity: 'Companies' } }] },
    });
    const before = emu.tenant.tables.Companies.size();
    const res = await call('POST', 'V1.0/Companies', company);
    expect(res.status).toBe(500);
    expect(res.json.errors[0]).toMatch(/^An unexpected error has occurred\./);
    expect(emu.tenant.tables.Companies.size()).toBe(before + 1);
    // The rule was used up: the next create answers normally.
    expect((await call('POST', 'V1.0/Companies', company)).status).toBe(200);
  });

  it('does not commit on an error-before fault and can be set at runtime', async () => {
    const { call, emu } = testEmulator();
    emu.faults.set({ rules: [{ kind: 'error-before', match: { isWrite: true } }] });
    const before = emu.tenant.tables.Companies.size();
    expect((await call('POST', 'V1.0/Companies', company)).status).toBe(500);
    expect(emu.tenant.tables.Companies.size()).toBe(before);
  });
});
