/**
 * A small, hand-made tenant with known ids for the HTTP surface's tests (independent of the seed's
 * contents), and helpers to call an emulator in-process.
 */
import { ManualClock } from '../../../../src/shared/clock.js';
import type { StoredRecord } from '../../../../src/emulator/contracts.js';
import { createEmulator, emulatorHeaders, type Emulator } from '../../../../src/emulator/index.js';
import type { EmulatorOptions } from '../../../../src/emulator/options.js';
import { defaultUdfDefinitions } from '../../../../src/emulator/metadata/index.js';
import { createTenant, type InMemoryTenant } from '../../../../src/emulator/store/index.js';

export const API_USER = {
  userName: 'api.test@emulator.local',
  secret: 'test-secret-value',
  integrationCode: 'TESTINTEGRATIONCODE000001',
  resourceId: 5,
};

/** Resource ids: 1 active licensed owner, 2 inactive, 3 active licensed (a normal login), 5 the API user. */
export const OWNER = 1;
export const INACTIVE_RESOURCE = 2;
export const NORMAL_USER = 3;
export const ACME = 100;
export const GLOBEX = 101;
export const ACME_CONTACT = 200;
export const ACME_PRIMARY_CONTACT = 201;
export const GLOBEX_CONTACT = 202;

function resource(id: number, values: Record<string, unknown>): StoredRecord {
  return {
    id,
    values: {
      id,
      firstName: `First${id}`,
      lastName: `Last${id}`,
      email: `r${id}@example.com`,
      emailTypeCode: 'PRIMARY',
      isActive: true,
      licenseType: 1,
      userType: 10,
      payrollType: 1,
      locationID: 1,
      numberFormat: 'X,XXX.XX',
      resourceType: 'Employee',
      hireDate: '2020-01-01T00:00:00Z',
      userName: `user${id}@example.com`,
      ...values,
    },
    udfs: {},
  };
}

export function fixtureTenant(): InMemoryTenant {
  const tenant = createTenant({
    udfDefinitions: defaultUdfDefinitions(),
    apiUsers: [{ ...API_USER }],
  });
  const { Companies, Contacts, Resources } = tenant.tables;
  Resources.insert(resource(OWNER, {}));
  Resources.insert(resource(INACTIVE_RESOURCE, { isActive: false }));
  Resources.insert(resource(NORMAL_USER, { userName: 'normal.user@example.com' }));
  Resources.insert(
    resource(API_USER.resourceId, { licenseType: 7, userType: 20, userName: API_USER.userName }),
  );
  const company = (id: number, name: string): StoredRecord => ({
    id,
    values: { id, companyName: name, companyType: 1, ownerResourceID: OWNER, phone: '555', isActive: true },
    udfs: {},
  });
  Companies.insert(company(0, 'Own Company'));
  Companies.insert(company(ACME, 'Acme'));
  Companies.insert(company(GLOBEX, 'Globex'));
  const contact = (id: number, companyID: number, extra: Record<string, unknown> = {}): StoredRecord => ({
    id,
    values: { id, companyID, firstName: `C${id}`, lastName: 'Person', isActive: 1, ...extra },
    udfs: {},
  });
  Contacts.insert(contact(ACME_CONTACT, ACME, { emailAddress: 'c200@acme.example' }));
  Contacts.insert(contact(ACME_PRIMARY_CONTACT, ACME, { primaryContact: true }));
  Contacts.insert(contact(GLOBEX_CONTACT, GLOBEX));
  return tenant;
}

/** Parsed JSON of a response, loosely typed for assertions. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = any;

export interface TestEmulator {
  emu: Emulator;
  clock: ManualClock;
  /** Calls the emulator in-process with the API user's headers (unless `headers` replaces them). */
  call: (
    method: string,
    path: string,
    body?: unknown,
    headers?: Record<string, string>,
  ) => Promise<{ status: number; text: string; json: Json; headers: Headers }>;
}

export const BASE = 'http://emulator.test/ATServicesRest/';

export function testEmulator(options: EmulatorOptions = {}): TestEmulator {
  const clock = new ManualClock(Date.UTC(2026, 5, 1, 12, 0, 0, 250));
  const emu = createEmulator({
    tenant: fixtureTenant(),
    clock,
    latency: { baseMs: 0, at50PercentMs: 0, at75PercentMs: 0 },
    ...options,
  });
  const call: TestEmulator['call'] = async (method, path, body, headers) => {
    const url = /^https?:/.test(path) ? path : `${BASE}${path}`;
    const res = await emu.fetch(url, {
      method,
      headers: headers ?? emulatorHeaders(API_USER),
      ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    });
    const text = await res.text();
    let json: unknown;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    return { status: res.status, text, json, headers: res.headers };
  };
  return { emu, clock, call };
}
