import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterEach, describe, expect, it } from 'vitest';

import { createEmulator, emulatorHeaders, type Emulator } from '../../../../src/emulator/index.js';
import { ACME, API_USER, fixtureTenant, type Json } from './fixture.js';

const dirs: string[] = [];
const open: Emulator[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((e) => e.close()));
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function start(dataFile: string, secret = API_USER.secret): Emulator {
  const emu = createEmulator({
    dataFile,
    tenant: fixtureTenant(),
    credentials: { userName: API_USER.userName, integrationCode: API_USER.integrationCode, secret },
    latency: { baseMs: 0, at50PercentMs: 0, at75PercentMs: 0 },
  });
  open.push(emu);
  return emu;
}

async function call(emu: Emulator, method: string, path: string, body?: unknown): Promise<Json> {
  const res = await emu.fetch(`${emu.baseUrl}${path}`, {
    method,
    headers: emulatorHeaders(emu.credentials),
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return await res.json();
}

describe('emulator persistence', () => {
  it('keeps records, UDFs and id sequences across restarts, and never stores the secret', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'emu-persist-'));
    dirs.push(dir);
    const file = join(dir, 'tenant.sqlite');

    const first = start(file);
    const created = await call(first, 'POST', `V1.0/Companies/${ACME}/Contacts`, {
      firstName: 'Persisted',
      lastName: 'Person',
      isActive: 1,
      userDefinedFields: [{ name: 'Preferred Language', value: 'fr' }],
    });
    await call(first, 'PATCH', 'V1.0/Companies', { id: ACME, phone: '42' });
    const doomed = await call(first, 'POST', `V1.0/Companies/${ACME}/Contacts`, {
      firstName: 'D',
      lastName: 'D',
      isActive: 1,
    });
    await call(first, 'DELETE', `V1.0/Companies/${ACME}/Contacts/${doomed.itemId}`);
    await first.close();
    open.splice(0);

    const second = start(file, 'a-new-secret');
    expect(second.credentials.secret).toBe('a-new-secret');
    const contact = (await call(second, 'GET', `V1.0/Contacts/${created.itemId}`)).item;
    expect(contact.firstName).toBe('Persisted');
    expect(contact.userDefinedFields).toContainEqual({ name: 'Preferred Language', value: 'fr' });
    expect((await call(second, 'GET', `V1.0/Companies/${ACME}`)).item.phone).toBe('42');
    expect((await call(second, 'GET', `V1.0/Contacts/${doomed.itemId}`)).item).toBeNull();
    const another = await call(second, 'POST', `V1.0/Companies/${ACME}/Contacts`, {
      firstName: 'N',
      lastName: 'N',
      isActive: 1,
    });
    expect(another.itemId).toBeGreaterThan(doomed.itemId);
    await second.close();
    open.splice(0);

    const bytes =
      readFileSync(file).toString('latin1') + readFileSync(`${file}-wal`, { flag: 'a+' }).toString('latin1');
    expect(bytes).not.toContain(API_USER.secret);
    expect(bytes).not.toContain('a-new-secret');
    expect(bytes).not.toContain(API_USER.integrationCode);
  });

  it('explains an unreadable data file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'emu-persist-'));
    dirs.push(dir);
    expect(() =>
      createEmulator({ dataFile: join(dir, 'missing-dir', 'x.sqlite'), tenant: fixtureTenant() }),
    ).toThrow(/Cannot open the emulator data file/);
  });
});
